//! What the template and campaign pages share: the preview of a rendered
//! mail (its HTML in a sandboxed `<iframe srcdoc>`, its text beside it) with the page's
//! Content-Security-Policy loosened for it.

use axum::http::header::{self, HeaderValue};
use axum::response::Response;
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_web::page::PageContext;

use crate::render::Rendered;

/// A rendered mail as a page shows it, or why it could not be rendered.
#[derive(Debug, Clone)]
pub(crate) struct Preview {
    /// The HTML for the iframe's `srcdoc` (escaped by the page's template).
    pub html: String,
    pub text: String,
    /// The Dutch message of a template that fails.
    pub error: Option<String>,
    pub frame_title: String,
    pub html_heading: String,
    pub text_heading: String,
    pub error_heading: String,
}

impl Preview {
    fn new(ctx: &PageContext, html: String, text: String, error: Option<String>) -> Preview {
        Preview {
            html,
            text,
            error,
            frame_title: ctx.t("nb-tpl-preview-frame"),
            html_heading: ctx.t("nb-tpl-preview-html"),
            text_heading: ctx.t("nb-tpl-preview-text"),
            error_heading: ctx.t("nb-tpl-preview-error"),
        }
    }

    /// The rendered mail, or the Dutch message of a template that fails; any other failure
    /// (the database) is passed on.
    pub fn of(ctx: &PageContext, rendered: CoreResult<Rendered>) -> CoreResult<Preview> {
        match rendered {
            Ok(rendered) => Ok(Preview::new(ctx, rendered.html, rendered.text, None)),
            Err(CoreError::Invalid(errors)) => {
                let message = errors
                    .into_iter()
                    .map(|e| e.message)
                    .collect::<Vec<_>>()
                    .join(" ");
                Ok(Preview::new(
                    ctx,
                    String::new(),
                    String::new(),
                    Some(message),
                ))
            }
            Err(other) => Err(other),
        }
    }
}

/// The shell's policy, with the inline styles and remote images of a mail allowed: a
/// `srcdoc` frame inherits its page's policy, and a mail has only inline styles. Scripts stay
/// forbidden (and the frame is sandboxed without `allow-scripts` besides).
pub(crate) const PREVIEW_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; object-src 'none'; \
     base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// `response` with [`PREVIEW_POLICY`].
pub(crate) fn with_preview_policy(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PREVIEW_POLICY),
    );
    response
}
