//! What an import produces: the BD → AP → AC tree with amounts, and what the user must see
//! (warnings that do not stop the import, errors that do).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::amount::Cents;

/// Kind of amount in BBC: the estimate in the meerjarenplan, the credit (budget) of a year, or
/// the realisation in the annual account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Raming,
    Krediet,
    Rekening,
}

/// Exploitatie, investering or financiering (the BBC "type" of a budget line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetType {
    Exploitatie,
    Investering,
    Financiering,
}

/// Uitgaven (expenditure) or ontvangsten (receipts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Uitgaven,
    Ontvangsten,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Raming => "raming",
            Kind::Krediet => "krediet",
            Kind::Rekening => "rekening",
        }
    }
}

impl BudgetType {
    pub fn label(self) -> &'static str {
        match self {
            BudgetType::Exploitatie => "exploitatie",
            BudgetType::Investering => "investering",
            BudgetType::Financiering => "financiering",
        }
    }
}

impl Direction {
    pub fn label(self) -> &'static str {
        match self {
            Direction::Uitgaven => "uitgaven",
            Direction::Ontvangsten => "ontvangsten",
        }
    }
}

/// What an amount is about. Type and direction are `None` when the file does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AmountKey {
    pub year: i32,
    pub kind: Kind,
    pub budget_type: Option<BudgetType>,
    pub direction: Option<Direction>,
}

/// The sum of all lines with the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    #[serde(flatten)]
    pub key: AmountKey,
    pub cents: Cents,
}

/// What a beleidsdoelstelling, actieplan and actie have in common.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Normalised code: upper-case prefix, no space ("AP01.02").
    pub code: String,
    /// The full text; BBC's short title is limited to 100 characters, longer ones are kept and
    /// reported as a warning.
    pub title: String,
    pub internal_code: Option<String>,
    pub dienst: Option<String>,
    /// The entities (Stad, OCMW) of the lines of this item, in order of appearance. An actie
    /// has at most one; a beleidsdoelstelling can span both.
    pub entiteiten: Vec<String>,
    /// Amounts on the lines of this item itself (for an actieplan: lines without an actie),
    /// summed per key, sorted by key.
    pub amounts: Vec<Amount>,
    /// The first line the item appears on.
    pub line: usize,
}

impl Item {
    pub(crate) fn new(code: String, line: usize) -> Self {
        Item {
            code,
            title: String::new(),
            internal_code: None,
            dienst: None,
            entiteiten: Vec::new(),
            amounts: Vec::new(),
            line,
        }
    }

    /// Adds to the amount with this key; `None` when the sum would overflow.
    pub(crate) fn add_amount(&mut self, key: AmountKey, cents: Cents) -> Option<()> {
        match self.amounts.iter_mut().find(|a| a.key == key) {
            Some(a) => a.cents = a.cents.checked_add(cents)?,
            None => self.amounts.push(Amount { key, cents }),
        }
        Some(())
    }

    /// Sum (saturating) of this item's own amounts that match `filter`.
    pub fn own_total(&self, filter: impl Fn(&AmountKey) -> bool) -> Cents {
        self.amounts
            .iter()
            .filter(|a| filter(&a.key))
            .fold(0, |sum, a| sum.saturating_add(a.cents))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actieplan {
    #[serde(flatten)]
    pub item: Item,
    pub acties: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Beleidsdoelstelling {
    #[serde(flatten)]
    pub item: Item,
    pub actieplannen: Vec<Actieplan>,
}

impl Actieplan {
    /// This actieplan's own amounts plus those of its acties.
    pub fn total(&self, filter: impl Fn(&AmountKey) -> bool + Copy) -> Cents {
        self.acties
            .iter()
            .fold(self.item.own_total(filter), |sum, a| {
                sum.saturating_add(a.own_total(filter))
            })
    }
}

impl Beleidsdoelstelling {
    /// This beleidsdoelstelling's own amounts plus those of everything under it.
    pub fn total(&self, filter: impl Fn(&AmountKey) -> bool + Copy) -> Cents {
        self.actieplannen
            .iter()
            .fold(self.item.own_total(filter), |sum, ap| {
                sum.saturating_add(ap.total(filter))
            })
    }
}

/// Something the user should look at, but that does not stop the import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Regel {}: {}", self.line, self.message)
    }
}

/// Why the import is refused. `line` is `None` for problems with the mapping as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "Regel {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The parsed export, ready for a preview and for the import job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BbcImport {
    pub beleidsdoelstellingen: Vec<Beleidsdoelstelling>,
    pub warnings: Vec<Warning>,
    /// Data lines read (blank lines not counted).
    pub lines_read: usize,
    /// Lines left out on purpose: subtotal and total lines ("Totaal BD01").
    pub lines_skipped: Vec<usize>,
}

impl BbcImport {
    pub fn actieplannen(&self) -> impl Iterator<Item = &Actieplan> {
        self.beleidsdoelstellingen
            .iter()
            .flat_map(|bd| bd.actieplannen.iter())
    }

    pub fn acties(&self) -> impl Iterator<Item = &Item> {
        self.actieplannen().flat_map(|ap| ap.acties.iter())
    }

    /// Every item at every level, parents before children.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.beleidsdoelstellingen.iter().flat_map(|bd| {
            std::iter::once(&bd.item).chain(
                bd.actieplannen
                    .iter()
                    .flat_map(|ap| std::iter::once(&ap.item).chain(ap.acties.iter())),
            )
        })
    }

    /// Sum over the whole file of the amounts that match `filter`.
    pub fn total(&self, filter: impl Fn(&AmountKey) -> bool + Copy) -> Cents {
        self.beleidsdoelstellingen
            .iter()
            .fold(0, |sum, bd| sum.saturating_add(bd.total(filter)))
    }
}
