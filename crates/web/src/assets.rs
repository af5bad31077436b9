//! Static assets embedded in the binary: no front-end build step, nothing to deploy beside it.
//!
//! Pages link to assets through [`url`], which puts a hash of the content in the file name
//! (`/static/steden.3f2a….css`). A request for the current hash is cached for a year
//! (`immutable`): a new release changes the hash, hence the URL, so a browser never keeps a
//! stale file. The name goes in the path rather than in a query string (`?v=…`) because some
//! proxies and CDNs do not cache URLs with a query. A request without a hash or with an old
//! one (a page cached before a release) still gets the current file, with `no-cache`
//! (revalidate every time, answered `304` when the browser's copy is current).

use std::borrow::Cow;
use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{header, HeaderMap, StatusCode};
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
    // steden.css's @font-face names them as /static/<name>; [`BODIES`] gives them their hashed
    // name there, and base.html preloads that same URL through `ctx.asset`.
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

fn content_hash(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))[..HASH_LEN].to_string()
}

/// What is served for each asset: the embedded file, except that a stylesheet's references to
/// other assets (`url("/static/<name>")`, the fonts) get those assets' hashed names, so that
/// they too are cached as immutable and change URL when they change. A stylesheet cannot call
/// [`url`]; this is its build step, done once at start.
static BODIES: LazyLock<Vec<Cow<'static, [u8]>>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|asset| {
            if !asset.name.ends_with(".css") {
                return Cow::Borrowed(asset.body);
            }
            let mut css = String::from_utf8_lossy(asset.body).into_owned();
            for other in ASSETS.iter().filter(|other| !other.name.ends_with(".css")) {
                if let Some((stem, ext)) = other.name.rsplit_once('.') {
                    let hashed = format!("/static/{stem}.{}.{ext}", content_hash(other.body));
                    css = css.replace(
                        &format!("\"/static/{}\"", other.name),
                        &format!("\"{hashed}\""),
                    );
                }
            }
            Cow::Owned(css.into_bytes())
        })
        .collect()
});

/// The content hash of each asset as served (first 12 hex digits of SHA-256), computed once.
static VERSIONS: LazyLock<Vec<String>> =
    LazyLock::new(|| BODIES.iter().map(|body| content_hash(body)).collect());

fn find(name: &str) -> Option<(&'static Asset, &'static str)> {
    ASSETS
        .iter()
        .zip(VERSIONS.iter())
        .find(|(asset, _)| asset.name == name)
        .map(|(asset, version)| (asset, version.as_str()))
}

/// The body served for an asset of [`ASSETS`].
fn body_of(asset: &Asset) -> &'static [u8] {
    ASSETS
        .iter()
        .position(|candidate| candidate.name == asset.name)
        .map(|index| BODIES[index].as_ref())
        .unwrap_or(asset.body)
}

/// How many hex digits of the SHA-256 name a version.
const HASH_LEN: usize = 12;

/// The URL of an embedded asset, with its content hash in the file name, before the last
/// extension: `steden.css` → `/static/steden.3f2a9c01b7de.css`.
pub fn url(name: &str) -> String {
    match (find(name), name.rsplit_once('.')) {
        (Some((_, version)), Some((stem, ext))) => format!("/static/{stem}.{version}.{ext}"),
        _ => format!("/static/{name}"),
    }
}

/// The asset a requested file name refers to, and whether the name carries the current hash.
/// `steden.css` and `steden.<any 12 hex digits>.css` both name `steden.css`.
fn resolve(requested: &str) -> Option<(&'static Asset, &'static str, bool)> {
    if let Some((asset, version)) = find(requested) {
        return Some((asset, version, false));
    }
    let (stem, ext) = requested.rsplit_once('.')?;
    let (base, hash) = stem.rsplit_once('.')?;
    if hash.len() != HASH_LEN || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let (asset, version) = find(&format!("{base}.{ext}"))?;
    Some((asset, version, hash == version))
}

/// The URL of an icon in the sprite, for `<use href="…">`.
pub fn icon(id: &str) -> String {
    format!("{}#{id}", url("icons.svg"))
}

/// What a page needs for htmx: its configuration, htmx itself and `steden.js` (focus and
/// announcements after swaps, which serves htmx only). base.html writes it into every page's
/// head and [`crate::page::finish`] takes it out again from a page that makes no htmx request,
/// so that no handler or template has to remember either.
pub fn htmx_tags() -> &'static str {
    static TAGS: LazyLock<String> = LazyLock::new(|| {
        format!(
            "<meta name=\"htmx-config\" content='{{\"includeIndicatorStyles\":false}}'>\n  \
             <script src=\"{}\" defer></script>\n  <script src=\"{}\" defer></script>",
            url("htmx.min.js"),
            url("steden.js")
        )
    });
    TAGS.as_str()
}

/// The attributes with which an element makes an htmx request. `hx-headers`, `hx-target` and
/// the like only shape a request and make none by themselves.
const HTMX_REQUESTS: &[&str] = &[
    " hx-get=",
    " hx-post=",
    " hx-put=",
    " hx-patch=",
    " hx-delete=",
    " hx-boost=",
];

/// Whether an HTML page has an element that makes an htmx request. Text cannot give a false
/// positive: askama escapes `"` and `'` in values, and an attribute needs a `=` right after
/// its name.
pub fn uses_htmx(html: &str) -> bool {
    HTMX_REQUESTS
        .iter()
        .any(|attribute| html.contains(attribute))
}

/// Whether a page loads htmx.
pub fn loads_htmx(html: &str) -> bool {
    html.contains(&url("htmx.min.js"))
}

async fn serve(Path(name): Path<String>, headers: HeaderMap) -> Response {
    let Some((asset, version, current)) = resolve(&name) else {
        return crate::AppError::NotFound.into_response();
    };
    let cache = if current {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let etag = format!("\"{version}\"");
    let revalidated = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    let headers = [
        (header::CONTENT_TYPE, asset.content_type.to_string()),
        (header::CACHE_CONTROL, cache.to_string()),
        (header::ETAG, etag),
    ];
    if revalidated {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (StatusCode::OK, headers, body_of(asset)).into_response()
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/static/{name}", get(serve))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_carry_the_content_hash_in_the_file_name() {
        let css = url("steden.css");
        let hash = &css["/static/steden.".len()..css.len() - ".css".len()];
        assert!(
            css.starts_with("/static/steden.") && css.ends_with(".css"),
            "{css}"
        );
        assert_eq!(hash.len(), HASH_LEN);
        assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()), "{css}");
        let js = url("htmx.min.js");
        assert!(
            js.starts_with("/static/htmx.min.") && js.ends_with(".js"),
            "{js}"
        );
        assert_ne!(&js["/static/htmx.min.".len()..js.len() - 3], hash);
    }

    #[test]
    fn the_stylesheet_names_the_fonts_by_their_hashed_urls() {
        let (css, _, _) = resolve("steden.css").unwrap();
        let served = String::from_utf8(body_of(css).to_vec()).unwrap();
        let font = url("source-sans-3-latin-wght-normal.woff2");
        assert!(
            served.contains(&format!("url(\"{font}\")")),
            "{font} not in the CSS"
        );
        assert!(!served.contains("url(\"/static/source-sans-3-latin-wght-normal.woff2\")"));
        let (_, _, current) = resolve(font.trim_start_matches("/static/")).unwrap();
        assert!(
            current,
            "{font} is the current version, cached as immutable"
        );
        // The stylesheet's own hash is that of what is served, so a new font renames it too.
        assert!(url("steden.css").contains(&content_hash(body_of(css))));
    }

    #[test]
    fn hashed_unhashed_and_old_names_resolve_to_the_asset() {
        let current = url("steden.css").trim_start_matches("/static/").to_string();
        let (asset, _, fresh) = resolve(&current).unwrap();
        assert_eq!((asset.name, fresh), ("steden.css", true));
        let (asset, _, fresh) = resolve("steden.css").unwrap();
        assert_eq!((asset.name, fresh), ("steden.css", false));
        let (asset, _, fresh) = resolve("steden.0123456789ab.css").unwrap();
        assert_eq!((asset.name, fresh), ("steden.css", false));
        let (asset, _, _) = resolve("htmx.min.0123456789ab.js").unwrap();
        assert_eq!(asset.name, "htmx.min.js");
        assert!(resolve("steden.nothex123456.css").is_none());
        assert!(resolve("steden.0123.css").is_none());
        assert!(resolve("bestaat-niet.0123456789ab.css").is_none());
    }
}
