//! Replies to a meeting (`wg_replies`): a member says "aanwezig", "verontschuldigd" or
//! "misschien", on the meeting's page, through the signed link in the invitation, or via the
//! API; the last answer counts (one row per meeting and person).

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{now_ms, Tx};

use crate::access::Standing;
use crate::store::meetings::{Meeting, MeetingStatus, ENTITY};

/// An answer to an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Aanwezig,
    Verontschuldigd,
    Misschien,
}

impl Answer {
    pub const ALL: [Answer; 3] = [Answer::Aanwezig, Answer::Verontschuldigd, Answer::Misschien];

    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Aanwezig => "aanwezig",
            Answer::Verontschuldigd => "verontschuldigd",
            Answer::Misschien => "misschien",
        }
    }

    pub fn parse(text: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|a| a.as_str() == text.trim())
    }

    /// The Dutch word the pages show.
    pub fn label(self) -> &'static str {
        match self {
            Answer::Aanwezig => "Aanwezig",
            Answer::Verontschuldigd => "Verontschuldigd",
            Answer::Misschien => "Misschien",
        }
    }
}

/// How an answer came in (`wg_replies.via`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Pagina,
    Mail,
    Api,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Pagina => "pagina",
            Via::Mail => "mail",
            Via::Api => "api",
        }
    }
}

/// One person's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub user_id: String,
    pub name: String,
    pub answer: Answer,
    pub via: String,
    pub answered_at: i64,
}

/// Who may answer: those invited, i.e. active members of any role (guests too) and those who
/// run the group.
pub fn may_reply(standing: &Standing) -> bool {
    standing.facilitates() || standing.facts.active_role.is_some()
}

/// Records `user_id`'s answer (replacing an earlier one). Checked before any write: the
/// answer is one of the three, the person may answer, the meeting is still planned.
pub async fn set(
    tx: &mut Tx<'_>,
    standing: &Standing,
    meeting: &Meeting,
    user_id: &str,
    answer: &str,
    via: Via,
    actor: &AuditActor,
) -> CoreResult<Answer> {
    if !may_reply(standing) {
        return Err(CoreError::Forbidden);
    }
    let Some(answer) = Answer::parse(answer) else {
        return Err(CoreError::invalid(
            "answer",
            "Kies aanwezig, verontschuldigd of misschien.",
        ));
    };
    match meeting.status {
        MeetingStatus::Gepland => {}
        MeetingStatus::Geannuleerd => {
            return Err(CoreError::invalid(
                "answer",
                "Deze vergadering is geannuleerd; je hoeft niet meer te antwoorden.",
            ))
        }
        MeetingStatus::Gehouden => {
            return Err(CoreError::invalid(
                "answer",
                "Deze vergadering heeft al plaatsgevonden.",
            ))
        }
    }
    sqlx::query(
        "INSERT INTO wg_replies (meeting_id, user_id, answer, via, answered_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (meeting_id, user_id)
         DO UPDATE SET answer = excluded.answer, via = excluded.via,
                       answered_at = excluded.answered_at",
    )
    .bind(&meeting.id)
    .bind(user_id)
    .bind(answer.as_str())
    .bind(via.as_str())
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: &meeting.id,
            action: "reply",
            summary: &format!("Antwoord op {}: {}", meeting.title, answer.as_str()),
            changes: Changes::new().created("answer", answer.as_str()),
        },
    )
    .await?;
    Ok(answer)
}

/// Every answer to the meeting, by name.
pub async fn of_meeting<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    meeting_id: &str,
) -> CoreResult<Vec<Reply>> {
    let rows = sqlx::query(
        "SELECT r.user_id, p.name, r.answer, r.via, r.answered_at
         FROM wg_replies r JOIN person_names p ON p.id = r.user_id
         WHERE r.meeting_id = $1 ORDER BY p.name, r.user_id",
    )
    .bind(meeting_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            Some(Reply {
                user_id: row.get("user_id"),
                name: row.get("name"),
                answer: Answer::parse(&row.get::<String, _>("answer"))?,
                via: row.get("via"),
                answered_at: row.get("answered_at"),
            })
        })
        .collect())
}
