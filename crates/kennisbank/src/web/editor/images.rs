//! `/beheer/site/afbeeldingen`: uploading images (with required alt text) and the list of
//! images with where each is used; `/afbeeldingen/{id}` serves them to everyone, since they
//! only appear on public pages.
//!
//! The upload is multipart with the CSRF token in the query (the CSRF layer does not buffer
//! multipart bodies). The route raises the body limit to the upload limit plus room for the
//! other fields; a larger upload gets a Dutch 413 page with the form. Decoding and resizing
//! run on the blocking pool so that a large picture never stalls other requests.

use askama::Template;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures::StreamExt;
use steden_core::CoreError;
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use super::{editor_crumbs, kind_label, require_editor};
use crate::paths;
use crate::store::images::{self, ImageProblem};

/// The body limit of the upload route: the file plus the other fields and multipart framing.
const BODY_LIMIT: usize = images::MAX_UPLOAD_BYTES + 64 * 1024;
/// How much of a too large upload is read (and thrown away) so that the browser gets to see
/// the answer instead of a broken connection. Beyond this the connection is simply closed.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            paths::IMAGES,
            get(list)
                .post(upload)
                .layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/afbeeldingen/{id}", get(serve))
}

struct UseLink {
    href: String,
    label: String,
}

struct ImageRow {
    href: String,
    alt: String,
    filename: String,
    size: String,
    /// The thumbnail's size (at most 160 wide), keeping the proportions.
    thumb_width: i64,
    thumb_height: i64,
    uploaded: String,
    used_on: Vec<UseLink>,
}

#[derive(Template)]
#[template(path = "kennisbank/editor/images.html")]
struct ImagesPage {
    ctx: PageContext,
    errors: FormErrors,
    alt: String,
    rows: Vec<ImageRow>,
    max_mb: usize,
    max_width: u32,
}

async fn images_page(
    ctx: PageContext,
    errors: FormErrors,
    alt: String,
) -> Result<ImagesPage, AppError> {
    let db = ctx.state().db();
    let uses = images::uses(db.pool()).await?;
    let rows = images::list(db.pool())
        .await?
        .into_iter()
        .map(|image| {
            let thumb_width = image.width.clamp(1, 160);
            let thumb_height = (image.height * thumb_width / image.width.max(1)).max(1);
            ImageRow {
                href: image.href(),
                size: format!("{} × {}", image.width, image.height),
                thumb_width,
                thumb_height,
                uploaded: steden_core::time::format_datetime(image.created_at),
                used_on: uses
                    .iter()
                    .filter(|u| u.image_id == image.id)
                    .map(|u| UseLink {
                        href: paths::edit_page(&u.page_id),
                        label: format!("{} ({})", u.title, kind_label(&ctx, u.kind)),
                    })
                    .collect(),
                alt: image.alt,
                filename: image.filename,
            }
        })
        .collect();
    let title = ctx.t("kb-ed-images-title");
    Ok(ImagesPage {
        ctx: editor_crumbs(ctx).titled(title),
        errors,
        alt,
        rows,
        max_mb: images::MAX_UPLOAD_BYTES / (1024 * 1024),
        max_width: images::MAX_WIDTH,
    })
}

async fn list(ctx: PageContext) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    render(&images_page(ctx, FormErrors::none(), String::new()).await?)
}

/// The form again with `errors`, answered with `status`.
async fn refused(
    ctx: PageContext,
    status: StatusCode,
    errors: FormErrors,
    alt: String,
) -> Result<Response, AppError> {
    let page = images_page(ctx, errors, alt).await?;
    Ok((status, Html(steden_web::page::finish(page.render()?))).into_response())
}

fn too_large(ctx: &PageContext) -> FormErrors {
    let mut errors = FormErrors::none();
    errors.add(
        "bestand",
        &ctx.t_with(
            "kb-ed-image-too-large",
            &[(
                "mb",
                &(images::MAX_UPLOAD_BYTES / (1024 * 1024)).to_string(),
            )],
        ),
    );
    errors
}

/// Reads and discards the rest of a refused body, up to [`DRAIN_LIMIT`].
async fn drain(body: axum::body::Body) {
    let mut stream = body.into_data_stream();
    let mut read = 0usize;
    while let Some(Ok(chunk)) = stream.next().await {
        read += chunk.len();
        if read > DRAIN_LIMIT {
            break;
        }
    }
}

/// The uploaded file and the alt text.
#[derive(Default)]
struct Upload {
    filename: String,
    bytes: Vec<u8>,
    alt: String,
}

enum ReadError {
    TooLarge,
    Unreadable,
}

async fn read_upload(mut multipart: Multipart) -> Result<Upload, ReadError> {
    let mut upload = Upload::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ReadError::TooLarge)
            }
            Err(_) => return Err(ReadError::Unreadable),
        };
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.file_name().map(str::to_string);
        let data = field.bytes().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ReadError::TooLarge
            } else {
                ReadError::Unreadable
            }
        })?;
        match name.as_str() {
            "bestand" => {
                upload.filename = filename.unwrap_or_default();
                upload.bytes = data.to_vec();
            }
            "alt" => upload.alt = String::from_utf8_lossy(&data).to_string(),
            _ => {}
        }
    }
    Ok(upload)
}

async fn upload(ctx: PageContext, request: Request) -> Result<Response, AppError> {
    let editor = require_editor(&ctx).await?;
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT) {
        drain(request.into_body()).await;
        let errors = too_large(&ctx);
        return refused(ctx, StatusCode::PAYLOAD_TOO_LARGE, errors, String::new()).await;
    }
    let upload = match Multipart::from_request(request, ctx.state()).await {
        Ok(multipart) => read_upload(multipart).await,
        Err(_) => Err(ReadError::Unreadable),
    };
    let upload = match upload {
        Ok(upload) => upload,
        Err(ReadError::TooLarge) => {
            let errors = too_large(&ctx);
            return refused(ctx, StatusCode::PAYLOAD_TOO_LARGE, errors, String::new()).await;
        }
        Err(ReadError::Unreadable) => {
            let mut errors = FormErrors::none();
            errors.add("bestand", &ctx.t("kb-ed-image-unreadable-form"));
            return refused(ctx, StatusCode::BAD_REQUEST, errors, String::new()).await;
        }
    };
    let mut errors = FormErrors::none();
    if upload.bytes.is_empty() {
        errors.add("bestand", &ctx.t("kb-ed-image-missing"));
    } else if upload.bytes.len() > images::MAX_UPLOAD_BYTES {
        let too_large = too_large(&ctx);
        return refused(ctx, StatusCode::PAYLOAD_TOO_LARGE, too_large, upload.alt).await;
    }
    if let Err(CoreError::Invalid(fields)) = images::validate_alt(&upload.alt) {
        for field in fields {
            errors.add(&field.field, &field.message);
        }
    }
    if !errors.is_empty() {
        return refused(ctx, StatusCode::UNPROCESSABLE_ENTITY, errors, upload.alt).await;
    }
    let Upload {
        filename,
        bytes,
        alt,
    } = upload;
    let processed = tokio::task::spawn_blocking(move || images::process(&bytes))
        .await
        .map_err(|e| AppError::Internal(format!("afbeelding verwerken: {e}")))?;
    let processed = match processed {
        Ok(processed) => processed,
        Err(problem) => {
            let mut errors = FormErrors::none();
            errors.add("bestand", &problem_message(&problem));
            return refused(ctx, StatusCode::UNPROCESSABLE_ENTITY, errors, alt).await;
        }
    };
    let mut tx = ctx.state().db().begin().await?;
    let result = images::insert(
        &mut tx,
        &filename,
        &alt,
        &processed,
        &editor.audit,
        &editor.organisation_id,
    )
    .await;
    match form::settle(tx, result).await? {
        Ok(_) => {
            let message = ctx.t_with(
                "kb-ed-image-stored",
                &[
                    ("width", &processed.width.to_string()),
                    ("height", &processed.height.to_string()),
                ],
            );
            Ok(flash::redirect_with(Flash::success(message), paths::IMAGES))
        }
        Err(errors) => refused(ctx, StatusCode::UNPROCESSABLE_ENTITY, errors, alt).await,
    }
}

/// The Dutch reason for a refused picture (the store's messages are Dutch already).
fn problem_message(problem: &ImageProblem) -> String {
    problem.to_string()
}

/// `inline; filename="…"` with an ASCII fallback and the full name per RFC 5987.
fn content_disposition(filename: &str) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .filter(|c| *c != '"' && *c != '\\')
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("inline; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Serves an image to everyone, with its stored type and a day of caching.
async fn serve(
    axum::extract::State(state): axum::extract::State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let Some((image, bytes)) = images::load(state.db().pool(), &id).await? else {
        return Err(AppError::NotFound);
    };
    // Only picture types are ever stored for images; anything else is served as bytes.
    let content_type = match image.content_type.as_str() {
        "image/png" => "image/png",
        "image/jpeg" => "image/jpeg",
        "image/webp" => "image/webp",
        "image/gif" => "image/gif",
        _ => "application/octet-stream",
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    if let Ok(value) = HeaderValue::from_str(&content_disposition(&image.filename)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::content_disposition;

    #[test]
    fn file_names_are_safe_in_the_header() {
        assert_eq!(
            content_disposition("stadhuis gent.jpg"),
            "inline; filename=\"stadhuis gent.jpg\"; filename*=UTF-8''stadhuis%20gent.jpg"
        );
        assert_eq!(
            content_disposition("één.png"),
            "inline; filename=\"__n.png\"; filename*=UTF-8''%C3%A9%C3%A9n.png"
        );
    }
}
