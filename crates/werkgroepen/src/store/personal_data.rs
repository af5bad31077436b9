//! Everything the module holds about one person (issue 13 point 8, design §1 row 8), for
//! `/werkgroepen/mijn/gegevens` and its JSON download. Each part is one query on the person's
//! id; registrations also match their address, because someone may have registered for a
//! public event without logging in. Feed tokens leave out the hash of the secret: it is no
//! information about the person and would help only an attacker.

use serde_json::{json, Map, Value};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use steden_core::error::CoreResult;

/// How a column is read into JSON.
#[derive(Clone, Copy)]
pub(super) enum Col {
    Text(&'static str),
    Int(&'static str),
}

fn to_json(row: &AnyRow, cols: &[Col]) -> Value {
    let mut object = Map::new();
    for col in cols {
        let (name, value) = match *col {
            Col::Text(name) => (name, json!(row.get::<Option<String>, _>(name))),
            Col::Int(name) => (name, json!(row.get::<Option<i64>, _>(name))),
        };
        object.insert(name.to_string(), value);
    }
    Value::Object(object)
}

/// One part: the rows `sql` returns for the binds, as JSON objects of `cols`.
pub(super) async fn part(
    tx: &mut Transaction<'_, Any>,
    sql: &str,
    binds: &[&str],
    cols: &[Col],
) -> CoreResult<Value> {
    let mut query = sqlx::query(sql);
    for bind in binds {
        query = query.bind(*bind);
    }
    let rows = query.fetch_all(&mut **tx).await?;
    Ok(Value::Array(
        rows.iter().map(|r| to_json(r, cols)).collect(),
    ))
}

/// The person's data as one JSON object, one key per kind of record. `email` is their
/// account's address (registrations made without logging in are found by it). Read in one
/// transaction, so the parts agree with one another.
pub async fn collect(
    db: &steden_db::Db,
    user_id: &str,
    name: &str,
    email: &str,
) -> CoreResult<Value> {
    use Col::{Int, Text};
    let email_norm = super::registrations::normalise_email(email);
    let mut tx = db.pool().begin().await?;
    let me = [user_id];
    let memberships = part(
        &mut tx,
        "SELECT m.id, m.group_id, g.name AS group_name, m.organisation_id, m.role, m.status,
            m.motivation, m.decision_reason, m.requested_at, m.joined_at, m.left_at
         FROM wg_memberships m JOIN working_groups g ON g.id = m.group_id
         WHERE m.user_id = $1 ORDER BY m.created_at, m.id",
        &me,
        &[
            Text("id"),
            Text("group_id"),
            Text("group_name"),
            Text("organisation_id"),
            Text("role"),
            Text("status"),
            Text("motivation"),
            Text("decision_reason"),
            Int("requested_at"),
            Int("joined_at"),
            Int("left_at"),
        ],
    )
    .await?;
    let facilitates = part(
        &mut tx,
        "SELECT f.group_id, g.name AS group_name, f.created_at
         FROM wg_facilitators f JOIN working_groups g ON g.id = f.group_id
         WHERE f.user_id = $1 ORDER BY f.created_at, f.group_id",
        &me,
        &[Text("group_id"), Text("group_name"), Int("created_at")],
    )
    .await?;
    let replies = part(
        &mut tx,
        "SELECT r.meeting_id, m.title AS meeting_title, m.local_date, r.answer, r.via,
            r.answered_at
         FROM wg_replies r JOIN wg_meetings m ON m.id = r.meeting_id
         WHERE r.user_id = $1 ORDER BY m.starts_at, r.meeting_id",
        &me,
        &[
            Text("meeting_id"),
            Text("meeting_title"),
            Text("local_date"),
            Text("answer"),
            Text("via"),
            Int("answered_at"),
        ],
    )
    .await?;
    let attendance = part(
        &mut tx,
        "SELECT a.meeting_id, m.title AS meeting_title, m.local_date, a.status
         FROM wg_attendance a JOIN wg_meetings m ON m.id = a.meeting_id
         WHERE a.user_id = $1 ORDER BY m.starts_at, a.meeting_id",
        &me,
        &[
            Text("meeting_id"),
            Text("meeting_title"),
            Text("local_date"),
            Text("status"),
        ],
    )
    .await?;
    let proposals = part(
        &mut tx,
        "SELECT id, meeting_id, title, explanation_md, status, decline_reason, created_at
         FROM wg_agenda_items WHERE proposer_id = $1 ORDER BY created_at, id",
        &me,
        &[
            Text("id"),
            Text("meeting_id"),
            Text("title"),
            Text("explanation_md"),
            Text("status"),
            Text("decline_reason"),
            Int("created_at"),
        ],
    )
    .await?;
    let files = part(
        &mut tx,
        "SELECT id, filename, content_type, size_bytes, created_at
         FROM wg_files WHERE created_by = $1 ORDER BY created_at, id",
        &me,
        &[
            Text("id"),
            Text("filename"),
            Text("content_type"),
            Int("size_bytes"),
            Int("created_at"),
        ],
    )
    .await?;
    let minutes_comments = part(
        &mut tx,
        "SELECT id, meeting_id, body, created_at FROM wg_minutes_comments
         WHERE user_id = $1 ORDER BY created_at, id",
        &me,
        &[
            Text("id"),
            Text("meeting_id"),
            Text("body"),
            Int("created_at"),
        ],
    )
    .await?;
    let action_points = part(
        &mut tx,
        "SELECT id, group_id, meeting_id, description, due_date, status, done_at, created_at
         FROM wg_action_points WHERE owner_user_id = $1 ORDER BY created_at, id",
        &me,
        &[
            Text("id"),
            Text("group_id"),
            Text("meeting_id"),
            Text("description"),
            Text("due_date"),
            Text("status"),
            Int("done_at"),
            Int("created_at"),
        ],
    )
    .await?;
    let registrations = part(
        &mut tx,
        "SELECT r.id, r.event_id, e.title AS event_title, e.local_date, r.name, r.email,
            r.organisation_text, r.answers, r.status, r.waitlist_number,
            CAST(r.attended AS BIGINT) AS attended, r.certificate_issued_at, r.cancelled_at,
            r.anonymised_at, r.created_at
         FROM wg_registrations r JOIN wg_events e ON e.id = r.event_id
         WHERE r.user_id = $1 OR r.email_norm = $2 ORDER BY r.created_at, r.id",
        &[user_id, email_norm.as_str()],
        &[
            Text("id"),
            Text("event_id"),
            Text("event_title"),
            Text("local_date"),
            Text("name"),
            Text("email"),
            Text("organisation_text"),
            Text("answers"),
            Text("status"),
            Int("waitlist_number"),
            Int("attended"),
            Int("certificate_issued_at"),
            Int("cancelled_at"),
            Int("anonymised_at"),
            Int("created_at"),
        ],
    )
    .await?;
    let evaluation_answers = part(
        &mut tx,
        "SELECT s.event_id, q.text AS question, a.scale_value, a.text AS answer, s.submitted_at
         FROM wg_eval_answers a
         JOIN wg_eval_responses s ON s.id = a.response_id
         JOIN wg_eval_questions q ON q.id = a.question_id
         JOIN wg_registrations r ON r.id = s.registration_id
         WHERE r.user_id = $1 OR r.email_norm = $2
         ORDER BY s.submitted_at, s.id, q.position",
        &[user_id, email_norm.as_str()],
        &[
            Text("event_id"),
            Text("question"),
            Int("scale_value"),
            Text("answer"),
            Int("submitted_at"),
        ],
    )
    .await?;
    let feed_tokens = part(
        &mut tx,
        "SELECT id, created_at, revoked_at, last_used_at FROM wg_feed_tokens
         WHERE user_id = $1 ORDER BY created_at, id",
        &me,
        &[
            Text("id"),
            Int("created_at"),
            Int("revoked_at"),
            Int("last_used_at"),
        ],
    )
    .await?;
    let mails = part(
        &mut tx,
        "SELECT kind, subject_id, version, created_at FROM wg_mail_log
         WHERE user_id = $1 ORDER BY created_at, kind, subject_id",
        &me,
        &[
            Text("kind"),
            Text("subject_id"),
            Int("version"),
            Int("created_at"),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(json!({
        "person": { "id": user_id, "name": name, "email": email },
        "memberships": memberships,
        "facilitates": facilitates,
        "replies": replies,
        "meeting_attendance": attendance,
        "agenda_proposals": proposals,
        "files": files,
        "minutes_comments": minutes_comments,
        "action_points": action_points,
        "registrations": registrations,
        "evaluation_answers": evaluation_answers,
        "feed_tokens": feed_tokens,
        "mails": mails,
    }))
}
