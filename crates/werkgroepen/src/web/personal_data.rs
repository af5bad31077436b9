//! The person's own data (`/werkgroepen/mijn/gegevens`, issue 13 point 8): every record the
//! module holds about the logged-in person, per kind, and the same as a JSON download
//! (`…/gegevens.json`). Only ever their own: the id comes from the session, never the URL.

use askama::Template;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::Value;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::paths;
use crate::store::personal_data;

/// The page and its download.
pub const PAGE: &str = "/werkgroepen/mijn/gegevens";
pub const DOWNLOAD: &str = "/werkgroepen/mijn/gegevens.json";

/// The parts in the order the page shows them, with their heading's message id.
const PARTS: &[(&str, &str)] = &[
    ("memberships", "wg-data-memberships"),
    ("facilitates", "wg-data-facilitates"),
    ("replies", "wg-data-replies"),
    ("meeting_attendance", "wg-data-meeting-attendance"),
    ("agenda_proposals", "wg-data-agenda-proposals"),
    ("files", "wg-data-files"),
    ("minutes_comments", "wg-data-minutes-comments"),
    ("action_points", "wg-data-action-points"),
    ("registrations", "wg-data-registrations"),
    ("evaluation_answers", "wg-data-evaluation-answers"),
    ("feed_tokens", "wg-data-feed-tokens"),
    ("mails", "wg-data-mails"),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(PAGE, get(page))
        .route(DOWNLOAD, get(download))
}

struct Part {
    heading: String,
    /// One line per record: its filled-in fields as `name: value`.
    records: Vec<String>,
}

#[derive(Template)]
#[template(path = "werkgroepen/my_data.html")]
struct DataPage {
    ctx: PageContext,
    parts: Vec<Part>,
    download: &'static str,
}

async fn collect(ctx: &PageContext) -> Result<Value, AppError> {
    let user = ctx.require_user()?;
    Ok(personal_data::collect(ctx.state().db(), &user.user_id, &user.name, &user.email).await?)
}

pub(crate) fn record_line(record: &Value) -> String {
    let Value::Object(fields) = record else {
        return record.to_string();
    };
    fields
        .iter()
        .filter(|(_, v)| !v.is_null() && v.as_str() != Some(""))
        .map(|(k, v)| match v {
            Value::String(s) => format!("{k}: {s}"),
            other => format!("{k}: {other}"),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

async fn page(ctx: PageContext) -> Result<Response, AppError> {
    let data = collect(&ctx).await?;
    let parts = PARTS
        .iter()
        .map(|(key, heading)| Part {
            heading: ctx.t(heading),
            records: data[*key]
                .as_array()
                .map(|rows| rows.iter().map(record_line).collect())
                .unwrap_or_default(),
        })
        .collect();
    let title = ctx.t("wg-data-title");
    let list = ctx.t("wg-groups-title");
    render(&DataPage {
        parts,
        download: DOWNLOAD,
        ctx: ctx.crumb(list, paths::GROUPS).titled(title),
    })
}

async fn download(ctx: PageContext) -> Result<Response, AppError> {
    let data = collect(&ctx).await?;
    let body =
        serde_json::to_vec_pretty(&data).map_err(|e| steden_core::CoreError::Internal(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"werkgroepen-mijn-gegevens.json\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}
