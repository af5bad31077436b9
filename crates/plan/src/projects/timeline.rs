//! The timeline: a Gantt-like SVG drawn on the server, so that it works without JavaScript and
//! under the strict Content-Security-Policy. One row per bar (a project, or an item with start
//! and end dates, indented by depth), bars from start to end on a month axis, milestones as
//! diamonds with their label, and a "vandaag" line. The SVG is an image (`role="img"` with
//! `<title>` and `<desc>`); pages put the same data in a table below it.
//!
//! [`render`] is pure: rows, today and the texts in, markup out.

use chrono::{Datelike, NaiveDate};

/// Width of the label column, in SVG units.
pub const LABEL_WIDTH: f64 = 260.0;
/// Width of one month on the axis.
pub const MONTH_WIDTH: f64 = 56.0;
/// Height of the month axis at the top.
pub const AXIS_HEIGHT: f64 = 32.0;
/// Height of one row.
pub const ROW_HEIGHT: f64 = 40.0;
/// Indentation per depth level of a row's label.
pub const INDENT: f64 = 12.0;

/// A milestone on a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub label: String,
    /// 'YYYY-MM-DD'.
    pub date: String,
    pub done: bool,
}

/// One row of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: String,
    /// 0 for the top; labels are indented by depth.
    pub depth: usize,
    /// 'YYYY-MM-DD'.
    pub start: String,
    pub end: String,
    /// A project bar (true) or an item bar (false, drawn lighter).
    pub is_project: bool,
    pub marks: Vec<Mark>,
}

/// The texts of the picture, in the user's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Texts {
    /// Unique within the page: the ids of `<title>` and `<desc>` start with it.
    pub id: String,
    pub title: String,
    pub description: String,
    pub today: String,
}

/// Escapes text for SVG/XML content and attribute values.
pub fn escape(text: &str) -> String {
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

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn month_index(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month0())
}

fn days_in_month(d: NaiveDate) -> f64 {
    let first = d.with_day(1).unwrap_or(d);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    (next - first).num_days().max(1) as f64
}

/// The month axis: the first month shown and how many.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Axis {
    pub first_month: i64,
    pub months: i64,
}

impl Axis {
    /// The axis covering every date of `rows` (and `today`, when it falls in between or close).
    pub fn of(rows: &[Row]) -> Option<Axis> {
        let dates: Vec<NaiveDate> = rows
            .iter()
            .flat_map(|r| {
                [date(&r.start), date(&r.end)]
                    .into_iter()
                    .chain(r.marks.iter().map(|m| date(&m.date)))
            })
            .flatten()
            .collect();
        let first = dates.iter().map(|d| month_index(*d)).min()?;
        let last = dates.iter().map(|d| month_index(*d)).max()?;
        Some(Axis {
            first_month: first,
            months: last - first + 1,
        })
    }

    /// The x of the start of `d`'s day.
    pub fn x_start(&self, d: NaiveDate) -> f64 {
        let month = (month_index(d) - self.first_month) as f64;
        LABEL_WIDTH + (month + f64::from(d.day0()) / days_in_month(d)) * MONTH_WIDTH
    }

    /// The x of the end of `d`'s day.
    pub fn x_end(&self, d: NaiveDate) -> f64 {
        let month = (month_index(d) - self.first_month) as f64;
        LABEL_WIDTH + (month + f64::from(d.day()) / days_in_month(d)) * MONTH_WIDTH
    }

    pub fn width(&self) -> f64 {
        LABEL_WIDTH + self.months as f64 * MONTH_WIDTH
    }

    fn contains(&self, d: NaiveDate) -> bool {
        (self.first_month..self.first_month + self.months).contains(&month_index(d))
    }
}

/// The font size of a milestone's label.
pub const MARK_FONT: f64 = 10.0;
/// The font size of the "vandaag" label.
pub const TODAY_FONT: f64 = 10.0;

/// A generous estimate of the width of `text` at `font_size` (the server cannot measure
/// text): 0.62 em per character, more than the average of the interface's sans-serif fonts.
pub fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars().count() as f64 * font_size * 0.62
}

/// Where a milestone's label starts: just left of its diamond.
fn mark_label_x(cx: f64) -> f64 {
    cx - 4.0
}

/// The picture's width: the month axis, widened so that the last milestone label (and the
/// "vandaag" label) fit inside instead of being cut off at the edge.
fn picture_width(rows: &[&Row], axis: &Axis, today: Option<NaiveDate>, texts: &Texts) -> f64 {
    let marks = rows.iter().flat_map(|r| r.marks.iter()).filter_map(|m| {
        let d = date(&m.date)?;
        let cx = (axis.x_start(d) + axis.x_end(d)) / 2.0;
        Some(mark_label_x(cx) + text_width(&m.label, MARK_FONT))
    });
    let today = today.map(|t| axis.x_start(t) + 3.0 + text_width(&texts.today, TODAY_FONT));
    marks
        .chain(today)
        .map(|right| right + 8.0)
        .fold(axis.width(), f64::max)
        .ceil()
}

fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// The timeline as SVG markup; `None` when no row has usable dates (the page then says there
/// is nothing to show).
pub fn render(rows: &[Row], today: &str, texts: &Texts) -> Option<String> {
    let rows: Vec<&Row> = rows
        .iter()
        .filter(|r| date(&r.start).is_some() && date(&r.end).is_some())
        .collect();
    let owned: Vec<Row> = rows.iter().map(|r| (*r).clone()).collect();
    let axis = Axis::of(&owned)?;
    let today_date = date(today).filter(|t| axis.contains(*t));
    let width = picture_width(&rows, &axis, today_date, texts);
    let height = AXIS_HEIGHT + rows.len() as f64 * ROW_HEIGHT;
    let id = escape(&texts.id);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plan-timeline\" role=\"img\" \
         viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
         aria-labelledby=\"{id}-title {id}-desc\">\
         <title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{desc}</desc>",
        w = num(width),
        h = num(height),
        title = escape(&texts.title),
        desc = escape(&texts.description),
    );
    // Month axis: a tick and a label per month, the year on January and on the first month.
    for m in 0..axis.months {
        let index = axis.first_month + m;
        let (year, month) = (index.div_euclid(12), index.rem_euclid(12) + 1);
        let x = LABEL_WIDTH + m as f64 * MONTH_WIDTH;
        svg.push_str(&format!(
            "<line class=\"plan-timeline-grid\" x1=\"{x}\" y1=\"{y1}\" x2=\"{x}\" y2=\"{h}\" \
             stroke=\"#d0d4d9\" stroke-width=\"1\"/>\
             <text class=\"plan-timeline-month\" x=\"{tx}\" y=\"20\" font-size=\"11\" \
             fill=\"#333\">{month:02}/{year}</text>",
            x = num(x),
            y1 = num(AXIS_HEIGHT - 8.0),
            h = num(height),
            tx = num(x + 4.0),
        ));
    }
    for (i, row) in rows.iter().enumerate() {
        let top = AXIS_HEIGHT + i as f64 * ROW_HEIGHT;
        let (Some(start), Some(end)) = (date(&row.start), date(&row.end)) else {
            continue;
        };
        let x1 = axis.x_start(start);
        let x2 = axis.x_end(end.max(start));
        let (fill, class) = if row.is_project {
            ("#1d5ea8", "plan-timeline-bar")
        } else {
            ("#9fbfe0", "plan-timeline-bar plan-timeline-bar-item")
        };
        svg.push_str(&format!(
            "<g class=\"plan-timeline-row\"><text class=\"plan-timeline-label\" x=\"{lx}\" \
             y=\"{ly}\" font-size=\"12\" fill=\"#1a1a1a\">{label}</text>\
             <rect class=\"{class}\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"12\" rx=\"2\" \
             fill=\"{fill}\"/>",
            lx = num(4.0 + row.depth as f64 * INDENT),
            ly = num(top + 17.0),
            label = escape(&row.label),
            x = num(x1),
            y = num(top + 6.0),
            w = num((x2 - x1).max(2.0)),
        ));
        for mark in &row.marks {
            let Some(d) = date(&mark.date) else { continue };
            let cx = (axis.x_start(d) + axis.x_end(d)) / 2.0;
            let cy = top + 12.0;
            let fill = if mark.done { "#1a1a1a" } else { "#ffffff" };
            svg.push_str(&format!(
                "<polygon class=\"plan-timeline-milestone\" points=\"{a},{cy0} {cx},{b} {c},{cy0} \
                 {cx},{d}\" fill=\"{fill}\" stroke=\"#1a1a1a\" stroke-width=\"1.5\"/>\
                 <text class=\"plan-timeline-milestone-label\" x=\"{tx}\" y=\"{ty}\" \
                 font-size=\"{size}\" fill=\"#1a1a1a\">{label}</text>",
                a = num(cx - 6.0),
                c = num(cx + 6.0),
                cx = num(cx),
                cy0 = num(cy),
                b = num(cy - 6.0),
                d = num(cy + 6.0),
                tx = num(mark_label_x(cx)),
                ty = num(top + 33.0),
                size = num(MARK_FONT),
                label = escape(&mark.label),
            ));
        }
        svg.push_str("</g>");
    }
    if let Some(t) = today_date {
        let x = num(axis.x_start(t));
        svg.push_str(&format!(
            "<line class=\"plan-timeline-today\" x1=\"{x}\" y1=\"{y1}\" x2=\"{x}\" y2=\"{h}\" \
             stroke=\"#b00020\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>\
             <text class=\"plan-timeline-today-label\" x=\"{tx}\" y=\"{ty}\" font-size=\"{size}\" \
             fill=\"#b00020\">{label}</text>",
            y1 = num(AXIS_HEIGHT - 6.0),
            h = num(height),
            tx = num(axis.x_start(t) + 3.0),
            ty = num(AXIS_HEIGHT - 1.0),
            size = num(TODAY_FONT),
            label = escape(&texts.today),
        ));
    }
    svg.push_str("</svg>");
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts() -> Texts {
        Texts {
            id: "tl".into(),
            title: "Tijdlijn".into(),
            description: "2 projecten".into(),
            today: "vandaag".into(),
        }
    }

    fn row(label: &str, start: &str, end: &str) -> Row {
        Row {
            label: label.into(),
            depth: 0,
            start: start.into(),
            end: end.into(),
            is_project: true,
            marks: vec![],
        }
    }

    #[test]
    fn empty_input_draws_nothing() {
        assert_eq!(render(&[], "2026-01-01", &texts()), None);
        assert_eq!(
            render(&[row("x", "geen", "datum")], "2026-01-01", &texts()),
            None
        );
    }

    #[test]
    fn positions_follow_the_month_axis() {
        let rows = [
            row("A", "2026-01-01", "2026-03-31"),
            row("B", "2026-02-01", "2026-06-30"),
        ];
        let axis = Axis::of(&rows).unwrap_or(Axis {
            first_month: 0,
            months: 0,
        });
        assert_eq!(axis.months, 6);
        let jan1 = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        let mar31 = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap_or_default();
        let feb15 = NaiveDate::from_ymd_opt(2026, 2, 15).unwrap_or_default();
        assert_eq!(axis.x_start(jan1), LABEL_WIDTH);
        assert_eq!(axis.x_end(mar31), LABEL_WIDTH + 3.0 * MONTH_WIDTH);
        // 14 of 28 days into February.
        assert_eq!(axis.x_start(feb15), LABEL_WIDTH + 1.5 * MONTH_WIDTH);
        let svg = render(&rows, "2026-02-15", &texts()).unwrap_or_default();
        // A's bar: from the label column over three months.
        assert!(svg.contains("x=\"260\" y=\"38\" width=\"168\""), "{svg}");
        // The today line at mid-February.
        assert!(svg.contains("x1=\"344\""), "{svg}");
        assert!(svg.contains(">vandaag</text>"));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"tl-title\">Tijdlijn</title>"));
        assert!(svg.contains("<desc id=\"tl-desc\">2 projecten</desc>"));
        assert!(svg.contains(">01/2026<") && svg.contains(">06/2026<"));
    }

    #[test]
    fn the_last_milestone_label_fits_inside_the_picture() {
        let mut r = row("A", "2026-01-01", "2026-03-31");
        r.marks.push(Mark {
            label: "Oplevering van het volledige project".into(),
            date: "2026-03-31".into(),
            done: false,
        });
        let svg = render(&[r], "", &texts()).unwrap_or_default();
        let axis_right = LABEL_WIDTH + 3.0 * MONTH_WIDTH;
        let cx = axis_right - MONTH_WIDTH / 31.0 / 2.0;
        let right = mark_label_x(cx) + text_width("Oplevering van het volledige project", 10.0);
        assert!(right > axis_right, "the label runs past the month axis");
        let width = picture_width_of(&svg);
        assert!(right <= width, "{right} > {width}: {svg}");
        // Without marks the picture is just the axis.
        let svg = render(&[row("A", "2026-01-01", "2026-03-31")], "", &texts()).unwrap_or_default();
        assert_eq!(picture_width_of(&svg), axis_right);
    }

    fn picture_width_of(svg: &str) -> f64 {
        let at = svg.find("viewBox=\"0 0 ").unwrap_or(0) + 13;
        svg[at..]
            .split(' ')
            .next()
            .unwrap_or("0")
            .parse()
            .unwrap_or(0.0)
    }

    #[test]
    fn today_outside_the_axis_is_left_out() {
        let svg = render(
            &[row("A", "2026-01-01", "2026-03-31")],
            "2030-01-01",
            &texts(),
        )
        .unwrap_or_default();
        assert!(!svg.contains("vandaag"));
    }

    #[test]
    fn labels_are_escaped_and_milestones_drawn() {
        let mut r = row("Fiets & <voetpad>", "2026-01-01", "2026-12-31");
        r.depth = 2;
        r.marks.push(Mark {
            label: "\"Start\" werf".into(),
            date: "2026-04-01".into(),
            done: true,
        });
        let svg = render(&[r], "", &texts()).unwrap_or_default();
        assert!(svg.contains(">Fiets &amp; &lt;voetpad&gt;</text>"));
        assert!(svg.contains(">&quot;Start&quot; werf</text>"));
        assert!(!svg.contains("<voetpad>"));
        assert!(svg.contains("<polygon class=\"plan-timeline-milestone\""));
        // Indented by depth.
        assert!(svg.contains("x=\"28\" y=\"49\""), "{svg}");
    }
}
