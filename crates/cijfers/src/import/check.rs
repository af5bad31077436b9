//! The rows of a file against what the platform knows: every indicator known (or defined by
//! the file), every place known and in the municipality the file says, every period valid, no
//! key twice, and the uploader allowed to write each indicator and wijk. The outcome is a plan
//! of what to write, or the errors per line; nothing is written here.

use std::collections::{HashMap, HashSet};

use steden_core::error::CoreResult;

use super::numbers::shorten;
use super::{LineError, Parsed};
use crate::model::{GeoItem, GeoLevel, Indicator, Period, ValueStatus};
use crate::store::indicators::IndicatorFields;
use crate::store::{geo, indicators};

/// Who imports: the organisation they import for, and whether they are Kenniscentrum staff
/// (who keep the shared indicators).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer {
    pub organisation_id: String,
    pub staff: bool,
}

impl Writer {
    /// Whether the writer may write values of `indicator`.
    pub fn may_write(&self, indicator: &Indicator) -> bool {
        match &indicator.owner_org_id {
            None => self.staff,
            Some(owner) => self.staff || *owner == self.organisation_id,
        }
    }

    /// The owner of an indicator the writer's file brings: shared for staff, else their city.
    pub fn new_owner(&self) -> Option<&str> {
        (!self.staff).then_some(self.organisation_id.as_str())
    }
}

/// One value to write, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub indicator: String,
    pub level: GeoLevel,
    pub geo: String,
    pub period: Period,
    pub value: Option<f64>,
    pub status: ValueStatus,
}

/// What an import will do.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Indicators the file defines that do not exist yet.
    pub new_indicators: Vec<IndicatorFields>,
    /// Folded sectors (`<refnis>REST`) to make, with their municipality.
    pub new_rest_sectors: Vec<(String, String)>,
    pub values: Vec<Planned>,
    pub errors: Vec<LineError>,
}

const LOOKUP_ORDER: [GeoLevel; 5] = [
    GeoLevel::Gemeente,
    GeoLevel::Sector,
    GeoLevel::Wijk,
    GeoLevel::Provincie,
    GeoLevel::Gewest,
];

/// Checks `parsed` for `writer`; the plan holds every error at once.
pub async fn check(
    conn: &mut sqlx::AnyConnection,
    parsed: &Parsed,
    writer: &Writer,
) -> CoreResult<Plan> {
    let mut plan = Plan {
        errors: parsed.errors.clone(),
        ..Plan::default()
    };
    let known: HashMap<String, Indicator> = indicators::list(&mut *conn)
        .await?
        .into_iter()
        .map(|i| (i.code.clone(), i))
        .collect();
    let mut places: HashMap<(GeoLevel, String), GeoItem> = HashMap::new();
    for level in GeoLevel::ALL {
        for item in geo::list_level(&mut *conn, *level).await? {
            places.insert((item.level, item.code.clone()), item);
        }
    }
    let mut defined = HashSet::new();
    for fields in &parsed.indicators {
        match known.get(&fields.code) {
            Some(existing) if !writer.may_write(existing) => plan.errors.push(LineError::new(
                0,
                format!(
                    "De indicator {} bestaat al en hoort bij een andere organisatie.",
                    fields.code
                ),
            )),
            Some(_) => {}
            None => {
                if let Err(steden_core::CoreError::Invalid(problems)) = fields.validate() {
                    for problem in problems {
                        plan.errors.push(LineError::new(
                            0,
                            format!("Indicator {}: {}", shorten(&fields.code), problem.message),
                        ));
                    }
                } else {
                    plan.new_indicators.push(fields.clone());
                }
            }
        }
        defined.insert(fields.code.clone());
    }
    let mut seen: HashMap<(String, GeoLevel, String, String), usize> = HashMap::new();
    let mut rest_planned = HashSet::new();
    for row in &parsed.rows {
        let mut problems = Vec::new();
        match known.get(&row.indicator) {
            Some(indicator) if !writer.may_write(indicator) => problems.push(format!(
                "de indicator {} hoort bij een andere organisatie",
                row.indicator
            )),
            Some(_) => {}
            None if defined.contains(&row.indicator) => {}
            None => problems.push(format!("onbekende indicator '{}'", shorten(&row.indicator))),
        }
        let period = Period::parse(&row.period);
        if period.is_none() {
            problems.push(format!(
                "'{}' is geen periode (2024, 2024-Q1, 2024-03 of 2024-03-15)",
                shorten(&row.period)
            ));
        }
        let geo_code = row.geo.trim().to_string();
        let levels: Vec<GeoLevel> = match row.level {
            Some(level) => vec![level],
            None => LOOKUP_ORDER.to_vec(),
        };
        let found = levels
            .iter()
            .find_map(|level| places.get(&(*level, geo_code.clone())));
        let mut level = found.map(|item| item.level);
        match found {
            Some(item) => {
                if let (Some(said), GeoLevel::Sector | GeoLevel::Wijk) =
                    (row.municipality.as_deref(), item.level)
                {
                    if item.municipality_code.as_deref() != Some(said) {
                        problems.push(format!(
                            "{} {} ligt niet in gemeente {} maar in {}",
                            if item.level == GeoLevel::Sector {
                                "sector"
                            } else {
                                "wijk"
                            },
                            item.code,
                            shorten(said),
                            item.municipality_code.as_deref().unwrap_or("geen gemeente")
                        ));
                    }
                }
                if item.level == GeoLevel::Wijk
                    && !writer.staff
                    && item.owner_org_id.as_deref() != Some(writer.organisation_id.as_str())
                {
                    problems.push(format!("wijk {} hoort bij een andere stad", item.code));
                }
            }
            None => {
                // A folded sector "<refnis>REST" of a known municipality is made on import.
                let rest_of = geo_code
                    .strip_suffix("REST")
                    .filter(|m| places.contains_key(&(GeoLevel::Gemeente, m.to_string())));
                match rest_of {
                    Some(municipality) if matches!(row.level, None | Some(GeoLevel::Sector)) => {
                        if row
                            .municipality
                            .as_deref()
                            .is_some_and(|m| m != municipality)
                        {
                            problems.push(format!(
                                "sector {geo_code} ligt niet in gemeente {}",
                                row.municipality.as_deref().unwrap_or_default()
                            ));
                        }
                        level = Some(GeoLevel::Sector);
                        if rest_planned.insert(geo_code.clone()) {
                            plan.new_rest_sectors
                                .push((geo_code.clone(), municipality.to_string()));
                        }
                    }
                    _ => problems.push(match row.level {
                        Some(GeoLevel::Gemeente) | None if geo_code.len() == 5 => {
                            format!("onbekende REFNIS-code '{}'", shorten(&geo_code))
                        }
                        Some(level) => format!(
                            "onbekend gebied '{}' op niveau {}",
                            shorten(&geo_code),
                            level.as_str()
                        ),
                        None => format!("onbekende gebiedscode '{}'", shorten(&geo_code)),
                    }),
                }
            }
        }
        if let (Some(level), Some(period)) = (level, period.as_ref()) {
            let key = (
                row.indicator.clone(),
                level,
                geo_code.clone(),
                period.code.clone(),
            );
            if let Some(first) = seen.insert(key, row.line) {
                problems.push(format!(
                    "dubbele waarde voor {} in {} voor {} (ook op regel {first})",
                    row.indicator, geo_code, period.code
                ));
            }
        }
        match (problems.is_empty(), level, period) {
            (true, Some(level), Some(period)) => plan.values.push(Planned {
                indicator: row.indicator.clone(),
                level,
                geo: geo_code,
                period,
                value: row.value,
                status: row.status,
            }),
            _ => plan
                .errors
                .extend(problems.into_iter().map(|p| LineError::new(row.line, p))),
        }
    }
    plan.errors.sort_by_key(|e| e.line);
    Ok(plan)
}
