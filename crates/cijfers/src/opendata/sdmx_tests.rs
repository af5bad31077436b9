//! The SDMX-CSV writer read back with an independent CSV parser (the `csv` crate) against the
//! rules of the SDMX-CSV 2.0 field guide and the SDMX code lists.

use super::*;
use crate::opendata::cube::{sample_cube, CubeIndicator, CubeMeta, CubePeriod};

/// CL_OBS_STATUS (SDMX global code list) and CL_CONF_STATUS: the codes we may use.
const CL_OBS_STATUS: [&str; 18] = [
    "A", "B", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "S", "U",
];
const CL_CONF_STATUS: [&str; 5] = ["F", "N", "C", "D", "S"];

fn parse(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            r.expect("every record has as many fields as the header")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).expect(name)
}

#[test]
fn header_columns_and_one_row_per_observation() {
    let cube = sample_cube();
    let text = write(&cube, &Dataflow::for_cube(&cube)).unwrap();
    assert!(text.starts_with("STRUCTURE,STRUCTURE_ID,ACTION,"), "{text}");
    assert!(text.ends_with("\r\n"));
    assert!(text.lines().all(|l| !l.is_empty()));
    let (header, rows) = parse(&text);
    assert_eq!(header, COLUMNS.map(String::from).to_vec());
    // 2 indicators × 3 places × 3 years, every cell filled in the sample.
    assert_eq!(rows.len(), 18);
    let keys: std::collections::HashSet<(String, String, String)> = rows
        .iter()
        .map(|r| (r[3].clone(), r[5].clone(), r[6].clone()))
        .collect();
    assert_eq!(keys.len(), 18, "each observation once");
    for row in &rows {
        assert_eq!(row[0], "dataflow");
        assert_eq!(row[1], "KVS:CIJFERS_DEMO-TABEL(1.0.0)");
        assert_eq!(row[2], "I");
        assert!(CL_OBS_STATUS.contains(&row[10].as_str()), "{row:?}");
        assert!(CL_CONF_STATUS.contains(&row[11].as_str()), "{row:?}");
    }
}

#[test]
fn values_and_statuses_follow_the_cube() {
    let cube = sample_cube();
    let (header, rows) = parse(&write(&cube, &Dataflow::for_cube(&cube)).unwrap());
    let (value, obs, conf) = (
        column(&header, "OBS_VALUE"),
        column(&header, "OBS_STATUS"),
        column(&header, "CONF_STATUS"),
    );
    let find = |i: &str, g: &str, p: &str| {
        rows.iter()
            .find(|r| r[3] == i && r[5] == g && r[6] == p)
            .unwrap()
            .clone()
    };
    let row = find("bev_tot", "11002", "2023");
    assert_eq!(
        (row[value].as_str(), row[obs].as_str(), row[conf].as_str()),
        ("5000", "A", "F")
    );
    assert_eq!(row[4], "gemeente");
    let row = find("bev_tot", "44021", "2024");
    assert_eq!((row[value].as_str(), row[obs].as_str()), ("265086", "P"));
    let row = find("werkl_pct", "11002", "2023");
    assert_eq!((row[value].as_str(), row[obs].as_str()), ("8.3", "E"));
    assert_eq!(row[column(&header, "UNIT_MEASURE")], "%");
    assert_eq!(row[column(&header, "DECIMALS")], "1");
    // Every value parses as a plain number with a decimal point.
    for row in &rows {
        if !row[value].is_empty() {
            row[value].parse::<f64>().expect("a number");
        }
    }
}

#[test]
fn a_suppressed_observation_has_no_value_and_is_confidential() {
    let cube = sample_cube();
    let text = write(&cube, &Dataflow::for_cube(&cube)).unwrap();
    assert!(!text.contains("987"), "the suppressed number leaks: {text}");
    let (header, rows) = parse(&text);
    let row = rows
        .iter()
        .find(|r| r[3] == "werkl_pct" && r[5] == "44021" && r[6] == "2022")
        .unwrap();
    assert_eq!(row[column(&header, "OBS_VALUE")], "");
    assert_eq!(row[column(&header, "OBS_STATUS")], "Q");
    assert_eq!(row[column(&header, "CONF_STATUS")], "C");
    assert_eq!(rows.iter().filter(|r| r[11] == "C").count(), 1);
}

#[test]
fn quoting_invalid_codes_and_empty_cells() {
    let indicator = |code: &str, unit: &str| CubeIndicator {
        code: code.into(),
        name: code.into(),
        unit: unit.into(),
        decimals: 2,
        definition: String::new(),
        source: String::new(),
    };
    let geo = crate::opendata::cube::CubeGeo {
        level: "wijk".into(),
        code: "GENT-W01".into(),
        name: "Binnenstad, \"oud\"".into(),
    };
    let mut cube = Cube::new(
        CubeMeta::default(),
        vec![indicator("x", "euro, per \"inwoner\"")],
        vec![geo.clone()],
        vec![CubePeriod::new("2024-Q1"), CubePeriod::new("2024-Q2")],
    )
    .unwrap();
    cube.set(
        "x",
        "GENT-W01",
        "2024-Q1",
        Some(-1.005),
        CellStatus::Definitive,
    )
    .unwrap();
    let text = write(&cube, &Dataflow::for_cube(&cube)).unwrap();
    assert!(text.contains("\"euro, per \"\"inwoner\"\"\""), "{text}");
    let (_, rows) = parse(&text);
    assert_eq!(rows.len(), 1, "the empty 2024-Q2 cell is no observation");
    assert_eq!(rows[0][8], "euro, per \"inwoner\"");
    assert_eq!(rows[0][6], "2024-Q1");
    assert_eq!(rows[0][1], "KVS:CIJFERS(1.0.0)");

    let bad = Cube::new(
        CubeMeta::default(),
        vec![indicator("bev tot", "")],
        vec![geo],
        vec![],
    )
    .unwrap();
    let err = write(&bad, &Dataflow::for_cube(&bad)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "'bev tot' is geen geldige SDMX-code (alleen letters, cijfers, _, @, $ en -)."
    );
}
