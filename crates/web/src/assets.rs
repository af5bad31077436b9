//! Static assets embedded in the binary: no front-end build step, nothing to deploy beside it.
//!
//! Pages link to assets through [`url`], which appends a hash of the content
//! (`/static/steden.css?v=3f2a…`). A request with the current hash is cached for a year
//! (`immutable`): a new release changes the hash, hence the URL, so a browser never keeps a
//! stale file. A request without or with another hash gets `no-cache` (revalidate every time).

use std::sync::LazyLock;

use axum::extract::{Path, Query};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};

use crate::state::AppState;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "steden.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../assets/steden.css"),
    },
    // htmx.org 2.0.11 from the npm registry, unmodified (licence: assets/htmx.LICENSE.txt).
    Asset {
        name: "htmx.min.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/htmx.min.js"),
    },
    // Focus and announcements after htmx swaps (WCAG 2.4.3, 4.1.3); pages work without it.
    Asset {
        name: "steden.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/steden.js"),
    },
    Asset {
        name: "icons.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("../assets/icons.svg"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("../assets/favicon.svg"),
    },
    // Source Sans 3, Latin subset, variable weight (licence and provenance: assets/fonts/OFL.txt).
    // steden.css's @font-face and base.html's preload name them as /static/<name> without the
    // hash: a stylesheet cannot ask `url()` for it, and the preload must be the same URL.
    Asset {
        name: "source-sans-3-latin-wght-normal.woff2",
        content_type: "font/woff2",
        body: include_bytes!("../assets/fonts/source-sans-3-latin-wght-normal.woff2"),
    },
    Asset {
        name: "source-sans-3-latin-wght-italic.woff2",
        content_type: "font/woff2",
        body: include_bytes!("../assets/fonts/source-sans-3-latin-wght-italic.woff2"),
    },
];

/// The content hash of each asset (first 12 hex digits of SHA-256), computed once.
static VERSIONS: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|asset| hex::encode(Sha256::digest(asset.body))[..12].to_string())
        .collect()
});

fn find(name: &str) -> Option<(&'static Asset, &'static str)> {
    ASSETS
        .iter()
        .zip(VERSIONS.iter())
        .find(|(asset, _)| asset.name == name)
        .map(|(asset, version)| (asset, version.as_str()))
}

/// The URL of an embedded asset, with its content hash.
pub fn url(name: &str) -> String {
    match find(name) {
        Some((_, version)) => format!("/static/{name}?v={version}"),
        None => format!("/static/{name}"),
    }
}

/// The URL of an icon in the sprite, for `<use href="…">`.
pub fn icon(id: &str) -> String {
    format!("{}#{id}", url("icons.svg"))
}

impl crate::page::PageContext {
    /// [`url`] for templates: `{{ ctx.asset("steden.css") }}`.
    pub fn asset(&self, name: &str) -> String {
        url(name)
    }

    /// [`icon`] for templates: `<svg class="icon" aria-hidden="true"><use href="{{ ctx.icon("info") }}"></use></svg>`.
    pub fn icon(&self, id: &str) -> String {
        icon(id)
    }
}

#[derive(serde::Deserialize)]
struct VersionQuery {
    v: Option<String>,
}

async fn serve(Path(name): Path<String>, Query(query): Query<VersionQuery>) -> Response {
    let Some((asset, version)) = find(&name) else {
        return crate::AppError::NotFound.into_response();
    };
    let cache = if query.v.as_deref() == Some(version) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, asset.content_type.to_string()),
            (header::CACHE_CONTROL, cache.to_string()),
            (header::ETAG, format!("\"{version}\"")),
        ],
        asset.body,
    )
        .into_response()
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/static/{name}", get(serve))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_carry_the_content_hash() {
        let css = url("steden.css");
        assert!(css.starts_with("/static/steden.css?v="), "{css}");
        assert_eq!(css.len(), "/static/steden.css?v=".len() + 12);
        assert_ne!(
            url("steden.css"),
            url("htmx.min.js").replace("htmx.min.js", "steden.css")
        );
    }
}
