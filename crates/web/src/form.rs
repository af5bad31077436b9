//! Forms that show validation errors next to the field and keep what the user typed.
//!
//! A form handler that gets a [`CoreError::Invalid`] re-renders the same page with the submitted
//! values and a [`FormErrors`] (status 422), instead of redirecting:
//!
//! ```text
//! #[derive(Template)]
//! #[template(path = "leden_nieuw.html")]
//! struct NewMemberPage { ctx: PageContext, form: NewMember, errors: FormErrors }
//!
//! async fn create(ctx: PageContext, Form(form): Form<NewMember>) -> Result<Response, AppError> {
//!     match members::add(ctx.state().db(), &form).await {
//!         Ok(_) => Ok(flash::redirect_with(Flash::success("Het lid is toegevoegd."), "/leden")),
//!         Err(err) => {
//!             let errors = FormErrors::from_core(err)?; // other errors become error pages
//!             form::invalid(&NewMemberPage { ctx: ctx.titled("Nieuw lid"), form, errors })
//!         }
//!     }
//! }
//! ```
//!
//! and in the template (the macros are in `templates/partials/form.html`):
//!
//! ```text
//! {% import "partials/form.html" as f %}
//! <form method="post" action="/leden" novalidate>
//!   {% call f::error_summary(ctx, errors) %}
//!   {% call f::csrf(ctx) %}
//!   {% call f::text_input(ctx, errors, "email", ctx.t("lid-email"), form.email, "email", "") %}
//!   {% call f::submit(ctx.t("opslaan")) %}
//! </form>
//! ```
//!
//! `text_input(ctx, errors, name, label, value, type, hint)` renders the label above the field,
//! the optional hint, and on error `aria-invalid="true"`, `aria-describedby="{name}-fout"` and
//! the message with an icon and the word "Fout:". The input's `id` is the field name, so the
//! summary at the top of the form (role=alert) links to each field with `#{name}`. Field
//! names in [`FieldError::field`] must therefore equal the form field names.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use steden_core::{CoreError, FieldError};

use crate::error::AppError;

/// The validation errors of one submitted form, by field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors {
    errors: Vec<FieldError>,
}

impl FormErrors {
    /// No errors (a form shown for the first time).
    pub fn none() -> FormErrors {
        FormErrors::default()
    }

    pub fn new(errors: Vec<FieldError>) -> FormErrors {
        FormErrors { errors }
    }

    /// The field errors of a [`CoreError::Invalid`]; any other error is passed on as an
    /// [`AppError`] (an error page), since the user cannot fix it in the form.
    pub fn from_core(err: CoreError) -> Result<FormErrors, AppError> {
        match err {
            CoreError::Invalid(errors) => Ok(FormErrors::new(errors)),
            CoreError::Conflict(message) => Ok(FormErrors::new(vec![FieldError::new("", message)])),
            other => Err(other.into()),
        }
    }

    /// Adds an error (for checks done in the handler itself).
    pub fn add(&mut self, field: &str, message: &str) {
        self.errors.push(FieldError::new(field, message));
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The first message for `field`, shown next to it.
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// Every error, in the order of the form, for the summary.
    pub fn all(&self) -> &[FieldError] {
        &self.errors
    }
}

impl From<Vec<FieldError>> for FormErrors {
    fn from(errors: Vec<FieldError>) -> FormErrors {
        FormErrors::new(errors)
    }
}

/// Ends the transaction of a form's write: commits when `result` is a success, rolls back when
/// it is not, and sorts the failure.
///
/// This is the one way form handlers end a write (validate and write in `tx`, then settle):
///
/// ```text
/// let mut tx = db.begin().await?;
/// let result = store::create(&mut tx, &fields, &audit).await;
/// match form::settle(tx, result).await? {
///     Ok(created) => Ok(flash::redirect_with(Flash::success(ctx.t("…")), &created.href())),
///     Err(errors) => form::invalid(&FormPage { ctx, form, errors }),
/// }
/// ```
///
/// - `Ok(Ok(value))`: committed;
/// - `Ok(Err(errors))`: rolled back, and the failure is something the user can fix in the form
///   ([`CoreError::Invalid`], or a [`CoreError::Conflict`] shown at the top of the form);
///   re-render the form with the errors and status 422 ([`invalid`]);
/// - `Err(app_error)`: rolled back, and the failure is not the user's to fix (forbidden, not
///   found, a database fault): an error page.
pub async fn settle<T>(
    tx: steden_db::Tx<'_>,
    result: steden_core::CoreResult<T>,
) -> Result<Result<T, FormErrors>, AppError> {
    match result {
        Ok(value) => {
            tx.commit().await?;
            Ok(Ok(value))
        }
        Err(err) => {
            // An explicit rollback returns the connection at once; on PostgreSQL a failed
            // statement has aborted the transaction anyway.
            tx.rollback().await?;
            FormErrors::from_core(err).map(Err)
        }
    }
}

/// Renders a form page that was submitted with errors: 422 Unprocessable Content, so that
/// tests, monitoring and htmx can tell it from a success.
///
/// Every form page gets the same error pattern here, whatever its template (WCAG 3.3.1, 2.4.2):
/// the page title starts with "Fout: " and the error summary is moved to the top of `main`,
/// where it takes the focus on load ([`mark_errors`]).
pub fn invalid<T: Template>(page: &T) -> Result<Response, AppError> {
    invalid_with(StatusCode::UNPROCESSABLE_ENTITY, page)
}

/// [`invalid`] with another status: 413 for an upload over its limit, 400 for a form that
/// could not be read.
pub fn invalid_with<T: Template>(status: StatusCode, page: &T) -> Result<Response, AppError> {
    let html = crate::page::finish(mark_errors(&page.render()?));
    Ok((status, Html(html)).into_response())
}

/// The title prefix of a page with form errors, in the page's language (the word of
/// `form-error-word` in the shell's catalogues).
fn error_word(html: &str) -> &'static str {
    if html.contains("<html lang=\"en") {
        "Error: "
    } else {
        "Fout: "
    }
}

/// Prefixes the title of a rendered page with "Fout: " and moves the error summary (the
/// `error_summary` macro's block, which a template places inside its form, often far down
/// the page) to the top of `main`, so that it is the first thing read and seen. A page
/// without `main` or without a summary keeps its layout.
fn mark_errors(html: &str) -> String {
    let mut html = html.replacen("<title>", &format!("<title>{}", error_word(html)), 1);
    const SUMMARY: &str = "<div class=\"error-summary\"";
    let Some(start) = html.find(SUMMARY) else {
        return html;
    };
    // The summary holds no other div (partials/form.html).
    let Some(end) = html[start..]
        .find("</div>")
        .map(|i| start + i + "</div>".len())
    else {
        return html;
    };
    let Some(main_open) = html
        .find("<main")
        .and_then(|m| html[m..].find('>').map(|i| m + i + 1))
    else {
        return html;
    };
    if main_open <= start {
        let summary = html[start..end].to_string();
        html.replace_range(start..end, "");
        html.insert_str(main_open, &summary);
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stands in for the page context: the macros only use `t`, `icon` and `csrf_token`.
    struct Ctx {
        csrf_token: String,
    }

    impl Ctx {
        fn icon(&self, id: &str) -> String {
            crate::assets::icon(id)
        }

        fn t(&self, key: &str) -> String {
            match key {
                "form-error-word" => "Fout:".to_string(),
                "form-error-summary" => "Er zijn fouten in het formulier".to_string(),
                other => other.to_string(),
            }
        }
    }

    #[derive(Template)]
    #[template(
        source = r#"{% import "partials/form.html" as f %}{% call f::error_summary(ctx, errors) %}{% call f::csrf(ctx) %}{% call f::text_input(ctx, errors, "email", "E-mailadres", email, "email", "") %}{% call f::text_input(ctx, errors, "naam", "Naam", naam, "text", "Voornaam en naam") %}"#,
        ext = "html"
    )]
    struct Sample {
        ctx: Ctx,
        errors: FormErrors,
        email: String,
        naam: String,
    }

    fn sample(errors: FormErrors) -> String {
        Sample {
            ctx: Ctx {
                csrf_token: "tok".into(),
            },
            errors,
            email: "an@<voorbeeld>".into(),
            naam: "An".into(),
        }
        .render()
        .unwrap()
    }

    #[test]
    fn errors_sit_next_to_their_field_and_keep_the_input() {
        let html = sample(FormErrors::new(vec![FieldError::new(
            "email",
            "Geen geldig e-mailadres.",
        )]));
        // The typed value is kept, escaped.
        assert!(html.contains(r#"value="an@&#60;voorbeeld&#62;""#), "{html}");
        assert!(html.contains(r#"aria-invalid="true""#), "{html}");
        assert!(html.contains(r#"aria-describedby="email-fout""#), "{html}");
        assert!(html.contains(r#"id="email-fout""#), "{html}");
        assert!(html.contains("Fout:"), "{html}");
        // The summary links to the field.
        assert!(html.contains(r#"role="alert""#), "{html}");
        assert!(html.contains(r##"href="#email""##), "{html}");
        // The other field is not marked, and its hint is linked.
        assert_eq!(html.matches(r#"aria-invalid="true""#).count(), 1, "{html}");
        assert!(html.contains(r#"aria-describedby="naam-hint""#), "{html}");
        assert!(html.contains(r#"name="_csrf" value="tok""#), "{html}");
    }

    #[test]
    fn an_invalid_page_says_so_in_its_title_and_leads_with_the_summary() {
        let form = sample(FormErrors::new(vec![FieldError::new("email", "Ongeldig.")]));
        let page = format!(
            "<html lang=\"nl-BE\"><head><title>Lid · Stedenplatform</title></head><body><main id=\"inhoud\"><h1>Lid</h1><form>{form}</form></main></body></html>"
        );
        let marked = mark_errors(&page);
        assert!(
            marked.contains("<title>Fout: Lid · Stedenplatform</title>"),
            "{marked}"
        );
        assert!(
            marked.contains("<main id=\"inhoud\"><div class=\"error-summary\""),
            "{marked}"
        );
        assert_eq!(
            marked.matches("class=\"error-summary\"").count(),
            1,
            "{marked}"
        );
        let english = mark_errors("<html lang=\"en\"><title>Member</title>");
        assert!(english.contains("<title>Error: Member"), "{english}");
    }

    #[test]
    fn a_form_without_errors_shows_no_summary() {
        let html = sample(FormErrors::none());
        assert!(!html.contains("role=\"alert\""), "{html}");
        assert!(!html.contains("aria-invalid"), "{html}");
        assert!(html.contains(r#"<label for="email""#), "{html}");
    }

    #[test]
    fn only_invalid_input_becomes_form_errors() {
        let errors = FormErrors::from_core(CoreError::invalid("naam", "Vul een naam in.")).unwrap();
        assert_eq!(errors.error_for("naam"), Some("Vul een naam in."));
        assert_eq!(errors.error_for("email"), None);
        assert!(FormErrors::from_core(CoreError::Forbidden).is_err());
    }
}
