//! Reporting rounds (see [`crate::rounds`]).

use serde::Deserialize;

/// A round as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Round {
    pub id: String,
    pub plan_id: String,
    pub name: String,
    pub opened_at: i64,
    /// 'YYYY-MM-DD'.
    pub deadline: String,
    pub reminder_days: i64,
    pub reminded_at: Option<i64>,
    /// `open` or `gesloten`.
    pub status: String,
    pub created_at: i64,
}

impl Round {
    pub fn is_open(&self) -> bool {
        self.status == "open"
    }

    /// Past its deadline on `today` ('YYYY-MM-DD').
    pub fn is_past(&self, today: &str) -> bool {
        self.deadline.as_str() < today
    }
}

/// What an editor types to open a round.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RoundFields {
    pub name: String,
    pub deadline: String,
    pub reminder_days: String,
}

/// An item asked for in a round, and whether it was reported.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundItem {
    pub item_id: String,
    pub code: String,
    pub title: String,
    pub reported: bool,
}

/// An owner's share of a round.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnerProgress {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub items: Vec<RoundItem>,
}

impl OwnerProgress {
    pub fn reported(&self) -> usize {
        self.items.iter().filter(|i| i.reported).count()
    }

    pub fn open_items(&self) -> Vec<&RoundItem> {
        self.items.iter().filter(|i| !i.reported).collect()
    }

    pub fn is_done(&self) -> bool {
        self.items.iter().all(|i| i.reported)
    }
}
