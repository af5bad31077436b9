//! Public pages: nothing before publishing, and afterwards only the fields that were chosen.

use crate::common;

use common::*;
use steden_plan::release;
use steden_plan::store::items::{self, ItemFields};

/// Gives the first action a description, dates and 45 % progress, so that each hidden field
/// has something that could leak.
async fn fill_action(w: &World, p: &SmallPlan) {
    let current = reload(&w.db, &p.ac010101).await;
    let fields = ItemFields {
        description: "Geheime interne toelichting".into(),
        start_date: "01/02/2026".into(),
        end_date: "30/11/2026".into(),
        progress: "45".into(),
        status: "lopend".into(),
        ..ItemFields::from_item(&current)
    };
    let mut tx = w.db.begin().await.unwrap();
    items::update(&mut tx, &p.ac010101.id, &fields, "start", &w.editor.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    sqlx::query(
        "INSERT INTO plan_indicators (id, plan_id, item_id, name, unit, direction, baseline_value,
             baseline_date, created_at, updated_at)
         VALUES ($1, $2, $3, 'Digitale aanvragen', '%', 'hoger', 10, '2026-01-01', 0, 0)",
    )
    .bind(steden_db::new_id())
    .bind(&p.plan.id)
    .bind(&p.ac010101.id)
    .execute(w.db.pool())
    .await
    .unwrap();
}

#[tokio::test]
async fn public_pages_show_only_what_is_published() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        fill_action(&w, &p).await;
        let public = format!("/openbaar/plannen/{}", p.plan.id);
        let public_item = format!("{public}/items/{}", p.ac010101.id);

        // Not published: not found, without logging in.
        assert_eq!(app.get(&public).await.status(), 404);
        assert_eq!(app.get(&public_item).await.status(), 404);
        let list = app.page("/openbaar/plannen").await;
        assert!(!list.contains("Meerjarenplan Gent"));

        // An editor publishes with only "status".
        login(&app, &w.editor).await;
        let settings = format!("/plannen/{}/publicatie", p.plan.id);
        let page = app.page(&settings).await;
        assert!(
            page.contains("name=\"fields\" value=\"voortgang\""),
            "{page}"
        );
        let saved = app
            .post_form(
                &settings,
                &settings,
                &[("published", "1"), ("fields", "status")],
            )
            .await;
        assert_eq!(saved.status(), 303);

        // Anyone (a fresh client without a session) sees codes, titles and status only.
        let anonymous = TestApp::new_client();
        let get = |path: String| {
            let client = anonymous.clone();
            let url = app.url(&path);
            async move { client.get(url).send().await.unwrap() }
        };
        let response = get(public.clone()).await;
        assert_eq!(response.status(), 200);
        let html = response.text().await.unwrap();
        assert!(html.contains("AC010101"));
        assert!(html.contains("E-loket uitbreiden"));
        assert!(html.contains("Lopend"), "{html}");
        for hidden in [
            "Luc Lid",
            "Geheime interne toelichting",
            "30/11/2026",
            "value=\"45\"",
            "Digitale aanvragen",
        ] {
            assert!(!html.contains(hidden), "{hidden} leaked: {html}");
        }
        let response = get(public_item.clone()).await;
        assert_eq!(response.status(), 200);
        let html = response.text().await.unwrap();
        assert!(html.contains("E-loket uitbreiden"));
        assert!(!html.contains("Luc Lid"));
        assert!(!html.contains("Geheime interne toelichting"));
        let html = get("/openbaar/plannen".into()).await.text().await.unwrap();
        assert!(html.contains("Meerjarenplan Gent"));

        // With owner and description chosen too, they appear.
        app.post_form(
            &settings,
            &settings,
            &[
                ("published", "1"),
                ("fields", "status"),
                ("fields", "eigenaar"),
                ("fields", "beschrijving"),
                ("fields", "indicatoren"),
            ],
        )
        .await;
        let html = get(public_item.clone()).await.text().await.unwrap();
        assert!(html.contains("Luc Lid"), "{html}");
        assert!(html.contains("Digitale aanvragen"));
        assert!(html.contains("Geheime interne toelichting"));
        assert!(!html.contains("30/11/2026"));

        // An item of another plan is not found under this plan.
        let other = create_plan(&w.db, &w.gent, "Ander plan", &w.editor).await;
        let stranger = add_item(&w.db, &other, None, item_fields("X1", "Vreemd"), &w.editor).await;
        let status = get(format!("{public}/items/{}", stranger.id))
            .await
            .status();
        assert_eq!(status, 404);

        // Taken offline: gone again.
        app.post_form(&settings, &settings, &[("fields", "status")])
            .await;
        assert_eq!(get(public.clone()).await.status(), 404);
    })
    .await;
}

#[tokio::test]
async fn a_release_is_public_only_when_published() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        fill_action(&w, &p).await;
        let mut tx = w.db.begin().await.unwrap();
        let made = release::create(
            &mut tx,
            &p.plan.id,
            "Rapport Q2",
            "2026-06-30",
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let public = format!("/openbaar/releases/{}", made.summary.id);
        assert_eq!(app.get(&public).await.status(), 404);

        login(&app, &w.editor).await;
        let settings = format!("/plannen/{}/publicatie", p.plan.id);
        app.post_form(
            &settings,
            &settings,
            &[("published", "1"), ("fields", "voortgang")],
        )
        .await;
        let toggled = app
            .post_form(
                &settings,
                &format!("{settings}/releases/{}", made.summary.id),
                &[("published", "1")],
            )
            .await;
        assert_eq!(toggled.status(), 303);

        let anonymous = TestApp::new_client();
        let response = anonymous.get(app.url(&public)).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let html = response.text().await.unwrap();
        assert!(html.contains("Rapport Q2"));
        assert!(html.contains("value=\"45\""), "{html}");
        assert!(!html.contains("Luc Lid"));
        assert!(!html.contains("Geheime interne toelichting"));

        // A reader may not change the publication.
        login(&app, &w.reader).await;
        assert_eq!(app.get(&settings).await.status(), 403);
    })
    .await;
}
