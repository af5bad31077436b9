//! Rapporteringsrondes on SQLite and PostgreSQL: opening a round schedules its jobs, the
//! opening job mails each owner once with their items, the reminder mails only owners with
//! unreported items and only once, late_count after the deadline, and the round page shows who
//! is late.

use crate::common;

use common::*;
use sqlx::Row;
use steden_core::role::Role;
use steden_db::jobs::{self, JobFilter};
use steden_db::testing::each_backend;
use steden_db::Db;
use steden_plan::model::{Item, ItemStatus};
use steden_plan::rounds::{self, RoundFields};
use steden_plan::store::items::{self, ItemFields};
use steden_plan::store::updates::{self, ProgressReport};

const BASE: &str = "https://steden.test";

async fn open_round(w: &World, plan_id: &str, deadline: &str) -> rounds::Round {
    let mut tx = w.db.begin().await.unwrap();
    let round = rounds::open(
        &mut tx,
        plan_id,
        &RoundFields {
            name: "Q2 2026".into(),
            deadline: deadline.into(),
            reminder_days: "3".into(),
        },
        BASE,
        &w.editor.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    round
}

async fn report(w: &World, by: &Person, item: &Item) {
    let mut tx = w.db.begin().await.unwrap();
    updates::report(
        &mut tx,
        &item.id,
        &ProgressReport {
            status: Some(ItemStatus::Lopend),
            progress: Some(50),
            comment: "op schema".into(),
            ..ProgressReport::default()
        },
        &by.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// The mails in the outbox: (recipient, subject, text), oldest first.
async fn outbox(db: &Db) -> Vec<(String, String, String)> {
    sqlx::query("SELECT recipient, subject, text_body FROM mail_outbox ORDER BY created_at, id")
        .fetch_all(db.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get("recipient"), r.get("subject"), r.get("text_body")))
        .collect()
}

async fn job_payload(db: &Db, kind: &str) -> (serde_json::Value, i64) {
    let filter = JobFilter {
        kind: Some(kind.into()),
        ..JobFilter::default()
    };
    let found = jobs::list(db, &filter, 10, 0).await.unwrap();
    assert_eq!(found.len(), 1, "one {kind} job");
    (found[0].payload.clone(), found[0].run_at)
}

/// A second owner (role lid) of AC010201.
async fn second_owner(w: &World, item: &Item) -> Person {
    let owner = person(
        &w.db,
        "eigenaar@gent.test",
        "Eva Eigenaar",
        &w.gent,
        Role::Lid,
    )
    .await;
    let mut fields = ItemFields::from_item(item);
    fields.owner_user_id = Some(owner.id.clone());
    let mut tx = w.db.begin().await.unwrap();
    items::update(&mut tx, &item.id, &fields, "", &w.editor.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    owner
}

#[tokio::test]
async fn opening_mails_each_owner_once_with_their_items() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        let eva = second_owner(&w, &p.ac010201).await;
        let round = open_round(&w, &p.plan.id, "2099-06-30").await;
        assert_eq!(
            steden_plan::store::rounds::open_round_id(db.pool(), &p.plan.id)
                .await
                .unwrap(),
            Some(round.id.clone())
        );

        // Both jobs are queued; the reminder three days before the deadline at 08:00 UTC.
        let (payload, _) = job_payload(&db, rounds::OPENED_JOB).await;
        let (_, reminder_at) = job_payload(&db, rounds::REMINDER_JOB).await;
        assert_eq!(reminder_at, rounds::reminder_at("2099-06-30", 3, 0));
        assert!(
            outbox(&db).await.is_empty(),
            "nothing sent before the job runs"
        );

        rounds::handle_round_opened(&db, payload).await.unwrap();
        let mails = outbox(&db).await;
        assert_eq!(mails.len(), 2, "{mails:?}");
        let to_luc = mails.iter().find(|m| m.0 == w.member.email).unwrap();
        assert!(to_luc.1.contains("Q2 2026"), "{}", to_luc.1);
        assert!(
            to_luc.2.contains("AC010101 E-loket uitbreiden"),
            "{}",
            to_luc.2
        );
        assert!(to_luc.2.contains("AC020101 Renovatiepremie"));
        assert!(!to_luc.2.contains("AC010201"));
        assert!(to_luc.2.contains(&format!(
            "{BASE}/plannen/{}/items/{}",
            p.plan.id, p.ac010101.id
        )));
        assert!(to_luc.2.contains("30/06/2099"));
        let to_eva = mails.iter().find(|m| m.0 == eva.email).unwrap();
        assert!(to_eva.2.contains("AC010201 Dataportaal"));
        assert!(!to_eva.2.contains("AC010101"));
    })
    .await;
}

#[tokio::test]
async fn reminder_only_for_unreported_and_only_once() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        let eva = second_owner(&w, &p.ac010201).await;
        // An update before the round opened does not count for it.
        report(&w, &w.member, &p.ac020101).await;
        // (Moments are in milliseconds: make sure the round opens after that update.)
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let round = open_round(&w, &p.plan.id, "2099-06-30").await;
        report(&w, &w.member, &p.ac010101).await;
        report(&w, &eva, &p.ac010201).await;

        let (payload, _) = job_payload(&db, rounds::REMINDER_JOB).await;
        rounds::handle_round_reminder(&db, payload.clone())
            .await
            .unwrap();
        let mails = outbox(&db).await;
        assert_eq!(mails.len(), 1, "{mails:?}");
        assert_eq!(mails[0].0, w.member.email);
        assert!(mails[0].1.starts_with("Herinnering"), "{}", mails[0].1);
        assert!(mails[0].2.contains("AC020101"));
        assert!(
            !mails[0].2.contains("AC010101"),
            "reported items are left out"
        );
        let reminded = steden_plan::store::rounds::find(db.pool(), &round.id)
            .await
            .unwrap()
            .unwrap();
        assert!(reminded.reminded_at.is_some());

        // A second run sends nothing.
        rounds::handle_round_reminder(&db, payload).await.unwrap();
        assert_eq!(outbox(&db).await.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn closed_items_are_not_asked_and_late_count_follows_the_deadline() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        // Before any round, and with a round whose deadline is still ahead: nobody is late.
        assert_eq!(rounds::late_count(&db, &p.plan.id).await.unwrap(), 0);
        let future = open_round(&w, &p.plan.id, "2099-06-30").await;
        assert_eq!(rounds::late_count(&db, &p.plan.id).await.unwrap(), 0);
        let mut tx = db.begin().await.unwrap();
        rounds::close(&mut tx, &future.id, &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            steden_plan::store::rounds::open_round_id(db.pool(), &p.plan.id)
                .await
                .unwrap(),
            None
        );

        // A round past its deadline: both of the member's items are late, until reported.
        let past = open_round(&w, &p.plan.id, "2020-01-31").await;
        assert_eq!(rounds::late_count(&db, &p.plan.id).await.unwrap(), 2);
        report(&w, &w.member, &p.ac010101).await;
        assert_eq!(rounds::late_count(&db, &p.plan.id).await.unwrap(), 1);

        // A stopped item is no longer asked for.
        let mut tx = db.begin().await.unwrap();
        let mut fields = ItemFields::from_item(&reload(&db, &p.ac020101).await);
        fields.status = "stopgezet".into();
        items::update(
            &mut tx,
            &p.ac020101.id,
            &fields,
            "Gestopt",
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let owners = rounds::progress(&db, &past).await.unwrap();
        assert_eq!(owners.len(), 1);
        assert_eq!(owners[0].items.len(), 1);
        assert!(owners[0].is_done());
        assert_eq!(rounds::late_count(&db, &p.plan.id).await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn refused_round_writes_nothing() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        let mut tx = db.begin().await.unwrap();
        let err = rounds::open(
            &mut tx,
            &p.plan.id,
            &RoundFields {
                name: "".into(),
                deadline: "31/02/2026".into(),
                reminder_days: "".into(),
            },
            BASE,
            &w.editor.audit(),
        )
        .await
        .unwrap_err();
        drop(tx);
        assert!(matches!(err, steden_core::CoreError::Invalid(ref f) if f.len() == 2));
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plan_rounds")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(count, 0);
        let queued = jobs::count(&db, &JobFilter::default()).await.unwrap();
        assert_eq!(queued, 0);
    })
    .await;
}

#[tokio::test]
async fn round_page_shows_who_is_late() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        let rounds_page = format!("/plannen/{}/rondes", p.plan.id);

        // A reader may look but not open a round.
        login(&app, &w.reader).await;
        let html = app.page(&rounds_page).await;
        assert!(!html.contains("name=\"deadline\""));
        let response = app
            .post_form(
                &rounds_page,
                &rounds_page,
                &[("name", "Q1"), ("deadline", "2020-03-31")],
            )
            .await;
        assert_eq!(response.status(), 403);

        let mut app = app;
        app.client = TestApp::new_client();
        login(&app, &w.editor).await;
        // Refused input: the form again with the message, nothing written.
        let response = app
            .post_form(
                &rounds_page,
                &rounds_page,
                &[("name", " "), ("deadline", "2020-03-31")],
            )
            .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("Geef de ronde een naam"));

        let response = app
            .post_form(
                &rounds_page,
                &rounds_page,
                &[
                    ("name", "Q1 2020"),
                    ("deadline", "2020-03-31"),
                    ("reminder_days", "3"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with(&rounds_page));
        let html = app.page(&location).await;
        assert!(html.contains("Luc Lid"), "{html}");
        assert!(html.contains("Te laat"));
        // The title as typed, marked Dutch (issue 12).
        assert!(html.contains("AC020101 <span lang=\"nl\">Renovatiepremie</span>"));
        assert!(html.contains("31/03/2020"));

        // Closing the round: no longer late.
        let close = format!("{location}/sluiten");
        let response = app.post_form(&location, &close, &[]).await;
        assert_eq!(response.status(), 303);
        let html = app.page(&location).await;
        assert!(html.contains("Gesloten"));
        assert!(!html.contains("Te laat"));

        let list = app.page(&rounds_page).await;
        assert!(list.contains("Q1 2020"));
    })
    .await;
}

#[tokio::test]
async fn the_module_registers_the_opening_job_with_the_worker_pool() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        let mut registry = jobs::Registry::new();
        steden_web::Module::register_jobs(
            &steden_plan::PlanModule,
            &mut registry,
            &std::sync::Arc::default(),
        );
        let pool = jobs::WorkerPool::start(db.clone(), std::sync::Arc::new(registry), 1, "test");
        open_round(&w, &p.plan.id, "2099-06-30").await;
        let filter = JobFilter {
            kind: Some(rounds::OPENED_JOB.into()),
            ..JobFilter::default()
        };
        let mut done = false;
        for _ in 0..200 {
            let job = jobs::list(&db, &filter, 1, 0).await.unwrap().remove(0);
            if job.status == jobs::JobStatus::Done {
                done = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        pool.shutdown().await;
        assert!(done, "the opening job ran");
        let mails = outbox(&db).await;
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].0, w.member.email);
    })
    .await;
}

/// Issue 12: the plan's workspace task provider asks the owner for a report on each owned item
/// in an open round (on /start, "Mijn werkplek"), not a stranger, and no longer once reported.
#[tokio::test]
async fn the_workspace_asks_the_owner_for_reports_due_in_an_open_round() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        let href = steden_plan::paths::item_path(&p.plan.id, &p.ac020101.id);
        let owned_by_member = p.ac020101.owner_user_id.as_deref() == Some(w.member.id.as_str());
        assert!(
            owned_by_member,
            "the small plan's action belongs to the member"
        );

        login(&app, &w.member).await;
        let before = app.page("/start").await;
        assert!(!before.contains(&href), "no round open yet: {before}");
        assert!(
            before.contains("Er wordt nu niets van u gevraagd"),
            "{before}"
        );
        assert!(
            before.contains("<title>Mijn werkplek · Stedenplatform</title>"),
            "{before}"
        );

        open_round(&w, &p.plan.id, "2099-06-30").await;
        let asked = app.page("/start").await;
        assert!(asked.contains(&format!("{href}#rapporteren")), "{asked}");
        assert!(asked.contains("2099-06-30"), "{asked}");
        assert!(asked.contains("<h3>Beleidsplannen</h3>"), "{asked}");

        report(&w, &w.member, &p.ac020101).await;
        let reported = app.page("/start").await;
        assert!(
            !reported.contains(&format!("{href}#rapporteren")),
            "{reported}"
        );

        let mut stranger = app;
        stranger.client = TestApp::new_client();
        login(&stranger, &w.outsider).await;
        let theirs = stranger.page("/start").await;
        assert!(!theirs.contains("#rapporteren"), "{theirs}");
    })
    .await;
}
