//! The climate dashboard's arithmetic (issue 15 point 6), without a database: energy use per
//! sector and energy carrier (ordinary indicator values, see [`energy_code`]), CO2 emissions
//! computed from it with the emission factor valid in each year, totals, the change against a
//! target's base year, the straight trajectory from the base year to the target year and
//! whether the city is on it.
//!
//! Nothing is filled in: a missing year, a missing sector × carrier figure in a year, or a
//! carrier without a factor for a year makes the totals that need it unknown (`None`), and the
//! year says which series or factors are missing, so the page can tell.
//!
//! Units: energy in MWh, factors in kg CO2 per kWh (= ton per MWh), emissions in ton CO2.
//!
//! [`api`]: the JSON API of the dashboard and the factors.

pub mod api;

use std::collections::BTreeMap;

macro_rules! word_list {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored text (and the part of an indicator code).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The value for a stored text, if it is one.
            pub fn parse(text: &str) -> Option<$name> {
                match text.trim() { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The id of its label in the translations.
            pub fn label_key(self) -> String {
                format!(concat!($prefix, "-{}"), self.as_str())
            }
        }
    };
}

word_list!(
    /// The sectors of the emission inventory (as the Covenant of Mayors' reports group them).
    Sector, "cijfers-climate-sector", {
        Huishoudens => "huishoudens",
        Tertiair => "tertiair",
        Industrie => "industrie",
        Transport => "transport",
    }
);

word_list!(
    /// The energy carriers that have an emission factor.
    Carrier, "cijfers-climate-carrier", {
        Elektriciteit => "elektriciteit",
        Aardgas => "aardgas",
        Stookolie => "stookolie",
        Diesel => "diesel",
        Benzine => "benzine",
    }
);

/// The start of every energy indicator's code.
pub const ENERGY_PREFIX: &str = "klimaat_energie_";
/// The indicator of the local production of solar panels (MWh per year).
pub const PV_PRODUCTION: &str = "klimaat_pv_productie";
/// The indicator of the public charge points for electric vehicles (a count).
pub const CHARGE_POINTS: &str = "klimaat_laadpunten";

/// The code of the indicator holding the energy use of `sector` from `carrier`:
/// `klimaat_energie_huishoudens_aardgas`.
pub fn energy_code(sector: Sector, carrier: Carrier) -> String {
    format!("{ENERGY_PREFIX}{}_{}", sector.as_str(), carrier.as_str())
}

/// The sector and carrier of an energy indicator's code.
pub fn parse_energy_code(code: &str) -> Option<(Sector, Carrier)> {
    let rest = code.strip_prefix(ENERGY_PREFIX)?;
    let (sector, carrier) = rest.split_once('_')?;
    Some((Sector::parse(sector)?, Carrier::parse(carrier)?))
}

/// How many MWh one unit of an energy indicator is (`kWh`, `MWh`, `GWh`); `None` for any other
/// unit, which the dashboard leaves out rather than guess.
pub fn mwh_per_unit(unit: &str) -> Option<f64> {
    match unit.trim().to_lowercase().as_str() {
        "kwh" => Some(0.001),
        "mwh" => Some(1.0),
        "gwh" => Some(1000.0),
        _ => None,
    }
}

/// An emission factor as stored: kg CO2 per kWh of a carrier over a period of validity.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    pub id: String,
    pub carrier: Carrier,
    pub kg_co2_per_kwh: f64,
    /// `YYYY-MM-DD`, the first day it applies.
    pub valid_from: String,
    /// `YYYY-MM-DD`, the last day it applies (inclusive); `None`: still valid.
    pub valid_until: Option<String>,
    pub source: String,
    pub source_url: String,
    pub demo: bool,
}

/// The last day of an open validity, for comparisons.
const OPEN_END: &str = "9999-12-31";

impl Factor {
    /// Whether it applies on `day` (`YYYY-MM-DD`).
    pub fn covers(&self, day: &str) -> bool {
        self.valid_from.as_str() <= day && day <= self.valid_until.as_deref().unwrap_or(OPEN_END)
    }
}

/// Whether two periods of validity (first day, last day or open) share a day.
pub fn overlaps(a_from: &str, a_until: Option<&str>, b_from: &str, b_until: Option<&str>) -> bool {
    a_from <= b_until.unwrap_or(OPEN_END) && b_from <= a_until.unwrap_or(OPEN_END)
}

/// The day that decides which factor a year's energy use takes: 1 January of that year.
pub fn reference_day(year: i32) -> String {
    format!("{year:04}-01-01")
}

/// The factor of `carrier` that applies to `year`: the one valid on 1 January of that year.
/// The store refuses overlapping periods of one carrier, so there is at most one; should there
/// be more, the one that started last wins.
pub fn factor_for(factors: &[Factor], carrier: Carrier, year: i32) -> Option<&Factor> {
    let day = reference_day(year);
    factors
        .iter()
        .filter(|f| f.carrier == carrier && f.covers(&day))
        .max_by(|a, b| a.valid_from.cmp(&b.valid_from))
}

/// A city's target as stored: `reduction_pct` percent less CO2 in `target_year` than in
/// `base_year`.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub id: String,
    /// The municipality's REFNIS code.
    pub place_code: String,
    pub label: String,
    pub base_year: i32,
    pub target_year: i32,
    pub reduction_pct: f64,
    pub source: String,
    pub demo: bool,
}

/// Energy use of a city: per sector and carrier, per year, in MWh.
pub type Energy = BTreeMap<(Sector, Carrier), BTreeMap<i32, f64>>;

/// One year of the dashboard.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct YearRow {
    pub year: i32,
    /// Whether any energy figure exists for this year.
    pub has_data: bool,
    /// MWh per sector and carrier (only the figures that exist).
    pub energy: BTreeMap<(Sector, Carrier), f64>,
    /// Ton CO2 per sector and carrier (only where the figure and a factor exist).
    pub emissions: BTreeMap<(Sector, Carrier), f64>,
    /// Per sector of the city's series: the sum, or `None` when one of its figures is missing.
    pub energy_by_sector: BTreeMap<Sector, Option<f64>>,
    pub energy_by_carrier: BTreeMap<Carrier, Option<f64>>,
    pub emissions_by_sector: BTreeMap<Sector, Option<f64>>,
    pub energy_total: Option<f64>,
    pub emissions_total: Option<f64>,
    /// The city's series without a figure in this year (when the year has any figure).
    pub missing_series: Vec<(Sector, Carrier)>,
    /// Carriers with energy use in this year but no factor valid on 1 January.
    pub missing_factors: Vec<Carrier>,
    /// The factor taken per carrier (its id).
    pub factor_ids: BTreeMap<Carrier, String>,
}

/// The state of a target in the latest year with a total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetStatus {
    /// The base year has no complete total: no progress can be told.
    BaseMissing,
    /// No complete total after the base year yet.
    NoLaterData,
    /// The latest total is at or below the trajectory.
    OnTrack,
    /// The latest total is above the trajectory.
    OffTrack,
}

impl TargetStatus {
    pub fn label_key(self) -> &'static str {
        match self {
            TargetStatus::BaseMissing => "cijfers-climate-status-base-missing",
            TargetStatus::NoLaterData => "cijfers-climate-status-no-data",
            TargetStatus::OnTrack => "cijfers-climate-status-on-track",
            TargetStatus::OffTrack => "cijfers-climate-status-off-track",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TargetStatus::BaseMissing => "base_missing",
            TargetStatus::NoLaterData => "no_later_data",
            TargetStatus::OnTrack => "on_track",
            TargetStatus::OffTrack => "off_track",
        }
    }
}

/// One year of a target's progress.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressRow {
    pub year: i32,
    /// The year's total emissions, when complete.
    pub actual: Option<f64>,
    /// The straight line from the base year's total to the goal (the goal after the target
    /// year); `None` without a base.
    pub trajectory: Option<f64>,
    /// The change of `actual` against the base year, in percent (negative is less CO2).
    pub change_pct: Option<f64>,
    /// Whether `actual` is at or below `trajectory`.
    pub on_track: Option<bool>,
}

/// A target and how the city stands against it.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub target: Target,
    /// Total emissions in the base year (ton CO2), when complete.
    pub base: Option<f64>,
    /// What the target year's total may be: base × (1 − reduction / 100).
    pub goal: Option<f64>,
    /// From the base year to the later of the target year and the last year with figures.
    pub rows: Vec<ProgressRow>,
    pub status: TargetStatus,
    /// The latest year after the base year with a complete total.
    pub latest: Option<ProgressRow>,
}

/// What the dashboard of one city shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dashboard {
    /// Every year from the first to the last with a figure.
    pub rows: Vec<YearRow>,
    /// The sector × carrier series the city has figures for (in any year).
    pub series: Vec<(Sector, Carrier)>,
    /// Years between the first and the last without any figure.
    pub missing_years: Vec<i32>,
    /// The factors taken for some year, by carrier and start.
    pub factors_used: Vec<Factor>,
    pub progress: Vec<Progress>,
}

impl Dashboard {
    /// The row of `year`, if it is within the span.
    pub fn row(&self, year: i32) -> Option<&YearRow> {
        self.rows.iter().find(|r| r.year == year)
    }

    /// The sectors of the city's series, in order.
    pub fn sectors(&self) -> Vec<Sector> {
        let mut out: Vec<Sector> = self.series.iter().map(|(s, _)| *s).collect();
        out.sort();
        out.dedup();
        out
    }

    /// The carriers of the city's series, in order.
    pub fn carriers(&self) -> Vec<Carrier> {
        let mut out: Vec<Carrier> = self.series.iter().map(|(_, c)| *c).collect();
        out.sort();
        out.dedup();
        out
    }
}

/// Sums `values` when none is missing.
fn complete_sum(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    values.sum::<Option<f64>>()
}

fn year_row(
    energy: &Energy,
    series: &[(Sector, Carrier)],
    factors: &[Factor],
    year: i32,
) -> YearRow {
    let mut row = YearRow {
        year,
        ..YearRow::default()
    };
    for (key, by_year) in energy {
        if let Some(value) = by_year.get(&year).filter(|v| v.is_finite()) {
            row.energy.insert(*key, *value);
        }
    }
    row.has_data = !row.energy.is_empty();
    if row.has_data {
        row.missing_series = series
            .iter()
            .filter(|key| !row.energy.contains_key(key))
            .copied()
            .collect();
    }
    let mut carriers: Vec<Carrier> = row.energy.keys().map(|(_, c)| *c).collect();
    carriers.sort();
    carriers.dedup();
    for carrier in carriers {
        match factor_for(factors, carrier, year) {
            Some(factor) => {
                row.factor_ids.insert(carrier, factor.id.clone());
            }
            None => row.missing_factors.push(carrier),
        }
    }
    for ((sector, carrier), mwh) in &row.energy {
        if let Some(factor) = factor_for(factors, *carrier, year) {
            row.emissions
                .insert((*sector, *carrier), mwh * factor.kg_co2_per_kwh);
        }
    }
    let energy_of = |key: &(Sector, Carrier)| row.energy.get(key).copied();
    let emission_of = |key: &(Sector, Carrier)| row.emissions.get(key).copied();
    let mut by_sector = BTreeMap::new();
    let mut emissions_by_sector = BTreeMap::new();
    let mut by_carrier = BTreeMap::new();
    for sector in series.iter().map(|(s, _)| *s) {
        let keys = series.iter().filter(|(s, _)| *s == sector);
        by_sector.insert(sector, complete_sum(keys.clone().map(energy_of)));
        emissions_by_sector.insert(sector, complete_sum(keys.map(emission_of)));
    }
    for carrier in series.iter().map(|(_, c)| *c) {
        let keys = series.iter().filter(|(_, c)| *c == carrier);
        by_carrier.insert(carrier, complete_sum(keys.map(energy_of)));
    }
    if row.has_data {
        row.energy_total = complete_sum(series.iter().map(energy_of));
        row.emissions_total = complete_sum(series.iter().map(emission_of));
    } else {
        by_sector.values_mut().for_each(|v| *v = None);
        emissions_by_sector.values_mut().for_each(|v| *v = None);
        by_carrier.values_mut().for_each(|v| *v = None);
    }
    row.energy_by_sector = by_sector;
    row.emissions_by_sector = emissions_by_sector;
    row.energy_by_carrier = by_carrier;
    row
}

/// The trajectory's value in `year`: the straight line from `base` in the base year to `goal`
/// in the target year, `goal` after it and `base` before the base year.
pub fn trajectory(target: &Target, base: f64, goal: f64, year: i32) -> f64 {
    if year <= target.base_year {
        return base;
    }
    if year >= target.target_year || target.target_year <= target.base_year {
        return goal;
    }
    let share =
        f64::from(year - target.base_year) / f64::from(target.target_year - target.base_year);
    base + (goal - base) * share
}

/// How the city stands against `target`, with the yearly totals of `rows`.
pub fn progress(target: &Target, rows: &[YearRow]) -> Progress {
    let total_in = |year: i32| {
        rows.iter()
            .find(|r| r.year == year)
            .and_then(|r| r.emissions_total)
    };
    let base = total_in(target.base_year);
    let goal = base.map(|b| b * (1.0 - target.reduction_pct / 100.0));
    let last_year = rows.last().map_or(target.target_year, |r| r.year);
    let end = target.target_year.max(last_year);
    let mut out = Vec::new();
    for year in target.base_year..=end {
        let actual = total_in(year);
        let line = base.zip(goal).map(|(b, g)| trajectory(target, b, g, year));
        out.push(ProgressRow {
            year,
            actual,
            trajectory: line,
            change_pct: actual
                .zip(base)
                .filter(|(_, b)| *b != 0.0)
                .map(|(a, b)| (a - b) / b * 100.0),
            on_track: actual.zip(line).map(|(a, l)| a <= l + 1e-9),
        });
    }
    let latest = out
        .iter()
        .rev()
        .find(|r| r.year > target.base_year && r.actual.is_some())
        .cloned();
    let status = match (&base, &latest) {
        (None, _) => TargetStatus::BaseMissing,
        (Some(_), None) => TargetStatus::NoLaterData,
        (Some(_), Some(row)) if row.on_track == Some(true) => TargetStatus::OnTrack,
        (Some(_), Some(_)) => TargetStatus::OffTrack,
    };
    Progress {
        target: target.clone(),
        base,
        goal,
        rows: out,
        status,
        latest,
    }
}

/// The dashboard of a city from its energy use, the factors and its targets.
pub fn dashboard(energy: &Energy, factors: &[Factor], targets: &[Target]) -> Dashboard {
    let series: Vec<(Sector, Carrier)> = energy
        .iter()
        .filter(|(_, by_year)| by_year.values().any(|v| v.is_finite()))
        .map(|(key, _)| *key)
        .collect();
    let years: Vec<i32> = energy
        .values()
        .flat_map(|by_year| {
            by_year
                .iter()
                .filter(|(_, v)| v.is_finite())
                .map(|(y, _)| *y)
        })
        .collect();
    let (Some(first), Some(last)) = (years.iter().min(), years.iter().max()) else {
        return Dashboard {
            progress: targets.iter().map(|t| progress(t, &[])).collect(),
            ..Dashboard::default()
        };
    };
    let rows: Vec<YearRow> = (*first..=*last)
        .map(|year| year_row(energy, &series, factors, year))
        .collect();
    let missing_years = rows
        .iter()
        .filter(|r| !r.has_data)
        .map(|r| r.year)
        .collect();
    let mut used: Vec<Factor> = factors
        .iter()
        .filter(|f| {
            rows.iter()
                .any(|r| r.factor_ids.get(&f.carrier) == Some(&f.id))
        })
        .cloned()
        .collect();
    used.sort_by(|a, b| {
        a.carrier
            .cmp(&b.carrier)
            .then_with(|| a.valid_from.cmp(&b.valid_from))
    });
    let progress = targets.iter().map(|t| progress(t, &rows)).collect();
    Dashboard {
        rows,
        series,
        missing_years,
        factors_used: used,
        progress,
    }
}

#[cfg(test)]
mod tests;
