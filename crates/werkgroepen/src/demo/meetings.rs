//! The demo's meetings (design §3.10) for the groups Demo Redacteur Gent is a member of (GDPR
//! and OBMi), counted from today so they stay recent: three held meetings with approved
//! minutes, a decision and an action point each (the last one for Demo Redacteur Gent, so the
//! demo login has an open action point), and the next two planned, the first with two
//! proposals by members, one accepted and one declined with its reason. Everything goes
//! through the store as the pages do, so the mails they send are queued as in real use. A
//! group that already has meetings is left alone.

use chrono::Duration;
use steden_core::audit::AuditActor;
use steden_core::policy::Actor;
use steden_db::{now_ms, Db};

use crate::access::{GroupFacts, Standing};
use crate::store::action_points::{self, ActionPointFields};
use crate::store::agenda::{self, Decision, ItemFields};
use crate::store::meetings::{self, MeetingFields};
use crate::store::{groups, meeting_record, minutes};

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

/// `member` is Demo Redacteur Gent, who also proposes the agenda items.
pub async fn seed(
    db: &Db,
    kenniscentrum: &str,
    facilitator: &str,
    member: &str,
    base_url: &str,
) -> anyhow::Result<()> {
    let actor = AuditActor::user(facilitator);
    // The facilitator runs the meetings, as on the pages (staff are facilitators there too).
    let chair = Standing::of(
        &Actor::System,
        kenniscentrum,
        GroupFacts {
            facilitator: true,
            ..GroupFacts::default()
        },
    );
    for (slug, topics) in GROUPS {
        let mut tx = db.begin().await?;
        let Some(group) = groups::find_by_slug(&mut tx, slug).await? else {
            continue;
        };
        let group_id = group.group_id.as_str();
        if !meetings::list(&mut *tx, group_id).await?.is_empty() {
            continue;
        }
        for (n, (days, topic)) in HELD.iter().zip(topics).enumerate() {
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
                &id,
                &ActionPointFields {
                    description: format!("Voorbeelden over {topic} verzamelen en delen"),
                    owner: format!("user:{owner}"),
                    due_date: due.format("%Y-%m-%d").to_string(),
                },
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
        let mut next = None;
        for days in PLANNED {
            let title = format!("{}: vergadering", group.name);
            let id =
                meetings::create(&mut tx, &chair, group_id, &fields(&title, days), &actor).await?;
            next.get_or_insert(id);
        }
        if let Some(next) = next {
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
