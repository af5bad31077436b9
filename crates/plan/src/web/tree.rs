//! /plannen/{id}: a plan's tree. By default only the top two levels are read (so that a plan of
//! 12,000 items stays fast); each second-level item with children links to its subtree page,
//! which htmx loads in place. Collapsing works without JavaScript (nested `<details>`).
//!
//! With a filter (status, owner, theme, prioritair, late, search) the page reads every item,
//! filters in Rust and shows the matches as a flat list with their path.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use steden_core::time::{show_date, show_optional_date};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use crate::access;
use crate::model::{theme_label, Item, ItemStatus, Plan, SDGS};
use crate::paths;
use crate::store;
use crate::web::load;
use crate::web::plans::plan_crumbs;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plannen/{id}", get(show))
        .route("/plannen/{id}/boom/{item_id}", get(subtree))
}

/// An item as a row of the tree or of a list: what the templates show of it.
pub(crate) struct ItemRow {
    pub item: Item,
    pub level: String,
    pub end: String,
    pub late: bool,
    /// Its children are in the list right after it (a `<details>` opens).
    pub opens: bool,
    /// It has children that are not loaded (a link to its subtree).
    pub more: bool,
    /// How many open ancestors close after it.
    pub closes: usize,
    /// The codes of its ancestors (in filtered lists).
    pub path: String,
}

impl ItemRow {
    pub(crate) fn new(plan: &Plan, item: Item, today: &str) -> ItemRow {
        ItemRow {
            level: plan.level_name(item.level).to_string(),
            end: show_optional_date(item.end_date.as_deref()),
            late: item.is_late(today),
            opens: false,
            more: false,
            closes: 0,
            path: String::new(),
            item,
        }
    }
}

/// Turns items in tree order (starting at `base_depth`) into rows that open and close nested
/// lists.
pub(crate) fn tree_rows(plan: &Plan, items: Vec<Item>, base_depth: i64) -> Vec<ItemRow> {
    let today = store::today();
    let depths: Vec<i64> = items.iter().map(|i| i.depth).collect();
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let next = depths.get(index + 1).copied().unwrap_or(base_depth);
            let depth = item.depth;
            let mut row = ItemRow::new(plan, item, &today);
            row.opens = next > depth;
            row.more = !row.opens && !row.item.is_leaf();
            row.closes = if row.opens {
                0
            } else {
                usize::try_from(depth - next).unwrap_or(0)
            };
            row
        })
        .collect()
}

/// The GET filters of the tree.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Filters {
    status: String,
    owner: String,
    theme: String,
    prioritair: String,
    /// Any non-empty value; `laat` is accepted too (the benchmark's link).
    #[serde(alias = "laat")]
    late: String,
    q: String,
    /// A level's index: the items whose level has that level's name (the dashboard counts
    /// per level name, and its figures link here).
    level: String,
}

impl Filters {
    fn active(&self) -> bool {
        [
            &self.status,
            &self.owner,
            &self.theme,
            &self.prioritair,
            &self.late,
            &self.q,
            &self.level,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
    }

    fn matches(&self, plan: &Plan, item: &Item, today: &str) -> bool {
        let q = self.q.trim().to_lowercase();
        let level = self.level.trim().parse::<i64>().ok();
        (self.level.trim().is_empty()
            || level.is_some_and(|l| plan.level_name(l) == plan.level_name(item.level)))
            && (self.status.is_empty() || item.status.as_str() == self.status)
            && (self.owner.is_empty() || item.owner_user_id.as_deref() == Some(&self.owner))
            && (self.theme.is_empty() || item.themes.contains(&self.theme))
            && (self.prioritair.is_empty() || item.prioritair)
            && (self.late.is_empty() || item.is_late(today))
            && (q.is_empty()
                || item.code.to_lowercase().contains(&q)
                || item.title.to_lowercase().contains(&q)
                || item.description.to_lowercase().contains(&q))
    }
}

#[derive(Template)]
#[template(path = "plan/tree/show.html")]
struct TreePage {
    ctx: PageContext,
    plan: Plan,
    can_edit: bool,
    filters: Filters,
    filtered: bool,
    /// Said when more items match than are shown.
    truncated: Option<String>,
    rows: Vec<ItemRow>,
    statuses: Vec<Choice>,
    owners: Vec<Choice>,
    themes: Vec<Choice>,
    /// The plan's levels, by index.
    levels: Vec<Choice>,
    period: String,
}

/// The people who own items in the plan, by name.
async fn owners(db: &steden_db::Db, plan_id: &str, current: &str) -> Result<Vec<Choice>, AppError> {
    let rows = store::items::owner_names(db.pool(), plan_id).await?;
    let mut choices = Vec::new();
    for row in &rows {
        let (value, label) = row.clone();
        let selected = value == current;
        choices.push(Choice::new(value, label, selected));
    }
    Ok(choices)
}

/// The themes used in the plan, and the 17 SDGs.
async fn themes(db: &steden_db::Db, plan_id: &str, current: &str) -> Result<Vec<Choice>, AppError> {
    let stored = store::items::theme_lists(db.pool(), plan_id).await?;
    let mut codes: Vec<String> = (1..=SDGS.len()).map(|n| format!("sdg-{n}")).collect();
    let mut free: Vec<String> = stored
        .iter()
        .flat_map(|json| serde_json::from_str::<Vec<String>>(json).unwrap_or_default())
        .filter(|t| !codes.contains(t))
        .collect();
    free.sort();
    free.dedup();
    codes.extend(free);
    Ok(codes
        .into_iter()
        .map(|code| {
            let label = theme_label(&code);
            let selected = code == current;
            Choice::new(code, label, selected)
        })
        .collect())
}

pub(crate) fn item_status_choices(ctx: &PageContext, current: &str) -> Vec<Choice> {
    Choice::list(ItemStatus::ALL, current, ItemStatus::as_str, |s| {
        ctx.t(&s.label_key())
    })
}

/// The most matches a filtered list shows (a page of 12,000 rows helps no one).
const MATCH_LIMIT: usize = 500;

/// The matching items as a flat list (at most [`MATCH_LIMIT`]), each with the codes of its
/// ancestors, and the number of matches.
fn filtered_rows(plan: &Plan, items: Vec<Item>, filters: &Filters) -> (Vec<ItemRow>, usize) {
    let today = store::today();
    let by_id: HashMap<String, (Option<String>, String)> = items
        .iter()
        .map(|i| (i.id.clone(), (i.parent_id.clone(), i.code.clone())))
        .collect();
    let matches: Vec<Item> = items
        .into_iter()
        .filter(|i| filters.matches(plan, i, &today))
        .collect();
    let count = matches.len();
    let rows = matches
        .into_iter()
        .take(MATCH_LIMIT)
        .map(|item| {
            let mut codes = Vec::new();
            let mut parent = item.parent_id.clone();
            while let Some(id) = parent {
                let Some((up, code)) = by_id.get(&id) else {
                    break;
                };
                codes.push(code.clone());
                parent = up.clone();
            }
            codes.reverse();
            let mut row = ItemRow::new(plan, item, &today);
            row.path = codes.join(" › ");
            row
        })
        .collect();
    (rows, count)
}

async fn show(
    ctx: PageContext,
    Path(id): Path<String>,
    Query(filters): Query<Filters>,
) -> Result<Response, AppError> {
    let (actor, plan) = load::plan(&ctx, &id).await?;
    let db = ctx.state().db();
    let filtered = filters.active();
    let (rows, match_count) = if filtered {
        let items = store::items::list_for_plan(db.pool(), &plan.id).await?;
        filtered_rows(&plan, items, &filters)
    } else {
        let items = store::items::list_to_depth(db.pool(), &plan.id, 1).await?;
        (tree_rows(&plan, items, 0), 0)
    };
    let truncated = (match_count > rows.len()).then(|| {
        ctx.t_with(
            "plan-filter-truncated",
            &[
                ("count", ctx.int(&(match_count as i64)).as_str()),
                ("shown", ctx.int(&(rows.len() as i64)).as_str()),
            ],
        )
    });
    let page = TreePage {
        can_edit: access::can_edit(&actor, &plan),
        statuses: item_status_choices(&ctx, &filters.status),
        owners: owners(db, &plan.id, &filters.owner).await?,
        themes: themes(db, &plan.id, &filters.theme).await?,
        levels: plan
            .levels
            .iter()
            .enumerate()
            .map(|(index, name)| {
                let value = index.to_string();
                let selected = value == filters.level.trim();
                Choice::new(value, name.clone(), selected)
            })
            .collect(),
        period: format!(
            "{} – {}",
            show_date(&plan.period_start),
            show_date(&plan.period_end)
        ),
        filtered,
        truncated,
        filters,
        rows,
        ctx: {
            let plans = ctx.t("plan-plans-title");
            ctx.crumb(plans, paths::PLANS).titled(plan.title.clone())
        },
        plan,
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "plan/tree/subtree.html")]
struct SubtreePage {
    ctx: PageContext,
    plan: Plan,
    item: Item,
    rows: Vec<ItemRow>,
}

#[derive(Template)]
#[template(path = "plan/tree/fragment.html")]
struct SubtreeFragment {
    ctx: PageContext,
    plan: Plan,
    rows: Vec<ItemRow>,
}

/// An item and everything below it, in tree order.
async fn with_descendants(
    db: &steden_db::Db,
    plan: &Plan,
    item: Item,
) -> Result<Vec<Item>, AppError> {
    let mut all = vec![item];
    let mut index = 0;
    while index < all.len() {
        if !all[index].is_leaf() {
            let children =
                store::items::children(db.pool(), &plan.id, Some(all[index].id.as_str())).await?;
            all.extend(children);
        }
        index += 1;
    }
    Ok(store::items::tree_order(all))
}

async fn subtree(
    ctx: PageContext,
    headers: HeaderMap,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_, plan, item) = load::item(&ctx, &id, &item_id).await?;
    let db = ctx.state().db();
    let base = item.depth;
    let items = with_descendants(db, &plan, item.clone()).await?;
    let rows = tree_rows(&plan, items, base);
    if headers.contains_key("hx-request") {
        let fragment = SubtreeFragment { ctx, plan, rows };
        return Ok(vary_on_htmx(Html(fragment.render()?).into_response()));
    }
    let mut conn = db.pool().acquire().await?;
    let ancestors = store::items::ancestors(&mut conn, &item).await?;
    let mut ctx = plan_crumbs(ctx, &plan);
    for ancestor in &ancestors {
        ctx = ctx.crumb(
            format!("{} {}", ancestor.code, ancestor.title),
            load::item_path(&plan.id, &ancestor.id),
        );
    }
    let title = format!("{} {} · {}", item.code, item.title, plan.title);
    let page = render(&SubtreePage {
        ctx: ctx.titled(title),
        plan,
        item,
        rows,
    })?;
    Ok(vary_on_htmx(page))
}

/// The same URL answers with a fragment to htmx and a full page otherwise: caches must keep
/// them apart.
fn vary_on_htmx(mut response: Response) -> Response {
    response.headers_mut().append(
        axum::http::header::VARY,
        axum::http::HeaderValue::from_static("HX-Request"),
    );
    response
}
