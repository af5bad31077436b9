//! A choropleth map as server-rendered SVG: one path per area coloured by its class, a hatch
//! for areas without a value (no data or suppressed), a legend with the class ranges in Dutch
//! number format, and a title and description for assistive technology. The page puts a data
//! table beside it, so colour is never the only carrier.

use std::fmt::Write;

use geo::{LineString, MultiPolygon};

use super::classes::{
    class_breaks, class_label, class_of, format_number, pick_colours, ClassMethod, DEFAULT_RAMP,
};

/// One area on the map. `value` None means no data or a suppressed value: the map shows
/// neither.
#[derive(Debug, Clone, PartialEq)]
pub struct MapArea {
    pub code: String,
    pub label: String,
    pub value: Option<f64>,
    /// WGS84 longitude and latitude.
    pub geometry: MultiPolygon<f64>,
}

/// How to draw the map.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoroplethOptions {
    /// The map's title (the indicator, place and period).
    pub title: String,
    /// What the map shows, for screen readers; a summary of areas and classes is added.
    pub description: String,
    /// The unit after values in tooltips and the legend heading, e.g. "%" (may be empty).
    pub unit: String,
    /// Decimals of the values.
    pub decimals: usize,
    /// The number of classes wanted (fewer when the values do not allow them).
    pub classes: usize,
    pub method: ClassMethod,
    /// CSS colours from light to dark: `#rrggbb`, names, `rgb(…)` or `var(--…)`.
    pub colours: Vec<String>,
    /// A prefix for the ids in the SVG, unique on the page (letters, digits, '-', '_').
    pub id: String,
    /// Width of the drawing in SVG units (pixels at natural size).
    pub width: f64,
}

impl ChoroplethOptions {
    /// Five quantile classes on the default ramp, 640 units wide.
    pub fn new(title: &str, id: &str) -> Self {
        ChoroplethOptions {
            title: title.to_string(),
            description: String::new(),
            unit: String::new(),
            decimals: 1,
            classes: 5,
            method: ClassMethod::Quantiles,
            colours: DEFAULT_RAMP.iter().map(|c| c.to_string()).collect(),
            id: id.to_string(),
            width: 640.0,
        }
    }
}

const NO_DATA: &str = "Geen gegevens of afgeschermd";
const PADDING: f64 = 8.0;
const LEGEND_ROW: f64 = 22.0;

/// The map as an SVG document fragment (an `<svg>` element to put in the page).
pub fn render_choropleth(areas: &[MapArea], options: &ChoroplethOptions) -> String {
    let id = safe_id(&options.id);
    let width = if options.width.is_finite() {
        options.width.clamp(200.0, 2000.0)
    } else {
        640.0
    };
    let colours: Vec<String> = {
        let given: Vec<String> = options
            .colours
            .iter()
            .filter(|c| is_safe_colour(c))
            .cloned()
            .collect();
        if given.is_empty() {
            DEFAULT_RAMP.iter().map(|c| c.to_string()).collect()
        } else {
            given
        }
    };
    let values: Vec<f64> = areas
        .iter()
        .filter_map(|a| a.value)
        .filter(|v| v.is_finite())
        .collect();
    let classes = class_breaks(&values, options.classes.min(colours.len()), options.method);
    let fills = pick_colours(&colours, classes.len());
    let no_data_count = areas.len()
        - areas
            .iter()
            .filter(|a| a.value.is_some_and(f64::is_finite))
            .count();

    let frame = Frame::fit(areas, width - 2.0 * PADDING, width * 0.9);
    let map_height = frame.as_ref().map_or(60.0, |f| f.height) + 2.0 * PADDING;
    let legend_rows = classes.len() + usize::from(no_data_count > 0);
    let height = map_height + 24.0 + legend_rows as f64 * LEGEND_ROW + PADDING;
    let unit = options.unit.trim();

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" class="cijfers-map">"#,
        w = round1(width),
        h = round1(height)
    );
    let _ = write!(
        svg,
        r#"<title id="{id}-title">{}</title>"#,
        escape(&options.title)
    );
    let summary = format!(
        "Kaart met {} gebieden in {} klassen{}.",
        areas.len(),
        classes.len(),
        if no_data_count > 0 {
            format!("; {no_data_count} zonder gegevens of afgeschermd")
        } else {
            String::new()
        }
    );
    let description = if options.description.trim().is_empty() {
        summary
    } else {
        format!("{} {summary}", options.description.trim())
    };
    let _ = write!(
        svg,
        r#"<desc id="{id}-desc">{}</desc>"#,
        escape(&description)
    );
    let _ = write!(
        svg,
        r##"<defs><pattern id="{id}-nodata" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f3f5f8"/><line x1="0" y1="0" x2="0" y2="6" stroke="#6b7480" stroke-width="1.5"/></pattern></defs>"##
    );

    svg.push_str(r##"<g stroke="#4f5b6b" stroke-width="0.5" stroke-linejoin="round">"##);
    if let Some(frame) = &frame {
        for area in areas {
            let class = area.value.and_then(|v| class_of(&classes, v));
            let fill = match class.and_then(|c| fills.get(c)) {
                Some(colour) => escape(colour),
                None => format!("url(#{id}-nodata)"),
            };
            let tooltip = match area.value.filter(|v| v.is_finite()) {
                Some(v) => format!(
                    "{}: {}",
                    area.label,
                    with_unit(&format_number(v, options.decimals), unit)
                ),
                None => format!("{}: {}", area.label, NO_DATA.to_lowercase()),
            };
            let _ = write!(
                svg,
                r#"<path d="{}" fill="{fill}" fill-rule="evenodd" data-code="{}"><title>{}</title></path>"#,
                frame.path(&area.geometry),
                escape(&area.code),
                escape(&tooltip)
            );
        }
    }
    svg.push_str("</g>");
    if frame.is_none() {
        let _ = write!(
            svg,
            r##"<text x="{x}" y="{y}" font-size="13" fill="#1b2533">Geen gebieden met een geometrie om te tonen.</text>"##,
            x = PADDING,
            y = PADDING + 20.0
        );
    }

    // The legend, under the map.
    let mut y = map_height + 16.0;
    let heading = if unit.is_empty() {
        "Legende".to_string()
    } else {
        format!("Legende ({unit})")
    };
    let _ = write!(
        svg,
        r##"<g class="cijfers-map-legend" font-size="13" fill="#1b2533"><text x="{x}" y="{y}" font-weight="bold">{}</text>"##,
        escape(&heading),
        x = PADDING,
        y = round1(y)
    );
    y += 8.0;
    for (class, fill) in classes.iter().zip(&fills) {
        legend_row(
            &mut svg,
            y,
            &escape(fill),
            &class_label(class, options.decimals),
        );
        y += LEGEND_ROW;
    }
    if no_data_count > 0 {
        legend_row(&mut svg, y, &format!("url(#{id}-nodata)"), NO_DATA);
    }
    svg.push_str("</g></svg>");
    svg
}

fn legend_row(svg: &mut String, y: f64, fill: &str, label: &str) {
    let _ = write!(
        svg,
        r##"<g class="cijfers-map-class"><rect x="{x}" y="{ry}" width="18" height="14" fill="{fill}" stroke="#6b7480"/><text x="{tx}" y="{ty}">{}</text></g>"##,
        escape(label),
        x = PADDING,
        ry = round1(y + 2.0),
        tx = PADDING + 26.0,
        ty = round1(y + 14.0)
    );
}

fn with_unit(number: &str, unit: &str) -> String {
    if unit.is_empty() {
        number.to_string()
    } else if unit == "%" {
        format!("{number}%")
    } else {
        format!("{number} {unit}")
    }
}

/// The local projection of the map: equirectangular, longitude scaled by the cosine of the
/// middle latitude (true shapes at city scale), fitted into the drawing.
struct Frame {
    min_lon: f64,
    max_lat: f64,
    x_scale: f64,
    y_scale: f64,
    height: f64,
}

impl Frame {
    fn fit(areas: &[MapArea], width: f64, max_height: f64) -> Option<Frame> {
        let mut coords = areas
            .iter()
            .flat_map(|a| a.geometry.0.iter())
            .flat_map(|p| p.exterior().0.iter())
            .filter(|c| c.x.is_finite() && c.y.is_finite() && c.y.abs() < 89.0);
        let first = coords.next()?;
        let (min_lon, min_lat, max_lon, max_lat) = coords
            .fold((first.x, first.y, first.x, first.y), |(a, b, c, d), p| {
                (a.min(p.x), b.min(p.y), c.max(p.x), d.max(p.y))
            });
        let cos = ((min_lat + max_lat) / 2.0).to_radians().cos();
        let (dx, dy) = ((max_lon - min_lon) * cos, max_lat - min_lat);
        let scale = match (dx > 0.0, dy > 0.0) {
            (true, true) => (width / dx).min(max_height / dy),
            (true, false) => width / dx,
            (false, true) => max_height / dy,
            (false, false) => 1.0,
        };
        Some(Frame {
            min_lon,
            max_lat,
            x_scale: scale * cos,
            y_scale: scale,
            height: (dy * scale).max(1.0),
        })
    }

    /// The path data of a geometry: absolute start of each ring, then relative steps in
    /// tenths of a unit, steps of nothing left out.
    fn path(&self, geometry: &MultiPolygon<f64>) -> String {
        let mut d = String::new();
        for polygon in &geometry.0 {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                self.ring(&mut d, ring);
            }
        }
        d
    }

    fn ring(&self, d: &mut String, ring: &LineString<f64>) {
        let mut previous: Option<(i64, i64)> = None;
        for c in &ring.0 {
            if !c.x.is_finite() || !c.y.is_finite() {
                continue;
            }
            // In tenths of a unit; the drawing is at most a few thousand units across.
            let x = ((PADDING + (c.x - self.min_lon) * self.x_scale) * 10.0)
                .round()
                .clamp(-1e9, 1e9) as i64;
            let y = ((PADDING + (self.max_lat - c.y) * self.y_scale) * 10.0)
                .round()
                .clamp(-1e9, 1e9) as i64;
            match previous {
                None => {
                    let _ = write!(d, "M{} {}", tenths(x), tenths(y));
                }
                Some((px, py)) if (px, py) != (x, y) => {
                    let _ = write!(d, "l{} {}", tenths(x - px), tenths(y - py));
                }
                Some(_) => continue,
            }
            previous = Some((x, y));
        }
        if previous.is_some() {
            d.push('z');
        }
    }
}

fn tenths(value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    if abs.is_multiple_of(10) {
        format!("{sign}{}", abs / 10)
    } else {
        format!("{sign}{}.{}", abs / 10, abs % 10)
    }
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Text for XML content and attributes: the five special characters escaped, characters XML
/// 1.0 does not allow left out.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether a colour is one a fill attribute may carry: a hex colour, a name, a functional
/// notation or a custom property, and nothing that could end the attribute or add a rule.
fn is_safe_colour(colour: &str) -> bool {
    !colour.is_empty()
        && colour.len() <= 64
        && colour.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '#' | '(' | ')' | ',' | '.' | '%' | '-' | ' ' | '_')
        })
}

fn safe_id(id: &str) -> String {
    let cleaned: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(40)
        .collect();
    match cleaned.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => cleaned,
        _ => format!("kaart-{cleaned}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Polygon;
    use quick_xml::events::Event;
    use quick_xml::Reader;

    fn square(lon: f64, lat: f64) -> MultiPolygon<f64> {
        let s = 0.01;
        MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![
                (lon, lat),
                (lon + s, lat),
                (lon + s, lat + s),
                (lon, lat + s),
                (lon, lat),
            ]),
            vec![],
        )])
    }

    fn areas() -> Vec<MapArea> {
        (0..12)
            .map(|i| MapArea {
                code: format!("11002A{i:02}-"),
                label: if i == 0 {
                    "Zuid & <Kiel> \"oud\"".to_string()
                } else {
                    format!("Wijk {i}")
                },
                value: if i % 5 == 4 {
                    None
                } else {
                    Some(f64::from(i) * 10.5)
                },
                geometry: square(
                    4.38 + f64::from(i % 4) * 0.01,
                    51.20 + f64::from(i / 4) * 0.01,
                ),
            })
            .collect()
    }

    /// Parses the SVG and returns (element name, attributes, the text inside it up to the next element).
    /// An element: its name, its attributes and its text.
    type Element = (String, Vec<(String, String)>, String);

    fn elements(svg: &str) -> Vec<Element> {
        let mut reader = Reader::from_str(svg);
        let mut out: Vec<Element> = Vec::new();
        loop {
            match reader.read_event().expect("the SVG is well-formed XML") {
                Event::Start(e) | Event::Empty(e) => {
                    let attributes = e
                        .attributes()
                        .map(|a| {
                            let a = a.unwrap();
                            let value = a
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned();
                            let key: &str = a.key.as_ref();
                            (key.to_string(), value)
                        })
                        .collect();
                    let qname = e.name();
                    let name: &str = qname.as_ref();
                    out.push((name.to_string(), attributes, String::new()));
                }
                Event::Text(t) => {
                    if let Some(last) = out.last_mut() {
                        last.2.push_str(&t.xml10_content());
                    }
                }
                Event::GeneralRef(r) => {
                    if let Some(last) = out.last_mut() {
                        let name: &str = r.as_ref();
                        last.2.push_str(match name {
                            "amp" => "&",
                            "lt" => "<",
                            "gt" => ">",
                            "quot" => "\"",
                            _ => "'",
                        });
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        out
    }

    fn attr<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
        attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn one_path_per_area_and_a_legend_entry_per_class() {
        let mut options = ChoroplethOptions::new("Inwoners per km² <2024>", "kaart1");
        options.classes = 4;
        options.unit = "%".to_string();
        let svg = render_choropleth(&areas(), &options);
        let elements = elements(&svg);

        let root = &elements[0];
        assert_eq!(root.0, "svg");
        assert_eq!(attr(&root.1, "role"), Some("img"));
        assert_eq!(
            attr(&root.1, "aria-labelledby"),
            Some("kaart1-title kaart1-desc")
        );
        let title = elements
            .iter()
            .find(|e| attr(&e.1, "id") == Some("kaart1-title"))
            .unwrap();
        assert_eq!(title.0, "title");
        let desc = elements.iter().find(|e| e.0 == "desc").unwrap();
        assert!(
            desc.2
                .contains("12 gebieden in 4 klassen; 2 zonder gegevens"),
            "{}",
            desc.2
        );

        let paths: Vec<_> = elements.iter().filter(|e| e.0 == "path").collect();
        assert_eq!(paths.len(), 12);
        let codes: Vec<&str> = paths
            .iter()
            .filter_map(|p| attr(&p.1, "data-code"))
            .collect();
        assert_eq!(codes.len(), 12);
        assert!(codes.contains(&"11002A07-"));
        // Areas without a value are hatched, the others coloured from the ramp.
        let hatched = paths
            .iter()
            .filter(|p| attr(&p.1, "fill") == Some("url(#kaart1-nodata)"))
            .count();
        assert_eq!(hatched, 2);
        let fills: std::collections::BTreeSet<&str> =
            paths.iter().filter_map(|p| attr(&p.1, "fill")).collect();
        assert_eq!(fills.len(), 5, "{fills:?}");

        let legend: Vec<_> = elements
            .iter()
            .filter(|e| attr(&e.1, "class") == Some("cijfers-map-class"))
            .collect();
        assert_eq!(legend.len(), 4 + 1, "four classes and the hatch");
        let texts: Vec<&str> = elements
            .iter()
            .filter(|e| e.0 == "text")
            .map(|e| e.2.as_str())
            .collect();
        assert!(texts.contains(&"Legende (%)"), "{texts:?}");
        assert!(texts.contains(&"Geen gegevens of afgeschermd"), "{texts:?}");
        assert!(texts.iter().any(|t| t.starts_with("0,0 – ")), "{texts:?}");
        assert!(texts.iter().any(|t| t.ends_with(" – 115,5")), "{texts:?}");
        assert!(!svg.contains("<script"), "no scripts");
    }

    #[test]
    fn text_is_escaped_and_tooltips_name_the_value() {
        let svg = render_choropleth(&areas(), &ChoroplethOptions::new("A & B", "k"));
        let elements = elements(&svg);
        let tooltips: Vec<&str> = elements
            .iter()
            .filter(|e| e.0 == "title")
            .map(|e| e.2.as_str())
            .collect();
        assert!(tooltips.contains(&"A & B"), "{tooltips:?}");
        assert!(
            tooltips.contains(&"Zuid & <Kiel> \"oud\": 0,0"),
            "{tooltips:?}"
        );
        assert!(tooltips.contains(&"Wijk 3: 31,5"), "{tooltips:?}");
        assert!(
            tooltips.contains(&"Wijk 4: geen gegevens of afgeschermd"),
            "{tooltips:?}"
        );
    }

    #[test]
    fn the_view_box_fits_the_areas() {
        let svg = render_choropleth(&areas(), &ChoroplethOptions::new("t", "k"));
        let elements = elements(&svg);
        let view_box: Vec<f64> = attr(&elements[0].1, "viewBox")
            .unwrap()
            .split(' ')
            .map(|n| n.parse().unwrap())
            .collect();
        let (width, height) = (view_box[2], view_box[3]);
        for path in elements.iter().filter(|e| e.0 == "path") {
            // Walk the path: absolute moves, relative lines, closes.
            let d = attr(&path.1, "d").unwrap();
            let (mut x, mut y) = (0.0f64, 0.0f64);
            let mut command = ' ';
            let mut numbers = String::new();
            for ch in d.chars().chain(std::iter::once('z')) {
                if matches!(ch, 'M' | 'l' | 'z') {
                    let n: Vec<f64> = numbers
                        .split(' ')
                        .filter(|t| !t.is_empty())
                        .map(|t| t.parse().unwrap())
                        .collect();
                    match command {
                        'M' => (x, y) = (n[0], n[1]),
                        'l' => (x, y) = (x + n[0], y + n[1]),
                        _ => {}
                    }
                    assert!(
                        (0.0..=width).contains(&x) && (0.0..=height).contains(&y),
                        "({x}, {y}) outside {width}x{height}"
                    );
                    command = ch;
                    numbers.clear();
                } else {
                    numbers.push(ch);
                }
            }
        }
    }

    #[test]
    fn no_areas_and_hostile_options_still_give_valid_svg() {
        let mut options = ChoroplethOptions::new("t", "9\"><script>");
        options.colours = vec!["red\"/><script>".to_string()];
        let svg = render_choropleth(&[], &options);
        assert!(!elements(&svg).is_empty());
        assert!(svg.contains("Geen gebieden"));
        let svg = render_choropleth(&areas(), &options);
        assert!(!svg.contains("<script"));
        assert_eq!(elements(&svg).iter().filter(|e| e.0 == "path").count(), 12);
        options.colours = vec![
            "var(--cijfers-ramp-1)".to_string(),
            "var(--cijfers-ramp-2)".to_string(),
        ];
        let svg = render_choropleth(&areas(), &options);
        assert!(svg.contains(r#"fill="var(--cijfers-ramp-2)""#));
    }
}
