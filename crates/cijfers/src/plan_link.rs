//! The link to the plan (issue 15 point 7): a plan indicator takes its measurements from a
//! Stad in cijfers series, through the plan's measurement-source port ([`MeasurementSource`]).
//!
//! A series is one indicator at one place: `<indicator code>@<level>:<place code>`
//! ("energie_kwh@gemeente:44021"), at the levels a plan measures a city by (the region,
//! municipalities, wijken). Only public values flow into the plan: those of a published
//! indicator whose disclosure check passed, that passed it themselves
//! ([`crate::store::plan_series`]); a suppressed value never does. Each value is one
//! measurement on the first day of its period, its comment naming the indicator, the place,
//! the period and the source, so the plan page says where the figure comes from.
//!
//! Public values change only through the disclosure gate ([`crate::gate::run`], on publication
//! and on every import into a published indicator); the gate calls [`indicator_changed`],
//! which tells the plan in the same transaction, so linked indicators follow by themselves.

use chrono::NaiveDate;
use futures::future::BoxFuture;
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{Db, Tx};
use steden_plan::ports::{MeasurementSource, SourceMeasurement, SourceSeries};

use crate::model::{number_nl, Indicator};
use crate::store::plan_series::{self, PublicSeries};

/// The source's key, stored on every linked indicator: never change it.
pub const SOURCE_KEY: &str = "cijfers.series";

/// The source's name on the plan page.
pub const SOURCE_LABEL: &str = "Stad in cijfers";

/// The series of indicator `code` at a place.
pub fn series_ref(indicator_code: &str, level: &str, geo_code: &str) -> String {
    format!("{indicator_code}@{level}:{geo_code}")
}

/// (indicator code, level, place code) of a series, None for anything else.
pub fn parse_series_ref(series_ref: &str) -> Option<(&str, &str, &str)> {
    let (code, place) = series_ref.split_once('@')?;
    let (level, geo) = place.split_once(':')?;
    let known = ["gewest", "gemeente", "wijk"].contains(&level);
    (known && !code.is_empty() && !geo.is_empty()).then_some((code, level, geo))
}

/// What the plan shows for a series: indicator, place and source.
pub fn series_label(series: &PublicSeries) -> String {
    let source = if series.source.trim().is_empty() {
        String::new()
    } else {
        format!(" (bron: {})", series.source.trim())
    };
    format!("{} – {}{source}", series.indicator_name, series.geo_name)
}

/// Tells the plan, in the caller's transaction, that the public values of `indicator` may have
/// changed (the gate ran): every series of it that a plan indicator links to is pulled again
/// once the transaction commits; nothing is queued for series nobody links to. The plan is
/// asked once for the linked series of this source (a handful), not once per place of the
/// indicator (thousands of sectors); a linked place whose values were all withdrawn is pulled
/// too, so that the plan sees the change.
pub async fn indicator_changed(tx: &mut Tx<'_>, indicator: &Indicator) -> CoreResult<()> {
    for series in steden_plan::ports::linked_series(tx, SOURCE_KEY).await? {
        let of_indicator =
            parse_series_ref(&series).is_some_and(|(code, _, _)| code == indicator.code);
        if of_indicator {
            steden_plan::ports::source_changed(tx, SOURCE_KEY, &series).await?;
        }
    }
    Ok(())
}

/// Stad in cijfers as a measurement source for plan indicators.
#[derive(Debug, Default, Clone, Copy)]
pub struct CijfersSeries;

impl MeasurementSource for CijfersSeries {
    fn key(&self) -> &str {
        SOURCE_KEY
    }

    fn label(&self) -> &str {
        SOURCE_LABEL
    }

    /// Every public series: the values are public, so every organisation's plan may follow
    /// them (a city its own figures, and those of the others or the region to compare).
    fn series<'a>(
        &'a self,
        db: &'a Db,
        _organisation_id: &'a str,
    ) -> BoxFuture<'a, CoreResult<Vec<SourceSeries>>> {
        Box::pin(async move {
            Ok(plan_series::public_series(db.pool())
                .await?
                .iter()
                .map(|s| SourceSeries {
                    series_ref: series_ref(&s.indicator_code, &s.level, &s.geo_code),
                    label: series_label(s),
                    unit: s.unit.clone(),
                })
                .collect())
        })
    }

    /// The series' public values; none while the indicator is not public (unpublished, or
    /// its last check failed). `NotFound` when the indicator or the place does not exist.
    fn measurements<'a>(
        &'a self,
        db: &'a Db,
        _organisation_id: &'a str,
        series_ref: &'a str,
    ) -> BoxFuture<'a, CoreResult<Vec<SourceMeasurement>>> {
        Box::pin(async move {
            let (code, level, geo) =
                parse_series_ref(series_ref).ok_or(CoreError::NotFound("reeks"))?;
            let (name, source, place) = plan_series::names(db.pool(), code, level, geo)
                .await?
                .ok_or(CoreError::NotFound("reeks"))?;
            let source = if source.trim().is_empty() {
                String::new()
            } else {
                format!(", bron: {}", source.trim())
            };
            Ok(plan_series::public_values(db.pool(), code, level, geo)
                .await?
                .into_iter()
                .filter_map(|v| {
                    let date = NaiveDate::parse_from_str(&v.starts_on, "%Y-%m-%d").ok()?;
                    let provisional = if v.status == "provisional" {
                        " (voorlopig)"
                    } else {
                        ""
                    };
                    Some(SourceMeasurement {
                        date,
                        value: v.value,
                        comment: Some(format!(
                            "Stad in cijfers: {name}, {place}, {}: {}{provisional}{source}",
                            v.period,
                            number_nl(v.value)
                        )),
                    })
                })
                .collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_ref_reads_back() {
        let r = series_ref("energie_kwh", "gemeente", "44021");
        assert_eq!(r, "energie_kwh@gemeente:44021");
        assert_eq!(
            parse_series_ref(&r),
            Some(("energie_kwh", "gemeente", "44021"))
        );
        assert_eq!(parse_series_ref("energie_kwh@sector:44021A00-"), None);
        assert_eq!(parse_series_ref("energie_kwh"), None);
    }
}
