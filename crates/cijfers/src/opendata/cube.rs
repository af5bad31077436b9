//! The cube every open-data writer reads: indicators × places × periods, one cell each.
//!
//! The store fills a [`Cube`] from the database; the writers (JSON-stat, SDMX-CSV, CSV, XLSX,
//! Swing, OData) only read it. A suppressed value's number is dropped the moment it enters the
//! cube ([`Cube::set`]), and [`Cell::published`] is the only way a writer reads a number, so no
//! writer can publish a suppressed value even by mistake.

use std::collections::HashMap;

/// The most cells one cube may hold (indicators × places × periods): a dense JSON-stat value
/// array of this length is about 100 MB, more than any download should be.
pub const MAX_CELLS: usize = 5_000_000;

/// The standing of a value, as the data model keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CellStatus {
    Definitive,
    Provisional,
    Estimated,
    /// Held back by disclosure control: never published, not even its number.
    Suppressed,
}

impl CellStatus {
    /// The status as the data model stores it (`definitive`, `provisional`, …).
    pub fn parse(text: &str) -> Option<CellStatus> {
        match text {
            "definitive" => Some(CellStatus::Definitive),
            "provisional" => Some(CellStatus::Provisional),
            "estimated" => Some(CellStatus::Estimated),
            "suppressed" => Some(CellStatus::Suppressed),
            _ => None,
        }
    }

    /// The Dutch word shown next to a value in downloads (empty for a definitive value).
    pub fn flag_nl(self) -> &'static str {
        match self {
            CellStatus::Definitive => "",
            CellStatus::Provisional => "voorlopig",
            CellStatus::Estimated => "geschat",
            CellStatus::Suppressed => "geheim (niet gepubliceerd wegens privacy)",
        }
    }
}

/// An indicator as the cube shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CubeIndicator {
    pub code: String,
    pub name: String,
    /// Free text: `aantal`, `%`, `kWh`, `euro`.
    pub unit: String,
    /// Decimals shown and published; values are rounded to them in every format.
    pub decimals: u8,
    /// The definition, shown as a note (may be empty).
    pub definition: String,
    /// Where the figures come from (may be empty).
    pub source: String,
}

/// A place: a REFNIS code for the region, provinces and municipalities, a sector code, or a
/// city's own wijk code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CubeGeo {
    /// `gewest`, `provincie`, `gemeente`, `wijk` or `sector`.
    pub level: String,
    pub code: String,
    pub name: String,
}

/// A period by its code: `2024`, `2024-Q1`, `2024-03` or `2024-03-15` (also the SDMX
/// `TIME_PERIOD` forms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CubePeriod {
    pub code: String,
    /// Shown to people; the code when empty.
    pub label: String,
}

impl CubePeriod {
    pub fn new(code: &str) -> CubePeriod {
        CubePeriod {
            code: code.to_string(),
            label: code.to_string(),
        }
    }

    /// The Swing and OData period level of the code's form.
    pub fn level(&self) -> &'static str {
        let parts: Vec<&str> = self.code.split('-').collect();
        match parts.as_slice() {
            [_] => "year",
            [_, q] if q.starts_with('Q') => "quarter",
            [_, _] => "month",
            _ => "day",
        }
    }
}

/// What the dataset is, for the metadata of every format.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CubeMeta {
    /// A stable identifier (letters, digits, `-`, `_`), used in file names and SDMX.
    pub id: String,
    pub title: String,
    pub description: String,
    pub source: String,
    /// When the data last changed: `YYYY-MM-DD` or RFC 3339.
    pub updated: String,
    /// The permalink of the table, if any.
    pub href: Option<String>,
    pub notes: Vec<String>,
}

/// One cell as a writer sees it. The number of a suppressed cell is gone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    value: Option<f64>,
    status: Option<CellStatus>,
}

impl Cell {
    const EMPTY: Cell = Cell {
        value: None,
        status: None,
    };

    /// The number that may be published: never for a suppressed cell, never NaN or infinite.
    pub fn published(&self) -> Option<f64> {
        match self.status {
            Some(CellStatus::Suppressed) | None => None,
            Some(_) => self.value.filter(|v| v.is_finite()),
        }
    }

    /// The status; `None` when the cube has no value at all for this cell.
    pub fn status(&self) -> Option<CellStatus> {
        self.status
    }

    pub fn is_suppressed(&self) -> bool {
        self.status == Some(CellStatus::Suppressed)
    }
}

/// Why a cube cannot be built; the text is Dutch and shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CubeError {
    #[error("De tabel is te groot: {0} cellen (hoogstens 5.000.000). Kies minder indicatoren, gebieden of perioden.")]
    TooLarge(String),
    #[error("{what} '{code}' komt twee keer voor.")]
    Duplicate { what: &'static str, code: String },
    #[error("{what} '{code}' hoort niet bij deze tabel.")]
    Unknown { what: &'static str, code: String },
    #[error("Indicator '{0}': hoogstens 10 decimalen.")]
    Decimals(String),
}

/// Indicators × places × periods, each cell a value with its status or empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Cube {
    pub meta: CubeMeta,
    indicators: Vec<CubeIndicator>,
    geo: Vec<CubeGeo>,
    periods: Vec<CubePeriod>,
    /// Row-major: indicator, then place, then period (the JSON-stat order).
    cells: Vec<Cell>,
    indicator_index: HashMap<String, usize>,
    geo_index: HashMap<String, usize>,
    period_index: HashMap<String, usize>,
}

fn index_of<T>(
    items: &[T],
    key: impl Fn(&T) -> &str,
    what: &'static str,
) -> Result<HashMap<String, usize>, CubeError> {
    let mut index = HashMap::with_capacity(items.len());
    for (n, item) in items.iter().enumerate() {
        if index.insert(key(item).to_string(), n).is_some() {
            return Err(CubeError::Duplicate {
                what,
                code: key(item).to_string(),
            });
        }
    }
    Ok(index)
}

impl Cube {
    /// An empty cube. Place codes must be unique across levels (REFNIS and sector codes are;
    /// a city's wijk codes get a prefix from the store when they could collide).
    pub fn new(
        meta: CubeMeta,
        indicators: Vec<CubeIndicator>,
        geo: Vec<CubeGeo>,
        periods: Vec<CubePeriod>,
    ) -> Result<Cube, CubeError> {
        let size = indicators
            .len()
            .checked_mul(geo.len())
            .and_then(|n| n.checked_mul(periods.len()))
            .filter(|n| *n <= MAX_CELLS)
            .ok_or_else(|| {
                CubeError::TooLarge(format!(
                    "{} × {} × {}",
                    indicators.len(),
                    geo.len(),
                    periods.len()
                ))
            })?;
        if let Some(i) = indicators.iter().find(|i| i.decimals > 10) {
            return Err(CubeError::Decimals(i.code.clone()));
        }
        let indicator_index = index_of(&indicators, |i| &i.code, "Indicator")?;
        let geo_index = index_of(&geo, |g| &g.code, "Gebiedscode")?;
        let period_index = index_of(&periods, |p| &p.code, "Periode")?;
        Ok(Cube {
            meta,
            indicators,
            geo,
            periods,
            cells: vec![Cell::EMPTY; size],
            indicator_index,
            geo_index,
            period_index,
        })
    }

    /// Puts a value in its cell. A suppressed value's number is dropped here, and a number
    /// that is not finite is kept as no number.
    pub fn set(
        &mut self,
        indicator: &str,
        geo: &str,
        period: &str,
        value: Option<f64>,
        status: CellStatus,
    ) -> Result<(), CubeError> {
        let position = self.position_of(indicator, geo, period)?;
        let value = match status {
            CellStatus::Suppressed => None,
            _ => value.filter(|v| v.is_finite()),
        };
        if let Some(cell) = self.cells.get_mut(position) {
            *cell = Cell {
                value,
                status: Some(status),
            };
        }
        Ok(())
    }

    fn position_of(&self, indicator: &str, geo: &str, period: &str) -> Result<usize, CubeError> {
        let unknown = |what, code: &str| CubeError::Unknown {
            what,
            code: code.to_string(),
        };
        let i = *self
            .indicator_index
            .get(indicator)
            .ok_or_else(|| unknown("Indicator", indicator))?;
        let g = *self
            .geo_index
            .get(geo)
            .ok_or_else(|| unknown("Gebiedscode", geo))?;
        let p = *self
            .period_index
            .get(period)
            .ok_or_else(|| unknown("Periode", period))?;
        Ok((i * self.geo.len() + g) * self.periods.len() + p)
    }

    pub fn indicators(&self) -> &[CubeIndicator] {
        &self.indicators
    }

    pub fn geo(&self) -> &[CubeGeo] {
        &self.geo
    }

    pub fn periods(&self) -> &[CubePeriod] {
        &self.periods
    }

    /// The cells in row-major order (indicator, place, period).
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    /// The cell at positions in the three lists (empty when out of range).
    pub fn cell(&self, indicator: usize, geo: usize, period: usize) -> Cell {
        if indicator >= self.indicators.len()
            || geo >= self.geo.len()
            || period >= self.periods.len()
        {
            return Cell::EMPTY;
        }
        let position = (indicator * self.geo.len() + geo) * self.periods.len() + period;
        self.cells.get(position).copied().unwrap_or(Cell::EMPTY)
    }

    /// The cell for codes, if all three are in the cube.
    pub fn cell_by_code(&self, indicator: &str, geo: &str, period: &str) -> Option<Cell> {
        let position = self.position_of(indicator, geo, period).ok()?;
        self.cells.get(position).copied()
    }

    /// Every cell with its three positions, in row-major order.
    pub fn observations(&self) -> impl Iterator<Item = (usize, usize, usize, Cell)> + '_ {
        let (geos, periods) = (self.geo.len(), self.periods.len());
        self.cells.iter().enumerate().map(move |(n, cell)| {
            let per_indicator = geos * periods;
            (n / per_indicator, (n / periods) % geos, n % periods, *cell)
        })
    }

    /// The published number of a cell rounded to its indicator's decimals.
    pub fn rounded(&self, indicator: usize, cell: Cell) -> Option<f64> {
        let decimals = self.indicators.get(indicator).map_or(0, |i| i.decimals);
        cell.published().map(|v| round_to(v, decimals))
    }
}

/// Rounds half away from zero to `decimals` places.
pub fn round_to(value: f64, decimals: u8) -> f64 {
    let factor = 10f64.powi(i32::from(decimals));
    let rounded = (value * factor).round() / factor;
    if rounded == 0.0 {
        0.0 // no "-0"
    } else {
        rounded
    }
}

/// The number in plain machine form with the indicator's decimals (`1234.5`, `-0.25`).
pub fn plain_number(value: f64, decimals: u8) -> String {
    let text = format!("{:.*}", usize::from(decimals), round_to(value, decimals));
    if text.starts_with('-') && text.trim_start_matches(['-', '0', '.']).is_empty() {
        text.trim_start_matches('-').to_string()
    } else {
        text
    }
}

/// A small cube for the tests of every writer: two indicators, three places, three years,
/// with one provisional, one estimated, one suppressed and one missing cell.
#[cfg(test)]
pub(crate) fn sample_cube() -> Cube {
    let indicators = vec![
        CubeIndicator {
            code: "bev_tot".into(),
            name: "Inwoners".into(),
            unit: "aantal".into(),
            decimals: 0,
            definition: "Inwoners op 1 januari".into(),
            source: "Statbel".into(),
        },
        CubeIndicator {
            code: "werkl_pct".into(),
            name: "Werkloosheid; \"geregistreerd\"".into(),
            unit: "%".into(),
            decimals: 1,
            definition: String::new(),
            source: "Steunpunt Werk".into(),
        },
    ];
    let geo = vec![
        CubeGeo {
            level: "gemeente".into(),
            code: "44021".into(),
            name: "Gent".into(),
        },
        CubeGeo {
            level: "gemeente".into(),
            code: "11002".into(),
            name: "Antwerpen".into(),
        },
        CubeGeo {
            level: "gewest".into(),
            code: "02000".into(),
            name: "Vlaams Gewest".into(),
        },
    ];
    let periods = ["2022", "2023", "2024"].map(CubePeriod::new).to_vec();
    let meta = CubeMeta {
        id: "demo-tabel".into(),
        title: "Bevolking en werk".into(),
        description: "Demotabel".into(),
        source: "Statbel; Steunpunt Werk".into(),
        updated: "2025-03-01".into(),
        href: Some("https://steden.example/cijfers/tabel/demo".into()),
        notes: vec!["Demogegevens".into()],
    };
    let mut cube = Cube::new(meta, indicators, geo, periods).expect("sample");
    let mut n = 0.0;
    for i in ["bev_tot", "werkl_pct"] {
        for g in ["44021", "11002", "02000"] {
            for p in ["2022", "2023", "2024"] {
                n += 1.0;
                let value = if i == "bev_tot" {
                    1000.0 * n + 0.4
                } else {
                    n / 3.0
                };
                cube.set(i, g, p, Some(value), CellStatus::Definitive)
                    .expect("set");
            }
        }
    }
    cube.set(
        "bev_tot",
        "44021",
        "2024",
        Some(265_086.0),
        CellStatus::Provisional,
    )
    .expect("set");
    cube.set(
        "werkl_pct",
        "11002",
        "2023",
        Some(8.25),
        CellStatus::Estimated,
    )
    .expect("set");
    // The secret number must never appear in any output.
    cube.set(
        "werkl_pct",
        "44021",
        "2022",
        Some(987.654),
        CellStatus::Suppressed,
    )
    .expect("set");
    cube
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppressed_numbers_are_dropped_on_entry() {
        let cube = sample_cube();
        let cell = cube.cell_by_code("werkl_pct", "44021", "2022").unwrap();
        assert!(cell.is_suppressed());
        assert_eq!(cell.published(), None);
        assert!(
            !format!("{cube:?}").contains("987"),
            "the number is not kept"
        );
    }

    #[test]
    fn positions_are_row_major() {
        let cube = sample_cube();
        for (i, g, p, cell) in cube.observations() {
            assert_eq!(cube.cell(i, g, p), cell);
        }
        let cell = cube.cell_by_code("bev_tot", "11002", "2023").unwrap();
        assert_eq!(cell.published(), Some(5000.4));
        assert_eq!(cube.cell(9, 0, 0), Cell::EMPTY);
    }

    #[test]
    fn sizes_duplicates_and_unknown_codes_are_refused() {
        let indicator = |code: &str| CubeIndicator {
            code: code.into(),
            name: code.into(),
            unit: String::new(),
            decimals: 0,
            definition: String::new(),
            source: String::new(),
        };
        let geo = |code: &str| CubeGeo {
            level: "sector".into(),
            code: code.into(),
            name: code.into(),
        };
        let big: Vec<CubeGeo> = (0..3000).map(|n| geo(&n.to_string())).collect();
        let periods: Vec<CubePeriod> = (0..1000).map(|n| CubePeriod::new(&n.to_string())).collect();
        let err = Cube::new(
            CubeMeta::default(),
            vec![indicator("a"), indicator("b")],
            big,
            periods,
        )
        .unwrap_err();
        assert!(err.to_string().contains("te groot"), "{err}");
        let err = Cube::new(
            CubeMeta::default(),
            vec![indicator("a")],
            vec![geo("1"), geo("1")],
            vec![],
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "Gebiedscode '1' komt twee keer voor.");
        let mut cube = Cube::new(
            CubeMeta::default(),
            vec![indicator("a")],
            vec![geo("1")],
            vec![CubePeriod::new("2024")],
        )
        .unwrap();
        let err = cube
            .set("a", "2", "2024", Some(1.0), CellStatus::Definitive)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Gebiedscode '2' hoort niet bij deze tabel."
        );
        cube.set("a", "1", "2024", Some(f64::NAN), CellStatus::Definitive)
            .unwrap();
        assert_eq!(cube.cell(0, 0, 0).published(), None);
    }

    #[test]
    fn numbers_are_rounded_to_the_decimals() {
        assert_eq!(plain_number(1234.56, 1), "1234.6");
        assert_eq!(plain_number(2.5, 0), "3");
        assert_eq!(plain_number(-0.04, 1), "0.0");
        assert_eq!(plain_number(-1.25, 1), "-1.3");
        assert_eq!(round_to(0.1 + 0.2, 1), 0.3);
        assert_eq!(CubePeriod::new("2024-Q2").level(), "quarter");
        assert_eq!(CubePeriod::new("2024-02").level(), "month");
        assert_eq!(CubePeriod::new("2024-02-01").level(), "day");
        assert_eq!(CubePeriod::new("2024").level(), "year");
    }
}
