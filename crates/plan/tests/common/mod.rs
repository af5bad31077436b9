//! Shared set-up for the plan module's tests: migrations, organisations with people in them,
//! and a small plan. People with roles and the server harness are steden_testkit's.
#![allow(dead_code)]

use std::sync::Arc;

use steden_core::org;
use steden_core::role::Role;
use steden_db::{Db, Migration};
use steden_plan::model::{Item, Plan};
use steden_plan::store::items::{self, ItemFields};
use steden_plan::store::plans::{self, PlanFields};
use steden_web::Module;

// The server harness and people with roles, shared by every module's tests.
#[allow(unused_imports)]
pub use steden_testkit::{csrf_token, login, person, Person, TestApp, PASSWORD};

/// Every migration the plan module needs (job queue, core, plan).
pub fn migrations() -> Vec<Migration> {
    let modules: Vec<Arc<dyn Module>> = vec![Arc::new(steden_plan::PlanModule)];
    steden_web::app::all_migrations(&modules)
}

pub fn module() -> Arc<dyn Module> {
    Arc::new(steden_plan::PlanModule)
}

/// Two organisations (Gent and Antwerpen) with an editor, a member (lid) and a reader in Gent,
/// and an editor in Antwerpen.
pub struct World {
    pub db: Db,
    pub gent: String,
    pub antwerpen: String,
    pub editor: Person,
    pub member: Person,
    pub reader: Person,
    pub outsider: Person,
}

pub async fn world(db: &Db) -> World {
    org::seed_defaults(db).await.unwrap();
    let gent = org::find_by_slug(db.pool(), "gent")
        .await
        .unwrap()
        .unwrap()
        .id;
    let antwerpen = org::find_by_slug(db.pool(), "antwerpen")
        .await
        .unwrap()
        .unwrap()
        .id;
    World {
        editor: person(
            db,
            "redacteur@gent.test",
            "Rita Redacteur",
            &gent,
            Role::Redacteur,
        )
        .await,
        member: person(db, "lid@gent.test", "Luc Lid", &gent, Role::Lid).await,
        reader: person(db, "lezer@gent.test", "Lea Lezer", &gent, Role::Lezer).await,
        outsider: person(
            db,
            "redacteur@antwerpen.test",
            "Ahmed Antwerpen",
            &antwerpen,
            Role::Redacteur,
        )
        .await,
        db: db.clone(),
        gent,
        antwerpen,
    }
}

pub fn plan_fields(title: &str) -> PlanFields {
    PlanFields {
        kind: "meerjarenplan".into(),
        title: title.into(),
        description: String::new(),
        period_start: "2026-01-01".into(),
        period_end: "2031-12-31".into(),
        status: "vastgesteld".into(),
    }
}

pub fn bbc_levels() -> Vec<String> {
    ["Beleidsdoelstelling", "Actieplan", "Actie"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

pub async fn create_plan(db: &Db, org_id: &str, title: &str, by: &Person) -> Plan {
    let mut tx = db.begin().await.unwrap();
    let plan = plans::create(
        &mut tx,
        org_id,
        &plan_fields(title),
        &bbc_levels(),
        false,
        &by.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    plan
}

pub fn item_fields(code: &str, title: &str) -> ItemFields {
    ItemFields {
        code: code.into(),
        title: title.into(),
        ..ItemFields::default()
    }
}

pub async fn add_item(
    db: &Db,
    plan: &Plan,
    parent: Option<&Item>,
    fields: ItemFields,
    by: &Person,
) -> Item {
    let mut tx = db.begin().await.unwrap();
    let item = items::create(
        &mut tx,
        &plan.id,
        parent.map(|p| p.id.as_str()),
        &fields,
        &by.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    item
}

/// A small BBC plan: BD01 with AP0101 (acties AC010101, AC010102) and AP0102 (AC010201);
/// BD02 with AP0201 (AC020101). The member owns AC010101 and AC020101.
pub struct SmallPlan {
    pub plan: Plan,
    pub bd01: Item,
    pub bd02: Item,
    pub ap0101: Item,
    pub ap0102: Item,
    pub ap0201: Item,
    pub ac010101: Item,
    pub ac010102: Item,
    pub ac010201: Item,
    pub ac020101: Item,
}

pub async fn small_plan(w: &World) -> SmallPlan {
    let db = &w.db;
    let plan = create_plan(db, &w.gent, "Meerjarenplan Gent 2026-2031", &w.editor).await;
    let e = &w.editor;
    let bd01 = add_item(db, &plan, None, item_fields("BD01", "Een wendbare stad"), e).await;
    let bd02 = add_item(
        db,
        &plan,
        None,
        item_fields("BD02", "Een klimaatneutrale stad"),
        e,
    )
    .await;
    let ap0101 = add_item(
        db,
        &plan,
        Some(&bd01),
        item_fields("AP0101", "Digitale dienstverlening"),
        e,
    )
    .await;
    let ap0102 = add_item(
        db,
        &plan,
        Some(&bd01),
        item_fields("AP0102", "Open data"),
        e,
    )
    .await;
    let ap0201 = add_item(
        db,
        &plan,
        Some(&bd02),
        item_fields("AP0201", "Renovatie van woningen"),
        e,
    )
    .await;
    let owned = |code: &str, title: &str| ItemFields {
        owner_user_id: Some(w.member.id.clone()),
        ..item_fields(code, title)
    };
    let ac010101 = add_item(
        db,
        &plan,
        Some(&ap0101),
        owned("AC010101", "E-loket uitbreiden"),
        e,
    )
    .await;
    let ac010102 = add_item(
        db,
        &plan,
        Some(&ap0101),
        item_fields("AC010102", "Chatbot testen"),
        e,
    )
    .await;
    let ac010201 = add_item(
        db,
        &plan,
        Some(&ap0102),
        item_fields("AC010201", "Dataportaal"),
        e,
    )
    .await;
    let ac020101 = add_item(
        db,
        &plan,
        Some(&ap0201),
        owned("AC020101", "Renovatiepremie"),
        e,
    )
    .await;
    SmallPlan {
        plan,
        bd01,
        bd02,
        ap0101,
        ap0102,
        ap0201,
        ac010101,
        ac010102,
        ac010201,
        ac020101,
    }
}

/// Reads an item again.
pub async fn reload(db: &Db, item: &Item) -> Item {
    items::find(db.pool(), &item.id).await.unwrap().unwrap()
}

/// Runs `test` against a fresh server with the plan module, on each backend, with the
/// people and organisations of [`world`].
pub async fn each_plan_app<F, Fut>(test: F)
where
    F: Fn(TestApp, World) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    steden_db::testing::each_test_db(&migrations(), |test_db| {
        let test = &test;
        let db = test_db.db.clone();
        async move {
            let app = TestApp::spawn_on(db.clone(), vec![module()]).await;
            let w = world(&db).await;
            test(app, w).await;
        }
    })
    .await;
}
