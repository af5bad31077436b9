//! /plannen/{id}/dashboard: a plan at a glance. Counts over all items are done in SQL
//! (GROUP BY), so that the page stays fast on a plan of 12,000 items; only the top level is
//! read as items, for the overall progress.
//!
//! Items are counted per level ("46 doelstellingen: 12 lopend, …"), never programmes, werksporen
//! and actions added up as if they were the same thing; [`level_name`] names an item's level.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::model::{ItemStatus, Plan};
use crate::store;
use crate::store::rollup::{weighted_progress, ChildProgress};
use crate::web::load;
use crate::web::plans::plan_crumbs;

pub fn routes() -> Router<AppState> {
    Router::new().route("/plannen/{id}/dashboard", get(show))
}

/// The items of one level, counted per status.
struct LevelCount {
    /// As the plan names it, e.g. "Doelstelling".
    name: String,
    /// The first level index with that name: the tree's `level` filter (which matches by
    /// name, as counted here).
    index: i64,
    total: i64,
    /// One per [`ItemStatus::ALL`], in that order.
    per_status: Vec<i64>,
    /// "46 doelstellingen: 12 lopend, 30 niet gestart, 4 afgerond".
    sentence: String,
}

/// One of the latest updates, ready to show.
struct LatestUpdate {
    date: String,
    author: String,
    item_id: String,
    item_code: String,
    status: String,
    progress: String,
    comment: String,
}

#[derive(Template)]
#[template(path = "plan/dashboard.html")]
struct DashboardPage {
    ctx: PageContext,
    plan: Plan,
    levels: Vec<LevelCount>,
    statuses: Vec<ItemStatus>,
    progress: i64,
    prioritair: i64,
    late: i64,
    off_track: i64,
    late_updates: i64,
    open_kwesties: i64,
    updates: Vec<LatestUpdate>,
}

/// What one pass over a plan's items counts: prioritair items, and late items as
/// [`crate::model::Item::is_late`] says (delayed, or past their end date and not closed). One
/// grouped query, so that the dashboard of a 12,000-item plan reads the items once.
struct ItemCounts {
    prioritair: i64,
    late: i64,
}

async fn item_counts(
    db: &steden_db::Db,
    plan_id: &str,
    today: &str,
) -> Result<ItemCounts, AppError> {
    let rows = store::items::status_counts(db.pool(), plan_id, today).await?;
    let mut counts = ItemCounts {
        prioritair: 0,
        late: 0,
    };
    for row in &rows {
        counts.prioritair += row.prioritair;
        counts.late += row.late;
    }
    Ok(counts)
}

/// The name of the level an item is counted under: its stored level (issue 11 point 1), as
/// grouped in [`store::items::status_counts_per_level`].
fn level_name(plan: &Plan, level: i64) -> String {
    plan.level_name(level).to_string()
}

/// The Dutch plural of a level's name, in lower case, for "46 doelstellingen": the regular
/// rules for the names plans use (doelstelling → doelstellingen, actie → acties, programma →
/// programma's, werkspoor → werksporen, actieplan → actieplannen, project → projecten).
fn plural(name: &str) -> String {
    let word = name.to_lowercase();
    let chars: Vec<char> = word.chars().collect();
    let vowel = |c: char| "aeiouy".contains(c);
    let n = chars.len();
    if n < 2 {
        return word;
    }
    let (last, before) = (chars[n - 1], chars[n - 2]);
    if last == 'e' {
        format!("{word}s")
    } else if vowel(last) {
        format!("{word}'s")
    } else if n >= 3
        && ["el", "em", "en", "er"].iter().any(|e| word.ends_with(e))
        && !vowel(chars[n - 3])
    {
        // Unstressed endings: item → items, artikel → artikels (but doel → doelen).
        format!("{word}s")
    } else if n >= 3 && vowel(before) && before == chars[n - 3] && "aeou".contains(before) {
        // werkspoor → werksporen, resultaat → resultaten: one vowel of the pair goes.
        let head: String = chars[..n - 2].iter().collect();
        format!("{head}{last}en")
    } else if n >= 3 && vowel(before) && !vowel(chars[n - 3]) && !"wjh".contains(last) {
        // actieplan → actieplannen: the short vowel keeps its sound.
        format!("{word}{last}en")
    } else {
        format!("{word}en")
    }
}

/// Counts per level, levels in the plan's order (depths that share a level name, such as items
/// deeper than the plan's levels, are counted together).
fn level_counts(ctx: &PageContext, plan: &Plan, rows: &[(i64, String, i64)]) -> Vec<LevelCount> {
    let mut levels: Vec<LevelCount> = Vec::new();
    for (level, status, count) in rows {
        let name = level_name(plan, *level);
        let index = match levels.iter().position(|l| l.name == name) {
            Some(index) => index,
            None => {
                levels.push(LevelCount {
                    name,
                    index: *level,
                    total: 0,
                    per_status: vec![0; ItemStatus::ALL.len()],
                    sentence: String::new(),
                });
                levels.len() - 1
            }
        };
        let level = &mut levels[index];
        level.total += count;
        if let Some(at) = ItemStatus::ALL.iter().position(|s| s.as_str() == status) {
            level.per_status[at] += count;
        }
    }
    for level in &mut levels {
        let parts: Vec<String> = ItemStatus::ALL
            .iter()
            .zip(&level.per_status)
            .filter(|(_, n)| **n > 0)
            .map(|(s, n)| format!("{} {}", ctx.int(n), ctx.t(&s.label_key()).to_lowercase()))
            .collect();
        let name = if level.total == 1 {
            level.name.to_lowercase()
        } else {
            plural(&level.name)
        };
        level.sentence = format!("{} {}: {}", ctx.int(&level.total), name, parts.join(", "));
    }
    levels
}

async fn show(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let (_, plan) = load::plan(&ctx, &id).await?;
    let db = ctx.state().db();
    let item_counts = item_counts(db, &plan.id, &store::today()).await?;
    let per_level = store::items::status_counts_per_level(db.pool(), &plan.id).await?;
    let levels = level_counts(&ctx, &plan, &per_level);
    let top = store::items::children(db.pool(), &plan.id, None).await?;
    let progress = weighted_progress(
        &top.iter()
            .map(|i| ChildProgress {
                progress: i.progress,
                weight: i.weight,
                status: i.status,
            })
            .collect::<Vec<_>>(),
    );
    let status_label = |s: Option<ItemStatus>| s.map(|s| ctx.t(&s.label_key())).unwrap_or_default();
    let latest = store::updates::for_plan(db.pool(), &plan.id, 10).await?;
    let mut updates = Vec::new();
    for update in latest {
        let code = store::items::find(db.pool(), &update.item_id)
            .await?
            .map(|i| i.code)
            .unwrap_or_default();
        updates.push(LatestUpdate {
            date: ctx.datetime(&update.created_at),
            author: update.author.clone(),
            item_id: update.item_id.clone(),
            item_code: code,
            status: status_label(update.new_status),
            progress: update
                .new_progress
                .map(|p| format!("{p} %"))
                .unwrap_or_default(),
            comment: update.comment.clone(),
        });
    }
    let page = DashboardPage {
        levels,
        statuses: ItemStatus::ALL.to_vec(),
        prioritair: item_counts.prioritair,
        late: item_counts.late,
        off_track: crate::indicators::store::off_track_count(db.pool(), &plan.id).await?,
        late_updates: crate::rounds::late_count(db, &plan.id).await?,
        open_kwesties: crate::store::kwesties::open_count(db, &plan.id).await?,
        progress,
        updates,
        ctx: {
            let title = format!("{} · {}", ctx.t("plan-tab-dashboard"), plan.title);
            plan_crumbs(ctx, &plan).titled(title)
        },
        plan,
    };
    render(&page)
}

#[cfg(test)]
mod tests {
    use super::plural;

    #[test]
    fn level_names_in_the_plural() {
        for (one, many) in [
            ("Doelstelling", "doelstellingen"),
            ("Beleidsdoelstelling", "beleidsdoelstellingen"),
            ("Actie", "acties"),
            ("Deelactie", "deelacties"),
            ("Programma", "programma's"),
            ("Werkspoor", "werksporen"),
            ("Actieplan", "actieplannen"),
            ("Project", "projecten"),
            ("Item", "items"),
            ("Resultaat", "resultaten"),
            ("Doel", "doelen"),
        ] {
            assert_eq!(plural(one), many, "{one}");
        }
    }
}
