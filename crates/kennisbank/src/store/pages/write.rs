//! Editing: every save writes the page, a new revision and an audit entry in the caller's
//! transaction.
//! Nothing is ever deleted from the history; restoring an old version adds a new one.

use sqlx::Row;
use steden_core::error::CoreResult;
use steden_core::ConstraintViolation;

use super::query::{from_row, COLUMNS};
use super::validate::{validate, ValidPage};
use crate::model::pages::{Page, PageDraft};
use crate::model::{PageKind, PageStatus};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

pub(super) async fn choose_slug(
    tx: &mut Tx<'_>,
    valid: &ValidPage,
    page_id: &str,
) -> CoreResult<String> {
    if let Some(slug) = &valid.slug {
        if let Some(other) = slug_owner(tx, valid.kind, slug, page_id).await? {
            return Err(CoreError::invalid(
                "slug",
                &format!(
                    "Het webadres ‘{slug}’ is al in gebruik door ‘{other}’. Kies een ander webadres \
                     of laat het veld leeg."
                ),
            ));
        }
        return Ok(slug.clone());
    }
    let base = crate::model::slugify(&valid.title);
    let mut candidate = base.clone();
    let mut n = 2;
    while slug_owner(tx, valid.kind, &candidate, page_id)
        .await?
        .is_some()
    {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Ok(candidate)
}

/// The title of the other page of `kind` that has `slug`, if any.
pub(super) async fn slug_owner(
    tx: &mut Tx<'_>,
    kind: PageKind,
    slug: &str,
    page_id: &str,
) -> CoreResult<Option<String>> {
    let row =
        sqlx::query("SELECT title FROM site_pages WHERE kind = $1 AND slug = $2 AND id <> $3")
            .bind(kind.as_str())
            .bind(slug)
            .bind(page_id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(|r| r.get("title")))
}

pub(super) async fn check_image(tx: &mut Tx<'_>, image_id: Option<&str>) -> CoreResult<()> {
    let Some(image_id) = image_id else {
        return Ok(());
    };
    let found = sqlx::query("SELECT id FROM site_images WHERE id = $1")
        .bind(image_id)
        .fetch_optional(&mut **tx)
        .await?;
    if found.is_none() {
        return Err(CoreError::invalid(
            "image_id",
            "Deze afbeelding bestaat niet (meer). Kies een andere.",
        ));
    }
    Ok(())
}

/// What the loser of a race for a (kind, slug) is told.
const SLUG_TAKEN: &str =
    "Dit webadres werd net door een andere pagina in gebruik genomen. Kies een ander.";

/// Appends the page's current content as its next version.
pub(super) async fn add_revision(
    tx: &mut Tx<'_>,
    page: &Page,
    author: &AuditActor,
) -> CoreResult<i64> {
    let next: i64 = sqlx::query(
        "SELECT COALESCE(MAX(version), 0) + 1 AS next FROM site_page_revisions WHERE page_id = $1",
    )
    .bind(&page.id)
    .fetch_one(&mut **tx)
    .await?
    .get("next");
    sqlx::query(
        "INSERT INTO site_page_revisions (id, page_id, version, title, summary, body_md, status,
             publish_at, author_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(new_id())
    .bind(&page.id)
    .bind(next)
    .bind(&page.title)
    .bind(&page.summary)
    .bind(&page.body_md)
    .bind(page.status.as_str())
    .bind(page.publish_at)
    .bind(author.user_id.as_deref())
    .bind(page.updated_at)
    .execute(&mut **tx)
    .await?;
    Ok(next)
}

pub(super) async fn get_in(tx: &mut Tx<'_>, id: &str) -> CoreResult<Option<Page>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM site_pages WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.as_ref().map(from_row))
}

/// The moment stored for `valid`: a published page without a moment goes online now (or
/// keeps the moment it already had).
pub(super) fn moment_for(valid: &ValidPage, existing: Option<i64>, now: i64) -> Option<i64> {
    match valid.status {
        PageStatus::Gepubliceerd => valid.publish_at.or(existing).or(Some(now)),
        _ => valid.publish_at,
    }
}

/// Creates a page from a draft: the page, its version 1 and an audit entry.
pub async fn create(
    tx: &mut Tx<'_>,
    draft: &PageDraft,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<Page> {
    let valid = validate(draft)?;
    let id = new_id();
    check_image(tx, valid.image_id.as_deref()).await?;
    let slug = choose_slug(tx, &valid, &id).await?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO site_pages (id, kind, slug, title, summary, body_md, status, publish_at,
             project_state, programme, image_id, created_by, updated_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $13)",
    )
    .bind(&id)
    .bind(valid.kind.as_str())
    .bind(&slug)
    .bind(&valid.title)
    .bind(&valid.summary)
    .bind(&valid.body_md)
    .bind(valid.status.as_str())
    .bind(moment_for(&valid, None, now))
    .bind(valid.project_state.map(|s| s.as_str()))
    .bind(valid.programme.as_deref())
    .bind(valid.image_id.as_deref())
    .bind(actor.user_id.as_deref())
    .bind(now)
    .execute(&mut **tx)
    .await
    .on_unique("slug", SLUG_TAKEN)?;
    let page = get_in(tx, &id)
        .await?
        .ok_or(CoreError::NotFound("pagina"))?;
    add_revision(tx, &page, actor).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "site_page",
            entity_id: &id,
            action: "create",
            summary: &format!("{} ‘{}’ aangemaakt", page.kind.label(), page.title),
            changes: Changes::new()
                .created("kind", page.kind.as_str())
                .created("title", &page.title)
                .created("slug", &page.slug)
                .created("status", page.status.as_str()),
        },
    )
    .await?;
    Ok(page)
}

/// Saves a draft over page `id` (whose kind does not change): the page, its next version and
/// an audit entry.
pub async fn update(
    tx: &mut Tx<'_>,
    id: &str,
    draft: &PageDraft,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<Page> {
    let old = get_in(tx, id).await?.ok_or(CoreError::NotFound("pagina"))?;
    let draft = PageDraft {
        kind: old.kind.as_str().to_string(),
        ..draft.clone()
    };
    let valid = validate(&draft)?;
    check_image(tx, valid.image_id.as_deref()).await?;
    let slug = choose_slug(tx, &valid, id).await?;
    let now = now_ms();
    sqlx::query(
        "UPDATE site_pages SET slug = $2, title = $3, summary = $4, body_md = $5, status = $6,
             publish_at = $7, project_state = $8, programme = $9, image_id = $10,
             updated_by = $11, updated_at = $12
         WHERE id = $1",
    )
    .bind(id)
    .bind(&slug)
    .bind(&valid.title)
    .bind(&valid.summary)
    .bind(&valid.body_md)
    .bind(valid.status.as_str())
    .bind(moment_for(&valid, old.publish_at, now))
    .bind(valid.project_state.map(|s| s.as_str()))
    .bind(valid.programme.as_deref())
    .bind(valid.image_id.as_deref())
    .bind(actor.user_id.as_deref())
    .bind(now)
    .execute(&mut **tx)
    .await
    .on_unique("slug", SLUG_TAKEN)?;
    let page = get_in(tx, id).await?.ok_or(CoreError::NotFound("pagina"))?;
    let version = add_revision(tx, &page, actor).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "site_page",
            entity_id: id,
            action: "update",
            summary: &format!(
                "{} ‘{}’ gewijzigd (versie {version})",
                page.kind.label(),
                page.title
            ),
            changes: page_changes(&old, &page),
        },
    )
    .await?;
    Ok(page)
}

pub(super) fn page_changes(old: &Page, new: &Page) -> Changes {
    Changes::new()
        .field("title", old.title.as_str(), new.title.as_str())
        .field("slug", old.slug.as_str(), new.slug.as_str())
        .field("summary", old.summary.as_str(), new.summary.as_str())
        .field("body_md", old.body_md.as_str(), new.body_md.as_str())
        .field("status", old.status.as_str(), new.status.as_str())
        .field("publish_at", old.publish_at, new.publish_at)
        .field(
            "project_state",
            old.project_state.map(|s| s.as_str()),
            new.project_state.map(|s| s.as_str()),
        )
        .field(
            "programme",
            old.programme.as_deref(),
            new.programme.as_deref(),
        )
        .field("image_id", old.image_id.as_deref(), new.image_id.as_deref())
}

/// Makes the text (title, summary, body) of `version` the page's current text, as a new
/// version. The publication (status and moment) stays as it is: bringing back old words must
/// not take a page offline or publish a draft.
pub async fn restore(
    tx: &mut Tx<'_>,
    page_id: &str,
    version: i64,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<(Page, i64)> {
    let old = get_in(tx, page_id)
        .await?
        .ok_or(CoreError::NotFound("pagina"))?;
    let row = sqlx::query(
        "SELECT title, summary, body_md FROM site_page_revisions WHERE page_id = $1 AND version = $2",
    )
    .bind(page_id)
    .bind(version)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(CoreError::NotFound("versie"))?;
    let (title, summary, body_md): (String, String, String) =
        (row.get("title"), row.get("summary"), row.get("body_md"));
    sqlx::query(
        "UPDATE site_pages SET title = $2, summary = $3, body_md = $4, updated_by = $5,
             updated_at = $6 WHERE id = $1",
    )
    .bind(page_id)
    .bind(&title)
    .bind(&summary)
    .bind(&body_md)
    .bind(actor.user_id.as_deref())
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    let page = get_in(tx, page_id)
        .await?
        .ok_or(CoreError::NotFound("pagina"))?;
    let new_version = add_revision(tx, &page, actor).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "site_page",
            entity_id: page_id,
            action: "restore",
            summary: &format!(
                "Versie {version} van ‘{}’ teruggezet als versie {new_version}",
                page.title
            ),
            changes: page_changes(&old, &page),
        },
    )
    .await?;
    Ok((page, new_version))
}
