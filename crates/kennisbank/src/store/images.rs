//! Images for pages and news: checked, resized and re-encoded on upload, stored as a file with
//! a `site_images` row that holds the required alt text and the size after resizing.
//!
//! An upload is trusted for nothing: the format comes from the bytes (never from the name),
//! decoding runs with limits on dimensions and memory (a small file that unpacks into a huge
//! picture is refused), and the picture is encoded anew from its pixels, which drops every
//! piece of metadata (camera, GPS position) the original carried.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::{CoreError, FieldError};
use steden_db::{new_id, now_ms, Tx};

use crate::model::PageKind;
use crate::store::files;

pub use crate::model::images::{href, SiteImage, Use};

/// The largest upload accepted (the file itself).
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
/// Wider pictures are scaled down to this width.
pub const MAX_WIDTH: u32 = 1600;
/// Pictures larger than this in either direction are refused before decoding.
pub const MAX_DIMENSION: u32 = 8000;
/// The most memory decoding may take.
pub const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
pub const MAX_ALT: usize = 250;
const JPEG_QUALITY: u8 = 85;

/// Why an upload is not an image we take, in Dutch for the form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageProblem {
    #[error("Dit bestand is geen afbeelding in een ondersteund formaat. Kies een PNG-, JPEG-, WebP- of GIF-afbeelding.")]
    UnknownFormat,
    #[error("De afbeelding is te groot: {width} × {height} beeldpunten. Hoogstens {MAX_DIMENSION} × {MAX_DIMENSION} beeldpunten.")]
    TooManyPixels { width: u32, height: u32 },
    #[error("De afbeelding is beschadigd of onvolledig en kan niet gelezen worden.")]
    Malformed,
    #[error("De afbeelding kon niet opnieuw opgeslagen worden.")]
    Encoding,
}

/// A picture ready to store.
#[derive(Debug, Clone)]
pub struct Processed {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub extension: &'static str,
    pub width: u32,
    pub height: u32,
}

/// Checks, decodes, scales down and re-encodes an uploaded picture. CPU-bound: call it from
/// `tokio::task::spawn_blocking`.
pub fn process(bytes: &[u8]) -> Result<Processed, ImageProblem> {
    let format = image::guess_format(bytes).map_err(|_| ImageProblem::UnknownFormat)?;
    if !matches!(
        format,
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP | ImageFormat::Gif
    ) {
        return Err(ImageProblem::UnknownFormat);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| problem(&e, bytes, format))?;
    let (width, height) = decoder.dimensions();
    if width > MAX_DIMENSION || height > MAX_DIMENSION {
        return Err(ImageProblem::TooManyPixels { width, height });
    }
    if decoder.total_bytes() > MAX_DECODE_BYTES {
        return Err(ImageProblem::TooManyPixels { width, height });
    }
    // Phone photos are often stored sideways with an orientation tag; the tag goes with the
    // metadata, so turn the pixels first.
    let orientation = decoder.orientation().ok();
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|_| ImageProblem::Malformed)?;
    if let Some(orientation) = orientation {
        picture.apply_orientation(orientation);
    }
    if picture.width() > MAX_WIDTH {
        let height = (u64::from(picture.height()) * u64::from(MAX_WIDTH)
            / u64::from(picture.width()))
        .max(1) as u32;
        picture = picture.resize_exact(MAX_WIDTH, height, image::imageops::FilterType::CatmullRom);
    }
    let (width, height) = (picture.width(), picture.height());
    let mut out = Vec::new();
    // Transparency needs PNG; everything else is taken as a photo.
    if picture.color().has_alpha() {
        let encoder = image::codecs::png::PngEncoder::new(&mut out);
        DynamicImage::ImageRgba8(picture.to_rgba8())
            .write_with_encoder(encoder)
            .map_err(|_| ImageProblem::Encoding)?;
        Ok(Processed {
            bytes: out,
            content_type: "image/png",
            extension: "png",
            width,
            height,
        })
    } else {
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
        DynamicImage::ImageRgb8(picture.to_rgb8())
            .write_with_encoder(encoder)
            .map_err(|_| ImageProblem::Encoding)?;
        Ok(Processed {
            bytes: out,
            content_type: "image/jpeg",
            extension: "jpg",
            width,
            height,
        })
    }
}

/// The problem behind a decoder that would not start: too many pixels, or a broken file.
fn problem(error: &image::ImageError, bytes: &[u8], format: ImageFormat) -> ImageProblem {
    if matches!(error, image::ImageError::Limits(_)) {
        // Read the size without limits (headers only) to tell the editor what it was.
        let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
        reader.no_limits();
        if let Ok((width, height)) = reader.into_dimensions() {
            return ImageProblem::TooManyPixels { width, height };
        }
        return ImageProblem::TooManyPixels {
            width: 0,
            height: 0,
        };
    }
    ImageProblem::Malformed
}

/// The alt text, trimmed; required, at most [`MAX_ALT`] characters.
pub fn validate_alt(alt: &str) -> Result<String, CoreError> {
    let alt = alt.split_whitespace().collect::<Vec<_>>().join(" ");
    if alt.is_empty() {
        return Err(CoreError::Invalid(vec![FieldError::new(
            "alt",
            "Beschrijf wat er op de afbeelding staat (alternatieve tekst): wie de afbeelding niet \
             ziet, leest of hoort deze tekst.",
        )]));
    }
    if alt.chars().count() > MAX_ALT {
        return Err(CoreError::Invalid(vec![FieldError::new(
            "alt",
            format!("De alternatieve tekst mag hoogstens {MAX_ALT} tekens lang zijn."),
        )]));
    }
    Ok(alt)
}

/// The stored name: the uploaded name's stem with the extension of the new encoding.
fn stored_name(original: &str, extension: &str) -> String {
    let safe = files::safe_filename(original);
    let stem = match safe.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => safe,
    };
    format!("{stem}.{extension}")
}

/// Stores a processed picture with its alt text: file, image row and audit entry in the
/// caller's transaction. Returns the image id.
pub async fn insert(
    tx: &mut Tx<'_>,
    original_name: &str,
    alt: &str,
    picture: &Processed,
    actor: &AuditActor,
    organisation_id: &str,
) -> CoreResult<String> {
    let alt = validate_alt(alt)?;
    let filename = stored_name(original_name, picture.extension);
    let file_id = files::insert(
        tx,
        &filename,
        picture.content_type,
        &picture.bytes,
        actor.user_id.as_deref(),
    )
    .await?;
    let id = new_id();
    sqlx::query(
        "INSERT INTO site_images (id, file_id, alt, width, height, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(&file_id)
    .bind(&alt)
    .bind(i64::from(picture.width))
    .bind(i64::from(picture.height))
    .bind(actor.user_id.as_deref())
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "site_image",
            entity_id: &id,
            action: "create",
            summary: &format!("Afbeelding ‘{filename}’ opgeladen"),
            changes: Changes::new()
                .created("alt", &alt)
                .created("width", picture.width)
                .created("height", picture.height),
        },
    )
    .await?;
    Ok(id)
}

const SELECT: &str = "SELECT i.id, i.file_id, i.alt, i.width, i.height, f.filename, \
     f.content_type, f.size_bytes, i.created_at \
     FROM site_images i JOIN kb_files f ON f.id = i.file_id";

fn from_row(row: &sqlx::any::AnyRow) -> SiteImage {
    SiteImage {
        id: row.get("id"),
        file_id: row.get("file_id"),
        alt: row.get("alt"),
        width: row.get("width"),
        height: row.get("height"),
        filename: row.get("filename"),
        content_type: row.get("content_type"),
        size_bytes: row.get("size_bytes"),
        created_at: row.get("created_at"),
    }
}

/// Every image, newest first.
pub async fn list<'e, E: Executor<'e, Database = Any>>(executor: E) -> CoreResult<Vec<SiteImage>> {
    let rows = sqlx::query(&format!("{SELECT} ORDER BY i.created_at DESC, i.id DESC"))
        .fetch_all(executor)
        .await?;
    Ok(rows.iter().map(from_row).collect())
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<SiteImage>> {
    let row = sqlx::query(&format!("{SELECT} WHERE i.id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?;
    Ok(row.as_ref().map(from_row))
}

/// The image with the bytes of its file.
pub async fn load<'e, E: Executor<'e, Database = Any> + Copy>(
    executor: E,
    id: &str,
) -> CoreResult<Option<(SiteImage, Vec<u8>)>> {
    let Some(image) = find(executor, id).await? else {
        return Ok(None);
    };
    Ok(files::load(executor, &image.file_id)
        .await?
        .map(|(_, bytes)| (image, bytes)))
}

/// Which pages show which image.
pub async fn uses<'e, E: Executor<'e, Database = Any>>(executor: E) -> CoreResult<Vec<Use>> {
    let rows = sqlx::query(
        "SELECT image_id, id, kind, title FROM site_pages WHERE image_id IS NOT NULL ORDER BY title",
    )
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(|row| Use {
            image_id: row.get("image_id"),
            page_id: row.get("id"),
            kind: PageKind::parse(&row.get::<String, _>("kind")).unwrap_or(PageKind::Pagina),
            title: row.get("title"),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32, alpha: bool) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let picture = if alpha {
            DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
                width,
                height,
                image::Rgba([10, 20, 30, 128]),
            ))
        } else {
            DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
                width,
                height,
                image::Rgb([10, 20, 30]),
            ))
        };
        picture.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn wide_pictures_are_scaled_and_reencoded() {
        let done = process(&png(2000, 1000, false)).unwrap();
        assert_eq!((done.width, done.height), (1600, 800));
        assert_eq!(done.content_type, "image/jpeg");
        assert_eq!(image::guess_format(&done.bytes).unwrap(), ImageFormat::Jpeg);

        let done = process(&png(300, 200, true)).unwrap();
        assert_eq!((done.width, done.height), (300, 200));
        assert_eq!(done.content_type, "image/png");
    }

    #[test]
    fn what_is_not_a_picture_is_refused() {
        assert_eq!(
            process(b"Dit is tekst, geen PNG.").unwrap_err(),
            ImageProblem::UnknownFormat
        );
        let mut broken = png(100, 100, false);
        broken.truncate(60);
        assert_eq!(process(&broken).unwrap_err(), ImageProblem::Malformed);
    }

    /// Pictures beyond the limits are refused, and a PNG header that promises 20000 × 20000
    /// pixels is refused before any pixel is decoded.
    #[test]
    fn decompression_bombs_are_refused() {
        assert_eq!(
            process(&png(8001, 2, false)).unwrap_err(),
            ImageProblem::TooManyPixels {
                width: 8001,
                height: 2
            }
        );
        let mut bomb = png(1, 1, false);
        // IHDR width and height sit at bytes 16..24; the CRC no longer matches, which the
        // decoder may report instead: either way nothing is decoded.
        bomb[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        let problem = process(&bomb).unwrap_err();
        assert!(
            matches!(
                problem,
                ImageProblem::TooManyPixels { .. } | ImageProblem::Malformed
            ),
            "{problem:?}"
        );
    }

    #[test]
    fn alt_text_is_required_and_limited() {
        assert!(validate_alt("  ").is_err());
        assert!(validate_alt(&"a".repeat(251)).is_err());
        assert_eq!(
            validate_alt(" Het  stadhuis\nvan Gent ").unwrap(),
            "Het stadhuis van Gent"
        );
        assert_eq!(stored_name("../foto.JPEG", "jpg"), "foto.jpg");
        assert_eq!(stored_name("foto", "png"), "foto.png");
    }
}
