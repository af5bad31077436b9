//! Privacy of the editors' part (design §3.7), on both backends: the daily retention job
//! deletes unconfirmed subscribers after 30 days (with their lists and consent record) and
//! says how many; the public form records an IP address with the consent only when a manager
//! turned that on.

use std::sync::Arc;
use std::time::{Duration, Instant};

use steden_db::jobs::{self, Registry, WorkerOptions, WorkerPool};
use steden_db::now_ms;
use steden_nieuwsbrief::retention;
use steden_testkit::{login_with, TestApp};

use crate::admin::{add, get, post, staff};
use crate::common::{count, csrf_token, each_nb_db, modules};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

#[tokio::test]
async fn retention_deletes_unconfirmed_subscribers_after_30_days() {
    each_nb_db(|db| async move {
        let now = now_ms();
        let lists = &[("algemeen", "aangevraagd")][..];
        let old = add(
            &db,
            "oud@gent.be",
            "",
            "nl",
            "onbevestigd",
            now - 31 * DAY_MS,
            lists,
        )
        .await;
        let fresh = add(
            &db,
            "vers@gent.be",
            "",
            "nl",
            "onbevestigd",
            now - 29 * DAY_MS,
            lists,
        )
        .await;
        let confirmed = add(
            &db,
            "lid@gent.be",
            "",
            "nl",
            "bevestigd",
            now - 400 * DAY_MS,
            &[("algemeen", "actief")],
        )
        .await;
        let unsubscribed = add(
            &db,
            "weg@gent.be",
            "",
            "nl",
            "afgemeld",
            now - 400 * DAY_MS,
            &[],
        )
        .await;

        assert_eq!(retention::run(&db, now).await.unwrap(), 1);
        for (id, kept) in [
            (&old, false),
            (&fresh, true),
            (&confirmed, true),
            (&unsubscribed, true),
        ] {
            for table in ["nb_subscribers WHERE id", "nb_consents WHERE subscriber_id"] {
                assert_eq!(
                    count(&db, &format!("SELECT COUNT(*) FROM {table} = '{id}'")).await,
                    i64::from(kept),
                    "{table} {id}"
                );
            }
        }
        assert_eq!(
            count(
                &db,
                &format!("SELECT COUNT(*) FROM nb_subscriptions WHERE subscriber_id = '{old}'")
            )
            .await,
            0
        );
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'retention'"
            )
            .await,
            1
        );
        // Nothing more to do the second time.
        assert_eq!(retention::run(&db, now).await.unwrap(), 0);

        // The daily claim: queued once a day, however often the servers look.
        assert!(retention::enqueue_due(&db, now).await.unwrap());
        assert!(!retention::enqueue_due(&db, now + 60_000).await.unwrap());
        assert!(retention::enqueue_due(&db, now + DAY_MS).await.unwrap());
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM jobs WHERE kind = 'nieuwsbrief.retention'"
            )
            .await,
            2
        );

        // The job deletes and says how many in its result.
        sqlx::query("UPDATE nb_subscribers SET updated_at = $1 WHERE id = $2")
            .bind(now - 40 * DAY_MS)
            .bind(&fresh)
            .execute(db.pool())
            .await
            .unwrap();
        let mut registry = Registry::new();
        retention::register_jobs(&mut registry);
        let pool = WorkerPool::start_with(
            db.clone(),
            Arc::new(registry),
            WorkerOptions {
                workers: 1,
                name: "nbretention".into(),
                poll_interval: Duration::from_millis(20),
                ..WorkerOptions::default()
            },
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        while count(
            &db,
            "SELECT COUNT(*) FROM jobs WHERE kind = 'nieuwsbrief.retention' AND status <> 'done'",
        )
        .await
            > 0
        {
            assert!(
                Instant::now() < deadline,
                "the retention jobs did not finish"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        pool.shutdown().await;
        let filter = jobs::JobFilter {
            kind: Some("nieuwsbrief.retention".into()),
            ..jobs::JobFilter::default()
        };
        let results: Vec<String> = jobs::list(&db, &filter, 10, 0)
            .await
            .unwrap()
            .into_iter()
            .filter_map(|job| job.progress_message)
            .collect();
        assert!(
            results
                .iter()
                .any(|m| m == "1 onbevestigde abonnee(s) verwijderd"),
            "{results:?}"
        );
        assert_eq!(
            count(
                &db,
                &format!("SELECT COUNT(*) FROM nb_subscribers WHERE id = '{fresh}'")
            )
            .await,
            0
        );
    })
    .await;
}

/// Subscribes `email` through the form with the client address `ip` (the server trusts
/// `X-Forwarded-For`, as behind the platform's proxy).
async fn subscribe_from(app: &TestApp, email: &str, ip: &str) {
    let client = TestApp::new_client();
    let (_, _, form) = get(&client, app, "/nieuwsbrief").await;
    let token = csrf_token(&form).unwrap();
    let response = client
        .post(app.url("/nieuwsbrief/inschrijven"))
        .header("x-forwarded-for", ip)
        .form(&[
            ("_csrf", token.as_str()),
            ("email", email),
            ("language", "nl"),
            ("lists", "algemeen"),
            ("consent", "1"),
            ("consent_version", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
}

async fn recorded_ip(app: &TestApp, email: &str) -> Option<String> {
    sqlx::query_scalar(
        "SELECT c.ip FROM nb_consents c JOIN nb_subscribers s ON s.id = c.subscriber_id
         WHERE s.email = $1 AND c.kind = 'aanvraag'",
    )
    .bind(email)
    .fetch_one(app.db.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn the_ip_address_is_recorded_only_when_a_manager_turns_it_on() {
    steden_db::testing::each_test_db(&crate::common::migrations(), |test_db| {
        let db = test_db.db.clone();
        async move { ip_switch(db).await }
    })
    .await;
}

const SETTINGS: &str = "/nieuwsbrief/beheer/instellingen";

async fn ip_switch(db: steden_db::Db) {
    let app = TestApp::spawn_configured(db, modules(), |config| {
        config.login.trust_forwarded_for = true;
    })
    .await;
    let people = staff(&app.db).await;

    // Off by default: no address.
    subscribe_from(&app, "eerst@gent.be", "203.0.113.7").await;
    assert_eq!(recorded_ip(&app, "eerst@gent.be").await, None);

    // The manager turns it on (audited); the next consent has the address.
    let manager = TestApp::new_client();
    let (email, password) = (&people.manager.email, &people.manager.password);
    login_with(&app, &manager, email, password).await;
    let (_, _, page) = get(&manager, &app, SETTINGS).await;
    let token = csrf_token(&page).unwrap();
    let response = post(&manager, &app, &token, SETTINGS, &[("record_ip", "1")]).await;
    assert_eq!(response.status(), 303);
    assert!(get(&manager, &app, SETTINGS).await.2.contains("checked"));
    subscribe_from(&app, "daarna@gent.be", "203.0.113.7").await;
    let recorded = recorded_ip(&app, "daarna@gent.be").await;
    assert_eq!(recorded.as_deref(), Some("203.0.113.7"));
    // A forged header that is no address is not kept.
    subscribe_from(&app, "raar@gent.be", "geen-adres").await;
    assert_eq!(recorded_ip(&app, "raar@gent.be").await, None);
    // The subscriber's page shows it to editors.
    let id: String =
        sqlx::query_scalar("SELECT id FROM nb_subscribers WHERE email = 'daarna@gent.be'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let page = format!("/nieuwsbrief/beheer/abonnees/{id}");
    assert!(get(&manager, &app, &page).await.2.contains("203.0.113.7"));

    // And off again (unticked box): no address.
    let response = post(&manager, &app, &token, SETTINGS, &[]).await;
    assert_eq!(response.status(), 303);
    subscribe_from(&app, "laatst@gent.be", "203.0.113.7").await;
    assert_eq!(recorded_ip(&app, "laatst@gent.be").await, None);
    let audited = "SELECT COUNT(*) FROM audit_log WHERE entity_id = 'nieuwsbrief.record_ip'";
    assert_eq!(count(&app.db, audited).await, 2);
}
