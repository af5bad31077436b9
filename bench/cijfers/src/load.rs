//! Filling a fresh platform database with the generated dataset: places, indicators, periods and
//! the fact-sheet theme through the module's store; the 10 million values in batches of
//! multi-row INSERTs of the same columns the store's upsert writes (one transaction per 100,000
//! values); Gent's sector geometry onto the places, as a confirmed upload leaves it.

use std::time::{Duration, Instant};

use steden_cijfers::model::{GeoLevel, Period};
use steden_cijfers::store::geo::{self, NewGeoItem};
use steden_cijfers::store::indicators::{self, IndicatorFields};
use steden_cijfers::store::themes::{self, ThemeEntry, ThemeFields};
use steden_cijfers::store::values;
use steden_core::audit::AuditActor;
use steden_db::{now_ms, Backend, Db};

use crate::data::{self, Place};

/// The ids of what was stored, in the dataset's order.
pub struct Ids {
    pub places: Vec<String>,
    pub indicators: Vec<String>,
    pub import_indicators: Vec<String>,
    pub periods: Vec<String>,
    pub theme_slug: String,
}

impl Ids {
    /// Ids made as the store makes them, for a database without the platform (DuckDB alone).
    #[cfg_attr(not(feature = "duckdb"), allow(dead_code))]
    pub fn fresh(places: usize) -> Ids {
        let ids = |n: usize| (0..n).map(|_| steden_db::new_id()).collect::<Vec<_>>();
        Ids {
            places: ids(places),
            indicators: ids(data::SECTOR_INDICATORS + data::MUNICIPAL_INDICATORS),
            import_indicators: ids(data::IMPORT_INDICATORS),
            periods: ids(data::YEARS),
            theme_slug: String::new(),
        }
    }
}

pub struct LoadReport {
    pub setup: Duration,
    pub values: usize,
    pub values_time: Duration,
    pub geometry_time: Duration,
}

/// The 8 indicators of the fact-sheet theme: 4 down to sectors, 4 municipal.
pub fn theme_codes() -> Vec<String> {
    let mut out: Vec<String> = (1..=4).map(|i| format!("bench_s{i:03}")).collect();
    out.extend((1..=4).map(|i| format!("bench_g{i:03}")));
    out
}

pub async fn load(db: &Db, places: &[Place]) -> anyhow::Result<(Ids, LoadReport)> {
    let started = Instant::now();
    steden_core::org::seed_defaults(db).await?;
    let actor = AuditActor::system();
    let mut tx = db.begin().await?;
    let mut place_ids = Vec::with_capacity(places.len());
    for place in places {
        let id = geo::ensure(
            &mut tx,
            place.level,
            &NewGeoItem {
                code: &place.code,
                name: &place.name,
                municipality_code: place.municipality.as_deref(),
                ..NewGeoItem::default()
            },
        )
        .await?;
        place_ids.push(id);
    }
    let fields = |code: &str, published: bool| IndicatorFields {
        code: code.into(),
        name: format!("Benchmarkindicator {code}"),
        definition: "Gegenereerd voor de benchmark, geen echte cijfers.".into(),
        unit: "personen".into(),
        source: "Benchmark".into(),
        theme: "Benchmark".into(),
        decimals: 1,
        aggregation: "sum".into(),
        published,
        ..IndicatorFields::default()
    };
    let mut indicator_ids = Vec::new();
    for (code, _) in data::indicators() {
        indicator_ids.push(indicators::create(&mut tx, &fields(&code, true), None, &actor).await?);
    }
    // The import's indicators: defined by the data team, not yet published (a first import).
    let mut import_ids = Vec::new();
    for code in data::import_codes() {
        import_ids.push(indicators::create(&mut tx, &fields(&code, false), None, &actor).await?);
    }
    let mut period_ids = Vec::new();
    for year in 0..data::YEARS {
        let period = Period::parse(&(data::FIRST_YEAR + year as i32).to_string())
            .ok_or_else(|| anyhow::anyhow!("year"))?;
        period_ids.push(values::ensure_period(&mut tx, &period).await?);
    }
    let theme = ThemeFields {
        name: "Benchmark wonen".into(),
        intro: "Gegenereerde cijfers voor de benchmark.".into(),
        indicators: theme_codes()
            .into_iter()
            .enumerate()
            .map(|(n, code)| ThemeEntry {
                code,
                key_figure: n % 2 == 0,
            })
            .collect(),
    };
    let theme_slug = themes::create(&mut tx, &theme, false, &actor).await?;
    tx.commit().await?;
    let setup = started.elapsed();

    let ids = Ids {
        places: place_ids,
        indicators: indicator_ids,
        import_indicators: import_ids,
        periods: period_ids,
        theme_slug,
    };
    let started = Instant::now();
    let count = insert_values(db, places, &ids).await?;
    // The bulk load stands for values that passed the disclosure gate: published and checked.
    sqlx::query("UPDATE cijfers_indicators SET disclosure_passed = 1 WHERE published = 1")
        .execute(db.pool())
        .await?;
    let values_time = started.elapsed();

    let started = Instant::now();
    let mut tx = db.begin().await?;
    let mut k = 0;
    for place in places {
        if place.level == GeoLevel::Sector && place.municipality.as_deref() == Some(data::GENT) {
            sqlx::query(
                "UPDATE cijfers_geo_items SET geometry = $1 WHERE level = $2 AND code = $3",
            )
            .bind(data::gent_sector_geometry(k))
            .bind(place.level.as_str())
            .bind(&place.code)
            .execute(&mut *tx)
            .await?;
            k += 1;
        }
    }
    tx.commit().await?;
    let geometry_time = started.elapsed();
    if db.backend() == Backend::Postgres || std::env::var("BENCH_ANALYZE").is_ok_and(|v| v == "1") {
        // PostgreSQL's autovacuum analyses a table this size by itself within a minute of the
        // load; SQLite has no such thing and the platform never runs ANALYZE (BENCH_ANALYZE=1
        // does, to compare).
        sqlx::query("ANALYZE").execute(db.pool()).await?;
    }
    Ok((
        ids,
        LoadReport {
            setup,
            values: count,
            values_time,
            geometry_time,
        },
    ))
}

/// A value of the dataset: indicator, place and year (indexes), value, suppressed.
pub type Generated = (usize, usize, usize, Option<f64>, bool);

/// Every value of the dataset, in the order of the primary key's first two columns.
pub fn all_values(places: &[Place]) -> impl Iterator<Item = Generated> + '_ {
    data::indicators()
        .into_iter()
        .enumerate()
        .flat_map(move |(ind, (_, sectors))| {
            places
                .iter()
                .enumerate()
                .filter(move |(_, place)| sectors || data::municipal_level(place.level))
                .flat_map(move |(p, place)| {
                    (0..data::YEARS).map(move |year| {
                        let (value, suppressed) = data::value(ind, p, place.level, year);
                        (ind, p, year, value, suppressed)
                    })
                })
        })
}

const BATCH: usize = 1_000;
const PER_TX: usize = 100_000;

async fn insert_values(db: &Db, places: &[Place], ids: &Ids) -> anyhow::Result<usize> {
    let mut rows: Vec<Generated> = Vec::with_capacity(PER_TX);
    let mut total = 0;
    let mut generated = all_values(places);
    let now = now_ms();
    loop {
        rows.clear();
        rows.extend(generated.by_ref().take(PER_TX));
        if rows.is_empty() {
            break;
        }
        let mut tx = db.begin().await?;
        for batch in rows.chunks(BATCH) {
            let mut sql = String::from(
                "INSERT INTO cijfers_values (indicator_id, geo_item_id, period_id, value, status,
                     disclosure, updated_at) VALUES ",
            );
            for n in 0..batch.len() {
                let b = n * 6;
                if n > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, CASE WHEN ${} = 'suppressed' THEN NULL ELSE ${} END, ${}, ${}, {now})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 5,
                    b + 4,
                    b + 5,
                    b + 6
                ));
            }
            let mut query = sqlx::query(&sql);
            for &(ind, p, year, value, suppressed) in batch {
                query = query
                    .bind(&ids.indicators[ind])
                    .bind(&ids.places[p])
                    .bind(&ids.periods[year])
                    // never a NULL double: sqlx 0.8.6's Any driver sends one to PostgreSQL
                    // as a float4 NULL, which a statement prepared with float8 refuses
                    .bind(value.unwrap_or(0.0))
                    .bind(if suppressed {
                        "suppressed"
                    } else {
                        "definitive"
                    })
                    .bind(if suppressed { "primary" } else { "passed" });
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        total += rows.len();
        if total % 1_000_000 < PER_TX {
            eprintln!("  … {total} values");
        }
    }
    Ok(total)
}
