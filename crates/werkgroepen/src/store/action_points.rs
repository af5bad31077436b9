//! Action points (`wg_action_points`, design §1 point 4): agreed at a meeting, owned by a
//! person or a city, with an optional due date and a status. Open points are never copied
//! onto later agendas: [`open_before`] computes them per agenda, so a point marked done
//! disappears from every next agenda at once.

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::{CoreResult, FieldError};
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

use crate::access::Standing;
use crate::localtime;

/// The audit entity of an action point.
pub const ENTITY: &str = "werkgroep_actiepunt";

const MAX_DESCRIPTION_CHARS: usize = 1000;

/// The statuses of an action point, as stored.
pub const STATUSES: &[&str] = &["open", "bezig", "gedaan", "vervallen"];

/// The Dutch label of a stored status.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "bezig" => "Bezig",
        "gedaan" => "Gedaan",
        "vervallen" => "Vervallen",
        _ => "Open",
    }
}

/// One action point with the names of its owner and of the meeting that agreed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPoint {
    pub id: String,
    pub group_id: String,
    pub meeting_id: Option<String>,
    /// The agreeing meeting's date (`YYYY-MM-DD`), when it still exists.
    pub meeting_date: Option<String>,
    pub description: String,
    pub owner_user_id: Option<String>,
    pub owner_org_id: Option<String>,
    /// The owner as shown: the person's name, else the organisation's, else "".
    pub owner_name: String,
    pub due_date: Option<String>,
    pub status: String,
    pub done_at: Option<i64>,
    pub created_at: i64,
}

impl ActionPoint {
    /// Still to be done (`open` or `bezig`).
    pub fn is_open(&self) -> bool {
        matches!(self.status.as_str(), "open" | "bezig")
    }
}

const SELECT: &str = "SELECT a.id, a.group_id, a.meeting_id, m.local_date AS meeting_date,
        a.description, a.owner_user_id, a.owner_org_id, p.name AS person_name,
        o.name AS org_name, a.due_date, a.status, a.done_at, a.created_at
    FROM wg_action_points a
    LEFT JOIN wg_meetings m ON m.id = a.meeting_id
    LEFT JOIN person_names p ON p.id = a.owner_user_id
    LEFT JOIN organisation_names o ON o.id = a.owner_org_id";

fn from_row(row: &sqlx::any::AnyRow) -> ActionPoint {
    let person: Option<String> = row.get("person_name");
    let org: Option<String> = row.get("org_name");
    ActionPoint {
        id: row.get("id"),
        group_id: row.get("group_id"),
        meeting_id: row.get("meeting_id"),
        meeting_date: row.get("meeting_date"),
        description: row.get("description"),
        owner_user_id: row.get("owner_user_id"),
        owner_org_id: row.get("owner_org_id"),
        owner_name: person.or(org).unwrap_or_default(),
        due_date: row.get("due_date"),
        status: row.get("status"),
        done_at: row.get("done_at"),
        created_at: row.get("created_at"),
    }
}

/// The open points of the group agreed before the meeting that starts at `starts_at` (or at
/// no meeting), other than at `meeting_id` itself: what its agenda lists, by due date.
pub async fn open_before<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    group_id: &str,
    meeting_id: &str,
    starts_at: i64,
) -> CoreResult<Vec<ActionPoint>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE a.group_id = $1 AND a.status IN ('open', 'bezig')
           AND (a.meeting_id IS NULL OR (a.meeting_id <> $2 AND m.starts_at < $3))
         ORDER BY a.due_date IS NULL, a.due_date, a.created_at, a.id"
    ))
    .bind(group_id)
    .bind(meeting_id)
    .bind(starts_at)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// The points agreed at `meeting_id`, in the order they were added.
pub async fn of_meeting<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    meeting_id: &str,
) -> CoreResult<Vec<ActionPoint>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE a.meeting_id = $1 ORDER BY a.created_at, a.id"
    ))
    .bind(meeting_id)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// Every point of the group, open ones first, then by due date.
pub async fn of_group<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    group_id: &str,
) -> CoreResult<Vec<ActionPoint>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE a.group_id = $1
         ORDER BY CASE WHEN a.status IN ('open', 'bezig') THEN 0 ELSE 1 END,
                  a.due_date IS NULL, a.due_date, a.created_at, a.id"
    ))
    .bind(group_id)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// The open points a person owns, or that one of `org_ids` (the cities they represent) owns,
/// across groups: the owner's own page and the API's `owner=me`.
pub async fn open_for_person<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    user_id: &str,
) -> CoreResult<Vec<ActionPoint>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE a.status IN ('open', 'bezig')
           AND (a.owner_user_id = $1 OR a.owner_org_id IN (
                SELECT w.organisation_id FROM wg_memberships w
                WHERE w.user_id = $1 AND w.group_id = a.group_id AND w.status = 'actief'))
         ORDER BY a.due_date IS NULL, a.due_date, a.created_at, a.id"
    ))
    .bind(user_id)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// One point of the group.
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    group_id: &str,
    id: &str,
) -> CoreResult<Option<ActionPoint>> {
    let row = sqlx::query(&format!("{SELECT} WHERE a.group_id = $1 AND a.id = $2"))
        .bind(group_id)
        .bind(id)
        .fetch_optional(exec)
        .await?;
    Ok(row.as_ref().map(from_row))
}

/// What the action point form sends. `owner` is `user:<id>` or `org:<id>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct ActionPointFields {
    pub description: String,
    pub owner: String,
    pub due_date: String,
}

/// Who may own a point: the group's active members and facilitators, and the organisations
/// the active members represent.
async fn owner_is_allowed(
    tx: &mut Tx<'_>,
    group_id: &str,
    kind: &str,
    id: &str,
) -> CoreResult<bool> {
    let sql = match kind {
        "user" => {
            "SELECT COUNT(*) FROM (
                SELECT user_id FROM wg_memberships WHERE group_id = $1 AND user_id = $2
                    AND status = 'actief'
                UNION ALL
                SELECT user_id FROM wg_facilitators WHERE group_id = $1 AND user_id = $2) x"
        }
        "org" => {
            "SELECT COUNT(*) FROM wg_memberships WHERE group_id = $1 AND organisation_id = $2
                AND status = 'actief'"
        }
        _ => return Ok(false),
    };
    let found: i64 = sqlx::query_scalar(sql)
        .bind(group_id)
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(found > 0)
}

/// Adds a point agreed at `meeting_id`: those who chair write the minutes and so the points.
pub async fn create(
    tx: &mut Tx<'_>,
    standing: &Standing,
    group_id: &str,
    meeting_id: &str,
    fields: &ActionPointFields,
    actor: &AuditActor,
) -> CoreResult<String> {
    if !standing.can_chair() {
        return Err(CoreError::Forbidden);
    }
    let mut errors = Vec::new();
    let description = fields.description.trim();
    if description.is_empty() {
        errors.push(FieldError::new("description", "Beschrijf het actiepunt."));
    } else if description.chars().count() > MAX_DESCRIPTION_CHARS {
        errors.push(FieldError::new(
            "description",
            format!("De beschrijving is te lang (maximaal {MAX_DESCRIPTION_CHARS} tekens)."),
        ));
    }
    let (mut owner_user, mut owner_org) = (None, None);
    match fields.owner.split_once(':') {
        Some((kind, id)) if owner_is_allowed(tx, group_id, kind, id).await? => {
            if kind == "user" {
                owner_user = Some(id.to_string());
            } else {
                owner_org = Some(id.to_string());
            }
        }
        _ => errors.push(FieldError::new(
            "owner",
            "Kies wie het actiepunt opneemt: een lid of een stad van de werkgroep.",
        )),
    }
    let due_date = match fields.due_date.trim() {
        "" => None,
        text => match localtime::parse_date(text) {
            Ok(date) => Some(date.format("%Y-%m-%d").to_string()),
            Err(error) => {
                errors.push(FieldError::new("due_date", error.message()));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO wg_action_points (id, group_id, meeting_id, description, owner_user_id,
            owner_org_id, due_date, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $8)",
    )
    .bind(&id)
    .bind(group_id)
    .bind(meeting_id)
    .bind(description)
    .bind(&owner_user)
    .bind(&owner_org)
    .bind(&due_date)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: &id,
            action: "create",
            summary: &format!("Actiepunt {description} toegevoegd"),
            changes: Changes::new().created("status", "open"),
        },
    )
    .await?;
    Ok(id)
}

/// Changes a point's status: those who chair, the owner, and the members who represent the
/// owning city (design §3.3).
pub async fn set_status(
    tx: &mut Tx<'_>,
    standing: &Standing,
    user_id: &str,
    group_id: &str,
    id: &str,
    status: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    let point = find(&mut **tx, group_id, id)
        .await?
        .ok_or(CoreError::NotFound("actiepunt"))?;
    let own = point.owner_user_id.as_deref() == Some(user_id);
    let own_city = standing.can_contribute()
        && point.owner_org_id.is_some()
        && point.owner_org_id == standing.facts.represents;
    if !(standing.can_chair() || own || own_city) {
        return Err(CoreError::Forbidden);
    }
    if !STATUSES.contains(&status) {
        return Err(CoreError::invalid(
            "status",
            "Kies open, bezig, gedaan of vervallen.",
        ));
    }
    if point.status == status {
        return Ok(());
    }
    let now = now_ms();
    sqlx::query(
        "UPDATE wg_action_points SET status = $1, done_at = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(status)
    .bind((status == "gedaan").then_some(now))
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: id,
            action: "status",
            summary: &format!("Actiepunt {}: {}", point.description, status_label(status)),
            changes: Changes::new().field("status", Some(point.status.as_str()), Some(status)),
        },
    )
    .await?;
    Ok(())
}
