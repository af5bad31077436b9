//! Reading a shapefile from its parts in memory: the .shp with the polygons, the .dbf with
//! the attributes, the .prj with the projection and the optional .cpg with the text encoding.

use std::io::Cursor;

use shapefile::dbase::encoding::EncodingRs;
use shapefile::dbase::{self, FieldValue};
use shapefile::record::polygon::PolygonRing;
use shapefile::{Shape, ShapeReader};

use super::projection::Projection;
use super::types::{GeoFile, GeoReport, ReadOptions};
use super::validate::{finish, matching_name, DeclaredProjection, RawFeature, Ring};

/// The files of one shapefile, as bytes (e.g. unpacked from an uploaded zip).
#[derive(Debug, Clone, Copy)]
pub struct ShapefileParts<'a> {
    pub shp: &'a [u8],
    pub dbf: &'a [u8],
    pub prj: Option<&'a [u8]>,
    pub cpg: Option<&'a [u8]>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum TextEncoding {
    Utf8,
    Windows1252,
}

/// Reads a shapefile of Polygons (also PolygonM and PolygonZ, whose M and Z are dropped).
/// Without a .prj file the user must state the projection.
pub fn read_shapefile(
    parts: &ShapefileParts<'_>,
    options: &ReadOptions,
) -> Result<GeoFile, GeoReport> {
    let max = options.limits.max_file_bytes;
    for (name, bytes) in [(".shp", parts.shp), (".dbf", parts.dbf)] {
        if bytes.len() > max {
            return Err(GeoReport::file(format!(
                "Het {name}-bestand is {} bytes groot; er worden er hoogstens {max} aanvaard.",
                bytes.len()
            )));
        }
    }
    let declared = match parts.prj {
        Some(prj) => {
            Some(Projection::from_prj(&String::from_utf8_lossy(prj)).map_err(GeoReport::file)?)
        }
        None => None,
    };
    // A .cpg file names the encoding; without one, UTF-8 is tried first and Windows-1252 (what
    // older GIS software writes) when the text is no valid UTF-8.
    let cpg = parts
        .cpg
        .map(|c| String::from_utf8_lossy(c).trim().to_ascii_uppercase());
    let encodings: &[TextEncoding] = match cpg.as_deref() {
        Some(c)
            if c.contains("1252")
                || c.contains("8859-1")
                || c.contains("88591")
                || c == "LATIN1" =>
        {
            &[TextEncoding::Windows1252]
        }
        Some(c) if c.contains("UTF") || c == "65001" => &[TextEncoding::Utf8],
        _ => &[TextEncoding::Utf8, TextEncoding::Windows1252],
    };
    let mut last_error = String::new();
    for &encoding in encodings {
        match read_features(parts, encoding, options) {
            Ok(raw) => {
                return finish(
                    raw,
                    DeclaredProjection {
                        declared,
                        declared_by: "het .prj-bestand",
                        format_default: None,
                    },
                    options,
                )
            }
            Err(error) => last_error = error,
        }
    }
    Err(GeoReport::file(last_error))
}

fn read_features(
    parts: &ShapefileParts<'_>,
    encoding: TextEncoding,
    options: &ReadOptions,
) -> Result<Vec<RawFeature>, String> {
    let shapes = ShapeReader::new(Cursor::new(parts.shp))
        .map_err(|e| format!("Het .shp-bestand kan niet gelezen worden: {e}."))?;
    let builder = dbase::ReaderBuilder::new();
    let builder = match encoding {
        TextEncoding::Utf8 => builder.with_encoding(dbase::Unicode),
        TextEncoding::Windows1252 => {
            builder.with_encoding(EncodingRs::from(dbase::encoding_rs::WINDOWS_1252))
        }
    };
    let table = builder
        .build(Cursor::new(parts.dbf))
        .map_err(|e| format!("Het .dbf-bestand kan niet gelezen worden: {e}."))?;
    let names: Vec<String> = table
        .fields()
        .iter()
        .map(|f| f.name().to_string())
        .collect();
    let find = |wanted: &str| {
        matching_name(names.iter().map(String::as_str), wanted)
            .map(str::to_string)
            .ok_or_else(|| {
                format!(
                    "Het .dbf-bestand heeft geen kolom '{wanted}'. Kolommen: {}.",
                    names.join(", ")
                )
            })
    };
    let code_field = find(&options.code_property)?;
    let name_field = options.name_property.as_deref().map(find).transpose()?;
    let rows = usize::try_from(table.header().num_records).unwrap_or(usize::MAX);
    if rows > options.limits.max_features {
        return Err(format!(
            "Het bestand bevat {rows} objecten; er worden er hoogstens {} aanvaard.",
            options.limits.max_features
        ));
    }

    let mut reader = shapefile::Reader::new(shapes, table);
    let mut raw = Vec::new();
    let mut vertices: usize = 0;
    for (index, item) in reader.iter_shapes_and_records().enumerate() {
        let number = index + 1;
        if number > options.limits.max_features {
            return Err(format!(
                "Het bestand bevat meer dan {} objecten.",
                options.limits.max_features
            ));
        }
        let (shape, record) = item.map_err(|e| {
            format!("Het shapefile kan niet gelezen worden bij object {number}: {e}.")
        })?;
        let mut feature = RawFeature {
            number,
            code: record.get(&code_field).and_then(field_text),
            name: name_field
                .as_deref()
                .and_then(|n| record.get(n))
                .and_then(field_text),
            ..RawFeature::default()
        };
        match shape {
            Shape::NullShape => {}
            Shape::Polygon(p) => {
                feature.polygons = group(p.rings(), |q| (q.x, q.y), &mut feature.problems)
            }
            Shape::PolygonM(p) => {
                feature.polygons = group(p.rings(), |q| (q.x, q.y), &mut feature.problems)
            }
            Shape::PolygonZ(p) => {
                feature.polygons = group(p.rings(), |q| (q.x, q.y), &mut feature.problems)
            }
            other => feature.problems.push(format!(
                "de geometrie is een {}; alleen veelhoeken (Polygon) worden aanvaard.",
                other.shapetype()
            )),
        }
        vertices = vertices.saturating_add(feature.polygons.iter().flatten().map(Vec::len).sum());
        if vertices > options.limits.max_vertices_total {
            return Err(format!(
                "Het bestand heeft meer dan {} punten.",
                options.limits.max_vertices_total
            ));
        }
        raw.push(feature);
    }
    if raw.len() != rows {
        return Err(format!(
            "Het .shp-bestand heeft {} objecten, maar het .dbf-bestand {rows} rijen: de bestanden horen niet bij elkaar.",
            raw.len()
        ));
    }
    Ok(raw)
}

/// Polygons from a shapefile's rings: an outer ring starts a polygon, the holes after it
/// belong to it.
fn group<P>(
    rings: &[PolygonRing<P>],
    xy: impl Fn(&P) -> (f64, f64),
    problems: &mut Vec<String>,
) -> Vec<Vec<Ring>> {
    let mut polygons: Vec<Vec<Ring>> = Vec::new();
    for ring in rings {
        let points: Ring = ring.points().iter().map(&xy).collect();
        match ring {
            PolygonRing::Outer(_) => polygons.push(vec![points]),
            PolygonRing::Inner(_) => match polygons.last_mut() {
                Some(polygon) => polygon.push(points),
                None => {
                    problems.push("een gat staat vóór elke buitenrand.".to_string());
                }
            },
        }
    }
    polygons
}

/// A .dbf value as text: whole numbers without decimals (a REFNIS code in a numeric column).
fn field_text(value: &FieldValue) -> Option<String> {
    let number = |n: f64| {
        if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{n:.0}")
        } else {
            n.to_string()
        }
    };
    match value {
        FieldValue::Character(Some(s)) | FieldValue::Memo(s) => Some(s.clone()),
        FieldValue::Numeric(Some(n)) => Some(number(*n)),
        FieldValue::Float(Some(n)) => Some(number(f64::from(*n))),
        FieldValue::Double(n) => Some(number(*n)),
        FieldValue::Integer(i) => Some(i.to_string()),
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use shapefile::dbase::{FieldName, TableWriterBuilder};
    use shapefile::{Point, Polygon, ShapeWriter};

    pub(crate) const LAMBERT72_PRJ: &str = r#"PROJCS["Belge_Lambert_1972",GEOGCS["GCS_Belge_1972",DATUM["D_Belge_1972",SPHEROID["International_1924",6378388.0,297.0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",150000.013],PARAMETER["False_Northing",5400088.438],PARAMETER["Central_Meridian",4.367486666666666],PARAMETER["Standard_Parallel_1",49.8333339],PARAMETER["Standard_Parallel_2",51.16666723333333],PARAMETER["Latitude_Of_Origin",90.0],UNIT["Meter",1.0]]"#;

    /// A .shp and .dbf written with the shapefile and dbase crates' writers: one square per
    /// (code, name, x, y), in Lambert 72 metres; the first has a hole.
    pub(crate) fn write_shapefile(areas: &[(&str, &str, f64, f64)]) -> (Vec<u8>, Vec<u8>) {
        write_shapefile_in(areas, TextEncoding::Utf8)
    }

    fn write_shapefile_in(
        areas: &[(&str, &str, f64, f64)],
        encoding: TextEncoding,
    ) -> (Vec<u8>, Vec<u8>) {
        let mut shp = Cursor::new(Vec::new());
        let mut dbf = Cursor::new(Vec::new());
        {
            let mut shapes = ShapeWriter::new(&mut shp);
            let builder = match encoding {
                TextEncoding::Utf8 => TableWriterBuilder::new(),
                TextEncoding::Windows1252 => TableWriterBuilder::with_encoding(EncodingRs::from(
                    dbase::encoding_rs::WINDOWS_1252,
                )),
            };
            let mut table = builder
                .add_character_field(FieldName::try_from("CD_SECTOR").unwrap(), 12)
                .add_character_field(FieldName::try_from("T_SEC_NL").unwrap(), 40)
                .add_numeric_field(FieldName::try_from("REFNIS").unwrap(), 5, 0)
                .build_with_dest(&mut dbf);
            for (i, &(code, name, x, y)) in areas.iter().enumerate() {
                let square = |x0: f64, y0: f64, s: f64| {
                    vec![
                        Point::new(x0, y0),
                        Point::new(x0, y0 + s),
                        Point::new(x0 + s, y0 + s),
                        Point::new(x0 + s, y0),
                        Point::new(x0, y0),
                    ]
                };
                let mut rings = vec![PolygonRing::Outer(square(x, y, 1000.0))];
                if i == 0 {
                    let mut hole = square(x + 400.0, y + 400.0, 200.0);
                    hole.reverse();
                    rings.push(PolygonRing::Inner(hole));
                }
                shapes.write_shape(&Polygon::with_rings(rings)).unwrap();
                let mut record = dbase::Record::default();
                record.insert("CD_SECTOR".into(), FieldValue::Character(Some(code.into())));
                record.insert("T_SEC_NL".into(), FieldValue::Character(Some(name.into())));
                record.insert("REFNIS".into(), FieldValue::Numeric(Some(11002.0)));
                table.write_record(&record).unwrap();
            }
            shapes.finalize().unwrap();
            table.finalize().unwrap();
        }
        (shp.into_inner(), dbf.into_inner())
    }

    fn options() -> ReadOptions {
        let mut options = ReadOptions::new("cd_sector");
        options.name_property = Some("T_SEC_NL".to_string());
        options
    }

    #[test]
    fn reads_a_written_shapefile_with_its_prj() {
        let (shp, dbf) = write_shapefile(&[
            ("11002A00-", "Antwerpen-Centrum", 152_000.0, 212_000.0),
            ("11002A01-", "Sint-Andries é", 154_000.0, 212_000.0),
        ]);
        let parts = ShapefileParts {
            shp: &shp,
            dbf: &dbf,
            prj: Some(LAMBERT72_PRJ.as_bytes()),
            cpg: None,
        };
        let file = read_shapefile(&parts, &options()).unwrap();
        assert_eq!(file.source_projection, Projection::Lambert72);
        assert_eq!(file.features.len(), 2);
        assert_eq!(file.features[0].code, "11002A00-");
        assert_eq!(file.features[1].name.as_deref(), Some("Sint-Andries é"));
        assert_eq!(file.features[0].geometry.0.len(), 1);
        assert_eq!(file.features[0].geometry.0[0].interiors().len(), 1);
        let c = file.features[1].geometry.0[0].exterior().0[0];
        assert!(
            (c.x - 4.43).abs() < 0.05 && (c.y - 51.22).abs() < 0.05,
            "{c:?}"
        );

        let mut by_number = ReadOptions::new("REFNIS");
        by_number.limits.max_features = 10;
        let report = read_shapefile(&parts, &by_number).unwrap_err();
        // Both rows have the REFNIS 11002: read as a whole number, and a duplicate.
        assert!(
            report
                .to_string()
                .contains("de code 11002 komt ook al voor bij object 1"),
            "{report}"
        );
    }

    #[test]
    fn windows_1252_text_is_read_with_or_without_a_cpg() {
        let (shp, dbf) = write_shapefile_in(
            &[("A", "Écaussinnes-Lalaing", 152_000.0, 212_000.0)],
            TextEncoding::Windows1252,
        );
        assert!(
            std::str::from_utf8(&dbf).is_err(),
            "the .dbf holds Windows-1252 bytes"
        );
        for cpg in [None, Some(&b"1252"[..])] {
            let parts = ShapefileParts {
                shp: &shp,
                dbf: &dbf,
                prj: Some(LAMBERT72_PRJ.as_bytes()),
                cpg,
            };
            let file = read_shapefile(&parts, &options()).unwrap();
            assert_eq!(
                file.features[0].name.as_deref(),
                Some("Écaussinnes-Lalaing"),
                "cpg {cpg:?}"
            );
        }
    }

    #[test]
    fn without_prj_the_user_states_the_projection() {
        let (shp, dbf) = write_shapefile(&[("A", "a", 152_000.0, 212_000.0)]);
        let parts = ShapefileParts {
            shp: &shp,
            dbf: &dbf,
            prj: None,
            cpg: None,
        };
        let report = read_shapefile(&parts, &options()).unwrap_err();
        assert!(
            report.to_string().contains("passen bij Lambert 72"),
            "{report}"
        );
        let mut stated = options();
        stated.projection = Some(Projection::Lambert72);
        assert_eq!(read_shapefile(&parts, &stated).unwrap().features.len(), 1);
    }

    #[test]
    fn an_unknown_prj_a_missing_column_and_garbage_are_refused() {
        let (shp, dbf) = write_shapefile(&[("A", "a", 152_000.0, 212_000.0)]);
        let utm = br#"PROJCS["WGS_1984_UTM_Zone_31N",GEOGCS["GCS_WGS_1984"]]"#;
        let parts = ShapefileParts {
            shp: &shp,
            dbf: &dbf,
            prj: Some(utm),
            cpg: None,
        };
        let report = read_shapefile(&parts, &options()).unwrap_err();
        assert!(
            report.to_string().contains("WGS_1984_UTM_Zone_31N"),
            "{report}"
        );

        let parts = ShapefileParts {
            shp: &shp,
            dbf: &dbf,
            prj: Some(LAMBERT72_PRJ.as_bytes()),
            cpg: None,
        };
        let report = read_shapefile(&parts, &ReadOptions::new("CS01012024")).unwrap_err();
        assert!(
            report.to_string().contains("geen kolom 'CS01012024'"),
            "{report}"
        );
        assert!(report.to_string().contains("CD_SECTOR"), "{report}");

        let truncated = &shp[..shp.len() - 20];
        let parts = ShapefileParts {
            shp: truncated,
            dbf: &dbf,
            prj: None,
            cpg: None,
        };
        assert!(read_shapefile(&parts, &options()).is_err());
        let parts = ShapefileParts {
            shp: b"not a shapefile",
            dbf: &dbf,
            prj: None,
            cpg: None,
        };
        assert!(read_shapefile(&parts, &options())
            .unwrap_err()
            .to_string()
            .contains(".shp-bestand"));
    }
}
