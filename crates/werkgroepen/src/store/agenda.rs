//! A meeting's agenda (design §1 point 3, slice S8): members propose items until the
//! deadline; those who chair accept, order, merge and decline them (with a reason the
//! proposer reads), add their own or a template's parts, and publish the agenda, which mails
//! it to the members in the same transaction. Open action points of earlier meetings are not
//! stored on the agenda: [`crate::store::action_points::open_before`] computes them.

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::{CoreResult, FieldError};
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

use crate::access::Standing;
use crate::localtime;
use crate::store::agenda_files::{self, Upload, MAX_FILES_PER_ITEM};
use crate::store::agenda_state::{end_of_day, load_state};
pub use crate::store::agenda_state::{items, show_moment, state, AgendaState, Item};

/// The audit entity of an agenda item.
pub const ENTITY: &str = "werkgroep_agendapunt";

const MAX_TITLE_CHARS: usize = 200;
const MAX_EXPLANATION_CHARS: usize = 5000;
const MAX_REASON_CHARS: usize = 1000;
const MAX_DURATION_MIN: i64 = 480;

/// The message when the decline form has no reason (design §3.9).
pub const DECLINE_REASON_MESSAGE: &str = "Geef een reden op; de indiener krijgt ze te lezen.";

/// What the proposal form (and a chair's own item) sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct ItemFields {
    pub title: String,
    pub explanation: String,
    /// Minutes, as typed; empty for none.
    pub duration: String,
}

struct CheckedItem {
    title: String,
    explanation: String,
    duration: Option<i64>,
}

fn check_item(fields: &ItemFields, errors: &mut Vec<FieldError>) -> CheckedItem {
    let title = fields.title.trim().to_string();
    if title.is_empty() {
        errors.push(FieldError::new("title", "Vul een titel in."));
    } else if title.chars().count() > MAX_TITLE_CHARS {
        errors.push(FieldError::new(
            "title",
            format!("De titel is te lang (maximaal {MAX_TITLE_CHARS} tekens)."),
        ));
    }
    let explanation = fields.explanation.trim().to_string();
    if explanation.chars().count() > MAX_EXPLANATION_CHARS {
        errors.push(FieldError::new(
            "explanation",
            format!("De toelichting is te lang (maximaal {MAX_EXPLANATION_CHARS} tekens)."),
        ));
    }
    let duration = match fields.duration.trim() {
        "" => None,
        text => {
            match text.parse::<i64>() {
                Ok(minutes) if (1..=MAX_DURATION_MIN).contains(&minutes) => Some(minutes),
                _ => {
                    errors.push(FieldError::new(
                    "duration",
                    format!("Geef de duur in minuten: een geheel getal van 1 tot {MAX_DURATION_MIN}."),
                ));
                    None
                }
            }
        }
    };
    CheckedItem {
        title,
        explanation,
        duration,
    }
}

async fn next_position(tx: &mut Tx<'_>, meeting_id: &str) -> CoreResult<i64> {
    let last: Option<i64> =
        sqlx::query_scalar("SELECT MAX(position) FROM wg_agenda_items WHERE meeting_id = $1")
            .bind(meeting_id)
            .fetch_one(&mut **tx)
            .await?;
    Ok(last.unwrap_or(0) + 1)
}

struct NewItem<'a> {
    origin: &'a str,
    status: &'a str,
    title: &'a str,
    explanation: &'a str,
    duration: Option<i64>,
    proposer: Option<&'a str>,
    proposer_org: Option<&'a str>,
}

async fn insert(tx: &mut Tx<'_>, meeting_id: &str, item: &NewItem<'_>) -> CoreResult<String> {
    let id = new_id();
    let now = now_ms();
    let position = next_position(tx, meeting_id).await?;
    sqlx::query(
        "INSERT INTO wg_agenda_items (id, meeting_id, position, origin, status, title,
            explanation_md, duration_min, proposer_id, proposer_org_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
    )
    .bind(&id)
    .bind(meeting_id)
    .bind(position)
    .bind(item.origin)
    .bind(item.status)
    .bind(item.title)
    .bind(item.explanation)
    .bind(item.duration)
    .bind(item.proposer)
    .bind(item.proposer_org)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

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

/// A member proposes an item (with attachments) before the deadline, while the agenda is not
/// published. Everything is checked before the first write; `now` is passed in so that the
/// deadline can be tested.
#[allow(clippy::too_many_arguments)]
pub async fn propose(
    tx: &mut Tx<'_>,
    standing: &Standing,
    user_id: &str,
    group_id: &str,
    meeting_id: &str,
    fields: &ItemFields,
    uploads: &[Upload],
    now: i64,
    actor: &AuditActor,
) -> CoreResult<String> {
    if !standing.can_contribute() {
        return Err(CoreError::Forbidden);
    }
    let state = load_state(tx, group_id, meeting_id).await?;
    if state.cancelled {
        return Err(CoreError::invalid("", "Deze vergadering is geannuleerd."));
    }
    if state.published {
        return Err(CoreError::invalid(
            "",
            "De agenda is al gepubliceerd; voorstellen kunnen niet meer.",
        ));
    }
    if now > state.deadline_at {
        return Err(CoreError::invalid(
            "",
            &format!(
                "De termijn voor agendapunten liep af op {}.",
                state.deadline_text()
            ),
        ));
    }
    let mut errors = Vec::new();
    let checked = check_item(fields, &mut errors);
    if uploads.len() > MAX_FILES_PER_ITEM {
        errors.push(FieldError::new(
            "bijlage",
            format!("Voeg hoogstens {MAX_FILES_PER_ITEM} bijlagen toe."),
        ));
    }
    let mut files = Vec::new();
    for upload in uploads {
        match agenda_files::check(upload) {
            Ok(file) => files.push(file),
            Err(message) => errors.push(FieldError::new("bijlage", message)),
        }
    }
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    let id = insert(
        tx,
        meeting_id,
        &NewItem {
            origin: "voorstel",
            status: "voorgesteld",
            title: &checked.title,
            explanation: &checked.explanation,
            duration: checked.duration,
            proposer: Some(user_id),
            proposer_org: standing.facts.represents.as_deref(),
        },
    )
    .await?;
    for file in &files {
        agenda_files::attach(tx, &id, file, Some(user_id)).await?;
    }
    record(
        tx,
        actor,
        &id,
        "propose",
        &format!("Agendapunt {} voorgesteld", checked.title),
        Changes::new().created("files", files.len()),
    )
    .await?;
    Ok(id)
}

fn require_chair(standing: &Standing) -> CoreResult<()> {
    if standing.can_chair() {
        Ok(())
    } else {
        Err(CoreError::Forbidden)
    }
}

/// A chair puts an item of their own on the agenda (accepted at once, no deadline).
pub async fn add(
    tx: &mut Tx<'_>,
    standing: &Standing,
    user_id: &str,
    group_id: &str,
    meeting_id: &str,
    fields: &ItemFields,
    actor: &AuditActor,
) -> CoreResult<String> {
    require_chair(standing)?;
    load_state(tx, group_id, meeting_id).await?;
    let mut errors = Vec::new();
    let checked = check_item(fields, &mut errors);
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    let id = insert(
        tx,
        meeting_id,
        &NewItem {
            origin: "facilitator",
            status: "aanvaard",
            title: &checked.title,
            explanation: &checked.explanation,
            duration: checked.duration,
            proposer: Some(user_id),
            proposer_org: None,
        },
    )
    .await?;
    record(
        tx,
        actor,
        &id,
        "create",
        &format!("Agendapunt {} toegevoegd", checked.title),
        Changes::new().created("status", "aanvaard"),
    )
    .await?;
    Ok(id)
}

/// What a chair does with one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Accept,
    Decline { reason: String },
    MergeInto { target_id: String },
    Up,
    Down,
}

/// Accepts, declines, merges or moves one item of the meeting.
pub async fn decide(
    tx: &mut Tx<'_>,
    standing: &Standing,
    group_id: &str,
    meeting_id: &str,
    item_id: &str,
    decision: &Decision,
    actor: &AuditActor,
) -> CoreResult<()> {
    require_chair(standing)?;
    load_state(tx, group_id, meeting_id).await?;
    let all = items(&mut **tx, meeting_id).await?;
    let item = all
        .iter()
        .find(|item| item.id == item_id)
        .ok_or(CoreError::NotFound("agendapunt"))?;
    let now = now_ms();
    match decision {
        Decision::Accept => {
            set_status(tx, item_id, "aanvaard", "", None, now).await?;
            let summary = format!("Agendapunt {} aanvaard", item.title);
            let changes =
                Changes::new().field("status", Some(item.status.as_str()), Some("aanvaard"));
            record(tx, actor, item_id, "accept", &summary, changes).await
        }
        Decision::Decline { reason } => {
            let reason = reason.trim();
            if reason.is_empty() {
                return Err(CoreError::invalid("decline_reason", DECLINE_REASON_MESSAGE));
            }
            if reason.chars().count() > MAX_REASON_CHARS {
                return Err(CoreError::invalid(
                    "decline_reason",
                    &format!("De reden is te lang (maximaal {MAX_REASON_CHARS} tekens)."),
                ));
            }
            set_status(tx, item_id, "afgewezen", reason, None, now).await?;
            let summary = format!("Agendapunt {} afgewezen", item.title);
            let changes =
                Changes::new().field("status", Some(item.status.as_str()), Some("afgewezen"));
            record(tx, actor, item_id, "decline", &summary, changes).await
        }
        Decision::MergeInto { target_id } => {
            let target = all
                .iter()
                .find(|t| &t.id == target_id && t.id != item.id && t.is_live());
            let Some(target) = target else {
                return Err(CoreError::invalid(
                    "merge_into",
                    "Kies een ander punt van deze agenda om het mee samen te voegen.",
                ));
            };
            set_status(tx, item_id, "samengevoegd", "", Some(&target.id), now).await?;
            let summary = format!(
                "Agendapunt {} samengevoegd met {}",
                item.title, target.title
            );
            let changes = Changes::new().field("merged_into_id", None, Some(target.id.as_str()));
            record(tx, actor, item_id, "merge", &summary, changes).await
        }
        Decision::Up | Decision::Down => {
            // Only the live items are ordered; declined and merged ones keep their place.
            let live: Vec<&Item> = all.iter().filter(|i| i.is_live()).collect();
            let Some(index) = live.iter().position(|i| i.id == item_id) else {
                return Ok(());
            };
            let other = match decision {
                Decision::Up if index > 0 => live[index - 1],
                Decision::Down if index + 1 < live.len() => live[index + 1],
                _ => return Ok(()),
            };
            swap_positions(tx, item, other, now).await?;
            let summary = format!("Agendapunt {} verschoven", item.title);
            let changes = Changes::new().field("position", item.position, other.position);
            record(tx, actor, item_id, "move", &summary, changes).await
        }
    }
}

async fn set_status(
    tx: &mut Tx<'_>,
    item_id: &str,
    status: &str,
    reason: &str,
    merged_into: Option<&str>,
    now: i64,
) -> CoreResult<()> {
    sqlx::query(
        "UPDATE wg_agenda_items SET status = $1, decline_reason = $2, merged_into_id = $3,
            updated_at = $4 WHERE id = $5",
    )
    .bind(status)
    .bind(reason)
    .bind(merged_into)
    .bind(now)
    .bind(item_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn swap_positions(tx: &mut Tx<'_>, a: &Item, b: &Item, now: i64) -> CoreResult<()> {
    // Equal positions (never written by this module, but possible) would not swap; the
    // creation order breaks the tie, so nudge by one instead.
    let (pa, pb) = if a.position == b.position {
        if a.created_at <= b.created_at {
            (a.position + 1, b.position)
        } else {
            (a.position, b.position + 1)
        }
    } else {
        (b.position, a.position)
    };
    for (id, position) in [(&a.id, pa), (&b.id, pb)] {
        sqlx::query("UPDATE wg_agenda_items SET position = $1, updated_at = $2 WHERE id = $3")
            .bind(position)
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A fixed agenda format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub id: String,
    pub name: String,
    pub parts: Vec<TemplatePart>,
}

/// One part of a template.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct TemplatePart {
    pub title: String,
    #[serde(default)]
    pub explanation: String,
    #[serde(default)]
    pub duration_min: Option<i64>,
}

/// Every agenda template, by name.
pub async fn templates<'e, E: Executor<'e, Database = Any>>(exec: E) -> CoreResult<Vec<Template>> {
    let rows = sqlx::query("SELECT id, name, parts FROM wg_agenda_templates ORDER BY name, id")
        .fetch_all(exec)
        .await?;
    Ok(rows
        .iter()
        .map(|row| Template {
            id: row.get(0),
            name: row.get(1),
            // Written by migrations and staff forms only; a damaged row gives no parts.
            parts: serde_json::from_str(&row.get::<String, _>(2)).unwrap_or_default(),
        })
        .collect())
}

/// The template a group uses by default, if any.
pub async fn group_template<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    group_id: &str,
) -> CoreResult<Option<String>> {
    let id: Option<Option<String>> =
        sqlx::query_scalar("SELECT agenda_template_id FROM wg_groups WHERE group_id = $1")
            .bind(group_id)
            .fetch_optional(exec)
            .await?;
    Ok(id.flatten())
}

/// Puts the parts of template `template_id` on the agenda, after the items already there.
pub async fn apply_template(
    tx: &mut Tx<'_>,
    standing: &Standing,
    group_id: &str,
    meeting_id: &str,
    template_id: &str,
    actor: &AuditActor,
) -> CoreResult<usize> {
    require_chair(standing)?;
    load_state(tx, group_id, meeting_id).await?;
    let all = templates(&mut **tx).await?;
    let Some(template) = all.into_iter().find(|t| t.id == template_id) else {
        return Err(CoreError::invalid("template", "Kies een sjabloon."));
    };
    for part in &template.parts {
        let id = insert(
            tx,
            meeting_id,
            &NewItem {
                origin: "sjabloon",
                status: "aanvaard",
                title: &part.title,
                explanation: &part.explanation,
                duration: part.duration_min,
                proposer: None,
                proposer_org: None,
            },
        )
        .await?;
        let summary = format!("Agendapunt {} uit sjabloon {}", part.title, template.name);
        record(tx, actor, &id, "template", &summary, Changes::new()).await?;
    }
    Ok(template.parts.len())
}

/// Sets the proposal deadline to the end (23:59) of `date` (`YYYY-MM-DD`), which may not be
/// after the meeting's date.
pub async fn set_deadline(
    tx: &mut Tx<'_>,
    standing: &Standing,
    group_id: &str,
    meeting_id: &str,
    date: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    require_chair(standing)?;
    let state = load_state(tx, group_id, meeting_id).await?;
    let date =
        localtime::parse_date(date).map_err(|e| CoreError::invalid("deadline", &e.message()))?;
    if date.format("%Y-%m-%d").to_string() > state.local_date {
        return Err(CoreError::invalid(
            "deadline",
            "De termijn moet op of vóór de dag van de vergadering liggen.",
        ));
    }
    let at = end_of_day(date)?;
    sqlx::query("UPDATE wg_meetings SET proposal_deadline_at = $1, updated_at = $2 WHERE id = $3")
        .bind(at)
        .bind(now_ms())
        .bind(meeting_id)
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: crate::store::meetings::ENTITY,
            entity_id: meeting_id,
            action: "deadline",
            summary: &format!("Termijn voor agendapunten: {}", show_moment(at)),
            changes: Changes::new().field(
                "proposal_deadline_at",
                Some(state.deadline_at),
                Some(at),
            ),
        },
    )
    .await?;
    Ok(())
}

/// Publishes the agenda (again, after a change): raises its version and mails it to every
/// member in the same transaction. Every proposal must be decided first. Returns the number
/// of mails queued.
pub async fn publish(
    tx: &mut Tx<'_>,
    standing: &Standing,
    group_id: &str,
    meeting_id: &str,
    base_url: &str,
    actor: &AuditActor,
) -> CoreResult<usize> {
    require_chair(standing)?;
    let state = load_state(tx, group_id, meeting_id).await?;
    if state.cancelled {
        return Err(CoreError::invalid("", "Deze vergadering is geannuleerd."));
    }
    let all = items(&mut **tx, meeting_id).await?;
    if all.iter().any(|item| item.status == "voorgesteld") {
        return Err(CoreError::invalid(
            "",
            "Beslis eerst over elk voorstel: aanvaarden, samenvoegen of afwijzen.",
        ));
    }
    if !all.iter().any(|item| item.status == "aanvaard") {
        return Err(CoreError::invalid("", "De agenda heeft nog geen punten."));
    }
    let now = now_ms();
    let version = state.version + 1;
    sqlx::query(
        "UPDATE wg_meetings SET agenda_status = 'gepubliceerd', agenda_published_at = $1,
            agenda_version = $2, updated_at = $1 WHERE id = $3",
    )
    .bind(now)
    .bind(version)
    .bind(meeting_id)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: crate::store::meetings::ENTITY,
            entity_id: meeting_id,
            action: "publish_agenda",
            summary: &format!("Agenda van {} gepubliceerd (versie {version})", state.title),
            changes: Changes::new().field("agenda_version", state.version, version),
        },
    )
    .await?;
    crate::store::agenda_mail::agenda_published(tx, &state, version, base_url).await
}
