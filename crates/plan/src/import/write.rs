//! Writing a parsed import to a plan, in two steps so that the user sees what will happen
//! before anything is written:
//!
//! 1. planning ([`plan_jaarplan`], [`plan_bbc`]) reads the plan's items (and amounts) once and
//!    works out, per node of the file, whether it creates an item, changes one (which fields,
//!    old → new) or leaves one as it is. Items of the plan that the file does not contain are
//!    left alone — an import never deletes — and counted ([`ImportPlan::left_alone`]);
//! 2. [`apply`] writes that plan in the caller's transaction: new items with multi-row
//!    INSERTs, changed fields with one UPDATE per changed item, the amounts of changed items
//!    replaced, the roll-up recomputed once, and one audit entry for the whole import.
//!
//! Matching: BBC items by their code (BD01, AP0101, AC010101: the financial software's own);
//! jaarplan nodes by the path of their (short, normalised) titles, because the jaarplan's
//! codes are only positions — with the code as fallback, so that a retitled doelstelling is
//! updated rather than added. A matched item keeps its place, code, owner, status and
//! progress; only what the file says (title, description, dienst, internal code, amounts)
//! is compared and updated. Importing the same file twice therefore changes nothing.
//!
//! Titles longer than [`TITLE_MAX`] are cut at a word boundary with "…", and the full text
//! goes into the description (see [`short_title`]).

mod bbc;
mod jaarplan;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use sqlx::Row;
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{now_ms, Tx};

use crate::model::{DESCRIPTION_MAX, TITLE_MAX};
use crate::store::{plans, rollup};

pub use bbc::plan_bbc;
pub use jaarplan::{plan_jaarplan, SUB_ACTION_LEVEL};

/// Rows per multi-row INSERT (well below the parameter limits of both backends).
const BATCH_ROWS: usize = 200;
/// How many of each kind of change the preview lists in detail.
pub const PREVIEW_LIMIT: usize = 50;

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
    /// For new items: the position among their siblings.
    pub position: i64,
    pub code: String,
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

impl ImportPlan {
    pub fn count(&self, action: Action) -> usize {
        self.items.iter().filter(|i| i.action == action).count()
    }

    /// The first [`PREVIEW_LIMIT`] items with this action.
    pub fn first(&self, action: Action) -> Vec<&PlannedItem> {
        self.items
            .iter()
            .filter(|i| i.action == action)
            .take(PREVIEW_LIMIT)
            .collect()
    }

    /// The counts as they will be after [`apply`].
    pub fn summary(&self) -> ImportSummary {
        ImportSummary {
            created: self.count(Action::Create),
            changed: self.count(Action::Update),
            unchanged: self.count(Action::Unchanged),
            left_alone: self.left_alone,
            amounts_written: self
                .items
                .iter()
                .filter(|i| i.action != Action::Unchanged)
                .filter_map(|i| i.amounts.as_ref())
                .map(Vec::len)
                .sum(),
        }
    }
}

/// A title of at most [`TITLE_MAX`] characters: the text itself when it fits, else cut at the
/// last word boundary with "…". Returns the title and whether it was cut.
pub fn short_title(text: &str) -> (String, bool) {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= TITLE_MAX {
        return (text, false);
    }
    let limit = TITLE_MAX - 1;
    let head: String = text.chars().take(limit).collect();
    let cut = match head.rfind(' ') {
        Some(at) if at > limit / 2 => head[..at].to_string(),
        _ => head,
    };
    let cut = cut.trim_end_matches([',', ';', ':', '.', ' ', '-']);
    (format!("{cut}…"), true)
}

/// A description of at most [`DESCRIPTION_MAX`] characters (cut with "…").
pub fn limit_description(text: &str) -> String {
    if text.chars().count() <= DESCRIPTION_MAX {
        return text.to_string();
    }
    let head: String = text.chars().take(DESCRIPTION_MAX - 1).collect();
    format!("{head}…")
}

/// Case and whitespace folded, for matching titles.
pub fn normalise(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// An item of the plan as the planner needs it.
#[derive(Debug, Clone)]
pub(crate) struct Existing {
    pub id: String,
    pub parent_id: Option<String>,
    pub depth: i64,
    pub position: i64,
    pub code: String,
    pub title: String,
    pub description: String,
    pub responsible_service: String,
    pub internal_code: String,
}

/// The plan's items (and, when asked, amounts by item), read once.
pub(crate) struct Loaded {
    pub items: Vec<Existing>,
    pub by_id: HashMap<String, usize>,
    pub amounts: HashMap<String, Vec<AmountRow>>,
    pub levels: Vec<String>,
}

impl Loaded {
    pub async fn read(
        conn: &mut sqlx::AnyConnection,
        plan_id: &str,
        with_amounts: bool,
    ) -> CoreResult<Loaded> {
        let levels = plans::get(conn, plan_id)
            .await?
            .ok_or(CoreError::NotFound("plan"))?
            .levels;
        let rows = sqlx::query(
            "SELECT id, parent_id, depth, position, code, title, description,
                 responsible_service, internal_code
             FROM plan_items WHERE plan_id = $1 ORDER BY depth, position",
        )
        .bind(plan_id)
        .fetch_all(&mut *conn)
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            items.push(Existing {
                id: row.try_get("id")?,
                parent_id: row.try_get("parent_id")?,
                depth: row.try_get("depth")?,
                position: row.try_get("position")?,
                code: row.try_get("code")?,
                title: row.try_get("title")?,
                description: row.try_get("description")?,
                responsible_service: row.try_get("responsible_service")?,
                internal_code: row.try_get("internal_code")?,
            });
        }
        let by_id = items
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        let mut amounts: HashMap<String, Vec<AmountRow>> = HashMap::new();
        if with_amounts {
            let rows = sqlx::query(
                "SELECT item_id, year, kind, budget_type, direction, cents
                 FROM plan_amounts WHERE plan_id = $1",
            )
            .bind(plan_id)
            .fetch_all(&mut *conn)
            .await?;
            for row in &rows {
                amounts
                    .entry(row.try_get("item_id")?)
                    .or_default()
                    .push(AmountRow {
                        year: row.try_get("year")?,
                        kind: row.try_get("kind")?,
                        budget_type: row.try_get("budget_type")?,
                        direction: row.try_get("direction")?,
                        cents: row.try_get("cents")?,
                    });
            }
            for rows in amounts.values_mut() {
                rows.sort();
            }
        }
        Ok(Loaded {
            items,
            by_id,
            amounts,
            levels,
        })
    }

    /// The next free position under `parent` (None: the top level), counting the new items
    /// placed there already.
    pub fn next_positions(&self) -> HashMap<Option<String>, i64> {
        let mut next: HashMap<Option<String>, i64> = HashMap::new();
        for item in &self.items {
            let slot = next.entry(item.parent_id.clone()).or_insert(0);
            *slot = (*slot).max(item.position + 1);
        }
        next
    }
}

/// What the file says about one node, before matching.
pub(crate) struct Incoming {
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    pub responsible_service: Option<String>,
    pub internal_code: Option<String>,
    pub amounts: Option<Vec<AmountRow>>,
    pub line: usize,
}

/// Compares what the file says with the existing item: the changes, or nothing.
pub(crate) fn compare(
    existing: &Existing,
    incoming: &Incoming,
    old_amounts: Option<&Vec<AmountRow>>,
) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let mut field = |name: &str, old: &str, new: Option<&String>| {
        if let Some(new) = new {
            if old != new {
                changes.push(FieldChange {
                    field: name.to_string(),
                    old: old.to_string(),
                    new: new.clone(),
                });
            }
        }
    };
    field("title", &existing.title, Some(&incoming.title));
    field(
        "description",
        &existing.description,
        incoming.description.as_ref(),
    );
    field(
        "responsible_service",
        &existing.responsible_service,
        incoming.responsible_service.as_ref(),
    );
    field(
        "internal_code",
        &existing.internal_code,
        incoming.internal_code.as_ref(),
    );
    if let Some(new) = &incoming.amounts {
        let empty = Vec::new();
        let old = old_amounts.unwrap_or(&empty);
        if old != new {
            changes.push(FieldChange {
                field: "amounts".to_string(),
                old: describe_amounts(old),
                new: describe_amounts(new),
            });
        }
    }
    changes
}

/// "3 bedragen, samen 1.234,00" — amounts in a change line.
fn describe_amounts(rows: &[AmountRow]) -> String {
    let total = rows.iter().fold(0i64, |s, r| s.saturating_add(r.cents));
    format!(
        "{} bedragen, samen {}",
        rows.len(),
        crate::import::bbc::format_amount(total)
    )
}

/// Builds the planned item for an incoming node: an update or unchanged when it matched an
/// existing item, else a new item under `parent_id`.
pub(crate) fn planned(
    loaded: &Loaded,
    matched: Option<usize>,
    incoming: Incoming,
    parent_id: Option<String>,
    depth: i64,
    next: &mut HashMap<Option<String>, i64>,
) -> PlannedItem {
    match matched {
        Some(index) => {
            let existing = &loaded.items[index];
            let changes = compare(existing, &incoming, loaded.amounts.get(&existing.id));
            PlannedItem {
                action: if changes.is_empty() {
                    Action::Unchanged
                } else {
                    Action::Update
                },
                id: existing.id.clone(),
                parent_id: existing.parent_id.clone(),
                depth: existing.depth,
                position: existing.position,
                code: existing.code.clone(),
                title: incoming.title,
                description: incoming.description,
                responsible_service: incoming.responsible_service,
                internal_code: incoming.internal_code,
                amounts: incoming.amounts,
                changes,
                line: incoming.line,
            }
        }
        None => {
            let slot = next.entry(parent_id.clone()).or_insert(0);
            let position = *slot;
            *slot += 1;
            PlannedItem {
                action: Action::Create,
                id: steden_db::new_id(),
                parent_id,
                depth,
                position,
                code: incoming.code,
                title: incoming.title,
                description: incoming.description,
                responsible_service: incoming.responsible_service,
                internal_code: incoming.internal_code,
                amounts: incoming.amounts,
                changes: Vec::new(),
                line: incoming.line,
            }
        }
    }
}

/// Codes are unique within a plan: a new item whose code an item outside the import already
/// has gets "-2", "-3", … (reported as a warning).
pub(crate) fn unique_code(
    code: &str,
    taken: &mut std::collections::HashSet<String>,
    warnings: &mut Vec<String>,
) -> String {
    if taken.insert(code.to_string()) {
        return code.to_string();
    }
    let mut n = 2;
    loop {
        let candidate = format!("{code}-{n}");
        if taken.insert(candidate.clone()) {
            warnings.push(format!(
                "De code {code} bestaat al in het plan; het nieuwe item krijgt code {candidate}."
            ));
            return candidate;
        }
        n += 1;
    }
}

/// Writes `import` to the plan in the caller's transaction; see the module doc.
pub async fn apply(
    tx: &mut Tx<'_>,
    plan_id: &str,
    import: &ImportPlan,
    actor: &AuditActor,
) -> CoreResult<ImportSummary> {
    if import.plan_id != plan_id {
        return Err(CoreError::invalid(
            "plan",
            "Deze import is voor een ander plan voorbereid.",
        ));
    }
    let plan = plans::get(tx, plan_id)
        .await?
        .ok_or(CoreError::NotFound("plan"))?;
    if let Some(levels) = &import.new_levels {
        plans::set_levels(tx, plan_id, levels, actor).await?;
    }
    let now = now_ms();
    let created: Vec<&PlannedItem> = import
        .items
        .iter()
        .filter(|i| i.action == Action::Create)
        .collect();
    insert_items(tx, plan_id, &created, now).await?;
    for item in import.items.iter().filter(|i| i.action == Action::Update) {
        update_item(tx, item, now).await?;
    }
    let amounts_written = write_amounts(tx, plan_id, import).await?;
    rollup::recompute_plan(tx, plan_id).await?;
    let mut summary = import.summary();
    summary.amounts_written = amounts_written;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&plan.organisation_id),
            entity_type: "plan",
            entity_id: plan_id,
            action: "import",
            summary: &format!(
                "Import: {} nieuw, {} gewijzigd, {} ongewijzigd, {} niet in het bestand",
                summary.created, summary.changed, summary.unchanged, summary.left_alone
            ),
            changes: Changes::new()
                .created("created", summary.created)
                .created("changed", summary.changed)
                .created("unchanged", summary.unchanged)
                .created("left_alone", summary.left_alone)
                .created("amounts_written", summary.amounts_written),
        },
    )
    .await?;
    Ok(summary)
}

/// `($1, $2, …), ($n+1, …)` for `rows` rows of `columns` parameters.
fn placeholders(rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 5);
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..columns {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(r * columns + c + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

async fn insert_items(
    tx: &mut Tx<'_>,
    plan_id: &str,
    items: &[&PlannedItem],
    now: i64,
) -> CoreResult<()> {
    for chunk in items.chunks(BATCH_ROWS) {
        let sql = format!(
            "INSERT INTO plan_items (id, plan_id, parent_id, depth, position, code, title,
                 description, responsible_service, internal_code, created_at, updated_at)
             VALUES {}",
            placeholders(chunk.len(), 12)
        );
        let mut query = sqlx::query(&sql);
        for item in chunk {
            query = query
                .bind(item.id.clone())
                .bind(plan_id.to_string())
                .bind(item.parent_id.clone())
                .bind(item.depth)
                .bind(item.position)
                .bind(item.code.clone())
                .bind(item.title.clone())
                .bind(item.description.clone().unwrap_or_default())
                .bind(item.responsible_service.clone().unwrap_or_default())
                .bind(item.internal_code.clone().unwrap_or_default())
                .bind(now)
                .bind(now);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

async fn update_item(tx: &mut Tx<'_>, item: &PlannedItem, now: i64) -> CoreResult<()> {
    let mut sets = Vec::new();
    let mut values = Vec::new();
    for change in &item.changes {
        let column = match change.field.as_str() {
            "title" => "title",
            "description" => "description",
            "responsible_service" => "responsible_service",
            "internal_code" => "internal_code",
            _ => continue,
        };
        values.push(change.new.clone());
        sets.push(format!("{column} = ${}", values.len() + 2));
    }
    if sets.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE plan_items SET updated_at = $2, {} WHERE id = $1",
        sets.join(", ")
    );
    let mut query = sqlx::query(&sql).bind(item.id.clone()).bind(now);
    for value in values {
        query = query.bind(value);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

/// Replaces the amounts of new items and of items whose amounts changed.
async fn write_amounts(tx: &mut Tx<'_>, plan_id: &str, import: &ImportPlan) -> CoreResult<usize> {
    let replaced: Vec<&PlannedItem> = import
        .items
        .iter()
        .filter(|i| i.amounts.is_some())
        .filter(|i| match i.action {
            Action::Create => true,
            Action::Update => i.changes.iter().any(|c| c.field == "amounts"),
            Action::Unchanged => false,
        })
        .collect();
    let updated: Vec<&str> = replaced
        .iter()
        .filter(|i| i.action == Action::Update)
        .map(|i| i.id.as_str())
        .collect();
    for chunk in updated.chunks(BATCH_ROWS) {
        let marks: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "DELETE FROM plan_amounts WHERE item_id IN ({})",
            marks.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for id in chunk {
            query = query.bind(id.to_string());
        }
        query.execute(&mut **tx).await?;
    }
    let rows: Vec<(&str, &AmountRow)> = replaced
        .iter()
        .flat_map(|i| i.amounts.iter().flatten().map(move |a| (i.id.as_str(), a)))
        .collect();
    for chunk in rows.chunks(BATCH_ROWS) {
        let sql = format!(
            "INSERT INTO plan_amounts (item_id, plan_id, year, kind, budget_type, direction, cents)
             VALUES {}",
            placeholders(chunk.len(), 7)
        );
        let mut query = sqlx::query(&sql);
        for (id, row) in chunk {
            query = query
                .bind(id.to_string())
                .bind(plan_id.to_string())
                .bind(row.year)
                .bind(row.kind.clone())
                .bind(row.budget_type.clone())
                .bind(row.direction.clone())
                .bind(row.cents);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(rows.len())
}

/// Counts the existing items that no node of the file matched.
pub(crate) fn left_alone(loaded: &Loaded, matched: &[bool]) -> usize {
    let _ = &loaded.items;
    matched.iter().filter(|m| !**m).count()
}

/// Sorted, merged amount rows (same key added up).
pub(crate) fn merge_amounts(rows: Vec<AmountRow>) -> Vec<AmountRow> {
    let mut merged: BTreeMap<(i64, String, String, String), i64> = BTreeMap::new();
    for row in rows {
        let slot = merged
            .entry((row.year, row.kind, row.budget_type, row.direction))
            .or_insert(0);
        *slot = slot.saturating_add(row.cents);
    }
    let mut out: Vec<AmountRow> = merged
        .into_iter()
        .map(|((year, kind, budget_type, direction), cents)| AmountRow {
            year,
            kind,
            budget_type,
            direction,
            cents,
        })
        .collect();
    out.sort();
    out
}
