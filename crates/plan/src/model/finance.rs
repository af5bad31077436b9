//! The rows finance reads (see [`crate::finance`]).

/// An item's own amount row as stored in plan_amounts.
#[derive(Debug, Clone)]
pub struct AmountRow {
    pub item_id: String,
    pub year: i64,
    pub kind: String,
    pub budget_type: String,
    pub direction: String,
    pub cents: i64,
}

/// An item's place in the tree, for adding up amounts.
#[derive(Debug, Clone)]
pub struct ItemNode {
    pub id: String,
    pub parent_id: Option<String>,
    pub code: String,
    pub title: String,
    pub depth: i64,
    pub position: i64,
}
