//! The audit of a suppression pattern: for each suppressed cell, the smallest and the largest
//! value an outsider can deduce from everything published (the published cells, the relations
//! between cells, values ≥ 0 and any known upper bounds), by linear programming. A pattern
//! passes when every cell that needs protection has an interval at least as wide as its
//! protection level.
//!
//! The audit needs the true values of the suppressed cells only to judge the required width;
//! the intervals themselves depend on the published cells alone, as an outsider's would.

use std::time::Duration;

use microlp::{ComparisonOp, OptimizationDirection, Problem};
use serde::Serialize;

use crate::disclosure::params::DisclosureParams;
use crate::disclosure::primary::{CellStatus, SuppressionPattern};
use crate::disclosure::table::{DisclosureError, Table};

/// At most this many suppressed cells per audit (two linear programs each).
pub const MAX_AUDITED_CELLS: usize = 1_500;
/// A single linear program that takes longer than this is a failure, not a wait.
const LP_TIME_LIMIT: Duration = Duration::from_secs(10);

/// The judgement on one suppressed cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    /// The interval is at least as wide as required.
    Protected,
    /// The interval is narrower than required: the cell can be (nearly) computed back.
    Leaks,
    /// A secondary cell when only primary cells need protection: shown, not judged.
    NotRequired,
}

/// The audit of one suppressed cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellAudit {
    pub cell: usize,
    pub key: String,
    pub label: String,
    /// The true value (the report is for the data team, never for the public).
    pub value: f64,
    pub status: CellStatus,
    /// The smallest value an outsider can deduce.
    pub lower: f64,
    /// The largest value an outsider can deduce; `None` when nothing bounds it.
    pub upper: Option<f64>,
    pub required_width: f64,
    pub verdict: Verdict,
}

impl CellAudit {
    /// The interval's width (infinite when unbounded above).
    pub fn width(&self) -> f64 {
        self.upper
            .map_or(f64::INFINITY, |u| (u - self.lower).max(0.0))
    }

    /// One sentence in Dutch for the data team's page.
    pub fn explanation_nl(&self) -> String {
        let upper = self.upper.map_or_else(|| "onbegrensd".to_string(), fmt_nl);
        let width = self
            .upper
            .map_or_else(|| "onbegrensd".to_string(), |_| fmt_nl(self.width()));
        let interval = format!(
            "'{}' ({}, waarde {}) ligt voor een buitenstaander tussen {} en {} (breedte {}, vereist {})",
            self.label,
            self.status.label_nl(),
            fmt_nl(self.value),
            fmt_nl(self.lower),
            upper,
            width,
            fmt_nl(self.required_width)
        );
        match self.verdict {
            Verdict::Protected => format!("{interval}: voldoende beschermd."),
            Verdict::Leaks if self.width() <= width_epsilon(self.value) => {
                format!("{interval}: LEK, de waarde is exact terug te rekenen uit de gepubliceerde cellen.")
            }
            Verdict::Leaks => format!("{interval}: LEK, het interval is te smal."),
            Verdict::NotRequired => {
                format!("{interval}: geen bescherming vereist (secundaire cel).")
            }
        }
    }
}

/// The audit of a whole pattern.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditReport {
    pub cells: Vec<CellAudit>,
    /// How many linear programs were solved (for the page and for bounding the work).
    pub linear_programs: usize,
}

impl AuditReport {
    /// Publication is allowed only when no cell leaks.
    pub fn passes(&self) -> bool {
        self.cells.iter().all(|c| c.verdict != Verdict::Leaks)
    }

    pub fn leaks(&self) -> impl Iterator<Item = &CellAudit> {
        self.cells.iter().filter(|c| c.verdict == Verdict::Leaks)
    }

    pub fn audit_of(&self, cell: usize) -> Option<&CellAudit> {
        self.cells.iter().find(|c| c.cell == cell)
    }

    /// The verdict in one Dutch sentence.
    pub fn summary_nl(&self) -> String {
        let leaks = self.leaks().count();
        if self.cells.is_empty() {
            "Geen afgeschermde cellen: de tabel mag gepubliceerd worden.".into()
        } else if leaks == 0 {
            format!(
                "Alle {} afgeschermde cellen zijn voldoende beschermd: de tabel mag gepubliceerd worden.",
                self.cells.len()
            )
        } else {
            format!(
                "{leaks} van de {} afgeschermde cellen zijn terug te rekenen of te nauw te begrenzen: publicatie geweigerd.",
                self.cells.len()
            )
        }
    }
}

/// A number as Dutch readers write it: decimal comma, at most two decimals.
fn fmt_nl(x: f64) -> String {
    let rounded = (x * 100.0).round() / 100.0;
    let text = if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.2}")
    };
    let text = if text.contains('.') {
        text.trim_end_matches('0').to_string()
    } else {
        text
    };
    text.replace('.', ",")
}

/// The round-off below which a width counts as zero.
fn width_epsilon(value: f64) -> f64 {
    1e-7 * value.abs().max(1.0)
}

/// Groups the suppressed cells that share a relation (directly or through others): the
/// intervals of one group do not depend on the other groups, so each group is a smaller linear
/// program of its own.
fn components(table: &Table, suppressed: &[bool]) -> Vec<Vec<usize>> {
    let n = table.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while let Some(&p) = parent.get(i) {
            if p == i {
                break;
            }
            let grand = parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = parent.get_mut(i) {
                *slot = grand;
            }
            i = p;
        }
        i
    }
    for r in table.relations() {
        let mut members = std::iter::once(r.total)
            .chain(r.parts.iter().copied())
            .filter(|&c| suppressed.get(c) == Some(&true));
        if let Some(first) = members.next() {
            for other in members {
                let (a, b) = (find(&mut parent, first), find(&mut parent, other));
                if a != b {
                    if let Some(slot) = parent.get_mut(a) {
                        *slot = b;
                    }
                }
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> =
        std::collections::BTreeMap::new();
    for i in (0..n).filter(|&i| suppressed.get(i) == Some(&true)) {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    groups.into_values().collect()
}

/// Audits a suppression pattern of a table.
pub fn audit(
    table: &Table,
    pattern: &SuppressionPattern,
    params: &DisclosureParams,
) -> Result<AuditReport, DisclosureError> {
    params
        .validate()
        .map_err(DisclosureError::InvalidParameter)?;
    if pattern.status.len() != table.len() {
        return Err(DisclosureError::InvalidParameter(format!(
            "het patroon heeft {} cellen, de tabel {}",
            pattern.status.len(),
            table.len()
        )));
    }
    let suppressed: Vec<bool> = pattern
        .status
        .iter()
        .map(CellStatus::is_suppressed)
        .collect();
    let count = suppressed.iter().filter(|s| **s).count();
    if count > MAX_AUDITED_CELLS {
        return Err(DisclosureError::TooLarge {
            what: "afgeschermde cellen om te controleren",
            count,
            max: MAX_AUDITED_CELLS,
        });
    }
    let relations = table.signed_terms();
    let relations_of = table.relations_of_cells();
    let mut cells = Vec::with_capacity(count);
    let mut linear_programs = 0usize;
    for group in components(table, &suppressed) {
        // The relations that involve this group, as (group variable, coefficient) terms and
        // the published rest moved to the right-hand side.
        let mut rows: Vec<usize> = group
            .iter()
            .filter_map(|&c| relations_of.get(c))
            .flatten()
            .copied()
            .collect();
        rows.sort_unstable();
        rows.dedup();
        let positions: std::collections::HashMap<usize, usize> =
            group.iter().enumerate().map(|(v, &c)| (c, v)).collect();
        let position = |cell: usize| positions.get(&cell).copied();
        let mut constraints: Vec<(Vec<(usize, f64)>, f64)> = Vec::with_capacity(rows.len());
        for r in rows {
            let Some(terms) = relations.get(r) else {
                continue;
            };
            let mut lhs = Vec::new();
            let mut rhs = 0.0;
            for &(cell, coeff) in terms {
                match position(cell) {
                    Some(var) => lhs.push((var, coeff)),
                    None => rhs -= coeff * table.cells().get(cell).map_or(0.0, |c| c.value),
                }
            }
            constraints.push((lhs, rhs));
        }
        for (var, &cell) in group.iter().enumerate() {
            let lower = solve(
                table,
                &group,
                &constraints,
                var,
                OptimizationDirection::Minimize,
            )?;
            let upper = solve(
                table,
                &group,
                &constraints,
                var,
                OptimizationDirection::Maximize,
            )?;
            linear_programs += 2;
            let Some(input) = table.cells().get(cell) else {
                continue;
            };
            let status = pattern
                .status
                .get(cell)
                .cloned()
                .unwrap_or(CellStatus::Secondary);
            let required_width = params.protection.required_width(input.value);
            let lower = lower.unwrap_or(0.0).max(0.0);
            let width = upper.map_or(f64::INFINITY, |u| (u - lower).max(0.0));
            let verdict = if !status.is_primary() && !params.protect_secondary {
                Verdict::NotRequired
            } else if width + width_epsilon(input.value) >= required_width
                && width > width_epsilon(input.value)
            {
                Verdict::Protected
            } else {
                Verdict::Leaks
            };
            cells.push(CellAudit {
                cell,
                key: input.key.clone(),
                label: input.label.clone(),
                value: input.value,
                status,
                lower,
                upper,
                required_width,
                verdict,
            });
        }
    }
    cells.sort_by_key(|c| c.cell);
    Ok(AuditReport {
        cells,
        linear_programs,
    })
}

/// The minimum or maximum of variable `target` of a group; `None` when unbounded.
fn solve(
    table: &Table,
    group: &[usize],
    constraints: &[(Vec<(usize, f64)>, f64)],
    target: usize,
    direction: OptimizationDirection,
) -> Result<Option<f64>, DisclosureError> {
    let mut problem = Problem::new(direction);
    problem.set_time_limit(LP_TIME_LIMIT);
    let vars: Vec<_> = group
        .iter()
        .enumerate()
        .map(|(i, &cell)| {
            let upper = table
                .cells()
                .get(cell)
                .and_then(|c| c.upper_bound)
                .unwrap_or(f64::INFINITY);
            problem.add_var(if i == target { 1.0 } else { 0.0 }, (0.0, upper))
        })
        .collect();
    for (lhs, rhs) in constraints {
        let terms: Vec<_> = lhs
            .iter()
            .filter_map(|&(v, c)| vars.get(v).map(|&var| (var, c)))
            .collect();
        if !terms.is_empty() {
            problem.add_constraint(terms.as_slice(), ComparisonOp::Eq, *rhs);
        }
    }
    let label = || {
        group
            .get(target)
            .and_then(|&c| table.cells().get(c))
            .map(|c| c.label.clone())
            .unwrap_or_default()
    };
    let var = vars.get(target).copied();
    match problem.solve() {
        Ok(outcome) => match (outcome.into_solution(), var) {
            (Ok(solution), Some(var)) => Ok(Some(solution.var_value(var))),
            _ => Err(DisclosureError::Solver {
                label: label(),
                reason: "de berekening werd afgebroken (tijdslimiet)".into(),
            }),
        },
        Err(microlp::Error::Unbounded) => Ok(None),
        Err(microlp::Error::Infeasible) => Err(DisclosureError::Solver {
            label: label(),
            reason: "de gepubliceerde cellen en de relaties spreken elkaar tegen".into(),
        }),
        Err(e) => Err(DisclosureError::Solver {
            label: label(),
            reason: format!("rekenfout van de LP-oplosser ({e})"),
        }),
    }
}
