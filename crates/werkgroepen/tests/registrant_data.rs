//! The "my data" link of registrants without an account (issue 13 point 8), on both backends:
//! the link in the real confirmation mail (over the test SMTP server) opens everything held for
//! that registration's address — registrations with answers, attendance, evaluation answers,
//! certificates, mails — without setting a cookie, and downloads it as JSON; another
//! registrant's data never shows; a forged link gets 400 and an expired one 410 on the Dutch
//! link-error page; the request form answers the same for every address, mails a fresh link
//! only to an address with registrations, and stops mailing past its limit.

use std::collections::BTreeMap;

use serde_json::Value;
use steden_db::{now_ms, Db};
use steden_testkit::smtp::{parse_mime, Mode, SmtpServer};
use steden_werkgroepen::signed_link::{self, LinkKind};
use steden_werkgroepen::store::{attendance, evaluations};

use crate::common::{count, each_wg_app, get_as, post_as, TestApp, World};
use crate::registrations::{create_event, event_fields};

const LINK: &str = "/werkgroepen/mijn-gegevens/link/";
const REQUEST: &str = "/werkgroepen/mijn-gegevens";

/// Registers through the public form, without logging in.
async fn register(app: &TestApp, slug: &str, name: &str, email: &str, diet: &str) {
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
            ("organisation_text", "Stad Aalst"),
            ("v1", diet),
            ("v2", "Stad"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
}

async fn registration_of(db: &Db, event: &str, email: &str) -> String {
    sqlx::query_scalar("SELECT id FROM wg_registrations WHERE event_id = $1 AND email_norm = $2")
        .bind(event)
        .bind(email)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// The plain text of every mail to `to`.
fn mails_to(smtp: &SmtpServer, to: &str) -> Vec<String> {
    smtp.received()
        .into_iter()
        .filter(|m| m.recipients.iter().any(|r| r == to))
        .map(|m| parse_mime(&m.data).find("text/plain").text())
        .collect()
}

/// The path of the first data link in `text`.
fn data_link(text: &str) -> Option<String> {
    let start = text.find(LINK)?;
    Some(text[start..].split_whitespace().next().unwrap().to_string())
}

/// The event moved into the past, its attendance recorded (`present` attended, with a
/// certificate), and an evaluation answered by `answered`.
async fn after_the_event(w: &World, event: &str, present: &str, answered: &str, answer: &str) {
    let now = now_ms();
    sqlx::query("UPDATE wg_events SET starts_at = $1, ends_at = $2 WHERE id = $3")
        .bind(now - 8 * 3_600_000)
        .bind(now - 3_600_000)
        .bind(event)
        .execute(w.db.pool())
        .await
        .unwrap();
    let mut tx = w.db.begin().await.unwrap();
    attendance::record(&mut tx, event, &[present.to_string()], &w.staff.audit())
        .await
        .unwrap();
    attendance::mark_certificate_issued(&mut tx, present)
        .await
        .unwrap();
    evaluations::set_questions(&mut tx, event, "open: Wat nam je mee?", &w.staff.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let question = evaluations::questions(w.db.pool(), event).await.unwrap()[0]
        .id
        .clone();
    let mut tx = w.db.begin().await.unwrap();
    let fields = BTreeMap::from([(format!("q_{question}"), answer.to_string())]);
    evaluations::submit(&mut tx, event, answered, &fields)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

fn len(json: &Value, key: &str) -> usize {
    json[key].as_array().map_or(0, Vec::len)
}

/// `<main>` of a page: what a visitor reads, without the per-request parts of the head.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    let end = html.find("</main>").unwrap_or(html.len());
    &html[start..end]
}

#[tokio::test]
async fn the_confirmation_mail_links_to_the_registrants_data_and_nothing_of_others() {
    each_wg_app(|app, w| async move {
        let smtp = SmtpServer::start(Mode::Accept).await;
        let smtp = &smtp;
        let first = create_event(&w, &event_fields("gegevens-dag", "10")).await;
        let second = create_event(&w, &event_fields("gegevens-avond", "10")).await;
        register(
            &app,
            "gegevens-dag",
            "Anna Aalst",
            "anna@aalst.be",
            "veganistisch",
        )
        .await;
        register(
            &app,
            "gegevens-dag",
            "Bram Brugge",
            "bram@brugge.be",
            "halal",
        )
        .await;
        // Anna again for the second event, her address typed in capitals.
        register(
            &app,
            "gegevens-avond",
            "Anna A.",
            "ANNA@aalst.be",
            "geen noten",
        )
        .await;
        let anna = registration_of(&w.db, &first, "anna@aalst.be").await;
        let bram = registration_of(&w.db, &first, "bram@brugge.be").await;
        after_the_event(&w, &first, &anna, &bram, "Bram vond het nuttig").await;
        let mut tx = w.db.begin().await.unwrap();
        evaluations::set_questions(&mut tx, &second, "open: Opmerkingen?", &w.staff.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        crate::events::run_mail_jobs(&w.db, smtp).await;

        let mails = mails_to(smtp, "anna@aalst.be");
        let confirmation = mails
            .iter()
            .find(|text| text.contains("Je bent ingeschreven voor Opleiding gegevens-dag"))
            .expect("Anna's confirmation mail");
        assert!(
            confirmation.contains("Wat we over je inschrijvingen bijhouden"),
            "{confirmation}"
        );
        let link = data_link(confirmation).expect("the data link in the confirmation");
        assert!(!link.contains("anna"), "no address in the link: {link}");
        // Cancelling and the data are two links.
        assert!(confirmation.contains("/werkgroepen/inschrijving/"));

        let reader = TestApp::new_client();
        let response = reader.get(app.url(&link)).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert!(
            response.headers().get("set-cookie").is_none(),
            "no cookie for the reader"
        );
        assert_eq!(response.headers()["cache-control"], "no-store");
        let page = response.text().await.unwrap();
        assert!(page.contains("anna@aalst.be"), "{page}");
        assert!(page.contains("Opleiding gegevens-dag"), "{page}");
        assert!(page.contains("Opleiding gegevens-avond"), "{page}");
        assert!(page.contains("veganistisch") && page.contains("geen noten"));
        assert!(page.contains("Attesten (1)"), "{page}");
        assert!(page.contains("Aanwezigheid (1)"), "{page}");
        for other in ["Bram", "bram@brugge.be", "halal", "Bram vond het nuttig"] {
            assert!(!page.contains(other), "{other} on Anna's page");
        }

        let download = format!("{link}/gegevens.json");
        let response = reader.get(app.url(&download)).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        assert!(response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment"));
        assert!(response.headers().get("set-cookie").is_none());
        let body = response.text().await.unwrap();
        let json: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["person"]["email"], "anna@aalst.be");
        assert_eq!(len(&json, "registrations"), 2, "{body}");
        assert_eq!(
            json["registrations"][0]["event_title"],
            "Opleiding gegevens-dag"
        );
        assert!(json["registrations"][0]["answers"]
            .as_str()
            .unwrap()
            .contains("veganistisch"));
        assert_eq!(len(&json, "attendance"), 1, "{body}");
        assert_eq!(json["attendance"][0]["attended"], 1);
        assert_eq!(len(&json, "certificates"), 1, "{body}");
        assert_eq!(len(&json, "evaluation_answers"), 0, "{body}");
        assert!(len(&json, "mails") >= 2, "both confirmations: {body}");
        assert!(!body.contains("bram") && !body.contains("Bram"), "{body}");

        // Bram's own link: his answer, his evaluation, nothing of Anna.
        let bram_mail = mails_to(smtp, "bram@brugge.be");
        let bram_link = data_link(&bram_mail[0]).expect("Bram's data link");
        let (status, body) = get_as(&app, &reader, &format!("{bram_link}/gegevens.json")).await;
        assert_eq!(status, 200);
        let json: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(len(&json, "registrations"), 1, "{body}");
        assert_eq!(len(&json, "evaluation_answers"), 1, "{body}");
        assert_eq!(
            json["evaluation_answers"][0]["answer"],
            "Bram vond het nuttig"
        );
        assert_eq!(len(&json, "attendance"), 1);
        assert_eq!(json["attendance"][0]["attended"], 0);
        assert_eq!(len(&json, "certificates"), 0);
        assert!(!body.to_lowercase().contains("anna"), "{body}");
    })
    .await;
}

#[tokio::test]
async fn a_forged_link_is_refused_and_an_expired_one_is_gone() {
    each_wg_app(|app, w| async move {
        let event = create_event(&w, &event_fields("gegevens-vervallen", "10")).await;
        register(
            &app,
            "gegevens-vervallen",
            "Anna Aalst",
            "anna@aalst.be",
            "geen",
        )
        .await;
        register(
            &app,
            "gegevens-vervallen",
            "Bram Brugge",
            "bram@brugge.be",
            "geen",
        )
        .await;
        let anna = registration_of(&w.db, &event, "anna@aalst.be").await;
        let bram = registration_of(&w.db, &event, "bram@brugge.be").await;
        let key = signed_link::key(&w.db).await.unwrap();
        let later = now_ms() + 3_600_000;
        let valid = signed_link::sign(&key, LinkKind::Data, &anna, later);
        let reader = TestApp::new_client();
        let (status, _) = get_as(&app, &reader, &format!("{LINK}{valid}")).await;
        assert_eq!(status, 200);

        let (payload, signature) = valid.split_once('.').unwrap();
        // Bram's id under Anna's signature; a registration link; a key of our own; junk.
        let swapped = signed_link::sign(&key, LinkKind::Data, &bram, later);
        let (swapped_payload, _) = swapped.split_once('.').unwrap();
        let forged = [
            format!("{swapped_payload}.{signature}"),
            signed_link::sign(&key, LinkKind::Registration, &anna, later),
            signed_link::sign(b"een andere sleutel", LinkKind::Data, &anna, later),
            format!("{payload}.x"),
            "niet.geldig".to_string(),
        ];
        for token in &forged {
            for path in [
                format!("{LINK}{token}"),
                format!("{LINK}{token}/gegevens.json"),
            ] {
                let response = reader.get(app.url(&path)).send().await.unwrap();
                assert_eq!(response.status(), 400, "{path}");
                assert!(response.headers().get("set-cookie").is_none());
                let page = response.text().await.unwrap();
                assert!(page.contains("Deze link is niet geldig."), "{page}");
                assert!(!page.contains("anna@aalst.be") && !page.contains("bram@brugge.be"));
                assert!(page.contains(REQUEST), "the way to a new link: {page}");
            }
        }

        let expired = signed_link::sign(&key, LinkKind::Data, &anna, now_ms() - 1);
        for path in [
            format!("{LINK}{expired}"),
            format!("{LINK}{expired}/gegevens.json"),
        ] {
            let (status, page) = get_as(&app, &reader, &path).await;
            assert_eq!(status, 410, "{path}");
            assert!(page.contains("Deze link is verlopen."), "{page}");
            assert!(!page.contains("anna@aalst.be"));
        }
        // Anonymised at retention: nothing left to show, the link is gone too.
        sqlx::query(
            "UPDATE wg_registrations SET email = '', email_norm = id, anonymised_at = $1
             WHERE id = $2",
        )
        .bind(now_ms())
        .bind(&anna)
        .execute(w.db.pool())
        .await
        .unwrap();
        let (status, page) = get_as(&app, &reader, &format!("{LINK}{valid}")).await;
        assert_eq!(status, 410);
        assert!(page.contains("Deze link is verlopen."));
    })
    .await;
}

#[tokio::test]
async fn the_request_form_answers_alike_and_mails_only_known_addresses() {
    each_wg_app(|app, w| async move {
        let smtp = SmtpServer::start(Mode::Accept).await;
        let smtp = &smtp;
        let event = create_event(&w, &event_fields("gegevens-aanvraag", "10")).await;
        register(
            &app,
            "gegevens-aanvraag",
            "Anna Aalst",
            "Anna@Aalst.be",
            "geen",
        )
        .await;
        crate::events::run_mail_jobs(&w.db, smtp).await;
        let before = smtp.received().len();
        let outbox = count(&w.db, "SELECT COUNT(*) FROM mail_outbox").await;

        // The event page points to the form for a visitor.
        let visitor = TestApp::new_client();
        let (_, page) = get_as(
            &app,
            &visitor,
            "/werkgroepen/activiteiten/gegevens-aanvraag",
        )
        .await;
        assert!(page.contains(&format!("href=\"{REQUEST}\"")), "{page}");
        let (status, form) = get_as(&app, &visitor, REQUEST).await;
        assert_eq!(status, 200);
        assert!(form.contains("Link naar je gegevens aanvragen"), "{form}");

        // A wrong address: the form again with its error, nothing mailed.
        let (status, body) =
            post_as(&app, &visitor, REQUEST, REQUEST, &[("email", "geen-adres")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("Dit is geen geldig e-mailadres"), "{body}");
        assert!(body.contains("class=\"error-summary\""), "{body}");

        let (status, unknown) = post_as(
            &app,
            &visitor,
            REQUEST,
            REQUEST,
            &[("email", "niemand@nergens.be")],
        )
        .await;
        assert_eq!(status, 200);
        let (status, known) = post_as(
            &app,
            &visitor,
            REQUEST,
            REQUEST,
            &[("email", " anna@aalst.BE ")],
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(main_of(&unknown), main_of(&known), "the same answer");
        assert!(known.contains("Staan er inschrijvingen op dit e-mailadres"));
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM mail_outbox").await,
            outbox + 1,
            "one mail, to the known address"
        );
        crate::events::run_mail_jobs(&w.db, smtp).await;
        let received = smtp.received();
        assert_eq!(received.len(), before + 1);
        let last = received.last().unwrap();
        assert_eq!(last.recipients, vec!["Anna@Aalst.be".to_string()]);
        assert!(!received
            .iter()
            .any(|m| m.recipients.iter().any(|r| r.contains("nergens"))));
        let text = parse_mime(&last.data).find("text/plain").text();
        let link = data_link(&text).expect("a fresh data link");
        let (status, page) = get_as(&app, &TestApp::new_client(), &link).await;
        assert_eq!(status, 200);
        assert!(page.contains("Opleiding gegevens-aanvraag"), "{page}");
        let _ = event;

        // The limit: three mails an hour for one address, then the same answer without a mail.
        for _ in 0..3 {
            let (status, again) = post_as(
                &app,
                &visitor,
                REQUEST,
                REQUEST,
                &[("email", "anna@aalst.be")],
            )
            .await;
            assert_eq!(status, 200);
            assert_eq!(main_of(&again), main_of(&unknown));
        }
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM mail_outbox").await,
            outbox + 3,
            "at most three mails an hour to one address"
        );
    })
    .await;
}
