//! What the plan asks of a person, for the workspace (/start; the port
//! `steden_web::workspace::WorkspaceTasks`): a progress report on every item they own in a plan
//! with an open reporting round, until they have reported in that round.

use futures::future::BoxFuture;
use steden_core::policy::Actor;
use steden_core::CoreResult;
use steden_db::Db;
use steden_web::i18n::{Catalog, Lang};
use steden_web::workspace::{WorkspaceTask, WorkspaceTasks};

use crate::{access, paths, store};

pub struct PlanTasks;

impl WorkspaceTasks for PlanTasks {
    fn tasks<'a>(
        &'a self,
        db: &'a Db,
        actor: &'a Actor,
        lang: Lang,
        catalog: &'a Catalog,
    ) -> BoxFuture<'a, CoreResult<Vec<WorkspaceTask>>> {
        Box::pin(async move { reports_due(db, actor, lang, catalog).await })
    }
}

/// Items the actor owns and may report on, in plans with an open round, not yet reported in it.
pub async fn reports_due(
    db: &Db,
    actor: &Actor,
    lang: Lang,
    catalog: &Catalog,
) -> CoreResult<Vec<WorkspaceTask>> {
    let mut tasks = Vec::new();
    // An API token acts for an organisation, not for a person: nothing is asked of it.
    let Some(user_id) = actor.user_id() else {
        return Ok(tasks);
    };
    let module_label = catalog.text(lang, "plan-nav-section");
    let kind = catalog.text(lang, "plan-report-title");
    for item in store::items::owned_by(db.pool(), user_id).await? {
        let Some(plan) = store::plans::find(db.pool(), &item.plan_id).await? else {
            continue;
        };
        if !access::can_read(actor, &plan) || !access::can_report(actor, &plan, &item) {
            continue;
        }
        let Some(round_id) = store::rounds::open_round_id(db.pool(), &plan.id).await? else {
            continue;
        };
        let reported = store::updates::for_item(db.pool(), &item.id, 50)
            .await?
            .iter()
            .any(|u| u.round_id.as_deref() == Some(round_id.as_str()));
        if reported {
            continue;
        }
        let round = store::rounds::get(db.pool(), &round_id).await?;
        tasks.push(WorkspaceTask {
            module_label: module_label.clone(),
            title: format!("{} {} ({})", item.code, item.title, plan.title),
            href: format!("{}#rapporteren", paths::item_path(&plan.id, &item.id)),
            due: Some(round.deadline),
            kind: kind.clone(),
        });
    }
    Ok(tasks)
}
