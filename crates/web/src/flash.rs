//! One-time messages shown on the next page after a redirect ("Opgeslagen.").
//!
//! A handler sets one with [`redirect_with`] (or [`add`] on any response); [`layer`] stores it
//! in a signed `steden_flash` cookie. On the next request the [`PageContext`](crate::PageContext)
//! extractor [`take`]s it, `base.html` shows it (escaped, with an icon and a word for its kind),
//! and [`layer`] clears the cookie on that response, so the message appears exactly once. A
//! redirect does not clear it: a page that takes the context and then redirects passes the
//! message on to the page it redirects to.
//!
//! ```text
//! return Ok(flash::redirect_with(Flash::success("Het lid is toegevoegd."), "/beheer/leden"));
//! ```

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::state::AppState;

const COOKIE_NAME: &str = "steden_flash";

/// The kind of a flash message; shown with a word and an icon, never by colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FlashKind {
    Success,
    Info,
    Warning,
    Error,
}

impl FlashKind {
    /// The Fluent id of the word shown before the message ("Gelukt", "Fout", …).
    pub fn label_key(&self) -> &'static str {
        match self {
            FlashKind::Success => "flash-success",
            FlashKind::Info => "flash-info",
            FlashKind::Warning => "flash-warning",
            FlashKind::Error => "flash-error",
        }
    }

    /// The id of the icon in the sprite, also the CSS modifier.
    pub fn icon(&self) -> &'static str {
        match self {
            FlashKind::Success => "success",
            FlashKind::Info => "info",
            FlashKind::Warning => "warning",
            FlashKind::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub kind: FlashKind,
    pub message: String,
}

impl Flash {
    pub fn new(kind: FlashKind, message: impl Into<String>) -> Flash {
        Flash {
            kind,
            message: message.into(),
        }
    }
    pub fn success(message: impl Into<String>) -> Flash {
        Flash::new(FlashKind::Success, message)
    }
    pub fn info(message: impl Into<String>) -> Flash {
        Flash::new(FlashKind::Info, message)
    }
    pub fn warning(message: impl Into<String>) -> Flash {
        Flash::new(FlashKind::Warning, message)
    }
    pub fn error(message: impl Into<String>) -> Flash {
        Flash::new(FlashKind::Error, message)
    }
}

/// Flashes a handler wants shown on the next page (a response extension read by [`layer`]).
#[derive(Debug, Clone, Default)]
struct Outgoing(Vec<Flash>);

/// Flashes that came with the request, and whether a page took them.
#[derive(Debug, Clone)]
struct Incoming {
    flashes: Vec<Flash>,
    taken: Arc<AtomicBool>,
}

/// A "303 See Other" to `to` that shows `flash` on the page there.
pub fn redirect_with(flash: Flash, to: &str) -> Response {
    add(Redirect::to(to).into_response(), flash)
}

/// Adds a flash to any response; it is shown on the next page that renders.
pub fn add(mut response: Response, flash: Flash) -> Response {
    let extensions = response.extensions_mut();
    match extensions.get_mut::<Outgoing>() {
        Some(outgoing) => outgoing.0.push(flash),
        None => {
            extensions.insert(Outgoing(vec![flash]));
        }
    }
    response
}

/// The flash messages waiting for this request; they will not be shown again.
pub fn take(parts: &Parts) -> Vec<Flash> {
    match parts.extensions.get::<Incoming>() {
        Some(incoming) => {
            incoming.taken.store(true, Ordering::SeqCst);
            incoming.flashes.clone()
        }
        None => Vec::new(),
    }
}

fn signature(secret: &[u8], payload: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    // A prefix that CSRF cookie values (base64url, no dot) can never produce, so that a
    // signature of one kind is never valid as the other.
    mac.update(b"flash.");
    mac.update(payload.as_bytes());
    mac
}

fn encode(secret: &[u8], flashes: &[Flash]) -> Option<String> {
    let json = serde_json::to_vec(flashes).ok()?;
    let payload = URL_SAFE_NO_PAD.encode(json);
    let sig = URL_SAFE_NO_PAD.encode(signature(secret, &payload).finalize().into_bytes());
    Some(format!("{payload}.{sig}"))
}

/// Decodes a cookie value; a forged or damaged cookie yields nothing.
fn decode(secret: &[u8], value: &str) -> Vec<Flash> {
    let Some((payload, sig)) = value.split_once('.') else {
        return Vec::new();
    };
    let Ok(sig) = URL_SAFE_NO_PAD.decode(sig) else {
        return Vec::new();
    };
    if signature(secret, payload).verify_slice(&sig).is_err() {
        return Vec::new();
    }
    URL_SAFE_NO_PAD
        .decode(payload)
        .ok()
        .and_then(|json| serde_json::from_slice(&json).ok())
        .unwrap_or_default()
}

/// The middleware that carries flashes from one response to the next request.
pub async fn layer(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let had_cookie = crate::csrf::cookie_value(request.headers(), COOKIE_NAME);
    let incoming = Incoming {
        flashes: had_cookie
            .as_deref()
            .map(|v| decode(state.secret(), v))
            .unwrap_or_default(),
        taken: Arc::new(AtomicBool::new(false)),
    };
    let taken = incoming.taken.clone();
    let waiting = incoming.flashes.clone();
    request.extensions_mut().insert(incoming);

    let mut response = next.run(request).await;
    let secure = if state.config().secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let attributes = format!("Path=/; HttpOnly; SameSite=Lax{secure}");
    let shown = taken.load(Ordering::SeqCst) && !response.status().is_redirection();
    let outgoing = response.extensions_mut().remove::<Outgoing>();
    let header = match outgoing {
        Some(Outgoing(new)) => {
            // Messages not shown yet stay ahead of the new ones.
            let mut all = if shown { Vec::new() } else { waiting };
            all.extend(new);
            encode(state.secret(), &all).map(|v| format!("{COOKIE_NAME}={v}; {attributes}"))
        }
        None if shown && had_cookie.is_some() => {
            Some(format!("{COOKIE_NAME}=; Max-Age=0; {attributes}"))
        }
        None => None,
    };
    if let Some(value) = header.and_then(|h| HeaderValue::from_str(&h).ok()) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flashes_survive_the_cookie_and_forgeries_do_not() {
        let flashes = vec![
            Flash::success("Opgeslagen <b>nu</b>; \"ja\""),
            Flash::error("Fout"),
        ];
        let value = encode(b"geheim", &flashes).unwrap();
        assert_eq!(decode(b"geheim", &value), flashes);
        assert!(decode(b"ander", &value).is_empty());
        let forged = encode(b"aanvaller", &[Flash::info("Bel 0900")]).unwrap();
        assert!(decode(b"geheim", &forged).is_empty());
        assert!(decode(b"geheim", "rommel").is_empty());
    }
}
