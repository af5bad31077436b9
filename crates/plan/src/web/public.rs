//! Publication: the editors' page that publishes a plan (and chooses the fields shown) and its
//! releases, and the public pages under /openbaar that anyone may see without logging in.
//!
//! The public pages never call `require_user`; instead they answer 404 unless the plan (or
//! release) is published, and build their [`ReportView`] with only the chosen fields
//! ([`Show::only`]), so that a field that is not chosen is not even handed to the template.
//! A published release shows the fields chosen for its plan now.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use steden_core::audit::AuditActor;
use steden_web::flash::{self, Flash};
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use super::load;
use super::releases::{report_view, ReportView, Show};
use crate::model::{Plan, PublishedField};
use crate::paths;
pub use crate::paths::public_plan_path;
use crate::release::{self, ReleaseSummary};
use crate::store;
use steden_core::time::show_date;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plannen/{id}/publicatie", get(publication).post(save))
        .route(
            "/plannen/{id}/publicatie/releases/{release_id}",
            post(toggle_release),
        )
        .route("/openbaar/plannen", get(public_list))
        .route("/openbaar/plannen/{id}", get(public_plan))
        .route("/openbaar/plannen/{id}/items/{item_id}", get(public_item))
        .route("/openbaar/releases/{release_id}", get(public_release))
}

// ---------------------------------------------------------------------------------------------
// The editors' page

struct FieldChoice {
    value: &'static str,
    label_key: String,
    checked: bool,
}

struct ReleaseChoice {
    release: ReleaseSummary,
    as_of: String,
}

#[derive(Template)]
#[template(path = "plan/public/publication.html")]
struct PublicationPage {
    ctx: PageContext,
    plan: Plan,
    fields: Vec<FieldChoice>,
    releases: Vec<ReleaseChoice>,
    public_path: String,
}

async fn publication(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let (_, plan) = load::plan_for_editor(&ctx, &id).await?;
    let fields = PublishedField::ALL
        .iter()
        .map(|f| FieldChoice {
            value: f.as_str(),
            label_key: f.label_key(),
            checked: plan.published_fields.contains(f),
        })
        .collect();
    let releases = release::list(ctx.state().db().pool(), &plan.id)
        .await?
        .into_iter()
        .map(|r| ReleaseChoice {
            as_of: show_date(&r.as_of),
            release: r,
        })
        .collect();
    let title = ctx.t("plan-rep-pub-title");
    let plans_label = ctx.t("plan-nav-plans");
    let ctx = ctx
        .crumb(plans_label, paths::PLANS)
        .crumb(plan.title.clone(), load::plan_path(&plan.id))
        .titled(title);
    render(&PublicationPage {
        ctx,
        public_path: public_plan_path(&plan.id),
        plan,
        fields,
        releases,
    })
}

/// The checked fields of the posted form (unknown values are ignored).
fn chosen_fields(form: &[(String, String)]) -> Vec<PublishedField> {
    PublishedField::ALL
        .iter()
        .copied()
        .filter(|f| form.iter().any(|(k, v)| k == "fields" && v == f.as_str()))
        .collect()
}

async fn save(
    ctx: PageContext,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (_, plan) = load::plan_for_editor(&ctx, &id).await?;
    let actor = AuditActor::user(&ctx.require_user()?.user_id);
    let published = form.iter().any(|(k, v)| k == "published" && v == "1");
    let fields = chosen_fields(&form);
    let mut tx = ctx.state().db().begin().await?;
    store::plans::set_publication(&mut tx, &plan.id, published, &fields, &actor).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("plan-rep-pub-saved")),
        &paths::publication_path(&plan.id),
    ))
}

async fn toggle_release(
    ctx: PageContext,
    Path((id, release_id)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (_, plan) = load::plan_for_editor(&ctx, &id).await?;
    let actor = AuditActor::user(&ctx.require_user()?.user_id);
    let belongs = release::list(ctx.state().db().pool(), &plan.id)
        .await?
        .iter()
        .any(|r| r.id == release_id);
    if !belongs {
        return Err(AppError::NotFound);
    }
    let published = form.iter().any(|(k, v)| k == "published" && v == "1");
    let mut tx = ctx.state().db().begin().await?;
    release::set_published(&mut tx, &release_id, published, &actor).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("plan-rep-pub-release-saved")),
        &paths::publication_path(&plan.id),
    ))
}

// ---------------------------------------------------------------------------------------------
// Public pages (no login)

struct PublicPlanRow {
    id: String,
    title: String,
    kind_key: String,
    period: String,
}

#[derive(Template)]
#[template(path = "plan/public/list.html")]
struct PublicListPage {
    ctx: PageContext,
    plans: Vec<PublicPlanRow>,
}

async fn public_list(ctx: PageContext) -> Result<Response, AppError> {
    let plans = store::plans::list_published(ctx.state().db())
        .await?
        .into_iter()
        .map(|p| PublicPlanRow {
            kind_key: p.kind.label_key(),
            period: format!(
                "{} – {}",
                show_date(&p.period_start),
                show_date(&p.period_end)
            ),
            id: p.id,
            title: p.title,
        })
        .collect();
    let title = ctx.t("plan-rep-public-plans-title");
    render(&PublicListPage {
        ctx: ctx.titled(title),
        plans,
    })
}

/// A published plan, or 404.
async fn published_plan(ctx: &PageContext, id: &str) -> Result<Plan, AppError> {
    store::plans::find(ctx.state().db().pool(), id)
        .await?
        .filter(|p| p.published)
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "plan/public/plan.html")]
struct PublicPlanPage {
    ctx: PageContext,
    plan_id: String,
    report: ReportView,
    releases: Vec<ReleaseChoice>,
    /// The item's code and title on an item page.
    item_heading: Option<String>,
}

async fn public_plan(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    let plan = published_plan(&ctx, &id).await?;
    let snapshot = release::snapshot::current(ctx.state().db().pool(), &plan.id).await?;
    let mut report = report_view(&ctx, &snapshot, Show::only(&plan.published_fields), None);
    report.item_href = Some(paths::public_items_prefix(&plan.id));
    report.hierarchy = true;
    let releases = release::list(ctx.state().db().pool(), &plan.id)
        .await?
        .into_iter()
        .filter(|r| r.published)
        .map(|r| ReleaseChoice {
            as_of: show_date(&r.as_of),
            release: r,
        })
        .collect();
    let list_label = ctx.t("plan-rep-public-plans-title");
    let ctx = ctx
        .crumb(list_label, paths::PUBLIC_PLANS)
        .titled(plan.title.clone());
    render(&PublicPlanPage {
        ctx,
        plan_id: plan.id,
        report,
        releases,
        item_heading: None,
    })
}

async fn public_item(
    ctx: PageContext,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let plan = published_plan(&ctx, &id).await?;
    let snapshot = release::snapshot::current(ctx.state().db().pool(), &plan.id).await?;
    let item = snapshot.item(&item_id).ok_or(AppError::NotFound)?;
    let heading = format!("{} {}", item.code, item.title);
    let report = report_view(
        &ctx,
        &snapshot,
        Show::only(&plan.published_fields),
        Some(&item_id),
    );
    let list_label = ctx.t("plan-rep-public-plans-title");
    let ctx = ctx
        .crumb(list_label, paths::PUBLIC_PLANS)
        .crumb(plan.title.clone(), public_plan_path(&plan.id))
        .titled(heading.clone());
    render(&PublicPlanPage {
        ctx,
        plan_id: plan.id,
        report,
        releases: Vec::new(),
        item_heading: Some(heading),
    })
}

#[derive(Template)]
#[template(path = "plan/public/release.html")]
struct PublicReleasePage {
    ctx: PageContext,
    release: ReleaseSummary,
    report: ReportView,
}

async fn public_release(
    ctx: PageContext,
    Path(release_id): Path<String>,
) -> Result<Response, AppError> {
    let found = release::find(ctx.state().db().pool(), &release_id)
        .await?
        .filter(|r| r.summary.published)
        .ok_or(AppError::NotFound)?;
    let plan = store::plans::find(ctx.state().db().pool(), &found.summary.plan_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let report = report_view(
        &ctx,
        &found.snapshot,
        Show::only(&plan.published_fields),
        None,
    );
    let list_label = ctx.t("plan-rep-public-plans-title");
    let mut ctx = ctx.crumb(list_label, paths::PUBLIC_PLANS);
    if plan.published {
        ctx = ctx.crumb(plan.title.clone(), public_plan_path(&plan.id));
    }
    let ctx = ctx.titled(found.summary.name.clone());
    render(&PublicReleasePage {
        ctx,
        release: found.summary,
        report,
    })
}
