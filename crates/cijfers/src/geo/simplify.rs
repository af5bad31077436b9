//! Geometry for display: simplified with a topology-preserving Visvalingam-Whyatt (geo's
//! SimplifyVwPreserve) in a local metric frame, and stored as compact GeoJSON text with
//! coordinates rounded to 6 decimals (about 0.1 m), which is what the map renderer reads back.

use std::collections::HashMap;
use std::fmt::Write;
use std::str::FromStr;

use geo::{Coord, LineString, MultiPolygon, Polygon, SimplifyVwPreserve};

/// The default tolerance in metres: a sector stays recognisable on a city map while its
/// border loses the survey detail nobody sees on screen (a map of 3,000 sectors stays small).
pub const DEFAULT_TOLERANCE_M: f64 = 10.0;

/// Metres per degree of latitude, and of longitude at the equator (enough for simplification).
const METRES_PER_DEGREE_LAT: f64 = 110_574.0;
const METRES_PER_DEGREE_LON: f64 = 111_320.0;

/// The number of vertices of a geometry, over all rings.
pub fn vertex_count(geometry: &MultiPolygon<f64>) -> usize {
    geometry
        .0
        .iter()
        .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
        .sum()
}

/// A WGS84 geometry simplified so that no border moves by much more than `tolerance_m`
/// metres. A ring that would collapse (fewer than 4 points, no area) keeps its polygon as it
/// was, so simplification never drops an area or leaves an invalid ring.
pub fn simplify_for_display(geometry: &MultiPolygon<f64>, tolerance_m: f64) -> MultiPolygon<f64> {
    if tolerance_m.is_nan() || tolerance_m <= 0.0 || geometry.0.is_empty() {
        return geometry.clone();
    }
    let latitude = mean_latitude(geometry).to_radians();
    let x_scale = METRES_PER_DEGREE_LON * latitude.cos().max(0.01);
    let to_metres = |c: &Coord<f64>| Coord {
        x: c.x * x_scale,
        y: c.y * METRES_PER_DEGREE_LAT,
    };
    let to_degrees = |c: &Coord<f64>| Coord {
        x: c.x / x_scale,
        y: c.y / METRES_PER_DEGREE_LAT,
    };
    // Visvalingam-Whyatt removes a point when the triangle it makes with its neighbours is
    // smaller than epsilon (an area): a triangle of that area over a base of twice the
    // tolerance has the tolerance as its height.
    let epsilon = tolerance_m * tolerance_m;
    let polygons = geometry
        .0
        .iter()
        .map(|polygon| {
            let ring = |r: &LineString<f64>| LineString::new(r.0.iter().map(to_metres).collect());
            let metric = Polygon::new(
                ring(polygon.exterior()),
                polygon.interiors().iter().map(ring).collect(),
            );
            let simplified = metric.simplify_vw_preserve(epsilon);
            // Simplification only drops points, so each kept point is looked up among the
            // originals: the result carries the input's exact coordinates, not a round trip
            // through metres.
            let originals: HashMap<(u64, u64), Coord<f64>> = std::iter::once(polygon.exterior())
                .chain(polygon.interiors())
                .flat_map(|r| r.0.iter())
                .map(|c| {
                    let m = to_metres(c);
                    ((m.x.to_bits(), m.y.to_bits()), *c)
                })
                .collect();
            let back = |r: &LineString<f64>| {
                LineString::new(
                    r.0.iter()
                        .map(|m| {
                            originals
                                .get(&(m.x.to_bits(), m.y.to_bits()))
                                .copied()
                                .unwrap_or_else(|| to_degrees(m))
                        })
                        .collect(),
                )
            };
            let result = Polygon::new(
                back(simplified.exterior()),
                simplified.interiors().iter().map(back).collect(),
            );
            let sound = std::iter::once(result.exterior())
                .chain(result.interiors())
                .all(ring_is_sound)
                && result.interiors().len() == polygon.interiors().len();
            if sound {
                result
            } else {
                polygon.clone()
            }
        })
        .collect();
    MultiPolygon::new(polygons)
}

fn ring_is_sound(ring: &LineString<f64>) -> bool {
    let points = &ring.0;
    points.len() >= 4 && points.first() == points.last() && twice_area(points) != 0.0
}

fn twice_area(points: &[Coord<f64>]) -> f64 {
    points
        .windows(2)
        .map(|w| match w {
            [a, b] => a.x * b.y - b.x * a.y,
            _ => 0.0,
        })
        .sum()
}

fn mean_latitude(geometry: &MultiPolygon<f64>) -> f64 {
    let (sum, n) = geometry
        .0
        .iter()
        .flat_map(|p| p.exterior().0.iter())
        .fold((0.0, 0usize), |(s, n), c| (s + c.y, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

/// A geometry as compact GeoJSON text (`{"type":"MultiPolygon","coordinates":…}`), each
/// coordinate rounded to 6 decimals, points that round onto their predecessor left out. A
/// ring that rounding collapses (smaller than about 0.1 m) is left out; a polygon whose outer
/// ring collapses is left out.
pub fn to_geojson_text(geometry: &MultiPolygon<f64>) -> String {
    let mut out = String::from(r#"{"type":"MultiPolygon","coordinates":["#);
    let mut first_polygon = true;
    for polygon in &geometry.0 {
        let Some(exterior) = rounded_ring(polygon.exterior()) else {
            continue;
        };
        let rings: Vec<Vec<(i64, i64)>> = std::iter::once(exterior)
            .chain(polygon.interiors().iter().filter_map(rounded_ring))
            .collect();
        if !first_polygon {
            out.push(',');
        }
        first_polygon = false;
        out.push('[');
        for (r, ring) in rings.iter().enumerate() {
            if r > 0 {
                out.push(',');
            }
            out.push('[');
            for (i, (x, y)) in ring.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('[');
                write_micro(&mut out, *x);
                out.push(',');
                write_micro(&mut out, *y);
                out.push(']');
            }
            out.push(']');
        }
        out.push(']');
    }
    out.push_str("]}");
    out
}

/// A ring in millionths of a degree, repeated points left out; None when fewer than 4 remain.
fn rounded_ring(ring: &LineString<f64>) -> Option<Vec<(i64, i64)>> {
    let mut points: Vec<(i64, i64)> = Vec::with_capacity(ring.0.len());
    for c in &ring.0 {
        if !c.x.is_finite() || !c.y.is_finite() || c.x.abs() > 1000.0 || c.y.abs() > 1000.0 {
            return None;
        }
        // Within ±1000 degrees, so the product fits an i64 with room to spare.
        let p = ((c.x * 1e6).round() as i64, (c.y * 1e6).round() as i64);
        if points.last() != Some(&p) {
            points.push(p);
        }
    }
    (points.len() >= 4 && points.first() == points.last()).then_some(points)
}

/// Writes millionths as a decimal number without trailing zeros: 4400000 as 4.4.
fn write_micro(out: &mut String, micro: i64) {
    let sign = if micro < 0 { "-" } else { "" };
    let abs = micro.unsigned_abs();
    let (whole, fraction) = (abs / 1_000_000, abs % 1_000_000);
    if fraction == 0 {
        let _ = write!(out, "{sign}{whole}");
    } else {
        let digits = format!("{fraction:06}");
        let _ = write!(out, "{sign}{whole}.{}", digits.trim_end_matches('0'));
    }
}

/// Reads stored GeoJSON geometry text (a Polygon or MultiPolygon) back into a geometry.
pub fn parse_geojson_text(text: &str) -> Result<MultiPolygon<f64>, String> {
    let geometry = geojson::Geometry::from_str(text)
        .map_err(|e| format!("De opgeslagen geometrie is geen geldige GeoJSON: {e}."))?;
    let polygon = |rings: &[Vec<geojson::Position>]| -> Result<Polygon<f64>, String> {
        let mut lines = rings.iter().map(|ring| {
            ring.iter()
                .map(|p| match p.as_slice() {
                    [x, y, ..] => Ok(Coord { x: *x, y: *y }),
                    _ => Err(
                        "Een positie in de opgeslagen geometrie heeft geen twee coördinaten."
                            .to_string(),
                    ),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(LineString::new)
        });
        let exterior = lines
            .next()
            .unwrap_or_else(|| Ok(LineString::new(Vec::new())))?;
        Ok(Polygon::new(
            exterior,
            lines.collect::<Result<Vec<_>, _>>()?,
        ))
    };
    match geometry.value {
        geojson::GeometryValue::Polygon { coordinates } => {
            Ok(MultiPolygon::new(vec![polygon(&coordinates)?]))
        }
        geojson::GeometryValue::MultiPolygon { coordinates } => Ok(MultiPolygon::new(
            coordinates
                .iter()
                .map(|p| polygon(p))
                .collect::<Result<Vec<_>, _>>()?,
        )),
        other => Err(format!(
            "De opgeslagen geometrie is een {}, geen veelhoek.",
            other.type_name()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, Validation};

    /// A wobbly disc of `n` points around Antwerp (about 1 km across) with a hole: the kind
    /// of detailed border a survey file has.
    fn detailed_sector(n: usize) -> MultiPolygon<f64> {
        let (lon, lat): (f64, f64) = (4.40, 51.22);
        let ring = |radius_m: f64, points: usize, reverse: bool| {
            let mut coords: Vec<Coord<f64>> = (0..points)
                .map(|i| {
                    let a = i as f64 / points as f64 * std::f64::consts::TAU;
                    // A few metres of wobble on every point, a bay of 100 m on one side.
                    let wobble =
                        3.0 * ((i * 7919) % 13) as f64 / 13.0 + 100.0 * (a * 3.0).sin().max(0.0);
                    let r = radius_m + wobble;
                    Coord {
                        x: lon + r * a.cos() / (111_320.0 * lat.to_radians().cos()),
                        y: lat + r * a.sin() / 110_574.0,
                    }
                })
                .collect();
            if reverse {
                coords.reverse();
            }
            coords.push(coords[0]);
            LineString::new(coords)
        };
        MultiPolygon::new(vec![Polygon::new(
            ring(500.0, n, false),
            vec![ring(80.0, n / 4, true)],
        )])
    }

    #[test]
    fn simplification_reduces_vertices_and_keeps_rings_valid() {
        let detailed = detailed_sector(2000);
        assert!(detailed.is_valid(), "{:?}", detailed.validation_errors());
        let simple = simplify_for_display(&detailed, DEFAULT_TOLERANCE_M);
        let (before, after) = (vertex_count(&detailed), vertex_count(&simple));
        assert!(after * 5 < before, "{before} -> {after} vertices");
        assert!(simple.is_valid(), "{:?}", simple.validation_errors());
        assert_eq!(simple.0[0].interiors().len(), 1, "the hole stays");
        for ring in std::iter::once(simple.0[0].exterior()).chain(simple.0[0].interiors()) {
            assert!(ring.0.len() >= 4 && ring.0.first() == ring.0.last());
        }
        let change =
            (simple.unsigned_area() - detailed.unsigned_area()).abs() / detailed.unsigned_area();
        assert!(change < 0.02, "area changed by {:.1}%", change * 100.0);
        // A larger tolerance removes more.
        assert!(vertex_count(&simplify_for_display(&detailed, 50.0)) < after);
    }

    #[test]
    fn a_tiny_polygon_is_kept_as_it_is() {
        let tiny = MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![
                (4.4, 51.2),
                (4.40001, 51.2),
                (4.40001, 51.20001),
                (4.4, 51.2),
            ]),
            vec![],
        )]);
        assert_eq!(simplify_for_display(&tiny, 50.0), tiny);
    }

    #[test]
    fn stored_text_is_compact_rounded_and_reads_back() {
        let detailed = detailed_sector(400);
        let text = to_geojson_text(&simplify_for_display(&detailed, DEFAULT_TOLERANCE_M));
        assert!(
            text.starts_with(r#"{"type":"MultiPolygon","coordinates":[[[["#),
            "{text}"
        );
        assert!(!text.contains(' '));
        let decimals = text
            .split([',', '[', ']'])
            .filter_map(|n| n.split_once('.'))
            .map(|(_, d)| d.len())
            .max()
            .unwrap();
        assert!(decimals <= 6, "{decimals} decimals");
        let back = parse_geojson_text(&text).unwrap();
        assert_eq!(back.0.len(), 1);
        assert!(back.is_valid(), "{:?}", back.validation_errors());
        let c = back.0[0].exterior().0[0];
        let o = simplify_for_display(&detailed, DEFAULT_TOLERANCE_M).0[0]
            .exterior()
            .0[0];
        assert!((c.x - o.x).abs() <= 5e-7 && (c.y - o.y).abs() <= 5e-7);
        // Negative and whole numbers are written exactly.
        let square = MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![(-1.5, 2.0), (-1.0, 2.0), (-1.0, 2.25), (-1.5, 2.0)]),
            vec![],
        )]);
        assert_eq!(
            to_geojson_text(&square),
            r#"{"type":"MultiPolygon","coordinates":[[[[-1.5,2],[-1,2],[-1,2.25],[-1.5,2]]]]}"#
        );
        assert!(parse_geojson_text(r#"{"type":"Point","coordinates":[1,2]}"#).is_err());
        assert!(parse_geojson_text("nonsense").is_err());
    }
}
