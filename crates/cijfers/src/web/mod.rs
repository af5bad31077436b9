//! The module's pages: the public figures ([`public`]), and the data team's indicators
//! ([`admin`]) and imports ([`imports`]), and an indicator's downloads ([`downloads`]).

pub mod admin;
// cj-climate2:
pub mod climate;
pub mod climate_admin;
// cj-link:
pub mod data_requests;
pub mod downloads;
pub mod embed;
pub mod embed_origins;
pub mod gate;
pub mod geometry;
pub mod imports;
pub mod maps;
pub mod open_data;
pub mod public;
pub mod sheets;
pub mod themes;

use axum::Router;
use steden_core::policy::Actor;
use steden_web::page::PageContext;
use steden_web::AppState;

pub fn routes() -> Router<AppState> {
    public::routes()
        .merge(admin::routes())
        .merge(imports::routes())
        .merge(downloads::routes())
        .merge(embed::routes())
        .merge(embed_origins::routes())
        .merge(open_data::routes())
        .merge(geometry::routes())
        .merge(maps::routes())
        .merge(sheets::routes())
        .merge(themes::routes())
        // cj-link:
        .merge(data_requests::routes())
        // cj-climate2:
        .merge(climate::routes())
        .merge(climate_admin::routes())
}

/// The visitor as the policy sees them.
pub(crate) fn actor(ctx: &PageContext) -> Actor {
    ctx.user
        .as_ref()
        .map(|user| user.actor())
        .unwrap_or(Actor::Anonymous)
}

/// A value as the pages show it: the indicator's decimals, Belgian separators.
pub(crate) fn show_value(value: f64, decimals: i64) -> String {
    let decimals = usize::try_from(decimals.clamp(0, 6)).unwrap_or(0);
    steden_core::time::format_decimal(value, decimals)
}
