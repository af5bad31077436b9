//! Projects and milestones on SQLite and PostgreSQL: writes with audit entries, refused input
//! that writes nothing, deleting a project with its milestones, and the timeline page (SVG with
//! the labels, and the same data as a table) for editors and readers.

use crate::common;

use common::*;
use steden_core::CoreError;
use steden_db::testing::each_backend;
use steden_db::Db;
use steden_plan::model::ItemStatus;
use steden_plan::projects::{MilestoneFields, ProjectFields};
use steden_plan::store::projects;

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

fn project(title: &str) -> ProjectFields {
    ProjectFields {
        title: title.into(),
        description: "Fase 1".into(),
        start_date: "2026-02-01".into(),
        end_date: "30/09/2026".into(),
        status: "lopend".into(),
    }
}

#[tokio::test]
async fn projects_and_milestones_are_written_and_audited() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        let audits = count(&db, "SELECT COUNT(*) FROM audit_log").await;

        let mut bad = project("");
        bad.end_date = "2026-01-01".into();
        let mut tx = db.begin().await.unwrap();
        let err = projects::create(&mut tx, &p.ac010101.id, &bad, &w.editor.audit())
            .await
            .unwrap_err();
        drop(tx);
        match err {
            CoreError::Invalid(fields) => {
                let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
                assert_eq!(names, ["title", "end_date"]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(count(&db, "SELECT COUNT(*) FROM plan_projects").await, 0);

        let mut tx = db.begin().await.unwrap();
        let made = projects::create(
            &mut tx,
            &p.ac010101.id,
            &project("Nieuw e-loket"),
            &w.editor.audit(),
        )
        .await
        .unwrap();
        let late = projects::add_milestone(
            &mut tx,
            &made.id,
            &MilestoneFields {
                title: "Livegang".into(),
                due_date: "2026-09-01".into(),
                done: String::new(),
            },
            &w.editor.audit(),
        )
        .await
        .unwrap();
        projects::add_milestone(
            &mut tx,
            &made.id,
            &MilestoneFields {
                title: "Aanbesteding".into(),
                due_date: "2026-03-15".into(),
                done: "on".into(),
            },
            &w.editor.audit(),
        )
        .await
        .unwrap();
        let err = projects::add_milestone(
            &mut tx,
            &made.id,
            &MilestoneFields::default(),
            &w.editor.audit(),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, CoreError::Invalid(ref f) if f.len() == 2));
        tx.commit().await.unwrap();
        assert_eq!(made.end_date, "2026-09-30");
        assert_eq!(made.status, ItemStatus::Lopend);

        let mut conn = db.pool().acquire().await.unwrap();
        let listed = projects::list_for_item(&mut conn, &p.ac010101.id)
            .await
            .unwrap();
        drop(conn);
        assert_eq!(listed.len(), 1);
        let titles: Vec<(&str, bool)> = listed[0]
            .milestones
            .iter()
            .map(|m| (m.title.as_str(), m.done))
            .collect();
        assert_eq!(titles, [("Aanbesteding", true), ("Livegang", false)]);

        let mut tx = db.begin().await.unwrap();
        let mut changed = ProjectFields::from_project(&made);
        changed.status = "vertraagd".into();
        projects::update(&mut tx, &made.id, &changed, &w.editor.audit())
            .await
            .unwrap();
        projects::update_milestone(
            &mut tx,
            &late.id,
            &MilestoneFields {
                title: "Livegang".into(),
                due_date: "2026-10-01".into(),
                done: "on".into(),
            },
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        // create, 2 milestones, update, milestone update.
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM audit_log").await,
            audits + 5
        );

        let mut tx = db.begin().await.unwrap();
        projects::delete(&mut tx, &made.id, &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(count(&db, "SELECT COUNT(*) FROM plan_projects").await, 0);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM plan_milestones").await, 0);
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM audit_log").await,
            audits + 6
        );
    })
    .await;
}

#[tokio::test]
async fn timeline_shows_projects_and_milestones() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        let new = format!(
            "/plannen/{}/items/{}/projecten/nieuw",
            p.plan.id, p.ac010101.id
        );

        // Readers may not add a project.
        login(&app, &w.reader).await;
        assert_eq!(app.get(&new).await.status(), 403);
        let timeline = format!("/plannen/{}/tijdlijn", p.plan.id);
        let html = app.page(&timeline).await;
        assert!(html.contains("Er zijn nog geen projecten"));

        let mut app = app;
        app.client = TestApp::new_client();
        login(&app, &w.editor).await;
        let response = app
            .post_form(&new, &new, &[("title", ""), ("start_date", "2026-01-01")])
            .await;
        assert_eq!(response.status(), 422);
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM plan_projects").await,
            0
        );

        let response = app
            .post_form(
                &new,
                &new,
                &[
                    ("title", "Loket <digitaal> & snel"),
                    ("start_date", "2026-01-01"),
                    ("end_date", "2026-12-31"),
                    ("status", "lopend"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let edit = response.headers()["location"].to_str().unwrap().to_string();
        let milestones = edit.replace("/bewerken", "/mijlpalen");
        let response = app
            .post_form(
                &edit,
                &milestones,
                &[("title", "Proefproject klaar"), ("due_date", "2026-06-30")],
            )
            .await;
        assert_eq!(response.status(), 303);
        let html = app.page(&edit).await;
        assert!(html.contains("Proefproject klaar"));

        for path in [
            timeline.clone(),
            format!("/plannen/{}/items/{}/tijdlijn", p.plan.id, p.ap0101.id),
        ] {
            let html = app.page(&path).await;
            let svg_start = html.find("<svg xmlns").expect("a timeline SVG");
            let svg = &html[svg_start..html[svg_start..].find("</svg>").unwrap() + svg_start];
            assert!(svg.contains("role=\"img\""));
            assert!(svg.contains("Loket &lt;digitaal&gt; &amp; snel"), "{svg}");
            assert!(svg.contains(">Proefproject klaar</text>"));
            assert!(svg.contains("plan-timeline-milestone"));
            // The same data as a table.
            assert!(html.contains("<th scope=\"row\" class=\"plan-fu-depth-"));
            assert!(html.contains("30/06/2026"));
        }
        // The item page shows the project panel with its small timeline.
        let html = app
            .page(&format!("/plannen/{}/items/{}", p.plan.id, p.ac010101.id))
            .await;
        assert!(html.contains("class=\"plan-timeline\""));
        assert!(html.contains(">Proefproject klaar</text>"));

        // Another item's timeline does not show it.
        let html = app
            .page(&format!(
                "/plannen/{}/items/{}/tijdlijn",
                p.plan.id, p.ap0201.id
            ))
            .await;
        assert!(!html.contains("Proefproject klaar"));
    })
    .await;
}
