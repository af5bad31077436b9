//! Malformed and unrecognised files are refused with the line (as Excel shows it) and a Dutch
//! reason; nothing panics, whatever the bytes.

use steden_plan::import::bbc::testdata::{generate, GenEncoding, GenLayout, GenOptions};
use steden_plan::import::bbc::{
    apply, detect_columns, import, parse_csv, parse_file, parse_xlsx, ImportError, ParseError,
    RowError,
};

const HEADER: &str = "Entiteit;BD;Omschrijving BD;AP;Omschrijving AP;AC;Omschrijving AC;Intern nummer;Dienst;Raming 2026;Raming 2027";

fn line(entity: &str, bd: &str, ap: &str, ac: &str, internal: &str, amounts: &str) -> String {
    format!(
        "{entity};{bd};Titel {bd};{ap};Titel {ap};{ac};Titel {ac};{internal};Dienst X;{amounts}"
    )
}

/// Two title lines above the header (lines 1–2), the header on line 3, data from line 4.
fn file(data: &[String]) -> Vec<u8> {
    let mut lines = vec![
        "Overzicht van alle beleidsdoelstellingen, actieplannen en acties met ramingen".to_string(),
        "Stad Voorbeeld".to_string(),
        HEADER.to_string(),
    ];
    lines.extend(data.iter().cloned());
    lines.join("\r\n").into_bytes()
}

fn good_lines(n: usize) -> Vec<String> {
    (1..=n)
        .map(|i| {
            line(
                "Stad",
                "BD01",
                "AP0101",
                &format!("AC0101{i:02}"),
                &format!("MJP{i:06}"),
                "1.000;2.000",
            )
        })
        .collect()
}

fn row_errors(bytes: &[u8]) -> Vec<RowError> {
    match import(bytes) {
        Err(ImportError::Rows(errors)) => errors,
        other => panic!("expected row errors, got {other:?}"),
    }
}

fn messages(errors: &[RowError]) -> Vec<String> {
    errors.iter().map(ToString::to_string).collect()
}

#[test]
fn a_bad_amount_is_refused_with_its_line_and_column() {
    let mut data = good_lines(20);
    // Line 17 in Excel: 3 lines above the data, so data index 13.
    data[13] = line(
        "Stad",
        "BD01",
        "AP0101",
        "AC010114",
        "MJP000014",
        "12,34,5;1",
    );
    let errors = row_errors(&file(&data));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, Some(17));
    let message = errors[0].to_string();
    assert!(
        message
            .starts_with("Regel 17: bedrag '12,34,5' in kolom 'Raming 2026' is geen geldig bedrag"),
        "{message}"
    );
}

#[test]
fn every_bad_line_is_reported() {
    let mut data = good_lines(10);
    data[0] = line(
        "Stad",
        "BD01",
        "AP0101",
        "AC010101",
        "MJP000001",
        "1,234.56;1",
    );
    data[5] = line("Stad", "BD01", "AP0101", "AC010106", "MJP000006", "1;12.5");
    let errors = row_errors(&file(&data));
    let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![Some(4), Some(9)]);
    assert!(errors[1].message.contains("'12.5' in kolom 'Raming 2027'"));
    assert!(errors[1].message.contains("komma"), "{}", errors[1].message);
}

#[test]
fn an_actie_under_two_actieplannen_is_an_error_with_both_lines() {
    let mut data = good_lines(5);
    data.push(line(
        "Stad",
        "BD01",
        "AP0102",
        "AC010103",
        "MJP000003",
        "1;1",
    ));
    let errors = row_errors(&file(&data));
    assert_eq!(
        messages(&errors),
        vec!["Regel 9: actie AC010103 staat hier onder AP0102, maar op regel 6 onder AP0101."]
    );
}

#[test]
fn an_actieplan_under_two_beleidsdoelstellingen_is_an_error() {
    let mut data = good_lines(2);
    data.push(line(
        "Stad",
        "BD02",
        "AP0101",
        "AC010199",
        "MJP000099",
        "1;1",
    ));
    let errors = row_errors(&file(&data));
    assert_eq!(
        messages(&errors),
        vec!["Regel 6: actieplan AP0101 staat hier onder BD02, maar op regel 4 onder BD01."]
    );
}

#[test]
fn conflicting_duplicates_are_errors_and_agreeing_ones_add_up() {
    let mut data = good_lines(2);
    // Same actie, other internal code.
    data.push(line(
        "Stad",
        "BD01",
        "AP0101",
        "AC010101",
        "MJP999999",
        "1;1",
    ));
    // Same internal code on another actie.
    data.push(line(
        "Stad",
        "BD01",
        "AP0101",
        "AC010177",
        "MJP000002",
        "1;1",
    ));
    // Same actie, other entiteit.
    data.push(line(
        "OCMW",
        "BD01",
        "AP0101",
        "AC010102",
        "MJP000002",
        "1;1",
    ));
    let errors = messages(&row_errors(&file(&data)));
    assert_eq!(
        errors,
        vec![
            "Regel 6: actie AC010101 heeft hier interne code MJP999999, maar op regel 4 MJP000001.",
            "Regel 7: interne code MJP000002 hoort hier bij AC010177, maar op regel 5 bij AC010102.",
            "Regel 8: actie AC010102 hoort hier bij 'OCMW', maar op regel 5 bij 'Stad'.",
        ]
    );

    // Budget lines of one actie that agree are added up; an identical line warns.
    let mut data = good_lines(1);
    data.push(line(
        "Stad",
        "BD01",
        "AP0101",
        "AC010101",
        "MJP000001",
        "(500);",
    ));
    data.push(line(
        "Stad",
        "BD01",
        "AP0101",
        "AC010101",
        "MJP000001",
        "(500);",
    ));
    let import = import(&file(&data)).unwrap();
    let ac = import.acties().next().unwrap();
    let amounts: Vec<_> = ac.amounts.iter().map(|a| (a.key.year, a.cents)).collect();
    assert_eq!(amounts, vec![(2026, 0), (2027, 200_000)]);
    assert_eq!(
        import
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        vec!["Regel 6: deze regel is gelijk aan regel 5; de bedragen van beide regels zijn opgeteld."]
    );
}

#[test]
fn a_different_title_for_the_same_code_is_an_error() {
    let mut data = good_lines(2);
    data.push("Stad;BD01;Een andere titel;AP0101;Titel AP0101;AC010103;Titel AC010103;MJP000003;Dienst X;1;1".into());
    let errors = messages(&row_errors(&file(&data)));
    assert_eq!(
        errors,
        vec!["Regel 6: beleidsdoelstelling BD01 heeft hier de titel 'Een andere titel', maar op regel 4 'Titel BD01'."]
    );
}

#[test]
fn codes_in_the_wrong_column_and_missing_parents() {
    let mut data = good_lines(4);
    data[1] = line("Stad", "AP0101", "AP0101", "AC010102", "MJP000002", "1;1");
    data[2] = line("Stad", "", "AP0101", "AC010103", "MJP000003", "1;1");
    data[3] = "Stad;BD01;Titel BD01;;;AC010104;Titel AC010104;MJP000004;Dienst X;1;1".into();
    let errors = messages(&row_errors(&file(&data)));
    assert_eq!(
        errors,
        vec![
            "Regel 5: 'AP0101' in kolom 'BD' is een AP-code; hier wordt een BD-code (beleidsdoelstelling) verwacht.",
            "Regel 6: geen beleidsdoelstelling (BD-code) in kolom 'BD'.",
            "Regel 7: actie AC010104 zonder actieplan: kolom 'AP' is leeg.",
        ]
    );
}

#[test]
fn total_lines_are_skipped_and_listed() {
    let mut data = good_lines(3);
    data.push(";Totaal BD01;;;;;;;;3.000;6.000".into());
    data.push("Algemeen totaal;;;;;;;;;3.000;6.000".into());
    let import = import(&file(&data)).unwrap();
    assert_eq!(import.lines_skipped, vec![7, 8]);
    assert_eq!(import.total(|_| true), 900_000);
}

#[test]
fn long_titles_are_kept_and_warned_about() {
    let long = "Heel lange titel ".repeat(8);
    let data = vec![format!(
        "Stad;BD01;Titel;AP0101;Titel;AC010101;{long};MJP000001;Dienst X;1;1"
    )];
    let import = import(&file(&data)).unwrap();
    let ac = import.acties().next().unwrap();
    assert_eq!(ac.title, long.trim());
    assert_eq!(import.warnings.len(), 1);
    assert!(import.warnings[0]
        .to_string()
        .starts_with("Regel 4: de titel van actie AC010101 telt 135 tekens"));
}

#[test]
fn empty_and_header_only_files() {
    assert_eq!(parse_csv(b"").unwrap_err(), ParseError::Empty);
    assert_eq!(
        parse_csv(b" \r\n\r\n ;; \n").unwrap_err(),
        ParseError::Empty
    );
    assert_eq!(parse_xlsx(b"").unwrap_err(), ParseError::Empty);
    let only_header = file(&[]);
    let err = parse_csv(&only_header).unwrap_err();
    assert_eq!(err, ParseError::OnlyHeader { line: 3 });
    assert_eq!(
        err.to_string(),
        "Regel 3: het bestand bevat alleen een kopregel en geen gegevens."
    );
    let mut with_blank_lines = only_header.clone();
    with_blank_lines.extend_from_slice(b"\r\n;;;\r\n\r\n");
    assert_eq!(
        parse_csv(&with_blank_lines).unwrap_err(),
        ParseError::OnlyHeader { line: 3 }
    );
}

#[test]
fn a_file_without_header_is_refused() {
    let bytes = good_lines(5).join("\r\n");
    assert_eq!(
        parse_csv(bytes.as_bytes()).unwrap_err(),
        ParseError::NoHeader
    );
}

#[test]
fn xlsx_that_is_not_xlsx() {
    let csv = file(&good_lines(3));
    assert!(matches!(parse_xlsx(&csv), Err(ParseError::NotXlsx(_))));
    let err = parse_xlsx(b"PK\x03\x04 this is not really a zip").unwrap_err();
    assert!(matches!(err, ParseError::NotXlsx(_)), "{err:?}");
    assert!(err
        .to_string()
        .starts_with("Het bestand is geen geldig XLSX-bestand"));
    // A valid ZIP that holds no workbook.
    let zip = stored_zip("readme.txt", b"geen werkboek");
    assert!(matches!(parse_xlsx(&zip), Err(ParseError::NotXlsx(_))));
    // An old binary .xls.
    let xls = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
    assert_eq!(parse_file(&xls).unwrap_err(), ParseError::LegacyXls);
    // A ZIP given as CSV.
    assert_eq!(parse_csv(&zip).unwrap_err(), ParseError::NotText);
}

#[test]
fn truncated_xlsx_is_refused() {
    let generated = generate(&GenOptions {
        lines: 200,
        ..GenOptions::default()
    });
    let bytes = generated.to_xlsx().unwrap();
    for cut in [bytes.len() - 1, bytes.len() / 2, 100, 30] {
        let err = parse_xlsx(&bytes[..cut]).unwrap_err();
        assert!(
            matches!(err, ParseError::NotXlsx(_)),
            "cut at {cut}: {err:?}"
        );
    }
}

#[test]
fn malformed_csv_lines() {
    // An opened quote that is never closed swallows the rest: refused at the line it opens.
    let mut data = good_lines(6);
    data[3] = "Stad;BD01;\"Titel zonder einde;AP0101;x;AC010104;y;MJP000004;Dienst X;1;1".into();
    assert_eq!(parse_csv(&file(&data)).unwrap_err().line(), Some(7),);
    // A separator inside an unquoted text shifts the cells: more cells than the header.
    let mut data = good_lines(6);
    data[4] = "Stad;BD01;Titel; met puntkomma;AP0101;x;AC010105;y;MJP000005;Dienst X;1;1".into();
    let err = parse_csv(&file(&data)).unwrap_err();
    assert_eq!(err.line(), Some(8));
    assert!(
        err.to_string().contains("12 kolommen, de kopregel maar 11"),
        "{err}"
    );
    // Binary data.
    let binary: Vec<u8> = (0u8..=255).cycle().take(2000).collect();
    assert_eq!(parse_csv(&binary).unwrap_err(), ParseError::NotText);
}

#[test]
fn bad_values_in_type_year_and_kind_columns() {
    let bytes = [
        "BD;AP;AC;Type;Jaar;Soort;Bedrag",
        "BD01;AP0101;AC010101;Exploitatie;2026;Raming;10",
        "BD01;AP0101;AC010101;Exploitatie;2027;Raming;10",
        "BD01;AP0101;AC010101;Exploitatie;2028;Raming;10",
        "BD01;AP0101;AC010101;Exploitatie;2029;Raming;10",
        "BD01;AP0101;AC010101;Exploitatie;2030;Raming;10",
        "BD01;AP0101;AC010101;Exploitatie;2031;Raming;10",
        "BD01;AP0101;AC010101;Exploitatie;2032;Raming;10",
        "BD01;AP0101;AC010101;Exploitatie;2033;Raming;10",
        "BD01;AP0101;AC010101;Exploitatie;2034;Raming;10",
        "BD01;AP0101;AC010101;Exploitatie;2035;Raming;10",
        "BD01;AP0101;AC010101;Eploitatie;2026;Raming;10",
        "BD01;AP0101;AC010101;Exploitatie;volgend jaar;Raming;10",
        "BD01;AP0101;AC010101;Exploitatie;2026;Schatting;10",
    ]
    .join("\n");
    let table = parse_csv(bytes.as_bytes()).unwrap();
    let guess = detect_columns(&table);
    assert!(!guess.is_blocked(), "{:?}", guess.ambiguities);
    let errors = messages(&apply(&table, &guess.mapping).unwrap_err());
    assert_eq!(
        errors,
        vec![
            "Regel 12: 'Eploitatie' in kolom 'Type' is geen type (exploitatie, investering of financiering).",
            "Regel 13: 'volgend jaar' in kolom 'Jaar' is geen jaartal.",
            "Regel 14: 'Schatting' in kolom 'Soort' is geen raming, krediet of rekening.",
        ]
    );
}

#[test]
fn a_file_full_of_errors_stops_at_a_readable_number() {
    let data: Vec<String> = (0..1000)
        .map(|i| line("Stad", "BD01", "AP0101", &format!("AC01{i:04}"), "", "x;1"))
        .collect();
    let table = parse_csv(&file(&data)).unwrap();
    let guess = detect_columns(&table);
    // "Raming 2026" is an amount column by its header, whatever its cells hold.
    assert!(guess.is_certain(), "{:?}", guess.ambiguities);
    let errors = apply(&table, &guess.mapping).unwrap_err();
    assert_eq!(errors.len(), 201);
    assert_eq!(errors[0].line, Some(4));
    assert!(errors[200].message.starts_with("te veel fouten"));
}

/// Feeds random, truncated and mutated bytes to every entry point: errors, never a panic.
#[test]
fn never_panics_on_any_input() {
    let mut seed = 0x5EED_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let run = |bytes: &[u8]| {
        for table in [parse_file(bytes), parse_csv(bytes), parse_xlsx(bytes)]
            .into_iter()
            .flatten()
        {
            let guess = detect_columns(&table);
            let _ = apply(&table, &guess.mapping);
        }
        let _ = import(bytes);
    };
    // Pure noise, of all lengths.
    for _ in 0..400 {
        let len = (next() % 600) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        run(&bytes);
    }
    // Noise made of CSV-ish characters, so that it gets past the text check.
    let alphabet = b"BDAPC0123456789;,.\t\"\r\n()-\xE9 MJPStadOCMWRaming 2026";
    for _ in 0..400 {
        let len = (next() % 400) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        run(&bytes);
    }
    // Real files, truncated anywhere and with bytes flipped.
    let generated = generate(&GenOptions {
        lines: 60,
        layout: GenLayout::Wide,
        title_lines: true,
        ..GenOptions::default()
    });
    let csv = generated.to_csv(b';', GenEncoding::Windows1252);
    let xlsx = generated.to_xlsx().unwrap();
    for original in [&csv, &xlsx] {
        for i in 0..60 {
            let cut = original.len() * i / 60;
            run(&original[..cut]);
        }
        for _ in 0..150 {
            let mut bytes = original.clone();
            for _ in 0..(1 + next() % 8) {
                let at = (next() % bytes.len() as u64) as usize;
                bytes[at] = next() as u8;
            }
            run(&bytes);
        }
    }
}

/// A ZIP archive with one stored (uncompressed) file.
fn stored_zip(name: &str, content: &[u8]) -> Vec<u8> {
    let crc = crc32(content);
    let mut out = Vec::new();
    let le16 = |v: u16| v.to_le_bytes();
    let le32 = |v: u32| v.to_le_bytes();
    out.extend_from_slice(&le32(0x0403_4b50));
    out.extend_from_slice(&le16(20));
    out.extend_from_slice(&le16(0));
    out.extend_from_slice(&le16(0));
    out.extend_from_slice(&le16(0));
    out.extend_from_slice(&le16(0));
    out.extend_from_slice(&le32(crc));
    out.extend_from_slice(&le32(content.len() as u32));
    out.extend_from_slice(&le32(content.len() as u32));
    out.extend_from_slice(&le16(name.len() as u16));
    out.extend_from_slice(&le16(0));
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(content);
    let central = out.len() as u32;
    out.extend_from_slice(&le32(0x0201_4b50));
    out.extend_from_slice(&le16(20));
    out.extend_from_slice(&le16(20));
    out.extend_from_slice(&le16(0));
    out.extend_from_slice(&le16(0));
    out.extend_from_slice(&le16(0));
    out.extend_from_slice(&le16(0));
    out.extend_from_slice(&le32(crc));
    out.extend_from_slice(&le32(content.len() as u32));
    out.extend_from_slice(&le32(content.len() as u32));
    out.extend_from_slice(&le16(name.len() as u16));
    out.extend_from_slice(&le16(0));
    out.extend_from_slice(&le16(0));
    out.extend_from_slice(&le16(0));
    out.extend_from_slice(&le16(0));
    out.extend_from_slice(&le32(0));
    out.extend_from_slice(&le32(0));
    out.extend_from_slice(name.as_bytes());
    let central_size = out.len() as u32 - central;
    out.extend_from_slice(&le32(0x0605_4b50));
    out.extend_from_slice(&le16(0));
    out.extend_from_slice(&le16(0));
    out.extend_from_slice(&le16(1));
    out.extend_from_slice(&le16(1));
    out.extend_from_slice(&le32(central_size));
    out.extend_from_slice(&le32(central));
    out.extend_from_slice(&le16(0));
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
