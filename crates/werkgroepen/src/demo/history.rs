//! The meetings of the jaarplan's groups besides GDPR and OBMi (design §3.10, issue 13 point
//! 10), from [`super::stories`], in two steps around the members' joining:
//!
//! - [`seed_past`], before anyone is a member or facilitator of the group: the group's series
//!   from its cadence (one meeting at a time for `op_afroep`), the past meetings marked held,
//!   their minutes written, proposed and approved with their decisions. Approving minutes
//!   mails the group's members and facilitators; there are none yet, so the demo queues no
//!   mail for its past. DEMaD's three meetings of 2025 ([`super::demad`]) get their minutes
//!   here too, and its series from today.
//! - [`seed_present`], after the members joined: attendance of the held meetings (members of
//!   several cities), the action points (some done), the members' proposals for the next
//!   meeting (accepted, or declined with a reason), and for the Reflectiegroep Europa its
//!   three-part template as the group's default and on its next agenda.
//!
//! Everything goes through the store as the pages do. Each step looks before it writes (a
//! group with minutes, a meeting with attendance, a group with action points, an agenda with
//! items), so seeding twice adds nothing.

use chrono::{Datelike, Duration, NaiveDate};
use steden_core::audit::AuditActor;
use steden_db::{now_ms, Db, Tx};

use crate::access::{GroupFacts, Standing};
use crate::cadence::{Rule, WeekOfMonth};
use crate::model::{Cadence, MemberStatus};
use crate::store::action_points::{self, ActionPointFields};
use crate::store::agenda::{self, Decision, ItemFields};
use crate::store::groups::{self, Profile};
use crate::store::meetings::{self, Meeting, MeetingFields, MeetingStatus};
use crate::store::memberships::Membership;
use crate::store::series::{self, SeriesDetails, SeriesRequest};
use crate::store::{agenda_state, agenda_templates, meeting_record, memberships, minutes};

use super::stories::{Owner, Story, STORIES};

/// The Reflectiegroep Europa's template (migration 0002).
const EUROPA_TEMPLATE: &str = "reflectiegroep-europa";

fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn chair(kenniscentrum: &str, represents: Option<String>) -> Standing {
    Standing::of(
        &steden_core::policy::Actor::System,
        kenniscentrum,
        GroupFacts {
            facilitator: true,
            represents,
            ..GroupFacts::default()
        },
    )
}

/// The group's meetings, oldest first.
async fn meetings_of(tx: &mut Tx<'_>, group_id: &str) -> anyhow::Result<Vec<Meeting>> {
    let mut all = meetings::list(&mut **tx, group_id).await?;
    all.sort_by(|a, b| a.local_date.cmp(&b.local_date));
    Ok(all)
}

async fn has_minutes(tx: &mut Tx<'_>, group_id: &str, all: &[Meeting]) -> anyhow::Result<bool> {
    for meeting in all {
        if let Some(found) = minutes::find(&mut **tx, group_id, &meeting.id).await? {
            if found.status != "geen" {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Plans the group's series from its cadence: from the `past`-th last date before today up to
/// a few meetings ahead; the past ones are then marked held.
async fn plan_series(
    tx: &mut Tx<'_>,
    standing: &Standing,
    group: &Profile,
    story: &Story,
    weekday: u8,
    past: usize,
    actor: &AuditActor,
) -> anyhow::Result<()> {
    let today = meetings::today();
    let mut anchor = today - Duration::days(700);
    while anchor.weekday().number_from_monday() as u8 != weekday {
        anchor += Duration::days(1);
    }
    let mut rule = Rule::proposed(group.cadence, anchor);
    rule.week_of_month = WeekOfMonth(2);
    rule.start = story.start.into();
    rule.end = story.end.into();
    let from = if past == 0 {
        today
    } else {
        let before: Vec<_> = rule
            .expand(anchor, today - Duration::days(1))
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .into_iter()
            .filter(|o| o.date < today)
            .collect();
        before
            .get(before.len().saturating_sub(past))
            .map_or(today, |o| o.slot_date.min(o.date))
    };
    let ahead = match group.cadence {
        Cadence::Zeswekelijks => 130,
        Cadence::Maandelijks => 95,
        _ => 366,
    };
    let to = (today + Duration::days(ahead)).min(from + Duration::days(730));
    let details = SeriesDetails {
        title: group.name.clone(),
        place: story.place.into(),
        online_url: String::new(),
    };
    let request = SeriesRequest {
        rule: &rule,
        from,
        to,
        details: &details,
    };
    series::create(tx, standing, &group.group_id, request, actor).await?;
    let today_text = date_text(today);
    for meeting in meetings_of(tx, &group.group_id).await? {
        if meeting.status == MeetingStatus::Gepland && meeting.local_date < today_text {
            meetings::mark_held(tx, standing, &group.group_id, &meeting.id, true, actor).await?;
        }
    }
    Ok(())
}

fn fields(group: &Profile, story: &Story, topic: &str, date: NaiveDate) -> MeetingFields {
    MeetingFields {
        title: format!("{}: {topic}", group.name),
        local_date: date_text(date),
        local_start: story.start.into(),
        local_end: story.end.into(),
        place: story.place.into(),
        online_url: String::new(),
    }
}

/// Step 1: meetings, held ones with approved minutes and decisions (see the module).
pub async fn seed_past(
    db: &Db,
    kenniscentrum: &str,
    facilitator: &str,
    base_url: &str,
) -> anyhow::Result<()> {
    let actor = AuditActor::user(facilitator);
    let standing = chair(kenniscentrum, None);
    let today = meetings::today();
    for (index, story) in STORIES.iter().enumerate() {
        let mut tx = db.begin().await?;
        let Some(group) = groups::find_by_slug(&mut tx, story.slug).await? else {
            continue;
        };
        let group_id = group.group_id.clone();
        let existing = meetings_of(&mut tx, &group_id).await?;
        if has_minutes(&mut tx, &group_id, &existing).await? {
            continue;
        }
        let held_before = existing.iter().any(|m| m.status == MeetingStatus::Gehouden);
        let planned_before = existing.iter().any(|m| m.status == MeetingStatus::Gepland);
        let weekday = (index % 4) as u8 + 1;
        let mut planned = planned_before;
        if !held_before {
            if group.cadence == Cadence::OpAfroep {
                for (n, held) in story.held.iter().enumerate() {
                    let days = story.days.get(n).copied().unwrap_or(30 * (n as i64 + 1));
                    let fields = fields(&group, story, held.topic, today - Duration::days(days));
                    meeting_record::record_held(&mut tx, &standing, &group_id, &fields, &actor)
                        .await?;
                }
            } else {
                let past = story.held.len();
                plan_series(&mut tx, &standing, &group, story, weekday, past, &actor).await?;
                planned = true;
            }
        }
        if !planned {
            if group.cadence == Cadence::OpAfroep {
                let days = story.days.last().copied().unwrap_or(30);
                let fields = fields(&group, story, story.next, today + Duration::days(days));
                meetings::create(&mut tx, &standing, &group_id, &fields, &actor).await?;
            } else {
                plan_series(&mut tx, &standing, &group, story, weekday, 0, &actor).await?;
            }
        }
        let held: Vec<Meeting> = meetings_of(&mut tx, &group_id)
            .await?
            .into_iter()
            .filter(|m| m.status == MeetingStatus::Gehouden)
            .collect();
        let skip = held.len().saturating_sub(story.held.len());
        for (meeting, text) in held.iter().skip(skip).zip(story.held) {
            let id = meeting.id.as_str();
            minutes::save(&mut tx, &standing, &group_id, id, text.minutes, &actor).await?;
            for decision in text.decisions {
                minutes::add_decision(&mut tx, &standing, &group_id, id, decision, &actor).await?;
            }
            minutes::propose(&mut tx, &standing, &group_id, id, "", base_url, &actor).await?;
            minutes::approve(
                &mut tx,
                &standing,
                facilitator,
                &group_id,
                id,
                base_url,
                &actor,
            )
            .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Records who attended the held meetings that have none yet: most members present, someone
/// excused now and then, rarely someone absent.
async fn attend(
    tx: &mut Tx<'_>,
    standing: &Standing,
    group_id: &str,
    members: &[Membership],
    held: &[&Meeting],
    actor: &AuditActor,
) -> anyhow::Result<()> {
    for (n, meeting) in held.iter().enumerate() {
        if members.is_empty()
            || !minutes::attendance(&mut **tx, &meeting.id)
                .await?
                .is_empty()
        {
            continue;
        }
        let entries: Vec<(String, String)> = members
            .iter()
            .enumerate()
            .map(|(i, member)| {
                let status = match (i + 2 * n) % 7 {
                    3 => "verontschuldigd",
                    5 if n % 2 == 1 => "afwezig",
                    _ => "aanwezig",
                };
                (member.user_id.clone(), status.to_string())
            })
            .collect();
        minutes::set_attendance(tx, standing, group_id, &meeting.id, &entries, actor).await?;
    }
    Ok(())
}

/// The group's held meetings with approved minutes, oldest first.
async fn held_with_minutes<'m>(
    tx: &mut Tx<'_>,
    group_id: &str,
    all: &'m [Meeting],
) -> anyhow::Result<Vec<&'m Meeting>> {
    let mut held = Vec::new();
    for meeting in all.iter().filter(|m| m.status == MeetingStatus::Gehouden) {
        let approved = minutes::find(&mut **tx, group_id, &meeting.id)
            .await?
            .is_some_and(|m| m.status == "goedgekeurd");
        if approved {
            held.push(meeting);
        }
    }
    Ok(held)
}

/// Step 2: attendance, action points, proposals and the template (see the module). GDPR's
/// and OBMi's meetings ([`super::meetings`]) get their attendance here too.
pub async fn seed_present(db: &Db, kenniscentrum: &str, facilitator: &str) -> anyhow::Result<()> {
    let actor = AuditActor::user(facilitator);
    let standing = chair(kenniscentrum, None);
    for slug in ["gdpr", "obmi"] {
        let mut tx = db.begin().await?;
        let Some(group) = groups::find_by_slug(&mut tx, slug).await? else {
            continue;
        };
        let members =
            memberships::list_with_status(&mut *tx, &group.group_id, MemberStatus::Actief).await?;
        let all = meetings_of(&mut tx, &group.group_id).await?;
        let held = held_with_minutes(&mut tx, &group.group_id, &all).await?;
        attend(&mut tx, &standing, &group.group_id, &members, &held, &actor).await?;
        tx.commit().await?;
    }
    seed_stories(db, kenniscentrum, facilitator).await
}

async fn seed_stories(db: &Db, kenniscentrum: &str, facilitator: &str) -> anyhow::Result<()> {
    let actor = AuditActor::user(facilitator);
    let standing = chair(kenniscentrum, None);
    let today = meetings::today();
    for story in STORIES {
        let mut tx = db.begin().await?;
        let Some(group) = groups::find_by_slug(&mut tx, story.slug).await? else {
            continue;
        };
        let group_id = group.group_id.clone();
        let members =
            memberships::list_with_status(&mut *tx, &group_id, MemberStatus::Actief).await?;
        let all = meetings_of(&mut tx, &group_id).await?;
        let held = held_with_minutes(&mut tx, &group_id, &all).await?;

        attend(&mut tx, &standing, &group_id, &members, &held, &actor).await?;

        // Action points, owned by the facilitator, a member or a member's city.
        if action_points::of_group(&mut *tx, &group_id)
            .await?
            .is_empty()
        {
            let skip = held.len().saturating_sub(story.held.len());
            for (meeting, text) in held.iter().skip(skip).zip(story.held) {
                let date = meeting.local_date.parse::<NaiveDate>().unwrap_or(today);
                for action in text.actions {
                    let member = |i: usize| members.get(i % members.len().max(1));
                    let owner = match action.owner {
                        Owner::Member(i) => member(i).map(|m| format!("user:{}", m.user_id)),
                        Owner::City(i) => member(i)
                            .and_then(|m| m.organisation_id.clone())
                            .map(|org| format!("org:{org}")),
                        Owner::Facilitator => None,
                    }
                    .unwrap_or_else(|| format!("user:{facilitator}"));
                    let fields = ActionPointFields {
                        description: action.description.into(),
                        owner,
                        due_date: date_text(date + Duration::days(35)),
                    };
                    let id = action_points::create(
                        &mut tx,
                        &standing,
                        &group_id,
                        &meeting.id,
                        &fields,
                        &actor,
                    )
                    .await?;
                    if action.done {
                        action_points::set_status(
                            &mut tx,
                            &standing,
                            facilitator,
                            &group_id,
                            &id,
                            "gedaan",
                            &actor,
                        )
                        .await?;
                    }
                }
            }
        }

        // The next meeting members can still propose items for.
        // Set once: a second seeding writes no second audit entry.
        if story.slug == "reflectiegroep-europa"
            && agenda::group_template(&mut *tx, &group_id)
                .await?
                .as_deref()
                != Some(EUROPA_TEMPLATE)
        {
            agenda_templates::set_group_default(
                &mut tx,
                &standing,
                &group_id,
                EUROPA_TEMPLATE,
                &actor,
            )
            .await?;
        }
        let open_from = date_text(today + Duration::days(group.proposal_days + 1));
        let next = all
            .iter()
            .find(|m| m.status == MeetingStatus::Gepland && m.local_date >= open_from);
        if let Some(next) = next {
            if agenda_state::items(&mut *tx, &next.id).await?.is_empty() {
                if let Some(template) = agenda::group_template(&mut *tx, &group_id).await? {
                    agenda::apply_template(
                        &mut tx, &standing, &group_id, &next.id, &template, &actor,
                    )
                    .await?;
                }
                for (i, proposal) in story.proposals.iter().enumerate() {
                    let Some(proposer) = members.get((i + 1) % members.len().max(1)) else {
                        continue;
                    };
                    let as_member = chair(kenniscentrum, proposer.organisation_id.clone());
                    let item = ItemFields {
                        title: proposal.title.into(),
                        explanation: proposal.explanation.into(),
                        duration: "20".into(),
                    };
                    let id = agenda::propose(
                        &mut tx,
                        &as_member,
                        &proposer.user_id,
                        &group_id,
                        &next.id,
                        &item,
                        &[],
                        now_ms(),
                        &AuditActor::user(&proposer.user_id),
                    )
                    .await?;
                    let decision = match proposal.decline {
                        None => Decision::Accept,
                        Some(reason) => Decision::Decline {
                            reason: reason.into(),
                        },
                    };
                    agenda::decide(
                        &mut tx, &standing, &group_id, &next.id, &id, &decision, &actor,
                    )
                    .await?;
                }
            }
        }
        tx.commit().await?;
    }
    Ok(())
}
