//! Bulk import (issue 10, point 14): a folder or zip of documents with a CSV of metadata,
//! idempotent on re-run, one transaction per line, hostile zips refused; and the web page
//! that uploads a zip, runs the job and shows the report. On SQLite, and on PostgreSQL when
//! TEST_DATABASE_URL is set.

use crate::common;

use std::io::{Cursor, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use common::{each_kb_app, each_kb_db, login, World};
use steden_db::jobs::{Registry, WorkerPool};
use steden_db::Db;
use steden_kennisbank::bulk::{self, Batch, Limits, LineReport, Outcome, Source};
use steden_kennisbank::model::Access;
use steden_kennisbank::store::{documents, files};
use zip::write::SimpleFileOptions;

fn md(text: &str) -> Vec<u8> {
    format!("# {text}\n\nTekst over {text}.\n").into_bytes()
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, content) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

async fn count(db: &Db, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// Rows that a refused line must not leave behind.
async fn footprint(db: &Db) -> [i64; 4] {
    [
        count(db, "kb_documents").await,
        count(db, "kb_files").await,
        count(db, "kb_import_keys").await,
        count(db, "audit_log").await,
    ]
}

async fn import_folder(db: &Db, dir: &Path, csv: Option<&str>) -> Vec<LineReport> {
    let batch = Batch::prepare(
        Source::folder(dir).unwrap(),
        csv.map(|c| c.as_bytes().to_vec()),
        Limits::default(),
    )
    .unwrap();
    bulk::run(db, batch, &steden_core::audit::AuditActor::system())
        .await
        .unwrap()
}

fn outcomes(lines: &[LineReport]) -> Vec<(usize, Outcome)> {
    lines.iter().map(|l| (l.line, l.outcome)).collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

const CSV: &str = "bestand;webadres;sleutel;titel;soort;toegang;organisaties;datum;themas\n\
    klimaat.md;;;Klimaatplan van de steden;rapport;publiek;Gent, antwerpen;12/03/2019;klimaat, water\n\
    sub/leefloon.md;;LF-1;Leefloon in de centrumsteden;nota;leden;;;\n\
    sub/leefloon2.md;;LF-2;Leefloon, tweede deel;rapport;leden;;;\n\
    ;https://www.vlaamsesteden.be/dossier;;Dossier op de website;;publiek;;;\n\
    ../../etc/passwd;;;Uitbraak;rapport;publiek;;;\n\
    ontbreekt.md;;;Bestaat niet;rapport;publiek;;;\n\
    sub/leefloon2.md;;;Zonder sleutel;rapport;leden;Nergensstad;;\n\
    evil.html;;;Script;rapport;publiek;;;\n";

#[tokio::test]
async fn a_folder_with_a_csv_is_imported_once_and_updated_when_a_line_changes() {
    each_kb_db(|w: World| async move {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "klimaat.md", &md("klimaat"));
        write(dir.path(), "sub/leefloon.md", &md("leefloon"));
        write(dir.path(), "sub/leefloon2.md", &md("leefloon twee"));
        write(dir.path(), "evil.html", b"<script>alert(1)</script>");
        let before = footprint(&w.db).await;

        let lines = import_folder(&w.db, dir.path(), Some(CSV)).await;
        assert_eq!(
            outcomes(&lines),
            vec![
                (2, Outcome::Aangemaakt),
                (3, Outcome::Geweigerd), // soort "nota" does not exist
                (4, Outcome::Aangemaakt),
                (5, Outcome::Aangemaakt),
                (6, Outcome::Geweigerd), // traversal
                (7, Outcome::Geweigerd), // missing file
                (8, Outcome::Geweigerd), // unknown organisation
                (9, Outcome::Geweigerd), // HTML is never a document
            ],
            "{lines:#?}"
        );
        let reason = |n: usize| {
            lines
                .iter()
                .find(|l| l.line == n)
                .unwrap()
                .reason
                .clone()
                .unwrap()
        };
        assert!(
            reason(3).starts_with("soort: Kies het soort document."),
            "{}",
            reason(3)
        );
        assert!(
            reason(6).contains("Onveilige bestandsnaam"),
            "{}",
            reason(6)
        );
        assert!(reason(7).contains("bestaat niet"), "{}", reason(7));
        assert!(
            reason(8).contains("Onbekende organisatie ‘Nergensstad’"),
            "{}",
            reason(8)
        );
        assert!(reason(9).starts_with("bestand:"), "{}", reason(9));
        // Only the three good lines wrote anything: three documents, two files, three keys.
        let after = footprint(&w.db).await;
        assert_eq!(after[0] - before[0], 3);
        assert_eq!(after[1] - before[1], 2);
        assert_eq!(after[2] - before[2], 3);
        assert_eq!(after[3] - before[3], 3, "one audit entry per document");

        let klimaat = documents::get(w.db.pool(), lines[0].document_id.as_ref().unwrap())
            .await
            .unwrap();
        assert_eq!(klimaat.title, "Klimaatplan van de steden");
        assert_eq!(klimaat.access, Access::Publiek);
        assert_eq!(klimaat.doc_date.as_deref(), Some("2019-03-12"));
        assert_eq!(klimaat.period.as_deref(), Some("2017-2021"));
        assert_eq!(klimaat.themes, vec!["klimaat", "water"]);
        assert_eq!(
            klimaat.organisations,
            vec![w.gent.clone(), w.antwerpen.clone()]
        );
        assert!(lines[0].key.as_deref().unwrap().starts_with("sha256:"));
        assert_eq!(lines[2].key.as_deref(), Some("sleutel:LF-2"));
        let link = documents::get(w.db.pool(), lines[3].document_id.as_ref().unwrap())
            .await
            .unwrap();
        assert!(link.is_link());
        assert_eq!(
            lines[3].key.as_deref(),
            Some("webadres:https://www.vlaamsesteden.be/dossier")
        );

        // The same run again: nothing written, the refused lines refused again.
        let again = import_folder(&w.db, dir.path(), Some(CSV)).await;
        let expect: Vec<_> = outcomes(&lines)
            .into_iter()
            .map(|(n, o)| {
                (
                    n,
                    if o == Outcome::Geweigerd {
                        o
                    } else {
                        Outcome::Ongewijzigd
                    },
                )
            })
            .collect();
        assert_eq!(outcomes(&again), expect);
        assert_eq!(footprint(&w.db).await, after);
        for (first, second) in lines.iter().zip(&again) {
            assert_eq!(first.document_id, second.document_id);
        }

        // A changed line (title) and a changed file under the same key: both "bijgewerkt".
        write(
            dir.path(),
            "sub/leefloon2.md",
            &md("leefloon twee, herzien"),
        );
        let changed = CSV.replace("Klimaatplan van de steden", "Klimaatplan 2019");
        let third = import_folder(&w.db, dir.path(), Some(&changed)).await;
        assert_eq!(third[0].outcome, Outcome::Bijgewerkt);
        assert_eq!(third[2].outcome, Outcome::Bijgewerkt);
        assert_eq!(third[3].outcome, Outcome::Ongewijzigd);
        assert_eq!(third[0].document_id, lines[0].document_id);
        let klimaat = documents::get(w.db.pool(), lines[0].document_id.as_ref().unwrap())
            .await
            .unwrap();
        assert_eq!(klimaat.title, "Klimaatplan 2019");
        let leefloon = documents::get(w.db.pool(), lines[2].document_id.as_ref().unwrap())
            .await
            .unwrap();
        let file = files::find(w.db.pool(), leefloon.file_id.as_ref().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            file.sha256,
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(md(
                "leefloon twee, herzien"
            )))
        );
        assert_eq!(
            count(&w.db, "kb_documents").await,
            after[0],
            "no new documents"
        );

        // A deleted document comes back on the next run.
        let mut tx = w.db.begin().await.unwrap();
        documents::delete(
            &mut tx,
            lines[3].document_id.as_ref().unwrap(),
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let fourth = import_folder(&w.db, dir.path(), Some(&changed)).await;
        assert_eq!(fourth[3].outcome, Outcome::Aangemaakt);
        assert_ne!(fourth[3].document_id, lines[3].document_id);
    })
    .await;
}

#[tokio::test]
async fn without_a_csv_every_file_is_a_members_only_document() {
    each_kb_db(|w: World| async move {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "jaarverslag_2019.md", &md("jaarverslag"));
        write(dir.path(), "b/nota.md", &md("nota"));
        write(dir.path(), ".verborgen.md", &md("verborgen"));
        let lines = import_folder(&w.db, dir.path(), None).await;
        assert_eq!(
            outcomes(&lines),
            vec![(1, Outcome::Aangemaakt), (2, Outcome::Aangemaakt)]
        );
        assert_eq!(lines[0].file.as_deref(), Some("b/nota.md"));
        assert_eq!(lines[1].title, "jaarverslag 2019");
        let doc = documents::get(w.db.pool(), lines[1].document_id.as_ref().unwrap())
            .await
            .unwrap();
        assert_eq!(doc.access, Access::Leden);
        // metadata.csv in the folder is used when no CSV is given.
        write(
            dir.path(),
            "metadata.csv",
            b"bestand,titel,toegang\njaarverslag_2019.md,Jaarverslag 2019,publiek\n",
        );
        let lines = import_folder(&w.db, dir.path(), None).await;
        assert_eq!(outcomes(&lines), vec![(2, Outcome::Bijgewerkt)]);
    })
    .await;
}

#[tokio::test]
async fn a_zip_is_imported_and_hostile_entries_are_refused() {
    each_kb_db(|w: World| async move {
        let bomb = vec![0u8; 26 * 1024 * 1024];
        let archive = zip_of(&[
            ("documenten/a.md", &md("alfa")),
            ("documenten/b.md", &md("beta")),
            ("../../buiten.md", &md("buiten")),
            ("bom.md", &bomb),
            (
                "metadata.csv",
                b"bestand;titel;toegang\n\
                  documenten/a.md;Alfa;publiek\n\
                  documenten/b.md;Beta;leden\n\
                  bom.md;Bom;publiek\n\
                  ../../buiten.md;Buiten;publiek\n",
            ),
        ]);
        assert!(archive.len() < 200 * 1024, "the bomb is small packed");
        let before = footprint(&w.db).await;
        let source = Source::zip(archive.clone(), &Limits::default()).unwrap();
        let batch = Batch::prepare(source, None, Limits::default()).unwrap();
        let lines = bulk::run(&w.db, batch, &w.editor.audit()).await.unwrap();
        assert_eq!(
            outcomes(&lines),
            vec![
                (0, Outcome::Geweigerd), // the traversing entry itself
                (2, Outcome::Aangemaakt),
                (3, Outcome::Aangemaakt),
                (4, Outcome::Geweigerd),
                (5, Outcome::Geweigerd),
            ],
            "{lines:#?}"
        );
        assert!(lines[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("Onveilige bestandsnaam"));
        assert!(lines[3]
            .reason
            .as_deref()
            .unwrap()
            .contains("groter dan 25 MB"));
        assert!(lines[4]
            .reason
            .as_deref()
            .unwrap()
            .contains("Onveilige bestandsnaam"));
        let after = footprint(&w.db).await;
        assert_eq!(after[0] - before[0], 2);

        // Again: unchanged.
        let source = Source::zip(archive, &Limits::default()).unwrap();
        let batch = Batch::prepare(source, None, Limits::default()).unwrap();
        let again = bulk::run(&w.db, batch, &w.editor.audit()).await.unwrap();
        assert_eq!(again[1].outcome, Outcome::Ongewijzigd);
        assert_eq!(again[2].outcome, Outcome::Ongewijzigd);
        assert_eq!(footprint(&w.db).await, after);
    })
    .await;
}

#[tokio::test]
async fn zips_that_claim_too_much_are_refused_before_their_directory_is_read() {
    // More entries than allowed.
    let many: Vec<(String, Vec<u8>)> = (0..12).map(|i| (format!("{i}.md"), md("x"))).collect();
    let entries: Vec<(&str, &[u8])> = many
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let limits = Limits {
        max_entries: 10,
        ..Limits::default()
    };
    let err = Source::zip(zip_of(&entries), &limits).err().unwrap();
    assert!(err.to_string().contains("meer dan 10 bestanden"), "{err}");
    // An end record claiming 65,535 entries (a directory that would take memory to read).
    let mut fake = b"PK\x05\x06\0\0\0\0\xff\xff\xff\xff".to_vec();
    fake.extend_from_slice(&(64u32 * 1024 * 1024).to_le_bytes());
    fake.extend_from_slice(&[0; 6]);
    assert!(Source::zip(fake, &Limits::default()).is_err());
    assert!(Source::zip(b"geen zip".to_vec(), &Limits::default()).is_err());

    // A zip whose entry declares 100 bytes but inflates to 30 MB: stopped while inflating
    // (by the zip reader at the declared size, else by our counter at 25 MB).
    let archive = zip_of(&[("klein.md", &vec![b'a'; 30 * 1024 * 1024])]);
    let archive = lie_about_size(archive, 100);
    let mut source = Source::zip(archive, &Limits::default()).unwrap();
    let err = source.read("klein.md", &Limits::default()).unwrap_err();
    assert!(err.contains("zip-bom"), "{err}");
    // Declaring 30 MB truthfully: refused before inflating, by the declared size.
    let archive = zip_of(&[("groot.md", &vec![b'a'; 30 * 1024 * 1024])]);
    let mut source = Source::zip(archive, &Limits::default()).unwrap();
    let err = source.read("groot.md", &Limits::default()).unwrap_err();
    assert!(err.contains("groter dan 25 MB"), "{err}");
    // Declaring 20 MB but inflating to 30 MB: our counter stops it at 25 MB.
    let archive = zip_of(&[("half.md", &vec![b'a'; 30 * 1024 * 1024])]);
    let archive = lie_about_size(archive, 20 * 1024 * 1024);
    let mut source = Source::zip(archive, &Limits::default()).unwrap();
    let err = source.read("half.md", &Limits::default()).unwrap_err();
    assert!(
        err.contains("zip-bom") || err.contains("groter dan 25 MB"),
        "{err}"
    );
}

/// Sets the uncompressed size of every entry, in its local header and in the central
/// directory, to `size` (a zip that lies about what it inflates to).
fn lie_about_size(mut bytes: Vec<u8>, size: u32) -> Vec<u8> {
    let patch = |bytes: &mut Vec<u8>, signature: &[u8], offset: usize| {
        let mut at = 0;
        while let Some(pos) = bytes[at..].windows(4).position(|w| w == signature) {
            let start = at + pos + offset;
            bytes[start..start + 4].copy_from_slice(&size.to_le_bytes());
            at = at + pos + 4;
        }
    };
    patch(&mut bytes, b"PK\x03\x04", 22);
    patch(&mut bytes, b"PK\x01\x02", 24);
    bytes
}

#[tokio::test]
async fn the_web_page_uploads_a_zip_runs_the_job_and_shows_the_report() {
    each_kb_app(|app, w| async move {
        let mut app = app;
        login(&app, &w.editor).await;
        let page = app.page("/beheer/kennisbank/import").await;
        let token = upload_token(&page);
        let archive = zip_of(&[("a.md", &md("alfa")), ("b.md", &md("beta"))]);
        let csv =
            "bestand;titel;soort;toegang\na.md;Alfa;rapport;publiek\nb.md;Beta;onzin;publiek\n";
        // Without the CSRF token: refused before anything is stored.
        let refused = post(&app, "", &archive, csv).await;
        assert_eq!(refused.status(), 403);
        assert_eq!(count(&w.db, "kb_imports").await, 0);

        let response = post(&app, &token, &archive, csv).await;
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        assert!(
            location.starts_with("/beheer/kennisbank/import/"),
            "{location}"
        );
        let pieces = count(&w.db, "kb_import_pieces").await;
        assert_eq!(pieces, 2, "zip and CSV stored in the database");
        let waiting = app.page(&location).await;
        assert!(
            waiting.contains("Vernieuwen"),
            "a refresh link without JavaScript"
        );

        let mut registry = Registry::new();
        bulk::job::register(&mut registry);
        let pool = WorkerPool::start(w.db.clone(), Arc::new(registry), 1, "bulk-test");
        let mut done = false;
        for _ in 0..200 {
            let status: String = sqlx::query_scalar("SELECT status FROM kb_imports")
                .fetch_one(w.db.pool())
                .await
                .unwrap();
            if status == "klaar" {
                done = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        pool.shutdown().await;
        assert!(done, "the job finished");
        assert_eq!(count(&w.db, "kb_import_pieces").await, 0, "upload removed");

        let report = app.page(&location).await;
        assert!(
            report.contains("1 aangemaakt, 0 bijgewerkt, 0 ongewijzigd, 1 geweigerd"),
            "{report}"
        );
        assert!(report.contains("Kies het soort document."));
        let csv_report = app.get(&format!("{location}/rapport.csv")).await;
        assert_eq!(csv_report.status(), 200);
        assert!(csv_report.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("rapport.csv"));
        let text = csv_report.text().await.unwrap();
        assert!(
            text.contains("regel;resultaat;sleutel;bestand;titel;document;reden"),
            "{text}"
        );
        assert!(text.contains("3;geweigerd;"), "{text}");

        // Readers (not editors) may neither see nor start imports.
        app.client = common::TestApp::new_client();
        login(&app, &w.kc_reader).await;
        assert_eq!(app.get("/beheer/kennisbank/import").await.status(), 403);
        assert_eq!(app.get(&location).await.status(), 403);
        let page = app.page("/kennisbank").await;
        let token = common::csrf_token(&page).unwrap_or_default();
        assert_eq!(post(&app, &token, &archive, csv).await.status(), 403);
        assert_eq!(count(&w.db, "kb_imports").await, 1);
    })
    .await;
}

/// Runs the import jobs until the import is no longer waiting or running.
async fn run_jobs(db: &Db) -> String {
    let mut registry = Registry::new();
    bulk::job::register(&mut registry);
    let pool = WorkerPool::start(db.clone(), Arc::new(registry), 1, "bulk-test");
    let mut status = String::new();
    for _ in 0..200 {
        status = sqlx::query_scalar("SELECT status FROM kb_imports")
            .fetch_one(db.pool())
            .await
            .unwrap();
        if status == "klaar" || status == "mislukt" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    pool.shutdown().await;
    status
}

#[tokio::test]
async fn an_editor_who_lost_the_role_before_the_job_ran_imports_nothing() {
    each_kb_app(|app, w| async move {
        login(&app, &w.editor).await;
        let page = app.page("/beheer/kennisbank/import").await;
        let archive = zip_of(&[("a.md", &md("alfa"))]);
        let response = post(&app, &upload_token(&page), &archive, "bestand\na.md\n").await;
        assert_eq!(response.status(), 303);
        let mut tx = w.db.begin().await.unwrap();
        steden_core::membership::set_role(
            &mut tx,
            &w.editor.id,
            &w.kenniscentrum,
            steden_core::role::Role::Lezer,
            &steden_core::audit::AuditActor::system(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let before = count(&w.db, "kb_documents").await;
        assert_eq!(run_jobs(&w.db).await, "mislukt");
        assert_eq!(count(&w.db, "kb_documents").await, before);
        let error: Option<String> = sqlx::query_scalar("SELECT error FROM kb_imports")
            .fetch_one(w.db.pool())
            .await
            .unwrap();
        assert!(error.unwrap().contains("geen redacteur"));
    })
    .await;
}

const BOUNDARY: &str = "----bulkimporttestgrens";

fn upload_token(html: &str) -> String {
    let marker = "?_csrf=";
    let at = html.find(marker).unwrap();
    let rest = &html[at + marker.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

async fn post(app: &common::TestApp, token: &str, archive: &[u8], csv: &str) -> reqwest::Response {
    let mut body = Vec::new();
    for (name, filename, bytes) in [
        ("archief", "documenten.zip", archive),
        ("csv", "gegevens.csv", csv.as_bytes()),
    ] {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let query = if token.is_empty() {
        String::new()
    } else {
        format!("?_csrf={token}")
    };
    app.client
        .post(app.url(&format!("/beheer/kennisbank/import{query}")))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("origin", app.url(""))
        .body(body)
        .send()
        .await
        .unwrap()
}
