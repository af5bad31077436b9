//! The demo's groups filed under their werkspoor of the demo jaarplan (design §3.10), as the
//! group's settings page does (`plan_link::set`): DEMaD is filed by [`super::demad`]; these are
//! the other groups whose werkspoor the jaarplan's overview names. Matched on a part of the
//! werkspoor's title; a group already filed, or a werkspoor not found (no plan published), is
//! left alone, so seeding twice changes nothing.

use steden_core::audit::AuditActor;
use steden_db::Db;
use steden_plan::site;

use crate::store::{groups, plan_link};

/// Group slug and a part of its werkspoor's title (lower case).
const FILING: &[(&str, &str)] = &[
    ("stuurgroep-obmi", "stuurgroep obmi"),
    ("orba", "bestuursakkoord"),
    ("datamaturiteit", "datamaturiteit"),
    ("ptr", "toegangsregister"),
    ("reflectiegroep-europa", "reflectiegroep europa"),
    ("stuurgroep-speerpunten", "speerpuntenprogramma"),
    (
        "automatische-rechtentoekenning",
        "automatische rechtentoekenning",
    ),
    ("rechtenverkenner", "rechtenverkenner"),
    ("duurzame-energie", "duurzame lokale energieproductie"),
    ("e-mobiliteit", "e-mobiliteit"),
    ("stuurgroep-smart-flanders", "smart flanders"),
];

pub async fn seed(db: &Db, kenniscentrum: &str, facilitator: &str) -> anyhow::Result<()> {
    let actor = AuditActor::user(facilitator);
    let mut tx = db.begin().await?;
    let werksporen: Vec<_> = site::published_structure(&mut tx, kenniscentrum)
        .await?
        .into_iter()
        .flat_map(|plan| plan.items)
        .filter(|item| item.depth == 1)
        .collect();
    for (slug, part) in FILING {
        let Some(profile) = groups::find_by_slug(&mut tx, slug).await? else {
            continue;
        };
        if profile.plan_werkspoor_id.is_some() {
            continue;
        }
        let found = werksporen
            .iter()
            .find(|item| item.title.to_lowercase().contains(part));
        if let Some(item) = found {
            plan_link::set(&mut tx, &profile, &item.id, kenniscentrum, &actor).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
