//! The plan list and the plan forms over HTTP: who sees what, creating a plan with field
//! errors (nothing written), changing it and its levels, and copying it for a new period.

use crate::common;

use common::*;
use steden_plan::store::plans;

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

async fn plan_count(db: &steden_db::Db) -> usize {
    plans::list(db, None).await.unwrap().len()
}

#[tokio::test]
async fn the_list_shows_the_plans_of_ones_own_organisations() {
    each_plan_app(|app, w| async move {
        let sp = small_plan(&w).await;
        let other = create_plan(&w.db, &w.antwerpen, "Plan Antwerpen", &w.outsider).await;
        login(&app, &w.reader).await;
        let html = app.page("/plannen").await;
        assert!(html.contains(&sp.plan.title), "{html}");
        assert!(!html.contains(&other.title), "{html}");
        assert!(html.contains("Meerjarenplan"), "{html}");
        assert!(html.contains("Vastgesteld"), "{html}");
        // Readers may not start plans.
        assert!(!html.contains("href=\"/plannen/nieuw\""), "{html}");
        assert_eq!(app.get("/plannen/nieuw").await.status(), 403);

        login(&app, &w.outsider).await;
        let html = app.page("/plannen").await;
        assert!(html.contains("Plan Antwerpen"), "{html}");
        assert!(!html.contains(&sp.plan.title), "{html}");
    })
    .await;
}

#[tokio::test]
async fn an_editor_creates_a_plan_and_gets_field_errors_first() {
    each_plan_app(|app, w| async move {
        login(&app, &w.editor).await;
        let list = app.page("/plannen").await;
        assert!(list.contains("href=\"/plannen/nieuw\""), "{list}");
        let before = plan_count(&w.db).await;

        // Empty title, and an end before the start: errors beside the fields, input kept.
        let response = app
            .post_form(
                "/plannen/nieuw",
                "/plannen/nieuw",
                &[
                    ("kind", "jaarplan"),
                    ("title", "  "),
                    ("description", "Onze plannen voor 2027"),
                    ("period_start", "31/12/2027"),
                    ("period_end", "01/01/2027"),
                    ("status", "ontwerp"),
                    ("levels_preset", "bbc"),
                ],
            )
            .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("Geef het plan een titel."), "{html}");
        assert!(
            html.contains("Het einde van de periode ligt vóór het begin."),
            "{html}"
        );
        assert!(html.contains("id=\"title-fout\""), "{html}");
        assert!(html.contains("id=\"period_end-fout\""), "{html}");
        assert!(html.contains("Onze plannen voor 2027"), "{html}");
        assert!(html.contains("value=\"31/12/2027\""), "{html}");
        assert_eq!(plan_count(&w.db).await, before, "nothing is written");

        // Own levels without names is refused too.
        let response = app
            .post_form(
                "/plannen/nieuw",
                "/plannen/nieuw",
                &[
                    ("kind", "jaarplan"),
                    ("title", "Jaarplan 2027"),
                    ("period_start", "01/01/2027"),
                    ("period_end", "31/12/2027"),
                    ("status", "ontwerp"),
                    ("levels_preset", "eigen"),
                    ("levels", "\n  \n"),
                ],
            )
            .await;
        assert_eq!(response.status(), 422);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("Geef minstens één niveau."));
        assert_eq!(plan_count(&w.db).await, before);

        // A valid plan with the Kenniscentrum levels.
        let response = app
            .post_form(
                "/plannen/nieuw",
                "/plannen/nieuw",
                &[
                    ("kind", "jaarplan"),
                    ("title", "Jaarplan 2027"),
                    ("period_start", "01/01/2027"),
                    ("period_end", "31/12/2027"),
                    ("status", "ontwerp"),
                    ("levels_preset", "kenniscentrum"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let path = location(&response);
        let id = path.trim_start_matches("/plannen/").to_string();
        let plan = plans::find(w.db.pool(), &id).await.unwrap().unwrap();
        assert_eq!(plan.title, "Jaarplan 2027");
        assert_eq!(plan.organisation_id, w.gent);
        assert_eq!(plan.period_start, "2027-01-01");
        assert_eq!(
            plan.levels,
            vec!["Programma", "Werkspoor", "Doelstelling", "Actie"]
        );
        let tree = app.page(&path).await;
        assert!(tree.contains("Jaarplan 2027"), "{tree}");

        // Own level names, one per line.
        let response = app
            .post_form(
                "/plannen/nieuw",
                "/plannen/nieuw",
                &[
                    ("kind", "bestuursakkoord"),
                    ("title", "Bestuursakkoord"),
                    ("period_start", "2025-01-01"),
                    ("period_end", "2030-12-31"),
                    ("status", "vastgesteld"),
                    ("levels_preset", "eigen"),
                    ("levels", "Ambitie\r\nEngagement\r\n"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let id = location(&response)
            .trim_start_matches("/plannen/")
            .to_string();
        let plan = plans::find(w.db.pool(), &id).await.unwrap().unwrap();
        assert_eq!(plan.levels, vec!["Ambitie", "Engagement"]);
    })
    .await;
}

#[tokio::test]
async fn an_editor_changes_a_plan_and_its_levels() {
    each_plan_app(|app, w| async move {
        let sp = small_plan(&w).await;
        let edit = format!("/plannen/{}/bewerken", sp.plan.id);
        login(&app, &w.reader).await;
        assert_eq!(app.get(&edit).await.status(), 403);

        login(&app, &w.editor).await;
        // Fewer levels than the items use: refused, nothing written.
        let response = app
            .post_form(
                &edit,
                &edit,
                &[
                    ("kind", "meerjarenplan"),
                    ("title", "Nieuwe titel"),
                    ("period_start", "2026-01-01"),
                    ("period_end", "2031-12-31"),
                    ("status", "vastgesteld"),
                    ("levels", "Doel\nActie"),
                ],
            )
            .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("items op 3 niveaus"), "{html}");
        let plan = plans::find(w.db.pool(), &sp.plan.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(plan.title, sp.plan.title, "nothing is written");

        let response = app
            .post_form(
                &edit,
                &edit,
                &[
                    ("kind", "meerjarenplan"),
                    ("title", "Nieuwe titel"),
                    ("period_start", "2026-01-01"),
                    ("period_end", "2031-12-31"),
                    ("status", "vastgesteld"),
                    ("levels", "Doel\nPlan\nActie"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let plan = plans::find(w.db.pool(), &sp.plan.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(plan.title, "Nieuwe titel");
        assert_eq!(plan.levels, vec!["Doel", "Plan", "Actie"]);
    })
    .await;
}

#[tokio::test]
async fn an_editor_starts_the_next_period_as_a_copy() {
    each_plan_app(|app, w| async move {
        let sp = small_plan(&w).await;
        let copy = format!("/plannen/{}/kopieren", sp.plan.id);
        login(&app, &w.editor).await;
        let response = app
            .post_form(
                &copy,
                &copy,
                &[
                    ("title", "Meerjarenplan Gent 2032-2037"),
                    ("period_start", "01/01/2032"),
                    ("period_end", "31/12/2031"),
                ],
            )
            .await;
        assert_eq!(response.status(), 422);
        assert_eq!(plan_count(&w.db).await, 1);

        let response = app
            .post_form(
                &copy,
                &copy,
                &[
                    ("title", "Meerjarenplan Gent 2032-2037"),
                    ("period_start", "01/01/2032"),
                    ("period_end", "31/12/2037"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let path = location(&response);
        let tree = app.page(&path).await;
        assert!(tree.contains("Meerjarenplan Gent 2032-2037"), "{tree}");
        assert!(tree.contains("BD01"), "{tree}");
        let id = path.trim_start_matches("/plannen/");
        let plan = plans::find(w.db.pool(), id).await.unwrap().unwrap();
        assert_eq!(plan.copied_from_id.as_deref(), Some(sp.plan.id.as_str()));
    })
    .await;
}
