//! `/nieuwsbrief/beheer/linkedin`: twelve ISO weeks from `?vanaf=2026-W45` (by default four
//! weeks back, so that the recent weeks' figures are in view), the current week marked, a week
//! without a post said so; under it the figures of the last six months.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::linkedin::chart::{self, Bar};
use crate::linkedin::{self, IsoWeek};
use crate::paths;
use crate::store::linkedin::{self as store, Post};
use crate::web::require_editor;

/// Weeks on one page: a quarter.
const WEEKS: i64 = 12;
/// Months in the chart of figures.
const MONTHS: u32 = 6;

pub fn routes() -> Router<AppState> {
    Router::new().route(paths::LINKEDIN, get(show))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PlannerQuery {
    vanaf: String,
}

/// One week of the grid.
struct WeekView {
    key: String,
    heading: String,
    is_current: bool,
    posts: Vec<PostLine>,
    new_href: String,
}

/// A post as the grid lists it.
struct PostLine {
    href: String,
    status_label: String,
    tone: &'static str,
    day: String,
    excerpt: String,
}

/// A month's totals, for the table beside the chart.
struct MonthRow {
    label: String,
    posts: usize,
    impressions: String,
    reactions: String,
    reposts: String,
    clicks: String,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/linkedin/planner.html")]
struct PlannerPage {
    ctx: PageContext,
    weeks: Vec<WeekView>,
    empty_weeks: usize,
    earlier_href: String,
    later_href: String,
    this_week_href: String,
    months: Vec<MonthRow>,
    chart: String,
}

async fn show(ctx: PageContext, Query(query): Query<PlannerQuery>) -> Result<Response, AppError> {
    require_editor(&ctx).await?;
    let current = IsoWeek::current();
    // A week that cannot be read falls back to the default view rather than an error page:
    // the parameter comes from our own links.
    let first = IsoWeek::parse(&query.vanaf).unwrap_or(current.plus(-4));
    let last = first.plus(WEEKS - 1);
    let db = ctx.state().db();
    let posts = store::in_weeks(db.pool(), first, last).await?;
    let weeks: Vec<WeekView> = (0..WEEKS)
        .map(|i| week_view(&ctx, first.plus(i), current, &posts))
        .collect();
    let empty_weeks = weeks.iter().filter(|week| week.posts.is_empty()).count();
    let (months, chart) = monthly_figures(&ctx).await?;
    let title = ctx.t("nb-li-title");
    let page = PlannerPage {
        weeks,
        empty_weeks,
        earlier_href: format!("{}?vanaf={}", paths::LINKEDIN, first.plus(-WEEKS).key()),
        later_href: format!("{}?vanaf={}", paths::LINKEDIN, first.plus(WEEKS).key()),
        this_week_href: paths::LINKEDIN.to_string(),
        months,
        chart,
        ctx: super::crumbed(ctx).titled(title),
    };
    render(&page)
}

fn week_view(ctx: &PageContext, week: IsoWeek, current: IsoWeek, posts: &[Post]) -> WeekView {
    let number = week.number().to_string();
    let from = steden_core::time::format_naive_date(week.monday());
    let until = steden_core::time::format_naive_date(week.sunday());
    WeekView {
        key: week.key(),
        heading: ctx.t_with(
            "nb-li-week-heading",
            &[("number", &number), ("from", &from), ("until", &until)],
        ),
        is_current: week == current,
        posts: posts
            .iter()
            .filter(|post| post.week == week)
            .map(|post| PostLine {
                href: paths::linkedin_post(&post.id),
                status_label: ctx.t(&post.status.label_key()),
                tone: post.status.tone().0,
                day: post
                    .posted_on
                    .or(post.planned_on)
                    .map(steden_core::time::format_naive_date)
                    .unwrap_or_default(),
                excerpt: excerpt(&post.text),
            })
            .collect(),
        new_href: format!("{}?week={}", paths::LINKEDIN_NEW, week.key()),
    }
}

/// The first line of a post, at most 140 characters.
fn excerpt(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    if line.chars().count() <= 140 {
        return line.to_string();
    }
    let cut: String = line.chars().take(139).collect();
    format!("{}…", cut.trim_end())
}

/// The last [`MONTHS`] months (this one included): per month the posts posted in it and the
/// sum of their latest figures; and the chart of impressions.
async fn monthly_figures(ctx: &PageContext) -> Result<(Vec<MonthRow>, String), AppError> {
    let today = linkedin::today();
    let this_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
        .expect("the first of a valid month exists");
    let first = this_month - Months::new(MONTHS - 1);
    let figures =
        store::latest_figures_posted_between(ctx.state().db().pool(), first, today).await?;
    let lang = ctx.lang;
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for i in 0..MONTHS {
        let month = first + Months::new(i);
        let in_month: Vec<_> = figures
            .iter()
            .filter(|(day, _)| day.year() == month.year() && day.month() == month.month())
            .map(|(_, figures)| *figures)
            .collect();
        let sum = |f: fn(&store::Figures) -> i64| in_month.iter().map(f).sum::<i64>();
        let label = ctx.t_with(
            &format!("nb-li-month-{}", month.month()),
            &[("year", &month.year().to_string())],
        );
        bars.push(Bar {
            label: label.clone(),
            value: sum(|f| f.impressions),
        });
        rows.push(MonthRow {
            label,
            posts: in_month.len(),
            impressions: chart::format_count(sum(|f| f.impressions), lang),
            reactions: chart::format_count(sum(|f| f.reactions), lang),
            reposts: chart::format_count(sum(|f| f.reposts), lang),
            clicks: chart::format_count(sum(|f| f.clicks), lang),
        });
    }
    let svg = chart::bars_svg(
        "nb-li-months",
        &ctx.t("nb-li-months-chart-title"),
        &ctx.t("nb-li-months-chart-desc"),
        &bars,
        lang,
    );
    Ok((rows, svg))
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpts_take_the_first_line_and_cut_long_ones() {
        assert_eq!(excerpt("\n  Eerste regel \nTweede"), "Eerste regel");
        let long = "a".repeat(200);
        let short = excerpt(&long);
        assert_eq!(short.chars().count(), 140);
        assert!(short.ends_with('…'));
    }
}
