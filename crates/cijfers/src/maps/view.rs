//! The public map of an indicator in one city: its sectors or wijken for one period as a
//! choropleth SVG, and the same figures as rows for the table beside it. Only public values
//! reach it (the store's `public_series`); for a suppressed value only the place's code is
//! read, so the map hatches it and the table says "geheim" without ever holding the number.

use std::collections::{HashMap, HashSet};

use steden_core::error::CoreResult;
use steden_db::Db;

use crate::geo::{self, ChoroplethOptions, MapArea};
use crate::model::{GeoItem, GeoLevel, Indicator};
use crate::store::geo_uploads;
use crate::store::public_reads::{public_values_at, Places};

/// The levels a city map can show, finest last.
pub const MAP_LEVELS: [GeoLevel; 2] = [GeoLevel::Wijk, GeoLevel::Sector];

/// What a cell of the table holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    Value(f64),
    /// Suppressed: the value exists but is not public.
    Secret,
    NoData,
}

/// One area of the map, as a table row.
#[derive(Debug, Clone, PartialEq)]
pub struct MapRow {
    pub code: String,
    pub name: String,
    pub cell: Cell,
}

/// A city map, ready for a page.
#[derive(Debug, Clone, PartialEq)]
pub struct CityMap {
    pub level: GeoLevel,
    /// The levels of this city that have geometry.
    pub levels: Vec<GeoLevel>,
    pub period: String,
    /// The periods with a value (public or suppressed) at this level, newest first.
    pub periods: Vec<String>,
    pub svg: String,
    pub rows: Vec<MapRow>,
}

/// The map of `indicator` (published: the caller checks) in `city` at `level` (the finest
/// level with geometry when None or unavailable) for `period` (the latest when None or
/// unknown). None when the city has no wijk or sector geometry.
pub async fn city_map(
    db: &Db,
    indicator: &Indicator,
    city: &GeoItem,
    level: Option<GeoLevel>,
    period: Option<&str>,
    title: &(dyn Fn(GeoLevel, &str) -> String + Sync),
) -> CoreResult<Option<CityMap>> {
    let mut levels = Vec::new();
    let mut places_by_level = HashMap::new();
    for candidate in MAP_LEVELS {
        let places = geo_uploads::map_places(db.pool(), candidate, &city.code).await?;
        if !places.is_empty() {
            levels.push(candidate);
            places_by_level.insert(candidate, places);
        }
    }
    let Some(level) = level
        .filter(|l| levels.contains(l))
        .or_else(|| levels.last().copied())
    else {
        return Ok(None);
    };
    let places = places_by_level.remove(&level).unwrap_or_default();
    let mut periods =
        geo_uploads::map_periods(db.pool(), &indicator.code, level, &city.code).await?;
    periods.reverse();
    let period = period
        .filter(|p| periods.iter().any(|q| q == p))
        .map(str::to_string)
        .or_else(|| periods.first().cloned())
        .unwrap_or_default();
    let codes: HashSet<&str> = places.iter().map(|p| p.code.as_str()).collect();
    // The city's places at this level in this period only (not the indicator's every value).
    let public: HashMap<String, f64> = if period.is_empty() {
        HashMap::new()
    } else {
        public_values_at(
            db.pool(),
            &indicator.code,
            Places::InMunicipality(level, &city.code),
            Some(&period),
        )
        .await?
        .into_iter()
        .filter(|row| codes.contains(row.geo_code.as_str()))
        .filter_map(|row| row.value.map(|v| (row.geo_code, v)))
        .collect()
    };
    let secret: HashSet<String> =
        geo_uploads::suppressed_codes(db.pool(), &indicator.code, level, &city.code, &period)
            .await?
            .into_iter()
            .collect();
    let mut rows = Vec::new();
    let mut areas = Vec::new();
    for place in places {
        let cell = match public.get(&place.code) {
            Some(v) => Cell::Value(*v),
            None if secret.contains(&place.code) => Cell::Secret,
            None => Cell::NoData,
        };
        // A stored geometry that no longer parses leaves its area off the map, not the page
        // (the table still lists it).
        if let Ok(geometry) = geo::parse_geojson_text(&place.geometry) {
            areas.push(MapArea {
                code: place.code.clone(),
                label: place.name.clone(),
                value: match cell {
                    Cell::Value(v) => Some(v),
                    _ => None,
                },
                geometry,
            });
        }
        rows.push(MapRow {
            code: place.code,
            name: place.name,
            cell,
        });
    }
    let mut options = ChoroplethOptions::new(&title(level, &period), "kaart");
    options.unit = indicator.unit.clone();
    options.decimals = usize::try_from(indicator.decimals.clamp(0, 6)).unwrap_or(0);
    options.description = format!(
        "{} per {} in {}, {}. De tabel naast de kaart geeft dezelfde cijfers.",
        indicator.name,
        level.as_str(),
        city.name,
        period
    );
    let svg = geo::render_choropleth(&areas, &options);
    Ok(Some(CityMap {
        level,
        levels,
        period,
        periods,
        svg,
        rows,
    }))
}
