//! The editors' subscriber administration (design §3.2), on both backends: who may open the
//! pages and send their forms; search, filters and keyset pages (also stable when someone
//! subscribes meanwhile); the CSV export defused and audited; editing, blocking, unblocking
//! and erasing a subscriber with their consent record and audit entries.

use steden_core::role::Role;
use steden_db::{now_ms, Db};
use steden_nieuwsbrief::model::{Language, SubscriberStatus};
use steden_nieuwsbrief::store::admin::{self, Filter};
use steden_testkit::{login, login_with, person, Person};

use crate::common::{count, csrf_token, each_nb_app, each_nb_db, TestApp};

/// The Kenniscentrum's editor (redacteur) and manager (beheerder), and a member of a city.
pub struct Staff {
    pub editor: Person,
    pub manager: Person,
    pub outsider: Person,
}

pub async fn staff(db: &Db) -> Staff {
    steden_core::org::seed_defaults(db).await.unwrap();
    let org = |slug: &'static str| async move {
        steden_core::org::find_by_slug(db.pool(), slug)
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let kenniscentrum = org("kenniscentrum").await;
    let gent = org("gent").await;
    Staff {
        editor: person(
            db,
            "red@kc.test",
            "Rita Redacteur",
            &kenniscentrum,
            Role::Redacteur,
        )
        .await,
        manager: person(
            db,
            "beheer@kc.test",
            "Bert Beheer",
            &kenniscentrum,
            Role::Beheerder,
        )
        .await,
        // A redacteur, but of a city: no editor of the newsletter.
        outsider: person(db, "red@gent.test", "Greet Gent", &gent, Role::Redacteur).await,
    }
}

/// Adds a subscriber directly (status, language, last change, lists with their status).
pub async fn add(
    db: &Db,
    email: &str,
    name: &str,
    language: &str,
    status: &str,
    updated_at: i64,
    lists: &[(&str, &str)],
) -> String {
    let id = steden_db::new_id();
    sqlx::query(
        "INSERT INTO nb_subscribers (id, email, name, language, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(&id)
    .bind(email)
    .bind(name)
    .bind(language)
    .bind(status)
    .bind(updated_at)
    .execute(db.pool())
    .await
    .unwrap();
    for (slug, list_status) in lists {
        sqlx::query(
            "INSERT INTO nb_subscriptions (subscriber_id, list_id, status, created_at, updated_at)
             SELECT $1, id, $2, $3, $3 FROM nb_lists WHERE slug = $4",
        )
        .bind(&id)
        .bind(*list_status)
        .bind(updated_at)
        .bind(*slug)
        .execute(db.pool())
        .await
        .unwrap();
    }
    sqlx::query(
        "INSERT INTO nb_consents (id, subscriber_id, kind, given, at, source, lists)
         VALUES ($1, $2, 'aanvraag', 1, $3, 'formulier:/nieuwsbrief', '[]')",
    )
    .bind(steden_db::new_id())
    .bind(&id)
    .bind(updated_at)
    .execute(db.pool())
    .await
    .unwrap();
    id
}

pub async fn get(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, location, response.text().await.unwrap())
}

pub async fn post(
    client: &reqwest::Client,
    app: &TestApp,
    token: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut body: Vec<(&str, &str)> = vec![("_csrf", token)];
    body.extend_from_slice(fields);
    client
        .post(app.url(action))
        .form(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn only_editors_open_the_pages_and_only_managers_the_settings() {
    each_nb_app(|app| async move {
        let people = staff(&app.db).await;
        let id = add(
            &app.db,
            "jan@gent.be",
            "Jan",
            "nl",
            "bevestigd",
            now_ms(),
            &[],
        )
        .await;
        let subscriber = format!("/nieuwsbrief/beheer/abonnees/{id}");
        let pages = [
            "/nieuwsbrief/beheer".to_string(),
            "/nieuwsbrief/beheer/abonnees".to_string(),
            "/nieuwsbrief/beheer/abonnees?status=bevestigd".to_string(),
            "/nieuwsbrief/beheer/abonnees.csv".to_string(),
            subscriber.clone(),
            format!("{subscriber}/wissen"),
            "/nieuwsbrief/beheer/instellingen".to_string(),
        ];
        let posts = [
            (subscriber.clone(), vec![("name", "X"), ("language", "nl")]),
            (format!("{subscriber}/blokkeren"), vec![]),
            (format!("{subscriber}/deblokkeren"), vec![]),
            (format!("{subscriber}/wissen"), vec![]),
            (
                "/nieuwsbrief/beheer/instellingen".to_string(),
                vec![("record_ip", "1")],
            ),
        ];

        // Anonymous: sent to log in, on every page.
        let anonymous = TestApp::new_client();
        for page in &pages {
            let (status, location, _) = get(&anonymous, &app, page).await;
            assert_eq!(status, 303, "{page}");
            assert!(location.starts_with("/aanmelden"), "{page}: {location}");
        }
        // Anonymous with the form page's token: refused.
        let (_, _, form) = get(&anonymous, &app, "/nieuwsbrief").await;
        let token = csrf_token(&form).unwrap();
        for (action, fields) in &posts {
            let status = post(&anonymous, &app, &token, action, fields)
                .await
                .status();
            assert!(
                status == 303 || status == 401 || status == 403,
                "{action}: {status}"
            );
        }

        // A redacteur of a city: forbidden everywhere.
        let outsider = TestApp::new_client();
        login_with(
            &app,
            &outsider,
            &people.outsider.email,
            &people.outsider.password,
        )
        .await;
        for page in &pages {
            let (status, _, _) = get(&outsider, &app, page).await;
            assert_eq!(status, 403, "{page}");
        }
        let (_, _, form) = get(&outsider, &app, "/nieuwsbrief").await;
        let token = csrf_token(&form).unwrap();
        for (action, fields) in &posts {
            let status = post(&outsider, &app, &token, action, fields).await.status();
            assert_eq!(status, 403, "{action}");
        }
        // Nothing was written.
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM nb_subscribers WHERE name = 'Jan' AND status = 'bevestigd'"
            )
            .await,
            1
        );
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM settings WHERE key = 'nieuwsbrief.record_ip'"
            )
            .await,
            0
        );

        // The editor opens every page but the settings.
        login(&app, &people.editor).await;
        for page in &pages {
            let (status, _, html) = get(&app.client, &app, page).await;
            let expected = if page.ends_with("instellingen") {
                403
            } else {
                200
            };
            assert_eq!(status, expected, "{page}");
            steden_testkit::assert_htmx_where_used(page, &html);
        }
        let (_, _, html) = get(&app.client, &app, "/nieuwsbrief/beheer").await;
        assert!(
            html.contains("href=\"/nieuwsbrief/beheer\""),
            "the menu entry"
        );
        assert!(!html.contains("/nieuwsbrief/beheer/instellingen"));
        let (_, _, html) = get(&app.client, &app, &subscriber).await;
        let token = csrf_token(&html).unwrap();
        let response = post(
            &app.client,
            &app,
            &token,
            "/nieuwsbrief/beheer/instellingen",
            &[("record_ip", "1")],
        )
        .await;
        assert_eq!(response.status(), 403);

        // The manager opens the settings, and sees them on the dashboard.
        let manager = TestApp::new_client();
        login_with(
            &app,
            &manager,
            &people.manager.email,
            &people.manager.password,
        )
        .await;
        let (status, _, html) = get(&manager, &app, "/nieuwsbrief/beheer").await;
        assert_eq!(status, 200);
        assert!(html.contains("/nieuwsbrief/beheer/instellingen"));
        let (status, _, html) = get(&manager, &app, "/nieuwsbrief/beheer/instellingen").await;
        assert_eq!(status, 200);
        assert!(html.contains("IP-adres bij toestemming bewaren"));
        assert!(!html.contains("checked"), "off by default");
    })
    .await;
}

#[tokio::test]
async fn search_filters_and_keyset_pages() {
    each_nb_db(|db| async move {
        let now = now_ms();
        for i in 0..120 {
            let status = if i % 3 == 0 { "afgemeld" } else { "bevestigd" };
            let language = if i % 4 == 0 { "en" } else { "nl" };
            let lists: &[(&str, &str)] = if i % 2 == 0 {
                &[("obmi", "actief")]
            } else {
                &[("klimaat", "actief"), ("obmi", "afgemeld")]
            };
            add(
                &db,
                &format!("abonnee{i:03}@stad.be"),
                &format!("Naam {i}"),
                language,
                status,
                now,
                lists,
            )
            .await;
        }
        add(
            &db,
            "els@gent.be",
            "Élise Van Damme",
            "nl",
            "bevestigd",
            now,
            &[],
        )
        .await;

        // Every subscriber once, in address order, in pages of 50.
        let all = Filter::default();
        assert_eq!(admin::count(db.pool(), &all).await.unwrap(), 121);
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = admin::page(db.pool(), &all, after.as_deref(), 50)
                .await
                .unwrap();
            if page.is_empty() {
                break;
            }
            after = page.last().map(|l| l.email.clone());
            seen.extend(page.into_iter().map(|l| l.email));
        }
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(seen, sorted);
        assert_eq!(seen.len(), 121);

        // A page does not shift when someone subscribes before it meanwhile.
        let first = admin::page(db.pool(), &all, None, 50).await.unwrap();
        let cursor = first.last().unwrap().email.clone();
        let second = admin::page(db.pool(), &all, Some(&cursor), 50)
            .await
            .unwrap();
        add(&db, "aaa@eerst.be", "", "nl", "bevestigd", now, &[]).await;
        let again = admin::page(db.pool(), &all, Some(&cursor), 50)
            .await
            .unwrap();
        assert_eq!(second, again);

        // Case does not matter, and wildcards are taken literally.
        let text = |t: &str| Filter {
            text: t.into(),
            ..Filter::default()
        };
        assert_eq!(
            admin::count(db.pool(), &text("ABONNEE00")).await.unwrap(),
            10
        );
        assert_eq!(admin::count(db.pool(), &text("naam 11")).await.unwrap(), 11);
        assert_eq!(
            admin::count(db.pool(), &text("VAN DAMME")).await.unwrap(),
            1
        );
        assert_eq!(admin::count(db.pool(), &text("%")).await.unwrap(), 0);
        assert_eq!(admin::count(db.pool(), &text("_")).await.unwrap(), 0);

        // Filters, alone and together.
        let status = Filter {
            status: Some(SubscriberStatus::Afgemeld),
            ..Filter::default()
        };
        assert_eq!(admin::count(db.pool(), &status).await.unwrap(), 40);
        let english = Filter {
            language: Some(Language::En),
            ..Filter::default()
        };
        assert_eq!(admin::count(db.pool(), &english).await.unwrap(), 30);
        // On a list means requested or active: an unsubscribed list does not count.
        let klimaat = Filter {
            list: Some("klimaat".into()),
            ..Filter::default()
        };
        assert_eq!(admin::count(db.pool(), &klimaat).await.unwrap(), 60);
        let obmi = Filter {
            list: Some("obmi".into()),
            ..Filter::default()
        };
        assert_eq!(admin::count(db.pool(), &obmi).await.unwrap(), 60);
        let together = Filter {
            text: "abonnee0".into(),
            status: Some(SubscriberStatus::Bevestigd),
            list: Some("obmi".into()),
            language: Some(Language::En),
        };
        // i < 100, even, i % 4 == 0 (English), i % 3 != 0: 4, 8, 16, 20, 28, ...
        let expected = (0..100).filter(|i| i % 4 == 0 && i % 3 != 0).count() as i64;
        assert_eq!(admin::count(db.pool(), &together).await.unwrap(), expected);
        let lines = admin::page(db.pool(), &together, None, 100).await.unwrap();
        assert_eq!(lines.len() as i64, expected);
        assert!(lines
            .iter()
            .all(|l| l.language == Language::En && l.status == SubscriberStatus::Bevestigd));

        // The dashboard's counts.
        let by_status = admin::counts_by_status(db.pool()).await.unwrap();
        assert!(by_status.contains(&(SubscriberStatus::Afgemeld, 40)));
        assert!(by_status.contains(&(SubscriberStatus::Bevestigd, 82)));
        assert!(by_status.contains(&(SubscriberStatus::Geblokkeerd, 0)));
        let by_list = admin::active_by_list(db.pool()).await.unwrap();
        let of = |slug: &str| by_list.iter().find(|(_, s, _)| s == slug).unwrap().2;
        // Confirmed (i % 3 != 0) with the list active.
        assert_eq!(
            of("obmi"),
            (0..120).filter(|i| i % 2 == 0 && i % 3 != 0).count() as i64
        );
        assert_eq!(
            of("klimaat"),
            (0..120).filter(|i| i % 2 == 1 && i % 3 != 0).count() as i64
        );
        assert_eq!(of("algemeen"), 0);
    })
    .await;
}

#[tokio::test]
async fn the_list_page_searches_pages_and_exports_defused() {
    each_nb_app(|app| async move {
        let people = staff(&app.db).await;
        let now = now_ms();
        for i in 0..60 {
            add(&app.db, &format!("lid{i:02}@stad.be"), "", "nl", "bevestigd", now, &[]).await;
        }
        add(&app.db, "=cmd@evil.be", "@SUM(A1)", "nl", "bevestigd", now, &[]).await;
        add(&app.db, "piet@gent.be", "=HYPERLINK(\"x\")", "en", "afgemeld", now, &[]).await;
        login(&app, &people.editor).await;

        let (status, _, html) = get(&app.client, &app, "/nieuwsbrief/beheer/abonnees").await;
        assert_eq!(status, 200);
        assert!(html.contains("Gevonden abonnees: 62."), "{html}");
        assert!(html.contains("hx-get=\"/nieuwsbrief/beheer/abonnees\""));
        let next = html
            .split("href=\"")
            .filter_map(|s| s.split('"').next())
            .find(|h| h.contains("na="))
            .expect("a link to the next page")
            .replace("&#38;", "&");
        let (_, _, second) = get(&app.client, &app, &next).await;
        assert!(second.contains("lid49@stad.be") || second.contains("lid48@stad.be"));
        assert!(!second.contains(">=cmd@evil.be<"), "the first page's line is not repeated");
        assert!(second.contains("Naar het begin"));

        let (_, _, html) = get(&app.client, &app, "/nieuwsbrief/beheer/abonnees?q=PIET&taal=en&status=afgemeld").await;
        assert!(html.contains("Gevonden abonnees: 1."), "{html}");
        assert!(html.contains("piet@gent.be"));
        assert!(html.contains("href=\"/nieuwsbrief/beheer/abonnees.csv?q=PIET&#38;status=afgemeld&#38;taal=en\""));

        let response = app
            .client
            .get(app.url("/nieuwsbrief/beheer/abonnees.csv"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let csv = response.text().await.unwrap();
        assert!(csv.starts_with("\u{feff}E-mailadres;Naam;Taal;Status"));
        assert_eq!(csv.lines().count(), 63);
        assert!(csv.contains("\r\n'=cmd@evil.be;'@SUM(A1);nl;bevestigd;"), "{csv}");
        assert!(csv.contains("piet@gent.be;\"'=HYPERLINK(\"\"x\"\")\";en;afgemeld;"), "{csv}");
        let filtered = get(&app.client, &app, "/nieuwsbrief/beheer/abonnees.csv?taal=en").await.2;
        assert_eq!(filtered.lines().count(), 2);
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'nb_subscriber' AND action = 'export'").await,
            2
        );
    })
    .await;
}

#[tokio::test]
async fn editors_edit_block_unblock_and_erase() {
    each_nb_app(|app| async move {
        let people = staff(&app.db).await;
        let now = now_ms();
        let id = add(&app.db, "jan@gent.be", "Jan", "nl", "bevestigd", now, &[("algemeen", "actief")]).await;
        let waiting = add(&app.db, "wacht@gent.be", "", "nl", "onbevestigd", now, &[]).await;
        login(&app, &people.editor).await;
        let page = format!("/nieuwsbrief/beheer/abonnees/{id}");
        let (status, _, html) = get(&app.client, &app, &page).await;
        assert_eq!(status, 200);
        assert!(html.contains("Geschiedenis van de toestemming") && html.contains("Aanvraag"));
        let token = csrf_token(&html).unwrap();

        // A list that does not exist: the form again with the message, nothing written.
        let response = post(&app.client, &app, &token, &page, &[("name", "Jan"), ("language", "nl"), ("lists", "bestaat-niet")]).await;
        assert_eq!(response.status(), 422);
        assert!(response.text().await.unwrap().contains("Kies alleen lijsten uit de lijst."));
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM nb_consents WHERE kind = 'beheer'").await, 0);

        // Name, language and lists: a consent record of kind beheer and an audit entry.
        let response = post(&app.client, &app, &token, &page, &[("name", "Jan Peeters"), ("language", "en"), ("lists", "klimaat"), ("lists", "stadsgenoten")]).await;
        assert_eq!(response.status(), 303);
        let row: (String, String, String) = sqlx::query_as("SELECT name, language, status FROM nb_subscribers WHERE id = $1")
            .bind(&id).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(row, ("Jan Peeters".into(), "en".into(), "bevestigd".into()));
        let lists: Vec<(String, String)> = sqlx::query_as(
            "SELECT l.slug, s.status FROM nb_subscriptions s JOIN nb_lists l ON l.id = s.list_id
             WHERE s.subscriber_id = $1 ORDER BY l.slug").bind(&id).fetch_all(app.db.pool()).await.unwrap();
        assert_eq!(lists, [("algemeen".into(), "afgemeld".into()), ("klimaat".into(), "actief".into()), ("stadsgenoten".into(), "actief".into())]);
        let consent: (String, String, i64) = sqlx::query_as(
            "SELECT source, lists, CAST(given AS BIGINT) FROM nb_consents WHERE subscriber_id = $1 AND kind = 'beheer'")
            .bind(&id).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(consent, (format!("beheer:{}", people.editor.id), "[\"klimaat\",\"stadsgenoten\"]".into(), 1));
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'nb_subscriber' AND action = 'update'").await, 1);
        // Saving without a change of lists adds no consent record.
        post(&app.client, &app, &token, &page, &[("name", "Jan P."), ("language", "en"), ("lists", "klimaat"), ("lists", "stadsgenoten")]).await;
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM nb_consents WHERE kind = 'beheer'").await, 1);

        // An unconfirmed address gets a list only as requested: no mail before it confirms.
        let waiting_page = format!("/nieuwsbrief/beheer/abonnees/{waiting}");
        post(&app.client, &app, &token, &waiting_page, &[("language", "nl"), ("lists", "obmi")]).await;
        let status: String = sqlx::query_scalar("SELECT status FROM nb_subscriptions WHERE subscriber_id = $1")
            .bind(&waiting).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(status, "aangevraagd");

        // Blocking: never mailed again, lists withdrawn; the form then sends nothing.
        let response = post(&app.client, &app, &token, &format!("{page}/blokkeren"), &[]).await;
        assert_eq!(response.status(), 303);
        let status: String = sqlx::query_scalar("SELECT status FROM nb_subscribers WHERE id = $1").bind(&id).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(status, "geblokkeerd");
        assert_eq!(count(&app.db, &format!("SELECT COUNT(*) FROM nb_subscriptions WHERE subscriber_id = '{id}' AND status <> 'afgemeld'")).await, 0);
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM nb_consents WHERE kind = 'beheer' AND given = 0").await, 1);
        let mut tx = app.db.begin().await.unwrap();
        let requested = steden_nieuwsbrief::store::subscribers::request(
            &mut tx,
            &steden_nieuwsbrief::store::subscribers::Request {
                email: "jan@gent.be".into(),
                lists: vec!["algemeen".into()],
                consent: true,
                consent_text_version: 1,
                source: "formulier:/nieuwsbrief".into(),
                ..Default::default()
            },
            now_ms(),
        ).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(requested, steden_nieuwsbrief::store::subscribers::Requested::Nothing);
        let (_, _, html) = get(&app.client, &app, &page).await;
        assert!(html.contains("Blokkering opheffen"));
        // A blocked subscriber's lists do not change.
        let response = post(&app.client, &app, &token, &page, &[("language", "nl"), ("lists", "obmi")]).await;
        assert_eq!(response.status(), 422);

        // Unblocking: unsubscribed, on no list.
        post(&app.client, &app, &token, &format!("{page}/deblokkeren"), &[]).await;
        let status: String = sqlx::query_scalar("SELECT status FROM nb_subscribers WHERE id = $1").bind(&id).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(status, "afgemeld");
        for action in ["block", "unblock"] {
            assert_eq!(count(&app.db, &format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND entity_id = '{id}'")).await, 1);
        }

        // Erasing: asked first, then everything goes; the audit keeps only the id.
        let (status, _, html) = get(&app.client, &app, &format!("{page}/wissen")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Definitief wissen"));
        let response = post(&app.client, &app, &token, &format!("{page}/wissen"), &[]).await;
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/nieuwsbrief/beheer/abonnees");
        for table in ["nb_subscribers WHERE id", "nb_subscriptions WHERE subscriber_id", "nb_consents WHERE subscriber_id"] {
            assert_eq!(count(&app.db, &format!("SELECT COUNT(*) FROM {table} = '{id}'")).await, 0, "{table}");
        }
        let summary: String = sqlx::query_scalar("SELECT summary FROM audit_log WHERE action = 'erase' AND entity_id = $1")
            .bind(&id).fetch_one(app.db.pool()).await.unwrap();
        assert!(summary.contains("door een redacteur"));
        let (status, _, _) = get(&app.client, &app, &page).await;
        assert_eq!(status, 404);
    })
    .await;
}
