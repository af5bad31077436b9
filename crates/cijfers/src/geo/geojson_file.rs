//! Reading a GeoJSON FeatureCollection of Polygons and MultiPolygons with properties.

use std::str::FromStr;

use geojson::{GeoJson, GeometryValue, JsonObject, JsonValue, Position};

use super::projection::Projection;
use super::types::{GeoFile, GeoReport, ReadOptions};
use super::validate::{finish, matching_name, DeclaredProjection, RawFeature, Ring};

/// Reads a GeoJSON file: every feature needs the code property and a Polygon or MultiPolygon.
/// The projection comes from the `crs` member (the 2008 specification), from the user, or is
/// WGS84 as RFC 7946 says.
pub fn read_geojson(bytes: &[u8], options: &ReadOptions) -> Result<GeoFile, GeoReport> {
    if bytes.len() > options.limits.max_file_bytes {
        return Err(GeoReport::file(format!(
            "Het GeoJSON-bestand is {} bytes groot; er worden er hoogstens {} aanvaard.",
            bytes.len(),
            options.limits.max_file_bytes
        )));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes)
        .map_err(|_| GeoReport::file("Het GeoJSON-bestand is geen geldige UTF-8-tekst."))?;
    let parsed = GeoJson::from_str(text)
        .map_err(|e| GeoReport::file(format!("Het bestand is geen geldige GeoJSON: {e}.")))?;
    let GeoJson::FeatureCollection(collection) = parsed else {
        return Err(GeoReport::file(
            "Het GeoJSON-bestand is geen FeatureCollection: elk gebied moet een Feature met eigenschappen zijn.",
        ));
    };
    if collection.features.len() > options.limits.max_features {
        return Err(GeoReport::file(format!(
            "Het bestand bevat {} objecten; er worden er hoogstens {} aanvaard.",
            collection.features.len(),
            options.limits.max_features
        )));
    }
    let declared = match collection
        .foreign_members
        .as_ref()
        .and_then(|m| m.get("crs"))
    {
        Some(crs) => Some(Projection::from_geojson_crs(crs).map_err(GeoReport::file)?),
        None => None,
    };
    let raw = collection
        .features
        .into_iter()
        .enumerate()
        .map(|(i, feature)| {
            let properties = feature.properties.unwrap_or_default();
            let mut raw = RawFeature {
                number: i + 1,
                code: property_text(&properties, &options.code_property),
                name: options
                    .name_property
                    .as_deref()
                    .and_then(|name| property_text(&properties, name)),
                ..RawFeature::default()
            };
            match feature.geometry.map(|g| g.value) {
                None => {}
                Some(GeometryValue::Polygon { coordinates }) => {
                    raw.polygons.push(rings(&coordinates, &mut raw.problems));
                }
                Some(GeometryValue::MultiPolygon { coordinates }) => {
                    for polygon in &coordinates {
                        let rings = rings(polygon, &mut raw.problems);
                        raw.polygons.push(rings);
                    }
                }
                Some(other) => raw.problems.push(format!(
                    "de geometrie is een {}; alleen Polygon en MultiPolygon worden aanvaard.",
                    other.type_name()
                )),
            }
            raw
        })
        .collect();
    finish(
        raw,
        DeclaredProjection {
            declared,
            declared_by: "het 'crs'-lid van het bestand",
            format_default: Some(Projection::Wgs84),
        },
        options,
    )
}

fn rings(polygon: &[Vec<Position>], problems: &mut Vec<String>) -> Vec<Ring> {
    polygon
        .iter()
        .map(|ring| {
            ring.iter()
                .map(|p| match p.as_slice() {
                    [x, y, ..] => (*x, *y),
                    _ => {
                        if problems.is_empty() {
                            problems
                                .push("een positie heeft minder dan twee coördinaten.".to_string());
                        }
                        (f64::NAN, f64::NAN)
                    }
                })
                .collect()
        })
        .collect()
}

/// A property as text: strings as they are, whole numbers without decimals (a REFNIS code
/// written as the number 11002).
fn property_text(properties: &JsonObject, wanted: &str) -> Option<String> {
    let key = matching_name(properties.keys().map(String::as_str), wanted)?;
    match properties.get(key)? {
        JsonValue::String(s) => Some(s.clone()),
        JsonValue::Number(n) => Some(match n.as_i64() {
            Some(i) => i.to_string(),
            None => n.to_string(),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A FeatureCollection as Statbel writes it, in Lambert 72 with a `crs` member.
    fn sectors_lambert72() -> String {
        serde_json::json!({
            "type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::31370"}},
            "features": [
                {
                    "type": "Feature",
                    "properties": {"cd_sector": "11002A00-", "tx_sector_descr_nl": "ANTWERPEN-CENTRUM"},
                    "geometry": {"type": "Polygon", "coordinates": [[
                        [152000.0, 212000.0], [153000.0, 212000.0], [153000.0, 213000.0],
                        [152000.0, 213000.0], [152000.0, 212000.0]
                    ], [
                        [152400.0, 212400.0], [152600.0, 212400.0], [152600.0, 212600.0],
                        [152400.0, 212400.0]
                    ]]}
                },
                {
                    "type": "Feature",
                    "properties": {"cd_sector": 71072, "tx_sector_descr_nl": null},
                    "geometry": {"type": "MultiPolygon", "coordinates": [
                        [[[220000.0, 180000.0], [221000.0, 180000.0], [221000.0, 181000.0], [220000.0, 180000.0]]],
                        [[[222000.0, 180000.0], [223000.0, 180000.0], [223000.0, 181000.0], [222000.0, 180000.0]]]
                    ]}
                }
            ]
        })
        .to_string()
    }

    fn options() -> ReadOptions {
        let mut options = ReadOptions::new("CD_SECTOR");
        options.name_property = Some("TX_SECTOR_DESCR_NL".to_string());
        options
    }

    #[test]
    fn reads_a_lambert72_collection_into_wgs84() {
        let file = read_geojson(sectors_lambert72().as_bytes(), &options()).unwrap();
        assert_eq!(file.source_projection, Projection::Lambert72);
        assert_eq!(file.features.len(), 2);
        let first = &file.features[0];
        assert_eq!(first.code, "11002A00-");
        assert_eq!(first.name.as_deref(), Some("ANTWERPEN-CENTRUM"));
        assert_eq!(first.geometry.0.len(), 1);
        assert_eq!(first.geometry.0[0].interiors().len(), 1);
        let c = first.geometry.0[0].exterior().0[0];
        // Antwerp lies near 4.40 E, 51.22 N.
        assert!(
            (c.x - 4.40).abs() < 0.05 && (c.y - 51.22).abs() < 0.05,
            "{c:?}"
        );
        let second = &file.features[1];
        assert_eq!(second.code, "71072");
        assert_eq!(second.name, None);
        assert_eq!(second.geometry.0.len(), 2);
    }

    #[test]
    fn without_crs_it_is_wgs84_and_bom_is_skipped() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"CD_SECTOR":"A"},
            "geometry":{"type":"Polygon","coordinates":[[[4.3,50.8],[4.31,50.8],[4.31,50.81],[4.3,50.8]]]}}]}"#;
        let mut bytes = b"\xef\xbb\xbf".to_vec();
        bytes.extend_from_slice(text.as_bytes());
        let file = read_geojson(&bytes, &ReadOptions::new("cd_sector")).unwrap();
        assert_eq!(file.source_projection, Projection::Wgs84);
        assert_eq!(file.features[0].geometry.0[0].exterior().0[1].x, 4.31);
    }

    #[test]
    fn an_unknown_crs_is_refused() {
        let text = sectors_lambert72().replace("EPSG::31370", "EPSG::25831");
        let report = read_geojson(text.as_bytes(), &options()).unwrap_err();
        assert_eq!(report.problems.len(), 1);
        assert!(
            report.problems[0].message.contains("EPSG::25831"),
            "{report}"
        );
        assert!(
            report.problems[0].message.contains("niet ondersteund"),
            "{report}"
        );
    }

    #[test]
    fn an_unclosed_ring_refuses_the_whole_file() {
        let text = sectors_lambert72().replace(
            "[220000.0,180000.0]]],[[[222000.0",
            "[220000.0,180500.0]]],[[[222000.0",
        );
        assert_ne!(text, sectors_lambert72(), "the replacement must hit");
        let report = read_geojson(text.as_bytes(), &options()).unwrap_err();
        assert_eq!(report.problems.len(), 1, "{report}");
        assert_eq!(report.problems[0].feature, Some(2));
        assert!(
            report.problems[0].message.contains("niet gesloten"),
            "{report}"
        );
    }

    #[test]
    fn wrong_shapes_and_broken_json_are_refused_in_dutch() {
        let line = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"c":"A"},
            "geometry":{"type":"LineString","coordinates":[[4.3,50.8],[4.31,50.8]]}}]}"#;
        let report = read_geojson(line.as_bytes(), &ReadOptions::new("c")).unwrap_err();
        assert!(report.to_string().contains("LineString"), "{report}");
        let broken = read_geojson(
            b"{\"type\": \"FeatureCollection\", ",
            &ReadOptions::new("c"),
        )
        .unwrap_err();
        assert!(
            broken.to_string().contains("geen geldige GeoJSON"),
            "{broken}"
        );
        let single = r#"{"type":"Polygon","coordinates":[[[4.3,50.8],[4.31,50.8],[4.31,50.81],[4.3,50.8]]]}"#;
        let report = read_geojson(single.as_bytes(), &ReadOptions::new("c")).unwrap_err();
        assert!(
            report.to_string().contains("geen FeatureCollection"),
            "{report}"
        );
        let mut small = ReadOptions::new("c");
        small.limits.max_file_bytes = 10;
        assert!(read_geojson(line.as_bytes(), &small)
            .unwrap_err()
            .to_string()
            .contains("hoogstens 10"));
    }
}
