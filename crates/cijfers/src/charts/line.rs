//! The line chart of a time series for one or more places (a city against the 13-city average
//! and the Flemish Region): one line per place over the same periods.
//!
//! A period without a published value (missing or suppressed) is a gap: no point, and the line
//! is broken there rather than drawn across it. Each place has its own marker shape and dash
//! pattern, named in a text legend, so colour never carries the meaning alone; the description
//! says the latest value of each place and which periods have no value.

use super::draw::{
    colour, dash, esc, fmt, format_nl, marker, nice_ticks, open_svg, with_unit, AXIS, GRID, TEXT,
};

pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 300.0;
pub const LEFT: f64 = 72.0;
pub const RIGHT: f64 = 24.0;
pub const TOP: f64 = 16.0;
pub const BOTTOM: f64 = 44.0;
/// More series or periods than this are refused (the chart would be unreadable).
pub const MAX_SERIES: usize = 16;
pub const MAX_PERIODS: usize = 400;

/// One place's line: a value (or none) for each period of the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// Makes the ids inside unique when several charts share a page.
    pub id: String,
    pub title: String,
    pub unit: String,
    pub decimals: u8,
    /// The labels of the periods along the x axis.
    pub periods: Vec<String>,
    pub series: Vec<Series>,
}

/// Why the chart cannot be drawn (Dutch).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChartError {
    #[error("Te veel reeksen of perioden voor één grafiek ({0}).")]
    TooLarge(String),
}

fn x_of(index: usize, count: usize) -> f64 {
    let width = WIDTH - LEFT - RIGHT;
    if count <= 1 {
        LEFT + width / 2.0
    } else {
        LEFT + index as f64 * width / (count - 1) as f64
    }
}

/// The description: latest value per place, and the periods without a value.
fn summary(chart: &LineChart) -> String {
    let mut parts = Vec::new();
    for series in &chart.series {
        let latest = series
            .values
            .iter()
            .enumerate()
            .rev()
            .find_map(|(n, v)| v.filter(|v| v.is_finite()).map(|v| (n, v)));
        let mut text = match latest {
            Some((n, v)) => format!(
                "{}: {} in {}",
                series.label,
                with_unit(v, chart.decimals, &chart.unit),
                chart.periods.get(n).map_or("", String::as_str)
            ),
            None => format!("{}: geen gegevens", series.label),
        };
        let gaps: Vec<&str> = chart
            .periods
            .iter()
            .enumerate()
            .filter(|(n, _)| {
                series
                    .values
                    .get(*n)
                    .copied()
                    .flatten()
                    .filter(|v| v.is_finite())
                    .is_none()
            })
            .map(|(_, p)| p.as_str())
            .collect();
        if !gaps.is_empty() && latest.is_some() {
            text.push_str(&format!(" (geen cijfer voor {})", gaps.join(", ")));
        }
        parts.push(text);
    }
    let range = match (chart.periods.first(), chart.periods.last()) {
        (Some(first), Some(last)) if chart.periods.len() > 1 => format!("Van {first} tot {last}. "),
        (Some(only), _) => format!("{only}. "),
        _ => String::new(),
    };
    format!("{range}{}.", parts.join("; "))
}

/// The accessible SVG line chart.
pub fn svg(chart: &LineChart) -> Result<String, ChartError> {
    if chart.series.len() > MAX_SERIES || chart.periods.len() > MAX_PERIODS {
        return Err(ChartError::TooLarge(format!(
            "{} reeksen, {} perioden",
            chart.series.len(),
            chart.periods.len()
        )));
    }
    let count = chart.periods.len();
    let finite: Vec<f64> = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().take(count).flatten().copied())
        .filter(|v| v.is_finite())
        .collect();
    let low = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let high = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let ticks = if finite.is_empty() {
        nice_ticks(0.0, 1.0)
    } else {
        nice_ticks(low, high)
    };
    let y_of = |v: f64| {
        HEIGHT - BOTTOM - (v - ticks.min) / (ticks.max - ticks.min) * (HEIGHT - TOP - BOTTOM)
    };

    let legend_rows = chart.series.len().div_ceil(3);
    let height = HEIGHT + 22.0 * legend_rows as f64 + 6.0;
    let mut out = String::new();
    open_svg(
        &mut out,
        &chart.id,
        "cj-chart cj-chart-line",
        WIDTH,
        height,
        &chart.title,
        &summary(chart),
    );

    // Value axis with Dutch tick labels, and the unit.
    out.push_str(&format!("<g class=\"cj-chart-axes\" fill=\"{TEXT}\">"));
    for tick in &ticks.values {
        let y = fmt(y_of(*tick));
        out.push_str(&format!(
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{GRID}\" stroke-width=\"1\"/>\
             <text class=\"cj-tick-y\" x=\"{}\" y=\"{y}\" text-anchor=\"end\" dominant-baseline=\"middle\">{}</text>",
            fmt(WIDTH - RIGHT),
            fmt(LEFT - 8.0),
            esc(&format_nl(*tick, ticks.decimals))
        ));
    }
    let bottom = HEIGHT - BOTTOM;
    out.push_str(&format!(
        "<line x1=\"{LEFT}\" x2=\"{LEFT}\" y1=\"{TOP}\" y2=\"{bottom}\" stroke=\"{AXIS}\" stroke-width=\"1\"/>\
         <line x1=\"{LEFT}\" x2=\"{}\" y1=\"{bottom}\" y2=\"{bottom}\" stroke=\"{AXIS}\" stroke-width=\"1\"/>",
        fmt(WIDTH - RIGHT)
    ));
    if !chart.unit.is_empty() {
        out.push_str(&format!(
            "<text class=\"cj-axis-unit\" x=\"4\" y=\"{}\" dominant-baseline=\"hanging\">{}</text>",
            fmt(TOP - 12.0),
            esc(&chart.unit)
        ));
    }
    // Period labels: each label keeps 56 units from the one before; the last always shows.
    let mut last_x = f64::NEG_INFINITY;
    for (n, period) in chart.periods.iter().enumerate() {
        let x = x_of(n, count);
        let is_last = n + 1 == count;
        if x - last_x < 56.0 && !(is_last && count > 1) {
            continue;
        }
        last_x = x;
        out.push_str(&format!(
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"{bottom}\" y2=\"{1}\" stroke=\"{AXIS}\" stroke-width=\"1\"/>\
             <text class=\"cj-tick-x\" x=\"{0}\" y=\"{2}\" text-anchor=\"middle\">{3}</text>",
            fmt(x),
            fmt(bottom + 5.0),
            fmt(bottom + 20.0),
            esc(period)
        ));
    }
    out.push_str("</g>");

    for (index, series) in chart.series.iter().enumerate() {
        let stroke = colour(index);
        let dash_attr = match dash(index) {
            "" => String::new(),
            d => format!(" stroke-dasharray=\"{d}\""),
        };
        out.push_str(&format!(
            "<g class=\"cj-series\" data-series=\"{index}\" data-label=\"{}\">",
            esc(&series.label)
        ));
        // Runs of consecutive values: a gap breaks the line.
        let mut run: Vec<(f64, f64)> = Vec::new();
        let flush = |run: &mut Vec<(f64, f64)>, out: &mut String| {
            if run.len() >= 2 {
                let points: Vec<String> = run
                    .iter()
                    .map(|(x, y)| format!("{},{}", fmt(*x), fmt(*y)))
                    .collect();
                out.push_str(&format!(
                    "<polyline class=\"cj-line\" points=\"{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2.5\"{dash_attr}/>",
                    points.join(" ")
                ));
            }
            run.clear();
        };
        let mut markers = String::new();
        for n in 0..count {
            match series
                .values
                .get(n)
                .copied()
                .flatten()
                .filter(|v| v.is_finite())
            {
                Some(v) => {
                    let (x, y) = (x_of(n, count), y_of(v));
                    run.push((x, y));
                    let tip = format!(
                        "{}, {}: {}",
                        series.label,
                        chart.periods.get(n).map_or("", String::as_str),
                        with_unit(v, chart.decimals, &chart.unit)
                    );
                    markers.push_str(&marker(
                        index,
                        x,
                        y,
                        &format!("class=\"cj-point\" data-index=\"{n}\""),
                        &tip,
                    ));
                }
                None => flush(&mut run, &mut out),
            }
        }
        flush(&mut run, &mut out);
        out.push_str(&markers);
        out.push_str("</g>");

        // Legend: a short line in the series' pattern, its marker and its name.
        let lx = LEFT + (index % 3) as f64 * 186.0;
        let ly = HEIGHT + 6.0 + (index / 3) as f64 * 22.0;
        out.push_str(&format!(
            "<g class=\"cj-legend\"><line x1=\"{}\" x2=\"{}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{stroke}\" stroke-width=\"2.5\"{dash_attr}/>",
            fmt(lx),
            fmt(lx + 30.0),
            fmt(ly)
        ));
        out.push_str(&marker(
            index,
            lx + 15.0,
            ly,
            "class=\"cj-legend-marker\"",
            &series.label,
        ));
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" dominant-baseline=\"middle\" fill=\"{TEXT}\">{}</text></g>",
            fmt(lx + 38.0),
            fmt(ly),
            esc(&series.label)
        ));
    }
    out.push_str("</svg>");
    Ok(out)
}

#[cfg(test)]
#[path = "line_tests.rs"]
mod tests;
