//! What the plan asks of a person, for the workspace (/start; the port
//! `steden_web::workspace::WorkspaceTasks`): a progress report on every item they own in a plan
//! with an open reporting round, until they have reported in that round; every unresolved
//! kwestie that waits for them (see [`store::workspace::kwesties_asked`]); and the recent
//! updates on what they follow (items they own, plans of their organisations).

use std::collections::{HashMap, HashSet};

use futures::future::BoxFuture;
use steden_core::policy::{self, Action, Actor};
use steden_core::CoreResult;
use steden_db::Db;
use steden_web::i18n::{Catalog, Lang};
use steden_web::workspace::{WorkspaceChange, WorkspaceTask, WorkspaceTasks};

use crate::model::rounds::Round;
use crate::model::{ItemStatus, Plan};
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
        Box::pin(async move {
            let mut tasks = reports_due(db, actor, lang, catalog).await?;
            tasks.extend(kwesties_waiting(db, actor, lang, catalog).await?);
            Ok(tasks)
        })
    }

    fn recent_changes<'a>(
        &'a self,
        db: &'a Db,
        actor: &'a Actor,
        since: i64,
        limit: usize,
        lang: Lang,
        catalog: &'a Catalog,
    ) -> BoxFuture<'a, CoreResult<Vec<WorkspaceChange>>> {
        Box::pin(async move { recent_changes(db, actor, since, limit, lang, catalog).await })
    }
}

/// The organisations of a person's memberships where they have `action` in the plan module.
/// A platform administrator follows the organisations they are a member of, not all of them.
fn member_orgs(actor: &Actor, action: Action) -> Vec<String> {
    match actor {
        Actor::User(user) => user
            .memberships
            .iter()
            .map(|m| m.organisation_id.clone())
            .filter(|org| policy::can(actor, access::MODULE, action, org))
            .collect(),
        _ => Vec::new(),
    }
}

/// Unresolved kwesties that wait for the person: theirs, and unowned ones on their items or
/// in plans where they are an editor (who can take them on or assign them). Each links to the
/// kwesties on its item's page, which everyone who may read the plan can open.
pub async fn kwesties_waiting(
    db: &Db,
    actor: &Actor,
    lang: Lang,
    catalog: &Catalog,
) -> CoreResult<Vec<WorkspaceTask>> {
    let Some(user_id) = actor.user_id() else {
        return Ok(Vec::new());
    };
    let module_label = catalog.text(lang, "plan-nav-section");
    let editor_orgs = member_orgs(actor, Action::Edit);
    Ok(store::workspace::kwesties_asked(db, user_id, &editor_orgs)
        .await?
        .into_iter()
        .filter(|k| policy::can(actor, access::MODULE, Action::Read, &k.organisation_id))
        .map(|k| WorkspaceTask {
            module_label: module_label.clone(),
            title: format!("{} ({} · {})", k.title, k.item_code, k.plan_title),
            href: format!(
                "{}#kwesties-{}",
                paths::item_path(&k.plan_id, &k.item_id),
                k.item_id
            ),
            due: k.due_date,
            kind: catalog.text(lang, &k.kind.label_key()),
        })
        .collect())
}

/// Updates by others in the last days on items the person owns or in plans of their
/// organisations, newest first.
pub async fn recent_changes(
    db: &Db,
    actor: &Actor,
    since: i64,
    limit: usize,
    lang: Lang,
    catalog: &Catalog,
) -> CoreResult<Vec<WorkspaceChange>> {
    let Some(user_id) = actor.user_id() else {
        return Ok(Vec::new());
    };
    let module_label = catalog.text(lang, "plan-nav-section");
    let orgs = member_orgs(actor, Action::Read);
    // Updates on owned items in a plan the person can no longer read are dropped below, so
    // read a few more than asked.
    let fetch = i64::try_from(limit.saturating_mul(2)).unwrap_or(i64::MAX);
    let status_text = |s: ItemStatus| catalog.text(lang, &s.label_key());
    let mut changes = Vec::new();
    for u in store::workspace::recent_updates(db, user_id, &orgs, since, fetch).await? {
        if !policy::can(actor, access::MODULE, Action::Read, &u.organisation_id) {
            continue;
        }
        let mut what = Vec::new();
        if let (Some(old), Some(new)) = (u.old_status, u.new_status) {
            if old != new {
                what.push(format!(
                    "{}: {} → {}",
                    catalog.text(lang, "plan-col-status"),
                    status_text(old),
                    status_text(new)
                ));
            }
        }
        if let (Some(old), Some(new)) = (u.old_progress, u.new_progress) {
            if old != new {
                what.push(format!(
                    "{}: {old} % → {new} %",
                    catalog.text(lang, "plan-progress")
                ));
            }
        }
        if what.is_empty() {
            what.push(catalog.text(
                lang,
                if u.measurement_id.is_some() {
                    "plan-work-change-measurement"
                } else {
                    "plan-work-change-report"
                },
            ));
        }
        changes.push(WorkspaceChange {
            module_label: module_label.clone(),
            title: format!("{} {} ({})", u.item_code, u.item_title, u.plan_title),
            href: paths::item_path(&u.plan_id, &u.item_id),
            what: what.join(", "),
            comment: u.comment,
            author: u.author,
            at: u.created_at,
        });
        if changes.len() == limit {
            break;
        }
    }
    Ok(changes)
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
