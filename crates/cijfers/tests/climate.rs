//! The climate dashboard (cj-climate2, issue 15 point 6), on both backends: emission factors
//! and targets through the store (round trips, overlapping validity refused, Dutch errors,
//! audit entries), the page and the API computed from seeded public values (energy × the
//! factor of the year, a kWh indicator converted, a suppressed value left out and reported as
//! missing, the trajectory of a target), the admin forms behind their permission and CSRF, and
//! the demo's two cities.

use steden_cijfers::climate::{self, Carrier};
use steden_cijfers::model::{GeoLevel, Period, ValueStatus};
use steden_cijfers::store::climate::{self as store, FactorFields, TargetFields};
use steden_cijfers::store::values::{self, NewValue};
use steden_cijfers::store::{geo, indicators};
use steden_core::audit::AuditActor;
use steden_core::role::Role;
use steden_core::CoreError;
use steden_db::testing::each_backend;
use steden_db::Db;
use steden_testkit::each_app_with;

use crate::common::{
    count, fields, geography, indicator, login, migrations, modules, org_id, person,
};

fn factor(carrier: &str, kg: &str, from: &str, until: &str) -> FactorFields {
    FactorFields {
        carrier: carrier.into(),
        kg_co2_per_kwh: kg.into(),
        valid_from: from.into(),
        valid_until: until.into(),
        source: format!("Proefbron {carrier}"),
        source_url: "https://voorbeeld.test/factoren".into(),
    }
}

fn target(place: &str, base: &str, year: &str, pct: &str) -> TargetFields {
    TargetFields {
        place_code: place.into(),
        label: "Proefdoel".into(),
        base_year: base.into(),
        target_year: year.into(),
        reduction_pct: pct.into(),
        source: "Gemeenteraad".into(),
    }
}

fn messages(err: CoreError) -> Vec<(String, String)> {
    match err {
        CoreError::Invalid(errors) => errors.into_iter().map(|e| (e.field, e.message)).collect(),
        other => panic!("expected invalid fields, got {other:?}"),
    }
}

#[tokio::test]
async fn factors_and_targets_round_trip_and_are_checked_in_dutch() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        let actor = AuditActor::system();
        let mut tx = db.begin().await.unwrap();
        let first = store::create_factor(
            &mut tx,
            &factor("elektriciteit", "0,22", "01/01/2011", ""),
            false,
            &actor,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        // A second open period of the same carrier overlaps: refused, nothing written.
        let mut tx = db.begin().await.unwrap();
        let err = store::create_factor(
            &mut tx,
            &factor("elektriciteit", "0,15", "2021-01-01", ""),
            false,
            &actor,
        )
        .await
        .unwrap_err();
        tx.rollback().await.unwrap();
        let found = messages(err);
        assert!(found[0].1.contains("overlapt"), "{found:?}");
        assert!(found[0].1.contains("01/01/2011"), "{found:?}");

        // Close the first on 31/12/2020, then the new one fits.
        let current = store::find_factor(db.pool(), &first)
            .await
            .unwrap()
            .unwrap();
        let mut tx = db.begin().await.unwrap();
        store::update_factor(
            &mut tx,
            &current,
            &factor("elektriciteit", "0,22", "01/01/2011", "31/12/2020"),
            &actor,
        )
        .await
        .unwrap();
        store::create_factor(
            &mut tx,
            &factor("elektriciteit", "0.15", "2021-01-01", ""),
            false,
            &actor,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let all = store::list_factors(db.pool()).await.unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].valid_until.as_deref(), Some("2020-12-31"));
        assert_eq!(all[1].kg_co2_per_kwh, 0.15);
        assert_eq!(all[0].source_url, "https://voorbeeld.test/factoren");
        // The factor of each year is the one valid on 1 January.
        let of = |year| {
            climate::factor_for(&all, Carrier::Elektriciteit, year).map(|f| f.kg_co2_per_kwh)
        };
        assert_eq!(
            (of(2020), of(2021), of(2010)),
            (Some(0.22), Some(0.15), None)
        );

        // Every problem at once.
        let bad = FactorFields {
            carrier: "hout".into(),
            kg_co2_per_kwh: "veel".into(),
            valid_from: "2021-13-01".into(),
            valid_until: String::new(),
            source: String::new(),
            source_url: "ftp://x".into(),
        };
        let mut tx = db.begin().await.unwrap();
        let found = messages(
            store::create_factor(&mut tx, &bad, false, &actor)
                .await
                .unwrap_err(),
        );
        tx.rollback().await.unwrap();
        let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "carrier",
                "kg_co2_per_kwh",
                "valid_from",
                "source",
                "source_url"
            ]
        );
        let mut tx = db.begin().await.unwrap();
        let found = messages(
            store::create_factor(
                &mut tx,
                &factor("aardgas", "0,2", "2020-01-01", "2019-01-01"),
                false,
                &actor,
            )
            .await
            .unwrap_err(),
        );
        tx.rollback().await.unwrap();
        assert_eq!(found[0].1, "De einddatum ligt vóór de begindatum.");

        // Targets.
        let mut tx = db.begin().await.unwrap();
        let id = store::create_target(
            &mut tx,
            &target("44021", "2011", "2030", "40"),
            false,
            &actor,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let stored = store::find_target(db.pool(), &id).await.unwrap().unwrap();
        assert_eq!(
            (stored.base_year, stored.target_year, stored.reduction_pct),
            (2011, 2030, 40.0)
        );
        let mut tx = db.begin().await.unwrap();
        let found = messages(
            store::create_target(
                &mut tx,
                &target("44021", "2030", "2020", "120"),
                false,
                &actor,
            )
            .await
            .unwrap_err(),
        );
        tx.rollback().await.unwrap();
        assert_eq!(
            found,
            [
                (
                    "target_year".to_string(),
                    "Het doeljaar ligt na het basisjaar.".to_string()
                ),
                (
                    "reduction_pct".to_string(),
                    "Geef de vermindering als percentage tussen 0 en 100, bijvoorbeeld 40."
                        .to_string()
                ),
            ]
        );
        let mut tx = db.begin().await.unwrap();
        let found = messages(
            store::create_target(
                &mut tx,
                &target("99999", "2011", "2030", "40"),
                false,
                &actor,
            )
            .await
            .unwrap_err(),
        );
        tx.rollback().await.unwrap();
        assert_eq!(found[0].0, "place_code");
        let mut tx = db.begin().await.unwrap();
        store::update_target(
            &mut tx,
            &stored,
            &target("44021", "2015", "2030", "55,5"),
            &actor,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let list = store::list_targets(db.pool(), Some("44021")).await.unwrap();
        assert_eq!(
            (list.len(), list[0].base_year, list[0].reduction_pct),
            (1, 2015, 55.5)
        );
        assert!(store::list_targets(db.pool(), Some("11002"))
            .await
            .unwrap()
            .is_empty());
        let mut tx = db.begin().await.unwrap();
        store::delete_target(&mut tx, &list[0], &actor)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(store::list_targets(db.pool(), None)
            .await
            .unwrap()
            .is_empty());
        // Every write left its audit entry: 3 factor writes, 3 target writes.
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'cijfers_emission_factor'"
            )
            .await,
            3
        );
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'cijfers_climate_target'"
            )
            .await,
            3
        );
    })
    .await;
}

async fn put(db: &Db, code: &str, place: &str, period: &str, value: f64, status: ValueStatus) {
    let mut tx = db.begin().await.unwrap();
    let indicator = indicators::get_by_code(&mut *tx, code).await.unwrap();
    let place = geo::find(&mut *tx, GeoLevel::Gemeente, place)
        .await
        .unwrap()
        .unwrap();
    let period_id = values::ensure_period(&mut tx, &Period::parse(period).unwrap())
        .await
        .unwrap();
    values::upsert(
        &mut tx,
        &NewValue {
            indicator_id: &indicator.id,
            geo_item_id: &place.id,
            period_id: &period_id,
            value: Some(value),
            status,
            import_id: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// Gent: household gas in MWh (61 500 in 2015, 50 000 in 2020, 2018 suppressed behind
/// 987 654) and transport diesel in kWh (20 000 000, 15 000 000, and 2018); gas 0,2 and diesel
/// 0,26 kg/kWh; a target of −40 % from 2015 to 2025.
///
/// By hand: 2015 = 61 500 × 0,2 + 20 000 × 0,26 = 12 300 + 5 200 = 17 500 t; 2020 = 10 000 +
/// 3 900 = 13 900 t; goal 10 500 t; the line in 2020 is 17 500 − 7 000 × 5 / 10 = 14 000 t, so
/// 2020 is on track, −20,6 % against 2015.
async fn seeded(db: &Db) {
    geography(db).await;
    let gas = climate::energy_code(climate::Sector::Huishoudens, Carrier::Aardgas);
    let diesel = climate::energy_code(climate::Sector::Transport, Carrier::Diesel);
    let unit = |code: &str, unit: &str| steden_cijfers::store::indicators::IndicatorFields {
        unit: unit.into(),
        ..fields(code)
    };
    indicator(db, &unit(&gas, "MWh"), None).await;
    indicator(db, &unit(&diesel, "kWh"), None).await;
    let d = ValueStatus::Definitive;
    put(db, &gas, "44021", "2015", 61_500.0, d).await;
    put(db, &gas, "44021", "2020", 50_000.0, d).await;
    put(
        db,
        &gas,
        "44021",
        "2018",
        987_654.0,
        ValueStatus::Suppressed,
    )
    .await;
    put(db, &diesel, "44021", "2015", 20_000_000.0, d).await;
    put(db, &diesel, "44021", "2018", 18_000_000.0, d).await;
    put(db, &diesel, "44021", "2020", 15_000_000.0, d).await;
    assert!(crate::common::check(db, &gas).await.passed);
    assert!(crate::common::check(db, &diesel).await.passed);
    let actor = AuditActor::system();
    let mut tx = db.begin().await.unwrap();
    for f in [
        factor("aardgas", "0,2", "2000-01-01", ""),
        factor("diesel", "0,26", "2000-01-01", ""),
    ] {
        store::create_factor(&mut tx, &f, false, &actor)
            .await
            .unwrap();
    }
    store::create_target(
        &mut tx,
        &target("44021", "2015", "2025", "40"),
        false,
        &actor,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn the_page_and_the_api_compute_emissions_from_public_values() {
    each_app_with(modules, |app| async move {
        seeded(&app.db).await;
        let page = app.page("/cijfers/klimaat/gent").await;
        assert!(page.contains("Klimaatdashboard Gent"), "{page}");
        // Totals in kton with a decimal comma: 17,5 in 2015 and 13,9 in 2020.
        assert!(page.contains("17,5"), "{page}");
        assert!(page.contains("13,9"));
        assert!(page.contains("De CO2-uitstoot van Gent in 2020: 13,9 kton CO2."));
        assert!(page.contains("Gent ligt op koers: in 2020"), "{page}");
        assert!(page.contains("op 14,0 kton"));
        assert!(page.contains("-20,6 %"));
        // Missing years and the suppressed figure are told, not filled in.
        assert!(
            page.contains("Geen energiecijfers voor 2016, 2017, 2019."),
            "{page}"
        );
        assert!(
            page.contains("2018: geen cijfer voor Huishoudens – aardgas"),
            "{page}"
        );
        for secret in ["987654", "987.654", "987,6", "197,5"] {
            assert!(!page.contains(secret), "{secret} leaked");
        }
        // Charts with their tables, the factors with source and validity.
        assert!(page.contains("<svg"));
        assert!(page.contains("<caption"));
        assert!(page.contains("Proefbron aardgas"));
        assert!(page.contains("https://voorbeeld.test/factoren"));
        assert!(page.contains("nog geldig"));
        // Unknown city: 404; a city without figures says so.
        assert_eq!(app.get("/cijfers/klimaat/nergens").await.status(), 404);
        let empty = app.page("/cijfers/klimaat/antwerpen").await;
        assert!(empty.contains("Er zijn nog geen gepubliceerde energiecijfers voor Antwerpen."));
        // The index lists Gent only; the overview and the city page link the dashboard.
        let index = app.page("/cijfers/klimaat").await;
        assert!(index.contains("/cijfers/klimaat/gent"));
        assert!(!index.contains("/cijfers/klimaat/antwerpen"));
        assert!(app.page("/cijfers").await.contains("/cijfers/klimaat\""));
        assert!(app
            .page("/cijfers/stad/gent")
            .await
            .contains("/cijfers/klimaat/gent"));

        // The API gives the same figures.
        let response = app.get("/api/v1/cijfers/climate/44021").await;
        assert_eq!(response.status(), 200);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["place_name"], "Gent");
        let years = body["years"].as_array().unwrap();
        assert_eq!(years.first().unwrap()["year"], 2015);
        assert_eq!(years.last().unwrap()["year"], 2020);
        let total = |n: usize| years[n]["emissions_total_t"].as_f64();
        assert!((total(0).unwrap() - 17_500.0).abs() < 1e-6, "{body}");
        assert!((total(5).unwrap() - 13_900.0).abs() < 1e-6);
        assert!(total(3).is_none(), "2018 is incomplete");
        assert_eq!(years[3]["missing_series"][0], "huishoudens/aardgas");
        assert_eq!(body["missing_years"], serde_json::json!([2016, 2017, 2019]));
        let target = &body["targets"][0];
        assert_eq!(target["status"], "on_track");
        assert!((target["latest_trajectory_t"].as_f64().unwrap() - 14_000.0).abs() < 1e-6);
        assert!((target["goal_emissions_t"].as_f64().unwrap() - 10_500.0).abs() < 1e-6);
        assert_eq!(body["factors_used"].as_array().unwrap().len(), 2);
        assert!(!body.to_string().contains("987654"));
        assert_eq!(
            app.get("/api/v1/cijfers/climate/nergens").await.status(),
            404
        );
        let factors: serde_json::Value = app
            .get("/api/v1/cijfers/emission-factors")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(factors.as_array().unwrap().len(), 2);
        assert_eq!(factors[0]["carrier"], "aardgas");
        assert_eq!(factors[0]["valid_until"], serde_json::Value::Null);
        // Both operations are in the OpenAPI document.
        let doc = app.page("/api/v1/openapi.json").await;
        assert!(doc.contains("cijfers_get_climate"));
        assert!(doc.contains("cijfers_list_emission_factors"));
    })
    .await;
}

#[tokio::test]
async fn factors_are_kept_by_staff_and_targets_by_the_city_with_csrf_and_dutch_errors() {
    each_app_with(modules, |app| async move {
        geography(&app.db).await;
        assert_eq!(app.get("/cijfers/beheer/klimaat").await.status(), 303);
        let gent = org_id(&app.db, "gent").await;
        let editor = person(
            &app.db,
            "data@gent.test",
            "Daan Data",
            &gent,
            Role::Redacteur,
        )
        .await;
        login(&app, &editor).await;
        assert!(app
            .page("/cijfers/beheer/klimaat")
            .await
            .contains("Emissiefactoren"));
        assert_eq!(
            app.get("/cijfers/beheer/klimaat/factoren/nieuw")
                .await
                .status(),
            403
        );
        let new_target = "/cijfers/beheer/klimaat/doelstellingen/nieuw";
        let form = app.page(new_target).await;
        assert!(form.contains("name=\"_csrf\""));
        assert!(form.contains("value=\"44021\""));
        assert!(!form.contains("value=\"11002\""), "only Gent's own targets");
        // Not for another city.
        let response = app
            .post_form(
                new_target,
                new_target,
                &[
                    ("place_code", "11002"),
                    ("label", "Vreemd"),
                    ("base_year", "2011"),
                    ("target_year", "2030"),
                    ("reduction_pct", "40"),
                ],
            )
            .await;
        assert_eq!(response.status(), 403);
        // Bad input: Dutch errors, nothing written.
        let response = app
            .post_form(
                new_target,
                new_target,
                &[
                    ("place_code", "44021"),
                    ("label", "LEKP −55%"),
                    ("base_year", "2030"),
                    ("target_year", "2011"),
                    ("reduction_pct", "155"),
                ],
            )
            .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(
            html.contains("Het doeljaar ligt na het basisjaar."),
            "{html}"
        );
        assert!(html.contains("percentage tussen 0 en 100"));
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM cijfers_climate_targets").await,
            0
        );
        // Without the CSRF token: refused.
        let no_csrf = app
            .client
            .post(app.url(new_target))
            .form(&[
                ("place_code", "44021"),
                ("label", "LEKP −55%"),
                ("base_year", "2011"),
                ("target_year", "2030"),
                ("reduction_pct", "55"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(no_csrf.status(), 403);
        let response = app
            .post_form(
                new_target,
                new_target,
                &[
                    ("place_code", "44021"),
                    ("label", "LEKP −55%"),
                    ("base_year", "2011"),
                    ("target_year", "2030"),
                    ("reduction_pct", "55"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let saved = store::list_targets(app.db.pool(), Some("44021"))
            .await
            .unwrap();
        assert_eq!(saved.len(), 1);
        assert_eq!(saved[0].label, "LEKP −55%");

        // Staff keep the factors; an overlapping period is refused in Dutch.
        let kenniscentrum = org_id(&app.db, "kenniscentrum").await;
        let staff = person(
            &app.db,
            "kc@kenniscentrum.test",
            "Kim Kenniscentrum",
            &kenniscentrum,
            Role::Redacteur,
        )
        .await;
        login(&app, &staff).await;
        let new_factor = "/cijfers/beheer/klimaat/factoren/nieuw";
        let post = |from: &'static str, until: &'static str| {
            let app = &app;
            async move {
                app.post_form(
                    new_factor,
                    new_factor,
                    &[
                        ("carrier", "aardgas"),
                        ("kg_co2_per_kwh", "0,202"),
                        ("valid_from", from),
                        ("valid_until", until),
                        ("source", "IPCC 2006"),
                        ("source_url", ""),
                    ],
                )
                .await
            }
        };
        assert_eq!(post("01/01/2011", "").await.status(), 303);
        let response = post("01/01/2020", "").await;
        assert_eq!(response.status(), 422);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("overlapt met de factor voor aardgas"));
        assert_eq!(store::list_factors(app.db.pool()).await.unwrap().len(), 1);
        let list = app.page("/cijfers/beheer/klimaat").await;
        assert!(list.contains("IPCC 2006"));
        assert!(list.contains("LEKP −55%"));
        // Close it through its edit form.
        let id = store::list_factors(app.db.pool()).await.unwrap()[0]
            .id
            .clone();
        let edit = format!("/cijfers/beheer/klimaat/factoren/{id}");
        let response = app
            .post_form(
                &edit,
                &edit,
                &[
                    ("carrier", "aardgas"),
                    ("kg_co2_per_kwh", "0,202"),
                    ("valid_from", "01/01/2011"),
                    ("valid_until", "31/12/2019"),
                    ("source", "IPCC 2006"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(post("01/01/2020", "").await.status(), 303);
        assert_eq!(store::list_factors(app.db.pool()).await.unwrap().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn the_demo_has_the_climate_dashboards_of_antwerpen_and_gent() {
    each_app_with(modules, |app| async move {
        steden_core::org::seed_defaults(&app.db).await.unwrap();
        steden_cijfers::demo::seed(&app.db).await.unwrap();
        let factors = count(&app.db, "SELECT COUNT(*) FROM cijfers_emission_factors").await;
        steden_cijfers::demo::seed(&app.db).await.unwrap();
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM cijfers_emission_factors").await,
            factors,
            "a second run adds nothing"
        );
        let index = app.page("/cijfers/klimaat").await;
        assert!(index.contains("/cijfers/klimaat/antwerpen"));
        assert!(index.contains("/cijfers/klimaat/gent"));
        assert!(!index.contains("/cijfers/klimaat/brugge"));
        let antwerpen = app.page("/cijfers/klimaat/antwerpen").await;
        assert!(antwerpen.contains("Burgemeestersconvenant −40%"));
        assert!(
            antwerpen.contains("Antwerpen ligt niet op koers"),
            "{antwerpen}"
        );
        assert!(antwerpen.contains("Demogegevens"));
        assert!(antwerpen.contains("Geen energiecijfers voor 2012, 2013, 2014, 2015."));
        let gent = app.page("/cijfers/klimaat/gent").await;
        assert!(gent.contains("Gent ligt op koers"), "{gent}");
        assert!(gent.contains("Klimaatplan −55%"));
        assert!(gent.contains("Gent ligt niet op koers"));
        let api: serde_json::Value = app
            .get("/api/v1/cijfers/climate/gent")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(api["demo"], true);
        assert_eq!(api["years"].as_array().unwrap().len(), 15, "2011 to 2025");
        assert_eq!(api["pv_production_mwh"].as_array().unwrap().len(), 10);
        assert_eq!(api["charge_points"].as_array().unwrap().len(), 10);
        // The charge points are the demo's own.
        let laadpunten =
            values::public_series(app.db.pool(), "demo_laadpunten", Some(GeoLevel::Gemeente))
                .await
                .unwrap();
        let own = laadpunten
            .iter()
            .find(|r| r.geo_code == "44021" && r.period == "2024")
            .and_then(|r| r.value)
            .unwrap();
        let points = api["charge_points"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["year"] == 2024)
            .unwrap()["value"]
            .as_f64()
            .unwrap();
        assert_eq!(points, own);
    })
    .await;
}

#[test]
fn every_sector_carrier_and_status_has_a_label_in_both_languages() {
    use steden_cijfers::climate::{Sector, TargetStatus};
    use steden_web::i18n::{Catalog, Lang};
    let catalog = Catalog::build(&steden_cijfers::translations()).unwrap();
    let keys = Sector::ALL
        .iter()
        .map(|s| s.label_key())
        .chain(Carrier::ALL.iter().map(|c| c.label_key()))
        .chain(
            [
                TargetStatus::OnTrack,
                TargetStatus::OffTrack,
                TargetStatus::BaseMissing,
                TargetStatus::NoLaterData,
            ]
            .iter()
            .map(|s| s.label_key().to_string()),
        );
    for key in keys {
        assert!(catalog.has(Lang::Nl, &key), "no Dutch label {key}");
        assert!(catalog.has(Lang::En, &key), "no English label {key}");
    }
}
