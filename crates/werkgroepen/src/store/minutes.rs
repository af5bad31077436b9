//! A meeting's minutes (design §1 point 4, slice S9): Markdown written by those who chair,
//! with attendance, decisions and action points; `concept` → `voorgelegd` (members comment
//! until `comment_until`) → `goedgekeurd` by a facilitator, which mails the minutes in the same
//! transaction. A meeting may have a theme pointing at a section of a thematic Kennisbank
//! collection; the next meeting's agenda evaluates it ([`previous_theme`]).

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

use crate::access::Standing;
use crate::localtime;
use crate::store::agenda::{self, AgendaState};
use crate::store::agenda_mail::{self, MinutesMail};
use crate::store::meetings::ENTITY;
pub use crate::store::themes::{previous_theme, PreviousTheme};

const MAX_MINUTES_CHARS: usize = 100_000;
const MAX_TEXT_CHARS: usize = 5000;
const MAX_THEME_CHARS: usize = 200;

/// The minutes facts of a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Minutes {
    pub minutes_md: String,
    /// `geen`, `concept`, `voorgelegd` or `goedgekeurd`.
    pub status: String,
    pub comment_until: Option<i64>,
    pub approved_at: Option<i64>,
    pub approved_by_name: Option<String>,
    pub theme: String,
    pub theme_collection_id: Option<String>,
    pub theme_section: Option<String>,
}

impl Minutes {
    /// The Dutch label of the status.
    pub fn status_label(&self) -> &'static str {
        match self.status.as_str() {
            "concept" => "Ontwerp",
            "voorgelegd" => "Ter goedkeuring voorgelegd",
            "goedgekeurd" => "Goedgekeurd",
            _ => "Nog geen verslag",
        }
    }
}

/// The minutes of meeting `meeting_id` of group `group_id`.
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    group_id: &str,
    meeting_id: &str,
) -> CoreResult<Option<Minutes>> {
    let row = sqlx::query(
        "SELECT m.minutes_md, m.minutes_status, m.comment_until, m.minutes_approved_at,
                p.name AS approved_by_name, m.theme, m.theme_collection_id, m.theme_section
         FROM wg_meetings m LEFT JOIN person_names p ON p.id = m.minutes_approved_by
         WHERE m.group_id = $1 AND m.id = $2",
    )
    .bind(group_id)
    .bind(meeting_id)
    .fetch_optional(exec)
    .await?;
    Ok(row.map(|row| Minutes {
        minutes_md: row.get("minutes_md"),
        status: row.get("minutes_status"),
        comment_until: row.get("comment_until"),
        approved_at: row.get("minutes_approved_at"),
        approved_by_name: row.get("approved_by_name"),
        theme: row.get("theme"),
        theme_collection_id: row.get("theme_collection_id"),
        theme_section: row.get("theme_section"),
    }))
}

async fn load(
    tx: &mut Tx<'_>,
    group_id: &str,
    meeting_id: &str,
) -> CoreResult<(AgendaState, Minutes)> {
    let state = agenda::state(&mut **tx, group_id, meeting_id)
        .await?
        .ok_or(CoreError::NotFound("vergadering"))?;
    let minutes = find(&mut **tx, group_id, meeting_id)
        .await?
        .ok_or(CoreError::NotFound("vergadering"))?;
    Ok((state, minutes))
}

fn require(allowed: bool) -> CoreResult<()> {
    if allowed {
        Ok(())
    } else {
        Err(CoreError::Forbidden)
    }
}

const APPROVED: &str = "Het verslag is al goedgekeurd en kan niet meer veranderen.";

async fn record(
    tx: &mut Tx<'_>,
    actor: &AuditActor,
    id: &str,
    action: &str,
    summary: &str,
    changes: Changes,
) -> CoreResult<()> {
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: id,
            action,
            summary,
            changes,
        },
    )
    .await?;
    Ok(())
}

/// Saves the minutes' text (a draft, or a correction while members comment).
pub async fn save(
    tx: &mut Tx<'_>,
    standing: &Standing,
    group_id: &str,
    meeting_id: &str,
    minutes_md: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    require(standing.can_chair())?;
    let (state, before) = load(tx, group_id, meeting_id).await?;
    if before.status == "goedgekeurd" {
        return Err(CoreError::invalid("minutes_md", APPROVED));
    }
    if minutes_md.chars().count() > MAX_MINUTES_CHARS {
        return Err(CoreError::invalid(
            "minutes_md",
            &format!("Het verslag is te lang (maximaal {MAX_MINUTES_CHARS} tekens)."),
        ));
    }
    let status = if before.status == "geen" {
        "concept"
    } else {
        before.status.as_str()
    };
    sqlx::query("UPDATE wg_meetings SET minutes_md = $1, minutes_status = $2, updated_at = $3 WHERE id = $4")
        .bind(minutes_md)
        .bind(status)
        .bind(now_ms())
        .bind(meeting_id)
        .execute(&mut **tx)
        .await?;
    let summary = format!("Verslag van {} bewaard", state.title);
    let changes =
        Changes::new().field("minutes_status", Some(before.status.as_str()), Some(status));
    record(tx, actor, meeting_id, "save_minutes", &summary, changes).await
}

/// Proposes the minutes to the members: they may comment until the end of `comment_until`
/// (`YYYY-MM-DD`; empty: the group's `comment_days` from today). Mails every member.
pub async fn propose(
    tx: &mut Tx<'_>,
    standing: &Standing,
    group_id: &str,
    meeting_id: &str,
    comment_until: &str,
    base_url: &str,
    actor: &AuditActor,
) -> CoreResult<usize> {
    require(standing.can_chair())?;
    let (state, before) = load(tx, group_id, meeting_id).await?;
    if before.status == "goedgekeurd" {
        return Err(CoreError::invalid("", APPROVED));
    }
    if before.minutes_md.trim().is_empty() {
        return Err(CoreError::invalid(
            "minutes_md",
            "Schrijf eerst het verslag.",
        ));
    }
    let today = crate::store::meetings::today();
    let until = match comment_until.trim() {
        "" => {
            let days: i64 =
                sqlx::query_scalar("SELECT comment_days FROM wg_groups WHERE group_id = $1")
                    .bind(group_id)
                    .fetch_one(&mut **tx)
                    .await?;
            today + chrono::Duration::days(days)
        }
        text => match localtime::parse_date(text) {
            Ok(date) if date < today => {
                return Err(CoreError::invalid(
                    "comment_until",
                    "De termijn voor opmerkingen kan niet in het verleden liggen.",
                ))
            }
            Ok(date) => date,
            Err(error) => return Err(CoreError::invalid("comment_until", &error.message())),
        },
    };
    let last_minute = chrono::NaiveTime::from_hms_opt(23, 59, 0).unwrap_or_default();
    let until = localtime::to_utc_ms(until, last_minute)
        .map_err(|e| CoreError::invalid("comment_until", &e.message()))?
        + 59_999;
    let now = now_ms();
    sqlx::query(
        "UPDATE wg_meetings SET minutes_status = 'voorgelegd', comment_until = $1, updated_at = $2
         WHERE id = $3",
    )
    .bind(until)
    .bind(now)
    .bind(meeting_id)
    .execute(&mut **tx)
    .await?;
    let summary = format!("Verslag van {} voorgelegd", state.title);
    let changes = Changes::new().field(
        "minutes_status",
        Some(before.status.as_str()),
        Some("voorgelegd"),
    );
    record(tx, actor, meeting_id, "propose_minutes", &summary, changes).await?;
    agenda_mail::minutes(
        tx,
        &state,
        MinutesMail::Proposed {
            comment_until: until,
        },
        now,
        base_url,
    )
    .await
}

/// A member's comment on proposed minutes, during the comment period.
#[allow(clippy::too_many_arguments)]
pub async fn comment(
    tx: &mut Tx<'_>,
    standing: &Standing,
    user_id: &str,
    group_id: &str,
    meeting_id: &str,
    body: &str,
    now: i64,
    actor: &AuditActor,
) -> CoreResult<String> {
    require(standing.can_contribute())?;
    let (state, minutes) = load(tx, group_id, meeting_id).await?;
    if minutes.status != "voorgelegd" {
        return Err(CoreError::invalid(
            "body",
            "Het verslag ligt niet ter goedkeuring voor.",
        ));
    }
    if let Some(until) = minutes.comment_until.filter(|until| now > *until) {
        return Err(CoreError::invalid(
            "body",
            &format!(
                "De termijn voor opmerkingen liep af op {}.",
                agenda::show_moment(until)
            ),
        ));
    }
    let body = body.trim();
    if body.is_empty() {
        return Err(CoreError::invalid("body", "Schrijf je opmerking."));
    }
    if body.chars().count() > MAX_TEXT_CHARS {
        return Err(CoreError::invalid(
            "body",
            &format!("De opmerking is te lang (maximaal {MAX_TEXT_CHARS} tekens)."),
        ));
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO wg_minutes_comments (id, meeting_id, user_id, body, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(meeting_id)
    .bind(user_id)
    .bind(body)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    let summary = format!("Opmerking bij het verslag van {}", state.title);
    record(
        tx,
        actor,
        meeting_id,
        "comment_minutes",
        &summary,
        Changes::new(),
    )
    .await?;
    Ok(id)
}

/// Approves proposed minutes (facilitators only, not the voorzitter) and mails them.
pub async fn approve(
    tx: &mut Tx<'_>,
    standing: &Standing,
    user_id: &str,
    group_id: &str,
    meeting_id: &str,
    base_url: &str,
    actor: &AuditActor,
) -> CoreResult<usize> {
    require(standing.can_manage_group())?;
    let (state, before) = load(tx, group_id, meeting_id).await?;
    if before.status != "voorgelegd" {
        return Err(CoreError::invalid(
            "",
            "Leg het verslag eerst voor aan de leden.",
        ));
    }
    let now = now_ms();
    sqlx::query(
        "UPDATE wg_meetings SET minutes_status = 'goedgekeurd', minutes_approved_at = $1,
            minutes_approved_by = $2, updated_at = $1 WHERE id = $3",
    )
    .bind(now)
    .bind(user_id)
    .bind(meeting_id)
    .execute(&mut **tx)
    .await?;
    let summary = format!("Verslag van {} goedgekeurd", state.title);
    let changes = Changes::new().field("minutes_status", Some("voorgelegd"), Some("goedgekeurd"));
    record(tx, actor, meeting_id, "approve_minutes", &summary, changes).await?;
    let what = MinutesMail::Approved {
        minutes_md: &before.minutes_md,
    };
    agenda_mail::minutes(tx, &state, what, now, base_url).await
}

/// A comment as the minutes page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub author: Option<String>,
    pub body: String,
    pub created_at: i64,
}

/// The comments on a meeting's minutes, oldest first.
pub async fn comments<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    meeting_id: &str,
) -> CoreResult<Vec<Comment>> {
    let rows = sqlx::query(
        "SELECT p.name, c.body, c.created_at FROM wg_minutes_comments c
         LEFT JOIN person_names p ON p.id = c.user_id
         WHERE c.meeting_id = $1 ORDER BY c.created_at, c.id",
    )
    .bind(meeting_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Comment {
            author: row.get(0),
            body: row.get(1),
            created_at: row.get(2),
        })
        .collect())
}

/// The decisions of a meeting, in order.
pub async fn decisions<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    meeting_id: &str,
) -> CoreResult<Vec<String>> {
    let rows =
        sqlx::query("SELECT text FROM wg_decisions WHERE meeting_id = $1 ORDER BY position, id")
            .bind(meeting_id)
            .fetch_all(exec)
            .await?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}

/// Records a decision of the meeting (part of the minutes, so not after approval).
pub async fn add_decision(
    tx: &mut Tx<'_>,
    standing: &Standing,
    group_id: &str,
    meeting_id: &str,
    text: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    require(standing.can_chair())?;
    let (state, minutes) = load(tx, group_id, meeting_id).await?;
    if minutes.status == "goedgekeurd" {
        return Err(CoreError::invalid("decision", APPROVED));
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(CoreError::invalid("decision", "Beschrijf het besluit."));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(CoreError::invalid(
            "decision",
            &format!("Het besluit is te lang (maximaal {MAX_TEXT_CHARS} tekens)."),
        ));
    }
    let last: Option<i64> =
        sqlx::query_scalar("SELECT MAX(position) FROM wg_decisions WHERE meeting_id = $1")
            .bind(meeting_id)
            .fetch_one(&mut **tx)
            .await?;
    sqlx::query(
        "INSERT INTO wg_decisions (id, meeting_id, position, text, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new_id())
    .bind(meeting_id)
    .bind(last.unwrap_or(0) + 1)
    .bind(text)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    let summary = format!("Besluit bij {}: {text}", state.title);
    record(tx, actor, meeting_id, "decision", &summary, Changes::new()).await
}

/// The attendance statuses, as stored.
pub const ATTENDANCE: &[&str] = &["aanwezig", "verontschuldigd", "afwezig"];

/// One person's attendance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendance {
    pub user_id: String,
    pub name: String,
    pub status: String,
}

/// The recorded attendance of a meeting, by name.
pub async fn attendance<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    meeting_id: &str,
) -> CoreResult<Vec<Attendance>> {
    let rows = sqlx::query(
        "SELECT a.user_id, p.name, a.status FROM wg_attendance a
         JOIN person_names p ON p.id = a.user_id
         WHERE a.meeting_id = $1 ORDER BY p.name, a.user_id",
    )
    .bind(meeting_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Attendance {
            user_id: row.get(0),
            name: row.get(1),
            status: row.get(2),
        })
        .collect())
}

/// Records who was present, excused or absent: `entries` are (user id, status) of the
/// group's active members; each replaces that person's earlier record.
pub async fn set_attendance(
    tx: &mut Tx<'_>,
    standing: &Standing,
    group_id: &str,
    meeting_id: &str,
    entries: &[(String, String)],
    actor: &AuditActor,
) -> CoreResult<()> {
    require(standing.can_chair())?;
    let (state, _) = load(tx, group_id, meeting_id).await?;
    for (user_id, status) in entries {
        if !ATTENDANCE.contains(&status.as_str()) {
            return Err(CoreError::invalid(
                "attendance",
                "Kies aanwezig, verontschuldigd of afwezig.",
            ));
        }
        let member: Option<Option<String>> = sqlx::query_scalar(
            "SELECT organisation_id FROM wg_memberships
             WHERE group_id = $1 AND user_id = $2 AND status = 'actief'",
        )
        .bind(group_id)
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(organisation) = member else {
            return Err(CoreError::invalid(
                "attendance",
                "Alleen leden van de werkgroep staan op de aanwezigheidslijst.",
            ));
        };
        sqlx::query("DELETE FROM wg_attendance WHERE meeting_id = $1 AND user_id = $2")
            .bind(meeting_id)
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "INSERT INTO wg_attendance (id, meeting_id, user_id, organisation_id, status)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(new_id())
        .bind(meeting_id)
        .bind(user_id)
        .bind(organisation)
        .bind(status)
        .execute(&mut **tx)
        .await?;
    }
    let summary = format!("Aanwezigheid bij {} genoteerd", state.title);
    record(
        tx,
        actor,
        meeting_id,
        "attendance",
        &summary,
        Changes::new().created("entries", entries.len()),
    )
    .await
}

/// What the theme form sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct ThemeFields {
    pub theme: String,
    /// A thematic Kennisbank collection's id, or empty.
    pub collection: String,
    /// The collection's section (`kb_collection_entries.section`).
    pub section: String,
}

/// Sets the meeting's theme and the collection section whose documents the next meeting
/// evaluates. `collections` are the ids of the thematic collections (the Kennisbank's facade).
pub async fn set_theme(
    tx: &mut Tx<'_>,
    standing: &Standing,
    group_id: &str,
    meeting_id: &str,
    fields: &ThemeFields,
    collections: &[String],
    actor: &AuditActor,
) -> CoreResult<()> {
    require(standing.can_chair())?;
    let (state, before) = load(tx, group_id, meeting_id).await?;
    let theme = fields.theme.trim();
    let collection = fields.collection.trim();
    let section = fields.section.trim();
    let mut errors = Vec::new();
    if theme.chars().count() > MAX_THEME_CHARS {
        errors.push(steden_core::FieldError::new(
            "theme",
            format!("Het thema is te lang (maximaal {MAX_THEME_CHARS} tekens)."),
        ));
    }
    if !collection.is_empty() && !collections.iter().any(|c| c == collection) {
        errors.push(steden_core::FieldError::new(
            "collection",
            "Kies een thematische collectie van de Kennisbank.",
        ));
    }
    if !collection.is_empty() && section.is_empty() {
        errors.push(steden_core::FieldError::new(
            "section",
            "Vul de rubriek van de collectie in.",
        ));
    }
    if !collection.is_empty() && theme.is_empty() {
        errors.push(steden_core::FieldError::new("theme", "Vul het thema in."));
    }
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    let none_if_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    sqlx::query(
        "UPDATE wg_meetings SET theme = $1, theme_collection_id = $2, theme_section = $3,
            updated_at = $4 WHERE id = $5",
    )
    .bind(theme)
    .bind(none_if_empty(collection))
    .bind(none_if_empty(section))
    .bind(now_ms())
    .bind(meeting_id)
    .execute(&mut **tx)
    .await?;
    let summary = format!("Thema van {}: {theme}", state.title);
    let changes = Changes::new().field("theme", Some(before.theme.as_str()), Some(theme));
    record(tx, actor, meeting_id, "theme", &summary, changes).await
}
