//! Security headers on every response, and the default request body limit.
//!
//! The Content-Security-Policy allows no inline script or style at all: every script and
//! stylesheet is a file served from `/static`. htmx would inject an inline `<style>` for its
//! request indicators; `base.html` turns that off with
//! `<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>` and steden.css styles
//! `.htmx-indicator` itself.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::state::AppState;

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; \
     form-action 'self'; frame-ancestors 'none'";

const PERMISSIONS_POLICY: &str =
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";

/// Requests bodies above this are refused (413) unless a route raises its own limit with
/// `axum::extract::DefaultBodyLimit::max(..)` (uploads).
pub const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Adds the security headers to every response (a handler may set a stricter one itself), and
/// refuses a form whose text is not valid UTF-8 before any handler (or the CSRF check) reads
/// it: axum's `Form` would otherwise turn the bad bytes into replacement characters and store
/// them.
///
/// A response to someone who presents a session cookie gets `Cache-Control: no-store` unless
/// the handler chose a policy itself: a page with a person's data must stay out of shared
/// caches and the browser's back-button cache after logout. Anonymous visitors (no session
/// cookie) are left alone, so public pages stay cacheable.
///
/// A response that sets a cookie is never left to shared caches: unless its `Cache-Control`
/// already says `private` or `no-store`, it becomes `private, no-store` (a `public, max-age`
/// answer with `Set-Cookie` would hand one visitor's cookie to the next). Public pages and
/// downloads set no cookie (see `csrf.rs`), so this only catches mistakes.
pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let logged_in = crate::session::presented_token(request.headers()).is_some();
    let request = match checked_form(request).await {
        Ok(request) => request,
        Err(refused) => return with_headers(&state, refused, logged_in),
    };
    let response = next.run(request).await;
    with_headers(&state, response, logged_in)
}

fn with_headers(state: &AppState, mut response: Response, logged_in: bool) -> Response {
    let headers = response.headers_mut();
    if logged_in && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if headers.contains_key(header::SET_COOKIE) && shareable(headers) {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    // Read before `set` borrows the headers.
    let framable = framable(headers);
    let mut set = |name: HeaderName, value: &'static str| {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    set(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    // A page that lets other sites frame it says so in its own policy's `frame-ancestors`
    // (the nieuwsbrief's embeddable form); every other page is refused in a frame twice over.
    if !framable {
        set(header::X_FRAME_OPTIONS, "DENY");
    }
    set(
        HeaderName::from_static("permissions-policy"),
        PERMISSIONS_POLICY,
    );
    // Only over https: sent over plain http it would lock a test or laptop set-up out.
    if state.config().secure_cookies() {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}

/// Whether the response's own Content-Security-Policy lets some site frame it (a
/// `frame-ancestors` that is not `'none'`).
fn framable(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(|policy| {
            policy
                .split(';')
                .map(str::trim)
                .find_map(|directive| directive.strip_prefix("frame-ancestors"))
        })
        .is_some_and(|sources| sources.trim() != "'none'" && !sources.trim().is_empty())
}

/// Whether a shared cache may keep the response: its `Cache-Control` (if any) says neither
/// `private` nor `no-store`.
fn shareable(headers: &axum::http::HeaderMap) -> bool {
    !headers
        .get_all(header::CACHE_CONTROL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|directive| directive.trim().to_ascii_lowercase())
        .any(|directive| directive == "private" || directive == "no-store")
}

/// The request again if it is not a URL-encoded form, or a form whose names and values are all
/// valid UTF-8 once percent-decoded; otherwise a Dutch 400 page (413 when it is too large).
/// The JSON API is left alone: it takes no forms, and answers with problem documents.
async fn checked_form(request: Request) -> Result<Request, Response> {
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    if !is_form || request.method().is_safe() || request.uri().path().starts_with("/api/") {
        return Ok(request);
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, DEFAULT_BODY_LIMIT).await else {
        return Err(crate::error::page(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Te groot",
            "Het formulier is te groot om te verwerken.",
        ));
    };
    if !form_is_utf8(&bytes) {
        return Err(AppError::BadRequest(
            "Het formulier bevat tekens die geen geldige tekst zijn (geen UTF-8). Er werd niets opgeslagen; typ de tekst opnieuw of plak hem zonder opmaak en verstuur het formulier nog eens."
                .to_string(),
        )
        .into_response());
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// Whether every name and value of a URL-encoded body is valid UTF-8 after decoding `+` and
/// `%XX` (the two ways bad bytes arrive: raw, or percent-encoded).
pub fn form_is_utf8(body: &[u8]) -> bool {
    body.split(|b| *b == b'&').all(|pair| {
        let mut decoded = Vec::with_capacity(pair.len());
        let mut i = 0;
        while i < pair.len() {
            let byte = pair[i];
            match byte {
                b'+' => decoded.push(b' '),
                b'%' if i + 2 < pair.len() => {
                    match std::str::from_utf8(&pair[i + 1..i + 3])
                        .ok()
                        .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                    {
                        Some(value) => {
                            decoded.push(value);
                            i += 2;
                        }
                        None => decoded.push(byte),
                    }
                }
                _ => decoded.push(byte),
            }
            i += 1;
        }
        std::str::from_utf8(&decoded).is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::{form_is_utf8, shareable};
    use axum::http::{header, HeaderMap, HeaderValue};

    #[test]
    fn forms_with_bad_bytes_are_recognised() {
        assert!(form_is_utf8(b"naam=Jos%C3%A9+Peeters&x=%E2%82%AC&leeg="));
        assert!(form_is_utf8(b"a=100%"));
        assert!(form_is_utf8("naam=José".as_bytes()));
        assert!(!form_is_utf8(b"naam=Jos%E9"));
        assert!(!form_is_utf8(b"naam=%FF%FE"));
        assert!(!form_is_utf8(&[b'a', b'=', 0xE9]));
        assert!(!form_is_utf8(b"%C3=1"));
    }

    #[test]
    fn only_private_or_no_store_keeps_shared_caches_out() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
            headers
        };
        assert!(shareable(&HeaderMap::new()));
        assert!(shareable(&with("public, max-age=300")));
        assert!(shareable(&with("no-cache")));
        assert!(!shareable(&with("private, max-age=60")));
        assert!(!shareable(&with("No-Store")));
        assert!(!shareable(&with("public,no-store")));
    }
}
