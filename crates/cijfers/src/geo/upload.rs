//! An uploaded geometry file: GeoJSON as it is, or a zip holding a shapefile (or a GeoJSON).
//! The zip is bounded before anything is unpacked (entries, declared sizes, compression
//! ratio) and while it is unpacked (actual bytes), so a zip bomb is refused.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use super::geojson_file::read_geojson;
use super::shapefile_file::{read_shapefile, ShapefileParts};
use super::types::{GeoFile, GeoReport, Limits, ReadOptions};

/// Entries smaller than this unpacked are not held to the ratio (a tiny file can compress
/// very well without harm).
const RATIO_FROM_BYTES: u64 = 1024 * 1024;

/// Reads an upload by its file name: `.geojson` or `.json` as GeoJSON, `.zip` as a zipped
/// shapefile (or zipped GeoJSON).
pub fn read_upload(
    file_name: &str,
    bytes: &[u8],
    options: &ReadOptions,
) -> Result<GeoFile, GeoReport> {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".geojson") || lower.ends_with(".json") {
        read_geojson(bytes, options)
    } else if lower.ends_with(".zip") || bytes.starts_with(b"PK\x03\x04") {
        read_zip(bytes, options)
    } else if lower.ends_with(".shp") || lower.ends_with(".dbf") {
        Err(GeoReport::file(
            "Een shapefile bestaat uit meerdere bestanden: laad een zip-bestand op met het .shp-, \
             .dbf- en .prj-bestand samen.",
        ))
    } else {
        Err(GeoReport::file(
            "Laad een GeoJSON-bestand (.geojson) of een zip-bestand met een shapefile op.",
        ))
    }
}

struct Entry {
    index: usize,
    path: String,
}

/// Reads a zip with one shapefile (.shp and .dbf, with .prj and .cpg when present), or with one
/// GeoJSON file. With several shapefiles, `options.layer` names the one to read.
pub fn read_zip(bytes: &[u8], options: &ReadOptions) -> Result<GeoFile, GeoReport> {
    let limits = &options.limits;
    let unreadable = || GeoReport::file("Het zip-bestand kan niet gelezen worden.");
    let declared_entries = end_record_entries(bytes).ok_or_else(unreadable)?;
    if declared_entries > limits.max_zip_entries {
        return Err(GeoReport::file(format!(
            "Het zip-bestand bevat meer dan {} bestanden: laad alleen het shapefile op.",
            limits.max_zip_entries
        )));
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    if archive.len() > limits.max_zip_entries {
        return Err(GeoReport::file(format!(
            "Het zip-bestand bevat meer dan {} bestanden: laad alleen het shapefile op.",
            limits.max_zip_entries
        )));
    }

    // First pass: the directory only. Sizes and ratios are checked, and the wanted entries
    // grouped by name without extension.
    let mut total: u64 = 0;
    let mut stems: BTreeMap<String, BTreeMap<String, Entry>> = BTreeMap::new();
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(|_| unreadable())?;
        let size = entry.size();
        let packed = entry.compressed_size().max(1);
        if size > RATIO_FROM_BYTES && size / packed > limits.max_zip_ratio {
            return Err(bomb(limits));
        }
        total = total.saturating_add(size);
        if total > limits.max_zip_total_bytes {
            return Err(bomb(limits));
        }
        let path = entry.name().map_err(|_| unreadable())?.to_string();
        if entry.is_dir() || path.starts_with("__MACOSX/") {
            continue;
        }
        let Some((stem, extension)) = path.rsplit_once('.') else {
            continue;
        };
        let extension = extension.to_ascii_lowercase();
        if matches!(
            extension.as_str(),
            "shp" | "dbf" | "prj" | "cpg" | "geojson" | "json"
        ) {
            stems
                .entry(stem.to_string())
                .or_default()
                .insert(extension, Entry { index, path });
        }
    }

    let shapefiles: Vec<&String> = stems
        .keys()
        .filter(|s| stems[*s].contains_key("shp"))
        .collect();
    let chosen = match (shapefiles.as_slice(), options.layer.as_deref()) {
        ([], _) => None,
        ([one], None) => Some((*one).clone()),
        (many, Some(layer)) => Some(
            many.iter()
                .find(|s| base_name(s).eq_ignore_ascii_case(layer.trim()))
                .map(|s| (*s).clone())
                .ok_or_else(|| {
                    GeoReport::file(format!(
                        "Het zip-bestand bevat geen shapefile '{layer}'. Wel: {}.",
                        names(many)
                    ))
                })?,
        ),
        (many, None) => {
            return Err(GeoReport::file(format!(
                "Het zip-bestand bevat meer dan één shapefile ({}): kies welke u wilt inlezen.",
                names(many)
            )))
        }
    };

    let mut budget = Budget {
        left: limits.max_zip_total_bytes,
        limits,
    };
    let Some(stem) = chosen else {
        let geojson: Vec<&Entry> = stems
            .values()
            .flat_map(|e| e.get("geojson").or_else(|| e.get("json")))
            .collect();
        return match geojson.as_slice() {
            [one] => {
                let bytes = budget.read(&mut archive, one)?;
                read_geojson(&bytes, options)
            }
            [] => Err(GeoReport::file(
                "Het zip-bestand bevat geen shapefile (.shp) en geen GeoJSON-bestand.",
            )),
            _ => Err(GeoReport::file(
                "Het zip-bestand bevat meer dan één GeoJSON-bestand: laad er één tegelijk op.",
            )),
        };
    };
    let entries = stems.get(&stem).ok_or_else(unreadable)?;
    let Some(dbf_entry) = entries.get("dbf") else {
        return Err(GeoReport::file(format!(
            "Bij {stem}.shp ontbreekt het .dbf-bestand met de eigenschappen."
        )));
    };
    let shp = match entries.get("shp") {
        Some(e) => budget.read(&mut archive, e)?,
        None => return Err(unreadable()),
    };
    let dbf = budget.read(&mut archive, dbf_entry)?;
    let prj = entries
        .get("prj")
        .map(|e| budget.read(&mut archive, e))
        .transpose()?;
    let cpg = entries
        .get("cpg")
        .map(|e| budget.read(&mut archive, e))
        .transpose()?;
    read_shapefile(
        &ShapefileParts {
            shp: &shp,
            dbf: &dbf,
            prj: prj.as_deref(),
            cpg: cpg.as_deref(),
        },
        options,
    )
}

/// What may still be unpacked; the declared sizes of a zip can lie, so the bytes actually
/// read are counted too.
struct Budget<'a> {
    left: u64,
    limits: &'a Limits,
}

impl Budget<'_> {
    fn read(
        &mut self,
        archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
        entry: &Entry,
    ) -> Result<Vec<u8>, GeoReport> {
        let file = archive.by_index(entry.index).map_err(|e| {
            GeoReport::file(format!(
                "{} kan niet uit het zip-bestand gehaald worden: {e}.",
                entry.path
            ))
        })?;
        let packed = file.compressed_size().max(1);
        let by_ratio = packed
            .saturating_mul(self.limits.max_zip_ratio)
            .max(RATIO_FROM_BYTES);
        let allowed = self
            .left
            .min(by_ratio)
            .min(u64::try_from(self.limits.max_file_bytes).unwrap_or(u64::MAX));
        let mut bytes = Vec::new();
        file.take(allowed.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| {
                GeoReport::file(format!("{} kan niet uitgepakt worden: {e}.", entry.path))
            })?;
        let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if read > allowed {
            return Err(bomb(self.limits));
        }
        self.left = self.left.saturating_sub(read);
        Ok(bytes)
    }
}

fn bomb(limits: &Limits) -> GeoReport {
    GeoReport::file(format!(
        "Het zip-bestand pakt uit tot meer dan {} MB of is ongewoon sterk samengeperst (een zip-bom?): niet ingelezen.",
        limits.max_zip_total_bytes / (1024 * 1024)
    ))
}

fn base_name(stem: &str) -> &str {
    stem.rsplit('/').next().unwrap_or(stem)
}

fn names(stems: &[&String]) -> String {
    stems
        .iter()
        .map(|s| format!("{}.shp", base_name(s)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The number of entries the zip's end record declares, read before the directory so that a
/// zip claiming millions of entries is refused without reading them.
fn end_record_entries(bytes: &[u8]) -> Option<usize> {
    const SIGNATURE: &[u8] = b"PK\x05\x06";
    let tail = bytes.get(bytes.len().saturating_sub(22 + 65_535)..)?;
    let at = tail
        .windows(4)
        .rposition(|w| w == SIGNATURE)
        .filter(|at| at + 22 <= tail.len())?;
    let count = tail.get(at + 10..at + 12)?;
    let entries = usize::from(u16::from_le_bytes([*count.first()?, *count.get(1)?]));
    // 0xFFFF points to a zip64 record: far beyond a shapefile, so refused as too many.
    Some(if entries == 0xFFFF {
        usize::MAX
    } else {
        entries
    })
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::super::projection::Projection;
    use super::super::shapefile_file::tests::{write_shapefile, LAMBERT72_PRJ};
    use super::*;

    fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in files {
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_zipped_shapefile_is_read() {
        let (shp, dbf) = write_shapefile(&[("11002A00-", "Centrum", 152_000.0, 212_000.0)]);
        let bytes = zip(&[
            ("sectoren/sh_statbel.shp", &shp),
            ("sectoren/sh_statbel.dbf", &dbf),
            ("sectoren/sh_statbel.prj", LAMBERT72_PRJ.as_bytes()),
            ("sectoren/sh_statbel.cpg", b"UTF-8"),
            ("leesmij.txt", b"x"),
        ]);
        let file = read_upload("sectoren.zip", &bytes, &ReadOptions::new("CD_SECTOR")).unwrap();
        assert_eq!(file.source_projection, Projection::Lambert72);
        assert_eq!(file.features[0].code, "11002A00-");
    }

    #[test]
    fn a_zipped_geojson_in_lambert_2008_is_read() {
        let text = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3812"}},
            "features":[{"type":"Feature","properties":{"CD_MUNTY_REFNIS":71072},
            "geometry":{"type":"Polygon","coordinates":[[[700000,670000],[702000,670000],[702000,672000],[700000,670000]]]}}]}"#;
        let bytes = zip(&[("gemeenten.geojson", text.as_bytes())]);
        let file = read_upload(
            "gemeenten.zip",
            &bytes,
            &ReadOptions::new("CD_MUNTY_REFNIS"),
        )
        .unwrap();
        assert_eq!(file.source_projection, Projection::Lambert2008);
        assert_eq!(file.features[0].code, "71072");
        let c = file.features[0].geometry.0[0].exterior().0[0];
        // 50 km east and 5 km north of the projection's origin (4.36 E, 50.80 N).
        assert!(
            (c.x - 5.07).abs() < 0.05 && (c.y - 50.84).abs() < 0.05,
            "{c:?}"
        );
    }

    #[test]
    fn several_shapefiles_need_a_layer_and_a_dbf() {
        let (shp, dbf) = write_shapefile(&[("A", "a", 152_000.0, 212_000.0)]);
        let bytes = zip(&[
            ("a.shp", &shp),
            ("a.dbf", &dbf),
            ("a.prj", LAMBERT72_PRJ.as_bytes()),
            ("b.shp", &shp),
        ]);
        let report = read_zip(&bytes, &ReadOptions::new("CD_SECTOR")).unwrap_err();
        assert!(report.to_string().contains("a.shp, b.shp"), "{report}");
        let mut options = ReadOptions::new("CD_SECTOR");
        options.layer = Some("A".into());
        assert_eq!(read_zip(&bytes, &options).unwrap().features.len(), 1);
        options.layer = Some("b".into());
        assert!(read_zip(&bytes, &options)
            .unwrap_err()
            .to_string()
            .contains("ontbreekt het .dbf"));
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        // 64 MiB of zeros packs to a few dozen kB: a ratio in the thousands.
        let zeros = vec![0u8; 64 * 1024 * 1024];
        let bytes = zip(&[("bom.shp", &zeros), ("bom.dbf", b"")]);
        assert!(bytes.len() < 1024 * 1024);
        let report = read_zip(&bytes, &ReadOptions::new("c")).unwrap_err();
        assert!(report.to_string().contains("zip-bom"), "{report}");
        // Within the ratio but over the total.
        let mut options = ReadOptions::new("c");
        options.limits.max_zip_ratio = 100_000;
        options.limits.max_zip_total_bytes = 10 * 1024 * 1024;
        assert!(read_zip(&bytes, &options)
            .unwrap_err()
            .to_string()
            .contains("zip-bom"));
    }

    #[test]
    fn too_many_entries_and_garbage_are_refused() {
        let files: Vec<(String, Vec<u8>)> =
            (0..6).map(|i| (format!("f{i}.txt"), vec![b'x'])).collect();
        let refs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        let mut options = ReadOptions::new("c");
        options.limits.max_zip_entries = 5;
        assert!(read_zip(&zip(&refs), &options)
            .unwrap_err()
            .to_string()
            .contains("meer dan 5 bestanden"));
        assert!(read_zip(b"PK\x03\x04 garbage", &options)
            .unwrap_err()
            .to_string()
            .contains("kan niet gelezen"));
        assert!(read_zip(&zip(&refs[..2]), &ReadOptions::new("c"))
            .unwrap_err()
            .to_string()
            .contains("geen shapefile"));
        assert!(read_upload("kaart.shp", b"", &options)
            .unwrap_err()
            .to_string()
            .contains("zip-bestand"));
        assert!(read_upload("kaart.pdf", b"%PDF", &options).is_err());
    }
}
