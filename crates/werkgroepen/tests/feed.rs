//! The personal calendar feed (design §3.7, §3.9, slice S6), on both backends: made on its
//! page (the secret shown once, only its hash stored), fetched without a session (no cookie
//! set) as `text/calendar` with an ETag (304 when unchanged) and `Cache-Control: private`;
//! it holds the meetings of the person's groups, a moved one with its new time and raised
//! SEQUENCE and a cancelled one as CANCELLED, and nothing of groups they are not in or left;
//! read back by Python's icalendar. Revoked or renewed: the old address answers 404.

use serde_json::json;
use steden_werkgroepen::access::Standing;
use steden_werkgroepen::model::MemberRole;
use steden_werkgroepen::reader;
use steden_werkgroepen::store::meetings::{self, MeetingFields};
use steden_werkgroepen::store::{feed_tokens, groups, joining};

use crate::common::staff_actor;
use crate::common::{client_of, count, create_group, each_wg_app, get_as, post_as, World};
use crate::ical_oracle;

async fn staff_standing(w: &World, group_id: &str) -> Standing {
    let mut conn = w.db.pool().acquire().await.unwrap();
    let profile = groups::find(&mut conn, group_id).await.unwrap().unwrap();
    drop(conn);
    reader::standing(&w.db, &staff_actor(w), &profile)
        .await
        .unwrap()
        .0
}

fn fields(title: &str, date: &str) -> MeetingFields {
    MeetingFields {
        title: title.into(),
        local_date: date.into(),
        local_start: "14:00".into(),
        local_end: "16:00".into(),
        place: "Stadhuis, Gent".into(),
        online_url: String::new(),
    }
}

async fn plan(w: &World, group_id: &str, title: &str, date: &str) -> String {
    let standing = staff_standing(w, group_id).await;
    let mut tx = w.db.begin().await.unwrap();
    let id = meetings::create(
        &mut tx,
        &standing,
        group_id,
        &fields(title, date),
        &w.staff.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn join(w: &World, group_id: &str) {
    let mut tx = w.db.begin().await.unwrap();
    joining::add(
        &mut tx,
        group_id,
        &w.gent_member.id,
        Some(&w.gent),
        MemberRole::Lid,
        &w.staff.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// The feed path in the page that made it.
fn feed_path(html: &str) -> String {
    let start = html.find("/werkgroepen/agenda/").expect("the feed address");
    let end = start + html[start..].find(".ics").expect(".ics") + 4;
    html[start..end].to_string()
}

#[tokio::test]
async fn a_member_subscribes_to_their_meetings_and_can_revoke_the_feed() {
    each_wg_app(|app, w| async move {
        let mine = create_group(&w, "mijn-groep", "Mijn groep", "verborgen").await;
        let other = create_group(&w, "andere-groep", "Andere groep", "publiek").await;
        let left = create_group(&w, "verlaten-groep", "Verlaten groep", "verborgen").await;
        join(&w, &mine).await;
        join(&w, &left).await;
        let mut tx = w.db.begin().await.unwrap();
        joining::leave(&mut tx, &left, &w.gent_member.id, &w.gent_member.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let planned = plan(&w, &mine, "Mijn groep", "2055-06-15").await;
        let moved = plan(&w, &mine, "Thema: archief, GDPR; deel 2", "2055-09-01").await;
        let cancelled = plan(&w, &mine, "Mijn groep", "2055-11-20").await;
        plan(&w, &other, "Andere groep", "2055-06-16").await;
        plan(&w, &left, "Verlaten groep", "2055-06-17").await;
        let standing = staff_standing(&w, &mine).await;
        let mut tx = w.db.begin().await.unwrap();
        let mut to = fields("Thema: archief, GDPR; deel 2", "2055-12-04");
        to.local_start = "10:00".into();
        to.local_end = "12:30".into();
        meetings::reschedule(&mut tx, &standing, &mine, &moved, &to, &w.staff.audit())
            .await
            .unwrap();
        meetings::cancel(&mut tx, &standing, &mine, &cancelled, "", &w.staff.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();

        // The page: none yet; making one shows the address once.
        let member = client_of(&app, &w.gent_member).await;
        let page = "/werkgroepen/mijn/agenda-abonnement";
        let (status, html) = get_as(&app, &member, page).await;
        assert_eq!(status, 200);
        assert!(
            html.contains("Je hebt nog geen agenda-abonnement."),
            "{html}"
        );
        let (status, html) = post_as(&app, &member, page, page, &[]).await;
        assert_eq!(status, 200);
        let path = feed_path(&html);
        let secret = path
            .trim_start_matches("/werkgroepen/agenda/")
            .trim_end_matches(".ics")
            .to_string();
        let (_, again) = get_as(&app, &member, page).await;
        assert!(!again.contains(&secret), "shown once");
        let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM wg_feed_tokens")
            .fetch_all(w.db.pool())
            .await
            .unwrap();
        assert_eq!(stored, vec![feed_tokens::hash(&secret)], "only the hash");

        // The feed, fetched as a calendar does: no session, no cookie.
        let calendar = reqwest::Client::new();
        let response = calendar.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "text/calendar; charset=utf-8");
        assert_eq!(headers["cache-control"], "private, max-age=300");
        assert!(headers.get("set-cookie").is_none(), "{headers:?}");
        let etag = headers["etag"].to_str().unwrap().to_string();
        let ics = response.text().await.unwrap();
        let unchanged = calendar
            .get(app.url(&path))
            .header("If-None-Match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(unchanged.status(), 304);

        let uid = |id: &str| format!("{id}@werkgroepen.stedenplatform");
        if let Some(parsed) = ical_oracle::parse(std::slice::from_ref(&ics)) {
            let cal = &parsed[0];
            assert_eq!(cal["method"], json!("PUBLISH"));
            assert_eq!(cal["calname"], json!("Werkgroepen (Stedenplatform)"));
            assert_eq!(cal["vtimezone_agrees"], json!(true));
            let events = cal["events"].as_array().unwrap();
            let found: Vec<(&str, i64, &str, &str)> = events
                .iter()
                .map(|e| {
                    (
                        e["uid"].as_str().unwrap(),
                        e["sequence"].as_i64().unwrap(),
                        e["status"].as_str().unwrap(),
                        e["dtstart_local"].as_str().unwrap(),
                    )
                })
                .collect();
            let (planned, moved, cancelled) = (uid(&planned), uid(&moved), uid(&cancelled));
            assert_eq!(
                found,
                vec![
                    (planned.as_str(), 0, "CONFIRMED", "2055-06-15T14:00"),
                    (cancelled.as_str(), 1, "CANCELLED", "2055-11-20T14:00"),
                    (moved.as_str(), 1, "CONFIRMED", "2055-12-04T10:00"),
                ],
                "only the own group's meetings, by start"
            );
            assert_eq!(events[0]["summary"], json!("Mijn groep: vergadering"));
            assert_eq!(events[2]["summary"], json!("Thema: archief, GDPR; deel 2"));
            assert_eq!(events[0]["location"], json!("Stadhuis, Gent"));
            // 04/12/2055 10:00 in winter is 09:00Z; 15/06/2055 14:00 in summer is 12:00Z.
            assert_eq!(events[2]["dtstart_ms"], json!(2711523600000_i64));
            assert_eq!(events[0]["dtstart_ms"], json!(2696673600000_i64));
            assert!(
                events.iter().all(|e| e["attendees"] == json!([])),
                "no attendees"
            );
        }

        // A change makes a new ETag.
        let standing = staff_standing(&w, &mine).await;
        let mut tx = w.db.begin().await.unwrap();
        meetings::mark_held(&mut tx, &standing, &mine, &planned, true, &w.staff.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let changed = calendar
            .get(app.url(&path))
            .header("If-None-Match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(changed.status(), 200);

        // Renewed: the old address is gone, the new one works; revoked: 404 too.
        let (_, html) = post_as(&app, &member, page, page, &[]).await;
        let renewed = feed_path(&html);
        assert_ne!(renewed, path);
        assert_eq!(
            calendar.get(app.url(&path)).send().await.unwrap().status(),
            404
        );
        assert_eq!(
            calendar
                .get(app.url(&renewed))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        let (status, _) = post_as(
            &app,
            &member,
            page,
            "/werkgroepen/mijn/agenda-abonnement/intrekken",
            &[],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(
            calendar
                .get(app.url(&renewed))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        assert_eq!(
            calendar
                .get(app.url("/werkgroepen/agenda/bestaat-niet.ics"))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        assert_eq!(
            count(
                &w.db,
                "SELECT COUNT(*) FROM wg_feed_tokens WHERE revoked_at IS NULL"
            )
            .await,
            0
        );
        // Anonymous visitors are sent to log in rather than shown a page.
        let anonymous = crate::common::TestApp::new_client();
        assert_eq!(get_as(&app, &anonymous, page).await.0, 303);
    })
    .await;
}
