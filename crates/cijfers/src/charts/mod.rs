//! Server-rendered SVG charts of Stad in cijfers (issue 15, point 4): no JavaScript, an
//! `<svg role="img">` with `<title>` and `<desc>` (the page shows the same data as a table),
//! Dutch numbers, a marker shape and dash pattern per series so that colour never carries the
//! meaning alone, and a gap where a value is missing or suppressed.
//!
//! - [`line`]: a time series of one or more places;
//! - [`bar`]: a horizontal ranking (the 14 cities) with a reference line;
//! - [`from_cube`]: both made from an open-data `Cube`, reading numbers the way the downloads
//!   do (never a suppressed one).
//!
//! The ideas follow the plan module's indicator charts (crates/plan/src/indicators/chart.rs);
//! nothing is imported from there. CSS classes start with `cj-`.

pub mod bar;
pub mod draw;
pub mod from_cube;
pub mod line;
