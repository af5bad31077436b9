//! Security headers on every response, and the default request body limit.
//!
//! The Content-Security-Policy allows no inline script or style at all: every script and
//! stylesheet is a file served from `/static`. htmx would inject an inline `<style>` for its
//! request indicators; `base.html` turns that off with
//! `<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>` and steden.css styles
//! `.htmx-indicator` itself.

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; \
     form-action 'self'; frame-ancestors 'none'";

const PERMISSIONS_POLICY: &str =
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";

/// Requests bodies above this are refused (413) unless a route raises its own limit with
/// `axum::extract::DefaultBodyLimit::max(..)` (uploads).
pub const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Adds the security headers to every response (a handler may set a stricter one itself).
pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    set(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    set(header::X_FRAME_OPTIONS, "DENY");
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
