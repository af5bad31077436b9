//! The column choices of the import's mapping screen (`/plannen/{id}/import/{import_id}/kolommen`):
//! the fields with their form names, reading and setting a field's column in a
//! [`ColumnMapping`], and the select boxes with their options.

use steden_web::page::PageContext;
use steden_web::Choice;

use crate::import::bbc::{self, column_letter, ColumnMapping, Field, Table};

/// One select box of the mapping screen.
pub(crate) struct FieldSelect {
    pub name: &'static str,
    pub label_key: String,
    pub options: Vec<Choice>,
}

/// The single-column fields of the mapping screen, with their form names.
pub(crate) const SINGLE_FIELDS: [(&str, Field); 11] = [
    ("entiteit", Field::Entiteit),
    ("bd_code", Field::BdCode),
    ("bd_title", Field::BdTitle),
    ("ap_code", Field::ApCode),
    ("ap_title", Field::ApTitle),
    ("ac_code", Field::AcCode),
    ("ac_title", Field::AcTitle),
    ("internal_code", Field::InternalCode),
    ("dienst", Field::Dienst),
    ("budget_type", Field::BudgetType),
    ("direction", Field::Direction),
];

/// The column of a single field in a mapping.
pub(crate) fn column_of(mapping: &ColumnMapping, name: &str) -> Option<usize> {
    match name {
        "entiteit" => mapping.entiteit,
        "bd_code" => mapping.bd_code,
        "bd_title" => mapping.bd_title,
        "ap_code" => mapping.ap_code,
        "ap_title" => mapping.ap_title,
        "ac_code" => mapping.ac_code,
        "ac_title" => mapping.ac_title,
        "internal_code" => mapping.internal_code,
        "dienst" => mapping.dienst,
        "budget_type" => mapping.budget_type,
        "direction" => mapping.direction,
        "year" | "amount" | "kind" => match &mapping.amounts {
            bbc::AmountLayout::Long(long) => match name {
                "year" => Some(long.year),
                "amount" => Some(long.amount),
                _ => long.kind,
            },
            _ => None,
        },
        _ => None,
    }
}

pub(crate) fn set_column(mapping: &mut ColumnMapping, name: &str, column: Option<usize>) {
    let slot = match name {
        "entiteit" => &mut mapping.entiteit,
        "bd_code" => &mut mapping.bd_code,
        "bd_title" => &mut mapping.bd_title,
        "ap_code" => &mut mapping.ap_code,
        "ap_title" => &mut mapping.ap_title,
        "ac_code" => &mut mapping.ac_code,
        "ac_title" => &mut mapping.ac_title,
        "internal_code" => &mut mapping.internal_code,
        "dienst" => &mut mapping.dienst,
        "budget_type" => &mut mapping.budget_type,
        "direction" => &mut mapping.direction,
        _ => {
            if let bbc::AmountLayout::Long(long) = &mut mapping.amounts {
                match (name, column) {
                    ("year", Some(c)) => long.year = c,
                    ("amount", Some(c)) => long.amount = c,
                    ("kind", c) => long.kind = c,
                    _ => {}
                }
            }
            return;
        }
    };
    *slot = column;
}

pub(crate) fn field_selects(
    ctx: &PageContext,
    table: &Table,
    mapping: &ColumnMapping,
) -> Vec<FieldSelect> {
    let mut names: Vec<(&'static str, Field)> = SINGLE_FIELDS.to_vec();
    if matches!(mapping.amounts, bbc::AmountLayout::Long(_)) {
        names.extend([
            ("year", Field::Year),
            ("amount", Field::Amount),
            ("kind", Field::Kind),
        ]);
    }
    names
        .into_iter()
        .map(|(name, _)| {
            let current = column_of(mapping, name);
            let mut options = vec![Choice::new(
                "",
                ctx.t("plan-imp-map-none"),
                current.is_none(),
            )];
            options.extend((0..table.width()).map(|c| {
                Choice::new(
                    c.to_string(),
                    format!("{} — {}", column_letter(c), table.full_header(c)),
                    current == Some(c),
                )
            }));
            FieldSelect {
                name,
                label_key: format!("plan-imp-map-{name}"),
                options,
            }
        })
        .collect()
}

pub(crate) fn amount_columns(table: &Table, mapping: &ColumnMapping) -> Vec<String> {
    match &mapping.amounts {
        bbc::AmountLayout::Wide { columns } => columns
            .iter()
            .map(|c| {
                format!(
                    "{} — {}: {} {}",
                    column_letter(c.column),
                    table.full_header(c.column),
                    c.kind.label(),
                    c.year
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}
