//! /plannen/{id}/releases: the list of releases with a form to make one, the printable report
//! of a release, and the comparison of two releases.
//!
//! The report is rendered from the release's snapshot only (never from the live plan), through
//! a [`ReportView`] that the public pages share: they pass a [`Show`] with only the published
//! fields, and the template leaves out everything else.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use steden_core::audit::AuditActor;
use steden_core::time::{format_decimal, format_int, show_date, show_optional_date};
use steden_web::flash::{self, Flash};
use steden_web::form::{self, FormErrors};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState, Choice};

use super::load;
use crate::access;
use crate::export::belgian_euros;
use crate::indicators::{self, Health};
use crate::model::{ItemStatus, Plan, PublishedField};
use crate::paths;
use crate::release::compare::ReleaseDiff;
use crate::release::snapshot::ReleaseSnapshot;
use crate::release::{self, ReleaseSummary};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plannen/{id}/releases", get(list).post(create))
        .route("/plannen/{id}/releases/vergelijk", get(compare_page))
        .route("/plannen/{id}/releases/{release_id}", get(show))
}

// ---------------------------------------------------------------------------------------------
// The report's view, shared with the public pages

/// Which fields a report shows besides codes and titles.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Show {
    pub description: bool,
    pub status: bool,
    pub progress: bool,
    pub dates: bool,
    pub owner: bool,
    pub indicators: bool,
    pub finance: bool,
    pub kwesties: bool,
    /// Not a publishable field: only the plan's own readers see it.
    pub prioritair: bool,
}

impl Show {
    /// Everything: the report for the plan's own readers.
    pub fn all() -> Show {
        Show {
            prioritair: true,
            ..Show::only(PublishedField::ALL)
        }
    }

    /// Only the given fields (the public pages).
    pub fn only(fields: &[PublishedField]) -> Show {
        let has = |f: PublishedField| fields.contains(&f);
        Show {
            description: has(PublishedField::Description),
            status: has(PublishedField::Status),
            progress: has(PublishedField::Progress),
            dates: has(PublishedField::Dates),
            owner: has(PublishedField::Owner),
            indicators: has(PublishedField::Indicators),
            finance: has(PublishedField::Finance),
            kwesties: has(PublishedField::Kwesties),
            prioritair: false,
        }
    }
}

pub(crate) struct ReportItem {
    pub id: String,
    pub code: String,
    pub title: String,
    pub description: String,
    pub level: String,
    /// 0..=5, for the indentation class.
    pub indent: i64,
    pub status: ItemStatus,
    pub progress: i64,
    pub owner: String,
    pub service: String,
    pub start: String,
    pub end: String,
    pub prioritair: bool,
    /// In the collapsible hierarchy of the public pages: its children follow right after it
    /// (a `<details>` opens), and how many open levels close after it.
    pub opens: bool,
    pub closes: usize,
    /// Its depth in the plan, unclamped (top level 0).
    pub depth: i64,
}

pub(crate) struct ReportValueRow {
    pub kind: String,
    pub date: String,
    pub value: String,
    pub comment: String,
}

pub(crate) struct ReportIndicator {
    pub id: String,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub chart: String,
    pub health: Option<Health>,
    pub latest: String,
    pub baseline: String,
    pub baseline_date: String,
    pub rows: Vec<ReportValueRow>,
}

pub(crate) struct ReportKwestie {
    pub code: String,
    pub kind_key: String,
    pub title: String,
    pub description: String,
    pub severity_key: String,
    pub owner: String,
    pub due: String,
    pub status_key: String,
}

pub(crate) struct ReportAmount {
    pub code: String,
    pub year: i64,
    pub label: String,
    pub euros: String,
}

/// What a report page shows of a snapshot.
pub(crate) struct ReportView {
    pub title: String,
    pub organisation: String,
    pub kind_key: String,
    pub period_start: String,
    pub period_end: String,
    pub as_of: String,
    pub counts: Vec<(ItemStatus, usize)>,
    pub total: usize,
    pub items: Vec<ReportItem>,
    pub indicators: Vec<ReportIndicator>,
    pub kwesties: Vec<ReportKwestie>,
    pub amounts: Vec<ReportAmount>,
    pub show: Show,
    /// When set, item codes link to `{item_href}{item id}` (the public item pages).
    pub item_href: Option<String>,
    /// Show the items as a collapsible hierarchy (details/summary) instead of a table: the
    /// public pages, read on phones, where a wide table would scroll sideways.
    pub hierarchy: bool,
}

/// Marks where each item of a list in tree order opens its children and how many levels
/// close after it, for the nested lists of the hierarchy.
fn nest(items: &mut [ReportItem]) {
    let depths: Vec<i64> = items.iter().map(|i| i.depth).collect();
    // The depths of the items whose lists are open, innermost last; a list closes when an
    // item at or above its owner's depth follows, so that the markup is well formed even if
    // depths jump.
    let mut open: Vec<i64> = Vec::new();
    for (index, item) in items.iter_mut().enumerate() {
        let next = depths.get(index + 1).copied();
        item.opens = next.is_some_and(|n| n > item.depth);
        if item.opens {
            open.push(item.depth);
            item.closes = 0;
        } else {
            let mut closes = 0;
            while open.last().is_some_and(|d| next.is_none_or(|n| n <= *d)) {
                open.pop();
                closes += 1;
            }
            item.closes = closes;
        }
    }
}

/// A value the Belgian way: whole numbers without decimals, others with two.
pub(crate) fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format_int(value as i64)
    } else {
        format_decimal(value, 2)
    }
}

/// Builds the view of `snapshot`, limited to `only_item` (its own indicators, kwesties and
/// amounts) when given. Data of hidden fields is not even put in the view.
pub(crate) fn report_view(
    ctx: &PageContext,
    snapshot: &ReleaseSnapshot,
    show: Show,
    only_item: Option<&str>,
) -> ReportView {
    let keep = |item_id: &str| only_item.is_none_or(|only| only == item_id);
    let mut items: Vec<ReportItem> = snapshot
        .items
        .iter()
        .filter(|i| keep(&i.id))
        .map(|i| ReportItem {
            id: i.id.clone(),
            code: i.code.clone(),
            title: i.title.clone(),
            description: if show.description {
                i.description.clone()
            } else {
                String::new()
            },
            level: snapshot.plan.level_name(i.level()).to_string(),
            indent: i.depth.clamp(0, 5),
            status: i.status,
            progress: if show.progress { i.progress } else { 0 },
            owner: if show.owner {
                i.owner_name.clone()
            } else {
                String::new()
            },
            service: if show.owner {
                i.responsible_service.clone()
            } else {
                String::new()
            },
            start: if show.dates {
                show_optional_date(i.start_date.as_deref())
            } else {
                String::new()
            },
            end: if show.dates {
                show_optional_date(i.end_date.as_deref())
            } else {
                String::new()
            },
            prioritair: show.prioritair && i.prioritair,
            opens: false,
            closes: 0,
            depth: i.depth,
        })
        .collect();
    nest(&mut items);
    let indicators = if show.indicators {
        snapshot
            .indicators
            .iter()
            .filter(|ind| keep(&ind.item_id))
            .map(|ind| indicator_view(ctx, ind))
            .collect()
    } else {
        Vec::new()
    };
    let kwesties = if show.kwesties {
        snapshot
            .kwesties
            .iter()
            .filter(|k| keep(&k.item_id))
            .map(|k| ReportKwestie {
                code: k.item_code.clone(),
                kind_key: format!("plan-rep-kwkind-{}", k.kind),
                title: k.title.clone(),
                description: k.description.clone(),
                severity_key: format!("plan-rep-severity-{}", k.severity),
                owner: if show.owner {
                    k.owner_name.clone()
                } else {
                    String::new()
                },
                due: show_optional_date(k.due_date.as_deref()),
                status_key: format!("plan-rep-kwstatus-{}", k.status),
            })
            .collect()
    } else {
        Vec::new()
    };
    let amounts = if show.finance {
        amount_rows(snapshot, &keep)
    } else {
        Vec::new()
    };
    let mut counts = snapshot.status_counts();
    if only_item.is_some() {
        counts.clear();
    }
    ReportView {
        title: snapshot.plan.title.clone(),
        organisation: snapshot.plan.organisation_name.clone(),
        kind_key: snapshot.plan.kind_key(),
        period_start: show_date(&snapshot.plan.period_start),
        period_end: show_date(&snapshot.plan.period_end),
        as_of: show_date(&snapshot.as_of),
        total: snapshot.items.len(),
        counts,
        items,
        indicators,
        kwesties,
        amounts,
        show,
        item_href: None,
        hierarchy: false,
    }
}

fn indicator_view(
    ctx: &PageContext,
    ind: &crate::release::snapshot::IndicatorSnapshot,
) -> ReportIndicator {
    let target = ctx.t("plan-rep-rowkind-target");
    let measurement = ctx.t("plan-rep-rowkind-measurement");
    let mut rows: Vec<ReportValueRow> = ind
        .targets
        .iter()
        .map(|t| ReportValueRow {
            kind: target.clone(),
            date: show_date(&t.date),
            value: number(t.value),
            comment: String::new(),
        })
        .chain(ind.measurements.iter().map(|m| ReportValueRow {
            kind: measurement.clone(),
            date: show_date(&m.measured_on),
            value: number(m.value),
            comment: m.comment.clone(),
        }))
        .collect();
    rows.sort_by_key(|a| sortable(&a.date));
    ReportIndicator {
        chart: indicators::chart::svg(&ind.to_series(), &format!("rep-{}", ind.id)),
        id: ind.id.clone(),
        code: ind.item_code.clone(),
        name: ind.name.clone(),
        unit: ind.unit.clone(),
        health: ind.health(),
        latest: ind.latest().map(number).unwrap_or_default(),
        baseline: number(ind.baseline_value),
        baseline_date: show_date(&ind.baseline_date),
        rows,
    }
}

/// dd/mm/jjjj as jjjjmmdd, for sorting.
fn sortable(date: &str) -> String {
    date.split('/').rev().collect()
}

fn amount_rows(snapshot: &ReleaseSnapshot, keep: &dyn Fn(&str) -> bool) -> Vec<ReportAmount> {
    let mut sums: std::collections::BTreeMap<(String, i64, String, String), i64> =
        Default::default();
    for a in snapshot.amounts.iter().filter(|a| keep(&a.item_id)) {
        *sums
            .entry((
                a.item_code.clone(),
                a.year,
                a.kind.clone(),
                a.direction.clone(),
            ))
            .or_default() += a.cents;
    }
    sums.into_iter()
        .map(|((code, year, kind, direction), cents)| ReportAmount {
            code,
            year,
            label: format!("{kind} {direction}").trim().to_string(),
            euros: belgian_euros(cents),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// List and create

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CreateForm {
    name: String,
    as_of: String,
}

struct ReleaseRow {
    release: ReleaseSummary,
    as_of: String,
}

#[derive(Template)]
#[template(path = "plan/releases/list.html")]
struct ListPage {
    ctx: PageContext,
    plan: Plan,
    rows: Vec<ReleaseRow>,
    can_edit: bool,
    form: CreateForm,
    errors: FormErrors,
}

async fn list_page(
    ctx: PageContext,
    plan: Plan,
    can_edit: bool,
    form: CreateForm,
    errors: FormErrors,
) -> Result<ListPage, AppError> {
    let rows = release::list(ctx.state().db().pool(), &plan.id)
        .await?
        .into_iter()
        .map(|r| ReleaseRow {
            as_of: show_date(&r.as_of),
            release: r,
        })
        .collect();
    let title = ctx.t("plan-rep-releases-title");
    let plans_label = ctx.t("plan-nav-plans");
    let ctx = ctx
        .crumb(plans_label, paths::PLANS)
        .crumb(plan.title.clone(), load::plan_path(&plan.id))
        .titled(title);
    Ok(ListPage {
        ctx,
        plan,
        rows,
        can_edit,
        form,
        errors,
    })
}

async fn list(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let (actor, plan) = load::plan(&ctx, &id).await?;
    let can_edit = access::can_edit(&actor, &plan);
    let form = CreateForm {
        as_of: show_date(&crate::store::today()),
        ..CreateForm::default()
    };
    render(&list_page(ctx, plan, can_edit, form, FormErrors::none()).await?)
}

async fn create(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(input): Form<CreateForm>,
) -> Result<Response, AppError> {
    let (_, plan) = load::plan_for_editor(&ctx, &id).await?;
    let actor = AuditActor::user(&ctx.require_user()?.user_id);
    let db = ctx.state().db();
    let mut tx = db.begin().await?;
    let result = release::create(&mut tx, &plan.id, &input.name, &input.as_of, &actor).await;
    match form::settle(tx, result).await? {
        Ok(made) => {
            let message = ctx.t_with("plan-rep-created", &[("name", &made.summary.name)]);
            Ok(flash::redirect_with(
                Flash::success(message),
                &paths::release_path(&plan.id, &made.summary.id),
            ))
        }
        Err(errors) => form::invalid(&list_page(ctx, plan, true, input, errors).await?),
    }
}

// ---------------------------------------------------------------------------------------------
// The report

#[derive(Template)]
#[template(path = "plan/releases/show.html")]
struct ShowPage {
    ctx: PageContext,
    plan: Plan,
    release: ReleaseSummary,
    report: ReportView,
}

async fn show(
    ctx: PageContext,
    Path((id, release_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_, plan) = load::plan(&ctx, &id).await?;
    let found = release::find(ctx.state().db().pool(), &release_id)
        .await?
        .filter(|r| r.summary.plan_id == plan.id)
        .ok_or(AppError::NotFound)?;
    let report = report_view(&ctx, &found.snapshot, Show::all(), None);
    let (plans_label, releases_label) = (ctx.t("plan-nav-plans"), ctx.t("plan-rep-releases-title"));
    let ctx = ctx
        .crumb(plans_label, paths::PLANS)
        .crumb(plan.title.clone(), load::plan_path(&plan.id))
        .crumb(releases_label, paths::releases_path(&plan.id))
        .titled(found.summary.name.clone());
    render(&ShowPage {
        ctx,
        plan,
        release: found.summary,
        report,
    })
}

// ---------------------------------------------------------------------------------------------
// Comparison

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CompareQuery {
    van: String,
    naar: String,
}

struct DiffRow {
    code: String,
    title: String,
    old: String,
    new: String,
}

struct StatusRow {
    code: String,
    title: String,
    old: ItemStatus,
    new: ItemStatus,
}

struct KwestieRow {
    code: String,
    kind_key: String,
    title: String,
    severity_key: String,
}

/// A table of old and new values, with the Fluent id of its caption.
struct ValueTable {
    caption: &'static str,
    rows: Vec<DiffRow>,
}

struct KwestieTable {
    caption: &'static str,
    rows: Vec<KwestieRow>,
}

struct DiffView {
    from_name: String,
    to_name: String,
    empty: bool,
    added: Vec<DiffRow>,
    removed: Vec<DiffRow>,
    status: Vec<StatusRow>,
    /// Progress, then indicator values.
    values: Vec<ValueTable>,
    /// Opened, then closed.
    kwesties: Vec<KwestieTable>,
}

#[derive(Template)]
#[template(path = "plan/releases/compare.html")]
struct ComparePage {
    ctx: PageContext,
    plan: Plan,
    from_choices: Vec<Choice>,
    to_choices: Vec<Choice>,
    diff: Option<DiffView>,
}

fn diff_view(diff: ReleaseDiff, from_name: String, to_name: String) -> DiffView {
    let item_row = |r: crate::release::compare::ItemRef| DiffRow {
        code: r.code,
        title: r.title,
        old: String::new(),
        new: String::new(),
    };
    let value = |v: Option<f64>, unit: &str| match v {
        Some(v) => format!("{} {unit}", number(v)).trim().to_string(),
        None => "—".to_string(),
    };
    let kwestie_row = |k: crate::release::compare::KwestieRef| KwestieRow {
        code: k.item_code,
        kind_key: format!("plan-rep-kwkind-{}", k.kind),
        title: k.title,
        severity_key: format!("plan-rep-severity-{}", k.severity),
    };
    DiffView {
        from_name,
        to_name,
        empty: diff.is_empty(),
        added: diff.added.into_iter().map(item_row).collect(),
        removed: diff.removed.into_iter().map(item_row).collect(),
        status: diff
            .status_changed
            .into_iter()
            .map(|c| StatusRow {
                code: c.item.code,
                title: c.item.title,
                old: c.old,
                new: c.new,
            })
            .collect(),
        values: vec![
            ValueTable {
                caption: "plan-rep-diff-progress",
                rows: diff
                    .progress_changed
                    .into_iter()
                    .map(|c| DiffRow {
                        code: c.item.code,
                        title: c.item.title,
                        old: format!("{} %", c.old),
                        new: format!("{} %", c.new),
                    })
                    .collect(),
            },
            ValueTable {
                caption: "plan-rep-diff-indicators",
                rows: diff
                    .indicators_changed
                    .into_iter()
                    .map(|c| DiffRow {
                        old: value(c.old, &c.unit),
                        new: value(c.new, &c.unit),
                        code: c.item_code,
                        title: c.name,
                    })
                    .collect(),
            },
        ],
        kwesties: vec![
            KwestieTable {
                caption: "plan-rep-diff-opened",
                rows: diff.kwesties_opened.into_iter().map(kwestie_row).collect(),
            },
            KwestieTable {
                caption: "plan-rep-diff-closed",
                rows: diff.kwesties_closed.into_iter().map(kwestie_row).collect(),
            },
        ],
    }
}

async fn compare_page(
    ctx: PageContext,
    Path(id): Path<String>,
    Query(query): Query<CompareQuery>,
) -> Result<Response, AppError> {
    let (_, plan) = load::plan(&ctx, &id).await?;
    let db = ctx.state().db();
    let releases = release::list(db.pool(), &plan.id).await?;
    // By default: the one before the newest, against the newest.
    let from = if query.van.is_empty() {
        releases.get(1).map(|r| r.id.clone()).unwrap_or_default()
    } else {
        query.van.clone()
    };
    let to = if query.naar.is_empty() {
        releases.first().map(|r| r.id.clone()).unwrap_or_default()
    } else {
        query.naar.clone()
    };
    let mut diff = None;
    if !query.van.is_empty() && !query.naar.is_empty() {
        let a = release::find(db.pool(), &from)
            .await?
            .filter(|r| r.summary.plan_id == plan.id)
            .ok_or(AppError::NotFound)?;
        let b = release::find(db.pool(), &to)
            .await?
            .filter(|r| r.summary.plan_id == plan.id)
            .ok_or(AppError::NotFound)?;
        diff = Some(diff_view(
            release::compare(&a.snapshot, &b.snapshot),
            a.summary.name,
            b.summary.name,
        ));
    }
    let choices_for = |current: &str| -> Vec<Choice> {
        releases
            .iter()
            .map(|r| {
                let label = format!("{} ({})", r.name, show_date(&r.as_of));
                Choice::new(r.id.clone(), label, r.id == current)
            })
            .collect()
    };
    let (from_choices, to_choices) = (choices_for(&from), choices_for(&to));
    let title = ctx.t("plan-rep-compare-title");
    let (plans_label, releases_label) = (ctx.t("plan-nav-plans"), ctx.t("plan-rep-releases-title"));
    let ctx = ctx
        .crumb(plans_label, paths::PLANS)
        .crumb(plan.title.clone(), load::plan_path(&plan.id))
        .crumb(releases_label, paths::releases_path(&plan.id))
        .titled(title);
    render(&ComparePage {
        ctx,
        plan,
        from_choices,
        to_choices,
        diff,
    })
}
