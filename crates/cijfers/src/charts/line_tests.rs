//! The line chart parsed as XML (roxmltree): accessible name, points and their positions,
//! gaps, distinct markers and dashes, Dutch numbers.

use roxmltree::{Document, Node};

use super::*;

fn chart() -> LineChart {
    LineChart {
        id: "c1".into(),
        title: "Werkloosheid & <arbeid>".into(),
        unit: "%".into(),
        decimals: 1,
        periods: (2015..=2024).map(|y| y.to_string()).collect(),
        series: vec![
            Series {
                label: "Gent".into(),
                // 2018 suppressed, 2019 missing: a gap of two periods.
                values: vec![
                    Some(8.0),
                    Some(8.5),
                    Some(9.25),
                    None,
                    None,
                    Some(7.0),
                    Some(6.5),
                    Some(6.0),
                    Some(5.5),
                    Some(1234.5),
                ],
            },
            Series {
                label: "Gemiddelde 13 centrumsteden".into(),
                values: (0..10).map(|n| Some(7.0 + f64::from(n) * 0.1)).collect(),
            },
            Series {
                label: "Vlaams Gewest".into(),
                values: vec![Some(4.0); 10],
            },
        ],
    }
}

fn series_groups<'a>(doc: &'a Document<'a>) -> Vec<Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("cj-series"))
        .collect()
}

fn points<'a>(group: Node<'a, 'a>) -> Vec<Node<'a, 'a>> {
    group
        .descendants()
        .filter(|n| n.attribute("class") == Some("cj-point"))
        .collect()
}

/// The centre of a marker: a circle's cx/cy, a square's middle, a polygon's mean point.
fn centre(node: Node<'_, '_>) -> (f64, f64) {
    let num = |name| node.attribute(name).unwrap().parse::<f64>().unwrap();
    match node.tag_name().name() {
        "circle" => (num("cx"), num("cy")),
        "rect" => (num("x") + 4.0, num("y") + 4.0),
        _ => {
            let pts: Vec<(f64, f64)> = node
                .attribute("points")
                .unwrap()
                .split(' ')
                .map(|p| {
                    let (x, y) = p.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect();
            let n = pts.len() as f64;
            (
                pts.iter().map(|p| p.0).sum::<f64>() / n,
                pts.iter().map(|p| p.1).sum::<f64>() / n,
            )
        }
    }
}

#[test]
fn the_chart_is_well_formed_xml_with_an_accessible_name() {
    let text = svg(&chart()).unwrap();
    let doc = Document::parse(&text).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    assert_eq!(root.attribute("aria-labelledby"), Some("c1-title c1-desc"));
    assert!(root.attribute("style").is_none());
    assert!(doc.descendants().all(|n| n.attribute("style").is_none()));
    let title = root.children().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(title.text(), Some("Werkloosheid & <arbeid>"));
    let desc = root
        .children()
        .find(|n| n.has_tag_name("desc"))
        .unwrap()
        .text()
        .unwrap();
    assert!(desc.contains("Gent: 1.234,5 % in 2024"), "{desc}");
    assert!(desc.contains("geen cijfer voor 2018, 2019"), "{desc}");
    assert!(desc.contains("Vlaams Gewest: 4,0 % in 2024"), "{desc}");
}

#[test]
fn one_point_per_value_placed_by_period_and_value() {
    let c = chart();
    let text = svg(&c).unwrap();
    let doc = Document::parse(&text).unwrap();
    let groups = series_groups(&doc);
    assert_eq!(groups.len(), 3);
    for (group, series) in groups.iter().zip(&c.series) {
        let pts = points(*group);
        assert_eq!(pts.len(), series.values.iter().flatten().count());
        let centres: Vec<(usize, (f64, f64))> = pts
            .iter()
            .map(|p| {
                (
                    p.attribute("data-index").unwrap().parse().unwrap(),
                    centre(*p),
                )
            })
            .collect();
        for (index, (x, _)) in &centres {
            let expected = LEFT + *index as f64 * (WIDTH - LEFT - RIGHT) / 9.0;
            assert!(
                (x - expected).abs() < 0.2,
                "x of {index}: {x} vs {expected}"
            );
            assert!((LEFT..=WIDTH - RIGHT).contains(x));
        }
        // Higher values sit higher (smaller y); coordinates have one decimal, so values
        // closer than the rounding may share a y.
        let span = HEIGHT - TOP - BOTTOM;
        for a in &centres {
            for b in &centres {
                let (va, vb) = (series.values[a.0].unwrap(), series.values[b.0].unwrap());
                if va > vb {
                    assert!(a.1 .1 <= b.1 .1, "{va} above {vb}");
                }
                if va > vb + 1500.0 * 0.2 / span {
                    assert!(a.1 .1 < b.1 .1, "{va} clearly above {vb}");
                }
            }
        }
        for (_, (_, y)) in &centres {
            assert!((TOP - 0.5..=HEIGHT - BOTTOM + 0.5).contains(y), "{y}");
        }
    }
}

#[test]
fn a_missing_or_suppressed_value_is_a_gap_never_drawn() {
    let text = svg(&chart()).unwrap();
    let doc = Document::parse(&text).unwrap();
    let gent = series_groups(&doc)[0];
    let indexes: Vec<&str> = points(gent)
        .iter()
        .map(|p| p.attribute("data-index").unwrap())
        .collect();
    assert!(!indexes.contains(&"3") && !indexes.contains(&"4"));
    // Two lines: 2015–2017 and 2020–2024; none crosses the gap.
    let lines: Vec<usize> = gent
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .map(|l| l.attribute("points").unwrap().split(' ').count())
        .collect();
    assert_eq!(lines, vec![3, 5]);
    let gap_from = LEFT + 2.0 * (WIDTH - LEFT - RIGHT) / 9.0;
    let gap_to = LEFT + 5.0 * (WIDTH - LEFT - RIGHT) / 9.0;
    for line in gent.descendants().filter(|n| n.has_tag_name("polyline")) {
        let xs: Vec<f64> = line
            .attribute("points")
            .unwrap()
            .split(' ')
            .map(|p| p.split_once(',').unwrap().0.parse().unwrap())
            .collect();
        assert!(
            xs.iter().all(|x| *x <= gap_from + 0.1) || xs.iter().all(|x| *x >= gap_to - 0.1),
            "{xs:?}"
        );
    }
}

#[test]
fn series_differ_by_shape_and_dash_not_only_colour() {
    let text = svg(&chart()).unwrap();
    let doc = Document::parse(&text).unwrap();
    let groups = series_groups(&doc);
    let shapes: Vec<&str> = groups
        .iter()
        .map(|g| points(*g)[0].tag_name().name())
        .collect();
    assert_eq!(shapes, vec!["circle", "rect", "polygon"]);
    let dashes: Vec<Option<&str>> = groups
        .iter()
        .map(|g| {
            g.descendants()
                .find(|n| n.has_tag_name("polyline"))
                .unwrap()
                .attribute("stroke-dasharray")
        })
        .collect();
    assert_eq!(dashes, vec![None, Some("8 4"), Some("2 3")]);
    let strokes: Vec<&str> = groups
        .iter()
        .map(|g| {
            g.descendants()
                .find(|n| n.has_tag_name("polyline"))
                .unwrap()
                .attribute("stroke")
                .unwrap()
        })
        .collect();
    assert!(
        strokes.iter().all(|s| s.starts_with("var(--color-")),
        "{strokes:?}"
    );
    // The legend names every series in text.
    let legend: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("cj-legend"))
        .filter_map(|g| {
            g.children()
                .find(|c| c.has_tag_name("text"))
                .and_then(|t| t.text())
        })
        .collect();
    assert_eq!(
        legend,
        vec!["Gent", "Gemiddelde 13 centrumsteden", "Vlaams Gewest"]
    );
    // Tick labels are Dutch numbers.
    let ticks: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("cj-tick-y"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        ticks.contains(&"1.000") || ticks.contains(&"1.200"),
        "{ticks:?}"
    );
}

#[test]
fn empty_single_and_oversized_charts() {
    let mut c = chart();
    c.series.iter_mut().for_each(|s| s.values = vec![None; 10]);
    let text = svg(&c).unwrap();
    let doc = Document::parse(&text).unwrap();
    assert_eq!(
        doc.descendants()
            .filter(|n| n.attribute("class") == Some("cj-point"))
            .count(),
        0
    );
    assert!(text.contains("Gent: geen gegevens"));
    let one = LineChart {
        periods: vec!["2024".into()],
        series: vec![Series {
            label: "Gent".into(),
            values: vec![Some(3.0)],
        }],
        ..chart()
    };
    let doc_text = svg(&one).unwrap();
    let doc = Document::parse(&doc_text).unwrap();
    let pts: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("cj-point"))
        .collect();
    assert_eq!(pts.len(), 1);
    assert!((centre(pts[0]).0 - (LEFT + (WIDTH - LEFT - RIGHT) / 2.0)).abs() < 0.2);
    assert!(!doc_text.contains("<polyline class=\"cj-line\""));
    let many = LineChart {
        series: vec![
            Series {
                label: "x".into(),
                values: vec![]
            };
            MAX_SERIES + 1
        ],
        ..chart()
    };
    assert!(svg(&many)
        .unwrap_err()
        .to_string()
        .starts_with("Te veel reeksen"));
}
