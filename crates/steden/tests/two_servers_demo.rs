//! Two `steden serve --demo` processes started at the same moment on one empty database both
//! come up, and the demo content exists once. On a fresh PostgreSQL database when
//! TEST_DATABASE_URL is set (the case of a deployment with two instances), and on one
//! migrated SQLite file.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use steden_db::testing::{postgres_admin_url, TestDb};
use steden_db::{Db, PoolSettings, Row};

/// The binary, with none of the operator's settings leaking in from the environment.
fn steden() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_steden"));
    for var in [
        "DATABASE_URL",
        "SMTP_URL",
        "STEDEN_PORT",
        "STEDEN_BIND",
        "STEDEN_DATA_DIR",
        "STEDEN_BASE_URL",
        "STEDEN_MAIL_FROM",
        "STEDEN_WORKERS",
        "STEDEN_LOG_FORMAT",
        "STEDEN_DEMO",
    ] {
        command.env_remove(var);
    }
    command.env("RUST_LOG", "warn");
    command
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server process, killed on drop.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(data_dir: &Path, url: &str) -> Server {
        let port = free_port();
        let child = steden()
            .arg("serve")
            .args(["--data-dir", &data_dir.display().to_string()])
            .args(["--database-url", url, "--demo"])
            .args(["--port", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start steden serve");
        Server { child, port }
    }

    /// Polls /healthz until it answers 200; fails with the process's stderr if it exited.
    async fn wait_healthy(&mut self, timeout: Duration) {
        let client = reqwest::Client::new();
        let url = format!("http://127.0.0.1:{}/healthz", self.port);
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut stderr = String::new();
                let _ = self
                    .child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut stderr);
                panic!("steden serve --demo exited ({status}):\n{stderr}");
            }
            if let Ok(response) = client.get(&url).send().await {
                if response.status() == 200 {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "/healthz did not answer within {timeout:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .get::<i64, _>(0)
}

/// What the demo seeds, counted: the demo accounts and their memberships, and a table of
/// each module's demo content. Compared between one server alone and two at once.
const SEEDED: [(&str, &str); 6] = [
    (
        "demo accounts",
        "SELECT COUNT(*) FROM users WHERE email LIKE '%@demo.stedenplatform.be'",
    ),
    (
        "their memberships",
        "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE u.email LIKE '%@demo.stedenplatform.be'",
    ),
    ("organisations", "SELECT COUNT(*) FROM organisations"),
    (
        "Stad in cijfers indicators",
        "SELECT COUNT(*) FROM cijfers_indicators",
    ),
    ("newsletter campaigns", "SELECT COUNT(*) FROM nb_campaigns"),
    ("working groups", "SELECT COUNT(*) FROM wg_groups"),
];

async fn seeded_counts(url: &str) -> Vec<i64> {
    let db = Db::connect(url, &PoolSettings::default()).await.unwrap();
    let mut counts = Vec::new();
    for (_, sql) in SEEDED {
        counts.push(count(&db, sql).await);
    }
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM settings WHERE key = 'demo_seeded_at'"
        )
        .await,
        1
    );
    db.close().await;
    counts
}

/// One server alone on `url` (the reference), then two servers at once on `shared_url`, each
/// with a data directory of its own (as two instances of a deployment have: the Kennisbank's
/// search index is per process). Both come up, and the demo content exists once: as much of
/// it as one server alone seeds.
async fn two_at_once(dir: &Path, url: &str, shared_url: &str) {
    let mut alone = Server::start(&dir.join("alleen"), url);
    alone.wait_healthy(Duration::from_secs(120)).await;
    drop(alone);
    let reference = seeded_counts(url).await;
    assert!(reference[0] > 0, "the demo made no accounts");

    let mut first = Server::start(&dir.join("eerste"), shared_url);
    let mut second = Server::start(&dir.join("tweede"), shared_url);
    first.wait_healthy(Duration::from_secs(120)).await;
    second.wait_healthy(Duration::from_secs(120)).await;
    let shared = seeded_counts(shared_url).await;
    for (((what, _), one), two) in SEEDED.iter().zip(&reference).zip(&shared) {
        assert_eq!(
            two, one,
            "{what}: two servers at once seeded {two}, one alone {one}"
        );
    }
    drop(first);
    drop(second);
}

#[tokio::test]
async fn two_demo_servers_on_a_fresh_postgresql_database_both_come_up() {
    let Some(admin_url) = postgres_admin_url() else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    // Databases of their own with only the migrations table: the binaries do the rest.
    let alone = TestDb::postgres(&admin_url, &[]).await;
    let shared = TestDb::postgres(&admin_url, &[]).await;
    let dir = tempfile::tempdir().unwrap();
    two_at_once(dir.path(), &alone.url(), &shared.url()).await;
    alone.cleanup().await;
    shared.cleanup().await;
}

/// SQLite: migrated first (two processes migrating one new SQLite file at once is a separate
/// matter: the migrations' lock is PostgreSQL's), then two demo servers at once.
#[tokio::test]
async fn two_demo_servers_on_one_migrated_sqlite_file_both_come_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut urls = Vec::new();
    for name in ["alleen", "gedeeld"] {
        let db_dir = dir.path().join(format!("db-{name}"));
        std::fs::create_dir_all(&db_dir).unwrap();
        let url = Db::sqlite_url_in(&db_dir).unwrap();
        let migrated = steden()
            .arg("migrate")
            .args(["--database-url", &url])
            .args(["--data-dir", &db_dir.display().to_string()])
            .output()
            .unwrap();
        assert!(migrated.status.success(), "{migrated:?}");
        urls.push(url);
    }
    two_at_once(dir.path(), &urls[0], &urls[1]).await;
}
