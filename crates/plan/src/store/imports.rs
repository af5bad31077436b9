//! Imports in the database: the uploaded files (plan_imports, kept from the upload until the
//! job has imported them) and the writes of an import (new items in multi-row INSERTs, changed
//! fields, replaced amounts), planned beforehand in `crate::import::write`.

use std::collections::HashMap;

use base64::Engine;
use sha2::{Digest, Sha256};
use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

use crate::import::bbc::ColumnMapping;
use crate::model::imports::{
    Action, AmountRow, Existing, ImportKind, ImportPlan, PlannedItem, Upload, UploadOptions,
    MAX_BYTES,
};

/// Rows per multi-row INSERT (well below the parameter limits of both backends).
const BATCH_ROWS: usize = 200;

// ---------------------------------------------------------------------------------------------
// Uploaded files

const COLUMNS: &str = "id, organisation_id, plan_id, kind, filename, sha256, options, status, \
                       result, job_id, created_by, created_at, updated_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Upload, sqlx::Error> {
    Ok(Upload {
        id: row.try_get("id")?,
        organisation_id: row.try_get("organisation_id")?,
        plan_id: row.try_get("plan_id")?,
        kind: ImportKind::parse(&row.try_get::<String, _>("kind")?).unwrap_or(ImportKind::Bbc),
        filename: row.try_get("filename")?,
        sha256: row.try_get("sha256")?,
        options: serde_json::from_str(&row.try_get::<String, _>("options")?).unwrap_or_default(),
        status: row.try_get("status")?,
        result: serde_json::from_str(&row.try_get::<String, _>("result")?)
            .unwrap_or(serde_json::Value::Null),
        job_id: row.try_get("job_id")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Stores an uploaded file for a plan with status "uploaded".
pub async fn create(
    tx: &mut Tx<'_>,
    organisation_id: &str,
    plan_id: &str,
    kind: ImportKind,
    filename: &str,
    bytes: &[u8],
    user_id: Option<&str>,
) -> CoreResult<Upload> {
    if bytes.len() > MAX_BYTES {
        return Err(CoreError::invalid(
            "bestand",
            "Het bestand is groter dan 20 MB.",
        ));
    }
    let id = new_id();
    let now = now_ms();
    let sha = hex::encode(Sha256::digest(bytes));
    let filename: String = filename.chars().take(200).collect();
    sqlx::query(
        "INSERT INTO plan_imports (id, organisation_id, plan_id, kind, filename, sha256,
             content_base64, options, status, result, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, '{}', 'uploaded', '{}', $8, $9, $9)",
    )
    .bind(&id)
    .bind(organisation_id)
    .bind(plan_id)
    .bind(kind.as_str())
    .bind(&filename)
    .bind(&sha)
    .bind(base64::engine::general_purpose::STANDARD.encode(bytes))
    .bind(user_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let actor = user_id.map_or_else(AuditActor::system, AuditActor::user);
    audit::record(
        tx,
        NewEntry {
            actor: &actor,
            organisation_id: Some(organisation_id),
            entity_type: "plan_import",
            entity_id: &id,
            action: "create",
            summary: &format!("Importbestand ‘{filename}’ opgeladen"),
            changes: Changes::new()
                .created("filename", &filename)
                .created("kind", kind.as_str()),
        },
    )
    .await?;
    get(&mut **tx, &id).await
}

/// One upload; fails with `NotFound` when there is none.
pub async fn get<'e>(executor: impl Executor<'e, Database = Any>, id: &str) -> CoreResult<Upload> {
    find(executor, id)
        .await?
        .ok_or(CoreError::NotFound("import"))
}

/// One upload, if there is one.
pub async fn find<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: &str,
) -> CoreResult<Option<Upload>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM plan_imports WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

/// The uploads of a plan, newest first.
pub async fn list_for_plan<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
) -> CoreResult<Vec<Upload>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM plan_imports WHERE plan_id = $1 ORDER BY created_at DESC, id DESC"
    ))
    .bind(plan_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// The stored bytes of an upload.
pub async fn content<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: &str,
) -> CoreResult<Option<Vec<u8>>> {
    let text: Option<String> =
        sqlx::query_scalar("SELECT content_base64 FROM plan_imports WHERE id = $1")
            .bind(id)
            .fetch_optional(executor)
            .await?;
    Ok(text.and_then(|t| base64::engine::general_purpose::STANDARD.decode(t).ok()))
}

/// Keeps the column mapping chosen on the mapping screen.
pub async fn set_mapping(
    tx: &mut Tx<'_>,
    id: &str,
    mapping: &ColumnMapping,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<()> {
    let options = UploadOptions {
        mapping: Some(mapping.clone()),
    };
    sqlx::query("UPDATE plan_imports SET options = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(serde_json::to_string(&options).unwrap_or_else(|_| "{}".into()))
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "plan_import",
            entity_id: id,
            action: "update",
            summary: "Kolomindeling van het importbestand gekozen",
            changes: Changes::new(),
        },
    )
    .await?;
    Ok(())
}

/// Sets status (and result, and job) of an upload.
pub async fn set_status<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: &str,
    status: &str,
    result: Option<&serde_json::Value>,
    job_id: Option<&str>,
) -> CoreResult<()> {
    sqlx::query(
        "UPDATE plan_imports SET status = $2, result = COALESCE($3, result),
             job_id = COALESCE($4, job_id), updated_at = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(result.map(|r| r.to_string()))
    .bind(job_id)
    .bind(now_ms())
    .execute(executor)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// What the planner reads

/// The plan's items as the planner needs them, parents first.
pub(crate) async fn existing_items<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
) -> CoreResult<Vec<Existing>> {
    let rows = sqlx::query(
        "SELECT id, parent_id, depth, level, slug, position, code, title, description,
             responsible_service, internal_code
         FROM plan_items WHERE plan_id = $1 AND archived_at IS NULL ORDER BY depth, position",
    )
    .bind(plan_id)
    .fetch_all(executor)
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        items.push(Existing {
            id: row.try_get("id")?,
            parent_id: row.try_get("parent_id")?,
            depth: row.try_get("depth")?,
            level: row.try_get("level")?,
            slug: row.try_get("slug")?,
            position: row.try_get("position")?,
            code: row.try_get("code")?,
            title: row.try_get("title")?,
            description: row.try_get("description")?,
            responsible_service: row.try_get("responsible_service")?,
            internal_code: row.try_get("internal_code")?,
        });
    }
    Ok(items)
}

/// Every code of the plan, archived items' too.
pub(crate) async fn all_codes<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
) -> CoreResult<std::collections::HashSet<String>> {
    let codes: Vec<String> = sqlx::query_scalar("SELECT code FROM plan_items WHERE plan_id = $1")
        .bind(plan_id)
        .fetch_all(executor)
        .await?;
    Ok(codes.into_iter().collect())
}

/// The plan's amounts by item (unsorted).
pub(crate) async fn amounts_by_item<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
) -> CoreResult<HashMap<String, Vec<AmountRow>>> {
    let rows = sqlx::query(
        "SELECT item_id, year, kind, budget_type, direction, cents
         FROM plan_amounts WHERE plan_id = $1",
    )
    .bind(plan_id)
    .fetch_all(executor)
    .await?;
    let mut amounts: HashMap<String, Vec<AmountRow>> = HashMap::new();
    for row in &rows {
        amounts
            .entry(row.try_get("item_id")?)
            .or_default()
            .push(AmountRow {
                year: row.try_get("year")?,
                kind: row.try_get("kind")?,
                budget_type: row.try_get("budget_type")?,
                direction: row.try_get("direction")?,
                cents: row.try_get("cents")?,
            });
    }
    Ok(amounts)
}

// ---------------------------------------------------------------------------------------------
// Writing an import (see `crate::import::write::apply`)

/// `($1, $2, …), ($n+1, …)` for `rows` rows of `columns` parameters.
fn placeholders(rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 5);
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..columns {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(r * columns + c + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

pub(crate) async fn insert_items(
    tx: &mut Tx<'_>,
    plan_id: &str,
    items: &[&PlannedItem],
    now: i64,
) -> CoreResult<()> {
    for chunk in items.chunks(BATCH_ROWS) {
        let sql = format!(
            "INSERT INTO plan_items (id, plan_id, parent_id, depth, position, code, title,
                 description, responsible_service, internal_code, created_at, updated_at, level,
                 slug)
             VALUES {}",
            placeholders(chunk.len(), 14)
        );
        let mut query = sqlx::query(&sql);
        for item in chunk {
            query = query
                .bind(item.id.clone())
                .bind(plan_id.to_string())
                .bind(item.parent_id.clone())
                .bind(item.depth)
                .bind(item.position)
                .bind(item.code.clone())
                .bind(item.title.clone())
                .bind(item.description.clone().unwrap_or_default())
                .bind(item.responsible_service.clone().unwrap_or_default())
                .bind(item.internal_code.clone().unwrap_or_default())
                .bind(now)
                .bind(now)
                .bind(item.level)
                .bind(item.slug.clone());
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

pub(crate) async fn update_item(tx: &mut Tx<'_>, item: &PlannedItem, now: i64) -> CoreResult<()> {
    let mut sets = Vec::new();
    let mut values = Vec::new();
    for change in &item.changes {
        let column = match change.field.as_str() {
            "title" => "title",
            "description" => "description",
            "responsible_service" => "responsible_service",
            "internal_code" => "internal_code",
            _ => continue,
        };
        values.push(change.new.clone());
        sets.push(format!("{column} = ${}", values.len() + 2));
    }
    if sets.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE plan_items SET updated_at = $2, {} WHERE id = $1",
        sets.join(", ")
    );
    let mut query = sqlx::query(&sql).bind(item.id.clone()).bind(now);
    for value in values {
        query = query.bind(value);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

/// Replaces the amounts of new items and of items whose amounts changed.
pub(crate) async fn write_amounts(
    tx: &mut Tx<'_>,
    plan_id: &str,
    import: &ImportPlan,
) -> CoreResult<usize> {
    let replaced: Vec<&PlannedItem> = import
        .items
        .iter()
        .filter(|i| i.amounts.is_some())
        .filter(|i| match i.action {
            Action::Create => true,
            Action::Update => i.changes.iter().any(|c| c.field == "amounts"),
            Action::Unchanged => false,
        })
        .collect();
    let updated: Vec<&str> = replaced
        .iter()
        .filter(|i| i.action == Action::Update)
        .map(|i| i.id.as_str())
        .collect();
    for chunk in updated.chunks(BATCH_ROWS) {
        let marks: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "DELETE FROM plan_amounts WHERE item_id IN ({})",
            marks.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for id in chunk {
            query = query.bind(id.to_string());
        }
        query.execute(&mut **tx).await?;
    }
    let rows: Vec<(&str, &AmountRow)> = replaced
        .iter()
        .flat_map(|i| i.amounts.iter().flatten().map(move |a| (i.id.as_str(), a)))
        .collect();
    for chunk in rows.chunks(BATCH_ROWS) {
        let sql = format!(
            "INSERT INTO plan_amounts (item_id, plan_id, year, kind, budget_type, direction, cents)
             VALUES {}",
            placeholders(chunk.len(), 7)
        );
        let mut query = sqlx::query(&sql);
        for (id, row) in chunk {
            query = query
                .bind(id.to_string())
                .bind(plan_id.to_string())
                .bind(row.year)
                .bind(row.kind.clone())
                .bind(row.budget_type.clone())
                .bind(row.direction.clone())
                .bind(row.cents);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(rows.len())
}
