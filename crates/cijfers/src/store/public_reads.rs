//! The public values of an indicator at some places: the reads of the public pages that show a
//! few places (the comparison of the cities and the region, fact sheets, a city's map).
//!
//! Why not one join over all values: an indicator kept down to statistical sectors has about
//! 10,000 places × 10 years, and the pages show 15 places or one city's sectors for one
//! period. At 10 million values the whole-indicator read took seconds per page (bench/cijfers,
//! docs/CIJFERS.md). So the places are looked up first, and the values are read by the primary
//! key (indicator, place, period) for those places only. The disclosure and status rules are
//! applied to the rows read, in Rust, so that no index on them can tempt SQLite's planner into
//! walking every value of the indicator.

use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};
use steden_core::error::CoreResult;

use crate::model::{GeoLevel, ValueRow, ValueStatus};

/// Which places to read.
#[derive(Debug, Clone, Copy)]
pub enum Places<'a> {
    /// Every place at these levels.
    Levels(&'a [GeoLevel]),
    /// These places, by level and code.
    Listed(&'a [(GeoLevel, &'a str)]),
    /// The places at a level in one municipality (a city's wijken or sectors).
    InMunicipality(GeoLevel, &'a str),
}

/// Ids per query: well under SQLite's limit of bound parameters.
const CHUNK: usize = 500;

struct Place {
    code: String,
    name: String,
    level: GeoLevel,
}

async fn places(pool: &AnyPool, which: Places<'_>) -> CoreResult<HashMap<String, Place>> {
    let select = "SELECT id, code, name, level FROM cijfers_geo_items WHERE ";
    let rows: Vec<AnyRow> = match which {
        Places::Levels(levels) => {
            let mut rows = Vec::new();
            for level in levels {
                let mut found = sqlx::query(&format!("{select}level = $1"))
                    .bind(level.as_str())
                    .fetch_all(pool)
                    .await?;
                rows.append(&mut found);
            }
            rows
        }
        Places::Listed(listed) => {
            // One query per level (two for the cities and the region), not one per place.
            let mut by_level: HashMap<GeoLevel, Vec<&str>> = HashMap::new();
            for (level, code) in listed {
                by_level.entry(*level).or_default().push(code);
            }
            let mut rows = Vec::new();
            for (level, codes) in by_level {
                let list = (0..codes.len())
                    .map(|n| format!("${}", n + 2))
                    .collect::<Vec<_>>()
                    .join(", ");
                let sql = format!("{select}level = $1 AND code IN ({list})");
                let mut query = sqlx::query(&sql).bind(level.as_str());
                for code in codes {
                    query = query.bind(code);
                }
                rows.append(&mut query.fetch_all(pool).await?);
            }
            rows
        }
        Places::InMunicipality(level, municipality) => {
            sqlx::query(&format!("{select}municipality_code = $1 AND level = $2"))
                .bind(municipality)
                .bind(level.as_str())
                .fetch_all(pool)
                .await?
        }
    };
    Ok(rows
        .iter()
        .filter_map(|row| {
            let level: String = row.get("level");
            Some((
                row.get("id"),
                Place {
                    code: row.get("code"),
                    name: row.get("name"),
                    level: GeoLevel::parse(&level)?,
                },
            ))
        })
        .collect())
}

/// The public values of `indicator_code` at `which` places (all periods, or only `period`), by
/// period start: the same rule as everywhere the public reads (published indicator whose last
/// disclosure check passed, a value passed by it, not suppressed, not empty).
pub async fn public_values_at(
    pool: &AnyPool,
    indicator_code: &str,
    which: Places<'_>,
    period: Option<&str>,
) -> CoreResult<Vec<ValueRow>> {
    let indicator: Option<String> = sqlx::query_scalar(
        "SELECT id FROM cijfers_indicators
         WHERE code = $1 AND published = 1 AND disclosure_passed = 1",
    )
    .bind(indicator_code)
    .fetch_optional(pool)
    .await?;
    let Some(indicator_id) = indicator else {
        return Ok(Vec::new());
    };
    let places = places(pool, which).await?;
    let ids: Vec<&String> = places.keys().collect();
    let mut read = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let list = (0..chunk.len())
            .map(|n| format!("${}", n + 3))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT v.geo_item_id, p.code AS period, p.starts_on, v.value, v.status, v.disclosure
             FROM cijfers_values v JOIN cijfers_periods p ON p.id = v.period_id
             WHERE v.indicator_id = $1 AND ($2 = '' OR p.code = $2) AND v.geo_item_id IN ({list})"
        );
        let mut query = sqlx::query(&sql)
            .bind(&indicator_id)
            .bind(period.unwrap_or(""));
        for id in chunk {
            query = query.bind(id.as_str());
        }
        for row in query.fetch_all(pool).await? {
            let status: String = row.get("status");
            let disclosure: String = row.get("disclosure");
            let value: Option<f64> = row.get("value");
            let Some(status) = ValueStatus::parse(&status) else {
                continue;
            };
            if status == ValueStatus::Suppressed || disclosure != "passed" || value.is_none() {
                continue;
            }
            let geo_id: String = row.get("geo_item_id");
            let Some(place) = places.get(&geo_id) else {
                continue;
            };
            let starts_on: String = row.get("starts_on");
            read.push((
                starts_on,
                ValueRow {
                    geo_code: place.code.clone(),
                    geo_name: place.name.clone(),
                    level: place.level,
                    period: row.get("period"),
                    value,
                    status,
                },
            ));
        }
    }
    // The order of the whole-indicator read: by level, place, period.
    read.sort_by(|(a_start, a), (b_start, b)| {
        (a.level.as_str(), &a.geo_code, a_start).cmp(&(b.level.as_str(), &b.geo_code, b_start))
    });
    Ok(read.into_iter().map(|(_, row)| row).collect())
}
