//! Stad in cijfers at 10 million values (issue 15 point 14). See bench/README.md ("Stad in
//! cijfers at 10 million values") and bench/cijfers.sh.
//!
//! `cijfers-bench sqlite|postgres [--duckdb]` or `cijfers-bench duckdb`: a fresh platform database of that backend
//! (PostgreSQL: a new database on `PG_URL`, default postgres://postgres@127.0.0.1:5432/postgres,
//! dropped after), migrated as the server does, filled with the generated dataset; then the
//! pages through the platform's router and the store reads behind them, `REPS` times each
//! (default 200, fewer when one measurement passes `BUDGET_S` seconds, default 45; never fewer
//! than 20, or 5 when one run takes over a second); then the import of a million values through the import job. `--duckdb` (or `duckdb`
//! alone) loads the same rows into DuckDB and runs the same queries and a million-row insert. Prints Markdown.

mod data;
#[cfg(feature = "duckdb")]
mod duck;
mod import;
mod load;
mod pages;

use std::time::{Duration, Instant};

use steden_db::testing::TestDb;
use steden_db::Db;

use pages::{Plan, Stats};

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn row(backend: &str, what: &str, stats: &Stats, unit: &str) {
    println!(
        "| {backend} | {what} | {} | {} | {} | {} | {} {unit} |",
        stats.runs,
        ms(stats.p50),
        ms(stats.p95),
        ms(stats.p99),
        stats.size
    );
}

async fn size_of(db: &Db) -> anyhow::Result<i64> {
    use sqlx::Row;
    let sql = match db.backend() {
        steden_db::Backend::Postgres => "SELECT pg_database_size(current_database())",
        _ => "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
    };
    Ok(sqlx::query(sql)
        .fetch_one(db.pool())
        .await?
        .get::<i64, _>(0))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let backend = args.first().map_or("sqlite", String::as_str).to_string();
    let with_duck = args.iter().any(|a| a == "--duckdb");
    let plan = Plan {
        reps: std::env::var("REPS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(200),
        budget: Duration::from_secs(
            std::env::var("BUDGET_S")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(45),
        ),
    };
    let places = data::places();
    if backend == "duckdb" {
        // DuckDB alone, with ids made as the store makes them (no platform database).
        #[cfg(feature = "duckdb")]
        return run_duck(&places, &load::Ids::fresh(places.len()), plan);
        #[cfg(not(feature = "duckdb"))]
        anyhow::bail!("built without the duckdb feature");
    }
    let migrations = steden_web::app::all_migrations(&pages::modules());
    let started = Instant::now();
    let test_db = match backend.as_str() {
        "sqlite" => TestDb::sqlite(&migrations).await,
        "postgres" => {
            let url = std::env::var("PG_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
            TestDb::postgres(&url, &migrations).await
        }
        other => anyhow::bail!("unknown backend {other}: sqlite or postgres"),
    };
    let migrate = started.elapsed();
    let db = test_db.db.clone();
    let outcome = run(&backend, &db, &places, plan, with_duck, migrate).await;
    test_db.cleanup().await;
    outcome
}

async fn run(
    backend: &str,
    db: &Db,
    places: &[data::Place],
    plan: Plan,
    with_duck: bool,
    migrate: Duration,
) -> anyhow::Result<()> {
    eprintln!("{backend}: loading {} places …", places.len());
    let (ids, loaded) = load::load(db, places).await?;
    let db_bytes = size_of(db).await?;
    println!("\n### {backend}\n");
    println!(
        "- migrations {}; places, 510 indicators, periods and the theme through the store {}",
        secs(migrate),
        secs(loaded.setup)
    );
    println!(
        "- bulk load of {} values (multi-row INSERT, 1,000 a statement, 100,000 a transaction): {} ({:.0} values/s); Gent's {} sector geometries {}",
        loaded.values,
        secs(loaded.values_time),
        loaded.values as f64 / loaded.values_time.as_secs_f64(),
        data::GENT_SECTORS,
        secs(loaded.geometry_time)
    );
    println!(
        "- database size after the load: {:.0} MB",
        db_bytes as f64 / 1e6
    );

    let dir = tempfile::tempdir()?;
    let router = pages::router(db, dir.path()).await?;
    let sheet = format!("/cijfers/steekkaart/{}/gent", ids.theme_slug);
    let page_list = [
        ("fact sheet page (8 indicators, Gent)", sheet),
        (
            "comparison page, indicator down to sectors (with Gent's map block)",
            "/cijfers/indicator/bench_s001".to_string(),
        ),
        (
            "comparison page, municipal indicator",
            "/cijfers/indicator/bench_g001".to_string(),
        ),
        (
            "map page, Gent's 3,000 sectors",
            "/cijfers/indicator/bench_s001/kaart/44021?niveau=sector&periode=2025".to_string(),
        ),
    ];
    println!("\n| backend | measurement | runs | p50 | p95 | p99 | size |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    for (what, uri) in &page_list {
        eprintln!("{backend}: {what} …");
        let stats = pages::measure(plan, || pages::get(&router, uri)).await?;
        row(backend, &format!("{what} `{uri}`"), &stats, "bytes");
    }
    let codes = load::theme_codes();
    eprintln!("{backend}: store reads …");
    let stats = pages::measure(plan, || pages::sheet_reads(db, &codes)).await?;
    row(
        backend,
        "store: fact sheet's reads (8 × public_series)",
        &stats,
        "rows",
    );
    let stats = pages::measure(plan, || pages::comparison_read(db, "bench_s001")).await?;
    row(
        backend,
        "store: comparison's read (public_series, all levels)",
        &stats,
        "rows",
    );
    let stats = pages::measure(plan, || pages::comparison_read_municipal(db, "bench_s001")).await?;
    row(
        backend,
        "store: comparison at municipality level only",
        &stats,
        "rows",
    );
    let stats =
        pages::measure(plan, || pages::map_reads(db, "bench_s001", "44021", "2025")).await?;
    row(
        backend,
        "store: map's reads (3,000 sectors)",
        &stats,
        "rows",
    );

    eprintln!("{backend}: import of a million values …");
    let file = data::import_file(places);
    let imported = import::import(db, &file).await?;
    println!(
        "\n- import through the import job ({} bytes, Swing wide CSV, {} values): preview (parse, check, keep) {}; the job (parse, check, write in one transaction) {}; together {}",
        imported.bytes,
        imported.values,
        secs(imported.preview),
        secs(imported.run),
        secs(imported.preview + imported.run)
    );

    if with_duck {
        #[cfg(feature = "duckdb")]
        run_duck(places, &ids, plan)?;
        #[cfg(not(feature = "duckdb"))]
        anyhow::bail!("built without the duckdb feature");
    }
    Ok(())
}

#[cfg(feature = "duckdb")]
fn run_duck(places: &[data::Place], ids: &load::Ids, plan: Plan) -> anyhow::Result<()> {
    eprintln!("duckdb: loading …");
    let dir = tempfile::tempdir()?;
    let duck = duck::Duck::open(dir.path())?;
    let (load_time, count) = duck.load(places, ids)?;
    println!("\n### DuckDB\n");
    println!(
        "- load of {count} values and the rest with the Appender: {} ({:.0} values/s); file {:.0} MB",
        secs(load_time),
        count as f64 / load_time.as_secs_f64(),
        duck.file_bytes() as f64 / 1e6
    );
    println!("\n| backend | measurement | runs | p50 | p95 | p99 | size |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    let codes = load::theme_codes();
    let stats = duck::measure(plan, || duck.sheet_reads(&codes))?;
    row(
        "duckdb",
        "fact sheet's reads (8 × public_series)",
        &stats,
        "rows",
    );
    let stats = duck::measure(plan, || Ok(duck.public_series("bench_s001", "")?.len()))?;
    row("duckdb", "comparison's read (all levels)", &stats, "rows");
    let stats = duck::measure(plan, || {
        Ok(duck.public_series("bench_s001", "gemeente")?.len())
    })?;
    row(
        "duckdb",
        "comparison at municipality level only",
        &stats,
        "rows",
    );
    let stats = duck::measure(plan, || duck.map_reads("bench_s001", "44021", "2025"))?;
    row("duckdb", "map's reads (3,000 sectors)", &stats, "rows");
    let (insert, inserted) = duck.insert_import(places, ids)?;
    println!(
        "\n- insert of the import's {inserted} values with the Appender (no parsing, no checks): {}",
        secs(insert)
    );
    Ok(())
}
