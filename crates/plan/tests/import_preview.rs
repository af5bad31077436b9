//! Issue 11 point 3: an import applies what the user saw. A preview confirmed after the plan
//! changed is refused (and shown again, recomputed); a refused file is listed as refused and
//! cannot be confirmed, not even by a form posted by hand; the preview shows every planned
//! row, page by page; the job itself refuses a plan changed after the confirmation.

use crate::common;
use crate::import_db_http::{location, post_upload, upload_token};

use common::login;
use steden_db::jobs::JobError;
use steden_plan::import::jobs::{run_checked, ImportPayload};
use steden_plan::import::uploads;
use steden_plan::store::items;

/// The `versie` of the preview's confirm form.
pub(crate) fn versie(html: &str) -> String {
    let marker = "name=\"versie\" value=\"";
    let start = html.find(marker).expect("a confirm form with its version") + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// A BBC export with one beleidsdoelstelling, two actieplannen and `per_plan` acties each.
fn bbc_csv(per_plan: usize) -> String {
    let mut csv = String::from("Beleidsdoelstelling;Actieplan;Actie;Raming 2026\n");
    for ap in 1..=2 {
        for ac in 1..=per_plan {
            csv.push_str(&format!(
                "BD01 Veilig;AP010{ap} Straten {ap};AC010{ap}{ac:02} Actie {ap}.{ac};1.000,00\n"
            ));
        }
    }
    csv
}

async fn count(app: &common::TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_preview_confirmed_after_the_plan_changed_is_refused_and_shown_again() {
    common::each_plan_app(|app, w| async move {
        let plan = common::create_plan(&app.db, &w.gent, "Meerjarenplan", &w.editor).await;
        login(&app, &w.editor).await;
        let token = upload_token(&app.page(&format!("/plannen/{}/import", plan.id)).await);
        let csv = bbc_csv(2);
        let response = post_upload(&app, &plan.id, &token, "bbc", "bbc.csv", csv.as_bytes()).await;
        assert_eq!(response.status(), 303);
        let preview_path = location(&response);
        let preview = app.page(&preview_path).await;
        assert!(preview.contains("<dd>7</dd>"), "{preview}");
        let seen = versie(&preview);
        // The same plan gives the same version.
        assert_eq!(versie(&app.page(&preview_path).await), seen);

        // Someone adds an item (the file's AC010101 as it happens) after the preview was opened.
        common::add_item(
            &app.db,
            &plan,
            None,
            common::item_fields("BD01", "Een andere titel"),
            &w.editor,
        )
        .await;
        let confirm = format!("{preview_path}/bevestigen");
        let refused = app
            .post_form(&preview_path, &confirm, &[("versie", seen.as_str())])
            .await;
        assert_eq!(refused.status(), 303);
        assert_eq!(location(&refused), preview_path);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs").await, 0);
        // Shown again with the message, recomputed: BD01 now is a change, not a new item.
        let again = app.page(&preview_path).await;
        assert!(again.contains("Het plan is gewijzigd sinds u deze voorvertoning opende"));
        assert!(again.contains("<dd>6</dd>"), "{again}");
        let fresh = versie(&again);
        assert_ne!(fresh, seen);
        // Without a version (a form posted by hand) it is refused too.
        let bare = app.post_form(&preview_path, &confirm, &[]).await;
        assert_eq!(location(&bare), preview_path);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs").await, 0);

        // Confirmed with what the user now sees: queued, with the version in the payload.
        let queued = app
            .post_form(&preview_path, &confirm, &[("versie", fresh.as_str())])
            .await;
        assert!(location(&queued).ends_with("/voortgang"));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs").await, 1);
        let payload: String = sqlx::query_scalar("SELECT payload FROM jobs")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        let payload: ImportPayload = serde_json::from_str(&payload).unwrap();
        assert_eq!(payload.version.as_deref(), Some(fresh.as_str()));

        // The plan changes again before the job runs: the job writes nothing.
        common::add_item(
            &app.db,
            &plan,
            None,
            common::item_fields("BD09", "Nog iets"),
            &w.editor,
        )
        .await;
        let noop = |_: i64, _: i64, _: String| async { Ok::<(), JobError>(()) };
        let err = run_checked(
            &app.db,
            &payload.import_id,
            payload.version.as_deref(),
            &w.editor.audit(),
            noop,
        )
        .await
        .unwrap_err();
        assert!(err.is_permanent(), "{err:?}");
        let all = items::list_for_plan(app.db.pool(), &plan.id).await.unwrap();
        assert_eq!(all.len(), 2, "nothing imported");
        let upload = uploads::find(app.db.pool(), &payload.import_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(upload.status, "failed");
        assert!(upload.result["error"]
            .as_str()
            .unwrap()
            .contains("gewijzigd sinds de voorvertoning"));
    })
    .await;
}

#[tokio::test]
async fn a_refused_file_is_listed_as_refused_and_cannot_be_confirmed() {
    common::each_plan_app(|app, w| async move {
        let plan = common::create_plan(&app.db, &w.gent, "Meerjarenplan", &w.editor).await;
        login(&app, &w.editor).await;
        let import_page = format!("/plannen/{}/import", plan.id);
        let token = upload_token(&app.page(&import_page).await);
        let bad = "Beleidsdoelstelling;Actieplan;Actie;Raming 2026\n\
                   BD01 Veilig;AP0101 Straten;AC010101 Lampen;1.000,00\n\
                   BD01 Veilig;AP0101 Straten;AC010102 Camera's;12,34,56\n";
        let response = post_upload(&app, &plan.id, &token, "bbc", "fout.csv", bad.as_bytes()).await;
        let preview_path = location(&response);
        let import_id = preview_path.rsplit('/').next().unwrap().to_string();
        let upload = uploads::find(app.db.pool(), &import_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(upload.status, "rejected");
        let preview = app.page(&preview_path).await;
        assert!(preview.contains("Regel 3"), "{preview}");
        assert!(!preview.contains("/bevestigen") && !preview.contains("name=\"versie\""));

        // The list says it was refused and why, and offers nothing to import.
        let list = app.page(&import_page).await;
        assert!(list.contains("Geweigerd"), "{list}");
        assert!(list.contains("regel 3:"), "{list}");
        assert!(!list.contains("Opgeladen, niet geïmporteerd"), "{list}");

        // Confirming by hand: refused with a message, no job.
        let confirm = format!("{preview_path}/bevestigen");
        let refused = app
            .post_form(&import_page, &confirm, &[("versie", "x")])
            .await;
        assert_eq!(refused.status(), 303);
        assert_eq!(location(&refused), preview_path);
        assert!(app
            .page(&preview_path)
            .await
            .contains("Dit bestand kan niet geïmporteerd worden; er is niets gestart."));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs").await, 0);

        // A jaarplan text without structure: refused the same way.
        let response = post_upload(
            &app,
            &plan.id,
            &token,
            "jaarplan",
            "leeg.txt",
            b"geen structuur\n",
        )
        .await;
        let path = location(&response);
        let refused = app
            .post_form(&import_page, &format!("{path}/bevestigen"), &[])
            .await;
        assert_eq!(location(&refused), path);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs").await, 0);
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM plan_imports WHERE status = 'rejected'"
            )
            .await,
            2
        );
    })
    .await;
}

#[tokio::test]
async fn the_preview_shows_every_planned_row_page_by_page() {
    common::each_plan_app(|app, w| async move {
        let plan = common::create_plan(&app.db, &w.gent, "Meerjarenplan", &w.editor).await;
        login(&app, &w.editor).await;
        let token = upload_token(&app.page(&format!("/plannen/{}/import", plan.id)).await);
        // 1 + 2 + 2 × 75 = 153 new items: two pages of the "new" group.
        let csv = bbc_csv(75);
        let response =
            post_upload(&app, &plan.id, &token, "bbc", "groot.csv", csv.as_bytes()).await;
        let preview_path = location(&response);
        let first = app.page(&preview_path).await;
        assert!(first.contains("<dd>153</dd>"), "{first}");
        assert!(first.contains("Rijen 1 tot 100 van 153."), "{first}");
        let next = format!("{preview_path}?created=2#groep-created");
        assert!(
            first.contains(&format!("href=\"{next}\" rel=\"next\"")),
            "{first}"
        );
        let second = app.page(&format!("{preview_path}?created=2")).await;
        assert!(second.contains("Rijen 101 tot 153 van 153."), "{second}");
        // Every code is on exactly one of the two pages.
        let mut codes = vec!["BD01".to_string(), "AP0101".into(), "AP0102".into()];
        for ap in 1..=2 {
            codes.extend((1..=75).map(|ac| format!("AC010{ap}{ac:02}")));
        }
        for code in &codes {
            let cell = format!("<td>{code}</td>");
            let on = [&first, &second]
                .iter()
                .filter(|p| p.contains(&cell))
                .count();
            assert_eq!(on, 1, "{code}");
        }
        // A page past the end shows the last page.
        let beyond = app.page(&format!("{preview_path}?created=9")).await;
        assert!(beyond.contains("Rijen 101 tot 153 van 153."));
        // The confirm form is on every page.
        assert_eq!(versie(&second), versie(&first));
    })
    .await;
}
