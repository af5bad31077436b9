//! An indicator's public figures as files: CSV and XLSX for people, JSON-stat 2.0 and SDMX-CSV
//! 2.0 for machines (`/cijfers/indicator/{code}/download/{format}`). They are made from the
//! store's public cube, so they hold exactly what the indicator's page shows: published
//! indicators only, never a suppressed value. The API answers JSON-stat and SDMX-CSV with the
//! same [`render`].

use axum::extract::Path;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use steden_web::page::PageContext;
use steden_web::{AppError, AppState};

use crate::opendata::{download, jsonstat, sdmx, swing_bundle, Cube};
use crate::paths;
use crate::store::cube::public_cube;

pub fn routes() -> Router<AppState> {
    Router::new().route(paths::INDICATOR_DOWNLOAD_ROUTE, get(download_file))
}

/// The formats of a download, as the path names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    JsonStat,
    Sdmx,
    /// Swing's bulk format: a zip with the data file and its metadata file.
    Swing,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Csv,
        Format::Xlsx,
        Format::JsonStat,
        Format::Sdmx,
        Format::Swing,
    ];

    pub fn parse(text: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == text)
    }

    /// The path segment.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::JsonStat => "json",
            Format::Sdmx => "sdmx",
            Format::Swing => "swing",
        }
    }

    /// What the link says.
    pub fn label(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Xlsx => "Excel (XLSX)",
            Format::JsonStat => "JSON-stat 2.0",
            Format::Sdmx => "SDMX-CSV 2.0",
            Format::Swing => "Swing-bulkbestand (zip)",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::JsonStat => "json",
            Format::Sdmx => "sdmx.csv",
            Format::Swing => "swing.zip",
        }
    }
}

/// The file of `cube` in `format`: content type and bytes; an error text (Dutch) when a writer
/// refuses the cube.
pub fn render(cube: &Cube, format: Format) -> Result<(&'static str, Vec<u8>), String> {
    Ok(match format {
        Format::Csv => ("text/csv; charset=utf-8", download::csv(cube)),
        Format::Xlsx => (
            download::XLSX_CONTENT_TYPE,
            download::xlsx(cube).map_err(|e| e.to_string())?,
        ),
        Format::JsonStat => (
            jsonstat::CONTENT_TYPE,
            serde_json::to_vec(&jsonstat::dataset(cube)).map_err(|e| e.to_string())?,
        ),
        Format::Sdmx => (
            sdmx::CONTENT_TYPE,
            sdmx::write(cube, &sdmx::Dataflow::for_cube(cube))
                .map_err(|e| e.to_string())?
                .into_bytes(),
        ),
        Format::Swing => (swing_bundle::CONTENT_TYPE, swing_bundle::zip(cube)?),
    })
}

/// The response of a file: its content type, and a file name to save it under.
pub fn file_response(cube: &Cube, format: Format) -> Result<Response, String> {
    let (content_type, bytes) = render(cube, format)?;
    let name = download::file_name(cube, format.extension());
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

async fn download_file(
    ctx: PageContext,
    Path((code, format)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let format = Format::parse(&format).ok_or(AppError::NotFound)?;
    let state = ctx.state();
    let cube = public_cube(state.db().pool(), &[&code], &state.config().base_url)
        .await?
        .ok_or(AppError::NotFound)?;
    file_response(&cube, format).map_err(AppError::Internal)
}
