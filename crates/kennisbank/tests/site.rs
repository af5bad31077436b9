//! The public website through HTTP on both backends: what the home page shows (only what is
//! online), drafts (404 for visitors, a preview for editors), the programme and werkspoor pages
//! from the published jaarplan (and only its published fields), the Atom feed, sitemap and
//! robots.txt, Open Graph tags, the privacy page, and page views counted without cookies with
//! the editors' statistics page.

use crate::common;

use common::{each_kb_app, login, TestApp, World};
use quick_xml::events::Event;
use steden_db::{new_id, now_ms, Db};
use steden_kennisbank::store::stats;
use steden_plan::model::PublishedField;
use steden_plan::store::items::{self, ItemFields};
use steden_plan::store::plans::{self, PlanFields};

const HOUR: i64 = 60 * 60 * 1000;

/// A page inserted directly (the editors' store is built elsewhere).
async fn page(
    db: &Db,
    kind: &str,
    slug: &str,
    title: &str,
    status: &str,
    publish_at: Option<i64>,
) -> String {
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO site_pages (id, kind, slug, title, summary, body_md, status, publish_at,
             project_state, programme, image_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL, $10, $10)",
    )
    .bind(&id)
    .bind(kind)
    .bind(slug)
    .bind(title)
    .bind(format!("Samenvatting van {title}"))
    .bind(format!("Tekst van **{title}**.\n\nMeer uitleg."))
    .bind(status)
    .bind(publish_at)
    .bind((kind == "project").then_some("lopend"))
    .bind(now)
    .execute(db.pool())
    .await
    .unwrap();
    id
}

async fn feature(db: &Db, kind: &str, target_id: &str, position: i32) {
    sqlx::query(
        "INSERT INTO site_featured (id, target_kind, target_id, position, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new_id())
    .bind(kind)
    .bind(target_id)
    .bind(position)
    .bind(now_ms())
    .execute(db.pool())
    .await
    .unwrap();
}

async fn document(db: &Db, slug: &str, title: &str, access: &str, programme: &str) {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO kb_documents (id, slug, title, summary, doc_type, programme, access,
             extraction_status, doc_date, created_at, updated_at)
         VALUES ($1, $2, $3, '', 'rapport', $4, $5, 'geen', '2024-03-01', $6, $6)",
    )
    .bind(new_id())
    .bind(slug)
    .bind(title)
    .bind(programme)
    .bind(access)
    .bind(now)
    .execute(db.pool())
    .await
    .unwrap();
}

fn set_cookies(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_string)
        .collect()
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

#[tokio::test]
async fn home_shows_featured_items_and_news_that_are_online() {
    each_kb_app(|app, w| async move {
        let db = &app.db;
        let now = now_ms();
        page(
            db,
            "nieuws",
            "live",
            "Nieuws dat online staat",
            "gepubliceerd",
            Some(now - HOUR),
        )
        .await;
        page(
            db,
            "nieuws",
            "concept",
            "Nieuws in concept",
            "concept",
            None,
        )
        .await;
        page(
            db,
            "nieuws",
            "later",
            "Nieuws voor morgen",
            "gepland",
            Some(now + 24 * HOUR),
        )
        .await;
        page(
            db,
            "nieuws",
            "oud",
            "Gearchiveerd nieuws",
            "gearchiveerd",
            Some(now - 48 * HOUR),
        )
        .await;
        page(
            db,
            "nieuws",
            "gepland",
            "Gepland en nu online",
            "gepland",
            Some(now - 2 * HOUR),
        )
        .await;
        let shown = page(
            db,
            "pagina",
            "uitgelicht",
            "Uitgelichte pagina",
            "gepubliceerd",
            None,
        )
        .await;
        let hidden = page(
            db,
            "pagina",
            "geheim",
            "Geheime conceptpagina",
            "concept",
            None,
        )
        .await;
        feature(db, "pagina", &shown, 1).await;
        feature(db, "pagina", &hidden, 2).await;

        let anonymous = TestApp::new_client();
        let html = anonymous
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Uitgelichte pagina"), "{html}");
        assert!(html.contains("Nieuws dat online staat"));
        assert!(html.contains("Gepland en nu online"));
        assert!(!html.contains("Geheime conceptpagina"));
        assert!(!html.contains("Nieuws in concept"));
        assert!(!html.contains("Nieuws voor morgen"));
        assert!(!html.contains("Gearchiveerd nieuws"));
        assert!(html.contains("action=\"/kennisbank\""), "search box");
        assert!(html.contains("href=\"/projecten\""));
        assert!(
            !html.contains("href=\"/start\""),
            "no workspace link for visitors"
        );

        // Not online: 404 for visitors; a scheduled page whose moment passed is online.
        assert_eq!(status_of(&anonymous, &app, "/nieuws/concept").await, 404);
        assert_eq!(status_of(&anonymous, &app, "/nieuws/later").await, 404);
        assert_eq!(status_of(&anonymous, &app, "/nieuws/oud").await, 404);
        assert_eq!(status_of(&anonymous, &app, "/pagina/geheim").await, 404);
        assert_eq!(status_of(&anonymous, &app, "/nieuws/gepland").await, 200);
        assert_eq!(
            status_of(&anonymous, &app, "/nieuws/bestaat-niet").await,
            404
        );
        let list = anonymous
            .get(app.url("/nieuws"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(list.contains("Nieuws dat online staat") && !list.contains("Nieuws in concept"));

        // A member who is not an editor gets the 404 too; an editor sees a preview.
        login(&app, &w.kc_reader).await;
        assert_eq!(app.get("/nieuws/concept").await.status(), 404);
        let home = app.page("/").await;
        assert!(
            home.contains("href=\"/start\""),
            "workspace link when logged in"
        );
        let editor = browser_of(&app, &w.editor).await;
        let preview = html_of(&editor, &app, "/nieuws/concept").await;
        assert!(
            preview.contains("Concept — niet zichtbaar voor bezoekers"),
            "{preview}"
        );
        assert!(preview.contains("Nieuws in concept"));
        let live = html_of(&editor, &app, "/nieuws/live").await;
        assert!(!live.contains("niet zichtbaar voor bezoekers"));
    })
    .await;
}

/// A second browser, logged in as `person`.
async fn browser_of(app: &TestApp, person: &common::Person) -> reqwest::Client {
    let client = TestApp::new_client();
    let html = client
        .get(app.url("/aanmelden"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = common::csrf_token(&html).unwrap_or_default();
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

async fn html_of(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn projects_are_split_into_running_and_finished() {
    each_kb_app(|app, _w| async move {
        let db = &app.db;
        page(
            db,
            "project",
            "loopt",
            "Project dat loopt",
            "gepubliceerd",
            None,
        )
        .await;
        let done = page(
            db,
            "project",
            "klaar",
            "Afgerond project",
            "gepubliceerd",
            None,
        )
        .await;
        sqlx::query(
            "UPDATE site_pages SET project_state = 'afgerond', programme = 'Klimaat' WHERE id = $1",
        )
        .bind(&done)
        .execute(db.pool())
        .await
        .unwrap();
        page(
            db,
            "project",
            "ontwerp",
            "Project in concept",
            "concept",
            None,
        )
        .await;
        let html = app.page("/projecten").await;
        let running = html.find("Lopende projecten").unwrap();
        let finished = html.find("Afgeronde projecten").unwrap();
        let loopt = html.find("Project dat loopt").unwrap();
        let klaar = html.find("Afgerond project").unwrap();
        assert!(
            running < loopt && loopt < finished && finished < klaar,
            "{html}"
        );
        assert!(!html.contains("Project in concept"));
        let project = app.page("/projecten/klaar").await;
        assert!(project.contains("Afgerond") && project.contains("Klimaat"));
        assert!(
            project.contains("<strong>Afgerond project</strong>"),
            "Markdown body"
        );
        assert!(project.contains("og:type\" content=\"article\""));
    })
    .await;
}

/// The Kenniscentrum's jaarplan: programme P1 Klimaat → werkspoor P1.W1 → doelstelling →
/// actie (lopend, 40 %); the plan is not published.
pub(crate) async fn jaarplan(w: &World) -> String {
    let db = &w.db;
    let levels: Vec<String> = ["Programma", "Werkspoor", "Doelstelling", "Actie"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut tx = db.begin().await.unwrap();
    let plan = plans::create(
        &mut tx,
        &w.kenniscentrum,
        &PlanFields {
            kind: "jaarplan".into(),
            title: "Jaarplan 2025".into(),
            description: String::new(),
            period_start: "2025-01-01".into(),
            period_end: "2025-12-31".into(),
            status: "vastgesteld".into(),
        },
        &levels,
        false,
        &w.editor.audit(),
    )
    .await
    .unwrap();
    let add = |code: &str, title: &str, description: &str| ItemFields {
        code: code.into(),
        title: title.into(),
        description: description.into(),
        ..ItemFields::default()
    };
    let p1 = items::create(
        &mut tx,
        &plan.id,
        None,
        &add("P1", "Klimaat", "Het programma over klimaatbeleid."),
        &w.editor.audit(),
    )
    .await
    .unwrap();
    let w1 = items::create(
        &mut tx,
        &plan.id,
        Some(&p1.id),
        &add("P1.W1", "Klimaatgovernance", ""),
        &w.editor.audit(),
    )
    .await
    .unwrap();
    let d1 = items::create(
        &mut tx,
        &plan.id,
        Some(&w1.id),
        &add("P1.W1.D1", "Steden delen hun klimaatplannen", ""),
        &w.editor.audit(),
    )
    .await
    .unwrap();
    let action = ItemFields {
        status: "lopend".into(),
        progress: "40".into(),
        ..add("P1.W1.D1.A1", "Een lerend netwerk opzetten", "")
    };
    items::create(&mut tx, &plan.id, Some(&d1.id), &action, &w.editor.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    plan.id
}

#[tokio::test]
async fn programme_pages_come_from_the_published_jaarplan_only() {
    each_kb_app(|app, w| async move {
        let plan_id = jaarplan(&w).await;
        document(
            &app.db,
            "klimaatrapport",
            "Klimaatrapport 2024",
            "publiek",
            "Klimaat",
        )
        .await;
        document(
            &app.db,
            "intern-klimaat",
            "Interne klimaatnota",
            "leden",
            "Klimaat",
        )
        .await;

        // Not published: no programmes, and the programme's address does not exist.
        let list = app.page("/programmas").await;
        assert!(list.contains("nog geen jaarplan"), "{list}");
        assert_eq!(app.get("/programmas/P1").await.status(), 404);

        let mut tx = app.db.begin().await.unwrap();
        plans::set_publication(
            &mut tx,
            &plan_id,
            true,
            &[PublishedField::Description, PublishedField::Status],
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        // The documents' programme texts are linked to the plan once it is published (at
        // start-up and every few minutes; here at once).
        steden_kennisbank::store::documents::link_unlinked(&app.db)
            .await
            .unwrap();

        let list = app.page("/programmas").await;
        assert!(list.contains("href=\"/programmas/klimaat\""), "{list}");
        let home = app.page("/").await;
        assert!(
            home.contains("href=\"/programmas/klimaat\""),
            "programmes on the home page"
        );

        let html = app.page("/programmas/klimaat").await;
        assert!(html.contains("<h1 lang=\"nl\">Klimaat</h1>"), "{html}");
        assert!(html.contains("Het programma over klimaatbeleid."));
        assert!(html.contains("href=\"/programmas/klimaat/klimaatgovernance\""));
        assert!(
            html.contains("Werkspoor") && html.contains("Doelstelling"),
            "level names"
        );
        assert!(html.contains("Steden delen hun klimaatplannen"));
        assert!(html.contains("Een lerend netwerk opzetten"));
        assert!(html.contains("Lopend"), "published status with its label");
        // Progress was not published: it is not on the page at all.
        assert!(!html.contains("<progress"), "{html}");
        assert!(!html.contains("40&nbsp;%"));
        // The programme's public documents, never a members-only one.
        assert!(html.contains("href=\"/kennisbank/documenten/klimaatrapport\""));
        assert!(!html.contains("Interne klimaatnota"));
        assert!(html.contains("href=\"/kennisbank?programme=Klimaat\""));

        let track = app.page("/programmas/klimaat/klimaatgovernance").await;
        assert!(
            track.contains("<h1 lang=\"nl\">Klimaatgovernance</h1>"),
            "{track}"
        );
        assert!(track.contains("Een lerend netwerk opzetten"));
        assert_eq!(app.get("/programmas/P1/P9").await.status(), 404);
        // Programmes and werksporen are addressed by their stable slug; an old address by
        // code redirects to it.
        for (old, new) in [
            ("/programmas/P1", "/programmas/klimaat"),
            (
                "/programmas/P1/P1.W1",
                "/programmas/klimaat/klimaatgovernance",
            ),
            (
                "/programmas/klimaat/P1.W1",
                "/programmas/klimaat/klimaatgovernance",
            ),
        ] {
            let response = app.get(old).await;
            assert_eq!(response.status(), 308, "{old}");
            assert_eq!(response.headers()["location"], new, "{old}");
        }
        assert_eq!(app.get("/programmas/P9").await.status(), 404);

        // Progress published too: now it shows.
        let mut tx = app.db.begin().await.unwrap();
        plans::set_publication(
            &mut tx,
            &plan_id,
            true,
            &[PublishedField::Status, PublishedField::Progress],
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let html = app.page("/programmas/klimaat").await;
        assert!(html.contains("40&nbsp;%"), "{html}");
        assert!(
            !html.contains("Het programma over klimaatbeleid."),
            "description no longer published"
        );

        // Taken offline: gone again.
        let mut tx = app.db.begin().await.unwrap();
        plans::set_publication(&mut tx, &plan_id, false, &[], &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(app.get("/programmas/P1").await.status(), 404);
    })
    .await;
}

/// The text of every element named `name`, and whether the root is an Atom feed.
fn xml_texts(xml: &str, name: &str) -> (Option<String>, Vec<String>) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut root_ns = None;
    let mut texts = Vec::new();
    let mut inside = false;
    let mut depth = 0;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                if depth == 0 {
                    root_ns = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == "xmlns")
                        .map(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned()
                        });
                }
                depth += 1;
                if e.name().as_ref() == name {
                    inside = true;
                    texts.push(String::new());
                }
            }
            Event::End(e) => {
                depth -= 1;
                if e.name().as_ref() == name {
                    inside = false;
                }
            }
            Event::Text(t) if inside => {
                texts.last_mut().unwrap().push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) if inside => {
                let c = match r.as_ref() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                };
                texts.last_mut().unwrap().push_str(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "every element closed");
    (root_ns, texts)
}

#[tokio::test]
async fn the_atom_feed_is_well_formed_and_escaped() {
    each_kb_app(|app, _w| async move {
        let now = now_ms();
        page(
            &app.db,
            "nieuws",
            "tips",
            "Tips & <trucs> voor \"steden\"",
            "gepubliceerd",
            Some(now - HOUR),
        )
        .await;
        page(
            &app.db,
            "nieuws",
            "tweede",
            "Tweede bericht",
            "gepubliceerd",
            Some(now - 2 * HOUR),
        )
        .await;
        page(
            &app.db,
            "nieuws",
            "concept",
            "Nog niet klaar",
            "concept",
            None,
        )
        .await;
        let response = TestApp::new_client()
            .get(app.url("/nieuws/feed.xml"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "application/atom+xml; charset=utf-8"
        );
        assert!(set_cookies(&response).is_empty(), "the feed sets no cookie");
        let xml = response.text().await.unwrap();
        let (ns, titles) = xml_texts(&xml, "title");
        assert_eq!(ns.as_deref(), Some("http://www.w3.org/2005/Atom"));
        // The feed's title and one per entry; the draft is not in it.
        assert_eq!(titles.len(), 3, "{xml}");
        assert_eq!(titles[1], "Tips & <trucs> voor \"steden\"");
        assert_eq!(titles[2], "Tweede bericht");
        let (_, entries) = xml_texts(&xml, "entry");
        assert_eq!(entries.len(), 2);
        let (_, ids) = xml_texts(&xml, "id");
        assert!(ids.iter().all(|id| id.starts_with("tag:")), "{ids:?}");
        let (_, contents) = xml_texts(&xml, "content");
        // The content is the sanitised HTML (the raw <trucs> tag is removed), escaped once.
        assert!(contents[0].contains("<strong>Tips &amp;"), "{contents:?}");
        assert!(!contents[0].contains("<trucs>"), "{contents:?}");
        assert!(xml.contains(&format!(
            "href=\"{}/nieuws/tips\"",
            app.state.config().base_url
        )));
        assert!(xml.contains("rel=\"self\""));
        let (_, updated) = xml_texts(&xml, "updated");
        assert!(
            updated.iter().all(|u| u.ends_with('Z') && u.len() == 20),
            "{updated:?}"
        );

        // News pages point to the feed.
        let html = app.page("/nieuws").await;
        assert!(html.contains("<link rel=\"alternate\" type=\"application/atom+xml\""));
    })
    .await;
}

#[tokio::test]
async fn sitemap_and_robots_list_only_public_addresses() {
    each_kb_app(|app, _w| async move {
        page(
            &app.db,
            "nieuws",
            "zichtbaar",
            "Zichtbaar nieuws",
            "gepubliceerd",
            None,
        )
        .await;
        page(
            &app.db,
            "nieuws",
            "verborgen",
            "Verborgen nieuws",
            "concept",
            None,
        )
        .await;
        document(
            &app.db,
            "openbaar-rapport",
            "Openbaar rapport",
            "publiek",
            "Klimaat",
        )
        .await;
        document(
            &app.db,
            "ledenrapport",
            "Rapport voor leden",
            "leden",
            "Klimaat",
        )
        .await;
        let base = app.state.config().base_url.clone();
        let response = app.get("/sitemap.xml").await;
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("xml"));
        let xml = response.text().await.unwrap();
        let (ns, locs) = xml_texts(&xml, "loc");
        assert_eq!(
            ns.as_deref(),
            Some("http://www.sitemaps.org/schemas/sitemap/0.9")
        );
        let has = |path: &str| locs.contains(&format!("{base}{path}"));
        assert!(has("/"), "{locs:?}");
        assert!(has("/kennisbank/documenten/openbaar-rapport"));
        assert!(!has("/kennisbank/documenten/ledenrapport"));
        assert!(has("/nieuws/zichtbaar"));
        assert!(!has("/nieuws/verborgen"));
        assert!(has("/privacy") && has("/kennisbank") && has("/publicaties") && has("/begrippen"));
        let (_, lastmods) = xml_texts(&xml, "lastmod");
        assert!(!lastmods.is_empty());
        assert!(
            lastmods
                .iter()
                .all(|d| d.len() == 10 && d.as_bytes()[4] == b'-'),
            "{lastmods:?}"
        );

        let robots = app.get("/robots.txt").await;
        assert!(robots.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain"));
        let text = robots.text().await.unwrap();
        assert!(text.contains("User-agent: *"));
        assert!(text.contains("Disallow: /beheer/"));
        assert!(text.contains("Disallow: /api/"));
        assert!(
            text.contains(&format!("Sitemap: {base}/sitemap.xml")),
            "{text}"
        );
    })
    .await;
}

#[tokio::test]
async fn pages_have_titles_descriptions_and_open_graph_tags() {
    each_kb_app(|app, _w| async move {
        let id = page(&app.db, "nieuws", "met-foto", "Nieuws met foto", "gepubliceerd", None).await;
        let now = now_ms();
        let file_id = new_id();
        sqlx::query(
            "INSERT INTO kb_files (id, filename, content_type, size_bytes, sha256, content_base64, created_at)
             VALUES ($1, 'foto.png', 'image/png', 1, 'x', 'AA==', $2)",
        )
        .bind(&file_id)
        .bind(now)
        .execute(app.db.pool())
        .await
        .unwrap();
        let image_id = new_id();
        sqlx::query(
            "INSERT INTO site_images (id, file_id, alt, width, height, created_at)
             VALUES ($1, $2, 'Burgemeesters op een rij', 10, 10, $3)",
        )
        .bind(&image_id)
        .bind(&file_id)
        .bind(now)
        .execute(app.db.pool())
        .await
        .unwrap();
        sqlx::query("UPDATE site_pages SET image_id = $1 WHERE id = $2")
            .bind(&image_id)
            .bind(&id)
            .execute(app.db.pool())
            .await
            .unwrap();
        let base = app.state.config().base_url.clone();
        let html = app.page("/nieuws/met-foto").await;
        assert!(html.contains("<title>Nieuws met foto · "), "{html}");
        assert!(html.contains("<meta name=\"description\" content=\"Samenvatting van Nieuws met foto\">"));
        assert!(html.contains("<meta property=\"og:title\" content=\"Nieuws met foto\">"));
        assert!(html.contains("<meta property=\"og:type\" content=\"article\">"));
        assert!(html.contains(&format!("<meta property=\"og:url\" content=\"{base}/nieuws/met-foto\">")));
        assert!(html.contains(&format!(
            "<meta property=\"og:image\" content=\"{base}/afbeeldingen/{image_id}\">"
        )));
        assert!(html.contains(&format!("<img class=\"kb-site-page-image\" src=\"/afbeeldingen/{image_id}\" alt=\"Burgemeesters op een rij\">")));
        assert!(html.contains("<link rel=\"alternate\" type=\"application/atom+xml\""));
        assert_eq!(html.matches("<h1").count(), 1);

        let privacy = app.page("/privacy").await;
        assert!(privacy.contains("<title>Privacyverklaring"));
        for cookie in ["steden_csrf", "steden_sessie", "steden_flash", "<code>lang</code>"] {
            assert!(privacy.contains(cookie), "{cookie}");
        }
        assert!(privacy.contains("geen IP-adres"));
    })
    .await;
}

/// Waits (briefly) for the counter's background write.
async fn views_become(db: &Db, path: &str, expected: i64) {
    let day = stats::day_of(now_ms());
    for _ in 0..100 {
        if stats::views_of(db.pool(), path, &day).await.unwrap() == expected {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!(
        "{path}: {} views, expected {expected}",
        stats::views_of(db.pool(), path, &day).await.unwrap()
    );
}

#[tokio::test]
async fn page_views_are_counted_without_cookies_and_shown_to_editors() {
    each_kb_app(|app, w| async move {
        page(
            &app.db,
            "nieuws",
            "geteld",
            "Geteld nieuws",
            "gepubliceerd",
            None,
        )
        .await;
        let visitor = TestApp::new_client();
        let first = visitor
            .get(app.url("/nieuws/geteld?bron=x"))
            .send()
            .await
            .unwrap();
        assert_eq!(first.status(), 200);
        // A visitor who only reads gets no cookie at all; counting sets none either.
        let cookies = set_cookies(&first);
        assert!(cookies.is_empty(), "{cookies:?}");
        let second = visitor.get(app.url("/nieuws/geteld")).send().await.unwrap();
        assert_eq!(second.status(), 200);
        assert!(
            set_cookies(&second).is_empty(),
            "{:?}",
            set_cookies(&second)
        );
        views_become(&app.db, "/nieuws/geteld", 2).await;

        // Not counted: htmx fragments, 404s, the home page is counted too.
        visitor
            .get(app.url("/nieuws/geteld"))
            .header("HX-Request", "true")
            .send()
            .await
            .unwrap();
        assert_eq!(status_of(&visitor, &app, "/nieuws/bestaat-niet").await, 404);
        assert_eq!(status_of(&visitor, &app, "/").await, 200);
        views_become(&app.db, "/", 1).await;
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let day = stats::day_of(now_ms());
        assert_eq!(
            stats::views_of(app.db.pool(), "/nieuws/geteld", &day)
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            stats::views_of(app.db.pool(), "/nieuws/bestaat-niet", &day)
                .await
                .unwrap(),
            0
        );

        let mut tx = app.db.begin().await.unwrap();
        stats::record_search(&mut tx, "Fietsstraten", 0, now_ms())
            .await
            .unwrap();
        stats::record_search(&mut tx, "fietsstraten", 0, now_ms())
            .await
            .unwrap();
        stats::record_search(&mut tx, "klimaat", 4, now_ms())
            .await
            .unwrap();
        stats::record_search(&mut tx, "klimaat", 0, now_ms())
            .await
            .unwrap();
        tx.commit().await.unwrap();

        // Anonymous: to the login page; a member who is not an editor: 403.
        let response = visitor
            .get(app.url("/beheer/site/statistieken"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap();
        assert!(location.starts_with("/aanmelden"), "{location}");
        login(&app, &w.kc_reader).await;
        assert_eq!(app.get("/beheer/site/statistieken").await.status(), 403);

        let editor = browser_of(&app, &w.editor).await;
        let html = html_of(&editor, &app, "/beheer/site/statistieken?dagen=7").await;
        assert!(
            html.contains("<a href=\"/nieuws/geteld\">/nieuws/geteld</a>"),
            "{html}"
        );
        let missing = html.find("Zoekopdrachten zonder resultaat").unwrap();
        let tail = &html[missing..];
        assert!(tail.contains("fietsstraten"), "{tail}");
        assert!(!tail.contains(">klimaat<"), "klimaat found something once");
        assert!(html[..missing].contains("klimaat"));
        assert!(html.contains("scope=\"col\"") && html.contains("<caption>"));
        // Editing pages are never counted.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let day = stats::day_of(now_ms());
        assert_eq!(
            stats::views_of(app.db.pool(), "/beheer/site/statistieken", &day)
                .await
                .unwrap(),
            0
        );
    })
    .await;
}

#[tokio::test]
async fn news_is_paginated_ten_per_page_newest_first() {
    each_kb_app(|app, _w| async move {
        let now = now_ms();
        for n in 1..=12 {
            let title = format!("Bericht nummer {n:02}");
            page(
                &app.db,
                "nieuws",
                &format!("bericht-{n}"),
                &title,
                "gepubliceerd",
                Some(now - (20 - n) * HOUR),
            )
            .await;
        }
        let first = app.page("/nieuws").await;
        assert!(first.contains("Bericht nummer 12") && first.contains("Bericht nummer 03"));
        assert!(!first.contains("Bericht nummer 02"));
        assert!(
            first.find("Bericht nummer 12").unwrap() < first.find("Bericht nummer 11").unwrap()
        );
        assert!(first.contains("href=\"/nieuws?pagina=2\""));
        let second = app.page("/nieuws?pagina=2").await;
        assert!(second.contains("Bericht nummer 02") && second.contains("Bericht nummer 01"));
        assert!(!second.contains("Bericht nummer 03"));
        assert_eq!(app.get("/nieuws?pagina=3").await.status(), 404);
        assert_eq!(app.get("/nieuws?pagina=0").await.status(), 404);
    })
    .await;
}
