//! An event series' page (`/werkgroepen/activiteiten/reeksen/{id}`): its events in order with
//! date, kind, places and status, and for the organiser the registrations and attendance per
//! event and in all. Visible as its events are: a visitor sees the events they may see; a
//! series whose events are all for members sends an anonymous visitor to log in.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use steden_web::page::{render, PageContext};
use steden_web::AppError;

use super::{actor, may_see, EventRow};
use crate::access;
use crate::paths;
use crate::store::event_changes;
use crate::store::events::Event;

/// One event of the series, with its counts for the organiser.
struct SeriesEventRow {
    event: EventRow,
    status: String,
    registrations: i64,
    attended: i64,
}

#[derive(Template)]
#[template(path = "werkgroepen/events/series.html")]
struct SeriesPage {
    ctx: PageContext,
    description: String,
    rows: Vec<SeriesEventRow>,
    organises: bool,
    total_registrations: i64,
    total_attended: i64,
}

/// The status word of an event.
pub(super) fn status_word(ctx: &PageContext, event: &Event) -> String {
    match event.status.as_str() {
        "geannuleerd" => ctx.t("wgev-status-geannuleerd"),
        "gehouden" => ctx.t("wgev-status-gehouden"),
        _ => ctx.t("wgev-status-gepland"),
    }
}

pub(super) async fn show(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let pool = ctx.state().db().pool();
    let series = event_changes::find_series(pool, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let all = event_changes::series_events(pool, &id).await?;
    let visible: Vec<&Event> = all.iter().filter(|e| may_see(&ctx, e)).collect();
    if !all.is_empty() && visible.is_empty() {
        // Members' events only: as an event of its own, log in first.
        ctx.require_user()?;
        return Err(AppError::NotFound);
    }
    let kenniscentrum = access::kenniscentrum_id(ctx.state().db()).await?;
    let organises = !visible.is_empty()
        && visible.iter().all(|e| {
            access::may_organise_event(&actor(&ctx), &kenniscentrum, e.organiser_id.as_deref())
        });
    let counts = if organises {
        event_changes::series_counts(pool, &id).await?
    } else {
        Vec::new()
    };
    let rows: Vec<SeriesEventRow> = visible
        .iter()
        .map(|e| {
            let count = counts.iter().find(|c| c.event_id == e.id);
            SeriesEventRow {
                event: EventRow::of(&ctx, e),
                status: status_word(&ctx, e),
                registrations: count.map(|c| c.registrations).unwrap_or(0),
                attended: count.map(|c| c.attended).unwrap_or(0),
            }
        })
        .collect();
    let total_registrations = rows.iter().map(|r| r.registrations).sum();
    let total_attended = rows.iter().map(|r| r.attended).sum();
    let list = ctx.t("wg-events-title");
    let title = ctx.t_with("wgev-series-title", &[("series", series.title.as_str())]);
    render(&SeriesPage {
        ctx: ctx.crumb(list, paths::EVENTS).titled(title),
        description: series.description_md,
        rows,
        organises,
        total_registrations,
        total_attended,
    })
}
