//! Geometry uploads: the display geometry of a checked file, kept between its preview and the
//! confirmation, and the confirmation itself, which writes the geometry onto the places.

use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

use crate::model::GeoLevel;

/// An upload as stored (without its features).
#[derive(Debug, Clone, PartialEq)]
pub struct GeoUpload {
    pub id: String,
    pub level: GeoLevel,
    pub municipality_code: String,
    pub filename: String,
    pub sha256: String,
    pub source_epsg: i64,
    pub owner_org_id: Option<String>,
    /// `preview` or `done`.
    pub status: String,
    /// JSON, see `maps::upload::UploadReport`.
    pub report: String,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

const COLUMNS: &str = "id, level, municipality_code, filename, sha256, source_epsg, \
    owner_org_id, status, report, created_by, created_at, finished_at";

fn from_row(row: &AnyRow) -> GeoUpload {
    let level: String = row.get("level");
    GeoUpload {
        id: row.get("id"),
        level: GeoLevel::parse(&level).unwrap_or(GeoLevel::Sector),
        municipality_code: row.get("municipality_code"),
        filename: row.get("filename"),
        sha256: row.get("sha256"),
        source_epsg: row.get("source_epsg"),
        owner_org_id: row.get("owner_org_id"),
        status: row.get("status"),
        report: row.get("report"),
        created_by: row.get("created_by"),
        created_at: row.get("created_at"),
        finished_at: row.get("finished_at"),
    }
}

/// A new upload in status preview.
pub struct NewGeoUpload<'a> {
    pub level: GeoLevel,
    pub municipality_code: &'a str,
    pub filename: &'a str,
    pub sha256: &'a str,
    pub source_epsg: i64,
    pub owner_org_id: &'a str,
    pub features: &'a str,
    pub report: &'a str,
    pub created_by: Option<&'a str>,
}

/// Keeps a checked upload for its preview. Nothing the public or the places see changes: the
/// audit entry comes with the confirmation, which is the write.
pub async fn create<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    new: &NewGeoUpload<'_>,
) -> CoreResult<String> {
    let id = new_id();
    let filename: String = new.filename.chars().take(200).collect();
    sqlx::query(
        "INSERT INTO cijfers_geo_uploads (id, level, municipality_code, filename, sha256,
             source_epsg, owner_org_id, status, features, report, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'preview', $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(new.level.as_str())
    .bind(new.municipality_code)
    .bind(filename)
    .bind(new.sha256)
    .bind(new.source_epsg)
    .bind(new.owner_org_id)
    .bind(new.features)
    .bind(new.report)
    .bind(new.created_by)
    .bind(now_ms())
    .execute(exec)
    .await?;
    Ok(id)
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: &str,
) -> CoreResult<Option<GeoUpload>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM cijfers_geo_uploads WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(exec)
    .await?;
    Ok(row.as_ref().map(from_row))
}

/// The latest uploads, of one organisation or (None, for staff) of all.
pub async fn list<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    owner_org_id: Option<&str>,
    limit: i64,
) -> CoreResult<Vec<GeoUpload>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM cijfers_geo_uploads WHERE ($1 = '' OR owner_org_id = $1)
         ORDER BY created_at DESC, id LIMIT $2"
    ))
    .bind(owner_org_id.unwrap_or(""))
    .bind(limit)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// The kept features (JSON) of an upload.
pub async fn features<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: &str,
) -> CoreResult<String> {
    let row = sqlx::query("SELECT features FROM cijfers_geo_uploads WHERE id = $1")
        .bind(id)
        .fetch_optional(exec)
        .await?
        .ok_or(CoreError::NotFound("upload"))?;
    Ok(row.get(0))
}

/// A place as an upload's check needs it: its municipality and owner.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceRef {
    pub code: String,
    pub municipality_code: Option<String>,
    pub owner_org_id: Option<String>,
}

/// Every place at `level` (code, municipality, owner), for checking a file's codes at once.
pub async fn places<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    level: GeoLevel,
) -> CoreResult<Vec<PlaceRef>> {
    let rows = sqlx::query(
        "SELECT code, municipality_code, owner_org_id FROM cijfers_geo_items WHERE level = $1",
    )
    .bind(level.as_str())
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| PlaceRef {
            code: row.get(0),
            municipality_code: row.get(1),
            owner_org_id: row.get(2),
        })
        .collect())
}

/// Writes the geometry of each (code, display GeoJSON text) onto the place `level`/`code` and
/// marks the upload done, in the caller's transaction. A place that no longer exists or an
/// upload confirmed already fails the whole write (the caller rolls back).
pub async fn apply(
    tx: &mut Tx<'_>,
    upload: &GeoUpload,
    geometry: &[(String, String)],
    actor: &AuditActor,
) -> CoreResult<usize> {
    let marked = sqlx::query(
        "UPDATE cijfers_geo_uploads SET status = 'done', finished_at = $2
         WHERE id = $1 AND status = 'preview'",
    )
    .bind(&upload.id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    if marked.rows_affected() != 1 {
        return Err(CoreError::Conflict("Dit bestand is al bevestigd.".into()));
    }
    for (code, text) in geometry {
        let done = sqlx::query(
            "UPDATE cijfers_geo_items SET geometry = $1 WHERE level = $2 AND code = $3",
        )
        .bind(text)
        .bind(upload.level.as_str())
        .bind(code)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(CoreError::invalid(
                "bestand",
                &format!("Gebied {code} bestaat niet meer; er is niets opgeslagen."),
            ));
        }
    }
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: upload.owner_org_id.as_deref(),
            entity_type: "cijfers_geo_upload",
            entity_id: &upload.id,
            action: "update",
            summary: &format!(
                "Geometrie van {} gebieden ({}) opgeslagen uit {}",
                geometry.len(),
                upload.level.as_str(),
                upload.filename
            ),
            changes: Changes::new().created("sha256", upload.sha256.clone()),
        },
    )
    .await?;
    Ok(geometry.len())
}

/// An area of a map: its code, name and stored display geometry.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPlace {
    pub code: String,
    pub name: String,
    pub geometry: String,
}

/// The places at `level` in municipality `municipality_code` that have geometry, by code.
pub async fn map_places<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    level: GeoLevel,
    municipality_code: &str,
) -> CoreResult<Vec<MapPlace>> {
    let rows = sqlx::query(
        "SELECT code, name, geometry FROM cijfers_geo_items
         WHERE level = $1 AND municipality_code = $2 AND geometry IS NOT NULL ORDER BY code",
    )
    .bind(level.as_str())
    .bind(municipality_code)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| MapPlace {
            code: row.get(0),
            name: row.get(1),
            geometry: row.get(2),
        })
        .collect())
}

/// The municipalities (code, name) that have wijken or sectors with geometry, by name.
pub async fn municipalities_with_maps<'e, E: Executor<'e, Database = Any>>(
    exec: E,
) -> CoreResult<Vec<(String, String)>> {
    let rows = sqlx::query(
        "SELECT DISTINCT m.code, m.name FROM cijfers_geo_items g
         JOIN cijfers_geo_items m ON m.level = 'gemeente' AND m.code = g.municipality_code
         WHERE g.level IN ('wijk', 'sector') AND g.geometry IS NOT NULL ORDER BY m.name",
    )
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
}

/// The codes of the places at `level` in `municipality_code` whose value of the published
/// indicator `indicator_code` in `period` is suppressed. Only the codes: the value itself is
/// never read for the public, so a map cannot show it.
pub async fn suppressed_codes<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    indicator_code: &str,
    level: GeoLevel,
    municipality_code: &str,
    period: &str,
) -> CoreResult<Vec<String>> {
    let rows = sqlx::query(
        "SELECT g.code FROM cijfers_values v
         JOIN cijfers_indicators i ON i.id = v.indicator_id
         JOIN cijfers_geo_items g ON g.id = v.geo_item_id
         JOIN cijfers_periods p ON p.id = v.period_id
         WHERE i.code = $1 AND i.published = 1 AND v.status = 'suppressed'
           AND g.level = $2 AND g.municipality_code = $3 AND p.code = $4 ORDER BY g.code",
    )
    .bind(indicator_code)
    .bind(level.as_str())
    .bind(municipality_code)
    .bind(period)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}

/// The period codes (oldest first) in which a place at `level` in `municipality_code` has a
/// value of the published indicator, suppressed ones included (their cells say "geheim").
pub async fn map_periods<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    indicator_code: &str,
    level: GeoLevel,
    municipality_code: &str,
) -> CoreResult<Vec<String>> {
    let rows = sqlx::query(
        "SELECT DISTINCT p.code, p.starts_on FROM cijfers_values v
         JOIN cijfers_indicators i ON i.id = v.indicator_id
         JOIN cijfers_geo_items g ON g.id = v.geo_item_id
         JOIN cijfers_periods p ON p.id = v.period_id
         WHERE i.code = $1 AND i.published = 1 AND g.level = $2 AND g.municipality_code = $3
         ORDER BY p.starts_on",
    )
    .bind(indicator_code)
    .bind(level.as_str())
    .bind(municipality_code)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}
