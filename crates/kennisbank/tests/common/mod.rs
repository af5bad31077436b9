//! Shared set-up for the Kennisbank's tests: migrations (with the plan module, whose published
//! jaarplan feeds the programme pages), the Kenniscentrum's editor, members of two cities, a
//! working group, and a test server on each backend. People with roles and the server harness
//! are steden_testkit's.
#![allow(dead_code)]

use std::sync::Arc;

use steden_core::org;
use steden_core::role::Role;
use steden_db::{Db, Migration};
use steden_web::Module;

// The server harness and people with roles, shared by every module's tests.
#[allow(unused_imports)]
pub use steden_testkit::{csrf_token, login, person, Person, TestApp, PASSWORD};

pub fn modules() -> Vec<Arc<dyn Module>> {
    vec![
        Arc::new(steden_plan::PlanModule),
        Arc::new(steden_kennisbank::KennisbankModule),
    ]
}

/// Every migration the module needs (job queue, core, plan, kennisbank).
pub fn migrations() -> Vec<Migration> {
    steden_web::app::all_migrations(&modules())
}

/// The Kenniscentrum with an editor (redacteur) and a reader (lezer, not an editor); Gent with
/// a member who is also in the GDPR working group; Antwerpen with a member who is not.
pub struct World {
    pub db: Db,
    pub kenniscentrum: String,
    pub gent: String,
    pub antwerpen: String,
    /// The working group "Werkgroep GDPR".
    pub gdpr_group: String,
    pub editor: Person,
    pub kc_reader: Person,
    pub gent_member: Person,
    pub antwerpen_member: Person,
}

async fn org_id(db: &Db, slug: &str) -> String {
    org::find_by_slug(db.pool(), slug)
        .await
        .unwrap()
        .unwrap()
        .id
}

pub async fn world(db: &Db) -> World {
    org::seed_defaults(db).await.unwrap();
    let kenniscentrum = org_id(db, "kenniscentrum").await;
    let gent = org_id(db, "gent").await;
    let antwerpen = org_id(db, "antwerpen").await;
    let editor = person(
        db,
        "redactie@kenniscentrum.test",
        "Rik Redactie",
        &kenniscentrum,
        Role::Redacteur,
    )
    .await;
    let kc_reader = person(
        db,
        "lezer@kenniscentrum.test",
        "Lies Lezer",
        &kenniscentrum,
        Role::Lezer,
    )
    .await;
    let gent_member = person(db, "lid@gent.test", "Greet Gent", &gent, Role::Lid).await;
    let antwerpen_member = person(
        db,
        "lid@antwerpen.test",
        "Arno Antwerpen",
        &antwerpen,
        Role::Lid,
    )
    .await;
    let mut conn = db.pool().acquire().await.unwrap();
    let gdpr_group = steden_core::working_group::ensure(&mut conn, "gdpr", "Werkgroep GDPR")
        .await
        .unwrap();
    steden_core::working_group::add_member(&mut conn, &gdpr_group, &gent_member.id)
        .await
        .unwrap();
    drop(conn);
    World {
        db: db.clone(),
        kenniscentrum,
        gent,
        antwerpen,
        gdpr_group,
        editor,
        kc_reader,
        gent_member,
        antwerpen_member,
    }
}

/// Runs `test` against a fresh server with the plan and kennisbank modules, on each backend
/// (PostgreSQL too when `TEST_DATABASE_URL` is set), with the people of [`world`].
pub async fn each_kb_app<F, Fut>(test: F)
where
    F: Fn(TestApp, World) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    steden_db::testing::each_test_db(&migrations(), |test_db| {
        let test = &test;
        let db = test_db.db.clone();
        async move {
            let app = TestApp::spawn_on(db.clone(), modules()).await;
            let w = world(&db).await;
            test(app, w).await;
        }
    })
    .await;
}

/// Runs `test` against a database on each backend, without a server.
pub async fn each_kb_db<F, Fut>(test: F)
where
    F: Fn(World) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    steden_db::testing::each_test_db(&migrations(), |test_db| {
        let test = &test;
        let db = test_db.db.clone();
        async move {
            let w = world(&db).await;
            test(w).await;
        }
    })
    .await;
}

/// Waits (briefly) for the search counter's background write.
pub async fn searches_become(db: &Db, query: &str, expected: i64) {
    let from = steden_kennisbank::store::stats::first_day(steden_db::now_ms(), 1);
    let mut count = 0;
    // Up to five seconds: a loaded CI machine can leave the counting task waiting that long.
    for _ in 0..250 {
        count = steden_kennisbank::store::stats::top_queries(db.pool(), &from, 20)
            .await
            .unwrap()
            .into_iter()
            .find(|q| q.query == query)
            .map_or(0, |q| q.searches);
        if count == expected {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("{query}: {count} searches, expected {expected}");
}
