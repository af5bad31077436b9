//! Kennisbank documents: text extraction through the job for every format (and the failures:
//! damaged, encrypted, a zip bomb), uploads through HTTP by editors only, who may open which
//! document and its file, the download's headers, and the "Publicaties" section. On SQLite,
//! and on PostgreSQL when TEST_DATABASE_URL is set.

use crate::common;

use std::io::{Cursor, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{each_kb_app, each_kb_db, Person, TestApp, World};
use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Object, Stream};
use sqlx::Row;
use steden_db::jobs::{Registry, WorkerOptions, WorkerPool};
use steden_kennisbank::jobs::{self, Outcome};
use steden_kennisbank::model::ExtractionStatus;
use steden_kennisbank::store::documents::{self, Document, DocumentFields, NewFile};
use steden_kennisbank::store::files;
use zip::write::SimpleFileOptions;

// ---------------------------------------------------------------------------------------------
// Files (builders as in tests/extract.rs)
// ---------------------------------------------------------------------------------------------

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in entries {
        let method = if *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        writer
            .start_file(
                *name,
                SimpleFileOptions::default().compression_method(method),
            )
            .unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;

fn docx(text: &str) -> Vec<u8> {
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p><w:sectPr/></w:body></w:document>"#
    );
    zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", body.as_bytes()),
    ])
}

fn pptx(text: &str) -> Vec<u8> {
    let slide = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
    );
    zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("ppt/presentation.xml", b"<p:presentation xmlns:p=\"x\"/>"),
        ("ppt/slides/slide1.xml", slide.as_bytes()),
    ])
}

fn odt(text: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>{text}</text:p></office:text></office:body></office:document-content>"#
    );
    zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content.as_bytes()),
        (
            "META-INF/manifest.xml",
            b"<manifest:manifest xmlns:manifest=\"x\"/>",
        ),
    ])
}

fn xlsx(text: &str) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, text).unwrap();
    sheet.write_number(0, 1, 1250.5).unwrap();
    workbook.save_to_buffer().unwrap()
}

fn pdf_document(text: &str) -> lopdf::Document {
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let latin1: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    let content = Content {
        operations: vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 12.into()]),
            Operation::new("Td", vec![72.into(), 720.into()]),
            Operation::new(
                "Tj",
                vec![Object::String(latin1, lopdf::StringFormat::Literal)],
            ),
            Operation::new("ET", vec![]),
        ],
    };
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc
}

fn pdf(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    pdf_document(text).save_to(&mut out).unwrap();
    out
}

fn encrypted_pdf() -> Vec<u8> {
    let mut doc = pdf_document("geheim");
    let encrypt_id = doc.add_object(dictionary! {
        "Filter" => "Standard", "V" => 1, "R" => 2, "Length" => 40, "P" => -44,
        "O" => Object::string_literal(vec![0u8; 32]),
        "U" => Object::string_literal(vec![0u8; 32]),
    });
    doc.trailer.set("Encrypt", encrypt_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn malformed_pdf() -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    let mut seed: u64 = 3;
    bytes.extend((0..8192).map(|_| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as u8
    }));
    bytes
}

/// A DOCX whose body unpacks to more than the extraction's 200 MB limit, though the file is
/// small: written in chunks so that the test never holds the unpacked size in memory.
fn zip_bomb() -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    writer.start_file("[Content_Types].xml", options).unwrap();
    writer.write_all(CONTENT_TYPES).unwrap();
    writer.start_file("word/document.xml", options).unwrap();
    let chunk = vec![b' '; 1024 * 1024];
    for _ in 0..210 {
        writer.write_all(&chunk).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn fields(title: &str) -> DocumentFields {
    DocumentFields {
        title: title.into(),
        summary: "Een samenvatting.".into(),
        doc_type: "rapport".into(),
        access: "publiek".into(),
        doc_date: Some("2023-05-04".into()),
        ..DocumentFields::default()
    }
}

async fn create(w: &World, fields: DocumentFields, file: Option<(&str, Vec<u8>)>) -> Document {
    let mut tx = w.db.begin().await.unwrap();
    let doc = documents::create(
        &mut tx,
        &fields,
        file.map(|(filename, bytes)| NewFile {
            filename: filename.into(),
            bytes,
        }),
        &w.editor.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    doc
}

async fn count(db: &steden_db::Db, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// A multipart/form-data body with `fields` and, optionally, a file in the field "file".
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----kennisbank-test-grens-7c1f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some((filename, content_type, bytes)) = file {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Posts the document form (multipart, CSRF token from `form_page` in the query) with `client`.
async fn post_upload(
    app: &TestApp,
    client: &reqwest::Client,
    form_page: &str,
    action: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &str, &[u8])>,
) -> reqwest::Response {
    let html = client
        .get(app.url(form_page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = common::csrf_token(&html).unwrap_or_default();
    let (content_type, body) = multipart(fields, file);
    client
        .post(app.url(&format!("{action}?_csrf={token}")))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// A client of its own (a second browser), logged in as `person`.
async fn browser(app: &TestApp, person: Option<&Person>) -> reqwest::Client {
    let client = TestApp::new_client();
    if let Some(person) = person {
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
    }
    client
}

async fn status_of(client: &reqwest::Client, app: &TestApp, path: &str) -> u16 {
    client
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

const DOC_FORM: &[(&str, &str)] = &[
    ("title", "Rapport over klimaatadaptatie"),
    ("summary", "Hoe steden zich aanpassen."),
    ("doc_type", "rapport"),
    ("programme", ""),
    ("werkspoor", ""),
    ("themes_text", "klimaat, water"),
    ("period", ""),
    ("doc_date", "2022-10-01"),
    ("language", "nl"),
    ("access", "publiek"),
    ("access_organisation_id", ""),
    ("access_group_id", ""),
    ("external_url", ""),
];

// ---------------------------------------------------------------------------------------------
// Extraction through the job
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_job_reads_the_text_of_every_format() {
    each_kb_db(|w| async move {
        let files: Vec<(&str, Vec<u8>, &str)> = vec![
            (
                "rapport.pdf",
                pdf("Stedelijke vernieuwing in Gent"),
                "vernieuwing",
            ),
            ("nota.docx", docx("Woonbeleid en leegstand"), "leegstand"),
            (
                "dia.pptx",
                pptx("Mobiliteitsplan centrumsteden"),
                "Mobiliteitsplan",
            ),
            (
                "begroting.xlsx",
                xlsx("Subsidies cultuurcentra"),
                "cultuurcentra",
            ),
            (
                "verslag.odt",
                odt("Armoedebestrijding in de stad"),
                "Armoedebestrijding",
            ),
            (
                "notities.md",
                b"# Titel\n\nParticipatie van burgers".to_vec(),
                "Participatie",
            ),
        ];
        for (filename, bytes, word) in files {
            let doc = create(&w, fields(filename), Some((filename, bytes))).await;
            assert_eq!(
                doc.extraction_status,
                ExtractionStatus::Wachtend,
                "{filename}"
            );
            // the job was enqueued with the document, in its transaction
            let jobs: Vec<String> = sqlx::query_scalar(
                "SELECT payload FROM jobs WHERE kind = 'kennisbank.extract' AND status = 'queued'",
            )
            .fetch_all(w.db.pool())
            .await
            .unwrap();
            assert!(
                jobs.iter().any(|p| p.contains(&doc.id)),
                "{filename}: {jobs:?}"
            );

            let outcome = jobs::extract_document(&w.db, &doc.id).await.unwrap();
            assert!(
                matches!(outcome, Outcome::Read { chars, .. } if chars > 0),
                "{filename}: {outcome:?}"
            );
            let read = documents::find(w.db.pool(), &doc.id)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                read.extraction_status,
                ExtractionStatus::Klaar,
                "{filename}"
            );
            assert!(read.text_chars > 0);
            let text = documents::body_text(w.db.pool(), &doc.id).await.unwrap();
            assert!(text.contains(word), "{filename}: {text:?}");
        }
        // each extraction noted a change for the search index (create + result)
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM kb_index_changes").await,
            12
        );
    })
    .await;
}

#[tokio::test]
async fn damaged_encrypted_and_bomb_files_fail_with_a_dutch_reason() {
    let bomb = zip_bomb();
    assert!(bomb.len() < 2 * 1024 * 1024, "bomb is {} bytes", bomb.len());
    let bomb = &bomb;
    each_kb_app(|app, w| async move {
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("kapot.pdf", malformed_pdf(), "beschadigd"),
            ("geheim.pdf", encrypted_pdf(), "wachtwoord"),
            ("bom.docx", bomb.clone(), "zip-bom"),
        ];
        for (filename, bytes, reason) in cases {
            let doc = create(&w, fields(filename), Some((filename, bytes))).await;
            let started = Instant::now();
            let outcome = jobs::extract_document(&w.db, &doc.id).await.unwrap();
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{filename} took too long"
            );
            match outcome {
                Outcome::Failed(message) => {
                    assert!(message.contains(reason), "{filename}: {message}")
                }
                other => panic!("{filename}: {other:?}"),
            }
            let read = documents::find(w.db.pool(), &doc.id)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(read.extraction_status, ExtractionStatus::Mislukt);
            assert!(read.extraction_error.unwrap().contains(reason));
            assert_eq!(
                documents::body_text(w.db.pool(), &doc.id).await.unwrap(),
                ""
            );
            // the server keeps answering
            assert_eq!(app.get("/publicaties").await.status(), 200);
        }
    })
    .await;
}

#[tokio::test]
async fn the_worker_runs_the_job_and_a_bad_file_is_not_retried() {
    each_kb_db(|w| async move {
        let mut registry = Registry::new();
        jobs::register(&mut registry);
        let pool = WorkerPool::start_with(
            w.db.clone(),
            Arc::new(registry),
            WorkerOptions {
                workers: 1,
                poll_interval: Duration::from_millis(50),
                ..WorkerOptions::default()
            },
        );
        let good = create(&w, fields("Goed"), Some(("goed.docx", docx("Energiearmoede")))).await;
        let bad = create(&w, fields("Slecht"), Some(("slecht.pdf", encrypted_pdf()))).await;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let done = count(
                &w.db,
                "SELECT COUNT(*) FROM jobs WHERE kind = 'kennisbank.extract' AND status IN ('done', 'dead')",
            )
            .await;
            if done == 2 {
                break;
            }
            assert!(Instant::now() < deadline, "jobs did not finish");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        pool.shutdown().await;
        let good = documents::find(w.db.pool(), &good.id).await.unwrap().unwrap();
        assert_eq!(good.extraction_status, ExtractionStatus::Klaar);
        let bad = documents::find(w.db.pool(), &bad.id).await.unwrap().unwrap();
        assert_eq!(bad.extraction_status, ExtractionStatus::Mislukt);
        let row = sqlx::query(
            "SELECT status, attempts, last_error FROM jobs WHERE payload LIKE $1",
        )
        .bind(format!("%{}%", bad.id))
        .fetch_one(w.db.pool())
        .await
        .unwrap();
        assert_eq!(row.get::<String, _>("status"), "dead");
        assert_eq!(row.get::<i64, _>("attempts"), 1, "a permanent failure is not retried");
        assert!(row
            .get::<Option<String>, _>("last_error")
            .unwrap()
            .contains("wachtwoord"));
    })
    .await;
}

#[tokio::test]
async fn a_new_file_is_read_again_and_a_stale_job_does_nothing() {
    each_kb_db(|w| async move {
        let doc = create(
            &w,
            fields("Versies"),
            Some(("v1.md", b"eerste versie".to_vec())),
        )
        .await;
        jobs::extract_document(&w.db, &doc.id).await.unwrap();
        let old_file = doc.file_id.clone().unwrap();

        let mut tx = w.db.begin().await.unwrap();
        let updated = documents::update(
            &mut tx,
            &doc.id,
            &fields("Versies"),
            Some(NewFile {
                filename: "v2.docx".into(),
                bytes: docx("tweede versie"),
            }),
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(updated.slug, doc.slug, "the address stays");
        assert_eq!(updated.extraction_status, ExtractionStatus::Wachtend);
        assert_eq!(updated.file_format.as_deref(), Some("docx"));
        assert_eq!(
            documents::body_text(w.db.pool(), &doc.id).await.unwrap(),
            ""
        );
        // the old file is gone, and a second job was enqueued for the new one
        assert!(files::find(w.db.pool(), &old_file).await.unwrap().is_none());
        assert_eq!(
            count(
                &w.db,
                "SELECT COUNT(*) FROM jobs WHERE kind = 'kennisbank.extract'"
            )
            .await,
            2
        );
        let stale = jobs::extract_document_file(&w.db, &doc.id, Some(&old_file))
            .await
            .unwrap();
        assert_eq!(stale, Outcome::Skipped);
        jobs::extract_document(&w.db, &doc.id).await.unwrap();
        let text = documents::body_text(w.db.pool(), &doc.id).await.unwrap();
        assert!(
            text.contains("tweede versie") && !text.contains("eerste"),
            "{text}"
        );

        // an audit entry per write
        let audits = count(
            &w.db,
            "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'kb_document'",
        )
        .await;
        assert_eq!(audits, 2);
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Uploads through HTTP
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_editor_uploads_a_document_and_follows_its_extraction() {
    each_kb_app(|app, w| async move {
        let editor = browser(&app, Some(&w.editor)).await;
        let page = editor
            .get(app.url("/beheer/kennisbank/documenten/nieuw"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let bytes = docx("Klimaatadaptatie in centrumsteden");
        let response = post_upload(
            &app,
            &editor,
            "/beheer/kennisbank/documenten/nieuw",
            "/beheer/kennisbank/documenten/nieuw",
            DOC_FORM,
            Some(("Klimaat rapport é.docx", "application/octet-stream", &bytes)),
        )
        .await;
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        let id = location.rsplit('/').next().unwrap().to_string();
        let doc = documents::find(w.db.pool(), &id).await.unwrap().unwrap();
        assert_eq!(doc.title, "Rapport over klimaatadaptatie");
        assert_eq!(doc.themes, vec!["klimaat", "water"]);
        assert_eq!(
            doc.period.as_deref(),
            Some("2022-2026"),
            "period from the date"
        );
        assert_eq!(doc.file_format.as_deref(), Some("docx"));
        assert_eq!(
            doc.file_content_type.as_deref(),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            "the content type comes from the detected format, not from the browser"
        );
        assert_eq!(
            count(
                &w.db,
                "SELECT COUNT(*) FROM jobs WHERE kind = 'kennisbank.extract'"
            )
            .await,
            1
        );

        // the status region polls while waiting
        let html = editor
            .get(app.url(&location))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Wacht op verwerking"), "{html}");
        assert!(html.contains(&format!(
            "hx-get=\"/beheer/kennisbank/documenten/{id}/status\""
        )));
        assert!(html.contains("Vernieuwen"));
        jobs::extract_document(&w.db, &id).await.unwrap();
        let fragment = editor
            .get(app.url(&format!("/beheer/kennisbank/documenten/{id}/status")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(fragment.contains("Tekst gelezen"), "{fragment}");
        assert!(fragment.contains("tekens gelezen"));
        assert!(!fragment.contains("hx-trigger"), "polling stops when done");

        // the list shows it with its status
        let list = editor
            .get(app.url("/beheer/kennisbank/documenten?type=rapport"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(list.contains("Rapport over klimaatadaptatie") && list.contains("Tekst gelezen"));

        // editing without a new file keeps the file and the text
        let mut edit: Vec<(&str, &str)> = DOC_FORM.to_vec();
        edit[0] = ("title", "Rapport over klimaatadaptatie (herzien)");
        let response = post_upload(&app, &editor, &location, &location, &edit, None).await;
        assert_eq!(response.status(), 303);
        let doc = documents::find(w.db.pool(), &id).await.unwrap().unwrap();
        assert_eq!(doc.title, "Rapport over klimaatadaptatie (herzien)");
        assert_eq!(doc.extraction_status, ExtractionStatus::Klaar);

        // delete, after the confirmation page
        let confirm = editor
            .get(app.url(&format!("{location}/verwijderen")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = common::csrf_token(&confirm).unwrap();
        let response = editor
            .post(app.url(&format!("{location}/verwijderen")))
            .form(&[("_csrf", token.as_str()), ("confirm", "ja")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert!(documents::find(w.db.pool(), &id).await.unwrap().is_none());
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM kb_files").await, 0);
    })
    .await;
}

#[tokio::test]
async fn only_editors_upload_and_bad_files_are_refused() {
    each_kb_app(|app, w| async move {
        let bytes = docx("Niet toegelaten");
        // a member of the Kenniscentrum who is not an editor
        let reader = browser(&app, Some(&w.kc_reader)).await;
        assert_eq!(
            status_of(&reader, &app, "/beheer/kennisbank/documenten/nieuw").await,
            403
        );
        assert_eq!(
            status_of(&reader, &app, "/beheer/kennisbank/documenten").await,
            403
        );
        let response = post_upload(
            &app,
            &reader,
            "/",
            "/beheer/kennisbank/documenten/nieuw",
            DOC_FORM,
            Some(("nota.docx", "application/octet-stream", &bytes)),
        )
        .await;
        assert_eq!(response.status(), 403);
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM kb_documents").await, 0);
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM kb_files").await, 0);
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM jobs").await, 0);

        let editor = browser(&app, Some(&w.editor)).await;
        let form = "/beheer/kennisbank/documenten/nieuw";
        let refused: Vec<(&str, Vec<u8>, &str)> = vec![
            // HTML is text, but never a document
            (
                "evil.html",
                b"<html><script>alert(1)</script></html>".to_vec(),
                ".html",
            ),
            (
                "tekening.svg",
                b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
                ".svg",
            ),
            // an old binary Office file
            (
                "oud.doc",
                [
                    &[0xD0u8, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..],
                    &[0u8; 512][..],
                ]
                .concat(),
                "oude Office-bestanden",
            ),
            // a name that lies about the content
            ("rapport.docx", pdf("eigenlijk een pdf"), "heet .docx"),
        ];
        for (filename, bytes, message) in refused {
            let response = post_upload(
                &app,
                &editor,
                form,
                form,
                DOC_FORM,
                Some((filename, "text/html", &bytes)),
            )
            .await;
            assert_eq!(response.status(), 422, "{filename}");
            let html = response.text().await.unwrap();
            assert!(html.contains(message), "{filename}: {html}");
        }
        // no file and no link; organisation access without an organisation
        let mut fields: Vec<(&str, &str)> = DOC_FORM.to_vec();
        fields[9] = ("access", "organisatie");
        let response = post_upload(&app, &editor, form, form, &fields, None).await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("Kies een bestand om op te laden, of geef een webadres."));
        assert!(html.contains("Kies de organisatie die het document mag openen."));

        // too large: a Dutch message, not a broken connection
        let big = vec![b'a'; 26 * 1024 * 1024];
        let response = post_upload(
            &app,
            &editor,
            form,
            form,
            DOC_FORM,
            Some(("groot.md", "text/markdown", &big)),
        )
        .await;
        assert_eq!(response.status(), 413);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("Het bestand is te groot"));

        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM kb_documents").await, 0);
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM kb_files").await, 0);
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM jobs").await, 0);

        // a link needs no file and gets no extraction
        let mut link: Vec<(&str, &str)> = DOC_FORM.to_vec();
        link[2] = ("doc_type", "link");
        link[12] = ("external_url", "https://www.vlaamsesteden.be/klimaat");
        let response = post_upload(&app, &editor, form, form, &link, None).await;
        assert_eq!(response.status(), 303);
        let status: String = sqlx::query_scalar("SELECT extraction_status FROM kb_documents")
            .fetch_one(w.db.pool())
            .await
            .unwrap();
        assert_eq!(status, "geen");
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM jobs").await, 0);
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Who may open what
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn documents_open_only_for_their_readers() {
    each_kb_app(|app, w| async move {
        let public = create(
            &w,
            fields("Openbaar rapport"),
            Some(("open.pdf", pdf("open"))),
        )
        .await;
        let members = create(
            &w,
            DocumentFields {
                access: "leden".into(),
                ..fields("Voor leden")
            },
            Some(("leden.pdf", pdf("leden"))),
        )
        .await;
        let gent = create(
            &w,
            DocumentFields {
                access: "organisatie".into(),
                access_organisation_id: Some(w.gent.clone()),
                ..fields("Alleen Gent")
            },
            Some(("gent.pdf", pdf("gent"))),
        )
        .await;
        let gdpr = create(
            &w,
            DocumentFields {
                access: "werkgroep".into(),
                access_group_id: Some(w.gdpr_group.clone()),
                ..fields("Werkgroep GDPR nota")
            },
            Some(("gdpr.pdf", pdf("gdpr"))),
        )
        .await;

        let anonymous = browser(&app, None).await;
        let antwerpen = browser(&app, Some(&w.antwerpen_member)).await;
        let gent_member = browser(&app, Some(&w.gent_member)).await;
        let kc_reader = browser(&app, Some(&w.kc_reader)).await;
        let editor = browser(&app, Some(&w.editor)).await;

        // (client, document, expected status of the page and of the file)
        let expectations: Vec<(&str, &reqwest::Client, &Document, u16)> = vec![
            ("anonymous", &anonymous, &public, 200),
            ("anonymous", &anonymous, &members, 303),
            ("anonymous", &anonymous, &gent, 404),
            ("anonymous", &anonymous, &gdpr, 404),
            ("antwerpen", &antwerpen, &public, 200),
            ("antwerpen", &antwerpen, &members, 200),
            ("antwerpen", &antwerpen, &gent, 404),
            ("antwerpen", &antwerpen, &gdpr, 404),
            ("gent", &gent_member, &gent, 200),
            ("gent", &gent_member, &gdpr, 200),
            ("kc reader", &kc_reader, &gdpr, 404),
            ("kc reader", &kc_reader, &gent, 404),
            ("editor", &editor, &gent, 200),
            ("editor", &editor, &gdpr, 200),
        ];
        for (who, client, doc, expected) in expectations {
            assert_eq!(
                status_of(client, &app, &doc.href()).await,
                expected,
                "{who} page {}",
                doc.title
            );
            assert_eq!(
                status_of(client, &app, &doc.file_href()).await,
                expected,
                "{who} file {}",
                doc.title
            );
        }
        // the 404 says nothing about the document
        let html = antwerpen
            .get(app.url(&gent.href()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!html.contains("Alleen Gent"));
        // and the page for Gent names who it is for
        let html = gent_member
            .get(app.url(&gent.href()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("Alleen Gent") && html.contains("Dit document is alleen voor Gent"),
            "{html}"
        );
        assert!(html.contains(&gent.file_href()));
    })
    .await;
}

#[tokio::test]
async fn downloads_are_attachments_that_never_run_in_the_site() {
    each_kb_app(|app, w| async move {
        let report = create(
            &w,
            fields("Jaarverslag"),
            Some(("Jaarverslag “2024” é.pdf", pdf("jaar"))),
        )
        .await;
        let notes = create(
            &w,
            DocumentFields {
                access: "organisatie".into(),
                access_organisation_id: Some(w.gent.clone()),
                ..fields("Notities")
            },
            Some((
                "notities.md",
                b"# Notities\n\n<script>alert(1)</script>".to_vec(),
            )),
        )
        .await;

        let response = app.get(&report.file_href()).await;
        assert_eq!(response.status(), 200);
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "application/pdf");
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(
            disposition.starts_with("attachment; filename=\""),
            "{disposition}"
        );
        assert!(
            disposition
                .contains("filename*=UTF-8''Jaarverslag%20%E2%80%9C2024%E2%80%9D%20%C3%A9.pdf"),
            "{disposition}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("sandbox") && csp.contains("default-src 'none'"),
            "{csp}"
        );
        assert!(headers["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("public"));
        assert_eq!(response.bytes().await.unwrap().to_vec(), pdf("jaar"));

        // Markdown is plain text, and a non-public file is not kept by shared caches
        let gent = browser(&app, Some(&w.gent_member)).await;
        let response = gent.get(app.url(&notes.file_href())).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "text/plain; charset=utf-8"
        );
        assert!(response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("private"));

        // a file stored as HTML (not through the form) is still never served as HTML
        let mut tx = w.db.begin().await.unwrap();
        let file_id = files::insert(
            &mut tx,
            "evil.html",
            "text/html",
            b"<script>alert(1)</script>",
            None,
        )
        .await
        .unwrap();
        sqlx::query("UPDATE kb_documents SET file_id = $1 WHERE id = $2")
            .bind(&file_id)
            .bind(&report.id)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let response = app.get(&report.file_href()).await;
        assert_eq!(
            response.headers()["content-type"],
            "application/octet-stream"
        );
        assert!(response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment"));
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Publicaties
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn publications_list_public_reports_and_publications_newest_first() {
    each_kb_app(|app, w| async move {
        let link = |title: &str, doc_type: &str, date: &str, access: &str| DocumentFields {
            doc_type: doc_type.into(),
            access: access.into(),
            doc_date: Some(date.into()),
            external_url: Some("https://www.vlaamsesteden.be/publicatie".into()),
            ..fields(title)
        };
        create(
            &w,
            link("Publicatie 2023", "publicatie", "2023-03-01", "publiek"),
            None,
        )
        .await;
        create(&w, fields("Rapport 2019"), Some(("r.pdf", pdf("r")))).await;
        sqlx::query("UPDATE kb_documents SET doc_date = '2019-06-01' WHERE title = 'Rapport 2019'")
            .execute(w.db.pool())
            .await
            .unwrap();
        create(
            &w,
            link("Rapport voor leden", "rapport", "2024-01-01", "leden"),
            None,
        )
        .await;
        create(
            &w,
            link("Een verslag", "verslag", "2024-01-01", "publiek"),
            None,
        )
        .await;

        let html = app.page("/publicaties").await;
        let newer = html.find("Publicatie 2023").expect("publication listed");
        let older = html.find("Rapport 2019").expect("report listed");
        assert!(newer < older, "newest first");
        assert!(
            html.find(">2023<").unwrap() < html.find(">2019<").unwrap(),
            "grouped by year"
        );
        assert!(
            !html.contains("Rapport voor leden"),
            "only public documents"
        );
        assert!(
            !html.contains("Een verslag"),
            "only reports and publications"
        );
        assert!(html.contains("rel=\"noopener noreferrer\""));
        assert_eq!(html.matches("<h1").count(), 1);
    })
    .await;
}
