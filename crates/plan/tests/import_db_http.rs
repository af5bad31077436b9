//! The import flow over HTTP: upload (multipart) → preview → confirm → job → items; a refused
//! file; readers may not upload.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use common::{csrf_token, login, TestApp};
use steden_db::jobs::{Registry, WorkerPool};
use steden_plan::import::bbc::testdata::{generate, GenEncoding, GenLayout, GenOptions};
use steden_plan::import::bbc::{self, ColumnMapping};
use steden_plan::store::items;

const SEED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/seeds/000_36870990a2a15f1c.txt"
));

pub(crate) const BOUNDARY: &str = "----stedenplatformtestgrens";

pub(crate) fn multipart(kind: &str, filename: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"soort\"\r\n\r\n{kind}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// The token of the multipart form's action (`?_csrf=…`), else of any form on the page.
pub(crate) fn upload_token(html: &str) -> String {
    let marker = "?_csrf=";
    match html.find(marker) {
        Some(at) => {
            let rest = &html[at + marker.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        }
        None => csrf_token(html).unwrap(),
    }
}

pub(crate) async fn post_upload(
    app: &TestApp,
    plan_id: &str,
    token: &str,
    kind: &str,
    filename: &str,
    bytes: &[u8],
) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/plannen/{plan_id}/import?_csrf={token}")))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(kind, filename, bytes))
        .send()
        .await
        .unwrap()
}

/// The single-column fields of a mapping as the mapping form posts them.
fn mapping_fields(m: &ColumnMapping) -> Vec<(&'static str, String)> {
    let show = |c: Option<usize>| c.map(|c| c.to_string()).unwrap_or_default();
    vec![
        ("entiteit", show(m.entiteit)),
        ("bd_code", show(m.bd_code)),
        ("bd_title", show(m.bd_title)),
        ("ap_code", show(m.ap_code)),
        ("ap_title", show(m.ap_title)),
        ("ac_code", show(m.ac_code)),
        ("ac_title", show(m.ac_title)),
        ("internal_code", show(m.internal_code)),
        ("dienst", show(m.dienst)),
        ("budget_type", show(m.budget_type)),
        ("direction", show(m.direction)),
    ]
}

pub(crate) fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

async fn imports_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM plan_imports")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn upload_preview_confirm_and_the_job_imports() {
    common::each_plan_app(|app, w| async move {
        let plan = common::create_plan(&app.db, &w.gent, "Meerjarenplan", &w.editor).await;
        let import_page = format!("/plannen/{}/import", plan.id);

        // A reader may not upload, nor see the import page.
        login(&app, &w.reader).await;
        assert_eq!(app.get(&import_page).await.status(), 403);
        let token = upload_token(&app.page("/").await);
        let refused = post_upload(&app, &plan.id, &token, "jaarplan", "j.txt", b"x").await;
        assert_eq!(refused.status(), 403);
        assert_eq!(imports_count(&app).await, 0);

        login(&app, &w.editor).await;
        let html = app.page(&import_page).await;
        assert!(html.contains("enctype=\"multipart/form-data\""));
        let token = upload_token(&html);

        // No file: the form again with the error.
        let empty = post_upload(&app, &plan.id, &token, "bbc", "", b"").await;
        assert_eq!(empty.status(), 422);
        assert!(empty.text().await.unwrap().contains("Kies een bestand."));

        // Above the shell's 2 MB form limit is fine; above 20 MB is refused in Dutch.
        let big = "geen structuur\n".repeat(200_000);
        let response = post_upload(
            &app,
            &plan.id,
            &token,
            "jaarplan",
            "groot.txt",
            big.as_bytes(),
        )
        .await;
        assert_eq!(response.status(), 303);
        let huge = vec![b'a'; 21 * 1024 * 1024];
        let response = post_upload(&app, &plan.id, &token, "jaarplan", "enorm.txt", &huge).await;
        assert_eq!(response.status(), 422);
        assert!(response.text().await.unwrap().contains("groter dan 20 MB"));
        assert_eq!(imports_count(&app).await, 1);

        // A malformed CSV: stored, but the preview shows the line and nothing can be confirmed.
        let bad = "Beleidsdoelstelling;Actieplan;Actie;Raming 2026\n\
                   BD01 Veilig;AP0101 Straten;AC010101 Lampen;1.000,00\n\
                   BD01 Veilig;AP0101 Straten;AC010102 Camera's;12,34,56\n";
        let response = post_upload(&app, &plan.id, &token, "bbc", "fout.csv", bad.as_bytes()).await;
        assert_eq!(response.status(), 303);
        let preview = app.page(&location(&response)).await;
        assert!(preview.contains("Regel 3"), "{preview}");
        assert!(!preview.contains("/bevestigen"));

        // A generated BBC export.
        let generated = generate(&GenOptions {
            lines: 300,
            layout: GenLayout::Wide,
            title_lines: false,
            dotted_codes: false,
            seed: 11,
        });
        let csv = generated.to_csv(b';', GenEncoding::Utf8);
        let e = &generated.expected;
        let expected = e.beleidsdoelstellingen + e.actieplannen + e.acties;
        let response = post_upload(&app, &plan.id, &token, "bbc", "bbc.csv", &csv).await;
        assert_eq!(response.status(), 303);
        let preview_path = location(&response);
        // The mapping screen: prefilled from the detection; a missing BD column is refused;
        // the proposal is kept in the upload's options.
        let mapping_path = format!("{preview_path}/kolommen");
        let form = app.page(&mapping_path).await;
        assert!(form.contains("<select id=\"bd_code\""));
        assert!(form.contains(" selected>A — "), "{form}");
        let guess = bbc::detect_columns(&bbc::parse_file(&csv).unwrap()).mapping;
        let fields = mapping_fields(&guess);
        let mut without_bd: Vec<(&str, &str)> =
            fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        without_bd.retain(|(k, _)| *k != "bd_code");
        let refused = app
            .post_form(&mapping_path, &mapping_path, &without_bd)
            .await;
        assert_eq!(refused.status(), 422);
        assert!(refused
            .text()
            .await
            .unwrap()
            .contains("code van de beleidsdoelstelling"));
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let saved = app.post_form(&mapping_path, &mapping_path, &pairs).await;
        assert_eq!(saved.status(), 303);
        let options: String = sqlx::query_scalar("SELECT options FROM plan_imports WHERE id = $1")
            .bind(preview_path.rsplit('/').next().unwrap())
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        let bd = format!("\"bd_code\":{}", guess.bd_code.unwrap());
        assert!(options.contains(&bd), "{options}");
        let preview = app.get(&preview_path).await;
        assert_eq!(preview.status(), 200);
        let html = preview.text().await.unwrap();
        assert!(html.contains("Nieuwe items"), "{html}");
        assert!(html.contains(&format!("<dd>{expected}</dd>")), "{html}");
        assert!(items::list_for_plan(app.db.pool(), &plan.id)
            .await
            .unwrap()
            .is_empty());

        let import_id = preview_path.rsplit('/').next().unwrap().to_string();
        let confirm = format!("{preview_path}/bevestigen");
        let versie = crate::import_preview::versie(&html);
        let response = app
            .post_form(&preview_path, &confirm, &[("versie", versie.as_str())])
            .await;
        assert_eq!(response.status(), 303);
        let progress_path = location(&response);
        assert!(progress_path.ends_with("/voortgang"));
        let progress = app.page(&progress_path).await;
        assert!(progress.contains("job-progress"), "{progress}");

        let mut registry = Registry::new();
        steden_plan::import::jobs::register(&mut registry);
        let pool = WorkerPool::start(app.db.clone(), Arc::new(registry), 1, "import-test");
        let mut done = false;
        for _ in 0..200 {
            let status: String =
                sqlx::query_scalar("SELECT status FROM plan_imports WHERE id = $1")
                    .bind(&import_id)
                    .fetch_one(app.db.pool())
                    .await
                    .unwrap();
            if status == "done" {
                done = true;
                break;
            }
            assert_ne!(status, "failed");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        pool.shutdown().await;
        assert!(done, "the job finished");
        let all = items::list_for_plan(app.db.pool(), &plan.id).await.unwrap();
        assert_eq!(all.len(), expected);
        let progress = app.page(&progress_path).await;
        assert!(progress.contains("Geïmporteerd"), "{progress}");
        let list = app.page(&import_page).await;
        assert!(list.contains("bbc.csv") && list.contains("fout.csv"));

        // The jaarplan text goes through the same flow; its preview lists new items.
        let response = post_upload(
            &app,
            &plan.id,
            &token,
            "jaarplan",
            "jaarplan.txt",
            SEED.as_bytes(),
        )
        .await;
        assert_eq!(response.status(), 303);
        let preview = app.page(&location(&response)).await;
        assert!(preview.contains("/bevestigen"));
        assert!(
            preview.contains("Deelactie") || preview.contains("Programma"),
            "{preview}"
        );
    })
    .await;
}
