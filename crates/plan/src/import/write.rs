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

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{now_ms, Tx};

pub use crate::model::imports::{
    Action, AmountRow, Existing, FieldChange, ImportPlan, ImportSummary, PlannedItem, Unmatched,
};
use crate::model::{DESCRIPTION_MAX, TITLE_MAX};
use crate::store::{imports, plans, rollup};

pub use bbc::plan_bbc;
pub use jaarplan::{plan_jaarplan, SUB_ACTION_LEVEL};

/// How many of each kind of change the preview lists in detail.
pub const PREVIEW_LIMIT: usize = 50;

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

/// The plan's items (and, when asked, amounts by item), read once.
pub(crate) struct Loaded {
    pub items: Vec<Existing>,
    pub by_id: HashMap<String, usize>,
    pub amounts: HashMap<String, Vec<AmountRow>>,
    pub levels: Vec<String>,
    /// Every code of the plan, archived items' too (codes are unique within a plan).
    pub codes: std::collections::HashSet<String>,
}

impl Loaded {
    pub async fn read(
        conn: &mut sqlx::AnyConnection,
        plan_id: &str,
        with_amounts: bool,
    ) -> CoreResult<Loaded> {
        let levels = plans::get_on(conn, plan_id).await?.levels;
        let items = imports::existing_items(&mut *conn, plan_id).await?;
        let codes = imports::all_codes(&mut *conn, plan_id).await?;
        let by_id = items
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        let mut amounts: HashMap<String, Vec<AmountRow>> = HashMap::new();
        if with_amounts {
            amounts = imports::amounts_by_item(&mut *conn, plan_id).await?;
            for rows in amounts.values_mut() {
                rows.sort();
            }
        }
        Ok(Loaded {
            items,
            by_id,
            amounts,
            levels,
            codes,
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
    (depth, level): (i64, i64),
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
                level: existing.level,
                position: existing.position,
                code: existing.code.clone(),
                slug: existing.slug.clone(),
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
                level,
                position,
                code: incoming.code,
                slug: String::new(),
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
    let plan = plans::get_on(tx, plan_id).await?;
    // Existing items without a slug get theirs stored, as the planner assumed.
    crate::store::slugs::fill(tx, plan_id).await?;
    if let Some(levels) = &import.new_levels {
        plans::set_levels(tx, plan_id, levels, actor).await?;
    }
    let now = now_ms();
    let created: Vec<&PlannedItem> = import
        .items
        .iter()
        .filter(|i| i.action == Action::Create)
        .collect();
    imports::insert_items(tx, plan_id, &created, now).await?;
    for item in import.items.iter().filter(|i| i.action == Action::Update) {
        imports::update_item(tx, item, now).await?;
    }
    let amounts_written = imports::write_amounts(tx, plan_id, import).await?;
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

/// Counts the existing items that no node of the file matched.
pub(crate) fn left_alone(loaded: &Loaded, matched: &[bool]) -> usize {
    let _ = &loaded.items;
    matched.iter().filter(|m| !**m).count()
}

/// The existing items that no node of the file matched, in tree order (the preview offers to
/// archive them).
pub(crate) fn unmatched(loaded: &Loaded, matched: &[bool]) -> Vec<Unmatched> {
    let mut out: Vec<(&Existing, Unmatched)> = loaded
        .items
        .iter()
        .zip(matched)
        .filter(|(_, m)| !**m)
        .map(|(e, _)| {
            (
                e,
                Unmatched {
                    id: e.id.clone(),
                    parent_id: e.parent_id.clone(),
                    level: e.level,
                    code: e.code.clone(),
                    title: e.title.clone(),
                },
            )
        })
        .collect();
    // Tree order: by the path of positions from the top.
    let path = |e: &Existing| {
        let mut path = vec![e.position];
        let mut parent = e.parent_id.as_ref();
        while let Some(index) = parent.and_then(|p| loaded.by_id.get(p)) {
            let p = &loaded.items[*index];
            path.push(p.position);
            parent = p.parent_id.as_ref();
        }
        path.reverse();
        path
    };
    out.sort_by_cached_key(|(e, _)| path(e));
    out.into_iter().map(|(_, u)| u).collect()
}

/// Gives every new item a slug that none of its siblings (existing or new) has.
pub(crate) fn assign_slugs(loaded: &Loaded, items: &mut [PlannedItem]) {
    let mut taken: HashMap<Option<String>, std::collections::HashSet<String>> = HashMap::new();
    let mut groups: HashMap<Option<String>, Vec<&Existing>> = HashMap::new();
    for e in &loaded.items {
        groups.entry(e.parent_id.clone()).or_default().push(e);
    }
    for (parent, mut siblings) in groups {
        siblings.sort_by_key(|e| e.position);
        let slugs =
            crate::slug::effective(siblings.iter().map(|e| (e.slug.as_str(), e.title.as_str())));
        taken.insert(parent, slugs.into_iter().collect());
    }
    for item in items.iter_mut().filter(|i| i.action == Action::Create) {
        let set = taken.entry(item.parent_id.clone()).or_default();
        item.slug = crate::slug::unique(&crate::slug::slugify(&item.title), set);
    }
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
