//! The staff overview across 30 groups (issue 13 point 12): p50/p95 of GET
//! /werkgroepen/overzicht (meetings of the coming six weeks and the groups past their cadence)
//! and of its API twin GET /api/v1/werkgroepen/overview/coming, on SQLite and, when
//! TEST_DATABASE_URL is set, on PostgreSQL. Beside them, in the same run, two anchors: the two
//! store reads alone (the bare SQL of the same rows, no HTTP, no template) and GET /healthz (the
//! HTTP round trip with nothing behind it), so that a slow machine shows as slow anchors.
//!
//! Run: `cargo bench -p steden-werkgroepen --bench overview` (add TEST_DATABASE_URL for
//! PostgreSQL). The server runs in this process on a loopback port; requests are sequential from
//! one logged-in client, so the figures are latencies, not throughput.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use steden_core::api_token::{self, NewApiToken};
use steden_core::org;
use steden_core::role::Role;
use steden_db::testing::{postgres_admin_url, TestDb};
use steden_db::{new_id, now_ms, Db};
use steden_testkit::{login_with, person, TestApp};
use steden_web::Module;
use steden_werkgroepen::store::{meetings, overview, profile};

const GROUPS: usize = 30;
/// Meetings per group: a year back and a year ahead, four weeks apart.
const MEETINGS_PER_GROUP: i64 = 26;
const DAY: i64 = 24 * 3_600_000;
const RUNS: usize = 300;

fn modules() -> Vec<Arc<dyn Module>> {
    vec![
        Arc::new(steden_plan::PlanModule),
        Arc::new(steden_kennisbank::KennisbankModule),
        Arc::new(steden_werkgroepen::WerkgroepenModule),
    ]
}

const CADENCES: &[&str] = &[
    "zeswekelijks",
    "maandelijks",
    "vijfmaal_per_jaar",
    "viermaal_per_jaar",
    "driemaal_per_jaar",
    "tweemaal_per_jaar",
    "op_afroep",
];

/// 30 groups with 26 meetings each (780); every fifth group stopped meeting five months ago, so
/// the overdue list is not empty. Written directly (the set-up is not what is measured).
async fn groups(db: &Db, staff: &steden_testkit::Person) {
    let now = now_ms();
    let today = meetings::today();
    let mut tx = db.begin().await.unwrap();
    for g in 0..GROUPS {
        let mut fields = profile::ProfileFields::new_group();
        fields.visibility = if g % 3 == 0 { "verborgen" } else { "publiek" }.into();
        fields.cadence = CADENCES[g % CADENCES.len()].into();
        fields.purpose = format!("Werkgroep {g} voor de benchmark.");
        let group = profile::create(
            &mut tx,
            &format!("bench-{g:02}"),
            &format!("Werkgroep {g:02}"),
            &fields,
            &staff.audit(),
        )
        .await
        .unwrap();
        for k in 0..MEETINGS_PER_GROUP {
            // Offsets from −364 days to +336 days, shifted per group so they do not all fall on
            // one day.
            let days = (k - 13) * 28 + (g as i64 % 28);
            if g % 5 == 0 && (-150..0).contains(&days) {
                continue;
            }
            let status = if days < 0 { "gehouden" } else { "gepland" };
            let starts = now + days * DAY;
            let id = new_id();
            sqlx::query(
                "INSERT INTO wg_meetings (id, group_id, title, local_date, local_start,
                    local_end, starts_at, ends_at, status, ical_uid, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, '14:00', '16:00', $5, $6, $7, $8, $9, $9)",
            )
            .bind(&id)
            .bind(&group)
            .bind(format!("Vergadering {k} van werkgroep {g:02}"))
            .bind(
                (today + chrono::Duration::days(days))
                    .format("%Y-%m-%d")
                    .to_string(),
            )
            .bind(starts)
            .bind(starts + 2 * 3_600_000)
            .bind(status)
            .bind(format!("{id}@bench"))
            .bind(now)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

/// p50 and p95 of `runs` sequential calls of `call`, after a warm-up of five.
async fn time<F, Fut>(runs: usize, mut call: F) -> (Duration, Duration)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    for _ in 0..5 {
        call().await;
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        call().await;
        times.push(start.elapsed());
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95))
}

async fn get(client: &reqwest::Client, url: &str, bearer: Option<&str>) {
    let mut request = client.get(url);
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    response.bytes().await.unwrap();
}

fn line(backend: &str, label: &str, (p50, p95): (Duration, Duration)) {
    println!(
        "{backend:<10} {label:<44} p50 {:>7.2} ms  p95 {:>7.2} ms  ({RUNS} runs)",
        p50.as_secs_f64() * 1000.0,
        p95.as_secs_f64() * 1000.0,
    );
}

async fn run(backend: &str, test_db: TestDb) {
    let db = test_db.db.clone();
    org::seed_defaults(&db).await.unwrap();
    let kenniscentrum = org::find_by_slug(db.pool(), "kenniscentrum")
        .await
        .unwrap()
        .unwrap()
        .id;
    let staff = person(
        &db,
        "staf@kenniscentrum.test",
        "Sara Staf",
        &kenniscentrum,
        Role::Redacteur,
    )
    .await;
    groups(&db, &staff).await;
    let mut tx = db.begin().await.unwrap();
    let token = api_token::create(
        &mut tx,
        &staff.actor,
        &NewApiToken {
            name: "bench",
            organisation_id: &kenniscentrum,
            modules: vec!["werkgroepen".into()],
            role: Role::Redacteur,
            expires_at: None,
        },
        &["core", "plan", "kennisbank", "werkgroepen"],
    )
    .await
    .unwrap()
    .plaintext;
    tx.commit().await.unwrap();

    let app = TestApp::spawn_on(db.clone(), modules()).await;
    let client = TestApp::new_client();
    login_with(&app, &client, &staff.email, &staff.password).await;

    // What the page shows, once, so the figures are about a real list.
    let now = now_ms();
    let coming = overview::coming(db.pool(), now, now + 42 * DAY)
        .await
        .unwrap();
    let overdue = overview::overdue(db.pool(), now, meetings::today())
        .await
        .unwrap();
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM wg_meetings")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let late: Vec<String> = overdue
        .iter()
        .map(|g| format!("{} ({}, {} d)", g.name, g.cadence.as_str(), g.days_since))
        .collect();
    println!(
        "{backend:<10} {GROUPS} groups, {total} meetings; six weeks ahead: {} meetings; overdue: {}",
        coming.len(),
        late.join(", ")
    );

    let pool = db.pool().clone();
    line(
        backend,
        "anchor: store reads alone (coming + overdue)",
        time(RUNS, || {
            let pool = pool.clone();
            async move {
                let now = now_ms();
                overview::coming(&pool, now, now + 42 * DAY).await.unwrap();
                overview::overdue(&pool, now, meetings::today())
                    .await
                    .unwrap();
            }
        })
        .await,
    );
    let healthz = app.url("/healthz");
    line(
        backend,
        "anchor: GET /healthz",
        time(RUNS, || get(&client, &healthz, None)).await,
    );
    let page = app.url("/werkgroepen/overzicht");
    line(
        backend,
        "GET /werkgroepen/overzicht (6 weeks)",
        time(RUNS, || get(&client, &page, None)).await,
    );
    let page12 = app.url("/werkgroepen/overzicht?weken=12");
    line(
        backend,
        "GET /werkgroepen/overzicht?weken=12",
        time(RUNS, || get(&client, &page12, None)).await,
    );
    let api = app.url("/api/v1/werkgroepen/overview/coming");
    let anonymous = TestApp::new_client();
    line(
        backend,
        "GET /api/v1/werkgroepen/overview/coming",
        time(RUNS, || get(&anonymous, &api, Some(&token))).await,
    );
}

#[tokio::main]
async fn main() {
    let migrations = steden_web::app::all_migrations(&modules());
    run("SQLite", TestDb::sqlite(&migrations).await).await;
    if let Some(url) = postgres_admin_url() {
        run("PostgreSQL", TestDb::postgres(&url, &migrations).await).await;
    }
}
