//! Curated collections of Kennisbank documents: thematic libraries (sections by theme, with an
//! evaluation status and action points per document), publications (a reading list in the
//! editor's order) and the archive of a programme period (every document of the period plus the
//! curated ones).
//!
//! Documents are read here with our own SQL (the columns a collection page shows and the ones
//! access depends on); who may open which document is decided by the caller with
//! [`crate::access::Reader::may_open`] on [`CollectionDocument::access`]. Every write runs in
//! the caller's transaction and leaves an audit entry; collections are not in the search index,
//! so no search change is noted.

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::{CoreError, FieldError};
use steden_db::{new_id, now_ms, Db, Tx};

use crate::access::DocumentAccess;
use crate::model::{slugify, Access, CollectionKind, EvaluationStatus, PERIODS};

/// Longest title, section and text an editor may give (the form says so in Dutch).
pub const MAX_TITLE: usize = 200;
pub const MAX_DESCRIPTION: usize = 20_000;
pub const MAX_SECTION: usize = 120;
pub const MAX_ACTION_POINTS: usize = 4_000;

/// A collection as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub description_md: String,
    pub kind: CollectionKind,
    /// The programme period of an archive; `None` for the other kinds.
    pub period: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Collection {
    /// The public address of the collection.
    pub fn href(&self) -> String {
        format!("/kennisbank/collecties/{}", self.slug)
    }
}

/// A document as a collection page lists it, with its place in the collection when it was
/// added by an editor (`entry`), or `None` for an archive's document of the period.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectionDocument {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub doc_type: String,
    pub doc_date: Option<String>,
    pub period: Option<String>,
    pub access: DocumentAccess,
    pub entry: Option<EntryPlace>,
}

impl CollectionDocument {
    pub fn href(&self) -> String {
        format!("/kennisbank/documenten/{}", self.slug)
    }
}

/// Where and how an editor placed a document in a collection.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryPlace {
    pub section: String,
    pub position: i64,
    pub evaluation_status: Option<EvaluationStatus>,
    pub action_points: String,
}

/// What an editor typed in the collection form.
#[derive(Debug, Clone, Default)]
pub struct CollectionFields {
    pub title: String,
    /// Empty: made from the title.
    pub slug: String,
    pub description: String,
    pub kind: String,
    pub period: String,
}

/// What an editor typed for one entry.
#[derive(Debug, Clone, Default)]
pub struct EntryFields {
    pub section: String,
    /// Empty: none.
    pub evaluation_status: String,
    pub action_points: String,
}

struct ValidCollection {
    title: String,
    slug: String,
    description: String,
    kind: CollectionKind,
    period: Option<String>,
}

const COLLECTION_COLUMNS: &str =
    "id, slug, title, description_md, kind, period, created_at, updated_at";

fn collection_from_row(row: &sqlx::any::AnyRow) -> Collection {
    let kind: String = row.get("kind");
    Collection {
        id: row.get("id"),
        slug: row.get("slug"),
        title: row.get("title"),
        description_md: row.get("description_md"),
        kind: CollectionKind::parse(&kind).unwrap_or(CollectionKind::Publicatie),
        period: row.get("period"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    }
}

/// Every collection, by kind (in the order of [`CollectionKind::ALL`]) and title.
pub async fn list(db: &Db) -> CoreResult<Vec<Collection>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLLECTION_COLUMNS} FROM kb_collections ORDER BY title, id"
    ))
    .fetch_all(db.pool())
    .await?;
    let mut all: Vec<Collection> = rows.iter().map(collection_from_row).collect();
    all.sort_by_key(|c| CollectionKind::ALL.iter().position(|k| *k == c.kind));
    Ok(all)
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<Collection>> {
    let row = sqlx::query(&format!(
        "SELECT {COLLECTION_COLUMNS} FROM kb_collections WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(collection_from_row))
}

/// The collection with `id`; `NotFound` when there is none.
pub async fn get<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Collection> {
    find(executor, id)
        .await?
        .ok_or(CoreError::NotFound("collectie"))
}

/// The collections of `kind`, last changed first.
pub async fn list_of_kind<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    kind: CollectionKind,
) -> CoreResult<Vec<Collection>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLLECTION_COLUMNS} FROM kb_collections WHERE kind = $1
         ORDER BY updated_at DESC, title"
    ))
    .bind(kind.as_str())
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(collection_from_row).collect())
}

pub async fn find_by_slug<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    slug: &str,
) -> CoreResult<Option<Collection>> {
    let row = sqlx::query(&format!(
        "SELECT {COLLECTION_COLUMNS} FROM kb_collections WHERE slug = $1"
    ))
    .bind(slug)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(collection_from_row))
}

/// The number of entries per collection id (for the editors' list).
pub async fn entry_counts(db: &Db) -> CoreResult<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "SELECT collection_id, COUNT(*) AS n FROM kb_collection_entries GROUP BY collection_id",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

// ---------------------------------------------------------------------------------------------
// Documents of a collection

const DOCUMENT_COLUMNS: &str = "d.id, d.slug, d.title, d.summary, d.doc_type, d.doc_date, \
     d.period, d.access, d.access_organisation_id, d.access_group_id";

fn document_from_row(row: &sqlx::any::AnyRow, with_entry: bool) -> CollectionDocument {
    let access: String = row.get("access");
    let entry = with_entry.then(|| {
        let status: Option<String> = row.get("evaluation_status");
        EntryPlace {
            section: row.get("section"),
            position: row.get("position"),
            evaluation_status: status.as_deref().and_then(EvaluationStatus::parse),
            action_points: row.get("action_points"),
        }
    });
    CollectionDocument {
        id: row.get("id"),
        slug: row.get("slug"),
        title: row.get("title"),
        summary: row.get("summary"),
        doc_type: row.get("doc_type"),
        doc_date: row.get("doc_date"),
        period: row.get("period"),
        access: DocumentAccess {
            // An unknown value is treated as the most restrictive sensible one.
            access: Access::parse(&access).unwrap_or(Access::Leden),
            organisation_id: row.get("access_organisation_id"),
            group_id: row.get("access_group_id"),
        },
        entry,
    }
}

/// The documents editors placed in a collection, in their order.
pub async fn entries<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    collection_id: &str,
) -> CoreResult<Vec<CollectionDocument>> {
    let rows = sqlx::query(&format!(
        "SELECT {DOCUMENT_COLUMNS}, e.section, e.position, e.evaluation_status, e.action_points
         FROM kb_collection_entries e JOIN kb_documents d ON d.id = e.document_id
         WHERE e.collection_id = $1 ORDER BY e.position, d.title"
    ))
    .bind(collection_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(|r| document_from_row(r, true)).collect())
}

/// Every document of a programme period, newest first.
pub async fn period_documents(db: &Db, period: &str) -> CoreResult<Vec<CollectionDocument>> {
    let rows = sqlx::query(&format!(
        "SELECT {DOCUMENT_COLUMNS} FROM kb_documents d WHERE d.period = $1
         ORDER BY d.doc_date DESC, d.title"
    ))
    .bind(period)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(|r| document_from_row(r, false)).collect())
}

/// Every document a collection page lists, before access is applied: the entries, and for an
/// archive also the documents of its period that are not entries.
pub async fn documents(db: &Db, collection: &Collection) -> CoreResult<Vec<CollectionDocument>> {
    let mut docs = entries(db.pool(), &collection.id).await?;
    if let (CollectionKind::Archief, Some(period)) = (collection.kind, &collection.period) {
        for doc in period_documents(db, period).await? {
            if !docs.iter().any(|d| d.id == doc.id) {
                docs.push(doc);
            }
        }
    }
    Ok(docs)
}

/// A document an editor can add to a collection.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentChoice {
    pub id: String,
    pub title: String,
    pub doc_type: String,
    pub doc_date: Option<String>,
}

/// Documents not yet in the collection whose title contains `text` (case-insensitively; all
/// when empty), by title, at most `limit`.
pub async fn addable_documents(
    db: &Db,
    collection_id: &str,
    text: &str,
    limit: usize,
) -> CoreResult<Vec<DocumentChoice>> {
    let rows = sqlx::query(
        "SELECT d.id, d.title, d.doc_type, d.doc_date FROM kb_documents d
         WHERE NOT EXISTS (SELECT 1 FROM kb_collection_entries e
                           WHERE e.collection_id = $1 AND e.document_id = d.id)
         ORDER BY d.title, d.id",
    )
    .bind(collection_id)
    .fetch_all(db.pool())
    .await?;
    // Matching in Rust keeps accents and case handling the same on both backends (SQLite's
    // LOWER only knows ASCII).
    let wanted = fold_text(text);
    Ok(rows
        .iter()
        .map(|r| DocumentChoice {
            id: r.get("id"),
            title: r.get("title"),
            doc_type: r.get("doc_type"),
            doc_date: r.get("doc_date"),
        })
        .filter(|d| wanted.is_empty() || fold_text(&d.title).contains(&wanted))
        .take(limit)
        .collect())
}

/// Lower case without accents, words separated by one space (for matching typed text).
pub fn fold_text(text: &str) -> String {
    text.split_whitespace()
        .map(crate::search::analyzer::fold)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------------
// Writing collections

fn too_long(value: &str, max: usize) -> bool {
    value.chars().count() > max
}

async fn validate(
    tx: &mut Tx<'_>,
    fields: &CollectionFields,
    own_id: Option<&str>,
) -> CoreResult<ValidCollection> {
    let mut errors = Vec::new();
    let title = fields.title.trim().to_string();
    if title.is_empty() {
        errors.push(FieldError::new("title", "Geef de collectie een titel."));
    } else if too_long(&title, MAX_TITLE) {
        errors.push(FieldError::new(
            "title",
            "De titel mag hoogstens 200 tekens lang zijn.",
        ));
    }
    let typed_slug = fields.slug.trim();
    let slug = if typed_slug.is_empty() {
        slugify(&title)
    } else {
        slugify(typed_slug)
    };
    if !typed_slug.is_empty() && slug != typed_slug {
        errors.push(FieldError::new(
            "slug",
            "Gebruik in de korte naam alleen kleine letters zonder accenten, cijfers en koppeltekens.",
        ));
    } else if !title.is_empty() || !typed_slug.is_empty() {
        let taken: Option<String> =
            sqlx::query_scalar("SELECT id FROM kb_collections WHERE slug = $1")
                .bind(&slug)
                .fetch_optional(&mut **tx)
                .await?;
        if taken.is_some_and(|id| Some(id.as_str()) != own_id) {
            errors.push(FieldError::new(
                "slug",
                "Er bestaat al een collectie met deze korte naam. Kies een andere.",
            ));
        }
    }
    let description = fields.description.trim().to_string();
    if too_long(&description, MAX_DESCRIPTION) {
        errors.push(FieldError::new(
            "description",
            "De beschrijving mag hoogstens 20.000 tekens lang zijn.",
        ));
    }
    let kind = CollectionKind::parse(fields.kind.trim());
    if kind.is_none() {
        errors.push(FieldError::new("kind", "Kies het soort collectie."));
    }
    let period = fields.period.trim();
    let period = match kind {
        Some(CollectionKind::Archief) => {
            if period.is_empty() {
                errors.push(FieldError::new(
                    "period",
                    "Kies de programmaperiode van het archief.",
                ));
                None
            } else if let Some(p) = PERIODS.iter().find(|p| **p == period) {
                Some(p.to_string())
            } else {
                errors.push(FieldError::new(
                    "period",
                    "Kies een bestaande programmaperiode.",
                ));
                None
            }
        }
        // Only an archive has a period; a value left in the form is ignored.
        _ => None,
    };
    match kind {
        Some(kind) if errors.is_empty() => Ok(ValidCollection {
            title,
            slug,
            description,
            kind,
            period,
        }),
        _ => Err(CoreError::Invalid(errors)),
    }
}

fn unique_violation(e: sqlx::Error) -> CoreError {
    if e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
    {
        CoreError::invalid(
            "slug",
            "Er bestaat al een collectie met deze korte naam. Kies een andere.",
        )
    } else {
        CoreError::Database(e)
    }
}

/// Creates a collection. `organisation_id` is the Kenniscentrum's (for the audit trail).
pub async fn create(
    tx: &mut Tx<'_>,
    fields: &CollectionFields,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<Collection> {
    let valid = validate(tx, fields, None).await?;
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO kb_collections (id, slug, title, description_md, kind, period, created_by,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&id)
    .bind(&valid.slug)
    .bind(&valid.title)
    .bind(&valid.description)
    .bind(valid.kind.as_str())
    .bind(valid.period.as_deref())
    .bind(actor.user_id.as_deref())
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(unique_violation)?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "kb_collection",
            entity_id: &id,
            action: "create",
            summary: &format!("Collectie ‘{}’ aangemaakt", valid.title),
            changes: Changes::new()
                .created("title", valid.title.as_str())
                .created("slug", valid.slug.as_str())
                .created("kind", valid.kind.as_str())
                .created("period", valid.period.as_deref()),
        },
    )
    .await?;
    get(&mut **tx, &id).await
}

/// Changes a collection's fields.
pub async fn update(
    tx: &mut Tx<'_>,
    id: &str,
    fields: &CollectionFields,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<Collection> {
    let old = get(&mut **tx, id).await?;
    let valid = validate(tx, fields, Some(id)).await?;
    sqlx::query(
        "UPDATE kb_collections SET slug = $2, title = $3, description_md = $4, kind = $5,
             period = $6, updated_at = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(&valid.slug)
    .bind(&valid.title)
    .bind(&valid.description)
    .bind(valid.kind.as_str())
    .bind(valid.period.as_deref())
    .bind(now_ms())
    .execute(&mut **tx)
    .await
    .map_err(unique_violation)?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "kb_collection",
            entity_id: id,
            action: "update",
            summary: &format!("Collectie ‘{}’ gewijzigd", valid.title),
            changes: Changes::new()
                .field("title", old.title.as_str(), valid.title.as_str())
                .field("slug", old.slug.as_str(), valid.slug.as_str())
                .field("kind", old.kind.as_str(), valid.kind.as_str())
                .field("period", old.period.as_deref(), valid.period.as_deref())
                .field(
                    "description",
                    old.description_md.as_str(),
                    valid.description.as_str(),
                ),
        },
    )
    .await?;
    get(&mut **tx, id).await
}

/// Deletes a collection and its entries (the documents stay).
pub async fn delete(
    tx: &mut Tx<'_>,
    id: &str,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<()> {
    let old = get(&mut **tx, id).await?;
    // Explicitly, not only by the foreign key's cascade: SQLite connections may run without
    // foreign key enforcement.
    sqlx::query("DELETE FROM kb_collection_entries WHERE collection_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM site_featured WHERE target_kind = 'collectie' AND target_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM kb_collections WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "kb_collection",
            entity_id: id,
            action: "delete",
            summary: &format!("Collectie ‘{}’ verwijderd", old.title),
            changes: Changes::new().field("title", old.title.as_str(), ""),
        },
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Writing entries

struct ValidEntry {
    section: String,
    evaluation_status: Option<EvaluationStatus>,
    action_points: String,
}

/// Checks an entry's fields; field names get `suffix` (the form of one row is told apart by
/// the document id).
fn validate_entry(fields: &EntryFields, suffix: &str) -> CoreResult<ValidEntry> {
    let mut errors = Vec::new();
    let section = fields
        .section
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if too_long(&section, MAX_SECTION) {
        errors.push(FieldError::new(
            format!("section{suffix}"),
            "Het thema mag hoogstens 120 tekens lang zijn.",
        ));
    }
    let status_text = fields.evaluation_status.trim();
    let evaluation_status = if status_text.is_empty() {
        None
    } else {
        let parsed = EvaluationStatus::parse(status_text);
        if parsed.is_none() {
            errors.push(FieldError::new(
                format!("evaluation_status{suffix}"),
                "Kies een geldige evaluatiestatus.",
            ));
        }
        parsed
    };
    let action_points = fields.action_points.trim().to_string();
    if too_long(&action_points, MAX_ACTION_POINTS) {
        errors.push(FieldError::new(
            format!("action_points{suffix}"),
            "De actiepunten mogen hoogstens 4.000 tekens lang zijn.",
        ));
    }
    if errors.is_empty() {
        Ok(ValidEntry {
            section,
            evaluation_status,
            action_points,
        })
    } else {
        Err(CoreError::Invalid(errors))
    }
}

async fn document_title(tx: &mut Tx<'_>, document_id: &str) -> CoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT title FROM kb_documents WHERE id = $1")
            .bind(document_id)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

#[allow(clippy::too_many_arguments)]
async fn entry_record(
    tx: &mut Tx<'_>,
    collection: &Collection,
    document_id: &str,
    action: &str,
    summary: String,
    changes: Changes,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<()> {
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "kb_collection",
            entity_id: &collection.id,
            action,
            summary: &summary,
            changes: changes.created("document_id", document_id),
        },
    )
    .await?;
    Ok(())
}

/// Adds a document at the end of a collection.
pub async fn add_entry(
    tx: &mut Tx<'_>,
    collection_id: &str,
    document_id: &str,
    fields: &EntryFields,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<()> {
    let collection = get(&mut **tx, collection_id).await?;
    let Some(title) = document_title(tx, document_id).await? else {
        return Err(CoreError::invalid(
            "document_id",
            "Kies een document uit de lijst.",
        ));
    };
    let valid = validate_entry(fields, "")?;
    let exists: Option<i64> = sqlx::query_scalar(
        "SELECT position FROM kb_collection_entries WHERE collection_id = $1 AND document_id = $2",
    )
    .bind(collection_id)
    .bind(document_id)
    .fetch_optional(&mut **tx)
    .await?;
    if exists.is_some() {
        return Err(CoreError::invalid(
            "document_id",
            "Dit document staat al in de collectie.",
        ));
    }
    let last: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(position) FROM kb_collection_entries WHERE collection_id = $1",
    )
    .bind(collection_id)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO kb_collection_entries (collection_id, document_id, section, position,
             evaluation_status, action_points)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(collection_id)
    .bind(document_id)
    .bind(&valid.section)
    .bind(last.map_or(0, |p| p + 1))
    .bind(valid.evaluation_status.map(EvaluationStatus::as_str))
    .bind(&valid.action_points)
    .execute(&mut **tx)
    .await
    .map_err(|e| {
        if e.as_database_error()
            .is_some_and(|d| d.is_unique_violation())
        {
            CoreError::invalid("document_id", "Dit document staat al in de collectie.")
        } else {
            CoreError::Database(e)
        }
    })?;
    entry_record(
        tx,
        &collection,
        document_id,
        "add_document",
        format!(
            "Document ‘{title}’ toegevoegd aan collectie ‘{}’",
            collection.title
        ),
        Changes::new()
            .created("section", valid.section.as_str())
            .created(
                "evaluation_status",
                valid.evaluation_status.map(EvaluationStatus::as_str),
            ),
        actor,
        organisation_id,
    )
    .await
}

/// Changes an entry's section, evaluation status and action points.
pub async fn update_entry(
    tx: &mut Tx<'_>,
    collection_id: &str,
    document_id: &str,
    fields: &EntryFields,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<()> {
    let collection = get(&mut **tx, collection_id).await?;
    let old = entries(&mut **tx, collection_id)
        .await?
        .into_iter()
        .find(|d| d.id == document_id)
        .ok_or(CoreError::NotFound("document in de collectie"))?;
    let place = old.entry.clone().unwrap_or(EntryPlace {
        section: String::new(),
        position: 0,
        evaluation_status: None,
        action_points: String::new(),
    });
    let valid = validate_entry(fields, &format!("-{document_id}"))?;
    sqlx::query(
        "UPDATE kb_collection_entries SET section = $3, evaluation_status = $4, action_points = $5
         WHERE collection_id = $1 AND document_id = $2",
    )
    .bind(collection_id)
    .bind(document_id)
    .bind(&valid.section)
    .bind(valid.evaluation_status.map(EvaluationStatus::as_str))
    .bind(&valid.action_points)
    .execute(&mut **tx)
    .await?;
    entry_record(
        tx,
        &collection,
        document_id,
        "update_document",
        format!(
            "Document ‘{}’ in collectie ‘{}’ gewijzigd",
            old.title, collection.title
        ),
        Changes::new()
            .field("section", place.section.as_str(), valid.section.as_str())
            .field(
                "evaluation_status",
                place.evaluation_status.map(EvaluationStatus::as_str),
                valid.evaluation_status.map(EvaluationStatus::as_str),
            )
            .field(
                "action_points",
                place.action_points.as_str(),
                valid.action_points.as_str(),
            ),
        actor,
        organisation_id,
    )
    .await
}

/// Which way an entry moves in the collection's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// Moves an entry one place up or down (nothing happens at either end). Positions are
/// renumbered 0..n in the same transaction, so gaps left by removals never matter.
pub async fn move_entry(
    tx: &mut Tx<'_>,
    collection_id: &str,
    document_id: &str,
    direction: Direction,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<()> {
    let collection = get(&mut **tx, collection_id).await?;
    let mut order = entries(&mut **tx, collection_id).await?;
    let Some(index) = order.iter().position(|d| d.id == document_id) else {
        return Err(CoreError::NotFound("document in de collectie"));
    };
    let other = match direction {
        Direction::Up if index > 0 => index - 1,
        Direction::Down if index + 1 < order.len() => index + 1,
        _ => return Ok(()),
    };
    order.swap(index, other);
    for (position, doc) in order.iter().enumerate() {
        sqlx::query(
            "UPDATE kb_collection_entries SET position = $3
             WHERE collection_id = $1 AND document_id = $2",
        )
        .bind(collection_id)
        .bind(&doc.id)
        .bind(position as i64)
        .execute(&mut **tx)
        .await?;
    }
    let moved = &order[other];
    entry_record(
        tx,
        &collection,
        document_id,
        "move_document",
        format!(
            "Document ‘{}’ in collectie ‘{}’ {} verplaatst",
            moved.title,
            collection.title,
            if direction == Direction::Up {
                "omhoog"
            } else {
                "omlaag"
            }
        ),
        Changes::new().field("position", index as i64, other as i64),
        actor,
        organisation_id,
    )
    .await
}

/// Takes a document out of a collection (the document itself stays).
pub async fn remove_entry(
    tx: &mut Tx<'_>,
    collection_id: &str,
    document_id: &str,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<()> {
    let collection = get(&mut **tx, collection_id).await?;
    let title = document_title(tx, document_id).await?.unwrap_or_default();
    let done = sqlx::query(
        "DELETE FROM kb_collection_entries WHERE collection_id = $1 AND document_id = $2",
    )
    .bind(collection_id)
    .bind(document_id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(CoreError::NotFound("document in de collectie"));
    }
    entry_record(
        tx,
        &collection,
        document_id,
        "remove_document",
        format!(
            "Document ‘{title}’ uit collectie ‘{}’ gehaald",
            collection.title
        ),
        Changes::new(),
        actor,
        organisation_id,
    )
    .await
}

/// The slug and last change of every row, by slug (for the sitemap).
pub async fn slugs<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> CoreResult<Vec<(String, i64)>> {
    Ok(
        sqlx::query_as("SELECT slug, updated_at FROM kb_collections ORDER BY slug")
            .fetch_all(executor)
            .await?,
    )
}
