//! What both charts share: escaping, Dutch numbers, round ticks, the series' colours, marker
//! shapes and dash patterns.
//!
//! Colours are the design system's tokens (crates/web/assets/steden.css, docs/DESIGN.md) as
//! `var(--color-…, #fallback)` in SVG presentation attributes: inside a page the tokens apply,
//! in a standalone SVG (an embed, a download) the fallback does. No `style` attribute, so the
//! strict Content-Security-Policy holds.

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
            // Control characters are not allowed in XML 1.0.
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A number the Dutch (Belgian) way: decimal comma, dots between thousands (`-1.234,5`).
pub fn format_nl(value: f64, decimals: u8) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let decimals = decimals.min(10);
    // Half away from zero (Rust's formatting rounds an exact half to even: 7.25 → "7.2").
    let factor = 10f64.powi(i32::from(decimals));
    let value = (value * factor).round() / factor;
    let text = format!("{:.*}", usize::from(decimals), value.abs());
    let (integer, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (n, c) in integer.chars().enumerate() {
        if n > 0 && (integer.len() - n) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let zero = integer.chars().all(|c| c == '0') && fraction.chars().all(|c| c == '0');
    let sign = if value < 0.0 && !zero { "-" } else { "" };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{fraction}")
    }
}

/// A value with its unit (`12,5 %`, `1.200 inwoners`).
pub fn with_unit(value: f64, decimals: u8, unit: &str) -> String {
    let number = format_nl(value, decimals);
    if unit.is_empty() {
        number
    } else {
        format!("{number} {unit}")
    }
}

/// Coordinates in the SVG: one decimal is enough.
pub fn fmt(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == 0.0 {
        "0".into()
    } else {
        format!("{rounded}")
    }
}

/// Round ticks covering `low..=high` (four to six, at most twelve), with the decimals a label
/// needs.
pub struct Ticks {
    pub min: f64,
    pub max: f64,
    pub values: Vec<f64>,
    pub decimals: u8,
}

pub fn nice_ticks(low: f64, high: f64) -> Ticks {
    let (low, high) = if !low.is_finite() || !high.is_finite() {
        (0.0, 1.0)
    } else if (high - low).abs() < 1e-12 {
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
    let min = (low / step).floor() * step;
    let max = (high / step).ceil() * step;
    let mut values = Vec::new();
    let mut n = 0.0;
    while min + n * step <= max + step * 1e-6 && values.len() < 12 {
        let tick = min + n * step;
        values.push(if tick.abs() < step * 1e-9 { 0.0 } else { tick });
        n += 1.0;
    }
    // Decimals: as many as the step has (0.25 → 2), at most 6.
    let mut decimals = 0u8;
    while decimals < 6
        && ((step * 10f64.powi(i32::from(decimals))).round()
            - step * 10f64.powi(i32::from(decimals)))
        .abs()
            > 1e-6
    {
        decimals += 1;
    }
    Ticks {
        min,
        max,
        values,
        decimals,
    }
}

/// The series colours: design tokens that pass 4.5:1 on white, with their fallbacks.
pub const COLOURS: [&str; 6] = [
    "var(--color-primary, #0b5a80)",
    "var(--color-warning, #7a4d00)",
    "var(--color-success, #0b6b2b)",
    "var(--color-error, #b3001e)",
    "var(--color-text-muted, #4f5b6b)",
    "var(--color-brand, #0e4d64)",
];
pub const TEXT: &str = "var(--color-text, #1b2533)";
pub const GRID: &str = "var(--color-border, #d5dbe2)";
pub const AXIS: &str = "var(--color-border-strong, #6b7480)";
pub const BACKGROUND: &str = "var(--color-bg, #ffffff)";

/// Dash patterns per series (the first solid), so that lines differ without colour.
pub const DASHES: [&str; 6] = ["", "8 4", "2 3", "10 3 2 3", "5 5", "12 4 2 4 2 4"];

pub fn colour(index: usize) -> &'static str {
    COLOURS.get(index % COLOURS.len()).copied().unwrap_or(TEXT)
}

pub fn dash(index: usize) -> &'static str {
    DASHES.get(index % DASHES.len()).copied().unwrap_or("")
}

/// The marker of series `index` centred on (x, y): circle, square, triangle, diamond,
/// inverted triangle, cross, then again with a white fill.
pub fn marker(index: usize, x: f64, y: f64, attrs: &str, tip: &str) -> String {
    let fill = if (index / 6).is_multiple_of(2) {
        colour(index)
    } else {
        BACKGROUND
    };
    let common = format!(
        "{attrs} fill=\"{fill}\" stroke=\"{}\" stroke-width=\"1.5\"",
        colour(index)
    );
    let tip = format!("<title>{}</title>", esc(tip));
    let polygon = |offsets: &[(f64, f64)]| {
        let points: Vec<String> = offsets
            .iter()
            .map(|(dx, dy)| format!("{},{}", fmt(x + dx), fmt(y + dy)))
            .collect();
        format!(
            "<polygon points=\"{}\" {common}>{tip}</polygon>",
            points.join(" ")
        )
    };
    match index % 6 {
        0 => format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"4.5\" {common}>{tip}</circle>",
            fmt(x),
            fmt(y)
        ),
        1 => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" {common}>{tip}</rect>",
            fmt(x - 4.0),
            fmt(y - 4.0)
        ),
        2 => polygon(&[(0.0, -5.5), (5.0, 4.0), (-5.0, 4.0)]),
        3 => polygon(&[(0.0, -6.0), (6.0, 0.0), (0.0, 6.0), (-6.0, 0.0)]),
        4 => polygon(&[(-5.0, -4.0), (5.0, -4.0), (0.0, 5.5)]),
        _ => polygon(&[
            (-2.0, -6.0),
            (2.0, -6.0),
            (2.0, -2.0),
            (6.0, -2.0),
            (6.0, 2.0),
            (2.0, 2.0),
            (2.0, 6.0),
            (-2.0, 6.0),
            (-2.0, 2.0),
            (-6.0, 2.0),
            (-6.0, -2.0),
            (-2.0, -2.0),
        ]),
    }
}

/// The opening `<svg>` with its accessible name and description.
pub fn open_svg(
    out: &mut String,
    id: &str,
    class: &str,
    width: f64,
    height: f64,
    title: &str,
    desc: &str,
) {
    let id = esc(id);
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{class}\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" \
         role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" focusable=\"false\" font-family=\"inherit\" font-size=\"13\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        fmt(width),
        fmt(height),
        fmt(width),
        fmt(height),
        esc(title),
        esc(desc)
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_numbers() {
        assert_eq!(format_nl(1234.5, 1), "1.234,5");
        assert_eq!(format_nl(1_234_567.0, 0), "1.234.567");
        assert_eq!(format_nl(-0.04, 1), "0,0");
        assert_eq!(format_nl(-12.346, 2), "-12,35");
        assert_eq!(format_nl(7.25, 1), "7,3");
        assert_eq!(format_nl(999.0, 0), "999");
        assert_eq!(format_nl(f64::NAN, 1), "");
        assert_eq!(with_unit(12.5, 1, "%"), "12,5 %");
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        let t = nice_ticks(3.0, 97.0);
        assert_eq!((t.min, t.max), (0.0, 100.0));
        assert_eq!(t.values, vec![0.0, 25.0, 50.0, 75.0, 100.0]);
        assert_eq!(t.decimals, 0);
        let t = nice_ticks(0.1, 0.9);
        assert_eq!(t.decimals, 1);
        assert!(t.min <= 0.1 && t.max >= 0.9);
        let labels: Vec<String> = t.values.iter().map(|v| format_nl(*v, t.decimals)).collect();
        let mut unique = labels.clone();
        unique.dedup();
        assert_eq!(labels, unique, "labels differ");
        assert_eq!(nice_ticks(0.0, 1.0).decimals, 2);
        let t = nice_ticks(5.0, 5.0);
        assert!(t.values.len() >= 2);
        let t = nice_ticks(f64::NAN, 1.0);
        assert_eq!((t.min, t.max), (0.0, 1.0));
    }

    #[test]
    fn escaping() {
        assert_eq!(
            esc("a & <b> \"c\" 'd'\u{1}"),
            "a &amp; &lt;b&gt; &quot;c&quot; &#39;d&#39; "
        );
    }
}
