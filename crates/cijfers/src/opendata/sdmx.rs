//! SDMX-CSV 2.0 (the SDMX 3.0 CSV data message, field guide in github.com/sdmx-twg/sdmx-csv,
//! `data-message/docs/sdmx-csv-field-guide.md`).
//!
//! Why 2.0 and not 1.0: 1.0 (SDMX 2.1) names the dataflow in one `DATAFLOW` column and has no
//! action; 2.0 is what SDMX 3.0 tools (the .Stat Suite, sdmx1, pysdmx) read and write today, has
//! the `STRUCTURE`, `STRUCTURE_ID` and `ACTION` columns, and allows extra columns. We write the
//! default form of the guide: comma separator, `.` as decimal sign, ids only (`labels=id`),
//! action `I` (information: a dissemination file, not an update), RFC 4180 quoting, CRLF.
//!
//! Columns: `STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,GEO_LEVEL,REF_AREA,TIME_PERIOD,OBS_VALUE,
//! UNIT_MEASURE,DECIMALS,OBS_STATUS,CONF_STATUS`; one row per observation (a cell that has a
//! value or was suppressed; cells the data never had are left out).
//!
//! Status codes from the SDMX global code lists: OBS_STATUS (CL_OBS_STATUS) `A` normal value,
//! `P` provisional value, `E` estimated value, `Q` missing value; suppressed. CONF_STATUS
//! (CL_CONF_STATUS) `F` free, `C` confidential statistical information. A suppressed
//! observation is written with an empty OBS_VALUE (2.0 has no other marker for an
//! intentionally missing value), OBS_STATUS `Q` and CONF_STATUS `C`; CL_OBS_STATUS has no code
//! `C`, so the confidential flag is CONF_STATUS's.

use super::cube::{plain_number, CellStatus, Cube};

/// The content type of SDMX-CSV 2.0 (the media type of the SDMX REST API).
pub const CONTENT_TYPE: &str = "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8";

/// The header row's columns, in order.
pub const COLUMNS: [&str; 12] = [
    "STRUCTURE",
    "STRUCTURE_ID",
    "ACTION",
    "INDICATOR",
    "GEO_LEVEL",
    "REF_AREA",
    "TIME_PERIOD",
    "OBS_VALUE",
    "UNIT_MEASURE",
    "DECIMALS",
    "OBS_STATUS",
    "CONF_STATUS",
];

/// Which dataflow the rows belong to: `AGENCY:ID(VERSION)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataflow {
    pub agency: String,
    pub id: String,
    pub version: String,
}

impl Dataflow {
    /// The platform's dataflow for a cube: agency `KVS` (Kenniscentrum Vlaamse Steden).
    pub fn for_cube(cube: &Cube) -> Dataflow {
        let id: String = cube
            .meta
            .id
            .chars()
            .map(|c| {
                if is_id_char(c) {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
        Dataflow {
            agency: "KVS".into(),
            id: if id.is_empty() {
                "CIJFERS".into()
            } else {
                format!("CIJFERS_{id}")
            },
            version: "1.0.0".into(),
        }
    }

    fn reference(&self) -> String {
        format!("{}:{}({})", self.agency, self.id, self.version)
    }
}

/// The CL_OBS_STATUS and CL_CONF_STATUS codes of a status.
pub fn status_codes(status: CellStatus) -> (&'static str, &'static str) {
    match status {
        CellStatus::Definitive => ("A", "F"),
        CellStatus::Provisional => ("P", "F"),
        CellStatus::Estimated => ("E", "F"),
        CellStatus::Suppressed => ("Q", "C"),
    }
}

/// Why the file cannot be written (Dutch, shown to the user).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SdmxError {
    #[error("'{0}' is geen geldige SDMX-code (alleen letters, cijfers, _, @, $ en -).")]
    InvalidId(String),
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '@' | '$' | '-')
}

/// The SDMX common:IDType rule for coded values: `[A-Za-z0-9_@$\-]+`.
fn check_id(id: &str) -> Result<&str, SdmxError> {
    if !id.is_empty() && id.chars().all(is_id_char) {
        Ok(id)
    } else {
        Err(SdmxError::InvalidId(id.to_string()))
    }
}

/// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) || text.starts_with(' ') || text.ends_with(' ') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn push_row(out: &mut String, cells: &[&str]) {
    let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

/// The SDMX-CSV 2.0 file (UTF-8, no byte-order mark: the first header must read `STRUCTURE`).
pub fn write(cube: &Cube, dataflow: &Dataflow) -> Result<String, SdmxError> {
    for part in [&dataflow.agency, &dataflow.id] {
        check_id(part)?;
    }
    if dataflow.version.is_empty()
        || !dataflow
            .version
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
    {
        return Err(SdmxError::InvalidId(dataflow.version.clone()));
    }
    for code in cube.indicators().iter().map(|i| &i.code) {
        check_id(code)?;
    }
    for geo in cube.geo() {
        check_id(&geo.level)?;
        check_id(&geo.code)?;
    }
    let reference = dataflow.reference();
    let mut out = String::new();
    push_row(&mut out, &COLUMNS);
    for (i, g, p, cell) in cube.observations() {
        let Some(status) = cell.status() else {
            continue;
        };
        let (Some(indicator), Some(geo), Some(period)) = (
            cube.indicators().get(i),
            cube.geo().get(g),
            cube.periods().get(p),
        ) else {
            continue;
        };
        let value = cell
            .published()
            .map(|v| plain_number(v, indicator.decimals))
            .unwrap_or_default();
        let (obs_status, conf_status) = status_codes(status);
        let unit = steden_web::csv::defuse(&indicator.unit);
        let decimals = indicator.decimals.to_string();
        push_row(
            &mut out,
            &[
                "dataflow",
                &reference,
                "I",
                &indicator.code,
                &geo.level,
                &geo.code,
                &period.code,
                &value,
                &unit,
                &decimals,
                obs_status,
                conf_status,
            ],
        );
    }
    Ok(out)
}

#[cfg(test)]
#[path = "sdmx_tests.rs"]
mod tests;
