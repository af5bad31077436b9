//! Editing the website over HTTP, on both backends: writing news with a history that can be
//! brought back, the Markdown preview (sanitised, with and without JavaScript), form errors
//! with nothing written, unique addresses, who may edit, image uploads (resized, re-encoded,
//! refused when they are not images, lack alt text or are too large) and featured items.

use crate::common;

use common::*;
use steden_kennisbank::model::{PageKind, PageStatus};
use steden_kennisbank::store::{featured, images, pages};

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

async fn count(db: &steden_db::Db, table: &str) -> i64 {
    use sqlx::Row;
    sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
        .fetch_one(db.pool())
        .await
        .unwrap()
        .get("n")
}

/// The fields of the page form, with `changes` over the defaults of a news draft.
fn page_fields<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("kind", "nieuws"),
        ("title", "Klimaatdag in Gent"),
        ("slug", ""),
        ("summary", "Steden delen hun klimaatplannen."),
        ("body_md", "Eerste **versie** van het bericht."),
        ("status", "concept"),
        ("publish_at", ""),
        ("programme", "Klimaat"),
        ("image_id", ""),
    ];
    for (name, value) in changes {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value,
            None => fields.push((name, value)),
        }
    }
    fields
}

const NEW: &str = "/beheer/site/paginas/nieuw";

#[tokio::test]
async fn an_editor_writes_news_and_brings_back_an_old_version() {
    each_kb_app(|app, w| async move {
        login(&app, &w.editor).await;
        let index = app.page("/beheer/site").await;
        assert!(
            index.contains("href=\"/beheer/site/paginas/nieuw?soort=nieuws\""),
            "{index}"
        );
        assert!(
            index.contains("href=\"/beheer/site/statistieken\""),
            "{index}"
        );
        assert!(
            index.contains("href=\"/beheer/kennisbank/documenten\""),
            "{index}"
        );
        let form = app.page("/beheer/site/paginas/nieuw?soort=nieuws").await;
        assert!(form.contains("Nieuw nieuwsbericht"), "{form}");
        assert!(
            form.contains("hx-post=\"/beheer/site/voorbeeld\""),
            "{form}"
        );
        assert!(form.contains("aria-live=\"polite\""), "{form}");

        let response = app
            .post_form(
                "/beheer/site/paginas/nieuw?soort=nieuws",
                NEW,
                &page_fields(&[]),
            )
            .await;
        assert_eq!(response.status(), 303);
        let page = pages::find_by_slug(w.db.pool(), PageKind::Nieuws, "klimaatdag-in-gent")
            .await
            .unwrap()
            .expect("the news item is stored under its title's slug");
        let edit = format!("/beheer/site/paginas/{}", page.id);
        assert_eq!(location(&response), edit);
        assert_eq!(page.status, PageStatus::Concept);
        assert_eq!(page.publish_at, None);
        assert_eq!(page.programme.as_deref(), Some("Klimaat"));

        // Publishing without a moment publishes now.
        let before = steden_db::now_ms();
        let response = app
            .post_form(
                &edit,
                &edit,
                &page_fields(&[("body_md", "Tweede versie."), ("status", "gepubliceerd")]),
            )
            .await;
        assert_eq!(response.status(), 303);
        let published = pages::find(w.db.pool(), &page.id).await.unwrap().unwrap();
        assert!(
            published.publish_at.is_some_and(|at| at >= before),
            "{published:?}"
        );
        assert!(published.is_live(steden_db::now_ms()));
        let response = app
            .post_form(
                &edit,
                &edit,
                &page_fields(&[("body_md", "Derde versie."), ("status", "gepubliceerd")]),
            )
            .await;
        assert_eq!(response.status(), 303);
        let third = pages::find(w.db.pool(), &page.id).await.unwrap().unwrap();
        assert_eq!(
            third.publish_at, published.publish_at,
            "the moment it went online stays"
        );

        let revisions = pages::revisions(w.db.pool(), &page.id).await.unwrap();
        assert_eq!(
            revisions.iter().map(|r| r.version).collect::<Vec<_>>(),
            [3, 2, 1]
        );
        assert_eq!(revisions[2].author_name.as_deref(), Some("Rik Redactie"));
        let history = app.page(&format!("{edit}/geschiedenis")).await;
        assert!(history.contains("Rik Redactie"), "{history}");
        assert!(history.contains("Versie 1 terugzetten"), "{history}");
        let old = app.page(&format!("{edit}/geschiedenis/1")).await;
        assert!(old.contains("<strong>versie</strong>"), "{old}");

        let response = app
            .post_form(
                &format!("{edit}/geschiedenis"),
                &format!("{edit}/geschiedenis/1/terugzetten"),
                &[],
            )
            .await;
        assert_eq!(response.status(), 303);
        let revisions = pages::revisions(w.db.pool(), &page.id).await.unwrap();
        assert_eq!(
            revisions.len(),
            4,
            "restoring adds a version and deletes none"
        );
        assert_eq!(revisions[0].version, 4);
        assert_eq!(revisions[0].body_md, "Eerste **versie** van het bericht.");
        let restored = pages::find(w.db.pool(), &page.id).await.unwrap().unwrap();
        assert_eq!(restored.body_md, "Eerste **versie** van het bericht.");
        assert_eq!(
            restored.status,
            PageStatus::Gepubliceerd,
            "the publication stays"
        );
        let flash = app.page(&format!("{edit}/geschiedenis")).await;
        assert!(
            flash.contains("Versie 1 is teruggezet als versie 4."),
            "{flash}"
        );

        // Every save left an audit entry.
        let trail = steden_core::audit::history(&w.db, "site_page", &page.id)
            .await
            .unwrap();
        let actions: Vec<_> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["restore", "update", "update", "create"]);
        assert!(trail
            .iter()
            .all(|e| e.actor_user_id.as_deref() == Some(w.editor.id.as_str())));

        // The list shows it with its status as text.
        let list = app.page("/beheer/site/paginas?soort=nieuws").await;
        assert!(list.contains("Klimaatdag in Gent"), "{list}");
        assert!(list.contains("Gepubliceerd"), "{list}");
        let drafts = app.page("/beheer/site/paginas?status=concept").await;
        assert!(!drafts.contains("Klimaatdag in Gent"), "{drafts}");
    })
    .await;
}

#[tokio::test]
async fn the_preview_is_sanitised_html_and_saves_nothing() {
    each_kb_app(|app, w| async move {
        login(&app, &w.editor).await;
        let markdown =
            "Een **vet** woord.\n\n<script>alert('x')</script>\n\n[klik](javascript:alert(1))";

        // htmx: the token in the header, the fragment back.
        let html = app.page(NEW).await;
        let token = csrf_token(&html).unwrap();
        let response = app
            .client
            .post(app.url("/beheer/site/voorbeeld"))
            .header("x-csrf-token", &token)
            .header("hx-request", "true")
            .form(&[("body_md", markdown)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let fragment = response.text().await.unwrap();
        assert!(fragment.contains("<strong>vet</strong>"), "{fragment}");
        assert!(!fragment.contains("<script"), "{fragment}");
        assert!(!fragment.contains("javascript:"), "{fragment}");
        assert!(
            !fragment.contains("<html"),
            "a fragment, not a page: {fragment}"
        );

        // Without a token the preview is refused like every other POST.
        let response = app
            .client
            .post(app.url("/beheer/site/voorbeeld"))
            .form(&[("body_md", markdown)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);

        // Without JavaScript: the "Voorbeeld tonen" button renders the form with the preview.
        let response = app
            .post_form(
                NEW,
                NEW,
                &page_fields(&[("body_md", markdown), ("voorbeeld", "1")]),
            )
            .await;
        assert_eq!(response.status(), 200);
        let page = response.text().await.unwrap();
        assert!(page.contains("<strong>vet</strong>"), "{page}");
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(page.contains("er is nog niets opgeslagen"), "{page}");
        assert!(
            page.contains("Klimaatdag in Gent"),
            "the typed title is kept: {page}"
        );
        assert_eq!(count(&w.db, "site_pages").await, 0);
        assert_eq!(count(&w.db, "site_page_revisions").await, 0);
    })
    .await;
}

#[tokio::test]
async fn bad_input_gets_dutch_errors_and_writes_nothing() {
    each_kb_app(|app, w| async move {
        login(&app, &w.editor).await;
        let response = app
            .post_form(NEW, NEW, &page_fields(&[("title", "   ")]))
            .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("Geef de pagina een titel."), "{html}");
        assert!(html.contains("id=\"title-fout\""), "{html}");
        assert!(
            html.contains("Steden delen hun klimaatplannen."),
            "input kept: {html}"
        );

        let response = app
            .post_form(NEW, NEW, &page_fields(&[("status", "gepland")]))
            .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("Geef het moment van publicatie"), "{html}");

        let response = app
            .post_form(
                NEW,
                NEW,
                &page_fields(&[("status", "gepland"), ("publish_at", "volgende week")]),
            )
            .await;
        assert_eq!(response.status(), 422);

        let long_body = "a".repeat(100_001);
        let response = app
            .post_form(NEW, NEW, &page_fields(&[("body_md", &long_body)]))
            .await;
        assert_eq!(response.status(), 422);
        assert_eq!(count(&w.db, "site_pages").await, 0);
        assert_eq!(count(&w.db, "site_page_revisions").await, 0);

        // Scheduled with a moment in Belgian time (summer time: UTC+2).
        let response = app
            .post_form(
                NEW,
                NEW,
                &page_fields(&[("status", "gepland"), ("publish_at", "2030-06-01T09:00")]),
            )
            .await;
        assert_eq!(response.status(), 303);
        let page = pages::find_by_slug(w.db.pool(), PageKind::Nieuws, "klimaatdag-in-gent")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(page.status, PageStatus::Gepland);
        assert_eq!(page.publish_at, Some(1_906_527_600_000)); // 2030-06-01T07:00:00Z
        assert!(!page.is_live(steden_db::now_ms()));
        let form = app.page(&format!("/beheer/site/paginas/{}", page.id)).await;
        assert!(form.contains("value=\"2030-06-01T09:00\""), "{form}");
        let index = app.page("/beheer/site").await;
        assert!(index.contains("status=gepland\">1<"), "{index}");
    })
    .await;
}

#[tokio::test]
async fn addresses_are_unique_per_kind() {
    each_kb_app(|app, w| async move {
        login(&app, &w.editor).await;
        let about = [("kind", "pagina"), ("title", "Over ons")];
        assert_eq!(
            app.post_form(NEW, NEW, &page_fields(&about)).await.status(),
            303
        );
        // A generated address that is taken gets a number.
        assert_eq!(
            app.post_form(NEW, NEW, &page_fields(&about)).await.status(),
            303
        );
        assert!(
            pages::find_by_slug(w.db.pool(), PageKind::Pagina, "over-ons")
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            pages::find_by_slug(w.db.pool(), PageKind::Pagina, "over-ons-2")
                .await
                .unwrap()
                .is_some()
        );
        // A typed address that is taken is an error.
        let response = app
            .post_form(
                NEW,
                NEW,
                &page_fields(&[
                    ("kind", "pagina"),
                    ("title", "Wie we zijn"),
                    ("slug", "over-ons"),
                ]),
            )
            .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("is al in gebruik door ‘Over ons’"), "{html}");
        // So is one with other characters.
        let response = app
            .post_form(
                NEW,
                NEW,
                &page_fields(&[
                    ("kind", "pagina"),
                    ("title", "Wie we zijn"),
                    ("slug", "Wie We Zijn!"),
                ]),
            )
            .await;
        assert_eq!(response.status(), 422);
        assert_eq!(count(&w.db, "site_pages").await, 2);
        // Another kind may use the same address.
        let response = app
            .post_form(
                NEW,
                NEW,
                &page_fields(&[("title", "Over ons"), ("slug", "over-ons")]),
            )
            .await;
        assert_eq!(response.status(), 303);
        assert!(
            pages::find_by_slug(w.db.pool(), PageKind::Nieuws, "over-ons")
                .await
                .unwrap()
                .is_some()
        );
        // Editing a page keeps its own address without calling it a clash.
        let page = pages::find_by_slug(w.db.pool(), PageKind::Pagina, "over-ons")
            .await
            .unwrap()
            .unwrap();
        let edit = format!("/beheer/site/paginas/{}", page.id);
        let response = app
            .post_form(
                &edit,
                &edit,
                &page_fields(&[
                    ("kind", "pagina"),
                    ("title", "Over ons"),
                    ("slug", "over-ons"),
                ]),
            )
            .await;
        assert_eq!(response.status(), 303);
    })
    .await;
}

#[tokio::test]
async fn only_the_kenniscentrums_editors_may_edit() {
    each_kb_app(|app, w| async move {
        let mut tx = w.db.begin().await.unwrap();
        let seeded = pages::create(
            &mut tx,
            &pages::PageDraft {
                kind: "pagina".into(),
                title: "Bestuur".into(),
                status: "gepubliceerd".into(),
                ..Default::default()
            },
            &w.editor.audit(),
            &w.kenniscentrum,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let edit = format!("/beheer/site/paginas/{}", seeded.id);
        let urls = [
            "/beheer/site".to_string(),
            "/beheer/site/paginas".to_string(),
            NEW.to_string(),
            edit.clone(),
            format!("{edit}/geschiedenis"),
            "/beheer/site/afbeeldingen".to_string(),
            "/beheer/site/uitgelicht".to_string(),
        ];
        // Anonymous visitors are sent to the login page, for pages and for writes.
        for url in &urls {
            let response = app.get(url).await;
            assert_eq!(response.status(), 303, "GET {url}");
            assert!(location(&response).starts_with("/aanmelden"), "GET {url}");
        }
        let response = app.post_form("/aanmelden", NEW, &page_fields(&[])).await;
        assert_eq!(response.status(), 303);
        assert!(location(&response).starts_with("/aanmelden"));

        for person in [&w.kc_reader, &w.gent_member] {
            login(&app, person).await;
            for url in &urls {
                assert_eq!(
                    app.get(url).await.status(),
                    403,
                    "GET {url} by {}",
                    person.email
                );
            }
            let posts = [
                (NEW.to_string(), page_fields(&[])),
                (edit.clone(), page_fields(&[("title", "Gekaapt")])),
                (
                    "/beheer/site/voorbeeld".to_string(),
                    vec![("body_md", "**x**")],
                ),
                (format!("{edit}/geschiedenis/1/terugzetten"), vec![]),
                (
                    "/beheer/site/uitgelicht".to_string(),
                    vec![("target", "pagina:x")],
                ),
            ];
            for (url, fields) in &posts {
                let response = app.post_form("/account", url, fields).await;
                assert_eq!(response.status(), 403, "POST {url} by {}", person.email);
            }
            let token = csrf_token(&app.page("/account").await).unwrap();
            let (content_type, body) = multipart(&[
                ("alt", None, b"Een foto"),
                ("bestand", Some("foto.png"), &png(20, 10)),
            ]);
            let response = app
                .client
                .post(app.url(&format!("/beheer/site/afbeeldingen?_csrf={token}")))
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 403);
        }
        assert_eq!(count(&w.db, "site_pages").await, 1);
        assert_eq!(count(&w.db, "site_page_revisions").await, 1);
        assert_eq!(count(&w.db, "site_images").await, 0);
        assert_eq!(count(&w.db, "site_featured").await, 0);
        let page = pages::find(w.db.pool(), &seeded.id).await.unwrap().unwrap();
        assert_eq!(page.title, "Bestuur");
    })
    .await;
}

/// A multipart/form-data body: (field name, file name, content).
fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----stedenTestGrens7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, filename, content) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match filename {
            Some(filename) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A PNG of `width` × `height` with a gradient (no transparency).
fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn upload(app: &TestApp, parts: &[(&str, Option<&str>, &[u8])]) -> reqwest::Response {
    let token = csrf_token(&app.page("/beheer/site/afbeeldingen").await).unwrap();
    let (content_type, body) = multipart(parts);
    app.client
        .post(app.url(&format!("/beheer/site/afbeeldingen?_csrf={token}")))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn images_are_checked_resized_and_served() {
    each_kb_app(|app, w| async move {
        login(&app, &w.editor).await;
        let big = png(3000, 2000);
        let response = upload(
            &app,
            &[
                ("bestand", Some("../stadhuis Gent.png"), &big),
                ("alt", None, "Het stadhuis van Gent bij avond".as_bytes()),
            ],
        )
        .await;
        assert_eq!(response.status(), 303);
        let stored = images::list(w.db.pool()).await.unwrap();
        assert_eq!(stored.len(), 1);
        let image = &stored[0];
        assert_eq!((image.width, image.height), (1600, 1066));
        assert_eq!(image.alt, "Het stadhuis van Gent bij avond");
        assert_eq!(image.content_type, "image/jpeg");

        // Served to everyone, with its type, a day of caching and a safe name.
        let anonymous = TestApp::new_client();
        let response = anonymous
            .get(app.url(&format!("/afbeeldingen/{}", image.id)))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(header(&response, "content-type"), "image/jpeg");
        assert_eq!(header(&response, "x-content-type-options"), "nosniff");
        assert_eq!(header(&response, "cache-control"), "public, max-age=86400");
        let disposition = header(&response, "content-disposition");
        assert!(
            disposition.starts_with("inline; filename=\"stadhuis Gent.jpg\""),
            "{disposition}"
        );
        let bytes = response.bytes().await.unwrap();
        let served = image::load_from_memory(&bytes).unwrap();
        assert_eq!((served.width(), served.height()), (1600, 1066));
        let missing = anonymous
            .get(app.url("/afbeeldingen/bestaat-niet"))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);

        // The list shows it with its alt text and size.
        let list = app.page("/beheer/site/afbeeldingen").await;
        assert!(
            list.contains("alt=\"Het stadhuis van Gent bij avond\""),
            "{list}"
        );
        assert!(list.contains("width=\"160\""), "{list}");
        assert!(list.contains("1600 × 1066"), "{list}");

        // A text file named .png.
        let response = upload(
            &app,
            &[
                (
                    "bestand",
                    Some("nep.png"),
                    b"Dit is gewoon tekst, geen afbeelding.",
                ),
                ("alt", None, b"Nep"),
            ],
        )
        .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(
            html.contains("geen afbeelding in een ondersteund formaat"),
            "{html}"
        );

        // No alt text.
        let small = png(40, 30);
        let response = upload(
            &app,
            &[("bestand", Some("klein.png"), &small), ("alt", None, b"  ")],
        )
        .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(
            html.contains("Beschrijf wat er op de afbeelding staat"),
            "{html}"
        );

        // Too large.
        let huge = vec![0x55u8; 11 * 1024 * 1024];
        let response = upload(
            &app,
            &[
                ("bestand", Some("groot.png"), &huge),
                ("alt", None, b"Groot"),
            ],
        )
        .await;
        assert_eq!(response.status(), 413);
        let html = response.text().await.unwrap();
        assert!(html.contains("Het bestand is te groot"), "{html}");
        assert!(html.contains("10 MB"), "{html}");

        assert_eq!(count(&w.db, "site_images").await, 1);

        // A page can show the image, and the list says where it is used.
        let response = app
            .post_form(NEW, NEW, &page_fields(&[("image_id", &image.id)]))
            .await;
        assert_eq!(response.status(), 303);
        let list = app.page("/beheer/site/afbeeldingen").await;
        assert!(
            list.contains("Klimaatdag in Gent (Nieuwsbericht)"),
            "{list}"
        );
        let response = app
            .post_form(
                NEW,
                NEW,
                &page_fields(&[("title", "Ander"), ("image_id", "weg")]),
            )
            .await;
        assert_eq!(response.status(), 422);
    })
    .await;
}

#[tokio::test]
async fn editors_choose_and_order_the_featured_items() {
    each_kb_app(|app, w| async move {
        let mut ids = Vec::new();
        for (kind, title) in [
            ("nieuws", "Nieuws A"),
            ("pagina", "Pagina B"),
            ("project", "Project C"),
        ] {
            let mut tx = w.db.begin().await.unwrap();
            let page = pages::create(
                &mut tx,
                &pages::PageDraft {
                    kind: kind.into(),
                    title: title.into(),
                    status: "gepubliceerd".into(),
                    ..Default::default()
                },
                &w.editor.audit(),
                &w.kenniscentrum,
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            ids.push(format!("{kind}:{}", page.id));
        }
        for (id, access) in [("doc-publiek", "publiek"), ("doc-leden", "leden")] {
            sqlx::query(
                "INSERT INTO kb_documents (id, slug, title, doc_type, access, extraction_status,
                     created_at, updated_at)
                 VALUES ($1, $1, $2, 'rapport', $3, 'geen', 0, 0)",
            )
            .bind(id)
            .bind(format!("Document {access}"))
            .bind(access)
            .execute(w.db.pool())
            .await
            .unwrap();
        }
        login(&app, &w.editor).await;
        const PAGE: &str = "/beheer/site/uitgelicht";
        let html = app.page(PAGE).await;
        assert!(html.contains("Document publiek"), "{html}");
        assert!(
            !html.contains("Document leden"),
            "members-only documents are not offered: {html}"
        );

        for target in [ids[0].as_str(), ids[1].as_str(), "document:doc-publiek"] {
            let response = app.post_form(PAGE, PAGE, &[("target", target)]).await;
            assert_eq!(response.status(), 303, "{target}");
        }
        let order = |entries: Vec<featured::Featured>| {
            entries.into_iter().map(|f| f.target_id).collect::<Vec<_>>()
        };
        let id_of = |target: &str| target.split_once(':').unwrap().1.to_string();
        assert_eq!(
            order(featured::entries(w.db.pool()).await.unwrap()),
            [id_of(&ids[0]), id_of(&ids[1]), "doc-publiek".to_string()]
        );
        // The same item twice, and a document that is not public, are refused.
        let response = app
            .post_form(PAGE, PAGE, &[("target", ids[0].as_str())])
            .await;
        assert_eq!(response.status(), 422);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("wordt al uitgelicht"));
        let response = app
            .post_form(PAGE, PAGE, &[("target", "document:doc-leden")])
            .await;
        assert_eq!(response.status(), 422);
        assert_eq!(count(&w.db, "site_featured").await, 3);

        // Move the document up, then the first item down.
        let entries = featured::entries(w.db.pool()).await.unwrap();
        let response = app
            .post_form(PAGE, &format!("{PAGE}/{}/omhoog", entries[2].id), &[])
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(
            order(featured::entries(w.db.pool()).await.unwrap()),
            [id_of(&ids[0]), "doc-publiek".to_string(), id_of(&ids[1])]
        );
        let response = app
            .post_form(PAGE, &format!("{PAGE}/{}/omlaag", entries[0].id), &[])
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(
            order(featured::entries(w.db.pool()).await.unwrap()),
            ["doc-publiek".to_string(), id_of(&ids[0]), id_of(&ids[1])]
        );
        // Moving the top item up changes nothing.
        let top = featured::entries(w.db.pool()).await.unwrap()[0].id.clone();
        app.post_form(PAGE, &format!("{PAGE}/{top}/omhoog"), &[])
            .await;
        assert_eq!(featured::entries(w.db.pool()).await.unwrap()[0].id, top);

        let response = app
            .post_form(PAGE, &format!("{PAGE}/{top}/verwijderen"), &[])
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(
            order(featured::entries(w.db.pool()).await.unwrap()),
            [id_of(&ids[0]), id_of(&ids[1])]
        );
        let html = app.page(PAGE).await;
        assert!(html.contains("Nieuws A"), "{html}");
        assert!(html.contains("Project C"), "still offered: {html}");
        let trail = steden_core::audit::list(
            &w.db,
            &steden_core::audit::Filter {
                entity_type: Some("site_featured".into()),
                ..Default::default()
            },
            100,
            0,
        )
        .await
        .unwrap();
        assert_eq!(trail.len(), 6, "three added, two moves, one removal");
    })
    .await;
}

/// The menu offers "Site beheren" only to those the page lets in (issue 11, point 7): a member
/// of a city, or a reader of the Kenniscentrum, would get 403 behind it.
#[tokio::test]
async fn the_menu_offers_site_management_to_editors_only() {
    each_kb_app(|app, w| async move {
        let entry = "href=\"/beheer/site\"";
        login(&app, &w.editor).await;
        let start = app.page("/start").await;
        assert!(start.contains(entry), "{start}");
        for person in [&w.kc_reader, &w.gent_member] {
            login(&app, person).await;
            let start = app.page("/start").await;
            assert!(!start.contains(entry), "{}: {start}", person.email);
            assert_eq!(app.get("/beheer/site").await.status(), 403);
        }
    })
    .await;
}
