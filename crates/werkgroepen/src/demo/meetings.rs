//! The demo's meetings (design §3.10) for the groups Demo Redacteur Gent is a member of (GDPR
//! and OBMi), counted from today so they stay recent, in two steps like [`super::history`]:
//! [`seed_past`], before anyone is a member or facilitator (so approving the minutes mails
//! nobody), makes three held meetings with approved minutes and a decision each, and the next
//! two planned; [`seed_present`], after the members joined, adds an action point per held
//! meeting (the last one for Demo Redacteur Gent, so the demo login has an open action point)
//! and on the next meeting two proposals by members, one accepted and one declined with its
//! reason. A group that already has meetings (step 1) or action points (step 2) is left alone.

use chrono::Duration;
use steden_core::audit::AuditActor;
use steden_core::policy::Actor;
use steden_db::{now_ms, Db};

use crate::access::{GroupFacts, Standing};
use crate::store::action_points::{self, ActionPointFields};
use crate::store::agenda::{self, Decision, ItemFields};
use crate::store::meetings::{self, MeetingFields, MeetingStatus};
use crate::store::{agenda_state, groups, meeting_record, minutes};

/// The groups with meetings, and what their three held meetings were about.
const GROUPS: &[(&str, [&str; 3])] = &[
    (
        "gdpr",
        [
            "Verwerkingsregister: hoe houden de steden het actueel?",
            "Camerabeelden en de AVG",
            "Datalekken melden: de eerste 72 uur",
        ],
    ),
    (
        "obmi",
        [
            "Open data: welke datasets publiceren de steden?",
            "Informatiebeheer bij fusies van gemeenten",
            "Archivering van e-mail",
        ],
    ),
];

/// Days before today of the three held meetings; days after today of the next two.
const HELD: [i64; 3] = [98, 56, 14];
const PLANNED: [i64; 2] = [21, 63];

fn fields(title: &str, days_from_today: i64) -> MeetingFields {
    let date = meetings::today() + Duration::days(days_from_today);
    MeetingFields {
        title: title.into(),
        local_date: date.format("%Y-%m-%d").to_string(),
        local_start: "14:00".into(),
        local_end: "16:00".into(),
        place: "Huis van de Vlaamse Steden, Brussel".into(),
        online_url: String::new(),
    }
}

fn chair(kenniscentrum: &str) -> Standing {
    // The facilitator runs the meetings, as on the pages (staff are facilitators there too).
    Standing::of(
        &Actor::System,
        kenniscentrum,
        GroupFacts {
            facilitator: true,
            ..GroupFacts::default()
        },
    )
}

/// Step 1: the meetings, the held ones with approved minutes and a decision.
pub async fn seed_past(
    db: &Db,
    kenniscentrum: &str,
    facilitator: &str,
    base_url: &str,
) -> anyhow::Result<()> {
    let actor = AuditActor::user(facilitator);
    let chair = chair(kenniscentrum);
    for (slug, topics) in GROUPS {
        let mut tx = db.begin().await?;
        let Some(group) = groups::find_by_slug(&mut tx, slug).await? else {
            continue;
        };
        let group_id = group.group_id.as_str();
        if !meetings::list(&mut *tx, group_id).await?.is_empty() {
            continue;
        }
        for (days, topic) in HELD.iter().zip(topics) {
            let title = format!("{}: {topic}", group.name);
            let id = meeting_record::record_held(
                &mut tx,
                &chair,
                group_id,
                &fields(&title, -days),
                &actor,
            )
            .await?;
            let text = format!(
                "## {topic}\n\nDe steden brachten hun aanpak mee en bespraken de knelpunten. \
                 Het Kenniscentrum bundelt de voorbeelden in een nota voor de volgende vergadering."
            );
            minutes::save(&mut tx, &chair, group_id, &id, &text, &actor).await?;
            minutes::add_decision(
                &mut tx,
                &chair,
                group_id,
                &id,
                &format!("De werkgroep neemt de voorbeelden over {topic} op in een gedeelde nota."),
                &actor,
            )
            .await?;
            minutes::propose(&mut tx, &chair, group_id, &id, "", base_url, &actor).await?;
            minutes::approve(
                &mut tx,
                &chair,
                facilitator,
                group_id,
                &id,
                base_url,
                &actor,
            )
            .await?;
        }
        for days in PLANNED {
            let title = format!("{}: vergadering", group.name);
            meetings::create(&mut tx, &chair, group_id, &fields(&title, days), &actor).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Step 2: the action points of the held meetings and the proposals for the next one.
/// `member` is Demo Redacteur Gent, who owns the last action point and proposes the items.
pub async fn seed_present(
    db: &Db,
    kenniscentrum: &str,
    facilitator: &str,
    member: &str,
) -> anyhow::Result<()> {
    let actor = AuditActor::user(facilitator);
    let chair = chair(kenniscentrum);
    for (slug, topics) in GROUPS {
        let mut tx = db.begin().await?;
        let Some(group) = groups::find_by_slug(&mut tx, slug).await? else {
            continue;
        };
        let group_id = group.group_id.as_str();
        if !action_points::of_group(&mut *tx, group_id)
            .await?
            .is_empty()
        {
            continue;
        }
        let mut all = meetings::list(&mut *tx, group_id).await?;
        all.sort_by(|a, b| a.local_date.cmp(&b.local_date));
        let held: Vec<_> = all
            .iter()
            .filter(|m| m.status == MeetingStatus::Gehouden)
            .collect();
        let skip = held.len().saturating_sub(HELD.len());
        for (n, (meeting, topic)) in held.iter().skip(skip).zip(topics).enumerate() {
            let owner = if n == HELD.len() - 1 {
                member
            } else {
                facilitator
            };
            let due = meetings::today() + Duration::days(14 + 7 * n as i64);
            action_points::create(
                &mut tx,
                &chair,
                group_id,
                &meeting.id,
                &ActionPointFields {
                    description: format!("Voorbeelden over {topic} verzamelen en delen"),
                    owner: format!("user:{owner}"),
                    due_date: due.format("%Y-%m-%d").to_string(),
                },
                &actor,
            )
            .await?;
        }
        let next = all
            .iter()
            .find(|m| m.status == MeetingStatus::Gepland)
            .map(|m| m.id.clone());
        if let Some(next) = next {
            if !agenda_state::items(&mut *tx, &next).await?.is_empty() {
                tx.commit().await?;
                continue;
            }
            let now = now_ms();
            let proposals = [
                (
                    "Stand van zaken in de steden",
                    "Elke stad brengt kort een update.",
                ),
                (
                    "Nieuwe software voor het verwerkingsregister kopen",
                    "Een gezamenlijke aankoop door de steden.",
                ),
            ];
            let mut ids = Vec::new();
            for (title, explanation) in proposals {
                let item = ItemFields {
                    title: title.into(),
                    explanation: explanation.into(),
                    duration: "20".into(),
                };
                ids.push(
                    agenda::propose(
                        &mut tx,
                        &chair,
                        member,
                        group_id,
                        &next,
                        &item,
                        &[],
                        now,
                        &AuditActor::user(member),
                    )
                    .await?,
                );
            }
            agenda::decide(
                &mut tx,
                &chair,
                group_id,
                &next,
                &ids[0],
                &Decision::Accept,
                &actor,
            )
            .await?;
            let decline = Decision::Decline {
                reason: "Aankopen vallen buiten de opdracht van de werkgroep; we bespreken het \
                         in de stuurgroep."
                    .into(),
            };
            agenda::decide(&mut tx, &chair, group_id, &next, &ids[1], &decline, &actor).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}
