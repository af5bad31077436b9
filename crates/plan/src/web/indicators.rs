//! (Being written.)

use axum::Router;
use steden_core::policy::Actor;
use steden_web::page::PageContext;
use steden_web::{AppError, AppState};

use crate::model::{Item, Plan};

pub fn routes() -> Router<AppState> {
    Router::new()
}

/// This capability's section of the item page (a `<section>` with an `<h2>`), or nothing.
pub async fn item_panel(
    ctx: &PageContext,
    actor: &Actor,
    plan: &Plan,
    item: &Item,
) -> Result<String, AppError> {
    let _ = (ctx, actor, plan, item);
    Ok(String::new())
}
