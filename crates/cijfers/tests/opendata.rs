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

/// A number found nowhere else in the demo, put behind its suppressed value (Turnhout 2017,
/// demo_leefloners) so that a leak shows in the bytes of any file.
const SECRET: f64 = 987_654.0;

/// The forms the secret could take in a file: plain, with a Belgian thousands separator.
const SECRET_FORMS: [&str; 4] = ["987654", "987.654", "987\u{a0}654", "987 654"];

async fn mark_secret(app: &TestApp) {
    let changed = sqlx::query(
        "UPDATE cijfers_values SET value = $1
         WHERE status = 'suppressed' AND indicator_id =
             (SELECT id FROM cijfers_indicators WHERE code = 'demo_leefloners')",
    )
    .bind(SECRET)
    .execute(app.db.pool())
    .await
    .unwrap()
    .rows_affected();
    assert_eq!(changed, 1, "the demo has one suppressed value");
}

/// `rows`: the file is one observation per line (CSV, SDMX-CSV), so Turnhout's 2017 line must be
/// missing altogether.
fn assert_secret_absent(what: &str, text: &str, rows: bool) {
    for form in SECRET_FORMS {
        assert!(
            !text.contains(form),
            "{what}: the suppressed figure is in the file"
        );
    }
    // No line of Turnhout in 2017 at all (the value is left out, not blanked).
    for line in text.lines().filter(|_| rows) {
        assert!(
            !(line.contains("13040") && line.contains("2017")),
            "{what}: {line}"
        );
    }
}

#[tokio::test]
async fn the_public_cube_holds_published_values_of_the_cities_and_flanders_only() {
    each_app_with(modules, |app| async move {
        seeded(&app).await;
        mark_secret(&app).await;
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
        assert!(cube.cells().iter().all(|c| c.published() != Some(SECRET)));
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
    })
    .await;
}

#[tokio::test]
async fn the_downloads_and_the_api_hold_no_suppressed_value() {
    each_app_with(modules, |app| async move {
        seeded(&app).await;
        mark_secret(&app).await;
        let base = "/cijfers/indicator/demo_leefloners/download";

        let response = app.get(&format!("{base}/csv")).await;
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(disposition.contains("demo_leefloners.csv"), "{disposition}");
        let csv = response.text().await.unwrap();
        assert!(csv.contains("Turnhout") && csv.contains("Vlaams Gewest"));
        assert_secret_absent("CSV", &csv, true);

        let response = app.get(&format!("{base}/sdmx")).await;
        assert_eq!(response.status(), 200);
        let sdmx_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            sdmx_type.starts_with("application/vnd.sdmx.data+csv; version=2.0.0"),
            "{sdmx_type}"
        );
        let sdmx = response.text().await.unwrap();
        assert!(sdmx.starts_with("STRUCTURE,STRUCTURE_ID,ACTION,"));
        // One row per public observation: 14 cities and the region over 10 years, less the
        // suppressed one and Hasselt before its 2025 merger (its figures are the old
        // municipalities', which the cube does not recompute).
        assert_eq!(sdmx.lines().count(), 1 + 15 * 10 - 1 - 9);
        assert_secret_absent("SDMX", &sdmx, true);
        // The API gives the same file.
        let api = app
            .get("/api/v1/cijfers/indicators/demo_leefloners/sdmx")
            .await;
        assert_eq!(api.status(), 200);
        assert_eq!(api.headers()["content-type"].to_str().unwrap(), sdmx_type);
        assert_eq!(api.text().await.unwrap(), sdmx);

        for path in [
            format!("{base}/json"),
            "/api/v1/cijfers/indicators/demo_leefloners/jsonstat".into(),
        ] {
            let response = app.get(&path).await;
            assert_eq!(response.status(), 200, "{path}");
            assert!(response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"));
            let text = response.text().await.unwrap();
            assert_secret_absent("JSON-stat", &text, false);
            let data: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(data["version"], "2.0");
            assert_eq!(data["class"], "dataset");
            assert_eq!(
                data["id"],
                serde_json::json!(["indicator", "geo", "period"])
            );
            assert_eq!(data["size"], serde_json::json!([1, 15, 10]));
            let values = data["value"].as_array().unwrap();
            assert_eq!(values.len(), 150);
            // The index is an array of codes, in the order of the dense value array.
            let position = |dimension: &str, code: &str| {
                data["dimension"][dimension]["category"]["index"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .position(|c| c == code)
                    .unwrap()
            };
            let (geo, period) = (position("geo", "13040"), position("period", "2017"));
            assert!(values[geo * 10 + period].is_null());
            assert!(values[geo * 10 + period + 1].is_number());
        }

        let response = app.get(&format!("{base}/xlsx")).await;
        assert_eq!(response.status(), 200);
        let bytes = response.bytes().await.unwrap();
        use calamine::{Data, Reader, Xlsx};
        let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let range = book.worksheet_range("Gegevens").unwrap();
        let rows: Vec<_> = range.rows().collect();
        assert_eq!(rows.len(), 1 + 15 * 10 - 1 - 9);
        for row in &rows {
            let turnhout_2017 = row.get(4) == Some(&Data::String("13040".into()))
                && row.get(6) == Some(&Data::String("2017".into()));
            assert!(!turnhout_2017, "{row:?}");
            assert!(!row.contains(&Data::Float(SECRET)), "{row:?}");
        }

        // Unpublished, unknown indicator or format: not found, everywhere.
        for path in [
            "/cijfers/indicator/demo_kinderopvang/download/csv",
            "/cijfers/indicator/demo_kinderopvang/download/xlsx",
            "/cijfers/indicator/demo_kinderopvang/download/json",
            "/cijfers/indicator/demo_kinderopvang/download/sdmx",
            "/cijfers/indicator/demo_leefloners/download/pdf",
            "/api/v1/cijfers/indicators/demo_kinderopvang/jsonstat",
            "/api/v1/cijfers/indicators/demo_kinderopvang/sdmx",
            "/api/v1/cijfers/indicators/bestaat_niet/sdmx",
        ] {
            assert_eq!(app.get(path).await.status(), 404, "{path}");
        }
    })
    .await;
}

#[tokio::test]
async fn the_indicator_page_draws_the_charts_beside_its_tables() {
    each_app_with(modules, |app| async move {
        seeded(&app).await;
        mark_secret(&app).await;
        let page = app.page("/cijfers/indicator/demo_leefloners").await;
        assert_secret_absent("page", &page, false);
        assert_eq!(
            page.matches("<figure class=\"cijfers-chart\"><svg").count(),
            2,
            "a line chart and a ranking"
        );
        assert!(page.contains("id=\"cj-lijn-title\"") && page.contains("id=\"cj-rang-title\""));
        // The table is still there, and the ranking's table.
        assert!(page.contains("<caption"));
        assert!(page.contains("Rangschikking in 2025"));
        for format in ["csv", "xlsx", "json", "sdmx"] {
            assert!(
                page.contains(&format!(
                    "/cijfers/indicator/demo_leefloners/download/{format}"
                )),
                "{format}"
            );
        }
        // The chart does not draw the suppressed figure either.
        let line = page
            .split("id=\"cj-lijn-title\"")
            .nth(1)
            .unwrap()
            .split("</svg>")
            .next()
            .unwrap();
        assert!(line.contains("Turnhout"));
    })
    .await;
}
