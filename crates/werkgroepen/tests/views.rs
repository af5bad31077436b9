//! The views across groups (issue 13 point 7, design §3.1, §3.2, §3.4, §3.6), on both backends:
//! "Mijn werkgroepen" shows only the person's own; the staff overview is for staff only and
//! lists hidden groups too; the "not met for too long" rule at its edges; the workspace tasks
//! appear and disappear with what they ask; and the API answers the same.

use chrono::{Duration, NaiveDate};
use serde_json::Value;
use steden_core::api_token::{self, NewApiToken};
use steden_core::role::Role;
use steden_db::{new_id, now_ms, Db};
use steden_web::i18n::{shell_translations, Catalog, Lang};
use steden_werkgroepen::model::MemberRole;
use steden_werkgroepen::store::{action_points, joining, meetings, overview};
use steden_werkgroepen::workspace;

use crate::common::{client_of, create_group, each_wg_app, each_wg_db, get_as, Person, TestApp};

const DAY: i64 = 24 * 3_600_000;

/// A meeting `days` from now (negative: in the past), inserted as the store would leave it.
async fn meeting(db: &Db, group_id: &str, title: &str, days: i64, status: &str) -> String {
    let id = new_id();
    let starts = now_ms() + days * DAY;
    let date = (meetings::today() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string();
    sqlx::query(
        "INSERT INTO wg_meetings (id, group_id, title, local_date, local_start, local_end,
            starts_at, ends_at, status, ical_uid, created_at, updated_at)
         VALUES ($1, $2, $3, $4, '14:00', '16:00', $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(group_id)
    .bind(title)
    .bind(&date)
    .bind(starts)
    .bind(starts + 2 * 3_600_000)
    .bind(status)
    .bind(format!("{id}@test"))
    .bind(now_ms())
    .execute(db.pool())
    .await
    .unwrap();
    id
}

async fn exec(db: &Db, sql: &str, binds: &[&str]) {
    let mut query = sqlx::query(sql);
    for b in binds {
        query = query.bind(*b);
    }
    query.execute(db.pool()).await.unwrap();
}

async fn add_member(db: &Db, group: &str, person: &Person, org: &str, role: MemberRole) {
    let mut tx = db.begin().await.unwrap();
    joining::add(&mut tx, group, &person.id, Some(org), role, &person.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// A confirmed registration of `person` for an event `days` from now: (event, registration).
async fn registration(db: &Db, person: &Person, title: &str, days: i64) -> (String, String) {
    let event = new_id();
    let starts = now_ms() + days * DAY;
    let date = (meetings::today() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string();
    sqlx::query(
        "INSERT INTO wg_events (id, slug, kind, title, local_date, local_start, local_end,
            starts_at, ends_at, registration, status, ical_uid, created_at, updated_at)
         VALUES ($1, $2, 'studiedag', $3, $4, '09:00', '16:00', $5, $6, 'publiek', 'gepland',
            $7, $8, $8)",
    )
    .bind(&event)
    .bind(format!("ev-{event}"))
    .bind(title)
    .bind(&date)
    .bind(starts)
    .bind(starts + 7 * 3_600_000)
    .bind(format!("{event}@test"))
    .bind(now_ms())
    .execute(db.pool())
    .await
    .unwrap();
    let id = new_id();
    sqlx::query(
        "INSERT INTO wg_registrations (id, event_id, user_id, name, email, email_norm, status,
            created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5, 'bevestigd', $6, $6)",
    )
    .bind(&id)
    .bind(&event)
    .bind(&person.id)
    .bind(&person.name)
    .bind(&person.email)
    .bind(now_ms())
    .execute(db.pool())
    .await
    .unwrap();
    (event, id)
}

#[tokio::test]
async fn my_page_shows_my_groups_meetings_points_and_registrations_only() {
    each_wg_app(|app, w| async move {
        let mine = create_group(&w, "mijngroep", "Werkgroep Mobiliteit", "verborgen").await;
        let other = create_group(&w, "andere", "Werkgroep Wonen", "publiek").await;
        add_member(&w.db, &mine, &w.gent_member, &w.gent, MemberRole::Lid).await;
        meeting(&w.db, &mine, "Overleg mobiliteit", 10, "gepland").await;
        meeting(&w.db, &mine, "Oud overleg", -10, "gehouden").await;
        meeting(&w.db, &other, "Overleg wonen", 10, "gepland").await;
        exec(
            &w.db,
            "INSERT INTO wg_action_points (id, group_id, description, owner_user_id, status,
                created_at, updated_at) VALUES ($1, $2, 'Fietstellingen opvragen', $3, 'open', 0, 0)",
            &[&new_id(), &mine, &w.gent_member.id],
        )
        .await;
        registration(&w.db, &w.gent_member, "Studiedag circulaire stad", 20).await;

        let member = client_of(&app, &w.gent_member).await;
        let (status, html) = get_as(&app, &member, "/werkgroepen/mijn").await;
        assert_eq!(status, 200);
        for shown in [
            "Werkgroep Mobiliteit",
            "Overleg mobiliteit",
            "Fietstellingen opvragen",
            "Studiedag circulaire stad",
            "/werkgroepen/mijn/actiepunten",
        ] {
            assert!(html.contains(shown), "{shown} on my page");
        }
        for hidden in ["Werkgroep Wonen", "Overleg wonen", "Oud overleg"] {
            assert!(!html.contains(hidden), "{hidden} is not mine");
        }

        // The workspace (/start) lists the open action point through the port.
        let (status, start) = get_as(&app, &member, "/start").await;
        assert_eq!(status, 200);
        assert!(start.contains("Fietstellingen opvragen (Werkgroep Mobiliteit)"));
        assert!(start.contains("/werkgroepen/mijngroep/actiepunten"));

        // Another city's member has none of it.
        let antwerpen = client_of(&app, &w.antwerpen_member).await;
        let (status, html) = get_as(&app, &antwerpen, "/werkgroepen/mijn").await;
        assert_eq!(status, 200);
        assert!(!html.contains("Overleg mobiliteit"));
        assert!(html.contains("Je bent nog geen lid van een werkgroep."));

        // Anonymous: to the login page.
        let response = app.get("/werkgroepen/mijn").await;
        assert_eq!(response.status().as_u16(), 303);
        let location = response.headers()["location"].to_str().unwrap();
        assert!(location.starts_with("/aanmelden"), "{location}");
    })
    .await;
}

#[tokio::test]
async fn the_overview_is_for_staff_and_follows_the_weeks_asked() {
    each_wg_app(|app, w| async move {
        let hidden = create_group(&w, "verborgen", "Verborgen groep", "verborgen").await;
        let open = create_group(&w, "open", "Open groep", "publiek").await;
        meeting(&w.db, &hidden, "Vergadering over drie weken", 21, "gepland").await;
        meeting(&w.db, &open, "Vergadering over vijf weken", 35, "gepland").await;
        meeting(&w.db, &open, "Afgelaste vergadering", 7, "geannuleerd").await;
        // The open group met 100 days ago: past its six weeks + 14 days.
        meeting(&w.db, &open, "Lang geleden", -100, "gehouden").await;

        let staff = client_of(&app, &w.staff).await;
        let (status, html) = get_as(&app, &staff, "/werkgroepen/overzicht").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("Vergadering over drie weken"),
            "hidden groups too"
        );
        assert!(
            html.contains("Vergadering over vijf weken"),
            "six weeks by default"
        );
        assert!(html.contains("Afgelaste vergadering") && html.contains("Geannuleerd"));
        assert!(html.contains("Werkgroepen die te lang niet vergaderden"));
        let overdue = html
            .split("<table id=\"overview-overdue-table\"")
            .nth(1)
            .unwrap();
        assert!(
            overdue.contains("Open groep") && overdue.contains(">100<"),
            "{overdue}"
        );
        // The hidden group was made today and has a meeting coming: not overdue.
        assert!(!overdue.contains("Verborgen groep"));

        let (_, html) = get_as(&app, &staff, "/werkgroepen/overzicht?weken=4").await;
        assert!(html.contains("Vergadering over drie weken"));
        assert!(
            !html.contains("Vergadering over vijf weken"),
            "beyond four weeks"
        );

        let (status, html) = get_as(&app, &staff, "/werkgroepen/overzicht?weken=zes").await;
        assert_eq!(status, 200);
        assert!(html.contains("Kies een aantal weken van 1 tot 26."));
        assert!(
            html.contains("Vergadering over vijf weken"),
            "the default instead"
        );

        // A city member, a lezer, and the anonymous visitor may not.
        for person in [&w.gent_member, &w.gent_reader] {
            let client = client_of(&app, person).await;
            let (status, html) = get_as(&app, &client, "/werkgroepen/overzicht").await;
            assert_eq!(status, 403);
            assert!(!html.contains("Vergadering over drie weken"));
        }
        let response = app.get("/werkgroepen/overzicht").await;
        assert_eq!(response.status().as_u16(), 303);

        // The menu shows the overview to staff only.
        let (_, staff_home) = get_as(&app, &staff, "/werkgroepen").await;
        assert!(staff_home.contains("href=\"/werkgroepen/overzicht\""));
        let member = client_of(&app, &w.gent_member).await;
        let (_, member_home) = get_as(&app, &member, "/werkgroepen").await;
        assert!(member_home.contains("href=\"/werkgroepen/mijn\""));
        assert!(!member_home.contains("href=\"/werkgroepen/overzicht\""));
    })
    .await;
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

#[tokio::test]
async fn a_group_is_overdue_from_the_day_after_its_cadence_and_grace() {
    each_wg_db(|w| async move {
        let six = create_group(&w, "zes", "Zeswekelijks", "publiek").await;
        let monthly = create_group(&w, "maand", "Maandelijks", "publiek").await;
        let on_demand = create_group(&w, "afroep", "Op afroep", "publiek").await;
        let never = create_group(&w, "nooit", "Nooit vergaderd", "publiek").await;
        exec(
            &w.db,
            "UPDATE wg_groups SET cadence = 'maandelijks' WHERE group_id = $1",
            &[&monthly],
        )
        .await;
        exec(
            &w.db,
            "UPDATE wg_groups SET cadence = 'op_afroep' WHERE group_id = $1",
            &[&on_demand],
        )
        .await;
        for group in [&six, &monthly, &on_demand] {
            meeting(&w.db, group, "Vergadering", -400, "gehouden").await;
            exec(
                &w.db,
                "UPDATE wg_meetings SET local_date = '2026-01-01' WHERE group_id = $1",
                &[group],
            )
            .await;
        }
        // A cancelled meeting later on is no meeting.
        let cancelled = meeting(&w.db, &six, "Afgelast", -300, "geannuleerd").await;
        exec(
            &w.db,
            "UPDATE wg_meetings SET local_date = '2026-02-20' WHERE id = $1",
            &[&cancelled],
        )
        .await;
        // Made on 2026-01-01 and never met.
        let jan_first = steden_werkgroepen::localtime::to_utc("2026-01-01", "12:00").unwrap();
        exec(
            &w.db,
            &format!("UPDATE wg_groups SET created_at = {jan_first} WHERE group_id = $1"),
            &[&never],
        )
        .await;

        let names = |today: &str| {
            let db = w.db.clone();
            let today = date(today);
            async move {
                overview::overdue(db.pool(), now_ms(), today)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|g| (g.name, g.last_met, g.days_since))
                    .collect::<Vec<_>>()
            }
        };
        // 31 + 14 = 45 days: 2026-02-15 is the monthly group's last day of grace.
        assert!(names("2026-02-15").await.is_empty());
        assert_eq!(
            names("2026-02-16").await,
            vec![("Maandelijks".into(), Some("2026-01-01".into()), 46)]
        );
        // 42 + 14 = 56 days: 2026-02-26 still fine for the six-weekly ones.
        assert_eq!(names("2026-02-26").await.len(), 1);
        let late = names("2026-02-27").await;
        assert_eq!(
            late,
            vec![
                ("Maandelijks".into(), Some("2026-01-01".into()), 57),
                ("Nooit vergaderd".into(), None, 57),
                ("Zeswekelijks".into(), Some("2026-01-01".into()), 57),
            ],
            "op afroep never; the cancelled meeting does not count"
        );
        // A meeting held resets the clock.
        let held = meeting(&w.db, &six, "Ingehaald", -1, "gehouden").await;
        exec(
            &w.db,
            "UPDATE wg_meetings SET local_date = '2026-02-20' WHERE id = $1",
            &[&held],
        )
        .await;
        assert!(!names("2026-02-27")
            .await
            .iter()
            .any(|(name, _, _)| name == "Zeswekelijks"));
        // An archived group is not followed up.
        exec(
            &w.db,
            "UPDATE wg_groups SET archived_at = 1 WHERE group_id = $1",
            &[&monthly],
        )
        .await;
        assert!(!names("2026-02-27")
            .await
            .iter()
            .any(|(name, _, _)| name == "Maandelijks"));
    })
    .await;
}

fn catalog() -> Catalog {
    let mut all = shell_translations();
    all.extend(steden_werkgroepen::translations());
    Catalog::build(&all).unwrap()
}

async fn kinds(db: &Db, person: &Person) -> Vec<(String, String)> {
    let mut tasks = workspace::tasks(db, &person.id, Lang::Nl, &catalog())
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.kind, t.title))
        .collect::<Vec<_>>();
    tasks.sort();
    tasks
}

#[tokio::test]
async fn workspace_tasks_appear_and_disappear_with_what_they_ask() {
    each_wg_db(|w| async move {
        let group = create_group(&w, "taken", "Werkgroep Taken", "publiek").await;
        add_member(&w.db, &group, &w.gent_member, &w.gent, MemberRole::Lid).await;
        assert!(kinds(&w.db, &w.gent_member).await.is_empty());

        // Proposals open until the deadline.
        let next = meeting(&w.db, &group, "Volgende vergadering", 14, "gepland").await;
        let deadline = (now_ms() + 4 * DAY).to_string();
        exec(
            &w.db,
            &format!("UPDATE wg_meetings SET proposal_deadline_at = {deadline} WHERE id = $1"),
            &[&next],
        )
        .await;
        let tasks = kinds(&w.db, &w.gent_member).await;
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].0, "agendapunt");
        assert!(tasks[0]
            .1
            .starts_with("Volgende vergadering (Werkgroep Taken"));
        // Not for another city's member who is not in the group.
        assert!(kinds(&w.db, &w.antwerpen_member).await.is_empty());
        exec(
            &w.db,
            "UPDATE wg_meetings SET agenda_status = 'gepubliceerd' WHERE id = $1",
            &[&next],
        )
        .await;
        assert!(
            kinds(&w.db, &w.gent_member).await.is_empty(),
            "published: closed"
        );

        // Minutes to comment, until commented or the period ends.
        let past = meeting(&w.db, &group, "Vorige vergadering", -3, "gehouden").await;
        let until = (now_ms() + 7 * DAY).to_string();
        exec(
            &w.db,
            &format!(
                "UPDATE wg_meetings SET minutes_status = 'voorgelegd', comment_until = {until}
                 WHERE id = $1"
            ),
            &[&past],
        )
        .await;
        let tasks = kinds(&w.db, &w.gent_member).await;
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].0, "verslag");
        exec(
            &w.db,
            "INSERT INTO wg_minutes_comments (id, meeting_id, user_id, body, created_at)
             VALUES ($1, $2, $3, 'Akkoord', 0)",
            &[&new_id(), &past, &w.gent_member.id],
        )
        .await;
        assert!(kinds(&w.db, &w.gent_member).await.is_empty(), "commented");

        // An own open action point, until done.
        let point = new_id();
        exec(
            &w.db,
            "INSERT INTO wg_action_points (id, group_id, description, owner_user_id, due_date,
                status, created_at, updated_at)
             VALUES ($1, $2, 'Cijfers bezorgen', $3, '2099-01-31', 'open', 0, 0)",
            &[&point, &group, &w.gent_member.id],
        )
        .await;
        let tasks = workspace::tasks(&w.db, &w.gent_member.id, Lang::Nl, &catalog())
            .await
            .unwrap();
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].kind, "actiepunt");
        assert_eq!(tasks[0].due.as_deref(), Some("2099-01-31"));
        assert_eq!(tasks[0].href, "/werkgroepen/taken/actiepunten");
        let standing = steden_werkgroepen::reader::find(&w.db, &w.gent_member.actor, "taken")
            .await
            .unwrap()
            .unwrap()
            .standing;
        let mut tx = w.db.begin().await.unwrap();
        action_points::set_status(
            &mut tx,
            &standing,
            &w.gent_member.id,
            &group,
            &point,
            "gedaan",
            &w.gent_member.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert!(kinds(&w.db, &w.gent_member).await.is_empty(), "done");

        // A join request waits for the facilitator (staff), not for the members.
        let mut tx = w.db.begin().await.unwrap();
        let request = joining::request(
            &mut tx,
            &group,
            &w.antwerpen_member.id,
            &w.antwerpen,
            "Antwerpen wil meedoen.",
            &w.antwerpen_member.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            kinds(&w.db, &w.staff).await,
            vec![("aanvraag".into(), "Arno Antwerpen (Werkgroep Taken)".into())]
        );
        assert!(kinds(&w.db, &w.gent_member).await.is_empty());
        let mut tx = w.db.begin().await.unwrap();
        joining::approve(
            &mut tx,
            &group,
            &request,
            "lid",
            &w.staff.id,
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert!(kinds(&w.db, &w.staff).await.is_empty(), "decided");

        // An evaluation mailed after the event waits until it is filled in.
        let (event, registration) =
            registration(&w.db, &w.gent_member, "Studiedag voorbij", -2).await;
        assert!(
            kinds(&w.db, &w.gent_member).await.is_empty(),
            "not mailed yet"
        );
        exec(
            &w.db,
            "INSERT INTO wg_mail_log (kind, subject_id, version, user_id, outbox_id, created_at)
             VALUES ('evaluatie', $1, 0, $2, 'outbox', 0)",
            &[&event, &registration],
        )
        .await;
        let tasks = workspace::tasks(&w.db, &w.gent_member.id, Lang::Nl, &catalog())
            .await
            .unwrap();
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].kind, "evaluatie");
        assert!(tasks[0].href.starts_with("/werkgroepen/evaluatie/"));
        exec(
            &w.db,
            "INSERT INTO wg_eval_responses (id, event_id, registration_id, submitted_at)
             VALUES ($1, $2, $3, 0)",
            &[&new_id(), &event, &registration],
        )
        .await;
        assert!(kinds(&w.db, &w.gent_member).await.is_empty(), "answered");
    })
    .await;
}

async fn token(app: &TestApp, person: &Person, org: &str, role: Role) -> String {
    let mut tx = app.db.begin().await.unwrap();
    let created = api_token::create(
        &mut tx,
        &person.actor,
        &NewApiToken {
            name: "werkgroepen",
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

async fn get_json(app: &TestApp, path: &str, bearer: Option<&str>) -> (u16, Value) {
    let mut request = app.client.get(app.url(path));
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn the_api_gives_me_mine_and_the_overview_to_staff() {
    each_wg_app(|app, w| async move {
        let group = create_group(&w, "api", "Werkgroep API", "verborgen").await;
        add_member(
            &w.db,
            &group,
            &w.gent_member,
            &w.gent,
            MemberRole::Voorzitter,
        )
        .await;
        meeting(&w.db, &group, "Vergadering via API", 10, "gepland").await;
        meeting(&w.db, &group, "Later", 60, "gepland").await;
        registration(&w.db, &w.gent_member, "Netwerkdag", 5).await;

        let member = token(&app, &w.gent_member, &w.gent, Role::Lid).await;
        let (status, me) = get_json(&app, "/api/v1/werkgroepen/me", Some(&member)).await;
        assert_eq!(status, 200);
        assert_eq!(me["groups"][0]["slug"], "api");
        assert_eq!(me["groups"][0]["role"], "voorzitter");
        assert_eq!(me["next_meetings"].as_array().unwrap().len(), 2);
        assert_eq!(me["next_meetings"][0]["title"], "Vergadering via API");
        assert_eq!(me["registrations"][0]["event_title"], "Netwerkdag");
        assert_eq!(me["registrations"][0]["status"], "bevestigd");
        let (status, _) = get_json(&app, "/api/v1/werkgroepen/me", None).await;
        assert_eq!(status, 401);

        let (status, _) =
            get_json(&app, "/api/v1/werkgroepen/overview/coming", Some(&member)).await;
        assert_eq!(status, 403);
        let staff = token(&app, &w.staff, &w.kenniscentrum, Role::Redacteur).await;
        let (status, coming) =
            get_json(&app, "/api/v1/werkgroepen/overview/coming", Some(&staff)).await;
        assert_eq!(status, 200);
        assert_eq!(coming["total"], 1, "six weeks: not the one in sixty days");
        assert_eq!(coming["items"][0]["group_slug"], "api");
        let (_, coming) = get_json(
            &app,
            "/api/v1/werkgroepen/overview/coming?weeks=12",
            Some(&staff),
        )
        .await;
        assert_eq!(coming["total"], 2);
        let (status, problem) = get_json(
            &app,
            "/api/v1/werkgroepen/overview/coming?weeks=27",
            Some(&staff),
        )
        .await;
        assert_eq!(status, 400);
        assert!(problem.to_string().contains("Kies een aantal weken"));
        let (status, overdue) =
            get_json(&app, "/api/v1/werkgroepen/overview/overdue", Some(&staff)).await;
        assert_eq!(status, 200);
        assert!(overdue["items"].as_array().is_some());
        // A Kenniscentrum token with a lower role is refused.
        let lezer = token(&app, &w.staff, &w.kenniscentrum, Role::Lezer).await;
        let (status, _) =
            get_json(&app, "/api/v1/werkgroepen/overview/overdue", Some(&lezer)).await;
        assert_eq!(status, 403);
    })
    .await;
}
