//! The store on both backends: indicators refused with every reason and nothing written, one
//! value per key, the public read that never gives a suppressed value or an unpublished
//! indicator, sectors aggregated to wijken by each rule, and a series on today's geography
//! through the REFNIS crosswalk.

use steden_cijfers::model::{GeoLevel, Period, ValueStatus};
use steden_cijfers::store::aggregation::{aggregate_to_wijken, merged_series};
use steden_cijfers::store::geo;
use steden_cijfers::store::indicators::{self, IndicatorFields};
use steden_cijfers::store::values::{self, NewValue};
use steden_core::audit::AuditActor;
use steden_core::CoreError;
use steden_db::testing::each_backend;
use steden_db::Db;

use crate::common::{count, fields, geography, indicator, migrations, value_count};

async fn put(
    db: &Db,
    indicator_code: &str,
    level: GeoLevel,
    geo_code: &str,
    period: &str,
    value: Option<f64>,
    status: ValueStatus,
) {
    let mut tx = db.begin().await.unwrap();
    let indicator = indicators::get_by_code(&mut *tx, indicator_code)
        .await
        .unwrap();
    let place = geo::find(&mut *tx, level, geo_code).await.unwrap().unwrap();
    let period_id = values::ensure_period(&mut tx, &Period::parse(period).unwrap())
        .await
        .unwrap();
    values::upsert(
        &mut tx,
        &NewValue {
            indicator_id: &indicator.id,
            geo_item_id: &place.id,
            period_id: &period_id,
            value,
            status,
            import_id: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn an_indicator_is_refused_with_every_reason_and_its_code_is_unique() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        let bad = IndicatorFields {
            code: "met spatie".into(),
            name: String::new(),
            decimals: 9,
            aggregation: "ratio".into(),
            dominance_pct: Some(0),
            ..IndicatorFields::default()
        };
        let mut tx = db.begin().await.unwrap();
        let err = indicators::create(&mut tx, &bad, None, &AuditActor::system())
            .await
            .unwrap_err();
        drop(tx);
        let CoreError::Invalid(problems) = err else {
            panic!("expected invalid")
        };
        let named: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            named,
            [
                "code",
                "name",
                "decimals",
                "numerator_code",
                "dominance_pct"
            ]
        );
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM cijfers_indicators").await,
            0
        );

        indicator(&db, &fields("bev"), None).await;
        let mut tx = db.begin().await.unwrap();
        let err = indicators::create(&mut tx, &fields("bev"), None, &AuditActor::system())
            .await
            .unwrap_err();
        assert!(
            matches!(err, CoreError::Invalid(ref p) if p[0].field == "code"),
            "{err:?}"
        );
        drop(tx);
        // Each write left its audit entry.
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'cijfers_indicator'"
            )
            .await,
            1
        );
    })
    .await;
}

#[tokio::test]
async fn a_value_is_unique_per_key_and_the_public_never_sees_suppressed_or_unpublished() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        indicator(&db, &fields("bev"), None).await;
        let mut hidden = fields("verborgen");
        hidden.published = false;
        indicator(&db, &hidden, None).await;
        put(
            &db,
            "bev",
            GeoLevel::Gemeente,
            "44021",
            "2023",
            Some(1.0),
            ValueStatus::Definitive,
        )
        .await;
        put(
            &db,
            "bev",
            GeoLevel::Gemeente,
            "44021",
            "2023",
            Some(2.0),
            ValueStatus::Provisional,
        )
        .await;
        put(
            &db,
            "bev",
            GeoLevel::Gemeente,
            "11002",
            "2023",
            Some(3.0),
            ValueStatus::Suppressed,
        )
        .await;
        put(
            &db,
            "verborgen",
            GeoLevel::Gemeente,
            "44021",
            "2023",
            Some(4.0),
            ValueStatus::Definitive,
        )
        .await;
        assert_eq!(value_count(&db).await, 3);
        // Nothing is public before the disclosure check has run.
        assert!(values::public_series(db.pool(), "bev", None)
            .await
            .unwrap()
            .is_empty());
        assert!(crate::common::check(&db, "bev").await.passed);
        let public = values::public_series(db.pool(), "bev", None).await.unwrap();
        assert_eq!(public.len(), 1);
        assert_eq!(
            (public[0].geo_code.as_str(), public[0].value),
            ("44021", Some(2.0))
        );
        assert_eq!(public[0].status, ValueStatus::Provisional);
        assert!(values::public_series(db.pool(), "verborgen", None)
            .await
            .unwrap()
            .is_empty());
        // The data team's read has everything.
        let bev = indicators::get_by_code(db.pool(), "bev").await.unwrap();
        assert_eq!(
            values::series(db.pool(), &bev.id, GeoLevel::Gemeente)
                .await
                .unwrap()
                .len(),
            2
        );
    })
    .await;
}

#[tokio::test]
async fn sectors_make_wijken_by_sum_weighted_mean_and_ratio() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        let actor = AuditActor::system();
        let mut tx = db.begin().await.unwrap();
        let north = geo::find(&mut *tx, GeoLevel::Wijk, "GENT-N")
            .await
            .unwrap()
            .unwrap();
        let south = geo::find(&mut *tx, GeoLevel::Wijk, "GENT-Z")
            .await
            .unwrap()
            .unwrap();
        geo::set_wijk_sectors(&mut tx, &north, &["44021A00-", "44021A01-"], &actor)
            .await
            .unwrap();
        geo::set_wijk_sectors(&mut tx, &south, &["44021B00-"], &actor)
            .await
            .unwrap();
        // A sector of another municipality is refused, and the wijk keeps its set.
        let err = geo::set_wijk_sectors(&mut tx, &south, &["11002A00-", "99999X"], &actor)
            .await
            .unwrap_err();
        let CoreError::Invalid(problems) = err else {
            panic!()
        };
        assert!(
            problems[0]
                .message
                .contains("11002A00- ligt niet in de gemeente"),
            "{problems:?}"
        );
        assert!(problems[0].message.contains("99999X is onbekend"));
        tx.commit().await.unwrap();
        assert_eq!(
            geo::wijk_sector_codes(db.pool(), &south.id).await.unwrap(),
            ["44021B00-"]
        );

        indicator(&db, &fields("bev"), None).await;
        let mut age = fields("leeftijd");
        age.aggregation = "weighted_mean".into();
        age.weight_code = "bev".into();
        indicator(&db, &age, None).await;
        indicator(&db, &fields("werkloos"), None).await;
        let mut rate = fields("werkloosheid");
        rate.aggregation = "ratio".into();
        rate.unit = "%".into();
        rate.numerator_code = "werkloos".into();
        rate.denominator_code = "bev".into();
        indicator(&db, &rate, None).await;
        for (sector, people, mean_age, jobless) in [
            ("44021A00-", 1000.0, 40.0, 10.0),
            ("44021A01-", 3000.0, 20.0, 90.0),
            ("44021B00-", 500.0, 50.0, 5.0),
        ] {
            put(
                &db,
                "bev",
                GeoLevel::Sector,
                sector,
                "2024",
                Some(people),
                ValueStatus::Definitive,
            )
            .await;
            put(
                &db,
                "leeftijd",
                GeoLevel::Sector,
                sector,
                "2024",
                Some(mean_age),
                ValueStatus::Definitive,
            )
            .await;
            put(
                &db,
                "werkloos",
                GeoLevel::Sector,
                sector,
                "2024",
                Some(jobless),
                ValueStatus::Definitive,
            )
            .await;
        }
        let mut results = Vec::new();
        for code in ["bev", "leeftijd", "werkloosheid"] {
            let ind = indicators::get_by_code(db.pool(), code).await.unwrap();
            let mut tx = db.begin().await.unwrap();
            let written = aggregate_to_wijken(&mut tx, &ind, "44021", &actor)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            assert_eq!(written, 2, "{code}");
            let rows = values::series(db.pool(), &ind.id, GeoLevel::Wijk)
                .await
                .unwrap();
            results.push(
                rows.iter()
                    .map(|r| (r.geo_code.clone(), r.value.unwrap()))
                    .collect::<Vec<_>>(),
            );
        }
        assert_eq!(
            results[0],
            [
                ("GENT-N".to_string(), 4000.0),
                ("GENT-Z".to_string(), 500.0)
            ]
        );
        assert_eq!(
            results[1],
            [("GENT-N".to_string(), 25.0), ("GENT-Z".to_string(), 50.0)]
        );
        assert_eq!(
            results[2],
            [("GENT-N".to_string(), 2.5), ("GENT-Z".to_string(), 1.0)]
        );

        // Again: the same values, none twice.
        let before = value_count(&db).await;
        let ind = indicators::get_by_code(db.pool(), "bev").await.unwrap();
        let mut tx = db.begin().await.unwrap();
        aggregate_to_wijken(&mut tx, &ind, "44021", &actor)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(value_count(&db).await, before);
    })
    .await;
}

#[tokio::test]
async fn a_merged_municipality_has_a_comparable_series_before_and_after_2025() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        indicator(&db, &fields("bev"), None).await;
        put(
            &db,
            "bev",
            GeoLevel::Gemeente,
            "71022",
            "2024",
            Some(80_000.0),
            ValueStatus::Definitive,
        )
        .await;
        put(
            &db,
            "bev",
            GeoLevel::Gemeente,
            "71034",
            "2024",
            Some(8_600.0),
            ValueStatus::Definitive,
        )
        .await;
        put(
            &db,
            "bev",
            GeoLevel::Gemeente,
            "71022",
            "2023",
            Some(79_000.0),
            ValueStatus::Definitive,
        )
        .await;
        put(
            &db,
            "bev",
            GeoLevel::Gemeente,
            "71072",
            "2025",
            Some(89_100.0),
            ValueStatus::Definitive,
        )
        .await;
        let ind = indicators::get_by_code(db.pool(), "bev").await.unwrap();
        let series = merged_series(&db, &ind, "71072").await.unwrap();
        assert_eq!(
            series,
            [
                // Kortessem has no 2023 figure: no value rather than a wrong one.
                ("2023".to_string(), None),
                ("2024".to_string(), Some(88_600.0)),
                ("2025".to_string(), Some(89_100.0)),
            ]
        );
        // Gent, untouched by the mergers, is itself.
        put(
            &db,
            "bev",
            GeoLevel::Gemeente,
            "44021",
            "2024",
            Some(263_000.0),
            ValueStatus::Definitive,
        )
        .await;
        let gent = merged_series(&db, &ind, "44021").await.unwrap();
        assert!(gent.contains(&("2024".to_string(), Some(263_000.0))));
    })
    .await;
}
