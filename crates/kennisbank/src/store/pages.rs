//! Pages of the website (static pages, news, projects) as stored, and what is online.
//!
//! A page is online when it is `gepubliceerd`, or `gepland` with its moment passed: scheduled
//! publication needs no job, every server decides it on read from the same database.
//! The editing half (create, update with a revision per save, images, featured items) lives
//! beside the reading half in this file.

use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;
use steden_db::Db;

use crate::model::{PageKind, PageStatus, ProjectState};

/// A page as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub id: String,
    pub kind: PageKind,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub status: PageStatus,
    pub publish_at: Option<i64>,
    pub project_state: Option<ProjectState>,
    pub programme: Option<String>,
    pub image_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Page {
    /// Whether visitors can see it at `now`.
    pub fn is_live(&self, now: i64) -> bool {
        match self.status {
            PageStatus::Gepubliceerd => true,
            PageStatus::Gepland => self.publish_at.is_some_and(|at| at <= now),
            PageStatus::Concept | PageStatus::Gearchiveerd => false,
        }
    }

    /// The public address of the page.
    pub fn href(&self) -> String {
        public_href(self.kind, &self.slug)
    }

    /// The moment it went (or goes) online, else its last change.
    pub fn shown_at(&self) -> i64 {
        self.publish_at.unwrap_or(self.updated_at)
    }
}

/// The public address of a page of `kind` with `slug`.
pub fn public_href(kind: PageKind, slug: &str) -> String {
    match kind {
        PageKind::Pagina => format!("/pagina/{slug}"),
        PageKind::Nieuws => format!("/nieuws/{slug}"),
        PageKind::Project => format!("/projecten/{slug}"),
    }
}

/// The SQL condition for "online at $1" (see [`Page::is_live`]).
pub const LIVE_AT: &str =
    "(status = 'gepubliceerd' OR (status = 'gepland' AND publish_at IS NOT NULL AND publish_at <= $1))";

pub const COLUMNS: &str = "id, kind, slug, title, summary, body_md, status, publish_at, \
     project_state, programme, image_id, created_at, updated_at";

pub fn from_row(row: &sqlx::any::AnyRow) -> Page {
    Page {
        id: row.get("id"),
        kind: PageKind::parse(&row.get::<String, _>("kind")).unwrap_or(PageKind::Pagina),
        slug: row.get("slug"),
        title: row.get("title"),
        summary: row.get("summary"),
        body_md: row.get("body_md"),
        status: PageStatus::parse(&row.get::<String, _>("status")).unwrap_or(PageStatus::Concept),
        publish_at: row.get("publish_at"),
        project_state: row
            .get::<Option<String>, _>("project_state")
            .and_then(|s| ProjectState::parse(&s)),
        programme: row.get("programme"),
        image_id: row.get("image_id"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    }
}

/// The pages of `kind` online at `now`, newest first, at most `limit`.
pub async fn live(db: &Db, kind: PageKind, now: i64, limit: i64) -> CoreResult<Vec<Page>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM site_pages WHERE kind = $2 AND {LIVE_AT}
         ORDER BY COALESCE(publish_at, updated_at) DESC, title LIMIT $3"
    ))
    .bind(now)
    .bind(kind.as_str())
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// `limit` pages of `kind` online at `now` from `offset`, newest first (the news list's pages).
pub async fn live_from<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    kind: PageKind,
    now: i64,
    limit: i64,
    offset: i64,
) -> CoreResult<Vec<Page>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM site_pages WHERE kind = $2 AND {LIVE_AT}
         ORDER BY COALESCE(publish_at, updated_at) DESC, title LIMIT $3 OFFSET $4"
    ))
    .bind(now)
    .bind(kind.as_str())
    .bind(limit)
    .bind(offset)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// How many pages of `kind` are online at `now`.
pub async fn count_live<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    kind: PageKind,
    now: i64,
) -> CoreResult<i64> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM site_pages WHERE kind = $2 AND {LIVE_AT}"
    ))
    .bind(now)
    .bind(kind.as_str())
    .fetch_one(executor)
    .await?)
}

/// Every page online at `now`, by kind and slug (for the sitemap).
pub async fn all_live<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    now: i64,
) -> CoreResult<Vec<Page>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM site_pages WHERE {LIVE_AT} ORDER BY kind, slug"
    ))
    .bind(now)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// The page of `kind` with `slug`, whatever its status (callers check [`Page::is_live`]).
pub async fn find_by_slug<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    kind: PageKind,
    slug: &str,
) -> CoreResult<Option<Page>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM site_pages WHERE kind = $1 AND slug = $2"
    ))
    .bind(kind.as_str())
    .bind(slug)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(from_row))
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<Page>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM site_pages WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?;
    Ok(row.as_ref().map(from_row))
}

// ---------------------------------------------------------------------------------------------
// Editing: every save writes the page, a new revision and an audit entry in one transaction.
// Nothing is ever deleted from the history; restoring an old version adds a new one.

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::{CoreError, FieldError};
use steden_db::{new_id, now_ms, Tx};

pub const MAX_TITLE: usize = 150;
pub const MAX_SLUG: usize = 80;
pub const MAX_SUMMARY: usize = 300;
pub const MAX_BODY: usize = 100_000;
pub const MAX_PROGRAMME: usize = 100;

/// What an editor submitted in the page form, as typed. `publish_at` is the value of a
/// `datetime-local` input: Belgian local time.
#[derive(Debug, Clone, Default)]
pub struct PageDraft {
    pub kind: String,
    pub title: String,
    pub slug: String,
    pub summary: String,
    pub body_md: String,
    pub status: String,
    pub publish_at: String,
    pub project_state: String,
    pub programme: String,
    pub image_id: String,
}

/// A draft that passed the checks that need no database.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPage {
    pub kind: PageKind,
    pub title: String,
    /// The slug the editor typed; `None` to derive one from the title.
    pub slug: Option<String>,
    pub summary: String,
    pub body_md: String,
    pub status: PageStatus,
    pub publish_at: Option<i64>,
    pub project_state: Option<ProjectState>,
    pub programme: Option<String>,
    pub image_id: Option<String>,
}

/// A moment typed in Belgian local time (`2026-03-01T09:30` from a `datetime-local` input, or
/// `01/03/2026 09:30` from browsers that show a text field) as UTC milliseconds. Empty text is
/// `Ok(None)`.
pub fn parse_local_moment(text: &str) -> Result<Option<i64>, &'static str> {
    use chrono::{NaiveDateTime, TimeZone};
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let naive = [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d/%m/%Y %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .ok_or("Geef datum en uur als dd/mm/jjjj uu:mm.")?;
    // In the spring-forward gap the hour does not exist; at the autumn overlap the first of
    // the two moments is meant.
    chrono_tz::Europe::Brussels
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| Some(t.timestamp_millis()))
        .ok_or(
            "Dit uur bestaat niet in Belgische tijd (overgang naar zomertijd). Kies een ander uur.",
        )
}

/// The value for a `datetime-local` input showing `ms` in Belgian local time.
pub fn local_moment_value(ms: i64) -> String {
    use chrono::TimeZone;
    chrono::Utc
        .timestamp_millis_opt(ms)
        .single()
        .map(|t| {
            t.with_timezone(&chrono_tz::Europe::Brussels)
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// Whether `slug` is a valid address part: lower-case letters, digits and hyphens.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= MAX_SLUG
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// Checks a draft; every problem at once, by field, in Dutch.
pub fn validate(draft: &PageDraft) -> Result<ValidPage, CoreError> {
    let mut errors = Vec::new();
    let kind = PageKind::parse(draft.kind.trim());
    if kind.is_none() {
        errors.push(FieldError::new(
            "kind",
            "Kies een soort: pagina, nieuwsbericht of project.",
        ));
    }
    let title = draft.title.trim().to_string();
    if title.is_empty() {
        errors.push(FieldError::new("title", "Geef de pagina een titel."));
    } else if too_long(&title, MAX_TITLE) {
        errors.push(FieldError::new(
            "title",
            format!("De titel mag hoogstens {MAX_TITLE} tekens lang zijn."),
        ));
    }
    let slug = optional(&draft.slug);
    if let Some(slug) = &slug {
        if !is_valid_slug(slug) {
            errors.push(FieldError::new(
                "slug",
                format!(
                    "Het webadres mag alleen kleine letters zonder accenten, cijfers en koppeltekens \
                     bevatten (hoogstens {MAX_SLUG} tekens, niet beginnen of eindigen met een \
                     koppelteken). Laat het leeg om het uit de titel te maken."
                ),
            ));
        }
    }
    let summary = draft.summary.trim().to_string();
    if too_long(&summary, MAX_SUMMARY) {
        errors.push(FieldError::new(
            "summary",
            format!("De samenvatting mag hoogstens {MAX_SUMMARY} tekens lang zijn."),
        ));
    }
    // The body keeps its own whitespace (Markdown can depend on it), only line ends are unified.
    let body_md = draft.body_md.replace("\r\n", "\n");
    if too_long(&body_md, MAX_BODY) {
        errors.push(FieldError::new(
            "body_md",
            "De tekst mag hoogstens 100.000 tekens lang zijn. Verdeel hem over meerdere pagina's.",
        ));
    }
    let status = PageStatus::parse(draft.status.trim());
    if status.is_none() {
        errors.push(FieldError::new(
            "status",
            "Kies een status: concept, gepland, gepubliceerd of gearchiveerd.",
        ));
    }
    let publish_at = match parse_local_moment(&draft.publish_at) {
        Ok(moment) => moment,
        Err(message) => {
            errors.push(FieldError::new("publish_at", message));
            None
        }
    };
    if status == Some(PageStatus::Gepland)
        && publish_at.is_none()
        && draft.publish_at.trim().is_empty()
    {
        errors.push(FieldError::new(
            "publish_at",
            "Geef het moment van publicatie: een geplande pagina heeft een datum en uur nodig.",
        ));
    }
    let project_state = if kind == Some(PageKind::Project) {
        match draft.project_state.trim() {
            "" => Some(ProjectState::Lopend),
            text => {
                let state = ProjectState::parse(text);
                if state.is_none() {
                    errors.push(FieldError::new(
                        "project_state",
                        "Kies of het project lopend of afgerond is.",
                    ));
                }
                state
            }
        }
    } else {
        None
    };
    let programme = optional(&draft.programme);
    if programme
        .as_deref()
        .is_some_and(|p| too_long(p, MAX_PROGRAMME))
    {
        errors.push(FieldError::new(
            "programme",
            format!("Het programma mag hoogstens {MAX_PROGRAMME} tekens lang zijn."),
        ));
    }
    match (kind, status) {
        (Some(kind), Some(status)) if errors.is_empty() => Ok(ValidPage {
            kind,
            title,
            slug,
            summary,
            body_md,
            status,
            publish_at,
            project_state,
            programme,
            image_id: optional(&draft.image_id),
        }),
        _ => Err(CoreError::Invalid(errors)),
    }
}

/// The slug for `valid`: the typed one when free (else an error), or one made from the title,
/// numbered (`-2`, `-3`, …) when another page of the same kind has it.
async fn choose_slug(tx: &mut Tx<'_>, valid: &ValidPage, page_id: &str) -> CoreResult<String> {
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
async fn slug_owner(
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

async fn check_image(tx: &mut Tx<'_>, image_id: Option<&str>) -> CoreResult<()> {
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

/// A unique-constraint violation on (kind, slug) by a concurrent save, as a form error.
fn slug_conflict(e: sqlx::Error) -> CoreError {
    if e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
    {
        CoreError::invalid(
            "slug",
            "Dit webadres werd net door een andere pagina in gebruik genomen. Kies een ander.",
        )
    } else {
        CoreError::Database(e)
    }
}

/// Appends the page's current content as its next version.
async fn add_revision(tx: &mut Tx<'_>, page: &Page, author: &AuditActor) -> CoreResult<i64> {
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

async fn get_in(tx: &mut Tx<'_>, id: &str) -> CoreResult<Option<Page>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM site_pages WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.as_ref().map(from_row))
}

/// The moment stored for `valid`: a published page without a moment goes online now (or
/// keeps the moment it already had).
fn moment_for(valid: &ValidPage, existing: Option<i64>, now: i64) -> Option<i64> {
    match valid.status {
        PageStatus::Gepubliceerd => valid.publish_at.or(existing).or(Some(now)),
        _ => valid.publish_at,
    }
}

/// Creates a page from a draft: the page, its version 1 and an audit entry.
pub async fn create(
    db: &Db,
    draft: &PageDraft,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<Page> {
    let valid = validate(draft)?;
    let mut tx = db.begin().await?;
    let id = new_id();
    check_image(&mut tx, valid.image_id.as_deref()).await?;
    let slug = choose_slug(&mut tx, &valid, &id).await?;
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
    .execute(&mut *tx)
    .await
    .map_err(slug_conflict)?;
    let page = get_in(&mut tx, &id)
        .await?
        .ok_or(CoreError::NotFound("pagina"))?;
    add_revision(&mut tx, &page, actor).await?;
    audit::record(
        &mut tx,
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
    tx.commit().await?;
    Ok(page)
}

/// Saves a draft over page `id` (whose kind does not change): the page, its next version and
/// an audit entry.
pub async fn update(
    db: &Db,
    id: &str,
    draft: &PageDraft,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<Page> {
    let mut tx = db.begin().await?;
    let old = get_in(&mut tx, id)
        .await?
        .ok_or(CoreError::NotFound("pagina"))?;
    let draft = PageDraft {
        kind: old.kind.as_str().to_string(),
        ..draft.clone()
    };
    let valid = validate(&draft)?;
    check_image(&mut tx, valid.image_id.as_deref()).await?;
    let slug = choose_slug(&mut tx, &valid, id).await?;
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
    .execute(&mut *tx)
    .await
    .map_err(slug_conflict)?;
    let page = get_in(&mut tx, id)
        .await?
        .ok_or(CoreError::NotFound("pagina"))?;
    let version = add_revision(&mut tx, &page, actor).await?;
    audit::record(
        &mut tx,
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
    tx.commit().await?;
    Ok(page)
}

fn page_changes(old: &Page, new: &Page) -> Changes {
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
    db: &Db,
    page_id: &str,
    version: i64,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<(Page, i64)> {
    let mut tx = db.begin().await?;
    let old = get_in(&mut tx, page_id)
        .await?
        .ok_or(CoreError::NotFound("pagina"))?;
    let row = sqlx::query(
        "SELECT title, summary, body_md FROM site_page_revisions WHERE page_id = $1 AND version = $2",
    )
    .bind(page_id)
    .bind(version)
    .fetch_optional(&mut *tx)
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
    .execute(&mut *tx)
    .await?;
    let page = get_in(&mut tx, page_id)
        .await?
        .ok_or(CoreError::NotFound("pagina"))?;
    let new_version = add_revision(&mut tx, &page, actor).await?;
    audit::record(
        &mut tx,
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
    tx.commit().await?;
    Ok((page, new_version))
}

/// One saved version of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub page_id: String,
    pub version: i64,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub status: PageStatus,
    pub publish_at: Option<i64>,
    pub author_name: Option<String>,
    pub created_at: i64,
}

const REVISION_SELECT: &str = "SELECT r.page_id, r.version, r.title, r.summary, r.body_md, \
     r.status, r.publish_at, u.name AS author_name, r.created_at \
     FROM site_page_revisions r LEFT JOIN person_names u ON u.id = r.author_id";

fn revision_from_row(row: &sqlx::any::AnyRow) -> Revision {
    Revision {
        page_id: row.get("page_id"),
        version: row.get("version"),
        title: row.get("title"),
        summary: row.get("summary"),
        body_md: row.get("body_md"),
        status: PageStatus::parse(&row.get::<String, _>("status")).unwrap_or(PageStatus::Concept),
        publish_at: row.get("publish_at"),
        author_name: row.get("author_name"),
        created_at: row.get("created_at"),
    }
}

/// Every version of a page, newest first.
pub async fn revisions<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    page_id: &str,
) -> CoreResult<Vec<Revision>> {
    let rows = sqlx::query(&format!(
        "{REVISION_SELECT} WHERE r.page_id = $1 ORDER BY r.version DESC"
    ))
    .bind(page_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(revision_from_row).collect())
}

pub async fn find_revision<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    page_id: &str,
    version: i64,
) -> CoreResult<Option<Revision>> {
    let row = sqlx::query(&format!(
        "{REVISION_SELECT} WHERE r.page_id = $1 AND r.version = $2"
    ))
    .bind(page_id)
    .bind(version)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(revision_from_row))
}

/// Every page for the editors' list, optionally of one kind and status, last changed first.
pub async fn list_for_editors(
    db: &Db,
    kind: Option<PageKind>,
    status: Option<PageStatus>,
) -> CoreResult<Vec<Page>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM site_pages
         WHERE ($1 IS NULL OR kind = $1) AND ($2 IS NULL OR status = $2)
         ORDER BY updated_at DESC, title"
    ))
    .bind(kind.map(|k| k.as_str()))
    .bind(status.map(|s| s.as_str()))
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// How many pages wait: drafts, and scheduled pages whose moment is still to come.
pub async fn waiting_counts(db: &Db, now: i64) -> CoreResult<(i64, i64)> {
    let row = sqlx::query(
        "SELECT
             CAST(COALESCE(SUM(CASE WHEN status = 'concept' THEN 1 ELSE 0 END), 0) AS BIGINT) AS drafts,
             CAST(COALESCE(SUM(CASE WHEN status = 'gepland' AND publish_at > $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS scheduled
         FROM site_pages",
    )
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    Ok((row.get("drafts"), row.get("scheduled")))
}

#[cfg(test)]
mod editing_tests {
    use super::*;

    fn draft() -> PageDraft {
        PageDraft {
            kind: "nieuws".into(),
            title: "Nieuw".into(),
            status: "concept".into(),
            ..PageDraft::default()
        }
    }

    #[test]
    fn moments_are_belgian_local_time() {
        // 1 March: winter time, UTC+1.
        let ms = parse_local_moment("2026-03-01T09:30").unwrap().unwrap();
        assert_eq!(ms, 1_772_353_800_000);
        assert_eq!(local_moment_value(ms), "2026-03-01T09:30");
        assert_eq!(parse_local_moment("01/03/2026 09:30").unwrap(), Some(ms));
        assert_eq!(parse_local_moment(" ").unwrap(), None);
        assert!(parse_local_moment("morgen").is_err());
        // 29 March 2026 02:30 does not exist in Brussels.
        assert!(parse_local_moment("2026-03-29T02:30").is_err());
    }

    #[test]
    fn drafts_are_checked_field_by_field() {
        assert!(validate(&draft()).is_ok());
        let errors = |d: PageDraft| match validate(&d) {
            Err(CoreError::Invalid(e)) => e.into_iter().map(|f| f.field).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            errors(PageDraft {
                title: " ".into(),
                ..draft()
            }),
            ["title"]
        );
        assert_eq!(
            errors(PageDraft {
                status: "gepland".into(),
                ..draft()
            }),
            ["publish_at"]
        );
        assert_eq!(
            errors(PageDraft {
                slug: "Met Hoofdletters".into(),
                ..draft()
            }),
            ["slug"]
        );
        assert_eq!(
            errors(PageDraft {
                title: "x".repeat(151),
                ..draft()
            }),
            ["title"]
        );
        assert!(is_valid_slug("over-ons-2"));
        assert!(!is_valid_slug("-over"));
        assert!(!is_valid_slug("één"));
    }
}
