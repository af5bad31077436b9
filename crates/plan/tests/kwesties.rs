//! Kwesties on SQLite and PostgreSQL: refused input writes nothing, every write is audited,
//! open_count, and who may write: editors and the item's owner on their own items, not readers
//! and not on another owner's item.

use crate::common;

use common::*;
use steden_core::CoreError;
use steden_db::testing::each_backend;
use steden_db::Db;
use steden_plan::kwesties::{Filter, KwestieFields, KwestieStatus, Severity};
use steden_plan::store::kwesties;

fn fields(title: &str) -> KwestieFields {
    KwestieFields {
        kind: "risico".into(),
        title: title.into(),
        severity: "hoog".into(),
        ..KwestieFields::default()
    }
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

#[tokio::test]
async fn create_update_and_count() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        let audits = count(&db, "SELECT COUNT(*) FROM audit_log").await;

        // A missing title is refused; nothing is written.
        let mut tx = db.begin().await.unwrap();
        let err = kwesties::create(&mut tx, &p.ac010101.id, &fields("  "), &w.editor.audit())
            .await
            .unwrap_err();
        drop(tx);
        assert!(
            matches!(err, CoreError::Invalid(ref f) if f[0].field == "title"),
            "{err:?}"
        );
        assert_eq!(count(&db, "SELECT COUNT(*) FROM plan_kwesties").await, 0);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM audit_log").await, audits);

        // An owner from another organisation is refused too.
        let mut outsider = fields("Vertraging aannemer");
        outsider.owner_user_id = w.outsider.id.clone();
        let mut tx = db.begin().await.unwrap();
        let err = kwesties::create(&mut tx, &p.ac010101.id, &outsider, &w.editor.audit())
            .await
            .unwrap_err();
        drop(tx);
        assert!(matches!(err, CoreError::Invalid(ref f) if f[0].field == "owner_user_id"));

        let mut ok = fields("Vertraging aannemer");
        ok.owner_user_id = w.member.id.clone();
        ok.due_date = "30/06/2026".into();
        let mut tx = db.begin().await.unwrap();
        let k = kwesties::create(&mut tx, &p.ac010101.id, &ok, &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(k.status, KwestieStatus::Open);
        assert_eq!(k.due_date.as_deref(), Some("2026-06-30"));
        assert_eq!(k.owner_name, "Luc Lid");
        assert_eq!(k.item_code, "AC010101");
        assert_eq!(kwesties::open_count(&db, &p.plan.id).await.unwrap(), 1);
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM audit_log").await,
            audits + 1
        );

        let mut resolved = KwestieFields::from_kwestie(&k);
        resolved.status = "opgelost".into();
        let mut tx = db.begin().await.unwrap();
        kwesties::update(&mut tx, &k.id, &resolved, &w.member.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(kwesties::open_count(&db, &p.plan.id).await.unwrap(), 0);
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM audit_log").await,
            audits + 2
        );

        // Filters and the owner's own list.
        let by_status = Filter {
            status: Some(KwestieStatus::Opgelost),
            ..Filter::default()
        };
        assert_eq!(
            kwesties::list_for_plan(&db, &p.plan.id, &by_status)
                .await
                .unwrap()
                .len(),
            1
        );
        let by_severity = Filter {
            severity: Some(Severity::Laag),
            ..Filter::default()
        };
        assert!(kwesties::list_for_plan(&db, &p.plan.id, &by_severity)
            .await
            .unwrap()
            .is_empty());
        let mine = kwesties::list_for_owner(&db, &w.member.id).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].plan_title, p.plan.title);
    })
    .await;
}

#[tokio::test]
async fn who_may_add_a_kwestie() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        let list = format!("/plannen/{}/kwesties", p.plan.id);
        let own = format!(
            "/plannen/{}/items/{}/kwesties/nieuw",
            p.plan.id, p.ac010101.id
        );
        let other = format!(
            "/plannen/{}/items/{}/kwesties/nieuw",
            p.plan.id, p.ac010102.id
        );
        let body = [
            ("kind", "kwestie"),
            ("title", "Budget ontoereikend"),
            ("severity", "kritiek"),
            ("status", "open"),
        ];

        // A reader: 403 on the form and on the post; nothing written.
        login(&app, &w.reader).await;
        assert_eq!(app.get(&own).await.status(), 403);
        let response = app.post_form(&list, &own, &body).await;
        assert_eq!(response.status(), 403);
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM plan_kwesties").await,
            0
        );

        // The member owns AC010101 but not AC010102.
        let mut app = app;
        app.client = TestApp::new_client();
        login(&app, &w.member).await;
        assert_eq!(app.get(&other).await.status(), 403);
        let response = app.post_form(&list, &other, &body).await;
        assert_eq!(response.status(), 403);
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM plan_kwesties").await,
            0
        );

        // A missing title: the form again with the message, the typed input kept.
        let response = app
            .post_form(
                &own,
                &own,
                &[
                    ("kind", "risico"),
                    ("title", ""),
                    ("severity", "hoog"),
                    ("description", "Blijft staan"),
                ],
            )
            .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("Geef een titel."));
        assert!(html.contains("Blijft staan"));
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM plan_kwesties").await,
            0
        );

        let mut with_owner = body.to_vec();
        with_owner.push(("owner_user_id", &w.member.id));
        let response = app.post_form(&own, &own, &with_owner).await;
        assert_eq!(response.status(), 303);
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM plan_kwesties").await,
            1
        );

        let html = app.page(&list).await;
        assert!(html.contains("Budget ontoereikend"));
        assert!(html.contains("Kritiek"));
        let html = app.page(&format!("{list}?severity=laag")).await;
        assert!(!html.contains("Budget ontoereikend"));

        // The item page shows it in the kwesties panel, with the link to add another.
        let item_page = format!("/plannen/{}/items/{}", p.plan.id, p.ac010101.id);
        let html = app.page(&item_page).await;
        assert!(html.contains("Budget ontoereikend"));
        assert!(html.contains(&format!("href=\"{own}\"")));

        // The member chose themself as its owner: it is on their own list.
        let html = app.page("/mijn-kwesties").await;
        assert!(html.contains("Budget ontoereikend"), "{html}");

        // The editor may add one on any item.
        app.client = TestApp::new_client();
        login(&app, &w.editor).await;
        let response = app.post_form(&other, &other, &body).await;
        assert_eq!(response.status(), 303);
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM plan_kwesties").await,
            2
        );
    })
    .await;
}
