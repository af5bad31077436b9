//! The open data beyond one indicator's downloads: the DCAT-AP Vlaanderen catalogue
//! (`/cijfers/catalogus.jsonld`, the same document as the API's `/cijfers/catalog`) and the
//! Swing bulk export of every published indicator of a theme (`/cijfers/download/swing?thema=`).

use axum::extract::Query;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use steden_web::page::PageContext;
use steden_web::{AppError, AppState};

use crate::interop::catalog::catalog_jsonld;
use crate::paths;
use crate::store::cube::{public_cube, MAX_INDICATORS};
use crate::store::indicators;
use crate::web::downloads::{file_response, Format};

/// The content type of the catalogue (JSON is UTF-8 by definition).
pub const JSONLD: &str = "application/ld+json";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::CATALOG, get(catalog))
        .route(paths::THEME_SWING_DOWNLOAD, get(theme_swing))
}

async fn catalog(ctx: PageContext) -> Result<Response, AppError> {
    let state = ctx.state();
    let document = catalog_jsonld(state.db().pool(), &state.config().base_url).await?;
    let bytes = serde_json::to_vec(&document).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [(header::CONTENT_TYPE, HeaderValue::from_static(JSONLD))],
        bytes,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
struct ThemeQuery {
    #[serde(default)]
    thema: String,
}

/// A theme as a file name: lower-case letters and digits (accents dropped), hyphens between.
fn slug(theme: &str) -> String {
    let out = steden_core::slug::slug_words(theme);
    if out.is_empty() {
        "andere".into()
    } else {
        out
    }
}

async fn theme_swing(
    ctx: PageContext,
    Query(query): Query<ThemeQuery>,
) -> Result<Response, AppError> {
    let state = ctx.state();
    let pool = state.db().pool();
    let codes: Vec<String> = indicators::list_published(pool)
        .await?
        .into_iter()
        .filter(|i| i.theme == query.thema)
        .map(|i| i.code)
        .take(MAX_INDICATORS)
        .collect();
    let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
    let mut cube = public_cube(pool, &codes, &state.config().base_url)
        .await?
        .ok_or(AppError::NotFound)?;
    cube.meta.id = format!("thema-{}", slug(&query.thema));
    file_response(&cube, Format::Swing).map_err(AppError::Internal)
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn themes_become_file_names() {
        assert_eq!(slug("Energie en klimaat"), "energie-en-klimaat");
        assert_eq!(slug(" Wonen & bouwen "), "wonen-bouwen");
        assert_eq!(slug(""), "andere");
    }
}
