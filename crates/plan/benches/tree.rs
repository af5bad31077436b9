//! The plan tree page of a large plan: p50/p99 latency of GET /plannen/{id} (collapsed to two
//! levels, as the page opens) for a plan of 12,000 items, on SQLite and, when
//! TEST_DATABASE_URL is set, on PostgreSQL. Also the subtree page of one level-2 item and the
//! tree filtered on "te laat" (which reads every item).
//!
//! Run: `cargo bench -p steden-plan --bench tree` (add TEST_DATABASE_URL for PostgreSQL).
//! The server runs in this process on a loopback port; requests are sequential from one
//! logged-in client, so the figures are latencies, not throughput.

use std::sync::Arc;
use std::time::{Duration, Instant};

use steden_core::audit::AuditActor;
use steden_core::membership;
use steden_core::org;
use steden_core::role::Role;
use steden_core::user::{self, NewUser};
use steden_db::testing::{postgres_admin_url, TestDb};
use steden_db::{new_id, now_ms, Db};
use steden_plan::store::plans::{self, PlanFields};
use steden_web::app::{self, AppState, Config};
use steden_web::Module;

const PASSWORD: &str = "een lang genoeg wachtwoord";
const BEHEERSDOELEN: usize = 12;
const ACTIEPLANNEN_PER_BD: usize = 25;
const ACTIES_PER_AP: usize = 39;

/// One item to insert: id, parent, depth, position, code, title, progress, status.
type Row = (
    String,
    Option<String>,
    i64,
    i64,
    String,
    String,
    i64,
    &'static str,
);

fn modules() -> Vec<Arc<dyn Module>> {
    vec![Arc::new(steden_plan::PlanModule)]
}

/// A plan of 12 × (1 + 25 × (1 + 39)) = 12,012 items, written with multi-row inserts (the
/// set-up is not what is measured), progress rolled up once.
async fn large_plan(db: &Db, org_id: &str, user_id: &str) -> (String, String) {
    let mut tx = db.begin().await.unwrap();
    let plan = plans::create(
        &mut tx,
        org_id,
        &PlanFields {
            kind: "meerjarenplan".into(),
            title: "Groot meerjarenplan (benchmark)".into(),
            description: String::new(),
            period_start: "2026-01-01".into(),
            period_end: "2031-12-31".into(),
            status: "vastgesteld".into(),
        },
        &[
            "Beleidsdoelstelling".into(),
            "Actieplan".into(),
            "Actie".into(),
        ],
        true,
        &AuditActor::user(user_id),
    )
    .await
    .unwrap();
    let now = now_ms();
    let statuses = [
        "niet_gestart",
        "lopend",
        "vertraagd",
        "afgerond",
        "stopgezet",
    ];
    let mut rows: Vec<Row> = Vec::new();
    let mut first_ap = String::new();
    for bd in 0..BEHEERSDOELEN {
        let bd_id = new_id();
        rows.push((
            bd_id.clone(),
            None,
            0,
            bd as i64,
            format!("BD{:02}", bd + 1),
            format!("Beleidsdoelstelling {}", bd + 1),
            0,
            "lopend",
        ));
        for ap in 0..ACTIEPLANNEN_PER_BD {
            let ap_id = new_id();
            if first_ap.is_empty() {
                first_ap = ap_id.clone();
            }
            rows.push((
                ap_id.clone(),
                Some(bd_id.clone()),
                1,
                ap as i64,
                format!("AP{:02}{:02}", bd + 1, ap + 1),
                format!(
                    "Actieplan {}.{} met een titel van gewone lengte",
                    bd + 1,
                    ap + 1
                ),
                0,
                "lopend",
            ));
            for ac in 0..ACTIES_PER_AP {
                let n = bd * 1000 + ap * 40 + ac;
                rows.push((
                    new_id(),
                    Some(ap_id.clone()),
                    2,
                    ac as i64,
                    format!("AC{:02}{:02}{:02}", bd + 1, ap + 1, ac + 1),
                    format!("Actie {} om de dienstverlening te verbeteren", n),
                    (n as i64 * 7) % 101,
                    statuses[n % statuses.len()],
                ));
            }
        }
    }
    for chunk in rows.chunks(200) {
        let mut sql = String::from(
            "INSERT INTO plan_items (id, plan_id, parent_id, depth, position, code, title, status, progress, end_date, created_at, updated_at) VALUES ",
        );
        for (i, _) in chunk.iter().enumerate() {
            let b = i * 10;
            if i > 0 {
                sql.push_str(", ");
            }
            // created_at/updated_at: an integer literal, the same for every row.
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, {now}, {now})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7,
                b + 8,
                b + 9,
                b + 10
            ));
        }
        let mut query = sqlx::query(&sql);
        for (id, parent, depth, position, code, title, progress, status) in chunk {
            query = query
                .bind(id.clone())
                .bind(plan.id.clone())
                .bind(parent.clone())
                .bind(*depth)
                .bind(*position)
                .bind(code.clone())
                .bind(title.clone())
                .bind(*status)
                .bind(*progress)
                .bind("2026-06-30");
        }
        query.execute(&mut *tx).await.unwrap();
    }
    steden_plan::store::rollup::recompute_plan(&mut tx, &plan.id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (plan.id, first_ap)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

async fn measure(client: &reqwest::Client, url: &str, runs: usize) -> (Duration, Duration, usize) {
    // Warm-up.
    for _ in 0..5 {
        let response = client.get(url).send().await.unwrap();
        assert_eq!(response.status(), 200, "{url}");
        response.bytes().await.unwrap();
    }
    let mut times = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let response = client.get(url).send().await.unwrap();
        let body = response.bytes().await.unwrap();
        times.push(start.elapsed());
        size = body.len();
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.99), size)
}

async fn run(backend: &str, test_db: TestDb) {
    let db = test_db.db.clone();
    org::seed_defaults(&db).await.unwrap();
    let gent = org::find_by_slug(db.pool(), "gent")
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut tx = db.begin().await.unwrap();
    let user = user::create(
        &mut tx,
        NewUser {
            email: "bench@gent.test",
            name: "Bench",
            password: Some(PASSWORD),
            platform_admin: false,
        },
        &AuditActor::system(),
    )
    .await
    .unwrap();
    membership::set_role(
        &mut tx,
        &user.id,
        &gent,
        Role::Redacteur,
        &AuditActor::system(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let started = Instant::now();
    let (plan_id, first_ap) = large_plan(&db, &gent, &user.id).await;
    let setup = started.elapsed();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let data_dir = tempfile::tempdir().unwrap();
    let config = Config::local(data_dir.path().to_path_buf(), port);
    let secret = steden_core::settings::secret(&db, "csrf_secret")
        .await
        .unwrap()
        .into_bytes();
    let modules = modules();
    let state: AppState = AppState::new(db.clone(), config, &modules, secret).unwrap();
    let router = app::build(state, &modules);
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login_page = client
        .get(format!("{base}/aanmelden"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"_csrf\" value=\"";
    let start = login_page.find(marker).unwrap() + marker.len();
    let token = &login_page[start..start + login_page[start..].find('"').unwrap()];
    let response = client
        .post(format!("{base}/aanmelden"))
        .form(&[
            ("_csrf", token),
            ("email", "bench@gent.test"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);

    println!(
        "{backend}: 12,012 items written in {:.2} s (set-up, not measured)",
        setup.as_secs_f64()
    );
    for (label, path, runs) in [
        (
            "tree, two levels (default)",
            format!("/plannen/{plan_id}"),
            300,
        ),
        (
            "subtree of one actieplan",
            format!("/plannen/{plan_id}/boom/{first_ap}"),
            300,
        ),
        (
            "tree filtered: te laat",
            format!("/plannen/{plan_id}?laat=1"),
            50,
        ),
        ("dashboard", format!("/plannen/{plan_id}/dashboard"), 100),
    ] {
        let (p50, p99, size) = measure(&client, &format!("{base}{path}"), runs).await;
        println!(
            "{backend}: {label:<30} p50 {:>7.2} ms  p99 {:>7.2} ms  ({} KB, {runs} requests)",
            p50.as_secs_f64() * 1000.0,
            p99.as_secs_f64() * 1000.0,
            size / 1024
        );
    }
}

#[tokio::main]
async fn main() {
    let migrations = steden_web::app::all_migrations(&modules());
    run("SQLite", TestDb::sqlite(&migrations).await).await;
    if let Some(url) = postgres_admin_url() {
        run("PostgreSQL", TestDb::postgres(&url, &migrations).await).await;
    }
}
