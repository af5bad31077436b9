//! Kwesties in the database: validation, writes with their audit entry in the same
//! transaction, and reads (owner names through the core's `person_names` view).

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::{CoreError, FieldError};
use steden_db::{new_id, now_ms, Db, Tx};

use super::parse_date_field;
use crate::model::kwesties::{
    Filter, Kwestie, KwestieFields, KwestieKind, KwestieStatus, OwnedKwestie, Severity,
};

struct Valid {
    kind: KwestieKind,
    title: String,
    description: String,
    severity: Severity,
    owner_user_id: Option<String>,
    due_date: Option<String>,
    status: KwestieStatus,
}

/// Checks the fields; `members` are the user ids an owner may be chosen from.
fn validate(fields: &KwestieFields, members: &[String]) -> Result<Valid, CoreError> {
    let mut errors = Vec::new();
    let kind = KwestieKind::parse(fields.kind.trim());
    if kind.is_none() {
        errors.push(FieldError::new("kind", "Kies kwestie of risico."));
    }
    let title = fields
        .title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if title.is_empty() {
        errors.push(FieldError::new("title", "Geef een titel."));
    } else if title.chars().count() > 200 {
        errors.push(FieldError::new(
            "title",
            "De titel mag hoogstens 200 tekens lang zijn.",
        ));
    }
    let description = fields.description.trim().to_string();
    if description.chars().count() > 4000 {
        errors.push(FieldError::new(
            "description",
            "De beschrijving mag hoogstens 4.000 tekens lang zijn.",
        ));
    }
    let severity = Severity::parse(fields.severity.trim());
    if severity.is_none() {
        errors.push(FieldError::new("severity", "Kies een ernst."));
    }
    let owner = fields.owner_user_id.trim();
    let owner_user_id = if owner.is_empty() {
        None
    } else if members.iter().any(|m| m == owner) {
        Some(owner.to_string())
    } else {
        errors.push(FieldError::new(
            "owner_user_id",
            "Kies een eigenaar uit de organisatie.",
        ));
        None
    };
    let due_date = match parse_date_field(&fields.due_date) {
        Ok(date) => date,
        Err(message) => {
            errors.push(FieldError::new("due_date", message));
            None
        }
    };
    let status = match fields.status.trim() {
        "" => Some(KwestieStatus::Open),
        text => KwestieStatus::parse(text),
    };
    if status.is_none() {
        errors.push(FieldError::new("status", "Kies een geldige status."));
    }
    match (kind, severity, status) {
        (Some(kind), Some(severity), Some(status)) if errors.is_empty() => Ok(Valid {
            kind,
            title,
            description,
            severity,
            owner_user_id,
            due_date,
            status,
        }),
        _ => Err(CoreError::Invalid(errors)),
    }
}

/// The user ids of the members of an organisation (who may own a kwestie).
pub async fn member_ids<'e>(
    executor: impl Executor<'e, Database = Any>,
    organisation_id: &str,
) -> CoreResult<Vec<String>> {
    Ok(
        steden_core::membership::list_for_org(executor, organisation_id)
            .await?
            .into_iter()
            .map(|m| m.user_id)
            .collect(),
    )
}

async fn plan_org(tx: &mut Tx<'_>, plan_id: &str) -> CoreResult<String> {
    crate::store::plans::organisation_of(&mut **tx, plan_id).await
}

/// Adds a kwestie to an item.
pub async fn create(
    tx: &mut Tx<'_>,
    item_id: &str,
    fields: &KwestieFields,
    actor: &AuditActor,
) -> CoreResult<Kwestie> {
    let item = crate::store::items::get(&mut **tx, item_id).await?;
    let organisation_id = plan_org(tx, &item.plan_id).await?;
    let members = member_ids(&mut **tx, &organisation_id).await?;
    let valid = validate(fields, &members)?;
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO plan_kwesties (id, plan_id, item_id, kind, title, description, severity, \
         owner_user_id, due_date, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
    )
    .bind(&id)
    .bind(&item.plan_id)
    .bind(item_id)
    .bind(valid.kind.as_str())
    .bind(&valid.title)
    .bind(&valid.description)
    .bind(valid.severity.as_str())
    .bind(valid.owner_user_id.as_deref())
    .bind(valid.due_date.as_deref())
    .bind(valid.status.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&organisation_id),
            entity_type: "plan_kwestie",
            entity_id: &id,
            action: "create",
            summary: &format!(
                "{} toegevoegd aan {}: {}",
                valid.kind.as_str(),
                item.code,
                valid.title
            ),
            changes: Changes::new()
                .created("title", &valid.title)
                .created("severity", valid.severity.as_str())
                .created("status", valid.status.as_str()),
        },
    )
    .await?;
    get(&mut **tx, &id).await
}

/// Changes a kwestie.
pub async fn update(
    tx: &mut Tx<'_>,
    id: &str,
    fields: &KwestieFields,
    actor: &AuditActor,
) -> CoreResult<Kwestie> {
    let old = get(&mut **tx, id).await?;
    let organisation_id = plan_org(tx, &old.plan_id).await?;
    let members = member_ids(&mut **tx, &organisation_id).await?;
    let valid = validate(fields, &members)?;
    sqlx::query(
        "UPDATE plan_kwesties SET kind = $2, title = $3, description = $4, severity = $5, \
         owner_user_id = $6, due_date = $7, status = $8, updated_at = $9 WHERE id = $1",
    )
    .bind(id)
    .bind(valid.kind.as_str())
    .bind(&valid.title)
    .bind(&valid.description)
    .bind(valid.severity.as_str())
    .bind(valid.owner_user_id.as_deref())
    .bind(valid.due_date.as_deref())
    .bind(valid.status.as_str())
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&organisation_id),
            entity_type: "plan_kwestie",
            entity_id: id,
            action: "update",
            summary: &format!("Kwestie gewijzigd: {}", valid.title),
            changes: Changes::new()
                .field("title", old.title.as_str(), valid.title.as_str())
                .field("description", old.description.as_str(), &valid.description)
                .field("kind", old.kind.as_str(), valid.kind.as_str())
                .field("severity", old.severity.as_str(), valid.severity.as_str())
                .field("status", old.status.as_str(), valid.status.as_str())
                .field(
                    "owner_user_id",
                    old.owner_user_id.as_deref(),
                    valid.owner_user_id.as_deref(),
                )
                .field(
                    "due_date",
                    old.due_date.as_deref(),
                    valid.due_date.as_deref(),
                ),
        },
    )
    .await?;
    get(&mut **tx, id).await
}

const COLUMNS: &str = "k.id, k.plan_id, k.item_id, i.code AS item_code, i.title AS item_title, \
     k.kind, k.title, k.description, k.severity, k.owner_user_id, \
     COALESCE(u.name, '') AS owner_name, k.due_date, k.status, k.created_at, k.updated_at";
const FROM: &str = "FROM plan_kwesties k JOIN plan_items i ON i.id = k.item_id \
     LEFT JOIN person_names u ON u.id = k.owner_user_id";
const ORDER: &str = "ORDER BY k.status, k.due_date, k.created_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Kwestie, sqlx::Error> {
    Ok(Kwestie {
        id: row.try_get("id")?,
        plan_id: row.try_get("plan_id")?,
        item_id: row.try_get("item_id")?,
        item_code: row.try_get("item_code")?,
        item_title: row.try_get("item_title")?,
        kind: KwestieKind::parse(&row.try_get::<String, _>("kind")?)
            .unwrap_or(KwestieKind::Kwestie),
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        severity: Severity::parse(&row.try_get::<String, _>("severity")?)
            .unwrap_or(Severity::Middel),
        owner_user_id: row.try_get("owner_user_id")?,
        owner_name: row.try_get("owner_name")?,
        due_date: row.try_get("due_date")?,
        status: KwestieStatus::parse(&row.try_get::<String, _>("status")?)
            .unwrap_or(KwestieStatus::Open),
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// One kwestie; fails with `NotFound` when there is none.
pub async fn get<'e>(executor: impl Executor<'e, Database = Any>, id: &str) -> CoreResult<Kwestie> {
    find(executor, id)
        .await?
        .ok_or(CoreError::NotFound("kwestie"))
}

/// One kwestie.
pub async fn find<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: &str,
) -> CoreResult<Option<Kwestie>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE k.id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

/// The kwesties of an item.
pub async fn list_for_item<'e>(
    executor: impl Executor<'e, Database = Any>,
    item_id: &str,
) -> CoreResult<Vec<Kwestie>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE k.item_id = $1 {ORDER}"
    ))
    .bind(item_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}
/// The kwesties of a plan, filtered.
pub async fn list_for_plan(db: &Db, plan_id: &str, filter: &Filter) -> CoreResult<Vec<Kwestie>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE k.plan_id = $1 {ORDER}"
    ))
    .bind(plan_id)
    .fetch_all(db.pool())
    .await?;
    let all: Vec<Kwestie> = rows.iter().map(from_row).collect::<Result<_, _>>()?;
    Ok(all
        .into_iter()
        .filter(|k| filter.status.is_none_or(|s| k.status == s))
        .filter(|k| filter.severity.is_none_or(|s| k.severity == s))
        .filter(|k| {
            filter
                .owner_user_id
                .as_deref()
                .is_none_or(|o| k.owner_user_id.as_deref() == Some(o))
        })
        .collect())
}
/// The kwesties a user owns, across plans, with their plan's organisation (for the caller
/// to check that the user may still read the plan).
pub async fn list_for_owner(db: &Db, user_id: &str) -> CoreResult<Vec<OwnedKwestie>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS}, p.organisation_id AS organisation_id, p.title AS plan_title {FROM} \
         JOIN plan_plans p ON p.id = k.plan_id WHERE k.owner_user_id = $1 {ORDER}"
    ))
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for row in &rows {
        out.push(OwnedKwestie {
            organisation_id: row.try_get("organisation_id")?,
            plan_title: row.try_get("plan_title")?,
            kwestie: from_row(row)?,
        });
    }
    Ok(out)
}

/// How many kwesties of a plan are not resolved.
pub async fn open_count(db: &Db, plan_id: &str) -> CoreResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM plan_kwesties WHERE plan_id = $1 AND status <> 'opgelost'",
    )
    .bind(plan_id)
    .fetch_one(db.pool())
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> KwestieFields {
        KwestieFields {
            kind: "risico".into(),
            title: "  Leverancier  failliet ".into(),
            severity: "hoog".into(),
            ..KwestieFields::default()
        }
    }

    #[test]
    fn validates() {
        let valid = validate(&fields(), &[]).ok().map(|v| (v.title, v.status));
        assert_eq!(
            valid,
            Some(("Leverancier failliet".to_string(), KwestieStatus::Open))
        );
        let mut bad = fields();
        bad.title = " ".into();
        bad.owner_user_id = "vreemde".into();
        bad.severity = "enorm".into();
        match validate(&bad, &["lid".to_string()]) {
            Err(CoreError::Invalid(errors)) => {
                let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(names, ["title", "severity", "owner_user_id"]);
            }
            _ => panic!("should be refused"),
        }
    }
}
