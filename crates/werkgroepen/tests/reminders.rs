//! Reminders (design §3.5, the daily task `reminders`), on both backends, with fixed `now`
//! values and the mails received by the test SMTP server over TCP: three days before the
//! proposal deadline the members who may propose are reminded once; two days before the
//! meeting those invited who did not reply are reminded once; a meeting moved since its
//! invitation (not yet re-invited) or cancelled gets no reminder.

use std::sync::Arc;
use std::time::{Duration, Instant};

use steden_core::mail::{self, Mailer};
use steden_db::jobs::{Registry, WorkerOptions, WorkerPool};
use steden_db::{new_id, now_ms, Db};
use steden_testkit::smtp::{parse_mime, Mode, Received, SmtpServer};
use steden_web::Module;
use steden_werkgroepen::invitations::Origin;
use steden_werkgroepen::model::MemberRole;
use steden_werkgroepen::reminders::{self, MEETING_KIND, PROPOSAL_KIND};
use steden_werkgroepen::store::joining;

use crate::common::{count, create_group, each_wg_app, Person, TestApp};

const FROM: &str = "Stedenplatform <noreply@steden.test>";
const DAY: i64 = 24 * 3_600_000;

fn workers(app: &TestApp, server: &SmtpServer) -> WorkerPool {
    let mut registry = Registry::new();
    steden_werkgroepen::WerkgroepenModule.register_jobs(&mut registry, &Arc::default());
    mail::register(
        &mut registry,
        Arc::new(Mailer::smtp(&server.url(), FROM).unwrap()),
    );
    let options = WorkerOptions {
        workers: 2,
        name: "wg-remind".into(),
        poll_interval: Duration::from_millis(20),
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        ..WorkerOptions::default()
    };
    WorkerPool::start_with(app.db.clone(), Arc::new(registry), options)
}

/// Waits until the server holds `total` messages; returns (recipient, text) of those after
/// `from`, sorted by recipient.
async fn received(server: &SmtpServer, from: usize, total: usize) -> Vec<(String, String)> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let all = server.received();
        if all.len() >= total {
            tokio::time::sleep(Duration::from_millis(300)).await;
            let all: Vec<Received> = server.received();
            assert_eq!(all.len(), total, "no more mails than expected");
            let mut found: Vec<(String, String)> = all[from..]
                .iter()
                .map(|m| {
                    (
                        m.recipients.join(","),
                        parse_mime(&m.data).find("text/plain").text(),
                    )
                })
                .collect();
            found.sort();
            return found;
        }
        assert!(Instant::now() < deadline, "only {} mails", all.len());
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn exec(db: &Db, sql: &str, id: &str) {
    sqlx::query(sql).bind(id).execute(db.pool()).await.unwrap();
}

async fn log_invitation(db: &Db, meeting: &str, person: &Person) {
    sqlx::query(
        "INSERT INTO wg_mail_log (kind, subject_id, version, user_id, outbox_id, created_at)
         VALUES ('uitnodiging', $1, 0, $2, 'outbox', 0)",
    )
    .bind(meeting)
    .bind(&person.id)
    .execute(db.pool())
    .await
    .unwrap();
}

#[tokio::test]
async fn reminders_go_once_before_the_deadline_and_the_meeting() {
    let server = SmtpServer::start(Mode::Accept).await;
    let server = &server;
    each_wg_app(|app, w| async move {
        let pool = workers(&app, server);
        let group = create_group(&w, "herinnering", "Werkgroep Herinnering", "verborgen").await;
        let mut tx = w.db.begin().await.unwrap();
        for (person, org, role) in [
            (&w.gent_member, &w.gent, MemberRole::Lid),
            (&w.antwerpen_member, &w.antwerpen, MemberRole::Waarnemer),
        ] {
            joining::add(
                &mut tx,
                &group,
                &person.id,
                Some(org),
                role,
                &w.staff.audit(),
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        // A meeting in ten days (so that its reply link is valid), invited at SEQUENCE 0,
        // proposals open until five days before it.
        let id = new_id();
        let starts = now_ms() + 10 * DAY;
        let deadline = starts - 5 * DAY;
        sqlx::query(
            "INSERT INTO wg_meetings (id, group_id, title, local_date, local_start, local_end,
                starts_at, ends_at, status, ical_uid, proposal_deadline_at, invited_sequence,
                created_at, updated_at)
             VALUES ($1, $2, 'Overleg', '2099-01-01', '14:00', '16:00', $3, $4, 'gepland',
                $5, $6, 0, 0, 0)",
        )
        .bind(&id)
        .bind(&group)
        .bind(starts)
        .bind(starts + 2 * 3_600_000)
        .bind(format!("{id}@test"))
        .bind(deadline)
        .execute(w.db.pool())
        .await
        .unwrap();
        for person in [&w.staff, &w.gent_member, &w.antwerpen_member] {
            log_invitation(&w.db, &id, person).await;
        }
        let origin = Origin {
            base_url: app.base.to_string(),
            sender: FROM.into(),
        };
        let before = server.received().len();

        // Four days before the deadline: nothing yet.
        assert_eq!(
            reminders::send_due(&w.db, &origin, deadline - 4 * DAY)
                .await
                .unwrap(),
            0
        );
        // Two days before: the member who may propose (not the observer, not staff), once.
        let at = deadline - 2 * DAY;
        assert_eq!(reminders::send_due(&w.db, &origin, at).await.unwrap(), 1);
        assert_eq!(
            reminders::send_due(&w.db, &origin, at + 3_600_000)
                .await
                .unwrap(),
            0
        );
        let proposals = received(server, before, before + 1).await;
        assert_eq!(proposals[0].0, w.gent_member.email);
        assert!(
            proposals[0].1.contains("agendapunten voorstellen"),
            "{proposals:?}"
        );
        assert!(
            proposals[0]
                .1
                .contains(&format!("/vergaderingen/{id}/agenda")),
            "{proposals:?}"
        );

        // Gent answers; a day before the meeting the other two invited are reminded, once.
        sqlx::query(
            "INSERT INTO wg_replies (meeting_id, user_id, answer, via, answered_at)
             VALUES ($1, $2, 'aanwezig', 'pagina', 0)",
        )
        .bind(&id)
        .bind(&w.gent_member.id)
        .execute(w.db.pool())
        .await
        .unwrap();
        assert_eq!(
            reminders::send_due(&w.db, &origin, starts - 3 * DAY)
                .await
                .unwrap(),
            0,
            "not yet two days before"
        );
        let at = starts - DAY;
        assert_eq!(reminders::send_due(&w.db, &origin, at).await.unwrap(), 2);
        assert_eq!(
            reminders::send_due(&w.db, &origin, at + 60_000)
                .await
                .unwrap(),
            0
        );
        let soon = received(server, before + 1, before + 3).await;
        let mut to: Vec<&str> = soon.iter().map(|m| m.0.as_str()).collect();
        let mut expected = vec![w.staff.email.as_str(), w.antwerpen_member.email.as_str()];
        to.sort();
        expected.sort();
        assert_eq!(to, expected);
        assert!(
            soon.iter().all(|m| m.1.contains("/werkgroepen/antwoord/")),
            "{soon:?}"
        );
        let logged = format!(
            "SELECT COUNT(*) FROM wg_mail_log WHERE kind IN ('{PROPOSAL_KIND}', '{MEETING_KIND}')"
        );
        assert_eq!(count(&w.db, &logged).await, 3);

        // Moved since its invitation (the update not sent yet): no reminder for the new
        // version; cancelled: none at all.
        exec(
            &w.db,
            "UPDATE wg_meetings SET ical_sequence = 1, moved = 1 WHERE id = $1",
            &id,
        )
        .await;
        assert_eq!(reminders::send_due(&w.db, &origin, at).await.unwrap(), 0);
        exec(
            &w.db,
            "UPDATE wg_meetings SET status = 'geannuleerd', invited_sequence = 1 WHERE id = $1",
            &id,
        )
        .await;
        assert_eq!(reminders::send_due(&w.db, &origin, at).await.unwrap(), 0);
        assert_eq!(count(&w.db, &logged).await, 3);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(server.received().len(), before + 3);
        pool.shutdown().await;
    })
    .await;
}
