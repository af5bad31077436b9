//! Tests of the audit and of the whole protection (primary, secondary, audit) on small tables
//! whose intervals are known by hand or by enumeration.

use super::*;

fn names(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

/// A two-way frequency table (value = number of persons) with margins.
fn grid(values: &[&[u64]]) -> (Table, TwoWayLayout) {
    let rows = values.len();
    let cols = values.first().map_or(0, |r| r.len());
    let inner = values
        .iter()
        .map(|r| r.iter().map(|&v| CellData::count(v)).collect())
        .collect();
    two_way_table(&names("wijk ", rows), &names("leeftijd ", cols), inner, 0.0).unwrap()
}

/// A pattern with exactly these cells suppressed (as primary).
fn pattern_of(table: &Table, hidden: &[usize]) -> SuppressionPattern {
    let status = (0..table.len())
        .map(|i| {
            if hidden.contains(&i) {
                CellStatus::Primary(PrimaryReason::Forced)
            } else {
                CellStatus::Published
            }
        })
        .collect();
    SuppressionPattern { status }
}

fn interval(report: &AuditReport, cell: usize) -> (f64, Option<f64>) {
    let a = report.audit_of(cell).expect("cell audited");
    (a.lower, a.upper)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

const TABLE: &[&[u64]] = &[&[2, 10, 12], &[8, 15, 9], &[20, 7, 11]];

#[test]
fn disclosure_naive_suppression_leaks_by_subtraction_and_the_audit_catches_it() {
    let (t, l) = grid(TABLE);
    let params = DisclosureParams::default();
    let primary = primary_suppression(&t, &params).unwrap();
    // Only the 2 in the first row is below the minimum count of 5.
    assert_eq!(
        primary.suppressed().collect::<Vec<_>>(),
        vec![l.inner(0, 0)]
    );
    let report = audit(&t, &primary, &params).unwrap();
    assert!(!report.passes());
    let a = report.audit_of(l.inner(0, 0)).unwrap();
    // Row total 24 minus the published 10 and 12 gives 2 exactly: an interval of width 0.
    assert_eq!(a.verdict, Verdict::Leaks);
    assert!(close(a.lower, 2.0) && close(a.upper.unwrap(), 2.0), "{a:?}");
    assert!(a.width() < 1e-6);
    assert!(
        a.explanation_nl().contains("exact terug te rekenen"),
        "{}",
        a.explanation_nl()
    );
    assert!(report.summary_nl().contains("publicatie geweigerd"));
}

#[test]
fn disclosure_secondary_suppression_makes_the_audit_pass() {
    let (t, l) = grid(TABLE);
    let params = DisclosureParams::default();
    let protected = protect(&t, &params).unwrap();
    assert!(protected.report.passes(), "{:#?}", protected.report);
    let p = &protected.pattern;
    assert!(p.status[l.inner(0, 0)].is_primary());
    // A fresh audit of the final pattern agrees with the one returned.
    let again = audit(&t, p, &params).unwrap();
    assert!(again.passes());
    let a = again.audit_of(l.inner(0, 0)).unwrap();
    assert!(a.width() >= params.protection.required_width(2.0));
    // No relation is left with a single suppressed cell, and something was added.
    for r in t.relations() {
        let hidden = std::iter::once(&r.total)
            .chain(&r.parts)
            .filter(|&&c| p.is_suppressed(c))
            .count();
        assert_ne!(hidden, 1, "relation {} gives a cell away", r.label);
    }
    assert!(p.count(|s| *s == CellStatus::Secondary) >= 3);
    // The heuristic keeps the hidden total small: not more than the whole first two rows.
    let hidden_value: f64 = p.suppressed().map(|c| t.cells()[c].value).sum();
    assert!(hidden_value < 24.0 + 32.0, "hid {hidden_value}");
    assert!(protected.report.summary_nl().contains("mag gepubliceerd"));
}

/// Two cells of one row hidden: the row alone cannot separate them, but each column total
/// gives each of them back. Hiding the same two columns in a second row (the rectangle)
/// protects them: the four cells can move together by t, as a + t, b - t, c - t, d + t, and
/// non-negativity bounds t to [-min(a, d), min(b, c)].
#[test]
fn disclosure_two_cells_in_one_row_are_judged_against_the_column_totals() {
    let (t, l) = grid(TABLE);
    let params = DisclosureParams {
        protection: ProtectionLevel {
            percent: 0.0,
            min_width: 1.0,
        },
        ..Default::default()
    };
    let (a, b) = (l.inner(0, 0), l.inner(0, 1));
    let report = audit(&t, &pattern_of(&t, &[a, b]), &params).unwrap();
    assert_eq!(report.leaks().count(), 2);
    assert!(close(interval(&report, a).0, 2.0) && close(interval(&report, a).1.unwrap(), 2.0));
    assert!(close(interval(&report, b).0, 10.0) && close(interval(&report, b).1.unwrap(), 10.0));

    // The rectangle with row 1: a = 2, b = 10, c = 8, d = 15; t in [-min(2, 15), min(10, 8)]
    // = [-2, 8], so a lies in [0, 10], b in [2, 12], c in [0, 10], d in [13, 23].
    let (c, d) = (l.inner(1, 0), l.inner(1, 1));
    let report = audit(&t, &pattern_of(&t, &[a, b, c, d]), &params).unwrap();
    assert!(report.passes(), "{report:#?}");
    for (cell, lo, hi) in [
        (a, 0.0, 10.0),
        (b, 2.0, 12.0),
        (c, 0.0, 10.0),
        (d, 13.0, 23.0),
    ] {
        let (l, u) = interval(&report, cell);
        assert!(
            close(l, lo) && close(u.unwrap(), hi),
            "cell {cell}: [{l}, {u:?}], expected [{lo}, {hi}]"
        );
    }

    // Not a rectangle: a, b in row 0 and c, e in row 1 under different columns. Column 0 has
    // a and c, column 1 only b, so b is given away, and with it the rest of the chain.
    let e = l.inner(1, 2);
    let report = audit(&t, &pattern_of(&t, &[a, b, c, e]), &params).unwrap();
    assert!(!report.passes());
    assert_eq!(report.audit_of(b).unwrap().verdict, Verdict::Leaks);
}

/// The intervals of every suppression pattern of a small table against brute force: all
/// integer assignments of the hidden cells in [0, grand total] that satisfy every relation.
/// For a two-way table with margins the relations form a network (totally unimodular) matrix,
/// so the extreme points of the linear program are integral and the LP interval must equal the
/// integer one exactly.
#[test]
fn disclosure_lp_intervals_match_enumeration_on_small_tables() {
    let (t, l) = grid(&[&[1, 3, 2], &[4, 0, 2]]);
    let grand = t.cells()[l.grand_total()].value as i64;
    let params = DisclosureParams {
        protection: ProtectionLevel {
            percent: 0.0,
            min_width: 0.0,
        },
        ..Default::default()
    };
    // A fixed pseudo-random sequence of patterns (a linear congruential generator).
    let mut seed: u64 = 12345;
    let mut checked = 0;
    for _ in 0..40 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let hidden: Vec<usize> = (0..t.len())
            .filter(|i| (seed >> (i + 20)) & 1 == 1)
            .take(4)
            .collect();
        if hidden.is_empty() {
            continue;
        }
        let report = audit(&t, &pattern_of(&t, &hidden), &params).unwrap();
        let (lo, hi) = enumerate(&t, &hidden, grand);
        for (k, &cell) in hidden.iter().enumerate() {
            let (l, u) = interval(&report, cell);
            assert!(
                close(l, lo[k] as f64),
                "pattern {hidden:?}, cell {cell}: LP min {l}, enumeration {}",
                lo[k]
            );
            // Unbounded for the LP means the enumeration runs into its cap.
            match u {
                Some(u) => assert!(
                    close(u, hi[k] as f64),
                    "pattern {hidden:?}, cell {cell}: LP max {u}, enumeration {}",
                    hi[k]
                ),
                None => assert_eq!(
                    hi[k], grand,
                    "pattern {hidden:?}, cell {cell}: LP unbounded"
                ),
            }
        }
        checked += 1;
    }
    assert!(checked > 20);
}

/// The smallest and largest value of each hidden cell over all integer assignments in
/// [0, max] that satisfy the relations (the true values always do, so the set is not empty).
fn enumerate(t: &Table, hidden: &[usize], max: i64) -> (Vec<i64>, Vec<i64>) {
    let mut lo = vec![i64::MAX; hidden.len()];
    let mut hi = vec![i64::MIN; hidden.len()];
    let mut values: Vec<i64> = t.cells().iter().map(|c| c.value as i64).collect();
    let mut assignment = vec![0i64; hidden.len()];
    loop {
        for (k, &cell) in hidden.iter().enumerate() {
            values[cell] = assignment[k];
        }
        let fits = t
            .relations()
            .iter()
            .all(|r| values[r.total] == r.parts.iter().map(|&p| values[p]).sum::<i64>());
        if fits {
            for k in 0..hidden.len() {
                lo[k] = lo[k].min(assignment[k]);
                hi[k] = hi[k].max(assignment[k]);
            }
        }
        // Next assignment, like an odometer.
        let mut k = 0;
        loop {
            if k == hidden.len() {
                return (lo, hi);
            }
            assignment[k] += 1;
            if assignment[k] <= max {
                break;
            }
            assignment[k] = 0;
            k += 1;
        }
    }
}

#[test]
fn disclosure_narrow_protection_is_a_leak_and_secondary_widens_it() {
    // Rectangle of small cells: a = 1, b = 1, c = 1, d = 6; t in [-min(1, 6), min(1, 1)] =
    // [-1, 1], so a's interval is [0, 2]: width 2, too narrow for a required width of 3.
    let (t, l) = grid(&[&[1, 1, 40], &[1, 6, 30], &[30, 30, 30]]);
    let params = DisclosureParams {
        protection: ProtectionLevel {
            percent: 0.0,
            min_width: 3.0,
        },
        ..Default::default()
    };
    let cells = [l.inner(0, 0), l.inner(0, 1), l.inner(1, 0), l.inner(1, 1)];
    let report = audit(&t, &pattern_of(&t, &cells), &params).unwrap();
    let a = report.audit_of(l.inner(0, 0)).unwrap();
    assert!(close(a.lower, 0.0) && close(a.upper.unwrap(), 2.0), "{a:?}");
    assert_eq!(a.verdict, Verdict::Leaks);
    assert!(a.explanation_nl().contains("te smal"));
    // Protection from scratch: the three cells of 1 are primary; the result must pass.
    let protected = protect(&t, &params).unwrap();
    assert!(protected.report.passes(), "{:#?}", protected.report);
    for cell in cells.iter().take(3) {
        assert!(protected.report.audit_of(*cell).unwrap().width() >= 3.0 - 1e-6);
    }
}

#[test]
fn disclosure_known_upper_bounds_narrow_the_interval() {
    // The rectangle of the earlier test (a = 2 + t, b = 10 - t, t in [-2, 8]) with b known to
    // be at most 11: 10 - t ≤ 11 means t ≥ -1, so a lies in [1, 10] instead of [0, 10].
    let (t, l) = grid(TABLE);
    let mut cells = t.cells().to_vec();
    cells[l.inner(0, 1)].upper_bound = Some(11.0);
    let t = Table::new(cells, t.relations().to_vec(), 0.0).unwrap();
    let params = DisclosureParams {
        protection: ProtectionLevel {
            percent: 0.0,
            min_width: 1.0,
        },
        ..Default::default()
    };
    let rect = [l.inner(0, 0), l.inner(0, 1), l.inner(1, 0), l.inner(1, 1)];
    let report = audit(&t, &pattern_of(&t, &rect), &params).unwrap();
    let (lo, hi) = interval(&report, l.inner(0, 0));
    assert!(close(lo, 1.0) && close(hi.unwrap(), 10.0), "[{lo}, {hi:?}]");
}

#[test]
fn disclosure_hierarchy_sector_is_protected_within_its_wijk() {
    let node = |key: &str, parent: Option<&str>, n: Option<u64>| HierarchyNode {
        key: key.into(),
        label: key.into(),
        parent: parent.map(Into::into),
        data: n.map(CellData::count),
    };
    let t = hierarchy_table(
        vec![
            node("stad", None, None),
            node("noord", Some("stad"), None),
            node("zuid", Some("stad"), None),
            node("s1", Some("noord"), Some(3)),
            node("s2", Some("noord"), Some(40)),
            node("s3", Some("noord"), Some(25)),
            node("s4", Some("zuid"), Some(50)),
            node("s5", Some("zuid"), Some(60)),
        ],
        0.0,
    )
    .unwrap();
    let params = DisclosureParams::default();
    let s1 = t.index_of("s1").unwrap();
    let naive = audit(&t, &primary_suppression(&t, &params).unwrap(), &params).unwrap();
    assert_eq!(naive.audit_of(s1).unwrap().verdict, Verdict::Leaks);
    let protected = protect(&t, &params).unwrap();
    assert!(protected.report.passes());
    // The cheapest partner is the other small sector of the same wijk; wijk and city stay.
    assert!(protected.pattern.is_suppressed(t.index_of("s3").unwrap()));
    assert!(!protected
        .pattern
        .is_suppressed(t.index_of("noord").unwrap()));
    assert!(!protected.pattern.is_suppressed(t.index_of("stad").unwrap()));
    assert!(!protected.pattern.is_suppressed(t.index_of("s4").unwrap()));
}

#[test]
fn disclosure_dominant_cell_is_protected_with_a_share_of_its_value() {
    let big = |v: f64, largest: Vec<f64>| CellData {
        largest,
        ..CellData::new(v, 20)
    };
    let inner = vec![
        vec![
            big(1000.0, vec![950.0, 10.0]),
            big(400.0, vec![50.0, 40.0]),
            big(600.0, vec![60.0]),
        ],
        vec![
            big(800.0, vec![70.0]),
            big(500.0, vec![30.0]),
            big(700.0, vec![80.0]),
        ],
    ];
    let (t, l) = two_way_table(&names("sector ", 2), &names("drager ", 3), inner, 0.0).unwrap();
    let params = DisclosureParams::default();
    let protected = protect(&t, &params).unwrap();
    let cell = l.inner(0, 0);
    assert!(matches!(
        protected.pattern.status[cell],
        CellStatus::Primary(PrimaryReason::Dominance { .. })
    ));
    // The row and column totals inherit the dominant contribution (950 of 2000 and of 1800):
    // under 85 %, so they are not primary themselves.
    assert!(!protected.pattern.status[l.row_total(0)].is_primary());
    let a = protected.report.audit_of(cell).unwrap();
    assert!(protected.report.passes());
    assert!(
        a.width() >= 300.0 - 1e-6,
        "30 % of 1000 required, got {a:?}"
    );
}

#[test]
fn disclosure_edge_cases_do_not_panic() {
    let params = DisclosureParams::default();
    let empty = Table::new(vec![], vec![], 0.0).unwrap();
    let protected = protect(&empty, &params).unwrap();
    assert!(protected.report.passes() && protected.report.cells.is_empty());
    assert!(protected
        .report
        .summary_nl()
        .contains("Geen afgeschermde cellen"));

    // Huge (but allowed) values: the interval is still computed right.
    let (t, l) = two_way_table(
        &names("r", 2),
        &names("k", 2),
        vec![
            vec![CellData::new(3e13, 3), CellData::new(4e13, 30)],
            vec![CellData::new(5e13, 30), CellData::new(6e13, 30)],
        ],
        0.0,
    )
    .unwrap();
    let report = audit(&t, &primary_suppression(&t, &params).unwrap(), &params).unwrap();
    let a = report.audit_of(l.inner(0, 0)).unwrap();
    assert_eq!(a.verdict, Verdict::Leaks);
    assert!((a.lower - 3e13).abs() < 1.0 && (a.upper.unwrap() - 3e13).abs() < 1.0);
    assert!(protect(&t, &params).unwrap().report.passes());

    // A pattern of the wrong length and bad parameters are refused, not indexed.
    assert!(audit(&t, &SuppressionPattern { status: vec![] }, &params).is_err());
    let bad = DisclosureParams {
        protection: ProtectionLevel {
            percent: f64::NAN,
            min_width: 1.0,
        },
        ..params
    };
    assert!(matches!(
        protect(&t, &bad),
        Err(DisclosureError::InvalidParameter(_))
    ));

    // A hidden cell with nothing published around it is unbounded above, and so protected.
    let lone = Table::new(vec![CellInput::new("a", "a", 2.0, 2)], vec![], 0.0).unwrap();
    let report = protect(&lone, &params).unwrap().report;
    assert_eq!(report.cells[0].upper, None);
    assert!(report.passes());
    assert!(report.cells[0].explanation_nl().contains("onbegrensd"));
}

#[test]
fn disclosure_a_table_that_cannot_be_protected_is_refused() {
    // a is known to be at most 2, so its interval is never wider than [0, 2]; a required
    // width of 3 cannot be met, whatever is hidden.
    let mut a = CellInput::new("a", "a", 2.0, 2);
    a.upper_bound = Some(2.0);
    let mut b = CellInput::new("b", "b", 30.0, 30);
    b.upper_bound = Some(30.0);
    let t = Table::new(
        vec![CellInput::new("t", "totaal", 32.0, 32), a, b],
        vec![Relation {
            label: "totaal".into(),
            total: 0,
            parts: vec![1, 2],
        }],
        0.0,
    )
    .unwrap();
    let params = DisclosureParams {
        protection: ProtectionLevel {
            percent: 0.0,
            min_width: 3.0,
        },
        ..Default::default()
    };
    let err = protect(&t, &params).unwrap_err();
    assert!(matches!(err, DisclosureError::NoSafePattern(_)), "{err}");
    assert!(err.to_string().contains("Geen veilig patroon"));
}

#[test]
fn disclosure_secondary_cells_are_judged_only_when_asked() {
    let (t, _) = grid(TABLE);
    let params = DisclosureParams::default();
    let protected = protect(&t, &params).unwrap();
    assert!(protected
        .report
        .cells
        .iter()
        .any(|c| c.verdict == Verdict::NotRequired));
    let strict = DisclosureParams {
        protect_secondary: true,
        ..params
    };
    let protected = protect(&t, &strict).unwrap();
    assert!(protected.report.passes());
    assert!(protected
        .report
        .cells
        .iter()
        .all(|c| c.verdict == Verdict::Protected));
}

/// A wijk × age table of realistic size with scattered small cells: the protection must pass
/// its own audit within the work bounds, and every relation with a hidden cell has another.
#[test]
fn disclosure_a_larger_table_is_protected_within_bounds() {
    let mut seed: u64 = 7;
    let values: Vec<Vec<u64>> = (0..15)
        .map(|_| {
            (0..10)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let r = (seed >> 33) % 100;
                    if r < 6 {
                        r % 5
                    } else {
                        5 + r
                    }
                })
                .collect()
        })
        .collect();
    let rows: Vec<&[u64]> = values.iter().map(Vec::as_slice).collect();
    let (t, _) = grid(&rows);
    // A wide protection level (30 for cells of 0 to 4 persons), so that closing the single
    // suppressions is not enough and the audit rounds have to widen the pattern.
    let params = DisclosureParams {
        protection: ProtectionLevel {
            percent: 30.0,
            min_width: 30.0,
        },
        ..Default::default()
    };
    let primary = primary_suppression(&t, &params).unwrap();
    assert!(
        primary.suppressed().count() >= 5,
        "the fixture should have several small cells"
    );
    let protected = protect(&t, &params).unwrap();
    assert!(
        protected.report.passes(),
        "{}",
        protected.report.summary_nl()
    );
    assert!(audit(&t, &protected.pattern, &params).unwrap().passes());
    for r in t.relations() {
        let hidden = std::iter::once(&r.total)
            .chain(&r.parts)
            .filter(|&&c| protected.pattern.is_suppressed(c))
            .count();
        assert_ne!(hidden, 1, "relation {} gives a cell away", r.label);
    }
    // Every primary cell stays suppressed; far from everything is hidden.
    for c in primary.suppressed() {
        assert!(protected.pattern.status[c].is_primary());
    }
    assert!(protected.pattern.suppressed().count() < t.len() / 2);
    assert!(protected.audits > 1, "the audit rounds were not exercised");
    for c in protected
        .report
        .cells
        .iter()
        .filter(|c| c.status.is_primary())
    {
        assert!(c.width() >= 30.0 - 1e-6, "{}", c.explanation_nl());
    }
}

/// A three-way table (wijk × gender × age) as general relations: every line of cells along
/// each of the three directions adds up to a margin. The protection must pass its audit.
#[test]
fn disclosure_a_three_way_table_is_protected_through_general_relations() {
    let inner: [[[u64; 3]; 2]; 3] = [
        [[2, 14, 9], [11, 8, 20]],
        [[13, 16, 7], [6, 3, 12]],
        [[10, 21, 15], [9, 17, 8]],
    ];
    let mut cells = Vec::new();
    // Ordered, so that the relations (and with them the heuristic) come in a fixed order.
    let mut at = std::collections::BTreeMap::new();
    // Cell (w, g, a) with None for "all": inner cells, the three kinds of 1-D and 2-D
    // margins and the grand total, each value summed from the inner cells.
    for w in [Some(0), Some(1), Some(2), None] {
        for g in [Some(0), Some(1), None] {
            for a in [Some(0), Some(1), Some(2), None] {
                let mut v = 0;
                for (wi, plane) in inner.iter().enumerate() {
                    for (gi, line) in plane.iter().enumerate() {
                        for (ai, &x) in line.iter().enumerate() {
                            if w.is_none_or(|w| w == wi)
                                && g.is_none_or(|g| g == gi)
                                && a.is_none_or(|a| a == ai)
                            {
                                v += x;
                            }
                        }
                    }
                }
                at.insert((w, g, a), cells.len());
                cells.push(CellInput::new(
                    format!("{w:?}|{g:?}|{a:?}"),
                    format!("{w:?} {g:?} {a:?}"),
                    v as f64,
                    v,
                ));
            }
        }
    }
    let mut relations = Vec::new();
    for (&(w, g, a), &total) in &at {
        // Each "all" coordinate is the total over that coordinate's values.
        if w.is_none() {
            relations.push(Relation {
                label: format!("{total} over w"),
                total,
                parts: (0..3).map(|i| at[&(Some(i), g, a)]).collect(),
            });
        }
        if g.is_none() {
            relations.push(Relation {
                label: format!("{total} over g"),
                total,
                parts: (0..2).map(|i| at[&(w, Some(i), a)]).collect(),
            });
        }
        if a.is_none() {
            relations.push(Relation {
                label: format!("{total} over a"),
                total,
                parts: (0..3).map(|i| at[&(w, g, Some(i))]).collect(),
            });
        }
    }
    let t = Table::new(cells, relations, 0.0).unwrap();
    let params = DisclosureParams::default();
    let primary = primary_suppression(&t, &params).unwrap();
    assert_eq!(
        primary.suppressed().count(),
        2,
        "the 2 and the 3 are under 5"
    );
    assert!(!audit(&t, &primary, &params).unwrap().passes());
    let protected = protect(&t, &params).unwrap();
    assert!(protected.report.passes(), "{:#?}", protected.report);
    assert!(audit(&t, &protected.pattern, &params).unwrap().passes());
}

/// A cell with one contributor hidden with one partner in its row: that contributor knows
/// their own value and computes the partner from the row total, so a third cell is hidden.
#[test]
fn disclosure_a_single_contributor_does_not_get_to_compute_the_partner() {
    let (t, l) = grid(&[&[1, 10, 12, 30], &[8, 15, 9, 30], &[20, 7, 11, 30]]);
    let hidden_in_row0 =
        |p: &SuppressionPattern| (0..4).filter(|&c| p.is_suppressed(l.inner(0, c))).count();
    let params = DisclosureParams::default();
    let protected = protect(&t, &params).unwrap();
    assert!(protected.report.passes());
    assert!(
        hidden_in_row0(&protected.pattern) >= 3,
        "{:?}",
        protected.pattern
    );
    let plain = DisclosureParams {
        protect_singletons: false,
        ..params
    };
    let protected = protect(&t, &plain).unwrap();
    assert!(protected.report.passes());
    assert_eq!(
        hidden_in_row0(&protected.pattern),
        2,
        "{:?}",
        protected.pattern
    );
}
