//! Column recognition: content decides over headers; what is unclear is reported, not guessed.

use steden_plan::import::bbc::{
    apply, detect_columns, import, parse_csv, AmountLayout, BudgetType, Direction, Field,
    ImportError, Kind,
};

fn csv(lines: &[&str]) -> Vec<u8> {
    lines.join("\r\n").into_bytes()
}

#[test]
fn content_decides_when_headers_are_unusual() {
    let bytes = csv(&[
        "Wie;Code niveau 1;Kolom C;Niv. 2;Kolom E;X;Y;Sleutel;Verantwoordelijke dienst;2027 krediet;Realisatie 2025;Investeringsuitgaven 2028",
        "Stad;BD01;Een veilige stad;AP0101;Wijkwerking;AC010101;Buurtvaders;MJP004937;Preventie;1.234,50;(100);€ 2.000",
        "OCMW;BD01;Een veilige stad;AP0101;Wijkwerking;AC010102;Straathoekwerk;MJP004938;Welzijn;0;;-5",
        "Stad;BD02;Een groene stad;AP0201;Parken;AC020101;Stadspark;MJP004939;Groendienst;10;20;30",
    ]);
    let table = parse_csv(&bytes).unwrap();
    let guess = detect_columns(&table);
    let m = &guess.mapping;
    assert_eq!(m.entiteit, Some(0));
    assert_eq!(m.bd_code, Some(1));
    assert_eq!(m.bd_title, Some(2), "text right of the code is its title");
    assert_eq!(m.ap_code, Some(3));
    assert_eq!(m.ap_title, Some(4));
    assert_eq!(m.ac_code, Some(5));
    assert_eq!(m.ac_title, Some(6));
    assert_eq!(m.internal_code, Some(7));
    assert_eq!(m.dienst, Some(8));
    let AmountLayout::Wide { columns } = &m.amounts else {
        panic!("wide amounts expected, got {:?}", m.amounts)
    };
    let found: Vec<_> = columns
        .iter()
        .map(|c| (c.column, c.year, c.kind, c.budget_type, c.direction))
        .collect();
    assert_eq!(
        found,
        vec![
            (9, 2027, Kind::Krediet, None, None),
            (10, 2025, Kind::Rekening, None, None),
            (
                11,
                2028,
                Kind::Raming,
                Some(BudgetType::Investering),
                Some(Direction::Uitgaven)
            ),
        ]
    );
    assert!(guess.confidence(Field::BdCode) > 0.9);
    // The header of column L does not say raming, krediet or rekening: flagged, not blocking.
    assert_eq!(guess.ambiguities.len(), 1, "{:?}", guess.ambiguities);
    assert_eq!(guess.ambiguities[0].field, Field::AmountColumns);
    assert_eq!(guess.ambiguities[0].candidates, vec![11]);
    assert!(!guess.is_blocked());

    let import = apply(&table, m).unwrap();
    let ac = import.acties().find(|a| a.code == "AC010101").unwrap();
    assert_eq!(ac.title, "Buurtvaders");
    assert_eq!(ac.internal_code.as_deref(), Some("MJP004937"));
    assert_eq!(ac.dienst.as_deref(), Some("Preventie"));
    let cents: Vec<_> = ac.amounts.iter().map(|a| (a.key.year, a.cents)).collect();
    assert_eq!(
        cents,
        vec![(2025, -10_000), (2027, 123_450), (2028, 200_000)]
    );
    assert_eq!(
        import.beleidsdoelstellingen[0].item.entiteiten,
        vec!["Stad", "OCMW"]
    );
}

#[test]
fn a_misleading_header_loses_to_the_content() {
    // "Actieplan" above a column of BD codes, "Beleidsdoelstelling" above AP codes.
    let bytes = csv(&[
        "Actieplan;Beleidsdoelstelling;Omschrijving",
        "BD01;AP0101;Wijkwerking",
        "BD01;AP0102;Buurtsport",
    ]);
    let guess = detect_columns(&parse_csv(&bytes).unwrap());
    assert_eq!(guess.mapping.bd_code, Some(0));
    assert_eq!(guess.mapping.ap_code, Some(1));
}

#[test]
fn two_columns_with_bd_codes_are_ambiguous() {
    let bytes = csv(&[
        "BD;Code niveau 1;Actieplan;Raming 2026",
        "BD01;BD01;AP0101;10",
        "BD02;BD02;AP0201;20",
    ]);
    let table = parse_csv(&bytes).unwrap();
    let guess = detect_columns(&table);
    let bd = guess
        .ambiguities
        .iter()
        .find(|a| a.field == Field::BdCode)
        .expect("BD ambiguity");
    assert_eq!(bd.candidates, vec![0, 1]);
    assert!(
        bd.message.contains("'BD' en 'Code niveau 1'"),
        "{}",
        bd.message
    );
    match import(&bytes) {
        Err(ImportError::NeedsMapping(b)) => assert_eq!(b.1, guess),
        other => panic!("expected NeedsMapping, got {other:?}"),
    }
    // The user's choice settles it.
    let mut mapping = guess.mapping.clone();
    mapping.bd_code = Some(1);
    let import = apply(&table, &mapping).unwrap();
    assert_eq!(import.beleidsdoelstellingen.len(), 2);
}

#[test]
fn a_file_without_bd_codes_is_not_recognised() {
    let bytes = csv(&[
        "Naam;Adres;Bedrag 2026",
        "Jan;Kerkstraat 1;12",
        "An;Markt 2;13",
    ]);
    let table = parse_csv(&bytes).unwrap();
    let guess = detect_columns(&table);
    assert!(guess.is_blocked());
    let messages = import(&bytes).unwrap_err().messages();
    assert!(
        messages.contains(&"Geen kolom met beleidsdoelstellingen (BD-codes) gevonden.".to_string()),
        "{messages:?}"
    );
    let errors = apply(&table, &guess.mapping).unwrap_err();
    assert_eq!(errors[0].line, None);
    assert_eq!(
        errors[0].to_string(),
        "Geen kolom met beleidsdoelstellingen (BD-codes) gevonden."
    );
}

#[test]
fn actions_without_actieplan_column_are_blocking() {
    let bytes = csv(&["BD;AC", "BD01;AC010101", "BD01;AC010102"]);
    let guess = detect_columns(&parse_csv(&bytes).unwrap());
    assert!(guess.is_blocked());
    assert!(guess
        .ambiguities
        .iter()
        .any(|a| a.field == Field::ApCode && a.blocking));
}

#[test]
fn numeric_codes_are_placed_by_their_headers() {
    let bytes = csv(&[
        "Beleidsdoelstelling;Titel BD;Actieplan;Titel AP;Actie;Titel actie;Raming 2026",
        "1;Veilig;1.1;Wijk;1.1.1;Buurtvaders;1.000",
        "1;Veilig;1.1;Wijk;1.1.2;Straathoek;2.000",
        "2;Groen;2.1;Parken;2.1.1;Stadspark;3.000",
    ]);
    let table = parse_csv(&bytes).unwrap();
    let guess = detect_columns(&table);
    let m = &guess.mapping;
    assert_eq!(
        (m.bd_code, m.ap_code, m.ac_code),
        (Some(0), Some(2), Some(4))
    );
    assert_eq!(
        (m.bd_title, m.ap_title, m.ac_title),
        (Some(1), Some(3), Some(5))
    );
    let import = apply(&table, m).unwrap();
    assert_eq!(import.acties().count(), 3);
    assert_eq!(import.total(|_| true), 600_000);
}

#[test]
fn group_labels_above_the_header_give_the_direction() {
    let bytes = csv(&[
        "Overzicht met ramingen",
        ";;Uitgaven;;Ontvangsten;",
        "BD;AP;Raming 2026;Raming 2027;Raming 2026;Raming 2027",
        "BD01;AP0101;100;200;10;20",
    ]);
    let table = parse_csv(&bytes).unwrap();
    let guess = detect_columns(&table);
    assert!(guess.is_certain(), "{:?}", guess.ambiguities);
    let AmountLayout::Wide { columns } = &guess.mapping.amounts else {
        panic!()
    };
    let directions: Vec<_> = columns.iter().map(|c| c.direction).collect();
    assert_eq!(
        directions,
        vec![
            Some(Direction::Uitgaven),
            Some(Direction::Uitgaven),
            Some(Direction::Ontvangsten),
            Some(Direction::Ontvangsten)
        ]
    );
    let import = apply(&table, &guess.mapping).unwrap();
    let uitgaven = import.total(|k| k.direction == Some(Direction::Uitgaven));
    assert_eq!(uitgaven, 30_000);
}

#[test]
fn two_columns_for_the_same_year_and_kind_block() {
    let bytes = csv(&["BD;AP;Raming 2026;Raming 2026", "BD01;AP0101;100;200"]);
    let table = parse_csv(&bytes).unwrap();
    let guess = detect_columns(&table);
    assert!(guess.is_blocked());
    let a = guess.ambiguities.iter().find(|a| a.blocking).unwrap();
    assert_eq!(a.candidates, vec![2, 3]);
    // Applied anyway, the mapping is refused rather than adding the two up silently.
    let errors = apply(&table, &guess.mapping).unwrap_err();
    assert!(errors[0].message.contains("ongemerkt"), "{errors:?}");
}

#[test]
fn long_layout_with_a_kind_column() {
    let bytes = csv(&[
        "BD;AP;AC;Jaar;Soort;Bedrag",
        "BD01;AP0101;AC010101;2026;Raming;1.000",
        "BD01;AP0101;AC010101;2026;Krediet;900",
        "BD01;AP0101;AC010101;2026;Rekening;850,50",
        "BD01;AP0101;AC010101;2027;Raming;1.100",
    ]);
    let table = parse_csv(&bytes).unwrap();
    let guess = detect_columns(&table);
    assert!(guess.is_certain(), "{:?}", guess.ambiguities);
    let AmountLayout::Long(long) = &guess.mapping.amounts else {
        panic!("{:?}", guess.mapping.amounts)
    };
    assert_eq!((long.year, long.kind, long.amount), (3, Some(4), 5));
    let import = apply(&table, &guess.mapping).unwrap();
    assert_eq!(import.total(|k| k.kind == Kind::Rekening), 85_050);
    assert_eq!(import.total(|k| k.year == 2026), 275_050);
}
