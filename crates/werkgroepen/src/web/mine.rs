//! The person's own page across groups (`/werkgroepen/mijn`, design §3.1): their groups, the
//! coming meetings of those groups, their open action points (the full list stays on
//! `/werkgroepen/mijn/actiepunten`) and their registrations for events. Logged in only; it
//! shows only what is the person's own, so it needs no further check.

use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use steden_db::now_ms;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::model::RegistrationStatus;
use crate::paths;
use crate::store::{action_points, mine};

/// How many coming meetings the page lists: the next few weeks, not the year's series.
const NEXT_MEETINGS: i64 = 10;

/// How many open action points the page lists before pointing to the full list.
const POINTS_SHOWN: usize = 5;

pub fn routes() -> Router<AppState> {
    Router::new().route(paths::MINE, get(page))
}

struct GroupRow {
    name: String,
    href: String,
    role: String,
    facilitator: bool,
}

pub(crate) struct MeetingRow {
    pub date: String,
    pub time: String,
    pub group: String,
    pub group_href: String,
    pub title: String,
    pub href: String,
    pub place: String,
}

struct PointRow {
    description: String,
    group: String,
    href: String,
    due: String,
}

struct RegistrationRow {
    title: String,
    href: String,
    date: String,
    status: String,
    waiting: bool,
}

#[derive(Template)]
#[template(path = "werkgroepen/mine.html")]
struct MinePage {
    ctx: PageContext,
    groups: Vec<GroupRow>,
    meetings: Vec<MeetingRow>,
    points: Vec<PointRow>,
    more_points: usize,
    registrations: Vec<RegistrationRow>,
}

/// `YYYY-MM-DD` as the pages show dates; the stored text when it does not parse.
pub(crate) fn show(date: &str) -> String {
    crate::localtime::parse_date(date)
        .map(crate::localtime::show_date)
        .unwrap_or_else(|_| date.to_string())
}

async fn page(ctx: PageContext) -> Result<Response, AppError> {
    let user = ctx.require_user()?.user_id.clone();
    let db = ctx.state().db();
    let now = now_ms();
    let groups = mine::groups(db.pool(), &user)
        .await?
        .into_iter()
        .map(|g| GroupRow {
            href: paths::group(&g.slug),
            role: g.role.map(|r| ctx.t(&r.label_key())).unwrap_or_default(),
            facilitator: g.facilitator,
            name: g.name,
        })
        .collect();
    let meetings = mine::next_meetings(db.pool(), &user, now, NEXT_MEETINGS)
        .await?
        .into_iter()
        .map(|m| MeetingRow {
            date: show(&m.local_date),
            time: format!("{}–{}", m.local_start, m.local_end),
            group_href: paths::group(&m.group_slug),
            href: paths::group_meeting(&m.group_slug, &m.id),
            group: m.group_name,
            title: m.title,
            place: m.place,
        })
        .collect();
    let all_points = action_points::open_for_person(db.pool(), &user).await?;
    let more_points = all_points.len().saturating_sub(POINTS_SHOWN);
    let names: std::collections::HashMap<String, (String, String)> =
        steden_core::working_group::list(db.pool())
            .await?
            .into_iter()
            .map(|g| (g.id, (g.name, g.slug)))
            .collect();
    let points = all_points
        .into_iter()
        .take(POINTS_SHOWN)
        .map(|p| {
            let (group, slug) = names.get(&p.group_id).cloned().unwrap_or_default();
            PointRow {
                href: paths::group_action_points(&slug),
                group,
                due: p.due_date.as_deref().map(show).unwrap_or_default(),
                description: p.description,
            }
        })
        .collect();
    let registrations = mine::registrations(db.pool(), &user, now)
        .await?
        .into_iter()
        .map(|r| RegistrationRow {
            href: paths::event(&r.event_slug),
            date: format!("{}, {}–{}", show(&r.local_date), r.local_start, r.local_end),
            waiting: r.status == RegistrationStatus::Wachtlijst,
            status: match r.waitlist_number {
                Some(n) if r.status == RegistrationStatus::Wachtlijst => ctx.t_with(
                    "wg-mine-waitlist-number",
                    &[("number", n.to_string().as_str())],
                ),
                _ => ctx.t(&r.status.label_key()),
            },
            title: r.event_title,
        })
        .collect();
    let title = ctx.t("wg-mine-title");
    let list = ctx.t("wg-groups-title");
    render(&MinePage {
        groups,
        meetings,
        points,
        more_points,
        registrations,
        ctx: ctx.crumb(list, paths::GROUPS).titled(title),
    })
}
