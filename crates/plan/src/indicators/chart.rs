//! The SVG charts of indicators, rendered on the server so that pages need no JavaScript.
//!
//! A chart is an `<svg role="img">` with a viewBox (it scales with its container), a `<title>`
//! and a `<desc>` that summarises it in words (baseline, latest value, target, health); the
//! page shows the same data as a table. Only SVG presentation attributes are used (no `style`),
//! so the strict Content-Security-Policy holds. The line from baseline to targets is dashed,
//! targets are diamonds, measurements a solid line with round points. In the comparison chart
//! every organisation has its own marker shape and dash pattern, named in a text legend, so
//! that lines are never told apart by colour alone.

use chrono::NaiveDate;

use super::health::{health, latest_on_or_before};
use super::number::format_number;
use super::store::belgian_date;
use super::{Health, IndicatorSeries};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 280.0;
const LEFT: f64 = 72.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

/// Escapes text for XML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn day(date: &str) -> Option<f64> {
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    Some(date.signed_duration_since(NaiveDate::default()).num_days() as f64)
}

/// The Dutch label of a health (the chart has no page context).
pub fn health_text(health: Option<Health>) -> &'static str {
    match health {
        Some(Health::OpKoers) => "op koers",
        Some(Health::Aandacht) => "aandacht",
        Some(Health::NietOpKoers) => "niet op koers",
        None => "nog niet te beoordelen",
    }
}

/// Maps dates and values to positions in the plot area.
struct Scale {
    day_min: f64,
    day_max: f64,
    value_min: f64,
    value_max: f64,
    ticks: Vec<f64>,
}

impl Scale {
    fn new(days: &[f64], values: &[f64]) -> Scale {
        let (mut day_min, mut day_max) = min_max(days).unwrap_or((0.0, 1.0));
        if day_max - day_min < 1.0 {
            day_min -= 15.0;
            day_max += 15.0;
        }
        let (low, high) = min_max(values).unwrap_or((0.0, 1.0));
        let (value_min, value_max, ticks) = nice_ticks(low, high);
        Scale {
            day_min,
            day_max,
            value_min,
            value_max,
            ticks,
        }
    }

    fn x(&self, day: f64) -> f64 {
        LEFT + (day - self.day_min) / (self.day_max - self.day_min) * (WIDTH - LEFT - RIGHT)
    }

    fn y(&self, value: f64) -> f64 {
        HEIGHT
            - BOTTOM
            - (value - self.value_min) / (self.value_max - self.value_min) * (HEIGHT - TOP - BOTTOM)
    }
}

fn min_max(values: &[f64]) -> Option<(f64, f64)> {
    let mut it = values.iter().copied().filter(|v| v.is_finite());
    let first = it.next()?;
    Some(it.fold((first, first), |(lo, hi), v| (lo.min(v), hi.max(v))))
}

/// Four to six round ticks that cover `low..=high`.
fn nice_ticks(low: f64, high: f64) -> (f64, f64, Vec<f64>) {
    let (low, high) = if (high - low).abs() < 1e-9 {
        let pad = if low == 0.0 { 1.0 } else { low.abs() * 0.1 };
        (low - pad, high + pad)
    } else {
        (low, high)
    };
    let raw = (high - low) / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let start = (low / step).floor() * step;
    let end = (high / step).ceil() * step;
    let mut ticks = Vec::new();
    let mut tick = start;
    while tick <= end + step * 1e-6 && ticks.len() < 12 {
        ticks.push(if tick.abs() < step * 1e-9 { 0.0 } else { tick });
        tick += step;
    }
    (start, end, ticks)
}

fn fmt(value: f64) -> String {
    format!("{value:.1}")
}

fn open_svg(out: &mut String, id: &str, height: f64, title: &str, desc: &str) {
    let id = esc(id);
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plan-chart\" focusable=\"false\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         preserveAspectRatio=\"xMidYMid meet\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(title),
        esc(desc)
    ));
}

/// Axes, value ticks with Belgian numbers, and date labels.
fn axes(out: &mut String, scale: &Scale, dates: &[&str]) {
    out.push_str("<g class=\"plan-chart-axes\" font-size=\"12\" fill=\"#333333\">");
    for tick in &scale.ticks {
        let y = fmt(scale.y(*tick));
        out.push_str(&format!(
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#d0d0d0\" stroke-width=\"1\"/>\
             <text x=\"{}\" y=\"{y}\" text-anchor=\"end\" dominant-baseline=\"middle\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            esc(&format_number(*tick, 2))
        ));
    }
    let bottom = HEIGHT - BOTTOM;
    out.push_str(&format!(
        "<line x1=\"{LEFT}\" x2=\"{LEFT}\" y1=\"{TOP}\" y2=\"{bottom}\" stroke=\"#333333\" stroke-width=\"1\"/>\
         <line x1=\"{LEFT}\" x2=\"{}\" y1=\"{bottom}\" y2=\"{bottom}\" stroke=\"#333333\" stroke-width=\"1\"/>",
        WIDTH - RIGHT
    ));
    // Dates in order of importance (the caller puts baseline and targets first); a date is
    // labelled when it keeps 80 units from every label already placed.
    let mut placed: Vec<f64> = Vec::new();
    for date in dates {
        let Some(d) = day(date) else { continue };
        let x = scale.x(d);
        if placed.iter().any(|p| (p - x).abs() < 80.0) {
            continue;
        }
        placed.push(x);
        let anchor = if x > WIDTH - RIGHT - 40.0 {
            "end"
        } else if x < LEFT + 10.0 {
            "start"
        } else {
            "middle"
        };
        out.push_str(&format!(
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"{bottom}\" y2=\"{1}\" stroke=\"#333333\" stroke-width=\"1\"/>\
             <text x=\"{0}\" y=\"{2}\" text-anchor=\"{anchor}\">{3}</text>",
            fmt(x),
            fmt(bottom + 5.0),
            fmt(bottom + 20.0),
            esc(&belgian_date(date))
        ));
    }
    out.push_str("</g>");
}

/// A marker of `shape` centred on (x, y), with a tooltip.
fn marker(shape: usize, x: f64, y: f64, class: &str, fill: &str, tip: &str) -> String {
    let (x, y) = (fmt(x), fmt(y));
    let tip = format!("<title>{}</title>", esc(tip));
    let common = format!("class=\"{class}\" fill=\"{fill}\" stroke=\"#1a1a1a\" stroke-width=\"1\"");
    match shape % 5 {
        0 => format!("<circle cx=\"{x}\" cy=\"{y}\" r=\"4.5\" {common}>{tip}</circle>"),
        1 => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" data-x=\"{x}\" {common}>{tip}</rect>",
            fmt(x.parse::<f64>().unwrap_or(0.0) - 4.0),
            fmt(y.parse::<f64>().unwrap_or(0.0) - 4.0)
        ),
        2 => polygon(
            &x,
            &y,
            &[(0.0, -5.5), (5.0, 4.0), (-5.0, 4.0)],
            &common,
            &tip,
        ),
        3 => polygon(
            &x,
            &y,
            &[(0.0, -6.0), (6.0, 0.0), (0.0, 6.0), (-6.0, 0.0)],
            &common,
            &tip,
        ),
        _ => polygon(
            &x,
            &y,
            &[(-5.0, -5.0), (5.0, -5.0), (0.0, 5.0)],
            &common,
            &tip,
        ),
    }
}

fn polygon(x: &str, y: &str, offsets: &[(f64, f64)], common: &str, tip: &str) -> String {
    let (cx, cy) = (
        x.parse::<f64>().unwrap_or(0.0),
        y.parse::<f64>().unwrap_or(0.0),
    );
    let points: Vec<String> = offsets
        .iter()
        .map(|(dx, dy)| format!("{},{}", fmt(cx + dx), fmt(cy + dy)))
        .collect();
    format!(
        "<polygon points=\"{}\" data-x=\"{x}\" {common}>{tip}</polygon>",
        points.join(" ")
    )
}

fn polyline(points: &[(f64, f64)], stroke: &str, dash: &str, class: &str) -> String {
    if points.len() < 2 {
        return String::new();
    }
    let dash = if dash.is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{dash}\"")
    };
    let points: Vec<String> = points
        .iter()
        .map(|(x, y)| format!("{},{}", fmt(*x), fmt(*y)))
        .collect();
    format!(
        "<polyline class=\"{class}\" points=\"{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2\"{dash}/>",
        points.join(" ")
    )
}

fn with_unit(value: f64, unit: &str) -> String {
    if unit.is_empty() {
        format_number(value, 2)
    } else {
        format!("{} {unit}", format_number(value, 2))
    }
}

/// The words that tell what the chart shows.
pub fn summary(series: &IndicatorSeries, today: &str) -> String {
    let i = &series.indicator;
    let mut text = format!(
        "Beginwaarde {} op {}.",
        with_unit(i.baseline_value, &i.unit),
        belgian_date(&i.baseline_date)
    );
    match latest_on_or_before(series, today) {
        Some(m) => text.push_str(&format!(
            " Laatste meting {} op {}.",
            with_unit(m.value, &i.unit),
            belgian_date(&m.measured_on)
        )),
        None => text.push_str(" Nog geen meting."),
    }
    if let Some(target) = series.targets.last() {
        text.push_str(&format!(
            " Streefwaarde {} op {}.",
            with_unit(target.value, &i.unit),
            belgian_date(&target.date)
        ));
    }
    text.push_str(&format!(
        " Gezondheid: {}.",
        health_text(health(series, today))
    ));
    text
}

/// An accessible SVG line chart (role="img", title and description, and a data table beside
/// it in the page) of baseline, targets and measurements. `id` makes the ids inside unique
/// when several charts share a page.
pub fn svg(series: &IndicatorSeries, id: &str) -> String {
    let i = &series.indicator;
    let today = crate::store::today();
    let mut days = Vec::new();
    let mut values = vec![i.baseline_value];
    let mut dates: Vec<&str> = vec![i.baseline_date.as_str()];
    days.extend(day(&i.baseline_date));
    for t in &series.targets {
        days.extend(day(&t.date));
        values.push(t.value);
        dates.push(&t.date);
    }
    for m in &series.measurements {
        days.extend(day(&m.measured_on));
        values.push(m.value);
    }
    if let (Some(first), Some(last)) = (series.measurements.first(), series.measurements.last()) {
        dates.push(&first.measured_on);
        dates.push(&last.measured_on);
    }
    let scale = Scale::new(&days, &values);
    let title = if i.unit.is_empty() {
        i.name.clone()
    } else {
        format!("{} ({})", i.name, i.unit)
    };
    let mut out = String::new();
    open_svg(&mut out, id, HEIGHT, &title, &summary(series, &today));
    axes(&mut out, &scale, &dates);

    // The promised path: baseline to each target, dashed.
    let mut path = Vec::new();
    if let Some(d) = day(&i.baseline_date) {
        path.push((scale.x(d), scale.y(i.baseline_value)));
    }
    for t in &series.targets {
        if let Some(d) = day(&t.date) {
            path.push((scale.x(d), scale.y(t.value)));
        }
    }
    out.push_str(&polyline(&path, "#6b6b6b", "6 4", "plan-chart-plan"));
    if let Some(&(x, y)) = path.first() {
        out.push_str(&marker(
            0,
            x,
            y,
            "plan-chart-baseline",
            "#ffffff",
            &format!(
                "Beginwaarde {} op {}",
                with_unit(i.baseline_value, &i.unit),
                belgian_date(&i.baseline_date)
            ),
        ));
    }
    for t in &series.targets {
        if let Some(d) = day(&t.date) {
            out.push_str(&marker(
                3,
                scale.x(d),
                scale.y(t.value),
                "plan-chart-target",
                "#ffffff",
                &format!(
                    "Streefwaarde {} op {}",
                    with_unit(t.value, &i.unit),
                    belgian_date(&t.date)
                ),
            ));
        }
    }

    // What was measured: a solid line with points.
    let points: Vec<(f64, f64, &super::Measurement)> = series
        .measurements
        .iter()
        .filter_map(|m| day(&m.measured_on).map(|d| (scale.x(d), scale.y(m.value), m)))
        .collect();
    let line: Vec<(f64, f64)> = points.iter().map(|(x, y, _)| (*x, *y)).collect();
    out.push_str(&polyline(&line, "#0b5394", "", "plan-chart-measurements"));
    for (x, y, m) in &points {
        out.push_str(&marker(
            0,
            *x,
            *y,
            "plan-chart-measurement",
            "#0b5394",
            &format!(
                "Meting {} op {}",
                with_unit(m.value, &i.unit),
                belgian_date(&m.measured_on)
            ),
        ));
    }
    out.push_str("</svg>");
    out
}

/// One line of the comparison chart: an organisation's indicator.
pub struct CompareLine<'a> {
    /// Shown in the legend and the description (the organisation's name).
    pub label: String,
    pub series: &'a IndicatorSeries,
}

const PALETTE: [&str; 5] = ["#0b5394", "#b45f06", "#38761d", "#741b47", "#3d3d3d"];
const DASHES: [&str; 5] = ["", "8 3", "2 3", "10 3 2 3", "4 4"];

/// The comparison chart: one line of measurements per organisation, each with its own marker
/// shape and dash pattern, and a legend in text below the plot.
pub fn compare_svg(lines: &[CompareLine<'_>], id: &str, title: &str) -> String {
    let today = crate::store::today();
    let mut days = Vec::new();
    let mut values = Vec::new();
    let mut dates: Vec<&str> = Vec::new();
    for line in lines {
        for m in &line.series.measurements {
            days.extend(day(&m.measured_on));
            values.push(m.value);
            dates.push(&m.measured_on);
        }
    }
    // The first and last dates are labelled first, the others where there is room.
    dates.sort();
    dates.dedup();
    if dates.len() > 2 {
        let last = dates.remove(dates.len() - 1);
        dates.insert(1, last);
    }
    let scale = Scale::new(&days, &values);
    let desc = lines
        .iter()
        .map(|line| {
            let unit = &line.series.indicator.unit;
            match latest_on_or_before(line.series, &today) {
                Some(m) => format!(
                    "{}: laatste meting {} op {}",
                    line.label,
                    with_unit(m.value, unit),
                    belgian_date(&m.measured_on)
                ),
                None => format!("{}: nog geen meting", line.label),
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    let legend_rows = lines.len().div_ceil(3) as f64;
    let mut out = String::new();
    // The legend takes extra room under the plot.
    let height = HEIGHT + 20.0 * legend_rows + 8.0;
    open_svg(&mut out, id, height, title, &format!("{desc}."));
    axes(&mut out, &scale, &dates);
    for (index, line) in lines.iter().enumerate() {
        let colour = PALETTE[index % PALETTE.len()];
        let points: Vec<(f64, f64, &super::Measurement)> = line
            .series
            .measurements
            .iter()
            .filter_map(|m| day(&m.measured_on).map(|d| (scale.x(d), scale.y(m.value), m)))
            .collect();
        let xy: Vec<(f64, f64)> = points.iter().map(|(x, y, _)| (*x, *y)).collect();
        out.push_str(&polyline(
            &xy,
            colour,
            DASHES[index % DASHES.len()],
            "plan-chart-compare-line",
        ));
        for (x, y, m) in &points {
            out.push_str(&marker(
                index,
                *x,
                *y,
                "plan-chart-measurement",
                colour,
                &format!(
                    "{}: {} op {}",
                    line.label,
                    with_unit(m.value, &line.series.indicator.unit),
                    belgian_date(&m.measured_on)
                ),
            ));
        }
        // Legend entry: marker, a short line in the same pattern, and the name.
        let lx = LEFT + (index % 3) as f64 * 190.0;
        let ly = HEIGHT + 4.0 + (index / 3) as f64 * 20.0;
        out.push_str(&polyline(
            &[(lx, ly), (lx + 28.0, ly)],
            colour,
            DASHES[index % DASHES.len()],
            "plan-chart-legend-line",
        ));
        out.push_str(&marker(
            index,
            lx + 14.0,
            ly,
            "plan-chart-legend",
            colour,
            &line.label,
        ));
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" dominant-baseline=\"middle\" fill=\"#1a1a1a\">{}</text>",
            fmt(lx + 36.0),
            fmt(ly),
            esc(&line.label)
        ));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::{Direction, Indicator, Measurement, Target};

    fn series(name: &str, measurements: &[(&str, f64)]) -> IndicatorSeries {
        IndicatorSeries {
            indicator: Indicator {
                id: "i".into(),
                plan_id: "p".into(),
                item_id: "it".into(),
                definition_key: String::new(),
                name: name.into(),
                unit: "%".into(),
                direction: Direction::Hoger,
                baseline_value: 20.0,
                baseline_date: "2024-01-01".into(),
                source: String::new(),
                frequency: "jaarlijks".into(),
            },
            targets: vec![
                Target {
                    date: "2026-12-31".into(),
                    value: 30.0,
                },
                Target {
                    date: "2030-12-31".into(),
                    value: 1234.5,
                },
            ],
            measurements: measurements
                .iter()
                .enumerate()
                .map(|(n, (d, v))| Measurement {
                    id: format!("m{n}"),
                    indicator_id: "i".into(),
                    measured_on: d.to_string(),
                    value: *v,
                    comment: String::new(),
                    author: String::new(),
                    created_at: n as i64,
                })
                .collect(),
        }
    }

    fn measurement_xs(svg: &str) -> Vec<f64> {
        // Circles carry cx before the class; read it from the element start.
        svg.split("<circle ")
            .skip(1)
            .filter(|e| e.contains("class=\"plan-chart-measurement\""))
            .filter_map(|e| {
                let start = e.find("cx=\"")? + 4;
                let end = e[start..].find('"')? + start;
                e[start..end].parse().ok()
            })
            .collect()
    }

    fn assert_accessible(svg: &str) {
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.ends_with("</svg>"), "{svg}");
        assert!(svg.contains("role=\"img\""), "{svg}");
        assert!(
            svg.contains("aria-labelledby=\"c1-title c1-desc\""),
            "{svg}"
        );
        assert!(svg.contains("<title id=\"c1-title\">"), "{svg}");
        assert!(svg.contains("<desc id=\"c1-desc\">"), "{svg}");
        assert!(svg.contains("viewBox=\"0 0 640 "), "{svg}");
        assert!(!svg.contains("style="), "{svg}");
    }

    #[test]
    fn renders_without_measurements() {
        let svg = svg(&series("Fietsers", &[]), "c1");
        assert_accessible(&svg);
        assert!(svg.contains("Nog geen meting"), "{svg}");
        assert!(svg.contains("stroke-dasharray=\"6 4\""), "{svg}");
        assert_eq!(measurement_xs(&svg).len(), 0);
        // Both targets are marked points, with Belgian numbers in their tooltip.
        assert_eq!(svg.matches("class=\"plan-chart-target\"").count(), 2);
        assert!(
            svg.contains("Streefwaarde 1.234,5 % op 31/12/2030"),
            "{svg}"
        );
    }

    #[test]
    fn renders_one_measurement() {
        let svg = svg(&series("Fietsers", &[("2025-01-01", 22.5)]), "c1");
        assert_accessible(&svg);
        assert_eq!(measurement_xs(&svg).len(), 1);
        assert!(svg.contains("Laatste meting 22,5 % op 01/01/2025"), "{svg}");
        // A single point draws no line.
        assert!(!svg.contains("plan-chart-measurements"), "{svg}");
    }

    #[test]
    fn points_follow_the_dates() {
        let values: Vec<(String, f64)> = (0..24)
            .map(|n| {
                (
                    format!("{}-{:02}-15", 2024 + n / 12, n % 12 + 1),
                    (n * 7 % 11) as f64,
                )
            })
            .collect();
        let refs: Vec<(&str, f64)> = values.iter().map(|(d, v)| (d.as_str(), *v)).collect();
        let svg = svg(&series("Fietsers", &refs), "c1");
        assert_accessible(&svg);
        let xs = measurement_xs(&svg);
        assert_eq!(xs.len(), 24);
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
        assert!(
            xs.iter().all(|x| (LEFT..=WIDTH - RIGHT).contains(x)),
            "{xs:?}"
        );
        assert!(svg.contains("plan-chart-measurements"), "{svg}");
        // Value ticks are Belgian numbers.
        assert!(svg.contains(">1.000<") || svg.contains(">1.200<"), "{svg}");
    }

    #[test]
    fn names_are_escaped() {
        let svg = svg(&series("Zorg & <welzijn>", &[("2025-01-01", 1.0)]), "c1");
        assert!(svg.contains("Zorg &amp; &lt;welzijn&gt;"), "{svg}");
        assert!(!svg.contains("<welzijn>"), "{svg}");
    }

    #[test]
    fn comparison_tells_lines_apart_by_shape_and_text() {
        let gent = series("Fietsers", &[("2025-01-01", 22.0), ("2026-01-01", 25.0)]);
        let antwerpen = series("Fietsers", &[("2025-06-01", 18.0)]);
        let svg = compare_svg(
            &[
                CompareLine {
                    label: "Gent".into(),
                    series: &gent,
                },
                CompareLine {
                    label: "Antwerpen & co".into(),
                    series: &antwerpen,
                },
            ],
            "c1",
            "Fietsers",
        );
        assert_accessible(&svg);
        assert!(svg.contains(">Gent</text>"), "{svg}");
        assert!(svg.contains(">Antwerpen &amp; co</text>"), "{svg}");
        // Gent's points are circles, Antwerpen's squares.
        assert!(svg.contains("<circle"), "{svg}");
        assert!(svg.contains("<rect"), "{svg}");
        assert!(
            svg.contains("Gent: laatste meting 25 % op 01/01/2026"),
            "{svg}"
        );
    }

    #[test]
    fn ticks_are_round() {
        let (low, high, ticks) = nice_ticks(3.0, 97.0);
        assert_eq!((low, high), (0.0, 100.0));
        assert_eq!(ticks, vec![0.0, 25.0, 50.0, 75.0, 100.0]);
        let (_, _, ticks) = nice_ticks(5.0, 5.0);
        assert!(ticks.len() >= 2);
    }
}
