//! A group's members (`/werkgroepen/{slug}/leden`): name, role and the city they represent,
//! for everyone who may see the group; e-mail addresses only for active members, facilitators
//! and staff (design point 8). Facilitators also see the open join requests.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use steden_web::components::Tab;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::model::MemberStatus;
use crate::paths;
use crate::reader;
use crate::store::memberships;

use super::{crumbs, load, tabs};

pub fn routes() -> Router<AppState> {
    Router::new().route("/werkgroepen/{slug}/leden", get(list))
}

struct MemberRow {
    name: String,
    role: String,
    organisation: String,
    email: Option<String>,
    joined: String,
}

struct RequestRow {
    name: String,
    organisation: String,
    requested: String,
    href: String,
}

#[derive(Template)]
#[template(path = "werkgroepen/group/members.html")]
struct MembersPage {
    ctx: PageContext,
    tabs: Vec<Tab>,
    members: Vec<MemberRow>,
    show_emails: bool,
    requests: Option<Vec<RequestRow>>,
}

async fn list(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let view = load(&ctx, &slug).await?;
    let db = ctx.state().db();
    let none = ctx.t("wg-none");
    let members = reader::members(db, &view)
        .await?
        .into_iter()
        .map(|m| MemberRow {
            role: ctx.t(&m.role.label_key()),
            organisation: m.organisation.unwrap_or_else(|| none.clone()),
            joined: m.joined_at.map(|ms| ctx.date(&ms)).unwrap_or_default(),
            email: m.email,
            name: m.name,
        })
        .collect();
    let requests = if view.standing.can_manage_group() {
        let pending = memberships::list_with_status(
            db.pool(),
            &view.profile.group_id,
            MemberStatus::Aangevraagd,
        )
        .await?;
        Some(
            pending
                .into_iter()
                .map(|m| RequestRow {
                    href: paths::group_request(&view.profile.slug, &m.id),
                    organisation: m.organisation_name.unwrap_or_else(|| none.clone()),
                    requested: m.requested_at.map(|ms| ctx.date(&ms)).unwrap_or_default(),
                    name: m.person_name,
                })
                .collect(),
        )
    } else {
        None
    };
    let href = paths::group_members(&view.profile.slug);
    let title = ctx.t_with("wg-members-title", &[("group", view.profile.name.as_str())]);
    render(&MembersPage {
        tabs: tabs(&ctx, &view, &href),
        members,
        show_emails: view.standing.can_see_contacts(),
        requests,
        ctx: crumbs(ctx, &view).titled(title),
    })
}
