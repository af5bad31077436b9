//! Where the files of an import come from: a folder (the command line) or a zip (the command
//! line and the web), or nothing (a CSV of links only). Both are read as hostile input:
//!
//! - a path (a CSV's `bestand`, a zip entry's name) is relative, with `/` between parts, and
//!   never has a `..` part, a drive letter or a NUL; in a folder it must also stay inside the
//!   folder once symbolic links are resolved;
//! - a zip's end record is checked before its directory is read (at most `max_entries` files,
//!   a directory of at most `max_directory_bytes`), so a zip that claims millions of entries is
//!   refused after reading 22 bytes;
//! - a file is read through a counter that stops one byte past `max_file_bytes`, so a zip
//!   bomb costs at most that much memory and inflating time, whatever sizes it declares.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use super::limits::{BulkError, Limits};

/// The CSV a folder or zip may carry at its root, used when no CSV is given separately.
pub const METADATA_CSV: &str = "metadata.csv";

/// A checked relative path: parts joined by `/`, or the Dutch reason it is refused.
pub fn safe_path(raw: &str) -> Result<String, String> {
    let unsafe_path = || Err(format!("Onveilige bestandsnaam ‘{raw}’: geweigerd."));
    let path = raw.trim().replace('\\', "/");
    if path.is_empty() {
        return Err("Geen bestandsnaam.".to_string());
    }
    if path.starts_with('/')
        || path.contains('\0')
        || path.as_bytes().get(1) == Some(&b':')
        || path.chars().any(char::is_control)
    {
        return unsafe_path();
    }
    let mut parts = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => return unsafe_path(),
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        return unsafe_path();
    }
    Ok(parts.join("/"))
}

/// Reads at most `limit` bytes from `reader`; more is refused as a (possible) zip bomb.
fn read_bounded(reader: impl Read, limit: usize) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            // The zip reader stops an entry that inflates past its declared size itself.
            if e.to_string().contains("larger than its declared") {
                "Het bestand pakt uit tot meer dan de zip opgeeft (een zip-bom?): geweigerd."
                    .to_string()
            } else {
                "Het bestand is onleesbaar of beschadigd.".to_string()
            }
        })?;
    if bytes.len() > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

fn too_large(limit: usize) -> String {
    format!(
        "Het bestand is (uitgepakt) groter dan {} MB; geweigerd.",
        limit / (1024 * 1024)
    )
}

/// The files of an import.
pub enum Source {
    /// No files: every line must be a link (`webadres`).
    Nothing,
    Folder(Folder),
    Zip(Box<ZipSource>),
}

pub struct Folder {
    /// Canonical, so that "inside the folder" can be checked after resolving links.
    root: PathBuf,
}

pub struct ZipSource {
    archive: zip::ZipArchive<Cursor<Vec<u8>>>,
    /// Safe names of the file entries, in archive order.
    files: Vec<String>,
    /// Entries refused by name or kind, with the reason.
    refused: Vec<(String, String)>,
}

impl Source {
    /// A folder on this machine.
    pub fn folder(path: &Path) -> Result<Source, BulkError> {
        let root = path.canonicalize().map_err(|e| {
            BulkError::new(format!("De map {} is niet leesbaar: {e}.", path.display()))
        })?;
        if !root.is_dir() {
            return Err(BulkError::new(format!("{} is geen map.", path.display())));
        }
        Ok(Source::Folder(Folder { root }))
    }

    /// A zip archive, checked before its directory is read.
    pub fn zip(bytes: Vec<u8>, limits: &Limits) -> Result<Source, BulkError> {
        check_end_record(&bytes, limits)?;
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            BulkError::new(format!(
                "Het zip-bestand is onleesbaar of beschadigd ({e})."
            ))
        })?;
        let mut files = Vec::new();
        let mut refused = Vec::new();
        for index in 0..archive.len() {
            let entry = archive.by_index_raw(index).map_err(|e| {
                BulkError::new(format!(
                    "Het zip-bestand is onleesbaar of beschadigd ({e})."
                ))
            })?;
            let raw = entry.name().map(|n| n.to_string()).unwrap_or_default();
            if entry.is_dir() {
                continue;
            }
            let name = match safe_path(&raw) {
                Ok(name) => name,
                Err(reason) => {
                    refused.push((raw, reason));
                    continue;
                }
            };
            if entry.is_symlink() {
                refused.push((name, "Een koppeling (symlink) in de zip: geweigerd.".into()));
                continue;
            }
            if entry.encrypted() {
                refused.push((name, "Het bestand is versleuteld: geweigerd.".into()));
                continue;
            }
            if files.contains(&name) {
                refused.push((name, "Deze naam staat twee keer in de zip.".into()));
                continue;
            }
            files.push(name);
        }
        if files.len() + refused.len() > limits.max_entries {
            return Err(too_many(limits));
        }
        Ok(Source::Zip(Box::new(ZipSource {
            archive,
            files,
            refused,
        })))
    }

    /// The files, as safe relative paths (sorted for a folder, in archive order for a zip),
    /// without the metadata CSV and hidden files.
    pub fn files(&self, limits: &Limits) -> Result<Vec<String>, BulkError> {
        let mut files = match self {
            Source::Nothing => Vec::new(),
            Source::Zip(zip) => zip.files.clone(),
            Source::Folder(folder) => folder.list(limits)?,
        };
        files.retain(|f| {
            !f.eq_ignore_ascii_case(METADATA_CSV)
                && !f
                    .split('/')
                    .any(|part| part.starts_with('.') || part == "__MACOSX")
        });
        Ok(files)
    }

    /// Zip entries refused by their name or kind (traversal, links, encryption), with reasons.
    pub fn refused(&self) -> Vec<(String, String)> {
        match self {
            Source::Zip(zip) => zip.refused.clone(),
            _ => Vec::new(),
        }
    }

    /// The metadata CSV at the root, if there is one.
    pub fn metadata_csv(&mut self, limits: &Limits) -> Result<Option<Vec<u8>>, BulkError> {
        let present = match self {
            Source::Nothing => false,
            Source::Zip(zip) => zip.files.iter().any(|f| f == METADATA_CSV),
            Source::Folder(folder) => folder.root.join(METADATA_CSV).is_file(),
        };
        if !present {
            return Ok(None);
        }
        self.read_limited(METADATA_CSV, limits.max_csv_bytes)
            .map(Some)
            .map_err(|reason| BulkError::new(format!("{METADATA_CSV}: {reason}")))
    }

    /// The bytes of the file at `path` (as the CSV names it), or the Dutch reason why not.
    pub fn read(&mut self, path: &str, limits: &Limits) -> Result<Vec<u8>, String> {
        self.read_limited(path, limits.max_file_bytes)
    }

    fn read_limited(&mut self, path: &str, limit: usize) -> Result<Vec<u8>, String> {
        let path = safe_path(path)?;
        match self {
            Source::Nothing => Err(format!(
                "Geen zip of map met bestanden opgegeven voor ‘{path}’."
            )),
            Source::Folder(folder) => folder.read(&path, limit),
            Source::Zip(zip) => zip.read(&path, limit),
        }
    }
}

fn too_many(limits: &Limits) -> BulkError {
    BulkError::new(format!(
        "Er zitten meer dan {} bestanden in; splits het op (of verhoog de grens op de opdrachtregel).",
        limits.max_entries
    ))
}

/// Checks a zip's end-of-central-directory record (at most 22 bytes plus a comment of at most
/// 64 kB from the end) before anything else is read.
fn check_end_record(bytes: &[u8], limits: &Limits) -> Result<(), BulkError> {
    const SIGNATURE: &[u8] = b"PK\x05\x06";
    let not_zip = || BulkError::new("Dit is geen zip-bestand (of het is beschadigd).");
    let from = bytes.len().saturating_sub(22 + 65_535);
    let tail = &bytes[from..];
    let at = tail
        .windows(4)
        .rposition(|w| w == SIGNATURE)
        .filter(|at| at + 22 <= tail.len())
        .ok_or_else(not_zip)?;
    let record = &tail[at..at + 22];
    let entries = u16::from_le_bytes([record[10], record[11]]) as usize;
    let directory = u32::from_le_bytes([record[12], record[13], record[14], record[15]]) as usize;
    // 0xFFFF and 0xFFFFFFFF point to a zip64 record: only needed for more than 65,535 entries
    // or 4 GB, far beyond the limits, so refused as such. Directory entries count too, so the
    // bound on records is twice the file limit.
    if entries == 0xFFFF || entries > limits.max_entries.saturating_mul(2) + 16 {
        return Err(too_many(limits));
    }
    if directory > limits.max_directory_bytes {
        return Err(BulkError::new(
            "De inhoudstabel van het zip-bestand is te groot; geweigerd.",
        ));
    }
    Ok(())
}

impl Folder {
    fn list(&self, limits: &Limits) -> Result<Vec<String>, BulkError> {
        let mut files = Vec::new();
        let mut pending = vec![(self.root.clone(), String::new())];
        while let Some((dir, prefix)) = pending.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| {
                BulkError::new(format!("De map {} is niet leesbaar: {e}.", dir.display()))
            })?;
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().to_string();
                if name.starts_with('.') {
                    continue;
                }
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                let relative = if prefix.is_empty() {
                    name
                } else {
                    format!("{prefix}/{name}")
                };
                // Directories are walked without following links; a linked file is listed
                // and checked to stay inside the folder when it is read.
                if kind.is_dir() {
                    pending.push((entry.path(), relative));
                } else {
                    files.push(relative);
                    if files.len() > limits.max_entries {
                        return Err(too_many(limits));
                    }
                }
            }
        }
        files.sort();
        Ok(files)
    }

    fn read(&self, path: &str, limit: usize) -> Result<Vec<u8>, String> {
        let full = self.root.join(path);
        let real = full
            .canonicalize()
            .map_err(|_| format!("Het bestand ‘{path}’ bestaat niet in de map."))?;
        if !real.starts_with(&self.root) {
            return Err(format!(
                "Het bestand ‘{path}’ verwijst naar buiten de map: geweigerd."
            ));
        }
        let file = std::fs::File::open(&real)
            .map_err(|e| format!("Het bestand ‘{path}’ is niet leesbaar: {e}."))?;
        let meta = file
            .metadata()
            .map_err(|e| format!("Het bestand ‘{path}’ is niet leesbaar: {e}."))?;
        if !meta.is_file() {
            return Err(format!("‘{path}’ is geen bestand."));
        }
        if meta.len() > limit as u64 {
            return Err(too_large(limit));
        }
        read_bounded(file, limit)
    }
}

impl ZipSource {
    fn read(&mut self, path: &str, limit: usize) -> Result<Vec<u8>, String> {
        if let Some((_, reason)) = self.refused.iter().find(|(name, _)| name == path) {
            return Err(reason.clone());
        }
        if !self.files.iter().any(|f| f == path) {
            return Err(format!("Het bestand ‘{path}’ zit niet in de zip."));
        }
        let entry = self
            .archive
            .by_name(path)
            .map_err(|_| format!("Het bestand ‘{path}’ is onleesbaar in de zip (versleuteld of een onbekende compressie)."))?;
        // The declared size is only a first check: the counter below is what holds.
        if entry.size() > limit as u64 {
            return Err(too_large(limit));
        }
        read_bounded(entry, limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        assert_eq!(safe_path("./a\\b.pdf").unwrap(), "a/b.pdf");
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "C:/x",
            "a/..",
            "",
            "a\0b",
        ] {
            assert!(safe_path(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_file_larger_than_the_limit_is_refused_by_bytes_read() {
        assert_eq!(read_bounded(&[1u8; 10][..], 10).unwrap().len(), 10);
        assert!(read_bounded(&[1u8; 11][..], 10)
            .unwrap_err()
            .contains("groter"));
    }

    #[test]
    fn a_zip_claiming_many_entries_is_refused_from_its_end_record() {
        let mut record = b"PK\x05\x06".to_vec();
        record.extend_from_slice(&[0, 0, 0, 0]);
        record.extend_from_slice(&60_000u16.to_le_bytes());
        record.extend_from_slice(&60_000u16.to_le_bytes());
        record.extend_from_slice(&100u32.to_le_bytes());
        record.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        let err = check_end_record(&record, &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("meer dan 100 bestanden"), "{err}");
        assert!(check_end_record(b"not a zip", &Limits::default()).is_err());
    }
}
