//! After an event (slice S12), on both backends: the organiser records attendance; an
//! attendee downloads a certificate whose text `pdftotext` (poppler) reads back; the
//! participants export as CSV (semicolons, BOM, a formula defused) and as XLSX (read back with
//! calamine, the formula kept as text); the evaluation is mailed over SMTP, answered once
//! through its signed link, and its results show per question with a chart.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use steden_db::Db;
use steden_testkit::smtp::{parse_mime, Mode, SmtpServer};

use crate::common::{client_of, count, each_wg_app, get_as, post_as, TestApp};
use crate::registrations::{create_event, event_fields};

async fn register_anonymous(app: &TestApp, slug: &str, name: &str, email: &str, org: &str) {
    let client = TestApp::new_client();
    let page = format!("/werkgroepen/activiteiten/{slug}");
    let (status, body) = post_as(
        app,
        &client,
        &page,
        &format!("{page}/inschrijven"),
        &[
            ("name", name),
            ("email", email),
            ("organisation_text", org),
            ("v1", "geen"),
            ("v2", "Stad"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
}

async fn registration_id(db: &Db, email: &str) -> String {
    sqlx::query_scalar("SELECT id FROM wg_registrations WHERE email_norm = $1")
        .bind(email)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// Moves the event into the past (as if it took place), keeping its wall times consistent
/// enough for the pages.
async fn hold(db: &Db, slug: &str) {
    let now = steden_db::now_ms();
    sqlx::query(
        "UPDATE wg_events SET starts_at = $1, ends_at = $2, local_date = '2020-01-15' WHERE slug = $3",
    )
    .bind(now - 8 * 3_600_000)
    .bind(now - 3_600_000)
    .bind(slug)
    .execute(db.pool())
    .await
    .unwrap();
}

pub fn pdftotext(bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("wg-attest-{}", steden_db::new_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("attest.pdf");
    std::fs::write(&file, bytes).unwrap();
    let output = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(output.status.success(), "pdftotext failed");
    String::from_utf8(output.stdout).unwrap()
}

#[tokio::test]
async fn attendance_certificates_and_exports() {
    each_wg_app(|app, w| async move {
        let mut fields = event_fields("masterclass-renovatie", "10");
        fields.certificates = "1".into();
        fields.title = "Masterclass renovatiebeleid".into();
        create_event(&w, &fields).await;
        let slug = "masterclass-renovatie";
        register_anonymous(&app, slug, "Zoë Van Damme", "zoe@gent.be", "Stad Gent").await;
        register_anonymous(
            &app,
            slug,
            "Bert Boom",
            "bert@leuven.be",
            "=HYPERLINK(\"http://x\")",
        )
        .await;
        let zoe = registration_id(&w.db, "zoe@gent.be").await;
        let bert = registration_id(&w.db, "bert@leuven.be").await;

        let staff = client_of(&app, &w.staff).await;
        let member = client_of(&app, &w.gent_member).await;
        let attendance = format!("/werkgroepen/activiteiten/{slug}/aanwezigheid");
        let (status, _) = get_as(&app, &member, &attendance).await;
        assert_eq!(status, 403);
        // A stale list with an id of no registration of this event: refused, nothing written.
        let (status, body) = post_as(
            &app,
            &staff,
            &attendance,
            &attendance,
            &[("aanwezig", "onbekend")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(body.contains("Deze lijst is niet meer actueel"));
        assert_eq!(
            count(
                &w.db,
                "SELECT COUNT(*) FROM wg_registrations WHERE attended IS NOT NULL"
            )
            .await,
            0
        );
        let (status, _) = post_as(
            &app,
            &staff,
            &attendance,
            &attendance,
            &[("aanwezig", zoe.as_str())],
        )
        .await;
        assert_eq!(status, 303);

        // Zoë attended: her certificate reads back with her name, accents intact.
        let certificate = format!("/werkgroepen/activiteiten/{slug}/attest/{zoe}.pdf");
        let response = staff.get(app.url(&certificate)).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/pdf");
        let text = pdftotext(&response.bytes().await.unwrap());
        assert!(text.contains("Attest van deelname"), "{text}");
        assert!(text.contains("Zoë Van Damme"), "{text}");
        assert!(
            text.contains("Opleiding: Masterclass renovatiebeleid"),
            "{text}"
        );
        assert!(text.contains("dinsdag 15 juni 2055, 09:30-16:30"), "{text}");
        let issued = count(
            &w.db,
            "SELECT COUNT(*) FROM wg_registrations WHERE certificate_issued_at IS NOT NULL",
        )
        .await;
        assert_eq!(issued, 1);
        // Bert was absent: no certificate; others may not fetch Zoë's.
        let (status, _) = get_as(
            &app,
            &staff,
            &format!("/werkgroepen/activiteiten/{slug}/attest/{bert}.pdf"),
        )
        .await;
        assert_eq!(status, 404);
        let (status, _) = get_as(&app, &member, &certificate).await;
        assert_eq!(status, 403);

        // CSV: BOM, semicolons, the formula defused.
        let csv_path = format!("/werkgroepen/activiteiten/{slug}/deelnemers.csv");
        let (status, _) = get_as(&app, &member, &csv_path).await;
        assert_eq!(status, 403);
        let response = staff.get(app.url(&csv_path)).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let csv = response.text().await.unwrap();
        assert!(csv.starts_with('\u{feff}'), "BOM");
        let header = csv.lines().next().unwrap();
        assert!(
            header.contains("Naam;E-mailadres;Organisatie;Status"),
            "{header}"
        );
        assert!(
            csv.contains("Zoë Van Damme;zoe@gent.be;Stad Gent;Bevestigd"),
            "{csv}"
        );
        assert!(
            csv.contains(";ja;geen;Stad"),
            "attended and the answers: {csv}"
        );
        assert!(
            csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""),
            "defused: {csv}"
        );

        // XLSX: the same rows, the formula a plain string.
        let response = staff
            .get(app.url(&format!("/werkgroepen/activiteiten/{slug}/deelnemers.xlsx")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let bytes = response.bytes().await.unwrap().to_vec();
        let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
        let cell = |r: u32, c: u32| {
            sheet
                .get_value((r, c))
                .map(|v| v.to_string())
                .unwrap_or_default()
        };
        assert_eq!(cell(0, 0), "Naam");
        let rows: Vec<(String, String)> = (1..3).map(|r| (cell(r, 0), cell(r, 2))).collect();
        assert!(
            rows.contains(&("Zoë Van Damme".into(), "Stad Gent".into())),
            "{rows:?}"
        );
        assert!(
            rows.contains(&("Bert Boom".into(), "=HYPERLINK(\"http://x\")".into())),
            "{rows:?}"
        );
        let formulas = workbook
            .worksheet_formula(&workbook.sheet_names()[0])
            .unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "no formula cells"
        );
    })
    .await;
}

#[tokio::test]
async fn evaluation_by_mail_link_once_and_results_per_question() {
    each_wg_app(|app, w| async move {
        // One server per backend, so each run reads only its own mails.
        let smtp = SmtpServer::start(Mode::Accept).await;
        let smtp = &smtp;
        let slug = "studiedag-evaluatie";
        create_event(&w, &event_fields(slug, "10")).await;
        register_anonymous(&app, slug, "Anna Aalst", "anna@aalst.be", "Stad Aalst").await;
        register_anonymous(&app, slug, "Bram Brugge", "bram@brugge.be", "Stad Brugge").await;
        let staff = client_of(&app, &w.staff).await;
        let setup = format!("/werkgroepen/activiteiten/{slug}/evaluatie");
        let (status, _) = post_as(
            &app,
            &staff,
            &setup,
            &setup,
            &[(
                "eval_questions",
                "Hoe tevreden ben je over de inhoud?\nopen: Wat kan beter?",
            )],
        )
        .await;
        assert_eq!(status, 303);
        // Before the event: not yet.
        let send = format!("{setup}/versturen");
        let (status, body) = post_as(&app, &staff, &setup, &send, &[]).await;
        assert_eq!(status, 422);
        assert!(body.contains("De evaluatie kan pas na de activiteit verstuurd worden."));
        hold(&w.db, slug).await;
        let (status, _) = post_as(&app, &staff, &setup, &send, &[]).await;
        assert_eq!(status, 303);
        crate::events::run_mail_jobs(&w.db, smtp).await;
        let text = smtp
            .received()
            .into_iter()
            .filter(|m| m.recipients.iter().any(|r| r == "anna@aalst.be"))
            .map(|m| parse_mime(&m.data).find("text/plain").text())
            .find(|text| text.contains("/werkgroepen/evaluatie/"))
            .expect("the evaluation mail to Anna");
        let start = text.find("/werkgroepen/evaluatie/").expect("the link");
        let link = text[start..].split_whitespace().next().unwrap().to_string();

        let anna = TestApp::new_client();
        let (status, form) = get_as(&app, &anna, &link).await;
        assert_eq!(status, 200);
        assert!(
            form.contains("Hoe tevreden ben je over de inhoud?"),
            "{form}"
        );
        let questions: Vec<String> =
            sqlx::query_scalar("SELECT id FROM wg_eval_questions ORDER BY position")
                .fetch_all(w.db.pool())
                .await
                .unwrap();
        let scale = format!("q_{}", questions[0]);
        let open = format!("q_{}", questions[1]);
        // Off the scale: refused, nothing stored.
        let (status, body) = post_as(&app, &anna, &link, &link, &[(scale.as_str(), "9")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("Kies een waarde van 1 tot 5."));
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM wg_eval_responses").await,
            0
        );
        let (status, _) = post_as(
            &app,
            &anna,
            &link,
            &link,
            &[
                (scale.as_str(), "4"),
                (open.as_str(), "Meer voorbeelden uit de steden"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        // Twice (the form is gone; the token of another page of the session): refused with a
        // Dutch message, still one response.
        let (status, body) =
            post_as(&app, &anna, "/aanmelden", &link, &[(scale.as_str(), "1")]).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("Je vulde de evaluatie al in."));
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM wg_eval_responses").await,
            1
        );
        // A registration link is no evaluation link.
        let token = link.rsplit('/').next().unwrap();
        let (status, _) = get_as(&app, &anna, &format!("/werkgroepen/inschrijving/{token}")).await;
        assert_eq!(status, 400);

        let results = format!("{setup}/resultaten");
        let (status, page) = get_as(&app, &staff, &results).await;
        assert_eq!(status, 200);
        assert!(page.contains("Aantal ingevulde formulieren: 1"), "{page}");
        assert!(
            page.contains("<svg class=\"wg-bars\" role=\"img\""),
            "{page}"
        );
        assert!(
            page.contains("1: 0, 2: 0, 3: 0, 4: 1, 5: 0"),
            "the chart's text: {page}"
        );
        assert!(page.contains("Gemiddelde: 4,0"));
        assert!(page.contains("Meer voorbeelden uit de steden"));
        let member = client_of(&app, &w.gent_member).await;
        let (status, _) = get_as(&app, &member, &results).await;
        assert_eq!(status, 403);
    })
    .await;
}
