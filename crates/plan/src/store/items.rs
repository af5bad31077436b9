//! Items of a plan's tree: create, read, change, move and reorder, delete.
//!
//! The tree is kept as parent + position (0-based among siblings) + depth. A move rewrites the
//! positions of the old and new siblings and the depth of the moved subtree in one transaction,
//! and keeps the roll-up of both ancestor chains current; nothing else about an item changes
//! when it moves (its id, code, history, indicators and amounts stay with it).

use std::collections::HashMap;

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::ConstraintViolation;
use steden_core::{CoreError, FieldError};
use steden_db::{flag, new_id, now_ms, Tx};

use super::{parse_date_field, rollup, strings_from_json, strings_to_json};
use crate::model::{Item, ItemStatus, StatusCount, DESCRIPTION_MAX, TITLE_MAX};

mod archive;
mod levels;
mod moving;
mod status;
mod summary;

pub use archive::archive;
pub(crate) use levels::level_names;
pub use levels::resolve_level;
pub use moving::{move_to, Destination};
use status::status_choice;
pub use status::{derive_again, STATUS_DERIVED};
pub use summary::{
    owner_names, set_owner_unaudited, status_counts, status_counts_per_level, theme_lists,
};

/// What an editor fills in for an item, as typed. Progress is only kept on leaves (parents
/// get the roll-up of their children).
#[derive(Debug, Clone, Default)]
pub struct ItemFields {
    /// Empty: a code is made from the parent's code and the position.
    pub code: String,
    pub title: String,
    pub description: String,
    pub owner_user_id: Option<String>,
    pub owner_name: String,
    pub responsible_service: String,
    pub partners: Vec<String>,
    pub start_date: String,
    pub end_date: String,
    pub prioritair: bool,
    pub beleidsveld: String,
    pub themes: Vec<String>,
    /// Empty keeps the current status (niet gestart for a new item). On an item with children
    /// a status sets it by hand (kept until cleared), and [`STATUS_DERIVED`] goes back to the
    /// status derived from the children.
    pub status: String,
    /// Empty keeps the current progress.
    pub progress: String,
    /// Empty keeps the current weight (1 for a new item).
    pub weight: String,
    pub internal_code: String,
    /// For a new item: its level (the index or the name of one of the plan's levels deeper
    /// than the parent's); empty: the level right below the parent's. Ignored on update.
    pub level: String,
}

impl ItemFields {
    /// The fields of an existing item, for an edit form.
    pub fn from_item(item: &Item) -> ItemFields {
        ItemFields {
            code: item.code.clone(),
            title: item.title.clone(),
            description: item.description.clone(),
            owner_user_id: item.owner_user_id.clone(),
            owner_name: if item.owner_user_id.is_some() {
                String::new()
            } else {
                item.owner_name.clone()
            },
            responsible_service: item.responsible_service.clone(),
            partners: item.partners.clone(),
            start_date: item.start_date.clone().unwrap_or_default(),
            end_date: item.end_date.clone().unwrap_or_default(),
            prioritair: item.prioritair_own,
            beleidsveld: item.beleidsveld.clone(),
            themes: item.themes.clone(),
            status: if item.is_leaf() || item.status_manual {
                item.status.as_str().to_string()
            } else {
                STATUS_DERIVED.to_string()
            },
            progress: item.progress.to_string(),
            weight: item.weight.to_string(),
            internal_code: item.internal_code.clone(),
            level: item.level.to_string(),
        }
    }
}

/// Checked fields; `None` means "keep what is there".
#[derive(Debug, Clone)]
pub(crate) struct ValidItem {
    pub code: Option<String>,
    pub title: String,
    pub description: String,
    pub owner_user_id: Option<String>,
    pub owner_name: String,
    pub responsible_service: String,
    pub partners: Vec<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub prioritair: bool,
    pub beleidsveld: String,
    pub themes: Vec<String>,
    pub status: Option<ItemStatus>,
    /// [`STATUS_DERIVED`] was chosen.
    pub status_derived: bool,
    pub progress: Option<i64>,
    pub weight: Option<i64>,
    pub internal_code: String,
}

fn clean_list(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in values {
        let value = value.trim();
        if !value.is_empty() && !out.iter().any(|v| v == value) {
            out.push(value.to_string());
        }
    }
    out
}

/// Checks an item's fields, with every error at once (in Dutch, per field).
pub(crate) fn validate(fields: &ItemFields) -> Result<ValidItem, CoreError> {
    let mut errors = Vec::new();
    let code = fields.code.trim();
    if code.chars().count() > 40 {
        errors.push(FieldError::new(
            "code",
            "De code mag hoogstens 40 tekens lang zijn.",
        ));
    } else if code.chars().any(char::is_whitespace) {
        errors.push(FieldError::new("code", "Een code bevat geen spaties."));
    }
    let title = fields
        .title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if title.is_empty() {
        errors.push(FieldError::new("title", "Geef een korte titel."));
    } else if title.chars().count() > TITLE_MAX {
        errors.push(FieldError::new(
            "title",
            format!(
                "De korte titel mag hoogstens {TITLE_MAX} tekens lang zijn (nu {}); zet de rest in de beschrijving.",
                title.chars().count()
            ),
        ));
    }
    let description = fields.description.trim().to_string();
    if description.chars().count() > DESCRIPTION_MAX {
        errors.push(FieldError::new(
            "description",
            format!(
                "De beschrijving mag hoogstens {} tekens lang zijn (nu {}).",
                steden_core::time::format_int(DESCRIPTION_MAX as i64),
                steden_core::time::format_int(description.chars().count() as i64)
            ),
        ));
    }
    let mut date = |name: &str, value: &str| match parse_date_field(value) {
        Ok(date) => date,
        Err(message) => {
            errors.push(FieldError::new(name, message));
            None
        }
    };
    let start_date = date("start_date", &fields.start_date);
    let end_date = date("end_date", &fields.end_date);
    if let (Some(start), Some(end)) = (&start_date, &end_date) {
        if end < start {
            errors.push(FieldError::new(
                "end_date",
                "De einddatum ligt vóór de begindatum.",
            ));
        }
    }
    let status_derived = fields.status.trim() == STATUS_DERIVED;
    let status = match fields.status.trim() {
        "" | STATUS_DERIVED => None,
        text => {
            let status = ItemStatus::parse(text);
            if status.is_none() {
                errors.push(FieldError::new("status", "Kies een geldige status."));
            }
            status
        }
    };
    let progress = match fields.progress.trim().trim_end_matches('%').trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(p) if (0..=100).contains(&p) => Some(p),
            _ => {
                errors.push(FieldError::new(
                    "progress",
                    "De voortgang is een geheel getal van 0 tot 100.",
                ));
                None
            }
        },
    };
    let weight = match fields.weight.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(w) if (0..=1000).contains(&w) => Some(w),
            _ => {
                errors.push(FieldError::new(
                    "weight",
                    "Het gewicht is een geheel getal van 0 tot 1.000.",
                ));
                None
            }
        },
    };
    for (name, value, max) in [
        ("owner_name", &fields.owner_name, 200),
        ("responsible_service", &fields.responsible_service, 200),
        ("beleidsveld", &fields.beleidsveld, 200),
        ("internal_code", &fields.internal_code, 60),
    ] {
        if value.trim().chars().count() > max {
            errors.push(FieldError::new(name, format!("Hoogstens {max} tekens.")));
        }
    }
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    Ok(ValidItem {
        code: (!code.is_empty()).then(|| code.to_string()),
        title,
        description,
        owner_user_id: fields
            .owner_user_id
            .clone()
            .filter(|id| !id.trim().is_empty()),
        owner_name: fields.owner_name.trim().to_string(),
        responsible_service: fields.responsible_service.trim().to_string(),
        partners: clean_list(&fields.partners),
        start_date,
        end_date,
        prioritair: fields.prioritair,
        beleidsveld: fields.beleidsveld.trim().to_string(),
        themes: clean_list(&fields.themes),
        status,
        status_derived,
        progress,
        weight,
        internal_code: fields.internal_code.trim().to_string(),
    })
}

pub(crate) const ITEM_COLUMNS: &str =
    "i.id, i.plan_id, i.parent_id, i.depth, i.level, i.position, i.code, i.slug, i.title, \
     i.description, i.owner_user_id, COALESCE(u.name, i.owner_name) AS owner_display, \
     i.responsible_service, i.partners, i.start_date, i.end_date, i.prioritair_own, i.prioritair, \
     i.status_manual, \
     i.beleidsveld, i.themes, i.status, i.progress, i.weight, i.internal_code, i.created_at, \
     i.updated_at, i.archived_at, \
     (SELECT COUNT(*) FROM plan_items c WHERE c.parent_id = i.id AND c.archived_at IS NULL) AS child_count";

/// The columns for lists of a whole plan (or its top levels): the child count comes from one
/// grouped pass over the plan ([`PLAN_FROM`]) instead of a subquery per row, which matters for
/// a plan of 12,000 items.
pub(crate) const PLAN_ITEM_COLUMNS: &str =
    "i.id, i.plan_id, i.parent_id, i.depth, i.level, i.position, i.code, i.slug, i.title, \
     i.description, i.owner_user_id, COALESCE(u.name, i.owner_name) AS owner_display, \
     i.responsible_service, i.partners, i.start_date, i.end_date, i.prioritair_own, i.prioritair, \
     i.status_manual, \
     i.beleidsveld, i.themes, i.status, i.progress, i.weight, i.internal_code, i.created_at, \
     i.updated_at, i.archived_at, COALESCE(c.n, 0) AS child_count";

/// Items of plan `$1` with their owner and child count.
pub(crate) const PLAN_FROM: &str = "FROM plan_items i LEFT JOIN person_names u ON u.id = i.owner_user_id \
     LEFT JOIN (SELECT parent_id, COUNT(*) AS n FROM plan_items WHERE plan_id = $1 AND parent_id IS NOT NULL AND archived_at IS NULL GROUP BY parent_id) c \
     ON c.parent_id = i.id";

pub(crate) const ITEM_FROM: &str =
    "FROM plan_items i LEFT JOIN person_names u ON u.id = i.owner_user_id";

pub(crate) fn item_from_row(row: &sqlx::any::AnyRow) -> Result<Item, sqlx::Error> {
    Ok(Item {
        id: row.try_get("id")?,
        plan_id: row.try_get("plan_id")?,
        parent_id: row.try_get("parent_id")?,
        depth: row.try_get("depth")?,
        level: row.try_get("level")?,
        position: row.try_get("position")?,
        code: row.try_get("code")?,
        slug: row.try_get("slug")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        owner_user_id: row.try_get("owner_user_id")?,
        owner_name: row.try_get("owner_display")?,
        responsible_service: row.try_get("responsible_service")?,
        partners: strings_from_json(&row.try_get::<String, _>("partners")?),
        start_date: row.try_get("start_date")?,
        end_date: row.try_get("end_date")?,
        prioritair_own: flag::from_db(row.try_get("prioritair_own")?),
        prioritair: flag::from_db(row.try_get("prioritair")?),
        beleidsveld: row.try_get("beleidsveld")?,
        themes: strings_from_json(&row.try_get::<String, _>("themes")?),
        status: ItemStatus::parse(&row.try_get::<String, _>("status")?)
            .unwrap_or(ItemStatus::NietGestart),
        status_manual: flag::from_db(row.try_get("status_manual")?),
        progress: row.try_get("progress")?,
        weight: row.try_get("weight")?,
        internal_code: row.try_get("internal_code")?,
        child_count: row.try_get("child_count")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        archived_at: row.try_get("archived_at")?,
    })
}

/// One item; fails with `NotFound` when there is none.
pub async fn get<'e>(executor: impl Executor<'e, Database = Any>, id: &str) -> CoreResult<Item> {
    find(executor, id).await?.ok_or(CoreError::NotFound("item"))
}

/// One item.
pub async fn find<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: &str,
) -> CoreResult<Option<Item>> {
    let row = sqlx::query(&format!(
        "SELECT {ITEM_COLUMNS} {ITEM_FROM} WHERE i.id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(item_from_row).transpose()?)
}

/// One item by its code within a plan.
pub async fn get_by_code<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
    code: &str,
) -> CoreResult<Option<Item>> {
    let row = sqlx::query(&format!(
        "SELECT {ITEM_COLUMNS} {ITEM_FROM} WHERE i.plan_id = $1 AND i.code = $2"
    ))
    .bind(plan_id)
    .bind(code)
    .fetch_optional(executor)
    .await?;
    Ok(row.as_ref().map(item_from_row).transpose()?)
}

/// Every item of a plan, in tree order (depth-first, siblings by position).
pub async fn list_for_plan<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
) -> CoreResult<Vec<Item>> {
    list_to_depth(executor, plan_id, i64::MAX).await
}

/// The items of a plan down to `max_depth` (0 = top level only), in tree order: what a tree
/// collapsed to a few levels needs, without reading the leaves of a large plan.
pub async fn list_to_depth<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
    max_depth: i64,
) -> CoreResult<Vec<Item>> {
    let rows = sqlx::query(&format!(
        "SELECT {PLAN_ITEM_COLUMNS} {PLAN_FROM} WHERE i.plan_id = $1 AND i.depth <= $2 AND i.archived_at IS NULL"
    ))
    .bind(plan_id)
    .bind(max_depth)
    .fetch_all(executor)
    .await?;
    let items = rows
        .iter()
        .map(item_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(tree_order(items))
}

/// The children of an item (or the top level when `parent_id` is `None`), by position.
pub async fn children<'e>(
    executor: impl Executor<'e, Database = Any>,
    plan_id: &str,
    parent_id: Option<&str>,
) -> CoreResult<Vec<Item>> {
    let rows = match parent_id {
        Some(parent) => {
            sqlx::query(&format!(
                "SELECT {ITEM_COLUMNS} {ITEM_FROM} WHERE i.plan_id = $1 AND i.parent_id = $2 AND i.archived_at IS NULL ORDER BY i.position"
            ))
            .bind(plan_id)
            .bind(parent)
            .fetch_all(executor)
            .await?
        }
        None => {
            sqlx::query(&format!(
                "SELECT {ITEM_COLUMNS} {ITEM_FROM} WHERE i.plan_id = $1 AND i.parent_id IS NULL AND i.archived_at IS NULL ORDER BY i.position"
            ))
            .bind(plan_id)
            .fetch_all(executor)
            .await?
        }
    };
    Ok(rows.iter().map(item_from_row).collect::<Result<_, _>>()?)
}

/// The items a user owns, across plans, in plan and tree order.
pub async fn owned_by<'e>(
    executor: impl Executor<'e, Database = Any>,
    user_id: &str,
) -> CoreResult<Vec<Item>> {
    let rows = sqlx::query(&format!(
        "SELECT {ITEM_COLUMNS} {ITEM_FROM} WHERE i.owner_user_id = $1 AND i.archived_at IS NULL ORDER BY i.plan_id, i.code"
    ))
    .bind(user_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(item_from_row).collect::<Result<_, _>>()?)
}

/// The chain of ancestors of an item, top first (not including the item).
pub async fn ancestors(tx: &mut sqlx::AnyConnection, item: &Item) -> CoreResult<Vec<Item>> {
    let mut chain = Vec::new();
    let mut parent = item.parent_id.clone();
    while let Some(id) = parent {
        let Some(found) = find(&mut *tx, &id).await? else {
            break;
        };
        parent = found.parent_id.clone();
        chain.push(found);
    }
    chain.reverse();
    Ok(chain)
}

/// Sorts items into depth-first order: each parent followed by its subtree, siblings by
/// position. Items whose parent is not in the list are treated as roots.
pub fn tree_order(items: Vec<Item>) -> Vec<Item> {
    let ids: std::collections::HashSet<String> = items.iter().map(|i| i.id.clone()).collect();
    let mut by_parent: HashMap<Option<String>, Vec<Item>> = HashMap::new();
    for item in items {
        let key = item.parent_id.clone().filter(|p| ids.contains(p));
        by_parent.entry(key).or_default().push(item);
    }
    for siblings in by_parent.values_mut() {
        siblings.sort_by(|a, b| a.position.cmp(&b.position).then(a.code.cmp(&b.code)));
    }
    let mut out = Vec::with_capacity(ids.len());
    let mut stack: Vec<Item> = by_parent.remove(&None).unwrap_or_default();
    stack.reverse();
    while let Some(item) = stack.pop() {
        if let Some(mut children) = by_parent.remove(&Some(item.id.clone())) {
            children.reverse();
            stack.extend(children);
        }
        out.push(item);
    }
    out
}

/// A code for a new item: the parent's code (or the level's initial) followed by the next free
/// number.
async fn next_code(tx: &mut Tx<'_>, plan_id: &str, parent: Option<&Item>) -> CoreResult<String> {
    let prefix = match parent {
        Some(p) => format!("{}.", p.code),
        None => String::new(),
    };
    let count: i64 = match parent {
        Some(p) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM plan_items WHERE parent_id = $1")
                .bind(&p.id)
                .fetch_one(&mut **tx)
                .await?
        }
        None => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM plan_items WHERE plan_id = $1 AND parent_id IS NULL",
            )
            .bind(plan_id)
            .fetch_one(&mut **tx)
            .await?
        }
    };
    let mut n = count + 1;
    loop {
        let code = format!("{prefix}{n}");
        let taken: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM plan_items WHERE plan_id = $1 AND code = $2")
                .bind(plan_id)
                .bind(&code)
                .fetch_one(&mut **tx)
                .await?;
        if taken == 0 {
            return Ok(code);
        }
        n += 1;
    }
}

const DUPLICATE_CODE: &str = "Deze code bestaat al in dit plan; codes zijn uniek binnen een plan.";

/// Adds an item under `parent_id` (or at the top), as the last of its siblings.
pub async fn create(
    tx: &mut Tx<'_>,
    plan_id: &str,
    parent_id: Option<&str>,
    fields: &ItemFields,
    actor: &AuditActor,
) -> CoreResult<Item> {
    let valid = validate(fields)?;
    let organisation_id = super::plans::organisation_of(&mut **tx, plan_id).await?;
    let parent = match parent_id {
        Some(id) => {
            let parent = find(&mut **tx, id)
                .await?
                .filter(|p| p.plan_id == plan_id)
                .ok_or(CoreError::NotFound("bovenliggend item"))?;
            Some(parent)
        }
        None => None,
    };
    let levels = level_names(&mut **tx, plan_id).await?;
    let level = resolve_level(&levels, parent.as_ref().map(|p| p.level), &fields.level)?;
    let slug = levels::new_slug(tx, plan_id, parent_id, &valid.title).await?;
    let code = match &valid.code {
        Some(code) => code.clone(),
        None => next_code(tx, plan_id, parent.as_ref()).await?,
    };
    let position: i64 = match &parent {
        Some(p) => sqlx::query_scalar(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM plan_items WHERE parent_id = $1",
        )
        .bind(&p.id)
        .fetch_one(&mut **tx)
        .await?,
        None => sqlx::query_scalar(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM plan_items WHERE plan_id = $1 AND parent_id IS NULL",
        )
        .bind(plan_id)
        .fetch_one(&mut **tx)
        .await?,
    };
    let id = new_id();
    let now = now_ms();
    let status = valid.status.unwrap_or(ItemStatus::NietGestart);
    sqlx::query(
        "INSERT INTO plan_items (id, plan_id, parent_id, depth, position, code, title,
             description, owner_user_id, owner_name, responsible_service, partners, start_date,
             end_date, prioritair_own, prioritair, beleidsveld, themes, status, progress, weight,
             internal_code, created_at, updated_at, level, slug)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16,
             $17, $18, $19, $20, $21, $22, $22, $23, $24)",
    )
    .bind(&id)
    .bind(plan_id)
    .bind(parent.as_ref().map(|p| p.id.as_str()))
    .bind(parent.as_ref().map_or(0, |p| p.depth + 1))
    .bind(position)
    .bind(&code)
    .bind(&valid.title)
    .bind(&valid.description)
    .bind(valid.owner_user_id.as_deref())
    .bind(&valid.owner_name)
    .bind(&valid.responsible_service)
    .bind(strings_to_json(&valid.partners))
    .bind(valid.start_date.as_deref())
    .bind(valid.end_date.as_deref())
    .bind(flag::to_db(valid.prioritair))
    .bind(&valid.beleidsveld)
    .bind(strings_to_json(&valid.themes))
    .bind(status.as_str())
    .bind(valid.progress.unwrap_or(0))
    .bind(valid.weight.unwrap_or(1))
    .bind(&valid.internal_code)
    .bind(now)
    .bind(level)
    .bind(&slug)
    .execute(&mut **tx)
    .await
    .on_unique("code", DUPLICATE_CODE)?;
    if let Some(parent) = &parent {
        rollup::recompute_from(tx, &parent.id).await?;
    }
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&organisation_id),
            entity_type: "plan_item",
            entity_id: &id,
            action: "create",
            summary: &format!("{} ‘{}’ toegevoegd", code, valid.title),
            changes: Changes::new().field("code", "", code.as_str()).field(
                "title",
                "",
                valid.title.as_str(),
            ),
        },
    )
    .await?;
    get(&mut **tx, &id).await
}

async fn organisation_of_plan(tx: &mut Tx<'_>, plan_id: &str) -> CoreResult<String> {
    super::plans::organisation_of(&mut **tx, plan_id).await
}

/// Changes an item's fields. Status and progress changes here are recorded in the item's
/// history too (with `comment`, which the edit form asks for when either changes).
pub async fn update(
    tx: &mut Tx<'_>,
    id: &str,
    fields: &ItemFields,
    comment: &str,
    actor: &AuditActor,
) -> CoreResult<Item> {
    let old = get(&mut **tx, id).await?;
    let valid = validate(fields)?;
    let code = valid.code.clone().unwrap_or_else(|| old.code.clone());
    let (status, status_manual) = status_choice(tx, &old, &valid).await?;
    // Parents show the roll-up of their children; what is typed for them is ignored.
    let progress = if old.is_leaf() {
        valid.progress.unwrap_or(old.progress)
    } else {
        old.progress
    };
    let weight = valid.weight.unwrap_or(old.weight);
    if (status != old.status || progress != old.progress) && comment.trim().is_empty() {
        return Err(CoreError::invalid(
            "comment",
            "Licht de wijziging van status of voortgang toe in een opmerking.",
        ));
    }
    sqlx::query(
        "UPDATE plan_items SET code = $2, title = $3, description = $4, owner_user_id = $5,
             owner_name = $6, responsible_service = $7, partners = $8, start_date = $9,
             end_date = $10, prioritair_own = $11, beleidsveld = $12, themes = $13, status = $14,
             progress = $15, weight = $16, internal_code = $17, updated_at = $18,
             status_manual = $19
         WHERE id = $1",
    )
    .bind(id)
    .bind(&code)
    .bind(&valid.title)
    .bind(&valid.description)
    .bind(valid.owner_user_id.as_deref())
    .bind(&valid.owner_name)
    .bind(&valid.responsible_service)
    .bind(strings_to_json(&valid.partners))
    .bind(valid.start_date.as_deref())
    .bind(valid.end_date.as_deref())
    .bind(flag::to_db(valid.prioritair))
    .bind(&valid.beleidsveld)
    .bind(strings_to_json(&valid.themes))
    .bind(status.as_str())
    .bind(progress)
    .bind(weight)
    .bind(&valid.internal_code)
    .bind(now_ms())
    .bind(flag::to_db(status_manual))
    .execute(&mut **tx)
    .await
    .on_unique("code", DUPLICATE_CODE)?;
    if status != old.status || progress != old.progress {
        super::history::insert(
            tx,
            &super::history::NewUpdate {
                plan_id: &old.plan_id,
                item_id: id,
                round_id: None,
                old_status: Some(old.status),
                new_status: Some(status),
                old_progress: Some(old.progress),
                new_progress: Some(progress),
                measurement_id: None,
                comment: comment.trim(),
                author_name: "",
            },
            actor,
        )
        .await?;
    }
    // The item's own prioritair may have changed: recompute it and its ancestors.
    rollup::recompute_from(tx, id).await?;
    let organisation_id = organisation_of_plan(tx, &old.plan_id).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&organisation_id),
            entity_type: "plan_item",
            entity_id: id,
            action: "update",
            summary: &format!("{} ‘{}’ gewijzigd", code, valid.title),
            changes: Changes::new()
                .field("code", old.code.as_str(), code.as_str())
                .field("title", old.title.as_str(), valid.title.as_str())
                .field(
                    "description",
                    old.description.as_str(),
                    valid.description.as_str(),
                )
                .field(
                    "owner_user_id",
                    old.owner_user_id.as_deref(),
                    valid.owner_user_id.as_deref(),
                )
                .field(
                    "responsible_service",
                    old.responsible_service.as_str(),
                    valid.responsible_service.as_str(),
                )
                .field("partners", &old.partners, &valid.partners)
                .field(
                    "start_date",
                    old.start_date.as_deref(),
                    valid.start_date.as_deref(),
                )
                .field(
                    "end_date",
                    old.end_date.as_deref(),
                    valid.end_date.as_deref(),
                )
                .field("prioritair", old.prioritair_own, valid.prioritair)
                .field(
                    "beleidsveld",
                    old.beleidsveld.as_str(),
                    valid.beleidsveld.as_str(),
                )
                .field("themes", &old.themes, &valid.themes)
                .field("status", old.status.as_str(), status.as_str())
                .field("status_manual", old.status_is_manual(), status_manual)
                .field("progress", old.progress, progress)
                .field("weight", old.weight, weight),
        },
    )
    .await?;
    get(&mut **tx, id).await
}

/// Deletes an item and its subtree (with their history, indicators and amounts).
pub async fn delete(tx: &mut Tx<'_>, id: &str, actor: &AuditActor) -> CoreResult<()> {
    let item = get(&mut **tx, id).await?;
    sqlx::query("DELETE FROM plan_items WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    // Renumber the remaining siblings.
    let siblings = children(&mut **tx, &item.plan_id, item.parent_id.as_deref()).await?;
    for (position, sibling) in siblings.iter().enumerate() {
        sqlx::query("UPDATE plan_items SET position = $2 WHERE id = $1")
            .bind(&sibling.id)
            .bind(position as i64)
            .execute(&mut **tx)
            .await?;
    }
    if let Some(parent) = &item.parent_id {
        rollup::recompute_from(tx, parent).await?;
    }
    let organisation_id = organisation_of_plan(tx, &item.plan_id).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&organisation_id),
            entity_type: "plan_item",
            entity_id: id,
            action: "delete",
            summary: &format!("{} ‘{}’ verwijderd", item.code, item.title),
            changes: Changes::new().field("code", item.code.as_str(), ""),
        },
    )
    .await?;
    Ok(())
}
