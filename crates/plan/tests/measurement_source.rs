//! The measurement-source port on SQLite and PostgreSQL, through the real parts: a test module
//! with a table of its own provides a [`MeasurementSource`] through `Module::provide_ports`, as
//! the werkgroepen and cijfers modules will; an editor links an indicator to one of its series
//! on the indicator page, which pulls the values (a second pull adds nothing); a change in the
//! source queues a pull that the real worker runs; a source missing from the build is a Dutch
//! message on the indicator; an indicator with a source takes no values by hand; and only the
//! plan's editors may link.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use futures::future::BoxFuture;
use serde_json::{json, Value};
use sqlx::Row;
use steden_core::api_token::{self, NewApiToken};
use steden_core::error::CoreResult;
use steden_core::role::Role;
use steden_core::CoreError;
use steden_db::jobs::{self, JobFilter, JobStatus};
use steden_db::{Db, Migration, MigrationSql};
use steden_plan::ports::{
    source_changed, MeasurementSource, PullPayload, SourceMeasurement, SourceSeries, PULL_JOB,
};
use steden_web::{Module, Ports};

// ---------------------------------------------------------------------------------------------
// The test source: counts per organisation, series and date, in a table of its own.

const KEY: &str = "testbron.tellingen";
const LABEL: &str = "Testbron: tellingen";

struct Counts;

impl MeasurementSource for Counts {
    fn key(&self) -> &str {
        KEY
    }

    fn label(&self) -> &str {
        LABEL
    }

    fn series<'a>(
        &'a self,
        _db: &'a Db,
        _organisation_id: &'a str,
    ) -> BoxFuture<'a, CoreResult<Vec<SourceSeries>>> {
        Box::pin(async {
            Ok(vec![
                SourceSeries {
                    series_ref: "bezoekers".into(),
                    label: "Bezoekers".into(),
                    unit: "personen".into(),
                },
                SourceSeries {
                    series_ref: "vergaderingen".into(),
                    label: "Vergaderingen".into(),
                    unit: String::new(),
                },
            ])
        })
    }

    fn measurements<'a>(
        &'a self,
        db: &'a Db,
        organisation_id: &'a str,
        series_ref: &'a str,
    ) -> BoxFuture<'a, CoreResult<Vec<SourceMeasurement>>> {
        Box::pin(async move {
            if !["bezoekers", "vergaderingen"].contains(&series_ref) {
                return Err(CoreError::NotFound("series"));
            }
            let rows = sqlx::query(
                "SELECT measured_on, value FROM testbron_counts
                 WHERE organisation_id = $1 AND series_ref = $2 ORDER BY measured_on",
            )
            .bind(organisation_id)
            .bind(series_ref)
            .fetch_all(db.pool())
            .await?;
            rows.iter()
                .map(|row| {
                    let date: String = row.try_get("measured_on")?;
                    Ok(SourceMeasurement {
                        date: chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                            .map_err(anyhow::Error::from)?,
                        value: row.try_get("value")?,
                        comment: Some("geteld".into()),
                    })
                })
                .collect()
        })
    }
}

/// A module above the plan, as werkgroepen will be: its own table, and the source.
struct TestSourceModule;

impl Module for TestSourceModule {
    fn name(&self) -> &'static str {
        "testbron"
    }

    fn migrations(&self) -> Vec<Migration> {
        vec![Migration {
            module: "testbron",
            version: 1,
            name: "counts",
            sql: MigrationSql::Portable(
                "CREATE TABLE testbron_counts (
                     organisation_id TEXT NOT NULL,
                     series_ref TEXT NOT NULL,
                     measured_on TEXT NOT NULL,
                     value DOUBLE PRECISION NOT NULL,
                     PRIMARY KEY (organisation_id, series_ref, measured_on)
                 );",
            ),
        }]
    }

    fn provide_ports(&self, ports: &mut Ports) {
        ports.provide::<dyn MeasurementSource>(Arc::new(Counts));
    }
}

fn modules() -> Vec<Arc<dyn Module>> {
    vec![module(), Arc::new(TestSourceModule)]
}

/// Runs `test` against a server with the plan and the test source, on each backend.
async fn each_source_app<F, Fut>(test: F)
where
    F: Fn(TestApp, World) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let migrations = steden_web::app::all_migrations(&modules());
    steden_db::testing::each_test_db(&migrations, |test_db| {
        let test = &test;
        let db = test_db.db.clone();
        async move {
            let app = TestApp::spawn_on(db.clone(), modules()).await;
            let w = world(&db).await;
            test(app, w).await;
        }
    })
    .await;
}

/// What the test module does when its data changes: writes, and tells the plan in the same
/// transaction.
async fn count(db: &Db, organisation_id: &str, series_ref: &str, date: &str, value: f64) {
    let mut tx = db.begin().await.unwrap();
    sqlx::query(
        "DELETE FROM testbron_counts
         WHERE organisation_id = $1 AND series_ref = $2 AND measured_on = $3",
    )
    .bind(organisation_id)
    .bind(series_ref)
    .bind(date)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO testbron_counts (organisation_id, series_ref, measured_on, value)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(organisation_id)
    .bind(series_ref)
    .bind(date)
    .bind(value)
    .execute(&mut *tx)
    .await
    .unwrap();
    source_changed(&mut tx, KEY, series_ref).await.unwrap();
    tx.commit().await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// Creates an indicator on AC010102 through its form, as the logged-in editor; its page path.
async fn new_indicator(app: &TestApp, p: &SmallPlan) -> String {
    let form = format!(
        "/plannen/{}/items/{}/indicatoren/nieuw",
        p.plan.id, p.ac010102.id
    );
    let response = app
        .post_form(
            &form,
            &form,
            &[
                ("name", "Bezoekers aan het e-loket"),
                ("unit", "personen"),
                ("direction", "hoger"),
                ("baseline_value", "10"),
                ("baseline_date", "01/01/2025"),
                ("targets", "31/12/2030 100"),
                ("frequency", "jaarlijks"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    location(&response)
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

fn id_of(path: &str) -> &str {
    path.rsplit('/').next().unwrap()
}

/// Posts a form of the indicator page and follows the redirect back to it; its HTML.
async fn post_on_page(app: &TestApp, page: &str, action: &str, fields: &[(&str, &str)]) -> String {
    let response = app.post_form(page, action, fields).await;
    assert_eq!(response.status(), 303, "POST {action}");
    assert_eq!(location(&response), page);
    app.page(page).await
}

/// The indicator's measurements as (date, value, author name), by date.
async fn measurements(db: &Db, indicator_id: &str) -> Vec<(String, f64, String)> {
    sqlx::query(
        "SELECT measured_on, value, author_name FROM plan_measurements
         WHERE indicator_id = $1 ORDER BY measured_on",
    )
    .bind(indicator_id)
    .fetch_all(db.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.get("measured_on"),
            r.get("value"),
            r.get::<String, _>("author_name"),
        )
    })
    .collect()
}

async fn scalar(db: &Db, sql: &str, param: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(param)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

async fn pull_jobs(db: &Db) -> Vec<jobs::Job> {
    let filter = JobFilter {
        kind: Some(PULL_JOB.into()),
        ..JobFilter::default()
    };
    jobs::list(db, &filter, 100, 0).await.unwrap()
}

// ---------------------------------------------------------------------------------------------
// Tests

#[tokio::test]
async fn linking_pulls_the_series_and_pulling_again_adds_nothing() {
    each_source_app(|app, w| async move {
        let p = small_plan(&w).await;
        count(&app.db, &w.gent, "bezoekers", "2025-06-30", 40.0).await;
        count(&app.db, &w.gent, "bezoekers", "2025-12-31", 55.5).await;
        // Another organisation's counts are not Gent's.
        count(&app.db, &w.antwerpen, "bezoekers", "2025-12-31", 999.0).await;
        // Nothing links to the series yet: no pull was queued.
        assert!(pull_jobs(&app.db).await.is_empty());

        login(&app, &w.editor).await;
        let page = new_indicator(&app, &p).await;
        let indicator = id_of(&page).to_string();
        let html = app.page(&page).await;
        assert!(html.contains("Bron van de metingen"), "{html}");
        assert!(html.contains(&format!("<optgroup label=\"{LABEL}\">")));
        assert!(html.contains("Bezoekers (personen)"));

        let html = post_on_page(
            &app,
            &page,
            &format!("{page}/bron"),
            &[("series", "testbron.tellingen:bezoekers")],
        )
        .await;
        assert!(
            html.contains("De indicator is gekoppeld: 2 metingen opgehaald."),
            "{html}"
        );
        assert!(html.contains("Metingen komen uit: <strong>Testbron: tellingen — Bezoekers"));
        assert!(html.contains("Laatst bijgewerkt op"));
        assert!(html.contains("Nu bijwerken"));
        // No form to type values on a linked indicator.
        assert!(!html.contains(&format!("action=\"{page}/metingen\"")));
        assert!(html.contains("komen uit een gekoppelde bron en worden niet met de hand"));
        assert_eq!(
            measurements(&app.db, &indicator).await,
            [
                ("2025-06-30".to_string(), 40.0, LABEL.to_string()),
                ("2025-12-31".to_string(), 55.5, LABEL.to_string()),
            ]
        );
        // Each value is a line in the item's history; the pull one audit entry.
        let history = scalar(
            &app.db,
            "SELECT COUNT(*) FROM plan_updates WHERE item_id = $1 AND measurement_id IS NOT NULL",
            &p.ac010102.id,
        )
        .await;
        assert_eq!(history, 2);
        let audit_sql =
            "SELECT COUNT(*) FROM audit_log WHERE entity_id = $1 AND action = 'pull_measurements'";
        assert_eq!(scalar(&app.db, audit_sql, &indicator).await, 1);

        // "Nu bijwerken" with nothing new writes nothing.
        let html = post_on_page(&app, &page, &format!("{page}/bron/bijwerken"), &[]).await;
        assert!(html.contains("Bijgewerkt: 0 nieuw, 0 gewijzigd."), "{html}");
        assert_eq!(measurements(&app.db, &indicator).await.len(), 2);
        assert_eq!(scalar(&app.db, audit_sql, &indicator).await, 1);

        // Unlinking keeps the values and opens the form again.
        let html = post_on_page(&app, &page, &format!("{page}/bron/ontkoppelen"), &[]).await;
        assert!(html.contains("De bron is ontkoppeld."));
        assert!(html.contains(&format!("action=\"{page}/metingen\"")));
        assert!(!html.contains("Metingen komen uit:"));
        assert_eq!(measurements(&app.db, &indicator).await.len(), 2);
    })
    .await;
}

#[tokio::test]
async fn a_change_in_the_source_queues_a_pull_that_the_worker_runs() {
    each_source_app(|app, w| async move {
        let p = small_plan(&w).await;
        count(&app.db, &w.gent, "bezoekers", "2025-06-30", 40.0).await;
        login(&app, &w.editor).await;
        let page = new_indicator(&app, &p).await;
        let indicator = id_of(&page).to_string();
        post_on_page(
            &app,
            &page,
            &format!("{page}/bron"),
            &[("series", "testbron.tellingen:bezoekers")],
        )
        .await;
        assert_eq!(measurements(&app.db, &indicator).await.len(), 1);

        // The source changes: a new date, and a corrected value on the old one.
        count(&app.db, &w.gent, "bezoekers", "2025-12-31", 61.0).await;
        count(&app.db, &w.gent, "bezoekers", "2025-06-30", 42.0).await;
        // A series nobody links to queues nothing.
        count(&app.db, &w.gent, "vergaderingen", "2025-12-31", 3.0).await;
        let queued = pull_jobs(&app.db).await;
        assert_eq!(queued.len(), 2, "one pull per change of the linked series");
        let payload: PullPayload = serde_json::from_value(queued[0].payload.clone()).unwrap();
        assert_eq!(
            payload,
            PullPayload::Series {
                source_key: KEY.into(),
                series_ref: "bezoekers".into()
            }
        );
        // Nothing is pulled before the jobs run.
        assert_eq!(measurements(&app.db, &indicator).await.len(), 1);

        // The real worker, with the handlers the plan registers with this build's ports.
        let mut registry = jobs::Registry::new();
        for module in modules() {
            module.register_jobs(&mut registry, app.state.ports());
        }
        let pool = jobs::WorkerPool::start(app.db.clone(), Arc::new(registry), 1, "test");
        let mut done = false;
        for _ in 0..400 {
            if pull_jobs(&app.db)
                .await
                .iter()
                .all(|j| j.status == JobStatus::Done)
            {
                done = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        pool.shutdown().await;
        assert!(done, "the pull jobs ran: {:?}", pull_jobs(&app.db).await);
        assert_eq!(
            measurements(&app.db, &indicator).await,
            [
                ("2025-06-30".to_string(), 42.0, LABEL.to_string()),
                ("2025-12-31".to_string(), 61.0, LABEL.to_string()),
            ]
        );
        let html = app.page(&page).await;
        assert!(html.contains("42 personen"), "{html}");
        assert!(html.contains("61 personen"));
    })
    .await;
}

#[tokio::test]
async fn a_source_missing_from_the_build_is_a_dutch_message_on_the_indicator() {
    each_source_app(|app, w| async move {
        let p = small_plan(&w).await;
        count(&app.db, &w.gent, "bezoekers", "2025-06-30", 40.0).await;
        login(&app, &w.editor).await;
        let page = new_indicator(&app, &p).await;
        let indicator = id_of(&page).to_string();
        post_on_page(
            &app,
            &page,
            &format!("{page}/bron"),
            &[("series", "testbron.tellingen:bezoekers")],
        )
        .await;

        // The same database, served by a build without the test module.
        let plan_only = TestApp::spawn_on(app.db.clone(), vec![module()]).await;
        login(&plan_only, &w.editor).await;
        let html = post_on_page(&plan_only, &page, &format!("{page}/bron/bijwerken"), &[]).await;
        let message = "De bron \"testbron.tellingen\" is niet beschikbaar in deze installatie";
        assert!(html.contains("Het laatste bijwerken is mislukt."), "{html}");
        assert!(html.contains(&message.replace('"', "&#34;")) || html.contains(message));
        // The link stays, shown by its key and the series' label; no link form without sources.
        assert!(html.contains("Metingen komen uit: <strong>testbron.tellingen — Bezoekers"));
        assert!(!html.contains("<optgroup"));
        assert_eq!(measurements(&app.db, &indicator).await.len(), 1);

        // The job in that build ends (nothing to retry) and leaves the same message.
        let outcome = steden_plan::indicators::pull::handle_pull(
            &app.db,
            &Ports::default(),
            json!({ "indicator_id": indicator }),
        )
        .await;
        assert!(outcome.is_ok(), "{outcome:?}");
        let error: Option<String> = sqlx::query_scalar(
            "SELECT last_error FROM plan_indicator_sources WHERE indicator_id = $1",
        )
        .bind(&indicator)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert!(error.unwrap().starts_with(message));

        // Back in the full build, a pull clears the message.
        let html = post_on_page(&app, &page, &format!("{page}/bron/bijwerken"), &[]).await;
        assert!(!html.contains("Het laatste bijwerken is mislukt."));
    })
    .await;
}

#[tokio::test]
async fn values_are_not_typed_by_hand_on_a_linked_indicator() {
    each_source_app(|app, w| async move {
        let p = small_plan(&w).await;
        login(&app, &w.editor).await;
        let page = new_indicator(&app, &p).await;
        let indicator = id_of(&page).to_string();
        post_on_page(
            &app,
            &page,
            &format!("{page}/bron"),
            &[("series", "testbron.tellingen:vergaderingen")],
        )
        .await;

        let response = app
            .post_form(
                &page,
                &format!("{page}/metingen"),
                &[("measured_on", "01/02/2026"), ("value", "7")],
            )
            .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(
            html.contains("komen uit een gekoppelde bron; voeg ze niet met de hand toe"),
            "{html}"
        );

        let mut tx = app.db.begin().await.unwrap();
        let token = api_token::create(
            &mut tx,
            &w.editor.actor,
            &NewApiToken {
                name: "test",
                organisation_id: &w.gent,
                modules: vec!["plan".into()],
                role: Role::Redacteur,
                expires_at: None,
            },
            &["core", "plan"],
        )
        .await
        .unwrap()
        .plaintext;
        tx.commit().await.unwrap();
        let response = app
            .client
            .post(app.url(&format!("/api/v1/plan/indicators/{indicator}/measurements")))
            .bearer_auth(&token)
            .json(&json!({ "date": "2026-02-01", "value": 7.0 }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422);
        let problem: Value = response.json().await.unwrap();
        assert!(problem.to_string().contains("gekoppelde bron"), "{problem}");
        assert!(measurements(&app.db, &indicator).await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn only_the_plans_editors_link_and_only_to_a_series_on_offer() {
    each_source_app(|app, w| async move {
        let p = small_plan(&w).await;
        login(&app, &w.editor).await;
        let page = new_indicator(&app, &p).await;
        let indicator = id_of(&page).to_string();
        let links = "SELECT COUNT(*) FROM plan_indicator_sources WHERE indicator_id = $1";

        // A series the source does not offer (a tampered form) links nothing.
        let html = post_on_page(
            &app,
            &page,
            &format!("{page}/bron"),
            &[("series", "testbron.tellingen:onbekend")],
        )
        .await;
        assert!(
            html.contains("Deze reeks is niet (meer) beschikbaar"),
            "{html}"
        );
        let html = post_on_page(
            &app,
            &page,
            &format!("{page}/bron"),
            &[("series", "elders.iets:bezoekers")],
        )
        .await;
        assert!(html.contains("Kies een reeks uit de lijst."));
        assert_eq!(scalar(&app.db, links, &indicator).await, 0);

        // The editor of another organisation, and a reader of Gent, may not.
        let token_page = "/plannen";
        for person in [&w.outsider, &w.reader, &w.member] {
            // A browser of their own (a second server over the same database).
            let browser = TestApp::spawn_on(app.db.clone(), modules()).await;
            login(&browser, person).await;
            for action in ["bron", "bron/bijwerken", "bron/ontkoppelen"] {
                let response = browser
                    .post_form(
                        token_page,
                        &format!("{page}/{action}"),
                        &[("series", "testbron.tellingen:bezoekers")],
                    )
                    .await;
                assert!(
                    [403, 404].contains(&response.status().as_u16()),
                    "{} {action}: {}",
                    person.email,
                    response.status()
                );
            }
            // Nor do they see the link form.
            if person.email != w.outsider.email {
                let html = browser.page(&page).await;
                assert!(!html.contains("<optgroup"), "{}", person.email);
            }
        }
        assert_eq!(scalar(&app.db, links, &indicator).await, 0);
    })
    .await;
}
