//! A picture in a campaign: uploaded on the section's "Afbeelding toevoegen" form, checked and
//! re-encoded by the Kennisbank's image gate (the site's image library, through its facade),
//! and added to the section as a Markdown block `![alt](/afbeeldingen/…)` with an optional
//! caption, in one transaction with the image: a refused block leaves no stray image.
//!
//! A mail's pictures are fetched by every reader who opens it, so a newsletter takes smaller
//! files than the site does: at most [`MAIL_IMAGE_BYTES`].

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Request};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use steden_core::CoreError;
use steden_kennisbank::facade::images as site_images;
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::upload::{self, Limits, UploadError};
use steden_web::{AppError, AppState};

use super::campaigns::{frozen_page, require_editor};
use super::editor::load;
use crate::paths;
use crate::store::blocks;
use crate::store::sections;

/// The largest picture a newsletter takes (the file as uploaded).
pub const MAIL_IMAGE_BYTES: usize = 2 * 1024 * 1024;
/// The most characters of the caption under the picture.
const CAPTION_MAX: usize = 300;

const LIMITS: Limits = Limits {
    file_field: "bestand",
    file_bytes: MAIL_IMAGE_BYTES,
    field_bytes: 4 * 1024,
};

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/nieuwsbrief/beheer/campagnes/{id}/secties/{section}/afbeelding",
        get(form_page)
            .post(upload)
            .layer(DefaultBodyLimit::max(LIMITS.body_bytes())),
    )
}

#[derive(Template)]
#[template(path = "nieuwsbrief/campaigns/image.html")]
struct ImagePage {
    ctx: PageContext,
    errors: FormErrors,
    action: String,
    back: String,
    alt: String,
    caption: String,
    max_mb: usize,
}

async fn page(
    ctx: PageContext,
    id: &str,
    section_id: &str,
    (alt, caption): (String, String),
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let campaign = load(&ctx, id).await?;
    let mut tx = ctx.state().db().begin().await?;
    let title = sections::title_of(&mut tx, id, section_id).await?;
    tx.rollback().await?;
    let list_label = ctx.t("nb-editor-list-title");
    let heading = ctx.t_with("nb-image-add", &[("title", title.as_str())]);
    let page = ImagePage {
        errors,
        action: paths::section_image(id, section_id),
        back: paths::campaign(id),
        alt,
        caption,
        max_mb: MAIL_IMAGE_BYTES / (1024 * 1024),
        ctx: ctx
            .crumb(list_label, paths::CAMPAIGNS)
            .crumb(campaign.subject.clone(), paths::campaign(id))
            .titled(heading),
    };
    if status == StatusCode::OK {
        render(&page)
    } else {
        form::invalid_with(status, &page)
    }
}

async fn form_page(
    ctx: PageContext,
    Path((id, section_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    if load(&ctx, &id).await?.status.is_frozen() {
        return Ok(frozen_page());
    }
    let empty = (String::new(), String::new());
    page(
        ctx,
        &id,
        &section_id,
        empty,
        FormErrors::none(),
        StatusCode::OK,
    )
    .await
}

/// `![alt](href)` with the characters that would end the alt text or the address escaped, and
/// the caption as a paragraph under it.
fn image_markdown(alt: &str, href: &str, caption: &str) -> String {
    let escaped: String = alt
        .chars()
        .flat_map(|c| match c {
            '\\' | '[' | ']' | '*' | '_' | '`' => vec!['\\', c],
            _ => vec![c],
        })
        .collect();
    let image = format!("![{escaped}]({href})");
    if caption.is_empty() {
        image
    } else {
        format!("{image}\n\n{caption}")
    }
}

async fn upload(
    ctx: PageContext,
    Path((id, section_id)): Path<(String, String)>,
    request: Request,
) -> Result<Response, AppError> {
    let actor = require_editor(&ctx).await?;
    if load(&ctx, &id).await?.status.is_frozen() {
        return Ok(frozen_page());
    }
    let parts = match upload::read(request, ctx.state(), &LIMITS).await {
        Ok(parts) => parts,
        Err(error) => {
            let key = match error {
                UploadError::TooLarge => "nb-image-too-large",
                UploadError::Unreadable => "nb-image-unreadable",
            };
            let max = (MAIL_IMAGE_BYTES / (1024 * 1024)).to_string();
            let mut errors = FormErrors::none();
            errors.add("bestand", &ctx.t_with(key, &[("max", max.as_str())]));
            let empty = (String::new(), String::new());
            return page(ctx, &id, &section_id, empty, errors, error.status()).await;
        }
    };
    let (alt, caption) = (
        parts.field("alt").to_string(),
        parts.field("bijschrift").to_string(),
    );
    let mut errors = FormErrors::none();
    if parts.file.is_none() {
        errors.add("bestand", &ctx.t("nb-image-missing"));
    }
    if let Err(CoreError::Invalid(fields)) = site_images::validate_alt(&alt) {
        for field in fields {
            errors.add(&field.field, &field.message);
        }
    }
    if caption.chars().count() > CAPTION_MAX {
        let max = CAPTION_MAX.to_string();
        errors.add(
            "bijschrift",
            &ctx.t_with("nb-image-caption-too-long", &[("max", max.as_str())]),
        );
    }
    let Some(file) = parts.file.filter(|_| errors.is_empty()) else {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return page(ctx, &id, &section_id, (alt, caption), errors, status).await;
    };
    let name = file.name;
    let processed = tokio::task::spawn_blocking(move || site_images::process(&file.bytes))
        .await
        .map_err(|e| AppError::Internal(format!("afbeelding verwerken: {e}")))?;
    let processed = match processed {
        Ok(processed) => processed,
        Err(problem) => {
            errors.add("bestand", &problem.to_string());
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return page(ctx, &id, &section_id, (alt, caption), errors, status).await;
        }
    };
    let kenniscentrum_id = crate::access::kenniscentrum_id(ctx.state().db()).await?;
    let mut tx = ctx.state().db().begin().await?;
    let stored =
        site_images::store(&mut tx, &name, &alt, &processed, &actor, &kenniscentrum_id).await;
    let result = match stored {
        Ok(href) => {
            let markdown = image_markdown(&alt, &href, &caption);
            blocks::add_markdown(&mut tx, &id, &section_id, &markdown, &actor).await
        }
        Err(error) => Err(error),
    };
    if matches!(result, Err(CoreError::Conflict(_))) {
        tx.rollback().await?;
        return Ok(frozen_page());
    }
    match form::settle(tx, result).await? {
        Ok(block_id) => Ok(steden_web::flash::redirect_with(
            steden_web::flash::Flash::success(ctx.t("nb-image-saved")),
            &format!("{}#blok-{block_id}", paths::campaign(&id)),
        )),
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(ctx, &id, &section_id, (alt, caption), errors, status).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::image_markdown;

    #[test]
    fn alt_text_cannot_break_out_of_the_image() {
        assert_eq!(
            image_markdown("Kaart [oud] *v2*", "/afbeeldingen/x", ""),
            "![Kaart \\[oud\\] \\*v2\\*](/afbeeldingen/x)"
        );
        assert_eq!(
            image_markdown("Foto", "/afbeeldingen/y", "Gent, 2026"),
            "![Foto](/afbeeldingen/y)\n\nGent, 2026"
        );
    }
}
