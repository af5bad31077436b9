//! Issue 12 point 4, the plan's data-heavy screens, on SQLite and PostgreSQL: the public plan
//! as a collapsible hierarchy (no wide table), the item page without rows of "Niet ingevuld",
//! the dashboard's figures leading to lists that honour their filter, the tree's columns.

use crate::common;

use common::*;
use steden_plan::kwesties::KwestieFields;
use steden_plan::store::kwesties;

#[tokio::test]
async fn the_public_plan_is_a_collapsible_hierarchy_without_a_wide_table() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        login(&app, &w.editor).await;
        let settings = format!("/plannen/{}/publicatie", p.plan.id);
        let saved = app
            .post_form(
                &settings,
                &settings,
                &[("published", "1"), ("fields", "status")],
            )
            .await;
        assert_eq!(saved.status(), 303);
        let html = app.page(&format!("/openbaar/plannen/{}", p.plan.id)).await;
        assert!(!html.contains("plan-rep-items"), "no table: {html}");
        // Two top-level branches, open; three second-level branches, closed; four leaves.
        assert_eq!(html.matches("<details open>").count(), 2, "{html}");
        assert_eq!(html.matches("<details>").count(), 3, "{html}");
        assert_eq!(html.matches("class=\"plan-pub-leaf\"").count(), 4, "{html}");
        // Well nested: every list and branch that opens, closes.
        assert_eq!(
            html.matches("<details").count(),
            html.matches("</details>").count()
        );
        assert_eq!(
            html.matches("<ul class=\"plan-pub-children\">").count(),
            5,
            "{html}"
        );
        // A leaf's title leads to its public page; titles are marked Dutch.
        let leaf = format!(
            "<a href=\"/openbaar/plannen/{}/items/{}\">E-loket uitbreiden</a>",
            p.plan.id, p.ac010101.id
        );
        assert!(html.contains(&leaf), "{html}");
        assert!(
            html.contains("<span class=\"plan-pub-title\" lang=\"nl\">Een wendbare stad</span>"),
            "{html}"
        );
        // The release page for printing keeps its table.
        assert!(html.contains("Lopend") || html.contains("Niet gestart"));
    })
    .await;
}

#[tokio::test]
async fn the_item_page_leaves_out_empty_fields_and_sets_deleting_apart() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        login(&app, &w.editor).await;
        let html = app
            .page(&steden_plan::paths::item_path(&p.plan.id, &p.ac010102.id))
            .await;
        assert!(!html.contains("<dt>Eigenaar</dt>"), "{html}");
        assert!(!html.contains("<dt>Beschrijving</dt>"), "{html}");
        assert!(
            html.contains("Niet ingevuld: beschrijving, eigenaar, verantwoordelijke dienst"),
            "{html}"
        );
        // One primary button: the report form's; the rest secondary, deleting apart.
        let primary = html.matches("class=\"button\"").count()
            + html.matches("class=\"button button-small\"").count();
        assert!(primary <= 1, "{primary} primary buttons: {html}");
        assert!(html.contains("<p class=\"plan-danger-zone\">"), "{html}");

        // The owner's name is shown when there is one.
        let owned = app
            .page(&steden_plan::paths::item_path(&p.plan.id, &p.ac010101.id))
            .await;
        assert!(
            owned.contains("<dt>Eigenaar</dt><dd>Luc Lid</dd>"),
            "{owned}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_dashboard_figures_lead_to_lists_that_honour_their_filter() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        for (title, status) in [
            ("Open punt", "open"),
            ("Bezig", "in_behandeling"),
            ("Klaar", "opgelost"),
        ] {
            let mut tx = w.db.begin().await.unwrap();
            kwesties::create(
                &mut tx,
                &p.ac010101.id,
                &KwestieFields {
                    kind: "kwestie".into(),
                    title: title.into(),
                    severity: "middel".into(),
                    status: status.into(),
                    ..KwestieFields::default()
                },
                &w.editor.audit(),
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        login(&app, &w.reader).await;
        let dashboard = app.page(&format!("/plannen/{}/dashboard", p.plan.id)).await;
        let kwesties = format!("/plannen/{}/kwesties?status=niet_opgelost", p.plan.id);
        assert!(
            dashboard.contains(&format!("href=\"{kwesties}\"")),
            "{dashboard}"
        );
        assert!(
            dashboard.contains("plan-figure-value\">2</span>"),
            "two open kwesties: {dashboard}"
        );
        let list = app.page(&kwesties).await;
        assert!(
            list.contains("Open punt") && list.contains("Bezig"),
            "{list}"
        );
        assert!(!list.contains(">Klaar<"), "{list}");
        let indicators = format!("/plannen/{}/indicatoren?koers=niet_op_koers", p.plan.id);
        assert!(
            dashboard.contains(&format!("href=\"{indicators}\"")),
            "{dashboard}"
        );
        assert_eq!(app.get(&indicators).await.status(), 200);

        // The tree names its columns and keeps the owner's label for screen readers.
        let tree = app.page(&format!("/plannen/{}", p.plan.id)).await;
        assert!(
            tree.contains("<div class=\"plan-tree-head\" aria-hidden=\"true\">"),
            "{tree}"
        );
        assert!(tree.contains("<span class=\"plan-node-status\">"), "{tree}");
    })
    .await;
}
