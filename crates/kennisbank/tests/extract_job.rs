//! Scanned documents through the real path (issue 10 point 13): an editor uploads a PDF over
//! HTTP, the `kennisbank.extract` job runs on the real queue and workers, and the document
//! gets the text read by OCR with the warning stored beside it and shown on its page; a PDF
//! with neither text nor images gets the "geen tekst" warning; a scan mixed with text pages
//! keeps the text layer of the others; a file with one giant text node fails with its Dutch
//! reason. On SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.

use crate::common;
use crate::extract_limits::{empty_pdf, package, pdf_of_pages, scanned_pdf, Page, Streamed};

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{each_kb_app, Person, TestApp};
use steden_db::jobs::{Registry, WorkerOptions, WorkerPool};
use steden_kennisbank::jobs;
use steden_kennisbank::model::ExtractionStatus;
use steden_kennisbank::store::documents::{self, Document};

/// A client logged in as `person`.
async fn logged_in(app: &TestApp, person: &Person) -> reqwest::Client {
    let client = TestApp::new_client();
    let html = client
        .get(app.url("/aanmelden"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = common::csrf_token(&html).unwrap();
    let response = client
        .post(app.url("/aanmelden"))
        .form(&[
            ("_csrf", token.as_str()),
            ("email", person.email.as_str()),
            ("password", person.password.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "login of {}", person.email);
    client
}

/// Uploads `bytes` as `filename` through the new-document form; answers the document's id.
async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    title: &str,
    filename: &str,
    bytes: &[u8],
) -> String {
    let form = "/beheer/kennisbank/documenten/nieuw";
    let html = client
        .get(app.url(form))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = common::csrf_token(&html).unwrap();
    let boundary = "----kennisbank-scan-grens-41d2";
    let mut body = Vec::new();
    for (name, value) in [
        ("title", title),
        ("summary", "Een ingescand rapport."),
        ("doc_type", "rapport"),
        ("programme", ""),
        ("werkspoor", ""),
        ("themes_text", "armoede"),
        ("period", ""),
        ("doc_date", "2024-03-01"),
        ("language", "nl"),
        ("access", "publiek"),
        ("access_organisation_id", ""),
        ("access_group_id", ""),
        ("external_url", ""),
    ] {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = client
        .post(app.url(&format!("{form}?_csrf={token}")))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "upload of {filename}");
    let location = response.headers()["location"].to_str().unwrap();
    location.rsplit('/').next().unwrap().to_string()
}

/// Runs the queue's workers until every extraction job is done or dead.
async fn run_jobs(db: &steden_db::Db, expected: i64) {
    let mut registry = Registry::new();
    jobs::register(&mut registry);
    let pool = WorkerPool::start_with(
        db.clone(),
        Arc::new(registry),
        WorkerOptions {
            workers: 2,
            poll_interval: Duration::from_millis(50),
            ..WorkerOptions::default()
        },
    );
    // OCR takes seconds per page on two shared cores
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        let finished: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE kind = 'kennisbank.extract' AND status IN ('done', 'dead')",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        if finished == expected {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the extraction jobs did not finish"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    pool.shutdown().await;
}

async fn stored(db: &steden_db::Db, id: &str) -> (Document, String) {
    let doc = documents::find(db.pool(), id).await.unwrap().unwrap();
    let text = documents::body_text(db.pool(), id).await.unwrap();
    (doc, text)
}

/// The document's editing page, as the editor sees it.
async fn page(app: &TestApp, client: &reqwest::Client, id: &str) -> String {
    let html = client
        .get(app.url(&format!("/beheer/kennisbank/documenten/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // the page escapes apostrophes; the warnings are compared as text
    html.replace("&#39;", "'").replace("&#x27;", "'")
}

#[tokio::test]
async fn scans_are_read_by_ocr_in_the_job_and_the_warnings_are_stored_and_shown() {
    each_kb_app(|app, w| async move {
        let editor = logged_in(&app, &w.editor).await;
        let scan = scanned_pdf(&[
            "Het Kenniscentrum Vlaamse Steden",
            "bundelt kennis over stedelijk beleid.",
            "Armoede en wonen in centrumsteden.",
        ]);
        let mixed = pdf_of_pages(&[
            Page::Text(&["Jaarverslag van het Kenniscentrum", "over de centrumsteden."]),
            Page::Scan(&["Bijlage: armoede en wonen", "in Vlaamse steden."]),
        ]);
        let giant = package(&[
            Streamed { name: "[Content_Types].xml", head: "<Types/>", body: "", total: 0, tail: "" },
            Streamed {
                name: "word/document.xml",
                head: r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>"#,
                body: "stad ",
                total: 20 * 1024 * 1024,
                tail: "</w:t></w:r></w:p></w:body></w:document>",
            },
        ]);
        let scan_id = upload(&app, &editor, "Ingescande nota", "nota.pdf", &scan).await;
        let empty_id = upload(&app, &editor, "Lege PDF", "leeg.pdf", &empty_pdf()).await;
        let mixed_id = upload(&app, &editor, "Jaarverslag met bijlage", "verslag.pdf", &mixed).await;
        let giant_id = upload(&app, &editor, "Reuzenalinea", "reus.docx", &giant).await;
        run_jobs(&w.db, 4).await;

        // the scan: text by OCR, the warning stored beside `klaar` and shown under "Let op:"
        let (doc, text) = stored(&w.db, &scan_id).await;
        assert_eq!(doc.extraction_status, ExtractionStatus::Klaar);
        for word in ["Kenniscentrum", "Steden", "stedelijk", "centrumsteden"] {
            assert!(text.contains(word), "{word} not in {text:?}");
        }
        assert_eq!(doc.text_chars as usize, text.chars().count());
        let warning = doc.extraction_error.expect("a scan gets a warning");
        assert!(warning.contains("geen tekstlaag (een scan?)"), "{warning}");
        assert!(warning.contains("tekstherkenning (OCR)"), "{warning}");
        let html = page(&app, &editor, &scan_id).await;
        assert!(html.contains("Let op:"), "{html}");
        assert!(html.contains(&warning), "{html}");
        assert!(html.contains("Tekst gelezen"), "{html}");

        // neither text nor images: nothing to read, and it says so
        let (doc, text) = stored(&w.db, &empty_id).await;
        assert_eq!(doc.extraction_status, ExtractionStatus::Klaar);
        assert_eq!(text, "");
        let warning = doc.extraction_error.expect("an empty PDF gets a warning");
        assert!(warning.contains("geen tekst en geen afbeeldingen"), "{warning}");
        let html = page(&app, &editor, &empty_id).await;
        assert!(html.contains("Let op:") && html.contains(&warning), "{html}");

        // a text page and a scanned page: the text layer kept, the scan read by OCR
        let (doc, text) = stored(&w.db, &mixed_id).await;
        assert!(text.starts_with("Jaarverslag van het Kenniscentrum"), "{text:?}");
        assert!(text.contains("armoede"), "{text:?}");
        let warning = doc.extraction_error.unwrap();
        assert!(warning.starts_with("Pagina 2 van dit PDF-bestand heeft geen tekstlaag"), "{warning}");

        // one giant text node: failed, with the Dutch reason on the page
        let (doc, _) = stored(&w.db, &giant_id).await;
        assert_eq!(doc.extraction_status, ExtractionStatus::Mislukt);
        let reason = doc.extraction_error.unwrap();
        assert!(reason.starts_with("Het bestand bevat één tekstblok, cel of XML-element van meer dan 16,0 MB"), "{reason}");
        let html = page(&app, &editor, &giant_id).await;
        assert!(html.contains(&reason), "{html}");
    })
    .await;
}
