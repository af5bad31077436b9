//! What the working groups ask of a person, for the workspace (/start; the port
//! `steden_web::workspace::WorkspaceTasks`, design §3.4): agenda proposals open until their
//! deadline, minutes to comment on during the comment period, their own (and their city's) open
//! action points, join requests for the facilitators, and evaluations mailed but not filled in.
//!
//! Unanswered meeting invitations (kind "vergadering") are listed for meetings in the coming
//! [`INVITATION_WEEKS`] weeks, until the person replies.

use chrono::NaiveDate;
use futures::future::BoxFuture;
use steden_core::policy::Actor;
use steden_core::CoreResult;
use steden_db::{now_ms, Db};
use steden_web::i18n::{Catalog, Lang};
use steden_web::workspace::{WorkspaceTask, WorkspaceTasks};

use crate::event_mail::EVALUATION_DAYS;
use crate::signed_link::{self, LinkKind};
use crate::store::{action_points, mine, unanswered};
use crate::{localtime, paths};

const DAY_MS: i64 = 24 * 3_600_000;
/// How far ahead an unanswered invitation is a task: further out, it is not yet pressing.
pub const INVITATION_WEEKS: i64 = 4;

pub struct WerkgroepenTasks;

impl WorkspaceTasks for WerkgroepenTasks {
    fn tasks<'a>(
        &'a self,
        db: &'a Db,
        actor: &'a Actor,
        lang: Lang,
        catalog: &'a Catalog,
    ) -> BoxFuture<'a, CoreResult<Vec<WorkspaceTask>>> {
        Box::pin(async move {
            match actor.user_id() {
                Some(user_id) => tasks(db, user_id, lang, catalog).await,
                None => Ok(Vec::new()),
            }
        })
    }
}

/// The Brussels date of a moment, as the workspace sorts deadlines.
fn date_of(ms: i64) -> Option<String> {
    localtime::from_utc_ms(ms).map(|at| at.date().format("%Y-%m-%d").to_string())
}

fn show(date: &str) -> String {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(localtime::show_date)
        .unwrap_or_else(|_| date.to_string())
}

/// Everything the module asks of `user_id` now.
pub async fn tasks(
    db: &Db,
    user_id: &str,
    lang: Lang,
    catalog: &Catalog,
) -> CoreResult<Vec<WorkspaceTask>> {
    let module_label = catalog.text(lang, "wg-nav-section");
    let now = now_ms();
    let pool = db.pool();
    let mut tasks = Vec::new();
    let kind = |key: &str| catalog.text(lang, key);
    for w in mine::proposals_open(pool, user_id, now).await? {
        tasks.push(WorkspaceTask {
            module_label: module_label.clone(),
            title: format!("{} ({}, {})", w.title, w.group_name, show(&w.local_date)),
            href: paths::meeting_agenda_propose(&w.group_slug, &w.meeting_id),
            due: date_of(w.until),
            kind: kind("wg-task-meeting-proposals"),
        });
    }
    for w in mine::minutes_to_comment(pool, user_id, now).await? {
        tasks.push(WorkspaceTask {
            module_label: module_label.clone(),
            title: format!("{} ({}, {})", w.title, w.group_name, show(&w.local_date)),
            href: paths::meeting_minutes(&w.group_slug, &w.meeting_id),
            due: date_of(w.until),
            kind: kind("wg-task-minutes"),
        });
    }
    let open_points = action_points::open_for_person(pool, user_id).await?;
    if !open_points.is_empty() {
        let slugs: std::collections::HashMap<String, (String, String)> =
            steden_core::working_group::list(pool)
                .await?
                .into_iter()
                .map(|g| (g.id, (g.slug, g.name)))
                .collect();
        for p in open_points {
            let Some((slug, name)) = slugs.get(&p.group_id) else {
                continue;
            };
            tasks.push(WorkspaceTask {
                module_label: module_label.clone(),
                title: format!("{} ({name})", p.description),
                href: paths::group_action_points(slug),
                due: p.due_date.clone(),
                kind: kind("wg-task-action-point"),
            });
        }
    }
    for r in mine::join_requests(pool, user_id).await? {
        tasks.push(WorkspaceTask {
            module_label: module_label.clone(),
            title: format!("{} ({})", r.person_name, r.group_name),
            href: paths::group_request(&r.group_slug, &r.membership_id),
            due: None,
            kind: kind("wg-task-join-request"),
        });
    }
    let evaluations = mine::evaluations_due(pool, user_id, now, EVALUATION_DAYS * DAY_MS).await?;
    if !evaluations.is_empty() {
        let key = signed_link::key(db).await?;
        for e in evaluations {
            let expires = e.ends_at + EVALUATION_DAYS * DAY_MS;
            let token = signed_link::sign(&key, LinkKind::Evaluation, &e.registration_id, expires);
            tasks.push(WorkspaceTask {
                module_label: module_label.clone(),
                title: e.event_title,
                href: paths::evaluation_link(&token),
                due: date_of(expires),
                kind: kind("wg-task-evaluation"),
            });
        }
    }
    // Unanswered invitations for the coming weeks, due on the meeting's date.
    for m in unanswered::invitations(pool, user_id, now, INVITATION_WEEKS * 7 * DAY_MS).await? {
        tasks.push(WorkspaceTask {
            module_label: module_label.clone(),
            title: format!("{} ({}, {})", m.title, m.group_name, show(&m.local_date)),
            href: paths::group_meeting(&m.group_slug, &m.meeting_id),
            due: Some(m.local_date.clone()),
            kind: kind("wg-task-meeting-reply"),
        });
    }
    Ok(tasks)
}
