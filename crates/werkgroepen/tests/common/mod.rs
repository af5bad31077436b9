//! Shared set-up for the werkgroepen tests: the modules of the build up to this one, the
//! Kenniscentrum with staff, members of two cities, the core's GDPR working group, and a test
//! server on each backend. People with roles and the server harness are steden_testkit's.
#![allow(dead_code)]

use std::sync::Arc;

use steden_core::org;
use steden_core::role::Role;
use steden_db::{Db, Migration};
use steden_web::Module;

#[allow(unused_imports)]
pub use steden_testkit::{csrf_token, login, person, Person, TestApp, PASSWORD};

/// The modules as the binary lists them, up to and including werkgroepen.
pub fn modules() -> Vec<Arc<dyn Module>> {
    vec![
        Arc::new(steden_plan::PlanModule),
        Arc::new(steden_kennisbank::KennisbankModule),
        Arc::new(steden_werkgroepen::WerkgroepenModule),
    ]
}

/// Every migration the module needs (job queue, core, plan, kennisbank, werkgroepen).
pub fn migrations() -> Vec<Migration> {
    steden_web::app::all_migrations(&modules())
}

/// The Kenniscentrum with a staff member (redacteur); Gent and Antwerpen with a member each
/// (lid); the core's GDPR group with the Gent member in it.
pub struct World {
    pub db: Db,
    pub kenniscentrum: String,
    pub gent: String,
    pub antwerpen: String,
    pub gdpr_group: String,
    pub staff: Person,
    pub gent_member: Person,
    pub antwerpen_member: Person,
    /// A lezer in Gent: logged in, but may not ask to join.
    pub gent_reader: Person,
}

pub async fn org_id(db: &Db, slug: &str) -> String {
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
    let staff = person(
        db,
        "staf@kenniscentrum.test",
        "Sara Staf",
        &kenniscentrum,
        Role::Redacteur,
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
    let gent_reader = person(db, "lezer@gent.test", "Lien Lezer", &gent, Role::Lezer).await;
    let mut conn = db.pool().acquire().await.unwrap();
    let gdpr_group = steden_core::working_group::ensure(&mut conn, "gdpr", "Werkgroep GDPR")
        .await
        .unwrap();
    steden_core::working_group::add_member(&mut conn, &gdpr_group, &gent_member.id)
        .await
        .unwrap();
    World {
        db: db.clone(),
        kenniscentrum,
        gent,
        antwerpen,
        gdpr_group,
        staff,
        gent_member,
        antwerpen_member,
        gent_reader,
    }
}

/// Runs `test` against a fresh server with the modules, on each backend (PostgreSQL too when
/// `TEST_DATABASE_URL` is set), with the people of [`world`].
pub async fn each_wg_app<F, Fut>(test: F)
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
pub async fn each_wg_db<F, Fut>(test: F)
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

/// A number from a one-column, one-row query (counting rows in tests).
pub async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

/// A second browser logged in as `person`.
pub async fn client_of(app: &TestApp, person: &Person) -> reqwest::Client {
    let client = TestApp::new_client();
    steden_testkit::login_with(app, &client, &person.email, &person.password).await;
    client
}

/// GETs `path` with `client`: the status and the body.
pub async fn get_as(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// POSTs a form with `client`, with the CSRF token of the page at `form_page` (any page of
/// the site carries the session's token).
pub async fn post_as(
    app: &TestApp,
    client: &reqwest::Client,
    form_page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let (_, html) = get_as(app, client, form_page).await;
    let token = csrf_token(&html).unwrap_or_default();
    let mut body: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
    body.extend_from_slice(fields);
    let response = client
        .post(app.url(action))
        .form(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// Creates a group through the module's store (core group + profile), with `staff` as its
/// facilitator; returns its id.
pub async fn create_group(w: &World, slug: &str, name: &str, visibility: &str) -> String {
    use steden_werkgroepen::store::{facilitators, profile};
    let mut fields = profile::ProfileFields::new_group();
    fields.visibility = visibility.into();
    fields.purpose = format!("Het doel van {name}.");
    fields.cadence = "zeswekelijks".into();
    let mut tx = w.db.begin().await.unwrap();
    let id = profile::create(&mut tx, slug, name, &fields, &w.staff.audit())
        .await
        .unwrap();
    facilitators::add(
        &mut tx,
        &id,
        &w.staff.id,
        &w.kenniscentrum,
        &w.staff.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

/// The core's access list of the group equals its active memberships with a role that opens
/// documents (design §2.1).
pub async fn assert_access_list(db: &Db, group_id: &str) {
    let mut core: Vec<String> = steden_core::working_group::members(db.pool(), group_id)
        .await
        .unwrap()
        .into_iter()
        .map(|(user_id, _)| user_id)
        .collect();
    core.sort();
    let module = steden_werkgroepen::store::memberships::access_list(db.pool(), group_id)
        .await
        .unwrap();
    assert_eq!(
        core, module,
        "the core's access list follows the memberships"
    );
}

/// The statuses of `user_id`'s memberships in the group, oldest first.
pub async fn statuses(db: &Db, group_id: &str, user_id: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT status FROM wg_memberships WHERE group_id = $1 AND user_id = $2
         ORDER BY created_at, id",
    )
    .bind(group_id)
    .bind(user_id)
    .fetch_all(db.pool())
    .await
    .unwrap()
}

/// The policy actor of `person` with `role` in organisation `org`, as a logged-in request has.
pub fn actor(
    person: &Person,
    org: &str,
    role: steden_core::role::Role,
) -> steden_core::policy::Actor {
    steden_core::policy::Actor::User(steden_core::policy::UserActor {
        user_id: person.id.clone(),
        platform_admin: false,
        memberships: vec![steden_core::policy::OrgRole {
            organisation_id: org.to_string(),
            role,
        }],
    })
}

/// The Kenniscentrum staff member as a redacteur: who plans meetings and links indicators.
pub fn staff_actor(w: &World) -> steden_core::policy::Actor {
    actor(
        &w.staff,
        &w.kenniscentrum,
        steden_core::role::Role::Redacteur,
    )
}
