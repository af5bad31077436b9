//! The platform core's own API (module "core"): the token itself, organisations, the audit
//! trail and jobs.

mod audit;
mod jobs;
mod me;
mod organisations;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me::me))
        .routes(routes!(organisations::list))
        .routes(routes!(organisations::get, organisations::update))
        .routes(routes!(audit::list))
        .routes(routes!(jobs::get))
}

/// A stored timestamp (ms, UTC) as RFC 3339 in UTC, e.g. `2026-11-28T13:05:00.000Z`.
pub(crate) fn rfc3339(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// A calendar date as `YYYY-MM-DD`.
pub(crate) fn iso_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Today in Belgium: which REFNIS code is "current" depends on the Belgian calendar day.
pub(crate) fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Brussels)
        .date_naive()
}
