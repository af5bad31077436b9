//! Demo content for `steden serve --demo` (design §3.10, a first part): three public groups of
//! the jaarplan's ACTIES 2025 with their cadence, the Kennisbank demo's GDPR group made public,
//! Demo Medewerker as facilitator of each and Demo Redacteur Gent as a member of OBMi and GDPR,
//! so that the demo shows groups on /werkgroepen and a member's view. Idempotent: a group or
//! membership that exists is left as it is.

use steden_core::audit::AuditActor;
use steden_core::org;
use steden_db::Db;
use steden_web::DemoUser;

use crate::access;
use crate::model::{MemberRole, Visibility};
use crate::store::profile::{self, ProfileFields};
use crate::store::{adoption, facilitators, groups, joining, memberships};

/// A demo group: slug, name, kind, cadence, purpose.
struct DemoGroup {
    slug: &'static str,
    name: &'static str,
    kind: &'static str,
    cadence: &'static str,
    purpose: &'static str,
}

const GROUPS: &[DemoGroup] = &[
    DemoGroup {
        slug: "stuurgroep-obmi",
        name: "Stuurgroep OBMi",
        kind: "stuurgroep",
        cadence: "tweemaal_per_jaar",
        purpose: "De stuurgroep bepaalt twee keer per jaar de koers van het programma Open en Betrouwbare Medewerking van steden.",
    },
    DemoGroup {
        slug: "obmi",
        name: "Werkgroep OBMi",
        kind: "werkgroep",
        cadence: "zeswekelijks",
        purpose: "De steden brengen hun initiatieven rond informatiebeheer en open data samen en leren van elkaar.",
    },
    DemoGroup {
        slug: "reflectiegroep-europa",
        name: "Interstedelijke Reflectiegroep Europa",
        kind: "reflectiegroep",
        cadence: "driemaal_per_jaar",
        purpose: "Samen met de VVSG volgen de steden het Europese beleid op en bereiden ze standpunten voor.",
    },
];

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
    Ok(())
}
