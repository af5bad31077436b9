//! Archiving from the import preview (issue 11 point 2): the items of the plan that the
//! uploaded text no longer contains are listed on the preview, each with a button to archive
//! it (with everything below it), and one button for all of them. Archived items are stopped
//! and kept for history, but left out of the current views (see `store::items::archive`).

use axum::extract::Path;
use axum::response::Response;
use axum::routing::post;
use axum::{Form, Router};
use steden_web::flash::{self, Flash};
use steden_web::page::PageContext;
use steden_web::{AppError, AppState};

use crate::import::uploads;
use crate::import::write::{ImportPlan, Unmatched};
use crate::model::Plan;
use crate::paths;
use crate::store;
use crate::web::load;
use crate::web::plans::audit_actor;

pub fn routes() -> Router<AppState> {
    Router::new().route("/plannen/{id}/import/{import_id}/archiveren", post(archive))
}

/// An item the file no longer contains, as the preview lists it: the top-most ones only
/// (archiving one takes what is below it along).
pub(crate) struct ArchiveRow {
    pub id: String,
    pub code: String,
    pub title: String,
    pub level: String,
    /// How many items below it go along.
    pub below: usize,
}

/// The preview's rows for the items that `planned` leaves alone.
pub(crate) fn archive_rows(plan: &Plan, planned: &ImportPlan) -> Vec<ArchiveRow> {
    let ids: std::collections::HashSet<&str> =
        planned.unmatched.iter().map(|u| u.id.as_str()).collect();
    let top: Vec<&Unmatched> = planned
        .unmatched
        .iter()
        .filter(|u| u.parent_id.as_deref().is_none_or(|p| !ids.contains(p)))
        .collect();
    top.into_iter()
        .map(|u| ArchiveRow {
            below: below(&planned.unmatched, &u.id),
            id: u.id.clone(),
            code: u.code.clone(),
            title: u.title.clone(),
            level: plan.level_name(u.level).to_string(),
        })
        .collect()
}

fn below(all: &[Unmatched], id: &str) -> usize {
    all.iter()
        .filter(|u| u.parent_id.as_deref() == Some(id))
        .map(|u| 1 + below(all, &u.id))
        .sum()
}

/// Archives the chosen items (`item`, repeated) or all of them (`all`), when the file still
/// leaves them alone; back to the preview.
async fn archive(
    ctx: PageContext,
    Path((plan_id, import_id)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (_, plan) = load::plan_for_editor(&ctx, &plan_id).await?;
    let db = ctx.state().db().clone();
    let upload = uploads::find(db.pool(), &import_id)
        .await?
        .filter(|u| u.plan_id.as_deref() == Some(plan.id.as_str()))
        .ok_or(AppError::NotFound)?;
    let preview = paths::upload_path(&plan.id, &upload.id);
    if upload.status != "uploaded" {
        return Ok(flash::redirect_with(
            Flash::info(ctx.t("plan-imp-already-queued")),
            &preview,
        ));
    }
    let bytes = uploads::content(db.pool(), &upload.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Ok(parsed) = uploads::parse(upload.kind, &bytes, &upload.options) else {
        return Ok(flash::redirect_with(
            Flash::error(ctx.t("plan-imp-archive-none")),
            &preview,
        ));
    };
    let all = fields.iter().any(|(k, _)| k == "all");
    let asked: Vec<&str> = fields
        .iter()
        .filter(|(k, _)| k == "item")
        .map(|(_, v)| v.as_str())
        .collect();
    let mut tx = db.begin().await?;
    let planned = uploads::plan(&mut tx, &plan.id, &parsed).await?;
    let chosen: Vec<String> = planned
        .unmatched
        .iter()
        .filter(|u| all || asked.contains(&u.id.as_str()))
        .map(|u| u.id.clone())
        .collect();
    if chosen.is_empty() {
        return Ok(flash::redirect_with(
            Flash::error(ctx.t("plan-imp-archive-none")),
            &preview,
        ));
    }
    let count = store::items::archive(&mut tx, &plan.id, &chosen, &audit_actor(&ctx)?).await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t_with(
            "plan-imp-archived",
            &[("count", count.to_string().as_str())],
        )),
        &preview,
    ))
}
