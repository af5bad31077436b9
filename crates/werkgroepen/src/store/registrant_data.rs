//! What the module holds for one e-mail address of event registrants (issue 13 point 8), for
//! the signed "my data" link of someone who registered without an account
//! (`/werkgroepen/mijn-gegevens/link/{token}`). The link signs a registration's id, never the
//! address; the address is the one of that registration, and every part below is selected by
//! it (`email_norm`), so nothing of another address can show. An anonymised registration (its
//! address erased at retention) has no address left and gives nothing.

use serde_json::{json, Value};
use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;

use super::personal_data::{part, Col};
use super::registrations::normalise_email;

/// The registrant a data link stands for: the registration's address (as typed and
/// normalised) and name, if the registration still exists and was not anonymised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub email: String,
    pub email_norm: String,
    pub name: String,
}

/// The holder of registration `registration_id`.
pub async fn holder<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    registration_id: &str,
) -> CoreResult<Option<Holder>> {
    let row = sqlx::query(
        "SELECT email, email_norm, name FROM wg_registrations
         WHERE id = $1 AND anonymised_at IS NULL",
    )
    .bind(registration_id)
    .fetch_optional(exec)
    .await?;
    Ok(row
        .map(|r| Holder {
            email: r.get("email"),
            email_norm: r.get("email_norm"),
            name: r.get("name"),
        })
        .filter(|h| !h.email.is_empty()))
}

/// The newest registration (not anonymised) made with `email`, with its address as stored:
/// what a requested link signs and where it is mailed. `None` when the address has none.
pub async fn latest_for_address<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    email: &str,
) -> CoreResult<Option<(String, String)>> {
    let row = sqlx::query(
        "SELECT id, email FROM wg_registrations
         WHERE email_norm = $1 AND anonymised_at IS NULL AND email <> ''
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(normalise_email(email))
    .fetch_optional(exec)
    .await?;
    Ok(row.map(|r| (r.get("id"), r.get("email"))))
}

/// Everything held for the holder's address, one key per kind of record, read in one
/// transaction: the registrations (with their answers), attendance, evaluation answers,
/// certificates and the mails sent about these registrations.
pub async fn collect(db: &steden_db::Db, holder: &Holder) -> CoreResult<Value> {
    use Col::{Int, Text};
    let mut tx = db.pool().begin().await?;
    let me = [holder.email_norm.as_str()];
    let registrations = part(
        &mut tx,
        "SELECT r.id, r.event_id, e.title AS event_title, e.local_date, r.name, r.email,
            r.organisation_text, r.answers, r.status, r.waitlist_number, r.cancelled_at,
            r.created_at
         FROM wg_registrations r JOIN wg_events e ON e.id = r.event_id
         WHERE r.email_norm = $1 ORDER BY r.created_at, r.id",
        &me,
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
            Int("cancelled_at"),
            Int("created_at"),
        ],
    )
    .await?;
    let attendance = part(
        &mut tx,
        "SELECT r.event_id, e.title AS event_title, e.local_date,
            CAST(r.attended AS BIGINT) AS attended
         FROM wg_registrations r JOIN wg_events e ON e.id = r.event_id
         WHERE r.email_norm = $1 AND r.attended IS NOT NULL ORDER BY e.starts_at, r.id",
        &me,
        &[
            Text("event_id"),
            Text("event_title"),
            Text("local_date"),
            Int("attended"),
        ],
    )
    .await?;
    let evaluation_answers = part(
        &mut tx,
        "SELECT s.event_id, e.title AS event_title, q.text AS question, a.scale_value,
            a.text AS answer, s.submitted_at
         FROM wg_eval_answers a
         JOIN wg_eval_responses s ON s.id = a.response_id
         JOIN wg_eval_questions q ON q.id = a.question_id
         JOIN wg_registrations r ON r.id = s.registration_id
         JOIN wg_events e ON e.id = s.event_id
         WHERE r.email_norm = $1
         ORDER BY s.submitted_at, s.id, q.position",
        &me,
        &[
            Text("event_id"),
            Text("event_title"),
            Text("question"),
            Int("scale_value"),
            Text("answer"),
            Int("submitted_at"),
        ],
    )
    .await?;
    let certificates = part(
        &mut tx,
        "SELECT r.event_id, e.title AS event_title, e.local_date, r.name,
            r.certificate_issued_at
         FROM wg_registrations r JOIN wg_events e ON e.id = r.event_id
         WHERE r.email_norm = $1 AND r.certificate_issued_at IS NOT NULL
         ORDER BY r.certificate_issued_at, r.id",
        &me,
        &[
            Text("event_id"),
            Text("event_title"),
            Text("local_date"),
            Text("name"),
            Int("certificate_issued_at"),
        ],
    )
    .await?;
    // Event mails are logged under the registration's id (registrations::claim_mail).
    let mails = part(
        &mut tx,
        "SELECT l.kind, l.subject_id AS event_id, l.created_at
         FROM wg_mail_log l JOIN wg_registrations r ON r.id = l.user_id
         WHERE r.email_norm = $1 ORDER BY l.created_at, l.kind, l.subject_id",
        &me,
        &[Text("kind"), Text("event_id"), Int("created_at")],
    )
    .await?;
    tx.commit().await?;
    Ok(json!({
        "person": { "name": holder.name, "email": holder.email },
        "registrations": registrations,
        "attendance": attendance,
        "evaluation_answers": evaluation_answers,
        "certificates": certificates,
        "mails": mails,
    }))
}
