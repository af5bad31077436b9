//! Mails for series meetings (design §3.5, issue 13 point 2), on both backends, received by
//! the test SMTP server over TCP: planning a series through its page invites every recipient
//! for every meeting (distinct UIDs); regenerating it with another time mails updates with
//! SEQUENCE 1; a meeting the changed range withdraws after its invitation is cancelled by
//! mail; meetings beyond the one-year horizon wait for the daily catch-up.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use steden_core::mail::{self, Mailer};
use steden_db::jobs::{Registry, WorkerOptions, WorkerPool};
use steden_db::now_ms;
use steden_testkit::smtp::{parse_mime, Mode, Received, SmtpServer};
use steden_web::Module;
use steden_werkgroepen::invitations::Origin;
use steden_werkgroepen::model::MemberRole;
use steden_werkgroepen::series_mail::{self, INVITE_HORIZON_MS};
use steden_werkgroepen::store::series::{self, SeriesDetails, SeriesRequest};
use steden_werkgroepen::store::{groups, joining, meetings};
use steden_werkgroepen::{localtime, reader};

use crate::common::{client_of, count, create_group, each_wg_app, post_as, TestApp};

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
        name: "wg-series-mail".into(),
        poll_interval: Duration::from_millis(20),
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        ..WorkerOptions::default()
    };
    WorkerPool::start_with(app.db.clone(), Arc::new(registry), options)
}

/// Waits until the server holds `total` messages and returns those after `from`.
async fn received(server: &SmtpServer, from: usize, total: usize) -> Vec<Received> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let all = server.received();
        if all.len() >= total {
            tokio::time::sleep(Duration::from_millis(300)).await;
            let all = server.received();
            assert_eq!(all.len(), total, "no more mails than expected");
            return all[from..].to_vec();
        }
        assert!(Instant::now() < deadline, "only {} mails", all.len());
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// (recipient, METHOD, UID, SEQUENCE) of a received invitation.
fn summary(message: &Received) -> (String, String, String, String) {
    let mime = parse_mime(&message.data);
    let calendar = mime.find("text/calendar");
    let ics = calendar.text().replace("\r\n ", "");
    let line = |name: &str| {
        ics.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_default()
            .to_string()
    };
    (
        message.recipients.join(","),
        calendar.params.get("method").cloned().unwrap_or_default(),
        line("UID:"),
        line("SEQUENCE:"),
    )
}

fn show(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

#[tokio::test]
async fn series_meetings_are_invited_updated_and_cancelled_by_mail() {
    let server = SmtpServer::start(Mode::Accept).await;
    let server = &server;
    each_wg_app(|app, w| async move {
        let pool = workers(&app, server);
        // create_group gives a six-weekly group; its facilitator (staff) and one member are
        // the two recipients.
        let group_id = create_group(&w, "reeksmail", "Reeksmail", "verborgen").await;
        let mut tx = w.db.begin().await.unwrap();
        joining::add(
            &mut tx,
            &group_id,
            &w.gent_member.id,
            Some(&w.gent),
            MemberRole::Lid,
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let today = localtime::from_utc_ms(now_ms()).unwrap().date();
        let from = today + Days::new(30);
        let to = from + Days::new(90);
        let staff = client_of(&app, &w.staff).await;
        let before = server.received().len();
        let form = "/werkgroepen/reeksmail/vergaderingen/reeks";
        let (status, html) = post_as(
            &app,
            &staff,
            form,
            form,
            &[
                ("title", "Overleg"),
                ("from", &show(from)),
                ("to", &show(to)),
                ("start", "14:00"),
                ("end", "16:00"),
                ("place", "Stadhuis"),
            ],
        )
        .await;
        assert_eq!(status, 303, "{html}");
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_meetings").await, 3);

        // 1. Three meetings × two recipients: six invitations, three distinct UIDs, each
        // person invited once to each.
        let first: Vec<_> = received(server, before, before + 6)
            .await
            .iter()
            .map(summary)
            .collect();
        assert!(
            first.iter().all(|m| m.1 == "REQUEST" && m.3 == "0"),
            "{first:?}"
        );
        let mut uids: Vec<&str> = first.iter().map(|m| m.2.as_str()).collect();
        uids.sort();
        uids.dedup();
        assert_eq!(uids.len(), 3, "{first:?}");
        let mut pairs: Vec<(&str, &str)> =
            first.iter().map(|m| (m.0.as_str(), m.2.as_str())).collect();
        pairs.sort();
        pairs.dedup();
        assert_eq!(pairs.len(), 6);
        for person in [&w.staff.email, &w.gent_member.email] {
            assert_eq!(first.iter().filter(|m| &m.0 == person).count(), 3);
        }
        // The job marks each meeting invited.
        let deadline = Instant::now() + Duration::from_secs(30);
        while count(
            &w.db,
            "SELECT COUNT(*) FROM wg_meetings WHERE invited_sequence = 0",
        )
        .await
            < 3
        {
            assert!(Instant::now() < deadline, "meetings never marked invited");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }

        // 2. Regenerated at 15:00, ending sooner: two updates with SEQUENCE 1 and one
        // withdrawn meeting cancelled, each mailed to both.
        let mut conn = w.db.pool().acquire().await.unwrap();
        let profile = groups::find(&mut conn, &group_id).await.unwrap().unwrap();
        drop(conn);
        let actor = crate::common::staff_actor(&w);
        let (standing, _) = reader::standing(&w.db, &actor, &profile).await.unwrap();
        let series_id: String = sqlx::query_scalar("SELECT id FROM wg_series")
            .fetch_one(w.db.pool())
            .await
            .unwrap();
        let mut tx = w.db.begin().await.unwrap();
        let mut rule = series::rule_of(&mut tx, &group_id, &series_id)
            .await
            .unwrap()
            .unwrap();
        rule.start = "15:00".into();
        rule.end = "17:00".into();
        // The series now ends before its third date, which is inside the range.
        rule.until = Some(from + Days::new(50));
        let details = SeriesDetails {
            title: "Overleg".into(),
            place: "Stadhuis".into(),
            online_url: String::new(),
        };
        let again = series::regenerate(
            &mut tx,
            &standing,
            &group_id,
            &series_id,
            SeriesRequest {
                rule: &rule,
                from,
                to,
                details: &details,
            },
            &w.staff.audit(),
        )
        .await
        .unwrap();
        let origin = Origin {
            base_url: app.base.to_string(),
            sender: FROM.into(),
        };
        let queued = series_mail::queue_generated(&mut tx, &origin, &again, now_ms())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!((again.updated, again.withdrawn, queued), (2, 1, 3));
        let second: Vec<_> = received(server, before + 6, before + 12)
            .await
            .iter()
            .map(summary)
            .collect();
        let updates: Vec<_> = second.iter().filter(|m| m.1 == "REQUEST").collect();
        let cancels: Vec<_> = second.iter().filter(|m| m.1 == "CANCEL").collect();
        assert_eq!((updates.len(), cancels.len()), (4, 2), "{second:?}");
        assert!(second
            .iter()
            .all(|m| m.3 == "1" && uids.contains(&m.2.as_str())));
        let withdrawn: String =
            sqlx::query_scalar("SELECT ical_uid FROM wg_meetings WHERE status = 'geannuleerd'")
                .fetch_one(w.db.pool())
                .await
                .unwrap();
        assert!(cancels.iter().all(|m| m.2 == withdrawn));
        let text = parse_mime(&server.received()[before + 6].data)
            .find("text/plain")
            .text();
        assert!(text.contains("15:00"), "{text}");

        // 3. A meeting beyond the horizon is not invited at once, but by the daily catch-up
        // once it comes within a year.
        let far = today + Days::new(500);
        rule.until = None;
        let mut tx = w.db.begin().await.unwrap();
        let later = series::create(
            &mut tx,
            &standing,
            &group_id,
            SeriesRequest {
                rule: &rule,
                from: far,
                to: far + Days::new(50),
                details: &details,
            },
            &w.staff.audit(),
        )
        .await
        .unwrap();
        let now = now_ms();
        assert_eq!(
            series_mail::queue_generated(&mut tx, &origin, &later, now)
                .await
                .unwrap(),
            0
        );
        tx.commit().await.unwrap();
        assert_eq!(
            series_mail::invite_due(&w.db, &origin, now).await.unwrap(),
            0
        );
        let meeting = meetings::find_by_id(w.db.pool(), &later.touched[0])
            .await
            .unwrap()
            .unwrap();
        let then = meeting.starts_at - INVITE_HORIZON_MS + 1;
        assert_eq!(
            series_mail::invite_due(&w.db, &origin, then).await.unwrap(),
            1
        );
        let third: Vec<_> = received(server, before + 12, before + 14)
            .await
            .iter()
            .map(summary)
            .collect();
        assert!(third
            .iter()
            .all(|m| m.1 == "REQUEST" && m.2 == meeting.ical_uid && m.3 == "0"));
        pool.shutdown().await;
    })
    .await;
}
