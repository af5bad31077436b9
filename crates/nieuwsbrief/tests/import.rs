//! Importing subscribers (design §3.6, issue 14 points 1 and 8), through the editors' form and
//! the job, on both backends: a CSV with bad lines gives the exact report; an XLSX written by
//! rust_xlsxwriter imports; a zip bomb is refused with its reason and nothing is written (by
//! the form, and by the job should one reach it); nobody becomes confirmed without a legal
//! basis and source, and the unconfirmed get the confirmation mail over SMTP; importing the
//! same file twice adds nothing; only editors may import.

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use steden_core::role::Role;
use steden_db::jobs::{Registry, WorkerOptions, WorkerPool};
use steden_db::Db;
use steden_nieuwsbrief::access;
use steden_nieuwsbrief::import::job::{self, Payload};
use steden_nieuwsbrief::import::source::FileKind;
use steden_nieuwsbrief::store::imports::{self, ImportStatus, NewImport};
use steden_testkit::people::{login, person};
use steden_testkit::smtp::{Mode, SmtpServer};

use crate::common::{count, csrf_token, each_nb_app, link, mails_to, send_mail, TestApp};

const BOUNDARY: &str = "----nieuwsbriefimport";
const FORM: &str = "/nieuwsbrief/beheer/import";

async fn editor(app: &TestApp, role: Role) {
    steden_core::org::seed_defaults(&app.db).await.unwrap();
    let kenniscentrum = access::kenniscentrum_id(&app.db).await.unwrap();
    let email = format!("{}@kenniscentrum.test", role.as_str());
    let someone = person(&app.db, &email, "Els Redacteur", &kenniscentrum, role).await;
    login(app, &someone).await;
}

/// A multipart body of `fields` and the file.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        write!(
            body,
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
        .unwrap();
    }
    if let Some((file_name, bytes)) = file {
        write!(
            body,
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .unwrap();
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{BOUNDARY}--\r\n").unwrap();
    body
}

async fn upload(
    app: &TestApp,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> reqwest::Response {
    let html = app.page(FORM).await;
    let token = csrf_token(&html).expect("the form has a CSRF token");
    app.client
        .post(app.url(&format!("{FORM}?_csrf={token}")))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(fields, file))
        .send()
        .await
        .unwrap()
}

/// Runs the import jobs until none is left.
async fn run_imports(db: &Db) {
    let mut registry = Registry::new();
    steden_nieuwsbrief::import::register_jobs(&mut registry);
    let pool = WorkerPool::start_with(
        db.clone(),
        Arc::new(registry),
        WorkerOptions {
            workers: 1,
            name: "nbimport".into(),
            poll_interval: Duration::from_millis(20),
            ..WorkerOptions::default()
        },
    );
    let deadline = Instant::now() + Duration::from_secs(900);
    while count(
        db,
        "SELECT COUNT(*) FROM jobs WHERE status NOT IN ('done', 'dead') AND kind = 'nieuwsbrief.import'",
    )
    .await
        > 0
    {
        assert!(Instant::now() < deadline, "the import jobs did not finish");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    pool.shutdown().await;
}

/// Uploads, expects the redirect to the import's page, runs the job; returns the page's path.
async fn import(app: &TestApp, fields: &[(&str, &str)], file: (&str, &[u8])) -> String {
    let response = upload(app, fields, Some(file)).await;
    assert_eq!(
        response.status().as_u16(),
        303,
        "{}",
        response.text().await.unwrap()
    );
    let location = response.headers()["location"].to_str().unwrap().to_string();
    run_imports(&app.db).await;
    location
}

async fn add_subscriber(db: &Db, email: &str, status: &str) {
    sqlx::query(
        "INSERT INTO nb_subscribers (id, email, name, language, status, created_at, updated_at)
         VALUES ($1, $2, '', 'nl', $3, 0, 0)",
    )
    .bind(steden_db::new_id())
    .bind(email)
    .bind(status)
    .execute(db.pool())
    .await
    .unwrap();
}

async fn status_of(db: &Db, email: &str) -> String {
    sqlx::query_scalar("SELECT status FROM nb_subscribers WHERE email = $1")
        .bind(email)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// `slug:status` of the address's subscriptions, sorted.
async fn lists_of(db: &Db, email: &str) -> Vec<String> {
    let mut rows: Vec<String> = sqlx::query_scalar(
        "SELECT l.slug || ':' || s.status FROM nb_subscriptions s
         JOIN nb_lists l ON l.id = s.list_id JOIN nb_subscribers b ON b.id = s.subscriber_id
         WHERE b.email = $1",
    )
    .bind(email)
    .fetch_all(db.pool())
    .await
    .unwrap();
    rows.sort();
    rows
}

const CONFIRMED: &[(&str, &str)] = &[
    ("lists", "algemeen"),
    ("confirmed", "1"),
    ("basis", "toestemming"),
    (
        "basis_text",
        "toestemming gegeven op de studiedag van 12 maart 2026",
    ),
    ("source", "inschrijvingslijst studiedag"),
];

#[tokio::test]
async fn a_csv_with_bad_lines_gives_the_exact_report() {
    each_nb_app(|app| async move {
        editor(&app, Role::Redacteur).await;
        add_subscriber(&app.db, "blok@gent.be", "geblokkeerd").await;
        add_subscriber(&app.db, "weg@gent.be", "afgemeld").await;
        add_subscriber(&app.db, "al@gent.be", "bevestigd").await;
        // Semicolons, Windows-1252 (the ï of Anaïs), a blank line, Dutch headers.
        let mut csv = b"E-mailadres;Naam;Taal;Lijsten\r\nan@gent.be;Ana\xefs;nl;klimaat\r\n".to_vec();
        csv.extend_from_slice(
            b"geen-adres;X;nl;\r\n AN@gent.be ;An;;\r\nblok@gent.be;;;\r\n\r\nweg@gent.be;;;\r\n\
              piet@gent.be;Piet;fr;\r\njos@gent.be;Jos;en;klimaat, sport\r\nal@gent.be;;;Smart Cities\r\n",
        );
        let page = import(&app, CONFIRMED, ("leden.csv", &csv)).await;

        let import_id = page.rsplit('/').next().unwrap();
        let import = imports::find(app.db.pool(), import_id).await.unwrap().unwrap();
        assert_eq!(import.status, ImportStatus::Klaar);
        assert_eq!((import.total, import.counts.created, import.counts.updated), (8, 1, 1));
        assert_eq!(import.counts.refused, 6);
        let refused: Vec<(i64, String, String, String)> = imports::refused_lines(app.db.pool(), import_id, 100)
            .await
            .unwrap()
            .into_iter()
            .map(|l| (l.line, l.email, l.reason, l.detail))
            .collect();
        let expected = [
            (3, "geen-adres", "ongeldig-adres", ""),
            (4, " AN@gent.be", "dubbel", ""),
            (5, "blok@gent.be", "blokkeerlijst", ""),
            (7, "weg@gent.be", "afgemeld", ""),
            (8, "piet@gent.be", "onbekende-taal", "fr"),
            (9, "jos@gent.be", "onbekende-lijst", "sport"),
        ];
        let expected: Vec<(i64, String, String, String)> = expected
            .iter()
            .map(|(n, e, r, d)| (*n, e.trim().to_string(), r.to_string(), d.to_string()))
            .collect();
        assert_eq!(refused, expected);

        // The page says it in Dutch.
        let html = app.page(&page).await;
        for text in [
            "ongeldig e-mailadres",
            "dubbel in het bestand",
            "staat op de blokkeerlijst",
            "meldde zich af",
            "onbekende taal",
            "onbekende lijst",
            "2 van 8 regels aanvaard",
            "toestemming gegeven op de studiedag",
        ] {
            assert!(html.contains(text), "{text} missing in {html}");
        }
        assert!(!html.contains("hx-get"), "a finished import stops polling");
        let report = app.get(&format!("{page}/rapport.csv")).await.text().await.unwrap();
        assert!(report.contains("9;jos@gent.be;onbekende lijst: sport"), "{report}");

        // Confirmed with the basis; the consent row says where from and on what basis.
        assert_eq!(status_of(&app.db, "an@gent.be").await, "bevestigd");
        assert_eq!(
            lists_of(&app.db, "an@gent.be").await,
            ["algemeen:actief", "klimaat:actief"]
        );
        let (source, basis): (String, String) = sqlx::query_as(
            "SELECT c.source, c.legal_basis FROM nb_consents c JOIN nb_subscribers s
             ON s.id = c.subscriber_id WHERE s.email = 'an@gent.be' AND c.kind = 'import'",
        )
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!(source, "import:leden.csv");
        assert_eq!(
            basis,
            "toestemming: toestemming gegeven op de studiedag van 12 maart 2026; bron: inschrijvingslijst studiedag"
        );
        let name: String = sqlx::query_scalar("SELECT name FROM nb_subscribers WHERE email = 'an@gent.be'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(name, "Anaïs");
        // A confirmed subscriber gets the lists added: one row, no duplicate.
        assert_eq!(
            lists_of(&app.db, "al@gent.be").await,
            ["algemeen:actief", "smart-cities:actief"]
        );
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM nb_subscribers").await, 4);
        // Blocked and unsubscribed stay as they were; nobody confirmed is mailed.
        assert_eq!(status_of(&app.db, "weg@gent.be").await, "afgemeld");
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM mail_outbox").await, 0);
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'nb_import'").await,
            2
        );
        // The uploaded bytes are gone once the report is written.
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM nb_import_pieces").await, 0);
    })
    .await;
}

#[tokio::test]
async fn confirmed_only_with_a_legal_basis_and_a_source() {
    each_nb_app(|app| async move {
        let smtp = SmtpServer::start(Mode::Accept).await;
        editor(&app, Role::Redacteur).await;
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (r, row) in [
            ["email", "name", "language", "lists"],
            ["lien@leuven.be", "Lien", "en", "obmi"],
            ["kapot", "", "", ""],
        ]
        .iter()
        .enumerate()
        {
            for (c, cell) in row.iter().enumerate() {
                sheet
                    .write_string(r as u32 + 2, c as u16 + 1, *cell)
                    .unwrap();
            }
        }
        let xlsx = workbook.save_to_buffer().unwrap();

        // "Bevestigd importeren" without basis, explanation and source: refused, nothing kept.
        let response = upload(
            &app,
            &[("lists", "algemeen"), ("confirmed", "1")],
            Some(("lijst.xlsx", &xlsx)),
        )
        .await;
        assert_eq!(response.status().as_u16(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("error-summary"), "{html}");
        assert!(html.contains("Kies de rechtsgrond"), "{html}");
        assert!(html.contains("Vul de bron in"), "{html}");
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM nb_imports").await, 0);

        // Without "bevestigd": imported as unconfirmed, with the confirmation mail.
        let page = import(&app, &[("lists", "algemeen")], ("lijst.xlsx", &xlsx)).await;
        let html = app.page(&page).await;
        assert!(html.contains("1 van 2 regels aanvaard"), "{html}");
        // Rows as the spreadsheet numbers them: the header is on row 3.
        let refused = imports::refused_lines(app.db.pool(), page.rsplit('/').next().unwrap(), 10)
            .await
            .unwrap();
        assert_eq!(
            (refused[0].line, refused[0].reason.as_str()),
            (5, "ongeldig-adres")
        );
        assert_eq!(status_of(&app.db, "lien@leuven.be").await, "onbevestigd");
        assert_eq!(
            lists_of(&app.db, "lien@leuven.be").await,
            ["algemeen:aangevraagd", "obmi:aangevraagd"]
        );
        let basis: Option<String> =
            sqlx::query_scalar("SELECT legal_basis FROM nb_consents WHERE kind = 'import'")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(basis, None);

        send_mail(&app.db, &smtp).await;
        let mails = mails_to(&smtp, "lien@leuven.be");
        assert_eq!(mails.len(), 1);
        assert!(mails[0].0.contains("Confirm"), "in English: {}", mails[0].0);
        let confirm = link(&mails[0].1, "/nieuwsbrief/bevestigen/").expect("the link");
        let reader = TestApp::new_client();
        let form = reader
            .get(app.url(&confirm))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = csrf_token(&form).unwrap();
        let done = reader
            .post(app.url(&confirm))
            .form(&[("_csrf", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(done.status().as_u16(), 200);
        assert_eq!(status_of(&app.db, "lien@leuven.be").await, "bevestigd");
    })
    .await;
}

/// A zip of one sheet that unpacks to 60 MB of spaces (a few dozen kB packed).
fn zip_bomb() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(b"<Types/>").unwrap();
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let spaces = vec![b' '; 1024 * 1024];
    for _ in 0..60 {
        zip.write_all(&spaces).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[tokio::test]
async fn a_zip_bomb_is_refused_and_nothing_is_written() {
    each_nb_app(|app| async move {
        editor(&app, Role::Redacteur).await;
        let bomb = zip_bomb();
        assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
        let response = upload(&app, &[("lists", "algemeen")], Some(("bom.xlsx", &bomb))).await;
        assert_eq!(response.status().as_u16(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("zip-bom"), "{html}");
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM nb_imports").await, 0);

        // Should one reach the job (stored by another way), the job refuses it as well.
        let mut tx = app.db.begin().await.unwrap();
        let id = imports::create(
            &mut tx,
            &NewImport {
                file_name: "bom.xlsx",
                kind: Some(FileKind::Xlsx),
                lists: &["algemeen".to_string()],
                ..NewImport::default()
            },
            &bomb,
            0,
        )
        .await
        .unwrap();
        let payload = Payload {
            import_id: id.clone(),
            base_url: app.base.clone(),
        };
        job::queue(&mut tx, &payload, None).await.unwrap();
        tx.commit().await.unwrap();
        run_imports(&app.db).await;
        let import = imports::find(app.db.pool(), &id).await.unwrap().unwrap();
        assert_eq!(import.status, ImportStatus::Mislukt);
        assert!(import.error.unwrap().contains("zip-bom"));
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM nb_subscribers").await,
            0
        );
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM nb_import_pieces").await,
            0
        );

        // A CSV over the line limit is refused on the form too.
        let mut long = String::from("email\n");
        long.push_str(&"x".repeat(11 * 1024));
        let response = upload(&app, &[], Some(("lang.csv", long.as_bytes()))).await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(response.text().await.unwrap().contains("langer dan 10 kB"));
    })
    .await;
}

#[tokio::test]
async fn importing_the_same_file_twice_adds_nothing() {
    each_nb_app(|app| async move {
        let smtp = SmtpServer::start(Mode::Accept).await;
        editor(&app, Role::Redacteur).await;
        let csv = b"email,naam\nmia@brugge.be,Mia\nbo@brugge.be,Bo\nmia@brugge.be,Mia\n";
        import(
            &app,
            &[("lists", "algemeen"), ("lists", "klimaat")],
            ("a.csv", csv),
        )
        .await;
        let rows = |table: &'static str| {
            let db = app.db.clone();
            async move { count(&db, &format!("SELECT COUNT(*) FROM {table}")).await }
        };
        let before = (
            rows("nb_subscribers").await,
            rows("nb_subscriptions").await,
            rows("nb_consents").await,
            rows("mail_outbox").await,
        );
        assert_eq!(before, (2, 4, 2, 2));
        let page = import(
            &app,
            &[("lists", "algemeen"), ("lists", "klimaat")],
            ("a.csv", csv),
        )
        .await;
        let after = (
            rows("nb_subscribers").await,
            rows("nb_subscriptions").await,
            rows("nb_consents").await,
            rows("mail_outbox").await,
        );
        assert_eq!(after, before);
        let second = imports::find(app.db.pool(), page.rsplit('/').next().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!((second.counts.unchanged, second.counts.refused), (2, 1));
        send_mail(&app.db, &smtp).await;
        assert_eq!(mails_to(&smtp, "mia@brugge.be").len(), 1);
    })
    .await;
}

#[tokio::test]
async fn only_editors_import() {
    each_nb_app(|app| async move {
        let anonymous = app.get(FORM).await;
        assert_eq!(anonymous.status().as_u16(), 303);
        editor(&app, Role::Lid).await;
        assert_eq!(app.get(FORM).await.status().as_u16(), 403);
        // The POST is refused before its body is read (the CSRF token of another page).
        let html = app.page("/nieuwsbrief").await;
        let token = csrf_token(&html).unwrap();
        let response = app
            .client
            .post(app.url(&format!("{FORM}?_csrf={token}")))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(multipart(
                &[("lists", "algemeen")],
                Some(("a.csv", b"email\na@b.be\n")),
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 403);
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM nb_imports").await, 0);
    })
    .await;
}

#[tokio::test]
async fn a_retry_resumes_after_the_last_written_batch() {
    each_nb_app(|app| async move {
        // 1,200 addresses, the last a copy of the first.
        let mut csv = String::from("email\n");
        for n in 0..1_199 {
            csv.push_str(&format!("lezer{n}@example.org\n"));
        }
        csv.push_str("lezer0@example.org\n");
        let mut tx = app.db.begin().await.unwrap();
        let id = imports::create(
            &mut tx,
            &NewImport {
                file_name: "groot.csv",
                kind: Some(FileKind::Csv),
                lists: &["algemeen".to_string()],
                ..NewImport::default()
            },
            csv.as_bytes(),
            0,
        )
        .await
        .unwrap();
        let payload = Payload {
            import_id: id.clone(),
            base_url: app.base.clone(),
        };
        job::queue(&mut tx, &payload, None).await.unwrap();
        // As if an earlier attempt wrote the first batch of 500 lines, then failed.
        sqlx::query("UPDATE nb_imports SET processed = 500, status = 'bezig' WHERE id = $1")
            .bind(&id)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        run_imports(&app.db).await;

        let import = imports::find(app.db.pool(), &id).await.unwrap().unwrap();
        assert_eq!(import.status, ImportStatus::Klaar);
        assert_eq!((import.total, import.processed), (1_200, 1_200));
        // Lines 502 to 1201 only; the copy of line 2 is still known as a duplicate.
        assert_eq!((import.counts.created, import.counts.refused), (699, 1));
        let refused = imports::refused_lines(app.db.pool(), &id, 10)
            .await
            .unwrap();
        assert_eq!(
            (refused[0].line, refused[0].reason.as_str()),
            (1_201, "dubbel")
        );
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM nb_subscribers").await,
            699
        );
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM nb_subscribers WHERE email = 'lezer499@example.org'"
            )
            .await,
            0
        );
        let progress: (Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT progress_done, progress_total FROM jobs WHERE kind = 'nieuwsbrief.import'",
        )
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!(progress, (Some(1_200), Some(1_200)));
    })
    .await;
}
