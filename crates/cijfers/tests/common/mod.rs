//! Shared set-up: the module list, a small geography (a few centrumsteden, the Vlaams Gewest,
//! the 2025 merger of Hasselt and Kortessem, sectors of Gent) and people of Gent and the
//! Kenniscentrum.
#![allow(dead_code)]

use std::sync::Arc;

use sqlx::Row;
use steden_cijfers::import::check::Writer;
use steden_cijfers::model::GeoLevel;
use steden_cijfers::store::geo::{self, NewGeoItem};
use steden_cijfers::store::indicators::{self, IndicatorFields};
use steden_core::audit::AuditActor;
use steden_core::org;
use steden_db::{Db, Migration};
use steden_web::Module;

pub use steden_testkit::{login, person, TestApp};

pub fn modules() -> Vec<Arc<dyn Module>> {
    // cj-link: the plan too: the disclosure gate tells it when public values change.
    vec![
        Arc::new(steden_plan::PlanModule),
        Arc::new(steden_cijfers::CijfersModule),
    ]
}

pub fn migrations() -> Vec<Migration> {
    steden_web::app::all_migrations(&modules())
}

pub async fn org_id(db: &Db, slug: &str) -> String {
    org::find_by_slug(db.pool(), slug)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// The default organisations, and the places the tests use.
pub async fn geography(db: &Db) {
    org::seed_defaults(db).await.unwrap();
    let gent = org_id(db, "gent").await;
    let mut tx = db.begin().await.unwrap();
    let item = |code: &'static str, name: &'static str| NewGeoItem {
        code,
        name,
        ..NewGeoItem::default()
    };
    geo::ensure(&mut tx, GeoLevel::Gewest, &item("02000", "Vlaams Gewest"))
        .await
        .unwrap();
    for (code, name) in [
        ("44021", "Gent"),
        ("11002", "Antwerpen"),
        ("71072", "Hasselt"),
        ("71022", "Hasselt (oud)"),
        ("71034", "Kortessem"),
    ] {
        geo::ensure(&mut tx, GeoLevel::Gemeente, &item(code, name))
            .await
            .unwrap();
    }
    geo::add_crosswalk(&mut tx, "71022", "71072", "2025-01-01")
        .await
        .unwrap();
    geo::add_crosswalk(&mut tx, "71034", "71072", "2025-01-01")
        .await
        .unwrap();
    for (code, municipality) in [
        ("44021A00-", "44021"),
        ("44021A01-", "44021"),
        ("44021B00-", "44021"),
        ("11002A00-", "11002"),
    ] {
        geo::ensure(
            &mut tx,
            GeoLevel::Sector,
            &NewGeoItem {
                code,
                name: code,
                municipality_code: Some(municipality),
                ..NewGeoItem::default()
            },
        )
        .await
        .unwrap();
    }
    for (code, name) in [("GENT-N", "Noord"), ("GENT-Z", "Zuid")] {
        geo::ensure(
            &mut tx,
            GeoLevel::Wijk,
            &NewGeoItem {
                code,
                name,
                municipality_code: Some("44021"),
                owner_org_id: Some(&gent),
                ..NewGeoItem::default()
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// An indicator with this code, published, summed.
pub fn fields(code: &str) -> IndicatorFields {
    IndicatorFields {
        code: code.into(),
        name: format!("Indicator {code}"),
        aggregation: "sum".into(),
        published: true,
        ..IndicatorFields::default()
    }
}

/// Creates an indicator owned by `owner` (None: shared); returns its id.
pub async fn indicator(db: &Db, fields: &IndicatorFields, owner: Option<&str>) -> String {
    let mut tx = db.begin().await.unwrap();
    let id = indicators::create(&mut tx, fields, owner, &AuditActor::system())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

pub async fn writer(db: &Db, slug: &str) -> Writer {
    let id = org_id(db, slug).await;
    steden_cijfers::import::jobs::writer_for(db, &id)
        .await
        .unwrap()
}

pub async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .get::<i64, _>(0)
}

pub async fn value_count(db: &Db) -> i64 {
    count(db, "SELECT COUNT(*) FROM cijfers_values").await
}

/// Runs the disclosure check of indicator `code` as publishing does (src/gate) and commits it.
pub async fn check(db: &Db, code: &str) -> steden_cijfers::gate::Check {
    let mut tx = db.begin().await.unwrap();
    let found = indicators::get_by_code(&mut *tx, code).await.unwrap();
    let check = steden_cijfers::gate::run(
        &mut tx,
        &found,
        &AuditActor::system(),
        steden_cijfers::gate::Trigger::Publish,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    check
}
