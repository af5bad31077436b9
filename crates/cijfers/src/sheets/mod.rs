//! Fact sheets (steekkaarten) and a city's own page, computed from the public cube (no
//! database here): per indicator the city's latest value, its change against the previous
//! period and five years before, its rank among the 13 centrumsteden and the VGC, and the
//! Flemish figure of the same period. The cube holds only public values (published indicators,
//! nothing suppressed), so nothing here can show a hidden figure.
//!
//! [`pdf`] turns a fact sheet's page into a PDF with headless Chromium.

pub mod pdf;

use crate::charts::line::{LineChart, Series};
use crate::model::GeoLevel;
use crate::model::{CITIES, FLANDERS_CODE};
use crate::opendata::Cube;
use crate::store::themes::slugify;

/// How many periods a fact sheet's trend shows (the latest).
pub const TREND_PERIODS: usize = 10;

/// A city (or Brussel for the VGC) as the URLs name it: its REFNIS code or its name as a slug
/// ("gent", "sint-niklaas"). `None` for any other place.
pub fn find_city(key: &str) -> Option<(&'static str, &'static str)> {
    let key = key.trim().to_lowercase();
    CITIES
        .iter()
        .find(|(code, name)| *code == key || slugify(name) == key)
        .map(|(code, name)| (*code, *name))
}

/// The URL part of a city: its name as a slug.
pub fn city_slug(name: &str) -> String {
    slugify(name)
}

/// A value in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Dated {
    pub period: String,
    pub value: f64,
}

/// One indicator of a fact sheet or a city page, for one city.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub decimals: u8,
    /// The city's latest public value.
    pub latest: Option<Dated>,
    /// The period just before the latest, when the city has a value there.
    pub previous: Option<Dated>,
    /// The same period five years earlier, when the city has a value there.
    pub five_years: Option<Dated>,
    /// Rank (1 = highest value; equal values share a rank) and how many places have a value
    /// in the latest period, among the 13 centrumsteden and Brussel.
    pub rank: Option<(usize, usize)>,
    /// The Flemish figure in the latest period.
    pub flanders: Option<f64>,
    /// The last periods with the city's and the Flemish value: (period, city, Flanders).
    pub trend: Vec<(String, Option<f64>, Option<f64>)>,
}

impl Standing {
    /// Latest minus previous.
    pub fn change_previous(&self) -> Option<f64> {
        Some(self.latest.as_ref()?.value - self.previous.as_ref()?.value)
    }

    /// Latest minus five years before.
    pub fn change_five_years(&self) -> Option<f64> {
        Some(self.latest.as_ref()?.value - self.five_years.as_ref()?.value)
    }

    /// The trend as a line chart of the city and the Vlaams Gewest (`None` without values).
    pub fn line_chart(&self, city: &str, id: &str) -> Option<LineChart> {
        if self
            .trend
            .iter()
            .all(|(_, c, f)| c.is_none() && f.is_none())
        {
            return None;
        }
        Some(LineChart {
            id: id.to_string(),
            title: if self.unit.is_empty() {
                self.name.clone()
            } else {
                format!("{} ({})", self.name, self.unit)
            },
            unit: self.unit.clone(),
            decimals: self.decimals,
            periods: self.trend.iter().map(|(p, _, _)| p.clone()).collect(),
            series: vec![
                Series {
                    label: city.to_string(),
                    values: self.trend.iter().map(|(_, c, _)| *c).collect(),
                },
                Series {
                    label: "Vlaams Gewest".into(),
                    values: self.trend.iter().map(|(_, _, f)| *f).collect(),
                },
            ],
        })
    }
}

/// The period code five years before `code` (`2025` → `2020`, `2025-Q1` → `2020-Q1`).
pub fn five_years_before(code: &str) -> Option<String> {
    let year: i32 = code.get(..4)?.parse().ok()?;
    Some(format!("{}{}", year - 5, code.get(4..)?))
}

/// Where `city` stands for `indicator` in `cube` (`None` when the cube lacks the indicator or
/// the city).
pub fn standing(cube: &Cube, indicator: &str, city: &str) -> Option<Standing> {
    let i = cube.indicators().iter().position(|x| x.code == indicator)?;
    let ind = cube.indicators().get(i)?;
    let geo = cube.geo();
    let g = geo
        .iter()
        .position(|x| x.code == city && x.level == GeoLevel::Gemeente.as_str())?;
    let flanders = geo.iter().position(|x| x.code == FLANDERS_CODE);
    let periods = cube.periods();
    let value = |g: usize, p: usize| cube.rounded(i, cube.cell(i, g, p));
    let latest_p = (0..periods.len()).rev().find(|p| value(g, *p).is_some());
    let dated = |p: usize| -> Option<Dated> {
        Some(Dated {
            period: periods.get(p)?.code.clone(),
            value: value(g, p)?,
        })
    };
    let latest = latest_p.and_then(dated);
    let previous = latest_p.and_then(|p| p.checked_sub(1)).and_then(dated);
    let five_years = latest.as_ref().and_then(|l| {
        let code = five_years_before(&l.period)?;
        let p = periods.iter().position(|x| x.code == code)?;
        dated(p)
    });
    let rank = match (latest_p, &latest) {
        (Some(p), Some(own)) => {
            let others: Vec<f64> = geo
                .iter()
                .enumerate()
                .filter(|(_, x)| x.level == GeoLevel::Gemeente.as_str())
                .filter_map(|(n, _)| value(n, p))
                .collect();
            let higher = others.iter().filter(|v| **v > own.value).count();
            Some((higher + 1, others.len()))
        }
        _ => None,
    };
    let flemish = |p: usize| flanders.and_then(|f| value(f, p));
    let first = periods.len().saturating_sub(TREND_PERIODS);
    let last = latest_p.map_or(periods.len(), |p| p + 1);
    let trend = (first.min(last)..last)
        .filter_map(|p| {
            let city_value = value(g, p);
            let flemish_value = flemish(p);
            (city_value.is_some() || flemish_value.is_some()).then(|| {
                (
                    periods.get(p).map(|x| x.code.clone()).unwrap_or_default(),
                    city_value,
                    flemish_value,
                )
            })
        })
        .collect();
    Some(Standing {
        code: ind.code.clone(),
        name: ind.name.clone(),
        unit: ind.unit.clone(),
        decimals: ind.decimals,
        flanders: latest_p.and_then(flemish),
        latest,
        previous,
        five_years,
        rank,
        trend,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opendata::{CellStatus, CubeGeo, CubeIndicator, CubeMeta, CubePeriod};

    fn cube() -> Cube {
        let geo = |level: &str, code: &str, name: &str| CubeGeo {
            level: level.into(),
            code: code.into(),
            name: name.into(),
        };
        let mut cube = Cube::new(
            CubeMeta::default(),
            vec![CubeIndicator {
                code: "x".into(),
                name: "X".into(),
                unit: "%".into(),
                decimals: 1,
                definition: String::new(),
                source: String::new(),
            }],
            vec![
                geo("gemeente", "44021", "Gent"),
                geo("gemeente", "11002", "Antwerpen"),
                geo("gemeente", "13040", "Turnhout"),
                geo("gewest", "02000", "Vlaams Gewest"),
            ],
            ["2019", "2020", "2024", "2025"]
                .iter()
                .map(|p| CubePeriod::new(p))
                .collect(),
        )
        .unwrap();
        let d = CellStatus::Definitive;
        for (g, p, v) in [
            ("44021", "2020", 10.0),
            ("44021", "2024", 11.0),
            ("44021", "2025", 12.5),
            ("11002", "2025", 14.0),
            ("13040", "2025", 12.5),
            ("02000", "2025", 9.0),
            ("02000", "2024", 8.0),
        ] {
            cube.set("x", g, p, Some(v), d).unwrap();
        }
        cube.set("x", "13040", "2024", Some(99.0), CellStatus::Suppressed)
            .unwrap();
        cube
    }

    #[test]
    fn a_city_stands_by_rank_change_and_the_flemish_figure() {
        let s = standing(&cube(), "x", "44021").unwrap();
        assert_eq!(
            s.latest,
            Some(Dated {
                period: "2025".into(),
                value: 12.5
            })
        );
        assert_eq!(s.change_previous(), Some(1.5));
        assert_eq!(s.change_five_years(), Some(2.5));
        // Antwerpen is higher; Turnhout equal (shares rank 2).
        assert_eq!(s.rank, Some((2, 3)));
        assert_eq!(s.flanders, Some(9.0));
        assert_eq!(s.trend.len(), 3);
        let t = standing(&cube(), "x", "13040").unwrap();
        // The suppressed 2024 value is no previous value and no point of the trend.
        assert_eq!(t.previous, None);
        assert!(t.trend.iter().all(|(_, c, _)| *c != Some(99.0)));
        assert!(standing(&cube(), "x", "02000").is_none());
        assert!(standing(&cube(), "y", "44021").is_none());
    }

    #[test]
    fn cities_are_found_by_code_or_name() {
        assert_eq!(find_city("sint-niklaas"), Some(("46021", "Sint-Niklaas")));
        assert_eq!(find_city("44021"), Some(("44021", "Gent")));
        assert_eq!(find_city("Brussel"), Some(("21004", "Brussel")));
        assert_eq!(find_city("kortessem"), None);
        assert_eq!(five_years_before("2025-Q2").as_deref(), Some("2020-Q2"));
    }
}
