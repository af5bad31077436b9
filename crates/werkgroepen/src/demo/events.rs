//! The demo's events (design §3.10): the impact-measurement series of the jaarplan (l. 303–308:
//! one basic course, three advanced courses, five coaching sessions), the basic course full
//! with 20 of the demo members ([`super::members`]) and 3 on the waiting list. Dates are counted from
//! today, so the courses stay upcoming whenever the demo is seeded. Skipped as a whole when
//! the series exists, so seeding twice adds nothing.

use std::collections::BTreeMap;

use chrono::Duration;
use steden_core::audit::AuditActor;
use steden_db::Db;

use crate::store::events::{self, EventFields};
use crate::store::meetings;
use crate::store::registrations::{self, Registrant};

use super::members::{self, PEOPLE};

const SERIES_SLUG: &str = "impactmeting";

/// Seats of the basic course: the first 20 people get one, the other 3 wait.
const BASIC_CAPACITY: usize = 20;

fn event(
    slug: &str,
    title: &str,
    kind: &str,
    series_id: &str,
    days_ahead: i64,
    capacity: &str,
) -> EventFields {
    let date = meetings::today() + Duration::days(days_ahead);
    EventFields {
        slug: slug.into(),
        title: title.into(),
        kind: kind.into(),
        series_id: series_id.into(),
        description_md: "Meet de impact van je dienstverlening: een reeks van het Kenniscentrum \
            (jaarplan 2025, OBMi)."
            .into(),
        local_date: date.format("%Y-%m-%d").to_string(),
        local_start: "09:30".into(),
        local_end: "16:00".into(),
        place: "Huis van de Vlaamse Steden, Brussel".into(),
        registration: "publiek".into(),
        capacity: capacity.into(),
        waitlist: "1".into(),
        certificates: "1".into(),
        ..EventFields::default()
    }
}

pub async fn seed(db: &Db, facilitator: &str) -> anyhow::Result<()> {
    let actor = AuditActor::user(facilitator);
    let exists = events::list_series(db.pool())
        .await?
        .iter()
        .any(|s| s.slug == SERIES_SLUG);
    if exists {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    let series = events::create_series(
        &mut tx,
        SERIES_SLUG,
        "Impactmeting",
        "Eén basisopleiding, drie gevorderde opleidingen en vijf coachingsessies (jaarplan 2025).",
        &actor,
    )
    .await?;
    let mut planned = vec![event(
        "impactmeting-basisopleiding",
        "Impactmeting: basisopleiding",
        "opleiding",
        &series,
        21,
        &BASIC_CAPACITY.to_string(),
    )];
    for n in 1..=3 {
        planned.push(event(
            &format!("impactmeting-gevorderd-{n}"),
            &format!("Impactmeting: gevorderde opleiding {n}"),
            "opleiding",
            &series,
            21 + 28 * n,
            "20",
        ));
    }
    for n in 1..=5 {
        planned.push(event(
            &format!("impactmeting-coaching-{n}"),
            &format!("Impactmeting: coachingsessie {n}"),
            "coaching",
            &series,
            35 + 14 * n,
            "4",
        ));
    }
    let mut basic = None;
    for fields in &planned {
        let id = events::create(&mut tx, fields, facilitator, &actor).await?;
        basic.get_or_insert(id);
    }
    // The registrations, each as the public form makes it (with its confirmation or
    // waiting-list mail queued), in the same transaction as the events.
    if let Some(basic) = basic {
        for (first, city) in PEOPLE.iter().take(BASIC_CAPACITY + 3) {
            let fields = BTreeMap::from([
                ("name".to_string(), members::name(first, city)),
                ("email".to_string(), members::email(first, city)),
                (
                    "organisation_text".to_string(),
                    if *city == "VGC" {
                        "Vlaamse Gemeenschapscommissie".to_string()
                    } else {
                        format!("Stad {city}")
                    },
                ),
            ]);
            registrations::register(
                &mut tx,
                &basic,
                &Registrant::Anonymous,
                &fields,
                super::BASE_URL,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
