//! Rapporteringsrondes (reporting rounds): an editor asks every owner of a plan's items to
//! report by a deadline.
//!
//! Opening a round writes it and, in the same transaction, schedules two jobs: one that mails
//! each owner once with the items they are asked to report on, and one that runs a few days
//! before the deadline and reminds only the owners who have not reported every item yet (once:
//! `reminded_at` marks it done). An item counts as *reported* in a round when it has any
//! progress update (status, progress or indicator value) created at or after the round opened;
//! the items asked for are those with an owner account that are not afgerond or stopgezet.
//!
//! The jobs carry the platform's base URL in their payload, since a worker has no request to
//! take it from; mail texts come from the module's Dutch Fluent messages.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::json;
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::mail::{self, OutgoingMail};
use steden_core::{CoreError, FieldError};
use steden_db::jobs::{self, JobContext, JobError, NewJob, Registry};
use steden_db::{new_id, now_ms, Db, Tx};
use steden_web::i18n::{Catalog, Lang};

pub use crate::model::rounds::{OwnerProgress, Round, RoundFields, RoundItem};

use crate::model::Item;
use crate::store;

/// The job that mails every owner when a round opens.
pub const OPENED_JOB: &str = "plan.round_opened";
/// The job that reminds owners who have not reported yet.
pub const REMINDER_JOB: &str = "plan.round_reminder";

/// The default number of days before the deadline on which the reminder goes out.
pub const DEFAULT_REMINDER_DAYS: i64 = 3;

struct ValidRound {
    name: String,
    deadline: String,
    reminder_days: i64,
}

fn validate(fields: &RoundFields) -> Result<ValidRound, CoreError> {
    let mut errors = Vec::new();
    let name = fields.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        errors.push(FieldError::new(
            "name",
            "Geef de ronde een naam, bv. Q2 2025.",
        ));
    } else if name.chars().count() > 100 {
        errors.push(FieldError::new(
            "name",
            "De naam mag hoogstens 100 tekens lang zijn.",
        ));
    }
    let deadline = match store::parse_date_field(&fields.deadline) {
        Ok(Some(date)) => date,
        Ok(None) => {
            errors.push(FieldError::new("deadline", "Geef een uiterste datum."));
            String::new()
        }
        Err(message) => {
            errors.push(FieldError::new("deadline", message));
            String::new()
        }
    };
    let reminder_days = match fields.reminder_days.trim() {
        "" => DEFAULT_REMINDER_DAYS,
        text => match text.parse::<i64>() {
            Ok(days) if (0..=60).contains(&days) => days,
            _ => {
                errors.push(FieldError::new(
                    "reminder_days",
                    "Het aantal dagen is een geheel getal van 0 tot 60.",
                ));
                0
            }
        },
    };
    if errors.is_empty() {
        Ok(ValidRound {
            name,
            deadline,
            reminder_days,
        })
    } else {
        Err(CoreError::Invalid(errors))
    }
}

/// The moment (ms UTC) the reminder is due: `days` before the deadline, at 08:00 UTC; never
/// before `now`.
pub fn reminder_at(deadline: &str, days: i64, now: i64) -> i64 {
    let at = chrono::NaiveDate::parse_from_str(deadline, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_sub_days(chrono::Days::new(days.max(0) as u64)))
        .and_then(|d| d.and_hms_opt(8, 0, 0))
        .map(|dt| dt.and_utc().timestamp_millis())
        .unwrap_or(now);
    at.max(now)
}

/// Opens a round for a plan and schedules its mails, in the caller's transaction.
/// `base_url` is the platform's address, for the links in the mails.
pub async fn open(
    tx: &mut Tx<'_>,
    plan_id: &str,
    fields: &RoundFields,
    base_url: &str,
    actor: &AuditActor,
) -> CoreResult<Round> {
    let valid = validate(fields)?;
    let organisation_id = store::plans::organisation_of(&mut **tx, plan_id).await?;
    let now = now_ms();
    let round = Round {
        id: new_id(),
        plan_id: plan_id.to_string(),
        name: valid.name,
        opened_at: now,
        deadline: valid.deadline,
        reminder_days: valid.reminder_days,
        reminded_at: None,
        status: "open".to_string(),
        created_at: now,
    };
    store::rounds::insert(tx, &round, actor.user_id.as_deref()).await?;
    let payload = json!({ "round_id": round.id, "base_url": base_url });
    jobs::enqueue_tx(
        tx,
        NewJob::new(OPENED_JOB, payload.clone()).organisation(&organisation_id),
    )
    .await?;
    jobs::enqueue_tx(
        tx,
        NewJob::new(REMINDER_JOB, payload)
            .organisation(&organisation_id)
            .run_at(reminder_at(&round.deadline, round.reminder_days, now)),
    )
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(&organisation_id),
            entity_type: "plan_round",
            entity_id: &round.id,
            action: "create",
            summary: &format!("Rapporteringsronde {} geopend", round.name),
            changes: Changes::new()
                .created("name", &round.name)
                .created("deadline", &round.deadline)
                .created("reminder_days", round.reminder_days),
        },
    )
    .await?;
    Ok(round)
}

/// Closes an open round (owners are no longer asked to report in it).
pub async fn close(tx: &mut Tx<'_>, round_id: &str, actor: &AuditActor) -> CoreResult<()> {
    let round = store::rounds::get(&mut **tx, round_id).await?;
    if !round.is_open() {
        return Ok(());
    }
    store::rounds::set_closed(tx, round_id).await?;
    let organisation_id = Some(store::plans::organisation_of(&mut **tx, &round.plan_id).await?);
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: organisation_id.as_deref(),
            entity_type: "plan_round",
            entity_id: round_id,
            action: "close",
            summary: &format!("Rapporteringsronde {} gesloten", round.name),
            changes: Changes::new().field("status", "open", "gesloten"),
        },
    )
    .await?;
    Ok(())
}

/// Whether an item is asked for in rounds: it has an owner account and is not closed.
fn is_asked(item: &Item) -> bool {
    item.owner_user_id.is_some() && !item.status.is_closed()
}

/// Per owner (by name), the items asked for in `round` and which were reported.
pub async fn progress(db: &Db, round: &Round) -> CoreResult<Vec<OwnerProgress>> {
    let items = store::items::list_for_plan(db.pool(), &round.plan_id).await?;
    let reported: HashSet<String> =
        store::updates::items_reported_since(db.pool(), &round.plan_id, round.opened_at)
            .await?
            .into_iter()
            .collect();
    let mut by_owner: BTreeMap<String, Vec<RoundItem>> = BTreeMap::new();
    for item in items.into_iter().filter(is_asked) {
        let owner = item.owner_user_id.clone().unwrap_or_default();
        by_owner.entry(owner).or_default().push(RoundItem {
            reported: reported.contains(&item.id),
            item_id: item.id,
            code: item.code,
            title: item.title,
        });
    }
    let mut owners = Vec::new();
    for (user_id, items) in by_owner {
        let Some(user) = steden_core::user::find(db.pool(), &user_id).await? else {
            continue;
        };
        owners.push(OwnerProgress {
            user_id,
            name: user.name,
            email: user.email,
            items,
        });
    }
    owners.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(owners)
}

/// How many items of a plan's open round(s) have not been reported while the deadline is past.
pub async fn late_count(db: &Db, plan_id: &str) -> CoreResult<i64> {
    let today = store::today();
    let mut late = 0;
    for round in store::rounds::list_for_plan(db.pool(), plan_id).await? {
        if round.is_open() && round.is_past(&today) {
            for owner in progress(db, &round).await? {
                late += owner.open_items().len() as i64;
            }
        }
    }
    Ok(late)
}

// ---------------------------------------------------------------------------------------------
// Jobs

/// Registers the round jobs (opening mail, reminders).
pub fn register_jobs(registry: &mut Registry) {
    registry.register(OPENED_JOB, |ctx: JobContext, payload| async move {
        handle_round_opened(ctx.db(), payload).await
    });
    registry.register(REMINDER_JOB, |ctx: JobContext, payload| async move {
        handle_round_reminder(ctx.db(), payload).await
    });
}

#[derive(Deserialize)]
struct RoundPayload {
    round_id: String,
    #[serde(default)]
    base_url: String,
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        // The module's own files are checked by its tests; an error here would be a bug.
        Catalog::build(&crate::translations()).unwrap_or_else(|_| {
            Catalog::build(&[]).unwrap_or_else(|e| panic!("empty catalog: {e}"))
        })
    })
}

fn t(key: &str, args: &[(&str, &str)]) -> String {
    catalog().text_with(Lang::Nl, key, args)
}

/// The list of items in a mail: one line per item with its link.
fn item_lines(base_url: &str, plan_id: &str, items: &[&RoundItem]) -> String {
    let base = base_url.trim_end_matches('/');
    items
        .iter()
        .map(|i| {
            format!(
                "- {} {}\n  {base}{}",
                i.code,
                i.title,
                crate::paths::item_path(plan_id, &i.item_id)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn load_for_job(db: &Db, payload: serde_json::Value) -> Result<(Round, String), JobError> {
    let RoundPayload { round_id, base_url } = serde_json::from_value(payload)?;
    let round = store::rounds::find(db.pool(), &round_id)
        .await
        .map_err(core_to_job)?
        .ok_or_else(|| JobError::permanent(format!("ronde {round_id} bestaat niet meer")))?;
    Ok((round, base_url))
}

fn core_to_job(err: CoreError) -> JobError {
    JobError::retry(err)
}

async fn plan_title(db: &Db, plan_id: &str) -> Result<String, JobError> {
    let title = store::plans::find_title(db.pool(), plan_id)
        .await
        .map_err(core_to_job)?;
    Ok(title.unwrap_or_default())
}

/// The "plan.round_opened" job: one mail per owner with the items asked for.
pub async fn handle_round_opened(db: &Db, payload: serde_json::Value) -> Result<(), JobError> {
    let (round, base_url) = load_for_job(db, payload).await?;
    if !round.is_open() {
        return Ok(());
    }
    let plan = plan_title(db, &round.plan_id).await?;
    let owners = progress(db, &round).await.map_err(core_to_job)?;
    let deadline = format_deadline(&round.deadline);
    let mut tx = db.begin().await?;
    for owner in owners.iter().filter(|o| !o.items.is_empty()) {
        let items: Vec<&RoundItem> = owner.items.iter().collect();
        let subject = t(
            "plan-fu-mail-open-subject",
            &[("round", &round.name), ("plan", &plan)],
        );
        let text = t(
            "plan-fu-mail-open-text",
            &[
                ("name", &owner.name),
                ("round", &round.name),
                ("plan", &plan),
                ("deadline", &deadline),
                ("items", &item_lines(&base_url, &round.plan_id, &items)),
            ],
        );
        send(&mut tx, &owner.email, subject, text).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The "plan.round_reminder" job: mails the owners with unreported items, once.
pub async fn handle_round_reminder(db: &Db, payload: serde_json::Value) -> Result<(), JobError> {
    let (round, base_url) = load_for_job(db, payload).await?;
    if !round.is_open() || round.reminded_at.is_some() {
        return Ok(());
    }
    let plan = plan_title(db, &round.plan_id).await?;
    let owners = progress(db, &round).await.map_err(core_to_job)?;
    let deadline = format_deadline(&round.deadline);
    let mut tx = db.begin().await?;
    // Claims the reminder: a second run (or a second worker) finds reminded_at set.
    if !store::rounds::claim_reminder(&mut tx, &round.id, now_ms())
        .await
        .map_err(core_to_job)?
    {
        return Ok(());
    }
    for owner in owners.iter().filter(|o| !o.is_done()) {
        let open = owner.open_items();
        let subject = t(
            "plan-fu-mail-remind-subject",
            &[("round", &round.name), ("plan", &plan)],
        );
        let text = t(
            "plan-fu-mail-remind-text",
            &[
                ("name", &owner.name),
                ("round", &round.name),
                ("plan", &plan),
                ("deadline", &deadline),
                ("items", &item_lines(&base_url, &round.plan_id, &open)),
            ],
        );
        send(&mut tx, &owner.email, subject, text).await?;
    }
    tx.commit().await?;
    Ok(())
}

fn format_deadline(deadline: &str) -> String {
    steden_core::time::parse_date(deadline)
        .map(steden_core::time::format_naive_date)
        .unwrap_or_else(|| deadline.to_string())
}

async fn send(tx: &mut Tx<'_>, to: &str, subject: String, text: String) -> Result<(), JobError> {
    mail::enqueue(
        tx,
        &OutgoingMail {
            to: to.to_string(),
            subject,
            text,
            html: None,
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminder_moment() {
        // 2025-06-27 08:00 UTC
        let expected = chrono::NaiveDate::from_ymd_opt(2025, 6, 27)
            .and_then(|d| d.and_hms_opt(8, 0, 0))
            .map(|d| d.and_utc().timestamp_millis())
            .unwrap_or_default();
        assert_eq!(reminder_at("2025-06-30", 3, 0), expected);
        // Already past: now.
        assert_eq!(reminder_at("2025-06-30", 3, expected + 5), expected + 5);
    }

    #[test]
    fn registers_both_jobs() {
        let mut registry = Registry::new();
        register_jobs(&mut registry);
        assert_eq!(registry.kinds(), [OPENED_JOB, REMINDER_JOB]);
    }

    #[test]
    fn refuses_bad_fields() {
        let err = validate(&RoundFields {
            name: " ".into(),
            deadline: "morgen".into(),
            reminder_days: "-1".into(),
        })
        .err();
        match err {
            Some(CoreError::Invalid(fields)) => {
                let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
                assert_eq!(names, ["name", "deadline", "reminder_days"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
