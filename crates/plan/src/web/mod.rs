//! The plan module's pages. Every handler loads what it shows through [`load`], which checks
//! the policy first; forms post with the shell's CSRF token and answer with the form again
//! (errors beside the fields, input kept) or a redirect with a flash message.
//!
//! The item page gathers the panels that each capability renders for an item
//! (`item_panel` in [`indicators`], [`kwesties`], [`projects`], [`finance`]).

pub mod dashboard;
pub mod export;
pub mod finance;
pub mod import;
pub mod import_archive;
mod import_form;
mod import_mapping;
pub mod indicator_sources;
pub mod indicators;
pub mod item;
pub mod kwesties;
pub mod load;
pub mod mine;
pub mod plans;
pub mod projects;
pub mod public;
pub mod releases;
pub mod rounds;
pub mod search;
pub mod tree;

use axum::Router;
use steden_web::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(plans::routes())
        .merge(tree::routes())
        .merge(item::routes())
        .merge(dashboard::routes())
        .merge(mine::routes())
        .merge(indicators::routes())
        .merge(indicator_sources::routes())
        .merge(rounds::routes())
        .merge(kwesties::routes())
        .merge(projects::routes())
        .merge(releases::routes())
        .merge(public::routes())
        .merge(export::routes())
        .merge(import::routes())
        .merge(import_archive::routes())
        .merge(finance::routes())
        .merge(search::routes())
}
