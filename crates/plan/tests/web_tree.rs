//! The tree page over HTTP: two levels by default with links to subtrees, the subtree page
//! (full and as an htmx fragment), filters, access for readers and outsiders, and the order
//! after a move.

use crate::common;

use common::*;
use steden_plan::model::{Item, ItemStatus};
use steden_plan::store::items::{self, ItemFields};
use steden_plan::store::updates::{self, ProgressReport};

/// Sets an item's end date (as an editor would).
async fn set_end(w: &World, item: &Item, end: &str) {
    let mut tx = w.db.begin().await.unwrap();
    let fields = ItemFields {
        end_date: end.into(),
        ..ItemFields::from_item(item)
    };
    items::update(&mut tx, &item.id, &fields, "", &w.editor.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn set_status(w: &World, item: &Item, status: ItemStatus) {
    let mut tx = w.db.begin().await.unwrap();
    let report = ProgressReport {
        status: Some(status),
        comment: "Bijgewerkt".into(),
        ..ProgressReport::default()
    };
    updates::report(&mut tx, &item.id, &report, &w.editor.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_reader_sees_two_levels_and_no_edit_links() {
    each_plan_app(|app, w| async move {
        let sp = small_plan(&w).await;
        login(&app, &w.reader).await;
        let path = format!("/plannen/{}", sp.plan.id);
        let html = app.page(&path).await;
        for code in ["BD01", "BD02", "AP0101", "AP0102", "AP0201"] {
            assert!(html.contains(code), "{code} in {html}");
        }
        // The third level is not read; its parents link to their subtree.
        assert!(!html.contains("AC010101"), "{html}");
        assert!(
            html.contains(&format!(
                "href=\"/plannen/{}/boom/{}\"",
                sp.plan.id, sp.ap0101.id
            )),
            "{html}"
        );
        assert!(
            html.contains("<details open class=\"plan-node-children\">"),
            "{html}"
        );
        assert_eq!(
            html.matches("<details").count(),
            html.matches("</details>").count()
        );
        assert!(html.contains("Beleidsdoelstelling"), "{html}");
        assert!(html.contains("aria-current=\"page\""), "{html}");
        assert!(!html.contains("/items/nieuw"), "{html}");
        assert!(!html.contains("/bewerken"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn an_outsider_does_not_find_the_plan() {
    each_plan_app(|app, w| async move {
        let sp = small_plan(&w).await;
        login(&app, &w.outsider).await;
        let plan = format!("/plannen/{}", sp.plan.id);
        assert_eq!(app.get(&plan).await.status(), 404);
        assert_eq!(
            app.get(&format!("{plan}/boom/{}", sp.ap0101.id))
                .await
                .status(),
            404
        );
        assert_eq!(
            app.get(&format!("{plan}/items/{}", sp.ac010101.id))
                .await
                .status(),
            404
        );
        assert_eq!(app.get(&format!("{plan}/dashboard")).await.status(), 404);
    })
    .await;
}

#[tokio::test]
async fn the_subtree_page_works_with_and_without_htmx() {
    each_plan_app(|app, w| async move {
        let sp = small_plan(&w).await;
        login(&app, &w.reader).await;
        let path = format!("/plannen/{}/boom/{}", sp.plan.id, sp.ap0101.id);
        let html = app.page(&path).await;
        assert!(html.contains("<html"), "{html}");
        assert!(html.contains("AC010101"), "{html}");
        assert!(html.contains("AC010102"), "{html}");
        assert!(!html.contains("AC010201"), "{html}");
        assert!(html.contains("Luc Lid"), "{html}");

        let fragment = app
            .client
            .get(app.url(&path))
            .header("HX-Request", "true")
            .send()
            .await
            .unwrap();
        assert_eq!(fragment.status(), 200);
        let fragment = fragment.text().await.unwrap();
        assert!(!fragment.contains("<html"), "{fragment}");
        assert!(
            fragment.contains(&format!("id=\"item-{}\"", sp.ap0101.id)),
            "{fragment}"
        );
        assert!(fragment.contains("AC010102"), "{fragment}");
        // Nested lists are balanced.
        assert_eq!(
            fragment.matches("<details").count(),
            fragment.matches("</details>").count()
        );
        assert_eq!(
            fragment.matches("<li").count(),
            fragment.matches("</li>").count()
        );
    })
    .await;
}

#[tokio::test]
async fn filters_show_the_matching_items_with_their_path() {
    each_plan_app(|app, w| async move {
        let sp = small_plan(&w).await;
        set_status(&w, &sp.ac010102, ItemStatus::Lopend).await;
        set_end(&w, &sp.ac010201, "2020-06-30").await;
        login(&app, &w.reader).await;
        let base = format!("/plannen/{}", sp.plan.id);

        let html = app.page(&format!("{base}?status=lopend")).await;
        assert!(html.contains("AC010102"), "{html}");
        assert!(html.contains("BD01 › AP0101"), "{html}");
        assert!(!html.contains(">AC010101<"), "{html}");
        // AC010102 and, derived from it, AP0101 and BD01.
        assert_eq!(html.matches("class=\"plan-result\"").count(), 3, "{html}");

        let html = app.page(&format!("{base}?late=ja")).await;
        assert!(html.contains("AC010201"), "{html}");
        assert!(html.contains("Te laat"), "{html}");
        assert_eq!(html.matches("class=\"plan-result\"").count(), 1, "{html}");

        // Search is case-insensitive, in code and title.
        let html = app.page(&format!("{base}?q=chatBOT")).await;
        assert!(html.contains("AC010102"), "{html}");
        assert_eq!(html.matches("class=\"plan-result\"").count(), 1, "{html}");
        let html = app.page(&format!("{base}?q=ap01")).await;
        assert_eq!(html.matches("class=\"plan-result\"").count(), 2, "{html}");

        let html = app.page(&format!("{base}?owner={}", w.member.id)).await;
        assert_eq!(html.matches("class=\"plan-result\"").count(), 2, "{html}");

        let html = app.page(&format!("{base}?q=bestaat-niet")).await;
        assert!(
            html.contains("Geen items voldoen aan de filters."),
            "{html}"
        );
    })
    .await;
}

#[tokio::test]
async fn moving_changes_the_order_in_the_tree() {
    each_plan_app(|app, w| async move {
        let sp = small_plan(&w).await;
        login(&app, &w.editor).await;
        let tree = format!("/plannen/{}", sp.plan.id);
        let html = app.page(&tree).await;
        assert!(html.find("AP0101").unwrap() < html.find("AP0102").unwrap());

        // "Omhoog" on AP0102 puts it before AP0101.
        let up = format!("/plannen/{}/items/{}/omhoog", sp.plan.id, sp.ap0102.id);
        let response = app.post_form(&tree, &up, &[]).await;
        assert_eq!(response.status(), 303);
        let html = app.page(&tree).await;
        assert!(
            html.find("AP0102").unwrap() < html.find("AP0101").unwrap(),
            "{html}"
        );

        // The move form: AP0201 under BD01 at the first place.
        let form = format!("/plannen/{}/items/{}/verplaatsen", sp.plan.id, sp.ap0201.id);
        let response = app
            .post_form(
                &form,
                &form,
                &[("parent_id", &sp.bd01.id), ("position", "1")],
            )
            .await;
        assert_eq!(response.status(), 303);
        let html = app.page(&tree).await;
        let bd01 = html.find("BD01").unwrap();
        let bd02 = html.find("BD02").unwrap();
        let ap0201 = html.find("AP0201").unwrap();
        assert!(bd01 < ap0201 && ap0201 < bd02, "{html}");
        assert!(ap0201 < html.find("AP0102").unwrap(), "{html}");

        // A move under its own part is refused.
        let form = format!("/plannen/{}/items/{}/verplaatsen", sp.plan.id, sp.bd01.id);
        let response = app
            .post_form(
                &form,
                &form,
                &[("parent_id", &sp.ap0101.id), ("position", "")],
            )
            .await;
        assert_eq!(response.status(), 422);

        // Readers may not move.
        login(&app, &w.reader).await;
        let response = app.post_form(&tree, &up, &[]).await;
        assert_eq!(response.status(), 403);
    })
    .await;
}
