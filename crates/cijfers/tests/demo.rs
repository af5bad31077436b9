//! The demo: it fills the module (the cities, the Flemish figure, ten years, the crosswalk,
//! Gent's wijken from sectors) and a second run adds nothing.

use steden_cijfers::model::GeoLevel;
use steden_cijfers::store::{aggregation, indicators, values};
use steden_db::testing::each_backend;

use crate::common::{count, migrations, value_count};

#[tokio::test]
async fn the_demo_fills_the_module_once() {
    each_backend(&migrations(), |db| async move {
        steden_core::org::seed_defaults(&db).await.unwrap();
        steden_cijfers::demo::seed(&db).await.unwrap();
        let indicators_made = count(
            &db,
            "SELECT COUNT(*) FROM cijfers_indicators WHERE demo = 1",
        )
        .await;
        assert!(indicators_made >= 24, "{indicators_made}");
        let values_made = value_count(&db).await;
        steden_cijfers::demo::seed(&db).await.unwrap();
        assert_eq!(value_count(&db).await, values_made);
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM cijfers_indicators").await,
            indicators_made
        );
        // cj-link: one joint data request, delivered to every city, its file imported.
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM cijfers_data_requests WHERE demo = 1"
            )
            .await,
            1
        );
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM cijfers_data_request_cities").await,
            14
        );
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM cijfers_data_request_files f
                 JOIN cijfers_imports i ON i.id = f.import_id WHERE i.status = 'done'"
            )
            .await,
            1
        );

        // Every centrumstad and Brussel have ten years of population, and the Flemish figure.
        let population = indicators::get_by_code(db.pool(), "demo_bevolking")
            .await
            .unwrap();
        let public = values::public_series(db.pool(), "demo_bevolking", Some(GeoLevel::Gemeente))
            .await
            .unwrap();
        for (code, _) in steden_cijfers::model::CITIES {
            let years = public.iter().filter(|r| r.geo_code == code).count();
            let expected = if code == "71072" { 1 } else { 10 };
            assert_eq!(years, expected, "{code}");
        }
        assert_eq!(
            values::public_series(db.pool(), "demo_bevolking", Some(GeoLevel::Gewest))
                .await
                .unwrap()
                .len(),
            10
        );
        // Hasselt before 2025 through the crosswalk: the old municipalities together.
        let hasselt = aggregation::merged_series(&db, &population, "71072")
            .await
            .unwrap();
        assert_eq!(hasselt.len(), 10);
        assert!(
            hasselt.iter().all(|(_, v)| v.is_some_and(|v| v > 80_000.0)),
            "{hasselt:?}"
        );
        // Gent's wijken got their population from the sectors.
        let wijken = values::series(db.pool(), &population.id, GeoLevel::Wijk)
            .await
            .unwrap();
        assert_eq!(
            wijken.iter().map(|r| r.value.unwrap()).collect::<Vec<_>>(),
            [7300.0, 10100.0]
        );
        // The demo's suppressed value stays out of the public read.
        let suppressed = values::public_series(db.pool(), "demo_leefloners", None)
            .await
            .unwrap();
        assert!(!suppressed
            .iter()
            .any(|r| r.geo_code == "13040" && r.period == "2017"));
    })
    .await;
}
