//! Issue 11 point 1: an item's level is stored, not read from its depth — from the jaarplan's
//! markers, from a user's choice (levels may be skipped), and migrated for existing plans; on
//! both backends.

use crate::common;

use common::{world, Person};
use steden_core::CoreError;
use steden_db::{Db, Migration};
use steden_plan::import::jaarplan;
use steden_plan::import::write;
use steden_plan::model::{Item, Plan};
use steden_plan::store::items::{self, Destination, ItemFields};
use steden_plan::store::plans;

pub const SEED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/seeds/000_36870990a2a15f1c.txt"
));

pub fn kenniscentrum_levels() -> Vec<String> {
    ["Programma", "Werkspoor", "Doelstelling", "Actie"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

pub async fn kenniscentrum_plan(db: &Db, org: &str, title: &str, by: &Person) -> Plan {
    let mut tx = db.begin().await.unwrap();
    let plan = plans::create(
        &mut tx,
        org,
        &common::plan_fields(title),
        &kenniscentrum_levels(),
        false,
        &by.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    plan
}

/// Plans and applies the import of `file` into `plan`, as the import job does.
pub async fn import(
    db: &Db,
    plan: &Plan,
    file: &jaarplan::Jaarplan,
    by: &Person,
) -> write::ImportSummary {
    let mut tx = db.begin().await.unwrap();
    let planned = write::plan_jaarplan(&mut tx, &plan.id, file).await.unwrap();
    let summary = write::apply(&mut tx, &plan.id, &planned, &by.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    summary
}

fn level_of<'a>(plan: &'a Plan, item: &Item) -> &'a str {
    plan.level_name(item.level)
}

#[tokio::test]
async fn jaarplan_import_gives_each_item_the_level_of_its_marker() {
    steden_db::testing::each_backend(&common::migrations(), |db| async move {
        let w = world(&db).await;
        let plan = kenniscentrum_plan(&db, &w.gent, "Jaarplan 2025", &w.editor).await;
        let file = jaarplan::parse(SEED).unwrap();
        import(&db, &plan, &file, &w.editor).await;
        let plan = plans::find(db.pool(), &plan.id).await.unwrap().unwrap();
        let all = items::list_for_plan(db.pool(), &plan.id).await.unwrap();
        let by_code = |code: &str| all.iter().find(|i| i.code == code).unwrap();

        // Communicatie: doelstellingen directly under the chapter are Doelstelling (depth 1),
        // their actions Actie (depth 2) — not Werkspoor and Doelstelling as their depth says.
        let communicatie = file
            .sections
            .iter()
            .find(|s| !s.doelstellingen.is_empty())
            .expect("a chapter with its own doelstellingen");
        assert_eq!(communicatie.title, "Communicatie");
        for doel in &communicatie.doelstellingen {
            let d = by_code(&doel.code);
            assert_eq!(
                (d.depth, level_of(&plan, d)),
                (1, "Doelstelling"),
                "{}",
                d.code
            );
            for action in &doel.actions {
                let a = by_code(&action.code);
                assert_eq!((a.depth, level_of(&plan, a)), (2, "Actie"), "{}", a.code);
            }
        }
        // Everywhere else too: every marker has its level.
        for section in &file.sections {
            assert_eq!(level_of(&plan, by_code(&section.code)), "Programma");
            for werkspoor in &section.werksporen {
                assert_eq!(level_of(&plan, by_code(&werkspoor.code)), "Werkspoor");
                for doel in &werkspoor.doelstellingen {
                    assert_eq!(level_of(&plan, by_code(&doel.code)), "Doelstelling");
                    for action in &doel.actions {
                        assert_eq!(level_of(&plan, by_code(&action.code)), "Actie");
                        for child in &action.children {
                            assert_eq!(
                                level_of(&plan, by_code(&child.code)),
                                write::SUB_ACTION_LEVEL
                            );
                        }
                    }
                }
            }
        }
        // A child's level is always deeper than its parent's.
        for item in &all {
            if let Some(parent) = all.iter().find(|p| Some(&p.id) == item.parent_id.as_ref()) {
                assert!(
                    item.level > parent.level,
                    "{} under {}",
                    item.code,
                    parent.code
                );
            }
        }
        // The doelstellingen count as doelstellingen: 46 items of that level.
        let doelstellingen = all
            .iter()
            .filter(|i| level_of(&plan, i) == "Doelstelling")
            .count();
        assert_eq!(doelstellingen, 46);
        // The dashboard counts by the stored level: 46 doelstellingen, the Communicatie ones
        // among them (grouped by depth they were counted as werksporen).
        let per_level = items::status_counts_per_level(db.pool(), &plan.id)
            .await
            .unwrap();
        let counted = |level: i64| -> i64 {
            per_level
                .iter()
                .filter(|(l, _, _)| *l == level)
                .map(|(_, _, n)| n)
                .sum()
        };
        assert_eq!(counted(2), 46, "{per_level:?}");
        let werksporen = all.iter().filter(|i| i.level == 1).count() as i64;
        assert_eq!(counted(1), werksporen, "{per_level:?}");
        // The public facade carries the level.
        let mut tx = db.begin().await.unwrap();
        plans::set_publication(&mut tx, &plan.id, true, &[], &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let published = steden_plan::site::published_plan(&db, &plan.id)
            .await
            .unwrap()
            .unwrap();
        let first = &communicatie.doelstellingen[0];
        let item = published
            .items
            .iter()
            .find(|i| i.code == first.code)
            .unwrap();
        assert_eq!(published.levels[item.level as usize], "Doelstelling");
    })
    .await;
}

fn with_level(code: &str, title: &str, level: &str) -> ItemFields {
    ItemFields {
        level: level.into(),
        ..common::item_fields(code, title)
    }
}

async fn try_add(
    db: &Db,
    plan: &Plan,
    parent: Option<&Item>,
    fields: ItemFields,
    by: &Person,
) -> Result<Item, CoreError> {
    let mut tx = db.begin().await.unwrap();
    let result = items::create(
        &mut tx,
        &plan.id,
        parent.map(|p| p.id.as_str()),
        &fields,
        &by.audit(),
    )
    .await;
    if result.is_ok() {
        tx.commit().await.unwrap();
    }
    result
}

fn field_of(err: CoreError) -> String {
    match err {
        CoreError::Invalid(errors) => errors.iter().map(|e| e.field.clone()).collect(),
        other => panic!("expected a form error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_item_may_skip_a_level_and_moves_keep_levels_valid() {
    steden_db::testing::each_backend(&common::migrations(), |db| async move {
        let w = world(&db).await;
        let plan = kenniscentrum_plan(&db, &w.gent, "Jaarplan", &w.editor).await;
        let p1 = try_add(&db, &plan, None, with_level("P1", "Eén", ""), &w.editor)
            .await
            .unwrap();
        assert_eq!(level_of(&plan, &p1), "Programma");
        // A doelstelling directly under the programme: the werkspoor level is skipped.
        let d = try_add(
            &db,
            &plan,
            Some(&p1),
            with_level("", "Doel", "Doelstelling"),
            &w.editor,
        )
        .await
        .unwrap();
        assert_eq!((d.depth, level_of(&plan, &d)), (1, "Doelstelling"));
        assert_eq!(d.code, "P1.1");
        // Without a choice, the level right below the parent's.
        let a = try_add(
            &db,
            &plan,
            Some(&d),
            with_level("", "Actie een", ""),
            &w.editor,
        )
        .await
        .unwrap();
        assert_eq!((a.depth, level_of(&plan, &a)), (2, "Actie"));
        // By index too.
        let w1 = try_add(
            &db,
            &plan,
            Some(&p1),
            with_level("", "Spoor", "1"),
            &w.editor,
        )
        .await
        .unwrap();
        assert_eq!(level_of(&plan, &w1), "Werkspoor");
        // Not the parent's level or above, not a level the plan has not, nothing under the deepest.
        for asked in ["Programma", "0", "Onbekend", "9"] {
            let err = try_add(
                &db,
                &plan,
                Some(&p1),
                with_level("", "Fout", asked),
                &w.editor,
            )
            .await
            .unwrap_err();
            assert_eq!(field_of(err), "level", "{asked}");
        }
        let err = try_add(
            &db,
            &plan,
            Some(&a),
            with_level("", "Te diep", ""),
            &w.editor,
        )
        .await
        .unwrap_err();
        assert_eq!(field_of(err), "level");

        // Moving: a leaf keeps its level where it is deeper than the new parent's …
        let p2 = try_add(&db, &plan, None, with_level("P2", "Twee", ""), &w.editor)
            .await
            .unwrap();
        let mut tx = db.begin().await.unwrap();
        let moved = items::move_to(
            &mut tx,
            &a.id,
            &Destination {
                parent_id: Some(p2.id.clone()),
                position: None,
            },
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!((moved.depth, level_of(&plan, &moved)), (1, "Actie"));
        // … and goes down where it is not (a programme without children under another).
        let p3 = try_add(&db, &plan, None, with_level("P3", "Drie", ""), &w.editor)
            .await
            .unwrap();
        let mut tx = db.begin().await.unwrap();
        let moved = items::move_to(
            &mut tx,
            &p3.id,
            &Destination {
                parent_id: Some(p2.id.clone()),
                position: None,
            },
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(level_of(&plan, &moved), "Werkspoor");
        // A subtree that would need a level the plan has not is refused: the doelstelling
        // (with an action below it) under the action.
        let mut tx = db.begin().await.unwrap();
        let err = items::move_to(
            &mut tx,
            &w1.id,
            &Destination {
                parent_id: Some(moved.id.clone()),
                position: None,
            },
            &w.editor.audit(),
        )
        .await;
        assert!(
            err.is_ok(),
            "a leaf werkspoor under a werkspoor becomes a doelstelling"
        );
        let d_under_a = items::move_to(
            &mut tx,
            &d.id,
            &Destination {
                parent_id: Some(a.id.clone()),
                position: None,
            },
            &w.editor.audit(),
        )
        .await;
        assert!(d_under_a.is_err(), "nothing fits under an action");
        drop(tx);
    })
    .await;
}

#[tokio::test]
async fn adding_an_item_with_a_skipped_level_through_the_form_and_the_api() {
    common::each_plan_app(|app, w| async move {
        let plan = kenniscentrum_plan(&app.db, &w.gent, "Jaarplan", &w.editor).await;
        let p1 = try_add(&app.db, &plan, None, with_level("P1", "Eén", ""), &w.editor)
            .await
            .unwrap();
        common::login(&app, &w.editor).await;
        let form = format!("/plannen/{}/items/{}/nieuw", plan.id, p1.id);
        let html = app.page(&form).await;
        // The select offers the levels below the parent's, the next one chosen.
        assert!(
            html.contains("<option value=\"1\" selected>Werkspoor</option>"),
            "{html}"
        );
        assert!(html.contains("<option value=\"2\">Doelstelling</option>"));
        assert!(!html.contains("<option value=\"0\""));
        let response = app
            .post_form(
                &form,
                &form,
                &[("title", "Doel onder programma"), ("level", "2")],
            )
            .await;
        assert!(response.status().is_success() || response.status().is_redirection());
        let created = items::children(app.db.pool(), &plan.id, Some(&p1.id))
            .await
            .unwrap();
        assert_eq!(created.len(), 1);
        assert_eq!(level_of(&plan, &created[0]), "Doelstelling");
        // A level that is not allowed is refused with a message on the form.
        let response = app
            .post_form(&form, &form, &[("title", "Fout"), ("level", "0")])
            .await;
        assert_eq!(response.status().as_u16(), 422);
        let body = response.text().await.unwrap();
        assert!(body.contains("Kies een niveau dat dieper ligt"), "{body}");
    })
    .await;
}

/// The plan migrations before this (0004, 0005).
fn migrations_before_levels() -> Vec<Migration> {
    common::migrations()
        .into_iter()
        .filter(|m| !(m.module == "plan" && m.version >= 4))
        .collect()
}

async fn old_item(db: &Db, plan: &str, parent: Option<&str>, depth: i64, code: &str) -> String {
    let id = steden_db::new_id();
    sqlx::query(
        "INSERT INTO plan_items (id, plan_id, parent_id, depth, position, code, title,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, 0, $5, $6, 0, 0)",
    )
    .bind(&id)
    .bind(plan)
    .bind(parent)
    .bind(depth)
    .bind(code)
    .bind(format!("Titel {code}"))
    .execute(db.pool())
    .await
    .unwrap();
    id
}

#[tokio::test]
async fn existing_plans_are_migrated_to_stored_levels() {
    steden_db::testing::each_backend(&migrations_before_levels(), |db| async move {
        let w = world(&db).await;
        let jaarplan = kenniscentrum_plan(&db, &w.gent, "Jaarplan", &w.editor).await;
        let bbc = common::create_plan(&db, &w.gent, "Meerjarenplan", &w.editor).await;
        let own = {
            let mut tx = db.begin().await.unwrap();
            let plan = plans::create(
                &mut tx,
                &w.gent,
                &common::plan_fields("Eigen"),
                &["Thema".to_string(), "Doel".to_string()],
                false,
                &w.editor.audit(),
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            plan
        };
        // The jaarplan as the importer stored it before: a chapter's doelstellingen at depth 1.
        let s1 = old_item(&db, &jaarplan.id, None, 0, "S1").await;
        let s1d1 = old_item(&db, &jaarplan.id, Some(&s1), 1, "S1.D1").await;
        old_item(&db, &jaarplan.id, Some(&s1d1), 2, "S1.D1.A1").await;
        let s2 = old_item(&db, &jaarplan.id, None, 0, "S2").await;
        old_item(&db, &jaarplan.id, Some(&s2), 1, "S2.W1").await;
        let p1 = old_item(&db, &jaarplan.id, None, 0, "P1").await;
        let p1w1 = old_item(&db, &jaarplan.id, Some(&p1), 1, "P1.W1").await;
        let p1w1d1 = old_item(&db, &jaarplan.id, Some(&p1w1), 2, "P1.W1.D1").await;
        old_item(&db, &jaarplan.id, Some(&p1w1d1), 3, "P1.W1.D1.A1").await;
        // A BBC plan with an action directly under its beleidsdoelstelling.
        let bd = old_item(&db, &bbc.id, None, 0, "BD01").await;
        old_item(&db, &bbc.id, Some(&bd), 1, "AP0101").await;
        old_item(&db, &bbc.id, Some(&bd), 1, "AC010201").await;
        // A plan of its own: depth stays the level.
        let t = old_item(&db, &own.id, None, 0, "T1").await;
        old_item(&db, &own.id, Some(&t), 1, "S1.D1").await;

        steden_db::migrate::run(&db, &common::migrations())
            .await
            .unwrap();

        let levels = |plan: Plan| {
            let db = db.clone();
            async move {
                let plan = plans::find(db.pool(), &plan.id).await.unwrap().unwrap();
                items::list_for_plan(db.pool(), &plan.id)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|i| (i.code.clone(), plan.level_name(i.level).to_string()))
                    .collect::<std::collections::HashMap<_, _>>()
            }
        };
        let j = levels(jaarplan).await;
        for (code, level) in [
            ("S1", "Programma"),
            ("S1.D1", "Doelstelling"),
            ("S1.D1.A1", "Actie"),
            ("S2.W1", "Werkspoor"),
            ("P1.W1", "Werkspoor"),
            ("P1.W1.D1", "Doelstelling"),
            ("P1.W1.D1.A1", "Actie"),
        ] {
            assert_eq!(j[code], level, "{code}");
        }
        let b = levels(bbc).await;
        assert_eq!(b["AP0101"], "Actieplan");
        assert_eq!(b["AC010201"], "Actie");
        let o = levels(own).await;
        assert_eq!((o["T1"].as_str(), o["S1.D1"].as_str()), ("Thema", "Doel"));
    })
    .await;
}

#[tokio::test]
async fn the_api_adds_an_item_with_a_skipped_level_and_refuses_one_not_allowed() {
    common::each_plan_app(|app, w| async move {
        let plan = kenniscentrum_plan(&app.db, &w.gent, "Jaarplan", &w.editor).await;
        try_add(&app.db, &plan, None, with_level("P1", "Eén", ""), &w.editor)
            .await
            .unwrap();
        let mut tx = app.db.begin().await.unwrap();
        let token = steden_core::api_token::create(
            &mut tx,
            &w.editor.actor,
            &steden_core::api_token::NewApiToken {
                name: "test",
                organisation_id: &w.gent,
                modules: vec!["plan".to_string()],
                role: steden_core::role::Role::Redacteur,
                expires_at: None,
            },
            &["core", "plan"],
        )
        .await
        .unwrap()
        .plaintext;
        tx.commit().await.unwrap();
        let post = |body: serde_json::Value| {
            let request = app
                .client
                .post(app.url(&format!("/api/v1/plan/plans/{}/items", plan.id)))
                .bearer_auth(&token)
                .json(&body);
            async move {
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                (status, response.json::<serde_json::Value>().await.unwrap())
            }
        };
        let (status, body) = post(serde_json::json!({
            "parent_code": "P1", "title": "Doel", "level": "Doelstelling"
        }))
        .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(
            (body["level"].as_str(), body["depth"].as_i64()),
            (Some("Doelstelling"), Some(1))
        );
        let (status, body) = post(serde_json::json!({
            "parent_code": "P1", "title": "Fout", "level": "Programma"
        }))
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.to_string().contains("level"), "{body}");
    })
    .await;
}
