//! Secondary suppression: more cells are hidden until the audit finds every primary cell
//! protected.
//!
//! The heuristic works in the spirit of tau-Argus' modular approach and Statistics Norway's
//! GaussSuppression, without their machinery:
//! 1. *Singletons*: a relation with exactly one suppressed cell gives it away by subtraction,
//!    so another cell of that relation is suppressed (and a third where one of the two has a
//!    single contributor, who could subtract their own value). The candidate is the one with the lowest
//!    cost, counting also the cost of the new singletons it would create in its own other
//!    relations (a one-step look-ahead), and preferring a cell that closes another singleton
//!    at the same time, inner cells to totals, and non-zero cells to zeros (a zero can only
//!    move up, so it protects a partner in one direction only).
//! 2. *Audit*: the linear-programming audit finds the cells that are still too narrowly
//!    bounded (e.g. pinned through the column totals, or protected by partners too small to
//!    give the required width). For such a cell, the cheapest published cell of its own
//!    relations (further out along the suppressed cells when those are all hidden) whose value
//!    is at least the required width is suppressed, and step 1 runs again.
//! 3. *Clean-up*: when the pattern passes, each secondary cell is tried for release, most
//!    costly first, and stays published when the audit still passes without it.
//!
//! The loop ends: every round suppresses at least one more cell, and a table with everything
//! suppressed either passes or is refused. The work is bounded by a budget of linear programs.

use serde::Serialize;

use crate::disclosure::audit::{audit, AuditReport};
use crate::disclosure::params::{CostKind, DisclosureParams};
use crate::disclosure::primary::{primary_suppression, CellStatus, SuppressionPattern};
use crate::disclosure::table::{DisclosureError, Table};

/// At most this many linear programs for one table (all audits together).
pub const MAX_LINEAR_PROGRAMS: usize = 40_000;

/// A protected table: the pattern to publish with and the audit that allowed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Protected {
    pub pattern: SuppressionPattern,
    pub report: AuditReport,
    /// How many audits it took (for the data team's page).
    pub audits: usize,
}

/// Primary and secondary suppression of a table, audited.
pub fn protect(table: &Table, params: &DisclosureParams) -> Result<Protected, DisclosureError> {
    let primary = primary_suppression(table, params)?;
    secondary_suppression(table, primary, params)
}

struct Work<'a> {
    table: &'a Table,
    params: &'a DisclosureParams,
    relations_of: Vec<Vec<usize>>,
    members: Vec<Vec<usize>>,
    is_total: Vec<bool>,
    status: Vec<CellStatus>,
    /// Cells already secondary in the pattern handed in: hidden for a reason outside this
    /// table (e.g. the rest of a total that the platform does not hold), so never released,
    /// and harmless when they are the only hidden cell of a relation.
    fixed: Vec<bool>,
    linear_programs: usize,
    audits: usize,
}

impl Work<'_> {
    fn suppressed(&self, cell: usize) -> bool {
        self.status.get(cell).is_none_or(CellStatus::is_suppressed)
    }

    fn cost(&self, cell: usize) -> f64 {
        let Some(c) = self.table.cells().get(cell) else {
            return f64::INFINITY;
        };
        match self.params.cost {
            CostKind::Value => c.value,
            CostKind::Contributors => c.contributors as f64,
            CostKind::Cells => 1.0,
        }
    }

    fn value(&self, cell: usize) -> f64 {
        self.table.cells().get(cell).map_or(0.0, |c| c.value)
    }

    fn suppressed_in(&self, relation: usize) -> usize {
        self.members
            .get(relation)
            .map_or(0, |m| m.iter().filter(|&&c| self.suppressed(c)).count())
    }

    /// Whether a relation needs another suppressed cell: one alone is given away by
    /// subtraction, and two where one has a single contributor are given away to that
    /// contributor, who knows their own value and subtracts it (the singleton problem).
    /// A fixed cell hides nothing sensitive, so a relation whose hidden cells include one needs
    /// no more for that cell's sake.
    fn needs_more(&self, relation: usize) -> bool {
        let fixed_in = self.members.get(relation).is_some_and(|m| {
            m.iter()
                .any(|&c| self.suppressed(c) && self.fixed.get(c).copied().unwrap_or(false))
        });
        match self.suppressed_in(relation) {
            1 => !fixed_in,
            2 if self.params.protect_singletons && !fixed_in => {
                self.members.get(relation).is_some_and(|m| {
                    m.iter().any(|&c| {
                        self.suppressed(c)
                            && self
                                .table
                                .cells()
                                .get(c)
                                .is_some_and(|x| x.contributors == 1 && x.value > 0.0)
                    })
                })
            }
            _ => false,
        }
    }

    /// The cheapest published cell of a relation other than `except`.
    fn cheapest_in(&self, relation: usize, except: usize) -> f64 {
        self.members
            .get(relation)
            .into_iter()
            .flatten()
            .filter(|&&c| c != except && !self.suppressed(c))
            .map(|&c| self.cost(c))
            .fold(f64::INFINITY, f64::min)
    }

    /// The cost of suppressing `cell` with the look-ahead: each of its other relations that
    /// would then hold one suppressed cell needs another one later, and each that now holds
    /// exactly one is closed (a bonus, counted as a negative structural term).
    fn ranking(&self, cell: usize, from: Option<usize>) -> (bool, bool, i64, f64, usize) {
        let mut lookahead = 0.0;
        let mut closes = 0i64;
        for &r in self.relations_of.get(cell).into_iter().flatten() {
            if Some(r) == from {
                continue;
            }
            match self.suppressed_in(r) {
                0 => {
                    let next = self.cheapest_in(r, cell);
                    lookahead += if next.is_finite() { next } else { 0.0 };
                }
                1 => closes += 1,
                _ => {}
            }
        }
        let zero = self.value(cell) <= 0.0;
        let total = self.is_total.get(cell).copied().unwrap_or(false);
        (zero, total, -closes, self.cost(cell) + lookahead, cell)
    }

    fn best<'b>(
        &self,
        candidates: impl Iterator<Item = &'b usize>,
        from: Option<usize>,
    ) -> Option<usize> {
        candidates
            .copied()
            .filter(|&c| !self.suppressed(c))
            .map(|c| (self.ranking(c, from), c))
            .min_by(|(a, _), (b, _)| {
                a.0.cmp(&b.0)
                    .then(a.1.cmp(&b.1))
                    .then(a.2.cmp(&b.2))
                    .then(a.3.total_cmp(&b.3))
                    .then(a.4.cmp(&b.4))
            })
            .map(|(_, c)| c)
    }

    fn hide(&mut self, cell: usize) {
        if let Some(s) = self.status.get_mut(cell) {
            if !s.is_suppressed() {
                *s = CellStatus::Secondary;
            }
        }
    }

    /// Step 1: until no relation has exactly one suppressed cell.
    fn close_singletons(&mut self) {
        loop {
            let mut changed = false;
            for r in 0..self.members.len() {
                if !self.needs_more(r) {
                    continue;
                }
                let members = self.members.get(r).cloned().unwrap_or_default();
                if let Some(c) = self.best(members.iter(), Some(r)) {
                    self.hide(c);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    fn run_audit(&mut self) -> Result<AuditReport, DisclosureError> {
        let pattern = SuppressionPattern {
            status: self.status.clone(),
        };
        let suppressed = pattern.suppressed().count();
        let next = self
            .linear_programs
            .saturating_add(suppressed.saturating_mul(2));
        if next > MAX_LINEAR_PROGRAMS {
            return Err(DisclosureError::TooLarge {
                what: "rekenwerk in lineaire programma's",
                count: next,
                max: MAX_LINEAR_PROGRAMS,
            });
        }
        let report = audit(self.table, &pattern, self.params)?;
        self.linear_programs = self.linear_programs.saturating_add(report.linear_programs);
        self.audits += 1;
        Ok(report)
    }

    /// Step 2 for one leaking cell: the cheapest published cell near it that can give the
    /// required width, looking further out along suppressed cells when its own relations are
    /// all hidden. Returns the cell it hid, or `None` when nothing is left to hide.
    fn widen(&mut self, leaking: usize, required: f64) -> Option<usize> {
        let mut frontier = vec![leaking];
        let mut seen = vec![false; self.status.len()];
        if let Some(s) = seen.get_mut(leaking) {
            *s = true;
        }
        while !frontier.is_empty() {
            let relations: Vec<usize> = frontier
                .iter()
                .filter_map(|&c| self.relations_of.get(c))
                .flatten()
                .copied()
                .collect();
            let cells: Vec<usize> = relations
                .iter()
                .filter_map(|&r| self.members.get(r))
                .flatten()
                .copied()
                .collect();
            let wide: Vec<usize> = cells
                .iter()
                .copied()
                .filter(|&c| self.value(c) >= required)
                .collect();
            let choice = self
                .best(wide.iter(), None)
                .or_else(|| self.best(cells.iter(), None));
            if let Some(c) = choice {
                self.hide(c);
                return Some(c);
            }
            let mut next = Vec::new();
            for c in cells {
                if let Some(s) = seen.get_mut(c) {
                    if !*s {
                        *s = true;
                        next.push(c);
                    }
                }
            }
            frontier = next;
        }
        None
    }
}

/// Adds secondary suppressions to a primary pattern until the audit passes.
pub fn secondary_suppression(
    table: &Table,
    primary: SuppressionPattern,
    params: &DisclosureParams,
) -> Result<Protected, DisclosureError> {
    params
        .validate()
        .map_err(DisclosureError::InvalidParameter)?;
    if primary.status.len() != table.len() {
        return Err(DisclosureError::InvalidParameter(format!(
            "het patroon heeft {} cellen, de tabel {}",
            primary.status.len(),
            table.len()
        )));
    }
    let members: Vec<Vec<usize>> = table
        .relations()
        .iter()
        .map(|r| {
            std::iter::once(r.total)
                .chain(r.parts.iter().copied())
                .collect()
        })
        .collect();
    let mut is_total = vec![false; table.len()];
    for r in table.relations() {
        if let Some(t) = is_total.get_mut(r.total) {
            *t = true;
        }
    }
    let fixed = primary
        .status
        .iter()
        .map(|s| *s == CellStatus::Secondary)
        .collect();
    let mut work = Work {
        table,
        params,
        relations_of: table.relations_of_cells(),
        members,
        is_total,
        fixed,
        status: primary.status,
        linear_programs: 0,
        audits: 0,
    };
    // Step 1 and 2, until the audit passes; each round hides at least one more cell.
    let report = loop {
        work.close_singletons();
        let report = work.run_audit()?;
        if report.passes() {
            break report;
        }
        let mut touched = vec![false; table.len()];
        let mut hid_any = false;
        for leak in report.leaks() {
            // Leaks that share a relation with a cell hidden in this round wait for the next
            // audit: that cell may already protect them.
            let near_touched = work
                .relations_of
                .get(leak.cell)
                .into_iter()
                .flatten()
                .filter_map(|&r| work.members.get(r))
                .flatten()
                .any(|&c| touched.get(c) == Some(&true));
            if near_touched {
                continue;
            }
            if let Some(c) = work.widen(leak.cell, leak.required_width) {
                hid_any = true;
                if let Some(t) = touched.get_mut(c) {
                    *t = true;
                }
            }
        }
        if !hid_any {
            let names: Vec<String> = report
                .leaks()
                .map(|c| format!("'{}'", c.label))
                .take(5)
                .collect();
            return Err(DisclosureError::NoSafePattern(format!(
                "ook met alle bruikbare cellen afgeschermd blijven {} te nauw begrensd",
                names.join(", ")
            )));
        }
    };
    // Step 3: release secondary cells that turn out not to be needed, most costly first.
    let mut secondary: Vec<usize> = (0..table.len())
        .filter(|&c| {
            work.status.get(c) == Some(&CellStatus::Secondary)
                && !work.fixed.get(c).copied().unwrap_or(false)
        })
        .collect();
    secondary.sort_by(|&a, &b| work.cost(b).total_cmp(&work.cost(a)).then(a.cmp(&b)));
    let mut report = report;
    for cell in secondary {
        let cost_of_try = SuppressionPattern {
            status: work.status.clone(),
        }
        .suppressed()
        .count()
        .saturating_mul(2);
        if work.linear_programs.saturating_add(cost_of_try) > MAX_LINEAR_PROGRAMS {
            break; // The clean-up is an improvement, not a requirement: stop within the budget.
        }
        if let Some(s) = work.status.get_mut(cell) {
            *s = CellStatus::Published;
        }
        let released = (0..work.members.len()).all(|r| !work.needs_more(r));
        let trial = if released {
            Some(work.run_audit()?)
        } else {
            None
        };
        match trial {
            Some(r) if r.passes() => report = r,
            _ => {
                if let Some(s) = work.status.get_mut(cell) {
                    *s = CellStatus::Secondary;
                }
            }
        }
    }
    Ok(Protected {
        pattern: SuppressionPattern {
            status: work.status,
        },
        report,
        audits: work.audits,
    })
}
