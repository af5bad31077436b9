//! Primary suppression: the cells whose own value would disclose something about a person or a
//! company (too few contributors, or one or two contributors dominate the value).

use serde::Serialize;

use crate::disclosure::params::DisclosureParams;
use crate::disclosure::table::{CellInput, DisclosureError, Table};

/// Why a cell is sensitive in itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum PrimaryReason {
    /// Fewer contributors than the minimum count.
    MinCount { contributors: u64, min_count: u64 },
    /// No contributors, and the indicator protects empty cells.
    ZeroCell,
    /// The n largest contributors make up more than k % of the value.
    Dominance {
        n: usize,
        share_percent: f64,
        k_percent: f64,
    },
    /// Suppressed at the source or by the data team.
    Forced,
}

impl PrimaryReason {
    /// The reason in Dutch, for the data team's page.
    pub fn reason_nl(&self) -> String {
        match self {
            PrimaryReason::MinCount { contributors, min_count } => {
                format!("te weinig waarnemingen ({contributors}, minimum {min_count})")
            }
            PrimaryReason::ZeroCell => "lege cel (nul waarnemingen), die hier afgeschermd wordt".into(),
            PrimaryReason::Dominance { n, share_percent, k_percent } => format!(
                "dominantie: de {n} grootste bijdragen zijn samen {share_percent:.1} % van de waarde (grens {k_percent} %)"
            ),
            PrimaryReason::Forced => "afgeschermd door de bron of het datateam".into(),
        }
    }
}

/// What happens to a cell on publication.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CellStatus {
    Published,
    Primary(PrimaryReason),
    /// Suppressed only so that a primary cell cannot be computed back.
    Secondary,
}

impl CellStatus {
    pub fn is_suppressed(&self) -> bool {
        !matches!(self, CellStatus::Published)
    }

    pub fn is_primary(&self) -> bool {
        matches!(self, CellStatus::Primary(_))
    }

    /// The status in Dutch, for the data team's page.
    pub fn label_nl(&self) -> &'static str {
        match self {
            CellStatus::Published => "gepubliceerd",
            CellStatus::Primary(_) => "primair afgeschermd",
            CellStatus::Secondary => "secundair afgeschermd",
        }
    }
}

/// The status of every cell of a table, in the table's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuppressionPattern {
    pub status: Vec<CellStatus>,
}

impl SuppressionPattern {
    /// Whether cell `i` is suppressed (a cell outside the table counts as suppressed, so that a
    /// mistaken index never publishes anything).
    pub fn is_suppressed(&self, i: usize) -> bool {
        self.status.get(i).is_none_or(CellStatus::is_suppressed)
    }

    pub fn suppressed(&self) -> impl Iterator<Item = usize> + '_ {
        self.status
            .iter()
            .enumerate()
            .filter(|(_, s)| s.is_suppressed())
            .map(|(i, _)| i)
    }

    pub fn count(&self, pred: impl Fn(&CellStatus) -> bool) -> usize {
        self.status.iter().filter(|s| pred(s)).count()
    }

    /// What the public may see of each cell: its value, or `None` when suppressed (also for a
    /// pattern that does not match the table, cell by cell).
    pub fn published_values(&self, table: &Table) -> Vec<Option<f64>> {
        table
            .cells()
            .iter()
            .enumerate()
            .map(|(i, c)| (!self.is_suppressed(i)).then_some(c.value))
            .collect()
    }
}

/// The primary rule that applies to one cell, if any (forced first, then zero, count,
/// dominance).
pub fn primary_reason(cell: &CellInput, params: &DisclosureParams) -> Option<PrimaryReason> {
    if cell.forced {
        return Some(PrimaryReason::Forced);
    }
    if cell.contributors == 0 {
        return params
            .suppress_zero_cells
            .then_some(PrimaryReason::ZeroCell);
    }
    if cell.contributors < params.min_count {
        return Some(PrimaryReason::MinCount {
            contributors: cell.contributors,
            min_count: params.min_count,
        });
    }
    let rule = params.dominance?;
    if cell.largest.is_empty() || cell.value <= 0.0 {
        return None;
    }
    let mut largest = cell.largest.clone();
    largest.sort_by(|a, b| b.total_cmp(a));
    let top: f64 = largest.iter().take(rule.n).sum();
    let share_percent = top / cell.value * 100.0;
    (share_percent > rule.k_percent).then_some(PrimaryReason::Dominance {
        n: rule.n,
        share_percent: share_percent.min(100.0),
        k_percent: rule.k_percent,
    })
}

/// Applies the primary rules to every cell of the table.
pub fn primary_suppression(
    table: &Table,
    params: &DisclosureParams,
) -> Result<SuppressionPattern, DisclosureError> {
    params
        .validate()
        .map_err(DisclosureError::InvalidParameter)?;
    let status = table
        .cells()
        .iter()
        .map(|c| primary_reason(c, params).map_or(CellStatus::Published, CellStatus::Primary))
        .collect();
    Ok(SuppressionPattern { status })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::params::DominanceRule;

    #[test]
    fn disclosure_min_count_rule_and_zero_policy() {
        let p = DisclosureParams::default();
        let reason = |count: u64, p: &DisclosureParams| {
            primary_reason(&CellInput::new("a", "a", count as f64, count), p)
        };
        assert_eq!(
            reason(4, &p),
            Some(PrimaryReason::MinCount {
                contributors: 4,
                min_count: 5
            })
        );
        assert_eq!(
            reason(1, &p),
            Some(PrimaryReason::MinCount {
                contributors: 1,
                min_count: 5
            })
        );
        assert_eq!(reason(5, &p), None);
        assert_eq!(reason(0, &p), None, "zeros are published by default");
        let zeros = DisclosureParams {
            suppress_zero_cells: true,
            ..p
        };
        assert_eq!(reason(0, &zeros), Some(PrimaryReason::ZeroCell));
        let ten = DisclosureParams { min_count: 10, ..p };
        assert!(reason(9, &ten).is_some());
        assert!(reason(4, &p).unwrap().reason_nl().contains("te weinig"));
    }

    #[test]
    fn disclosure_dominance_rule() {
        let p = DisclosureParams {
            dominance: Some(DominanceRule {
                n: 2,
                k_percent: 85.0,
            }),
            ..Default::default()
        };
        // 10 companies use 1000 MWh; the two largest 600 + 300 = 90 % > 85 %: sensitive.
        let big = CellInput::new("a", "a", 1000.0, 10).with_largest(vec![300.0, 50.0, 600.0]);
        match primary_reason(&big, &p) {
            Some(PrimaryReason::Dominance {
                n: 2,
                share_percent,
                ..
            }) => assert!((share_percent - 90.0).abs() < 1e-9),
            other => panic!("expected dominance, got {other:?}"),
        }
        // 500 + 300 = 80 % ≤ 85 %: not sensitive.
        let spread = CellInput::new("b", "b", 1000.0, 10).with_largest(vec![500.0, 300.0]);
        assert_eq!(primary_reason(&spread, &p), None);
        // Exactly at k is not "more than k".
        let edge = CellInput::new("c", "c", 1000.0, 10).with_largest(vec![450.0, 400.0]);
        assert_eq!(primary_reason(&edge, &p), None);
        // One dominant contributor under a (1, 50) rule.
        let one = DisclosureParams {
            dominance: Some(DominanceRule {
                n: 1,
                k_percent: 50.0,
            }),
            ..p
        };
        let c = CellInput::new("d", "d", 100.0, 20).with_largest(vec![51.0]);
        assert!(matches!(
            primary_reason(&c, &one),
            Some(PrimaryReason::Dominance { n: 1, .. })
        ));
        assert!(primary_reason(&c, &one)
            .unwrap()
            .reason_nl()
            .contains("dominantie"));
        // Without contributions (a frequency table) the rule does not apply.
        assert_eq!(
            primary_reason(&CellInput::new("e", "e", 100.0, 20), &p),
            None
        );
        let none = DisclosureParams {
            dominance: None,
            ..p
        };
        assert_eq!(primary_reason(&big, &none), None);
    }

    #[test]
    fn disclosure_forced_cells_and_whole_table() {
        let mut forced = CellInput::new("a", "a", 100.0, 50);
        forced.forced = true;
        let t = Table::new(
            vec![
                forced,
                CellInput::new("b", "b", 3.0, 3),
                CellInput::new("c", "c", 30.0, 30),
            ],
            vec![],
            0.0,
        )
        .unwrap();
        let pattern = primary_suppression(&t, &DisclosureParams::default()).unwrap();
        assert_eq!(
            pattern.status[0],
            CellStatus::Primary(PrimaryReason::Forced)
        );
        assert!(pattern.status[1].is_primary());
        assert_eq!(pattern.status[2], CellStatus::Published);
        assert_eq!(pattern.suppressed().collect::<Vec<_>>(), vec![0, 1]);
        assert_eq!(pattern.published_values(&t), vec![None, None, Some(30.0)]);
        assert!(pattern.is_suppressed(99));
    }
}
