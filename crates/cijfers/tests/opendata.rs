//! The open data of an indicator on both backends: the store's public cube, and (over HTTP) the
//! downloads, the JSON-stat and SDMX answers of the API, and the charts on the indicator's page.
//! The demo's suppressed value (Turnhout 2017, demo_leefloners) must never leave the platform.

use steden_cijfers::store::cube::public_cube;
use steden_testkit::each_app_with;

use crate::common::{modules, TestApp};

async fn seeded(app: &TestApp) {
    steden_core::org::seed_defaults(&app.db).await.unwrap();
    steden_cijfers::demo::seed(&app.db).await.unwrap();
}

/// The stored number behind the demo's suppressed value, as the downloads would write it.
async fn suppressed_number(app: &TestApp) -> f64 {
    use sqlx::Row;
    sqlx::query(
        "SELECT v.value FROM cijfers_values v
         JOIN cijfers_indicators i ON i.id = v.indicator_id
         JOIN cijfers_geo_items g ON g.id = v.geo_item_id
         JOIN cijfers_periods p ON p.id = v.period_id
         WHERE i.code = 'demo_leefloners' AND g.code = '13040' AND p.code = '2017'
           AND v.status = 'suppressed'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap()
    .get::<Option<f64>, _>(0)
    .expect("the demo keeps the real figure behind its suppressed value")
}

#[tokio::test]
async fn the_public_cube_holds_published_values_of_the_cities_and_flanders_only() {
    each_app_with(modules, |app| async move {
        seeded(&app).await;
        let pool = app.db.pool();
        assert!(public_cube(pool, &["demo_kinderopvang"], "https://x.test")
            .await
            .unwrap()
            .is_none());
        assert!(public_cube(pool, &["bestaat_niet"], "https://x.test")
            .await
            .unwrap()
            .is_none());
        let cube = public_cube(pool, &["demo_leefloners"], "https://x.test")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(cube.indicators().len(), 1);
        let codes: Vec<&str> = cube.geo().iter().map(|g| g.code.as_str()).collect();
        assert_eq!(codes.len(), 15, "{codes:?}");
        assert_eq!(codes.last(), Some(&"02000"));
        // The old municipalities of a merger are no places of their own.
        assert!(!codes.contains(&"71034") && !codes.contains(&"71022"));
        let periods: Vec<&str> = cube.periods().iter().map(|p| p.code.as_str()).collect();
        assert_eq!(periods.first(), Some(&"2016"));
        assert_eq!(periods.last(), Some(&"2025"));
        assert_eq!(periods.len(), 10);
        // The suppressed value is left out: no number and no status.
        let cell = cube
            .cell_by_code("demo_leefloners", "13040", "2017")
            .unwrap();
        assert_eq!(cell.published(), None);
        assert_eq!(cell.status(), None);
        let cell = cube
            .cell_by_code("demo_leefloners", "13040", "2018")
            .unwrap();
        assert!(cell.published().is_some());
        assert!(cube
            .cell_by_code("demo_leefloners", "02000", "2025")
            .unwrap()
            .published()
            .is_some());
        assert_eq!(
            cube.meta.href.as_deref(),
            Some("https://x.test/cijfers/indicator/demo_leefloners")
        );
        // A list: one unpublished code refuses the whole cube.
        let two = public_cube(pool, &["demo_leefloners", "demo_bevolking"], "")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(two.indicators().len(), 2);
        assert!(
            public_cube(pool, &["demo_leefloners", "demo_kinderopvang"], "")
                .await
                .unwrap()
                .is_none()
        );
        assert!(suppressed_number(&app).await > 0.0);
    })
    .await;
}
