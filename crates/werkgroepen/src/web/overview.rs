//! The Kenniscentrum's overview (`/werkgroepen/overzicht?weken=6`, design §3.1): the meetings of
//! every group in the coming weeks, and the groups that have not met for longer than their
//! cadence allows (§3.6). Staff only: it lists hidden groups too.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use steden_db::now_ms;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::access;
use crate::paths;
use crate::store::meetings::MeetingStatus;
use crate::store::overview;

use super::group::actor;
use super::mine::{show, MeetingRow};

pub fn routes() -> Router<AppState> {
    Router::new().route(paths::OVERVIEW, get(page))
}

/// The weeks ahead when none are asked.
pub const DEFAULT_WEEKS: i64 = 6;

/// The longest look ahead: half a year covers the rarest cadence once.
pub const MAX_WEEKS: i64 = 26;

/// The choices of the weeks selector.
const WEEK_CHOICES: &[i64] = &[2, 4, 6, 8, 12, 26];

/// The weeks asked for: a whole number from 1 to [`MAX_WEEKS`]; otherwise an error message in
/// Dutch (the page then shows the default).
pub fn parse_weeks(text: Option<&str>) -> Result<i64, &'static str> {
    match text.map(str::trim) {
        None | Some("") => Ok(DEFAULT_WEEKS),
        Some(text) => match text.parse::<i64>() {
            Ok(weeks) if (1..=MAX_WEEKS).contains(&weeks) => Ok(weeks),
            _ => Err("Kies een aantal weken van 1 tot 26."),
        },
    }
}

#[derive(Debug, Default, Deserialize)]
struct OverviewQuery {
    weken: Option<String>,
}

struct Choice {
    weeks: i64,
    current: bool,
}

struct ComingRow {
    meeting: MeetingRow,
    cancelled: bool,
    status: &'static str,
}

struct OverdueRow {
    name: String,
    href: String,
    cadence: String,
    last_met: String,
    days: i64,
}

#[derive(Template)]
#[template(path = "werkgroepen/overview.html")]
struct OverviewPage {
    ctx: PageContext,
    weeks: i64,
    error: Option<&'static str>,
    choices: Vec<Choice>,
    coming: Vec<ComingRow>,
    overdue: Vec<OverdueRow>,
}

async fn page(ctx: PageContext, Query(query): Query<OverviewQuery>) -> Result<Response, AppError> {
    ctx.require_user()?;
    let db = ctx.state().db();
    let kenniscentrum_id = access::kenniscentrum_id(db).await?;
    access::require_staff(&actor(&ctx), &kenniscentrum_id)?;
    let (weeks, error) = match parse_weeks(query.weken.as_deref()) {
        Ok(weeks) => (weeks, None),
        Err(message) => (DEFAULT_WEEKS, Some(message)),
    };
    let now = now_ms();
    let coming = overview::coming(db.pool(), now, now + weeks * 7 * 24 * 3_600_000)
        .await?
        .into_iter()
        .map(|m| ComingRow {
            cancelled: m.status == MeetingStatus::Geannuleerd,
            status: m.status.label(),
            meeting: MeetingRow {
                date: show(&m.local_date),
                time: format!("{}–{}", m.local_start, m.local_end),
                group_href: paths::group(&m.group_slug),
                href: paths::group_meeting(&m.group_slug, &m.id),
                group: m.group_name,
                title: m.title,
                place: m.place,
            },
        })
        .collect();
    let overdue = overview::overdue(db.pool(), now, crate::store::meetings::today())
        .await?
        .into_iter()
        .map(|g| OverdueRow {
            href: paths::group_meetings(&g.slug),
            cadence: ctx.t(&g.cadence.label_key()),
            last_met: g
                .last_met
                .as_deref()
                .map(show)
                .unwrap_or_else(|| ctx.t("wg-overview-never-met")),
            days: g.days_since,
            name: g.name,
        })
        .collect();
    let choices = WEEK_CHOICES
        .iter()
        .map(|&w| Choice {
            weeks: w,
            current: w == weeks,
        })
        .collect();
    let title = ctx.t("wg-overview-title");
    let list = ctx.t("wg-groups-title");
    render(&OverviewPage {
        weeks,
        error,
        choices,
        coming,
        overdue,
        ctx: ctx.crumb(list, paths::GROUPS).titled(title),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_are_a_whole_number_up_to_half_a_year() {
        assert_eq!(parse_weeks(None), Ok(6));
        assert_eq!(parse_weeks(Some(" 4 ")), Ok(4));
        assert_eq!(parse_weeks(Some("26")), Ok(26));
        assert!(parse_weeks(Some("27")).is_err());
        assert!(parse_weeks(Some("0")).is_err());
        assert!(parse_weeks(Some("zes")).is_err());
    }
}
