//! Privacy (issue 13 point 8, slice S14), on both backends: `/werkgroepen/mijn/gegevens` and
//! its JSON download hold the logged-in person's memberships, replies, action points,
//! registrations (also one made without logging in, found by address), evaluation answers and
//! feed tokens without their secret, and nothing of another member; members' e-mail addresses
//! leave the members page for a member who left and are never shown to a guest.

use std::collections::BTreeMap;

use serde_json::Value;
use steden_db::{new_id, now_ms, Db};
use steden_werkgroepen::model::MemberRole;
use steden_werkgroepen::store::registrations::{self, Registrant};
use steden_werkgroepen::store::{evaluations, joining};

use crate::common::{client_of, create_group, each_wg_app, get_as, TestApp, World};
use crate::registrations::{create_event, event_fields};

const BASE: &str = "http://steden.test";

async fn add_member(w: &World, group: &str, user: &str, org: &str, role: MemberRole) {
    let mut tx = w.db.begin().await.unwrap();
    joining::add(&mut tx, group, user, Some(org), role, &w.staff.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// A held meeting of `group` (replies and action points need one; meetings have their own
/// tests, so a plain row is enough here).
async fn meeting(db: &Db, group: &str) -> String {
    let id = new_id();
    sqlx::query(
        "INSERT INTO wg_meetings (id, group_id, title, local_date, local_start, local_end,
            starts_at, ends_at, status, ical_uid, created_at, updated_at)
         VALUES ($1, $2, 'Overleg', '2024-03-12', '14:00', '16:00', $3, $3, 'gehouden', $1, $3, $3)",
    )
    .bind(&id)
    .bind(group)
    .bind(now_ms())
    .execute(db.pool())
    .await
    .unwrap();
    id
}

/// A reply, an action point and a feed token of `user`, with `tag` in what they say.
async fn traces(db: &Db, group: &str, meeting: &str, user: &str, tag: &str) {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO wg_replies (meeting_id, user_id, answer, via, answered_at)
         VALUES ($1, $2, 'aanwezig', 'pagina', $3)",
    )
    .bind(meeting)
    .bind(user)
    .bind(now)
    .execute(db.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO wg_action_points (id, group_id, meeting_id, description, owner_user_id,
            status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'open', $6, $6)",
    )
    .bind(new_id())
    .bind(group)
    .bind(meeting)
    .bind(format!("Actiepunt van {tag}"))
    .bind(user)
    .bind(now)
    .execute(db.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO wg_feed_tokens (id, user_id, token_hash, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(new_id())
    .bind(user)
    .bind(format!("geheime-hash-{tag}"))
    .bind(now)
    .execute(db.pool())
    .await
    .unwrap();
}

async fn register(db: &Db, event: &str, registrant: Registrant, name: &str, email: &str) -> String {
    let fields = BTreeMap::from([
        ("name".to_string(), name.to_string()),
        ("email".to_string(), email.to_string()),
        ("v1".to_string(), format!("dieet van {name}")),
        ("v2".to_string(), "Stad".to_string()),
    ]);
    let mut tx = db.begin().await.unwrap();
    let id = registrations::register(&mut tx, event, &registrant, &fields, BASE)
        .await
        .unwrap()
        .id;
    tx.commit().await.unwrap();
    id
}

fn user(person: &crate::common::Person, name: &str, org: &str) -> Registrant {
    Registrant::User {
        user_id: person.id.clone(),
        name: name.into(),
        email: person.email.clone(),
        organisation_id: Some(org.into()),
        member: true,
    }
}

async fn download(app: &TestApp, client: &reqwest::Client) -> (String, Value) {
    let response = client
        .get(app.url("/werkgroepen/mijn/gegevens.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let body = response.text().await.unwrap();
    let json = serde_json::from_str(&body).unwrap();
    (body, json)
}

fn len(json: &Value, key: &str) -> usize {
    json[key].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn a_person_downloads_their_own_data_and_nothing_of_others() {
    each_wg_app(|app, w| async move {
        let group = create_group(&w, "privacy", "Werkgroep Privacy", "publiek").await;
        add_member(&w, &group, &w.gent_member.id, &w.gent, MemberRole::Lid).await;
        add_member(
            &w,
            &group,
            &w.antwerpen_member.id,
            &w.antwerpen,
            MemberRole::Lid,
        )
        .await;
        let meeting = meeting(&w.db, &group).await;
        traces(&w.db, &group, &meeting, &w.gent_member.id, "Greet").await;
        traces(&w.db, &group, &meeting, &w.antwerpen_member.id, "Arno").await;

        let event = create_event(&w, &event_fields("privacy-dag", "10")).await;
        let greet = register(
            &w.db,
            &event,
            user(&w.gent_member, "Greet Gent", &w.gent),
            "Greet Gent",
            "",
        )
        .await;
        register(
            &w.db,
            &event,
            user(&w.antwerpen_member, "Arno Antwerpen", &w.antwerpen),
            "Arno Antwerpen",
            "",
        )
        .await;
        // Greet also registered for another event without logging in, her address in capitals.
        let other = create_event(&w, &event_fields("privacy-avond", "10")).await;
        register(
            &w.db,
            &other,
            Registrant::Anonymous,
            "Greet G.",
            "LID@gent.test",
        )
        .await;
        // And filled in the evaluation of the first.
        let mut tx = w.db.begin().await.unwrap();
        evaluations::set_questions(&mut tx, &event, "open: Wat nam je mee?", &w.staff.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let question = evaluations::questions(w.db.pool(), &event).await.unwrap()[0]
            .id
            .clone();
        let mut tx = w.db.begin().await.unwrap();
        let answer = BTreeMap::from([(format!("q_{question}"), "Veel inspiratie".to_string())]);
        evaluations::submit(&mut tx, &event, &greet, &answer)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let client = client_of(&app, &w.gent_member).await;
        let (body, json) = download(&app, &client).await;
        assert_eq!(json["person"]["email"], w.gent_member.email);
        assert_eq!(len(&json, "memberships"), 1, "{body}");
        assert_eq!(json["memberships"][0]["group_name"], "Werkgroep Privacy");
        assert_eq!(json["memberships"][0]["status"], "actief");
        assert_eq!(len(&json, "replies"), 1, "{body}");
        assert_eq!(json["replies"][0]["answer"], "aanwezig");
        assert_eq!(len(&json, "action_points"), 1, "{body}");
        assert_eq!(
            json["action_points"][0]["description"],
            "Actiepunt van Greet"
        );
        assert_eq!(len(&json, "registrations"), 2, "{body}");
        let titles: Vec<&str> = json["registrations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["event_title"].as_str().unwrap())
            .collect();
        assert_eq!(titles, ["Opleiding privacy-dag", "Opleiding privacy-avond"]);
        assert!(body.contains("dieet van Greet"), "her answers: {body}");
        assert_eq!(len(&json, "evaluation_answers"), 1, "{body}");
        assert_eq!(json["evaluation_answers"][0]["answer"], "Veel inspiratie");
        assert_eq!(len(&json, "feed_tokens"), 1, "{body}");
        assert!(!body.contains("geheime-hash"), "no secret: {body}");
        assert!(!body.contains("token_hash"), "{body}");
        for stranger in ["Arno", "lid@antwerpen.test", &w.antwerpen_member.id] {
            assert!(!body.contains(stranger), "{stranger} in {body}");
        }

        // The page shows the same, and the download link.
        let (status, html) = get_as(&app, &client, "/werkgroepen/mijn/gegevens").await;
        assert_eq!(status, 200);
        assert!(html.contains("Mijn gegevens in de werkgroepen"), "{html}");
        assert!(html.contains("Actiepunt van Greet"), "{html}");
        assert!(html.contains("/werkgroepen/mijn/gegevens.json"), "{html}");
        assert!(!html.contains("Actiepunt van Arno"), "{html}");

        // Arno sees his own, not Greet's.
        let arno = client_of(&app, &w.antwerpen_member).await;
        let (body, json) = download(&app, &arno).await;
        assert_eq!(len(&json, "registrations"), 1, "{body}");
        assert!(
            body.contains("Actiepunt van Arno") && !body.contains("Greet"),
            "{body}"
        );

        // Without logging in there is nothing to download.
        let anonymous = TestApp::new_client();
        let (status, body) = get_as(&app, &anonymous, "/werkgroepen/mijn/gegevens.json").await;
        assert_ne!(status, 200, "{body}");
        assert!(!body.contains("memberships"), "{body}");
    })
    .await;
}

#[tokio::test]
async fn a_former_member_and_a_guest_see_no_e_mail_addresses() {
    each_wg_app(|app, w| async move {
        let group = create_group(&w, "besloten", "Werkgroep Besloten", "publiek").await;
        add_member(&w, &group, &w.gent_member.id, &w.gent, MemberRole::Lid).await;
        add_member(
            &w,
            &group,
            &w.antwerpen_member.id,
            &w.antwerpen,
            MemberRole::Lid,
        )
        .await;
        let arno_email = w.antwerpen_member.email.as_str();
        let greet = client_of(&app, &w.gent_member).await;
        let (status, html) = get_as(&app, &greet, "/werkgroepen/besloten/leden").await;
        assert_eq!(status, 200);
        assert!(html.contains(arno_email), "a member sees it: {html}");

        let mut tx = w.db.begin().await.unwrap();
        joining::leave(&mut tx, &group, &w.gent_member.id, &w.gent_member.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let (_, html) = get_as(&app, &greet, "/werkgroepen/besloten/leden").await;
        assert!(!html.contains(arno_email), "after leaving: {html}");

        // A guest of the group (invited to a meeting) is no reader of its members' contacts.
        add_member(&w, &group, &w.gent_reader.id, &w.gent, MemberRole::Gast).await;
        let guest = client_of(&app, &w.gent_reader).await;
        let (_, html) = get_as(&app, &guest, "/werkgroepen/besloten/leden").await;
        assert!(!html.contains(arno_email), "a guest: {html}");
    })
    .await;
}
