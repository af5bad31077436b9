//! The planner's charts as server-rendered SVG (no script, no chart library): horizontal bars,
//! one per row, labelled and with the value at the end of the bar. Each chart has a `<title>`
//! and `<desc>` and stands beside a table with the same figures, which is what a screen reader
//! reads (the chart is the picture of the table, not its only form).

use steden_web::i18n::Lang;

/// One bar: its label (a date, a month) and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: i64,
}

const WIDTH: i64 = 480;
const LABEL_WIDTH: i64 = 110;
const VALUE_WIDTH: i64 = 70;
const BAR_HEIGHT: i64 = 20;
const GAP: i64 = 6;

/// Horizontal bars as an SVG document fragment. `id` makes the title and description ids
/// unique on the page; `title` and `description` are plain text (escaped here).
pub fn bars_svg(id: &str, title: &str, description: &str, bars: &[Bar], lang: Lang) -> String {
    let max = bars.iter().map(|bar| bar.value).max().unwrap_or(0).max(1);
    let height = bars.len() as i64 * (BAR_HEIGHT + GAP) + GAP;
    let span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    let mut svg = format!(
        r#"<svg class="nb-li-chart" role="img" aria-labelledby="{id}-t {id}-d" viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape(title),
        escape(description),
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = GAP + i as i64 * (BAR_HEIGHT + GAP);
        let width = if bar.value > 0 {
            (bar.value * span / max).max(2)
        } else {
            0
        };
        let text_y = y + BAR_HEIGHT - 5;
        svg.push_str(&format!(
            r#"<text x="0" y="{text_y}" font-size="13" fill="currentColor">{}</text><rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" fill="currentColor" opacity="0.6"></rect><text x="{}" y="{text_y}" font-size="13" fill="currentColor">{}</text>"#,
            escape(&bar.label),
            LABEL_WIDTH + width + 6,
            format_count(bar.value, lang),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// 1.234 in Dutch, 1,234 in English.
pub fn format_count(value: i64, lang: Lang) -> String {
    let dutch = steden_core::time::format_int(value);
    match lang {
        Lang::Nl => dutch,
        Lang::En => dutch.replace('.', ","),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_text_is_escaped() {
        let bars = [
            Bar {
                label: "1/12".into(),
                value: 1000,
            },
            Bar {
                label: "<b>".into(),
                value: 500,
            },
            Bar {
                label: "leeg".into(),
                value: 0,
            },
        ];
        let svg = bars_svg("p1", "Weergaven & meer", "d", &bars, Lang::Nl);
        let span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
        assert!(svg.contains(&format!(r#"width="{span}""#)), "{svg}");
        assert!(svg.contains(&format!(r#"width="{}""#, span / 2)), "{svg}");
        assert!(svg.contains(r#"width="0""#));
        assert!(svg.contains("Weergaven &amp; meer"));
        assert!(svg.contains("&lt;b&gt;"));
        assert!(svg.contains(">1.000<"));
        assert_eq!(svg.matches("<rect").count(), 3);
    }
}
