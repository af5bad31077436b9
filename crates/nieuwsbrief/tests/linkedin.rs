//! The LinkedIn planner (issue 14 point 7): the rules of a post in the store and the planner's
//! pages, on both backends.

use chrono::{Duration, NaiveDate};
use steden_core::policy::Actor;
use steden_core::role::Role;
use steden_core::CoreError;
use steden_nieuwsbrief::access;
use steden_nieuwsbrief::linkedin::{self, IsoWeek, PostStatus};
use steden_nieuwsbrief::store::linkedin::{self as store, Figures, NewPost};
use steden_testkit::people::{login, person, Person};

use crate::common::{count, each_nb_app, each_nb_db};

/// An editor (redacteur of the Kenniscentrum), with the organisations seeded as at start-up.
async fn editor(db: &steden_db::Db, email: &str) -> (Person, String) {
    steden_core::org::seed_defaults(db).await.unwrap();
    let kenniscentrum = access::kenniscentrum_id(db).await.unwrap();
    let who = person(db, email, "Redacteur", &kenniscentrum, Role::Redacteur).await;
    (who, kenniscentrum)
}

fn invalid_field(error: CoreError) -> String {
    match error {
        CoreError::Invalid(errors) => errors
            .iter()
            .map(|e| e.field.clone())
            .collect::<Vec<_>>()
            .join(","),
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_post_goes_from_concept_to_posted_with_figures_and_refuses_what_does_not_fit() {
    each_nb_db(|db| async move {
        let (ed, kc) = editor(&db, "redactie@kenniscentrum.example").await;
        let this_week = IsoWeek::current();
        let mut tx = db.begin().await.unwrap();
        let id = store::create(
            &mut tx,
            &ed.actor,
            &kc,
            &NewPost {
                week: this_week.key(),
                text: "  Nieuwe paper over stadsgenoten.\nLees meer.  ".into(),
                source: None,
            },
            &ed.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let post = store::get(db.pool(), &id).await.unwrap();
        assert_eq!(post.status, PostStatus::Concept);
        assert_eq!(post.text, "Nieuwe paper over stadsgenoten.\nLees meer.");

        // Planning on a day outside its week is refused and changes nothing.
        let mut tx = db.begin().await.unwrap();
        let outside = this_week.plus(1).monday().to_string();
        let error = store::plan(&mut tx, &ed.actor, &kc, &id, &outside, &ed.audit())
            .await
            .unwrap_err();
        assert_eq!(invalid_field(error), "planned_on");
        tx.rollback().await.unwrap();
        let mut tx = db.begin().await.unwrap();
        let monday = this_week.monday().to_string();
        store::plan(&mut tx, &ed.actor, &kc, &id, &monday, &ed.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            store::get(db.pool(), &id).await.unwrap().status,
            PostStatus::Gepland
        );

        // Figures belong to a posted post.
        let figures = Figures {
            impressions: 1200,
            reactions: 30,
            reposts: 4,
            clicks: 55,
        };
        let today = linkedin::today().to_string();
        let mut tx = db.begin().await.unwrap();
        let error =
            store::record_figures(&mut tx, &ed.actor, &kc, &id, &today, figures, &ed.audit())
                .await
                .unwrap_err();
        assert!(matches!(error, CoreError::Conflict(_)), "{error:?}");
        tx.rollback().await.unwrap();

        // Posted needs a linkedin.com address and a day that is not in the future.
        let mut tx = db.begin().await.unwrap();
        let tomorrow = (linkedin::today() + Duration::days(1)).to_string();
        let error = store::mark_posted(&mut tx, &ed.actor, &kc, &id, "", &tomorrow, &ed.audit())
            .await
            .unwrap_err();
        assert_eq!(invalid_field(error), "url,posted_on");
        tx.rollback().await.unwrap();
        let mut tx = db.begin().await.unwrap();
        let error = store::mark_posted(
            &mut tx,
            &ed.actor,
            &kc,
            &id,
            "https://evil.example/www.linkedin.com/x",
            &today,
            &ed.audit(),
        )
        .await
        .unwrap_err();
        assert_eq!(invalid_field(error), "url");
        tx.rollback().await.unwrap();
        assert_eq!(
            store::get(db.pool(), &id).await.unwrap().status,
            PostStatus::Gepland,
            "nothing was written by the refused attempts"
        );
        let mut tx = db.begin().await.unwrap();
        store::mark_posted(
            &mut tx,
            &ed.actor,
            &kc,
            &id,
            "https://www.linkedin.com/posts/kenniscentrum_1?trk=share",
            &today,
            &ed.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let post = store::get(db.pool(), &id).await.unwrap();
        assert_eq!(post.status, PostStatus::Gepost);
        assert_eq!(
            post.url.as_deref(),
            Some("https://www.linkedin.com/posts/kenniscentrum_1")
        );

        // A posted post's text is fixed.
        let mut tx = db.begin().await.unwrap();
        let error = store::update(
            &mut tx,
            &ed.actor,
            &kc,
            &id,
            &this_week.key(),
            "Anders",
            &ed.audit(),
        )
        .await
        .unwrap_err();
        assert!(matches!(error, CoreError::Conflict(_)), "{error:?}");
        tx.rollback().await.unwrap();

        // Figures: a second entry on the same day replaces the first.
        for impressions in [800, 1200] {
            let mut tx = db.begin().await.unwrap();
            store::record_figures(
                &mut tx,
                &ed.actor,
                &kc,
                &id,
                &today,
                Figures {
                    impressions,
                    ..figures
                },
                &ed.audit(),
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        let measurements = store::measurements(db.pool(), &id).await.unwrap();
        assert_eq!(measurements.len(), 1);
        assert_eq!(measurements[0].figures, figures);
        let month_start = linkedin::today() - Duration::days(40);
        let latest =
            store::latest_figures_posted_between(db.pool(), month_start, linkedin::today())
                .await
                .unwrap();
        assert_eq!(latest, vec![(linkedin::today(), figures)]);

        // Every write was audited.
        let audited = count(
            &db,
            &format!("SELECT COUNT(*) FROM audit_log WHERE entity_id = '{id}'"),
        )
        .await;
        assert_eq!(audited, 5, "create, plan, posted, figures twice");
    })
    .await;
}

#[tokio::test]
async fn only_editors_write_posts() {
    each_nb_db(|db| async move {
        steden_core::org::seed_defaults(&db).await.unwrap();
        let kenniscentrum = access::kenniscentrum_id(&db).await.unwrap();
        let reader = person(
            &db,
            "lezer@kenniscentrum.example",
            "Lezer",
            &kenniscentrum,
            Role::Lezer,
        )
        .await;
        for who in [reader.actor.clone(), Actor::Anonymous] {
            let mut tx = db.begin().await.unwrap();
            let error = store::create(
                &mut tx,
                &who,
                &kenniscentrum,
                &NewPost {
                    week: IsoWeek::current().key(),
                    text: "Tekst".into(),
                    source: None,
                },
                &reader.audit(),
            )
            .await
            .unwrap_err();
            assert!(
                matches!(error, CoreError::Forbidden | CoreError::Unauthenticated),
                "{error:?}"
            );
        }
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM nb_linkedin_posts").await,
            0
        );
    })
    .await;
}

#[tokio::test]
async fn the_planner_shows_empty_weeks_and_a_post_made_through_the_pages() {
    each_nb_app(|app| async move {
        let (ed, _) = editor(&app.db, "planner@kenniscentrum.example").await;

        // Not logged in: to the login page; a reader: forbidden.
        let response = app.get("/nieuwsbrief/beheer/linkedin").await;
        assert_eq!(response.status(), 303);
        login(&app, &ed).await;

        let week = IsoWeek::current().plus(2);
        let planner = app.page("/nieuwsbrief/beheer/linkedin").await;
        assert_eq!(planner.matches("Nog geen post gepland.").count(), 12);
        assert!(planner.contains("12 weken zonder post."));
        assert!(planner.contains(r#"aria-current="date""#));

        // A post without text: the form again, 422, nothing written.
        let new_page = format!("/nieuwsbrief/beheer/linkedin/nieuw?week={}", week.key());
        let response = app
            .post_form(
                &new_page,
                "/nieuwsbrief/beheer/linkedin/nieuw",
                &[("week", &week.key()), ("text", "  ")],
            )
            .await;
        assert_eq!(response.status(), 422);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("Schrijf de tekst van de post."));
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM nb_linkedin_posts").await,
            0
        );

        let response = app
            .post_form(
                &new_page,
                "/nieuwsbrief/beheer/linkedin/nieuw",
                &[
                    ("week", &week.key()),
                    ("text", "Studiedag <Smart Flanders>"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let post_href = response.headers()["location"].to_str().unwrap().to_string();
        let planner = app.page("/nieuwsbrief/beheer/linkedin").await;
        assert_eq!(planner.matches("Nog geen post gepland.").count(), 11);
        assert!(planner.contains("Smart Flanders"));
        assert!(
            !planner.contains("<Smart Flanders>"),
            "typed text is escaped"
        );

        // Marked posted without an address: the post page with the message, 422.
        let response = app
            .post_form(
                &post_href,
                &format!("{post_href}/gepost"),
                &[("url", ""), ("posted_on", &linkedin::today().to_string())],
            )
            .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("Geef het adres van de post op LinkedIn."));
        assert!(html.contains("<title>Fout: "));

        // A reader of the Kenniscentrum may not open the planner.
        let kenniscentrum = access::kenniscentrum_id(&app.db).await.unwrap();
        let reader = person(
            &app.db,
            "lezer2@kenniscentrum.example",
            "Lezer",
            &kenniscentrum,
            Role::Lezer,
        )
        .await;
        let other = steden_testkit::TestApp::new_client();
        steden_testkit::people::login_with(&app, &other, &reader.email, &reader.password).await;
        let response = other
            .get(app.url("/nieuwsbrief/beheer/linkedin"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        let response = other.get(app.url(&post_href)).send().await.unwrap();
        assert_eq!(response.status(), 403);
    })
    .await;
}

#[test]
fn a_date_is_read_in_either_form() {
    assert_eq!(
        linkedin::parse_day("7/12/2026", "x").unwrap(),
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    );
    assert!(linkedin::parse_day("morgen", "x").is_err());
}

#[tokio::test]
async fn the_api_lists_a_range_of_weeks_for_editors_only() {
    use steden_core::api_token::{self, NewApiToken};
    each_nb_app(|app| async move {
        let (ed, kc) = editor(&app.db, "api@kenniscentrum.example").await;
        let this_week = IsoWeek::current();
        let today = linkedin::today().to_string();
        let mut tx = app.db.begin().await.unwrap();
        for (back, text) in [
            (0, "Deze week"),
            (3, "Drie weken terug"),
            (20, "Lang geleden"),
        ] {
            let week = this_week.plus(-back);
            let id = store::create(
                &mut tx,
                &ed.actor,
                &kc,
                &NewPost {
                    week: week.key(),
                    text: text.into(),
                    source: None,
                },
                &ed.audit(),
            )
            .await
            .unwrap();
            if back == 3 {
                let day = week.monday().to_string();
                store::mark_posted(
                    &mut tx,
                    &ed.actor,
                    &kc,
                    &id,
                    "https://www.linkedin.com/posts/x",
                    &day,
                    &ed.audit(),
                )
                .await
                .unwrap();
                store::record_figures(
                    &mut tx,
                    &ed.actor,
                    &kc,
                    &id,
                    &today,
                    Figures {
                        impressions: 900,
                        reactions: 12,
                        reposts: 2,
                        clicks: 40,
                    },
                    &ed.audit(),
                )
                .await
                .unwrap();
            }
        }
        tx.commit().await.unwrap();
        let token_of = |role: Role| {
            let app = &app;
            let ed = &ed;
            let kc = kc.clone();
            async move {
                let mut tx = app.db.begin().await.unwrap();
                let created = api_token::create(
                    &mut tx,
                    &ed.actor,
                    &NewApiToken {
                        name: "linkedin",
                        organisation_id: &kc,
                        modules: vec!["nieuwsbrief".into()],
                        role,
                        expires_at: None,
                    },
                    &["core", "nieuwsbrief"],
                )
                .await
                .unwrap();
                tx.commit().await.unwrap();
                created.plaintext
            }
        };
        let editor_token = token_of(Role::Redacteur).await;
        let reader_token = token_of(Role::Lezer).await;
        let get = |path: String, token: Option<String>| {
            let app = &app;
            async move {
                let mut request = app.client.get(app.url(&path));
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                (status, response.json::<serde_json::Value>().await.unwrap())
            }
        };
        let path = "/api/v1/nieuwsbrief/linkedin/posts".to_string();
        assert_eq!(get(path.clone(), None).await.0, 401);
        assert_eq!(get(path.clone(), Some(reader_token)).await.0, 403);

        // By default the last twelve weeks: two of the three posts.
        let (status, body) = get(path.clone(), Some(editor_token.clone())).await;
        assert_eq!(status, 200, "{body}");
        let posts = body.as_array().unwrap();
        assert_eq!(posts.len(), 2, "{body}");
        assert_eq!(posts[0]["text"], "Drie weken terug");
        assert_eq!(posts[0]["status"], "gepost");
        assert_eq!(posts[0]["measurements"][0]["impressions"], 900);
        assert_eq!(posts[1]["measurements"].as_array().unwrap().len(), 0);

        let wide = format!(
            "{path}?from={}&until={}",
            this_week.plus(-30).key(),
            this_week.key()
        );
        let (status, body) = get(wide, Some(editor_token.clone())).await;
        assert_eq!(status, 200);
        assert_eq!(body.as_array().unwrap().len(), 3);

        // A week that does not exist, a reversed or too long range: 422 on the parameter.
        for query in [
            "from=2025-W53".to_string(),
            format!(
                "from={}&until={}",
                this_week.key(),
                this_week.plus(-1).key()
            ),
            format!(
                "from={}&until={}",
                this_week.plus(-60).key(),
                this_week.key()
            ),
        ] {
            let (status, body) = get(format!("{path}?{query}"), Some(editor_token.clone())).await;
            assert_eq!(status, 422, "{query}: {body}");
            assert!(body["errors"].is_array(), "{body}");
        }
    })
    .await;
}
