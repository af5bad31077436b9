//! What the plan asks of a person, for the workspace (/start; the port
//! `steden_web::workspace::WorkspaceTasks`): a progress report on every item they own in a plan
//! with an open reporting round, until they have reported in that round.

use std::collections::{HashMap, HashSet};

use futures::future::BoxFuture;
use steden_core::policy::Actor;
use steden_core::CoreResult;
use steden_db::Db;
use steden_web::i18n::{Catalog, Lang};
use steden_web::workspace::{WorkspaceTask, WorkspaceTasks};

use crate::model::rounds::Round;
use crate::model::Plan;
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
    // Each plan (its row, its open round and what that round counts as reported) is read once,
    // however many of its items the person owns; "reported" is the round's own rule
    // (rounds::mod, an update since the round opened).
    let mut plans: HashMap<String, Option<(Plan, Round, HashSet<String>)>> = HashMap::new();
    for item in store::items::owned_by(db.pool(), user_id).await? {
        if !plans.contains_key(&item.plan_id) {
            let due = open_round_of(db, &item.plan_id).await?;
            plans.insert(item.plan_id.clone(), due);
        }
        let Some((plan, round, reported)) = plans.get(&item.plan_id).and_then(Option::as_ref)
        else {
            continue;
        };
        if reported.contains(&item.id)
            || !access::can_read(actor, plan)
            || !access::can_report(actor, plan, &item)
        {
            continue;
        }
        tasks.push(WorkspaceTask {
            module_label: module_label.clone(),
            title: format!("{} {} ({})", item.code, item.title, plan.title),
            href: format!("{}#rapporteren", paths::item_path(&plan.id, &item.id)),
            due: Some(round.deadline.clone()),
            kind: kind.clone(),
        });
    }
    Ok(tasks)
}

/// A plan with its open round and the items that round counts as reported; none when the plan
/// is gone or has no open round.
async fn open_round_of(
    db: &Db,
    plan_id: &str,
) -> CoreResult<Option<(Plan, Round, HashSet<String>)>> {
    let Some(plan) = store::plans::find(db.pool(), plan_id).await? else {
        return Ok(None);
    };
    let Some(round_id) = store::rounds::open_round_id(db.pool(), plan_id).await? else {
        return Ok(None);
    };
    let round = store::rounds::get(db.pool(), &round_id).await?;
    let reported = store::updates::items_reported_since(db.pool(), plan_id, round.opened_at)
        .await?
        .into_iter()
        .collect();
    Ok(Some((plan, round, reported)))
}
