//! The link to the plan (issue 15 point 7), on both backends: a plan indicator of Gent linked
//! to the Stad in cijfers series "indicator at Gent" on the plan's indicator page gets the
//! series' public values, the page names the series and its source; a value suppressed by the
//! disclosure check never reaches the plan; a new import into the published indicator runs the
//! gate, which queues the plan's pull, and the pull brings the new value.

use sqlx::Row;
use steden_cijfers::import::numbers::DecimalMark;
use steden_cijfers::model::ImportKind;
use steden_cijfers::plan_link::{CijfersSeries, SOURCE_KEY};
use steden_core::audit::AuditActor;
use steden_core::role::Role;
use steden_db::Db;
use steden_plan::indicators::fields::IndicatorFields as PlanIndicatorFields;
use steden_plan::ports::{MeasurementSource, PULL_JOB};
use steden_plan::store::items::{self, ItemFields};
use steden_plan::store::plans::{self, PlanFields};
use steden_testkit::each_app_with;

use crate::common::{fields, geography, indicator, login, modules, org_id, person};
use crate::imports::import;

/// A plan of Gent with one item and one indicator; (plan id, indicator id).
async fn gent_plan(db: &Db, gent: &str) -> (String, String) {
    let actor = AuditActor::system();
    let mut tx = db.begin().await.unwrap();
    let plan = plans::create(
        &mut tx,
        gent,
        &PlanFields {
            kind: "meerjarenplan".into(),
            title: "Meerjarenplan Gent".into(),
            description: String::new(),
            period_start: "2020-01-01".into(),
            period_end: "2030-12-31".into(),
            status: "vastgesteld".into(),
        },
        &["Doelstelling".to_string()],
        false,
        &actor,
    )
    .await
    .unwrap();
    let item = items::create(
        &mut tx,
        &plan.id,
        None,
        &ItemFields {
            code: "1".into(),
            title: "Minder energieverbruik".into(),
            ..ItemFields::default()
        },
        &actor,
    )
    .await
    .unwrap();
    let indicator = steden_plan::store::indicators::create(
        &mut tx,
        &item.id,
        &PlanIndicatorFields {
            name: "Energieverbruik".into(),
            unit: "MWh".into(),
            direction: "lager".into(),
            baseline_value: "1300".into(),
            baseline_date: "01/01/2022".into(),
            targets: "31/12/2030 1000".into(),
            source: String::new(),
            frequency: "jaarlijks".into(),
            definition_key: String::new(),
        },
        &actor,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (plan.id, indicator.id)
}

async fn measurements(db: &Db, indicator_id: &str) -> Vec<(String, f64)> {
    sqlx::query(
        "SELECT measured_on, value FROM plan_measurements WHERE indicator_id = $1
         ORDER BY measured_on",
    )
    .bind(indicator_id)
    .fetch_all(db.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get("measured_on"), r.get("value")))
    .collect()
}

async fn queued_pulls(db: &Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = $1 AND status = 'queued'")
        .bind(PULL_JOB)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_plan_indicator_follows_the_public_values_of_a_series() {
    each_app_with(modules, |app| async move {
        geography(&app.db).await;
        let gent = org_id(&app.db, "gent").await;
        let with_rule = steden_cijfers::store::indicators::IndicatorFields {
            name: "Energieverbruik huishoudens".into(),
            source: "Fluvius".into(),
            unit: "MWh".into(),
            min_count: Some(5),
            ..fields("energie_plan")
        };
        indicator(&app.db, &with_rule, None).await;
        // 2023 is public; 2024 counts 3 (under the minimum of 5) and is suppressed.
        let csv = "indicator;geo;period;value;status\n\
                   energie_plan;44021;2023;1200;\n\
                   energie_plan;44021;2024;3;\n";
        import(
            &app.db,
            "kenniscentrum",
            ImportKind::LongCsv,
            "e.csv",
            csv.as_bytes(),
            DecimalMark::Point,
        )
        .await;
        let series = "energie_plan@gemeente:44021".to_string();
        let offered = CijfersSeries.series(&app.db, &gent).await.unwrap();
        let gent_series = offered
            .iter()
            .find(|s| s.series_ref == series)
            .expect("the series is offered");
        assert_eq!(
            gent_series.label,
            "Energieverbruik huishoudens – Gent (bron: Fluvius)"
        );

        let (plan_id, indicator_id) = gent_plan(&app.db, &gent).await;
        let editor = person(
            &app.db,
            "plan@gent.test",
            "Piet Plan",
            &gent,
            Role::Redacteur,
        )
        .await;
        login(&app, &editor).await;
        let page = steden_plan::paths::indicator_path(&plan_id, &indicator_id);
        let html = app.page(&page).await;
        assert!(
            html.contains("<optgroup label=\"Stad in cijfers\">"),
            "{html}"
        );
        let response = app
            .post_form(
                &page,
                &format!("{page}/bron"),
                &[("series", &format!("{SOURCE_KEY}:{series}"))],
            )
            .await;
        assert_eq!(response.status(), 303);
        let html = app.page(&page).await;
        assert!(
            html.contains("Stad in cijfers — Energieverbruik huishoudens – Gent (bron: Fluvius)"),
            "{html}"
        );
        // Only the public value: the suppressed 2024 never reaches the plan.
        assert_eq!(
            measurements(&app.db, &indicator_id).await,
            [("2023-01-01".to_string(), 1200.0)]
        );
        let comment: String =
            sqlx::query_scalar("SELECT comment FROM plan_measurements WHERE indicator_id = $1")
                .bind(&indicator_id)
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(
            comment,
            "Stad in cijfers: Energieverbruik huishoudens, Gent, 2023: 1200, bron: Fluvius"
        );
        assert_eq!(queued_pulls(&app.db).await, 0);

        // New data: the import runs the gate, which queues the plan's pull.
        let csv = "indicator;geo;period;value;status\nenergie_plan;44021;2025;1150;\n";
        import(
            &app.db,
            "kenniscentrum",
            ImportKind::LongCsv,
            "e2.csv",
            csv.as_bytes(),
            DecimalMark::Point,
        )
        .await;
        assert_eq!(queued_pulls(&app.db).await, 1);
        steden_plan::indicators::pull::pull(&app.db, app.state.ports(), &indicator_id)
            .await
            .unwrap();
        assert_eq!(
            measurements(&app.db, &indicator_id).await,
            [
                ("2023-01-01".to_string(), 1200.0),
                ("2025-01-01".to_string(), 1150.0)
            ]
        );
    })
    .await;
}
