//! The public read as an open-data [`Cube`]: what the downloads, the JSON-stat and SDMX
//! answers and the charts of an indicator's page are made of. It reads through
//! [`values::public_series`], so the rule of the public pages holds here too: published
//! indicators only, and no suppressed value (those are left out, so a download has no cell for
//! them at all).

use std::collections::{BTreeMap, HashMap};

use sqlx::AnyPool;
use steden_core::error::{CoreError, CoreResult};

use crate::model::{GeoLevel, Period, ValueStatus};
use crate::model::{CITIES, FLANDERS_CODE};
use crate::opendata::{CellStatus, Cube, CubeGeo, CubeIndicator, CubeMeta, CubePeriod};
use crate::store::{indicators, values};

/// The most indicators one public cube holds: 15 places × a few decades stays far below the
/// cube's own cell limit.
pub const MAX_INDICATORS: usize = 100;

fn cell_status(status: ValueStatus) -> CellStatus {
    CellStatus::parse(status.as_str()).unwrap_or(CellStatus::Suppressed)
}

/// The cube of the published indicators `codes` for the 13 centrumsteden, Brussel (for the VGC)
/// and the Vlaams Gewest over every period with a public value, oldest first. `None` when a
/// code is unknown or not published (the public gets a 404, as for the page). `base_url` makes
/// the permalink of a single indicator's page.
pub async fn public_cube(
    pool: &AnyPool,
    codes: &[&str],
    base_url: &str,
) -> CoreResult<Option<Cube>> {
    if codes.is_empty() || codes.len() > MAX_INDICATORS {
        return Ok(None);
    }
    let mut found = Vec::with_capacity(codes.len());
    for code in codes {
        match indicators::find_by_code(pool, code).await? {
            Some(indicator) if indicator.is_public() => found.push(indicator),
            _ => return Ok(None),
        }
    }
    // The places in a fixed order: the cities by name, then the region.
    let mut places: Vec<(GeoLevel, &str, &str)> = CITIES
        .iter()
        .map(|(code, name)| (GeoLevel::Gemeente, *code, *name))
        .collect();
    places.sort_by(|a, b| a.2.cmp(b.2));
    places.push((GeoLevel::Gewest, FLANDERS_CODE, "Vlaams Gewest"));
    let wanted: HashMap<(GeoLevel, &str), usize> = places
        .iter()
        .enumerate()
        .map(|(n, (level, code, _))| ((*level, *code), n))
        .collect();
    let mut names: Vec<String> = places.iter().map(|(_, _, name)| name.to_string()).collect();
    let mut starts: BTreeMap<String, String> = BTreeMap::new();
    let mut cells = Vec::new();
    let mut updated = 0;
    for indicator in &found {
        updated = updated.max(indicator.updated_at);
        for row in values::public_series(pool, &indicator.code, None).await? {
            let Some(&place) = wanted.get(&(row.level, row.geo_code.as_str())) else {
                continue;
            };
            let Some(period) = Period::parse(&row.period) else {
                continue;
            };
            // The stored name wins over the list's (it may carry the official spelling).
            if let Some(name) = names.get_mut(place) {
                name.clone_from(&row.geo_name);
            }
            starts.insert(period.starts_on, row.period.clone());
            cells.push((
                indicator.code.clone(),
                row.geo_code,
                row.period,
                row.value,
                row.status,
            ));
        }
    }
    let single = found.len() == 1;
    let meta = CubeMeta {
        id: if single {
            found.first().map(|i| i.code.clone()).unwrap_or_default()
        } else {
            "cijfers".into()
        },
        title: if single {
            found.first().map(|i| i.name.clone()).unwrap_or_default()
        } else {
            "Stad in cijfers".into()
        },
        description: found
            .first()
            .filter(|_| single)
            .map(|i| i.definition.clone())
            .unwrap_or_default(),
        source: found
            .iter()
            .map(|i| i.source.as_str())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("; "),
        updated: chrono::DateTime::from_timestamp_millis(updated)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        href: found.first().filter(|_| single).map(|i| {
            format!(
                "{}{}",
                base_url.trim_end_matches('/'),
                crate::paths::indicator(&i.code)
            )
        }),
        notes: if found.iter().any(|i| i.demo) {
            vec!["Demogegevens: gegenereerde cijfers, geen echte statistiek.".into()]
        } else {
            Vec::new()
        },
    };
    let cube_indicators = found
        .iter()
        .map(|i| CubeIndicator {
            code: i.code.clone(),
            name: i.name.clone(),
            unit: i.unit.clone(),
            decimals: u8::try_from(i.decimals.clamp(0, 10)).unwrap_or(0),
            definition: i.definition.clone(),
            source: i.source.clone(),
        })
        .collect();
    let geo = places
        .iter()
        .zip(names)
        .map(|((level, code, _), name)| CubeGeo {
            level: level.as_str().into(),
            code: (*code).into(),
            name,
        })
        .collect();
    let periods = starts.values().map(|code| CubePeriod::new(code)).collect();
    let mut cube = Cube::new(meta, cube_indicators, geo, periods)
        .map_err(|e| CoreError::Internal(anyhow::anyhow!(e)))?;
    for (indicator, geo, period, value, status) in cells {
        cube.set(&indicator, &geo, &period, value, cell_status(status))
            .map_err(|e| CoreError::Internal(anyhow::anyhow!(e)))?;
    }
    Ok(Some(cube))
}
