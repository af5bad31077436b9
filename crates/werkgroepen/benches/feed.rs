//! The personal calendar feed of a person in 15 working groups with 5 years of meetings
//! (15 × 54 = 810 meetings, every one of them in the feed): p50/p95 of
//! `GET /werkgroepen/agenda/{secret}.ics` over HTTP, on SQLite and, when TEST_DATABASE_URL is
//! set, on PostgreSQL. Beside it, in the same run and process, two anchors: the bare SQL query
//! of the same rows (`store::meetings::of_person`, no rendering, no HTTP) and `/healthz` (the
//! HTTP stack without the database). Issue 13 aims at a feed under 30 ms.
//!
//! Run: `TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!       cargo bench -p steden-werkgroepen --bench feed`
//! Requests are sequential from one client, so the figures are latencies, not throughput.

use std::sync::Arc;
use std::time::{Duration, Instant};

use steden_core::audit::AuditActor;
use steden_core::org;
use steden_core::role::Role;
use steden_core::user::{self, NewUser};
use steden_db::testing::{postgres_admin_url, TestDb};
use steden_db::{new_id, now_ms, Db};
use steden_web::app::{self, AppState, Config};
use steden_web::Module;
use steden_werkgroepen::localtime;
use steden_werkgroepen::model::MemberRole;
use steden_werkgroepen::store::{feed_tokens, joining, meetings, profile};

const GROUPS: usize = 15;
const MEETINGS_PER_GROUP: usize = 54;
const RUNS: usize = 300;

fn modules() -> Vec<Arc<dyn Module>> {
    vec![
        Arc::new(steden_plan::PlanModule),
        Arc::new(steden_kennisbank::KennisbankModule),
        Arc::new(steden_werkgroepen::WerkgroepenModule),
    ]
}

/// The person, their 15 groups (joined in 2024) and the meetings (2025–2029, about every five
/// weeks per group, at 14:00 in Brussels), written with plain inserts (set-up, not measured).
async fn world(db: &Db) -> String {
    org::seed_defaults(db).await.unwrap();
    let gent = org::find_by_slug(db.pool(), "gent")
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut tx = db.begin().await.unwrap();
    let person = user::create(
        &mut tx,
        NewUser {
            email: "lid@gent.test",
            name: "Greet Gent",
            password: None,
            platform_admin: false,
        },
        &AuditActor::system(),
    )
    .await
    .unwrap();
    steden_core::membership::set_role(&mut tx, &person.id, &gent, Role::Lid, &AuditActor::system())
        .await
        .unwrap();
    let system = AuditActor::system();
    let first = chrono::NaiveDate::from_ymd_opt(2025, 1, 6).unwrap();
    let now = now_ms();
    for g in 0..GROUPS {
        let group_id = profile::create(
            &mut tx,
            &format!("groep-{g}"),
            &format!("Werkgroep {g}"),
            &profile::ProfileFields::new_group(),
            &system,
        )
        .await
        .unwrap();
        joining::add(
            &mut tx,
            &group_id,
            &person.id,
            Some(&gent),
            MemberRole::Lid,
            &system,
        )
        .await
        .unwrap();
        // Joined long before the first meeting.
        sqlx::query("UPDATE wg_memberships SET joined_at = 0 WHERE group_id = $1")
            .bind(&group_id)
            .execute(&mut *tx)
            .await
            .unwrap();
        for m in 0..MEETINGS_PER_GROUP {
            let date = first + chrono::Duration::days((m * 34 + g) as i64);
            let local_date = date.format("%Y-%m-%d").to_string();
            let starts_at = localtime::to_utc(&local_date, "14:00").unwrap();
            let ends_at = localtime::to_utc(&local_date, "16:00").unwrap();
            let id = new_id();
            sqlx::query(
                "INSERT INTO wg_meetings (id, group_id, title, local_date, local_start, local_end,
                    starts_at, ends_at, place, status, ical_uid, ical_sequence, created_at,
                    updated_at)
                 VALUES ($1, $2, $3, $4, '14:00', '16:00', $5, $6, $7, $8, $9, 0, $10, $10)",
            )
            .bind(&id)
            .bind(&group_id)
            .bind(format!("Werkgroep {g}"))
            .bind(&local_date)
            .bind(starts_at)
            .bind(ends_at)
            .bind("Stadhuis Gent, Botermarkt 1; zaal 2")
            .bind(if m % 17 == 5 {
                "geannuleerd"
            } else {
                "gepland"
            })
            .bind(format!("{id}@werkgroepen.stedenplatform"))
            .bind(now)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    let secret = feed_tokens::renew(&mut tx, &person.id, &AuditActor::user(&person.id))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    secret
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(backend: &str, label: &str, mut times: Vec<Duration>, size: usize) {
    times.sort();
    println!(
        "{backend}: {label:<44} p50 {:>7.2} ms  p95 {:>7.2} ms  ({} KB, {} runs)",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        size / 1024,
        times.len()
    );
}

async fn http(client: &reqwest::Client, url: &str) -> (Vec<Duration>, usize) {
    for _ in 0..10 {
        let response = client.get(url).send().await.unwrap();
        assert_eq!(response.status(), 200, "{url}");
        response.bytes().await.unwrap();
    }
    let mut times = Vec::with_capacity(RUNS);
    let mut size = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let body = client.get(url).send().await.unwrap().bytes().await.unwrap();
        times.push(start.elapsed());
        size = body.len();
    }
    (times, size)
}

async fn run(backend: &str, test_db: TestDb) {
    let db = test_db.db.clone();
    let started = Instant::now();
    let secret = world(&db).await;
    let person: String = sqlx::query_scalar("SELECT user_id FROM wg_feed_tokens")
        .fetch_one(db.pool())
        .await
        .unwrap();
    println!(
        "{backend}: {} meetings in {GROUPS} groups written in {:.2} s (set-up, not measured)",
        GROUPS * MEETINGS_PER_GROUP,
        started.elapsed().as_secs_f64()
    );

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let data_dir = tempfile::tempdir().unwrap();
    let config = Config::local(data_dir.path().to_path_buf(), port);
    let csrf = steden_core::settings::secret(&db, "csrf_secret")
        .await
        .unwrap()
        .into_bytes();
    let modules = modules();
    let state = AppState::new(db.clone(), config, &modules, csrf).unwrap();
    let router = app::build(state, &modules);
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();

    // Anchor 1: the same rows, the bare query.
    let mut times = Vec::with_capacity(RUNS);
    let mut rows = 0;
    for i in 0..RUNS + 10 {
        let start = Instant::now();
        rows = meetings::of_person(db.pool(), &person).await.unwrap().len();
        if i >= 10 {
            times.push(start.elapsed());
        }
    }
    assert_eq!(rows, GROUPS * MEETINGS_PER_GROUP);
    report(
        backend,
        &format!("anchor: SQL of the feed's {rows} rows"),
        times,
        0,
    );

    // Anchor 2: the HTTP stack.
    let (times, size) = http(&client, &format!("{base}/healthz")).await;
    report(backend, "anchor: GET /healthz", times, size);

    let (times, size) = http(&client, &format!("{base}/werkgroepen/agenda/{secret}.ics")).await;
    report(backend, &format!("GET feed ({rows} events)"), times, size);

    // A calendar that already holds the feed: 304 by ETag.
    let response = client
        .get(format!("{base}/werkgroepen/agenda/{secret}.ics"))
        .send()
        .await
        .unwrap();
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        let response = client
            .get(format!("{base}/werkgroepen/agenda/{secret}.ics"))
            .header("If-None-Match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 304);
        times.push(start.elapsed());
    }
    report(backend, "GET feed, unchanged (304)", times, 0);
}

#[tokio::main]
async fn main() {
    let migrations = steden_web::app::all_migrations(&modules());
    run("SQLite", TestDb::sqlite(&migrations).await).await;
    if let Some(url) = postgres_admin_url() {
        run("PostgreSQL", TestDb::postgres(&url, &migrations).await).await;
    }
}
