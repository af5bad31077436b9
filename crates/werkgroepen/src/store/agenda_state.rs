//! The reading side of a meeting's agenda: its state (deadline, publication, version) and its
//! items. The agenda's writes ([`crate::store::agenda`]) and its mails
//! ([`crate::store::agenda_mail`]) both build on it, so neither has to import the other.

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::Tx;

use crate::localtime;

/// The agenda facts of a meeting, with the deadline that applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaState {
    pub meeting_id: String,
    pub group_id: String,
    pub title: String,
    pub local_date: String,
    pub local_start: String,
    pub starts_at: i64,
    pub cancelled: bool,
    /// The moment proposals close: the one a chair set, else the end of the day
    /// `proposal_days` before the meeting.
    pub deadline_at: i64,
    /// Whether a chair set the deadline.
    pub deadline_set: bool,
    pub published: bool,
    pub published_at: Option<i64>,
    pub version: i64,
}

impl AgendaState {
    /// "12/03/2026 om 23:59": the deadline as the pages and messages show it.
    pub fn deadline_text(&self) -> String {
        show_moment(self.deadline_at)
    }
}

/// A moment in Brussels wall time, `dd/mm/jjjj om HH:MM`.
pub fn show_moment(ms: i64) -> String {
    localtime::from_utc_ms(ms)
        .map(|at| at.format("%d/%m/%Y om %H:%M").to_string())
        .unwrap_or_default()
}

/// The last millisecond of the minute 23:59 of `date` in Brussels.
pub(crate) fn end_of_day(date: chrono::NaiveDate) -> CoreResult<i64> {
    let last_minute = chrono::NaiveTime::from_hms_opt(23, 59, 0).unwrap_or_default();
    localtime::to_utc_ms(date, last_minute)
        .map(|ms| ms + 59_999)
        .map_err(|e| CoreError::invalid("deadline", &e.message()))
}

/// The agenda facts of meeting `meeting_id` of group `group_id`.
pub async fn state<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    group_id: &str,
    meeting_id: &str,
) -> CoreResult<Option<AgendaState>> {
    let row = sqlx::query(
        "SELECT m.id, m.group_id, m.title, m.local_date, m.local_start, m.starts_at, m.status,
                m.proposal_deadline_at, m.agenda_status, m.agenda_published_at,
                m.agenda_version, g.proposal_days
         FROM wg_meetings m JOIN wg_groups g ON g.group_id = m.group_id
         WHERE m.group_id = $1 AND m.id = $2",
    )
    .bind(group_id)
    .bind(meeting_id)
    .fetch_optional(exec)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let local_date: String = row.get("local_date");
    let set: Option<i64> = row.get("proposal_deadline_at");
    let deadline_at = match set {
        Some(at) => at,
        None => {
            let days: i64 = row.get("proposal_days");
            let date = localtime::parse_date(&local_date)
                .map_err(|e| CoreError::Internal(anyhow::anyhow!("vergaderdatum: {e}")))?;
            end_of_day(date - chrono::Duration::days(days))?
        }
    };
    Ok(Some(AgendaState {
        meeting_id: row.get("id"),
        group_id: row.get("group_id"),
        title: row.get("title"),
        local_start: row.get("local_start"),
        starts_at: row.get("starts_at"),
        cancelled: row.get::<String, _>("status") == "geannuleerd",
        deadline_at,
        deadline_set: set.is_some(),
        published: row.get::<String, _>("agenda_status") == "gepubliceerd",
        published_at: row.get("agenda_published_at"),
        version: row.get("agenda_version"),
        local_date,
    }))
}

pub(crate) async fn load_state(
    tx: &mut Tx<'_>,
    group_id: &str,
    meeting_id: &str,
) -> CoreResult<AgendaState> {
    state(&mut **tx, group_id, meeting_id)
        .await?
        .ok_or(CoreError::NotFound("vergadering"))
}

/// One agenda item with its proposer's names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: String,
    pub meeting_id: String,
    pub position: i64,
    /// `voorstel`, `facilitator`, `sjabloon` or `thema-evaluatie`.
    pub origin: String,
    /// `voorgesteld`, `aanvaard`, `samengevoegd` or `afgewezen`.
    pub status: String,
    pub title: String,
    pub explanation_md: String,
    pub duration_min: Option<i64>,
    pub proposer_id: Option<String>,
    pub proposer_name: Option<String>,
    pub proposer_org_name: Option<String>,
    pub merged_into_id: Option<String>,
    pub decline_reason: String,
    pub created_at: i64,
}

impl Item {
    /// On the agenda (accepted) or still to be decided: the items that are ordered.
    pub fn is_live(&self) -> bool {
        matches!(self.status.as_str(), "voorgesteld" | "aanvaard")
    }

    /// The Dutch label of its status.
    pub fn status_label(&self) -> &'static str {
        match self.status.as_str() {
            "aanvaard" => "Aanvaard",
            "samengevoegd" => "Samengevoegd",
            "afgewezen" => "Afgewezen",
            _ => "Voorgesteld",
        }
    }
}

/// The items of a meeting in agenda order.
pub async fn items<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    meeting_id: &str,
) -> CoreResult<Vec<Item>> {
    let rows = sqlx::query(
        "SELECT i.id, i.meeting_id, i.position, i.origin, i.status, i.title, i.explanation_md,
                i.duration_min, i.proposer_id, p.name AS proposer_name,
                o.name AS proposer_org_name, i.merged_into_id, i.decline_reason, i.created_at
         FROM wg_agenda_items i
         LEFT JOIN person_names p ON p.id = i.proposer_id
         LEFT JOIN organisation_names o ON o.id = i.proposer_org_id
         WHERE i.meeting_id = $1
         ORDER BY i.position, i.created_at, i.id",
    )
    .bind(meeting_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Item {
            id: row.get("id"),
            meeting_id: row.get("meeting_id"),
            position: row.get("position"),
            origin: row.get("origin"),
            status: row.get("status"),
            title: row.get("title"),
            explanation_md: row.get("explanation_md"),
            duration_min: row.get("duration_min"),
            proposer_id: row.get("proposer_id"),
            proposer_name: row.get("proposer_name"),
            proposer_org_name: row.get("proposer_org_name"),
            merged_into_id: row.get("merged_into_id"),
            decline_reason: row.get("decline_reason"),
            created_at: row.get("created_at"),
        })
        .collect())
}
