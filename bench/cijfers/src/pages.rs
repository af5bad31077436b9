//! The pages through the platform's own router, in process (`tower::ServiceExt::oneshot`: the
//! whole stack of layers, no socket), and the store reads behind them alone, many times each.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use steden_cijfers::model::GeoLevel;
use steden_cijfers::store::{geo_uploads, indicators, values};
use steden_db::Db;
use steden_web::app::{self, AppState, Config};
use steden_web::Module;
use tower::ServiceExt;

/// Timings of one measurement.
#[derive(Debug, Clone)]
pub struct Stats {
    pub runs: usize,
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    /// The size of the answer (bytes for a page, rows for a query).
    pub size: usize,
}

impl Stats {
    pub fn of(mut samples: Vec<Duration>, size: usize) -> Stats {
        samples.sort();
        let at = |q: f64| {
            let i = ((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1;
            samples[i]
        };
        Stats {
            runs: samples.len(),
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
            size,
        }
    }
}

/// How often each measurement runs: `reps` times, fewer when it takes longer than `budget`
/// (at least 20), after 3 warm-up runs.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub reps: usize,
    pub budget: Duration,
}

pub async fn measure<F, Fut>(plan: Plan, mut f: F) -> anyhow::Result<Stats>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<usize>>,
{
    // One warm-up run; two more, and at least 20 measured runs, unless it takes over a
    // second (then at least 5: a slow measurement is slow enough to see).
    let t = Instant::now();
    let mut size = f().await?;
    let slow = t.elapsed() > Duration::from_secs(1);
    if !slow {
        for _ in 0..2 {
            size = f().await?;
        }
    }
    let least = if slow { 5 } else { 20 };
    let started = Instant::now();
    let mut samples = Vec::with_capacity(plan.reps);
    while samples.len() < plan.reps && (samples.len() < least || started.elapsed() < plan.budget) {
        let t = Instant::now();
        size = f().await?;
        samples.push(t.elapsed());
    }
    Ok(Stats::of(samples, size))
}

pub fn modules() -> Vec<Arc<dyn Module>> {
    vec![
        Arc::new(steden_plan::PlanModule),
        Arc::new(steden_cijfers::CijfersModule),
    ]
}

/// The platform's router over `db`, as the server builds it (page cache off: every request is
/// rendered, the miss path).
pub async fn router(db: &Db, data_dir: &std::path::Path) -> anyhow::Result<Router> {
    let modules = modules();
    let config = Config::local(data_dir.to_path_buf(), 8080);
    let secret = steden_core::settings::secret(db, "csrf_secret")
        .await?
        .into_bytes();
    let state = AppState::new(db.clone(), config, &modules, secret).map_err(anyhow::Error::msg)?;
    Ok(app::build(state, &modules))
}

/// GET `uri` anonymously; the body's length. Anything but 200 is an error.
pub async fn get(router: &Router, uri: &str) -> anyhow::Result<usize> {
    let response = router
        .clone()
        .oneshot(
            Request::get(uri)
                .header("accept", "text/html")
                .header("user-agent", "Mozilla/5.0 (X11; Linux x86_64) bench")
                .body(Body::empty())?,
        )
        .await?;
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
    if status != StatusCode::OK {
        anyhow::bail!(
            "{uri} answered {status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(300)])
        );
    }
    Ok(body.len())
}

/// The store reads of a fact sheet: each indicator of the theme looked up and its public
/// series read (what `store::cube::public_cube` does per indicator), rows in all.
pub async fn sheet_reads(db: &Db, codes: &[String]) -> anyhow::Result<usize> {
    let mut rows = 0;
    for code in codes {
        indicators::find_by_code(db.pool(), code).await?;
        rows += values::public_series(db.pool(), code, None).await?.len();
    }
    Ok(rows)
}

/// The store read of the comparison: one indicator's public series at every level (what the
/// indicator page reads, twice: once for its table, once for its charts' cube).
pub async fn comparison_read(db: &Db, code: &str) -> anyhow::Result<usize> {
    Ok(values::public_series(db.pool(), code, None).await?.len())
}

/// The same at municipality level only (the rows the comparison table shows).
pub async fn comparison_read_municipal(db: &Db, code: &str) -> anyhow::Result<usize> {
    Ok(
        values::public_series(db.pool(), code, Some(GeoLevel::Gemeente))
            .await?
            .len(),
    )
}

/// The store reads of a city map (`maps::view::city_map`): the places with geometry, the
/// periods, the public series at sector level, the suppressed codes.
pub async fn map_reads(db: &Db, code: &str, city: &str, period: &str) -> anyhow::Result<usize> {
    let pool = db.pool();
    let places = geo_uploads::map_places(pool, GeoLevel::Sector, city).await?;
    geo_uploads::map_places(pool, GeoLevel::Wijk, city).await?;
    geo_uploads::map_periods(pool, code, GeoLevel::Sector, city).await?;
    let series = values::public_series(pool, code, Some(GeoLevel::Sector)).await?;
    geo_uploads::suppressed_codes(pool, code, GeoLevel::Sector, city, period).await?;
    Ok(places.len() + series.len())
}
