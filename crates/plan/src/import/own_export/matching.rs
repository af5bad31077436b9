//! Steps 3 and 4 of [`super`]: matching the rows of an own export against the plan's items
//! into an [`ImportPlan`] (or the reasons per row why not), and writing what
//! `crate::import::write::apply` does not.

use std::collections::{HashMap, HashSet};

use steden_core::audit::AuditActor;
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::Tx;

use super::{OwnExport, Row, RowProblem};
use crate::import::write::{
    assign_slugs, normalise, unmatched, Action, FieldChange, ImportPlan, Loaded, PlannedItem,
};
use crate::model::{Item, Plan};
use crate::store::items::{self, ItemFields};
use crate::store::plans;

/// The comment kept in an item's history when the import changes its status or progress.
pub const HISTORY_COMMENT: &str = "Ingelezen uit de export van het plan (import).";

/// The name of a stored level (an index into the plan's levels): the one place the import
/// names it.
pub fn level_name(plan: &Plan, level: i64) -> String {
    plan.level_name(level).to_string()
}

/// The index of the level named `typed` in the plan, if there is one.
fn level_index(plan: &Plan, typed: &str) -> Option<i64> {
    plan.levels
        .iter()
        .position(|l| normalise(l) == normalise(typed))
        .and_then(|i| i64::try_from(i).ok())
}

/// The level a row's item gets, or why the typed level cannot be: an existing item keeps its
/// stored level (the import does not change levels); a new item takes the typed level when it
/// lies below its parent's (levels may be skipped), else the level right below the parent.
/// `parent_level` is -1 at the top of the plan. Empty is always fine.
fn row_level(
    plan: &Plan,
    existing: Option<i64>,
    parent_level: i64,
    typed: &str,
) -> Result<i64, String> {
    let known = level_index(plan, typed);
    if !typed.is_empty() && known.is_none() {
        return Err(format!(
            "het niveau ‘{typed}’ bestaat niet in dit plan (niveaus: {})",
            plan.levels.join(", ")
        ));
    }
    if let Some(level) = existing {
        return match known {
            Some(typed_level) if typed_level != level => Err(format!(
                "dit item is een {}, geen {typed}; het niveau van een bestaand item wijzigt niet via de import",
                level_name(plan, level)
            )),
            _ => Ok(level),
        };
    }
    let deepest = i64::try_from(plan.levels.len()).unwrap_or(i64::MAX) - 1;
    let below = parent_level + 1;
    if below > deepest {
        return Err(format!(
            "onder een {} kan geen item meer komen: het plan heeft geen dieper niveau",
            level_name(plan, parent_level)
        ));
    }
    match known {
        None => Ok(below),
        Some(level) if level >= below => Ok(level),
        Some(_) => Err(format!(
            "het niveau ‘{typed}’ is hier niet toegelaten: onder dit bovenliggende item komt een {} of dieper",
            level_name(plan, below)
        )),
    }
}

/// Where a row goes: an existing item (index into the plan's items) or a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Existing(usize),
    New,
}

/// A row's own checks: its status, progress, dates, prioritair and title, through the same
/// validation as the edit form. Returns the fields to write (from `base`, the item as it is).
fn row_fields(
    export: &OwnExport,
    row: &Row,
    base: ItemFields,
    problems: &mut Vec<RowProblem>,
) -> Option<(ItemFields, Option<bool>)> {
    let mut fields = base;
    let mut ok = true;
    if row.title.trim().is_empty() {
        problems.push(RowProblem::at(row.line, "de titel is leeg"));
        ok = false;
    }
    fields.title = row.title.clone();
    if let Some(d) = &row.description {
        fields.description = d.clone();
    }
    if let Some(s) = &row.service {
        fields.responsible_service = s.clone();
    }
    if let Some(status) = row.status.as_deref().filter(|s| !s.is_empty()) {
        match export.statuses.get(&normalise(status)) {
            Some(s) => fields.status = s.as_str().to_string(),
            None => {
                problems.push(RowProblem::at(
                    row.line,
                    format!(
                        "de status ‘{status}’ bestaat niet; kies uit Niet gestart, Lopend, Vertraagd, Afgerond of Stopgezet"
                    ),
                ));
                ok = false;
            }
        }
    }
    if let Some(p) = row.progress.as_deref().filter(|p| !p.is_empty()) {
        fields.progress = p.to_string();
    }
    if let Some(d) = &row.start {
        fields.start_date = d.clone();
    }
    if let Some(d) = &row.end {
        fields.end_date = d.clone();
    }
    let mut prioritair = None;
    if let Some(p) = row.prioritair.as_deref().filter(|p| !p.is_empty()) {
        match export.booleans.get(&normalise(p)) {
            Some(b) => prioritair = Some(*b),
            None => {
                problems.push(RowProblem::at(
                    row.line,
                    format!("schrijf ‘ja’ of ‘nee’ bij Prioritair, niet ‘{p}’"),
                ));
                ok = false;
            }
        }
    }
    if ok {
        if let Err(CoreError::Invalid(errors)) = items::validate(&fields) {
            for e in errors {
                problems.push(RowProblem::at(
                    row.line,
                    format!("{}: {}", field_name(&e.field), e.message),
                ));
            }
            ok = false;
        }
    }
    ok.then_some((fields, prioritair))
}

fn field_name(field: &str) -> &str {
    match field {
        "code" => "Code",
        "title" => "Titel",
        "description" => "Beschrijving",
        "responsible_service" => "Dienst",
        "start_date" => "Begindatum",
        "end_date" => "Einddatum",
        "status" => "Status",
        "progress" => "Voortgang",
        other => other,
    }
}

/// A status as the preview shows it: "niet_gestart" → "Niet gestart".
fn status_text(status: &str) -> String {
    let text = status.replace('_', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

fn date_text(date: Option<&str>) -> String {
    date.map(crate::export::belgian_date).unwrap_or_default()
}

fn yes_no(value: bool) -> String {
    if value { "ja" } else { "nee" }.to_string()
}

/// What changes on an existing item.
fn changes(
    item: &Item,
    row: &Row,
    fields: &ItemFields,
    prioritair: Option<bool>,
) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut push = |field: &str, old: String, new: String| {
        if old != new {
            out.push(FieldChange {
                field: field.to_string(),
                old,
                new,
            });
        }
    };
    let title = fields
        .title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    push("title", item.title.clone(), title);
    if row.description.is_some() {
        push(
            "description",
            item.description.clone(),
            fields.description.trim().to_string(),
        );
    }
    if row.service.is_some() {
        push(
            "responsible_service",
            item.responsible_service.clone(),
            fields.responsible_service.trim().to_string(),
        );
    }
    if !fields.status.is_empty() {
        push(
            "status",
            status_text(item.status.as_str()),
            status_text(&fields.status),
        );
    }
    // Parents show the roll-up of their children; what is typed for them is not read.
    if item.is_leaf() && !fields.progress.trim().is_empty() {
        let typed = fields.progress.trim().trim_end_matches('%').trim();
        push("progress", item.progress.to_string(), typed.to_string());
    }
    let date = |text: &str| crate::store::parse_date_field(text).ok().flatten();
    if row.start.is_some() {
        push(
            "start_date",
            date_text(item.start_date.as_deref()),
            date_text(date(&fields.start_date).as_deref()),
        );
    }
    if row.end.is_some() {
        push(
            "end_date",
            date_text(item.end_date.as_deref()),
            date_text(date(&fields.end_date).as_deref()),
        );
    }
    // The export shows prioritair as rolled up; only a value that differs from both the
    // shown and the item's own changes it.
    if let Some(p) = prioritair {
        if p != item.prioritair && p != item.prioritair_own {
            push("prioritair", yes_no(item.prioritair_own), yes_no(p));
        }
    }
    out
}

/// Plans the import of `export` into the plan: the shared [`ImportPlan`] for the preview and
/// the job, or every reason (per row) why it cannot be imported.
pub async fn plan(
    conn: &mut sqlx::AnyConnection,
    plan_id: &str,
    export: &OwnExport,
) -> CoreResult<Result<ImportPlan, Vec<RowProblem>>> {
    let plan = plans::get_on(&mut *conn, plan_id).await?;
    let items = items::list_for_plan(&mut *conn, plan_id).await?;
    let mut planned = match plan_rows(&plan, &items, export) {
        Ok(planned) => planned,
        Err(problems) => return Ok(Err(problems)),
    };
    // New items' slugs and the rows left out (which the preview offers to archive), as the
    // jaarplan and BBC imports give them.
    let loaded = Loaded::read(&mut *conn, plan_id, false).await?;
    assign_slugs(&loaded, &mut planned.items);
    let kept: HashSet<&str> = planned.items.iter().map(|p| p.id.as_str()).collect();
    let matched: Vec<bool> = loaded
        .items
        .iter()
        .map(|e| kept.contains(e.id.as_str()))
        .collect();
    planned.unmatched = unmatched(&loaded, &matched);
    Ok(Ok(planned))
}

/// [`plan`] without the database.
fn plan_rows(
    plan: &Plan,
    items: &[Item],
    export: &OwnExport,
) -> Result<ImportPlan, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    if export.plan_id.as_deref().is_some_and(|p| p != plan.id) {
        warnings.push(
            "Dit bestand is de export van een ander plan; de rijen worden op hun code gekoppeld."
                .to_string(),
        );
    }
    let by_id: HashMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.id.as_str(), i))
        .collect();
    let by_code: HashMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.code.as_str(), i))
        .collect();
    let rows = &export.rows;

    // Codes appear once in the file.
    let mut first_line: HashMap<&str, usize> = HashMap::new();
    let mut duplicate: HashSet<usize> = HashSet::new();
    for (r, row) in rows.iter().enumerate().filter(|(_, r)| !r.code.is_empty()) {
        if let Some(line) = first_line.get(row.code.as_str()) {
            problems.push(RowProblem::at(
                row.line,
                format!(
                    "de code {} staat ook op regel {line}; codes zijn uniek",
                    row.code
                ),
            ));
            duplicate.insert(r);
        } else {
            first_line.insert(&row.code, row.line);
        }
    }

    // Matching: by ID where the row keeps the item's code, then by code.
    let mut targets: Vec<Option<Target>> = vec![None; rows.len()];
    let mut claimed: HashMap<usize, usize> = HashMap::new();
    for (r, row) in rows.iter().enumerate() {
        let Some(&index) = by_id.get(row.id.as_str()) else {
            continue;
        };
        if duplicate.contains(&r) {
            continue;
        }
        if !row.code.is_empty() && row.code != items[index].code {
            continue;
        }
        if let Some(line) = claimed.get(&index) {
            problems.push(RowProblem::at(
                row.line,
                format!("dit item ({}) staat ook op regel {line}", items[index].code),
            ));
            continue;
        }
        claimed.insert(index, row.line);
        targets[r] = Some(Target::Existing(index));
    }
    for (r, row) in rows.iter().enumerate() {
        if targets[r].is_some() || duplicate.contains(&r) {
            continue;
        }
        if let Some(&index) = by_id.get(row.id.as_str()) {
            // The ID of an item, with another code: a copied row is a new item, else the
            // user changed the code.
            let copied = claimed.contains_key(&index) || by_code.contains_key(row.code.as_str());
            if !copied
                && !rows
                    .iter()
                    .any(|o| o.id == row.id && o.code == items[index].code)
            {
                problems.push(RowProblem::at(
                    row.line,
                    format!(
                        "de code van {} kan niet via de import wijzigen; zet de code terug, of maak een nieuwe rij met een lege ID",
                        items[index].code
                    ),
                ));
                continue;
            }
        }
        match by_code.get(row.code.as_str()) {
            Some(&index) if !row.code.is_empty() => match claimed.get(&index) {
                Some(line) => problems.push(RowProblem::at(
                    row.line,
                    format!(
                        "de code {} is al van het item op regel {line}; geef de nieuwe rij een andere code",
                        row.code
                    ),
                )),
                None if !row.id.is_empty()
                    && by_id.contains_key(row.id.as_str())
                    && export.plan_id.as_deref() == Some(plan.id.as_str()) =>
                {
                    problems.push(RowProblem::at(
                        row.line,
                        format!(
                            "de code {} bestaat al in het plan; geef de nieuwe rij een andere code",
                            row.code
                        ),
                    ));
                }
                None => {
                    claimed.insert(index, row.line);
                    targets[r] = Some(Target::Existing(index));
                }
            },
            _ => targets[r] = Some(Target::New),
        }
    }

    // Ids of new rows, and where each code of the file points.
    let ids: Vec<String> = targets
        .iter()
        .map(|t| match t {
            Some(Target::Existing(i)) => items[*i].id.clone(),
            _ => steden_db::new_id(),
        })
        .collect();
    let mut code_to_row: HashMap<&str, usize> = HashMap::new();
    for (r, row) in rows.iter().enumerate() {
        if !row.code.is_empty() && targets[r].is_some() {
            code_to_row.entry(row.code.as_str()).or_insert(r);
        }
    }

    // Parents: a row of the file or an item of the plan, by code.
    #[derive(Clone, Copy)]
    enum Parent {
        Top,
        Row(usize),
        Item(usize),
    }
    let mut parents: Vec<Option<Parent>> = vec![None; rows.len()];
    for (r, row) in rows.iter().enumerate() {
        let Some(target) = targets[r] else { continue };
        let parent = if row.parent.is_empty() {
            Some(Parent::Top)
        } else if let Some(&p) = code_to_row.get(row.parent.as_str()) {
            Some(Parent::Row(p))
        } else if let Some(&i) = by_code.get(row.parent.as_str()) {
            Some(Parent::Item(i))
        } else {
            problems.push(RowProblem::at(
                row.line,
                format!(
                    "de bovenliggende code {} bestaat niet in het plan of het bestand",
                    row.parent
                ),
            ));
            None
        };
        let Some(parent) = parent else { continue };
        if let Target::Existing(index) = target {
            let now = items[index].parent_id.as_deref();
            let typed = match parent {
                Parent::Top => None,
                Parent::Row(p) => Some(ids[p].as_str()),
                Parent::Item(i) => Some(items[i].id.as_str()),
            };
            if now != typed {
                let now_code = now
                    .and_then(|id| by_id.get(id))
                    .map_or("(geen)".to_string(), |i| items[*i].code.clone());
                problems.push(RowProblem::at(
                    row.line,
                    format!(
                        "{} staat onder {now_code}; een item verplaatsen kan niet via de import, verplaats het in de boom",
                        items[index].code
                    ),
                ));
                continue;
            }
        }
        parents[r] = Some(parent);
    }

    // Depths of the new rows (their parent first), refusing loops.
    let mut depths: Vec<Option<i64>> = targets
        .iter()
        .map(|t| match t {
            Some(Target::Existing(i)) => Some(items[*i].depth),
            _ => None,
        })
        .collect();
    for (start, first) in rows.iter().enumerate() {
        let mut chain = Vec::new();
        let mut r = start;
        let mut base: Option<i64> = None;
        loop {
            if let Some(d) = depths[r] {
                base = Some(d);
                break;
            }
            if chain.contains(&r) {
                problems.push(RowProblem::at(
                    first.line,
                    "de bovenliggende codes van de nieuwe rijen vormen een kring",
                ));
                break;
            }
            chain.push(r);
            match parents[r] {
                Some(Parent::Top) => {
                    base = Some(-1);
                    break;
                }
                Some(Parent::Item(i)) => {
                    base = Some(items[i].depth);
                    break;
                }
                Some(Parent::Row(p)) => r = p,
                None => break,
            }
        }
        if let Some(mut d) = base {
            for r in chain.into_iter().rev() {
                d += 1;
                depths[r] = Some(d);
            }
        }
    }

    // Fields, levels and what changes.
    let mut taken: HashSet<String> = items.iter().map(|i| i.code.clone()).collect();
    taken.extend(rows.iter().map(|r| r.code.clone()));
    let mut next: HashMap<Option<String>, i64> = HashMap::new();
    let mut children: HashMap<Option<String>, i64> = HashMap::new();
    for item in items {
        let slot = next.entry(item.parent_id.clone()).or_insert(0);
        *slot = (*slot).max(item.position + 1);
        *children.entry(item.parent_id.clone()).or_insert(0) += 1;
    }
    let mut planned: Vec<PlannedItem> = Vec::new();
    let mut created: Vec<(i64, PlannedItem)> = Vec::new();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|r| depths[*r].unwrap_or(i64::MAX));
    let mut codes: HashMap<usize, String> = HashMap::new();
    let mut levels: HashMap<usize, i64> = HashMap::new();
    for r in order {
        let row = &rows[r];
        let (Some(target), Some(parent), Some(depth)) = (targets[r], parents[r], depths[r]) else {
            continue;
        };
        let existing = match target {
            Target::Existing(i) => Some(&items[i]),
            Target::New => None,
        };
        let parent_level = match parent {
            Parent::Top => Some(-1),
            Parent::Item(i) => Some(items[i].level),
            // Rows are taken parents first; a parent row that was refused refuses its children.
            Parent::Row(p) => levels.get(&p).copied(),
        };
        let Some(parent_level) = parent_level else {
            continue;
        };
        let level = match row_level(
            plan,
            existing.map(|old| old.level),
            parent_level,
            &row.level,
        ) {
            Ok(level) => level,
            Err(message) => {
                problems.push(RowProblem::at(row.line, message));
                continue;
            }
        };
        levels.insert(r, level);
        let base = match existing {
            Some(old) => ItemFields::from_item(old),
            None => ItemFields {
                code: row.code.clone(),
                ..ItemFields::default()
            },
        };
        let Some((fields, prioritair)) = row_fields(export, row, base, &mut problems) else {
            continue;
        };
        let parent_id = match parent {
            Parent::Top => None,
            Parent::Row(p) => Some(ids[p].clone()),
            Parent::Item(i) => Some(items[i].id.clone()),
        };
        let mut item = PlannedItem {
            action: Action::Create,
            id: ids[r].clone(),
            parent_id: parent_id.clone(),
            depth,
            level,
            position: 0,
            code: row.code.clone(),
            // Given by `plan` from the siblings' slugs.
            slug: String::new(),
            title: fields
                .title
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            description: row
                .description
                .as_ref()
                .map(|_| fields.description.trim().to_string()),
            responsible_service: row
                .service
                .as_ref()
                .map(|_| fields.responsible_service.trim().to_string()),
            internal_code: None,
            amounts: None,
            changes: Vec::new(),
            line: row.line,
        };
        match existing {
            Some(old) => {
                item.changes = changes(old, row, &fields, prioritair);
                item.action = if item.changes.is_empty() {
                    Action::Unchanged
                } else {
                    Action::Update
                };
                item.position = old.position;
                item.code = old.code.clone();
                codes.insert(r, old.code.clone());
                planned.push(item);
            }
            None => {
                if item.code.is_empty() {
                    let prefix = match parent {
                        Parent::Top => String::new(),
                        Parent::Row(p) => {
                            format!("{}.", codes.get(&p).cloned().unwrap_or_default())
                        }
                        Parent::Item(i) => format!("{}.", items[i].code),
                    };
                    let count = children.get(&parent_id).copied().unwrap_or(0);
                    let mut n = count + 1;
                    while taken.contains(&format!("{prefix}{n}")) {
                        n += 1;
                    }
                    item.code = format!("{prefix}{n}");
                    taken.insert(item.code.clone());
                }
                *children.entry(parent_id.clone()).or_insert(0) += 1;
                let slot = next.entry(parent_id).or_insert(0);
                item.position = *slot;
                *slot += 1;
                codes.insert(r, item.code.clone());
                created.push((depth, item));
            }
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        problems.dedup();
        return Err(problems);
    }
    // New items after the existing ones, parents before their children.
    created.sort_by_key(|(depth, _)| *depth);
    planned.extend(created.into_iter().map(|(_, item)| item));
    let matched: HashSet<&str> = planned
        .iter()
        .filter(|p| p.action != Action::Create)
        .map(|p| p.id.as_str())
        .collect();
    let left_alone = items
        .iter()
        .filter(|i| !matched.contains(i.id.as_str()))
        .count();
    Ok(ImportPlan {
        plan_id: plan.id.clone(),
        items: planned,
        left_alone,
        // Filled by `plan` (the archive choices of the preview).
        unmatched: Vec::new(),
        new_levels: None,
        warnings,
    })
}

/// After `write::apply`: writes what that does not (status, progress, dates, prioritair) for
/// the rows that change them, through `store::items::update` (validation, history with
/// [`HISTORY_COMMENT`], roll-up, audit), in the same transaction.
pub async fn apply_fields(
    tx: &mut Tx<'_>,
    export: &OwnExport,
    import: &ImportPlan,
    actor: &AuditActor,
) -> CoreResult<usize> {
    const EXTRA: [&str; 5] = ["status", "progress", "start_date", "end_date", "prioritair"];
    let rows: HashMap<usize, &Row> = export.rows.iter().map(|r| (r.line, r)).collect();
    let mut written = 0;
    for planned in &import.items {
        let Some(row) = rows.get(&planned.line) else {
            continue;
        };
        let needed = match planned.action {
            Action::Unchanged => false,
            Action::Update => planned
                .changes
                .iter()
                .any(|c| EXTRA.contains(&c.field.as_str())),
            Action::Create => true,
        };
        if !needed {
            continue;
        }
        let item = items::get(&mut **tx, &planned.id).await?;
        let mut problems = Vec::new();
        let Some((mut fields, prioritair)) =
            row_fields(export, row, ItemFields::from_item(&item), &mut problems)
        else {
            let reasons: Vec<String> = problems.into_iter().map(|p| p.message).collect();
            return Err(CoreError::invalid("bestand", &reasons.join("; ")));
        };
        if let Some(p) = prioritair {
            if p != item.prioritair {
                fields.prioritair = p;
            }
        }
        let unchanged = ItemFields::from_item(&item);
        if planned.action == Action::Create
            && fields.status == unchanged.status
            && fields.progress == unchanged.progress
            && fields.start_date == unchanged.start_date
            && fields.end_date == unchanged.end_date
            && fields.prioritair == unchanged.prioritair
        {
            continue;
        }
        items::update(tx, &planned.id, &fields, HISTORY_COMMENT, actor).await?;
        written += 1;
    }
    Ok(written)
}
