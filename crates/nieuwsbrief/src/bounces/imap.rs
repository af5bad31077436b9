//! Bounces and complaints read from a mailbox over IMAP (design §3.4): the job
//! `nieuwsbrief.bounces_imap`, queued every [`POLL_EVERY`] through `nb_schedule` when the
//! mailbox is configured (`NIEUWSBRIEF_BOUNCE_IMAP_URL=imaps://user:pass@host:993/INBOX`), and
//! the command `steden nieuwsbrief bounces-imap`.
//!
//! One poll reads the unseen messages (at most [`MAX_PER_POLL`]), each on its own:
//! its size first, then at most [`MAX_MESSAGE_BYTES`] + 1 bytes of it with `BODY.PEEK[]` (the
//! server does not mark it seen by the reading), which goes to [`super::receive`] as the webhook
//! sends its body: one transaction per message. Only after that commit is the message flagged
//! `\Seen`. A crash between the commit and the flag reads the message again at the next poll,
//! and the reports' idempotence (one row per report Message-ID and recipient) counts it once.
//! A message over the bound or that is no report is flagged too (it would come back at every
//! poll) and counted in the poll's result; nothing of its content is logged.
//!
//! The password is never logged: [`MailboxConfig`]'s `Debug` leaves it out and no message
//! quotes the URL.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, Context};
use async_imap::Client;
use futures::TryStreamExt;
use steden_core::error::CoreResult;
use steden_db::jobs::{JobContext, JobError, NewJob, Registry};
use steden_db::{now_ms, Db};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use super::{receive, MAX_MESSAGE_BYTES};
use crate::store::bounces::Source;
use crate::store::housekeeping;

/// The environment variable that names the mailbox (absent or empty: no polling).
pub const IMAP_URL_ENV: &str = "NIEUWSBRIEF_BOUNCE_IMAP_URL";
/// The job that reads the mailbox once.
pub const IMAP_JOB: &str = "nieuwsbrief.bounces_imap";
/// How often the mailbox is read.
pub const POLL_EVERY: Duration = Duration::from_secs(5 * 60);
/// The most messages one poll reads (the rest wait for the next one).
pub const MAX_PER_POLL: usize = 500;
/// The task's key in `nb_schedule`.
const TASK: &str = "bounces_imap";
/// How often a server looks whether the poll is due.
const TICK: Duration = Duration::from_secs(60);
/// The longest wait for the server on one step (connect, log in, one command).
const STEP_TIMEOUT: Duration = Duration::from_secs(60);

/// Where the bounces arrive: `imap://` (plain, for a server on the same machine or network)
/// or `imaps://` (TLS, checked against the usual public roots).
#[derive(Clone, PartialEq, Eq)]
pub struct MailboxConfig {
    pub host: String,
    pub port: u16,
    pub tls: bool,
    pub user: String,
    pub password: String,
    /// The folder, `INBOX` when the URL names none.
    pub mailbox: String,
}

impl fmt::Debug for MailboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailboxConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.user)
            .field("mailbox", &self.mailbox)
            .finish_non_exhaustive()
    }
}

impl MailboxConfig {
    /// Reads `imap[s]://user:password@host[:port][/folder]` (user, password and folder
    /// percent-encoded). The error says what is wrong without repeating the URL.
    pub fn parse(text: &str) -> Result<MailboxConfig, String> {
        let url = url::Url::parse(text.trim())
            .map_err(|e| format!("{IMAP_URL_ENV} is geen geldige URL ({e})"))?;
        let tls = match url.scheme() {
            "imaps" => true,
            "imap" => false,
            _ => {
                return Err(format!(
                    "{IMAP_URL_ENV} begint niet met imap:// of imaps://"
                ))
            }
        };
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| format!("{IMAP_URL_ENV} noemt geen server"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        let user = decode(url.username());
        let password = url.password().map(decode).unwrap_or_default();
        if user.is_empty() || password.is_empty() {
            return Err(format!(
                "{IMAP_URL_ENV} noemt geen gebruiker en wachtwoord (imaps://gebruiker:wachtwoord@server)"
            ));
        }
        let folder = decode(url.path().trim_start_matches('/'));
        Ok(MailboxConfig {
            port: url.port().unwrap_or(if tls { 993 } else { 143 }),
            host,
            tls,
            user,
            password,
            mailbox: if folder.is_empty() {
                "INBOX".into()
            } else {
                folder
            },
        })
    }

    /// The mailbox of [`IMAP_URL_ENV`]: `Ok(None)` when it is not set.
    pub fn from_env() -> Result<Option<MailboxConfig>, String> {
        match std::env::var(IMAP_URL_ENV) {
            Ok(value) if !value.trim().is_empty() => MailboxConfig::parse(&value).map(Some),
            _ => Ok(None),
        }
    }
}

/// What one poll did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PollReport {
    /// Unseen messages read (each is flagged `\Seen` afterwards).
    pub messages: usize,
    /// Reports recorded for the first time.
    pub new_reports: usize,
    /// Reports received before (the same message again): nothing done.
    pub known_reports: usize,
    /// Messages that are no bounce or complaint report.
    pub unreadable: usize,
    /// Messages over [`MAX_MESSAGE_BYTES`], skipped unread.
    pub too_large: usize,
}

impl PollReport {
    /// One line in Dutch, the job's result and the command's answer.
    pub fn describe(&self) -> String {
        format!(
            "{} ongelezen bericht(en) verwerkt: {} nieuw rapport(en), {} al eerder ontvangen, {} onleesbaar, {} te groot (meer dan {} MB) overgeslagen",
            self.messages,
            self.new_reports,
            self.known_reports,
            self.unreadable,
            self.too_large,
            MAX_MESSAGE_BYTES / (1024 * 1024)
        )
    }
}

/// Reads the unseen messages of the mailbox once (see the module documentation).
pub async fn poll(db: &Db, config: &MailboxConfig) -> anyhow::Result<PollReport> {
    let address = (config.host.as_str(), config.port);
    let tcp = step(TcpStream::connect(address)).await?.with_context(|| {
        format!(
            "kan de IMAP-server {}:{} niet bereiken",
            config.host, config.port
        )
    })?;
    if config.tls {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .context("TLS")?
        .with_root_certificates(roots)
        .with_no_client_auth();
        let name = rustls::pki_types::ServerName::try_from(config.host.clone())
            .map_err(|_| anyhow!("ongeldige servernaam {}", config.host))?;
        let stream = step(tokio_rustls::TlsConnector::from(Arc::new(tls)).connect(name, tcp))
            .await?
            .with_context(|| format!("TLS met {} mislukt", config.host))?;
        session(db, config, Client::new(stream)).await
    } else {
        session(db, config, Client::new(tcp)).await
    }
}

/// A step with [`STEP_TIMEOUT`]: a server that stops answering does not hold the job forever.
async fn step<F: std::future::Future>(future: F) -> anyhow::Result<F::Output> {
    tokio::time::timeout(STEP_TIMEOUT, future)
        .await
        .map_err(|_| anyhow!("de IMAP-server antwoordt niet binnen {STEP_TIMEOUT:?}"))
}

async fn session<T>(
    db: &Db,
    config: &MailboxConfig,
    mut client: Client<T>,
) -> anyhow::Result<PollReport>
where
    T: AsyncRead + AsyncWrite + Unpin + fmt::Debug + Send,
{
    step(client.read_response())
        .await??
        .context("de IMAP-server groette niet")?;
    let mut session = step(client.login(&config.user, &config.password))
        .await?
        // The server's answer only: the command it answers holds the password.
        .map_err(|(err, _)| {
            anyhow!(
                "aanmelden bij de IMAP-server als {} mislukt: {err}",
                config.user
            )
        })?;
    step(session.select(&config.mailbox))
        .await?
        .with_context(|| format!("map {} niet te openen", config.mailbox))?;
    let mut uids: Vec<u32> = step(session.uid_search("UNSEEN"))
        .await??
        .into_iter()
        .collect();
    uids.sort_unstable();
    uids.truncate(MAX_PER_POLL);
    let mut report = PollReport::default();
    if uids.is_empty() {
        step(session.logout()).await??;
        return Ok(report);
    }
    let set = uids
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let sizes: HashMap<u32, u32> = step(async {
        let fetches: Vec<_> = session
            .uid_fetch(&set, "(UID RFC822.SIZE)")
            .await?
            .try_collect()
            .await?;
        Ok::<_, async_imap::error::Error>(
            fetches
                .iter()
                .filter_map(|f| Some((f.uid?, f.size?)))
                .collect(),
        )
    })
    .await??;
    for uid in uids {
        report.messages += 1;
        let size = sizes.get(&uid).copied().unwrap_or(0) as usize;
        let raw = if size > MAX_MESSAGE_BYTES {
            None
        } else {
            // At most one byte over the bound, also when the size above was not true.
            let query = format!("BODY.PEEK[]<0.{}>", MAX_MESSAGE_BYTES + 1);
            step(async {
                let fetches: Vec<_> = session
                    .uid_fetch(uid.to_string(), &query)
                    .await?
                    .try_collect()
                    .await?;
                Ok::<_, async_imap::error::Error>(
                    fetches
                        .iter()
                        .find(|f| f.uid == Some(uid))
                        .and_then(|f| f.body().map(<[u8]>::to_vec)),
                )
            })
            .await??
            .filter(|body| body.len() <= MAX_MESSAGE_BYTES)
        };
        match raw {
            None => {
                report.too_large += 1;
                tracing::warn!(
                    uid,
                    size,
                    "bouncebericht in de IMAP-map te groot: overgeslagen en als gelezen gemarkeerd"
                );
            }
            Some(raw) => match receive(db, &raw, Source::Imap).await? {
                Ok(applied) => {
                    let new = applied.iter().filter(|a| a.new).count();
                    report.new_reports += new;
                    report.known_reports += applied.len() - new;
                }
                Err(reason) => {
                    report.unreadable += 1;
                    tracing::warn!(uid, %reason, "bericht in de IMAP-map is geen bounce of klacht: als gelezen gemarkeerd");
                }
            },
        }
        step(async {
            let _: Vec<_> = session
                .uid_store(uid.to_string(), "+FLAGS.SILENT (\\Seen)")
                .await?
                .try_collect()
                .await?;
            Ok::<_, async_imap::error::Error>(())
        })
        .await??;
    }
    step(session.logout()).await??;
    Ok(report)
}

/// Where the job finds its mailbox: the environment on a server, a fixed one in tests.
pub type ConfigSource = Arc<dyn Fn() -> Result<Option<MailboxConfig>, String> + Send + Sync>;

/// Registers the job with the mailbox of the environment.
pub fn register_jobs(registry: &mut Registry) {
    register_job_with(registry, Arc::new(MailboxConfig::from_env));
}

/// Registers the job with the mailbox that `config` gives at each run.
pub fn register_job_with(registry: &mut Registry, config: ConfigSource) {
    registry.register(IMAP_JOB, move |ctx: JobContext, _payload| {
        let config = config.clone();
        async move {
            let Some(mailbox) = config().map_err(JobError::permanent)? else {
                return ctx
                    .progress(0, 0, &format!("geen mailbox ingesteld ({IMAP_URL_ENV})"))
                    .await;
            };
            let report = poll(ctx.db(), &mailbox)
                .await
                .map_err(|e| JobError::retry(format!("{e:#}")))?;
            let n = i64::try_from(report.messages).unwrap_or(i64::MAX);
            ctx.progress(n, n, &report.describe()).await
        }
    });
}

/// Claims and queues a poll when it is due at `now`; returns whether this call queued it.
pub async fn enqueue_due(db: &Db, now: i64) -> CoreResult<bool> {
    let mut tx = db.begin().await?;
    // One try: the next poll comes soon enough, and a failing server is not hammered.
    let job = NewJob::new(IMAP_JOB, serde_json::json!({})).max_attempts(1);
    let every = i64::try_from(POLL_EVERY.as_millis()).unwrap_or(i64::MAX);
    let queued = housekeeping::claim_and_enqueue(&mut tx, TASK, now, now + every, job).await?;
    tx.commit().await?;
    Ok(queued)
}

/// Starts this server's ticker when a mailbox is configured; a URL that cannot be read stops
/// the server with the reason (as a DKIM key that cannot be read does).
pub fn spawn_if_configured(db: Db) -> anyhow::Result<()> {
    let Some(config) = MailboxConfig::from_env().map_err(|e| anyhow!(e))? else {
        return Ok(());
    };
    tracing::info!(
        ?config,
        "bounces en klachten worden uit een IMAP-map gelezen"
    );
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + TICK, TICK);
        loop {
            ticks.tick().await;
            if let Err(error) = enqueue_due(&db, now_ms()).await {
                tracing::warn!(%error, "lezen van de bounce-mailbox niet ingepland");
            }
        }
    });
    Ok(())
}
