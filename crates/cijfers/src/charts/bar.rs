//! The horizontal bar chart of a ranking: the 13 centrumsteden and the VGC for one indicator
//! and period, highest first, with an optional reference line (the Flemish figure).
//!
//! A place without a published value (missing or suppressed) gets no bar, only its note in
//! words ("geheim", "geen gegevens") at the bottom of the ranking. The highlighted place (the
//! city whose page this is) is told apart by a bold label, an arrow and an outline, not by
//! colour alone; each bar carries its value in Dutch number format.

use super::draw::{
    esc, fmt, format_nl, nice_ticks, open_svg, with_unit, AXIS, BACKGROUND, GRID, TEXT,
};

pub const WIDTH: f64 = 640.0;
pub const LABEL_WIDTH: f64 = 170.0;
pub const VALUE_WIDTH: f64 = 110.0;
pub const ROW: f64 = 26.0;
pub const BAR: f64 = 16.0;
pub const TOP: f64 = 28.0;
pub const BOTTOM: f64 = 36.0;
pub const MAX_BARS: usize = 60;
const FILL: &str = "var(--color-primary, #0b5a80)";
const FILL_HIGHLIGHT: &str = "var(--color-brand, #0e4d64)";
const REFERENCE: &str = "var(--color-text, #1b2533)";

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    /// Shown instead of a bar when there is no value: "geheim", "geen gegevens".
    pub note: String,
    pub highlight: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub id: String,
    pub title: String,
    pub unit: String,
    pub decimals: u8,
    pub bars: Vec<Bar>,
    /// A vertical reference line with its label, e.g. ("Vlaams Gewest", 7.4).
    pub reference: Option<(String, f64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Te veel staven voor één grafiek ({0}, hoogstens 60).")]
pub struct TooManyBars(pub usize);

/// The bars in ranking order: values high to low, then the places without a value by name.
pub fn ranked(bars: &[Bar]) -> Vec<&Bar> {
    let mut out: Vec<&Bar> = bars.iter().collect();
    out.sort_by(|a, b| {
        let (va, vb) = (
            a.value.filter(|v| v.is_finite()),
            b.value.filter(|v| v.is_finite()),
        );
        match (va, vb) {
            (Some(x), Some(y)) => y.total_cmp(&x).then_with(|| a.label.cmp(&b.label)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.label.cmp(&b.label),
        }
    });
    out
}

fn summary(chart: &BarChart, ranked: &[&Bar]) -> String {
    let with_value: Vec<String> = ranked
        .iter()
        .filter_map(|b| {
            b.value
                .filter(|v| v.is_finite())
                .map(|v| format!("{} {}", b.label, with_unit(v, chart.decimals, &chart.unit)))
        })
        .collect();
    let mut text = format!(
        "Rangschikking van hoog naar laag: {}.",
        with_value.join("; ")
    );
    let without: Vec<String> = ranked
        .iter()
        .filter(|b| b.value.filter(|v| v.is_finite()).is_none())
        .map(|b| format!("{} ({})", b.label, note(b)))
        .collect();
    if !without.is_empty() {
        text.push_str(&format!(" Zonder cijfer: {}.", without.join(", ")));
    }
    if let Some((label, value)) = &chart.reference {
        text.push_str(&format!(
            " {label}: {}.",
            with_unit(*value, chart.decimals, &chart.unit)
        ));
    }
    if let Some((n, b)) = ranked
        .iter()
        .enumerate()
        .find(|(_, b)| b.highlight && b.value.is_some())
    {
        text.push_str(&format!(
            " {} staat op plaats {} van {}.",
            b.label,
            n + 1,
            with_value.len()
        ));
    }
    text
}

fn note(bar: &Bar) -> &str {
    if bar.note.is_empty() {
        "geen gegevens"
    } else {
        &bar.note
    }
}

/// The accessible SVG bar chart.
pub fn svg(chart: &BarChart) -> Result<String, TooManyBars> {
    if chart.bars.len() > MAX_BARS {
        return Err(TooManyBars(chart.bars.len()));
    }
    let ranked = ranked(&chart.bars);
    let mut values: Vec<f64> = ranked
        .iter()
        .filter_map(|b| b.value)
        .filter(|v| v.is_finite())
        .collect();
    if let Some((_, v)) = &chart.reference {
        values.extend(Some(*v).filter(|v| v.is_finite()));
    }
    // Bars start at zero, so zero is always on the scale.
    let low = values.iter().copied().fold(0.0, f64::min);
    let high = values.iter().copied().fold(0.0, f64::max);
    let ticks = nice_ticks(low, if high == low { low + 1.0 } else { high });
    let plot_left = LABEL_WIDTH;
    let plot_right = WIDTH - VALUE_WIDTH;
    let x_of =
        |v: f64| plot_left + (v - ticks.min) / (ticks.max - ticks.min) * (plot_right - plot_left);
    let height = TOP + ROW * ranked.len() as f64 + BOTTOM;
    let bottom = height - BOTTOM;

    let mut out = String::new();
    open_svg(
        &mut out,
        &chart.id,
        "cj-chart cj-chart-bar",
        WIDTH,
        height,
        &chart.title,
        &summary(chart, &ranked),
    );
    out.push_str(&format!("<g class=\"cj-chart-axes\" fill=\"{TEXT}\">"));
    for tick in &ticks.values {
        let x = fmt(x_of(*tick));
        out.push_str(&format!(
            "<line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"{GRID}\" stroke-width=\"1\"/>\
             <text class=\"cj-tick-x\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            fmt(TOP - 4.0),
            fmt(bottom),
            fmt(bottom + 18.0),
            esc(&format_nl(*tick, ticks.decimals))
        ));
    }
    let zero = fmt(x_of(0.0));
    out.push_str(&format!(
        "<line class=\"cj-zero\" x1=\"{zero}\" x2=\"{zero}\" y1=\"{}\" y2=\"{}\" stroke=\"{AXIS}\" stroke-width=\"1\"/>",
        fmt(TOP - 4.0),
        fmt(bottom)
    ));
    if !chart.unit.is_empty() {
        out.push_str(&format!(
            "<text class=\"cj-axis-unit\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            fmt(plot_right),
            fmt(height - 4.0),
            esc(&chart.unit)
        ));
    }
    out.push_str("</g>");

    for (n, bar) in ranked.iter().enumerate() {
        let y = TOP + n as f64 * ROW;
        let middle = y + ROW / 2.0;
        let weight = if bar.highlight {
            " font-weight=\"700\""
        } else {
            ""
        };
        let label = if bar.highlight {
            format!("▶ {}", bar.label)
        } else {
            bar.label.clone()
        };
        out.push_str(&format!(
            "<g class=\"cj-bar-row\" data-rank=\"{}\"><text class=\"cj-bar-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\" fill=\"{TEXT}\"{weight}>{}</text>",
            n + 1,
            fmt(plot_left - 8.0),
            fmt(middle),
            esc(&label)
        ));
        match bar.value.filter(|v| v.is_finite()) {
            Some(v) => {
                let (a, b) = (x_of(0.0), x_of(v));
                let (fill, outline) = if bar.highlight {
                    (FILL_HIGHLIGHT, format!(" stroke=\"{TEXT}\" stroke-width=\"2\""))
                } else {
                    (FILL, String::new())
                };
                let text = with_unit(v, chart.decimals, &chart.unit);
                out.push_str(&format!(
                    "<rect class=\"cj-bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{BAR}\" fill=\"{fill}\"{outline} data-value=\"{v}\"><title>{}</title></rect>\
                     <text class=\"cj-bar-value\" x=\"{}\" y=\"{}\" dominant-baseline=\"middle\" fill=\"{TEXT}\"{weight}>{}</text>",
                    fmt(a.min(b)),
                    fmt(middle - BAR / 2.0),
                    fmt((b - a).abs()),
                    esc(&format!("{}: {text}", bar.label)),
                    fmt(a.max(b) + 6.0),
                    fmt(middle),
                    esc(&text)
                ));
            }
            None => out.push_str(&format!(
                "<text class=\"cj-bar-note\" x=\"{}\" y=\"{}\" dominant-baseline=\"middle\" fill=\"{TEXT}\" font-style=\"italic\">{}</text>",
                fmt(x_of(0.0) + 6.0),
                fmt(middle),
                esc(note(bar))
            )),
        }
        out.push_str("</g>");
    }

    if let Some((label, value)) = chart.reference.as_ref().filter(|(_, v)| v.is_finite()) {
        let x = fmt(x_of(*value));
        out.push_str(&format!(
            "<g class=\"cj-reference\"><line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"{REFERENCE}\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>\
             <rect x=\"{}\" y=\"2\" width=\"{}\" height=\"18\" fill=\"{BACKGROUND}\"/>\
             <text x=\"{x}\" y=\"15\" text-anchor=\"middle\" fill=\"{TEXT}\">{}</text></g>",
            fmt(TOP - 6.0),
            fmt(bottom),
            fmt(x_of(*value) - 80.0),
            fmt(160.0),
            esc(&format!("{label}: {}", with_unit(*value, chart.decimals, &chart.unit)))
        ));
    }
    out.push_str("</svg>");
    Ok(out)
}

#[cfg(test)]
#[path = "bar_tests.rs"]
mod tests;
