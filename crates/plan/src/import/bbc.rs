//! The BBC overview "beleidsdoelstellingen, actieplannen en acties met ramingen", from the CSV or
//! XLSX export of the financial software, to a tree of beleidsdoelstellingen → actieplannen →
//! acties with their amounts per year.
//!
//! Three pure steps, so that the web layer can show a mapping screen and a preview between
//! them and the import job can run them again without asking:
//! 1. [`parse_file`] / [`parse_csv`] / [`parse_xlsx`]: bytes → [`Table`] (header row found below
//!    any title lines; encoding and separator detected; line numbers as Excel shows them);
//! 2. [`detect_columns`]: [`Table`] → [`ColumnGuess`], a proposed [`ColumnMapping`] with a
//!    confidence per field and the [`Ambiguity`]s the user must settle;
//! 3. [`apply`]: [`Table`] + [`ColumnMapping`] → [`BbcImport`] or every [`RowError`] found.
//!
//! [`import`] chains the three for files whose columns are clear.
//!
//! Amounts are Belgian ("1.234.567,89"), kept as integer cents; see [`parse_amount`] for the
//! exact rule. Duplicate lines of one actie are added up; what must agree between them (parent,
//! title, internal code, entiteit) is refused with both line numbers; see [`apply`]'s module.

mod amount;
mod apply;
mod code;
mod detect;
mod mapping;
mod model;
mod table;
#[cfg(feature = "testdata")]
pub mod testdata;
mod words;

pub use amount::{format_amount, parse_amount, AmountError, BelgianAmount, Cents};
pub use apply::apply;
pub use code::Level;
pub use detect::{detect_columns, Ambiguity, ColumnGuess, Field, FieldGuess};
pub use mapping::{AmountColumn, AmountLayout, ColumnMapping, LongAmounts};
pub use model::{
    Actieplan, Amount, AmountKey, BbcImport, Beleidsdoelstelling, BudgetType, Direction, Item,
    Kind, RowError, Warning,
};
pub use table::{column_letter, parse_csv, parse_file, parse_xlsx, ParseError, Row, Source, Table};

/// Why [`import`] did not produce a tree.
#[derive(Clone)]
pub enum ImportError {
    /// The file could not be read as a table.
    Parse(ParseError),
    /// The columns need the user's decision (show the mapping screen with this guess).
    NeedsMapping(Box<(Table, ColumnGuess)>),
    /// Lines with errors; nothing may be imported.
    Rows(Vec<RowError>),
}

impl ImportError {
    /// The Dutch messages for the user, one per problem.
    pub fn messages(&self) -> Vec<String> {
        match self {
            ImportError::Parse(e) => vec![e.to_string()],
            ImportError::NeedsMapping(b) => {
                b.1.ambiguities.iter().map(|a| a.message.clone()).collect()
            }
            ImportError::Rows(errors) => errors.iter().map(ToString::to_string).collect(),
        }
    }
}

/// The messages, not the whole table a `NeedsMapping` carries.
impl std::fmt::Debug for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            ImportError::Parse(_) => "Parse",
            ImportError::NeedsMapping(_) => "NeedsMapping",
            ImportError::Rows(_) => "Rows",
        };
        f.debug_tuple(kind).field(&self.messages()).finish()
    }
}

/// Reads, recognises and applies in one go; refuses when any column is ambiguous.
pub fn import(bytes: &[u8]) -> Result<BbcImport, ImportError> {
    let table = parse_file(bytes).map_err(ImportError::Parse)?;
    let guess = detect_columns(&table);
    if !guess.is_certain() {
        return Err(ImportError::NeedsMapping(Box::new((table, guess))));
    }
    apply(&table, &guess.mapping).map_err(ImportError::Rows)
}
