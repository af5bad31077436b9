//! The ranking chart parsed as XML (roxmltree): one bar per published value, in ranking order,
//! lengths proportional to the values, no bar for a suppressed or missing value.

use roxmltree::{Document, Node};

use super::*;

const CITIES: [&str; 14] = [
    "Aalst",
    "Antwerpen",
    "Brugge",
    "Genk",
    "Gent",
    "Hasselt",
    "Kortrijk",
    "Leuven",
    "Mechelen",
    "Oostende",
    "Roeselare",
    "Sint-Niklaas",
    "Turnhout",
    "VGC",
];

fn chart() -> BarChart {
    let bars = CITIES
        .iter()
        .enumerate()
        .map(|(n, city)| Bar {
            label: city.to_string(),
            value: match *city {
                "Genk" => None,
                "VGC" => None,
                _ => Some(3.0 + (n * 7 % 11) as f64 * 1.5),
            },
            note: if *city == "Genk" {
                "geheim".into()
            } else {
                String::new()
            },
            highlight: *city == "Gent",
        })
        .collect();
    BarChart {
        id: "r1".into(),
        title: "Werkloosheid 2024".into(),
        unit: "%".into(),
        decimals: 1,
        bars,
        reference: Some(("Vlaams Gewest".into(), 7.25)),
    }
}

fn rows<'a>(doc: &'a Document<'a>) -> Vec<Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("cj-bar-row"))
        .collect()
}

fn child<'a>(row: Node<'a, 'a>, class: &str) -> Option<Node<'a, 'a>> {
    row.children().find(|n| n.attribute("class") == Some(class))
}

fn num(node: Node<'_, '_>, name: &str) -> f64 {
    node.attribute(name).unwrap().parse().unwrap()
}

#[test]
fn fourteen_rows_twelve_bars_in_ranking_order() {
    let c = chart();
    let text = svg(&c).unwrap();
    let doc = Document::parse(&text).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.attribute("role"), Some("img"));
    assert_eq!(root.attribute("aria-labelledby"), Some("r1-title r1-desc"));
    let rows = rows(&doc);
    assert_eq!(rows.len(), 14);
    let bars: Vec<Node> = rows.iter().filter_map(|r| child(*r, "cj-bar")).collect();
    assert_eq!(bars.len(), 12);
    // Highest first; rows go down the page.
    let values: Vec<f64> = bars.iter().map(|b| num(*b, "data-value")).collect();
    assert!(values.windows(2).all(|w| w[0] >= w[1]), "{values:?}");
    let ys: Vec<f64> = bars.iter().map(|b| num(*b, "y")).collect();
    assert!(
        ys.windows(2).all(|w| (w[1] - w[0] - ROW).abs() < 0.2),
        "{ys:?}"
    );
    // Widths are proportional to the values (the scale starts at zero).
    let ratio = num(bars[0], "width") / values[0];
    for (bar, value) in bars.iter().zip(&values) {
        assert!((num(*bar, "width") / value - ratio).abs() < 0.05, "{value}");
        assert!((num(*bar, "x") - LABEL_WIDTH).abs() < 0.2);
    }
    // The places without a value come last, in words, without a bar.
    let last: Vec<(&str, &str)> = rows[12..]
        .iter()
        .map(|r| {
            (
                child(*r, "cj-bar-label").unwrap().text().unwrap(),
                child(*r, "cj-bar-note").unwrap().text().unwrap(),
            )
        })
        .collect();
    assert_eq!(last, vec![("Genk", "geheim"), ("VGC", "geen gegevens")]);
}

#[test]
fn values_are_dutch_and_the_highlight_is_more_than_colour() {
    let text = svg(&chart()).unwrap();
    let doc = Document::parse(&text).unwrap();
    let gent = rows(&doc)
        .into_iter()
        .find(|r| child(*r, "cj-bar-label").unwrap().text() == Some("▶ Gent"))
        .unwrap();
    assert_eq!(
        child(gent, "cj-bar-label")
            .unwrap()
            .attribute("font-weight"),
        Some("700")
    );
    assert!(child(gent, "cj-bar").unwrap().attribute("stroke").is_some());
    // Gent is index 4: 3 + (28 % 11) * 1.5 = 12.0.
    assert_eq!(child(gent, "cj-bar-value").unwrap().text(), Some("12,0 %"));
    let desc = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("desc"))
        .unwrap()
        .text()
        .unwrap();
    assert!(
        desc.contains("Zonder cijfer: Genk (geheim), VGC (geen gegevens)."),
        "{desc}"
    );
    assert!(desc.contains("Vlaams Gewest: 7,3 %."), "{desc}");
    assert!(desc.contains("Gent staat op plaats"), "{desc}");
    let reference = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("cj-reference"))
        .unwrap();
    let line = reference
        .children()
        .find(|n| n.has_tag_name("line"))
        .unwrap();
    let bars: Vec<Node> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("cj-bar"))
        .collect();
    let ratio = num(bars[0], "width") / num(bars[0], "data-value");
    assert!((num(line, "x1") - (LABEL_WIDTH + 7.25 * ratio)).abs() < 0.3);
}

#[test]
fn negative_values_grow_left_of_zero_and_sizes_are_bounded() {
    let c = BarChart {
        bars: vec![
            Bar {
                label: "A".into(),
                value: Some(-4.0),
                note: String::new(),
                highlight: false,
            },
            Bar {
                label: "B".into(),
                value: Some(6.0),
                note: String::new(),
                highlight: false,
            },
        ],
        reference: None,
        ..chart()
    };
    let text = svg(&c).unwrap();
    let doc = Document::parse(&text).unwrap();
    let zero = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("cj-zero"))
        .unwrap();
    let zero_x = num(zero, "x1");
    let bars: Vec<Node> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("cj-bar"))
        .collect();
    assert_eq!(num(bars[0], "data-value"), 6.0);
    assert!((num(bars[0], "x") - zero_x).abs() < 0.2);
    assert!((num(bars[1], "x") + num(bars[1], "width") - zero_x).abs() < 0.2);
    let many = BarChart {
        bars: vec![
            Bar {
                label: "x".into(),
                value: Some(1.0),
                note: String::new(),
                highlight: false
            };
            MAX_BARS + 1
        ],
        ..chart()
    };
    assert!(svg(&many).is_err());
}
