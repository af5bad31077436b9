//! Reading a multipart form (a file upload and its few fields) within limits.
//!
//! The whole body never sits in memory beyond its limit: a request whose declared length is over
//! the route's limit is refused before anything is read, and each part is read chunk by chunk
//! and refused as soon as it passes its own limit (a file's, or the small one of a text field).
//! The CSRF token of such a form travels in the query: the CSRF layer does not buffer multipart
//! bodies (see [`crate::csrf`]).

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{header, StatusCode};

use crate::AppState;

/// The limits of one upload form.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The name of the file field.
    pub file_field: &'static str,
    /// The most bytes the file may hold.
    pub file_bytes: usize,
    /// The most bytes any other field may hold.
    pub field_bytes: usize,
}

impl Limits {
    /// The body limit for the route (`DefaultBodyLimit`): the file, plus room for the other
    /// fields and the multipart framing.
    pub const fn body_bytes(&self) -> usize {
        self.file_bytes + 64 * 1024
    }
}

/// An uploaded file: the name the browser gave (trusted for nothing) and its bytes.
#[derive(Debug, Clone, Default)]
pub struct File {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What a multipart form held: its text fields in order (trimmed), and the file when one was
/// chosen (an empty file input still sends a part, without content: that is no file).
#[derive(Debug, Clone, Default)]
pub struct Parts {
    pub fields: Vec<(String, String)>,
    pub file: Option<File>,
}

impl Parts {
    /// The value of text field `name` (empty when absent).
    pub fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or_default()
    }

    /// Every value of text field `name` (ticked checkboxes).
    pub fn fields_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Why a form could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadError {
    /// Over a limit: answer 413 with the form.
    TooLarge,
    /// Not a multipart body, or one broken off: answer 400 with the form.
    Unreadable,
}

impl UploadError {
    /// The status to answer with.
    pub fn status(self) -> StatusCode {
        match self {
            UploadError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            UploadError::Unreadable => StatusCode::BAD_REQUEST,
        }
    }
}

/// Reads `request` as a multipart form within `limits`.
pub async fn read(
    request: Request,
    state: &AppState,
    limits: &Limits,
) -> Result<Parts, UploadError> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limits.body_bytes()) {
        return Err(UploadError::TooLarge);
    }
    let multipart = Multipart::from_request(request, state)
        .await
        .map_err(|_| UploadError::Unreadable)?;
    read_parts(multipart, limits).await
}

async fn read_parts(mut multipart: Multipart, limits: &Limits) -> Result<Parts, UploadError> {
    let too_large_or_unreadable = |status: StatusCode| {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            UploadError::TooLarge
        } else {
            UploadError::Unreadable
        }
    };
    let mut parts = Parts::default();
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(too_large_or_unreadable(e.status())),
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let limit = if name == limits.file_field {
            limits.file_bytes
        } else {
            limits.field_bytes
        };
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > limit {
                        return Err(UploadError::TooLarge);
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(too_large_or_unreadable(e.status())),
            }
        }
        if name == limits.file_field {
            if !bytes.is_empty() {
                parts.file = Some(File {
                    name: file_name.unwrap_or_default(),
                    bytes,
                });
            }
        } else {
            let text = String::from_utf8_lossy(&bytes).trim().to_string();
            parts.fields.push((name, text));
        }
    }
    Ok(parts)
}
