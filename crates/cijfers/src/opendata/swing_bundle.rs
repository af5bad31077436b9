//! The Swing export as one download: a zip with the data file and the metadata file of
//! [`super::swing`], named after the table, so that a city's data team uploads both to Swing
//! (or to this platform's own Swing importer) as they are.

use std::io::Write;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::cube::Cube;
use super::download::file_name;
use super::swing;

/// The content type of the download.
pub const CONTENT_TYPE: &str = "application/zip";

/// The names of the two files in the zip: data, then metadata.
pub fn member_names(cube: &Cube) -> (String, String) {
    let stem = file_name(cube, "");
    let stem = stem.trim_end_matches('.');
    (
        format!("{stem}-swing.csv"),
        format!("{stem}-swing-metadata.csv"),
    )
}

/// The zip; an error text when the zip cannot be written (it is built in memory, so only a
/// bug gets here).
pub fn zip(cube: &Cube) -> Result<Vec<u8>, String> {
    let (data_name, meta_name) = member_names(cube);
    let mut writer = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, text) in [
        (data_name, swing::data(cube)),
        (meta_name, swing::metadata(cube)),
    ] {
        writer
            .start_file(name, options)
            .map_err(|e| e.to_string())?;
        writer
            .write_all(text.as_bytes())
            .map_err(|e| e.to_string())?;
    }
    Ok(writer.finish().map_err(|e| e.to_string())?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opendata::cube::sample_cube;
    use std::io::Read;

    #[test]
    fn the_zip_holds_the_data_and_the_metadata_file() {
        let cube = sample_cube();
        let bytes = zip(&cube).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 2);
        let (data_name, meta_name) = member_names(&cube);
        assert_eq!(data_name, "demo-tabel-swing.csv");
        let mut data = String::new();
        archive
            .by_name(&data_name)
            .unwrap()
            .read_to_string(&mut data)
            .unwrap();
        assert_eq!(data, swing::data(&cube));
        let mut meta = String::new();
        archive
            .by_name(&meta_name)
            .unwrap()
            .read_to_string(&mut meta)
            .unwrap();
        assert_eq!(meta, swing::metadata(&cube));
    }
}
