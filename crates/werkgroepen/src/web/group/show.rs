//! A group's page (`/werkgroepen/{slug}`): name, purpose, programme, werkspoor, how often it
//! meets, its facilitators and the cities taking part; no e-mail addresses here. A logged-in
//! visitor sees where they stand (member, request pending, refused) with the matching button.

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
    Router::new().route("/werkgroepen/{slug}", get(show))
}

/// Where the visitor stands in the group, for the box with their button.
pub(crate) enum Own {
    /// Not logged in: a link to log in.
    Anonymous,
    /// May ask to join (the form is its own page).
    CanJoin,
    /// Logged in but without a role that may ask (no `lid` in a city or partner).
    CannotJoin,
    Pending,
    Member(String),
}

#[derive(Template)]
#[template(path = "werkgroepen/group/show.html")]
struct ShowPage {
    ctx: PageContext,
    tabs: Vec<Tab>,
    slug: String,
    kind: String,
    visibility: String,
    hidden: bool,
    purpose: String,
    programme: Vec<String>,
    programme_title: String,
    werkspoor_title: String,
    cadence: String,
    times: String,
    place: String,
    online_url: String,
    show_online_url: bool,
    facilitators: Vec<String>,
    cities: Vec<String>,
    own: Own,
    /// The reason of the visitor's last request, when it was refused.
    refused: Option<String>,
}

/// Whether the visitor may ask to join for at least one city or partner.
pub(crate) fn join_organisations(
    ctx: &PageContext,
    kenniscentrum_id: &str,
) -> Vec<(String, String)> {
    let Some(user) = ctx.user.as_ref() else {
        return Vec::new();
    };
    let actor = user.actor();
    user.orgs
        .iter()
        .filter(|org| org.id != kenniscentrum_id)
        .filter(|org| crate::access::can_ask_to_join(&actor, &org.id))
        .map(|org| (org.id.clone(), org.name.clone()))
        .collect()
}

async fn show(ctx: PageContext, Path(slug): Path<String>) -> Result<Response, AppError> {
    let view = load(&ctx, &slug).await?;
    let db = ctx.state().db();
    let profile = &view.profile;
    let facilitators = memberships::facilitators(db.pool(), &profile.group_id)
        .await?
        .into_iter()
        .map(|f| f.name)
        .collect();
    let cities = reader::participating(&reader::members(db, &view).await?);
    let mut refused = None;
    let own = match ctx.user.as_ref() {
        None => Own::Anonymous,
        Some(user) => {
            let history = memberships::history(db.pool(), &profile.group_id).await?;
            let latest = history.into_iter().find(|m| m.user_id == user.user_id);
            let may_ask = !join_organisations(&ctx, &view.kenniscentrum_id).is_empty();
            match latest {
                Some(m) if m.status == MemberStatus::Actief => {
                    Own::Member(ctx.t(&m.role.label_key()))
                }
                Some(m) if m.status == MemberStatus::Aangevraagd => Own::Pending,
                other => {
                    // A refused request shows its reason; asking again stays possible.
                    if let Some(m) = other.filter(|m| m.status == MemberStatus::Geweigerd) {
                        refused = Some(m.decision_reason);
                    }
                    if may_ask {
                        Own::CanJoin
                    } else {
                        Own::CannotJoin
                    }
                }
            }
        }
    };
    let href = paths::group(&profile.slug);
    let page = ShowPage {
        tabs: tabs(&ctx, &view, &href),
        slug: profile.slug.clone(),
        kind: ctx.t(&profile.kind.label_key()),
        visibility: ctx.t(&profile.visibility.label_key()),
        hidden: profile.visibility == crate::model::Visibility::Verborgen,
        purpose: profile.purpose.clone(),
        programme: profile
            .programme_md
            .split("\n\n")
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
        programme_title: profile.programme_title.clone(),
        werkspoor_title: profile.werkspoor_title.clone(),
        cadence: ctx.t(&profile.cadence.label_key()),
        times: format!("{} – {}", profile.default_start, profile.default_end),
        place: profile.default_place.clone(),
        online_url: profile.default_online_url.clone(),
        // The meeting link is for those in the group, not for the website.
        show_online_url: view.standing.can_read_group(),
        facilitators,
        cities,
        own,
        refused,
        ctx: crumbs(ctx, &view).titled(profile.name.clone()),
    };
    let mut page = page;
    page.ctx.description = page.purpose.chars().take(200).collect();
    render(&page)
}
