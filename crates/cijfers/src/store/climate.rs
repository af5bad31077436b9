//! The climate dashboard's own tables (migration 0008): emission factors as dated parameters
//! per energy carrier, and the cities' targets; and the public read of a city's climate
//! figures, which are ordinary indicator values (`crate::climate::energy_code`).
//!
//! Writes take a transaction, check every field at once (Dutch messages, nothing written on an
//! error) and record their audit entry; the caller has checked the permission
//! (`access::require_manage_climate_factors`, `access::require_manage_climate_target`).

use std::collections::BTreeMap;

use sqlx::any::AnyRow;
use sqlx::{Any, AnyPool, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::{CoreResult, FieldError};
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

use crate::climate::{
    mwh_per_unit, overlaps, parse_energy_code, Carrier, Energy, Factor, Target, CHARGE_POINTS,
    ENERGY_PREFIX, PV_PRODUCTION,
};
use crate::model::GeoLevel;
use crate::store::{indicators, values};

/// A factor's form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactorFields {
    pub carrier: String,
    /// kg CO2 per kWh, with a decimal comma or point.
    pub kg_co2_per_kwh: String,
    /// A date (dd/mm/jjjj or jjjj-mm-dd).
    pub valid_from: String,
    /// A date, or empty: still valid.
    pub valid_until: String,
    pub source: String,
    pub source_url: String,
}

/// A target's form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetFields {
    /// The municipality's REFNIS code.
    pub place_code: String,
    pub label: String,
    pub base_year: String,
    pub target_year: String,
    pub reduction_pct: String,
    pub source: String,
}

/// A number as typed, with a decimal comma or point.
pub fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim().replace(' ', "");
    let normal = if text.contains(',') {
        text.replace('.', "").replace(',', ".")
    } else {
        text
    };
    normal.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn date(errors: &mut Vec<FieldError>, field: &str, text: &str) -> Option<String> {
    match steden_core::time::parse_date(text) {
        Some(d) => Some(d.format("%Y-%m-%d").to_string()),
        None => {
            errors.push(FieldError::new(
                field,
                "Dit is geen datum. Schrijf ze als dd/mm/jjjj.",
            ));
            None
        }
    }
}

/// The date as the pages show it, dd/mm/jjjj.
pub fn show_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(steden_core::time::format_naive_date)
        .unwrap_or_else(|_| iso.to_string())
}

impl FactorFields {
    /// The fields of a stored factor, as the form shows them.
    pub fn of(factor: &Factor) -> FactorFields {
        FactorFields {
            carrier: factor.carrier.as_str().into(),
            kg_co2_per_kwh: factor.kg_co2_per_kwh.to_string().replace('.', ","),
            valid_from: show_date(&factor.valid_from),
            valid_until: factor
                .valid_until
                .as_deref()
                .map(show_date)
                .unwrap_or_default(),
            source: factor.source.clone(),
            source_url: factor.source_url.clone(),
        }
    }

    /// Every problem at once, in Dutch, or the factor (id and demo left empty).
    pub fn check(&self) -> Result<Factor, Vec<FieldError>> {
        let mut errors = Vec::new();
        let carrier = Carrier::parse(&self.carrier);
        if carrier.is_none() {
            errors.push(FieldError::new(
                "carrier",
                "Kies een energiedrager uit de lijst.",
            ));
        }
        let kg = parse_number(&self.kg_co2_per_kwh).filter(|v| (0.0..=5.0).contains(v));
        if kg.is_none() {
            errors.push(FieldError::new(
                "kg_co2_per_kwh",
                "Geef de emissiefactor als getal tussen 0 en 5 kg CO2 per kWh, bijvoorbeeld 0,202.",
            ));
        }
        let from = date(&mut errors, "valid_from", &self.valid_from);
        let until = if self.valid_until.trim().is_empty() {
            None
        } else {
            date(&mut errors, "valid_until", &self.valid_until)
        };
        if let (Some(from), Some(until)) = (&from, &until) {
            if until < from {
                errors.push(FieldError::new(
                    "valid_until",
                    "De einddatum ligt vóór de begindatum.",
                ));
            }
        }
        let source = self.source.trim();
        if source.is_empty() || source.chars().count() > 500 {
            errors.push(FieldError::new(
                "source",
                "Geef de bron van de emissiefactor (hoogstens 500 tekens).",
            ));
        }
        let url = self.source_url.trim();
        if !url.is_empty()
            && (!(url.starts_with("https://") || url.starts_with("http://"))
                || url.len() > 500
                || url.contains(char::is_whitespace))
        {
            errors.push(FieldError::new(
                "source_url",
                "Het webadres van de bron begint met https:// of http:// (of laat het leeg).",
            ));
        }
        match (carrier, kg, from, errors.is_empty()) {
            (Some(carrier), Some(kg), Some(from), true) => Ok(Factor {
                id: String::new(),
                carrier,
                kg_co2_per_kwh: kg,
                valid_from: from,
                valid_until: until,
                source: source.to_string(),
                source_url: url.to_string(),
                demo: false,
            }),
            _ => Err(errors),
        }
    }
}

const FACTOR_COLUMNS: &str = "id, carrier, kg_co2_per_kwh, valid_from, valid_until, source, \
    source_url, CAST(demo AS BIGINT) AS demo FROM cijfers_emission_factors";

fn factor_of(row: &AnyRow) -> Option<Factor> {
    let carrier: String = row.get("carrier");
    Some(Factor {
        id: row.get("id"),
        carrier: Carrier::parse(&carrier)?,
        kg_co2_per_kwh: row.get("kg_co2_per_kwh"),
        valid_from: row.get("valid_from"),
        valid_until: row.get("valid_until"),
        source: row.get("source"),
        source_url: row.get("source_url"),
        demo: row.get::<i64, _>("demo") != 0,
    })
}

/// Every factor, by carrier and start.
pub async fn list_factors<'e, E: Executor<'e, Database = Any>>(exec: E) -> CoreResult<Vec<Factor>> {
    let rows = sqlx::query(&format!(
        "SELECT {FACTOR_COLUMNS} ORDER BY carrier, valid_from"
    ))
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().filter_map(factor_of).collect())
}

/// The factor with this id.
pub async fn find_factor<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: &str,
) -> CoreResult<Option<Factor>> {
    let row = sqlx::query(&format!("SELECT {FACTOR_COLUMNS} WHERE id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await?;
    Ok(row.as_ref().and_then(factor_of))
}

/// A Dutch error when `factor`'s validity shares a day with another factor of its carrier
/// (`except`: the factor being changed).
async fn check_overlap(tx: &mut Tx<'_>, factor: &Factor, except: &str) -> CoreResult<()> {
    let others = list_factors(&mut **tx).await?;
    if let Some(other) = others.iter().find(|o| {
        o.id != except
            && o.carrier == factor.carrier
            && overlaps(
                &o.valid_from,
                o.valid_until.as_deref(),
                &factor.valid_from,
                factor.valid_until.as_deref(),
            )
    }) {
        let until = other
            .valid_until
            .as_deref()
            .map_or("nu".to_string(), show_date);
        return Err(CoreError::Invalid(vec![FieldError::new(
            "valid_from",
            format!(
                "Deze geldigheid overlapt met de factor voor {} die geldt van {} tot {}. \
                 Sluit die eerst af met een einddatum.",
                factor.carrier.as_str(),
                show_date(&other.valid_from),
                until
            ),
        )]));
    }
    Ok(())
}

fn factor_summary(f: &Factor) -> String {
    format!(
        "{} {} kg CO2/kWh vanaf {}{}",
        f.carrier.as_str(),
        f.kg_co2_per_kwh,
        f.valid_from,
        f.valid_until
            .as_deref()
            .map(|u| format!(" tot {u}"))
            .unwrap_or_default()
    )
}

/// Stores a new factor; returns its id.
pub async fn create_factor(
    tx: &mut Tx<'_>,
    fields: &FactorFields,
    demo: bool,
    actor: &AuditActor,
) -> CoreResult<String> {
    let factor = fields.check().map_err(CoreError::Invalid)?;
    check_overlap(tx, &factor, "").await?;
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO cijfers_emission_factors (id, carrier, kg_co2_per_kwh, valid_from,
             valid_until, source, source_url, demo, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(factor.carrier.as_str())
    .bind(factor.kg_co2_per_kwh)
    .bind(&factor.valid_from)
    .bind(factor.valid_until.as_deref())
    .bind(&factor.source)
    .bind(&factor.source_url)
    .bind(i16::from(demo))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: "cijfers_emission_factor",
            entity_id: &id,
            action: "create",
            summary: &format!("Emissiefactor {}", factor_summary(&factor)),
            changes: Changes::new().created("factor", factor_summary(&factor)),
        },
    )
    .await?;
    Ok(id)
}

/// Changes a factor (its value, validity — closing it with an end date — or source).
pub async fn update_factor(
    tx: &mut Tx<'_>,
    current: &Factor,
    fields: &FactorFields,
    actor: &AuditActor,
) -> CoreResult<()> {
    let factor = fields.check().map_err(CoreError::Invalid)?;
    check_overlap(tx, &factor, &current.id).await?;
    sqlx::query(
        "UPDATE cijfers_emission_factors SET carrier = $1, kg_co2_per_kwh = $2, valid_from = $3,
             valid_until = $4, source = $5, source_url = $6, updated_at = $7 WHERE id = $8",
    )
    .bind(factor.carrier.as_str())
    .bind(factor.kg_co2_per_kwh)
    .bind(&factor.valid_from)
    .bind(factor.valid_until.as_deref())
    .bind(&factor.source)
    .bind(&factor.source_url)
    .bind(now_ms())
    .bind(&current.id)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: "cijfers_emission_factor",
            entity_id: &current.id,
            action: "update",
            summary: &format!("Emissiefactor {}", factor_summary(&factor)),
            changes: Changes::new()
                .field("factor", factor_summary(current), factor_summary(&factor))
                .field("source", current.source.as_str(), factor.source.as_str()),
        },
    )
    .await?;
    Ok(())
}

/// A whole year as typed, between 1990 and 2100.
fn year(text: &str) -> Option<i32> {
    text.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (1990..=2100).contains(y))
}

impl TargetFields {
    /// The fields of a stored target, as the form shows them.
    pub fn of(target: &Target) -> TargetFields {
        TargetFields {
            place_code: target.place_code.clone(),
            label: target.label.clone(),
            base_year: target.base_year.to_string(),
            target_year: target.target_year.to_string(),
            reduction_pct: target.reduction_pct.to_string().replace('.', ","),
            source: target.source.clone(),
        }
    }

    /// Every problem that needs no database at once, in Dutch, or the target (id empty).
    pub fn check(&self) -> Result<Target, Vec<FieldError>> {
        let mut errors = Vec::new();
        let place = self.place_code.trim();
        if place.is_empty() {
            errors.push(FieldError::new("place_code", "Kies een stad uit de lijst."));
        }
        let label = self.label.trim();
        if label.is_empty() || label.chars().count() > 120 {
            errors.push(FieldError::new(
                "label",
                "Geef de doelstelling een naam van hoogstens 120 tekens, bijvoorbeeld \
                 'Burgemeestersconvenant −40%'.",
            ));
        }
        let base = year(&self.base_year);
        if base.is_none() {
            errors.push(FieldError::new(
                "base_year",
                "Het basisjaar is een jaartal tussen 1990 en 2100.",
            ));
        }
        let goal = year(&self.target_year);
        if goal.is_none() {
            errors.push(FieldError::new(
                "target_year",
                "Het doeljaar is een jaartal tussen 1990 en 2100.",
            ));
        }
        if let (Some(base), Some(goal)) = (base, goal) {
            if goal <= base {
                errors.push(FieldError::new(
                    "target_year",
                    "Het doeljaar ligt na het basisjaar.",
                ));
            }
        }
        let pct = parse_number(&self.reduction_pct).filter(|p| (0.0..=100.0).contains(p));
        if pct.is_none() {
            errors.push(FieldError::new(
                "reduction_pct",
                "Geef de vermindering als percentage tussen 0 en 100, bijvoorbeeld 40.",
            ));
        }
        if self.source.trim().chars().count() > 500 {
            errors.push(FieldError::new(
                "source",
                "De bron is hoogstens 500 tekens lang.",
            ));
        }
        match (base, goal, pct, errors.is_empty()) {
            (Some(base_year), Some(target_year), Some(reduction_pct), true) => Ok(Target {
                id: String::new(),
                place_code: place.to_string(),
                label: label.to_string(),
                base_year,
                target_year,
                reduction_pct,
                source: self.source.trim().to_string(),
                demo: false,
            }),
            _ => Err(errors),
        }
    }
}

/// The target, checked, with its place known as a municipality (every problem at once).
async fn checked_target(tx: &mut Tx<'_>, fields: &TargetFields) -> CoreResult<Target> {
    let place = fields.place_code.trim();
    let known = place.is_empty()
        || crate::store::geo::find(&mut **tx, GeoLevel::Gemeente, place)
            .await?
            .is_some();
    let unknown = || FieldError::new("place_code", "Kies een stad uit de lijst.");
    match fields.check() {
        Ok(target) if known => Ok(target),
        Ok(_) => Err(CoreError::Invalid(vec![unknown()])),
        Err(mut errors) => {
            if !known {
                errors.push(unknown());
            }
            Err(CoreError::Invalid(errors))
        }
    }
}

fn target_summary(t: &Target) -> String {
    format!(
        "{} ({}): −{}% in {} t.o.v. {}",
        t.label, t.place_code, t.reduction_pct, t.target_year, t.base_year
    )
}

/// Stores a new target; returns its id.
pub async fn create_target(
    tx: &mut Tx<'_>,
    fields: &TargetFields,
    demo: bool,
    actor: &AuditActor,
) -> CoreResult<String> {
    let target = checked_target(tx, fields).await?;
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO cijfers_climate_targets (id, place_code, label, base_year, target_year,
             reduction_pct, source, demo, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(&target.place_code)
    .bind(&target.label)
    .bind(i64::from(target.base_year))
    .bind(i64::from(target.target_year))
    .bind(target.reduction_pct)
    .bind(&target.source)
    .bind(i16::from(demo))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: "cijfers_climate_target",
            entity_id: &id,
            action: "create",
            summary: &format!("Klimaatdoelstelling {}", target_summary(&target)),
            changes: Changes::new().created("target", target_summary(&target)),
        },
    )
    .await?;
    Ok(id)
}

/// Changes a target.
pub async fn update_target(
    tx: &mut Tx<'_>,
    current: &Target,
    fields: &TargetFields,
    actor: &AuditActor,
) -> CoreResult<()> {
    let target = checked_target(tx, fields).await?;
    sqlx::query(
        "UPDATE cijfers_climate_targets SET place_code = $1, label = $2, base_year = $3,
             target_year = $4, reduction_pct = $5, source = $6, updated_at = $7 WHERE id = $8",
    )
    .bind(&target.place_code)
    .bind(&target.label)
    .bind(i64::from(target.base_year))
    .bind(i64::from(target.target_year))
    .bind(target.reduction_pct)
    .bind(&target.source)
    .bind(now_ms())
    .bind(&current.id)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: "cijfers_climate_target",
            entity_id: &current.id,
            action: "update",
            summary: &format!("Klimaatdoelstelling {}", target_summary(&target)),
            changes: Changes::new().field(
                "target",
                target_summary(current),
                target_summary(&target),
            ),
        },
    )
    .await?;
    Ok(())
}

/// Deletes a target.
pub async fn delete_target(
    tx: &mut Tx<'_>,
    current: &Target,
    actor: &AuditActor,
) -> CoreResult<()> {
    sqlx::query("DELETE FROM cijfers_climate_targets WHERE id = $1")
        .bind(&current.id)
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: "cijfers_climate_target",
            entity_id: &current.id,
            action: "delete",
            summary: &format!("Klimaatdoelstelling {} verwijderd", target_summary(current)),
            changes: Changes::new(),
        },
    )
    .await?;
    Ok(())
}

const TARGET_COLUMNS: &str = "id, place_code, label, base_year, target_year, reduction_pct, \
    source, CAST(demo AS BIGINT) AS demo FROM cijfers_climate_targets";

fn target_of(row: &AnyRow) -> Target {
    Target {
        id: row.get("id"),
        place_code: row.get("place_code"),
        label: row.get("label"),
        base_year: i32::try_from(row.get::<i64, _>("base_year")).unwrap_or(0),
        target_year: i32::try_from(row.get::<i64, _>("target_year")).unwrap_or(0),
        reduction_pct: row.get("reduction_pct"),
        source: row.get("source"),
        demo: row.get::<i64, _>("demo") != 0,
    }
}

/// The targets of one place (`Some(code)`) or of all, by place, target year and label.
pub async fn list_targets<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    place_code: Option<&str>,
) -> CoreResult<Vec<Target>> {
    let rows = sqlx::query(&format!(
        "SELECT {TARGET_COLUMNS} WHERE ($1 = '' OR place_code = $1)
         ORDER BY place_code, target_year, reduction_pct, label"
    ))
    .bind(place_code.unwrap_or(""))
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(target_of).collect())
}

/// The target with this id.
pub async fn find_target<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: &str,
) -> CoreResult<Option<Target>> {
    let row = sqlx::query(&format!("SELECT {TARGET_COLUMNS} WHERE id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await?;
    Ok(row.as_ref().map(target_of))
}

/// A city's public climate figures, read through the public rule of every page
/// (`values::public_series`: published indicators whose disclosure check passed, nothing
/// suppressed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PublicFigures {
    /// Energy use in MWh.
    pub energy: Energy,
    /// Energy indicators left out because their unit is no kWh, MWh or GWh: (code, unit).
    pub unknown_units: Vec<(String, String)>,
    /// Local PV production per year (MWh) and public charge points per year.
    pub pv_production: BTreeMap<i32, f64>,
    pub charge_points: BTreeMap<i32, f64>,
    /// The sources named by the indicators read.
    pub sources: Vec<String>,
    /// Whether any of them is a demo indicator.
    pub demo: bool,
}

/// The public climate figures of the municipality `place_code`, by year.
pub async fn public_figures(pool: &AnyPool, place_code: &str) -> CoreResult<PublicFigures> {
    let mut out = PublicFigures::default();
    for indicator in indicators::list_published(pool).await? {
        let energy = parse_energy_code(&indicator.code);
        let is_extra = indicator.code == PV_PRODUCTION || indicator.code == CHARGE_POINTS;
        if energy.is_none() && !is_extra {
            continue;
        }
        let scale = if energy.is_some() {
            match mwh_per_unit(&indicator.unit) {
                Some(scale) => scale,
                None => {
                    out.unknown_units
                        .push((indicator.code.clone(), indicator.unit.clone()));
                    continue;
                }
            }
        } else if indicator.code == PV_PRODUCTION {
            mwh_per_unit(&indicator.unit).unwrap_or(1.0)
        } else {
            1.0
        };
        let mut by_year = BTreeMap::new();
        for row in values::public_series(pool, &indicator.code, Some(GeoLevel::Gemeente)).await? {
            let Some(value) = row.value.filter(|_| row.geo_code == place_code) else {
                continue;
            };
            if let Ok(year) = row.period.parse::<i32>() {
                by_year.insert(year, value * scale);
            }
        }
        if by_year.is_empty() {
            continue;
        }
        out.demo |= indicator.demo;
        if !indicator.source.is_empty() && !out.sources.contains(&indicator.source) {
            out.sources.push(indicator.source.clone());
        }
        match energy {
            Some(key) => {
                out.energy.insert(key, by_year);
            }
            None if indicator.code == PV_PRODUCTION => out.pv_production = by_year,
            None => out.charge_points = by_year,
        }
    }
    Ok(out)
}

/// The REFNIS codes of the municipalities with a public energy figure (for the index).
pub async fn places_with_energy<'e, E: Executor<'e, Database = Any>>(
    exec: E,
) -> CoreResult<Vec<String>> {
    // The public rule of `values::public_series`, for every energy indicator at once.
    let rows = sqlx::query(&format!(
        "SELECT DISTINCT g.code FROM cijfers_values v
         JOIN cijfers_geo_items g ON g.id = v.geo_item_id
         JOIN cijfers_indicators i ON i.id = v.indicator_id
         WHERE SUBSTR(i.code, 1, {}) = $1 AND i.published = 1 AND i.disclosure_passed = 1
           AND v.status <> 'suppressed' AND v.disclosure = 'passed'
           AND v.value IS NOT NULL AND g.level = 'gemeente'
         ORDER BY g.code",
        ENERGY_PREFIX.len()
    ))
    .bind(ENERGY_PREFIX)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}
