//! Demo geometry for Gent's sectors and wijken, generated in Lambert 72 and passed through the
//! same upload path (prepare → preview → confirm) as a file a data team uploads.

use steden_db::Db;

use crate::model::{GeoLevel, Period, ValueStatus};
use crate::store::geo::{self, NewGeoItem};
use crate::store::{indicators, values};

/// Gent's demo sectors on a grid of 700 × 500 m cells (column, row from the south-west) around
/// the city centre in Lambert 72 metres: the four sectors of the wijken above, and four more
/// with a population of their own (one suppressed, as a source delivers a small count), so the
/// map shows classes and the hatch of a value that is not public.
const GENT_GRID: [(&str, &str, u32, u32, Option<f64>); 8] = [
    ("44021A00-", "Gent-Centrum", 0, 1, None),
    ("44021A01-", "Sint-Michiels-Centrum", 1, 1, None),
    ("44021B00-", "Brugse Poort-Noord", 0, 0, None),
    ("44021B01-", "Brugse Poort-Zuid", 1, 0, None),
    ("44021C00-", "Sint-Jacobs", 2, 1, Some(3_900.0)),
    ("44021C01-", "Dampoort", 3, 1, Some(6_100.0)),
    ("44021C02-", "Heirnis", 2, 0, Some(4_400.0)),
    ("44021C03-", "Macharius", 3, 0, Some(4.0)),
];
/// The suppressed one of the sectors above.
const GENT_SUPPRESSED: &str = "44021C03-";
const GENT_ORIGIN: (f64, f64) = (103_200.0, 193_000.0);
const CELL: (f64, f64) = (700.0, 500.0);

/// A point of the grid border, pushed a little off the straight line by its own position (so
/// the two areas on either side of a border compute the same point and stay adjacent).
fn wobble(x: f64, y: f64, horizontal: bool) -> [f64; 2] {
    let shift = ((x * 7.0 + y * 13.0).rem_euclid(60.0)) - 30.0;
    if horizontal {
        [x, y + shift]
    } else {
        [x + shift, y]
    }
}

/// The outline (counter-clockwise, closed) of the cells columns `c0..c1`, rows `r0..r1`.
fn block_ring(c0: u32, c1: u32, r0: u32, r1: u32) -> Vec<[f64; 2]> {
    let at = |c: u32, r: u32| {
        (
            GENT_ORIGIN.0 + f64::from(c) * CELL.0,
            GENT_ORIGIN.1 + f64::from(r) * CELL.1,
        )
    };
    let mut corners = Vec::new();
    corners.extend((c0..c1).map(|c| (at(c, r0), true)));
    corners.extend((r0..r1).map(|r| (at(c1, r), false)));
    corners.extend((c0 + 1..=c1).rev().map(|c| (at(c, r1), true)));
    corners.extend((r0 + 1..=r1).rev().map(|r| (at(c0, r), false)));
    let mut ring = Vec::new();
    for (i, &((x, y), horizontal)) in corners.iter().enumerate() {
        let ((nx, ny), _) = corners[(i + 1) % corners.len()];
        ring.push([x, y]);
        for t in [0.25, 0.5, 0.75] {
            ring.push(wobble(x + (nx - x) * t, y + (ny - y) * t, horizontal));
        }
    }
    ring.push(ring[0]);
    ring
}

/// A GeoJSON FeatureCollection in Lambert 72 (declared in its `crs` member, as Statbel's files
/// are in that projection).
fn lambert72_file(features: Vec<(String, String, Vec<[f64; 2]>)>, code_property: &str) -> Vec<u8> {
    let features: Vec<serde_json::Value> = features
        .into_iter()
        .map(|(code, name, ring)| {
            serde_json::json!({
                "type": "Feature",
                "properties": {code_property: code, "NAAM": name},
                "geometry": {"type": "Polygon", "coordinates": [ring]}
            })
        })
        .collect();
    serde_json::json!({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::31370"}},
        "features": features
    })
    .to_string()
    .into_bytes()
}

/// Gent's demo geometry: sectors and the two wijken, generated in Lambert 72 and stored through
/// the same path as an upload (read, reproject, simplify, check, confirm). Adds the extra
/// sectors and their 2024 population. A second run adds nothing.
pub async fn seed_geometry(db: &Db) -> anyhow::Result<()> {
    use crate::maps::upload::{self as upload, GeometryUpload};

    if geo::find(db.pool(), GeoLevel::Sector, GENT_SUPPRESSED)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let population = indicators::get_by_code(db.pool(), "demo_bevolking").await?;
    let period = Period::parse("2024").ok_or_else(|| anyhow::anyhow!("jaar"))?;
    let mut tx = db.begin().await?;
    let period_id = values::ensure_period(&mut tx, &period).await?;
    for (code, name, _, _, people) in GENT_GRID {
        let Some(people) = people else { continue };
        let id = geo::ensure(
            &mut tx,
            GeoLevel::Sector,
            &NewGeoItem {
                code,
                name,
                municipality_code: Some("44021"),
                ..NewGeoItem::default()
            },
        )
        .await?;
        values::upsert(
            &mut tx,
            &values::NewValue {
                indicator_id: &population.id,
                geo_item_id: &id,
                period_id: &period_id,
                value: Some(people),
                status: if code == GENT_SUPPRESSED {
                    ValueStatus::Suppressed
                } else {
                    ValueStatus::Definitive
                },
                import_id: None,
            },
        )
        .await?;
    }
    tx.commit().await?;

    let sectors = GENT_GRID
        .iter()
        .map(|&(code, name, c, r, _)| {
            (
                code.to_string(),
                name.to_string(),
                block_ring(c, c + 1, r, r + 1),
            )
        })
        .collect();
    let wijken = vec![
        (
            "GENT-BINNENSTAD".to_string(),
            "Binnenstad".to_string(),
            block_ring(0, 2, 1, 2),
        ),
        (
            "GENT-BRUGSEPOORT".to_string(),
            "Brugse Poort".to_string(),
            block_ring(0, 2, 0, 1),
        ),
    ];
    let kenniscentrum = crate::access::kenniscentrum_id(db).await?;
    let actor = steden_core::policy::Actor::System;
    for (level, file, code_property) in [
        (
            GeoLevel::Sector,
            lambert72_file(sectors, "CD_SECTOR"),
            "CD_SECTOR",
        ),
        (GeoLevel::Wijk, lambert72_file(wijken, "CODE"), "CODE"),
    ] {
        let options = upload::read_options(level, code_property, "NAAM", "", "")
            .map_err(|e| anyhow::anyhow!(e))?;
        let prepared = upload::prepare("gent-demo.geojson", &file, &options);
        let (id, report) = upload::preview(
            db,
            &actor,
            &GeometryUpload {
                level,
                municipality_code: "44021",
                filename: "gent-demo.geojson",
                bytes: &file,
                organisation_id: &kenniscentrum,
                created_by: None,
            },
            prepared,
        )
        .await?;
        if !report.errors.is_empty() {
            anyhow::bail!("demo geometry refused: {:?}", report.errors);
        }
        let stored = crate::store::geo_uploads::find(db.pool(), &id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("upload"))?;
        upload::confirm(db, &stored, &actor).await?;
    }
    Ok(())
}
