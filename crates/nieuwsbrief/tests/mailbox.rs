//! Bounces and complaints from a mailbox over IMAP, against a real Dovecot (Debian's
//! dovecot-imapd) that the test starts itself in a temporary directory; the daily reset of soft
//! bounce counts and the retention of bounce records; the subscriber's bounces and the
//! campaign's counts on their pages. Both backends.
//!
//! Without /usr/sbin/dovecot the IMAP tests say so and pass, unless STEDEN_REQUIRE_IMAP=1 (set
//! by .ci/run, which installs dovecot-imapd): then they fail.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use steden_db::jobs::{Registry, WorkerOptions, WorkerPool};
use steden_db::Db;
use steden_nieuwsbrief::bounces::imap::{self, MailboxConfig, PollReport};
use steden_nieuwsbrief::bounces::{self, MAX_MESSAGE_BYTES};
use steden_nieuwsbrief::retention;
use steden_nieuwsbrief::store::bounces::{self as store, Source, KEEP_MS, SOFT_RESET_MS};
use steden_testkit::login;

use crate::common::{count, each_nb_app, each_nb_db};

const DOVECOT: &str = "/usr/sbin/dovecot";
const USER: &str = "bounces";
const PASSWORD: &str = "g3heim+w8/woord";
const CAMPAIGN: &str = "0193a1b2c3d4e5f6";
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/samples/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// A Dovecot of the test's own: IMAP without TLS on 127.0.0.1, one passwd-file user, a
/// maildir in a temporary directory. Stopped when dropped.
struct Dovecot {
    child: Child,
    dir: tempfile::TempDir,
    port: u16,
    /// The owner of the mail files (Dovecot gives no mail access as root: `nobody` then).
    owner: Option<(u32, u32)>,
    delivered: u32,
}

impl Dovecot {
    /// The server, or `None` (with a line saying why) when Dovecot is not installed and
    /// STEDEN_REQUIRE_IMAP is not 1.
    fn start() -> Option<Dovecot> {
        if !Path::new(DOVECOT).exists() {
            assert!(
                std::env::var("STEDEN_REQUIRE_IMAP").as_deref() != Ok("1"),
                "STEDEN_REQUIRE_IMAP=1 but {DOVECOT} is missing (apt-get install dovecot-imapd)"
            );
            eprintln!("SKIPPED: {DOVECOT} is missing (apt-get install dovecot-imapd)");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for sub in ["run", "state", "mail"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        let me = std::fs::metadata(root).unwrap();
        let (owner, login_user, uid, gid) = if me.uid() == 0 {
            // Traversable by the unprivileged user that reads the mail.
            std::fs::set_permissions(root, std::os::unix::fs::PermissionsExt::from_mode(0o755))
                .unwrap();
            (Some((65534, 65534)), "nobody".to_string(), 65534, 65534)
        } else {
            let name = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout)
                .unwrap()
                .trim()
                .to_string();
            (None, name, me.uid(), me.gid())
        };
        std::fs::write(root.join("passwd"), format!("{USER}:{{PLAIN}}{PASSWORD}\n")).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let r = root.display();
        let config = format!(
            "base_dir = {r}/run
state_dir = {r}/state
log_path = {r}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {login_user}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {r}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={r}/mail/%u
}}
mail_location = maildir:{r}/mail/%u/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"
        );
        std::fs::write(root.join("dovecot.conf"), config).unwrap();
        let child = Command::new(DOVECOT)
            .arg("-F")
            .arg("-c")
            .arg(root.join("dovecot.conf"))
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        let mut dovecot = Dovecot {
            child,
            dir,
            port,
            owner,
            delivered: 0,
        };
        for folder in ["tmp", "new", "cur"] {
            std::fs::create_dir_all(dovecot.maildir().join(folder)).unwrap();
        }
        dovecot.chown_mail();
        dovecot.wait_ready();
        Some(dovecot)
    }

    fn maildir(&self) -> PathBuf {
        self.dir.path().join("mail").join(USER).join("Maildir")
    }

    fn chown_mail(&self) {
        fn walk(path: &Path, uid: u32, gid: u32) {
            std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
            if path.is_dir() {
                for entry in std::fs::read_dir(path).unwrap() {
                    walk(&entry.unwrap().path(), uid, gid);
                }
            }
        }
        if let Some((uid, gid)) = self.owner {
            walk(&self.dir.path().join("mail"), uid, gid);
        }
    }

    /// Until the server greets (it starts in well under a second).
    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(stream) = TcpStream::connect(("127.0.0.1", self.port)) {
                stream
                    .set_read_timeout(Some(Duration::from_secs(5)))
                    .unwrap();
                let mut line = String::new();
                if BufReader::new(stream).read_line(&mut line).is_ok() && line.starts_with("* OK") {
                    return;
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("dovecot stopped ({status}): {}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "dovecot not ready: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }

    /// Delivers a message as an MTA does: written in tmp/, renamed into new/.
    fn deliver(&mut self, raw: &[u8]) {
        self.delivered += 1;
        let name = format!("1765100000.M{}P1.steden-test", self.delivered);
        let tmp = self.maildir().join("tmp").join(&name);
        std::fs::write(&tmp, raw).unwrap();
        std::fs::rename(&tmp, self.maildir().join("new").join(&name)).unwrap();
        self.chown_mail();
    }

    /// The messages Dovecot holds as seen (`:2,…S` in cur/).
    fn seen(&self) -> usize {
        std::fs::read_dir(self.maildir().join("cur"))
            .unwrap()
            .filter(|e| {
                let name = e
                    .as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .into_owned();
                name.rsplit_once(":2,")
                    .is_some_and(|(_, flags)| flags.contains('S'))
            })
            .count()
    }

    fn config(&self) -> MailboxConfig {
        MailboxConfig::parse(&format!(
            "imap://{USER}:{}@127.0.0.1:{}/INBOX",
            PASSWORD.replace('+', "%2B").replace('/', "%2F"),
            self.port
        ))
        .unwrap()
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn subscriber(db: &Db, email: &str) -> String {
    let id = steden_db::new_id();
    sqlx::query(
        "INSERT INTO nb_subscribers (id, email, status, created_at, updated_at)
         VALUES ($1, $2, 'bevestigd', 1, 1)",
    )
    .bind(&id)
    .bind(email)
    .execute(db.pool())
    .await
    .unwrap();
    id
}

async fn status_of(db: &Db, id: &str) -> (String, i64) {
    sqlx::query_as("SELECT status, soft_bounces FROM nb_subscribers WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// A message over the bound: a DSN-looking header and a body of `MAX_MESSAGE_BYTES` and more.
fn oversize() -> Vec<u8> {
    let mut raw = b"From: MAILER-DAEMON@mx.example\r\nTo: bounces@steden.test\r\nSubject: groot\r\nMessage-ID: <groot@mx.example>\r\n\r\n".to_vec();
    let line = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\r\n";
    while raw.len() <= MAX_MESSAGE_BYTES + 1000 {
        raw.extend_from_slice(line);
    }
    raw
}

#[test]
fn the_mailbox_url_is_read_and_its_password_never_shown() {
    let config =
        MailboxConfig::parse("imaps://bounce%40kc.be:p%40ss%3Aw0rd@imap.kc.be/Bounces%20KC")
            .unwrap();
    assert_eq!(
        (
            config.host.as_str(),
            config.port,
            config.tls,
            config.user.as_str(),
            config.password.as_str(),
            config.mailbox.as_str()
        ),
        (
            "imap.kc.be",
            993,
            true,
            "bounce@kc.be",
            "p@ss:w0rd",
            "Bounces KC"
        )
    );
    assert!(!format!("{config:?}").contains("p@ss"));
    let plain = MailboxConfig::parse("imap://u:p@127.0.0.1").unwrap();
    assert_eq!(
        (plain.port, plain.tls, plain.mailbox.as_str()),
        (143, false, "INBOX")
    );
    for bad in [
        "pop3://u:p@host",
        "imaps://host",
        "imaps://u@host",
        "geen url",
    ] {
        let err = MailboxConfig::parse(bad).unwrap_err();
        assert!(err.contains("NIEUWSBRIEF_BOUNCE_IMAP_URL"), "{err}");
    }
    let err = MailboxConfig::parse("smtp://u:zeergeheim@host").unwrap_err();
    assert!(!err.contains("zeergeheim"), "{err}");
}

#[tokio::test]
async fn reports_are_read_from_the_mailbox_once_and_oversize_messages_skipped() {
    each_nb_db(|db| async move {
        let Some(mut dovecot) = Dovecot::start() else {
            return;
        };
        let hard = subscriber(&db, "jan.hard@example.org").await;
        let klager = subscriber(&db, "klager@example.net").await;
        let soft = subscriber(&db, "soft@example.org").await;
        for name in [
            "postfix_hard.eml",
            "yahoo_complaint.eml",
            "delayed_soft.eml",
            "malformed.eml",
        ] {
            dovecot.deliver(&sample(name));
        }
        dovecot.deliver(&oversize());

        let report = imap::poll(&db, &dovecot.config()).await.unwrap();
        assert_eq!(
            report,
            PollReport {
                messages: 5,
                new_reports: 3,
                known_reports: 0,
                unreadable: 1,
                too_large: 1
            },
            "{}",
            dovecot.log()
        );
        assert_eq!(status_of(&db, &hard).await.0, "gebounced");
        assert_eq!(status_of(&db, &klager).await.0, "geblokkeerd");
        assert_eq!(status_of(&db, &soft).await, ("bevestigd".into(), 1));
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM nb_bounces WHERE source = 'imap'").await,
            3
        );
        // Every message is flagged seen, the oversize one too: the next poll finds nothing.
        assert_eq!(dovecot.seen(), 5);
        assert_eq!(
            imap::poll(&db, &dovecot.config()).await.unwrap(),
            PollReport::default()
        );

        // A crash after the commit and before the flag: the same reports come again and count
        // once (the soft bounce stays at 1).
        dovecot.deliver(&sample("delayed_soft.eml"));
        dovecot.deliver(&sample("postfix_hard.eml"));
        let again = imap::poll(&db, &dovecot.config()).await.unwrap();
        assert_eq!((again.new_reports, again.known_reports), (0, 2));
        assert_eq!(status_of(&db, &soft).await, ("bevestigd".into(), 1));
        assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_bounces").await, 3);

        // Through the job queue, as the server's ticker queues it.
        dovecot.deliver(&sample("exchange_hard.eml"));
        let config = dovecot.config();
        let mut registry = Registry::new();
        imap::register_job_with(&mut registry, Arc::new(move || Ok(Some(config.clone()))));
        assert!(imap::enqueue_due(&db, steden_db::now_ms()).await.unwrap());
        assert!(!imap::enqueue_due(&db, steden_db::now_ms()).await.unwrap());
        let pool = WorkerPool::start_with(
            db.clone(),
            Arc::new(registry),
            WorkerOptions {
                workers: 1,
                name: "nbimap".into(),
                poll_interval: Duration::from_millis(20),
                ..WorkerOptions::default()
            },
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        let message: String = loop {
            let done: Option<String> = sqlx::query_scalar(
                "SELECT progress_message FROM jobs WHERE kind = $1 AND status = 'done'",
            )
            .bind(imap::IMAP_JOB)
            .fetch_optional(db.pool())
            .await
            .unwrap()
            .flatten();
            if let Some(message) = done {
                break message;
            }
            assert!(Instant::now() < deadline, "the IMAP job did not finish");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        pool.shutdown().await;
        assert!(
            message.starts_with("1 ongelezen bericht(en) verwerkt: 1 nieuw rapport(en)"),
            "{message}"
        );
        assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_bounces").await, 4);

        // A wrong password: an error that names the user, never the password.
        let mut wrong = dovecot.config();
        wrong.password = "verkeerd-wachtwoord".into();
        let err = format!("{:#}", imap::poll(&db, &wrong).await.unwrap_err());
        assert!(
            err.contains("aanmelden") && !err.contains("verkeerd-wachtwoord"),
            "{err}"
        );
    })
    .await;
}

/// The delayed sample as another report (another report Message-ID) about the same address.
fn soft_report(n: u32) -> bounces::Report {
    let raw = String::from_utf8(sample("delayed_soft.eml"))
        .unwrap()
        .replace(
            "<20261210081203.7C8D9E0F1A@",
            &format!("<2026121008120{n}.7C8D9E0F1A@"),
        );
    bounces::parse(raw.as_bytes()).unwrap().remove(0)
}

async fn soft_bounce_at(db: &Db, n: u32, at: i64) {
    let mut tx = db.begin().await.unwrap();
    store::apply(&mut tx, &soft_report(n), Source::Cli, 3, at)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn delivered_at(db: &Db, campaign: &str, subscriber: &str, at: i64) {
    sqlx::query(
        "INSERT INTO nb_campaigns (id, subject, status, created_at, updated_at)
         VALUES ($1, 'Nieuwsbrief', 'verzonden', 1, 1) ON CONFLICT (id) DO NOTHING",
    )
    .bind(campaign)
    .execute(db.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO nb_deliveries (campaign_id, subscriber_id, status, attempts, sent_at)
         VALUES ($1, $2, 'verzonden', 1, $3)",
    )
    .bind(campaign)
    .bind(subscriber)
    .bind(at)
    .execute(db.pool())
    .await
    .unwrap();
}

#[tokio::test]
async fn a_delivery_a_month_after_the_last_soft_bounce_resets_the_count_and_old_records_go() {
    each_nb_db(|db| async move {
        let now = steden_db::now_ms();
        let soft = subscriber(&db, "soft@example.org").await;
        let t0 = now - 100 * DAY_MS;
        soft_bounce_at(&db, 1, t0).await;
        soft_bounce_at(&db, 2, t0 + DAY_MS).await;
        assert_eq!(status_of(&db, &soft).await, ("bevestigd".into(), 2));

        // A delivery 29 days after the last soft bounce: not yet.
        delivered_at(&db, "c1", &soft, t0 + DAY_MS + SOFT_RESET_MS - DAY_MS).await;
        let run = retention::run_daily(&db, now).await.unwrap();
        assert_eq!(run.soft_resets, 0);
        assert_eq!(status_of(&db, &soft).await.1, 2);
        // One more than 30 days after it: the count starts again.
        delivered_at(&db, "c2", &soft, t0 + DAY_MS + SOFT_RESET_MS + 60_000).await;
        let run = retention::run_daily(&db, now).await.unwrap();
        assert_eq!(run.soft_resets, 1);
        assert_eq!(status_of(&db, &soft).await, ("bevestigd".into(), 0));
        // So the limit (3) is reached only by three new soft bounces.
        soft_bounce_at(&db, 3, now - 2 * DAY_MS).await;
        soft_bounce_at(&db, 4, now - DAY_MS).await;
        assert_eq!(status_of(&db, &soft).await, ("bevestigd".into(), 2));
        assert_eq!(retention::run_daily(&db, now).await.unwrap().soft_resets, 0);
        soft_bounce_at(&db, 5, now).await;
        assert_eq!(status_of(&db, &soft).await, ("gebounced".into(), 3));

        // Retention: a record older than 24 months goes, a younger one stays, audited.
        for (id, age) in [("oud", KEEP_MS + DAY_MS), ("jong", KEEP_MS - DAY_MS)] {
            sqlx::query(
                "INSERT INTO nb_bounces (id, email, kind, source, dedup_key, received_at)
                 VALUES ($1, 'x@example.org', 'hard', 'cli', $1, $2)",
            )
            .bind(id)
            .bind(now - age)
            .execute(db.pool())
            .await
            .unwrap();
        }
        let run = retention::run_daily(&db, now).await.unwrap();
        assert_eq!(run.bounces, 1);
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM nb_bounces WHERE id IN ('oud', 'jong')").await,
            1
        );
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM nb_bounces WHERE id = 'jong'").await,
            1
        );
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'nb_bounce' AND action = 'retention'"
            )
            .await,
            1
        );
    })
    .await;
}

#[tokio::test]
async fn the_subscriber_page_lists_bounces_and_the_sending_page_counts_them() {
    each_nb_app(|app| async move {
        let db = &app.db;
        let staff = crate::admin::staff(db).await;
        let hard = subscriber(db, "jan.hard@example.org").await;
        let soft = subscriber(db, "soft@example.org").await;
        subscriber(db, "klager@example.net").await;
        sqlx::query(
            "INSERT INTO nb_campaigns (id, subject, status, created_at, updated_at)
             VALUES ($1, 'Nieuwsbrief november', 'verzonden', 1, 1)",
        )
        .bind(CAMPAIGN)
        .execute(db.pool())
        .await
        .unwrap();
        for name in [
            "postfix_hard.eml",
            "yahoo_complaint.eml",
            "delayed_soft.eml",
            "exchange_hard.eml",
        ] {
            bounces::receive(db, &sample(name), Source::Webhook)
                .await
                .unwrap()
                .unwrap();
        }
        login(&app, &staff.editor).await;

        let page = app
            .page(&format!("/nieuwsbrief/beheer/abonnees/{hard}"))
            .await;
        assert!(page.contains("Bounces en klachten"), "{page}");
        assert!(page.contains("<td>Harde bounce</td><td>5.1.1</td>"), "{page}");
        assert!(page.contains(&format!(
            "<a href=\"/nieuwsbrief/beheer/campagnes/{CAMPAIGN}/verzending\">Nieuwsbrief november</a>"
        )));
        let page = app
            .page(&format!("/nieuwsbrief/beheer/abonnees/{soft}"))
            .await;
        assert!(page.contains("<td>Zachte bounce</td><td>4.4.7</td>"), "{page}");
        let none = subscriber(db, "niets@example.org").await;
        let page = app
            .page(&format!("/nieuwsbrief/beheer/abonnees/{none}"))
            .await;
        assert!(page.contains("Geen bounces of klachten"), "{page}");

        // The campaign: the two hard bounces (one of a non-subscriber), one soft, one complaint.
        let page = app
            .page(&format!("/nieuwsbrief/beheer/campagnes/{CAMPAIGN}/verzending"))
            .await;
        for (label, n) in [("Harde bounces", 2), ("Zachte bounces", 1), ("Klachten", 1)] {
            assert!(
                page.contains(&format!("<dt>{label}</dt><dd>{n}</dd>")),
                "{label}: {page}"
            );
        }
    })
    .await;
}
