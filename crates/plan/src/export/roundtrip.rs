//! What makes a plan's XLSX export importable again: a hidden sheet ([`INFO_SHEET`]) that
//! marks the workbook as the plan's own export and says which column holds what, in which
//! words the statuses and yes/no were written. `crate::import::own_export` reads it back, so
//! that the file needs no mapping screen whatever the language it was exported in, and
//! whatever order the columns were put in.
//!
//! The sheet, one entry per row:
//! - `stedenplatform-planexport` | version (1)
//! - `plan` | the plan's id
//! - `uitleg` | a sentence for whoever unhides the sheet
//! - `kolom` | key (see [`super::PLAN_COLUMNS`], `id`) | header text
//! - `status` | stored status | label as written
//! - `ja` | the word for yes; `nee` | the word for no

use rust_xlsxwriter::{Workbook, XlsxError};

use super::{write_sheet, Table, ID_COLUMN, PLAN_COLUMNS};
use crate::model::ItemStatus;
use crate::release::snapshot::ReleaseSnapshot;

/// The name of the hidden sheet.
pub const INFO_SHEET: &str = "Stedenplatform";

/// The first cell of the hidden sheet.
pub const MARKER: &str = "stedenplatform-planexport";

/// The rows of the hidden sheet for a plan export written with `t`.
pub fn plan_info(snapshot: &ReleaseSnapshot, t: &dyn Fn(&str) -> String) -> Vec<Vec<String>> {
    let mut rows = vec![
        vec![MARKER.to_string(), "1".to_string()],
        vec!["plan".to_string(), snapshot.plan.id.clone()],
        vec![
            "uitleg".to_string(),
            "Dit blad hoort bij de export van het plan. Laat het staan om het bestand na \
             bewerken terug te importeren (plan, Import)."
                .to_string(),
        ],
    ];
    for (key, label) in PLAN_COLUMNS.iter().chain([&ID_COLUMN]) {
        rows.push(vec!["kolom".to_string(), key.to_string(), t(label)]);
    }
    for status in ItemStatus::ALL {
        rows.push(vec![
            "status".to_string(),
            status.as_str().to_string(),
            t(&status.label_key()),
        ]);
    }
    rows.push(vec!["ja".to_string(), t("plan-rep-yes")]);
    rows.push(vec!["nee".to_string(), t("plan-rep-no")]);
    rows
}

/// The table as an XLSX workbook with one sheet named `sheet`, and the hidden [`INFO_SHEET`]
/// with `info`.
pub fn to_xlsx_with_info(
    table: &Table,
    sheet: &str,
    info: &[Vec<String>],
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    write_sheet(&mut workbook, table, sheet)?;
    let hidden = workbook.add_worksheet();
    hidden.set_name(INFO_SHEET)?;
    for (r, row) in info.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            hidden.write_string(r as u32, c as u16, text)?;
        }
    }
    hidden.set_hidden(true);
    workbook.save_to_buffer()
}
