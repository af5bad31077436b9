//! The steps of an import around the job "cijfers.import": [`preview`] reads and checks an
//! upload and keeps it; [`confirm`] queues the job; [`run`] (the job, callable directly)
//! checks again and writes everything in one transaction, or nothing.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::jobs::{self, JobContext, JobError, NewJob, Registry};
use steden_db::Db;

use super::check::{self, Plan, Writer};
use super::{error_texts, file_text, parse, LineError, Options};
use crate::model::{GeoLevel, ImportKind, ImportStatus};
use crate::store::geo::{self, NewGeoItem};
use crate::store::{data_requests, imports, indicators, values};

/// The job kind.
pub const KIND: &str = "cijfers.import";

/// How many planned values a preview shows.
pub const PREVIEW_ROWS: usize = 20;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Payload {
    import_id: String,
}

/// What an upload's preview and its outcome say (kept as the import's report).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub errors: Vec<String>,
    pub values: usize,
    pub new_indicators: Vec<String>,
    /// The first values, as "indicator · place · period: value".
    pub sample: Vec<String>,
    /// When the same file (same checksum) was imported before: when.
    pub repeat_of: Option<i64>,
    /// The file's columns (the mapping screen).
    pub columns: Vec<String>,
    /// The disclosure check of each published indicator the import wrote to (src/gate).
    #[serde(default)]
    pub disclosure: Vec<String>,
}

impl Report {
    pub fn from_json(text: &str) -> Report {
        serde_json::from_str(text).unwrap_or_default()
    }
}

/// The writer of an import made for `organisation_id`: staff when it is the Kenniscentrum.
pub async fn writer_for(db: &Db, organisation_id: &str) -> CoreResult<Writer> {
    let kenniscentrum = crate::access::kenniscentrum_id(db).await?;
    Ok(Writer {
        staff: organisation_id == kenniscentrum,
        organisation_id: organisation_id.to_string(),
    })
}

async fn plan_of(
    db: &Db,
    kind: ImportKind,
    filename: &str,
    text: &str,
    options: &Options,
    writer: &Writer,
) -> CoreResult<Plan> {
    let parsed = parse(kind, filename, text, options);
    let mut conn = db.pool().acquire().await?;
    let mut plan = check::check(&mut conn, &parsed, writer).await?;
    if plan.errors.is_empty() && plan.values.is_empty() && plan.new_indicators.is_empty() {
        plan.errors
            .push(LineError::new(0, "Het bestand bevat geen waarden."));
    }
    Ok(plan)
}

fn report_of(plan: &Plan, columns: Vec<String>, repeat_of: Option<i64>) -> Report {
    Report {
        errors: error_texts(&plan.errors),
        values: plan.values.len(),
        new_indicators: plan.new_indicators.iter().map(|i| i.code.clone()).collect(),
        sample: plan
            .values
            .iter()
            .take(PREVIEW_ROWS)
            .map(|v| {
                format!(
                    "{} · {} {} · {}: {}",
                    v.indicator,
                    v.level.as_str(),
                    v.geo,
                    v.period.code,
                    v.value.map_or("—".to_string(), |x| x.to_string())
                )
            })
            .collect(),
        repeat_of,
        columns,
        disclosure: Vec::new(),
    }
}

/// An upload to preview.
pub struct Upload<'a> {
    pub kind: ImportKind,
    pub filename: &'a str,
    pub bytes: &'a [u8],
    pub options: Options,
    pub organisation_id: &'a str,
    pub created_by: Option<&'a str>,
    /// The joint data request this file was delivered for: the upload is linked to it in the
    /// same transaction that keeps it, so that no delivered file is kept unlinked.
    pub delivered_for: Option<&'a str>,
}

/// Reads and checks an upload, keeps it in status preview and returns its id and report.
/// Nothing but the upload itself (and its link to a data request) is written.
pub async fn preview(db: &Db, upload: &Upload<'_>) -> CoreResult<(String, Report)> {
    let sha256 = hex::encode(Sha256::digest(upload.bytes));
    let writer = writer_for(db, upload.organisation_id).await?;
    let (text, report) = match file_text(upload.bytes, upload.options.decimal_mark) {
        Ok(text) => {
            let parsed = parse(upload.kind, upload.filename, &text, &upload.options);
            let columns = parsed.columns.clone();
            let plan = plan_of(
                db,
                upload.kind,
                upload.filename,
                &text,
                &upload.options,
                &writer,
            )
            .await?;
            let repeat = imports::earlier_with_checksum(db.pool(), &sha256, "").await?;
            (
                text,
                report_of(&plan, columns, repeat.map(|i| i.created_at)),
            )
        }
        Err(reason) => (
            String::new(),
            Report {
                errors: vec![reason],
                ..Report::default()
            },
        ),
    };
    let options =
        serde_json::to_string(&upload.options).map_err(|e| CoreError::Internal(e.into()))?;
    let report_json = serde_json::to_string(&report).map_err(|e| CoreError::Internal(e.into()))?;
    let mut tx = db.begin().await?;
    let id = imports::create(
        &mut *tx,
        &imports::NewImport {
            kind: upload.kind,
            filename: upload.filename,
            sha256: &sha256,
            owner_org_id: upload.organisation_id,
            content: &text,
            options: &options,
            report: &report_json,
            rows_read: report.values as i64,
            created_by: upload.created_by,
        },
    )
    .await?;
    if let Some(request_id) = upload.delivered_for {
        data_requests::add_file(&mut *tx, request_id, &id).await?;
    }
    tx.commit().await?;
    Ok((id, report))
}

/// Reads a kept upload again with new options (the mapping screen) and returns the report.
pub async fn remap(db: &Db, import_id: &str, options: &Options) -> CoreResult<Report> {
    let import = imports::get(db.pool(), import_id).await?;
    let text = imports::content(db.pool(), import_id).await?;
    let owner = import.owner_org_id.clone().unwrap_or_default();
    let writer = writer_for(db, &owner).await?;
    let parsed = parse(import.kind, &import.filename, &text, options);
    let plan = plan_of(db, import.kind, &import.filename, &text, options, &writer).await?;
    let report = report_of(
        &plan,
        parsed.columns,
        Report::from_json(&import.report).repeat_of,
    );
    let options = serde_json::to_string(options).map_err(|e| CoreError::Internal(e.into()))?;
    let report_json = serde_json::to_string(&report).map_err(|e| CoreError::Internal(e.into()))?;
    imports::set_options(
        db.pool(),
        import_id,
        &options,
        &report_json,
        report.values as i64,
    )
    .await?;
    Ok(report)
}

/// Queues the job for a previewed upload without errors; returns the job's id.
pub async fn confirm(db: &Db, import_id: &str, actor: &AuditActor) -> CoreResult<String> {
    let import = imports::get(db.pool(), import_id).await?;
    if import.status != ImportStatus::Preview {
        return Err(CoreError::Conflict("Dit bestand is al bevestigd.".into()));
    }
    if !Report::from_json(&import.report).errors.is_empty() {
        return Err(CoreError::invalid(
            "file",
            "Het bestand heeft fouten; er wordt niets geïmporteerd.",
        ));
    }
    let mut tx = db.begin().await?;
    let mut job = NewJob::new(KIND, serde_json::json!({ "import_id": import_id }));
    if let Some(user) = &actor.user_id {
        job = job.created_by(user.clone());
    }
    if let Some(org) = &import.owner_org_id {
        job = job.organisation(org.clone());
    }
    let job_id = jobs::enqueue_tx(&mut tx, job).await?;
    if !imports::mark_queued(&mut *tx, import_id, &job_id).await? {
        return Err(CoreError::Conflict("Dit bestand is al bevestigd.".into()));
    }
    audit::record(
        &mut tx,
        NewEntry {
            actor,
            organisation_id: import.owner_org_id.as_deref(),
            entity_type: "cijfers_import",
            entity_id: import_id,
            action: "confirm",
            summary: &format!("Import van {} bevestigd", import.filename),
            changes: Changes::new(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(job_id)
}

/// Registers the job.
pub fn register(registry: &mut Registry) {
    registry.register(KIND, |ctx: JobContext, payload| async move {
        let payload: Payload = serde_json::from_value(payload)?;
        let actor = ctx
            .created_by()
            .map_or_else(AuditActor::system, AuditActor::user);
        let progress = |done: i64, total: i64, message: String| {
            let ctx = ctx.clone();
            async move { ctx.progress(done, total, &message).await }
        };
        run(ctx.db(), &payload.import_id, &actor, progress)
            .await
            .map(|_| ())
    });
}

fn core_error(err: CoreError) -> JobError {
    match err {
        CoreError::Database(e) => JobError::from(e),
        other => JobError::permanent(other.to_string()),
    }
}

/// Writes a kept upload: checks it again (what the platform knows may have changed since the
/// preview) and writes every value in one transaction. Returns how many values were written.
/// A file with errors writes nothing and the upload is marked failed with the report.
pub async fn run<P, F>(
    db: &Db,
    import_id: &str,
    actor: &AuditActor,
    progress: P,
) -> Result<usize, JobError>
where
    P: Fn(i64, i64, String) -> F,
    F: std::future::Future<Output = Result<(), JobError>>,
{
    let import = imports::find(db.pool(), import_id)
        .await
        .map_err(core_error)?
        .ok_or_else(|| JobError::permanent("het importbestand bestaat niet meer"))?;
    if import.status == ImportStatus::Done {
        return Ok(import.values_written as usize);
    }
    progress(0, 3, "Bestand lezen".into()).await?;
    let text = imports::content(db.pool(), import_id)
        .await
        .map_err(core_error)?;
    let options: Options = serde_json::from_str(&import.options).unwrap_or_default();
    let owner = import.owner_org_id.clone().unwrap_or_default();
    let writer = writer_for(db, &owner).await.map_err(core_error)?;
    let plan = plan_of(db, import.kind, &import.filename, &text, &options, &writer)
        .await
        .map_err(core_error)?;
    let previous = Report::from_json(&import.report);
    let mut report = report_of(&plan, previous.columns, previous.repeat_of);
    if !plan.errors.is_empty() {
        let json = serde_json::to_string(&report)?;
        imports::finish(db.pool(), import_id, ImportStatus::Failed, &json, 0)
            .await
            .map_err(core_error)?;
        return Err(JobError::permanent(report.errors.join(" ")));
    }
    progress(1, 3, "Waarden schrijven".into()).await?;
    let (written, disclosure) = write(db, import_id, &import.filename, &plan, &writer, actor)
        .await
        .map_err(core_error)?;
    report.values = written;
    report.disclosure = disclosure;
    let json = serde_json::to_string(&report)?;
    imports::finish(
        db.pool(),
        import_id,
        ImportStatus::Done,
        &json,
        written as i64,
    )
    .await
    .map_err(core_error)?;
    progress(3, 3, "Klaar".into()).await?;
    Ok(written)
}

async fn write(
    db: &Db,
    import_id: &str,
    filename: &str,
    plan: &Plan,
    writer: &Writer,
    actor: &AuditActor,
) -> CoreResult<(usize, Vec<String>)> {
    let mut tx = db.begin().await?;
    for fields in &plan.new_indicators {
        indicators::create(&mut tx, fields, writer.new_owner(), actor).await?;
    }
    for (code, municipality) in &plan.new_rest_sectors {
        let name = format!("Overige sectoren van {municipality}");
        geo::ensure(
            &mut tx,
            GeoLevel::Sector,
            &NewGeoItem {
                code,
                name: &name,
                municipality_code: Some(municipality),
                ..NewGeoItem::default()
            },
        )
        .await?;
    }
    let mut indicator_ids: HashMap<String, String> = HashMap::new();
    let mut geo_ids: HashMap<(GeoLevel, String), String> = HashMap::new();
    let mut period_ids: HashMap<String, String> = HashMap::new();
    for value in &plan.values {
        if !indicator_ids.contains_key(&value.indicator) {
            let indicator = indicators::get_by_code(&mut *tx, &value.indicator).await?;
            indicator_ids.insert(value.indicator.clone(), indicator.id);
        }
        let geo_key = (value.level, value.geo.clone());
        if !geo_ids.contains_key(&geo_key) {
            let item = geo::find(&mut *tx, value.level, &value.geo)
                .await?
                .ok_or(CoreError::NotFound("gebied"))?;
            geo_ids.insert(geo_key.clone(), item.id);
        }
        if !period_ids.contains_key(&value.period.code) {
            let id = values::ensure_period(&mut tx, &value.period).await?;
            period_ids.insert(value.period.code.clone(), id);
        }
        let (Some(indicator_id), Some(geo_item_id), Some(period_id)) = (
            indicator_ids.get(&value.indicator),
            geo_ids.get(&geo_key),
            period_ids.get(&value.period.code),
        ) else {
            continue;
        };
        values::upsert(
            &mut tx,
            &values::NewValue {
                indicator_id,
                geo_item_id,
                period_id,
                value: value.value,
                status: value.status,
                import_id: Some(import_id),
            },
        )
        .await?;
    }
    // The disclosure gate, in the import's transaction: a published indicator is checked on
    // its new values before anyone sees them; when the check fails the values stay written
    // and the indicator is hidden until a new check passes (docs/CIJFERS.md, "The gate").
    let mut disclosure = Vec::new();
    let mut touched: Vec<&String> = indicator_ids.keys().collect();
    touched.sort();
    for code in touched {
        let indicator = indicators::get_by_code(&mut *tx, code).await?;
        if indicator.published {
            let check =
                crate::gate::run(&mut tx, &indicator, actor, crate::gate::Trigger::Import).await?;
            disclosure.push(format!("{code}: {}", check.summary));
        } else {
            crate::store::disclosure::mark_unchecked(&mut tx, &indicator.id).await?;
        }
    }
    audit::record(
        &mut tx,
        NewEntry {
            actor,
            organisation_id: Some(writer.organisation_id.as_str()),
            entity_type: "cijfers_import",
            entity_id: import_id,
            action: "import",
            summary: &format!("{} waarden geïmporteerd uit {filename}", plan.values.len()),
            changes: Changes::new(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((plan.values.len(), disclosure))
}
