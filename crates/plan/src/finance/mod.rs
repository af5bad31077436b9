//! Amounts per item, year, kind and type; budget against realisation.
//!
//! plan_amounts holds each item's *own* amounts (as the BBC import writes them: an actieplan's
//! lines without actie stay on the actieplan). A parent's figures are the sum over its
//! subtree, computed here in Rust from one read of the plan's items and amounts, so that the
//! plan, every top-level item and any single item come from the same numbers.
//!
//! Budget is the krediet of a year where there is one, else its raming (a meerjarenplan has
//! ramingen for later years, kredieten for the current one); realisation is the rekening.

use std::collections::{BTreeMap, HashMap};

use steden_core::error::CoreResult;

use crate::import::bbc::format_amount;
use crate::model::finance::{AmountRow, ItemNode as Node};
use crate::store;

/// Raming, krediet and rekening of one cell, in cents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub raming: i64,
    pub krediet: i64,
    pub rekening: i64,
}

impl Figures {
    fn add(&mut self, kind: &str, cents: i64) {
        let slot = match kind {
            "raming" => &mut self.raming,
            "krediet" => &mut self.krediet,
            _ => &mut self.rekening,
        };
        *slot = slot.saturating_add(cents);
    }

    fn plus(mut self, other: Figures) -> Figures {
        self.raming = self.raming.saturating_add(other.raming);
        self.krediet = self.krediet.saturating_add(other.krediet);
        self.rekening = self.rekening.saturating_add(other.rekening);
        self
    }

    /// The krediet where there is one, else the raming.
    pub fn budget(&self) -> i64 {
        if self.krediet != 0 {
            self.krediet
        } else {
            self.raming
        }
    }

    /// Realisation as a whole percentage of the budget (none without a budget).
    pub fn realisation_percent(&self) -> Option<i64> {
        let budget = self.budget();
        (budget != 0).then(|| (self.rekening.saturating_mul(100)) / budget)
    }

    pub fn is_zero(&self) -> bool {
        *self == Figures::default()
    }
}

/// Figures by year, direction (uitgaven / ontvangsten / '') and budget type
/// (exploitatie / investering / financiering / '').
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Breakdown {
    pub cells: BTreeMap<(i64, String, String), Figures>,
}

/// The directions in display order ('' for amounts whose file did not say).
pub const DIRECTIONS: [&str; 3] = ["uitgaven", "ontvangsten", ""];
/// The budget types in display order.
pub const BUDGET_TYPES: [&str; 4] = ["exploitatie", "investering", "financiering", ""];

impl Breakdown {
    fn add(&mut self, row: &AmountRow) {
        self.cells
            .entry((row.year, row.direction.clone(), row.budget_type.clone()))
            .or_default()
            .add(&row.kind, row.cents);
    }

    fn merge(&mut self, other: &Breakdown) {
        for (key, figures) in &other.cells {
            let slot = self.cells.entry(key.clone()).or_default();
            *slot = slot.plus(*figures);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.cells.values().all(Figures::is_zero)
    }

    pub fn years(&self) -> Vec<i64> {
        let mut years: Vec<i64> = self.cells.keys().map(|k| k.0).collect();
        years.dedup();
        years
    }

    /// The directions that have amounts, in display order.
    pub fn directions(&self) -> Vec<&'static str> {
        DIRECTIONS
            .into_iter()
            .filter(|d| self.cells.keys().any(|k| k.1 == *d))
            .collect()
    }

    /// One cell; zero when absent.
    pub fn get(&self, year: i64, direction: &str, budget_type: &str) -> Figures {
        self.cells
            .get(&(year, direction.to_string(), budget_type.to_string()))
            .copied()
            .unwrap_or_default()
    }

    /// A year's figures for a direction, over all types.
    pub fn year(&self, year: i64, direction: &str) -> Figures {
        self.cells
            .iter()
            .filter(|(k, _)| k.0 == year && k.1 == direction)
            .fold(Figures::default(), |sum, (_, f)| sum.plus(*f))
    }

    /// All years' figures for a direction.
    pub fn total(&self, direction: &str) -> Figures {
        self.cells
            .iter()
            .filter(|(k, _)| k.1 == direction)
            .fold(Figures::default(), |sum, (_, f)| sum.plus(*f))
    }

    /// Expenditure per year: uitgaven and amounts without a direction (BBC exports without a
    /// direction column list expenditure).
    pub fn expenditure_by_year(&self) -> Vec<(i64, Figures)> {
        self.years()
            .into_iter()
            .map(|y| (y, self.year(y, "uitgaven").plus(self.year(y, ""))))
            .collect()
    }

    /// The budget types a direction has amounts of, in display order.
    pub fn budget_types(&self, direction: &str) -> Vec<&'static str> {
        BUDGET_TYPES
            .into_iter()
            .filter(|t| self.cells.keys().any(|k| k.1 == direction && k.2 == *t))
            .collect()
    }
}

/// A top-level item with the figures of its subtree.
#[derive(Debug, Clone)]
pub struct TopItem {
    pub id: String,
    pub code: String,
    pub title: String,
    pub breakdown: Breakdown,
}

/// The figures of a plan: the whole plan and each top-level item.
#[derive(Debug, Clone, Default)]
pub struct PlanFinance {
    pub plan: Breakdown,
    pub top: Vec<TopItem>,
}

/// Each item's own figures, and the subtree figures rolled up to every ancestor.
fn subtree_figures(nodes: &[Node], amounts: &[AmountRow]) -> HashMap<String, Breakdown> {
    let mut own: HashMap<String, Breakdown> = HashMap::new();
    for row in amounts {
        own.entry(row.item_id.clone()).or_default().add(row);
    }
    let parent: HashMap<&str, Option<&str>> = nodes
        .iter()
        .map(|n| (n.id.as_str(), n.parent_id.as_deref()))
        .collect();
    let mut total: HashMap<String, Breakdown> = HashMap::new();
    for (item, figures) in &own {
        let mut current = Some(item.as_str());
        let mut steps = 0;
        while let Some(id) = current {
            total.entry(id.to_string()).or_default().merge(figures);
            current = parent.get(id).copied().flatten();
            steps += 1;
            if steps > 64 {
                break;
            }
        }
    }
    total
}

/// The plan's figures and those of each top-level item (sums over their subtrees).
pub async fn plan_finance(pool: &sqlx::AnyPool, plan_id: &str) -> CoreResult<PlanFinance> {
    let (mut nodes, amounts) = store::finance::plan_rows(pool, plan_id).await?;
    let mut plan = Breakdown::default();
    for row in &amounts {
        plan.add(row);
    }
    let totals = subtree_figures(&nodes, &amounts);
    nodes.retain(|n| n.depth == 0);
    nodes.sort_by_key(|n| n.position);
    let top = nodes
        .into_iter()
        .map(|n| TopItem {
            breakdown: totals.get(&n.id).cloned().unwrap_or_default(),
            id: n.id,
            code: n.code,
            title: n.title,
        })
        .collect();
    Ok(PlanFinance { plan, top })
}

/// An item's figures: its own amounts and those of its descendants.
pub async fn item_finance(
    pool: &sqlx::AnyPool,
    plan_id: &str,
    item_id: &str,
) -> CoreResult<Breakdown> {
    let (nodes, amounts) = store::finance::plan_rows(pool, plan_id).await?;
    Ok(subtree_figures(&nodes, &amounts)
        .remove(item_id)
        .unwrap_or_default())
}

/// Cents as euros, the Belgian way: "€ 1.234.567,89".
pub fn euros(cents: i64) -> String {
    format!("€ {}", format_amount(cents))
}

/// One year of the bar chart, with its geometry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartBar {
    pub year: i64,
    pub x: i64,
    pub budget_y: i64,
    pub budget_height: i64,
    pub real_x: i64,
    pub real_y: i64,
    pub real_height: i64,
    pub text_x: i64,
    pub budget: String,
    pub realisation: String,
}

/// Height of the bars' area in the SVG (user units).
pub const CHART_HEIGHT: i64 = 200;
/// Width per year group.
pub const CHART_GROUP: i64 = 120;
/// Width of one bar.
pub const CHART_BAR: i64 = 40;

/// Height of the whole chart (bars, axis and the labels under it), in user units.
pub const CHART_VIEW_HEIGHT: i64 = 280;

/// Width of the chart for `years` years, in user units. The SVG gets this as its width in
/// pixels too (scaled down on narrow screens, never up), so that a single year is a small
/// chart with normal text instead of one stretched over the page.
pub fn chart_width(years: usize) -> i64 {
    60 + i64::try_from(years).unwrap_or(0) * CHART_GROUP
}

/// Bars for budget and realisation per year (expenditure), scaled to the largest value.
pub fn chart(breakdown: &Breakdown) -> Vec<ChartBar> {
    let years = breakdown.expenditure_by_year();
    let max = years
        .iter()
        .map(|(_, f)| f.budget().max(f.rekening).max(0))
        .max()
        .unwrap_or(0)
        .max(1);
    let scale = |v: i64| -> i64 {
        let v = i128::from(v.max(0));
        i64::try_from(v * i128::from(CHART_HEIGHT) / i128::from(max)).unwrap_or(CHART_HEIGHT)
    };
    let top = 20;
    years
        .into_iter()
        .enumerate()
        .map(|(i, (year, f))| {
            let x = 40 + i64::try_from(i).unwrap_or(0) * CHART_GROUP;
            let bh = scale(f.budget());
            let rh = scale(f.rekening);
            ChartBar {
                year,
                x,
                budget_y: top + CHART_HEIGHT - bh,
                budget_height: bh,
                real_x: x + CHART_BAR + 4,
                real_y: top + CHART_HEIGHT - rh,
                real_height: rh,
                text_x: x + CHART_BAR + 2,
                budget: euros(f.budget()),
                realisation: euros(f.rekening),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(item: &str, year: i64, kind: &str, direction: &str, cents: i64) -> AmountRow {
        AmountRow {
            item_id: item.into(),
            year,
            kind: kind.into(),
            budget_type: "exploitatie".into(),
            direction: direction.into(),
            cents,
        }
    }

    #[test]
    fn subtrees_add_up_and_budget_prefers_krediet() {
        let node = |id: &str, parent: Option<&str>, depth| Node {
            id: id.into(),
            parent_id: parent.map(Into::into),
            code: id.into(),
            title: id.into(),
            depth,
            position: 0,
        };
        let nodes = vec![
            node("bd", None, 0),
            node("ap", Some("bd"), 1),
            node("ac", Some("ap"), 2),
        ];
        let amounts = vec![
            row("ac", 2026, "raming", "uitgaven", 1000),
            row("ac", 2026, "krediet", "uitgaven", 800),
            row("ap", 2026, "rekening", "uitgaven", 500),
            row("ac", 2027, "raming", "ontvangsten", 300),
        ];
        let totals = subtree_figures(&nodes, &amounts);
        let bd = &totals["bd"];
        let f = bd.year(2026, "uitgaven");
        assert_eq!((f.raming, f.krediet, f.rekening), (1000, 800, 500));
        assert_eq!(f.budget(), 800);
        assert_eq!(f.realisation_percent(), Some(62));
        assert_eq!(bd.total("ontvangsten").raming, 300);
        assert_eq!(totals["ac"].year(2026, "uitgaven").rekening, 0);
        assert_eq!(bd.years(), vec![2026, 2027]);
        let bars = chart(bd);
        assert_eq!(bars[0].budget_height, CHART_HEIGHT);
        assert_eq!(bars[0].real_height, CHART_HEIGHT * 500 / 800);
        assert_eq!(euros(123_456_789), "€ 1.234.567,89");
    }
}
