//! The types of releases: a whole plan frozen at a date ([`ReleaseSnapshot`], stored as JSON in
//! `plan_releases.snapshot`) and a release's row.
//!
//! The snapshot keeps names rather than ids where a page shows them (owner names, the
//! organisation's name, item codes beside indicators and kwesties), so that a release reads the
//! same after people, items or organisations are renamed or removed.

use serde::{Deserialize, Serialize};
use steden_core::error::CoreResult;
use steden_core::CoreError;

use crate::model::indicators::{
    Direction, Health, Indicator, IndicatorSeries, Measurement, Target,
};
use crate::model::ItemStatus;

/// The version written by this code.
pub const SNAPSHOT_VERSION: u32 = 1;

/// A whole plan as it was when the release was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseSnapshot {
    pub version: u32,
    /// 'YYYY-MM-DD'.
    pub as_of: String,
    pub plan: PlanSnapshot,
    /// In tree order.
    #[serde(default)]
    pub items: Vec<ItemSnapshot>,
    #[serde(default)]
    pub indicators: Vec<IndicatorSnapshot>,
    #[serde(default)]
    pub kwesties: Vec<KwestieSnapshot>,
    #[serde(default)]
    pub amounts: Vec<AmountSnapshot>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanSnapshot {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// jaarplan | meerjarenplan | bestuursakkoord
    pub kind: String,
    pub period_start: String,
    pub period_end: String,
    /// Level names, depth 0 first.
    pub levels: Vec<String>,
    pub organisation_id: String,
    pub organisation_name: String,
}

impl PlanSnapshot {
    /// The name of the level with index `level` ([`ItemSnapshot::level`]; the deepest name
    /// below it).
    pub fn level_name(&self, level: i64) -> &str {
        let index = usize::try_from(level).unwrap_or(0);
        self.levels
            .get(index)
            .or(self.levels.last())
            .map(String::as_str)
            .unwrap_or("Item")
    }

    /// The Fluent id of the plan's kind.
    pub fn kind_key(&self) -> String {
        format!("plan-kind-{}", self.kind)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemSnapshot {
    pub id: String,
    pub parent_id: Option<String>,
    pub depth: i64,
    /// The item's stored level; `None` in releases made before levels were stored (their
    /// depth was the level then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<i64>,
    pub code: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub owner_name: String,
    #[serde(default)]
    pub responsible_service: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    #[serde(default)]
    pub prioritair: bool,
    #[serde(default)]
    pub themes: Vec<String>,
    pub status: ItemStatus,
    pub progress: i64,
}

impl ItemSnapshot {
    /// The item's level, an index into [`PlanSnapshot::levels`].
    pub fn level(&self) -> i64 {
        self.level.unwrap_or(self.depth)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetSnapshot {
    pub date: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasurementSnapshot {
    pub measured_on: String,
    pub value: f64,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub author: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorSnapshot {
    pub id: String,
    pub item_id: String,
    pub item_code: String,
    pub name: String,
    #[serde(default)]
    pub unit: String,
    /// hoger | lager
    pub direction: String,
    pub baseline_value: f64,
    pub baseline_date: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub frequency: String,
    #[serde(default)]
    pub targets: Vec<TargetSnapshot>,
    /// Up to the release date, by date.
    #[serde(default)]
    pub measurements: Vec<MeasurementSnapshot>,
    /// op_koers | aandacht | niet_op_koers, at the release date.
    #[serde(default)]
    pub health: Option<String>,
}

impl IndicatorSnapshot {
    /// The latest measured value, if any.
    pub fn latest(&self) -> Option<f64> {
        self.measurements.last().map(|m| m.value)
    }

    /// The health at the release date.
    pub fn health(&self) -> Option<Health> {
        match self.health.as_deref()? {
            "op_koers" => Some(Health::OpKoers),
            "aandacht" => Some(Health::Aandacht),
            "niet_op_koers" => Some(Health::NietOpKoers),
            _ => None,
        }
    }

    /// The indicator as the indicators module knows it (for its chart).
    pub fn to_series(&self) -> IndicatorSeries {
        IndicatorSeries {
            indicator: Indicator {
                id: self.id.clone(),
                plan_id: String::new(),
                item_id: self.item_id.clone(),
                definition_key: String::new(),
                name: self.name.clone(),
                unit: self.unit.clone(),
                direction: Direction::parse(&self.direction).unwrap_or(Direction::Hoger),
                baseline_value: self.baseline_value,
                baseline_date: self.baseline_date.clone(),
                source: self.source.clone(),
                frequency: self.frequency.clone(),
            },
            targets: self
                .targets
                .iter()
                .map(|t| Target {
                    date: t.date.clone(),
                    value: t.value,
                })
                .collect(),
            measurements: self
                .measurements
                .iter()
                .enumerate()
                .map(|(n, m)| Measurement {
                    id: format!("{}-{n}", self.id),
                    indicator_id: self.id.clone(),
                    measured_on: m.measured_on.clone(),
                    value: m.value,
                    comment: m.comment.clone(),
                    author: m.author.clone(),
                    created_at: 0,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KwestieSnapshot {
    pub id: String,
    pub item_id: String,
    pub item_code: String,
    /// kwestie | risico
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// laag | middel | hoog | kritiek
    pub severity: String,
    #[serde(default)]
    pub owner_name: String,
    pub due_date: Option<String>,
    /// open | in_behandeling | opgelost
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl KwestieSnapshot {
    pub fn is_open(&self) -> bool {
        self.status != "opgelost"
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AmountSnapshot {
    pub item_id: String,
    pub item_code: String,
    pub year: i64,
    /// raming | krediet | rekening
    pub kind: String,
    #[serde(default)]
    pub budget_type: String,
    #[serde(default)]
    pub direction: String,
    pub cents: i64,
}

impl ReleaseSnapshot {
    /// Reads a stored snapshot; refuses a version newer than this code knows.
    pub fn from_json(text: &str) -> CoreResult<ReleaseSnapshot> {
        let snapshot: ReleaseSnapshot = serde_json::from_str(text)
            .map_err(|e| CoreError::Internal(anyhow::anyhow!("release snapshot: {e}")))?;
        if snapshot.version > SNAPSHOT_VERSION {
            return Err(CoreError::Internal(anyhow::anyhow!(
                "release snapshot version {} is newer than {SNAPSHOT_VERSION}",
                snapshot.version
            )));
        }
        Ok(snapshot)
    }

    /// How many items have each status, in the order of [`ItemStatus::ALL`].
    pub fn status_counts(&self) -> Vec<(ItemStatus, usize)> {
        ItemStatus::ALL
            .iter()
            .map(|s| (*s, self.items.iter().filter(|i| i.status == *s).count()))
            .collect()
    }

    pub fn item(&self, id: &str) -> Option<&ItemSnapshot> {
        self.items.iter().find(|i| i.id == id)
    }
}

/// A release without its snapshot (for lists).
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseSummary {
    pub id: String,
    pub plan_id: String,
    pub name: String,
    /// 'YYYY-MM-DD'.
    pub as_of: String,
    pub published: bool,
    pub created_at: i64,
}

/// A release with its frozen plan.
#[derive(Debug, Clone)]
pub struct Release {
    pub summary: ReleaseSummary,
    pub snapshot: ReleaseSnapshot,
}

/// The longest release name.
pub const NAME_MAX: usize = 200;
