//! Static assets embedded in the binary: no front-end build step, nothing to deploy beside it.

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::app::AppState;

const CSS: &str = include_str!("../assets/steden.css");

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/static/steden.css",
        get(|| async {
            ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS).into_response()
        }),
    )
}
