//! Open data (issue 15, point 9): the writers of a table in every published format, pure logic
//! over a [`Cube`] that the store fills from the database.
//!
//! - [`jsonstat`]: JSON-stat 2.0;
//! - [`sdmx`]: SDMX-CSV 2.0;
//! - [`download`]: CSV (through the shell's `CsvWriter`) and XLSX for people;
//! - [`swing`]: Swing's bulk format (data and metadata file);
//! - [`odata`]: the OData-like read of the same shape as Swing's Open Data Service;
//! - [`dcat`]: the DCAT-AP Vlaanderen catalogue as JSON-LD.
//!
//! Disclosure control holds by construction: [`Cube::set`] drops the number of a suppressed
//! value, and every writer reads numbers only through [`cube::Cell::published`], so a
//! suppressed cell is written as no number and flagged confidential in every format.

pub mod cube;
pub mod dcat;
pub mod download;
pub mod jsonstat;
pub mod odata;
pub mod sdmx;
pub mod swing;
pub mod swing_bundle;

pub use cube::{CellStatus, Cube, CubeError, CubeGeo, CubeIndicator, CubeMeta, CubePeriod};
