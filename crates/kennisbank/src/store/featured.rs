//! What the home page features, in the editors' order (`site_featured`): pages, news,
//! projects, public Kennisbank documents and collections.
//!
//! The editing half (list with titles, add, remove, move) is here; the public site reads the
//! same rows for the home page. Each change runs in the caller's transaction with an audit entry.

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::ConstraintViolation;
use steden_core::{CoreError, FieldError};
use steden_db::{new_id, now_ms, Tx};

pub use crate::model::featured::{Candidate, Featured, FeaturedEntry, TargetKind};

/// The featured rows in their order.
pub async fn entries<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> CoreResult<Vec<Featured>> {
    let rows = sqlx::query(
        "SELECT id, target_kind, target_id, position FROM site_featured ORDER BY position, created_at",
    )
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Featured {
            id: row.get("id"),
            target_kind: row.get("target_kind"),
            target_id: row.get("target_id"),
            position: row.get("position"),
        })
        .collect())
}

/// The title and public address of what `kind`/`id` points at, if it exists (documents only
/// when public).
pub async fn describe<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    kind: TargetKind,
    id: &str,
) -> CoreResult<Option<(String, String)>> {
    let row = match kind {
        TargetKind::Pagina | TargetKind::Nieuws | TargetKind::Project => {
            sqlx::query("SELECT title, slug FROM site_pages WHERE id = $1 AND kind = $2")
                .bind(id)
                .bind(kind.as_str())
                .fetch_optional(exec)
                .await?
        }
        TargetKind::Document => {
            sqlx::query("SELECT title, slug FROM kb_documents WHERE id = $1 AND access = 'publiek'")
                .bind(id)
                .fetch_optional(exec)
                .await?
        }
        TargetKind::Collectie => {
            sqlx::query("SELECT title, slug FROM kb_collections WHERE id = $1")
                .bind(id)
                .fetch_optional(exec)
                .await?
        }
    };
    Ok(row.map(|row| {
        let slug: String = row.get("slug");
        let href = match kind {
            TargetKind::Pagina => format!("/pagina/{slug}"),
            TargetKind::Nieuws => format!("/nieuws/{slug}"),
            TargetKind::Project => format!("/projecten/{slug}"),
            TargetKind::Document => format!("/kennisbank/documenten/{slug}"),
            TargetKind::Collectie => format!("/kennisbank/collecties/{slug}"),
        };
        (row.get("title"), href)
    }))
}

/// The featured items with their titles, in order (several statements: a `Copy` executor).
pub async fn entries_for_editors<'e, E: Executor<'e, Database = Any> + Copy>(
    executor: E,
) -> CoreResult<Vec<FeaturedEntry>> {
    let mut out = Vec::new();
    for featured in entries(executor).await? {
        let kind = TargetKind::parse(&featured.target_kind);
        let described = match kind {
            Some(kind) => describe(executor, kind, &featured.target_id).await?,
            None => None,
        };
        let (title, href) = described.map_or((None, None), |(t, h)| (Some(t), Some(h)));
        out.push(FeaturedEntry {
            featured,
            kind,
            title,
            href,
        });
    }
    Ok(out)
}

/// Everything that can be featured and is not yet: pages, news and projects that are not
/// archived, public documents, collections; by kind, then title.
pub async fn candidates<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> CoreResult<Vec<Candidate>> {
    let rows = sqlx::query(
        "SELECT kind, id, title FROM (
             SELECT kind, id, title FROM site_pages WHERE status <> 'gearchiveerd'
             UNION ALL
             SELECT 'document' AS kind, id, title FROM kb_documents WHERE access = 'publiek'
             UNION ALL
             SELECT 'collectie' AS kind, id, title FROM kb_collections
         ) c
         WHERE NOT EXISTS (
             SELECT 1 FROM site_featured f WHERE f.target_kind = c.kind AND f.target_id = c.id)
         ORDER BY title",
    )
    .fetch_all(executor)
    .await?;
    let mut out: Vec<Candidate> = rows
        .iter()
        .filter_map(|row| {
            Some(Candidate {
                kind: TargetKind::parse(&row.get::<String, _>("kind"))?,
                id: row.get("id"),
                title: row.get("title"),
            })
        })
        .collect();
    out.sort_by_key(|c| TargetKind::ALL.iter().position(|k| *k == c.kind));
    Ok(out)
}

fn audit_entry<'a>(
    actor: &'a AuditActor,
    organisation_id: &'a str,
    id: &'a str,
    action: &'a str,
    summary: &'a str,
    changes: Changes,
) -> NewEntry<'a> {
    NewEntry {
        actor,
        organisation_id: Some(organisation_id),
        entity_type: "site_featured",
        entity_id: id,
        action,
        summary,
        changes,
    }
}

/// Features `target` (a value `kind:id` from the form's select) at the end of the list.
pub async fn add(
    tx: &mut Tx<'_>,
    target: &str,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<String> {
    let invalid = |message: &str| CoreError::Invalid(vec![FieldError::new("target", message)]);
    let (kind, target_id) = target
        .split_once(':')
        .and_then(|(k, id)| Some((TargetKind::parse(k)?, id)))
        .ok_or_else(|| invalid("Kies wat u wilt uitlichten."))?;
    let Some((title, _)) = describe(&mut **tx, kind, target_id).await? else {
        return Err(invalid(
            "Dit item bestaat niet (meer) of is niet openbaar. Kies een ander.",
        ));
    };
    let exists =
        sqlx::query("SELECT id FROM site_featured WHERE target_kind = $1 AND target_id = $2")
            .bind(kind.as_str())
            .bind(target_id)
            .fetch_optional(&mut **tx)
            .await?;
    if exists.is_some() {
        return Err(invalid(&format!("‘{title}’ wordt al uitgelicht.")));
    }
    let next: i64 = sqlx::query("SELECT COALESCE(MAX(position), 0) + 1 AS next FROM site_featured")
        .fetch_one(&mut **tx)
        .await?
        .get("next");
    let id = new_id();
    sqlx::query(
        "INSERT INTO site_featured (id, target_kind, target_id, position, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(kind.as_str())
    .bind(target_id)
    .bind(next)
    .bind(now_ms())
    .execute(&mut **tx)
    .await
    .on_unique_with(|| invalid(&format!("‘{title}’ wordt al uitgelicht.")))?;
    audit::record(
        tx,
        audit_entry(
            actor,
            organisation_id,
            &id,
            "create",
            &format!("‘{title}’ uitgelicht op de startpagina"),
            Changes::new()
                .created("target_kind", kind.as_str())
                .created("target_id", target_id),
        ),
    )
    .await?;
    Ok(id)
}

async fn get_in(tx: &mut Tx<'_>, id: &str) -> CoreResult<Featured> {
    let row =
        sqlx::query("SELECT id, target_kind, target_id, position FROM site_featured WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(CoreError::NotFound("uitgelicht item"))?;
    Ok(Featured {
        id: row.get("id"),
        target_kind: row.get("target_kind"),
        target_id: row.get("target_id"),
        position: row.get("position"),
    })
}

/// Stops featuring item `id`.
pub async fn remove(
    tx: &mut Tx<'_>,
    id: &str,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<()> {
    let featured = get_in(tx, id).await?;
    sqlx::query("DELETE FROM site_featured WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        audit_entry(
            actor,
            organisation_id,
            id,
            "delete",
            "Item niet langer uitgelicht op de startpagina",
            Changes::new()
                .field("target_kind", featured.target_kind.as_str(), "")
                .field("target_id", featured.target_id.as_str(), ""),
        ),
    )
    .await?;
    Ok(())
}

/// Moves item `id` one place up (`up`) or down; at the top or bottom nothing changes.
pub async fn shift(
    tx: &mut Tx<'_>,
    id: &str,
    up: bool,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<()> {
    let featured = get_in(tx, id).await?;
    // Renumber 1..n first so that equal or missing positions cannot make a swap a no-op.
    let rows = sqlx::query("SELECT id FROM site_featured ORDER BY position, created_at")
        .fetch_all(&mut **tx)
        .await?;
    let mut order: Vec<String> = rows.iter().map(|r| r.get("id")).collect();
    let Some(at) = order.iter().position(|i| i == id) else {
        return Err(CoreError::NotFound("uitgelicht item"));
    };
    let other = if up {
        at.checked_sub(1)
    } else {
        Some(at + 1).filter(|i| *i < order.len())
    };
    let Some(other) = other else {
        return Ok(());
    };
    order.swap(at, other);
    for (position, item) in order.iter().enumerate() {
        sqlx::query("UPDATE site_featured SET position = $2 WHERE id = $1")
            .bind(item)
            .bind(position as i64 + 1)
            .execute(&mut **tx)
            .await?;
    }
    audit::record(
        tx,
        audit_entry(
            actor,
            organisation_id,
            id,
            "update",
            if up {
                "Uitgelicht item een plaats hoger gezet"
            } else {
                "Uitgelicht item een plaats lager gezet"
            },
            Changes::new().field("position", featured.position, other as i64 + 1),
        ),
    )
    .await?;
    Ok(())
}
