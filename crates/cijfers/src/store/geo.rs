//! Places (regions, provinces, municipalities, wijken, statistical sectors), wijken as sets of
//! sectors, and the REFNIS crosswalk of merged municipalities.

use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

use crate::aggregate::CrosswalkLine;
use crate::model::{GeoItem, GeoLevel};

const COLUMNS: &str =
    "id, level, code, name, municipality_code, valid_from, valid_to, owner_org_id";

fn from_row(row: &AnyRow) -> GeoItem {
    let level: String = row.get("level");
    GeoItem {
        id: row.get("id"),
        level: GeoLevel::parse(&level).unwrap_or(GeoLevel::Sector),
        code: row.get("code"),
        name: row.get("name"),
        municipality_code: row.get("municipality_code"),
        valid_from: row.get("valid_from"),
        valid_to: row.get("valid_to"),
        owner_org_id: row.get("owner_org_id"),
    }
}

/// A place to make (or find) at one level.
#[derive(Debug, Clone, Default)]
pub struct NewGeoItem<'a> {
    pub code: &'a str,
    pub name: &'a str,
    /// The REFNIS code of the municipality a wijk or sector lies in.
    pub municipality_code: Option<&'a str>,
    pub valid_from: Option<&'a str>,
    pub valid_to: Option<&'a str>,
    /// The city that defines a wijk.
    pub owner_org_id: Option<&'a str>,
}

/// The id of the place `level`/`code`, made when missing (its name and dates are then as
/// given; an existing place keeps its own).
pub async fn ensure(tx: &mut Tx<'_>, level: GeoLevel, item: &NewGeoItem<'_>) -> CoreResult<String> {
    if let Some(found) = find(&mut **tx, level, item.code).await? {
        return Ok(found.id);
    }
    if item.code.trim().is_empty() || item.code.len() > 40 {
        return Err(CoreError::invalid(
            "code",
            "Een gebiedscode heeft 1 tot 40 tekens.",
        ));
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO cijfers_geo_items (id, level, code, name, municipality_code, valid_from,
             valid_to, owner_org_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(level.as_str())
    .bind(item.code.trim())
    .bind(item.name.trim())
    .bind(item.municipality_code)
    .bind(item.valid_from)
    .bind(item.valid_to)
    .bind(item.owner_org_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// The place `level`/`code`, if any.
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    level: GeoLevel,
    code: &str,
) -> CoreResult<Option<GeoItem>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM cijfers_geo_items WHERE level = $1 AND code = $2"
    ))
    .bind(level.as_str())
    .bind(code.trim())
    .fetch_optional(exec)
    .await?;
    Ok(row.as_ref().map(from_row))
}

/// Every place at `level`, by code.
pub async fn list_level<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    level: GeoLevel,
) -> CoreResult<Vec<GeoItem>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM cijfers_geo_items WHERE level = $1 ORDER BY code"
    ))
    .bind(level.as_str())
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// The wijken of the municipality `municipality_code`, by code.
pub async fn list_wijken<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    municipality_code: &str,
) -> CoreResult<Vec<GeoItem>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM cijfers_geo_items WHERE level = 'wijk' AND municipality_code = $1
         ORDER BY code"
    ))
    .bind(municipality_code)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// Makes wijk `wijk_id` the set of `sector_codes` (replacing its earlier set). Every sector
/// must exist and lie in the wijk's municipality; otherwise nothing changes.
pub async fn set_wijk_sectors(
    tx: &mut Tx<'_>,
    wijk: &GeoItem,
    sector_codes: &[&str],
    actor: &AuditActor,
) -> CoreResult<()> {
    let mut ids = Vec::new();
    let mut problems = Vec::new();
    for code in sector_codes {
        match find(&mut **tx, GeoLevel::Sector, code).await? {
            Some(sector) if sector.municipality_code == wijk.municipality_code => {
                ids.push(sector.id)
            }
            Some(_) => problems.push(format!(
                "Sector {code} ligt niet in de gemeente van de wijk."
            )),
            None => problems.push(format!("Sector {code} is onbekend.")),
        }
    }
    if !problems.is_empty() {
        return Err(CoreError::invalid("sectors", &problems.join(" ")));
    }
    sqlx::query("DELETE FROM cijfers_wijk_sectors WHERE wijk_id = $1")
        .bind(&wijk.id)
        .execute(&mut **tx)
        .await?;
    for id in &ids {
        sqlx::query("INSERT INTO cijfers_wijk_sectors (wijk_id, sector_id) VALUES ($1, $2)")
            .bind(&wijk.id)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: wijk.owner_org_id.as_deref(),
            entity_type: "cijfers_wijk",
            entity_id: &wijk.id,
            action: "update",
            summary: &format!("Sectoren van wijk {} vastgelegd", wijk.name),
            changes: Changes::new().created("sectors", sector_codes.join(",")),
        },
    )
    .await?;
    Ok(())
}

/// The codes of the sectors wijk `wijk_id` is made of, by code.
pub async fn wijk_sector_codes<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    wijk_id: &str,
) -> CoreResult<Vec<String>> {
    let rows = sqlx::query(
        "SELECT s.code FROM cijfers_wijk_sectors w JOIN cijfers_geo_items s ON s.id = w.sector_id
         WHERE w.wijk_id = $1 ORDER BY s.code",
    )
    .bind(wijk_id)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}

/// Records that `old_code` is part of `new_code` from `valid_from` on (again: nothing changes).
pub async fn add_crosswalk(
    tx: &mut Tx<'_>,
    old_code: &str,
    new_code: &str,
    valid_from: &str,
) -> CoreResult<()> {
    if chrono::NaiveDate::parse_from_str(valid_from, "%Y-%m-%d").is_err() {
        return Err(CoreError::invalid(
            "valid_from",
            "Geef de datum als JJJJ-MM-DD.",
        ));
    }
    sqlx::query(
        "INSERT INTO cijfers_refnis_crosswalk (old_code, new_code, valid_from) VALUES ($1, $2, $3)
         ON CONFLICT (old_code, new_code) DO NOTHING",
    )
    .bind(old_code)
    .bind(new_code)
    .bind(valid_from)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The whole crosswalk.
pub async fn crosswalk<'e, E: Executor<'e, Database = Any>>(
    exec: E,
) -> CoreResult<Vec<CrosswalkLine>> {
    let rows = sqlx::query(
        "SELECT old_code, new_code, valid_from FROM cijfers_refnis_crosswalk
         ORDER BY new_code, old_code",
    )
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| CrosswalkLine {
            old_code: row.get(0),
            new_code: row.get(1),
            valid_from: row.get(2),
        })
        .collect())
}
