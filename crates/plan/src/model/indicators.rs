//! The types of indicators: definition, targets, measurements, a series and its health.

use serde::Serialize;

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher is better ("hoger").
    Hoger,
    /// Lower is better ("lager").
    Lager,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Hoger => "hoger",
            Direction::Lager => "lager",
        }
    }

    pub fn parse(text: &str) -> Option<Direction> {
        match text {
            "hoger" => Some(Direction::Hoger),
            "lager" => Some(Direction::Lager),
            _ => None,
        }
    }
}

/// An indicator's definition.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Indicator {
    pub id: String,
    pub plan_id: String,
    pub item_id: String,
    /// Shared definition across organisations ('' for none).
    pub definition_key: String,
    pub name: String,
    pub unit: String,
    pub direction: Direction,
    pub baseline_value: f64,
    /// 'YYYY-MM-DD'.
    pub baseline_date: String,
    pub source: String,
    /// maandelijks | driemaandelijks | halfjaarlijks | jaarlijks
    pub frequency: String,
}

/// A target value at a date.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Target {
    pub date: String,
    pub value: f64,
}

/// A measured value.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Measurement {
    pub id: String,
    pub indicator_id: String,
    /// 'YYYY-MM-DD'.
    pub measured_on: String,
    pub value: f64,
    pub comment: String,
    pub author: String,
    pub created_at: i64,
}

/// An indicator with its targets and measurements (both by date ascending).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct IndicatorSeries {
    pub indicator: Indicator,
    pub targets: Vec<Target>,
    pub measurements: Vec<Measurement>,
}

/// How an indicator is doing against the straight line from baseline to target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Health {
    OpKoers,
    Aandacht,
    NietOpKoers,
}

impl Health {
    pub fn as_str(self) -> &'static str {
        match self {
            Health::OpKoers => "op_koers",
            Health::Aandacht => "aandacht",
            Health::NietOpKoers => "niet_op_koers",
        }
    }

    /// The Fluent id of the label ("op koers", "aandacht", "niet op koers").
    pub fn label_key(self) -> String {
        format!("plan-health-{}", self.as_str())
    }

    /// Icon beside the text, so that health is never told by colour alone.
    pub fn icon(self) -> &'static str {
        match self {
            Health::OpKoers => "success",
            Health::Aandacht => "warning",
            Health::NietOpKoers => "error",
        }
    }
}
