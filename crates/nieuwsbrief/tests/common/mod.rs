//! Shared set-up for the nieuwsbrief tests: the modules of the build up to this one, a test
//! server on each backend, and the mail jobs run against the test SMTP server over TCP.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use steden_core::mail::{self, Mailer};
use steden_db::jobs::{Registry, WorkerOptions, WorkerPool};
use steden_db::{Db, Migration};
use steden_testkit::smtp::{parse_mime, SmtpServer};
use steden_web::Module;

pub use steden_testkit::{csrf_token, TestApp};

/// The module alone: it depends on no other module.
pub fn modules() -> Vec<Arc<dyn Module>> {
    vec![Arc::new(steden_nieuwsbrief::NieuwsbriefModule)]
}

/// The module's tables, with the Kennisbank's (and the plan's, which it builds on): a sent
/// campaign notes its place in the archive in the Kennisbank's search change log.
pub fn migrations() -> Vec<Migration> {
    steden_web::app::all_migrations(&[
        Arc::new(steden_plan::PlanModule) as Arc<dyn Module>,
        Arc::new(steden_kennisbank::KennisbankModule),
        Arc::new(steden_nieuwsbrief::NieuwsbriefModule),
    ])
}

/// Runs `test` against a fresh server on each backend (PostgreSQL too when `TEST_DATABASE_URL`
/// is set).
pub async fn each_nb_app<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    steden_db::testing::each_test_db(&migrations(), |test_db| {
        let test = &test;
        let db = test_db.db.clone();
        async move {
            let app = TestApp::spawn_on(db, modules()).await;
            test(app).await;
        }
    })
    .await;
}

/// Runs `test` against a database on each backend, without a server.
pub async fn each_nb_db<F, Fut>(test: F)
where
    F: Fn(Db) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    steden_db::testing::each_test_db(&migrations(), |test_db| {
        let test = &test;
        let db = test_db.db.clone();
        async move { test(db).await }
    })
    .await;
}

/// A number from a one-column, one-row query.
pub async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

/// Sends the outbox to `smtp` over TCP until no mail job is left.
pub async fn send_mail(db: &Db, smtp: &SmtpServer) {
    let mut registry = Registry::new();
    mail::register(
        &mut registry,
        Arc::new(Mailer::smtp(&smtp.url(), "Kenniscentrum <nieuwsbrief@steden.test>").unwrap()),
    );
    let pool = WorkerPool::start_with(
        db.clone(),
        Arc::new(registry),
        WorkerOptions {
            workers: 1,
            name: "nbmail".into(),
            poll_interval: Duration::from_millis(20),
            ..WorkerOptions::default()
        },
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    while count(
        db,
        "SELECT COUNT(*) FROM jobs WHERE status NOT IN ('done', 'dead') AND kind = 'mail.send'",
    )
    .await
        > 0
    {
        assert!(Instant::now() < deadline, "the mail jobs did not finish");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    pool.shutdown().await;
}

/// The plain-text bodies of the mails `smtp` received for `to`, oldest first.
pub fn mails_to(smtp: &SmtpServer, to: &str) -> Vec<(String, String)> {
    smtp.received()
        .into_iter()
        .filter(|m| m.recipients.iter().any(|r| r == to))
        .map(|m| {
            let (headers, _) = steden_testkit::smtp::parse_message(&m.data);
            let subject = steden_testkit::smtp::header(&headers, "subject").to_string();
            (subject, parse_mime(&m.data).find("text/plain").text())
        })
        .collect()
}

/// The site-relative link starting with `prefix` in `text` (the mails hold absolute ones).
pub fn link(text: &str, prefix: &str) -> Option<String> {
    let at = text.find(prefix)?;
    Some(
        text[at..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect(),
    )
}

/// A new API token of the module `nieuwsbrief` for the organisation `organisation_id` with
/// `role`, made by `actor`; its plain text.
pub async fn nieuwsbrief_token(
    db: &Db,
    actor: &steden_core::policy::Actor,
    organisation_id: &str,
    role: steden_core::role::Role,
) -> String {
    use steden_core::api_token::{self, NewApiToken};
    let mut tx = db.begin().await.unwrap();
    let created = api_token::create(
        &mut tx,
        actor,
        &NewApiToken {
            name: "test",
            organisation_id,
            modules: vec!["nieuwsbrief".into()],
            role,
            expires_at: None,
        },
        &["core", "nieuwsbrief"],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    created.plaintext
}
