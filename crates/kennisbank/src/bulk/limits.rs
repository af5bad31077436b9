//! The limits of a bulk import, and the error that stops one as a whole.

use crate::model::documents::MAX_UPLOAD_BYTES;

/// What an import accepts. Every zip is treated as hostile: entries are counted from the
/// archive's end record before its directory is read, and each file is read through a counter
/// that stops at `max_file_bytes`, whatever size the archive declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Files in a zip or folder (directories not counted).
    pub max_entries: usize,
    /// One file, as uploaded or as unpacked from the zip (the upload limit of a document).
    pub max_file_bytes: usize,
    /// The zip's central directory (its list of entries).
    pub max_directory_bytes: usize,
    /// The CSV of metadata.
    pub max_csv_bytes: usize,
    /// Lines of the CSV.
    pub max_lines: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_entries: 100,
            max_file_bytes: MAX_UPLOAD_BYTES,
            max_directory_bytes: 1024 * 1024,
            max_csv_bytes: 5 * 1024 * 1024,
            max_lines: 5000,
        }
    }
}

/// Why an import could not run at all (its zip or CSV is unusable), in Dutch. Problems of one
/// line are not errors: they are that line's "geweigerd" in the report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BulkError(pub String);

impl BulkError {
    pub fn new(message: impl Into<String>) -> BulkError {
        BulkError(message.into())
    }
}
