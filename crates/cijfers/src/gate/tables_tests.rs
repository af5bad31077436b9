use std::collections::HashMap;

use super::*;
use crate::gate::check_rows;
use crate::store::disclosure::Outcome;

fn row(level: GeoLevel, code: &str, municipality: Option<&str>, value: f64) -> GateRow {
    GateRow {
        geo_item_id: format!("id-{code}"),
        period_id: "p2024".into(),
        period: "2024".into(),
        starts_on: "2024-01-01".into(),
        level,
        code: code.into(),
        name: code.into(),
        municipality_code: municipality.map(str::to_string),
        valid_from: None,
        valid_to: None,
        value: Some(value),
        status: ValueStatus::Definitive,
    }
}

/// Rounded to 6 decimals: the linear programs work in floating point.
fn r(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn params(min_count: u64) -> DisclosureParams {
    DisclosureParams {
        min_count,
        protect_secondary: false,
        ..DisclosureParams::default()
    }
}

struct Fixture {
    weights: HashMap<(String, String), f64>,
    wijken_of: HashMap<String, Vec<String>>,
    merged_into: HashMap<String, String>,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture {
            weights: HashMap::new(),
            wijken_of: HashMap::new(),
            merged_into: HashMap::new(),
        }
    }
    fn ctx(&self, aggregation: Aggregation) -> Context<'_> {
        Context {
            aggregation,
            weights: &self.weights,
            wijken_of: &self.wijken_of,
            merged_into: &self.merged_into,
        }
    }
}

/// Gent with all of its three sectors stored: the city total is exactly their sum.
fn complete_city() -> Vec<GateRow> {
    vec![
        row(GeoLevel::Gemeente, "44021", None, 93.0),
        row(GeoLevel::Sector, "44021A00-", Some("44021"), 3.0),
        row(GeoLevel::Sector, "44021A01-", Some("44021"), 40.0),
        row(GeoLevel::Sector, "44021B00-", Some("44021"), 50.0),
    ]
}

#[test]
fn gate_a_complete_hierarchy_has_no_rest_and_naive_suppression_leaks() {
    let fixture = Fixture::new();
    let rows = complete_city();
    let refs: Vec<&GateRow> = rows.iter().collect();
    let built = build(&refs, &fixture.ctx(Aggregation::Sum)).unwrap();
    assert_eq!(built.table.len(), 4, "no rest cell");
    assert_eq!(built.table.relations().len(), 1);
    // Primary suppression alone (the audit only): the small sector is the total minus the
    // other two.
    let naive = check_rows(&rows, &fixture.ctx(Aggregation::Sum), &params(5), false);
    assert!(!naive.passed, "{}", naive.summary);
    let leak = naive.leaks().next().unwrap();
    assert_eq!(
        (leak.place.as_str(), r(leak.lower), leak.upper.map(r)),
        ("44021A00-", 3.0, Some(3.0))
    );
    assert!(
        naive.refusal_nl().contains("44021A00- (2024)"),
        "{}",
        naive.refusal_nl()
    );
    // With secondary suppression the platform hides a second sector and the audit passes.
    let protected = check_rows(&rows, &fixture.ctx(Aggregation::Sum), &params(5), true);
    assert!(protected.passed, "{}", protected.summary);
    let outcome = |code: &str| {
        protected
            .suppressed
            .iter()
            .find(|(id, _, _)| *id == format!("id-{code}"))
            .map(|s| s.2)
    };
    assert_eq!(outcome("44021A00-"), Some(Outcome::Primary));
    assert_eq!(outcome("44021A01-"), Some(Outcome::Secondary));
    assert_eq!(outcome("44021B00-"), None, "published");
    assert_eq!(outcome("44021"), None, "published");
}

#[test]
fn gate_a_rest_the_platform_does_not_hold_protects_and_is_never_released() {
    let fixture = Fixture::new();
    // Flanders holds far more than the two stored cities: the rest hides Gent's small value.
    let mut rows = vec![
        row(GeoLevel::Gewest, "02000", None, 1_000.0),
        row(GeoLevel::Gemeente, "44021", None, 3.0),
        row(GeoLevel::Gemeente, "11002", None, 400.0),
        row(GeoLevel::Gemeente, "21004", None, 7.0),
    ];
    let refs: Vec<&GateRow> = rows.iter().collect();
    let built = build(&refs, &fixture.ctx(Aggregation::Sum)).unwrap();
    // Brussels is no part of Flanders: one relation, with a rest of 597.
    assert_eq!(built.table.relations().len(), 1);
    assert_eq!(built.origin.iter().filter(|o| o.is_none()).count(), 1);
    let check = check_rows(&rows, &fixture.ctx(Aggregation::Sum), &params(5), true);
    assert!(check.passed, "{}", check.summary);
    assert_eq!(check.suppressed.len(), 1, "{:?}", check.suppressed);
    assert_eq!(check.cells[0].upper.map(r), Some(600.0));
    // Parts larger than their total: that relation does not count, with a note.
    rows[0].value = Some(100.0);
    let check = check_rows(&rows, &fixture.ctx(Aggregation::Sum), &params(5), true);
    assert!(
        check.summary.contains("groter dan het totaal"),
        "{}",
        check.summary
    );
}

#[test]
fn gate_means_are_checked_as_products_with_min_count_on_the_weight() {
    let mut fixture = Fixture::new();
    let rows = vec![
        row(GeoLevel::Gemeente, "44021", None, 20.0),
        row(GeoLevel::Sector, "44021A00-", Some("44021"), 50.0),
        row(GeoLevel::Sector, "44021A01-", Some("44021"), 10.0),
    ];
    // Population 3 and 12: the mean of 3 people is sensitive; 20 × 15 = 50 × 3 + 10 × 12 + 30.
    for (code, w) in [("44021", 15.0), ("44021A00-", 3.0), ("44021A01-", 12.0)] {
        fixture
            .weights
            .insert((format!("id-{code}"), "p2024".into()), w);
    }
    let naive = check_rows(
        &rows,
        &fixture.ctx(Aggregation::WeightedMean),
        &params(5),
        false,
    );
    // 20 × 15 − 10 × 12 = 180 = 50 × 3 + 30: the rest (another 30) keeps it from being exact,
    // the interval 0..60 of the mean is still wide enough.
    assert!(naive.passed, "{}", naive.summary);
    let cell = &naive.cells[0];
    assert_eq!(cell.place, "44021A00-");
    assert_eq!((r(cell.lower), cell.upper.map(r)), (0.0, Some(60.0)));
}
