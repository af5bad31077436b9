//! The types of imports: an uploaded file as stored, and what importing it will do to a plan
//! (planned in `crate::import::write`, written by `crate::store::imports`).

use serde::{Deserialize, Serialize};

use crate::import::bbc::ColumnMapping;

/// The largest file an upload may hold.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// What kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// BBC export, CSV or XLSX.
    Bbc,
    /// The jaarplan's text (.txt).
    Jaarplan,
    /// The plan's own XLSX export, edited and imported back (`crate::import::own_export`).
    Export,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Bbc => "bbc",
            ImportKind::Jaarplan => "jaarplan",
            ImportKind::Export => "export",
        }
    }

    pub fn parse(text: &str) -> Option<ImportKind> {
        match text {
            "bbc" => Some(ImportKind::Bbc),
            "jaarplan" => Some(ImportKind::Jaarplan),
            "export" => Some(ImportKind::Export),
            _ => None,
        }
    }
}

/// The options kept with an upload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadOptions {
    /// The column mapping the user chose on the mapping screen (BBC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapping: Option<ColumnMapping>,
}

/// An upload as stored, without its content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Upload {
    pub id: String,
    pub organisation_id: String,
    pub plan_id: Option<String>,
    pub kind: ImportKind,
    pub filename: String,
    pub sha256: String,
    pub options: UploadOptions,
    /// uploaded | queued | done | failed
    pub status: String,
    pub result: serde_json::Value,
    pub job_id: Option<String>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What an import will do to one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Unchanged,
}

/// One field that changes, with its old and new value as shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// "title", "description", "responsible_service", "internal_code" or "amounts".
    pub field: String,
    pub old: String,
    pub new: String,
}

/// An amount row as stored in plan_amounts ('' where the file gives no type or direction).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AmountRow {
    pub year: i64,
    pub kind: String,
    pub budget_type: String,
    pub direction: String,
    pub cents: i64,
}

/// One node of the file, with the item it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedItem {
    pub action: Action,
    /// The existing item's id, or the id the new item will get.
    pub id: String,
    pub parent_id: Option<String>,
    pub depth: i64,
    /// The item's level (an index into the plan's levels): from the document's markers for a
    /// new item, the stored one for a matched item.
    #[serde(default)]
    pub level: i64,
    /// For new items: the position among their siblings.
    pub position: i64,
    pub code: String,
    /// For new items: the slug they get (matched items keep theirs).
    #[serde(default)]
    pub slug: String,
    pub title: String,
    /// `None`: the file says nothing about it (an existing description is kept).
    pub description: Option<String>,
    pub responsible_service: Option<String>,
    pub internal_code: Option<String>,
    /// `None`: the item's amounts are not touched (jaarplan). `Some`: they are replaced.
    pub amounts: Option<Vec<AmountRow>>,
    /// For updates: what changes.
    pub changes: Vec<FieldChange>,
    /// Line of the file the node starts on.
    pub line: usize,
}

/// Everything an import will do, computed without writing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPlan {
    pub plan_id: String,
    /// In tree order: parents before their children.
    pub items: Vec<PlannedItem>,
    /// Items of the plan that the file does not contain (kept as they are).
    pub left_alone: usize,
    /// Those items, in tree order: the preview offers to archive them.
    #[serde(default)]
    pub unmatched: Vec<Unmatched>,
    /// The plan's level names after the import, when the import needs more levels.
    pub new_levels: Option<Vec<String>>,
    /// Things the user should look at (long titles cut, duplicate codes renamed, …).
    pub warnings: Vec<String>,
}

/// What [`apply`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub created: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub left_alone: usize,
    pub amounts_written: usize,
}

/// An item of the plan that the file does not contain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unmatched {
    pub id: String,
    pub parent_id: Option<String>,
    pub level: i64,
    pub code: String,
    pub title: String,
}

/// An item of the plan as the planner needs it.
#[derive(Debug, Clone)]
pub struct Existing {
    pub id: String,
    pub parent_id: Option<String>,
    pub depth: i64,
    pub level: i64,
    pub slug: String,
    pub position: i64,
    pub code: String,
    pub title: String,
    pub description: String,
    pub responsible_service: String,
    pub internal_code: String,
}
