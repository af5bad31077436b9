//! The whole flow on a city-sized file: read, simplify and store, read back, draw.

use geo::{Coord, LineString, MultiPolygon, Polygon};

use super::*;

/// A GeoJSON FeatureCollection in WGS84 of `n` sectors on a grid of 300 m cells around
/// Antwerp, each border with `points` surveyed points a metre or two off the straight line.
fn city_geojson(n: usize, points: usize) -> String {
    let (lon0, lat0): (f64, f64) = (4.30, 51.15);
    let (dlon, dlat) = (
        300.0 / (111_320.0 * lat0.to_radians().cos()),
        300.0 / 110_574.0,
    );
    let side = (n as f64).sqrt().ceil() as usize;
    let features: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let (x0, y0) = (lon0 + (i % side) as f64 * dlon, lat0 + (i / side) as f64 * dlat);
            let corners = [(x0, y0), (x0 + dlon, y0), (x0 + dlon, y0 + dlat), (x0, y0 + dlat)];
            let per_side = points / 4;
            let mut ring: Vec<[f64; 2]> = Vec::new();
            for k in 0..4 {
                let (a, b) = (corners[k], corners[(k + 1) % 4]);
                for j in 0..per_side {
                    let t = j as f64 / per_side as f64;
                    let wobble = ((i * 31 + k * 7 + j * 13) % 5) as f64 * 0.4 / 110_574.0;
                    ring.push([a.0 + (b.0 - a.0) * t + wobble, a.1 + (b.1 - a.1) * t + wobble]);
                }
            }
            ring.push(ring[0]);
            serde_json::json!({
                "type": "Feature",
                "properties": {"CS01012024": format!("11002A{i:04}"), "T_SEC_NL": format!("Sector {i}")},
                "geometry": {"type": "Polygon", "coordinates": [ring]}
            })
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
}

#[test]
fn a_map_of_3000_sectors_stays_small() {
    // 48 points a sector keeps the test quick in a debug build (the topology-preserving
    // simplification costs tens of microseconds a point there); the sizes asserted are
    // those of the simplified result.
    let text = city_geojson(3000, 48);
    let mut options = ReadOptions::new("CS01012024");
    options.name_property = Some("T_SEC_NL".to_string());
    let file = read_upload("sectoren.geojson", text.as_bytes(), &options).unwrap();
    assert_eq!(file.features.len(), 3000);

    let stored: Vec<String> = file
        .features
        .iter()
        .map(|f| display_geojson(&f.geometry, DEFAULT_TOLERANCE_M))
        .collect();
    let before: usize = file
        .features
        .iter()
        .map(|f| vertex_count(&f.geometry))
        .sum();
    let areas: Vec<MapArea> = file
        .features
        .iter()
        .zip(&stored)
        .enumerate()
        .map(|(i, (f, text))| MapArea {
            code: f.code.clone(),
            label: f.name.clone().unwrap_or_default(),
            value: (i % 50 != 0).then_some(i as f64 / 7.0),
            geometry: parse_geojson_text(text).unwrap(),
        })
        .collect();
    let after: usize = areas.iter().map(|a| vertex_count(&a.geometry)).sum();
    assert!(after * 4 < before, "{before} -> {after} vertices");
    let stored_bytes: usize = stored.iter().map(String::len).sum();
    assert!(
        stored_bytes < 1_500_000,
        "stored geometry {stored_bytes} bytes"
    );

    let svg = render_choropleth(&areas, &ChoroplethOptions::new("Inwoners", "sectoren"));
    assert_eq!(svg.matches("<path ").count(), 3000);
    assert!(svg.len() < 1_000_000, "SVG of {} bytes", svg.len());
}

#[test]
fn a_polygon_with_a_hole_survives_storage() {
    let ring =
        |pts: &[(f64, f64)]| LineString::new(pts.iter().map(|&(x, y)| Coord { x, y }).collect());
    let geometry = MultiPolygon::new(vec![Polygon::new(
        ring(&[
            (4.40, 51.20),
            (4.42, 51.20),
            (4.42, 51.21),
            (4.40, 51.21),
            (4.40, 51.20),
        ]),
        vec![ring(&[
            (4.405, 51.205),
            (4.406, 51.206),
            (4.407, 51.205),
            (4.405, 51.205),
        ])],
    )]);
    let back = parse_geojson_text(&display_geojson(&geometry, DEFAULT_TOLERANCE_M)).unwrap();
    assert_eq!(back, geometry);
}
