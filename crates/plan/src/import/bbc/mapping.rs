//! The user's choice of which column holds what — proposed by [`super::detect_columns`],
//! confirmed or corrected on the mapping screen, then applied by [`super::apply`].
//!
//! Columns are 0-based indexes into the [`super::Table`]. The mapping is plain serde data so
//! that it can be kept in a hidden form field (as JSON) between the mapping screen and the
//! preview.

use serde::{Deserialize, Serialize};

use super::model::{BudgetType, Direction, Kind};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ColumnMapping {
    pub entiteit: Option<usize>,
    /// Required. The cell may hold the code alone or the code followed by its title.
    pub bd_code: Option<usize>,
    /// `None`: the title follows the code in the code column ("BD01 Een veilige stad").
    pub bd_title: Option<usize>,
    pub ap_code: Option<usize>,
    pub ap_title: Option<usize>,
    pub ac_code: Option<usize>,
    pub ac_title: Option<usize>,
    /// The financial software's own action code ("MJP004937").
    pub internal_code: Option<usize>,
    pub dienst: Option<usize>,
    /// A column with exploitatie / investering / financiering per line.
    pub budget_type: Option<usize>,
    /// A column with uitgaven / ontvangsten per line.
    pub direction: Option<usize>,
    pub amounts: AmountLayout,
}

/// Where the amounts are.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "layout", rename_all = "snake_case")]
pub enum AmountLayout {
    /// No amounts: only the tree is imported.
    #[default]
    None,
    /// One column per year (and kind): "Raming 2026", "2027 krediet", "Uitgaven 2028".
    Wide { columns: Vec<AmountColumn> },
    /// One line per year: a year column and an amount column, optionally a kind column.
    Long(LongAmounts),
}

/// A column of amounts in the wide layout, with what its header says about them. Type and
/// direction given here win over the row's type and direction columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmountColumn {
    pub column: usize,
    pub year: i32,
    pub kind: Kind,
    pub budget_type: Option<BudgetType>,
    pub direction: Option<Direction>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LongAmounts {
    pub year: usize,
    pub amount: usize,
    /// A column with raming / krediet / rekening; without it every amount is `default_kind`.
    pub kind: Option<usize>,
    pub default_kind: Kind,
}

impl ColumnMapping {
    /// Every column the mapping uses, with what for (Dutch, for messages).
    pub fn used_columns(&self) -> Vec<(usize, &'static str)> {
        let mut used = Vec::new();
        let singles = [
            (self.entiteit, "entiteit"),
            (self.bd_code, "beleidsdoelstelling (code)"),
            (self.bd_title, "beleidsdoelstelling (titel)"),
            (self.ap_code, "actieplan (code)"),
            (self.ap_title, "actieplan (titel)"),
            (self.ac_code, "actie (code)"),
            (self.ac_title, "actie (titel)"),
            (self.internal_code, "interne actiecode"),
            (self.dienst, "dienst"),
            (self.budget_type, "type (exploitatie/investering)"),
            (self.direction, "uitgaven/ontvangsten"),
        ];
        used.extend(
            singles
                .into_iter()
                .filter_map(|(c, what)| c.map(|c| (c, what))),
        );
        match &self.amounts {
            AmountLayout::None => {}
            AmountLayout::Wide { columns } => {
                used.extend(columns.iter().map(|c| (c.column, "bedragen")));
            }
            AmountLayout::Long(long) => {
                used.push((long.year, "jaar"));
                used.push((long.amount, "bedrag"));
                if let Some(k) = long.kind {
                    used.push((k, "soort bedrag"));
                }
            }
        }
        used
    }
}
