//! Demo content for `steden serve --demo` (design §3.10, issue 13 point 10): the groups of the
//! jaarplan's ACTIES 2025 with their cadence ([`groups_list`]), the Kennisbank demo's GDPR group
//! made public, demo members of the cities in them ([`members`]), the DEMaD group's meetings of
//! 2025 counted by the demo jaarplan's indicator ([`demad`]), recent and coming meetings of GDPR
//! and OBMi with minutes, action points and proposals ([`meetings`]), every other group's series
//! with held meetings, approved minutes, attendance, action points and proposals
//! ([`history`], texts in [`stories`]), the impact-measurement series with registrations and a
//! waiting list ([`events`]) and the jaarplan's other events with questions, attendance and
//! evaluations ([`studies`]); Demo Medewerker as facilitator of each and Demo Redacteur Gent as
//! a member of OBMi and GDPR, so that the demo shows groups on /werkgroepen and a member's view.
//!
//! Order: the groups, then their past ([`demad`], [`meetings::seed_past`],
//! [`history::seed_past`]) before anyone is a
//! member or facilitator, so that approving those minutes mails nobody; then facilitators and
//! members, then the present. Idempotent: every step looks before it writes (a group, a
//! membership, a group's minutes, an event series that exists is left as it is).

use steden_core::audit::AuditActor;
use steden_core::org;
use steden_db::Db;
use steden_web::DemoUser;

use crate::access;
use crate::model::{MemberRole, Visibility};
use crate::store::profile::{self, ProfileFields};
use crate::store::{adoption, facilitators, groups, joining, memberships};

mod demad;
mod events;
mod filing;
mod groups_list;
mod history;
mod meetings;
mod members;
mod stories;
mod studies;

/// The address links in the demo's mails point to: the server's default (`steden serve`
/// without `--base-url`), because a seed runs before and without the server's state.
const BASE_URL: &str = "http://127.0.0.1:8080";

use groups_list::GROUPS;

fn user_id<'a>(users: &'a [DemoUser], email_prefix: &str) -> Option<&'a str> {
    users
        .iter()
        .find(|u| u.email.starts_with(email_prefix))
        .map(|u| u.id.as_str())
}

fn fields(kind: &str, cadence: &str, purpose: &str) -> ProfileFields {
    ProfileFields {
        kind: kind.into(),
        cadence: cadence.into(),
        purpose: purpose.into(),
        visibility: Visibility::Publiek.as_str().into(),
        ..ProfileFields::new_group()
    }
}

pub async fn seed(db: &Db, users: &[DemoUser]) -> anyhow::Result<()> {
    let (Some(facilitator), Some(member)) = (
        user_id(users, "medewerker@"),
        user_id(users, "redacteur.gent@"),
    ) else {
        return Ok(());
    };
    let actor = AuditActor::user(facilitator);
    let kenniscentrum = access::kenniscentrum_id(db).await?;
    let gent = org::find_by_slug(db.pool(), "gent").await?.map(|o| o.id);
    // The Kennisbank demo made the core's GDPR group: give it its profile now, then show it.
    adoption::adopt_core_groups(db).await?;

    let mut tx = db.begin().await?;
    let mut slugs = Vec::new();
    for group in GROUPS {
        let found = groups::find_by_slug(&mut tx, group.slug).await?;
        let id = match found {
            Some(profile) => profile.group_id,
            None => {
                profile::create(
                    &mut tx,
                    group.slug,
                    group.name,
                    &fields(group.kind, group.cadence, group.purpose),
                    &actor,
                )
                .await?
            }
        };
        slugs.push((group.slug, id));
    }
    if let Some(gdpr) = groups::find_by_slug(&mut tx, "gdpr").await? {
        if gdpr.visibility == Visibility::Verborgen && gdpr.purpose.is_empty() {
            let fields = fields(
                "werkgroep",
                "zeswekelijks",
                "De steden passen samen de AVG toe: elke vergadering een thema, met de GDPR-bibliotheek van de Kennisbank.",
            );
            profile::update(&mut tx, &gdpr, &gdpr.name, &fields, &actor).await?;
        }
        slugs.push(("gdpr", gdpr.group_id));
    }
    tx.commit().await?;
    // The groups' past (DEMaD's meetings of 2025, the others' held meetings with approved
    // minutes) before anyone is a member or facilitator: nobody is mailed about the past.
    demad::seed(db, &kenniscentrum, facilitator).await?;
    meetings::seed_past(db, &kenniscentrum, facilitator, BASE_URL).await?;
    history::seed_past(db, &kenniscentrum, facilitator, BASE_URL).await?;
    filing::seed(db, &kenniscentrum, facilitator).await?;

    let mut tx = db.begin().await?;
    for (slug, group_id) in &slugs {
        facilitators::add(&mut tx, group_id, facilitator, &kenniscentrum, &actor).await?;
        let joins = matches!(*slug, "obmi" | "gdpr");
        if joins
            && memberships::find_open(&mut *tx, group_id, member)
                .await?
                .is_none()
        {
            joining::add(
                &mut tx,
                group_id,
                member,
                gent.as_deref(),
                MemberRole::Lid,
                &actor,
            )
            .await?;
        }
    }
    tx.commit().await?;
    // After the groups: their members from the cities, GDPR's and OBMi's meetings, the
    // other groups' present (attendance, action points, proposals), the events.
    let group_ids: Vec<String> = slugs.into_iter().map(|(_, id)| id).collect();
    members::seed(db, &group_ids, facilitator).await?;
    meetings::seed_present(db, &kenniscentrum, facilitator, member).await?;
    history::seed_present(db, &kenniscentrum, facilitator).await?;
    events::seed(db, facilitator).await?;
    studies::seed(db, facilitator).await?;
    Ok(())
}
