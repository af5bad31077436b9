//! The `steden` binary as an operator uses it: migrate, serve (with --demo), shut down on
//! SIGTERM, an unreachable database, backup and restore. On SQLite always, and on a fresh
//! PostgreSQL database when TEST_DATABASE_URL is set.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use steden_db::testing::{postgres_admin_url, TestDb};

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
        "STEDEN_ADMIN_PASSWORD",
    ] {
        command.env_remove(var);
    }
    command.env("RUST_LOG", "warn");
    command
}

fn run(command: &mut Command) -> Output {
    command.stdin(Stdio::null()).output().expect("run steden")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `--data-dir DIR` plus `--database-url URL` when given.
fn db_args(data_dir: &Path, url: Option<&str>) -> Vec<String> {
    let mut args = vec!["--data-dir".to_string(), data_dir.display().to_string()];
    if let Some(url) = url {
        args.push("--database-url".to_string());
        args.push(url.to_string());
    }
    args
}

fn migrate_twice(data_dir: &Path, url: Option<&str>) {
    let first = run(steden().arg("migrate").args(db_args(data_dir, url)));
    let stdout = text(&first.stdout);
    assert!(first.status.success(), "{stdout}\n{}", text(&first.stderr));
    assert!(stdout.contains("Toegepast"), "{stdout}");
    assert!(stdout.contains("core 1 accounts"), "{stdout}");
    assert!(stdout.contains("core 2 audit"), "{stdout}");

    let second = run(steden().arg("migrate").args(db_args(data_dir, url)));
    let stdout = text(&second.stdout);
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert!(stdout.contains("Niets te doen"), "{stdout}");
    assert!(!stdout.contains("Toegepast"), "{stdout}");
}

#[test]
fn migrate_creates_the_database_and_a_second_run_applies_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("nieuw");
    migrate_twice(&data_dir, None);
    assert!(
        data_dir.join("steden.db").is_file(),
        "SQLite in the data dir"
    );
}

#[test]
fn an_unreachable_database_is_one_clear_line_and_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    // Port 1 on loopback: nothing listens there.
    let output = run(steden()
        .arg("serve")
        .args(db_args(
            dir.path(),
            Some("postgres://steden:geheim@127.0.0.1:1/steden"),
        ))
        .args(["--port", &free_port().to_string()]));
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "exactly one line on stderr:\n{stderr}");
    let line = lines[0];
    assert!(
        line.starts_with(
            "fout: kan de databank postgres://steden:***@127.0.0.1:1/steden niet bereiken: "
        ),
        "{line}"
    );
    assert!(!stderr.contains("geheim"), "no password: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("backtrace"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(60));
}

/// A `steden serve` process whose stdout is collected line by line; killed on drop if the test
/// fails before it is stopped.
struct Server {
    child: Option<Child>,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
    port: u16,
}

impl Server {
    fn start(args: &[String]) -> Server {
        let port = free_port();
        let mut child = steden()
            .arg("serve")
            .args(args)
            .args(["--port", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start steden serve");
        let stdout = child.stdout.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Server {
            child: Some(child),
            lines,
            seen: Vec::new(),
            port,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Waits (up to `timeout`) for a printed line that contains `needle`.
    fn wait_for_line(&mut self, needle: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(line) = self.seen.iter().find(|l| l.contains(needle)) {
                return line.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => panic!(
                    "no line with {needle:?} within {timeout:?}; printed:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Polls /healthz until it answers 200.
    async fn wait_healthy(&self, timeout: Duration) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(response) = client.get(self.url("/healthz")).send().await {
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

    /// Sends SIGTERM and returns the exit status (waiting at most 30 s).
    fn terminate(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().unwrap();
        let killed = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("steden serve did not stop within 30 s of SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The e-mail address and password of the first demo line ("e-mail X  wachtwoord: Y").
fn demo_login(line: &str) -> (String, String) {
    let words: Vec<&str> = line.split_whitespace().collect();
    let email = words
        .iter()
        .find(|w| w.contains('@'))
        .expect("an e-mail address")
        .to_string();
    let at = words
        .iter()
        .position(|w| *w == "wachtwoord:")
        .expect("wachtwoord:");
    (email, words[at + 1].to_string())
}

/// Logs in with the form, as a browser does; returns whether it worked.
async fn log_in(server: &Server, email: &str, password: &str) -> bool {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = client
        .get(server.url("/aanmelden"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"_csrf\" value=\"";
    let start = form.find(marker).expect("CSRF token in the login form") + marker.len();
    let token = &form[start..start + form[start..].find('"').unwrap()];
    let response = client
        .post(server.url("/aanmelden"))
        .form(&[("_csrf", token), ("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    response.status() == 303
}

/// `serve --demo`: migrates an empty database, loads the demo, prints the login (which works),
/// answers /healthz, and stops with exit code 0 on SIGTERM. A second start prints the same
/// login without loading the demo twice.
async fn serve_demo_and_stop(data_dir: &Path, url: Option<&str>) {
    let mut args = db_args(data_dir, url);
    args.push("--demo".to_string());
    let mut server = Server::start(&args);
    server.wait_for_line("luistert op", Duration::from_secs(60));
    let line = server.wait_for_line("wachtwoord:", Duration::from_secs(10));
    let (email, password) = demo_login(&line);
    assert_eq!(email, "beheer@demo.stedenplatform.be");
    server.wait_healthy(Duration::from_secs(30)).await;
    assert!(
        log_in(&server, &email, &password).await,
        "the printed demo login works"
    );
    assert!(!log_in(&server, &email, "verkeerd-wachtwoord").await);

    // The nieuwsbrief demo's two campaigns went out through the real send job into
    // `<data dir>/mail/` (no SMTP_URL: the platform's default).
    let newsletters = settled_newsletter_files(data_dir).await;
    assert!(
        newsletters > 200,
        "two demo campaigns' mails: {newsletters}"
    );

    // The OpenAPI document of the whole build keeps the rules that make it truthful.
    let doc: serde_json::Value = reqwest::get(server.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let broken = crate::openapi::broken_rules(&doc);
    assert!(broken.is_empty(), "the OpenAPI document: {broken:#?}");

    // An online backup while the server runs.
    let backup = data_dir.join("tijdens-draaien.backup");
    let output = run(steden()
        .arg("backup")
        .args(db_args(data_dir, url))
        .arg("--output")
        .arg(&backup));
    let pg_dump_missing =
        url.is_some() && Command::new("pg_dump").arg("--version").output().is_err();
    if pg_dump_missing {
        assert_eq!(output.status.code(), Some(1));
        assert!(text(&output.stderr).contains("pg_dump is niet gevonden"));
    } else {
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert!(std::fs::metadata(&backup).unwrap().len() > 0);
    }

    let status = server.terminate();
    assert_eq!(status.code(), Some(0), "clean exit after SIGTERM");
    if url.is_none() {
        assert!(
            !data_dir.join("steden.db.serve.pid").exists(),
            "the in-use marker is removed on shutdown"
        );
    }

    let mut again = Server::start(&args);
    let second = again.wait_for_line("wachtwoord:", Duration::from_secs(60));
    assert_eq!(
        demo_login(&second),
        (email, password),
        "the same login on every demo start"
    );
    again.wait_healthy(Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        newsletter_files(data_dir),
        newsletters,
        "a second demo start sends no newsletter again"
    );
    assert_eq!(again.terminate().code(), Some(0));
}

/// The newsletter mails (those with RFC 8058's header) written as `.eml` files into
/// `<data_dir>/mail/`.
fn newsletter_files(data_dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(data_dir.join("mail")) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .filter(|e| {
            std::fs::read_to_string(e.path())
                .is_ok_and(|raw| raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"))
        })
        .count()
}

/// [`newsletter_files`] once it has stopped growing for three seconds (the send job is done).
async fn settled_newsletter_files(data_dir: &Path) -> usize {
    let deadline = Instant::now() + Duration::from_secs(180);
    let (mut last, mut since) = (0, Instant::now());
    loop {
        let now = newsletter_files(data_dir);
        if now != last {
            (last, since) = (now, Instant::now());
        } else if now > 0 && since.elapsed() > Duration::from_secs(3) {
            return now;
        }
        assert!(
            Instant::now() < deadline,
            "the demo's newsletters were not written: {now} files"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test]
async fn serve_demo_prints_the_login_answers_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    serve_demo_and_stop(dir.path(), None).await;
}

fn create_admin(data_dir: &Path, email: &str) -> Output {
    run(steden()
        .args([
            "user",
            "create-admin",
            "--email",
            email,
            "--name",
            "Beheerder",
        ])
        .args(db_args(data_dir, None))
        .env("STEDEN_ADMIN_PASSWORD", "een-lang-wachtwoord-42"))
}

#[test]
fn backup_then_restore_on_sqlite_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let created = create_admin(&data_dir, "eerste@stad.be");
    assert!(created.status.success(), "{}", text(&created.stderr));
    assert!(
        !text(&created.stdout).contains("een-lang-wachtwoord-42"),
        "a password from the environment is not printed"
    );

    let backup = dir.path().join("back-ups/steden.backup");
    let output = run(steden()
        .arg("backup")
        .args(db_args(&data_dir, None))
        .arg("--output")
        .arg(&backup));
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("Back-up geschreven"));
    // A backup never overwrites.
    let again = run(steden()
        .arg("backup")
        .args(db_args(&data_dir, None))
        .arg("--output")
        .arg(&backup));
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("bestaat al"));

    // A change after the backup, which the restore undoes.
    assert!(create_admin(&data_dir, "tweede@stad.be").status.success());

    // Not a database: refused, the current database untouched.
    let junk = dir.path().join("geen-databank.backup");
    std::fs::write(&junk, "dit is geen databank").unwrap();
    let refused = run(steden()
        .arg("restore")
        .args(db_args(&data_dir, None))
        .arg("--input")
        .arg(&junk));
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr).contains("geen bruikbare back-up"),
        "{}",
        text(&refused.stderr)
    );
    let duplicate = create_admin(&data_dir, "tweede@stad.be");
    assert!(
        !duplicate.status.success(),
        "the second admin is still there"
    );

    // A running server on the database (a marker naming a live process: this test) blocks
    // the restore.
    let marker = data_dir.join("steden.db.serve.pid");
    std::fs::write(&marker, std::process::id().to_string()).unwrap();
    let blocked = run(steden()
        .arg("restore")
        .args(db_args(&data_dir, None))
        .arg("--input")
        .arg(&backup));
    assert_eq!(blocked.status.code(), Some(1));
    assert!(
        text(&blocked.stderr).contains("draait nog een server"),
        "{}",
        text(&blocked.stderr)
    );
    std::fs::remove_file(&marker).unwrap();

    let restored = run(steden()
        .arg("restore")
        .args(db_args(&data_dir, None))
        .arg("--input")
        .arg(&backup));
    let stdout = text(&restored.stdout);
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    assert!(stdout.contains("bewaard als"), "{stdout}");
    let kept = std::fs::read_dir(&data_dir)
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().ends_with(".bak"));
    assert!(kept, "the previous database is kept as .bak");

    // The state of the backup: the first admin exists, the second does not.
    let first = create_admin(&data_dir, "eerste@stad.be");
    assert!(
        !first.status.success(),
        "the first admin came back with the backup"
    );
    assert!(
        text(&first.stderr).contains("bestaat al"),
        "{}",
        text(&first.stderr)
    );
    let second = create_admin(&data_dir, "tweede@stad.be");
    assert!(second.status.success(), "{}", text(&second.stderr));
}

#[test]
fn user_commands_generate_a_password_once_and_refuse_unknown_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let created = run(steden()
        .args([
            "user",
            "create-admin",
            "--email",
            "An@Stad.be",
            "--name",
            "An",
        ])
        .args(db_args(dir.path(), None)));
    let stdout = text(&created.stdout);
    assert!(created.status.success(), "{}", text(&created.stderr));
    assert!(
        stdout.contains("an@stad.be"),
        "the address as stored: {stdout}"
    );
    let generated = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Wachtwoord (wordt niet opnieuw getoond): "))
        .expect("the generated password is shown once");
    assert_eq!(generated.trim().len(), 20, "{stdout}");

    // An invalid address is refused with the field's Dutch message.
    let invalid = run(steden()
        .args([
            "user",
            "create-admin",
            "--email",
            "geen-adres",
            "--name",
            "X",
        ])
        .args(db_args(dir.path(), None)));
    assert_eq!(invalid.status.code(), Some(1));
    assert!(
        text(&invalid.stderr).starts_with("fout: "),
        "{}",
        text(&invalid.stderr)
    );

    let reset = run(steden()
        .args(["user", "set-password", "--email", "an@stad.be"])
        .args(db_args(dir.path(), None))
        .env("STEDEN_ADMIN_PASSWORD", "nog-een-lang-wachtwoord"));
    assert!(reset.status.success(), "{}", text(&reset.stderr));
    assert!(!text(&reset.stdout).contains("nog-een-lang-wachtwoord"));
    let too_short = run(steden()
        .args(["user", "set-password", "--email", "an@stad.be"])
        .args(db_args(dir.path(), None))
        .env("STEDEN_ADMIN_PASSWORD", "kort"));
    assert_eq!(
        too_short.status.code(),
        Some(1),
        "a too short password is refused"
    );
    let unknown = run(steden()
        .args(["user", "set-password", "--email", "niemand@stad.be"])
        .args(db_args(dir.path(), None)));
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        text(&unknown.stderr).contains("geen gebruiker"),
        "{}",
        text(&unknown.stderr)
    );
}

#[tokio::test]
async fn on_a_fresh_postgresql_database_migrate_and_serve_demo_work() {
    let Some(admin_url) = postgres_admin_url() else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    // A database of its own, created for this test and dropped afterwards. The harness
    // creates the migrations table only (no migrations given): the binary does the rest.
    let test_db = TestDb::postgres(&admin_url, &[]).await;
    let url = test_db.url();
    let dir = tempfile::tempdir().unwrap();
    migrate_twice(dir.path(), Some(&url));
    serve_demo_and_stop(dir.path(), Some(&url)).await;

    let restore = run(steden()
        .arg("restore")
        .args(db_args(dir.path(), Some(&url)))
        .arg("--input")
        .arg(dir.path().join("tijdens-draaien.backup")));
    assert_eq!(restore.status.code(), Some(1));
    assert!(
        text(&restore.stderr).contains("pg_restore"),
        "{}",
        text(&restore.stderr)
    );
    test_db.cleanup().await;
}

/// `steden nieuwsbrief bounce < bericht.eml`: a Dutch line per report, the same message twice
/// counted once, a message that is no report refused with exit code 1.
#[test]
fn nieuwsbrief_bounce_reads_a_message_from_standard_input() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/../nieuwsbrief/tests/samples");
    let bounce = |name: &str| {
        let mut child = steden()
            .args(["nieuwsbrief", "bounce"])
            .args(db_args(dir.path(), None))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let raw = std::fs::read(format!("{samples}/{name}")).unwrap();
        child.stdin.take().unwrap().write_all(&raw).unwrap();
        child.wait_with_output().unwrap()
    };
    let first = bounce("postfix_hard.eml");
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(
        text(&first.stdout)
            .contains("Harde bounce (5.1.1) voor jan.hard@example.org: geregistreerd"),
        "{}",
        text(&first.stdout)
    );
    let again = bounce("postfix_hard.eml");
    assert!(
        text(&again.stdout).contains("al eerder ontvangen"),
        "{}",
        text(&again.stdout)
    );
    let broken = bounce("malformed.eml");
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        text(&broken.stderr).starts_with("fout: Het bouncebericht mist"),
        "{}",
        text(&broken.stderr)
    );
}

/// `steden nieuwsbrief bounces-imap`: a mailbox URL that cannot be used, or a server that does
/// not answer, is one Dutch line and exit code 1, and the password is never in it. (Reading a
/// real mailbox is tested against Dovecot in crates/nieuwsbrief/tests/mailbox.rs.)
#[test]
fn nieuwsbrief_bounces_imap_refuses_without_showing_the_password() {
    let dir = tempfile::tempdir().unwrap();
    for url in [
        "pop3://bounces:zeer-geheim@127.0.0.1".to_string(),
        format!("imap://bounces:zeer-geheim@127.0.0.1:{}/INBOX", free_port()),
    ] {
        let output = run(steden()
            .args(["nieuwsbrief", "bounces-imap"])
            .args(db_args(dir.path(), None))
            .env("NIEUWSBRIEF_BOUNCE_IMAP_URL", &url));
        assert_eq!(output.status.code(), Some(1), "{}", text(&output.stdout));
        let stderr = text(&output.stderr);
        assert!(stderr.starts_with("fout: "), "{stderr}");
        assert!(!stderr.contains("zeer-geheim"), "{stderr}");
    }
}
