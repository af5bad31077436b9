//! The plan's indicator "bijeenkomsten gehouden" (issue 13 point 6), measured by the meetings
//! that actually took place: this module offers the plan its groups and event series as
//! measurement series through the plan's port ([`MeasurementSource`]), and tells the plan when a
//! meeting's status changes ([`meetings_changed`]), so a linked indicator follows by itself.
//!
//! A series is `groep:<group id>` (the group's meetings marked held) or `reeks:<event series
//! id>` (the series' events that took place: attendance recorded with someone present). Its measurements are one per date a meeting took
//! place, the value being the number held so far in that calendar year, so the indicator reads
//! "3 of at least 3" at the third meeting of the year and starts again in January; the comment
//! names the meeting, so the plan item's measurement list is the list of meetings behind it.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, NaiveDate};
use futures::future::BoxFuture;
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{Db, Tx};
use steden_plan::ports::{MeasurementSource, SourceMeasurement, SourceSeries};
use steden_plan::site;

use crate::store::held::{self, HeldOccasion};

/// The source's key, stored on every linked indicator: never change it.
pub const SOURCE_KEY: &str = "werkgroepen.meetings";

const GROUP_PREFIX: &str = "groep:";
const EVENT_SERIES_PREFIX: &str = "reeks:";

/// The series of a group's meetings.
pub fn group_series_ref(group_id: &str) -> String {
    format!("{GROUP_PREFIX}{group_id}")
}

/// The series of an event series' events.
pub fn event_series_ref(series_id: &str) -> String {
    format!("{EVENT_SERIES_PREFIX}{series_id}")
}

/// Tells the plan, in the caller's transaction, that the meetings of `group_id` changed (one
/// was marked held or not held, moved or cancelled): indicators linked to the group are pulled
/// again once the transaction commits, and nothing is queued when none is linked.
pub async fn meetings_changed(tx: &mut Tx<'_>, group_id: &str) -> CoreResult<()> {
    steden_plan::ports::source_changed(tx, SOURCE_KEY, &group_series_ref(group_id)).await
}

/// Tells the plan that the events of event series `series_id` changed.
pub async fn events_changed(tx: &mut Tx<'_>, series_id: &str) -> CoreResult<()> {
    steden_plan::ports::source_changed(tx, SOURCE_KEY, &event_series_ref(series_id)).await
}

/// The werkgroepen module as a measurement source for plan indicators.
#[derive(Debug, Default, Clone, Copy)]
pub struct MeetingsHeld;

impl MeasurementSource for MeetingsHeld {
    fn key(&self) -> &str {
        SOURCE_KEY
    }

    fn label(&self) -> &str {
        "Werkgroepen: gehouden bijeenkomsten"
    }

    /// The groups filed under an item of one of the organisation's published plans, and for the
    /// Kenniscentrum every event series: an organisation without such groups is offered nothing.
    fn series<'a>(
        &'a self,
        db: &'a Db,
        organisation_id: &'a str,
    ) -> BoxFuture<'a, CoreResult<Vec<SourceSeries>>> {
        Box::pin(async move {
            let mut conn = db.pool().acquire().await?;
            let items: HashSet<String> = site::published_structure(&mut conn, organisation_id)
                .await?
                .into_iter()
                .flat_map(|plan| plan.items.into_iter().map(|item| item.id))
                .collect();
            drop(conn);
            // Event series are the Kenniscentrum's own: offered to its plans, and to another
            // organisation only through a group filed under one of its plans.
            let organiser = crate::access::kenniscentrum_id(db).await? == organisation_id;
            let linked = held::linked(db.pool()).await?;
            Ok(linked
                .into_iter()
                .filter(|series| {
                    (organiser && series.kind == "reeks")
                        || series.plan_item_ids.iter().any(|id| items.contains(id))
                })
                .map(|series| {
                    let (series_ref, label) = if series.kind == "groep" {
                        (
                            group_series_ref(&series.id),
                            format!("{}: gehouden vergaderingen", series.title),
                        )
                    } else {
                        (
                            event_series_ref(&series.id),
                            format!("{}: gehouden activiteiten", series.title),
                        )
                    };
                    SourceSeries {
                        series_ref,
                        label,
                        unit: "bijeenkomsten".to_string(),
                    }
                })
                .collect())
        })
    }

    fn measurements<'a>(
        &'a self,
        db: &'a Db,
        _organisation_id: &'a str,
        series_ref: &'a str,
    ) -> BoxFuture<'a, CoreResult<Vec<SourceMeasurement>>> {
        Box::pin(async move {
            let (occasions, noun) = if let Some(group_id) = series_ref.strip_prefix(GROUP_PREFIX) {
                held::group_name(db.pool(), group_id)
                    .await?
                    .ok_or(CoreError::NotFound("werkgroep"))?;
                (
                    held::held_meetings(db.pool(), group_id).await?,
                    "Vergadering",
                )
            } else if let Some(series_id) = series_ref.strip_prefix(EVENT_SERIES_PREFIX) {
                held::series_title(db.pool(), series_id)
                    .await?
                    .ok_or(CoreError::NotFound("reeks"))?;
                (held::held_events(db.pool(), series_id).await?, "Activiteit")
            } else {
                return Err(CoreError::NotFound("reeks"));
            };
            Ok(count_per_year(&occasions, noun))
        })
    }
}

/// One measurement per date: the number of occasions held so far in that calendar year, with
/// the occasions of that date named in the comment. An occasion no longer held still gives its
/// date (with the corrected count), so that the value the plan pulled for it earlier is put
/// right rather than left standing.
pub fn count_per_year(occasions: &[HeldOccasion], noun: &str) -> Vec<SourceMeasurement> {
    let mut by_date: BTreeMap<NaiveDate, Vec<&HeldOccasion>> = BTreeMap::new();
    for occasion in occasions {
        // A stored date always parses (it was checked when written); skip rather than fail.
        if let Ok(date) = NaiveDate::parse_from_str(&occasion.local_date, "%Y-%m-%d") {
            by_date.entry(date).or_default().push(occasion);
        }
    }
    let mut out = Vec::with_capacity(by_date.len());
    let mut year = None;
    let mut so_far = 0u32;
    for (date, on_date) in by_date {
        if year != Some(date.year()) {
            year = Some(date.year());
            so_far = 0;
        }
        so_far += on_date.iter().filter(|o| o.held).count() as u32;
        let day = date.format("%d/%m/%Y");
        let comment = on_date
            .iter()
            .map(|o| {
                let not_held = if o.held { "" } else { " (niet gehouden)" };
                format!("{noun} {day}: {}{not_held}", o.title)
            })
            .collect::<Vec<_>>()
            .join("; ");
        out.push(SourceMeasurement {
            date,
            value: f64::from(so_far),
            comment: Some(comment),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(date: &str, title: &str) -> HeldOccasion {
        HeldOccasion {
            local_date: date.into(),
            title: title.into(),
            held: true,
        }
    }

    #[test]
    fn a_meeting_no_longer_held_corrects_its_date() {
        let mut unheld = held("2025-03-12", "Vergadering maart");
        unheld.held = false;
        let got = count_per_year(
            &[unheld, held("2025-06-04", "Vergadering juni")],
            "Vergadering",
        );
        assert_eq!(got[0].value, 0.0);
        assert_eq!(
            got[0].comment.as_deref(),
            Some("Vergadering 12/03/2025: Vergadering maart (niet gehouden)")
        );
        assert_eq!(got[1].value, 1.0);
    }

    #[test]
    fn counts_restart_each_year_and_share_a_date() {
        let got = count_per_year(
            &[
                held("2025-03-12", "Vergadering maart"),
                held("2025-06-04", "Vergadering juni"),
                held("2025-06-04", "Extra sessie"),
                held("2026-01-20", "Vergadering januari"),
            ],
            "Vergadering",
        );
        let values: Vec<(String, f64)> =
            got.iter().map(|m| (m.date.to_string(), m.value)).collect();
        assert_eq!(
            values,
            [
                ("2025-03-12".to_string(), 1.0),
                ("2025-06-04".to_string(), 3.0),
                ("2026-01-20".to_string(), 1.0)
            ]
        );
        assert_eq!(
            got[1].comment.as_deref(),
            Some("Vergadering 04/06/2025: Vergadering juni; Vergadering 04/06/2025: Extra sessie")
        );
    }
}
