//! The item page over HTTP: who sees which forms, reporting (owners on their own items only),
//! the roll-up on the parent's page, the editor's add/edit/delete, and Mijn acties.

use crate::common;

use common::*;
use steden_plan::store::items;

fn item_path(sp: &SmallPlan, id: &str) -> String {
    format!("/plannen/{}/items/{}", sp.plan.id, id)
}

#[tokio::test]
async fn a_reader_sees_the_item_but_no_forms_and_may_not_post() {
    each_plan_app(|app, w| async move {
        let sp = small_plan(&w).await;
        login(&app, &w.reader).await;
        let page = item_path(&sp, &sp.ac010101.id);
        let html = app.page(&page).await;
        assert!(html.contains("E-loket uitbreiden"), "{html}");
        assert!(html.contains("Luc Lid"), "{html}");
        // Breadcrumbs of the ancestors.
        assert!(html.contains("BD01 Een wendbare stad"), "{html}");
        assert!(html.contains("AP0101 Digitale dienstverlening"), "{html}");
        assert!(!html.contains("/rapporteren"), "{html}");
        assert!(!html.contains("/bewerken"), "{html}");
        assert!(!html.contains("/verwijderen"), "{html}");

        let report = format!("{page}/rapporteren");
        let response = app
            .post_form(
                &page,
                &report,
                &[
                    ("status", "lopend"),
                    ("progress", "50"),
                    ("comment", "Ik mag dit niet"),
                ],
            )
            .await;
        assert_eq!(response.status(), 403);
        let response = app
            .post_form(&page, &format!("{page}/bewerken"), &[("title", "Gekaapt")])
            .await;
        assert_eq!(response.status(), 403);
        let response = app
            .post_form(&page, &format!("{page}/verwijderen"), &[])
            .await;
        assert_eq!(response.status(), 403);
        assert_eq!(app.get(&format!("{page}/bewerken")).await.status(), 403);
        let item = reload(&w.db, &sp.ac010101).await;
        assert_eq!(item.progress, 0);
        assert_eq!(item.title, "E-loket uitbreiden");
    })
    .await;
}

#[tokio::test]
async fn the_owner_reports_on_own_items_only_and_the_rollup_shows_on_the_parent() {
    each_plan_app(|app, w| async move {
        let sp = small_plan(&w).await;
        login(&app, &w.member).await;
        let own = item_path(&sp, &sp.ac010101.id);
        let html = app.page(&own).await;
        assert!(
            html.contains(&format!("action=\"{own}/rapporteren\"")),
            "{html}"
        );
        assert!(!html.contains("/bewerken"), "{html}");

        // A comment is required; nothing is written without it.
        let response = app
            .post_form(
                &own,
                &format!("{own}/rapporteren"),
                &[("status", "lopend"), ("progress", "100"), ("comment", " ")],
            )
            .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("id=\"comment-fout\""), "{html}");
        assert!(html.contains("value=\"100\""), "{html}");
        assert_eq!(reload(&w.db, &sp.ac010101).await.progress, 0);

        // Every field is validated at once: 150 % and no comment give both errors, and the
        // title says the page has errors.
        let response = app
            .post_form(
                &own,
                &format!("{own}/rapporteren"),
                &[("status", "lopend"), ("progress", "150"), ("comment", "")],
            )
            .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("id=\"comment-fout\""), "{html}");
        assert!(html.contains("id=\"progress-fout\""), "{html}");
        assert!(html.contains("<title>Fout: "), "{html}");

        let response = app
            .post_form(
                &own,
                &format!("{own}/rapporteren"),
                &[
                    ("status", "afgerond"),
                    ("progress", "100"),
                    ("comment", "E-loket staat online"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let item = reload(&w.db, &sp.ac010101).await;
        assert_eq!(item.progress, 100);
        assert_eq!(item.status.as_str(), "afgerond");
        let html = app.page(&own).await;
        assert!(html.contains("E-loket staat online"), "{html}");
        assert!(html.contains("0 % → 100 %"), "{html}");
        assert!(html.contains("Luc Lid"), "{html}");

        // The parent (two equal children) shows 50 %.
        let parent = app.page(&item_path(&sp, &sp.ap0101.id)).await;
        assert!(parent.contains("value=\"50\""), "{parent}");
        assert!(parent.contains("50&nbsp;%"), "{parent}");

        // Not the owner of AC010102: no form, and 403 on a post.
        let other = item_path(&sp, &sp.ac010102.id);
        let html = app.page(&other).await;
        assert!(!html.contains("/rapporteren"), "{html}");
        let response = app
            .post_form(
                &other,
                &format!("{other}/rapporteren"),
                &[
                    ("status", "lopend"),
                    ("progress", "10"),
                    ("comment", "Niet van mij"),
                ],
            )
            .await;
        assert_eq!(response.status(), 403);
        assert_eq!(reload(&w.db, &sp.ac010102).await.progress, 0);
    })
    .await;
}

#[tokio::test]
async fn the_editor_adds_changes_and_deletes_items() {
    each_plan_app(|app, w| async move {
        let sp = small_plan(&w).await;
        login(&app, &w.editor).await;
        let parent = item_path(&sp, &sp.ap0102.id);
        let new = format!("{parent}/nieuw");
        let form = app.page(&new).await;
        assert!(form.contains("Nieuw item: Actie"), "{form}");
        assert!(form.contains("SDG 13 Klimaatactie"), "{form}");
        assert!(form.contains("Luc Lid"), "{form}");

        // An empty title: the error beside the field, nothing written.
        let response = app
            .post_form(&new, &new, &[("code", "AC010202"), ("title", " ")])
            .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("Geef een korte titel."), "{html}");
        assert!(html.contains("value=\"AC010202\""), "{html}");
        assert!(items::get_by_code(w.db.pool(), &sp.plan.id, "AC010202")
            .await
            .unwrap()
            .is_none());

        let response = app
            .post_form(
                &new,
                &new,
                &[
                    ("code", "AC010202"),
                    ("title", "Open data publiceren"),
                    ("owner_user_id", &w.member.id),
                    ("partners", "Digipolis, VVSG"),
                    ("themes", "sdg-9"),
                    ("themes", "sdg-16"),
                    ("themes_other", "digitalisering"),
                    ("prioritair", "ja"),
                    ("end_date", "31/12/2027"),
                    ("status", "niet_gestart"),
                    ("progress", "0"),
                    ("weight", "2"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let item = items::get_by_code(w.db.pool(), &sp.plan.id, "AC010202")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(item.parent_id.as_deref(), Some(sp.ap0102.id.as_str()));
        assert_eq!(item.partners, vec!["Digipolis", "VVSG"]);
        assert_eq!(item.themes, vec!["sdg-9", "sdg-16", "digitalisering"]);
        assert_eq!(item.weight, 2);
        assert!(item.prioritair_own);
        assert_eq!(item.owner_user_id.as_deref(), Some(w.member.id.as_str()));
        let page = item_path(&sp, &item.id);
        let html = app.page(&page).await;
        assert!(
            html.contains("SDG 16 Vrede, justitie en sterke publieke diensten"),
            "{html}"
        );
        assert!(html.contains("Ja, zelf als prioritair aangeduid"), "{html}");
        // The parent is prioritair through its child, and says so.
        let html = app.page(&parent).await;
        assert!(
            html.contains("Ja, omdat een onderdeel prioritair is"),
            "{html}"
        );

        // Change it; a status change asks for a comment.
        let edit = format!("{page}/bewerken");
        let response = app
            .post_form(
                &edit,
                &edit,
                &[
                    ("code", "AC010202"),
                    ("title", "Open data publiceren"),
                    ("status", "lopend"),
                ],
            )
            .await;
        assert_eq!(response.status(), 422);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("id=\"comment-fout\""));
        let response = app
            .post_form(
                &edit,
                &edit,
                &[
                    ("code", "AC010202"),
                    ("title", "Open data op het portaal"),
                    ("status", "lopend"),
                    ("progress", "40"),
                    ("comment", "Gestart"),
                    ("themes", "sdg-9"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let changed = reload(&w.db, &item).await;
        assert_eq!(changed.title, "Open data op het portaal");
        assert_eq!(changed.progress, 40);
        assert_eq!(changed.themes, vec!["sdg-9"]);
        assert!(!changed.prioritair_own);

        // An owner who is not a member is refused.
        let response = app
            .post_form(
                &edit,
                &edit,
                &[("title", "X"), ("owner_user_id", &w.outsider.id)],
            )
            .await;
        assert_eq!(response.status(), 422);

        // A new top-level item.
        let top = format!("/plannen/{}/items/nieuw", sp.plan.id);
        let response = app
            .post_form(
                &top,
                &top,
                &[("code", "BD03"), ("title", "Een zorgzame stad")],
            )
            .await;
        assert_eq!(response.status(), 303);
        let tree = app.page(&format!("/plannen/{}", sp.plan.id)).await;
        assert!(tree.contains("Een zorgzame stad"), "{tree}");

        // Delete, after the confirmation page.
        let delete = format!("{page}/verwijderen");
        let confirm = app.page(&delete).await;
        assert!(confirm.contains("AC010202"), "{confirm}");
        let response = app.post_form(&delete, &delete, &[]).await;
        assert_eq!(response.status(), 303);
        assert!(items::find(w.db.pool(), &item.id).await.unwrap().is_none());
        assert_eq!(app.get(&page).await.status(), 404);
    })
    .await;
}

#[tokio::test]
async fn mijn_acties_lists_the_members_items() {
    each_plan_app(|app, w| async move {
        let sp = small_plan(&w).await;
        login(&app, &w.member).await;
        let html = app.page("/mijn-acties").await;
        assert!(html.contains(&sp.plan.title), "{html}");
        assert!(html.contains("AC010101"), "{html}");
        assert!(html.contains("AC020101"), "{html}");
        assert!(!html.contains("AC010102"), "{html}");
        assert!(html.contains(&format!("{}#rapporteren", item_path(&sp, &sp.ac010101.id))));

        login(&app, &w.reader).await;
        let html = app.page("/mijn-acties").await;
        assert!(!html.contains("AC010101"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn the_dashboard_counts_items_by_status() {
    each_plan_app(|app, w| async move {
        let sp = small_plan(&w).await;
        login(&app, &w.reader).await;
        let html = app
            .page(&format!("/plannen/{}/dashboard", sp.plan.id))
            .await;
        // Nine items, all not started, counted per level.
        assert!(html.contains("<li>4 acties: 4 niet gestart</li>"), "{html}");
        assert!(html.contains("Niet gestart"), "{html}");
    })
    .await;
}
