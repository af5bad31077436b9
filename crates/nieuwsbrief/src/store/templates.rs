//! Mail templates (`nb_templates`): minijinja sources that editors write in the browser
//! (`/nieuwsbrief/beheer/sjablonen`). A source is checked by [`crate::render::check`] before it
//! is written (it must compile and render the example newsletter): a template that fails is
//! refused with the Dutch message and nothing is saved. One template is the default
//! (`is_default`), seeded from [`crate::render::DEFAULT_SOURCE`] by [`ensure_default`].

use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::{CoreResult, FieldError};
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Db, Tx};

use crate::render;

/// The audit entity of a mail template.
pub const ENTITY: &str = "nieuwsbrief_sjabloon";

/// The id of the seeded default template.
pub const DEFAULT_ID: &str = "standaard";

const NAME_MAX: usize = 100;

/// A template as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailTemplate {
    pub id: String,
    pub name: String,
    pub source: String,
    pub is_default: bool,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, name, source, CAST(is_default AS BIGINT) AS is_default, updated_at";

fn from_row(row: &AnyRow) -> MailTemplate {
    MailTemplate {
        id: row.get("id"),
        name: row.get("name"),
        source: row.get("source"),
        is_default: steden_db::flag::from_db(row.get("is_default")),
        updated_at: row.get("updated_at"),
    }
}

/// Seeds the default template when it is missing (idempotent: a second call, or two servers at
/// once, change nothing).
pub async fn ensure_default(db: &Db) -> CoreResult<()> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO nb_templates (id, name, source, is_default, created_at, updated_at)
         VALUES ($1, $2, $3, 1, $4, $4) ON CONFLICT (id) DO NOTHING",
    )
    .bind(DEFAULT_ID)
    .bind("Standaard")
    .bind(render::DEFAULT_SOURCE)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Every template, the default first, then by name.
pub async fn list<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> CoreResult<Vec<MailTemplate>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM nb_templates ORDER BY is_default DESC, name, id"
    ))
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<MailTemplate>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM nb_templates WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?;
    Ok(row.as_ref().map(from_row))
}

/// The source a campaign renders with: its own template, else the default one, else (nothing
/// seeded yet) the built-in default.
pub async fn source_for(conn: &mut AnyConnection, template_id: Option<&str>) -> CoreResult<String> {
    if let Some(id) = template_id {
        if let Some(template) = find(&mut *conn, id).await? {
            return Ok(template.source);
        }
    }
    let row = sqlx::query(
        "SELECT source FROM nb_templates WHERE is_default = 1 ORDER BY updated_at DESC LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row
        .map(|row| row.get("source"))
        .unwrap_or_else(|| render::DEFAULT_SOURCE.to_string()))
}

/// What the template form sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct TemplateFields {
    pub name: String,
    pub source: String,
}

/// The fields checked: a name, and a source that compiles and renders the example. Every
/// problem is a Dutch message on its field.
fn validate(fields: &TemplateFields) -> CoreResult<(String, String)> {
    let mut errors = Vec::new();
    let name = fields.name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", "Geef het sjabloon een naam."));
    } else if name.chars().count() > NAME_MAX {
        errors.push(FieldError::new(
            "name",
            format!("De naam is te lang (hoogstens {NAME_MAX} tekens)."),
        ));
    }
    if let Err(CoreError::Invalid(mut source_errors)) = render::check(&fields.source) {
        errors.append(&mut source_errors);
    }
    if errors.is_empty() {
        Ok((name.to_string(), fields.source.clone()))
    } else {
        Err(CoreError::Invalid(errors))
    }
}

/// Creates a template after checking it; its id.
pub async fn create(
    tx: &mut Tx<'_>,
    fields: &TemplateFields,
    actor: &AuditActor,
) -> CoreResult<String> {
    let (name, source) = validate(fields)?;
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO nb_templates (id, name, source, is_default, created_at, updated_at, updated_by)
         VALUES ($1, $2, $3, 0, $4, $4, $5)",
    )
    .bind(&id)
    .bind(&name)
    .bind(&source)
    .bind(now)
    .bind(actor.user_id.as_deref())
    .execute(&mut **tx)
    .await?;
    record_audit(
        tx,
        actor,
        ENTITY,
        &id,
        "create",
        &format!("Nieuwsbriefsjabloon ‘{name}’ gemaakt"),
        Changes::new().created("name", &name),
    )
    .await?;
    Ok(id)
}

/// Changes template `id` after checking it; `NotFound` for an unknown id.
pub async fn update(
    tx: &mut Tx<'_>,
    id: &str,
    fields: &TemplateFields,
    actor: &AuditActor,
) -> CoreResult<()> {
    let old = find(&mut **tx, id)
        .await?
        .ok_or(CoreError::NotFound("sjabloon"))?;
    let (name, source) = validate(fields)?;
    sqlx::query(
        "UPDATE nb_templates SET name = $1, source = $2, updated_at = $3, updated_by = $4
         WHERE id = $5",
    )
    .bind(&name)
    .bind(&source)
    .bind(now_ms())
    .bind(actor.user_id.as_deref())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    record_audit(
        tx,
        actor,
        ENTITY,
        id,
        "update",
        &format!("Nieuwsbriefsjabloon ‘{name}’ gewijzigd"),
        Changes::new().field("name", &old.name, &name).field(
            "source_chars",
            old.source.chars().count(),
            source.chars().count(),
        ),
    )
    .await?;
    Ok(())
}

/// An audit entry of the newsletter's editors (templates, campaigns), in their transaction.
pub(crate) async fn record_audit(
    tx: &mut Tx<'_>,
    actor: &AuditActor,
    entity_type: &str,
    entity_id: &str,
    action: &str,
    summary: &str,
    changes: Changes,
) -> CoreResult<()> {
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type,
            entity_id,
            action,
            summary,
            changes,
        },
    )
    .await?;
    Ok(())
}
