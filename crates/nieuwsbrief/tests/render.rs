//! Templates and the rendered mail (design §0, §3.2, §3.3; issue 14 points 2 and 8), on both
//! backends: a template that does not compile is refused with its line and column and nothing
//! is saved; an endless loop is stopped by the fuel limit; the rendered HTML is checked by an
//! HTML parser (layout tables, alt texts, lang, inlined styles, the dark-mode block, no slot
//! typed by an editor); the text part holds every item; links are numbered in order;
//! scheduling refuses a campaign without recipients and otherwise freezes it and queues one
//! send job, in one transaction; the test mail arrives at the SMTP server with both parts.

use std::time::Instant;

use scraper::{Html, Selector};
use steden_core::audit::AuditActor;
use steden_core::role::Role;
use steden_core::CoreError;
use steden_db::Db;
use steden_nieuwsbrief::frozen::{PREFERENCES_URL, UNSUBSCRIBE_URL};
use steden_nieuwsbrief::model::{CampaignStatus, Language};
use steden_nieuwsbrief::render::{self, DEFAULT_SOURCE};
use steden_nieuwsbrief::scheduling::{self, NO_RECIPIENTS};
use steden_nieuwsbrief::store::campaigns::{self, NewCampaign};
use steden_nieuwsbrief::store::subscribers;
use steden_nieuwsbrief::store::templates::{self, TemplateFields};
use steden_testkit::people::{self, Person};
use steden_testkit::smtp::{parse_mime, Mode, SmtpServer};

use crate::common::{count, each_nb_app, each_nb_db, send_mail, TestApp};

const BASE: &str = "https://steden.test";

/// A template whose third line has an unclosed expression.
const BROKEN: &str = "<html lang=\"nl\">\n<body>\n<p>{{ subject </p>\n</body></html>";

fn message_of(error: CoreError) -> String {
    match error {
        CoreError::Invalid(errors) => errors
            .into_iter()
            .map(|e| e.message)
            .collect::<Vec<_>>()
            .join(" "),
        other => panic!("expected a Dutch field error, got {other:?}"),
    }
}

#[test]
fn a_syntax_error_names_its_line_and_column() {
    let message = message_of(render::check(BROKEN).unwrap_err());
    assert!(
        message.starts_with("Het sjabloon bevat een fout op regel 3, kolom "),
        "{message}"
    );
    let message = message_of(render::check("{% for x in sections %}").unwrap_err());
    assert!(message.contains("regel 1"), "{message}");
    let message = message_of(render::check("{% include \"/etc/passwd\" %}").unwrap_err());
    assert!(message.contains("kan geen ander sjabloon"), "{message}");
}

#[test]
fn an_endless_loop_is_stopped_by_the_fuel_limit() {
    let endless =
        "{% for a in range(100000) %}{% for b in range(100000) %}{{ a }}{% endfor %}{% endfor %}";
    let started = Instant::now();
    let message = message_of(render::check(endless).unwrap_err());
    assert!(message.contains("te veel werk"), "{message}");
    assert!(
        started.elapsed().as_secs() < 10,
        "stopped after {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_template_that_does_not_compile_is_not_saved() {
    each_nb_db(|db| async move {
        let before = count(&db, "SELECT COUNT(*) FROM nb_templates").await;
        let mut tx = db.begin().await.unwrap();
        let fields = TemplateFields {
            name: "Kapot".into(),
            source: BROKEN.into(),
        };
        let error = templates::create(&mut tx, &fields, &AuditActor::system())
            .await
            .unwrap_err();
        tx.rollback().await.unwrap();
        assert!(message_of(error).contains("regel 3, kolom"));
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM nb_templates").await,
            before
        );

        // A good one is saved with its audit entry; changing it to a broken one keeps the old.
        let mut tx = db.begin().await.unwrap();
        let good = TemplateFields {
            name: "Eigen".into(),
            source: DEFAULT_SOURCE.into(),
        };
        let id = templates::create(&mut tx, &good, &AuditActor::system())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut tx = db.begin().await.unwrap();
        assert!(
            templates::update(&mut tx, &id, &fields, &AuditActor::system())
                .await
                .is_err()
        );
        tx.rollback().await.unwrap();
        let kept = templates::find(db.pool(), &id).await.unwrap().unwrap();
        assert_eq!(
            (kept.name.as_str(), kept.source.as_str()),
            ("Eigen", DEFAULT_SOURCE)
        );
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'nieuwsbrief_sjabloon'"
            )
            .await,
            1
        );
        // The default is seeded once, however often it is asked for.
        templates::ensure_default(&db).await.unwrap();
        templates::ensure_default(&db).await.unwrap();
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM nb_templates WHERE is_default = 1"
            )
            .await,
            1
        );
    })
    .await;
}

/// A concept to `lists` with two sections: items (one with an image, one whose summary holds
/// a typed recipient slot) and a Markdown block with a link and a script.
async fn campaign(db: &Db, lists: &[&str]) -> String {
    let mut tx = db.begin().await.unwrap();
    let id = campaigns::create(
        &mut tx,
        &NewCampaign {
            subject: "Nieuwsbrief december".into(),
            preheader: "Slimme steden en klimaat".into(),
            template_id: None,
            language: Language::Nl,
            lists: lists.iter().map(|s| s.to_string()).collect(),
            created_by: None,
        },
    )
    .await
    .unwrap();
    for (section, position, title) in [("s1", 1, "Aankondigingen"), ("s2", 2, "Kennis")] {
        sqlx::query(
            "INSERT INTO nb_sections (id, campaign_id, position, title) VALUES ($1, $2, $3, $4)",
        )
        .bind(format!("{id}-{section}"))
        .bind(&id)
        .bind(position as i64)
        .bind(title)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    let blocks = [
        (
            "b1",
            "s1",
            1,
            "item",
            "Werkgroep Smart Cities",
            "Volgende bijeenkomst.",
            "/werkgroepen/smart-cities",
            Some("/static/foto.png"),
            "Deelnemers rond een tafel",
            "",
        ),
        (
            "b2",
            "s1",
            2,
            "item",
            "Oproep klimaat",
            &*format!("Klik {UNSUBSCRIBE_URL} hier"),
            "https://example.org/oproep",
            None,
            "",
            "",
        ),
        (
            "b3",
            "s2",
            1,
            "markdown",
            "",
            "",
            "",
            None,
            "",
            "Lees het [jaarrapport](/kennisbank/jaarrapport).\n\n<script>alert(1)</script>",
        ),
    ];
    for (block, section, position, kind, title, summary, url, image, alt, markdown) in blocks {
        sqlx::query(
            "INSERT INTO nb_blocks (id, section_id, position, kind, title, summary, url,
                                    image_url, image_alt, markdown)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(format!("{id}-{block}"))
        .bind(format!("{id}-{section}"))
        .bind(position as i64)
        .bind(kind)
        .bind(title)
        .bind(summary)
        .bind(url)
        .bind(image)
        .bind(alt)
        .bind(markdown)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    id
}

async fn rendered(db: &Db, id: &str) -> render::Rendered {
    let campaign = campaigns::get(db.pool(), id).await.unwrap();
    let mut conn = db.pool().acquire().await.unwrap();
    scheduling::render_concept(&mut conn, &campaign, BASE)
        .await
        .unwrap()
}

fn select<'a>(document: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    document.select(&Selector::parse(css).unwrap()).collect()
}

#[tokio::test]
async fn the_rendered_mail_is_built_for_mail_clients_and_readers() {
    each_nb_db(|db| async move {
        let id = campaign(&db, &["algemeen"]).await;
        let mail = rendered(&db, &id).await;
        let document = Html::parse_document(&mail.html);

        assert_eq!(select(&document, "html[lang=nl]").len(), 1, "lang on <html>");
        let tables = select(&document, "table");
        assert!(tables.len() >= 2);
        for table in &tables {
            assert_eq!(table.value().attr("role"), Some("presentation"));
        }
        let images = select(&document, "img");
        assert_eq!(images.len(), 1);
        for image in &images {
            assert_eq!(image.value().attr("alt"), Some("Deelnemers rond een tafel"));
            assert_eq!(image.value().attr("src"), Some("https://steden.test/static/foto.png"));
        }
        assert_eq!(select(&document, "h1").len(), 1);
        assert_eq!(select(&document, "h2").len(), 2);
        // Styles inlined: the heading carries its own; the dark-mode block stays in <style>.
        let h1_style = select(&document, "h1")[0].value().attr("style").unwrap_or_default();
        assert!(h1_style.contains("font-size"), "{h1_style}");
        let style: String = select(&document, "style")
            .iter()
            .map(|s| s.inner_html())
            .collect();
        assert!(style.contains("prefers-color-scheme: dark"), "{style}");
        assert!(!style.contains("font-family"), "plain rules are inlined, not kept: {style}");
        // The slot typed in a summary is gone; the template's two are there once each.
        assert_eq!(mail.html.matches(UNSUBSCRIBE_URL).count(), 1);
        assert_eq!(mail.html.matches(PREFERENCES_URL).count(), 1);
        assert!(mail.html.contains("Klik  hier"));
        // The Markdown is sanitised.
        assert!(!mail.html.contains("<script"));

        // Links: numbered from 1 in document order, with their sections; slots not numbered.
        let hrefs: Vec<&str> = select(&document, "a[href]")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .filter(|h| !h.contains("%%"))
            .collect();
        let numbered: Vec<&str> = mail.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(numbered, hrefs);
        assert_eq!(
            numbered,
            [
                "https://steden.test/werkgroepen/smart-cities",
                "https://example.org/oproep",
                "https://steden.test/kennisbank/jaarrapport",
            ]
        );
        let numbers: Vec<i64> = mail.links.iter().map(|l| l.link_no).collect();
        assert_eq!(numbers, [1, 2, 3]);
        assert_eq!(mail.links[0].section_id.as_deref(), Some(&*format!("{id}-s1")));
        assert_eq!(mail.links[2].section_id.as_deref(), Some(&*format!("{id}-s2")));

        // The text part: every item's title and address, the Markdown as text, both slots.
        for needle in [
            "Werkgroep Smart Cities\nVolgende bijeenkomst.\nhttps://steden.test/werkgroepen/smart-cities",
            "Oproep klimaat",
            "https://example.org/oproep",
            "jaarrapport (https://steden.test/kennisbank/jaarrapport)",
            PREFERENCES_URL,
            UNSUBSCRIBE_URL,
        ] {
            assert!(mail.text.contains(needle), "{needle} in:\n{}", mail.text);
        }
        assert_eq!(mail.text.matches(UNSUBSCRIBE_URL).count(), 1);
        assert!(!mail.text.contains('<'), "{}", mail.text);
    })
    .await;
}

async fn confirmed_subscriber(db: &Db, email: &str, lists: &[&str]) {
    let mut tx = db.begin().await.unwrap();
    let requested = subscribers::request(
        &mut tx,
        &subscribers::Request {
            email: email.into(),
            name: "Ann Peeters".into(),
            language: "nl".into(),
            lists: lists.iter().map(|s| s.to_string()).collect(),
            consent: true,
            consent_text_version: 1,
            source: "formulier:/nieuwsbrief".into(),
            ip: None,
        },
        steden_db::now_ms(),
    )
    .await
    .unwrap();
    let subscribers::Requested::Confirm { subscriber_id } = requested else {
        panic!("a new address gets a confirmation");
    };
    subscribers::confirm(&mut tx, &subscriber_id, steden_db::now_ms())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn send_jobs(db: &Db) -> i64 {
    count(
        db,
        "SELECT COUNT(*) FROM jobs WHERE kind = 'nieuwsbrief.send'",
    )
    .await
}

#[tokio::test]
async fn scheduling_without_recipients_is_refused_and_freezes_nothing() {
    each_nb_db(|db| async move {
        // Subscribed to another list only, and one unconfirmed on the campaign's list.
        confirmed_subscriber(&db, "ander@stad.be", &["klimaat"]).await;
        let id = campaign(&db, &["smart-cities"]).await;
        let mut tx = db.begin().await.unwrap();
        let error = scheduling::schedule(
            &mut tx,
            &id,
            steden_db::now_ms(),
            BASE,
            &AuditActor::system(),
        )
        .await
        .unwrap_err();
        tx.rollback().await.unwrap();
        assert_eq!(message_of(error), NO_RECIPIENTS);
        let campaign = campaigns::get(db.pool(), &id).await.unwrap();
        assert_eq!(campaign.status, CampaignStatus::Concept);
        assert!(campaigns::frozen(db.pool(), &id).await.unwrap().is_none());
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM nb_campaign_links").await,
            0
        );
        assert_eq!(send_jobs(&db).await, 0);
    })
    .await;
}

#[tokio::test]
async fn scheduling_freezes_the_campaign_and_queues_one_send_job() {
    each_nb_db(|db| async move {
        confirmed_subscriber(&db, "lezer@stad.be", &["algemeen", "smart-cities"]).await;
        confirmed_subscriber(&db, "tweede@stad.be", &["smart-cities"]).await;
        let id = campaign(&db, &["algemeen", "smart-cities"]).await;
        let expected = rendered(&db, &id).await;
        let at = steden_db::now_ms() + 3_600_000;
        let mut tx = db.begin().await.unwrap();
        let recipients = scheduling::schedule(&mut tx, &id, at, BASE, &AuditActor::system())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(recipients, 2, "each subscriber once");

        let campaign = campaigns::get(db.pool(), &id).await.unwrap();
        assert_eq!(campaign.status, CampaignStatus::Gepland);
        assert_eq!(campaign.scheduled_at, Some(at));
        let (html, text) = campaigns::frozen(db.pool(), &id).await.unwrap().unwrap();
        assert_eq!((html, text), (expected.html, expected.text));
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM nb_campaign_links").await,
            expected.links.len() as i64
        );
        assert_eq!(send_jobs(&db).await, 1);
        let run_at: i64 =
            sqlx::query_scalar("SELECT run_at FROM jobs WHERE kind = 'nieuwsbrief.send'")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(run_at, at);

        // Once frozen it cannot be scheduled again: a conflict, still one job.
        let mut tx = db.begin().await.unwrap();
        let error = scheduling::schedule(&mut tx, &id, at, BASE, &AuditActor::system())
            .await
            .unwrap_err();
        tx.rollback().await.unwrap();
        assert!(matches!(error, CoreError::Conflict(_)), "{error:?}");
        assert_eq!(send_jobs(&db).await, 1);
    })
    .await;
}

async fn editor(app: &TestApp) -> Person {
    steden_core::org::seed_defaults(&app.db).await.unwrap();
    let kenniscentrum = steden_nieuwsbrief::access::kenniscentrum_id(&app.db)
        .await
        .unwrap();
    let person = people::person(
        &app.db,
        "redacteur@kenniscentrum.be",
        "Rita Redacteur",
        &kenniscentrum,
        Role::Redacteur,
    )
    .await;
    people::login(app, &person).await;
    person
}

/// POSTs `fields` to `action` with the CSRF token of the page `form_page`: status and body.
async fn post(
    app: &TestApp,
    form_page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let response = app.post_form(form_page, action, fields).await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn template_count(app: &TestApp) -> i64 {
    count(&app.db, "SELECT COUNT(*) FROM nb_templates").await
}

#[tokio::test]
async fn template_pages_preview_and_refuse_a_broken_template() {
    each_nb_app(|app| async move {
        let anonymous = TestApp::new_client();
        let response = anonymous
            .get(app.url("/nieuwsbrief/beheer/sjablonen"))
            .send()
            .await
            .unwrap();
        assert_ne!(response.status(), 200, "not for the anonymous");
        editor(&app).await;
        let list = app.page("/nieuwsbrief/beheer/sjablonen").await;
        assert!(list.contains("Standaard"), "{list}");

        let new = "/nieuwsbrief/beheer/sjablonen/nieuw";
        let before = template_count(&app).await;
        let broken = [("name", "Kapot"), ("source", BROKEN), ("action", "opslaan")];
        let (status, page) = post(&app, new, new, &broken).await;
        assert_eq!(status, 422);
        assert!(
            page.contains("Het sjabloon bevat een fout op regel 3, kolom"),
            "{page}"
        );
        assert_eq!(template_count(&app).await, before);

        // Without JavaScript: "Voorbeeld tonen" shows the example through the source.
        let mut good = [
            ("name", "Eigen"),
            ("source", DEFAULT_SOURCE),
            ("action", "voorbeeld"),
        ];
        let (status, page) = post(&app, new, new, &good).await;
        assert_eq!(status, 200);
        assert!(page.contains("<iframe sandbox=\"\" srcdoc=\""), "{page}");
        assert_eq!(template_count(&app).await, before);

        // htmx: the fragment.
        let htmx = "/nieuwsbrief/beheer/sjablonen/voorbeeld";
        let (status, fragment) = post(&app, new, htmx, &[("source", BROKEN)]).await;
        assert_eq!(status, 200);
        assert!(fragment.contains("regel 3, kolom"), "{fragment}");
        assert!(!fragment.contains("<html"), "a fragment, not a page");

        good[2].1 = "opslaan";
        let (status, _) = post(&app, new, new, &good).await;
        assert_eq!(status, 303);
        assert_eq!(template_count(&app).await, before + 1);
    })
    .await;
}

#[tokio::test]
async fn campaign_preview_test_mail_and_schedule_pages() {
    each_nb_app(|app| async move {
        let smtp = SmtpServer::start(Mode::Accept).await;
        editor(&app).await;
        let id = campaign(&app.db, &["algemeen"]).await;
        let base = format!("/nieuwsbrief/beheer/campagnes/{id}");
        let (test, plan) = (format!("{base}/testen"), format!("{base}/plannen"));

        let preview = app.page(&format!("{base}/voorbeeld")).await;
        assert!(
            preview.contains("<iframe sandbox=\"\" srcdoc=\""),
            "{preview}"
        );
        assert!(preview.contains("Werkgroep Smart Cities"));
        let mail = app.get(&format!("{base}/voorbeeld/mail")).await;
        assert_eq!(mail.status(), 200);
        let csp = mail.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(csp.contains("default-src 'none'"), "{csp}");
        assert!(mail.text().await.unwrap().starts_with("<!DOCTYPE html>"));

        // Six addresses are too many: nothing queued.
        let six = "a@x.be, b@x.be, c@x.be, d@x.be, e@x.be, f@x.be";
        let (status, page) = post(&app, &test, &test, &[("addresses", six)]).await;
        assert_eq!(status, 422);
        assert!(page.contains("hoogstens 5"));
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM mail_outbox").await, 0);

        let two = "test1@stad.be\ntest2@stad.be";
        let (status, _) = post(&app, &test, &test, &[("addresses", two)]).await;
        assert_eq!(status, 303);
        send_mail(&app.db, &smtp).await;
        let received: Vec<_> = smtp
            .received()
            .into_iter()
            .filter(|m| m.recipients.iter().any(|r| r == "test1@stad.be"))
            .collect();
        assert_eq!(received.len(), 1);
        let (headers, _) = steden_testkit::smtp::parse_message(&received[0].data);
        assert_eq!(
            steden_testkit::smtp::header(&headers, "subject"),
            "[TEST] Nieuwsbrief december"
        );
        let mime = parse_mime(&received[0].data);
        let text = mime.find("text/plain").text();
        let html = mime.find("text/html").text();
        assert!(text.contains("Werkgroep Smart Cities"), "{text}");
        assert!(html.contains("Werkgroep Smart Cities"), "{html}");
        for part in [&text, &html] {
            assert!(!part.contains("%%NB_"), "slots filled: {part}");
            assert!(part.contains("/nieuwsbrief"));
        }
        assert_eq!(smtp.received().len(), 2);

        // Schedule "nu" without recipients: refused, Dutch, nothing frozen.
        let (status, page) = post(&app, &plan, &plan, &[("when", "nu")]).await;
        assert_eq!(status, 422);
        assert!(page.contains("geen ontvangers"));
        assert_eq!(send_jobs(&app.db).await, 0);
        // A moment in the past is refused too.
        confirmed_subscriber(&app.db, "lezer@stad.be", &["algemeen"]).await;
        let past = [("when", "later"), ("at", "2020-01-01T09:00")];
        let (status, page) = post(&app, &plan, &plan, &past).await;
        assert_eq!(status, 422);
        assert!(page.contains("in de toekomst"));
        let future = [("when", "later"), ("at", "2099-12-15T09:00")];
        let (status, _) = post(&app, &plan, &plan, &future).await;
        assert_eq!(status, 303);
        assert_eq!(send_jobs(&app.db).await, 1);
        let campaign = campaigns::get(app.db.pool(), &id).await.unwrap();
        // 09:00 in Brussels in winter is 08:00 UTC.
        assert_eq!(campaign.scheduled_at, Some(4_101_004_800_000));
        // Frozen now: the schedule page says so with 409.
        let response = app.get(&plan).await;
        assert_eq!(response.status(), 409);
    })
    .await;
}
