//! The published table of one indicator in one period, as the disclosure library sees it
//! (pure logic, no database): a cell per stored value and a relation "total = sum of parts"
//! per place whose parts are stored too. The hierarchy is the one the data has:
//!
//! - a statistical sector is part of its municipality and of every wijk made of it;
//! - a municipality valid on the period's first day is part of its province when the province
//!   has a value, else of its region (Vlaams Gewest 02000, Waals Gewest 03000, Brussels 04000);
//! - a province is part of its region;
//! - a municipality is part of the one it merged into (the REFNIS crosswalk), when that one has
//!   a value in the same period (e.g. Hasselt 71072 before 2025 made of 71022 and 71034).
//!
//! When the stored parts do not make the whole total (the platform holds the 13 centrumsteden,
//! not every Flemish municipality), the difference is a *rest* cell: never published by the
//! platform, so hidden from the outsider from the start, and never released (the library
//! treats a cell that is already secondary before secondary suppression as fixed). With every
//! part stored there is no rest and subtraction from the total is audited exactly.
//!
//! Means and ratios do not add up; their products with the weight or denominator do
//! (mean × population is a sum), so such an indicator's table holds value × weight, and
//! `min_count` applies to the weight. A value whose weight is unknown stands alone (no
//! relation, no count rule).

use std::collections::{BTreeMap, HashMap};

use crate::disclosure::{
    primary_suppression, CellInput, CellStatus, DisclosureError, DisclosureParams, Relation,
    SuppressionPattern, Table, MAX_VALUE,
};
use crate::model::{Aggregation, GeoLevel, ValueStatus};
use crate::store::disclosure::GateRow;

/// What the builder needs besides the period's rows.
pub struct Context<'a> {
    pub aggregation: Aggregation,
    /// The weight (mean) or denominator (ratio) by (place id, period id); unused for sums.
    pub weights: &'a HashMap<(String, String), f64>,
    /// The wijken of each sector (place ids).
    pub wijken_of: &'a HashMap<String, Vec<String>>,
    /// old REFNIS code → new code (merged municipalities).
    pub merged_into: &'a HashMap<String, String>,
}

/// A built table and where its cells come from.
#[derive(Debug)]
pub struct Built {
    pub table: Table,
    /// Per cell: the row it is (index into the period's rows), or `None` for a rest cell.
    pub origin: Vec<Option<usize>>,
    /// Per cell: what the value was multiplied by (the weight of a mean, 1 for a sum), so the
    /// report can give intervals in the indicator's own unit.
    pub scale: Vec<f64>,
    /// Relations left out because the stored parts exceed their total, in Dutch.
    pub notes: Vec<String>,
}

/// The province code of a municipality's REFNIS code, if it has one (Brussels has none).
fn province_of(refnis: &str) -> Option<&'static str> {
    let two = refnis.get(..2)?;
    Some(match two {
        "21" => return None,
        "23" | "24" => "20001",
        "25" => "20002",
        _ => match refnis.get(..1)? {
            "1" => "10000",
            "3" => "30000",
            "4" => "40000",
            "5" => "50000",
            "6" => "60000",
            "7" => "70000",
            "8" => "80000",
            "9" => "90000",
            _ => return None,
        },
    })
}

/// The region code of a municipality's or province's REFNIS code.
fn region_of(refnis: &str) -> Option<&'static str> {
    if refnis.starts_with("21") {
        return Some("04000");
    }
    match province_of(refnis)? {
        "10000" | "20001" | "30000" | "40000" | "70000" => Some("02000"),
        _ => Some("03000"),
    }
}

fn valid_on(row: &GateRow, day: &str) -> bool {
    row.valid_from.as_deref().is_none_or(|f| f <= day)
        && row.valid_to.as_deref().is_none_or(|t| t >= day)
}

fn rounded_count(x: f64) -> u64 {
    if x.is_finite() && x > 0.0 {
        // Saturates for huge values; counts that large never meet a minimum count.
        x.round() as u64
    } else {
        0
    }
}

/// Builds the table of one period from its rows (all of one period).
pub fn build(rows: &[&GateRow], ctx: &Context<'_>) -> Result<Built, DisclosureError> {
    let mut cells: Vec<CellInput> = Vec::new();
    let mut origin = Vec::new();
    let mut scale = Vec::new();
    let mut relational = Vec::new();
    let mut by_place: HashMap<(GeoLevel, &str), usize> = HashMap::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut max_value: f64 = 1.0;
    for (i, row) in rows.iter().enumerate() {
        let Some(value) = row.value.filter(|v| v.is_finite() && *v >= 0.0) else {
            continue; // no figure (or a negative one): nothing to add up, shown or hidden alone
        };
        let (magnitude, contributors, factor, related) = match ctx.aggregation {
            Aggregation::Sum => (value, rounded_count(value), 1.0, true),
            Aggregation::WeightedMean | Aggregation::Ratio => match ctx
                .weights
                .get(&(row.geo_item_id.clone(), row.period_id.clone()))
                .filter(|w| w.is_finite() && **w >= 0.0)
            {
                Some(&w) => (value * w, rounded_count(w), w, true),
                None => (value, u64::MAX, 1.0, false),
            },
        };
        if magnitude > MAX_VALUE {
            continue;
        }
        max_value = max_value.max(magnitude);
        let index = cells.len();
        let mut cell = CellInput::new(
            format!("{}|{}", row.level.as_str(), row.code),
            format!("{} ({})", row.name, row.period),
            magnitude,
            contributors,
        );
        cell.forced = row.status == ValueStatus::Suppressed;
        cells.push(cell);
        origin.push(Some(i));
        scale.push(factor);
        relational.push(related);
        if related {
            by_place.insert((row.level, row.code.as_str()), index);
            by_id.insert(row.geo_item_id.as_str(), index);
        }
    }
    // Each cell's totals.
    let mut children: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (index, (source, related)) in origin.iter().zip(&relational).enumerate() {
        let (Some(i), true) = (source, related) else {
            continue;
        };
        let Some(row) = rows.get(*i) else { continue };
        let mut parents = Vec::new();
        match row.level {
            GeoLevel::Sector => {
                if let Some(m) = row.municipality_code.as_deref() {
                    parents.extend(by_place.get(&(GeoLevel::Gemeente, m)).copied());
                }
                for wijk in ctx.wijken_of.get(&row.geo_item_id).into_iter().flatten() {
                    parents.extend(by_id.get(wijk.as_str()).copied());
                }
            }
            GeoLevel::Gemeente => {
                if valid_on(row, &row.starts_on) {
                    let province = province_of(&row.code)
                        .and_then(|p| by_place.get(&(GeoLevel::Provincie, p)).copied());
                    let region = region_of(&row.code)
                        .and_then(|r| by_place.get(&(GeoLevel::Gewest, r)).copied());
                    parents.extend(province.or(region));
                }
                if let Some(new) = ctx.merged_into.get(&row.code).filter(|n| **n != row.code) {
                    parents.extend(by_place.get(&(GeoLevel::Gemeente, new.as_str())).copied());
                }
            }
            GeoLevel::Provincie => {
                parents.extend(
                    region_of(&row.code)
                        .and_then(|r| by_place.get(&(GeoLevel::Gewest, r)).copied()),
                );
            }
            GeoLevel::Wijk | GeoLevel::Gewest => {}
        }
        for parent in parents {
            if parent != index {
                children.entry(parent).or_default().push(index);
            }
        }
    }
    let tolerance = 1e-7 * max_value;
    let mut relations = Vec::new();
    let mut notes = Vec::new();
    for (total, mut parts) in children {
        parts.sort_unstable();
        parts.dedup();
        let (Some(total_cell), sum) = (
            cells.get(total).cloned(),
            parts
                .iter()
                .filter_map(|&p| cells.get(p))
                .map(|c| c.value)
                .sum::<f64>(),
        ) else {
            continue;
        };
        let rest = total_cell.value - sum;
        if rest < -tolerance {
            notes.push(format!(
                "De delen van '{}' zijn samen groter dan het totaal; die optelling telt niet mee.",
                total_cell.label
            ));
            continue;
        }
        if rest > tolerance {
            let index = cells.len();
            cells.push(CellInput::new(
                format!("rest|{}", total_cell.key),
                format!("overige, niet gepubliceerd, van {}", total_cell.label),
                rest,
                u64::MAX,
            ));
            origin.push(None);
            scale.push(1.0);
            parts.push(index);
        }
        relations.push(Relation {
            label: format!("totaal {}", total_cell.label),
            total,
            parts,
        });
    }
    let table = Table::new(cells, relations, tolerance)?;
    Ok(Built {
        table,
        origin,
        scale,
        notes,
    })
}

/// The pattern secondary suppression starts from: the primary rules, and every rest cell
/// hidden as fixed (never published by the platform, never itself in need of protection).
pub fn initial_pattern(
    built: &Built,
    params: &DisclosureParams,
) -> Result<SuppressionPattern, DisclosureError> {
    let mut pattern = primary_suppression(&built.table, params)?;
    for (status, origin) in pattern.status.iter_mut().zip(&built.origin) {
        if origin.is_none() {
            *status = CellStatus::Secondary;
        }
    }
    Ok(pattern)
}

#[cfg(test)]
#[path = "tables_tests.rs"]
mod tests;
