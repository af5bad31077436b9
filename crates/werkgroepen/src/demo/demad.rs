//! The DEMaD group in the demo (design §3.10, issue 13 point 6): filed under the DEMaD
//! werkspoor of the demo jaarplan, with three meetings held in 2025 (the jaarplan's year and
//! its "minstens 3 keer"), and the plan demo's indicator "Bijeenkomsten gehouden" linked to
//! them through the plan's port, so the indicator reads 3 of 3 once the plan has pulled.
//! Each step is skipped when it was done before, so seeding twice adds nothing.

use steden_core::audit::AuditActor;
use steden_core::policy::Actor;
use steden_db::Db;
use steden_plan::demo::DEMAD_INDICATOR;
use steden_plan::{ports, site};

use crate::access::{GroupFacts, Standing};
use crate::plan_source::{group_series_ref, MeetingsHeld};
use crate::store::meetings::{self, MeetingFields};
use crate::store::{groups, meeting_record, plan_link};

use super::groups_list::DEMAD;

/// The three meetings of 2025: date, title.
const MEETINGS: &[(&str, &str)] = &[
    ("2025-03-18", "DEMaD-werkgroep: opstart en afspraken"),
    (
        "2025-06-17",
        "DEMaD-werkgroep: indicatoren van de sociale dienstverlening",
    ),
    (
        "2025-10-14",
        "DEMaD-werkgroep: eerste metingen en de DEMaD-tool",
    ),
];

pub async fn seed(db: &Db, kenniscentrum: &str, facilitator: &str) -> anyhow::Result<()> {
    let actor = AuditActor::user(facilitator);
    let mut tx = db.begin().await?;
    let Some(profile) = groups::find_by_slug(&mut tx, DEMAD).await? else {
        return Ok(());
    };
    // The plan demo published the jaarplan; without it (another seed order) there is nothing
    // to link, and the meetings alone still show the group's history.
    let werkspoor = site::published_structure(&mut tx, kenniscentrum)
        .await?
        .into_iter()
        .flat_map(|plan| plan.items)
        .find(|item| item.depth == 1 && item.title.contains("(DEMaD)"));
    if let Some(item) = &werkspoor {
        if profile.plan_werkspoor_id.is_none() {
            plan_link::set(&mut tx, &profile, &item.id, kenniscentrum, &actor).await?;
        }
    }

    let held_in_2025 = meetings::list(&mut *tx, &profile.group_id)
        .await?
        .iter()
        .any(|m| m.local_date.starts_with("2025-"));
    if !held_in_2025 {
        let standing = Standing::of(
            &Actor::System,
            kenniscentrum,
            GroupFacts {
                facilitator: true,
                ..GroupFacts::default()
            },
        );
        for (date, title) in MEETINGS {
            let fields = MeetingFields {
                title: (*title).into(),
                local_date: (*date).into(),
                local_start: "14:00".into(),
                local_end: "16:00".into(),
                place: "Huis van de Vlaamse Steden, Brussel".into(),
                online_url: String::new(),
            };
            meeting_record::record_held(&mut tx, &standing, &profile.group_id, &fields, &actor)
                .await?;
        }
    }

    if let Some(item) = &werkspoor {
        let indicator = site::item_indicators(&mut tx, &item.id)
            .await?
            .into_iter()
            .find(|i| i.name == DEMAD_INDICATOR && i.linked.is_none());
        if let Some(indicator) = indicator {
            ports::link_source(
                &mut tx,
                &indicator.id,
                &MeetingsHeld,
                &group_series_ref(&profile.group_id),
                &format!("{}: gehouden vergaderingen", profile.name),
                &Actor::System,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
