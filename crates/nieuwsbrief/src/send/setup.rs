//! How the sending job reaches the world: the site's base URL (for the links in every mail),
//! the sender, SMTP or `.eml` files (the core's `SMTP_URL`, `STEDEN_MAIL_FROM` and data
//! directory), the DKIM key, and the two settings `nieuwsbrief.concurrency` and
//! `nieuwsbrief.rate_per_second`.
//!
//! The job handler is registered before the server's configuration is known to modules
//! (`Module::register_jobs` gets no configuration), so it reads its [`SendSetup`] from a
//! [`SetupCell`] that the module puts in the server's ports at start-up and fills in
//! `Module::start`. Tests hand the handler a filled cell directly.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::HeaderName;
use lettre::message::Mailbox;
use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};
use steden_db::Db;

use super::smtp::{SendFailure, SmtpLine, SmtpTarget};

/// The setting with the number of messages sent at once (SMTP connections of the pool).
pub const CONCURRENCY_SETTING: &str = "nieuwsbrief.concurrency";
/// The setting with the most messages per second (empty or 0: no limit).
pub const RATE_SETTING: &str = "nieuwsbrief.rate_per_second";
/// [`CONCURRENCY_SETTING`] when it is not set.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// The largest concurrency accepted (more connections than this only annoy the relay).
pub const MAX_CONCURRENCY: usize = 64;

/// The environment variables of DKIM signing (docs/NIEUWSBRIEF.md, "Verzenden").
pub const DKIM_KEY_ENV: &str = "NIEUWSBRIEF_DKIM_KEY";
pub const DKIM_SELECTOR_ENV: &str = "NIEUWSBRIEF_DKIM_SELECTOR";
pub const DKIM_DOMAIN_ENV: &str = "NIEUWSBRIEF_DKIM_DOMAIN";
pub const DKIM_ALGORITHM_ENV: &str = "NIEUWSBRIEF_DKIM_ALGORITHM";
/// Where `mailto:` unsubscribes go (default: the sender's address).
pub const UNSUBSCRIBE_MAILTO_ENV: &str = "NIEUWSBRIEF_UNSUBSCRIBE_MAILTO";

/// Where messages go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// `smtp://…` or `smtps://…` (the core's `SMTP_URL`; may hold a password: never logged).
    Smtp(String),
    /// `.eml` files in this directory (no `SMTP_URL`: the demo and a laptop).
    Files(PathBuf),
}

/// Everything the sending job needs besides the database.
#[derive(Clone)]
pub struct SendSetup {
    /// The site's address, without a trailing slash: the links in the mails are absolute.
    pub base_url: String,
    pub from: Mailbox,
    pub delivery: Delivery,
    /// Signs every message when a key is configured.
    pub dkim: Option<Arc<DkimConfig>>,
    /// The address of the `mailto:` in `List-Unsubscribe`.
    pub unsubscribe_mailto: String,
}

impl std::fmt::Debug for SendSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendSetup")
            .field("base_url", &self.base_url)
            .field("from", &self.from.to_string())
            .field("files", &matches!(self.delivery, Delivery::Files(_)))
            .field("dkim", &self.dkim.is_some())
            .finish()
    }
}

impl SendSetup {
    /// The setup of a server: its configuration, and DKIM and the `mailto:` address from the
    /// environment. A DKIM key that cannot be read stops the server with the reason.
    pub fn from_config(config: &steden_web::app::Config) -> anyhow::Result<SendSetup> {
        let delivery = match config.smtp_url.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => Delivery::Smtp(url.to_string()),
            _ => Delivery::Files(config.data_dir.join("mail")),
        };
        let mut setup = SendSetup::new(&config.base_url, &config.mail_from, delivery)?;
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        if let Some(mailto) = env(UNSUBSCRIBE_MAILTO_ENV) {
            setup.unsubscribe_mailto = mailto.trim().to_string();
        }
        if let Some(key) = env(DKIM_KEY_ENV) {
            let domain = env(DKIM_DOMAIN_ENV).unwrap_or_else(|| setup.from.email.domain().into());
            let selector = env(DKIM_SELECTOR_ENV).unwrap_or_else(|| "steden".into());
            let algorithm = env(DKIM_ALGORITHM_ENV);
            setup.dkim = Some(Arc::new(dkim_from_file(
                Path::new(key.trim()),
                algorithm.as_deref(),
                &selector,
                &domain,
            )?));
        }
        Ok(setup)
    }

    /// A setup without DKIM; the `mailto:` of unsubscribing is the sender's address.
    pub fn new(base_url: &str, mail_from: &str, delivery: Delivery) -> anyhow::Result<SendSetup> {
        let from: Mailbox = mail_from
            .parse()
            .map_err(|_| anyhow::anyhow!("ongeldig afzenderadres '{mail_from}'"))?;
        Ok(SendSetup {
            base_url: base_url.trim_end_matches('/').to_string(),
            unsubscribe_mailto: from.email.to_string(),
            from,
            delivery,
            dkim: None,
        })
    }

    /// The domain of Message-IDs: the sender's.
    pub fn host(&self) -> &str {
        self.from.email.domain()
    }
}

/// The late-filled place of the [`SendSetup`] (see the module documentation). Provided as a
/// port by [`crate::NieuwsbriefModule`], so that each server (and each test server) has its own.
#[derive(Debug, Default)]
pub struct SetupCell(OnceLock<Arc<SendSetup>>);

impl SetupCell {
    /// A cell that holds `setup` already (tests).
    pub fn with(setup: SendSetup) -> Arc<SetupCell> {
        let cell = SetupCell::default();
        let _ = cell.0.set(Arc::new(setup));
        Arc::new(cell)
    }

    /// Fills the cell; a second call keeps the first setup.
    pub fn set(&self, setup: SendSetup) {
        let _ = self.0.set(Arc::new(setup));
    }

    pub fn get(&self) -> Option<Arc<SendSetup>> {
        self.0.get().cloned()
    }
}

/// Reads a DKIM key: RSA as PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`, as `openssl genrsa
/// -traditional` writes it), Ed25519 as PKCS#8 PEM (`openssl genpkey -algorithm ed25519`) or as
/// the base64 of its 32 bytes. `algorithm` (`rsa` or `ed25519`) may be left out: the file
/// tells. The signature covers the headers that RFC 8058 asks for (`List-Unsubscribe` and
/// `List-Unsubscribe-Post`) besides the usual ones, relaxed/relaxed.
pub fn dkim_from_file(
    path: &Path,
    algorithm: Option<&str>,
    selector: &str,
    domain: &str,
) -> anyhow::Result<DkimConfig> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("DKIM-sleutel {} niet leesbaar: {e}", path.display()))?;
    dkim_from_pem(&text, algorithm, selector, domain)
        .map_err(|e| anyhow::anyhow!("DKIM-sleutel {}: {e}", path.display()))
}

/// As [`dkim_from_file`], from the file's text.
pub fn dkim_from_pem(
    text: &str,
    algorithm: Option<&str>,
    selector: &str,
    domain: &str,
) -> anyhow::Result<DkimConfig> {
    let algorithm = match algorithm.map(|a| a.trim().to_ascii_lowercase()).as_deref() {
        Some("rsa") => DkimSigningAlgorithm::Rsa,
        Some("ed25519") => DkimSigningAlgorithm::Ed25519,
        Some(other) => anyhow::bail!("onbekend algoritme '{other}' (rsa of ed25519)"),
        None if text.contains("RSA PRIVATE KEY") => DkimSigningAlgorithm::Rsa,
        None => DkimSigningAlgorithm::Ed25519,
    };
    let key = match algorithm {
        DkimSigningAlgorithm::Rsa => {
            if !text.contains("BEGIN RSA PRIVATE KEY") {
                anyhow::bail!(
                    "een RSA-sleutel moet PKCS#1 zijn (BEGIN RSA PRIVATE KEY): \
                     zet hem om met `openssl pkey -in sleutel.pem -traditional`"
                );
            }
            DkimSigningKey::new(text, DkimSigningAlgorithm::Rsa)
        }
        DkimSigningAlgorithm::Ed25519 => {
            DkimSigningKey::new(&ed25519_seed(text)?, DkimSigningAlgorithm::Ed25519)
        }
    }
    .map_err(|e| anyhow::anyhow!("ongeldige sleutel: {e}"))?;
    let headers = [
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "List-Id",
        "List-Unsubscribe",
        "List-Unsubscribe-Post",
        "MIME-Version",
        // Not Content-Type: lettre writes a multipart's Content-Type with the body, after
        // signing, so it cannot be among the signed headers.
    ]
    .into_iter()
    .map(HeaderName::new_from_ascii_str)
    .collect();
    Ok(DkimConfig::new(
        selector.to_string(),
        domain.to_string(),
        key,
        headers,
        DkimCanonicalization {
            header: DkimCanonicalizationType::Relaxed,
            body: DkimCanonicalizationType::Relaxed,
        },
    ))
}

/// The base64 of an Ed25519 key's 32 bytes, from a PKCS#8 PEM file or from that base64 itself.
fn ed25519_seed(text: &str) -> anyhow::Result<String> {
    // RFC 8410: SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET
    // STRING (32 bytes) } }: always these 16 bytes, then the key.
    const PKCS8_PREFIX: [u8; 16] = [
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    if !text.contains("-----BEGIN") {
        return Ok(text.trim().to_string());
    }
    if !text.contains("BEGIN PRIVATE KEY") {
        anyhow::bail!("verwacht een PKCS#8-sleutel (BEGIN PRIVATE KEY)");
    }
    let body: String = text
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .map(str::trim)
        .collect();
    let der = BASE64
        .decode(body)
        .map_err(|e| anyhow::anyhow!("geen geldige PEM: {e}"))?;
    if der.len() != 48 || der[..16] != PKCS8_PREFIX {
        anyhow::bail!("geen Ed25519-sleutel");
    }
    Ok(BASE64.encode(&der[16..]))
}

/// The transport of one run of the job: the SMTP server's address (each slot keeps its own
/// connection, [`super::smtp`]) or the `.eml` directory.
pub enum Transport {
    Smtp(SmtpTarget),
    Files(AsyncFileTransport<Tokio1Executor>),
}

impl Transport {
    pub fn open(delivery: &Delivery) -> anyhow::Result<Transport> {
        match delivery {
            Delivery::Smtp(url) => Ok(Transport::Smtp(SmtpTarget::parse(url)?)),
            Delivery::Files(dir) => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| anyhow::anyhow!("kan map {} niet aanmaken: {e}", dir.display()))?;
                Ok(Transport::Files(AsyncFileTransport::new(dir)))
            }
        }
    }

    /// One slot's way out: its own SMTP connection, or the shared directory.
    pub fn line(&self) -> Line<'_> {
        match self {
            Transport::Smtp(target) => Line::Smtp(SmtpLine::new(target)),
            Transport::Files(files) => Line::Files(files),
        }
    }
}

/// What one slot sends its messages on ([`Transport::line`]).
pub enum Line<'a> {
    Smtp(SmtpLine<'a>),
    Files(&'a AsyncFileTransport<Tokio1Executor>),
}

impl Line<'_> {
    pub async fn send(&mut self, message: &Message) -> Result<(), SendFailure> {
        match self {
            Line::Smtp(line) => line.send(message).await,
            Line::Files(files) => files
                .send(message.clone())
                .await
                .map(|_| ())
                .map_err(|e| SendFailure::Temporary(format!("kan .eml niet schrijven: {e}"))),
        }
    }

    /// Ends the SMTP session (QUIT) when the slot stops.
    pub async fn close(self) {
        if let Line::Smtp(line) = self {
            line.close().await;
        }
    }
}

/// How many messages go out at once, and at most how many per second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    pub concurrency: usize,
    pub rate_per_second: Option<f64>,
}

impl Pace {
    /// The settings, or their defaults when unset or not a number.
    pub async fn load(db: &Db) -> Result<Pace, sqlx::Error> {
        let concurrency = steden_core::settings::get(db, CONCURRENCY_SETTING)
            .await?
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|n| *n > 0)
            .map_or(DEFAULT_CONCURRENCY, |n| n.min(MAX_CONCURRENCY));
        let rate_per_second = steden_core::settings::get(db, RATE_SETTING)
            .await?
            .and_then(|v| v.trim().replace(',', ".").parse::<f64>().ok())
            .filter(|r| r.is_finite() && *r > 0.0);
        Ok(Pace {
            concurrency,
            rate_per_second,
        })
    }
}
