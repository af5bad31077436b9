//! The outbox end to end, on both backends: mail enqueued in a transaction, sent by the
//! "mail.send" job through the worker pool to a real SMTP server over TCP (a minimal one, run
//! by the test) or into `.eml` files.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use steden_core::mail::{self, Mailer, OutboxStatus, OutgoingMail};
use steden_db::jobs::{self, JobStatus, NewJob, Registry, WorkerOptions, WorkerPool};
use steden_db::testing::each_backend;
use steden_db::{Db, Migration, Row};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const FROM: &str = "Stedenplatform <noreply@steden.test>";

/// The job queue and the outbox only, so that these tests do not depend on other tables.
fn migrations() -> Vec<Migration> {
    let mut all = jobs::migrations();
    all.extend(
        steden_core::migrations()
            .into_iter()
            .filter(|m| m.name == "mail"),
    );
    all
}

fn invitation() -> OutgoingMail {
    OutgoingMail {
        to: "an.peeters@gent.be".into(),
        subject: "Uitnodiging voor Stedenplatform".into(),
        text: "Welkom bij Stedenplatform.\nKies uw wachtwoord via de link.".into(),
        html: Some("<p>Welkom bij Stedenplatform.</p>".into()),
    }
}

fn start_workers(db: &Db, mailer: Mailer) -> WorkerPool {
    let mut registry = Registry::new();
    mail::register(&mut registry, Arc::new(mailer));
    let options = WorkerOptions {
        workers: 2,
        name: "mailtest".into(),
        poll_interval: Duration::from_millis(20),
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        ..WorkerOptions::default()
    };
    WorkerPool::start_with(db.clone(), Arc::new(registry), options)
}

async fn enqueue_committed(db: &Db, mail: &OutgoingMail) -> String {
    let mut tx = db.begin().await.unwrap();
    let id = mail::enqueue(&mut tx, mail).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// Polls the job of an outbox row until it is finished (the deadline only guards a hang).
async fn wait_for_job(db: &Db, job_id: &str) -> jobs::Job {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let job = jobs::get(db, job_id).await.unwrap().unwrap();
        if job.status.is_finished() {
            return job;
        }
        assert!(std::time::Instant::now() < deadline, "job hangs: {job:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn outbox(db: &Db, id: &str) -> mail::OutboxEntry {
    mail::get(db, id).await.unwrap().expect("outbox row")
}

// ---------------------------------------------------------------------------------------------
// A minimal SMTP server: enough of RFC 5321 for lettre, recording what it receives.

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Accept,
    /// Answers every MAIL FROM with a temporary refusal (451).
    Refuse,
}

#[derive(Debug, Clone)]
struct Received {
    recipients: Vec<String>,
    data: String,
}

struct SmtpServer {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    mail_commands: Arc<Mutex<usize>>,
}

impl SmtpServer {
    async fn start(mode: Mode) -> SmtpServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let mail_commands = Arc::new(Mutex::new(0));
        let (r, m) = (received.clone(), mail_commands.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, mode, r.clone(), m.clone()));
            }
        });
        SmtpServer {
            port,
            received,
            mail_commands,
        }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    fn mail_commands(&self) -> usize {
        *self.mail_commands.lock().unwrap()
    }
}

async fn session(
    stream: tokio::net::TcpStream,
    mode: Mode,
    received: Arc<Mutex<Vec<Received>>>,
    mail_commands: Arc<Mutex<usize>>,
) {
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    let mut recipients = Vec::new();
    if writer.write_all(b"220 test ESMTP\r\n").await.is_err() {
        return;
    }
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
            b"250 test\r\n"
        } else if command.starts_with("MAIL FROM") {
            *mail_commands.lock().unwrap() += 1;
            recipients.clear();
            match mode {
                Mode::Accept => b"250 OK\r\n",
                Mode::Refuse => b"451 4.3.0 Tijdelijk niet beschikbaar\r\n",
            }
        } else if command.starts_with("RCPT TO:") {
            let address = line.trim_end()[8..]
                .trim()
                .trim_matches(['<', '>'])
                .to_string();
            recipients.push(address);
            b"250 OK\r\n"
        } else if command == "DATA" {
            writer.write_all(b"354 Go ahead\r\n").await.unwrap();
            let mut data = String::new();
            loop {
                let mut data_line = String::new();
                if reader.read_line(&mut data_line).await.unwrap_or(0) == 0 {
                    return;
                }
                if data_line == ".\r\n" {
                    break;
                }
                data.push_str(&data_line);
            }
            received.lock().unwrap().push(Received {
                recipients: std::mem::take(&mut recipients),
                data,
            });
            b"250 OK queued\r\n"
        } else if command == "QUIT" {
            let _ = writer.write_all(b"221 Bye\r\n").await;
            return;
        } else if command == "RSET" || command == "NOOP" {
            b"250 OK\r\n"
        } else {
            b"502 Command not implemented\r\n"
        };
        if writer.write_all(reply).await.is_err() {
            return;
        }
    }
}

/// Headers of a message (continuation lines unfolded) and its body.
fn parse_message(raw: &str) -> (Vec<(String, String)>, String) {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").expect("headers and body");
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().expect("continuation after a header");
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else {
            let (name, value) = line.split_once(':').expect("header line");
            headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    (headers, body.to_string())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("header {name} missing in {headers:?}"))
}

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn mail_is_sent_over_smtp_by_the_job_and_only_once() {
    let server = SmtpServer::start(Mode::Accept).await;
    let server = &server;
    each_backend(&migrations(), |db| async move {
        let before = server.received().len();
        let pool = start_workers(&db, Mailer::smtp(&server.url(), FROM).unwrap());
        let id = enqueue_committed(&db, &invitation()).await;
        let entry = outbox(&db, &id).await;
        let job_id = entry.job_id.clone().expect("outbox row names its job");
        let job = wait_for_job(&db, &job_id).await;
        assert_eq!(job.status, JobStatus::Done, "{job:?}");

        let sent = outbox(&db, &id).await;
        assert_eq!(sent.status, OutboxStatus::Sent);
        assert!(sent.sent_at.is_some());
        assert_eq!(sent.last_error, None);

        let received = server.received();
        assert_eq!(received.len(), before + 1);
        let message = &received[before];
        assert_eq!(message.recipients, vec!["an.peeters@gent.be"]);
        let (headers, body) = parse_message(&message.data);
        assert_eq!(header(&headers, "to"), "an.peeters@gent.be");
        assert_eq!(
            header(&headers, "subject"),
            "Uitnodiging voor Stedenplatform"
        );
        assert_eq!(
            header(&headers, "message-id"),
            format!("<{id}@steden.test>")
        );
        assert!(header(&headers, "content-type").starts_with("multipart/alternative"));
        assert!(body.contains("Kies uw wachtwoord via de link."), "{body}");
        assert!(body.contains("<p>Welkom bij Stedenplatform.</p>"), "{body}");

        // A retry of an already sent row (a crash after marking, before the job was done)
        // does not send again.
        let again = jobs::enqueue(
            &db,
            NewJob::new(mail::SEND_JOB, serde_json::json!({ "outbox_id": id })),
        )
        .await
        .unwrap();
        assert_eq!(wait_for_job(&db, &again).await.status, JobStatus::Done);
        pool.shutdown().await;
        assert_eq!(server.received().len(), before + 1, "sent twice");
    })
    .await;
}

#[tokio::test]
async fn a_refusing_server_makes_the_job_retry_and_the_outbox_show_the_error() {
    let server = SmtpServer::start(Mode::Refuse).await;
    let server = &server;
    each_backend(&migrations(), |db| async move {
        let before = server.mail_commands();
        let pool = start_workers(&db, Mailer::smtp(&server.url(), FROM).unwrap());
        let id = enqueue_committed(&db, &invitation()).await;
        let job_id = outbox(&db, &id).await.job_id.unwrap();
        let job = wait_for_job(&db, &job_id).await;
        pool.shutdown().await;

        assert_eq!(job.status, JobStatus::Dead);
        assert_eq!(job.attempts, jobs::DEFAULT_MAX_ATTEMPTS);
        // Every attempt reached the server.
        assert_eq!(
            server.mail_commands() - before,
            jobs::DEFAULT_MAX_ATTEMPTS as usize
        );
        assert!(job.last_error.unwrap().contains("451"));
        let failed = outbox(&db, &id).await;
        assert_eq!(failed.status, OutboxStatus::Failed);
        assert_eq!(failed.sent_at, None);
        let error = failed.last_error.expect("error kept on the outbox row");
        assert!(error.contains("Tijdelijk niet beschikbaar"), "{error}");
        assert!(server.received().is_empty());
    })
    .await;
}

#[tokio::test]
async fn without_smtp_the_mail_is_a_parseable_eml_file_in_the_data_dir() {
    each_backend(&migrations(), |db| async move {
        let data_dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::from_config(None, data_dir.path(), FROM).unwrap();
        let pool = start_workers(&db, mailer);
        let mut plain = invitation();
        plain.html = None;
        let id = enqueue_committed(&db, &plain).await;
        let job_id = outbox(&db, &id).await.job_id.unwrap();
        assert_eq!(wait_for_job(&db, &job_id).await.status, JobStatus::Done);
        pool.shutdown().await;
        assert_eq!(outbox(&db, &id).await.status, OutboxStatus::Sent);

        let files: Vec<_> = std::fs::read_dir(data_dir.path().join("mail"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(files[0].extension().unwrap(), "eml");
        let raw = std::fs::read_to_string(&files[0]).unwrap();
        let (headers, body) = parse_message(&raw);
        assert_eq!(header(&headers, "from"), FROM);
        assert_eq!(header(&headers, "to"), "an.peeters@gent.be");
        assert_eq!(
            header(&headers, "subject"),
            "Uitnodiging voor Stedenplatform"
        );
        assert!(header(&headers, "content-type").starts_with("text/plain"));
        assert!(body.contains("Welkom bij Stedenplatform."), "{body}");
    })
    .await;
}

#[tokio::test]
async fn mail_enqueued_in_a_rolled_back_transaction_does_not_exist() {
    each_backend(&migrations(), |db| async move {
        let mut tx = db.begin().await.unwrap();
        let id = mail::enqueue(&mut tx, &invitation()).await.unwrap();
        tx.rollback().await.unwrap();
        assert!(mail::get(&db, &id).await.unwrap().is_none());
        let count = |sql: &'static str| {
            let db = db.clone();
            async move {
                sqlx::query(sql)
                    .fetch_one(db.pool())
                    .await
                    .unwrap()
                    .get::<i64, _>(0)
            }
        };
        assert_eq!(count("SELECT COUNT(*) FROM mail_outbox").await, 0);
        assert_eq!(count("SELECT COUNT(*) FROM jobs").await, 0);
    })
    .await;
}

#[tokio::test]
async fn an_invalid_address_fails_at_once_without_retrying() {
    let server = SmtpServer::start(Mode::Accept).await;
    let server = &server;
    each_backend(&migrations(), |db| async move {
        let pool = start_workers(&db, Mailer::smtp(&server.url(), FROM).unwrap());
        let mut mail = invitation();
        mail.to = "geen-adres".into();
        let id = enqueue_committed(&db, &mail).await;
        let job = wait_for_job(&db, &outbox(&db, &id).await.job_id.unwrap()).await;
        pool.shutdown().await;
        assert_eq!(job.status, JobStatus::Dead);
        assert_eq!(job.attempts, 1);
        let failed = outbox(&db, &id).await;
        assert_eq!(failed.status, OutboxStatus::Failed);
        assert!(failed.last_error.unwrap().contains("geen-adres"));
        assert_eq!(server.mail_commands(), 0);
    })
    .await;
}
