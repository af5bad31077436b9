//! What every reader does after parsing: settle the projection, check each feature (code,
//! rings, numbers, extent, sizes) and refuse the whole file with a Dutch report when anything
//! is wrong, or reproject the features to WGS84 when nothing is.

use std::collections::HashMap;

use geo::{Coord, LineString, MultiPolygon, Polygon};

use super::projection::{Projection, Reprojector};
use super::types::{GeoFeature, GeoFile, GeoProblem, GeoReport, ReadOptions};

/// A ring as read: (x, y) in the file's projection; it should end where it starts.
pub type Ring = Vec<(f64, f64)>;

/// A feature as a reader found it, before any check.
#[derive(Debug, Clone, Default)]
pub struct RawFeature {
    /// 1-based position in the file.
    pub number: usize,
    pub code: Option<String>,
    pub name: Option<String>,
    /// Polygons, each an exterior ring followed by its holes.
    pub polygons: Vec<Vec<Ring>>,
    /// What the reader already found wrong (e.g. a line where a polygon belongs), in Dutch.
    pub problems: Vec<String>,
}

/// Where the projection came from: what the file declares (with the words naming the
/// declaration, e.g. "het .prj-bestand") and what the format means when it says nothing.
pub struct DeclaredProjection<'a> {
    pub declared: Option<Projection>,
    pub declared_by: &'a str,
    pub format_default: Option<Projection>,
}

/// Checks the features and reprojects them, or refuses the file with every problem found.
pub fn finish(
    raw: Vec<RawFeature>,
    declared: DeclaredProjection<'_>,
    options: &ReadOptions,
) -> Result<GeoFile, GeoReport> {
    let limits = &options.limits;
    if raw.is_empty() {
        return Err(GeoReport::file(
            "Het bestand bevat geen enkel object met een geometrie.",
        ));
    }
    if raw.len() > limits.max_features {
        return Err(GeoReport::file(format!(
            "Het bestand bevat {} objecten; er worden er hoogstens {} aanvaard.",
            raw.len(),
            limits.max_features
        )));
    }
    let projection = settle_projection(&raw, &declared, options)?;

    let mut report = GeoReport::default();
    let mut total_vertices: usize = 0;
    let mut outside = 0usize;
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for feature in &raw {
        let code = feature
            .code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let mut problem = |message: String| {
            report.push(GeoProblem::feature(feature.number, code, message));
        };
        match code {
            None => problem(format!(
                "de eigenschap '{}' met de code ontbreekt of is leeg.",
                options.code_property
            )),
            Some(c) => {
                if let Some(first) = seen.insert(c, feature.number) {
                    problem(format!("de code {c} komt ook al voor bij object {first}."));
                }
            }
        }
        if !feature.problems.is_empty() {
            for message in &feature.problems {
                problem(message.clone());
            }
            continue;
        }
        let vertices: usize = feature.polygons.iter().flatten().map(Vec::len).sum();
        total_vertices = total_vertices.saturating_add(vertices);
        if vertices > limits.max_vertices_per_feature {
            problem(format!(
                "de geometrie heeft {vertices} punten; er worden er hoogstens {} per object aanvaard.",
                limits.max_vertices_per_feature
            ));
            continue;
        }
        for message in check_geometry(&feature.polygons) {
            problem(message);
        }
        if let Some(bbox) = bounding_box(&feature.polygons) {
            if !projection.fits(bbox) {
                outside += 1;
                problem(format!(
                    "de coördinaten liggen buiten België voor {}.",
                    projection.label()
                ));
            }
        }
    }
    if total_vertices > limits.max_vertices_total {
        report.push(GeoProblem::file(format!(
            "Het bestand heeft {total_vertices} punten; er worden er hoogstens {} aanvaard.",
            limits.max_vertices_total
        )));
    }
    if outside == raw.len() {
        // Every feature outside Belgium: one message about the projection says more than a
        // line per feature.
        report
            .problems
            .retain(|p| !p.message.starts_with("de coördinaten liggen buiten België"));
        report.push(GeoProblem::file(wrong_projection_message(&raw, projection)));
    }
    if !report.is_empty() {
        return Err(report);
    }

    let reprojector = Reprojector::new(projection).map_err(GeoReport::file)?;
    let mut features = Vec::with_capacity(raw.len());
    for feature in raw {
        let code = feature
            .code
            .as_deref()
            .map(str::trim)
            .unwrap_or("")
            .to_string();
        match reproject(&feature.polygons, &reprojector) {
            Ok(geometry) => features.push(GeoFeature {
                code,
                name: feature
                    .name
                    .map(|n| n.trim().to_string())
                    .filter(|n| !n.is_empty()),
                geometry,
            }),
            Err(message) => report.push(GeoProblem::feature(feature.number, Some(&code), message)),
        }
    }
    if !report.is_empty() {
        return Err(report);
    }
    Ok(GeoFile {
        features,
        source_projection: projection,
    })
}

fn settle_projection(
    raw: &[RawFeature],
    declared: &DeclaredProjection<'_>,
    options: &ReadOptions,
) -> Result<Projection, GeoReport> {
    match (options.projection, declared.declared) {
        (Some(stated), Some(found)) if stated != found => Err(GeoReport::file(format!(
            "U koos {}, maar {} zegt {}. Kies de projectie van het bestand.",
            stated.label(),
            declared.declared_by,
            found.label()
        ))),
        (Some(p), _) | (None, Some(p)) => Ok(p),
        (None, None) => match declared.format_default {
            Some(p) => Ok(p),
            None => {
                let hint = all_bounding_box(raw)
                    .and_then(Projection::guess)
                    .map(|p| format!(" De coördinaten passen bij {}.", p.label()))
                    .unwrap_or_default();
                Err(GeoReport::file(format!(
                    "Het bestand zegt niet in welke projectie het staat (geen .prj-bestand): kies de \
                     projectie bij het opladen.{hint}"
                )))
            }
        },
    }
}

fn wrong_projection_message(raw: &[RawFeature], projection: Projection) -> String {
    let guess = all_bounding_box(raw).and_then(Projection::guess);
    match guess {
        Some(p) => format!(
            "Geen enkel object ligt in België voor {}: de coördinaten lijken in {} te staan. \
             Kies die projectie bij het opladen.",
            projection.label(),
            p.label()
        ),
        None => format!(
            "Geen enkel object ligt in België voor {}, en ook niet voor een andere aanvaarde \
             projectie: controleer de projectie en de volgorde van x en y.",
            projection.label()
        ),
    }
}

/// The property name among `names` that matches `wanted`: the same name first, else the same
/// name in another case (`cd_sector` for `CD_SECTOR`).
pub fn matching_name<'a>(
    names: impl IntoIterator<Item = &'a str> + Clone,
    wanted: &str,
) -> Option<&'a str> {
    let wanted = wanted.trim();
    names
        .clone()
        .into_iter()
        .find(|n| *n == wanted)
        .or_else(|| names.into_iter().find(|n| n.eq_ignore_ascii_case(wanted)))
}

/// The problems of one feature's geometry, in Dutch (empty when it is sound).
pub fn check_geometry(polygons: &[Vec<Ring>]) -> Vec<String> {
    let mut problems = Vec::new();
    if polygons.is_empty() || polygons.iter().all(|p| p.iter().all(Vec::is_empty)) {
        problems.push("de geometrie is leeg.".to_string());
        return problems;
    }
    for (p, rings) in polygons.iter().enumerate() {
        let where_ = |r: usize| {
            let ring = if r == 0 {
                "de buitenrand".to_string()
            } else {
                format!("gat {r}")
            };
            if polygons.len() > 1 {
                format!("{ring} van veelhoek {}", p + 1)
            } else {
                ring
            }
        };
        if rings.is_empty() {
            problems.push(format!("veelhoek {} heeft geen ringen.", p + 1));
        }
        for (r, ring) in rings.iter().enumerate() {
            if ring.iter().any(|(x, y)| !x.is_finite() || !y.is_finite()) {
                problems.push(format!(
                    "{} bevat een coördinaat die geen getal is.",
                    where_(r)
                ));
                continue;
            }
            if ring.len() < 4 {
                problems.push(format!(
                    "{} heeft {} punten; een gesloten ring heeft er minstens 4 nodig.",
                    where_(r),
                    ring.len()
                ));
                continue;
            }
            if let (Some(first), Some(last)) = (ring.first(), ring.last()) {
                if first != last {
                    problems.push(format!(
                        "{} is niet gesloten: het eerste punt ({}, {}) is niet gelijk aan het laatste ({}, {}).",
                        where_(r),
                        first.0,
                        first.1,
                        last.0,
                        last.1
                    ));
                    continue;
                }
            }
            if signed_area(ring) == 0.0 {
                problems.push(format!("{} heeft geen oppervlakte.", where_(r)));
            }
        }
    }
    problems
}

/// Twice the signed area of a ring (shoelace formula).
fn signed_area(ring: &[(f64, f64)]) -> f64 {
    ring.windows(2)
        .map(|w| match w {
            [a, b] => a.0 * b.1 - b.0 * a.1,
            _ => 0.0,
        })
        .sum()
}

fn bounding_box(polygons: &[Vec<Ring>]) -> Option<(f64, f64, f64, f64)> {
    let mut points = polygons
        .iter()
        .flatten()
        .flatten()
        .filter(|(x, y)| x.is_finite() && y.is_finite());
    let &(x, y) = points.next()?;
    Some(points.fold((x, y, x, y), |b, &(x, y)| {
        (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y))
    }))
}

fn all_bounding_box(raw: &[RawFeature]) -> Option<(f64, f64, f64, f64)> {
    raw.iter()
        .filter_map(|f| bounding_box(&f.polygons))
        .reduce(|a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)))
}

fn reproject(
    polygons: &[Vec<Ring>],
    reprojector: &Reprojector,
) -> Result<MultiPolygon<f64>, String> {
    let mut out = Vec::with_capacity(polygons.len());
    for rings in polygons {
        let mut converted = Vec::with_capacity(rings.len());
        for ring in rings {
            let coords = ring
                .iter()
                .map(|&(x, y)| reprojector.to_wgs84(x, y).map(|(x, y)| Coord { x, y }))
                .collect::<Result<Vec<_>, _>>()?;
            converted.push(LineString::new(coords));
        }
        let mut iter = converted.into_iter();
        if let Some(exterior) = iter.next() {
            out.push(Polygon::new(exterior, iter.collect()));
        }
    }
    Ok(MultiPolygon::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, size: f64) -> Ring {
        vec![
            (x, y),
            (x + size, y),
            (x + size, y + size),
            (x, y + size),
            (x, y),
        ]
    }

    fn feature(number: usize, code: &str, rings: Vec<Ring>) -> RawFeature {
        RawFeature {
            number,
            code: Some(code.to_string()),
            name: None,
            polygons: vec![rings],
            problems: Vec::new(),
        }
    }

    fn lambert72() -> DeclaredProjection<'static> {
        DeclaredProjection {
            declared: Some(Projection::Lambert72),
            declared_by: "het .prj-bestand",
            format_default: None,
        }
    }

    #[test]
    fn sound_features_are_reprojected() {
        let raw = vec![feature(
            1,
            "11002A00-",
            vec![square(150_000.0, 170_000.0, 500.0)],
        )];
        let file = finish(raw, lambert72(), &ReadOptions::new("CD_SECTOR")).unwrap();
        assert_eq!(file.source_projection, Projection::Lambert72);
        let exterior = file.features[0].geometry.0[0].exterior();
        let first = exterior.0[0];
        assert!(
            (first.x - 4.3688).abs() < 0.001 && (first.y - 50.8404).abs() < 0.001,
            "{first:?}"
        );
    }

    #[test]
    fn an_unclosed_ring_is_refused_with_its_feature() {
        let mut open = square(150_000.0, 170_000.0, 500.0);
        open.pop();
        open.push((150_001.0, 170_000.0));
        let raw = vec![
            feature(1, "A", vec![square(150_000.0, 170_000.0, 500.0)]),
            feature(2, "B", vec![open]),
        ];
        let report = finish(raw, lambert72(), &ReadOptions::new("CD_SECTOR")).unwrap_err();
        assert_eq!(report.problems.len(), 1, "{report}");
        assert_eq!(report.problems[0].feature, Some(2));
        assert_eq!(report.problems[0].code.as_deref(), Some("B"));
        assert!(
            report.problems[0].message.contains("niet gesloten"),
            "{report}"
        );
    }

    #[test]
    fn garbage_is_refused_line_by_line() {
        let mut nan = square(150_000.0, 170_000.0, 500.0);
        nan[1].0 = f64::NAN;
        let raw = vec![
            feature(1, "A", vec![nan]),
            feature(2, "B", vec![vec![(1.0, 1.0), (2.0, 2.0), (1.0, 1.0)]]),
            feature(3, "A", vec![square(150_000.0, 170_000.0, 10.0)]),
            RawFeature {
                number: 4,
                code: Some("D".into()),
                ..Default::default()
            },
            feature(5, "", vec![square(150_000.0, 170_000.0, 10.0)]),
            feature(6, "F", vec![square(900_000.0, 170_000.0, 10.0)]),
        ];
        let report = finish(raw, lambert72(), &ReadOptions::new("CD_SECTOR")).unwrap_err();
        let text = report.to_string();
        for expected in [
            "Object 1 (code A): de buitenrand bevat een coördinaat die geen getal is",
            "Object 2 (code B): de buitenrand heeft 3 punten",
            "Object 3 (code A): de code A komt ook al voor bij object 1",
            "Object 4 (code D): de geometrie is leeg",
            "Object 5: de eigenschap 'CD_SECTOR' met de code ontbreekt",
            "Object 6 (code F): de coördinaten liggen buiten België voor Lambert 72",
        ] {
            assert!(text.contains(expected), "missing '{expected}' in:\n{text}");
        }
    }

    #[test]
    fn coordinates_of_another_projection_are_named() {
        let raw = vec![feature(1, "A", vec![square(4.3, 50.8, 0.01)])];
        let report = finish(raw, lambert72(), &ReadOptions::new("c")).unwrap_err();
        assert_eq!(report.problems.len(), 1, "{report}");
        assert!(
            report.problems[0].message.contains("lijken in WGS84"),
            "{report}"
        );
    }

    #[test]
    fn a_stated_projection_must_agree_with_the_file() {
        let raw = vec![feature(1, "A", vec![square(150_000.0, 170_000.0, 500.0)])];
        let mut options = ReadOptions::new("c");
        options.projection = Some(Projection::Lambert2008);
        let report = finish(raw.clone(), lambert72(), &options).unwrap_err();
        assert!(
            report.to_string().contains("U koos Lambert 2008"),
            "{report}"
        );
        let none = DeclaredProjection {
            declared: None,
            declared_by: "",
            format_default: None,
        };
        let report = finish(raw, none, &ReadOptions::new("c")).unwrap_err();
        assert!(
            report.to_string().contains("passen bij Lambert 72"),
            "{report}"
        );
    }

    #[test]
    fn too_many_features_or_vertices_are_refused() {
        let mut options = ReadOptions::new("c");
        options.limits.max_features = 1;
        let raw = vec![
            feature(1, "A", vec![square(150_000.0, 170_000.0, 5.0)]),
            feature(2, "B", vec![square(150_100.0, 170_000.0, 5.0)]),
        ];
        assert!(finish(raw.clone(), lambert72(), &options)
            .unwrap_err()
            .to_string()
            .contains("hoogstens 1"));
        let mut options = ReadOptions::new("c");
        options.limits.max_vertices_per_feature = 4;
        assert!(finish(raw.clone(), lambert72(), &options)
            .unwrap_err()
            .to_string()
            .contains("5 punten"));
        let mut options = ReadOptions::new("c");
        options.limits.max_vertices_total = 9;
        assert!(finish(raw, lambert72(), &options)
            .unwrap_err()
            .to_string()
            .contains("10 punten"));
    }
}
