//! Invitations end to end (design §3.5, §3.7, slices S5 and S7), on both backends: a
//! facilitator plans, moves and cancels a meeting through the pages; the job
//! `werkgroepen.mail_meeting`, run by a real worker pool, mails every member and facilitator
//! one message each, which the test SMTP server receives over TCP; the calendar part is read
//! back by Python's icalendar and checked field by field (REQUEST, then REQUEST with a raised
//! SEQUENCE and the new time, then CANCEL). A retried job sends nothing twice. The reply link
//! in the mail opens a page (GET writes nothing) whose button records the answer; a forged
//! link answers 400, an expired one 410.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};
use steden_core::mail::{self, Mailer};
use steden_db::jobs::{self, Registry, WorkerOptions, WorkerPool};
use steden_testkit::smtp::{parse_mime, Mode, Received, SmtpServer};
use steden_web::Module;
use steden_werkgroepen::invitations::{self, MailKind};
use steden_werkgroepen::model::MemberRole;
use steden_werkgroepen::signed_link::{self, LinkKind};
use steden_werkgroepen::store::joining;

use crate::common::{client_of, count, create_group, each_wg_app, get_as, post_as, TestApp};
use crate::ical_oracle;

const FROM: &str = "Stedenplatform <noreply@steden.test>";

fn workers(app: &TestApp, server: &SmtpServer) -> WorkerPool {
    let mut registry = Registry::new();
    steden_werkgroepen::WerkgroepenModule.register_jobs(&mut registry, &Arc::default());
    mail::register(
        &mut registry,
        Arc::new(Mailer::smtp(&server.url(), FROM).unwrap()),
    );
    let options = WorkerOptions {
        workers: 2,
        name: "wg-mail".into(),
        poll_interval: Duration::from_millis(20),
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        ..WorkerOptions::default()
    };
    WorkerPool::start_with(app.db.clone(), Arc::new(registry), options)
}

/// Waits until the server holds `total` messages (the deadline only guards a hang) and
/// returns those after `from`.
async fn received(server: &SmtpServer, from: usize, total: usize) -> Vec<Received> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let all = server.received();
        if all.len() >= total {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let all = server.received();
            assert_eq!(all.len(), total, "no more mails than expected");
            return all[from..].to_vec();
        }
        assert!(Instant::now() < deadline, "only {} mails", all.len());
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// What one round of mails must say: its index, SEQUENCE, METHOD, STATUS and the start as
/// wall time and instant.
type Round = (usize, i64, &'static str, &'static str, (&'static str, i64));

/// One received invitation: its recipient, text, calendar part and method parameter.
struct Invitation {
    to: String,
    text: String,
    ics: String,
    method: String,
    attachment: Option<String>,
}

fn invitation(message: &Received) -> Invitation {
    let mime = parse_mime(&message.data);
    let calendar = mime.find("text/calendar");
    let attachment = mime
        .all()
        .into_iter()
        .find(|p| p.filename.as_deref() == Some("invitation.ics"))
        .map(|p| p.text());
    Invitation {
        to: message.recipients.join(","),
        text: mime.find("text/plain").text(),
        ics: calendar.text(),
        method: calendar.params.get("method").cloned().unwrap_or_default(),
        attachment,
    }
}

fn by_recipient(mut all: Vec<Invitation>) -> Vec<Invitation> {
    all.sort_by(|a, b| a.to.cmp(&b.to));
    all
}

/// The reply link in a mail's text.
fn reply_path(text: &str) -> String {
    let start = text.find("/werkgroepen/antwoord/").expect("a reply link");
    let end = text[start..]
        .find(char::is_whitespace)
        .map_or(text.len(), |n| start + n);
    text[start..end].to_string()
}

/// A 200-character place with the characters that need escaping and folding.
fn long_place() -> String {
    let mut place = String::from("Zaal Één, Stadhuis; Botermarkt 1, Gent – ");
    while place.chars().count() < 200 {
        place.push_str("é,;ü ");
    }
    let place: String = place.chars().take(200).collect();
    // The form trims what it stores.
    place.trim_end().to_string()
}

#[tokio::test]
async fn invitations_updates_and_cancellations_are_mailed_and_read_back_by_icalendar() {
    let server = SmtpServer::start(Mode::Accept).await;
    let server = &server;
    each_wg_app(|app, w| async move {
        let pool = workers(&app, server);
        let group_id =
            create_group(&w, "uitnodigingen", "Werkgroep Uitnodigingen", "verborgen").await;
        let mut tx = w.db.begin().await.unwrap();
        for (person, org) in [
            (&w.gent_member, &w.gent),
            (&w.antwerpen_member, &w.antwerpen),
        ] {
            joining::add(
                &mut tx,
                &group_id,
                &person.id,
                Some(org),
                MemberRole::Lid,
                &w.staff.audit(),
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        let staff = client_of(&app, &w.staff).await;
        let before = server.received().len();
        let new = "/werkgroepen/uitnodigingen/vergaderingen/nieuw";
        let place = long_place();
        let (status, _) = post_as(
            &app,
            &staff,
            new,
            new,
            &[
                ("title", "Werkgroep Uitnodigingen"),
                ("local_date", "2055-03-29"),
                ("local_start", "14:00"),
                ("local_end", "16:00"),
                ("place", &place),
                ("online_url", "https://meet.test/gdpr?a=1,b=2"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let id: String = sqlx::query_scalar("SELECT id FROM wg_meetings WHERE group_id = $1")
            .bind(&group_id)
            .fetch_one(w.db.pool())
            .await
            .unwrap();
        let uid = format!("{id}@werkgroepen.stedenplatform");
        let recipients = {
            let mut all = vec![
                w.staff.email.clone(),
                w.gent_member.email.clone(),
                w.antwerpen_member.email.clone(),
            ];
            all.sort();
            all
        };

        // 1. The invitation: three mails, one per person, each naming only its recipient.
        let first = by_recipient(
            received(server, before, before + 3)
                .await
                .iter()
                .map(invitation)
                .collect(),
        );
        let to: Vec<&str> = first.iter().map(|i| i.to.as_str()).collect();
        assert_eq!(to, recipients);
        for mail in &first {
            assert_eq!(mail.method, "REQUEST");
            assert_eq!(mail.attachment.as_deref(), Some(mail.ics.as_str()));
            assert!(mail.text.contains("maandag 29 maart 2055"), "{}", mail.text);
        }

        // The reply link: the GET shows buttons and writes nothing; the POST records.
        let gent_mail = first.iter().find(|m| m.to == w.gent_member.email).unwrap();
        let link = reply_path(&gent_mail.text);
        let stranger = TestApp::new_client();
        let (status, html) = get_as(&app, &stranger, &link).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("Verontschuldigd"), "{html}");
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_replies").await, 0);
        let (status, html) = post_as(
            &app,
            &stranger,
            &link,
            &link,
            &[("answer", "verontschuldigd")],
        )
        .await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("Je antwoord is bewaard."), "{html}");
        let answer: (String, String, String) =
            sqlx::query_as("SELECT user_id, answer, via FROM wg_replies WHERE meeting_id = $1")
                .bind(&id)
                .fetch_one(w.db.pool())
                .await
                .unwrap();
        assert_eq!(
            answer,
            (
                w.gent_member.id.clone(),
                "verontschuldigd".into(),
                "mail".into()
            )
        );
        let (status, html) = post_as(&app, &stranger, &link, &link, &[("answer", "ja")]).await;
        assert_eq!(status, 422);
        assert!(html.contains("Kies aanwezig, verontschuldigd of misschien."));
        // Forged (another person in the same token) and expired links.
        let (_, signature) = link.rsplit_once('.').unwrap();
        let expires: i64 = sqlx::query_scalar("SELECT ends_at FROM wg_meetings WHERE id = $1")
            .bind(&id)
            .fetch_one(w.db.pool())
            .await
            .unwrap();
        let other = format!("antwoord|{id}:{}|{expires}", w.antwerpen_member.id);
        let forged = format!(
            "/werkgroepen/antwoord/{}.{signature}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(other)
        );
        let (status, html) = get_as(&app, &stranger, &forged).await;
        assert_eq!(status, 400);
        assert!(html.contains("Deze link is niet geldig."), "{html}");
        let key = signed_link::key(&w.db).await.unwrap();
        let expired = signed_link::sign(
            &key,
            LinkKind::Reply,
            &signed_link::reply_id(&id, &w.gent_member.id),
            1,
        );
        let (status, html) =
            get_as(&app, &stranger, &format!("/werkgroepen/antwoord/{expired}")).await;
        assert_eq!(status, 410);
        assert!(html.contains("Deze link is verlopen."), "{html}");

        // 2. Moved: the update to everyone, same UID, SEQUENCE raised.
        let moved = format!("/werkgroepen/uitnodigingen/vergaderingen/{id}/verplaatsen");
        let (status, _) = post_as(
            &app,
            &staff,
            &moved,
            &moved,
            &[
                ("title", "Werkgroep Uitnodigingen"),
                ("local_date", "2055-10-31"),
                ("local_start", "09:30"),
                ("local_end", "11:00"),
                ("place", &place),
                ("online_url", "https://meet.test/gdpr?a=1,b=2"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let second = by_recipient(
            received(server, before + 3, before + 6)
                .await
                .iter()
                .map(invitation)
                .collect(),
        );

        // 3. Cancelled: METHOD:CANCEL to those invited.
        let cancel = format!("/werkgroepen/uitnodigingen/vergaderingen/{id}/annuleren");
        let (status, _) = post_as(
            &app,
            &staff,
            &format!("/werkgroepen/uitnodigingen/vergaderingen/{id}"),
            &cancel,
            &[("cancel_reason", "Te weinig deelnemers")],
        )
        .await;
        assert_eq!(status, 303);
        let third = by_recipient(
            received(server, before + 6, before + 9)
                .await
                .iter()
                .map(invitation)
                .collect(),
        );
        for mail in &third {
            assert_eq!(mail.method, "CANCEL");
            assert!(mail.text.contains("Te weinig deelnemers"), "{}", mail.text);
        }

        // A retried cancellation job (a worker died after sending) sends nothing again.
        let retry = jobs::enqueue(
            &w.db,
            jobs::NewJob::new(
                invitations::MAIL_JOB,
                json!({
                    "meeting_id": id, "kind": MailKind::Annulering, "version": 2,
                    "base_url": app.base, "sender": FROM,
                }),
            ),
        )
        .await
        .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while !jobs::get(&w.db, &retry)
            .await
            .unwrap()
            .unwrap()
            .status
            .is_finished()
        {
            assert!(Instant::now() < deadline);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        pool.shutdown().await;
        assert_eq!(server.received().len(), before + 9, "nothing sent twice");
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_mail_log").await, 9);

        // Field by field, as an independent parser reads them.
        let starts: Vec<(i64, i64)> =
            sqlx::query_as("SELECT starts_at, ends_at FROM wg_meetings WHERE id = $1")
                .bind(&id)
                .fetch_all(w.db.pool())
                .await
                .unwrap();
        let all: Vec<String> = first
            .iter()
            .chain(&second)
            .chain(&third)
            .map(|m| m.ics.clone())
            .collect();
        let Some(parsed) = ical_oracle::parse(&all) else {
            return;
        };
        // 29/03/2055 14:00 is summer time (the switch was the day before): 12:00Z; 31/10/2055, the
        // day summer time ends, 09:30 is winter time again: 08:30Z.
        let rounds: [Round; 3] = [
            (
                0,
                0,
                "REQUEST",
                "CONFIRMED",
                ("2055-03-29T14:00", 2689934400000),
            ),
            (
                1,
                1,
                "REQUEST",
                "CONFIRMED",
                ("2055-10-31T09:30", 2708584200000),
            ),
            (
                2,
                2,
                "CANCEL",
                "CANCELLED",
                ("2055-10-31T09:30", 2708584200000),
            ),
        ];
        assert_eq!(starts[0].0, 2708584200000, "the stored instant of the move");
        for (round, seq, method, status, (local, start_ms)) in rounds {
            for (index, email) in recipients.iter().enumerate() {
                let cal: &Value = &parsed[round * 3 + index];
                assert_eq!(cal["method"], json!(method));
                assert_eq!(cal["version"], json!("2.0"));
                assert_eq!(cal["vtimezone_tzids"], json!(["Europe/Brussels"]));
                assert_eq!(cal["vtimezone_agrees"], json!(true), "{cal}");
                let events = cal["events"].as_array().unwrap();
                assert_eq!(events.len(), 1);
                let ev = &events[0];
                assert_eq!(ev["uid"], json!(uid));
                assert_eq!(ev["sequence"], json!(seq));
                assert_eq!(ev["status"], json!(status));
                assert_eq!(ev["summary"], json!("Werkgroep Uitnodigingen: vergadering"));
                assert_eq!(
                    ev["location"],
                    json!(place),
                    "escaped and folded, read back whole"
                );
                assert_eq!(ev["dtstart_tzid"], json!("Europe/Brussels"));
                assert_eq!(ev["dtstart_local"], json!(local));
                assert_eq!(ev["dtstart_ms"], json!(start_ms));
                assert_eq!(
                    ev["dtend_ms"].as_i64().unwrap() - start_ms,
                    if round == 0 {
                        2 * 3_600_000
                    } else {
                        90 * 60_000
                    }
                );
                assert_eq!(
                    ev["url"],
                    json!(format!(
                        "{}/werkgroepen/uitnodigingen/vergaderingen/{id}",
                        app.base
                    ))
                );
                assert!(ev["description"]
                    .as_str()
                    .unwrap()
                    .contains("Online deelnemen: https://meet.test/gdpr?a=1,b=2"));
                assert_eq!(
                    ev["organizer"],
                    json!({"email": "noreply@stedenplatform.local",
                           "cn": "Kenniscentrum Vlaamse Steden", "rsvp": ""})
                );
                let attendees = ev["attendees"].as_array().unwrap();
                assert_eq!(attendees.len(), 1, "only the recipient");
                assert_eq!(attendees[0]["email"], json!(email));
                assert_eq!(attendees[0]["rsvp"], json!("FALSE"));
            }
        }
    })
    .await;
}
