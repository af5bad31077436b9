//! One line of an import: its file, its key, its fields, and the write through the document
//! store's own `create` and `update` (so every check of a document made by hand applies to an
//! imported one), with the import key in the same transaction. A refused line rolls back:
//! nothing of it is written.

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use steden_core::audit::AuditActor;
use steden_core::{CoreError, FieldError};
use steden_db::Db;

use super::limits::Limits;
use super::metadata::{list, Column, Row};
use super::source::{safe_path, Source};
use crate::model::documents::{DocumentFields, NewFile};
use crate::model::imports::{LineReport, Outcome};
use crate::model::{Access, DocType};
use crate::store::{documents, files, imports};

/// Organisations and working groups by id, slug and name (lower case), read once per import.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    organisations: HashMap<String, String>,
    groups: HashMap<String, String>,
}

impl Directory {
    pub async fn load(db: &Db) -> Result<Directory, CoreError> {
        let mut directory = Directory::default();
        for org in steden_core::org::list(db.pool()).await? {
            for name in [&org.id, &org.slug, &org.name] {
                directory
                    .organisations
                    .insert(name.to_lowercase(), org.id.clone());
            }
        }
        for group in steden_core::working_group::list(db.pool()).await? {
            for name in [&group.id, &group.slug, &group.name] {
                directory
                    .groups
                    .insert(name.to_lowercase(), group.id.clone());
            }
        }
        Ok(directory)
    }

    fn organisation(&self, name: &str) -> Result<String, String> {
        self.organisations
            .get(&name.trim().to_lowercase())
            .cloned()
            .ok_or_else(|| format!("Onbekende organisatie ‘{name}’."))
    }

    fn group(&self, name: &str) -> Result<String, String> {
        self.groups
            .get(&name.trim().to_lowercase())
            .cloned()
            .ok_or_else(|| format!("Onbekende werkgroep ‘{name}’."))
    }
}

/// What the import keeps between lines: the keys seen so far (a key twice in one import is
/// a mistake in the CSV, refused on its second line).
#[derive(Debug, Default)]
pub struct Seen {
    keys: HashMap<String, usize>,
}

/// The Dutch column of a document field, for reasons.
fn column_of(field: &str) -> &str {
    match field {
        "title" => "titel",
        "summary" => "samenvatting",
        "doc_type" => "soort",
        "programme" => "programma",
        "werkspoor" => "werkspoor",
        "themes" => "themas",
        "organisations" => "organisaties",
        "period" => "periode",
        "doc_date" => "datum",
        "language" => "taal",
        "access" => "toegang",
        "access_organisation_id" => "toegang_organisatie",
        "access_group_id" => "toegang_werkgroep",
        "external_url" => "webadres",
        "file" => "bestand",
        other => other,
    }
}

/// The reasons of a refused write, one sentence per field.
pub fn reasons(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", column_of(&e.field), e.message))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A title from a file name: "jaarverslag_2019-klimaat.pdf" → "jaarverslag 2019-klimaat".
fn title_from(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    stem.replace('_', " ").trim().to_string()
}

/// The line made ready: fields, file and key; or the reason it is refused.
struct Prepared {
    key: String,
    fields: DocumentFields,
    file: Option<NewFile>,
    file_sha: Option<String>,
    fingerprint: String,
}

fn prepare(
    row: &Row,
    source: &mut Source,
    directory: &Directory,
    limits: &Limits,
) -> Result<Prepared, String> {
    let path = row
        .optional(Column::File)
        .map(|p| safe_path(&p))
        .transpose()?;
    let url = row.optional(Column::Url);
    let file = match &path {
        Some(path) => Some(NewFile {
            filename: path.rsplit('/').next().unwrap_or(path).to_string(),
            bytes: source.read(path, limits)?,
        }),
        None => None,
    };
    let file_sha = file.as_ref().map(|f| hex::encode(Sha256::digest(&f.bytes)));
    let key = match (row.optional(Column::Key), &file_sha, &url) {
        (Some(key), _, _) => format!("sleutel:{key}"),
        (None, Some(sha), _) => format!("sha256:{sha}"),
        (None, None, Some(url)) => format!("webadres:{url}"),
        (None, None, None) => {
            return Err("Geef een bestand of een webadres.".to_string());
        }
    };
    let mut title = row.get(Column::Title).to_string();
    if title.is_empty() {
        if let Some(path) = &path {
            title = title_from(path);
        }
    }
    let doc_type = match row.get(Column::Type).to_lowercase() {
        t if !t.is_empty() => t,
        // A line with only a link is a link; a file without a type a report.
        _ if file.is_none() => DocType::Link.as_str().to_string(),
        _ => DocType::Rapport.as_str().to_string(),
    };
    let access = match row.get(Column::Access).to_lowercase() {
        // Members only unless the CSV says otherwise: opening up is an editor's choice.
        a if a.is_empty() => Access::Leden.as_str().to_string(),
        a => a,
    };
    let organisations = list(row.get(Column::Organisations))
        .iter()
        .map(|o| directory.organisation(o))
        .collect::<Result<Vec<_>, _>>()?;
    let access_organisation_id = row
        .optional(Column::AccessOrganisation)
        .map(|o| directory.organisation(&o))
        .transpose()?;
    let access_group_id = row
        .optional(Column::AccessGroup)
        .map(|g| directory.group(&g))
        .transpose()?;
    // `..Default::default()`: fields added to a document later keep their defaults here.
    #[allow(clippy::needless_update)]
    let fields = DocumentFields {
        title,
        summary: row.get(Column::Summary).to_string(),
        doc_type,
        programme: row.optional(Column::Programme),
        werkspoor: row.optional(Column::Werkspoor),
        themes: list(row.get(Column::Themes)),
        organisations,
        period: row.optional(Column::Period),
        doc_date: row.optional(Column::Date),
        language: row.get(Column::Language).to_lowercase(),
        access,
        access_organisation_id,
        access_group_id,
        external_url: if file.is_some() { None } else { url },
        ..DocumentFields::default()
    };
    let fingerprint = fingerprint(&fields, file_sha.as_deref());
    Ok(Prepared {
        key,
        fields,
        file,
        file_sha,
        fingerprint,
    })
}

/// A hash of what the line asks for: the same hash again means nothing changed.
fn fingerprint(fields: &DocumentFields, file_sha: Option<&str>) -> String {
    let value = serde_json::json!([
        fields.title,
        fields.summary,
        fields.doc_type,
        fields.programme,
        fields.werkspoor,
        fields.themes,
        fields.organisations,
        fields.period,
        fields.doc_date,
        fields.language,
        fields.access,
        fields.access_organisation_id,
        fields.access_group_id,
        fields.external_url,
        file_sha,
    ]);
    hex::encode(Sha256::digest(value.to_string().as_bytes()))
}

/// A refused line.
pub fn refused(line: usize, file: Option<String>, title: String, reason: String) -> LineReport {
    LineReport {
        line,
        key: None,
        file,
        title,
        outcome: Outcome::Geweigerd,
        document_id: None,
        reason: Some(reason),
    }
}

/// Imports one line. `Err` only for trouble that is not the line's (the database): the import
/// stops there; everything the line itself gets wrong is its "geweigerd" with a reason.
pub async fn apply(
    db: &Db,
    row: &Row,
    source: &mut Source,
    directory: &Directory,
    limits: &Limits,
    seen: &mut Seen,
    actor: &AuditActor,
) -> Result<LineReport, CoreError> {
    let file_cell = row.optional(Column::File);
    let prepared = match prepare(row, source, directory, limits) {
        Ok(prepared) => prepared,
        Err(reason) => {
            return Ok(refused(
                row.line,
                file_cell,
                row.get(Column::Title).to_string(),
                reason,
            ))
        }
    };
    let mut report = LineReport {
        line: row.line,
        key: Some(prepared.key.clone()),
        file: file_cell,
        title: prepared.fields.title.clone(),
        outcome: Outcome::Geweigerd,
        document_id: None,
        reason: None,
    };
    if let Some(first) = seen.keys.get(&prepared.key) {
        report.reason = Some(format!(
            "Dezelfde sleutel als regel {first} van deze import: geweigerd."
        ));
        return Ok(report);
    }
    seen.keys.insert(prepared.key.clone(), row.line);
    // Twice at most: when another import creates the same key between our read and our
    // write, the second round finds its document and updates it instead.
    for _ in 0..2 {
        match write(db, &prepared, actor).await? {
            Written::Done(outcome, document_id) => {
                report.outcome = outcome;
                report.document_id = Some(document_id);
                return Ok(report);
            }
            Written::Refused(reason) => {
                report.reason = Some(reason);
                return Ok(report);
            }
            Written::KeyTaken => continue,
        }
    }
    report.reason = Some("Tegelijk door een andere import geschreven; probeer opnieuw.".into());
    Ok(report)
}

enum Written {
    Done(Outcome, String),
    Refused(String),
    KeyTaken,
}

/// The line's one transaction. Reads go first, outside it (on SQLite a transaction must write
/// before it reads: see `store::documents::create`).
async fn write(db: &Db, prepared: &Prepared, actor: &AuditActor) -> Result<Written, CoreError> {
    let existing = match imports::find_key(db.pool(), &prepared.key).await? {
        Some(record) => documents::find(db.pool(), &record.document_id)
            .await?
            .map(|doc| (record, doc)),
        None => None,
    };
    if let Some((record, _)) = &existing {
        if record.fingerprint == prepared.fingerprint {
            return Ok(Written::Done(
                Outcome::Ongewijzigd,
                record.document_id.clone(),
            ));
        }
    }
    // The same bytes as the document's file: not stored again (nor read again).
    let file = match (&existing, &prepared.file) {
        (Some((_, doc)), Some(file)) => {
            let current = match &doc.file_id {
                Some(id) => files::find(db.pool(), id).await?.map(|f| f.sha256),
                None => None,
            };
            (current.as_deref() != prepared.file_sha.as_deref()).then(|| file.clone())
        }
        (_, file) => file.clone(),
    };
    let mut tx = db.begin().await?;
    let result = match &existing {
        Some((_, doc)) => documents::update(&mut tx, &doc.id, &prepared.fields, file, actor)
            .await
            .map(|doc| (Outcome::Bijgewerkt, doc.id)),
        None => documents::create(&mut tx, &prepared.fields, file, actor)
            .await
            .map(|doc| (Outcome::Aangemaakt, doc.id)),
    };
    let (outcome, document_id) = match result {
        Ok(done) => done,
        Err(CoreError::Invalid(errors)) => {
            tx.rollback().await?;
            return Ok(Written::Refused(reasons(&errors)));
        }
        Err(CoreError::Conflict(message)) => {
            tx.rollback().await?;
            return Ok(Written::Refused(message));
        }
        Err(CoreError::NotFound(_)) => {
            // Deleted between our read and the update: a new round creates it again.
            tx.rollback().await?;
            return Ok(Written::KeyTaken);
        }
        Err(other) => return Err(other),
    };
    let key_written = match &existing {
        Some(_) => imports::put_key(&mut tx, &prepared.key, &document_id, &prepared.fingerprint)
            .await
            .map(|()| true),
        None => {
            imports::claim_key(&mut tx, &prepared.key, &document_id, &prepared.fingerprint).await
        }
    };
    match key_written {
        Ok(true) => {
            tx.commit().await?;
            Ok(Written::Done(outcome, document_id))
        }
        Ok(false) => {
            tx.rollback().await?;
            Ok(Written::KeyTaken)
        }
        Err(e) => Err(e),
    }
}
