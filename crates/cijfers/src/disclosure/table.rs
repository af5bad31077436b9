//! The input of disclosure control: a table of cells and the additive relations between them.
//!
//! Every table shape (margins in one, two or three dimensions, hierarchical totals such as
//! sectors → wijk → city) reduces to a list of cells and relations "total = sum of parts";
//! the rules, the secondary suppression and the audit only ever see this form.

use serde::Serialize;

/// At most this many cells in one table: the audit solves two linear programs per suppressed
/// cell, so the work grows quickly; a larger table must be split into sub-tables by the caller.
pub const MAX_CELLS: usize = 5_000;
/// At most this many relations in one table.
pub const MAX_RELATIONS: usize = 5_000;
/// At most this many terms (parts plus totals) over all relations together.
pub const MAX_RELATION_TERMS: usize = 100_000;
/// At most this many largest contributions kept per cell (the dominance rule needs only n).
pub const MAX_CONTRIBUTIONS: usize = 100;
/// Values above this are refused: beyond 10^15 an f64 no longer holds every integer and the
/// linear programs lose their precision (no statistic of a city comes near it).
pub const MAX_VALUE: f64 = 1e15;
/// Labels are shown on pages and in reasons; longer ones are refused.
pub const MAX_LABEL_CHARS: usize = 200;

/// One cell of a table, as the data team's table holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellInput {
    /// A stable key (e.g. "11002|0-14"), unique within the table.
    pub key: String,
    /// What a person reads (e.g. "Antwerpen, 0-14 jaar").
    pub label: String,
    /// The value: a count or a magnitude (kWh, euro); never negative.
    pub value: f64,
    /// The number of contributors (persons, households, companies) behind the value.
    pub contributors: u64,
    /// The largest contributions (any order, at most [`MAX_CONTRIBUTIONS`]) for the dominance
    /// rule; empty for frequency tables, where the rule does not apply.
    pub largest: Vec<f64>,
    /// An upper bound an outsider knows for this cell (e.g. a capacity), if any. The lower
    /// bound is always 0.
    pub upper_bound: Option<f64>,
    /// Suppressed at the source (e.g. Statbel's '*') or by the data team's decision.
    pub forced: bool,
}

impl CellInput {
    /// A cell with a value and a contributor count, no contributions, no bound, not forced.
    pub fn new(
        key: impl Into<String>,
        label: impl Into<String>,
        value: f64,
        contributors: u64,
    ) -> Self {
        CellInput {
            key: key.into(),
            label: label.into(),
            value,
            contributors,
            largest: Vec::new(),
            upper_bound: None,
            forced: false,
        }
    }

    /// The same cell with its largest contributions (for the dominance rule).
    pub fn with_largest(mut self, largest: Vec<f64>) -> Self {
        self.largest = largest;
        self
    }
}

/// "total = sum of parts", by cell index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Relation {
    /// What the relation is (e.g. "rijtotaal Antwerpen"), for reasons shown to people.
    pub label: String,
    pub total: usize,
    pub parts: Vec<usize>,
}

/// A validated table: every value finite, non-negative and in range, every relation refers to
/// existing cells, names each at most once and adds up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    cells: Vec<CellInput>,
    relations: Vec<Relation>,
}

/// Why a table cannot be protected or published; every message is shown to the data team.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DisclosureError {
    #[error(
        "De tabel is te groot: {what} ({count}, hoogstens {max}). Splits ze op in deeltabellen."
    )]
    TooLarge {
        what: &'static str,
        count: usize,
        max: usize,
    },
    #[error("Cel '{label}': {reason}")]
    InvalidCell { label: String, reason: String },
    #[error("De sleutel '{key}' komt meer dan eens voor in de tabel.")]
    DuplicateKey { key: String },
    #[error("Relatie '{relation}': {reason}")]
    InvalidRelation { relation: String, reason: String },
    #[error(
        "Relatie '{relation}' klopt niet: het totaal is {total}, de som van de delen is {sum}."
    )]
    NotAdditive {
        relation: String,
        total: f64,
        sum: f64,
    },
    #[error("Een parameter is ongeldig: {0}")]
    InvalidParameter(String),
    #[error("De controle kon niet rekenen voor cel '{label}': {reason}")]
    Solver { label: String, reason: String },
    #[error("Geen veilig patroon gevonden: {0}")]
    NoSafePattern(String),
}

fn invalid_cell(cell: &CellInput, reason: impl Into<String>) -> DisclosureError {
    DisclosureError::InvalidCell {
        label: short(&cell.label),
        reason: reason.into(),
    }
}

/// A label cut to [`MAX_LABEL_CHARS`] for messages (the table itself refuses longer ones).
fn short(label: &str) -> String {
    label.chars().take(MAX_LABEL_CHARS).collect()
}

impl Table {
    /// Validates and builds a table. `tolerance` is the absolute difference allowed between a
    /// total and the sum of its parts (0 for exact counts; rounded sources need a little).
    pub fn new(
        cells: Vec<CellInput>,
        relations: Vec<Relation>,
        tolerance: f64,
    ) -> Result<Table, DisclosureError> {
        if cells.len() > MAX_CELLS {
            return Err(DisclosureError::TooLarge {
                what: "aantal cellen",
                count: cells.len(),
                max: MAX_CELLS,
            });
        }
        if relations.len() > MAX_RELATIONS {
            return Err(DisclosureError::TooLarge {
                what: "aantal relaties",
                count: relations.len(),
                max: MAX_RELATIONS,
            });
        }
        let terms = relations.iter().fold(0usize, |acc, r| {
            acc.saturating_add(r.parts.len()).saturating_add(1)
        });
        if terms > MAX_RELATION_TERMS {
            return Err(DisclosureError::TooLarge {
                what: "termen in de relaties",
                count: terms,
                max: MAX_RELATION_TERMS,
            });
        }
        if !tolerance.is_finite() || tolerance < 0.0 {
            return Err(DisclosureError::InvalidParameter(
                "de tolerantie voor totalen moet een eindig getal ≥ 0 zijn".into(),
            ));
        }
        let mut keys = std::collections::HashSet::with_capacity(cells.len());
        for cell in &cells {
            validate_cell(cell)?;
            if !keys.insert(cell.key.as_str()) {
                return Err(DisclosureError::DuplicateKey {
                    key: short(&cell.key),
                });
            }
        }
        for relation in &relations {
            validate_relation(relation, &cells, tolerance)?;
        }
        Ok(Table { cells, relations })
    }

    pub fn cells(&self) -> &[CellInput] {
        &self.cells
    }

    pub fn relations(&self) -> &[Relation] {
        &self.relations
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The index of the cell with this key.
    pub fn index_of(&self, key: &str) -> Option<usize> {
        self.cells.iter().position(|c| c.key == key)
    }

    /// Each relation as (cell, coefficient) terms with the total at +1 and the parts at -1, so
    /// that the terms sum to zero.
    pub fn signed_terms(&self) -> Vec<Vec<(usize, f64)>> {
        self.relations
            .iter()
            .map(|r| {
                std::iter::once((r.total, 1.0))
                    .chain(r.parts.iter().map(|&p| (p, -1.0)))
                    .collect()
            })
            .collect()
    }

    /// For each cell, the relations it takes part in.
    pub fn relations_of_cells(&self) -> Vec<Vec<usize>> {
        let mut of = vec![Vec::new(); self.cells.len()];
        for (ri, r) in self.relations.iter().enumerate() {
            for &c in std::iter::once(&r.total).chain(r.parts.iter()) {
                if let Some(list) = of.get_mut(c) {
                    list.push(ri);
                }
            }
        }
        of
    }
}

fn validate_cell(cell: &CellInput) -> Result<(), DisclosureError> {
    if cell.key.chars().count() > MAX_LABEL_CHARS || cell.label.chars().count() > MAX_LABEL_CHARS {
        return Err(invalid_cell(
            cell,
            format!("sleutel of naam is langer dan {MAX_LABEL_CHARS} tekens"),
        ));
    }
    check_number(cell, cell.value, "de waarde")?;
    if let Some(bound) = cell.upper_bound {
        check_number(cell, bound, "de bovengrens")?;
        if bound < cell.value {
            return Err(invalid_cell(
                cell,
                format!("de bovengrens {bound} ligt onder de waarde {}", cell.value),
            ));
        }
    }
    if cell.largest.len() > MAX_CONTRIBUTIONS {
        return Err(invalid_cell(
            cell,
            format!("meer dan {MAX_CONTRIBUTIONS} grootste bijdragen opgegeven"),
        ));
    }
    for &c in &cell.largest {
        check_number(cell, c, "een bijdrage")?;
    }
    let sum: f64 = cell.largest.iter().sum();
    // A little slack: the contributions may have been rounded separately from the value.
    if sum > cell.value * (1.0 + 1e-9) + 1e-9 {
        return Err(invalid_cell(
            cell,
            format!(
                "de grootste bijdragen ({sum}) zijn samen groter dan de waarde ({})",
                cell.value
            ),
        ));
    }
    if cell.largest.len() as u64 > cell.contributors {
        return Err(invalid_cell(
            cell,
            "er zijn meer bijdragen opgegeven dan bijdragers",
        ));
    }
    Ok(())
}

fn check_number(cell: &CellInput, x: f64, what: &str) -> Result<(), DisclosureError> {
    if x.is_nan() {
        return Err(invalid_cell(cell, format!("{what} is geen getal")));
    }
    if x.is_infinite() || x.abs() > MAX_VALUE {
        return Err(invalid_cell(
            cell,
            format!("{what} is te groot (hoogstens {MAX_VALUE:e})"),
        ));
    }
    if x < 0.0 {
        return Err(invalid_cell(
            cell,
            format!("{what} is negatief ({x}); geheimhouding werkt hier alleen met waarden ≥ 0"),
        ));
    }
    Ok(())
}

fn validate_relation(
    relation: &Relation,
    cells: &[CellInput],
    tolerance: f64,
) -> Result<(), DisclosureError> {
    let name = short(&relation.label);
    let err = |reason: String| DisclosureError::InvalidRelation {
        relation: name.clone(),
        reason,
    };
    if relation.parts.is_empty() {
        return Err(err("de relatie heeft geen delen".into()));
    }
    let mut seen = std::collections::HashSet::with_capacity(relation.parts.len() + 1);
    let mut sum = 0.0;
    for &i in std::iter::once(&relation.total).chain(relation.parts.iter()) {
        let Some(cell) = cells.get(i) else {
            return Err(err(format!("verwijst naar cel {i}, die niet bestaat")));
        };
        if !seen.insert(i) {
            return Err(err(format!(
                "cel '{}' komt er meer dan eens in voor",
                short(&cell.label)
            )));
        }
        if i != relation.total {
            sum += cell.value;
        }
    }
    let total = cells.get(relation.total).map(|c| c.value).unwrap_or(0.0);
    // Relative slack for sums of large floats on top of the caller's tolerance.
    if (total - sum).abs() > tolerance + 1e-9 * total.max(sum).max(1.0) {
        return Err(DisclosureError::NotAdditive {
            relation: name,
            total,
            sum,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(key: &str, value: f64) -> CellInput {
        CellInput::new(key, key, value, 10)
    }

    #[test]
    fn disclosure_table_refuses_bad_numbers_with_a_dutch_reason() {
        for (value, word) in [
            (f64::NAN, "geen getal"),
            (-1.0, "negatief"),
            (f64::INFINITY, "te groot"),
            (1e300, "te groot"),
        ] {
            let err = Table::new(vec![cell("a", value)], vec![], 0.0).unwrap_err();
            assert!(err.to_string().contains(word), "{value}: {err}");
        }
        let mut c = cell("a", 5.0);
        c.upper_bound = Some(3.0);
        assert!(Table::new(vec![c], vec![], 0.0)
            .unwrap_err()
            .to_string()
            .contains("bovengrens"));
        let c = cell("a", 5.0).with_largest(vec![4.0, 3.0]);
        assert!(Table::new(vec![c], vec![], 0.0)
            .unwrap_err()
            .to_string()
            .contains("groter dan de waarde"));
    }

    #[test]
    fn disclosure_table_checks_relations() {
        let cells = vec![cell("t", 10.0), cell("a", 4.0), cell("b", 6.0)];
        let ok = Relation {
            label: "totaal".into(),
            total: 0,
            parts: vec![1, 2],
        };
        assert!(Table::new(cells.clone(), vec![ok.clone()], 0.0).is_ok());
        let wrong = Relation {
            label: "totaal".into(),
            total: 0,
            parts: vec![1],
        };
        assert!(matches!(
            Table::new(cells.clone(), vec![wrong], 0.0),
            Err(DisclosureError::NotAdditive { .. })
        ));
        let twice = Relation {
            label: "totaal".into(),
            total: 0,
            parts: vec![1, 1],
        };
        assert!(Table::new(cells.clone(), vec![twice], 0.0)
            .unwrap_err()
            .to_string()
            .contains("meer dan eens"));
        let missing = Relation {
            label: "totaal".into(),
            total: 0,
            parts: vec![7],
        };
        assert!(Table::new(cells.clone(), vec![missing], 0.0)
            .unwrap_err()
            .to_string()
            .contains("bestaat"));
        let dup = vec![cell("a", 1.0), cell("a", 2.0)];
        assert!(matches!(
            Table::new(dup, vec![], 0.0),
            Err(DisclosureError::DuplicateKey { .. })
        ));
        assert!(Table::new(vec![], vec![], 0.0).unwrap().is_empty());
        let signed = Table::new(cells, vec![ok], 0.0).unwrap().signed_terms();
        assert_eq!(signed, vec![vec![(0, 1.0), (1, -1.0), (2, -1.0)]]);
    }

    #[test]
    fn disclosure_table_refuses_too_many_cells() {
        let cells: Vec<_> = (0..=MAX_CELLS).map(|i| cell(&i.to_string(), 1.0)).collect();
        let err = Table::new(cells, vec![], 0.0).unwrap_err();
        assert!(matches!(err, DisclosureError::TooLarge { .. }));
        assert!(err.to_string().contains("deeltabellen"));
    }
}
