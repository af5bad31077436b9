//! One-time messages shown on the next page after a redirect (being written).

use axum::http::request::Parts;

/// The kind of a flash message; shown with a word and an icon, never by colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashKind {
    Success,
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone)]
pub struct Flash {
    pub kind: FlashKind,
    pub message: String,
}

/// The flash messages waiting for this request.
pub fn take(_parts: &Parts) -> Vec<Flash> {
    Vec::new()
}
