//! Changing an event after it was created (issue 13 points 5 and 7), on both backends: the
//! organiser's edit form (a change of date, time or place mails every registered person
//! through the real SMTP server, more places move the waiting list up, wrong edits are
//! refused in Dutch and write nothing), cancelling with a reason (one mail each, also when
//! the job runs again; the plan's event series does not count it), the event's own
//! retention on the form and in the retention job, the page of an event series, and
//! registering and cancelling through the API with RFC 9457 problems (twelve callers at once
//! for two places: two seats, ten 409s).

use std::collections::BTreeMap;

use serde_json::{json, Value};
use steden_core::api_token::{self, NewApiToken};
use steden_core::role::Role;
use steden_db::Db;
use steden_plan::ports::MeasurementSource;
use steden_testkit::smtp::{header, parse_message, parse_mime, Mode, SmtpServer};
use steden_werkgroepen::store::event_changes::{self, ALREADY_CANCELLED, NOT_PLANNED};
use steden_werkgroepen::store::registrations::{self, Registrant};
use steden_werkgroepen::store::{attendance, events};

use crate::common::{client_of, count, each_wg_app, get_as, post_as, Person, TestApp, World};
use crate::events::run_mail_jobs;
use crate::registrations::{create_event, event_fields};

const BASE: &str = "http://steden.test";

/// Registers `email` anonymously (answers to the questions of `event_fields`).
async fn register(db: &Db, event_id: &str, name: &str, email: &str) -> String {
    let fields = BTreeMap::from([
        ("name".to_string(), name.to_string()),
        ("email".to_string(), email.to_string()),
        ("v1".to_string(), "vegetarisch".to_string()),
        ("v2".to_string(), "Stad".to_string()),
    ]);
    let mut tx = db.begin().await.unwrap();
    let registered =
        registrations::register(&mut tx, event_id, &Registrant::Anonymous, &fields, BASE)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    registered.id
}

/// (subject, text) of every message to `to`, oldest first.
fn mails_to(smtp: &SmtpServer, to: &str) -> Vec<(String, String)> {
    smtp.received()
        .iter()
        .filter(|m| m.recipients.iter().any(|r| r == to))
        .map(|m| {
            let (headers, _) = parse_message(&m.data);
            let subject = header(&headers, "subject").to_string();
            (subject, parse_mime(&m.data).find("text/plain").text())
        })
        .collect()
}

fn subjects_starting(mails: &[(String, String)], prefix: &str) -> usize {
    mails.iter().filter(|(s, _)| s.starts_with(prefix)).count()
}

/// The edit form's fields for the event of `event_fields(slug, capacity)`, with changes.
fn edit_fields<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields: BTreeMap<&str, &str> = BTreeMap::from([
        ("title", "Opleiding bewerkt"),
        ("kind", "opleiding"),
        ("series_id", ""),
        ("description_md", ""),
        ("local_date", "2055-06-15"),
        ("local_start", "09:30"),
        ("local_end", "16:30"),
        ("place", "Huis van de Vlaamse Steden, Brussel"),
        ("online_url", ""),
        ("registration", "publiek"),
        ("capacity", "2"),
        ("waitlist", "1"),
        (
            "questions",
            "Dieetwensen\nOrganisatie type: Stad | Partner *",
        ),
        ("retention_months", ""),
    ]);
    for (key, value) in changes {
        fields.insert(key, value);
    }
    fields.into_iter().collect()
}

/// The event row's fields that an edit would change, to show nothing was written.
async fn snapshot(db: &Db, event_id: &str) -> (String, String, String, String, i64, i64) {
    let row: (String, String, String, String, Option<i64>, i64) = sqlx::query_as(
        "SELECT title, local_date, local_start, place, capacity, ical_sequence
         FROM wg_events WHERE id = $1",
    )
    .bind(event_id)
    .fetch_one(db.pool())
    .await
    .unwrap();
    (row.0, row.1, row.2, row.3, row.4.unwrap_or(-1), row.5)
}

#[tokio::test]
async fn an_edit_mails_the_participants_and_a_wrong_edit_writes_nothing() {
    each_wg_app(|app, w| async move {
        let smtp = SmtpServer::start(Mode::Accept).await;
        let event = create_event(&w, &event_fields("bewerk", "2")).await;
        register(&w.db, &event, "Anna", "anna@aalst.be").await;
        register(&w.db, &event, "Bram", "bram@brugge.be").await;
        register(&w.db, &event, "Cas", "cas@charleroi.be").await;
        run_mail_jobs(&w.db, &smtp).await;
        let edit = "/werkgroepen/activiteiten/bewerk/bewerken";

        // Organiser or staff only.
        let member = client_of(&app, &w.gent_member).await;
        assert_eq!(get_as(&app, &member, edit).await.0, 403);
        let staff = client_of(&app, &w.staff).await;
        let (status, page) = get_as(&app, &staff, edit).await;
        assert_eq!(status, 200);
        assert!(page.contains("value=\"Opleiding bewerk\""), "{page}");
        assert!(page.contains("name=\"retention_months\""), "{page}");
        let (_, event_page) = get_as(&app, &staff, "/werkgroepen/activiteiten/bewerk").await;
        assert!(event_page.contains(edit), "the event page links the form");

        let before = snapshot(&w.db, &event).await;
        let jobs_before = count(&w.db, "SELECT COUNT(*) FROM jobs").await;
        for (changes, message) in [
            (
                vec![("local_start", "17:00"), ("place", "Gent")],
                "Het einde moet na het begin liggen.",
            ),
            (
                vec![("local_date", "2020-01-10"), ("place", "Gent")],
                "Deze datum ligt in het verleden.",
            ),
            (
                vec![
                    ("local_date", "2055-03-28"),
                    ("local_start", "02:30"),
                    ("place", "Gent"),
                ],
                "Dit tijdstip bestaat niet in België",
            ),
            (
                vec![("capacity", "1"), ("place", "Gent")],
                "Er zijn al 2 plaatsen bevestigd; minder plaatsen kan niet.",
            ),
            (
                vec![("retention_months", "121"), ("place", "Gent")],
                "Geef het aantal maanden als een getal van 1 tot en met 120",
            ),
            (
                vec![("questions", "Iets anders"), ("place", "Gent")],
                "Er zijn al inschrijvingen met antwoorden op deze vragen",
            ),
            (
                vec![("waitlist", ""), ("place", "Gent")],
                "Er staan nog 1 mensen op de wachtlijst",
            ),
        ] {
            let (status, body) = post_as(&app, &staff, edit, edit, &edit_fields(&changes)).await;
            assert_eq!(status, 422, "{changes:?}: {body}");
            assert!(body.contains("error-summary"), "{body}");
            assert!(body.contains(message), "{message}: {body}");
            assert_eq!(snapshot(&w.db, &event).await, before, "{changes:?}");
            assert_eq!(count(&w.db, "SELECT COUNT(*) FROM jobs").await, jobs_before);
        }

        // A new place and a third seat: Cas moves up, all three hear of the change.
        let (status, body) = post_as(
            &app,
            &staff,
            edit,
            edit,
            &edit_fields(&[
                ("place", "Stadhuis Gent, Botermarkt 1"),
                ("capacity", "3"),
                ("retention_months", "6"),
            ]),
        )
        .await;
        assert_eq!(status, 303, "{body}");
        let (title, _, _, place, capacity, sequence) = snapshot(&w.db, &event).await;
        assert_eq!(
            (title.as_str(), place.as_str(), capacity, sequence),
            ("Opleiding bewerkt", "Stadhuis Gent, Botermarkt 1", 3, 1)
        );
        let retention: Option<i64> =
            sqlx::query_scalar("SELECT retention_months FROM wg_events WHERE id = $1")
                .bind(&event)
                .fetch_one(w.db.pool())
                .await
                .unwrap();
        assert_eq!(retention, Some(6));
        run_mail_jobs(&w.db, &smtp).await;
        for to in ["anna@aalst.be", "bram@brugge.be", "cas@charleroi.be"] {
            let mails = mails_to(&smtp, to);
            assert_eq!(
                subjects_starting(&mails, "Gewijzigd: "),
                1,
                "{to}: {mails:?}"
            );
            let (_, text) = mails
                .iter()
                .find(|(s, _)| s.starts_with("Gewijzigd"))
                .unwrap();
            assert!(text.contains("Stadhuis Gent, Botermarkt 1"), "{text}");
        }
        assert_eq!(
            subjects_starting(
                &mails_to(&smtp, "cas@charleroi.be"),
                "Er is een plaats vrij"
            ),
            1
        );

        // Only the title changes: nobody is mailed again.
        let (status, _) = post_as(
            &app,
            &staff,
            edit,
            edit,
            &edit_fields(&[
                ("title", "Opleiding met een nieuwe titel"),
                ("place", "Stadhuis Gent, Botermarkt 1"),
                ("capacity", "3"),
            ]),
        )
        .await;
        assert_eq!(status, 303);
        run_mail_jobs(&w.db, &smtp).await;
        assert_eq!(
            subjects_starting(&mails_to(&smtp, "anna@aalst.be"), "Gewijzigd: "),
            1
        );
        assert_eq!(snapshot(&w.db, &event).await.5, 1);
    })
    .await;
}

#[tokio::test]
async fn cancelling_mails_everyone_once_and_the_plan_does_not_count_it() {
    each_wg_app(|app, w| async move {
        let smtp = SmtpServer::start(Mode::Accept).await;
        let mut tx = w.db.begin().await.unwrap();
        let series = events::create_series(&mut tx, "reeks-a", "Reeks A", "", &w.staff.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let in_series = |slug: &str, date: &str| {
            let mut fields = event_fields(slug, "1");
            fields.series_id = series.clone();
            fields.local_date = date.into();
            fields
        };
        let held = create_event(&w, &in_series("gehouden", "2055-03-10")).await;
        let zoe = register(&w.db, &held, "Zoë", "zoe@gent.be").await;
        let event = create_event(&w, &in_series("afgelast", "2055-05-12")).await;
        let anna = register(&w.db, &event, "Anna", "anna@aalst.be").await;
        register(&w.db, &event, "Bram", "bram@brugge.be").await;
        // The first took place; the second was marked and corrected (held_marked_at stays).
        let mut tx = w.db.begin().await.unwrap();
        attendance::record(&mut tx, &held, std::slice::from_ref(&zoe), &w.staff.audit())
            .await
            .unwrap();
        attendance::record(
            &mut tx,
            &event,
            std::slice::from_ref(&anna),
            &w.staff.audit(),
        )
        .await
        .unwrap();
        attendance::record(&mut tx, &event, &[], &w.staff.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        run_mail_jobs(&w.db, &smtp).await;

        let cancel = "/werkgroepen/activiteiten/afgelast/annuleren";
        let member = client_of(&app, &w.gent_member).await;
        assert_eq!(get_as(&app, &member, cancel).await.0, 403);
        let (status, _) = post_as(&app, &member, cancel, cancel, &[("reason", "x")]).await;
        assert_eq!(status, 403);
        let staff = client_of(&app, &w.staff).await;
        let (status, page) = get_as(&app, &staff, cancel).await;
        assert_eq!(status, 200);
        assert!(page.contains("name=\"reason\""), "{page}");
        // No reason: refused, nothing written.
        let (status, body) = post_as(&app, &staff, cancel, cancel, &[("reason", "  ")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("Geef de reden van de annulering"), "{body}");
        let status_of = |id: String| {
            let db = w.db.clone();
            async move {
                sqlx::query_scalar::<_, String>("SELECT status FROM wg_events WHERE id = $1")
                    .bind(id)
                    .fetch_one(db.pool())
                    .await
                    .unwrap()
            }
        };
        assert_eq!(status_of(event.clone()).await, "gepland");

        let (status, body) = post_as(
            &app,
            &staff,
            cancel,
            cancel,
            &[("reason", "De spreker is ziek.")],
        )
        .await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(status_of(event.clone()).await, "geannuleerd");
        let page = app.page("/werkgroepen/activiteiten/afgelast").await;
        assert!(page.contains("Geannuleerd"), "{page}");
        assert!(
            !page.contains("/inschrijven\""),
            "no registration form: {page}"
        );
        assert!(app
            .page("/werkgroepen/activiteiten")
            .await
            .contains("Geannuleerd"));
        // Registering is closed.
        let mut tx = w.db.begin().await.unwrap();
        let fields = BTreeMap::from([
            ("name".to_string(), "Cas".to_string()),
            ("email".to_string(), "cas@charleroi.be".to_string()),
            ("v2".to_string(), "Stad".to_string()),
        ]);
        let refused =
            registrations::register(&mut tx, &event, &Registrant::Anonymous, &fields, BASE).await;
        tx.rollback().await.unwrap();
        assert!(
            format!("{refused:?}").contains(registrations::CLOSED),
            "{refused:?}"
        );

        run_mail_jobs(&w.db, &smtp).await;
        for to in ["anna@aalst.be", "bram@brugge.be"] {
            let mails = mails_to(&smtp, to);
            assert_eq!(subjects_starting(&mails, "Geannuleerd: "), 1, "{mails:?}");
            assert!(mails.iter().any(|(_, t)| t.contains("De spreker is ziek.")));
        }
        // A job that runs again mails nobody twice.
        let payloads: Vec<String> = sqlx::query_scalar(
            "SELECT payload FROM jobs WHERE kind = 'werkgroepen.mail_event'
             AND payload LIKE '%afgelast%'",
        )
        .fetch_all(w.db.pool())
        .await
        .unwrap();
        assert_eq!(payloads.len(), 2);
        for payload in payloads {
            steden_werkgroepen::event_mail::handle(&w.db, serde_json::from_str(&payload).unwrap())
                .await
                .unwrap();
        }
        run_mail_jobs(&w.db, &smtp).await;
        for to in ["anna@aalst.be", "bram@brugge.be"] {
            assert_eq!(subjects_starting(&mails_to(&smtp, to), "Geannuleerd: "), 1);
        }
        // A cancelled event seats nobody: no new places, no moving up when Anna cancels.
        let mut tx = w.db.begin().await.unwrap();
        let more =
            registrations::set_capacity(&mut tx, &event, Some(5), &w.staff.audit(), BASE).await;
        tx.rollback().await.unwrap();
        assert!(
            format!("{more:?}").contains(registrations::EVENT_CANCELLED),
            "{more:?}"
        );
        let mut tx = w.db.begin().await.unwrap();
        registrations::cancel(&mut tx, &anna, &w.staff.audit(), BASE)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            count(
                &w.db,
                "SELECT COUNT(*) FROM wg_registrations WHERE status = 'wachtlijst'"
            )
            .await,
            1
        );
        // Neither cancelled twice nor a held event cancelled; the forms are gone.
        for (id, message) in [(&event, ALREADY_CANCELLED), (&held, NOT_PLANNED)] {
            let mut tx = w.db.begin().await.unwrap();
            let result =
                event_changes::cancel(&mut tx, id, "Nog eens", &w.staff.audit(), BASE).await;
            tx.rollback().await.unwrap();
            assert!(format!("{result:?}").contains(message), "{result:?}");
        }
        assert_eq!(get_as(&app, &staff, cancel).await.0, 303);
        assert_eq!(
            get_as(&app, &staff, "/werkgroepen/activiteiten/afgelast/bewerken")
                .await
                .0,
            303
        );

        // The plan's series counts the held event only.
        let measurements = steden_werkgroepen::plan_source::MeetingsHeld
            .measurements(&w.db, &w.kenniscentrum, &format!("reeks:{series}"))
            .await
            .unwrap();
        let values: Vec<(String, f64)> = measurements
            .iter()
            .map(|m| (m.date.to_string(), m.value))
            .collect();
        assert_eq!(
            values,
            [("2055-03-10".into(), 1.0), ("2055-05-12".into(), 1.0)]
        );
        assert!(measurements[1]
            .comment
            .as_deref()
            .unwrap()
            .ends_with("(niet gehouden)"));
    })
    .await;
}

#[tokio::test]
async fn the_retention_field_is_used_by_the_retention_job() {
    each_wg_app(|app, w| async move {
        let staff = client_of(&app, &w.staff).await;
        let new = "/werkgroepen/activiteiten/nieuw";
        let fields = |slug: &'static str, months: &'static str| {
            vec![
                ("title", "Bewaren"),
                ("slug", slug),
                ("kind", "studiedag"),
                ("series_id", ""),
                ("local_date", "2055-03-12"),
                ("local_start", "09:30"),
                ("local_end", "16:30"),
                ("place", "Brussel"),
                ("registration", "publiek"),
                ("capacity", ""),
                ("retention_months", months),
            ]
        };
        let (status, body) = post_as(&app, &staff, new, new, &fields("kort", "0")).await;
        assert_eq!(status, 422);
        assert!(body.contains("van 1 tot en met 120"), "{body}");
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_events").await, 0);
        assert_eq!(
            post_as(&app, &staff, new, new, &fields("kort", "1"))
                .await
                .0,
            303
        );
        assert_eq!(
            post_as(&app, &staff, new, new, &fields("standaard", ""))
                .await
                .0,
            303
        );
        let id = |slug: &'static str| {
            let db = w.db.clone();
            async move {
                events::find_by_slug(db.pool(), slug)
                    .await
                    .unwrap()
                    .unwrap()
            }
        };
        let short = id("kort").await;
        let default = id("standaard").await;
        assert_eq!(
            (short.retention_months, default.retention_months),
            (Some(1), None)
        );
        for event in [&short, &default] {
            register(&w.db, &event.id, "Anna", "anna@aalst.be").await;
        }
        // Both ended on 10/01/2024; 40 days later only the one with its own month is due.
        let ends_at = 1_704_902_400_000_i64;
        sqlx::query("UPDATE wg_events SET starts_at = $1, ends_at = $2")
            .bind(ends_at - 3_600_000)
            .bind(ends_at)
            .execute(w.db.pool())
            .await
            .unwrap();
        let now = ends_at + 40 * 24 * 3_600_000;
        assert_eq!(
            steden_werkgroepen::retention::run(&w.db, now)
                .await
                .unwrap(),
            1
        );
        let anonymised: Vec<(String, Option<i64>)> =
            sqlx::query_as("SELECT slug, anonymised_at FROM wg_events ORDER BY slug")
                .fetch_all(w.db.pool())
                .await
                .unwrap();
        assert_eq!(anonymised[0].0, "kort");
        assert!(anonymised[0].1.is_some());
        assert_eq!(anonymised[1], ("standaard".to_string(), None));
        assert_eq!(
            count(
                &w.db,
                "SELECT COUNT(*) FROM wg_registrations r JOIN wg_events e ON e.id = r.event_id
                 WHERE e.slug = 'kort'"
            )
            .await,
            0
        );
    })
    .await;
}

#[tokio::test]
async fn a_series_page_lists_its_events_and_hides_a_members_series() {
    each_wg_app(|app, w| async move {
        let mut tx = w.db.begin().await.unwrap();
        let open = events::create_series(&mut tx, "open", "Impactmeting", "", &w.staff.audit())
            .await
            .unwrap();
        let closed = events::create_series(&mut tx, "leden", "Ledenreeks", "", &w.staff.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        for (slug, date, series, mode) in [
            ("verdieping", "2055-05-12", &open, "publiek"),
            ("basis", "2055-03-10", &open, "publiek"),
            ("ledendag", "2055-04-01", &closed, "leden"),
        ] {
            let mut fields = event_fields(slug, "1");
            fields.series_id = series.clone();
            fields.local_date = date.into();
            fields.registration = mode.into();
            let event = create_event(&w, &fields).await;
            if slug == "basis" {
                register(&w.db, &event, "Anna", "anna@aalst.be").await;
                register(&w.db, &event, "Bram", "bram@brugge.be").await;
            }
        }
        let open_page = format!("/werkgroepen/activiteiten/reeksen/{open}");
        let closed_page = format!("/werkgroepen/activiteiten/reeksen/{closed}");
        let page = app.page(&open_page).await;
        let first = page.find("Opleiding basis").expect("basis listed");
        let second = page
            .find("Opleiding verdieping")
            .expect("verdieping listed");
        assert!(first < second, "in date order");
        assert!(page.contains("Gepland"), "{page}");
        assert!(page.contains("Volzet"), "basis is full: {page}");
        assert!(!page.contains("Inschrijvingen"), "no totals for the public");
        // The staff see the counts: two registrations in all (one waiting).
        let staff = client_of(&app, &w.staff).await;
        let (status, page) = get_as(&app, &staff, &open_page).await;
        assert_eq!(status, 200);
        assert!(page.contains("Inschrijvingen"), "{page}");
        assert!(page.contains("<td class=\"number\">2</td>"), "{page}");
        // A members' series: an anonymous visitor is sent to log in and sees no title.
        let anonymous = TestApp::new_client();
        let response = anonymous.get(app.url(&closed_page)).send().await.unwrap();
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        assert!(
            status == 303 || status == 200 && body.contains("Aanmelden"),
            "{status}"
        );
        assert!(!body.contains("Opleiding ledendag"), "{body}");
        let member = client_of(&app, &w.gent_member).await;
        let (status, page) = get_as(&app, &member, &closed_page).await;
        assert_eq!(status, 200);
        assert!(page.contains("Opleiding ledendag"));
        assert_eq!(
            get_as(&app, &member, "/werkgroepen/activiteiten/reeksen/onbekend")
                .await
                .0,
            404
        );
        // Linked from the event page and the list (the members' series only when logged in).
        assert!(app
            .page("/werkgroepen/activiteiten/basis")
            .await
            .contains(&open_page));
        let list = app.page("/werkgroepen/activiteiten").await;
        assert!(list.contains(&open_page));
        assert!(!list.contains(&closed_page));
    })
    .await;
}

async fn token(app: &TestApp, person: &Person, org: &str, role: Role) -> String {
    let mut tx = app.db.begin().await.unwrap();
    let created = api_token::create(
        &mut tx,
        &person.actor,
        &NewApiToken {
            name: "inschrijvingen",
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

/// Sends `method` to `/api/v1{path}`: status, content type and body.
async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    bearer: Option<&str>,
    body: Option<Value>,
) -> (u16, String, Value) {
    let mut request = app
        .client
        .request(method, app.url(&format!("/api/v1{path}")));
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (
        status,
        content_type,
        response.json().await.unwrap_or(Value::Null),
    )
}

async fn status_of(w: &World, email: &str) -> String {
    sqlx::query_scalar(
        "SELECT status FROM wg_registrations WHERE email = $1 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(email)
    .fetch_one(w.db.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn the_api_registers_refuses_a_second_time_and_cancels() {
    each_wg_app(|app, w| async move {
        let event = create_event(&w, &event_fields("api-dag", "1")).await;
        let path = "/werkgroepen/events/api-dag/registrations";
        let mine = "/werkgroepen/events/api-dag/registrations/mine";
        let gent = token(&app, &w.gent_member, &w.gent, Role::Lid).await;
        let antwerpen = token(&app, &w.antwerpen_member, &w.antwerpen, Role::Lid).await;
        let answers = json!({ "organisation": "Stad Gent", "answers": { "v2": "Stad" } });
        let post = reqwest::Method::POST;

        let (status, _, _) = call(&app, post.clone(), path, None, Some(answers.clone())).await;
        assert_eq!(status, 401);
        // A required answer missing: 422 with the field, nothing written.
        let (status, kind, body) =
            call(&app, post.clone(), path, Some(&gent), Some(json!({}))).await;
        assert_eq!(status, 422, "{body}");
        assert!(kind.starts_with("application/problem+json"), "{kind}");
        assert_eq!(body["errors"][0]["field"], "v2", "{body}");
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM wg_registrations").await,
            0
        );

        let (status, _, body) =
            call(&app, post.clone(), path, Some(&gent), Some(answers.clone())).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["status"], "bevestigd");
        // A second time: 409, in Dutch.
        let (status, kind, body) =
            call(&app, post.clone(), path, Some(&gent), Some(answers.clone())).await;
        assert_eq!(status, 409, "{body}");
        assert!(kind.starts_with("application/problem+json"), "{kind}");
        assert_eq!(body["detail"], registrations::ALREADY_REGISTERED);
        // The only place is taken: the waiting list.
        let (status, _, body) = call(
            &app,
            post.clone(),
            path,
            Some(&antwerpen),
            Some(answers.clone()),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["status"], "wachtlijst");
        assert_eq!(body["waitlist_number"], 1);
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM wg_registrations").await,
            2
        );

        // Cancelling through the API moves Antwerpen up, with its mail queued.
        let delete = reqwest::Method::DELETE;
        let (status, _, _) = call(&app, delete.clone(), mine, Some(&gent), None).await;
        assert_eq!(status, 204);
        assert_eq!(status_of(&w, &w.gent_member.email).await, "geannuleerd");
        assert_eq!(status_of(&w, &w.antwerpen_member.email).await, "bevestigd");
        assert_eq!(
            count(
                &w.db,
                "SELECT COUNT(*) FROM jobs WHERE kind = 'werkgroepen.mail_event'
                 AND payload LIKE '%doorgeschoven%'"
            )
            .await,
            1
        );
        let (status, kind, body) = call(&app, delete.clone(), mine, Some(&gent), None).await;
        assert_eq!(status, 404, "{body}");
        assert!(kind.starts_with("application/problem+json"));

        // A cancelled event: 409.
        let mut tx = w.db.begin().await.unwrap();
        event_changes::cancel(&mut tx, &event, "Geen zaal", &w.staff.audit(), BASE)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let (status, _, body) =
            call(&app, post.clone(), path, Some(&gent), Some(answers.clone())).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["detail"], "Deze activiteit is geannuleerd.");

        // A members' event refuses a reader's token.
        let mut fields = event_fields("leden-dag", "");
        fields.registration = "leden".into();
        create_event(&w, &fields).await;
        let reader = token(&app, &w.gent_reader, &w.gent, Role::Lezer).await;
        let (status, _, body) = call(
            &app,
            post.clone(),
            "/werkgroepen/events/leden-dag/registrations",
            Some(&reader),
            Some(answers.clone()),
        )
        .await;
        assert_eq!(status, 403, "{body}");
    })
    .await;
}

#[tokio::test]
async fn parallel_api_registrations_never_overbook() {
    each_wg_app(|app, w| async move {
        // Two places, no waiting list, twelve callers at once.
        let mut fields = event_fields("drukte", "2");
        fields.waitlist = String::new();
        fields.questions = String::new();
        let event = create_event(&w, &fields).await;
        let mut tokens = Vec::new();
        for n in 0..12 {
            let person = crate::common::person(
                &w.db,
                &format!("deelnemer{n}@gent.test"),
                &format!("Deelnemer {n}"),
                &w.gent,
                Role::Lid,
            )
            .await;
            tokens.push(token(&app, &person, &w.gent, Role::Lid).await);
        }
        let calls = tokens.iter().map(|t| {
            call(
                &app,
                reqwest::Method::POST,
                "/werkgroepen/events/drukte/registrations",
                Some(t),
                Some(json!({})),
            )
        });
        let answers = futures::future::join_all(calls).await;
        let created = answers.iter().filter(|(s, _, _)| *s == 201).count();
        let refused: Vec<&Value> = answers
            .iter()
            .filter(|(s, _, _)| *s == 409)
            .map(|(_, _, b)| b)
            .collect();
        assert_eq!((created, refused.len()), (2, 10), "{answers:?}");
        assert!(refused.iter().all(|b| b["detail"] == registrations::FULL));
        let seats: i64 = sqlx::query_scalar("SELECT seats_taken FROM wg_events WHERE id = $1")
            .bind(&event)
            .fetch_one(w.db.pool())
            .await
            .unwrap();
        assert_eq!(seats, 2);
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM wg_registrations").await,
            2
        );
    })
    .await;
}
