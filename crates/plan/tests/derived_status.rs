//! Issue 11 point 4, on SQLite and PostgreSQL: a parent's status is derived from its children
//! on every write that changes a child (report, update, add, move, delete, import), unless it
//! was set by hand — then it is kept, shown as such and can be cleared; existing parents get
//! their status from migration 0006; the dashboard counts per level; the API says and sets it.

use crate::common;

use common::*;
use serde_json::json;
use steden_core::role::Role;
use steden_core::CoreError;
use steden_db::testing::each_backend;
use steden_db::Db;
use steden_plan::model::{Item, ItemStatus};
use steden_plan::store::items::{self, Destination, ItemFields, STATUS_DERIVED};
use steden_plan::store::updates::{self, ProgressReport};

use crate::api::{call, token};

async fn report(w: &World, item: &Item, status: ItemStatus, progress: Option<i64>) {
    let mut tx = w.db.begin().await.unwrap();
    updates::report(
        &mut tx,
        &item.id,
        &ProgressReport {
            status: Some(status),
            progress,
            comment: "stand van zaken".into(),
            ..ProgressReport::default()
        },
        &w.editor.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn update(w: &World, item: &Item, change: impl FnOnce(&mut ItemFields), comment: &str) {
    let current = reload(&w.db, item).await;
    let mut fields = ItemFields::from_item(&current);
    change(&mut fields);
    let mut tx = w.db.begin().await.unwrap();
    items::update(&mut tx, &item.id, &fields, comment, &w.editor.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn status(db: &Db, item: &Item) -> (ItemStatus, bool) {
    let item = reload(db, item).await;
    (item.status, item.status_is_manual())
}

use ItemStatus::{Afgerond, Lopend, NietGestart, Stopgezet, Vertraagd};

#[tokio::test]
async fn a_parents_status_follows_its_children() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        assert_eq!(status(&db, &p.bd01).await, (NietGestart, false));

        // The 49 % case: actions with progress but still "niet gestart" (as imported or
        // reported without a status) make their actieplan and doelstelling "lopend".
        report(&w, &p.ac010101, NietGestart, Some(98)).await;
        let ap = reload(&db, &p.ap0101).await;
        assert_eq!((ap.progress, ap.status), (49, Lopend));
        let bd = reload(&db, &p.bd01).await;
        assert_eq!((bd.progress, bd.status), (25, Lopend));
        assert_eq!(status(&db, &p.bd02).await, (NietGestart, false));

        // One late child makes the chain late.
        report(&w, &p.ac010102, Vertraagd, None).await;
        assert_eq!(status(&db, &p.ap0101).await, (Vertraagd, false));
        assert_eq!(status(&db, &p.bd01).await, (Vertraagd, false));

        // All done: afgerond; the other actieplan has not started, so the doelstelling runs.
        report(&w, &p.ac010101, Afgerond, Some(100)).await;
        report(&w, &p.ac010102, Afgerond, Some(100)).await;
        assert_eq!(status(&db, &p.ap0101).await, (Afgerond, false));
        assert_eq!(status(&db, &p.bd01).await, (Lopend, false));

        // Stopped children do not count, unless all are stopped.
        report(&w, &p.ac010201, Stopgezet, None).await;
        assert_eq!(status(&db, &p.ap0102).await, (Stopgezet, false));
        assert_eq!(status(&db, &p.bd01).await, (Afgerond, false));

        // Adding a child (update of the item form for the status of a leaf, too).
        let new = add_item(
            &db,
            &p.plan,
            Some(&p.ap0102),
            item_fields("AC010202", "Nieuwe actie"),
            &w.editor,
        )
        .await;
        assert_eq!(status(&db, &p.ap0102).await, (NietGestart, false));
        assert_eq!(status(&db, &p.bd01).await, (Lopend, false));
        update(&w, &new, |f| f.status = "vertraagd".into(), "loopt achter").await;
        assert_eq!(status(&db, &p.ap0102).await, (Vertraagd, false));
        assert_eq!(status(&db, &p.bd01).await, (Vertraagd, false));

        // Moving it away: both chains are derived again.
        let mut tx = db.begin().await.unwrap();
        items::move_to(
            &mut tx,
            &new.id,
            &Destination {
                parent_id: Some(p.ap0201.id.clone()),
                position: None,
            },
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(status(&db, &p.ap0102).await, (Stopgezet, false));
        assert_eq!(status(&db, &p.bd01).await, (Afgerond, false));
        assert_eq!(status(&db, &p.ap0201).await, (Vertraagd, false));
        assert_eq!(status(&db, &p.bd02).await, (Vertraagd, false));

        // Deleting it: back to not started.
        let mut tx = db.begin().await.unwrap();
        items::delete(&mut tx, &new.id, &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(status(&db, &p.ap0201).await, (NietGestart, false));
        assert_eq!(status(&db, &p.bd02).await, (NietGestart, false));
    })
    .await;
}

#[tokio::test]
async fn a_status_set_by_hand_is_kept_until_cleared() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        // The form of a derived parent offers "afgeleid", of a leaf its own status.
        assert_eq!(
            ItemFields::from_item(&reload(&db, &p.bd01).await).status,
            STATUS_DERIVED
        );
        assert_eq!(
            ItemFields::from_item(&reload(&db, &p.ac010101).await).status,
            "niet_gestart"
        );

        // A status change needs a comment, as before.
        let mut tx = db.begin().await.unwrap();
        let mut fields = ItemFields::from_item(&reload(&db, &p.bd01).await);
        fields.status = "vertraagd".into();
        let err = items::update(&mut tx, &p.bd01.id, &fields, "", &w.editor.audit())
            .await
            .unwrap_err();
        assert!(matches!(err, CoreError::Invalid(ref f) if f[0].field == "comment"));
        drop(tx);

        update(
            &w,
            &p.bd01,
            |f| f.status = "vertraagd".into(),
            "budget ontbreekt",
        )
        .await;
        assert_eq!(status(&db, &p.bd01).await, (Vertraagd, true));
        // Kept when a child changes, and when other fields are saved through the form.
        report(&w, &p.ac010101, Afgerond, Some(100)).await;
        assert_eq!(status(&db, &p.ap0101).await, (Lopend, false));
        assert_eq!(status(&db, &p.bd01).await, (Vertraagd, true));
        update(
            &w,
            &p.bd01,
            |f| f.title = "Een wendbare stad (herzien)".into(),
            "",
        )
        .await;
        assert_eq!(status(&db, &p.bd01).await, (Vertraagd, true));
        assert_eq!(
            ItemFields::from_item(&reload(&db, &p.bd01).await).status,
            "vertraagd"
        );

        // Back to the derived status through the form's "afgeleid"; a status change, so with
        // a comment.
        update(
            &w,
            &p.bd01,
            |f| f.status = STATUS_DERIVED.into(),
            "weer afgeleid",
        )
        .await;
        assert_eq!(status(&db, &p.bd01).await, (Lopend, false));

        // A report on a parent that changes its status sets it by hand; one that keeps the
        // status it shows does not.
        report(&w, &p.bd02, NietGestart, None).await;
        assert_eq!(status(&db, &p.bd02).await, (NietGestart, false));
        report(&w, &p.bd02, Stopgezet, None).await;
        assert_eq!(status(&db, &p.bd02).await, (Stopgezet, true));
        let mut tx = db.begin().await.unwrap();
        let item = items::derive_again(&mut tx, &p.bd02.id, &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!((item.status, item.status_is_manual()), (NietGestart, false));
        let history = updates::for_item(db.pool(), &p.bd02.id, 10).await.unwrap();
        assert_eq!(history[0].new_status, Some(NietGestart));
        assert_eq!(
            history[0].comment,
            "Status weer afgeleid van de onderdelen."
        );

        // A leaf has no derived status.
        let mut tx = db.begin().await.unwrap();
        let mut fields = ItemFields::from_item(&reload(&db, &p.ac010102).await);
        fields.status = STATUS_DERIVED.into();
        let err = items::update(&mut tx, &p.ac010102.id, &fields, "x", &w.editor.audit())
            .await
            .unwrap_err();
        assert!(matches!(err, CoreError::Invalid(ref f) if f[0].field == "status"));
    })
    .await;
}

const SEED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/seeds/000_36870990a2a15f1c.txt"
));

async fn import_seed(db: &Db, plan_id: &str, by: &Person) {
    use steden_plan::import::{jaarplan, write};
    let file = jaarplan::parse(SEED).unwrap();
    let mut conn = db.pool().acquire().await.unwrap();
    let planned = write::plan_jaarplan(&mut conn, plan_id, &file)
        .await
        .unwrap();
    drop(conn);
    let mut tx = db.begin().await.unwrap();
    write::apply(&mut tx, plan_id, &planned, &by.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// An import recomputes the whole plan: a parent's stale status is derived again, a hand-set
/// one is kept.
#[tokio::test]
async fn an_import_derives_the_parents_status() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let levels: Vec<String> = ["Programma", "Werkspoor", "Doelstelling", "Actie"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut tx = db.begin().await.unwrap();
        let plan = steden_plan::store::plans::create(
            &mut tx,
            &w.gent,
            &plan_fields("Jaarplan 2025"),
            &levels,
            false,
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        import_seed(&db, &plan.id, &w.editor).await;
        let all = items::list_for_plan(db.pool(), &plan.id).await.unwrap();
        let tops: Vec<&Item> = all
            .iter()
            .filter(|i| i.depth == 0 && !i.is_leaf())
            .collect();
        assert!(tops.len() >= 2);
        let (first, second) = (tops[0].clone(), tops[1].clone());
        let leaf = all
            .iter()
            .find(|i| i.is_leaf() && i.code.starts_with(&format!("{}.", first.code)))
            .unwrap()
            .clone();
        report(&w, &leaf, NietGestart, Some(50)).await;
        assert_eq!(status(&db, &first).await, (Lopend, false));
        update(
            &w,
            &second,
            |f| f.status = "vertraagd".into(),
            "met de hand",
        )
        .await;
        // A stale status, as an older version left it.
        sqlx::query("UPDATE plan_items SET status = 'niet_gestart' WHERE id = $1")
            .bind(&first.id)
            .execute(db.pool())
            .await
            .unwrap();

        import_seed(&db, &plan.id, &w.editor).await;
        assert_eq!(status(&db, &first).await, (Lopend, false));
        assert_eq!(status(&db, &second).await, (Vertraagd, true));
    })
    .await;
}

/// Migration 0006 on a database written before it: a parent whose status a person set keeps
/// it as hand-set; the others get the derived status (the 49 % programme reads "Lopend").
#[tokio::test]
async fn migration_0006_derives_existing_parents() {
    let all = migrations();
    let before: Vec<_> = all
        .iter()
        .filter(|m| !(m.module == "plan" && m.version >= 6))
        .cloned()
        .collect();
    assert!(before.len() < all.len());
    let all = &all;
    each_backend(&before, |db| async move {
        let w = world(&db).await;
        let plan = create_plan(&db, &w.gent, "Jaarplan", &w.editor).await;
        let insert = |id: &'static str,
                      parent: Option<&'static str>,
                      depth: i64,
                      status: &'static str,
                      progress: i64| {
            let db = db.clone();
            let plan_id = plan.id.clone();
            async move {
                sqlx::query(
                    "INSERT INTO plan_items (id, plan_id, parent_id, depth, position, code, title,
                         status, progress, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, 0, $1, $1, $5, $6, 0, 0)",
                )
                .bind(id)
                .bind(&plan_id)
                .bind(parent)
                .bind(depth)
                .bind(status)
                .bind(progress)
                .execute(db.pool())
                .await
                .unwrap();
            }
        };
        // P1 (49 %, imported as niet gestart) > W1 > A1 (98 %), A2 (0 %).
        insert("P1", None, 0, "niet_gestart", 49).await;
        insert("W1", Some("P1"), 1, "niet_gestart", 49).await;
        insert("A1", Some("W1"), 2, "niet_gestart", 98).await;
        insert("A2", Some("W1"), 2, "niet_gestart", 0).await;
        // P2, set to vertraagd by a person (history), though its only action is done.
        insert("P2", None, 0, "vertraagd", 100).await;
        insert("B1", Some("P2"), 1, "afgerond", 100).await;
        sqlx::query(
            "INSERT INTO plan_updates (id, plan_id, item_id, old_status, new_status, comment,
                 created_at)
             VALUES ('u1', $1, 'P2', 'afgerond', 'vertraagd', 'nog niet af', 0)",
        )
        .bind(&plan.id)
        .execute(db.pool())
        .await
        .unwrap();
        // P3: all stopped.
        insert("P3", None, 0, "lopend", 0).await;
        insert("C1", Some("P3"), 1, "stopgezet", 0).await;

        steden_db::migrate::run(&db, all).await.unwrap();
        let get = |id: &'static str| {
            let db = db.clone();
            async move {
                let item = items::get(db.pool(), id).await.unwrap();
                (item.status, item.status_is_manual())
            }
        };
        assert_eq!(get("W1").await, (Lopend, false));
        assert_eq!(get("P1").await, (Lopend, false));
        assert_eq!(get("P2").await, (Vertraagd, true));
        assert_eq!(get("P3").await, (Stopgezet, false));
        assert_eq!(get("A1").await, (NietGestart, false));
    })
    .await;
}

#[tokio::test]
async fn the_item_pages_show_a_hand_set_status_and_the_way_back() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        login(&app, &w.editor).await;
        let page = format!("/plannen/{}/items/{}", p.plan.id, p.bd01.id);
        let edit = format!("{page}/bewerken");

        // The form of a derived parent: "afgeleid" chosen, with what it is now.
        let html = app.page(&edit).await;
        assert!(
            html.contains("<option value=\"afgeleid\" selected>Afgeleid van de onderdelen (nu: Niet gestart)</option>"),
            "{html}"
        );
        let html = app.page(&page).await;
        assert!(!html.contains("handmatig ingesteld"), "{html}");

        let response = app
            .post_form(
                &edit,
                &edit,
                &[
                    ("code", "BD01"),
                    ("title", "Een wendbare stad"),
                    ("status", "vertraagd"),
                    ("weight", "1"),
                    ("comment", "budget ontbreekt"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let html = app.page(&page).await;
        assert!(html.contains("handmatig ingesteld"), "{html}");
        assert!(
            html.contains("(afgeleid van de onderdelen: Niet gestart)"),
            "{html}"
        );
        assert!(html.contains(&format!("action=\"{page}/status-afleiden\"")), "{html}");
        // Also in the tree.
        let tree = app.page(&format!("/plannen/{}", p.plan.id)).await;
        assert!(tree.contains("handmatig ingesteld"), "{tree}");
        let html = app.page(&edit).await;
        assert!(html.contains("<option value=\"vertraagd\" selected>"), "{html}");

        // A reader cannot go back; the editor can.
        login(&app, &w.reader).await;
        let html = app.page(&page).await;
        assert!(!html.contains("status-afleiden"), "{html}");
        login(&app, &w.editor).await;
        let response = app
            .post_form(&page, &format!("{page}/status-afleiden"), &[])
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(status(&w.db, &p.bd01).await, (NietGestart, false));
        let html = app.page(&page).await;
        assert!(!html.contains("handmatig ingesteld"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn the_dashboard_counts_per_level() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        report(&w, &p.ac010101, Lopend, Some(50)).await;
        report(&w, &p.ac020101, Afgerond, Some(100)).await;
        login(&app, &w.reader).await;
        let html = app
            .page(&format!("/plannen/{}/dashboard", p.plan.id))
            .await;
        // Levels are counted apart, with their parents' derived statuses.
        assert!(
            html.contains("<li>2 beleidsdoelstellingen: 1 lopend, 1 afgerond</li>"),
            "{html}"
        );
        assert!(
            html.contains("<li>3 actieplannen: 1 niet gestart, 1 lopend, 1 afgerond</li>"),
            "{html}"
        );
        assert!(
            html.contains("<li>4 acties: 2 niet gestart, 1 lopend, 1 afgerond</li>"),
            "{html}"
        );
        // Each count links to the tree filtered on its level (and status); a zero links
        // nowhere (issue 12: key figures lead to the list they count).
        let tree = format!("/plannen/{}", p.plan.id);
        let cell = |n: u32, status: &str| {
            format!("<td class=\"number\"><a href=\"{tree}?level=2&amp;status={status}\">{n}</a></td>")
        };
        let row = format!(
            "<tr><th scope=\"row\">Actie</th><td class=\"number\"><a href=\"{tree}?level=2\">4</a></td>{}{}<td class=\"number\">0</td>{}<td class=\"number\">0</td></tr>",
            cell(2, "niet_gestart"),
            cell(1, "lopend"),
            cell(1, "afgerond"),
        );
        assert!(html.contains(&row), "{row}\n{html}");
        // No total that adds doelstellingen to actions.
        assert!(!html.contains("plan-figure-value\">9<"), "{html}");
        // The tree honours the dashboard's filter: the two actions not started.
        let listed = app.page(&format!("{tree}?level=2&status=niet_gestart")).await;
        assert_eq!(listed.matches("class=\"plan-result\"").count(), 2, "{listed}");
        let actions = app.page(&format!("{tree}?level=2")).await;
        assert_eq!(actions.matches("class=\"plan-result\"").count(), 4, "{actions}");
    })
    .await;
}

#[tokio::test]
async fn the_api_says_and_sets_a_hand_set_status() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        let editor = token(&app, &w.editor, &w.gent, Role::Redacteur, &["plan"]).await;
        report(&w, &p.ac010101, NietGestart, Some(98)).await;
        let path = format!("/plan/items/{}", p.ap0101.id);

        let (code, body) = call(&app, "GET", &path, &editor, None).await;
        assert_eq!(code, 200, "{body}");
        assert_eq!(
            (body["status"].clone(), body["status_manual"].clone()),
            (json!("lopend"), json!(false))
        );
        assert_eq!(body["progress"], 49);

        // A status on a parent sets it by hand (with a comment, as any status change).
        let (code, body) = call(
            &app,
            "PATCH",
            &path,
            &editor,
            Some(json!({"status": "vertraagd", "comment": "wacht op leverancier"})),
        )
        .await;
        assert_eq!(code, 200, "{body}");
        assert_eq!(
            (body["status"].clone(), body["status_manual"].clone()),
            (json!("vertraagd"), json!(true))
        );
        // Other fields leave it as it is.
        let (code, body) = call(
            &app,
            "PATCH",
            &path,
            &editor,
            Some(json!({"title": "Digitaal"})),
        )
        .await;
        assert_eq!(code, 200, "{body}");
        assert_eq!(body["status_manual"], true);

        // Both at once, "afgeleid" as a status, and a hand-set leaf are refused.
        let (code, body) = call(
            &app,
            "PATCH",
            &path,
            &editor,
            Some(json!({"status": "lopend", "status_manual": false, "comment": "x"})),
        )
        .await;
        assert_eq!(code, 422, "{body}");
        let (code, body) = call(
            &app,
            "PATCH",
            &path,
            &editor,
            Some(json!({"status": "afgeleid", "comment": "x"})),
        )
        .await;
        assert_eq!(code, 422, "{body}");
        let (code, body) = call(
            &app,
            "PATCH",
            &format!("/plan/items/{}", p.ac010102.id),
            &editor,
            Some(json!({"status_manual": true})),
        )
        .await;
        assert_eq!(code, 422, "{body}");

        // Back to the derived status.
        let (code, body) = call(
            &app,
            "PATCH",
            &path,
            &editor,
            Some(json!({"status_manual": false, "comment": "weer afgeleid"})),
        )
        .await;
        assert_eq!(code, 200, "{body}");
        assert_eq!(
            (body["status"].clone(), body["status_manual"].clone()),
            (json!("lopend"), json!(false))
        );

        // Keeping the current status as hand-set.
        let (code, body) = call(
            &app,
            "PATCH",
            &path,
            &editor,
            Some(json!({"status_manual": true})),
        )
        .await;
        assert_eq!(code, 200, "{body}");
        assert_eq!(
            (body["status"].clone(), body["status_manual"].clone()),
            (json!("lopend"), json!(true))
        );

        // The OpenAPI document describes the field.
        let (code, doc) = call(&app, "GET", "/openapi.json", &editor, None).await;
        assert_eq!(code, 200);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["ItemDto"]["properties"]["status_manual"]["type"],
            "boolean"
        );
        assert!(schemas["ItemDto"]["required"]
            .as_array()
            .unwrap()
            .contains(&json!("status_manual")));
        assert!(
            schemas["ItemInput"]["properties"]["status_manual"].is_object(),
            "{}",
            schemas["ItemInput"]
        );
    })
    .await;
}
