//! The export in Swing's bulk format, so that a city's Swing site can load the platform's
//! figures: a data file and a metadata file (the importer of this module reads both back).
//!
//! Data file: semicolons, header `"period";"geolevel";"geoitem";"<code>"…` with one column per
//! indicator, one row per period and place. Every text field is quoted as Swing writes it
//! (quotes doubled inside, a line break becomes a space so that line-based readers keep one
//! record per line); numbers are unquoted with a decimal point and the indicator's decimals;
//! a cell without a published value (missing or suppressed) is an empty field, so a suppressed
//! number never reaches Swing.
//!
//! Metadata file: header `Onderwerpcode;Naam;Beschrijving;Eenheid;Bron`, one quoted row per
//! indicator. Both files are UTF-8 without a byte-order mark, with CRLF line ends.

use super::cube::{plain_number, Cube};

fn quoted(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
        .collect();
    format!("\"{}\"", flat.replace('"', "\"\""))
}

/// The data file. A row is written for each period and place that has at least one cell the
/// data knows (a value or a suppression), in the cube's order: period, then place.
pub fn data(cube: &Cube) -> String {
    let mut out = String::new();
    let mut header = vec![quoted("period"), quoted("geolevel"), quoted("geoitem")];
    header.extend(cube.indicators().iter().map(|i| quoted(&i.code)));
    out.push_str(&header.join(";"));
    out.push_str("\r\n");
    for (p, period) in cube.periods().iter().enumerate() {
        for (g, geo) in cube.geo().iter().enumerate() {
            let cells: Vec<_> = (0..cube.indicators().len())
                .map(|i| (i, cube.cell(i, g, p)))
                .collect();
            if cells.iter().all(|(_, c)| c.status().is_none()) {
                continue;
            }
            let mut row = vec![quoted(&period.code), quoted(&geo.level), quoted(&geo.code)];
            for (i, cell) in cells {
                let decimals = cube.indicators().get(i).map_or(0, |x| x.decimals);
                row.push(
                    cell.published()
                        .map(|v| plain_number(v, decimals))
                        .unwrap_or_default(),
                );
            }
            out.push_str(&row.join(";"));
            out.push_str("\r\n");
        }
    }
    out
}

/// The metadata file.
pub fn metadata(cube: &Cube) -> String {
    let mut out = String::from("Onderwerpcode;Naam;Beschrijving;Eenheid;Bron\r\n");
    for i in cube.indicators() {
        let row = [&i.code, &i.name, &i.definition, &i.unit, &i.source].map(|t| quoted(t));
        out.push_str(&row.join(";"));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opendata::cube::{
        sample_cube, CellStatus, CubeGeo, CubeIndicator, CubeMeta, CubePeriod,
    };

    fn read(text: &str) -> Vec<Vec<String>> {
        ::csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect()
    }

    #[test]
    fn the_data_file_has_swings_header_and_quoting() {
        let cube = sample_cube();
        let text = data(&cube);
        let first = text.lines().next().unwrap();
        assert_eq!(
            first,
            "\"period\";\"geolevel\";\"geoitem\";\"bev_tot\";\"werkl_pct\""
        );
        assert!(
            text.contains("\r\n\"2022\";\"gemeente\";\"44021\";1000;\r\n"),
            "{text}"
        );
        assert!(
            text.contains("\"2023\";\"gemeente\";\"11002\";5000;8.3\r\n"),
            "{text}"
        );
        assert!(!text.contains("987"), "{text}");
        let rows = read(&text);
        assert_eq!(rows.len(), 1 + 3 * 3);
        assert!(rows.iter().all(|r| r.len() == 5));
    }

    #[test]
    fn the_metadata_file_round_trips_through_a_csv_reader() {
        let cube = sample_cube();
        let text = metadata(&cube);
        assert!(text.starts_with("Onderwerpcode;Naam;Beschrijving;Eenheid;Bron\r\n"));
        let rows = read(&text);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[2],
            vec![
                "werkl_pct",
                "Werkloosheid; \"geregistreerd\"",
                "",
                "%",
                "Steunpunt Werk"
            ]
        );
        assert!(
            text.contains("\"Werkloosheid; \"\"geregistreerd\"\"\""),
            "{text}"
        );
    }

    #[test]
    fn empty_places_are_left_out_and_line_breaks_flattened() {
        let mut cube = Cube::new(
            CubeMeta::default(),
            vec![CubeIndicator {
                code: "a".into(),
                name: "Twee\nregels".into(),
                unit: String::new(),
                decimals: 2,
                definition: String::new(),
                source: String::new(),
            }],
            vec![
                CubeGeo {
                    level: "wijk".into(),
                    code: "W1".into(),
                    name: "W1".into(),
                },
                CubeGeo {
                    level: "wijk".into(),
                    code: "W2".into(),
                    name: "W2".into(),
                },
            ],
            vec![CubePeriod::new("2024")],
        )
        .unwrap();
        cube.set("a", "W2", "2024", Some(1.0 / 3.0), CellStatus::Definitive)
            .unwrap();
        let text = data(&cube);
        assert_eq!(
            text,
            "\"period\";\"geolevel\";\"geoitem\";\"a\"\r\n\"2024\";\"wijk\";\"W2\";0.33\r\n"
        );
        assert_eq!(
            metadata(&cube).lines().nth(1),
            Some("\"a\";\"Twee regels\";\"\";\"\";\"\"")
        );
    }
}
