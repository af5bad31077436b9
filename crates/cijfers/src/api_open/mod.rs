//! The API's open-data reads beyond one indicator's files (issue 15, point 9), in the OpenAPI
//! document under the tag `cijfers`:
//!
//! - [`catalog`]: `GET /api/v1/cijfers/catalog`, the DCAT-AP Vlaanderen catalogue (JSON-LD);
//! - [`odata`]: `GET /api/v1/cijfers/odata/…`, the OData-like read in Swing's shape.
//!
//! Public, as the rest of the module's API: what they give is what the public pages give.

pub mod catalog;
pub mod odata;

use steden_web::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    catalog::routes().merge(odata::routes())
}
