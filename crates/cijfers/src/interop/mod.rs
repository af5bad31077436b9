//! Interoperability of the published figures (issue 15, point 9), on top of the pure writers
//! of [`crate::opendata`]:
//!
//! - [`origins`]: which sites may frame the embeddable charts and tables (validation of an
//!   origin, and the `frame-ancestors` of an embed's Content-Security-Policy);
//! - [`catalog`]: the DCAT-AP Vlaanderen catalogue of the published indicators, with a
//!   distribution per download format;
//! - [`odata_query`]: the `$filter` / `$select` subset of the OData-like read.

pub mod catalog;
pub mod odata_query;
pub mod origins;
