//! The campaign editor (design §3.2, issue 14 point 2) on both backends: a new campaign with
//! the default sections; items found through the real Kennisbank and werkgroepen sources
//! (`steden_web::items::ItemSource`) and added as copies, Markdown blocks, moving and deleting
//! sections and blocks, each write audited; every change refused (409) once the campaign is
//! frozen; the Dutch messages of bad input with nothing written; and no page or form for
//! anyone but an editor.

use std::sync::Arc;

use steden_core::org;
use steden_core::role::Role;
use steden_core::CoreError;
use steden_db::Db;
use steden_nieuwsbrief::model::{CampaignStatus, Language};
use steden_nieuwsbrief::store::campaigns::{self, FrozenContent, NewCampaign};
use steden_nieuwsbrief::store::content::{self, BlockKind, Section};
use steden_nieuwsbrief::store::sections::{Direction, DEFAULT_SECTIONS, FROZEN_MESSAGE};
use steden_nieuwsbrief::store::{blocks, editor, sections};
use steden_testkit::{login, login_with, person, Person, PASSWORD};
use steden_web::items::{ItemQuery, ItemSource};
use steden_web::Module;

use crate::common::{count, csrf_token, TestApp};

/// The modules of the build up to nieuwsbrief, so that the Kennisbank's and werkgroepen's
/// item sources are registered as in the binary.
fn modules() -> Vec<Arc<dyn Module>> {
    vec![
        Arc::new(steden_plan::PlanModule),
        Arc::new(steden_kennisbank::KennisbankModule),
        Arc::new(steden_werkgroepen::WerkgroepenModule),
        Arc::new(steden_nieuwsbrief::NieuwsbriefModule),
    ]
}

struct World {
    db: Db,
    editor: Person,
    reader: Person,
    outsider: Person,
    /// A public Kennisbank document and a members' one.
    public_doc: String,
    members_doc: String,
    /// A public event.
    event: String,
}

async fn world(db: &Db) -> World {
    org::seed_defaults(db).await.unwrap();
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
    let editor = person(
        db,
        "redactie@kenniscentrum.test",
        "Rita Redactie",
        &kc,
        Role::Redacteur,
    )
    .await;
    let reader = person(
        db,
        "lezer@kenniscentrum.test",
        "Luc Lezer",
        &kc,
        Role::Lezer,
    )
    .await;
    let outsider = person(db, "red@gent.test", "Greet Gent", &gent, Role::Beheerder).await;
    let doc = |title: &str, access: &str| steden_kennisbank::model::documents::DocumentFields {
        title: title.into(),
        summary: format!("{title}: wat steden leerden."),
        doc_type: "rapport".into(),
        access: access.into(),
        doc_date: Some("2026-11-20".into()),
        external_url: Some("https://example.org/rapport".into()),
        ..Default::default()
    };
    let mut tx = db.begin().await.unwrap();
    let public_doc = steden_kennisbank::store::documents::create(
        &mut tx,
        &doc("Klimaatplan steden", "publiek"),
        None,
        &editor.audit(),
    )
    .await
    .unwrap()
    .id;
    let members_doc = steden_kennisbank::store::documents::create(
        &mut tx,
        &doc("Klimaat intern", "leden"),
        None,
        &editor.audit(),
    )
    .await
    .unwrap()
    .id;
    let event = steden_werkgroepen::store::events::create(
        &mut tx,
        &steden_werkgroepen::store::events::EventFields {
            slug: "studiedag-data".into(),
            title: "Studiedag data".into(),
            kind: "studiedag".into(),
            local_date: "2055-03-12".into(),
            local_start: "09:30".into(),
            local_end: "16:00".into(),
            place: "Brussel".into(),
            registration: "publiek".into(),
            ..Default::default()
        },
        &editor.id,
        &editor.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    World {
        db: db.clone(),
        editor,
        reader,
        outsider,
        public_doc,
        members_doc,
        event,
    }
}

async fn each_world_app<F, Fut>(test: F)
where
    F: Fn(TestApp, World) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let migrations = steden_web::app::all_migrations(&modules());
    steden_db::testing::each_test_db(&migrations, |test_db| {
        let test = &test;
        let db = test_db.db.clone();
        async move {
            let app = TestApp::spawn_on(db.clone(), modules()).await;
            let w = world(&db).await;
            test(app, w).await;
        }
    })
    .await;
}

async fn new_campaign(w: &World, subject: &str) -> String {
    let mut tx = w.db.begin().await.unwrap();
    let id = editor::create_campaign(
        &mut tx,
        &NewCampaign {
            subject: subject.into(),
            preheader: "Het nieuws van de maand".into(),
            template_id: None,
            language: Language::Nl,
            lists: vec!["algemeen".into()],
            created_by: Some(w.editor.id.clone()),
        },
        &w.editor.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn load(db: &Db, id: &str) -> Vec<Section> {
    let mut conn = db.pool().acquire().await.unwrap();
    content::load(&mut conn, id).await.unwrap()
}

async fn freeze(db: &Db, id: &str) {
    let mut tx = db.begin().await.unwrap();
    campaigns::freeze(
        &mut tx,
        id,
        &FrozenContent {
            html: "<p>x</p>".into(),
            text: "x".into(),
            links: Vec::new(),
        },
        CampaignStatus::Gepland,
        Some(steden_db::now_ms() + 3_600_000),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

fn item_source(app: &TestApp, key: &str) -> Arc<dyn ItemSource> {
    app.state
        .ports()
        .all::<dyn ItemSource>()
        .iter()
        .find(|s| s.key() == key)
        .cloned()
        .unwrap_or_else(|| panic!("the source {key} is registered"))
}

fn conflict(result: steden_core::CoreResult<impl std::fmt::Debug>) {
    match result {
        Err(CoreError::Conflict(message)) => assert_eq!(message, FROZEN_MESSAGE),
        other => panic!("expected the frozen conflict, got {other:?}"),
    }
}

#[tokio::test]
async fn the_store_builds_a_concept_and_refuses_changes_once_frozen() {
    each_world_app(|app, w| async move {
        let id = new_campaign(&w, "Nieuwsbrief december").await;
        let sections = load(&w.db, &id).await;
        let titles: Vec<&str> = sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, DEFAULT_SECTIONS);
        let kennis = sections[1].id.clone();
        let aankondigingen = sections[0].id.clone();

        // Items through the real sources: only what is public comes back.
        let kb = item_source(&app, "kennisbank");
        let found = kb
            .find(&w.db, &ItemQuery { search: "klimaat".into(), limit: 10, ..ItemQuery::default() })
            .await
            .unwrap();
        assert_eq!(found.len(), 1, "the members' document is not offered");
        assert_eq!(found[0].id, w.public_doc);
        assert!(kb.get(&w.db, &w.members_doc).await.unwrap().is_none());
        let event = item_source(&app, "werkgroepen").get(&w.db, &w.event).await.unwrap().unwrap();

        let audits = count(&w.db, "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'nb_campaign'").await;
        let mut tx = w.db.begin().await.unwrap();
        let doc_block = blocks::add_item(&mut tx, &id, &kennis, &found[0], &w.editor.audit()).await.unwrap();
        let event_block = blocks::add_item(&mut tx, &id, &kennis, &event, &w.editor.audit()).await.unwrap();
        let text = blocks::add_markdown(&mut tx, &id, &aankondigingen, "Welkom in **december**! %%NB_AFMELDEN_URL%%", &w.editor.audit())
            .await
            .unwrap();
        blocks::move_block(&mut tx, &id, &event_block, Direction::Up, &w.editor.audit()).await.unwrap();
        // At the edge nothing moves.
        blocks::move_block(&mut tx, &id, &event_block, Direction::Up, &w.editor.audit()).await.unwrap();
        sections::move_section(&mut tx, &id, &kennis, Direction::Up, &w.editor.audit()).await.unwrap();
        let extra = sections::add(&mut tx, &id, "Agenda", &w.editor.audit()).await.unwrap();
        sections::rename(&mut tx, &id, &extra, "Agenda 2027", &w.editor.audit()).await.unwrap();
        tx.commit().await.unwrap();

        let sections = load(&w.db, &id).await;
        let titles: Vec<&str> = sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles[..3], ["Kennis", "Aankondigingen", "Beleid"]);
        assert_eq!(titles.last(), Some(&"Agenda 2027"));
        let kennis_blocks: Vec<&str> = sections[0].blocks.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(kennis_blocks, [event_block.as_str(), doc_block.as_str()]);
        let copy = &sections[0].blocks[1];
        assert_eq!(copy.kind, BlockKind::Item);
        assert_eq!((copy.source_module.as_deref(), copy.source_id.as_deref()), (Some("kennisbank"), Some(w.public_doc.as_str())));
        assert_eq!(copy.title, "Klimaatplan steden");
        assert!(copy.url.starts_with("/kennisbank/documenten/"));
        let markdown = &sections[1].blocks[0];
        assert_eq!(markdown.id, text);
        assert_eq!(markdown.markdown, "Welkom in **december**!", "the frozen mail's markers are removed");
        // 2 items, the text, one block move (the one at the edge changes nothing), the section move, add, rename
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'nb_campaign'").await, audits + 7);

        // Bad input: a Dutch message, nothing written.
        let other = new_campaign(&w, "Een andere").await;
        let mut tx = w.db.begin().await.unwrap();
        let empty = blocks::add_markdown(&mut tx, &id, &kennis, "   ", &w.editor.audit()).await;
        assert!(matches!(empty, Err(CoreError::Invalid(ref f)) if f[0].message == "Schrijf de tekst van het blok."));
        let long = blocks::add_markdown(&mut tx, &id, &kennis, &"a".repeat(blocks::MARKDOWN_MAX + 1), &w.editor.audit()).await;
        assert!(matches!(long, Err(CoreError::Invalid(ref f)) if f[0].field == "markdown"));
        let untitled = sections::add(&mut tx, &id, "", &w.editor.audit()).await;
        assert!(matches!(untitled, Err(CoreError::Invalid(ref f)) if f[0].message == "Geef de sectie een titel."));
        let foreign = blocks::delete(&mut tx, &other, &doc_block, &w.editor.audit()).await;
        assert!(matches!(foreign, Err(CoreError::NotFound(_))), "a block of another campaign");
        drop(tx);

        // Deleting: a block, then a section with its blocks.
        let mut tx = w.db.begin().await.unwrap();
        blocks::delete(&mut tx, &id, &doc_block, &w.editor.audit()).await.unwrap();
        sections::delete(&mut tx, &id, &kennis, &w.editor.audit()).await.unwrap();
        tx.commit().await.unwrap();
        let sections = load(&w.db, &id).await;
        assert!(sections.iter().all(|s| s.id != kennis));
        assert_eq!(count(&w.db, &format!("SELECT COUNT(*) FROM nb_blocks WHERE id = '{event_block}'")).await, 0);

        // Frozen: every write is the conflict, and nothing changes.
        freeze(&w.db, &id).await;
        let before = load(&w.db, &id).await;
        let mut tx = w.db.begin().await.unwrap();
        let actor = w.editor.audit();
        let first = before[0].id.clone();
        conflict(sections::add(&mut tx, &id, "Nog iets", &actor).await);
        conflict(sections::rename(&mut tx, &id, &first, "Anders", &actor).await);
        conflict(sections::move_section(&mut tx, &id, &first, Direction::Down, &actor).await);
        conflict(sections::delete(&mut tx, &id, &first, &actor).await);
        conflict(blocks::add_item(&mut tx, &id, &first, &found[0], &actor).await);
        conflict(blocks::add_markdown(&mut tx, &id, &first, "Te laat", &actor).await);
        conflict(blocks::edit_markdown(&mut tx, &id, &text, "Te laat", &actor).await);
        conflict(blocks::move_block(&mut tx, &id, &text, Direction::Down, &actor).await);
        conflict(blocks::delete(&mut tx, &id, &text, &actor).await);
        let details = editor::Details { subject: "Nieuw".into(), preheader: String::new(), language: Language::Nl, lists: Vec::new() };
        conflict(editor::update_details(&mut tx, &id, &details, &actor).await);
        drop(tx);
        assert_eq!(load(&w.db, &id).await, before);
    })
    .await;
}

async fn get(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// POSTs `fields` with the CSRF token of the page at `form_page`.
async fn post(
    app: &TestApp,
    form_page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    app.post_form(form_page, action, fields).await
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn editors_build_a_campaign_through_the_pages() {
    each_world_app(|app, w| async move {
        login(&app, &w.editor).await;
        let list = app.page("/nieuwsbrief/beheer/campagnes").await;
        assert!(list.contains("Er is nog geen nieuwsbrief"));
        app.page("/nieuwsbrief/beheer/campagnes/nieuw").await;

        // Without a subject: the form again, 422, nothing written.
        let response = post(
            &app,
            "/nieuwsbrief/beheer/campagnes/nieuw",
            "/nieuwsbrief/beheer/campagnes/nieuw",
            &[("subject", " "), ("language", "nl"), ("lists", "algemeen")],
        )
        .await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("Geef de nieuwsbrief een onderwerp."));
        let response = post(
            &app,
            "/nieuwsbrief/beheer/campagnes/nieuw",
            "/nieuwsbrief/beheer/campagnes/nieuw",
            &[
                ("subject", "December"),
                ("language", "nl"),
                ("lists", "bestaat-niet"),
            ],
        )
        .await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("Deze lijst bestaat niet."));
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM nb_campaigns").await, 0);

        let response = post(
            &app,
            "/nieuwsbrief/beheer/campagnes/nieuw",
            "/nieuwsbrief/beheer/campagnes/nieuw",
            &[
                ("subject", "Nieuwsbrief december"),
                ("preheader", "Klimaat en data"),
                ("language", "nl"),
                ("lists", "algemeen"),
                ("lists", "klimaat"),
            ],
        )
        .await;
        assert_eq!(response.status().as_u16(), 303);
        let editor_path = location(&response);
        let id = editor_path.rsplit('/').next().unwrap().to_string();
        let page = app.page(&editor_path).await;
        for title in DEFAULT_SECTIONS {
            assert!(page.contains(&format!(">{title}</h2>")), "{title}");
        }
        assert!(page.contains("Sectie omhoog: Kennis"));
        assert!(page.contains(&format!("/nieuwsbrief/beheer/campagnes/{id}/voorbeeld")));
        let list = app
            .page("/nieuwsbrief/beheer/campagnes?status=concept&zoek=december")
            .await;
        assert!(list.contains("Nieuwsbrief december") && list.contains("Concept"));
        let none = app
            .page("/nieuwsbrief/beheer/campagnes?status=verzonden")
            .await;
        assert!(!none.contains("Nieuwsbrief december"));

        let sections = load(&w.db, &id).await;
        let kennis = &sections[1].id;
        let items = format!("/nieuwsbrief/beheer/campagnes/{id}/secties/{kennis}/items");
        // The search: the public document, not the members' one.
        let found = app
            .page(&format!("{items}?bron=kennisbank&zoek=klimaat"))
            .await;
        assert!(found.contains("Klimaatplan steden"));
        assert!(!found.contains("Klimaat intern"));
        assert!(found.contains("hx-get"), "htmx enhances the search");
        let events = app
            .page(&format!(
                "{items}?bron=werkgroepen&zoek=studiedag&van=2055-01-01&tot=2055-12-31"
            ))
            .await;
        assert!(events.contains("Studiedag data"));
        let bad = app
            .get(&format!(
                "{items}?bron=kennisbank&van=gisteren&tot=2020-01-01"
            ))
            .await;
        assert_eq!(bad.status().as_u16(), 422);
        assert!(bad
            .text()
            .await
            .unwrap()
            .contains("Geef een datum als jjjj-mm-dd"));

        let response = post(
            &app,
            &items,
            &items,
            &[("bron", "kennisbank"), ("item", &w.public_doc)],
        )
        .await;
        assert_eq!(response.status().as_u16(), 303);
        let response = post(
            &app,
            &items,
            &items,
            &[("bron", "werkgroepen"), ("item", &w.event)],
        )
        .await;
        assert_eq!(response.status().as_u16(), 303);
        // A document that is not public cannot be added, even by its id.
        let response = post(
            &app,
            &items,
            &items,
            &[("bron", "kennisbank"), ("item", &w.members_doc)],
        )
        .await;
        assert_eq!(location(&response), items);
        let blocks_now = &load(&w.db, &id).await[1].blocks;
        assert_eq!(blocks_now.len(), 2);
        let page = app.page(&editor_path).await;
        assert!(
            page.contains("Klimaatplan steden") && page.contains("Blok omhoog: Studiedag data")
        );

        // A Markdown block: empty refused, then written.
        let text_form = format!(
            "/nieuwsbrief/beheer/campagnes/{id}/secties/{}/tekst",
            sections[0].id
        );
        let response = post(&app, &text_form, &text_form, &[("markdown", "")]).await;
        assert_eq!(response.status().as_u16(), 422);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("Schrijf de tekst van het blok."));
        let response = post(
            &app,
            &text_form,
            &text_form,
            &[("markdown", "Fijne feestdagen!")],
        )
        .await;
        assert_eq!(response.status().as_u16(), 303);
        let text_block = load(&w.db, &id).await[0].blocks[0].id.clone();
        let edit = format!("/nieuwsbrief/beheer/campagnes/{id}/blokken/{text_block}");
        let response = post(
            &app,
            &edit,
            &edit,
            &[("markdown", "Fijne feestdagen en tot in 2027!")],
        )
        .await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(
            load(&w.db, &id).await[0].blocks[0].markdown,
            "Fijne feestdagen en tot in 2027!"
        );

        // Moving the second item up, and a section down.
        let second = blocks_now[1].id.clone();
        let response = post(
            &app,
            &editor_path,
            &format!("/nieuwsbrief/beheer/campagnes/{id}/blokken/{second}/verplaatsen"),
            &[("richting", "omhoog")],
        )
        .await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(load(&w.db, &id).await[1].blocks[0].id, second);
        let response = post(
            &app,
            &editor_path,
            &format!(
                "/nieuwsbrief/beheer/campagnes/{id}/secties/{}/verplaatsen",
                sections[0].id
            ),
            &[("richting", "omlaag")],
        )
        .await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(load(&w.db, &id).await[1].id, sections[0].id);

        // Deleting a block after the question.
        let delete = format!("/nieuwsbrief/beheer/campagnes/{id}/blokken/{second}/verwijderen");
        assert!(app.page(&delete).await.contains("Studiedag data"));
        let response = post(&app, &delete, &delete, &[]).await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(
            count(
                &w.db,
                &format!("SELECT COUNT(*) FROM nb_blocks WHERE id = '{second}'")
            )
            .await,
            0
        );

        // The details.
        let details = format!("/nieuwsbrief/beheer/campagnes/{id}/gegevens");
        let response = post(
            &app,
            &editor_path,
            &details,
            &[("subject", ""), ("language", "nl")],
        )
        .await;
        assert_eq!(response.status().as_u16(), 422);
        let response = post(
            &app,
            &editor_path,
            &details,
            &[
                ("subject", "Nieuwsbrief december 2026"),
                ("preheader", ""),
                ("language", "en"),
                ("lists", "algemeen"),
            ],
        )
        .await;
        assert_eq!(response.status().as_u16(), 303);
        let campaign = campaigns::get(w.db.pool(), &id).await.unwrap();
        assert_eq!(
            (
                campaign.subject.as_str(),
                campaign.language,
                campaign.lists.clone()
            ),
            (
                "Nieuwsbrief december 2026",
                Language::En,
                vec!["algemeen".to_string()]
            )
        );

        // Frozen: read-only, with links to the preview and the delivery; writes are 409.
        freeze(&w.db, &id).await;
        let page = app.page(&editor_path).await;
        assert!(page.contains("Gepland"));
        assert!(page.contains(&format!("/nieuwsbrief/beheer/campagnes/{id}/verzending")));
        assert!(!page.contains("Item toevoegen") && !page.contains("Sectie omhoog"));
        let token_page = app.page("/nieuwsbrief/beheer/campagnes/nieuw").await;
        let token = csrf_token(&token_page).unwrap();
        for (action, fields) in [
            (
                items.clone(),
                vec![("bron", "kennisbank"), ("item", w.public_doc.as_str())],
            ),
            (text_form.clone(), vec![("markdown", "Te laat")]),
            (
                details.clone(),
                vec![("subject", "Te laat"), ("language", "nl")],
            ),
            (
                format!("/nieuwsbrief/beheer/campagnes/{id}/secties"),
                vec![("title", "Te laat")],
            ),
            (
                format!("/nieuwsbrief/beheer/campagnes/{id}/blokken/{text_block}/verplaatsen"),
                vec![("richting", "omlaag")],
            ),
            (
                format!("/nieuwsbrief/beheer/campagnes/{id}/blokken/{text_block}/verwijderen"),
                vec![],
            ),
        ] {
            let mut body = vec![("_csrf", token.as_str())];
            body.extend(fields);
            let response = app
                .client
                .post(app.url(&action))
                .form(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 409, "{action}");
            assert!(response.text().await.unwrap().contains(FROZEN_MESSAGE));
        }
    })
    .await;
}

#[tokio::test]
async fn only_editors_open_the_pages_and_post_the_forms() {
    each_world_app(|app, w| async move {
        let id = new_campaign(&w, "Alleen voor de redactie").await;
        let section = load(&w.db, &id).await[0].id.clone();
        let mut tx = w.db.begin().await.unwrap();
        let block = blocks::add_markdown(&mut tx, &id, &section, "Tekst", &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let base = format!("/nieuwsbrief/beheer/campagnes/{id}");
        let pages = [
            "/nieuwsbrief/beheer/campagnes".to_string(),
            "/nieuwsbrief/beheer/campagnes/nieuw".to_string(),
            base.clone(),
            format!("{base}/secties/{section}/naam"),
            format!("{base}/secties/{section}/verwijderen"),
            format!("{base}/secties/{section}/items"),
            format!("{base}/secties/{section}/tekst"),
            format!("{base}/blokken/{block}"),
            format!("{base}/blokken/{block}/verwijderen"),
        ];
        let posts = [
            "/nieuwsbrief/beheer/campagnes/nieuw".to_string(),
            format!("{base}/gegevens"),
            format!("{base}/secties"),
            format!("{base}/secties/{section}/naam"),
            format!("{base}/secties/{section}/verplaatsen"),
            format!("{base}/secties/{section}/verwijderen"),
            format!("{base}/secties/{section}/items"),
            format!("{base}/secties/{section}/tekst"),
            format!("{base}/blokken/{block}"),
            format!("{base}/blokken/{block}/verplaatsen"),
            format!("{base}/blokken/{block}/verwijderen"),
        ];
        let anonymous = TestApp::new_client();
        for path in &pages {
            let response = anonymous.get(app.url(path)).send().await.unwrap();
            assert_eq!(response.status().as_u16(), 303, "anonymous {path}");
            assert!(
                location(&response).starts_with("/aanmelden"),
                "{}",
                location(&response)
            );
        }
        let before = count(
            &w.db,
            "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'nb_campaign'",
        )
        .await;
        for who in [&w.reader, &w.outsider] {
            let client = TestApp::new_client();
            login_with(&app, &client, &who.email, PASSWORD).await;
            for path in &pages {
                let (status, _) = get(&client, &app, path).await;
                assert_eq!(status, 403, "{} GET {path}", who.email);
            }
            // A CSRF token of this client's own session, from a page with a form.
            let (_, account) = get(&client, &app, "/account").await;
            let token = csrf_token(&account).expect("a form on the account page");
            for path in &posts {
                let response = client
                    .post(app.url(path))
                    .form(&[
                        ("_csrf", token.as_str()),
                        ("subject", "X"),
                        ("title", "X"),
                        ("markdown", "X"),
                        ("richting", "omhoog"),
                        ("bron", "kennisbank"),
                        ("item", w.public_doc.as_str()),
                    ])
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status().as_u16(), 403, "{} POST {path}", who.email);
            }
        }
        assert_eq!(
            count(
                &w.db,
                "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'nb_campaign'"
            )
            .await,
            before
        );
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM nb_campaigns").await, 1);
    })
    .await;
}
