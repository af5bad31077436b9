//! The types every part of the geometry reader shares: the options a caller passes, the bounds
//! on what a file may hold, a feature as read, and the report of what was wrong with a file.

use std::fmt;

use geo::MultiPolygon;

use super::projection::Projection;

/// Bounds on what one upload may hold. A file beyond any of them is refused as a whole, so a
/// mistaken or hostile upload cannot exhaust memory or time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Features (areas) in one file. Belgium has about 20,000 statistical sectors.
    pub max_features: usize,
    /// Vertices in one feature, over all its rings.
    pub max_vertices_per_feature: usize,
    /// Vertices in the whole file.
    pub max_vertices_total: usize,
    /// Bytes of one file as read (a GeoJSON file, or each of the .shp and .dbf files).
    pub max_file_bytes: usize,
    /// Entries in an uploaded zip archive.
    pub max_zip_entries: usize,
    /// Bytes of all the zip entries together once unpacked.
    pub max_zip_total_bytes: u64,
    /// Unpacked size against packed size for any entry over 1 MiB unpacked: a zip bomb has
    /// ratios in the thousands, real shapefiles stay far below this.
    pub max_zip_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_features: 25_000,
            max_vertices_per_feature: 250_000,
            max_vertices_total: 10_000_000,
            max_file_bytes: 300 * 1024 * 1024,
            max_zip_entries: 100,
            max_zip_total_bytes: 400 * 1024 * 1024,
            max_zip_ratio: 250,
        }
    }
}

/// What the caller says about a geometry upload.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOptions {
    /// The property that holds each area's code, e.g. `CD_SECTOR`, `CS01012024` or
    /// `CD_MUNTY_REFNIS`. Matched exactly first, then without regard to case.
    pub code_property: String,
    /// The property that holds each area's name, if any (e.g. `TX_SECTOR_DESCR_NL`).
    pub name_property: Option<String>,
    /// The projection the user stated. When the file declares one as well, they must agree.
    pub projection: Option<Projection>,
    /// Which shapefile of a zip holding several (its name without extension).
    pub layer: Option<String>,
    pub limits: Limits,
}

impl ReadOptions {
    /// Options with the given code property, no name, no stated projection and default limits.
    pub fn new(code_property: &str) -> Self {
        ReadOptions {
            code_property: code_property.to_string(),
            name_property: None,
            projection: None,
            layer: None,
            limits: Limits::default(),
        }
    }
}

/// One area read from a file: its code, its name if the file has one, and its polygons in
/// WGS84 (longitude, latitude), validated.
#[derive(Debug, Clone, PartialEq)]
pub struct GeoFeature {
    pub code: String,
    pub name: Option<String>,
    pub geometry: MultiPolygon<f64>,
}

/// A file that was read: its features and the projection it was in.
#[derive(Debug, Clone, PartialEq)]
pub struct GeoFile {
    pub features: Vec<GeoFeature>,
    pub source_projection: Projection,
}

/// One thing wrong with a file, in Dutch. `feature` is the 1-based position of the feature in
/// the file (None for a problem with the file as a whole); `code` its code when it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeoProblem {
    pub feature: Option<usize>,
    pub code: Option<String>,
    pub message: String,
}

impl GeoProblem {
    pub fn file(message: impl Into<String>) -> Self {
        GeoProblem {
            feature: None,
            code: None,
            message: message.into(),
        }
    }

    pub fn feature(number: usize, code: Option<&str>, message: impl Into<String>) -> Self {
        GeoProblem {
            feature: Some(number),
            code: code.map(str::to_string),
            message: message.into(),
        }
    }
}

impl fmt::Display for GeoProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.feature, &self.code) {
            (Some(n), Some(code)) => write!(f, "Object {n} (code {code}): {}", self.message),
            (Some(n), None) => write!(f, "Object {n}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// Why a file was refused: every problem found (up to [`GeoReport::MAX_PROBLEMS`]). Nothing of
/// a refused file is to be stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GeoReport {
    pub problems: Vec<GeoProblem>,
    /// Problems found beyond the ones kept.
    pub more: usize,
}

impl GeoReport {
    /// A report lists at most this many problems; the rest are counted.
    pub const MAX_PROBLEMS: usize = 200;

    pub fn single(problem: GeoProblem) -> Self {
        GeoReport {
            problems: vec![problem],
            more: 0,
        }
    }

    pub fn file(message: impl Into<String>) -> Self {
        Self::single(GeoProblem::file(message))
    }

    pub fn push(&mut self, problem: GeoProblem) {
        if self.problems.len() < Self::MAX_PROBLEMS {
            self.problems.push(problem);
        } else {
            self.more = self.more.saturating_add(1);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.problems.is_empty() && self.more == 0
    }
}

impl fmt::Display for GeoReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Het geometriebestand is geweigerd; er is niets opgeslagen.")?;
        for problem in &self.problems {
            write!(f, "\n- {problem}")?;
        }
        if self.more > 0 {
            write!(f, "\n- en nog {} andere problemen", self.more)?;
        }
        Ok(())
    }
}

impl std::error::Error for GeoReport {}
