//! The module's pages: the public site, the library and search, collections and the glossary,
//! and the editors' pages. Each file owns one part and its routes.

use axum::Router;
use steden_web::AppState;

pub mod collections;
pub(crate) mod common;
pub mod documents;
pub mod editor;
pub mod glossary;
pub mod import;
pub mod search;
pub mod site;
pub mod stats;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(site::routes())
        .merge(editor::routes())
        .merge(documents::routes())
        .merge(import::routes())
        .merge(search::routes())
        .merge(collections::routes())
        .merge(glossary::routes())
        .merge(stats::routes())
        // Page views of the module's pages, counted without cookies (see stats::count_views).
        .layer(axum::middleware::from_fn(stats::count_views))
}
