//! The public archive (design §3.8, issue 14 point 6) on both backends: two campaigns sent
//! through the real sending job to the test SMTP server over TCP, a concept beside them; the
//! archive lists the sent ones, newest first, and not the concept; a newsletter's page shows
//! its content and nothing of a recipient (no token of the mail that was sent, no address, no
//! name, no personal or tracking link) and sets no cookie; the site's search (the Kennisbank's
//! `/kennisbank`) finds a word of it and links to its page; an editor takes one out of the
//! archive (audited, policy-checked), after which the archive, its page and the search no
//! longer show it, and puts it back.

use std::sync::Arc;
use std::time::{Duration, Instant};

use steden_core::org;
use steden_core::role::Role;
use steden_db::jobs::{Registry, WorkerOptions, WorkerPool};
use steden_db::{now_ms, Db};
use steden_nieuwsbrief::model::{CampaignStatus, Language};
use steden_nieuwsbrief::send::setup::{Delivery, SendSetup, SetupCell};
use steden_nieuwsbrief::store::campaigns::{self, NewCampaign};
use steden_nieuwsbrief::store::{archive, blocks, content, editor};
use steden_testkit::smtp::{parse_mime, Mode, SmtpServer};
use steden_testkit::{login, person, Person};
use steden_web::items::PlatformItem;
use steden_web::Module;

use crate::common::{count, csrf_token, TestApp};
use crate::send::subscriber;

/// The Kennisbank (the site's search) with the plan it builds on, and this module.
pub fn modules() -> Vec<Arc<dyn Module>> {
    vec![
        Arc::new(steden_plan::PlanModule),
        Arc::new(steden_kennisbank::KennisbankModule),
        Arc::new(steden_nieuwsbrief::NieuwsbriefModule),
    ]
}

/// Runs `test` against a server with the Kennisbank on each backend, with an editor.
pub async fn each_site<F, Fut>(test: F)
where
    F: Fn(TestApp, Person) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let migrations = steden_web::app::all_migrations(&modules());
    steden_db::testing::each_test_db(&migrations, |test_db| {
        let test = &test;
        let db = test_db.db.clone();
        async move {
            org::seed_defaults(&db).await.unwrap();
            let kc = org::find_by_slug(db.pool(), "kenniscentrum")
                .await
                .unwrap()
                .unwrap()
                .id;
            let editor = person(
                &db,
                "redactie@kenniscentrum.test",
                "Rita Redactie",
                &kc,
                Role::Redacteur,
            )
            .await;
            let app = TestApp::spawn_on(db.clone(), modules()).await;
            test(app, editor).await;
        }
    })
    .await;
}

/// A concept to the list `algemeen` with one item block (`word` in its title) and one
/// Markdown block; its id.
pub async fn campaign_with(db: &Db, editor: &Person, subject: &str, word: &str) -> String {
    let mut tx = db.begin().await.unwrap();
    let id = editor::create_campaign(
        &mut tx,
        &NewCampaign {
            subject: subject.into(),
            preheader: "Het nieuws van de maand".into(),
            template_id: None,
            language: Language::Nl,
            lists: vec!["algemeen".into()],
            created_by: Some(editor.id.clone()),
        },
        &editor.audit(),
    )
    .await
    .unwrap();
    let sections = content::load(&mut tx, &id).await.unwrap();
    let first = &sections[0].id;
    blocks::add_item(
        &mut tx,
        &id,
        first,
        &PlatformItem {
            source: "kennisbank",
            id: "doc-1".into(),
            kind: "Kennisbankdocument".into(),
            title: format!("De {word} van Gent"),
            summary: "Wat elf steden leerden over pleinen.".into(),
            href: "/kennisbank/documenten/pleinen".into(),
            image_href: Some("https://beelden.example.com/plein.jpg".into()),
            image_alt: "Een plein".into(),
            date: Some("2026-11-20".into()),
        },
        &editor.audit(),
    )
    .await
    .unwrap();
    blocks::add_markdown(
        &mut tx,
        &id,
        first,
        "Lees ook het **verslag** van de [studiedag](https://example.org/studiedag).",
        &editor.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

/// Freezes and queues `id` now (the real scheduling path).
pub async fn schedule(app: &TestApp, editor: &Person, id: &str) {
    let mut tx = app.db.begin().await.unwrap();
    steden_nieuwsbrief::scheduling::schedule(&mut tx, id, now_ms(), &app.base, &editor.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Runs the sending job against `smtp` until the campaigns `ids` are sent.
pub async fn send(app: &TestApp, smtp: &SmtpServer, ids: &[&str]) {
    let mut registry = Registry::new();
    let setup = SendSetup::new(
        &app.base,
        "Kenniscentrum <nieuwsbrief@steden.test>",
        Delivery::Smtp(smtp.url()),
    )
    .unwrap();
    steden_nieuwsbrief::send::job::register(&mut registry, SetupCell::with(setup));
    let pool = WorkerPool::start_with(
        app.db.clone(),
        Arc::new(registry),
        WorkerOptions {
            workers: 2,
            name: "nbarchive".into(),
            poll_interval: Duration::from_millis(20),
            ..WorkerOptions::default()
        },
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    for id in ids {
        loop {
            let c = campaigns::get(app.db.pool(), id).await.unwrap();
            if c.status == CampaignStatus::Verzonden {
                break;
            }
            assert!(Instant::now() < deadline, "campaign {id} was not sent");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    pool.shutdown().await;
}

async fn slug_of(db: &Db, id: &str) -> String {
    campaigns::get(db.pool(), id).await.unwrap().slug.unwrap()
}

/// Whether the site's search for `word` links to `href`.
async fn search_finds(app: &TestApp, word: &str, href: &str) -> bool {
    let html = app.page(&format!("/kennisbank?q={word}")).await;
    html.contains(&format!("href=\"{href}\""))
}

#[tokio::test]
async fn sent_newsletters_are_in_the_archive_and_the_search_without_anything_of_a_recipient() {
    each_site(|app, editor| async move {
        let db = app.db.clone();
        let smtp = SmtpServer::start(Mode::Accept).await;
        let reader = subscriber(
            &db,
            "zwanhilde.archief@example.org",
            "bevestigd",
            &[("nb-algemeen", "actief")],
        )
        .await;
        sqlx::query("UPDATE nb_subscribers SET name = 'Zwanhilde Vandeurzen' WHERE id = $1")
            .bind(&reader)
            .execute(db.pool())
            .await
            .unwrap();
        let october = campaign_with(&db, &editor, "Nieuwsbrief oktober", "Pleinenmonitor").await;
        let november =
            campaign_with(&db, &editor, "Nieuwsbrief november", "Fietsstratenatlas").await;
        let concept = campaign_with(&db, &editor, "Nieuwsbrief december", "Conceptwoord").await;
        schedule(&app, &editor, &october).await;
        send(&app, &smtp, &[&october]).await;
        schedule(&app, &editor, &november).await;
        send(&app, &smtp, &[&november]).await;

        // Sent: in the archive by default, each with its own address.
        let (oct_slug, nov_slug) = (slug_of(&db, &october).await, slug_of(&db, &november).await);
        assert!(oct_slug.ends_with("nieuwsbrief-oktober"), "{oct_slug}");
        assert_ne!(oct_slug, nov_slug);
        let concept_row = campaigns::get(db.pool(), &concept).await.unwrap();
        assert!(!concept_row.archived && concept_row.slug.is_none());

        let list = app.get("/nieuwsbrief/archief").await;
        assert_eq!(list.status(), 200);
        assert!(list.headers().get("set-cookie").is_none());
        let list = list.text().await.unwrap();
        let (oct_at, nov_at) = (
            list.find("Nieuwsbrief oktober").expect("October is listed"),
            list.find("Nieuwsbrief november").expect("November is listed"),
        );
        assert!(nov_at < oct_at, "newest first");
        assert!(!list.contains("Nieuwsbrief december"), "a concept is not");

        // The page of the newsletter: its content, and nothing of its recipient.
        let href = format!("/nieuwsbrief/archief/{oct_slug}");
        let response = app.get(&href).await;
        assert_eq!(response.status(), 200);
        assert!(response.headers().get("set-cookie").is_none(), "no cookie");
        let page = response.text().await.unwrap();
        assert!(page.contains("De Pleinenmonitor van Gent"));
        assert!(page.contains("Wat elf steden leerden over pleinen."));
        assert!(page.contains("<strong>verslag</strong>"));
        assert!(page.contains("href=\"/kennisbank/documenten/pleinen\""));
        assert!(page.contains("href=\"https://example.org/studiedag\""));
        // A remote image would tell its host who reads: left out.
        assert!(!page.contains("beelden.example.com"));
        let mail = smtp
            .received()
            .into_iter()
            .find(|m| {
                m.recipients[0] == "zwanhilde.archief@example.org"
                    && m.data.contains("Nieuwsbrief oktober")
            })
            .expect("the October mail was received");
        let text = parse_mime(&mail.data).find("text/plain").text();
        let token = crate::common::link(&text, "/nieuwsbrief/voorkeuren/")
            .expect("a preferences link in the mail")
            .trim_start_matches("/nieuwsbrief/voorkeuren/")
            .to_string();
        assert!(token.len() > 20);
        for personal in [
            token.as_str(),
            "zwanhilde",
            "Zwanhilde",
            "Vandeurzen",
            "/nieuwsbrief/voorkeuren/",
            "/nieuwsbrief/afmelden/",
            "/api/v1/nieuwsbrief/unsubscribe",
            "/nieuwsbrief/k/",
            "/nieuwsbrief/o/",
            "%%NB_",
            &reader,
        ] {
            assert!(!page.contains(personal), "the archive page holds {personal}");
        }
        // A concept has no page; neither has an unknown address.
        assert_eq!(app.get("/nieuwsbrief/archief/onbekend").await.status(), 404);
        assert_eq!(app.get(&format!("/nieuwsbrief/archief/{concept}")).await.status(), 404);

        // The site's search finds both, and links to their pages.
        assert!(search_finds(&app, "Pleinenmonitor", &href).await);
        let nov_href = format!("/nieuwsbrief/archief/{nov_slug}");
        assert!(search_finds(&app, "Fietsstratenatlas", &nov_href).await);
        assert!(!app.page("/kennisbank?q=Conceptwoord").await.contains("/nieuwsbrief/archief/"));

        // An editor takes November out: gone from the archive, its page and the search.
        login(&app, &editor).await;
        let switch = format!("/nieuwsbrief/beheer/campagnes/{november}/archief");
        let editor_page = app.page(&format!("/nieuwsbrief/beheer/campagnes/{november}")).await;
        assert!(editor_page.contains(&switch), "the campaign page links to its switch");
        let form = app.page(&switch).await;
        let csrf = csrf_token(&form).unwrap();
        let response = app
            .client
            .post(app.url(&switch))
            .form(&[("_csrf", csrf.as_str()), ("archief", "0")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert!(!campaigns::get(db.pool(), &november).await.unwrap().archived);
        assert_eq!(
            count(
                &db,
                &format!(
                    "SELECT COUNT(*) FROM audit_log WHERE action = 'archive' AND entity_id = '{november}'"
                )
            )
            .await,
            1
        );
        let anonymous = TestApp::new_client();
        let list = anonymous
            .get(app.url("/nieuwsbrief/archief"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!list.contains("Nieuwsbrief november"));
        assert!(list.contains("Nieuwsbrief oktober"));
        assert_eq!(
            anonymous.get(app.url(&nov_href)).send().await.unwrap().status(),
            404
        );
        assert!(!search_finds(&app, "Fietsstratenatlas", &nov_href).await);
        assert!(search_finds(&app, "Pleinenmonitor", &href).await);

        // And back in: found again, under the same address.
        let form = app.page(&switch).await;
        let csrf = csrf_token(&form).unwrap();
        let response = app
            .client
            .post(app.url(&switch))
            .form(&[("_csrf", csrf.as_str()), ("archief", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert_eq!(slug_of(&db, &november).await, nov_slug);
        assert!(search_finds(&app, "Fietsstratenatlas", &nov_href).await);
    })
    .await;
}

#[tokio::test]
async fn only_editors_switch_and_only_a_sent_campaign_has_a_place_in_the_archive() {
    each_site(|app, editor| async move {
        let db = app.db.clone();
        let kc = org::find_by_slug(db.pool(), "kenniscentrum")
            .await
            .unwrap()
            .unwrap()
            .id;
        let gent = org::find_by_slug(db.pool(), "gent")
            .await
            .unwrap()
            .unwrap()
            .id;
        let outsider = person(&db, "red@gent.test", "Greet Gent", &gent, Role::Beheerder).await;
        let concept = campaign_with(&db, &editor, "Nieuwsbrief januari", "Winterwoord").await;
        // A concept: a conflict, nothing written.
        let mut tx = db.begin().await.unwrap();
        let refused = archive::set_archived(
            &mut tx,
            &editor.actor,
            &kc,
            &concept,
            true,
            &editor.audit(),
            now_ms(),
        )
        .await;
        assert!(matches!(refused, Err(steden_core::CoreError::Conflict(_))));
        tx.rollback().await.unwrap();
        // Someone of another organisation: forbidden.
        let mut tx = db.begin().await.unwrap();
        let refused = archive::set_archived(
            &mut tx,
            &outsider.actor,
            &kc,
            &concept,
            false,
            &outsider.audit(),
            now_ms(),
        )
        .await;
        assert!(matches!(refused, Err(steden_core::CoreError::Forbidden)));
        tx.rollback().await.unwrap();
        // Nor does the switch page open for them, or for a concept.
        login(&app, &outsider).await;
        let switch = format!("/nieuwsbrief/beheer/campagnes/{concept}/archief");
        assert_eq!(app.get(&switch).await.status(), 403);
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'archive'"
            )
            .await,
            0
        );
    })
    .await;
}
