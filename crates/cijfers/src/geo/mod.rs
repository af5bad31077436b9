//! Geography (issue 15, points 2, 4 and 11): reading area geometry from GeoJSON and zipped
//! shapefiles in Lambert 72, Lambert 2008 or WGS84; validating it (a whole file refused with
//! a Dutch report per feature, nothing accepted half); reprojecting it to WGS84; simplifying
//! it for display and storing it as compact GeoJSON text; and drawing choropleth maps as SVG.
//! Pure logic: the store keeps what [`to_geojson_text`] writes and hands it back to
//! [`parse_geojson_text`] for [`render_choropleth`].
//!
//! The usual flow for an upload:
//! ```ignore
//! let file = geo::read_upload("sectoren.zip", &bytes, &geo::ReadOptions::new("CD_SECTOR"))?;
//! for feature in &file.features {
//!     let text = geo::display_geojson(&feature.geometry, geo::DEFAULT_TOLERANCE_M);
//!     // store feature.code, feature.name and text
//! }
//! ```

mod classes;
mod geojson_file;
mod projection;
mod shapefile_file;
mod simplify;
mod svg_map;
mod types;
mod upload;
mod validate;

pub use classes::{
    class_breaks, class_label, class_of, format_number, Class, ClassMethod, DEFAULT_RAMP,
};
pub use geojson_file::read_geojson;
pub use projection::{Projection, Reprojector};
pub use shapefile_file::{read_shapefile, ShapefileParts};
pub use simplify::{
    parse_geojson_text, simplify_for_display, to_geojson_text, vertex_count, DEFAULT_TOLERANCE_M,
};
pub use svg_map::{escape, render_choropleth, ChoroplethOptions, MapArea};
pub use types::{GeoFeature, GeoFile, GeoProblem, GeoReport, Limits, ReadOptions};
pub use upload::{read_upload, read_zip};
pub use validate::check_geometry;

/// A geometry as it is stored for display: simplified with `tolerance_m` metres and written
/// as compact GeoJSON text.
pub fn display_geojson(geometry: &geo::MultiPolygon<f64>, tolerance_m: f64) -> String {
    to_geojson_text(&simplify_for_display(geometry, tolerance_m))
}

#[cfg(test)]
mod tests;
