//! Retention of event participants' data (design §3.8, slice S14), on both backends, with the
//! clock passed in: before the limit nothing changes; after it the cancelled, waiting and
//! absent registrations are gone, the attendee keeps name, event, attendance and certificate
//! while address, answers and organisation are blanked, the evaluation loses its link; one
//! audit entry per event; a second run changes nothing; the certificate is still produced. A
//! per-event `retention_months` and the setting both move the limit.

use std::collections::BTreeMap;

use sqlx::Row;
use steden_db::Db;
use steden_werkgroepen::retention;
use steden_werkgroepen::store::registrations::{self, Registrant};
use steden_werkgroepen::store::retention::{due_at, SETTING};
use steden_werkgroepen::store::{attendance, evaluations};

use crate::common::{client_of, count, each_wg_app, World};
use crate::event_followup::pdftotext;
use crate::registrations::{create_event, event_fields};

const BASE: &str = "http://steden.test";
/// The event ended on 10/01/2024 at 16:00 UTC.
const ENDS_AT: i64 = 1_704_902_400_000;
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

async fn register(db: &Db, event_id: &str, name: &str, email: &str) -> String {
    let fields = BTreeMap::from([
        ("name".to_string(), name.to_string()),
        ("email".to_string(), email.to_string()),
        ("organisation_text".to_string(), "Stad Gent".to_string()),
        ("v1".to_string(), "vegetarisch".to_string()),
        ("v2".to_string(), "Stad".to_string()),
    ]);
    let mut tx = db.begin().await.unwrap();
    let registered =
        registrations::register(&mut tx, event_id, &Registrant::Anonymous, &fields, BASE)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    registered.id
}

/// An event that gives certificates, with Zoë attended (and evaluated), Bert confirmed but
/// absent, Cas on the waiting list and Dirk cancelled; then moved to end at `ends_at`.
async fn held_event(w: &World, slug: &str, ends_at: i64) -> (String, String) {
    let mut fields = event_fields(slug, "2");
    fields.certificates = "1".into();
    let event = create_event(w, &fields).await;
    let zoe = register(&w.db, &event, "Zoë Van Damme", &format!("zoe@{slug}.be")).await;
    register(&w.db, &event, "Bert Boom", &format!("bert@{slug}.be")).await;
    let dirk = register(&w.db, &event, "Dirk Dewit", &format!("dirk@{slug}.be")).await;
    let mut tx = w.db.begin().await.unwrap();
    registrations::cancel(&mut tx, &dirk, &w.staff.audit(), BASE)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    register(&w.db, &event, "Cas Cools", &format!("cas@{slug}.be")).await;
    register(&w.db, &event, "Ella Eerst", &format!("ella@{slug}.be")).await;

    let mut tx = w.db.begin().await.unwrap();
    attendance::record(
        &mut tx,
        &event,
        std::slice::from_ref(&zoe),
        &w.staff.audit(),
    )
    .await
    .unwrap();
    evaluations::set_questions(&mut tx, &event, "Hoe tevreden ben je?", &w.staff.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let question = evaluations::questions(w.db.pool(), &event).await.unwrap()[0]
        .id
        .clone();
    let mut tx = w.db.begin().await.unwrap();
    let answer = BTreeMap::from([(format!("q_{question}"), "4".to_string())]);
    evaluations::submit(&mut tx, &event, &zoe, &answer)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    sqlx::query("UPDATE wg_events SET starts_at = $1, ends_at = $2 WHERE id = $3")
        .bind(ends_at - 7 * HOUR)
        .bind(ends_at)
        .bind(&event)
        .execute(w.db.pool())
        .await
        .unwrap();
    (event, zoe)
}

/// The registrations of an event as (name, email, status, attended, answers, org).
async fn rows(db: &Db, event: &str) -> Vec<(String, String, String, Option<i64>, String, String)> {
    sqlx::query(
        "SELECT name, email, status, CAST(attended AS BIGINT) AS attended, answers,
            organisation_text FROM wg_registrations WHERE event_id = $1 ORDER BY name",
    )
    .bind(event)
    .fetch_all(db.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.get("name"),
            r.get("email"),
            r.get("status"),
            r.get("attended"),
            r.get("answers"),
            r.get("organisation_text"),
        )
    })
    .collect()
}

#[tokio::test]
async fn participants_are_anonymised_after_the_retention_period() {
    each_wg_app(|app, w| async move {
        let (event, zoe) = held_event(&w, "retentie", ENDS_AT).await;
        let before = rows(&w.db, &event).await;
        assert_eq!(before.len(), 5, "{before:?}");
        let statuses: Vec<&str> = before.iter().map(|r| r.2.as_str()).collect();
        assert_eq!(
            statuses,
            [
                "bevestigd",
                "wachtlijst",
                "geannuleerd",
                "wachtlijst",
                "bevestigd"
            ],
            "Bert, Cas, Dirk, Ella, Zoë"
        );

        // A day before the twelve months are up: nothing changes.
        let limit = due_at(ENDS_AT, 12);
        assert!(limit > ENDS_AT + 365 * DAY - 2 * DAY && limit <= ENDS_AT + 366 * DAY);
        assert_eq!(retention::run(&w.db, limit - DAY).await.unwrap(), 0);
        assert_eq!(rows(&w.db, &event).await, before);

        assert_eq!(retention::run(&w.db, limit).await.unwrap(), 1);
        let after = rows(&w.db, &event).await;
        assert_eq!(
            after,
            [(
                "Zoë Van Damme".to_string(),
                String::new(),
                "bevestigd".to_string(),
                Some(1),
                "{}".to_string(),
                String::new()
            )]
        );
        let email_norm: String =
            sqlx::query_scalar("SELECT email_norm FROM wg_registrations WHERE id = $1")
                .bind(&zoe)
                .fetch_one(w.db.pool())
                .await
                .unwrap();
        assert_eq!(email_norm, zoe, "no address left, not even normalised");
        let linked = "SELECT COUNT(*) FROM wg_eval_responses WHERE registration_id IS NOT NULL";
        assert_eq!(count(&w.db, linked).await, 0);
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM wg_eval_answers").await,
            1,
            "the evaluation itself stays, anonymous"
        );
        let audit = format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity_id = '{event}' AND action = 'anonymise'"
        );
        assert_eq!(count(&w.db, &audit).await, 1);
        let anonymised = "SELECT COUNT(*) FROM wg_events WHERE anonymised_at IS NOT NULL";
        assert_eq!(count(&w.db, anonymised).await, 1);

        // Running again, later, changes nothing and writes no second audit entry.
        assert_eq!(retention::run(&w.db, limit + 30 * DAY).await.unwrap(), 0);
        assert_eq!(rows(&w.db, &event).await, after);
        assert_eq!(count(&w.db, &audit).await, 1);

        // The certificate is still made from what is kept.
        let staff = client_of(&app, &w.staff).await;
        let response = staff
            .get(app.url(&format!(
                "/werkgroepen/activiteiten/retentie/attest/{zoe}.pdf"
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let text = pdftotext(&response.bytes().await.unwrap());
        assert!(text.contains("Zoë Van Damme"), "{text}");
        assert!(
            !text.contains("Stad Gent"),
            "the typed organisation is gone: {text}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_setting_and_an_events_own_months_move_the_limit() {
    each_wg_app(|_app, w| async move {
        let (default_event, _) = held_event(&w, "standaard", ENDS_AT).await;
        let (short_event, _) = held_event(&w, "kort", ENDS_AT).await;
        sqlx::query("UPDATE wg_events SET retention_months = 3 WHERE id = $1")
            .bind(&short_event)
            .execute(w.db.pool())
            .await
            .unwrap();
        steden_core::settings::set(&w.db, SETTING, "24")
            .await
            .unwrap();
        let remaining = |event: String| {
            let db = w.db.clone();
            async move {
                let sql =
                    format!("SELECT COUNT(*) FROM wg_registrations WHERE event_id = '{event}'");
                count(&db, &sql).await
            }
        };

        // After three months only the event with its own three months is due.
        assert_eq!(retention::run(&w.db, due_at(ENDS_AT, 3)).await.unwrap(), 1);
        assert_eq!(remaining(short_event.clone()).await, 1);
        assert_eq!(remaining(default_event.clone()).await, 5);
        // Twelve months no longer suffice for the other: the setting says 24.
        assert_eq!(retention::run(&w.db, due_at(ENDS_AT, 13)).await.unwrap(), 0);
        assert_eq!(remaining(default_event.clone()).await, 5);
        assert_eq!(retention::run(&w.db, due_at(ENDS_AT, 24)).await.unwrap(), 1);
        assert_eq!(remaining(default_event).await, 1);
    })
    .await;
}
