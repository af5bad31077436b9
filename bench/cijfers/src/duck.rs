//! The same data and the same queries in DuckDB (an embedded column store): the tables the
//! queries touch, with the platform's column types and the values' primary key, loaded with
//! the Appender from the same generated rows (the same ids); the queries are the store's SQL
//! text, copied (`store::values::public_series`, `store::geo_uploads::map_places`,
//! `map_periods`, `suppressed_codes`, `store::indicators::find_by_code`).

use std::time::{Duration, Instant};

use duckdb::{params, Connection};
use steden_cijfers::model::GeoLevel;

use crate::data::{self, Place};
use crate::load::{all_values, Ids};
use crate::pages::{Plan, Stats};

const SCHEMA: &str = "
CREATE TABLE cijfers_indicators (id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL, published SMALLINT NOT NULL, disclosure_passed SMALLINT NOT NULL);
CREATE TABLE cijfers_geo_items (id TEXT PRIMARY KEY, level TEXT NOT NULL, code TEXT NOT NULL,
    name TEXT NOT NULL, municipality_code TEXT, geometry TEXT, UNIQUE (level, code));
CREATE TABLE cijfers_periods (id TEXT PRIMARY KEY, kind TEXT NOT NULL, code TEXT NOT NULL UNIQUE,
    starts_on TEXT NOT NULL);
CREATE TABLE cijfers_values (indicator_id TEXT NOT NULL, geo_item_id TEXT NOT NULL,
    period_id TEXT NOT NULL, value DOUBLE, status TEXT NOT NULL DEFAULT 'definitive',
    import_id TEXT, updated_at BIGINT NOT NULL, disclosure TEXT NOT NULL DEFAULT 'pending',
    PRIMARY KEY (indicator_id, geo_item_id, period_id));
";

const PUBLIC_SERIES: &str = "SELECT g.code, g.name, g.level, p.code AS period, v.value, v.status
     FROM cijfers_values v
     JOIN cijfers_geo_items g ON g.id = v.geo_item_id
     JOIN cijfers_periods p ON p.id = v.period_id
     JOIN cijfers_indicators i ON i.id = v.indicator_id
         WHERE i.code = $1 AND i.published = 1 AND i.disclosure_passed = 1
           AND v.status <> 'suppressed' AND v.disclosure = 'passed'
           AND v.value IS NOT NULL AND ($2 = '' OR g.level = $2)
         ORDER BY g.level, g.code, p.starts_on";

pub struct Duck {
    conn: Connection,
    path: std::path::PathBuf,
}

type Series = Vec<(String, String, String, String, Option<f64>, String)>;

impl Duck {
    pub fn open(dir: &std::path::Path) -> anyhow::Result<Duck> {
        let path = dir.join("cijfers.duckdb");
        let conn = Connection::open(&path)?;
        conn.execute_batch(SCHEMA)?;
        Ok(Duck { conn, path })
    }

    /// Loads the same places, indicators, periods, values and geometry; returns the time of
    /// the values (and the rest) and how many.
    pub fn load(&self, places: &[Place], ids: &Ids) -> anyhow::Result<(Duration, usize)> {
        let started = Instant::now();
        {
            let mut app = self.conn.appender("cijfers_indicators")?;
            for ((code, _), id) in data::indicators().iter().zip(&ids.indicators) {
                app.append_row(params![id, code, code, 1i16, 1i16])?;
            }
            for (code, id) in data::import_codes().iter().zip(&ids.import_indicators) {
                app.append_row(params![id, code, code, 0i16, 0i16])?;
            }
            app.flush()?;
        }
        {
            let mut app = self.conn.appender("cijfers_geo_items")?;
            let mut k = 0;
            for (place, id) in places.iter().zip(&ids.places) {
                let geometry = (place.level == GeoLevel::Sector
                    && place.municipality.as_deref() == Some(data::GENT))
                .then(|| {
                    k += 1;
                    data::gent_sector_geometry(k - 1)
                });
                app.append_row(params![
                    id,
                    place.level.as_str(),
                    place.code,
                    place.name,
                    place.municipality,
                    geometry
                ])?;
            }
            app.flush()?;
        }
        {
            let mut app = self.conn.appender("cijfers_periods")?;
            for (year, id) in ids.periods.iter().enumerate() {
                let code = (data::FIRST_YEAR + year as i32).to_string();
                app.append_row(params![id, "year", code, format!("{code}-01-01")])?;
            }
            app.flush()?;
        }
        let now = steden_db::now_ms();
        let mut count = 0;
        {
            let mut app = self.conn.appender("cijfers_values")?;
            for (ind, p, year, value, suppressed) in all_values(places) {
                app.append_row(params![
                    ids.indicators[ind],
                    ids.places[p],
                    ids.periods[year],
                    value,
                    if suppressed {
                        "suppressed"
                    } else {
                        "definitive"
                    },
                    None::<String>,
                    now,
                    if suppressed { "primary" } else { "passed" }
                ])?;
                count += 1;
            }
            app.flush()?;
        }
        self.conn.execute_batch("CHECKPOINT")?;
        Ok((started.elapsed(), count))
    }

    /// The million values of the import (same rows as the import file), with the Appender.
    pub fn insert_import(&self, places: &[Place], ids: &Ids) -> anyhow::Result<(Duration, usize)> {
        let started = Instant::now();
        let now = steden_db::now_ms();
        let mut count = 0;
        {
            let mut app = self.conn.appender("cijfers_values")?;
            for year in 0..data::YEARS {
                for (p, place) in places.iter().enumerate() {
                    for (i, id) in ids.import_indicators.iter().enumerate() {
                        let (value, suppressed) = data::value(10_000 + i, p, place.level, year);
                        app.append_row(params![
                            id,
                            ids.places[p],
                            ids.periods[year],
                            value,
                            if suppressed {
                                "suppressed"
                            } else {
                                "definitive"
                            },
                            None::<String>,
                            now,
                            "pending"
                        ])?;
                        count += 1;
                    }
                }
            }
            app.flush()?;
        }
        self.conn.execute_batch("CHECKPOINT")?;
        Ok((started.elapsed(), count))
    }

    pub fn file_bytes(&self) -> u64 {
        std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0)
    }

    fn find_indicator(&self, code: &str) -> anyhow::Result<usize> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, code, name, published, disclosure_passed FROM cijfers_indicators
             WHERE code = $1",
        )?;
        let rows = stmt.query_map(params![code], |row| row.get::<_, String>(0))?;
        Ok(rows.count())
    }

    pub fn public_series(&self, code: &str, level: &str) -> anyhow::Result<Series> {
        let mut stmt = self.conn.prepare_cached(PUBLIC_SERIES)?;
        let rows = stmt.query_map(params![code, level], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
            ))
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    pub fn sheet_reads(&self, codes: &[String]) -> anyhow::Result<usize> {
        let mut n = 0;
        for code in codes {
            self.find_indicator(code)?;
            n += self.public_series(code, "")?.len();
        }
        Ok(n)
    }

    pub fn map_reads(&self, code: &str, city: &str, period: &str) -> anyhow::Result<usize> {
        let mut places = self.conn.prepare_cached(
            "SELECT code, name, geometry FROM cijfers_geo_items
             WHERE level = $1 AND municipality_code = $2 AND geometry IS NOT NULL ORDER BY code",
        )?;
        let sectors: Vec<(String, String, String)> = places
            .query_map(params!["sector", city], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        let wijken = places
            .query_map(params!["wijk", city], |r| r.get::<_, String>(0))?
            .count();
        let mut periods = self.conn.prepare_cached(
            "SELECT DISTINCT p.code, p.starts_on FROM cijfers_values v
             JOIN cijfers_indicators i ON i.id = v.indicator_id
             JOIN cijfers_geo_items g ON g.id = v.geo_item_id
             JOIN cijfers_periods p ON p.id = v.period_id
             WHERE i.code = $1 AND i.published = 1 AND g.level = $2 AND g.municipality_code = $3
             ORDER BY p.starts_on",
        )?;
        let periods = periods
            .query_map(params![code, "sector", city], |r| r.get::<_, String>(0))?
            .count();
        let series = self.public_series(code, "sector")?;
        let mut secret = self.conn.prepare_cached(
            "SELECT g.code FROM cijfers_values v
             JOIN cijfers_indicators i ON i.id = v.indicator_id
             JOIN cijfers_geo_items g ON g.id = v.geo_item_id
             JOIN cijfers_periods p ON p.id = v.period_id
             WHERE i.code = $1 AND i.published = 1 AND v.status = 'suppressed'
               AND g.level = $2 AND g.municipality_code = $3 AND p.code = $4 ORDER BY g.code",
        )?;
        let secret = secret
            .query_map(params![code, "sector", city, period], |r| {
                r.get::<_, String>(0)
            })?
            .count();
        let _ = (wijken, periods, secret);
        Ok(sectors.len() + series.len())
    }
}

/// Runs `f` as [`crate::pages::measure`] does, synchronously.
pub fn measure(plan: Plan, mut f: impl FnMut() -> anyhow::Result<usize>) -> anyhow::Result<Stats> {
    // One warm-up run; two more, and at least 20 measured runs, unless it takes over a
    // second (then at least 5: a slow measurement is slow enough to see).
    let t = Instant::now();
    let mut size = f()?;
    let slow = t.elapsed() > Duration::from_secs(1);
    if !slow {
        for _ in 0..2 {
            size = f()?;
        }
    }
    let least = if slow { 5 } else { 20 };
    let started = Instant::now();
    let mut samples = Vec::with_capacity(plan.reps);
    while samples.len() < plan.reps && (samples.len() < least || started.elapsed() < plan.budget) {
        let t = Instant::now();
        size = f()?;
        samples.push(t.elapsed());
    }
    Ok(Stats::of(samples, size))
}
