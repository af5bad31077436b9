//! The frozen form of a plan ([`ReleaseSnapshot`]) and how it is read from the database.
//!
//! The snapshot keeps names rather than ids where a page shows them (owner names, the
//! organisation's name, item codes beside indicators and kwesties), so that a release reads the
//! same after people, items or organisations are renamed or removed.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sqlx::Row;
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::Db;

use crate::indicators::{self, Direction, Health, Indicator, IndicatorSeries, Measurement, Target};
use crate::model::ItemStatus;
use crate::store;

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
    /// The name of the level at `depth` (the deepest name below it).
    pub fn level_name(&self, depth: i64) -> &str {
        let index = usize::try_from(depth).unwrap_or(0);
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

/// Reads the plan (in a transaction's connection, for a release) and freezes it at `as_of`
/// ('YYYY-MM-DD').
pub(crate) async fn build(
    conn: &mut sqlx::AnyConnection,
    plan_id: &str,
    as_of: &str,
) -> CoreResult<ReleaseSnapshot> {
    let plan = store::plans::get(conn, plan_id)
        .await?
        .ok_or(CoreError::NotFound("plan"))?;
    let organisation_name: String =
        sqlx::query_scalar("SELECT name FROM organisation_names WHERE id = $1")
            .bind(&plan.organisation_id)
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or_default();
    let items: Vec<ItemSnapshot> = store::items::list_for_plan(&mut *conn, plan_id)
        .await?
        .into_iter()
        .map(|i| ItemSnapshot {
            id: i.id,
            parent_id: i.parent_id,
            depth: i.depth,
            code: i.code,
            title: i.title,
            description: i.description,
            owner_name: i.owner_name,
            responsible_service: i.responsible_service,
            start_date: i.start_date,
            end_date: i.end_date,
            prioritair: i.prioritair,
            themes: i.themes,
            status: i.status,
            progress: i.progress,
        })
        .collect();
    let codes: HashMap<String, String> = items
        .iter()
        .map(|i| (i.id.clone(), i.code.clone()))
        .collect();
    let indicators = indicators_at(conn, plan_id, as_of, &codes).await?;
    let kwesties = kwesties_of(conn, plan_id, &codes).await?;
    let amounts = amounts_of(conn, plan_id, &codes).await?;
    Ok(ReleaseSnapshot {
        version: SNAPSHOT_VERSION,
        as_of: as_of.to_string(),
        plan: PlanSnapshot {
            id: plan.id,
            title: plan.title,
            description: plan.description,
            kind: plan.kind.as_str().to_string(),
            period_start: plan.period_start,
            period_end: plan.period_end,
            levels: plan.levels,
            organisation_id: plan.organisation_id,
            organisation_name,
        },
        items,
        indicators,
        kwesties,
        amounts,
    })
}

fn code_of(codes: &HashMap<String, String>, item_id: &str) -> String {
    codes.get(item_id).cloned().unwrap_or_default()
}

/// The indicators with targets, the measurements up to `as_of` and their health then, in
/// item code order.
async fn indicators_at(
    conn: &mut sqlx::AnyConnection,
    plan_id: &str,
    as_of: &str,
    codes: &HashMap<String, String>,
) -> CoreResult<Vec<IndicatorSnapshot>> {
    let rows = sqlx::query(
        "SELECT id, item_id, name, unit, direction, baseline_value, baseline_date, source,
             frequency FROM plan_indicators WHERE plan_id = $1 ORDER BY name, id",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let id: String = row.try_get("id")?;
        let item_id: String = row.try_get("item_id")?;
        let targets = sqlx::query(
            "SELECT target_date, value FROM plan_indicator_targets WHERE indicator_id = $1
             ORDER BY target_date",
        )
        .bind(&id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(TargetSnapshot {
                date: r.try_get("target_date")?,
                value: r.try_get("value")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let measurements = sqlx::query(
            "SELECT m.measured_on, m.value, m.comment, COALESCE(u.name, m.author_name) AS author
             FROM plan_measurements m LEFT JOIN person_names u ON u.id = m.author_user_id
             WHERE m.indicator_id = $1 AND m.measured_on <= $2
             ORDER BY m.measured_on, m.created_at",
        )
        .bind(&id)
        .bind(as_of)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(MeasurementSnapshot {
                measured_on: r.try_get("measured_on")?,
                value: r.try_get("value")?,
                comment: r.try_get("comment")?,
                author: r.try_get("author")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let mut snapshot = IndicatorSnapshot {
            item_code: code_of(codes, &item_id),
            id,
            item_id,
            name: row.try_get("name")?,
            unit: row.try_get("unit")?,
            direction: row.try_get("direction")?,
            baseline_value: row.try_get("baseline_value")?,
            baseline_date: row.try_get("baseline_date")?,
            source: row.try_get("source")?,
            frequency: row.try_get("frequency")?,
            targets,
            measurements,
            health: None,
        };
        snapshot.health =
            indicators::health::health(&snapshot.to_series(), as_of).map(|h| h.as_str().into());
        out.push(snapshot);
    }
    out.sort_by(|a, b| a.item_code.cmp(&b.item_code).then(a.name.cmp(&b.name)));
    Ok(out)
}

async fn kwesties_of(
    conn: &mut sqlx::AnyConnection,
    plan_id: &str,
    codes: &HashMap<String, String>,
) -> CoreResult<Vec<KwestieSnapshot>> {
    let rows = sqlx::query(
        "SELECT k.id, k.item_id, k.kind, k.title, k.description, k.severity,
             COALESCE(u.name, '') AS owner_name, k.due_date, k.status, k.created_at, k.updated_at
         FROM plan_kwesties k LEFT JOIN person_names u ON u.id = k.owner_user_id
         WHERE k.plan_id = $1 ORDER BY k.created_at, k.id",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let item_id: String = row.try_get("item_id")?;
        out.push(KwestieSnapshot {
            id: row.try_get("id")?,
            item_code: code_of(codes, &item_id),
            item_id,
            kind: row.try_get("kind")?,
            title: row.try_get("title")?,
            description: row.try_get("description")?,
            severity: row.try_get("severity")?,
            owner_name: row.try_get("owner_name")?,
            due_date: row.try_get("due_date")?,
            status: row.try_get("status")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        });
    }
    Ok(out)
}

async fn amounts_of(
    conn: &mut sqlx::AnyConnection,
    plan_id: &str,
    codes: &HashMap<String, String>,
) -> CoreResult<Vec<AmountSnapshot>> {
    let rows = sqlx::query(
        "SELECT item_id, year, kind, budget_type, direction, cents FROM plan_amounts
         WHERE plan_id = $1 ORDER BY year, kind, budget_type, direction, item_id",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let item_id: String = row.try_get("item_id")?;
        out.push(AmountSnapshot {
            item_code: code_of(codes, &item_id),
            item_id,
            year: row.try_get::<i64, _>("year")?,
            kind: row.try_get("kind")?,
            budget_type: row.try_get("budget_type")?,
            direction: row.try_get("direction")?,
            cents: row.try_get("cents")?,
        });
    }
    Ok(out)
}

/// The plan as it is now, with every measurement: what the export writes.
pub async fn current(db: &Db, plan_id: &str) -> CoreResult<ReleaseSnapshot> {
    let mut conn = db.pool().acquire().await?;
    build(&mut conn, plan_id, "9999-12-31").await
}
