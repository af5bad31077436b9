//! The workspace kind "vergadering" (design §3.4), on both backends: an invitation mailed to a
//! member for a planned meeting in the coming weeks is a task, due on the meeting's date, until
//! the member answers on the meeting's page; a meeting never mailed, one further ahead, or
//! someone outside the group gets none.

use chrono::Duration;
use steden_db::{new_id, now_ms, Db};
use steden_web::i18n::{shell_translations, Catalog, Lang};
use steden_werkgroepen::model::MemberRole;
use steden_werkgroepen::store::{joining, meetings};
use steden_werkgroepen::workspace::{self, INVITATION_WEEKS};

use crate::common::{client_of, create_group, each_wg_app, post_as, Person};

const DAY: i64 = 24 * 3_600_000;

fn catalog() -> Catalog {
    let mut all = shell_translations();
    all.extend(steden_werkgroepen::translations());
    Catalog::build(&all).unwrap()
}

/// A planned meeting `days` from now: (id, Brussels date).
async fn meeting(db: &Db, group_id: &str, title: &str, days: i64) -> (String, String) {
    let id = new_id();
    let starts = now_ms() + days * DAY;
    let date = (meetings::today() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string();
    sqlx::query(
        "INSERT INTO wg_meetings (id, group_id, title, local_date, local_start, local_end,
            starts_at, ends_at, status, ical_uid, created_at, updated_at)
         VALUES ($1, $2, $3, $4, '14:00', '16:00', $5, $6, 'gepland', $7, $8, $8)",
    )
    .bind(&id)
    .bind(group_id)
    .bind(title)
    .bind(&date)
    .bind(starts)
    .bind(starts + 2 * 3_600_000)
    .bind(format!("{id}@test"))
    .bind(now_ms())
    .execute(db.pool())
    .await
    .unwrap();
    (id, date)
}

/// Notes that `person` was mailed the invitation, as the mail job does.
async fn invited(db: &Db, meeting_id: &str, person: &Person) {
    sqlx::query(
        "INSERT INTO wg_mail_log (kind, subject_id, version, user_id, outbox_id, created_at)
         VALUES ('uitnodiging', $1, 0, $2, 'outbox', 0)",
    )
    .bind(meeting_id)
    .bind(&person.id)
    .execute(db.pool())
    .await
    .unwrap();
}

async fn reply_tasks(db: &Db, person: &Person) -> Vec<(String, Option<String>, String)> {
    workspace::tasks(db, &person.id, Lang::Nl, &catalog())
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.kind == "vergadering")
        .map(|t| (t.title, t.due, t.href))
        .collect()
}

#[tokio::test]
async fn an_unanswered_invitation_is_a_task_until_answered() {
    each_wg_app(|app, w| async move {
        let group = create_group(&w, "antwoordtaak", "Werkgroep Antwoord", "verborgen").await;
        let mut tx = w.db.begin().await.unwrap();
        joining::add(
            &mut tx,
            &group,
            &w.gent_member.id,
            Some(&w.gent),
            MemberRole::Lid,
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let (soon, date) = meeting(&w.db, &group, "Overleg", 10).await;
        let (far, _) = meeting(&w.db, &group, "Later overleg", INVITATION_WEEKS * 7 + 5).await;
        // Not mailed yet: nothing to answer.
        assert!(reply_tasks(&w.db, &w.gent_member).await.is_empty());
        invited(&w.db, &soon, &w.gent_member).await;
        invited(&w.db, &far, &w.gent_member).await;
        // Someone outside the group, even if logged, gets none.
        invited(&w.db, &soon, &w.antwerpen_member).await;
        let tasks = reply_tasks(&w.db, &w.gent_member).await;
        assert_eq!(tasks.len(), 1, "{tasks:?}");
        assert!(
            tasks[0].0.starts_with("Overleg (Werkgroep Antwoord"),
            "{tasks:?}"
        );
        assert_eq!(tasks[0].1.as_deref(), Some(date.as_str()));
        let page = format!("/werkgroepen/antwoordtaak/vergaderingen/{soon}");
        assert_eq!(tasks[0].2, page);
        assert!(reply_tasks(&w.db, &w.antwerpen_member).await.is_empty());

        // Answering on the meeting's page ends it.
        let member = client_of(&app, &w.gent_member).await;
        let reply = format!("{page}/antwoord");
        let (status, html) =
            post_as(&app, &member, &reply, &reply, &[("answer", "misschien")]).await;
        assert_eq!(status, 200, "{html}");
        assert!(reply_tasks(&w.db, &w.gent_member).await.is_empty());
    })
    .await;
}
