//! Errors of the kernel, shared by the modules. The web shell turns them into Dutch pages and
//! RFC 9457 problem documents.

/// A validation message for one field of a form or API body, in Dutch, shown next to the field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The input was refused; nothing was written.
    #[error("ongeldige invoer")]
    Invalid(Vec<FieldError>),
    /// The actor may not do this.
    #[error("u hebt geen toegang tot deze actie")]
    Forbidden,
    /// Not logged in (or no valid token) where that is required.
    #[error("aanmelden is vereist")]
    Unauthenticated,
    #[error("{0} niet gevonden")]
    NotFound(&'static str),
    /// A conflicting state, e.g. a duplicate code; the message is shown to the user.
    #[error("{0}")]
    Conflict(String),
    #[error("databankfout: {0}")]
    Database(#[from] sqlx::Error),
    #[error("interne fout: {0}")]
    Internal(#[from] anyhow::Error),
}

impl CoreError {
    /// One invalid field.
    pub fn invalid(field: &str, message: &str) -> CoreError {
        CoreError::Invalid(vec![FieldError::new(field, message)])
    }
}

pub type CoreResult<T> = Result<T, CoreError>;
