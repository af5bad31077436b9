//! The crash guarantee of sending a newsletter (issue 14 point 3, design §4 point 3): the
//! `steden` binary sends a campaign to 2,000 subscribers with concurrency 8 through an SMTP
//! server over TCP that this test runs and that records every message; the test kills the
//! process with SIGKILL after a random number of received messages and starts it again, five
//! times, and then lets it finish. Every subscriber received the newsletter at least once,
//! no more than 8 × 5 messages arrived twice, each copy carries the Message-ID of the first,
//! and every delivery is recorded as sent. On SQLite, and on PostgreSQL when
//! TEST_DATABASE_URL is set.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rand::Rng;
use steden_db::testing::{postgres_admin_url, TestDb};
use steden_db::{new_id, now_ms, Db};
use steden_nieuwsbrief::frozen::{PREFERENCES_URL, UNSUBSCRIBE_URL};
use steden_nieuwsbrief::model::{CampaignStatus, Language};
use steden_nieuwsbrief::store::campaigns::{self, FrozenContent, NewCampaign};
use steden_testkit::smtp::{header, parse_message, Mode, SmtpServer};

const RECIPIENTS: usize = 2_000;
const KILLS: usize = 5;
const CONCURRENCY: usize = 8;

/// `steden <subcommand>` on the test's database, none of the operator's settings leaking in.
fn steden(subcommand: &str, data_dir: &Path, url: &str) -> Command {
    let mut command = Command::new(crate::STEDEN);
    for var in [
        "DATABASE_URL",
        "SMTP_URL",
        "STEDEN_PORT",
        "STEDEN_DATA_DIR",
        "STEDEN_BASE_URL",
        "STEDEN_MAIL_FROM",
        "STEDEN_WORKERS",
        "STEDEN_DEMO",
    ] {
        command.env_remove(var);
    }
    command
        .env("RUST_LOG", "error")
        .arg(subcommand)
        .args(["--data-dir", &data_dir.display().to_string()])
        .args(["--database-url", url]);
    command
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serve(data_dir: &Path, url: &str, smtp: &SmtpServer) -> Child {
    let mut command = steden("serve", data_dir, url);
    command
        .args(["--port", &free_port().to_string()])
        .args(["--smtp-url", &smtp.url()])
        .args(["--mail-from", "Kenniscentrum <nieuwsbrief@steden.test>"])
        // One worker, and a short lease: the killed process's job runs again within a second.
        .env("STEDEN_WORKERS", "1")
        .env("STEDEN_JOB_LEASE_SECS", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command.spawn().expect("start steden serve")
}

/// 2,000 confirmed subscribers of the list `algemeen`, and a campaign to it, frozen and
/// queued to send now; the campaign's id.
async fn campaign_to_2000(db: &Db) -> String {
    let mut tx = db.begin().await.unwrap();
    for chunk in (0..RECIPIENTS).collect::<Vec<_>>().chunks(250) {
        let mut subscribers = Vec::new();
        let mut subscriptions = Vec::new();
        for i in chunk {
            let id = new_id();
            subscribers.push(format!(
                "('{id}', 'lezer{i:04}@example.org', 'Lezer {i}', 'nl', 'bevestigd', 0, 0)"
            ));
            subscriptions.push(format!("('{id}', 'nb-algemeen', 'actief', 0, 0)"));
        }
        sqlx::query(&format!(
            "INSERT INTO nb_subscribers (id, email, name, language, status, created_at, updated_at)
             VALUES {}",
            subscribers.join(", ")
        ))
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query(&format!(
            "INSERT INTO nb_subscriptions (subscriber_id, list_id, status, created_at, updated_at)
             VALUES {}",
            subscriptions.join(", ")
        ))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    let id = campaigns::create(
        &mut tx,
        &NewCampaign {
            subject: "Nieuwsbrief december".into(),
            preheader: String::new(),
            template_id: None,
            language: Language::Nl,
            lists: vec!["algemeen".into()],
            created_by: None,
        },
    )
    .await
    .unwrap();
    let content = FrozenContent {
        html: format!(
            "<p>Nieuws</p><a href=\"{PREFERENCES_URL}\">v</a> <a href=\"{UNSUBSCRIBE_URL}\">a</a>"
        ),
        text: format!("Nieuws\n{PREFERENCES_URL}\n{UNSUBSCRIBE_URL}\n"),
        links: Vec::new(),
    };
    let now = now_ms();
    campaigns::freeze(&mut tx, &id, &content, CampaignStatus::Gepland, Some(now))
        .await
        .unwrap();
    steden_nieuwsbrief::send::queue(&mut tx, &id, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn wait_until<F: FnMut() -> bool>(what: &str, timeout: Duration, mut done: F) {
    let deadline = Instant::now() + timeout;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn kill_and_count(test_db: &TestDb) {
    let url = test_db.url();
    let dir = tempfile::tempdir().unwrap();
    let migrated = steden("migrate", dir.path(), &url).output().unwrap();
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    let db = &test_db.db;
    let campaign = campaign_to_2000(db).await;
    let smtp = SmtpServer::start(Mode::Accept).await;
    // A little slow, so that a kill finds messages in flight.
    smtp.set_delay(Duration::from_millis(2));

    let mut rng = rand::thread_rng();
    for kill in 0..KILLS {
        let mut child = serve(dir.path(), &url, &smtp);
        let target = smtp.received().len() + rng.gen_range(20..=250);
        wait_until(
            &format!("{target} messages before kill {}", kill + 1),
            Duration::from_secs(120),
            || smtp.received().len() >= target,
        )
        .await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
    let mut child = serve(dir.path(), &url, &smtp);
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let status = campaigns::get(db.pool(), &campaign).await.unwrap().status;
        if status == CampaignStatus::Verzonden {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not sent within 5 minutes: {status:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let mut by_recipient: HashMap<String, Vec<String>> = HashMap::new();
    for message in smtp.received() {
        let (headers, _) = parse_message(&message.data);
        by_recipient
            .entry(message.recipients[0].clone())
            .or_default()
            .push(header(&headers, "message-id").to_string());
    }
    assert_eq!(
        by_recipient.len(),
        RECIPIENTS,
        "every subscriber received it"
    );
    let duplicates: usize = by_recipient.values().map(|ids| ids.len() - 1).sum();
    assert!(
        duplicates <= CONCURRENCY * KILLS,
        "{duplicates} duplicates after {KILLS} kills"
    );
    for ids in by_recipient.values() {
        assert!(ids.iter().all(|id| id == &ids[0]), "{ids:?}");
    }
    let sent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM nb_deliveries WHERE campaign_id = $1 AND status = 'verzonden'",
    )
    .bind(&campaign)
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(sent, RECIPIENTS as i64);
    let c = campaigns::get(db.pool(), &campaign).await.unwrap();
    assert_eq!((c.recipients, c.sent, c.failed), (2000, 2000, 0));
    eprintln!(
        "{}: {} berichten ontvangen, {duplicates} dubbel na {KILLS} keer kill -9",
        if url.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        smtp.received().len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_five_times_loses_no_recipient_and_duplicates_only_the_messages_in_flight() {
    let sqlite = TestDb::sqlite(&[]).await;
    kill_and_count(&sqlite).await;
    sqlite.cleanup().await;
    if let Some(admin_url) = postgres_admin_url() {
        let postgres = TestDb::postgres(&admin_url, &[]).await;
        kill_and_count(&postgres).await;
        postgres.cleanup().await;
    }
}
