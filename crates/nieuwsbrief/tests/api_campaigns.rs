//! Campaigns in the API (S12), on both backends: an editor's token creates a concept (with
//! the usual sections), lists and reads campaigns, changes a concept's subject, preheader and
//! template, and pauses, resumes and cancels a sending; a frozen campaign is a 409, nothing
//! written; no token 401, a token without the role 403, bad fields 422 by name.

use reqwest::Method;
use serde_json::{json, Value};

use crate::api_subscribers::{call, tokens};
use crate::common::{count, each_nb_app};

async fn set_status(app: &crate::common::TestApp, id: &str, status: &str) {
    sqlx::query("UPDATE nb_campaigns SET status = $1 WHERE id = $2")
        .bind(status)
        .bind(id)
        .execute(app.db.pool())
        .await
        .unwrap();
}

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|e| e["field"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn editors_create_list_read_and_edit_concepts() {
    each_nb_app(|app| async move {
        let t = tokens(&app).await;
        steden_nieuwsbrief::store::templates::ensure_default(&app.db).await.unwrap();
        let body = json!({"subject": "Nieuwsbrief december", "lists": ["algemeen"]});
        assert_eq!(call(&app, Method::POST, "/campaigns", None, Some(body.clone())).await.0, 401);
        assert_eq!(call(&app, Method::POST, "/campaigns", Some(&t.reader), Some(body.clone())).await.0, 403);
        assert_eq!(call(&app, Method::POST, "/campaigns", Some(&t.outsider), Some(body.clone())).await.0, 403);
        let (status, _, problem) = call(&app, Method::POST, "/campaigns", Some(&t.editor),
            Some(json!({"subject": "  ", "lists": []}))).await;
        assert_eq!((status, fields(&problem)), (422, vec!["subject".to_string()]), "{problem}");
        let (status, _, problem) = call(&app, Method::POST, "/campaigns", Some(&t.editor),
            Some(json!({"subject": "x", "lists": ["bestaat-niet"]}))).await;
        assert_eq!((status, fields(&problem)), (422, vec!["lists".to_string()]), "{problem}");
        let (status, _, problem) = call(&app, Method::POST, "/campaigns", Some(&t.editor),
            Some(json!({"subject": "x", "template_id": "geen"}))).await;
        assert_eq!((status, fields(&problem)), (422, vec!["template_id".to_string()]), "{problem}");
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM nb_campaigns").await, 0);

        let (status, headers, created) =
            call(&app, Method::POST, "/campaigns", Some(&t.editor), Some(body)).await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_str().unwrap().to_string();
        assert_eq!(headers["location"].to_str().unwrap(), format!("/api/v1/nieuwsbrief/campaigns/{id}"));
        assert_eq!(created["status"], "concept");
        assert_eq!(created["template_id"], "standaard");
        assert_eq!(created["lists"], json!(["algemeen"]));
        let sections: Vec<&str> = created["sections"].as_array().unwrap().iter()
            .map(|s| s["title"].as_str().unwrap()).collect();
        assert_eq!(sections[0], "Aankondigingen");
        assert_eq!(sections.len(), 6);

        // A block, to read back.
        let section = created["sections"][0]["id"].as_str().unwrap().to_string();
        let mut tx = app.db.begin().await.unwrap();
        steden_nieuwsbrief::store::blocks::add_markdown(&mut tx, &id, &section, "**Welkom** bij de nieuwsbrief",
            &steden_core::audit::AuditActor::system()).await.unwrap();
        tx.commit().await.unwrap();
        let (status, _, read) = call(&app, Method::GET, &format!("/campaigns/{id}"), Some(&t.editor), None).await;
        assert_eq!(status, 200, "{read}");
        assert_eq!(read["sections"][0]["blocks"][0]["kind"], "markdown");
        assert_eq!(read["sections"][0]["blocks"][0]["markdown"], "**Welkom** bij de nieuwsbrief");
        assert_eq!(call(&app, Method::GET, &format!("/campaigns/{id}"), Some(&t.reader), None).await.0, 403);
        assert_eq!(call(&app, Method::GET, "/campaigns/onbekend", Some(&t.editor), None).await.0, 404);

        // A second one, sent; the list by status, paged.
        let second = call(&app, Method::POST, "/campaigns", Some(&t.editor),
            Some(json!({"subject": "Nieuwsbrief november"}))).await.2;
        let second = second["id"].as_str().unwrap().to_string();
        set_status(&app, &second, "verzonden").await;
        assert_eq!(call(&app, Method::GET, "/campaigns", None, None).await.0, 401);
        assert_eq!(call(&app, Method::GET, "/campaigns", Some(&t.reader), None).await.0, 403);
        let (status, headers, page) = call(&app, Method::GET, "/campaigns?per_page=1", Some(&t.editor), None).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!((page["total"].as_i64(), page["items"].as_array().unwrap().len()), (Some(2), 1));
        assert!(headers["link"].to_str().unwrap().contains("rel=\"next\""));
        let sent = call(&app, Method::GET, "/campaigns?status=verzonden", Some(&t.editor), None).await.2;
        assert_eq!(sent["total"], 1);
        assert_eq!(sent["items"][0]["id"], second.as_str());
        for bad in ["status=klaar", "per_page=0", "page=0"] {
            let (status, _, problem) = call(&app, Method::GET, &format!("/campaigns?{bad}"), Some(&t.editor), None).await;
            assert_eq!(status, 400, "{bad}: {problem}");
        }

        // PATCH a concept: subject, preheader and template; fields left out stay.
        let path = format!("/campaigns/{id}");
        let patch = json!({"subject": "Nieuwsbrief januari", "preheader": "Het nieuwe jaar", "template_id": "standaard"});
        assert_eq!(call(&app, Method::PATCH, &path, None, Some(patch.clone())).await.0, 401);
        assert_eq!(call(&app, Method::PATCH, &path, Some(&t.reader), Some(patch.clone())).await.0, 403);
        let (status, _, edited) = call(&app, Method::PATCH, &path, Some(&t.editor), Some(patch.clone())).await;
        assert_eq!(status, 200, "{edited}");
        assert_eq!(edited["subject"], "Nieuwsbrief januari");
        assert_eq!(edited["preheader"], "Het nieuwe jaar");
        assert_eq!(edited["lists"], json!(["algemeen"]));
        let (status, _, problem) = call(&app, Method::PATCH, &path, Some(&t.editor),
            Some(json!({"subject": "", "template_id": "geen"}))).await;
        assert_eq!(status, 422, "{problem}");
        let (status, _, problem) = call(&app, Method::PATCH, &path, Some(&t.editor),
            Some(json!({"preheader": "x".repeat(251)}))).await;
        assert_eq!((status, fields(&problem)), (422, vec!["preheader".to_string()]));
        assert!(count(&app.db, &format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity_id = '{id}' AND action = 'update'")).await >= 1);

        // Frozen: 409, nothing written.
        let (status, _, problem) = call(&app, Method::PATCH, &format!("/campaigns/{second}"), Some(&t.editor),
            Some(json!({"subject": "Toch anders"}))).await;
        assert_eq!(status, 409, "{problem}");
        assert!(problem["detail"].as_str().unwrap().contains("kan niet meer veranderen"));
        let (status, _, _) = call(&app, Method::PATCH, &format!("/campaigns/{second}"), Some(&t.editor),
            Some(json!({"template_id": "standaard"}))).await;
        assert_eq!(status, 409);
        let unchanged = call(&app, Method::GET, &format!("/campaigns/{second}"), Some(&t.editor), None).await.2;
        assert_eq!(unchanged["subject"], "Nieuwsbrief november");
        assert_eq!(call(&app, Method::PATCH, "/campaigns/onbekend", Some(&t.editor), Some(patch)).await.0, 404);
    })
    .await;
}

#[tokio::test]
async fn editors_pause_resume_and_cancel_a_sending() {
    each_nb_app(|app| async move {
        let t = tokens(&app).await;
        let created = call(&app, Method::POST, "/campaigns", Some(&t.editor),
            Some(json!({"subject": "Bezig"}))).await.2;
        let id = created["id"].as_str().unwrap().to_string();
        let action = |verb: &str| format!("/campaigns/{id}/{verb}");

        // A concept is not being sent: every action is a conflict.
        for verb in ["pause", "resume", "cancel"] {
            let (status, _, problem) = call(&app, Method::POST, &action(verb), Some(&t.editor), None).await;
            assert_eq!(status, 409, "{verb}: {problem}");
        }
        set_status(&app, &id, "bezig").await;
        assert_eq!(call(&app, Method::POST, &action("pause"), None, None).await.0, 401);
        assert_eq!(call(&app, Method::POST, &action("pause"), Some(&t.reader), None).await.0, 403);
        let (status, _, paused) = call(&app, Method::POST, &action("pause"), Some(&t.editor), None).await;
        assert_eq!((status, paused["status"].as_str()), (200, Some("gepauzeerd")), "{paused}");
        assert_eq!(call(&app, Method::POST, &action("pause"), Some(&t.editor), None).await.0, 409);
        let jobs = "SELECT COUNT(*) FROM jobs WHERE kind = 'nieuwsbrief.send'";
        let before = count(&app.db, jobs).await;
        let (status, _, resumed) = call(&app, Method::POST, &action("resume"), Some(&t.editor), None).await;
        assert_eq!((status, resumed["status"].as_str()), (200, Some("bezig")), "{resumed}");
        assert_eq!(count(&app.db, jobs).await, before + 1, "the sending job is queued again");
        let (status, _, cancelled) = call(&app, Method::POST, &action("cancel"), Some(&t.editor), None).await;
        assert_eq!((status, cancelled["status"].as_str()), (200, Some("geannuleerd")));
        assert!(cancelled["finished_at"].is_string());
        assert_eq!(call(&app, Method::POST, &action("cancel"), Some(&t.editor), None).await.0, 409);
        assert_eq!(call(&app, Method::POST, "/campaigns/onbekend/cancel", Some(&t.editor), None).await.0, 404);
        assert_eq!(count(&app.db, &format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity_id = '{id}' AND action IN ('pause', 'resume', 'cancel')")).await, 3);
    })
    .await;
}
