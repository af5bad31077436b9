//! Charts made from an open-data [`Cube`], so that a chart reads its numbers the way every
//! download does: through `Cell::published`, which never gives the number of a suppressed
//! value. A suppressed cell becomes a gap in a line and a "geheim" note in a ranking.

use crate::opendata::cube::{Cube, CubeIndicator};

use super::bar::{Bar, BarChart};
use super::line::{LineChart, Series};

fn indicator_of<'a>(cube: &'a Cube, code: &str) -> Option<(usize, &'a CubeIndicator)> {
    cube.indicators()
        .iter()
        .enumerate()
        .find(|(_, i)| i.code == code)
}

fn title(indicator: &CubeIndicator) -> String {
    if indicator.unit.is_empty() {
        indicator.name.clone()
    } else {
        format!("{} ({})", indicator.name, indicator.unit)
    }
}

/// A line per place of the cube for one indicator over all its periods; `None` when the cube
/// has no such indicator.
pub fn line_chart(cube: &Cube, indicator: &str, id: &str) -> Option<LineChart> {
    let (i, ind) = indicator_of(cube, indicator)?;
    let series = cube
        .geo()
        .iter()
        .enumerate()
        .map(|(g, geo)| Series {
            label: geo.name.clone(),
            values: (0..cube.periods().len())
                .map(|p| cube.rounded(i, cube.cell(i, g, p)))
                .collect(),
        })
        .collect();
    Some(LineChart {
        id: id.to_string(),
        title: title(ind),
        unit: ind.unit.clone(),
        decimals: ind.decimals,
        periods: cube
            .periods()
            .iter()
            .map(|p| {
                if p.label.is_empty() {
                    p.code.clone()
                } else {
                    p.label.clone()
                }
            })
            .collect(),
        series,
    })
}

/// The ranking of the places at `level` for one indicator and period, with the place
/// `highlight` marked and the place `reference` (e.g. the Flemish Region, `02000`) as the
/// reference line; `None` when the indicator or period is not in the cube.
pub fn bar_chart(
    cube: &Cube,
    indicator: &str,
    period: &str,
    level: &str,
    highlight: Option<&str>,
    reference: Option<&str>,
    id: &str,
) -> Option<BarChart> {
    let (i, ind) = indicator_of(cube, indicator)?;
    let p = cube.periods().iter().position(|x| x.code == period)?;
    let bars = cube
        .geo()
        .iter()
        .enumerate()
        .filter(|(_, geo)| geo.level == level)
        .map(|(g, geo)| {
            let cell = cube.cell(i, g, p);
            Bar {
                label: geo.name.clone(),
                value: cube.rounded(i, cell),
                note: if cell.is_suppressed() {
                    "geheim".into()
                } else {
                    String::new()
                },
                highlight: highlight == Some(geo.code.as_str()),
            }
        })
        .collect();
    let reference = reference.and_then(|code| {
        let g = cube.geo().iter().position(|x| x.code == code)?;
        let value = cube.rounded(i, cube.cell(i, g, p))?;
        cube.geo().get(g).map(|geo| (geo.name.clone(), value))
    });
    Some(BarChart {
        id: id.to_string(),
        title: format!("{} in {period}", title(ind)),
        unit: ind.unit.clone(),
        decimals: ind.decimals,
        bars,
        reference,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opendata::cube::sample_cube;

    #[test]
    fn a_suppressed_value_is_a_gap_in_the_line_and_secret_in_the_ranking() {
        let cube = sample_cube();
        let line = line_chart(&cube, "werkl_pct", "c").unwrap();
        assert_eq!(line.series.len(), 3);
        assert_eq!(line.periods, vec!["2022", "2023", "2024"]);
        assert_eq!(line.series[0].label, "Gent");
        assert_eq!(line.series[0].values[0], None);
        assert_eq!(line.series[1].values[1], Some(8.3));
        let svg = super::super::line::svg(&line).unwrap();
        assert!(!svg.contains("987"), "{svg}");

        let bar = bar_chart(
            &cube,
            "werkl_pct",
            "2022",
            "gemeente",
            Some("44021"),
            Some("02000"),
            "r",
        )
        .unwrap();
        assert_eq!(bar.bars.len(), 2);
        let gent = bar.bars.iter().find(|b| b.label == "Gent").unwrap();
        assert_eq!(
            (gent.value, gent.note.as_str(), gent.highlight),
            (None, "geheim", true)
        );
        // Vlaams Gewest 2022 = 16 / 3, rounded to one decimal.
        assert_eq!(bar.reference, Some(("Vlaams Gewest".to_string(), 5.3)));
        assert_eq!(bar.title, "Werkloosheid; \"geregistreerd\" (%) in 2022");
        assert!(!super::super::bar::svg(&bar).unwrap().contains("987"));
        assert!(bar_chart(&cube, "werkl_pct", "1999", "gemeente", None, None, "r").is_none());
        assert!(line_chart(&cube, "onbekend", "c").is_none());
    }
}
