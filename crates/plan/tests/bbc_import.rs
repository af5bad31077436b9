//! Round trips of generated BBC exports: what the generator wrote is what the parser finds.

use std::collections::BTreeMap;

use steden_plan::import::bbc::testdata::{generate, GenEncoding, GenLayout, GenOptions, Generated};
use steden_plan::import::bbc::{
    apply, detect_columns, import, parse_csv, parse_xlsx, AmountKey, AmountLayout, BbcImport,
    Cents, Kind, Source,
};

fn totals(import: &BbcImport) -> BTreeMap<AmountKey, Cents> {
    let mut totals = BTreeMap::new();
    for item in import.items() {
        for a in &item.amounts {
            *totals.entry(a.key).or_default() += a.cents;
        }
    }
    totals
}

/// Everything the generator knows must be found back.
fn assert_matches(generated: &Generated, import: &BbcImport) {
    let e = &generated.expected;
    assert_eq!(import.beleidsdoelstellingen.len(), e.beleidsdoelstellingen);
    assert_eq!(import.actieplannen().count(), e.actieplannen);
    assert_eq!(import.acties().count(), e.acties);
    assert_eq!(
        import.acties().filter(|a| a.entiteiten == ["OCMW"]).count(),
        e.ocmw_acties
    );
    assert!(import.acties().all(|a| a.entiteiten.len() == 1));
    assert_eq!(totals(import), e.totals);
    assert_eq!(import.total(|_| true), e.totals.values().sum::<Cents>());
    let ap_own: Cents = import
        .actieplannen()
        .map(|ap| ap.item.own_total(|_| true))
        .sum();
    assert_eq!(ap_own, e.actieplan_own_total);
    for item in import.items() {
        assert_eq!(
            e.titles.get(&item.code),
            Some(&item.title),
            "title of {}",
            item.code
        );
    }
    for ac in import.acties() {
        assert_eq!(ac.internal_code.as_ref(), e.internal_codes.get(&ac.code));
        assert!(ac.dienst.is_some(), "{} has a dienst", ac.code);
    }
    let long_title_warnings = import
        .warnings
        .iter()
        .filter(|w| w.message.contains("tekens"))
        .count();
    assert_eq!(long_title_warnings, e.long_titles);
    assert_eq!(
        import.lines_read,
        generated.rows.len() - generated.header_line
    );
    // Children sit under the parent their code says.
    for bd in &import.beleidsdoelstellingen {
        for ap in &bd.actieplannen {
            assert!(
                ap.item.code[2..].starts_with(&bd.item.code[2..]),
                "{} under {}",
                ap.item.code,
                bd.item.code
            );
            for ac in &ap.acties {
                assert!(
                    ac.code[2..].starts_with(&ap.item.code[2..]),
                    "{} under {}",
                    ac.code,
                    ap.item.code
                );
            }
        }
    }
}

fn options(lines: usize, layout: GenLayout, title_lines: bool) -> GenOptions {
    GenOptions {
        lines,
        layout,
        title_lines,
        ..GenOptions::default()
    }
}

#[test]
fn wide_csv_with_semicolons_and_title_lines() {
    let generated = generate(&options(800, GenLayout::Wide, true));
    let bytes = generated.to_csv(b';', GenEncoding::Utf8);
    let table = parse_csv(&bytes).unwrap();
    assert_eq!(table.header_line(), 4);
    assert_eq!(table.rows()[0].line(), generated.expected.first_data_line);
    let guess = detect_columns(&table);
    assert!(guess.is_certain(), "{:?}", guess.ambiguities);
    let AmountLayout::Wide { columns } = &guess.mapping.amounts else {
        panic!("wide layout expected: {:?}", guess.mapping.amounts)
    };
    assert_eq!(
        columns.iter().map(|c| c.year).collect::<Vec<_>>(),
        (2026..=2031).collect::<Vec<_>>()
    );
    assert!(columns.iter().all(|c| c.kind == Kind::Raming));
    let import = apply(&table, &guess.mapping).unwrap();
    assert_matches(&generated, &import);
}

#[test]
fn wide_csv_in_windows_1252() {
    let generated = generate(&options(600, GenLayout::Wide, false));
    let bytes = generated.to_csv(b';', GenEncoding::Windows1252);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the file really is not UTF-8"
    );
    let table = parse_csv(&bytes).unwrap();
    assert_eq!(
        table.source(),
        &Source::Csv {
            delimiter: ';',
            encoding: "Windows-1252".into()
        }
    );
    let import = import(&bytes).unwrap();
    assert_matches(&generated, &import);
    assert!(
        import.items().any(|i| i.title.contains('é')),
        "accents survive"
    );
}

#[test]
fn wide_csv_with_commas_tabs_and_bom() {
    let generated = generate(&GenOptions {
        lines: 400,
        dotted_codes: true,
        seed: 7,
        ..GenOptions::default()
    });
    for (delimiter, encoding) in [(b',', GenEncoding::Utf8Bom), (b'\t', GenEncoding::Utf8)] {
        let bytes = generated.to_csv(delimiter, encoding);
        let import = import(&bytes).unwrap();
        assert_matches(&generated, &import);
        assert!(import.acties().all(|a| a.code.matches('.').count() == 2));
    }
}

#[test]
fn long_csv_with_codes_and_titles_in_one_cell() {
    let generated = generate(&options(900, GenLayout::Long, true));
    let bytes = generated.to_csv(b';', GenEncoding::Utf8);
    let table = parse_csv(&bytes).unwrap();
    let guess = detect_columns(&table);
    assert!(guess.is_certain(), "{:?}", guess.ambiguities);
    assert!(matches!(guess.mapping.amounts, AmountLayout::Long(_)));
    assert_eq!(guess.mapping.bd_title, None, "titles follow the codes");
    let import = apply(&table, &guess.mapping).unwrap();
    assert_matches(&generated, &import);
}

#[test]
fn xlsx_wide_and_long() {
    for layout in [GenLayout::Wide, GenLayout::Long] {
        let generated = generate(&options(700, layout, true));
        let bytes = generated.to_xlsx().unwrap();
        let table = parse_xlsx(&bytes).unwrap();
        assert_eq!(table.header_line(), 4);
        assert_eq!(table.rows()[0].line(), generated.expected.first_data_line);
        let import = import(&bytes).unwrap();
        assert_matches(&generated, &import);
    }
}

#[test]
fn twelve_thousand_lines() {
    let generated = generate(&options(12_000, GenLayout::Wide, true));
    assert_eq!(generated.rows.len() - generated.header_line, 12_000);
    for (format, bytes) in [
        ("CSV", generated.to_csv(b';', GenEncoding::Windows1252)),
        ("XLSX", generated.to_xlsx().unwrap()),
    ] {
        // Timing is printed for the benchmark note, not asserted (machines differ).
        let started = std::time::Instant::now();
        let import = import(&bytes).unwrap();
        eprintln!(
            "12,000 lines {format}: parsed and mapped in {:?}",
            started.elapsed()
        );
        assert_matches(&generated, &import);
        assert!(import.acties().count() > 2_000, "a large city's tree");
    }
}

#[test]
fn importing_twice_gives_the_same_tree() {
    let generated = generate(&options(300, GenLayout::Wide, false));
    let bytes = generated.to_csv(b';', GenEncoding::Utf8);
    assert_eq!(import(&bytes).unwrap(), import(&bytes).unwrap());
}

#[test]
fn mapping_survives_a_form_round_trip() {
    let generated = generate(&options(100, GenLayout::Long, false));
    let table = parse_csv(&generated.to_csv(b';', GenEncoding::Utf8)).unwrap();
    let mapping = detect_columns(&table).mapping;
    let json = serde_json::to_string(&mapping).unwrap();
    let back = serde_json::from_str(&json).unwrap();
    assert_eq!(mapping, back);
    assert_eq!(
        apply(&table, &back).unwrap(),
        apply(&table, &mapping).unwrap()
    );
}
