//! Protection against cross-site request forgery on every page route (not on `/api/v1`, which
//! uses bearer tokens and no cookies).
//!
//! Design (the "signed double-submit cookie"):
//! - a browser gets a random `steden_csrf` cookie (HttpOnly, SameSite=Lax, Secure on https),
//!   issued by [`layer`] with the first page that **writes a token into its HTML** (a form that
//!   posts, or `hx-headers` for htmx on logged-in pages). [`CsrfToken`] notes when a template
//!   writes it out; a page that never does (every public page for a visitor who only reads,
//!   a download, a feed, an asset, a probe, a redirect) sets no cookie at all, so it stays
//!   cacheable and a reader is not given a cookie they do not need. GET forms (search) carry
//!   no token. The login page, the password pages and every logged-in page (its header has the
//!   log-out form) do write one;
//! - the form token is HMAC-SHA256(server secret, cookie value), base64url. An attacker can
//!   neither read the cookie nor compute the token without the secret, and the token needs no
//!   server-side storage, so it works across several server processes;
//! - an unsafe request (POST, PUT, PATCH, DELETE) must carry the token in one of:
//!   - the hidden field `_csrf` of an `application/x-www-form-urlencoded` body
//!     (`<input type="hidden" name="_csrf" value="{{ ctx.csrf_token }}">`),
//!   - the header `X-CSRF-Token` (htmx sends it: `base.html` puts `hx-headers` on `<body>` for a
//!     logged-in user; anonymous pages send no htmx request that changes anything),
//!   - the query parameter `_csrf`. **Multipart forms** (uploads) use this one, because the
//!     middleware does not buffer multipart bodies (they can be large and are limited per route):
//!     `<form method="post" enctype="multipart/form-data" action="/pad?_csrf={{ ctx.csrf_token }}">`.
//!     The token is bound to the browser's cookie, so it leaking into a log is no use to anyone
//!     else; access logs of this server never contain query strings anyway.
//! - besides, an unsafe request whose `Origin` header is present and names neither the origin of
//!   `base_url` nor the host the browser addressed (the `Host` header) is refused, whatever its
//!   token. Accepting the addressed host keeps forms working when the platform is opened under
//!   another name than `base_url` (127.0.0.1 instead of localhost, an internal host name);
//!   a cross-site page still sends its own origin, which matches neither.
//!
//! A refused request gets a Dutch 403 page and never reaches the handler, so nothing changes.
//!
//! **Forms that other sites frame** (the nieuwsbrief's embeddable subscription form) cannot use
//! the cookie: inside a third-party iframe a `SameSite=Lax` cookie is not sent with the POST,
//! and browsers that block third-party cookies would not even keep it. Such a form carries a
//! *signed form token* instead ([`form_token`], field `_csrf_form`): HMAC-SHA256(server secret,
//! `path|expiry`), valid for [`FORM_TOKEN_TTL_MS`] and only for the path it was made for, with
//! no cookie at all. It proves that the form was fetched from this server recently, which is
//! all a cookie-bound token proves for a visitor without a session; it is therefore only for
//! forms whose handler acts on no session (anonymous forms guarded otherwise, like the
//! double opt-in of a subscription). The `Origin` check above still applies.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, COOKIE, ORIGIN, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::state::AppState;

/// Name of the per-browser cookie.
pub const COOKIE_NAME: &str = "steden_csrf";
/// Name of the hidden form field (and of the query parameter for multipart forms).
pub const FIELD_NAME: &str = "_csrf";
/// Name of the request header (htmx, scripts).
pub const HEADER_NAME: &str = "x-csrf-token";
/// Name of the hidden field of a signed form token (forms that other sites frame).
pub const FORM_TOKEN_FIELD: &str = "_csrf_form";
/// How long a signed form token is accepted.
pub const FORM_TOKEN_TTL_MS: i64 = 24 * 60 * 60 * 1000;

/// The most of a urlencoded body the check will read. Forms are small; uploads are multipart.
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

/// The message of the 403 page.
pub const REFUSED_MESSAGE: &str =
    "Het formulier is verlopen of ongeldig. Laad de pagina opnieuw en probeer nog eens.";

/// This browser's cookie value, put in the request extensions by [`layer`], and whether the
/// page wrote the token into its HTML (only then is a new cookie worth setting).
#[derive(Debug, Clone)]
struct CsrfCookie {
    value: String,
    used: Arc<AtomicBool>,
}

/// The token of this request's forms, as `PageContext::csrf_token`. Templates write it with
/// `{{ ctx.csrf_token }}` (its `Display`), and writing it is what tells [`layer`] to issue the
/// cookie the token belongs to. Having one in hand costs nothing: handlers of pages without a
/// form (public pages, downloads, feeds) take a `PageContext` and set no cookie. There is
/// deliberately no `Debug`, which would print the token without noting it.
#[derive(Clone, Default)]
pub struct CsrfToken {
    value: String,
    used: Option<Arc<AtomicBool>>,
}

impl CsrfToken {
    /// The token for use outside a template (e.g. a header); issues the cookie like `Display`.
    pub fn value(&self) -> &str {
        self.note_use();
        &self.value
    }

    fn note_use(&self) {
        if let Some(used) = &self.used {
            used.store(true, Ordering::Relaxed);
        }
    }
}

impl std::fmt::Display for CsrfToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.note_use();
        f.write_str(&self.value)
    }
}

/// The token to embed in this request's forms (empty only when [`layer`] is not installed and
/// the browser has no cookie). Nothing is issued until it is written out (see [`CsrfToken`]).
pub fn token(state: &AppState, parts: &Parts) -> CsrfToken {
    let (cookie, used) = match parts.extensions.get::<CsrfCookie>() {
        Some(cookie) => (Some(cookie.value.clone()), Some(cookie.used.clone())),
        None => (cookie_value(&parts.headers, COOKIE_NAME), None),
    };
    CsrfToken {
        value: cookie
            .map(|value| sign(state.secret(), &value))
            .unwrap_or_default(),
        used,
    }
}

/// A signed form token for a form that posts to `path` (see the module text): no cookie is
/// issued, and the token is accepted for [`FORM_TOKEN_TTL_MS`] from `now_ms`.
pub fn form_token(state: &AppState, path: &str, now_ms: i64) -> String {
    let expiry = now_ms + FORM_TOKEN_TTL_MS;
    format!(
        "{expiry}.{}",
        sign(state.secret(), &format!("formulier|{path}|{expiry}"))
    )
}

/// Whether `token` is a signed form token for `path` that has not expired at `now_ms`.
fn verify_form_token(secret: &[u8], path: &str, token: &str, now_ms: i64) -> bool {
    let Some((expiry, signature)) = token.trim().split_once('.') else {
        return false;
    };
    let Ok(expiry_ms) = expiry.parse::<i64>() else {
        return false;
    };
    expiry_ms >= now_ms
        && expiry_ms <= now_ms + FORM_TOKEN_TTL_MS
        && verify(secret, &format!("formulier|{path}|{expiry}"), signature)
}

fn mac(secret: &[u8], cookie: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(cookie.as_bytes());
    mac
}

fn sign(secret: &[u8], cookie: &str) -> String {
    URL_SAFE_NO_PAD.encode(mac(secret, cookie).finalize().into_bytes())
}

/// Whether `token` is the token of `cookie`, compared in constant time.
fn verify(secret: &[u8], cookie: &str, token: &str) -> bool {
    match URL_SAFE_NO_PAD.decode(token.trim()) {
        Ok(bytes) => mac(secret, cookie).verify_slice(&bytes).is_ok(),
        Err(_) => false,
    }
}

/// The value of the cookie `name` in the request headers.
pub(crate) fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

/// A cookie value we issued: 32 random bytes, base64url (43 characters).
fn well_formed(value: &str) -> bool {
    value.len() == 43
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn new_cookie_value() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Routes that authenticate with bearer tokens and carry no cookies.
fn exempt(path: &str) -> bool {
    path == "/api/v1" || path.starts_with("/api/v1/")
}

/// The `host[:port]` of an origin as a `Host` header writes it (the port only when it is not
/// the scheme's default); empty when the origin is not a URL (e.g. "null").
fn authority_of(origin: &str) -> String {
    match url::Url::parse(origin) {
        Ok(parsed) => match (parsed.host_str(), parsed.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            _ => String::new(),
        },
        Err(_) => String::new(),
    }
}

/// The origin (`scheme://host[:port]`) of a URL, lower-cased, without a trailing slash.
fn origin_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) => parsed.origin().ascii_serialization(),
        Err(_) => url.trim_end_matches('/').to_ascii_lowercase(),
    }
}

/// The middleware: issues the cookie when missing and checks unsafe requests.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if exempt(request.uri().path()) {
        return next.run(request).await;
    }
    let existing = cookie_value(request.headers(), COOKIE_NAME).filter(|v| well_formed(v));
    let (cookie, issued) = match existing {
        Some(value) => (value, false),
        None => (new_cookie_value(), true),
    };
    let used = Arc::new(AtomicBool::new(false));
    let (mut parts, body) = request.into_parts();
    parts.extensions.insert(CsrfCookie {
        value: cookie.clone(),
        used: used.clone(),
    });

    let request = if is_unsafe(&parts.method) {
        match check(&state, &parts, body, &cookie, issued).await {
            Ok(body) => Request::from_parts(parts, body),
            Err(reason) => {
                tracing::warn!(reason, "CSRF-controle geweigerd");
                return refused();
            }
        }
    } else {
        Request::from_parts(parts, body)
    };

    let mut response = next.run(request).await;
    if issued && used.load(Ordering::Relaxed) {
        let secure = if state.config().secure_cookies() {
            "; Secure"
        } else {
            ""
        };
        let header = format!("{COOKIE_NAME}={cookie}; Path=/; HttpOnly; SameSite=Lax{secure}");
        if let Ok(value) = HeaderValue::from_str(&header) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

/// Checks origin and token; gives back the body (re-assembled when it had to be read).
async fn check(
    state: &AppState,
    parts: &Parts,
    body: Body,
    cookie: &str,
    issued: bool,
) -> Result<Body, &'static str> {
    if let Some(origin) = parts.headers.get(ORIGIN) {
        let origin = origin.to_str().unwrap_or_default();
        let addressed_host = parts
            .headers
            .get(axum::http::header::HOST)
            .and_then(|host| host.to_str().ok());
        let same_as_base = origin_of(origin) == origin_of(&state.config().base_url);
        let same_as_host =
            addressed_host.is_some_and(|host| authority_of(origin) == host.to_ascii_lowercase());
        if !same_as_base && !same_as_host {
            return Err("andere oorsprong");
        }
    }
    let secret = state.secret();
    let urlencoded = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if issued {
        // No cookie came with the request, so no cookie-bound token can match it; only a
        // signed form token (a form framed by another site) can.
        if !urlencoded {
            return Err("geen cookie");
        }
        let bytes = to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| "formulier te groot of onleesbaar")?;
        return match form_field(&bytes, FORM_TOKEN_FIELD) {
            Some(token)
                if verify_form_token(secret, parts.uri.path(), &token, steden_db::now_ms()) =>
            {
                Ok(Body::from(bytes))
            }
            Some(_) => Err("ongeldig formuliertoken"),
            None => Err("geen cookie"),
        };
    }
    if let Some(header) = parts.headers.get(HEADER_NAME) {
        return if verify(secret, cookie, header.to_str().unwrap_or_default()) {
            Ok(body)
        } else {
            Err("ongeldige header")
        };
    }
    if let Some(query) = parts.uri.query() {
        let from_query = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .unwrap_or_default()
            .into_iter()
            .find(|(key, _)| key == FIELD_NAME);
        if let Some((_, value)) = from_query {
            return if verify(secret, cookie, &value) {
                Ok(body)
            } else {
                Err("ongeldige queryparameter")
            };
        }
    }
    if !urlencoded {
        return Err("geen token");
    }
    let bytes = to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| "formulier te groot of onleesbaar")?;
    match form_field(&bytes, FIELD_NAME) {
        Some(value) if verify(secret, cookie, &value) => Ok(Body::from(bytes)),
        Some(_) => Err("ongeldig token"),
        // A framed form's signed token, sent by a browser that also has the cookie.
        None => match form_field(&bytes, FORM_TOKEN_FIELD) {
            Some(token)
                if verify_form_token(secret, parts.uri.path(), &token, steden_db::now_ms()) =>
            {
                Ok(Body::from(bytes))
            }
            Some(_) => Err("ongeldig formuliertoken"),
            None => Err("geen token"),
        },
    }
}

/// The value of the field `name` of a URL-encoded body.
fn form_field(bytes: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes)
        .unwrap_or_default()
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

fn refused() -> Response {
    crate::error::page(StatusCode::FORBIDDEN, "Formulier verlopen", REFUSED_MESSAGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_fits_only_its_cookie_and_secret() {
        let cookie = new_cookie_value();
        assert!(well_formed(&cookie));
        let token = sign(b"geheim", &cookie);
        assert!(verify(b"geheim", &cookie, &token));
        assert!(!verify(b"ander geheim", &cookie, &token));
        assert!(!verify(b"geheim", &new_cookie_value(), &token));
        assert!(!verify(b"geheim", &cookie, "niet-base64!"));
        assert!(!verify(b"geheim", &cookie, ""));
    }

    #[test]
    fn a_form_token_fits_only_its_path_and_time() {
        let now = 1_000_000_000_000;
        let expiry = now + FORM_TOKEN_TTL_MS;
        let token = format!(
            "{expiry}.{}",
            sign(b"geheim", &format!("formulier|/a|{expiry}"))
        );
        assert!(verify_form_token(b"geheim", "/a", &token, now));
        assert!(!verify_form_token(b"geheim", "/b", &token, now));
        assert!(!verify_form_token(b"ander", "/a", &token, now));
        assert!(!verify_form_token(b"geheim", "/a", &token, expiry + 1));
        let forged = token.replacen(&expiry.to_string(), &(expiry + 5).to_string(), 1);
        assert!(!verify_form_token(b"geheim", "/a", &forged, now));
        assert!(!verify_form_token(b"geheim", "/a", "zomaar", now));
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        assert_eq!(
            origin_of("http://127.0.0.1:8080/"),
            origin_of("http://127.0.0.1:8080")
        );
        assert_ne!(
            origin_of("http://127.0.0.1:8080"),
            origin_of("http://127.0.0.1:8081")
        );
        assert_ne!(
            origin_of("https://steden.be"),
            origin_of("http://steden.be")
        );
        assert_ne!(origin_of("null"), origin_of("http://steden.be"));
    }

    #[test]
    fn authorities_are_written_as_host_headers_write_them() {
        assert_eq!(authority_of("http://127.0.0.1:8080"), "127.0.0.1:8080");
        assert_eq!(authority_of("https://steden.be"), "steden.be");
        assert_eq!(authority_of("https://steden.be:443"), "steden.be");
        assert_eq!(authority_of("null"), "");
    }
}
