//! Import timings for the notes (not an assertion): a generated 12,000-line BBC export and the
//! jaarplan seed text, parsed, planned and applied into a fresh migrated database — SQLite
//! (a temp file) always, PostgreSQL when TEST_DATABASE_URL is set — and the second
//! (idempotent) run. Prints the median of a few runs.
//!
//! `cargo bench -p steden-plan --bench import`

use std::sync::Arc;
use std::time::{Duration, Instant};

use steden_core::audit::AuditActor;
use steden_core::org;
use steden_db::testing::{postgres_admin_url, TestDb};
use steden_db::Db;
use steden_plan::import::bbc::testdata::{generate, GenEncoding, GenLayout, GenOptions};
use steden_plan::import::{bbc, jaarplan, write};
use steden_plan::store::plans::{self, PlanFields};
use steden_web::Module;

const RUNS: usize = 3;
const SEED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/seeds/000_36870990a2a15f1c.txt"
));

#[derive(Default)]
struct Timings {
    rows: Vec<(String, Vec<Duration>)>,
}

impl Timings {
    fn add(&mut self, name: &str, d: Duration) {
        match self.rows.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => v.push(d),
            None => self.rows.push((name.to_string(), vec![d])),
        }
    }

    fn print(&self, title: &str) {
        println!("\n{title}");
        println!("{:<44} {:>12}", "step", "median (ms)");
        for (name, values) in &self.rows {
            let mut v = values.clone();
            v.sort();
            let median = v[v.len() / 2];
            println!("{name:<44} {:>12.1}", median.as_secs_f64() * 1000.0);
        }
    }
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

async fn new_plan(db: &Db, org_id: &str, levels: &[&str]) -> String {
    let levels: Vec<String> = levels.iter().map(|s| s.to_string()).collect();
    let mut tx = db.begin().await.unwrap();
    let plan = plans::create(
        &mut tx,
        org_id,
        &PlanFields {
            kind: "meerjarenplan".into(),
            title: format!("Bench {}", steden_db::new_id()),
            description: String::new(),
            period_start: "2026-01-01".into(),
            period_end: "2031-12-31".into(),
            status: "ontwerp".into(),
        },
        &levels,
        false,
        &AuditActor::system(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    plan.id
}

async fn plan_and_apply_bbc(
    db: &Db,
    plan_id: &str,
    file: &bbc::BbcImport,
) -> (Duration, Duration, usize) {
    let mut tx = db.begin().await.unwrap();
    let start = Instant::now();
    let planned = write::plan_bbc(&mut tx, plan_id, file).await.unwrap();
    let planning = start.elapsed();
    let start = Instant::now();
    let summary = write::apply(&mut tx, plan_id, &planned, &AuditActor::system())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (planning, start.elapsed(), summary.created + summary.changed)
}

async fn run_backend(name: &str, test_db: TestDb) {
    let db = test_db.db.clone();
    org::seed_defaults(&db).await.unwrap();
    let org_id = org::find_by_slug(db.pool(), "gent")
        .await
        .unwrap()
        .unwrap()
        .id;
    let generated = generate(&GenOptions {
        lines: 12_000,
        layout: GenLayout::Wide,
        title_lines: true,
        dotted_codes: false,
        seed: 2026,
    });
    let csv = generated.to_csv(b';', GenEncoding::Windows1252);
    let mut t = Timings::default();
    let mut items = 0;
    for _ in 0..RUNS {
        let (file, d) = time(|| bbc::import(&csv).unwrap());
        t.add("BBC 12.000 regels: parse (CSV → boom)", d);
        let plan_id = new_plan(&db, &org_id, &["Beleidsdoelstelling", "Actieplan", "Actie"]).await;
        let (p, a, written) = plan_and_apply_bbc(&db, &plan_id, &file).await;
        items = written;
        t.add("BBC: plan (eerste import)", p);
        t.add("BBC: apply (eerste import)", a);
        t.add("BBC: plan + apply (eerste import)", p + a);
        let (p, a, written) = plan_and_apply_bbc(&db, &plan_id, &file).await;
        assert_eq!(written, 0, "the second import changes nothing");
        t.add("BBC: plan + apply (tweede import, 0 wijzigingen)", p + a);
    }
    for _ in 0..RUNS {
        let (file, d) = time(|| jaarplan::parse(SEED).unwrap());
        t.add("Jaarplan: parse", d);
        let plan_id = new_plan(
            &db,
            &org_id,
            &["Programma", "Werkspoor", "Doelstelling", "Actie"],
        )
        .await;
        let mut tx = db.begin().await.unwrap();
        let start = Instant::now();
        let planned = write::plan_jaarplan(&mut tx, &plan_id, &file)
            .await
            .unwrap();
        write::apply(&mut tx, &plan_id, &planned, &AuditActor::system())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        t.add("Jaarplan: plan + apply", start.elapsed());
    }
    t.print(&format!("{name} ({items} items in the BBC file)"));
    test_db.cleanup().await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let modules: Vec<Arc<dyn Module>> = vec![Arc::new(steden_plan::PlanModule)];
    let migrations = steden_web::app::all_migrations(&modules);
    run_backend("SQLite", TestDb::sqlite(&migrations).await).await;
    if let Some(url) = postgres_admin_url() {
        run_backend("PostgreSQL", TestDb::postgres(&url, &migrations).await).await;
    }
}
