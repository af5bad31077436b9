//! XLSX and CSV export of a plan and of its indicators.
//!
//! Both exports start from a [`ReleaseSnapshot`]: the plan as it is now
//! ([`crate::release::snapshot::current`]) or a release, so that what a file shows is what the
//! pages show. A [`Table`] of typed cells is built once and written either way:
//!
//! - CSV for Belgian spreadsheets: semicolon-separated, UTF-8 with a byte order mark, decimal
//!   comma without thousands separators, dates as dd/mm/jjjj;
//! - XLSX with real numbers and dates (dd/mm/yyyy) and euros formatted with two decimals.
//!
//! Amounts: one column per (year, kind, direction) found in the plan's amounts, summed over
//! the budget types (exploitatie, investering, financiering), in euros. Uitgaven and
//! ontvangsten stay in separate columns, since adding them up would mean nothing; amounts
//! without a direction get a column of their own.
//!
//! Texts (headers, status labels, yes/no) come through a translator so that the file follows
//! the user's language.

use std::collections::{BTreeSet, HashMap};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use crate::model::theme_label;
use crate::release::snapshot::{ItemSnapshot, PlanSnapshot, ReleaseSnapshot};

mod roundtrip;

pub use roundtrip::{plan_info, to_xlsx_with_info, INFO_SHEET, MARKER};

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Number(f64),
    /// 'YYYY-MM-DD', or empty.
    Date(Option<String>),
    /// An amount in cents, written in euros.
    Euro(i64),
}

/// Headers and rows, ready to be written as CSV or XLSX.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The order of amount kinds and directions in the columns.
fn kind_rank(kind: &str) -> usize {
    ["raming", "krediet", "rekening"]
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(9)
}

fn direction_rank(direction: &str) -> usize {
    ["uitgaven", "ontvangsten", ""]
        .iter()
        .position(|d| *d == direction)
        .unwrap_or(9)
}

/// An amount column: (year, kind, direction).
type AmountKey = (i64, String, String);

fn amount_columns(snapshot: &ReleaseSnapshot) -> Vec<AmountKey> {
    let keys: BTreeSet<(i64, usize, usize, String, String)> = snapshot
        .amounts
        .iter()
        .map(|a| {
            (
                a.year,
                kind_rank(&a.kind),
                direction_rank(&a.direction),
                a.kind.clone(),
                a.direction.clone(),
            )
        })
        .collect();
    keys.into_iter()
        .map(|(year, _, _, kind, direction)| (year, kind, direction))
        .collect()
}

/// The columns of the plan table before the amounts: (key, label key). The keys are what the
/// hidden info sheet of the XLSX names them by, so that [`crate::import::own_export`] reads
/// the file back whatever the language of its headers.
pub const PLAN_COLUMNS: [(&str, &str); 13] = [
    ("code", "plan-rep-col-code"),
    ("level", "plan-rep-col-level"),
    ("parent", "plan-rep-col-parent"),
    ("title", "plan-rep-col-title"),
    ("description", "plan-rep-col-description"),
    ("status", "plan-rep-col-status"),
    ("progress", "plan-rep-col-progress"),
    ("owner", "plan-rep-col-owner"),
    ("service", "plan-rep-col-service"),
    ("start", "plan-rep-col-start"),
    ("end", "plan-rep-col-end"),
    ("prioritair", "plan-rep-col-prioritair"),
    ("themes", "plan-rep-col-themes"),
];

/// The last column of the plan table, after the amounts: the item's id, the surest key for
/// importing the file back.
pub const ID_COLUMN: (&str, &str) = ("id", "plan-rep-col-id");

/// The name of an item's level in exports: the one place that decides it.
pub fn level_of(plan: &PlanSnapshot, item: &ItemSnapshot) -> String {
    plan.level_name(item.level()).to_string()
}

/// One row per item in tree order: code, level, parent code, title, description (both in
/// full), status, progress, owner, service, start, end, prioritair, themes, then the amount
/// columns and the item's id.
pub fn plan_table(snapshot: &ReleaseSnapshot, t: &dyn Fn(&str) -> String) -> Table {
    let columns = amount_columns(snapshot);
    let mut headers: Vec<String> = PLAN_COLUMNS.iter().map(|(_, k)| t(k)).collect();
    headers.extend(
        columns
            .iter()
            .map(|(year, kind, direction)| format!("{year} {kind} {direction}").trim().to_string()),
    );
    headers.push(t(ID_COLUMN.1));
    let codes: HashMap<&str, &str> = snapshot
        .items
        .iter()
        .map(|i| (i.id.as_str(), i.code.as_str()))
        .collect();
    let mut sums: HashMap<(&str, AmountKey), i64> = HashMap::new();
    for a in &snapshot.amounts {
        let key = (a.year, a.kind.clone(), a.direction.clone());
        *sums.entry((a.item_id.as_str(), key)).or_default() += a.cents;
    }
    let yes = t("plan-rep-yes");
    let no = t("plan-rep-no");
    let rows = snapshot
        .items
        .iter()
        .map(|item| {
            let parent = item
                .parent_id
                .as_deref()
                .and_then(|p| codes.get(p))
                .unwrap_or(&"");
            let themes: Vec<String> = item.themes.iter().map(|c| theme_label(c)).collect();
            let mut row = vec![
                Cell::Text(item.code.clone()),
                Cell::Text(level_of(&snapshot.plan, item)),
                Cell::Text(parent.to_string()),
                Cell::Text(item.title.clone()),
                Cell::Text(item.description.clone()),
                Cell::Text(t(&item.status.label_key())),
                Cell::Int(item.progress),
                Cell::Text(item.owner_name.clone()),
                Cell::Text(item.responsible_service.clone()),
                Cell::Date(item.start_date.clone()),
                Cell::Date(item.end_date.clone()),
                Cell::Text(if item.prioritair { &yes } else { &no }.clone()),
                Cell::Text(themes.join(", ")),
            ];
            row.extend(columns.iter().map(
                |key| match sums.get(&(item.id.as_str(), key.clone())) {
                    Some(cents) => Cell::Euro(*cents),
                    None => Cell::Text(String::new()),
                },
            ));
            row.push(Cell::Text(item.id.clone()));
            row
        })
        .collect();
    Table { headers, rows }
}

/// One row for the baseline, and one per target and per measurement of every indicator: item
/// code, indicator, unit, kind of row (basiswaarde, streefwaarde or meting), date, value,
/// comment, author; then what else an editor sets on the indicator (direction, source,
/// frequency), repeated on each of its rows.
pub fn indicator_table(snapshot: &ReleaseSnapshot, t: &dyn Fn(&str) -> String) -> Table {
    let headers = [
        "plan-rep-col-code",
        "plan-rep-col-indicator",
        "plan-rep-col-unit",
        "plan-rep-col-rowkind",
        "plan-rep-col-date",
        "plan-rep-col-value",
        "plan-rep-col-comment",
        "plan-rep-col-author",
        "plan-rep-col-direction",
        "plan-rep-col-source",
        "plan-rep-col-frequency",
    ]
    .iter()
    .map(|k| t(k))
    .collect();
    let baseline = t("plan-rep-rowkind-baseline");
    let target = t("plan-rep-rowkind-target");
    let measurement = t("plan-rep-rowkind-measurement");
    let mut rows = Vec::new();
    for ind in &snapshot.indicators {
        let direction = if ind.direction.is_empty() {
            String::new()
        } else {
            t(&format!("plan-ind-direction-{}", ind.direction))
        };
        let frequency = if ind.frequency.is_empty() {
            String::new()
        } else {
            t(&format!("plan-ind-frequency-{}", ind.frequency))
        };
        let row = |kind: &str, date: Cell, value: f64, comment: &str, author: &str| {
            vec![
                Cell::Text(ind.item_code.clone()),
                Cell::Text(ind.name.clone()),
                Cell::Text(ind.unit.clone()),
                Cell::Text(kind.to_string()),
                date,
                Cell::Number(value),
                Cell::Text(comment.to_string()),
                Cell::Text(author.to_string()),
                Cell::Text(direction.clone()),
                Cell::Text(ind.source.clone()),
                Cell::Text(frequency.clone()),
            ]
        };
        let baseline_date = Some(ind.baseline_date.clone()).filter(|d| !d.is_empty());
        rows.push(row(
            &baseline,
            Cell::Date(baseline_date),
            ind.baseline_value,
            "",
            "",
        ));
        for tg in &ind.targets {
            rows.push(row(
                &target,
                Cell::Date(Some(tg.date.clone())),
                tg.value,
                "",
                "",
            ));
        }
        for m in &ind.measurements {
            rows.push(row(
                &measurement,
                Cell::Date(Some(m.measured_on.clone())),
                m.value,
                &m.comment,
                &m.author,
            ));
        }
    }
    Table { headers, rows }
}

/// 'YYYY-MM-DD' as 'dd/mm/jjjj' (other text is kept).
pub fn belgian_date(date: &str) -> String {
    match chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d") {
        Ok(d) => d.format("%d/%m/%Y").to_string(),
        Err(_) => date.to_string(),
    }
}

/// A number with a decimal comma and no thousands separators: 1234,5.
pub fn belgian_number(value: f64) -> String {
    if !value.is_finite() {
        return String::new();
    }
    format!("{value}").replace('.', ",")
}

/// Cents as euros with a decimal comma: 1234,50.
pub fn belgian_euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{},{:02}", abs / 100, abs % 100)
}

fn csv_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => text.clone(),
        Cell::Int(n) => n.to_string(),
        Cell::Number(v) => belgian_number(*v),
        Cell::Date(d) => d.as_deref().map(belgian_date).unwrap_or_default(),
        Cell::Euro(cents) => belgian_euros(*cents),
    }
}

/// The table as CSV through the shell's one writer (`steden_web::csv`): UTF-8 with BOM,
/// semicolons, quotes where needed, and cells that a spreadsheet would run as a formula
/// (`=`, `+`, `-`, `@`, tab, carriage return; plain numbers excepted) defused.
pub fn to_csv(table: &Table) -> Vec<u8> {
    let mut writer = steden_web::csv::CsvWriter::new();
    writer.row(&table.headers);
    for row in &table.rows {
        writer.row(row.iter().map(csv_text));
    }
    writer.finish()
}

fn excel_date(date: &str) -> Option<ExcelDateTime> {
    let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    use chrono::Datelike;
    let year = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8).ok()
}

/// The table as an XLSX workbook with one sheet named `sheet`.
pub fn to_xlsx(table: &Table, sheet: &str) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    write_sheet(&mut workbook, table, sheet)?;
    workbook.save_to_buffer()
}

/// Adds a sheet named `sheet` with the table: bold headers, numbers, dates and euros typed.
fn write_sheet(workbook: &mut Workbook, table: &Table, sheet: &str) -> Result<(), XlsxError> {
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet)?;
    let bold = Format::new().set_bold();
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    let euro_format = Format::new().set_num_format("#,##0.00");
    for (c, header) in table.headers.iter().enumerate() {
        worksheet.write_string_with_format(0, c as u16, header, &bold)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(text) if text.is_empty() => {}
                Cell::Text(text) => {
                    worksheet.write_string(r, c, text)?;
                }
                Cell::Int(n) => {
                    worksheet.write_number(r, c, *n as f64)?;
                }
                Cell::Number(v) => {
                    worksheet.write_number(r, c, *v)?;
                }
                Cell::Date(Some(d)) => match excel_date(d) {
                    Some(date) => {
                        worksheet.write_datetime_with_format(r, c, date, &date_format)?;
                    }
                    None => {
                        worksheet.write_string(r, c, d)?;
                    }
                },
                Cell::Date(None) => {}
                Cell::Euro(cents) => {
                    worksheet.write_number_with_format(
                        r,
                        c,
                        *cents as f64 / 100.0,
                        &euro_format,
                    )?;
                }
            }
        }
    }
    worksheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A file name from a title: lower case ASCII letters and digits joined by hyphens
/// ("Meerjarenplan Gent 2026–2031" → "meerjarenplan-gent-2026-2031").
pub fn slugify(title: &str) -> String {
    let out = steden_core::slug::slug_words(title);
    if out.is_empty() {
        "plan".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn belgian_formats() {
        assert_eq!(belgian_date("2026-03-05"), "05/03/2026");
        assert_eq!(belgian_number(1234.5), "1234,5");
        assert_eq!(belgian_number(7.0), "7");
        assert_eq!(belgian_euros(123_456), "1234,56");
        assert_eq!(belgian_euros(-5), "-0,05");
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Meerjarenplan Gent 2026–2031"),
            "meerjarenplan-gent-2026-2031"
        );
        assert_eq!(slugify("Één café!"), "een-cafe");
        assert_eq!(slugify("—"), "plan");
    }

    #[test]
    fn csv_has_bom_semicolons_and_quotes() {
        let table = Table {
            headers: vec!["Code".into(), "Titel".into()],
            rows: vec![vec![Cell::Text("A;1".into()), Cell::Euro(150)]],
        };
        let bytes = to_csv(&table);
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text, "\u{feff}Code;Titel\r\n\"A;1\";1,50\r\n");
    }
}
