//! The outbox end to end, on both backends: mail enqueued in a transaction, sent by the
//! "mail.send" job through the worker pool to a real SMTP server over TCP (a minimal one, run
//! by the test, steden_testkit::smtp) or into `.eml` files.

use std::sync::Arc;
use std::time::Duration;

use steden_core::mail::{self, CalendarPart, MailAttachment, Mailer, OutboxStatus, OutgoingMail};
use steden_db::jobs::{self, JobStatus, NewJob, Registry, WorkerOptions, WorkerPool};
use steden_db::testing::each_backend;
use steden_db::{Db, Migration, Row};
use steden_testkit::smtp::{header, parse_message, parse_mime, Mode, SmtpServer};

const FROM: &str = "Stedenplatform <noreply@steden.test>";

/// The job queue and the outbox only, so that these tests do not depend on other tables.
fn migrations() -> Vec<Migration> {
    let mut all = jobs::migrations();
    all.extend(
        steden_core::migrations()
            .into_iter()
            .filter(|m| m.name == "mail" || m.name == "mail_parts"),
    );
    all
}

fn invitation() -> OutgoingMail {
    OutgoingMail {
        to: "an.peeters@gent.be".into(),
        subject: "Uitnodiging voor Stedenplatform".into(),
        text: "Welkom bij Stedenplatform.\nKies uw wachtwoord via de link.".into(),
        html: Some("<p>Welkom bij Stedenplatform.</p>".into()),
        ..Default::default()
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

/// A meeting invitation as the werkgroepen module sends it, with a file attached. The text has
/// a line that begins with a dot, which SMTP doubles on the way.
fn meeting_invitation() -> OutgoingMail {
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//NL\r\nMETHOD:REQUEST\r\n\
               BEGIN:VEVENT\r\nUID:vergadering-1@steden.test\r\nSEQUENCE:0\r\n\
               DTSTAMP:20260301T090000Z\r\nDTSTART:20260330T120000Z\r\n\
               SUMMARY:Werkgroep GDPR: vergadering over de verwerkingsregisters en \r\n \
               het jaarverslag\r\nLOCATION:Gent\\, Stadhuis\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        .to_string();
    OutgoingMail {
        to: "an.peeters@gent.be".into(),
        subject: "Uitnodiging: Werkgroep GDPR".into(),
        text: "U bent uitgenodigd.\n.Agenda volgt.\nTot dan.".into(),
        html: Some("<p>U bent uitgenodigd.</p>".into()),
        calendar: Some(CalendarPart {
            method: "REQUEST".into(),
            ics,
        }),
        attachments: vec![MailAttachment {
            filename: "agenda één.pdf".into(),
            content_type: "application/pdf".into(),
            // Every byte value, so that any change by the transfer encoding shows.
            content: (0..=255u8)
                .chain(b"%PDF-1.7\r\n.\r\n".iter().copied())
                .collect(),
        }],
    }
}

#[tokio::test]
async fn an_invitation_with_a_calendar_and_a_file_arrives_as_clients_read_it() {
    let server = SmtpServer::start(Mode::Accept).await;
    let server = &server;
    each_backend(&migrations(), |db| async move {
        let before = server.received().len();
        let sent_mail = meeting_invitation();
        let pool = start_workers(&db, Mailer::smtp(&server.url(), FROM).unwrap());
        let id = enqueue_committed(&db, &sent_mail).await;
        // The outbox keeps every part, so a retry after a restart sends the same message.
        assert_eq!(outbox(&db, &id).await.mail, sent_mail);
        let job_id = outbox(&db, &id).await.job_id.unwrap();
        let job = wait_for_job(&db, &job_id).await;
        pool.shutdown().await;
        assert_eq!(job.status, JobStatus::Done, "{job:?}");

        let received = server.received();
        assert_eq!(received.len(), before + 1);
        let message = parse_mime(&received[before].data);
        assert_eq!(
            message.shape(),
            "multipart/mixed[multipart/alternative[text/plain, text/html, text/calendar], \
             application/ics, application/pdf]"
        );
        let text = message.find("text/plain");
        assert_eq!(
            text.text(),
            "U bent uitgenodigd.\r\n.Agenda volgt.\r\nTot dan."
        );
        let calendar = message.find("text/calendar");
        assert_eq!(calendar.params["method"], "REQUEST");
        assert_eq!(calendar.params["charset"].to_ascii_lowercase(), "utf-8");
        assert_eq!(calendar.disposition, None);
        let ics = &sent_mail.calendar.as_ref().unwrap().ics;
        assert_eq!(&calendar.text(), ics);
        let file = message.find("application/ics");
        assert_eq!(file.disposition.as_deref(), Some("attachment"));
        assert_eq!(file.filename.as_deref(), Some("invitation.ics"));
        assert_eq!(&file.text(), ics);
        let pdf = message.find("application/pdf");
        assert_eq!(pdf.disposition.as_deref(), Some("attachment"));
        assert_eq!(pdf.filename.as_deref(), Some("agenda één.pdf"));
        assert_eq!(pdf.body, sent_mail.attachments[0].content);
    })
    .await;
}

#[tokio::test]
async fn a_plain_mail_keeps_its_shape_and_attachments_go_without_a_calendar() {
    let server = SmtpServer::start(Mode::Accept).await;
    let server = &server;
    each_backend(&migrations(), |db| async move {
        let before = server.received().len();
        let pool = start_workers(&db, Mailer::smtp(&server.url(), FROM).unwrap());
        let mut plain = invitation();
        plain.html = None;
        let plain_id = enqueue_committed(&db, &plain).await;
        let mut with_file = invitation();
        with_file.html = None;
        with_file.attachments = vec![MailAttachment {
            filename: "deelnemers.csv".into(),
            content_type: "text/csv".into(),
            content: "naam;stad\r\nAn;Gent\r\n".into(),
        }];
        let file_id = enqueue_committed(&db, &with_file).await;
        for id in [&plain_id, &file_id] {
            let job_id = outbox(&db, id).await.job_id.unwrap();
            assert_eq!(wait_for_job(&db, &job_id).await.status, JobStatus::Done);
        }
        pool.shutdown().await;
        assert_eq!(outbox(&db, &plain_id).await.mail, plain);

        let received = server.received();
        let shapes: Vec<String> = received[before..]
            .iter()
            .map(|m| parse_mime(&m.data).shape())
            .collect();
        assert!(shapes.contains(&"text/plain".to_string()), "{shapes:?}");
        assert!(
            shapes.contains(&"multipart/mixed[text/plain, text/csv]".to_string()),
            "{shapes:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_calendar_method_that_is_not_a_word_fails_without_retrying() {
    let server = SmtpServer::start(Mode::Accept).await;
    let server = &server;
    each_backend(&migrations(), |db| async move {
        let before = server.mail_commands();
        let pool = start_workers(&db, Mailer::smtp(&server.url(), FROM).unwrap());
        let mut mail = meeting_invitation();
        mail.calendar.as_mut().unwrap().method = "REQUEST; x=1".into();
        let id = enqueue_committed(&db, &mail).await;
        let job = wait_for_job(&db, &outbox(&db, &id).await.job_id.unwrap()).await;
        pool.shutdown().await;
        assert_eq!(job.status, JobStatus::Dead);
        assert_eq!(job.attempts, 1);
        assert!(job.last_error.unwrap().contains("agendamethode"));
        assert_eq!(server.mail_commands(), before);
    })
    .await;
}
