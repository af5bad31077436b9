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

/// Turns the database's refusal of a write into a message the user can act on.
///
/// A unique or foreign-key constraint is the last word on duplicates and dangling references:
/// a check in Rust beforehand gives the nicer message, but two requests can pass it at once.
/// Map the constraint's error where the statement runs, so that the loser of such a race gets a
/// field error (a form shows it next to the field, the API answers 422) instead of a 500:
///
/// ```text
/// sqlx::query("INSERT INTO kb_terms …").execute(&mut **tx).await
///     .on_unique("term", "Dit begrip bestaat al.")?;
/// ```
///
/// Any other database error passes through unchanged.
pub trait ConstraintViolation<T> {
    /// A unique-constraint violation becomes an invalid `field` with `message`.
    fn on_unique(self, field: &str, message: &str) -> CoreResult<T>;
    /// A foreign-key violation (a reference to a row that does not or no longer exists)
    /// becomes an invalid `field` with `message`.
    fn on_foreign_key(self, field: &str, message: &str) -> CoreResult<T>;
}

impl<T> ConstraintViolation<T> for Result<T, sqlx::Error> {
    fn on_unique(self, field: &str, message: &str) -> CoreResult<T> {
        self.map_err(|err| {
            if err
                .as_database_error()
                .is_some_and(|d| d.is_unique_violation())
            {
                CoreError::invalid(field, message)
            } else {
                CoreError::Database(err)
            }
        })
    }

    fn on_foreign_key(self, field: &str, message: &str) -> CoreResult<T> {
        self.map_err(|err| {
            if err
                .as_database_error()
                .is_some_and(|d| d.is_foreign_key_violation())
            {
                CoreError::invalid(field, message)
            } else {
                CoreError::Database(err)
            }
        })
    }
}

impl<T> ConstraintViolation<T> for CoreResult<T> {
    fn on_unique(self, field: &str, message: &str) -> CoreResult<T> {
        match self {
            Err(CoreError::Database(err)) => Err(err).on_unique(field, message),
            other => other,
        }
    }

    fn on_foreign_key(self, field: &str, message: &str) -> CoreResult<T> {
        match self {
            Err(CoreError::Database(err)) => Err(err).on_foreign_key(field, message),
            other => other,
        }
    }
}
