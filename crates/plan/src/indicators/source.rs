//! The measurement-source port: an indicator whose measurements come from another module.
//!
//! The plan module sits below the modules that produce figures (werkgroepen: meetings held;
//! cijfers: Stad in cijfers series), and those modules link to plan items, so the plan crate
//! cannot name them. Instead it defines [`MeasurementSource`]; a higher module implements it
//! and hands its implementation over at start-up:
//!
//! ```ignore
//! impl steden_web::Module for WerkgroepenModule {
//!     fn provide_ports(&self, ports: &mut steden_web::Ports) {
//!         ports.provide::<dyn steden_plan::ports::MeasurementSource>(Arc::new(MeetingsHeld));
//!     }
//! }
//! ```
//!
//! An editor links an indicator to one series of one source (the table
//! `plan_indicator_sources`); from then on the plan *pulls* the series' measurements: when the
//! indicator is linked, when an editor asks for it ("Nu bijwerken"), and when the source says
//! its data changed ([`source_changed`], which queues the job [`PULL_JOB`]). A pull writes the
//! values by date, so pulling twice adds nothing; an indicator with a source takes no
//! measurements by hand.
//!
//! A source reads from the database each time it is called (it holds no data), so every
//! server of an installation answers the same.

use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use steden_core::error::CoreResult;
use steden_db::Db;
use steden_web::Ports;

/// The job that pulls the measurements of linked indicators (payload: [`PullPayload`]).
pub const PULL_JOB: &str = "plan.pull_measurements";

/// A series that a source offers an organisation's editors.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceSeries {
    /// The series' id within the source, stable for as long as the series exists (what a
    /// link stores). Any text; the source decides its form ("groep:0190…", "fietsers-gent").
    pub series_ref: String,
    /// Dutch, as an editor picks it from a list ("Werkgroep mobiliteit: vergaderingen").
    pub label: String,
    /// The unit of the values ("vergaderingen", "%"), '' for none.
    pub unit: String,
}

/// One value of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceMeasurement {
    pub date: chrono::NaiveDate,
    pub value: f64,
    /// Shown beside the value on the indicator page and in the item's history.
    pub comment: Option<String>,
}

/// A module that can feed plan indicators. Implementations are provided through
/// [`steden_web::Module::provide_ports`] and read with
/// `ports.all::<dyn MeasurementSource>()`.
pub trait MeasurementSource: Send + Sync {
    /// A stable key, "<module>.<what>" ("werkgroepen.meetings", "cijfers.series"), stored on
    /// every linked indicator: never change it once indicators link to it. Lower case letters,
    /// digits, '.', '_' and '-'.
    fn key(&self) -> &str;

    /// The source's name in Dutch ("Werkgroepen: gehouden vergaderingen").
    fn label(&self) -> &str;

    /// The series the editors of `organisation_id` may link an indicator to, in the order to
    /// offer them.
    fn series<'a>(
        &'a self,
        db: &'a Db,
        organisation_id: &'a str,
    ) -> BoxFuture<'a, CoreResult<Vec<SourceSeries>>>;

    /// Every value of one series, for an indicator of `organisation_id`.
    /// `CoreError::NotFound` when the series does not exist (any more) or is not the
    /// organisation's to use; the plan shows that on the indicator.
    fn measurements<'a>(
        &'a self,
        db: &'a Db,
        organisation_id: &'a str,
        series_ref: &'a str,
    ) -> BoxFuture<'a, CoreResult<Vec<SourceMeasurement>>>;
}

/// The source with `key` among those this build provides.
pub fn find<'p>(ports: &'p Ports, key: &str) -> Option<&'p dyn MeasurementSource> {
    ports
        .all::<dyn MeasurementSource>()
        .iter()
        .find(|source| source.key() == key)
        .map(|source| source.as_ref())
}

/// Where an indicator's measurements come from, and how the last pull went.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceLink {
    pub indicator_id: String,
    pub source_key: String,
    pub series_ref: String,
    /// The series' label when it was linked.
    pub series_label: String,
    /// Milliseconds since the Unix epoch.
    pub linked_at: i64,
    pub last_pulled_at: Option<i64>,
    /// The Dutch message of the last failed pull (None after a pull that succeeded).
    pub last_error: Option<String>,
}

/// What [`PULL_JOB`] pulls: one indicator, or every indicator linked to one series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PullPayload {
    Indicator {
        indicator_id: String,
    },
    Series {
        source_key: String,
        series_ref: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_payloads_read_back() {
        for payload in [
            PullPayload::Indicator {
                indicator_id: "i1".into(),
            },
            PullPayload::Series {
                source_key: "werkgroepen.meetings".into(),
                series_ref: "groep:1".into(),
            },
        ] {
            let json = serde_json::to_value(&payload).unwrap();
            assert_eq!(
                serde_json::from_value::<PullPayload>(json).unwrap(),
                payload
            );
        }
    }
}
