//! Events through the pages and the mail (design §3.1, §3.5, §3.8, §3.9, slice S11), on both
//! backends: staff create an event with questions; visitors register through the form (errors
//! in Dutch, 422, nothing written), the job mails the confirmation and the waiting-list place
//! to a real SMTP server over TCP; the signed link in the mail shows the registration and
//! cancels it with a POST, which moves the first on the waiting list up with a mail of its
//! own; a forged link gets 400 and an expired one 410, and neither writes.

use std::sync::Arc;
use std::time::{Duration, Instant};

use steden_core::mail::{self, Mailer};
use steden_db::jobs::{Registry, WorkerOptions, WorkerPool};
use steden_db::Db;
use steden_testkit::smtp::{header, parse_message, parse_mime, Mode, SmtpServer};
use steden_werkgroepen::model::RegistrationStatus;
use steden_werkgroepen::signed_link::{self, LinkKind};
use steden_werkgroepen::store::{events, registrations};

use crate::common::{client_of, count, each_wg_app, get_as, post_as, TestApp};

/// Runs the mail jobs (event mails and the outbox) until none is left to do.
pub async fn run_mail_jobs(db: &Db, smtp: &SmtpServer) {
    let mut registry = Registry::new();
    mail::register(
        &mut registry,
        Arc::new(Mailer::smtp(&smtp.url(), "Stedenplatform <noreply@steden.test>").unwrap()),
    );
    steden_werkgroepen::event_mail::register_jobs(&mut registry);
    let pool = WorkerPool::start_with(
        db.clone(),
        Arc::new(registry),
        WorkerOptions {
            workers: 2,
            poll_interval: Duration::from_millis(20),
            ..WorkerOptions::default()
        },
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let open = count(
            db,
            "SELECT COUNT(*) FROM jobs WHERE status NOT IN ('done', 'dead')
             AND kind IN ('werkgroepen.mail_event', 'mail.send')",
        )
        .await;
        if open == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the mail jobs did not finish");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    pool.shutdown().await;
    let dead = count(db, "SELECT COUNT(*) FROM jobs WHERE status = 'dead'").await;
    assert_eq!(dead, 0, "no mail job failed");
}

/// The plain text of every message to `to`, oldest first, with its subject.
fn mails_to(smtp: &SmtpServer, to: &str) -> Vec<(String, String)> {
    smtp.received()
        .iter()
        .filter(|m| m.recipients.iter().any(|r| r == to))
        .map(|m| {
            let (headers, _) = parse_message(&m.data);
            let subject = header(&headers, "subject").to_string();
            let mime = parse_mime(&m.data);
            (subject, mime.find("text/plain").text())
        })
        .collect()
}

/// The registration link in a mail's text.
fn link_in(text: &str) -> String {
    let start = text
        .find("/werkgroepen/inschrijving/")
        .expect("a registration link");
    text[start..].split_whitespace().next().unwrap().to_string()
}

async fn create_event_as_staff(app: &TestApp, staff: &reqwest::Client) {
    let (status, body) = post_as(
        app,
        staff,
        "/werkgroepen/activiteiten/nieuw",
        "/werkgroepen/activiteiten/nieuw",
        &[
            ("title", "Impactmeting: basisopleiding"),
            ("slug", "impactmeting-basis"),
            ("kind", "opleiding"),
            ("series_id", ""),
            ("local_date", "2055-03-12"),
            ("local_start", "09:30"),
            ("local_end", "16:30"),
            ("place", "Huis van de Vlaamse Steden, Brussel"),
            ("registration", "publiek"),
            ("capacity", "1"),
            ("waitlist", "1"),
            (
                "questions",
                "Dieetwensen\nOrganisatie type: Stad | Partner *",
            ),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
}

#[tokio::test]
async fn register_mail_cancel_by_link_and_move_up() {
    each_wg_app(|app, w| async move {
        // One server per backend, so each run reads only its own mails.
        let smtp = SmtpServer::start(Mode::Accept).await;
        let smtp = &smtp;
        let staff = client_of(&app, &w.staff).await;
        // Only staff may create events.
        let member = client_of(&app, &w.gent_member).await;
        let (status, _) = get_as(&app, &member, "/werkgroepen/activiteiten/nieuw").await;
        assert_eq!(status, 403);
        create_event_as_staff(&app, &staff).await;
        let page = app
            .page("/werkgroepen/activiteiten/impactmeting-basis")
            .await;
        assert!(page.contains("1 van 1 plaatsen vrij"), "{page}");
        assert!(app
            .page("/werkgroepen/activiteiten")
            .await
            .contains("Impactmeting: basisopleiding"));

        // A required question left open: 422, the message beside the field, nothing written.
        let event_page = "/werkgroepen/activiteiten/impactmeting-basis";
        let action = "/werkgroepen/activiteiten/impactmeting-basis/inschrijven";
        let anna = TestApp::new_client();
        let (status, body) = post_as(
            &app,
            &anna,
            event_page,
            action,
            &[
                ("name", "Anna Aalst"),
                ("email", "anna@aalst.be"),
                ("v2", ""),
            ],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            body.contains("Beantwoord de vraag &#39;Organisatie type&#39;.")
                || body.contains("Beantwoord de vraag 'Organisatie type'."),
            "{body}"
        );
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM wg_registrations").await,
            0
        );

        let fields = |name: &'static str, email: &'static str| {
            [
                ("name", name),
                ("email", email),
                ("organisation_text", "Stad Aalst"),
                ("v1", "vegetarisch"),
                ("v2", "Stad"),
            ]
        };
        let (status, _) = post_as(
            &app,
            &anna,
            event_page,
            action,
            &fields("Anna Aalst", "anna@aalst.be"),
        )
        .await;
        assert_eq!(status, 303);
        let bram = TestApp::new_client();
        let (status, _) = post_as(
            &app,
            &bram,
            event_page,
            action,
            &fields("Bram Brugge", "bram@brugge.be"),
        )
        .await;
        assert_eq!(status, 303);
        // A second registration with the same address: refused in Dutch.
        let (status, body) = post_as(
            &app,
            &bram,
            event_page,
            action,
            &fields("Anna", "ANNA@aalst.be"),
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            body.contains("Je bent al ingeschreven voor deze activiteit."),
            "{body}"
        );
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM wg_registrations").await,
            2
        );

        run_mail_jobs(&w.db, smtp).await;
        let anna_mails = mails_to(smtp, "anna@aalst.be");
        assert_eq!(anna_mails.len(), 1, "{anna_mails:?}");
        assert_eq!(
            anna_mails[0].0,
            "Inschrijving bevestigd: Impactmeting: basisopleiding"
        );
        assert!(
            anna_mails[0].1.contains("vrijdag 12 maart 2055"),
            "{}",
            anna_mails[0].1
        );
        let bram_mails = mails_to(smtp, "bram@brugge.be");
        assert_eq!(bram_mails.len(), 1);
        assert!(
            bram_mails[0].1.contains("wachtlijst met nummer 1"),
            "{}",
            bram_mails[0].1
        );

        // The organiser sees both, with the answers.
        let (status, participants) = get_as(
            &app,
            &staff,
            "/werkgroepen/activiteiten/impactmeting-basis/deelnemers",
        )
        .await;
        assert_eq!(status, 200);
        assert!(
            participants.contains("Dieetwensen: vegetarisch"),
            "{participants}"
        );
        assert!(participants.contains("Op de wachtlijst (nummer 1)"));
        let (status, _) = get_as(
            &app,
            &member,
            "/werkgroepen/activiteiten/impactmeting-basis/deelnemers",
        )
        .await;
        assert_eq!(status, 403);

        // The link from the mail: a page, nothing written by the GET.
        let link = link_in(&anna_mails[0].1);
        let visitor = TestApp::new_client();
        let (status, page) = get_as(&app, &visitor, &link).await;
        assert_eq!(status, 200);
        assert!(
            page.contains("Anna Aalst") && page.contains("Bevestigd"),
            "{page}"
        );

        // A forged link (another registration's id under Anna's signature) and an expired one.
        let bram_id: String = sqlx::query_scalar(
            "SELECT id FROM wg_registrations WHERE email_norm = 'bram@brugge.be'",
        )
        .fetch_one(w.db.pool())
        .await
        .unwrap();
        let token = link.rsplit('/').next().unwrap();
        let (_, signature) = token.split_once('.').unwrap();
        use base64::Engine;
        let forged = format!(
            "{}.{signature}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(format!("inschrijving|{bram_id}|4102444800000"))
        );
        let forged = format!("/werkgroepen/inschrijving/{forged}");
        let (status, page) = get_as(&app, &visitor, &forged).await;
        assert_eq!(status, 400);
        assert!(page.contains("Deze link is niet geldig."));
        let (status, _) = post_as(&app, &visitor, &link, &forged, &[]).await;
        assert_eq!(status, 400);
        let key = signed_link::key(&w.db).await.unwrap();
        let expired = signed_link::sign(&key, LinkKind::Registration, &bram_id, 1_000);
        let expired = format!("/werkgroepen/inschrijving/{expired}");
        let (status, page) = get_as(&app, &visitor, &expired).await;
        assert_eq!(status, 410);
        assert!(page.contains("Deze link is verlopen."));
        let (status, _) = post_as(&app, &visitor, &link, &expired, &[]).await;
        assert_eq!(status, 410);
        let bram_now = registrations::find(w.db.pool(), &bram_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            bram_now.status,
            RegistrationStatus::Wachtlijst,
            "nothing written"
        );

        // Cancel with the real link: Anna out, Bram in, and a mail to each.
        let (status, _) = post_as(&app, &visitor, &link, &link, &[]).await;
        assert_eq!(status, 303);
        let bram_now = registrations::find(w.db.pool(), &bram_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(bram_now.status, RegistrationStatus::Bevestigd);
        let event = events::find_by_slug(w.db.pool(), "impactmeting-basis")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(event.seats_taken, 1);
        let (_, page) = get_as(&app, &visitor, &link).await;
        assert!(page.contains("Geannuleerd"), "{page}");

        run_mail_jobs(&w.db, smtp).await;
        let bram_mails = mails_to(smtp, "bram@brugge.be");
        assert_eq!(bram_mails.len(), 2, "{bram_mails:?}");
        assert!(
            bram_mails[1].0.starts_with("Er is een plaats vrij"),
            "{:?}",
            bram_mails[1]
        );
        assert!(bram_mails[1].1.contains("/werkgroepen/inschrijving/"));
        let anna_mails = mails_to(smtp, "anna@aalst.be");
        assert_eq!(anna_mails.len(), 2);
        assert_eq!(
            anna_mails[1].0,
            "Inschrijving geannuleerd: Impactmeting: basisopleiding"
        );

        // A retried job mails nothing twice.
        let before = smtp.received().len();
        let payload = serde_json::json!({
            "event_id": event.id,
            "registration_id": bram_id,
            "kind": "doorgeschoven",
            "base_url": "http://steden.test",
        });
        steden_werkgroepen::event_mail::handle(&w.db, payload)
            .await
            .unwrap();
        run_mail_jobs(&w.db, smtp).await;
        assert_eq!(smtp.received().len(), before);
    })
    .await;
}

#[tokio::test]
async fn a_members_event_asks_to_log_in_and_takes_the_account() {
    each_wg_app(|app, w| async move {
        let mut fields = crate::registrations::event_fields("ledendag", "10");
        fields.registration = "leden".into();
        fields.questions = String::new();
        crate::registrations::create_event(&w, &fields).await;
        // Anonymous: sent to log in for the page, refused for the post.
        let response = app.get("/werkgroepen/activiteiten/ledendag").await;
        assert_eq!(response.status(), 303);
        // Hidden from the anonymous list.
        assert!(!app
            .page("/werkgroepen/activiteiten")
            .await
            .contains("ledendag"));

        // A lezer may see it but not register.
        let reader = client_of(&app, &w.gent_reader).await;
        let (status, page) = get_as(&app, &reader, "/werkgroepen/activiteiten/ledendag").await;
        assert_eq!(status, 200);
        assert!(
            page.contains("Vraag de beheerder van je organisatie"),
            "{page}"
        );
        let (status, _) = post_as(
            &app,
            &reader,
            "/werkgroepen/activiteiten/ledendag",
            "/werkgroepen/activiteiten/ledendag/inschrijven",
            &[],
        )
        .await;
        assert_eq!(status, 403);

        // A lid registers as themselves, then cancels from the page.
        let member = client_of(&app, &w.gent_member).await;
        let page_path = "/werkgroepen/activiteiten/ledendag";
        let (status, _) = post_as(
            &app,
            &member,
            page_path,
            "/werkgroepen/activiteiten/ledendag/inschrijven",
            // Typed name and address are ignored for a logged-in person.
            &[("name", "Iemand Anders"), ("email", "ander@elders.be")],
        )
        .await;
        assert_eq!(status, 303);
        let (name, email, user): (String, String, Option<String>) =
            sqlx::query_as("SELECT name, email, user_id FROM wg_registrations")
                .fetch_one(w.db.pool())
                .await
                .unwrap();
        assert_eq!(
            (name.as_str(), email.as_str()),
            ("Greet Gent", "lid@gent.test")
        );
        assert_eq!(user.as_deref(), Some(w.gent_member.id.as_str()));
        let (_, page) = get_as(&app, &member, page_path).await;
        assert!(
            page.contains("Je bent ingeschreven voor deze activiteit."),
            "{page}"
        );
        let (status, _) = post_as(
            &app,
            &member,
            page_path,
            "/werkgroepen/activiteiten/ledendag/uitschrijven",
            &[],
        )
        .await;
        assert_eq!(status, 303);
        let status: String = sqlx::query_scalar("SELECT status FROM wg_registrations")
            .fetch_one(w.db.pool())
            .await
            .unwrap();
        assert_eq!(status, "geannuleerd");
    })
    .await;
}

#[test]
fn every_event_value_and_mail_has_its_texts() {
    use steden_web::i18n::{Catalog, Lang};
    use steden_werkgroepen::model::{EventKind, RegistrationMode};
    let catalog = Catalog::build(&steden_werkgroepen::translations()).unwrap();
    let mut keys: Vec<String> = EventKind::ALL
        .iter()
        .map(|v| v.label_key())
        .chain(RegistrationMode::ALL.iter().map(|v| v.label_key()))
        .chain(RegistrationStatus::ALL.iter().map(|v| v.label_key()))
        .collect();
    for kind in steden_werkgroepen::event_mail::KINDS {
        keys.push(format!("wg-event-mail-{}-subject", kind.as_str()));
        keys.push(format!("wg-event-mail-{}-text", kind.as_str()));
    }
    for key in keys {
        for lang in [Lang::Nl, Lang::En] {
            assert!(catalog.has(lang, &key), "no {lang:?} text for {key}");
        }
    }
}

async fn api_token_of(
    app: &TestApp,
    person: &crate::common::Person,
    org: &str,
    role: steden_core::role::Role,
) -> String {
    use steden_core::api_token::{self, NewApiToken};
    let mut tx = app.db.begin().await.unwrap();
    let created = api_token::create(
        &mut tx,
        &person.actor,
        &NewApiToken {
            name: "activiteiten",
            organisation_id: org,
            modules: vec!["werkgroepen".into()],
            role,
            expires_at: None,
        },
        &["core", "plan", "kennisbank", "werkgroepen"],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    created.plaintext
}

async fn api_get(app: &TestApp, path: &str, bearer: Option<&str>) -> (u16, serde_json::Value) {
    let mut request = app.client.get(app.url(path));
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn the_events_api_follows_the_pages_rules() {
    each_wg_app(|app, w| async move {
        crate::registrations::create_event(
            &w,
            &crate::registrations::event_fields("open-dag", "2"),
        )
        .await;
        let mut members = crate::registrations::event_fields("ledendag", "2");
        members.registration = "leden".into();
        crate::registrations::create_event(&w, &members).await;
        let mut tx = w.db.begin().await.unwrap();
        let event = events::find_by_slug(w.db.pool(), "open-dag")
            .await
            .unwrap()
            .unwrap();
        let fields = std::collections::BTreeMap::from([
            ("name".to_string(), "Anna".to_string()),
            ("email".to_string(), "anna@aalst.be".to_string()),
            ("v2".to_string(), "Stad".to_string()),
        ]);
        registrations::register(
            &mut tx,
            &event.id,
            &registrations::Registrant::Anonymous,
            &fields,
            "http://steden.test",
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        // Anonymous: the public event only.
        let (status, body) = api_get(&app, "/api/v1/werkgroepen/events", None).await;
        assert_eq!(status, 200);
        let slugs: Vec<&str> = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["slug"].as_str().unwrap())
            .collect();
        assert_eq!(slugs, ["open-dag"]);
        assert_eq!(body["items"][0]["seats_taken"], 1);
        let (status, _) = api_get(&app, "/api/v1/werkgroepen/events/ledendag", None).await;
        assert_eq!(status, 404);
        let registrations_path = "/api/v1/werkgroepen/events/open-dag/registrations";
        let (status, _) = api_get(&app, registrations_path, None).await;
        assert_eq!(status, 401);

        // A member's token: both events, not the registrations.
        let member =
            api_token_of(&app, &w.gent_member, &w.gent, steden_core::role::Role::Lid).await;
        let (status, body) =
            api_get(&app, "/api/v1/werkgroepen/events/ledendag", Some(&member)).await;
        assert_eq!(status, 200);
        assert_eq!(body["registration"], "leden");
        let (status, _) = api_get(&app, registrations_path, Some(&member)).await;
        assert_eq!(status, 403);

        // Staff: the registrations with the answers.
        let staff = api_token_of(
            &app,
            &w.staff,
            &w.kenniscentrum,
            steden_core::role::Role::Redacteur,
        )
        .await;
        let (status, body) = api_get(&app, registrations_path, Some(&staff)).await;
        assert_eq!(status, 200);
        assert_eq!(body["items"][0]["email"], "anna@aalst.be");
        assert_eq!(body["items"][0]["status"], "bevestigd");
        assert_eq!(body["items"][0]["answers"]["v2"], "Stad");
    })
    .await;
}

#[tokio::test]
async fn the_organiser_raises_the_places_and_cancels_for_someone() {
    each_wg_app(|app, w| async move {
        let mut fields = crate::registrations::event_fields("coaching-1", "1");
        fields.questions = String::new();
        crate::registrations::create_event(&w, &fields).await;
        let page = "/werkgroepen/activiteiten/coaching-1";
        let action = "/werkgroepen/activiteiten/coaching-1/inschrijven";
        for (name, email) in [
            ("Een", "een@gent.be"),
            ("Twee", "twee@gent.be"),
            ("Drie", "drie@gent.be"),
        ] {
            let client = TestApp::new_client();
            let (status, _) = post_as(
                &app,
                &client,
                page,
                action,
                &[("name", name), ("email", email)],
            )
            .await;
            assert_eq!(status, 303);
        }
        let staff = client_of(&app, &w.staff).await;
        let participants = "/werkgroepen/activiteiten/coaching-1/deelnemers";
        let capacity = "/werkgroepen/activiteiten/coaching-1/plaatsen";
        // Fewer places than confirmed, or no number: 422 with the reason, nothing changes.
        let (status, body) = post_as(
            &app,
            &staff,
            participants,
            capacity,
            &[("capacity", "twee")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            body.contains("Geef het aantal plaatsen als een getal vanaf 1"),
            "{body}"
        );
        let (status, body) =
            post_as(&app, &staff, participants, capacity, &[("capacity", "2")]).await;
        assert_eq!(status, 303, "{body}");
        let event = events::find_by_slug(w.db.pool(), "coaching-1")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((event.capacity, event.seats_taken), (Some(2), 2));
        let (_, list) = get_as(&app, &staff, participants).await;
        assert!(list.contains("Op de wachtlijst (nummer 2)"), "{list}");

        // A member may not change the places.
        let member = client_of(&app, &w.gent_member).await;
        let (status, _) = post_as(&app, &member, page, capacity, &[("capacity", "50")]).await;
        assert_eq!(status, 403);

        // The organiser cancels Een: Drie moves up.
        let een: String =
            sqlx::query_scalar("SELECT id FROM wg_registrations WHERE email_norm = 'een@gent.be'")
                .fetch_one(w.db.pool())
                .await
                .unwrap();
        let cancel = format!("{participants}/{een}/annuleren");
        let (status, _) = post_as(&app, &member, page, &cancel, &[]).await;
        assert_eq!(status, 403);
        let (status, _) = post_as(&app, &staff, participants, &cancel, &[]).await;
        assert_eq!(status, 303);
        let statuses: Vec<(String, String)> =
            sqlx::query_as("SELECT email_norm, status FROM wg_registrations ORDER BY email_norm")
                .fetch_all(w.db.pool())
                .await
                .unwrap();
        assert_eq!(
            statuses,
            [
                ("drie@gent.be".to_string(), "bevestigd".to_string()),
                ("een@gent.be".to_string(), "geannuleerd".to_string()),
                ("twee@gent.be".to_string(), "bevestigd".to_string()),
            ]
        );
    })
    .await;
}

/// Design point 9 through the pages: 50 browsers post the registration form at once for an
/// event with 2 places left.
#[tokio::test]
async fn fifty_browsers_at_once_never_overbook() {
    each_wg_app(|app, w| async move {
        let mut fields = crate::registrations::event_fields("drukke-dag", "3");
        fields.questions = String::new();
        crate::registrations::create_event(&w, &fields).await;
        let page = "/werkgroepen/activiteiten/drukke-dag";
        let action = "/werkgroepen/activiteiten/drukke-dag/inschrijven";
        let early = TestApp::new_client();
        let (status, _) = post_as(
            &app,
            &early,
            page,
            action,
            &[("name", "Vroeg"), ("email", "vroeg@gent.be")],
        )
        .await;
        assert_eq!(status, 303);
        // Each browser fetches its form (and CSRF token) first, then all post together.
        let mut ready = Vec::new();
        for n in 0..50 {
            let client = TestApp::new_client();
            let (_, html) = get_as(&app, &client, page).await;
            let token = crate::common::csrf_token(&html).unwrap();
            ready.push((client, token, n));
        }
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(50));
        let url = app.url(action);
        let tasks: Vec<_> = ready
            .into_iter()
            .map(|(client, token, n)| {
                let barrier = barrier.clone();
                let url = url.clone();
                tokio::spawn(async move {
                    let email = format!("browser{n}@gent.be");
                    let body = [
                        ("_csrf", token.as_str()),
                        ("name", "Deelnemer"),
                        ("email", email.as_str()),
                    ];
                    barrier.wait().await;
                    client
                        .post(url)
                        .form(&body)
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16()
                })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap(), 303, "every registration is taken");
        }
        let event = events::find_by_slug(w.db.pool(), "drukke-dag")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(event.seats_taken, 3);
        let confirmed = count(
            &w.db,
            "SELECT COUNT(*) FROM wg_registrations WHERE status = 'bevestigd'",
        )
        .await;
        assert_eq!(confirmed, 3, "the early one and exactly two of the fifty");
        let mut numbers: Vec<i64> = sqlx::query_scalar(
            "SELECT waitlist_number FROM wg_registrations WHERE status = 'wachtlijst'",
        )
        .fetch_all(w.db.pool())
        .await
        .unwrap();
        numbers.sort();
        assert_eq!(numbers, (1..=48).collect::<Vec<i64>>());
    })
    .await;
}
