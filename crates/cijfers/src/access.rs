//! Who may do what in Stad in cijfers, on top of the core's policy (`steden_core::policy`),
//! which decides every role question.
//!
//! - Everyone reads the published indicators and their values that are not suppressed
//!   (the public pages and the API need no check beyond what the store's public reads keep out).
//! - A city's **data team** are its redacteurs (or higher) for the module `cijfers`: they manage
//!   their own indicators, wijken and imports.
//! - **Kenniscentrum staff** (redacteur or higher there) manage the shared indicators, and may
//!   look at every organisation's indicators and imports.

use steden_core::error::CoreResult;
use steden_core::policy::{self, Action, Actor};
use steden_core::CoreError;
use steden_db::Db;

use crate::model::Indicator;

/// The module's name in the policy and in API token scopes.
pub const MODULE: &str = "cijfers";

/// The slug of the organisation whose staff keep the shared indicators (seeded by the core).
pub const KENNISCENTRUM_SLUG: &str = "kenniscentrum";

/// The id of the Kenniscentrum organisation.
pub async fn kenniscentrum_id(db: &Db) -> CoreResult<String> {
    steden_core::org::find_by_slug(db.pool(), KENNISCENTRUM_SLUG)
        .await?
        .map(|org| org.id)
        .ok_or_else(|| {
            CoreError::Internal(anyhow::anyhow!("de organisatie Kenniscentrum ontbreekt"))
        })
}

/// Whether `actor` is on the data team of `organisation_id` (redacteur or higher there).
pub fn is_data_team(actor: &Actor, organisation_id: &str) -> bool {
    policy::can(actor, MODULE, Action::Edit, organisation_id)
}

/// `Ok(())` for the data team of `organisation_id`; otherwise forbidden (or unauthenticated).
pub fn require_data_team(actor: &Actor, organisation_id: &str) -> CoreResult<()> {
    policy::check(actor, MODULE, Action::Edit, organisation_id)
}

/// Whether `actor` is Kenniscentrum staff for this module.
pub fn is_staff(actor: &Actor, kenniscentrum_id: &str) -> bool {
    is_data_team(actor, kenniscentrum_id)
}

/// Whether `actor` may change `indicator` and import its values: staff for a shared one, the
/// owner's data team (or staff) for a city's own.
pub fn can_manage_indicator(actor: &Actor, indicator: &Indicator, kenniscentrum_id: &str) -> bool {
    match &indicator.owner_org_id {
        None => is_staff(actor, kenniscentrum_id),
        Some(owner) => is_data_team(actor, owner) || is_staff(actor, kenniscentrum_id),
    }
}

/// `Ok(())` when [`can_manage_indicator`]; otherwise forbidden (or unauthenticated).
pub fn require_manage_indicator(
    actor: &Actor,
    indicator: &Indicator,
    kenniscentrum_id: &str,
) -> CoreResult<()> {
    if can_manage_indicator(actor, indicator, kenniscentrum_id) {
        Ok(())
    } else {
        policy::require_authenticated(actor)?;
        Err(CoreError::Forbidden)
    }
}

/// Whether `actor` may see an unpublished indicator (its owner's data team, or staff).
pub fn can_see_unpublished(actor: &Actor, indicator: &Indicator, kenniscentrum_id: &str) -> bool {
    can_manage_indicator(actor, indicator, kenniscentrum_id)
}

/// For the menu and the admin pages: whether `actor` is on any organisation's data team.
pub fn may_open_admin(actor: &Actor) -> bool {
    match actor {
        Actor::User(user) => {
            user.platform_admin
                || user
                    .memberships
                    .iter()
                    .any(|r| policy::can(actor, MODULE, Action::Edit, &r.organisation_id))
        }
        Actor::Token(token) => policy::can(actor, MODULE, Action::Edit, &token.organisation_id),
        _ => false,
    }
}

/// [`may_open_admin`] in the shape the menu asks for.
pub fn may_open_admin_pages<'a>(
    _db: &'a Db,
    actor: &'a Actor,
) -> futures::future::BoxFuture<'a, bool> {
    Box::pin(async move { may_open_admin(actor) })
}

/// `Ok(())` when `actor` may publish `indicator` (and so start its disclosure check): the
/// indicator's own data team — staff for a shared one, the owner's data team (or staff) for a
/// city's own — as for every other change to it.
pub fn require_publish(
    actor: &Actor,
    indicator: &Indicator,
    kenniscentrum_id: &str,
) -> CoreResult<()> {
    require_manage_indicator(actor, indicator, kenniscentrum_id)
}

/// `Ok(())` when `actor` may change which sites may frame the embeds of `organisation_id`: its
/// data team (the list names the city's own websites).
pub fn require_manage_embed_origins(actor: &Actor, organisation_id: &str) -> CoreResult<()> {
    require_data_team(actor, organisation_id)
}

/// Whether `actor` may store the geometry of a place at `level` owned by `place_owner`:
/// municipalities and statistical sectors are shared geography, kept by Kenniscentrum staff;
/// a city's wijken by that city's data team (or staff).
pub fn can_store_geometry(
    actor: &Actor,
    level: crate::model::GeoLevel,
    place_owner: Option<&str>,
    kenniscentrum_id: &str,
) -> bool {
    if is_staff(actor, kenniscentrum_id) {
        return true;
    }
    match (level, place_owner) {
        (crate::model::GeoLevel::Wijk, Some(owner)) => is_data_team(actor, owner),
        _ => false,
    }
}
/// Whether `actor` may make, change and delete the fact-sheet themes. A theme gives a fact
/// sheet for every city, so it is shared: Kenniscentrum staff keep them, as the shared
/// indicators.
pub fn can_manage_themes(actor: &Actor, kenniscentrum_id: &str) -> bool {
    is_staff(actor, kenniscentrum_id)
}

/// `Ok(())` when [`can_manage_themes`]; otherwise forbidden (or unauthenticated).
pub fn require_manage_themes(actor: &Actor, kenniscentrum_id: &str) -> CoreResult<()> {
    if can_manage_themes(actor, kenniscentrum_id) {
        Ok(())
    } else {
        policy::require_authenticated(actor)?;
        Err(CoreError::Forbidden)
    }
}

/// [`can_manage_themes`] in the shape the menu asks for.
pub fn may_manage_themes_pages<'a>(
    db: &'a Db,
    actor: &'a Actor,
) -> futures::future::BoxFuture<'a, bool> {
    Box::pin(async move {
        match kenniscentrum_id(db).await {
            Ok(id) => can_manage_themes(actor, &id),
            Err(_) => false,
        }
    })
}

// cj-link: joint data requests (issue 15 point 8).
//
// - Kenniscentrum staff keep the register: they make and change every request (status,
//   dates, participating cities, contact), see them all, and upload delivered files.
// - A city's data team sees the requests its city takes part in (never the others) and uploads
//   a file delivered for it, as an import of its own city; it does not make or change requests.
// - The register is not public: the supplier's contact is a name and a work address, shown on
//   these staff pages only.

/// Whether `actor` keeps the register of data requests (Kenniscentrum staff).
pub fn can_manage_data_requests(actor: &Actor, kenniscentrum_id: &str) -> bool {
    is_staff(actor, kenniscentrum_id)
}

/// `Ok(())` when [`can_manage_data_requests`]; otherwise forbidden (or unauthenticated).
pub fn require_manage_data_requests(actor: &Actor, kenniscentrum_id: &str) -> CoreResult<()> {
    if can_manage_data_requests(actor, kenniscentrum_id) {
        Ok(())
    } else {
        policy::require_authenticated(actor)?;
        Err(CoreError::Forbidden)
    }
}

/// Whether `actor` may see a request with these participating cities: staff, or the data
/// team of one of them.
pub fn can_see_data_request(actor: &Actor, cities: &[String], kenniscentrum_id: &str) -> bool {
    is_staff(actor, kenniscentrum_id) || cities.iter().any(|c| is_data_team(actor, c))
}

/// Whether `actor` may upload a delivered file for the request, as an import of
/// `organisation_id`: staff (for any organisation), or that organisation's data team when it
/// takes part.
pub fn can_deliver_data_request(
    actor: &Actor,
    cities: &[String],
    organisation_id: &str,
    kenniscentrum_id: &str,
) -> bool {
    is_staff(actor, kenniscentrum_id)
        || (cities.iter().any(|c| c == organisation_id) && is_data_team(actor, organisation_id))
}

// cj-climate2: the climate dashboard (issue 15 point 6).
//
// - Everyone reads the dashboards, the factors and the targets (they are public).
// - Emission factors apply to every city: Kenniscentrum staff keep them, like the shared
//   indicators.
// - A city's targets are its own: its data team keeps them, and staff may too.

/// Whether `actor` may add and change emission factors (Kenniscentrum staff).
pub fn can_manage_emission_factors(actor: &Actor, kenniscentrum_id: &str) -> bool {
    is_staff(actor, kenniscentrum_id)
}

/// `Ok(())` when [`can_manage_emission_factors`]; otherwise forbidden (or unauthenticated).
pub fn require_manage_emission_factors(actor: &Actor, kenniscentrum_id: &str) -> CoreResult<()> {
    if can_manage_emission_factors(actor, kenniscentrum_id) {
        Ok(())
    } else {
        policy::require_authenticated(actor)?;
        Err(CoreError::Forbidden)
    }
}

/// Whether `actor` may keep the targets of the city whose organisation is `city_org` (`None`
/// when the place has no organisation on the platform: staff only).
pub fn can_manage_climate_targets(
    actor: &Actor,
    city_org: Option<&str>,
    kenniscentrum_id: &str,
) -> bool {
    is_staff(actor, kenniscentrum_id) || city_org.is_some_and(|org| is_data_team(actor, org))
}

/// `Ok(())` when [`can_manage_climate_targets`]; otherwise forbidden (or unauthenticated).
pub fn require_manage_climate_targets(
    actor: &Actor,
    city_org: Option<&str>,
    kenniscentrum_id: &str,
) -> CoreResult<()> {
    if can_manage_climate_targets(actor, city_org, kenniscentrum_id) {
        Ok(())
    } else {
        policy::require_authenticated(actor)?;
        Err(CoreError::Forbidden)
    }
}
