//! The disclosure check as the gate of publication, on both backends: a table where naive
//! primary suppression leaks a cell by subtraction from the total is refused when the data
//! team keeps its own pattern and passes once the platform adds a secondary suppression; the
//! public API, downloads and cube never hold a suppressed value; running the check again gives
//! the same outcome; an import into a published indicator runs it; only the indicator's data
//! team may publish.

use sqlx::Row;
use steden_cijfers::import::numbers::DecimalMark;
use steden_cijfers::model::{GeoLevel, ImportKind, Period, ValueStatus};
use steden_cijfers::store::values::{self, NewValue};
use steden_cijfers::store::{cube, disclosure, geo, indicators};
use steden_core::role::Role;
use steden_db::testing::each_backend;
use steden_db::Db;
use steden_testkit::each_app_with;

use crate::common::{
    check, fields, geography, indicator, login, migrations, modules, org_id, person,
};

async fn put(db: &Db, code: &str, level: GeoLevel, geo_code: &str, value: f64) {
    let mut tx = db.begin().await.unwrap();
    let found = indicators::get_by_code(&mut *tx, code).await.unwrap();
    let place = geo::find(&mut *tx, level, geo_code).await.unwrap().unwrap();
    let period = values::ensure_period(&mut tx, &Period::parse("2024").unwrap())
        .await
        .unwrap();
    values::upsert(
        &mut tx,
        &NewValue {
            indicator_id: &found.id,
            geo_item_id: &place.id,
            period_id: &period,
            value: Some(value),
            status: ValueStatus::Definitive,
            import_id: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// Gent and all three of its sectors: the city is exactly the sum, and the first sector
/// counts 3 people (under the minimum of 5).
async fn small_count_table(db: &Db, code: &str) {
    put(db, code, GeoLevel::Gemeente, "44021", 93.0).await;
    put(db, code, GeoLevel::Sector, "44021A00-", 3.0).await;
    put(db, code, GeoLevel::Sector, "44021A01-", 40.0).await;
    put(db, code, GeoLevel::Sector, "44021B00-", 50.0).await;
}

/// The outcome of the check per place, sorted.
async fn outcomes(db: &Db, code: &str) -> Vec<(String, String)> {
    let rows = sqlx::query(
        "SELECT g.code, v.disclosure FROM cijfers_values v
         JOIN cijfers_geo_items g ON g.id = v.geo_item_id
         JOIN cijfers_indicators i ON i.id = v.indicator_id
         WHERE i.code = $1 ORDER BY g.code",
    )
    .bind(code)
    .fetch_all(db.pool())
    .await
    .unwrap();
    rows.iter().map(|r| (r.get(0), r.get(1))).collect()
}

async fn set_auto(db: &Db, code: &str, auto: bool) {
    let found = indicators::get_by_code(db.pool(), code).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    disclosure::set_settings(&mut tx, &found.id, None, auto)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[tokio::test]
async fn gate_refuses_a_leaking_pattern_and_secondary_suppression_makes_it_pass() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        indicator(
            &db,
            &indicators::IndicatorFields {
                min_count: Some(5),
                ..fields("klein")
            },
            None,
        )
        .await;
        small_count_table(&db, "klein").await;
        // Before any check nothing is public, though the indicator is marked published.
        assert!(values::public_series(db.pool(), "klein", None)
            .await
            .unwrap()
            .is_empty());

        // The data team's own pattern (primary suppression only): 93 − 40 − 50 = 3.
        set_auto(&db, "klein", false).await;
        let refused = check(&db, "klein").await;
        assert!(!refused.passed, "{}", refused.summary);
        let leak = refused.leaks().next().unwrap();
        assert_eq!(leak.place, "44021A00-");
        assert!(leak.upper.unwrap() - leak.lower < 1e-6, "{leak:?}");
        let message = refused.refusal_nl();
        assert!(message.starts_with("Publicatie geweigerd"), "{message}");
        assert!(message.contains("44021A00- (2024)"), "{message}");
        let found = indicators::get_by_code(db.pool(), "klein").await.unwrap();
        assert!(found.published && !found.is_public());
        assert!(values::public_series(db.pool(), "klein", None)
            .await
            .unwrap()
            .is_empty());
        assert!(cube::public_cube(db.pool(), &["klein"], "")
            .await
            .unwrap()
            .is_none());

        // The platform's secondary suppression hides a second sector; the audit passes.
        set_auto(&db, "klein", true).await;
        let passed = check(&db, "klein").await;
        assert!(passed.passed, "{}", passed.summary);
        let expected = pairs(&[
            ("44021", "passed"),
            ("44021A00-", "primary"),
            ("44021A01-", "secondary"),
            ("44021B00-", "passed"),
        ]);
        assert_eq!(outcomes(&db, "klein").await, expected);
        let public = values::public_series(db.pool(), "klein", None)
            .await
            .unwrap();
        let shown: Vec<(&str, Option<f64>)> = public
            .iter()
            .map(|r| (r.geo_code.as_str(), r.value))
            .collect();
        assert_eq!(shown, [("44021", Some(93.0)), ("44021B00-", Some(50.0))]);
        let run = disclosure::latest_run(db.pool(), &found.id)
            .await
            .unwrap()
            .unwrap();
        assert!(run.passed && run.applied);
        assert_eq!(run.cells.len(), 2);
        assert!(run
            .cells
            .iter()
            .all(|c| !c.leaks && c.upper.unwrap() - c.lower >= 2.0));

        // Again on the same data: the same outcome, one more run on record.
        let again = check(&db, "klein").await;
        assert_eq!((again.passed, &again.cells), (true, &passed.cells));
        assert_eq!(outcomes(&db, "klein").await, expected);
        assert_eq!(
            disclosure::run_count(db.pool(), &found.id).await.unwrap(),
            3
        );

        // A value written afterwards is pending, and the indicator is hidden until the next
        // check (the import job and the aggregation run or mark it).
        put(&db, "klein", GeoLevel::Sector, "44021B00-", 51.0).await;
        assert!(!outcomes(&db, "klein")
            .await
            .contains(&("44021B00-".into(), "passed".into())));
        put(&db, "klein", GeoLevel::Gemeente, "44021", 94.0).await;
        assert!(check(&db, "klein").await.passed);
        assert_eq!(outcomes(&db, "klein").await, expected);
    })
    .await;
}

#[tokio::test]
async fn gate_runs_on_an_import_into_a_published_indicator() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        indicator(
            &db,
            &indicators::IndicatorFields {
                min_count: Some(5),
                ..fields("bev")
            },
            None,
        )
        .await;
        set_auto(&db, "bev", false).await;
        let file = "indicator;geo;period;value\n\
                    bev;44021;2024;93\n\
                    bev;44021A00-;2024;3\n\
                    bev;44021A01-;2024;40\n\
                    bev;44021B00-;2024;50\n";
        let (id, written) = crate::imports::import(
            &db,
            "kenniscentrum",
            ImportKind::LongCsv,
            "bev.csv",
            file.as_bytes(),
            DecimalMark::Point,
        )
        .await;
        assert_eq!(written, 4);
        // The values are written; the check failed in the same transaction, so the indicator
        // is hidden and the import's report says why.
        let bev = indicators::get_by_code(db.pool(), "bev").await.unwrap();
        assert!(bev.published && !bev.disclosure_passed);
        assert!(values::public_series(db.pool(), "bev", None)
            .await
            .unwrap()
            .is_empty());
        let stored = steden_cijfers::store::imports::get(db.pool(), &id)
            .await
            .unwrap();
        let report = steden_cijfers::import::jobs::Report::from_json(&stored.report);
        assert!(
            report.disclosure[0].contains("Controle mislukt"),
            "{:?}",
            report.disclosure
        );

        // With the platform's secondary suppression the same file passes on import.
        set_auto(&db, "bev", true).await;
        crate::imports::import(
            &db,
            "kenniscentrum",
            ImportKind::LongCsv,
            "bev2.csv",
            file.as_bytes(),
            DecimalMark::Point,
        )
        .await;
        let bev = indicators::get_by_code(db.pool(), "bev").await.unwrap();
        assert!(bev.is_public());
        let public = values::public_series(db.pool(), "bev", Some(GeoLevel::Sector))
            .await
            .unwrap();
        assert_eq!(public.len(), 1);
        assert_eq!(public[0].value, Some(50.0));
    })
    .await;
}

#[tokio::test]
async fn gate_only_the_data_team_publishes_and_a_refusal_is_shown_in_dutch() {
    each_app_with(modules, |app| async move {
        geography(&app.db).await;
        let gent = org_id(&app.db, "gent").await;
        let antwerpen = org_id(&app.db, "antwerpen").await;
        let own = indicators::IndicatorFields {
            published: false,
            min_count: Some(5),
            ..fields("gent_klein")
        };
        indicator(&app.db, &own, Some(&gent)).await;
        small_count_table(&app.db, "gent_klein").await;
        let form = |auto: bool| {
            let mut f = vec![
                ("name", "Kleine aantallen"),
                ("aggregation", "sum"),
                ("decimals", "0"),
                ("min_count", "5"),
                ("published", "1"),
            ];
            if auto {
                f.push(("auto_secondary", "1"));
            }
            f
        };
        let path = "/cijfers/beheer/indicatoren/gent_klein";

        // Another city's data team may not publish Gent's indicator.
        let other = person(
            &app.db,
            "data@antwerpen.test",
            "Ann Data",
            &antwerpen,
            Role::Redacteur,
        )
        .await;
        login(&app, &other).await;
        let response = app
            .post_form("/cijfers/beheer/indicatoren", path, &form(true))
            .await;
        assert_eq!(response.status(), 403);
        assert!(
            !indicators::get_by_code(app.db.pool(), "gent_klein")
                .await
                .unwrap()
                .published
        );

        // Gent's data team, keeping its own (leaking) pattern: refused, in Dutch, nothing saved.
        let editor = person(
            &app.db,
            "data@gent.test",
            "Daan Data",
            &gent,
            Role::Redacteur,
        )
        .await;
        login(&app, &editor).await;
        let response = app.post_form(path, path, &form(false)).await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("Publicatie geweigerd"), "{html}");
        assert!(html.contains("44021A00- (2024)"), "{html}");
        let found = indicators::get_by_code(app.db.pool(), "gent_klein")
            .await
            .unwrap();
        assert!(!found.published && !found.disclosure_passed);
        let run = disclosure::latest_run(app.db.pool(), &found.id)
            .await
            .unwrap()
            .unwrap();
        assert!(!run.passed && !run.applied);
        assert_eq!(run.ran_by_name.as_deref(), Some("Daan Data"));

        // With the platform's secondary suppression: published, and the report is on the page.
        let response = app.post_form(path, path, &form(true)).await;
        assert_eq!(response.status(), 303);
        let found = indicators::get_by_code(app.db.pool(), "gent_klein")
            .await
            .unwrap();
        assert!(found.is_public());
        let page = app.page(path).await;
        assert!(page.contains("Geheimhoudingscontrole"));
        assert!(page.contains("<caption id=\"cijfers-gate-caption\">"));
        assert!(
            page.contains("te weinig waarnemingen (3, minimum 5)"),
            "{page}"
        );
        assert!(page.contains("secundair: beschermt"), "{page}");

        // The public: no suppressed value in the API, the downloads or the page.
        let api: serde_json::Value = app
            .get("/api/v1/cijfers/indicators/gent_klein/values?level=sector&per_page=100")
            .await
            .json()
            .await
            .unwrap();
        let text = api.to_string();
        assert!(text.contains("44021B00-"), "{text}");
        assert!(
            !text.contains("44021A00-") && !text.contains("44021A01-"),
            "{text}"
        );
        for format in ["csv", "json", "sdmx"] {
            let response = app
                .get(&format!("/cijfers/indicator/gent_klein/download/{format}"))
                .await;
            assert_eq!(response.status(), 200, "{format}");
            let body = response.text().await.unwrap();
            assert!(body.contains("93"), "{format}: {body}");
        }
        let page = app.page("/cijfers/indicator/gent_klein").await;
        assert!(page.contains("93"));
    })
    .await;
}
