//! Creating, changing and deleting documents, each with its audit entry and a note for the
//! search index in the caller's transaction.

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::ConstraintViolation;
use steden_core::{CoreError, FieldError};
use steden_db::jobs::NewJob;
use steden_db::{new_id, now_ms, Tx};

use super::place::{place_of, Place};
use super::query::get;
use super::validate::{check_all, check_file, invalid, Valid};
use crate::access::KENNISCENTRUM_SLUG;
use crate::extract::Format;
use crate::model::documents::{
    content_type_of, format_code, Document, DocumentFields, NewFile, AUDIT_ENTITY, EXTRACT_JOB,
};
use crate::model::ExtractionStatus;
use crate::model::IndexEntity as Entity;
use crate::store::{files, index_changes};

fn to_json(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

/// Checks the ids that point into other tables.
async fn check_references(
    tx: &mut Tx<'_>,
    valid: &Valid,
    errors: &mut Vec<FieldError>,
) -> CoreResult<()> {
    for org in &valid.organisations {
        if steden_core::org::find(&mut **tx, org).await?.is_none() {
            errors.push(FieldError::new(
                "organisations",
                "Een van de gekozen organisaties bestaat niet (meer).",
            ));
            break;
        }
    }
    if let Some(org) = &valid.access_organisation_id {
        if steden_core::org::find(&mut **tx, org).await?.is_none() {
            errors.push(FieldError::new(
                "access_organisation_id",
                "Deze organisatie bestaat niet (meer).",
            ));
        }
    }
    if let Some(group) = &valid.access_group_id {
        if steden_core::working_group::get(&mut **tx, group)
            .await?
            .is_none()
        {
            errors.push(FieldError::new(
                "access_group_id",
                "Deze werkgroep bestaat niet (meer).",
            ));
        }
    }
    Ok(())
}

/// Resolves the programme and werkspoor against the published plans (in this transaction);
/// their errors join `errors` (then the returned place is empty and unused).
async fn check_place(
    tx: &mut Tx<'_>,
    valid: &Valid,
    old: Option<&Document>,
    errors: &mut Vec<FieldError>,
) -> CoreResult<Place> {
    let checked = place_of(
        tx,
        valid.programme.as_deref(),
        valid.werkspoor.as_deref(),
        valid.doc_date.as_deref(),
        old,
    )
    .await?;
    Ok(checked.unwrap_or_else(|more| {
        errors.extend(more);
        Place::default()
    }))
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

async fn kenniscentrum_in(tx: &mut Tx<'_>) -> CoreResult<Option<String>> {
    Ok(
        steden_core::org::find_by_slug(&mut **tx, KENNISCENTRUM_SLUG)
            .await?
            .map(|o| o.id),
    )
}

/// Stores a checked file with the content type of its detected format.
async fn store_file(
    tx: &mut Tx<'_>,
    file: &NewFile,
    format: Format,
    actor: &AuditActor,
) -> CoreResult<String> {
    let file_id = files::insert(
        tx,
        &file.filename,
        content_type_of(format),
        &file.bytes,
        actor.user_id.as_deref(),
    )
    .await?;
    Ok(file_id)
}

async fn enqueue_extraction(
    tx: &mut Tx<'_>,
    document_id: &str,
    file_id: &str,
    actor: &AuditActor,
) -> CoreResult<String> {
    let mut job = NewJob::new(
        EXTRACT_JOB,
        serde_json::json!({ "document_id": document_id, "file_id": file_id }),
    )
    // A failure that a retry can fix is a database hiccup; extraction errors are permanent.
    .max_attempts(3);
    if let Some(user) = &actor.user_id {
        job = job.created_by(user.clone());
    }
    Ok(steden_db::jobs::enqueue_tx(tx, job).await?)
}

/// Creates a document, with its file (stored, and its text extraction enqueued) or an
/// external link.
pub async fn create(
    tx: &mut Tx<'_>,
    fields: &DocumentFields,
    file: Option<NewFile>,
    actor: &AuditActor,
) -> CoreResult<Document> {
    let (valid, format) = check_all(fields, file.as_ref(), file.is_some()).map_err(invalid)?;
    let id = new_id();
    // Written first, so that on SQLite the transaction takes the write lock before it reads:
    // a deferred transaction that reads and then writes fails ("database is locked") when
    // another connection wrote in between, whatever the busy timeout.
    index_changes::record_change(tx, Entity::Document, &id).await?;
    let mut errors = Vec::new();
    check_references(tx, &valid, &mut errors).await?;
    let place = check_place(tx, &valid, None, &mut errors).await?;
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    let now = now_ms();
    let slug = crate::store::free_slug(tx, "kb_documents", &valid.title, None).await?;
    let (file_id, status) = match (&file, format) {
        (Some(file), Some(format)) => (
            Some(store_file(tx, file, format, actor).await?),
            ExtractionStatus::Wachtend,
        ),
        _ => (None, ExtractionStatus::Geen),
    };
    sqlx::query(
        "INSERT INTO kb_documents (id, slug, title, summary, doc_type, programme, werkspoor,
             themes, organisations, period, doc_date, language, access, access_organisation_id,
             access_group_id, external_url, file_id, file_format, extraction_status,
             extraction_error, body_text, created_by, updated_by, created_at, updated_at,
             programme_id, werkspoor_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
             $19, NULL, '', $20, $20, $21, $21, $22, $23)",
    )
    .bind(&id)
    .bind(&slug)
    .bind(&valid.title)
    .bind(&valid.summary)
    .bind(valid.doc_type.as_str())
    .bind(&place.programme)
    .bind(&place.werkspoor)
    .bind(to_json(&valid.themes))
    .bind(to_json(&valid.organisations))
    .bind(&valid.period)
    .bind(&valid.doc_date)
    .bind(valid.language.as_str())
    .bind(valid.access.as_str())
    .bind(&valid.access_organisation_id)
    .bind(&valid.access_group_id)
    .bind(if file_id.is_some() {
        None
    } else {
        valid.external_url.clone()
    })
    .bind(&file_id)
    .bind(format.map(format_code))
    .bind(status.as_str())
    .bind(actor.user_id.as_deref())
    .bind(now)
    .bind(&place.programme_id)
    .bind(&place.werkspoor_id)
    .execute(&mut **tx)
    .await
    .on_unique_with(|| {
        CoreError::Conflict(
            "Er werd tegelijk een document met dezelfde titel opgeslagen; probeer opnieuw.".into(),
        )
    })?;
    if let Some(file_id) = &file_id {
        enqueue_extraction(tx, &id, file_id, actor).await?;
    }
    let organisation = kenniscentrum_in(tx).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: organisation.as_deref(),
            entity_type: AUDIT_ENTITY,
            entity_id: &id,
            action: "create",
            summary: &format!("Document ‘{}’ toegevoegd aan de Kennisbank", valid.title),
            changes: Changes::new()
                .created("title", valid.title.as_str())
                .created("doc_type", valid.doc_type.as_str())
                .created("access", valid.access.as_str())
                .created("programme", place.programme.as_deref())
                .created("werkspoor", place.werkspoor.as_deref())
                .created(
                    "file",
                    file.as_ref().map(|f| files::safe_filename(&f.filename)),
                ),
        },
    )
    .await?;
    get(&mut **tx, &id).await
}

/// Changes a document's metadata and, with `file`, gives it a new file (whose text is then read
/// again). The slug stays, so links keep working.
pub async fn update(
    tx: &mut Tx<'_>,
    id: &str,
    fields: &DocumentFields,
    file: Option<NewFile>,
    actor: &AuditActor,
) -> CoreResult<Document> {
    // The change is noted first, so that on SQLite the transaction takes the write lock before it reads:
    // a deferred transaction that reads and then writes fails ("database is locked") when
    // another connection wrote in between, whatever the busy timeout.
    index_changes::record_change(tx, Entity::Document, id).await?;
    let old = get(&mut **tx, id).await?;
    let has_file = file.is_some() || old.file_id.is_some();
    let (valid, format) = check_all(fields, file.as_ref(), has_file).map_err(invalid)?;
    let mut errors = Vec::new();
    check_references(tx, &valid, &mut errors).await?;
    let place = check_place(tx, &valid, Some(&old), &mut errors).await?;
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    sqlx::query(
        "UPDATE kb_documents SET title = $2, summary = $3, doc_type = $4, programme = $5,
             werkspoor = $6, themes = $7, organisations = $8, period = $9, doc_date = $10,
             language = $11, access = $12, access_organisation_id = $13, access_group_id = $14,
             external_url = $15, updated_by = $16, updated_at = $17, programme_id = $18,
             werkspoor_id = $19
         WHERE id = $1",
    )
    .bind(id)
    .bind(&valid.title)
    .bind(&valid.summary)
    .bind(valid.doc_type.as_str())
    .bind(&place.programme)
    .bind(&place.werkspoor)
    .bind(to_json(&valid.themes))
    .bind(to_json(&valid.organisations))
    .bind(&valid.period)
    .bind(&valid.doc_date)
    .bind(valid.language.as_str())
    .bind(valid.access.as_str())
    .bind(&valid.access_organisation_id)
    .bind(&valid.access_group_id)
    .bind(if has_file {
        None
    } else {
        valid.external_url.clone()
    })
    .bind(actor.user_id.as_deref())
    .bind(now_ms())
    .bind(&place.programme_id)
    .bind(&place.werkspoor_id)
    .execute(&mut **tx)
    .await?;
    if let (Some(file), Some(format)) = (&file, format) {
        put_file(tx, &old, file, format, actor).await?;
    }
    let organisation = kenniscentrum_in(tx).await?;
    let changes = Changes::new()
        .field("title", old.title.as_str(), valid.title.as_str())
        .field("summary", old.summary.as_str(), valid.summary.as_str())
        .field("doc_type", old.doc_type.as_str(), valid.doc_type.as_str())
        .field(
            "programme",
            old.programme.as_deref(),
            place.programme.as_deref(),
        )
        .field(
            "programme_id",
            old.programme_id.as_deref(),
            place.programme_id.as_deref(),
        )
        .field(
            "werkspoor",
            old.werkspoor.as_deref(),
            place.werkspoor.as_deref(),
        )
        .field(
            "werkspoor_id",
            old.werkspoor_id.as_deref(),
            place.werkspoor_id.as_deref(),
        )
        .field("themes", &old.themes, &valid.themes)
        .field("organisations", &old.organisations, &valid.organisations)
        .field("period", old.period.as_deref(), valid.period.as_deref())
        .field(
            "doc_date",
            old.doc_date.as_deref(),
            valid.doc_date.as_deref(),
        )
        .field("language", old.language.as_str(), valid.language.as_str())
        .field("access", old.access.as_str(), valid.access.as_str())
        .field(
            "access_organisation_id",
            old.access_organisation_id.as_deref(),
            valid.access_organisation_id.as_deref(),
        )
        .field(
            "access_group_id",
            old.access_group_id.as_deref(),
            valid.access_group_id.as_deref(),
        )
        .field(
            "external_url",
            old.external_url.as_deref(),
            valid.external_url.as_deref(),
        )
        .field(
            "file",
            old.file_name.clone(),
            file.as_ref()
                .map(|f| files::safe_filename(&f.filename))
                .or(old.file_name.clone()),
        );
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: organisation.as_deref(),
            entity_type: AUDIT_ENTITY,
            entity_id: id,
            action: "update",
            summary: &format!("Document ‘{}’ gewijzigd", valid.title),
            changes,
        },
    )
    .await?;
    get(&mut **tx, id).await
}

/// Swaps in a checked file: stores it, drops the old one, resets the text and enqueues its
/// extraction. The external link goes (a document has one or the other).
async fn put_file(
    tx: &mut Tx<'_>,
    old: &Document,
    file: &NewFile,
    format: Format,
    actor: &AuditActor,
) -> CoreResult<()> {
    let file_id = store_file(tx, file, format, actor).await?;
    sqlx::query(
        "UPDATE kb_documents SET file_id = $2, file_format = $3, extraction_status = $4,
             extraction_error = NULL, body_text = '', external_url = NULL, updated_by = $5,
             updated_at = $6
         WHERE id = $1",
    )
    .bind(&old.id)
    .bind(&file_id)
    .bind(format_code(format))
    .bind(ExtractionStatus::Wachtend.as_str())
    .bind(actor.user_id.as_deref())
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    if let Some(old_file) = &old.file_id {
        delete_file(tx, old_file).await?;
    }
    enqueue_extraction(tx, &old.id, &file_id, actor).await?;
    Ok(())
}

async fn delete_file(tx: &mut Tx<'_>, file_id: &str) -> CoreResult<()> {
    // Images have their own files; a document's file belongs to that document alone.
    sqlx::query(
        "DELETE FROM kb_files WHERE id = $1
         AND NOT EXISTS (SELECT 1 FROM kb_documents WHERE file_id = $1)
         AND NOT EXISTS (SELECT 1 FROM site_images WHERE file_id = $1)",
    )
    .bind(file_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Gives document `id` a new file (see [`update`], which does this with metadata).
pub async fn replace_file(
    tx: &mut Tx<'_>,
    id: &str,
    file: NewFile,
    actor: &AuditActor,
) -> CoreResult<Document> {
    let format = check_file(&file).map_err(|m| CoreError::invalid("file", &m))?;
    // First, for SQLite's write lock (see `create`).
    index_changes::record_change(tx, Entity::Document, id).await?;
    let old = get(&mut **tx, id).await?;
    put_file(tx, &old, &file, format, actor).await?;
    let organisation = kenniscentrum_in(tx).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: organisation.as_deref(),
            entity_type: AUDIT_ENTITY,
            entity_id: id,
            action: "update",
            summary: &format!("Nieuw bestand voor document ‘{}’", old.title),
            changes: Changes::new().field(
                "file",
                old.file_name.clone(),
                Some(files::safe_filename(&file.filename)),
            ),
        },
    )
    .await?;
    get(&mut **tx, id).await
}

/// Deletes a document and its file (collection entries go with it by the foreign key);
/// returns the document as it was.
pub async fn delete(tx: &mut Tx<'_>, id: &str, actor: &AuditActor) -> CoreResult<Document> {
    // First, for SQLite's write lock (see `create`).
    index_changes::record_change(tx, Entity::Document, id).await?;
    let old = get(&mut **tx, id).await?;
    sqlx::query("DELETE FROM site_featured WHERE target_kind = 'document' AND target_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM kb_documents WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if let Some(file_id) = &old.file_id {
        delete_file(tx, file_id).await?;
    }
    let organisation = kenniscentrum_in(tx).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: organisation.as_deref(),
            entity_type: AUDIT_ENTITY,
            entity_id: id,
            action: "delete",
            summary: &format!("Document ‘{}’ verwijderd uit de Kennisbank", old.title),
            changes: Changes::new()
                .field("title", Some(old.title.as_str()), None)
                .field("file", old.file_name.as_deref(), None),
        },
    )
    .await?;
    Ok(old)
}
