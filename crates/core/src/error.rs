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
/// Where the loser should see something other than a field error (a `Conflict` at the top of
/// the form, a `NotFound` for a reference that vanished), the `_with` forms take the error:
///
/// ```text
///     .on_foreign_key_with(|| CoreError::NotFound("organisatie"))?;
/// ```
///
/// Any other database error passes through unchanged.
pub trait ConstraintViolation<T>: Sized {
    /// A unique-constraint violation becomes `error()`.
    fn on_unique_with(self, error: impl FnOnce() -> CoreError) -> CoreResult<T>;
    /// A foreign-key violation (a reference to a row that does not or no longer exists)
    /// becomes `error()`.
    fn on_foreign_key_with(self, error: impl FnOnce() -> CoreError) -> CoreResult<T>;

    /// A unique-constraint violation becomes an invalid `field` with `message`.
    fn on_unique(self, field: &str, message: &str) -> CoreResult<T> {
        self.on_unique_with(|| CoreError::invalid(field, message))
    }

    /// A foreign-key violation becomes an invalid `field` with `message`.
    fn on_foreign_key(self, field: &str, message: &str) -> CoreResult<T> {
        self.on_foreign_key_with(|| CoreError::invalid(field, message))
    }
}

/// `error()` when `err` is a constraint violation of the kind `is_kind` tells, else `err`.
fn map_violation(
    err: sqlx::Error,
    is_kind: fn(&dyn sqlx::error::DatabaseError) -> bool,
    error: impl FnOnce() -> CoreError,
) -> CoreError {
    if err.as_database_error().is_some_and(is_kind) {
        error()
    } else {
        CoreError::Database(err)
    }
}

impl<T> ConstraintViolation<T> for Result<T, sqlx::Error> {
    fn on_unique_with(self, error: impl FnOnce() -> CoreError) -> CoreResult<T> {
        self.map_err(|err| map_violation(err, |d| d.is_unique_violation(), error))
    }

    fn on_foreign_key_with(self, error: impl FnOnce() -> CoreError) -> CoreResult<T> {
        self.map_err(|err| map_violation(err, |d| d.is_foreign_key_violation(), error))
    }
}

impl<T> ConstraintViolation<T> for CoreResult<T> {
    fn on_unique_with(self, error: impl FnOnce() -> CoreError) -> CoreResult<T> {
        match self {
            Err(CoreError::Database(err)) => Err(err).on_unique_with(error),
            other => other,
        }
    }

    fn on_foreign_key_with(self, error: impl FnOnce() -> CoreError) -> CoreResult<T> {
        match self {
            Err(CoreError::Database(err)) => Err(err).on_foreign_key_with(error),
            other => other,
        }
    }
}
