//! Series (`wg_series`): a group's cadence as a rule, turned into one `wg_meetings` row per
//! date between two dates (design §3.6). Each row keeps the date the rule gave it
//! (`slot_date`), so regenerating the series finds it again: a meeting a facilitator moved,
//! cancelled or marked held is left as it is; an untouched one follows the rule.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use sqlx::Row;
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::{CoreResult, FieldError};
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

use crate::access::Standing;
use crate::cadence::Rule;
use crate::store::meetings::{self, MeetingFields, MeetingStatus, Slot};

/// The audit entity of a series.
pub const ENTITY: &str = "werkgroep_reeks";

/// A series is planned for at most this many days at once (two years): further ahead the
/// group's rhythm is a guess, and the page would list hundreds of rows.
pub const MAX_SPAN_DAYS: u64 = 731;

/// What every meeting of the series gets besides its date and times.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeriesDetails {
    pub title: String,
    pub place: String,
    pub online_url: String,
}

/// What to generate: the rule, the dates (both included) and what each meeting gets.
#[derive(Debug, Clone, Copy)]
pub struct SeriesRequest<'a> {
    pub rule: &'a Rule,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub details: &'a SeriesDetails,
}

/// What a (re)generation did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Generated {
    pub series_id: String,
    /// New meetings.
    pub created: usize,
    /// Untouched meetings that followed a changed rule.
    pub updated: usize,
    /// Meetings left alone: moved, cancelled or held.
    pub kept: usize,
    /// Untouched meetings whose date the rule no longer gives: removed, or cancelled when
    /// an invitation was already sent.
    pub withdrawn: usize,
    /// The meetings whose invitees should hear of this: made, changed, or cancelled after an
    /// invitation (those removed outright never left the platform). The caller queues their
    /// mails in the same transaction (`crate::series_mail`), which the store cannot reach.
    pub touched: Vec<String>,
}

/// The rule of a series of the group, if it is one.
pub async fn rule_of(tx: &mut Tx<'_>, group_id: &str, series_id: &str) -> CoreResult<Option<Rule>> {
    let row = sqlx::query("SELECT rule FROM wg_series WHERE id = $1 AND group_id = $2")
        .bind(series_id)
        .bind(group_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.and_then(|row| Rule::from_json(&row.get::<String, _>("rule"))))
}

/// The checked meetings of the rule from `from` to `to`, keyed by slot date; every problem
/// at once, with the series form's field names.
fn plan(
    rule: &Rule,
    from: NaiveDate,
    to: NaiveDate,
    details: &SeriesDetails,
) -> Result<Vec<(NaiveDate, meetings::CheckedMeeting)>, Vec<FieldError>> {
    let mut errors = Vec::new();
    if to < from {
        errors.push(FieldError::new(
            "to",
            "De einddatum moet na de begindatum liggen.",
        ));
    } else if to > from + Days::new(MAX_SPAN_DAYS) {
        errors.push(FieldError::new(
            "to",
            "Plan een reeks voor hoogstens twee jaar vooruit.",
        ));
    }
    let occurrences = match rule.expand(from, to) {
        Ok(occurrences) => occurrences,
        Err(error) => {
            errors.push(FieldError::new(error.field, error.message));
            Vec::new()
        }
    };
    let mut planned = Vec::new();
    for occurrence in occurrences {
        let fields = MeetingFields {
            title: details.title.clone(),
            local_date: occurrence.date.format("%Y-%m-%d").to_string(),
            local_start: rule.start.clone(),
            local_end: rule.end.clone(),
            place: details.place.clone(),
            online_url: details.online_url.clone(),
        };
        // A series may be planned from a past date (to record a rhythm already kept); the
        // one-by-one form is where "in the past" is refused.
        match meetings::check(&fields, NaiveDate::MIN) {
            Ok(checked) => planned.push((occurrence.slot_date, checked)),
            Err(found) => {
                for error in found {
                    let field = match error.field.as_str() {
                        "local_start" => "start".to_string(),
                        "local_end" => "end".to_string(),
                        other => other.to_string(),
                    };
                    let error = FieldError::new(field, error.message);
                    if !errors.contains(&error) {
                        errors.push(error);
                    }
                }
            }
        }
    }
    if errors.is_empty() && planned.is_empty() {
        errors.push(FieldError::new(
            "from",
            "Deze reeks geeft geen vergaderingen tussen deze datums.",
        ));
    }
    if errors.is_empty() {
        Ok(planned)
    } else {
        Err(errors)
    }
}

/// Plans a new series of the group: the rule is stored and one meeting is made per date.
pub async fn create(
    tx: &mut Tx<'_>,
    standing: &Standing,
    group_id: &str,
    request: SeriesRequest<'_>,
    actor: &AuditActor,
) -> CoreResult<Generated> {
    let SeriesRequest {
        rule,
        from,
        to,
        details,
    } = request;
    if !standing.can_manage_group() {
        return Err(CoreError::Forbidden);
    }
    let planned = plan(rule, from, to, details).map_err(CoreError::Invalid)?;
    let series_id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO wg_series (id, group_id, rule, generated_until, created_by, created_at,
            updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(&series_id)
    .bind(group_id)
    .bind(rule.to_json())
    .bind(to.format("%Y-%m-%d").to_string())
    .bind(actor.user_id.as_deref())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let mut generated = Generated {
        series_id: series_id.clone(),
        ..Generated::default()
    };
    for (slot_date, checked) in &planned {
        let slot_date = slot_date.format("%Y-%m-%d").to_string();
        let slot = Slot {
            series_id: &series_id,
            slot_date: &slot_date,
        };
        let id = meetings::insert(tx, group_id, Some(slot), checked).await?;
        generated.touched.push(id);
        generated.created += 1;
    }
    record(tx, &generated, "create", actor).await?;
    Ok(generated)
}

/// Regenerates a series with `rule` (the stored one, or a changed one) from `from` to `to`:
/// new dates get a meeting, untouched meetings follow the rule (their sequence raised when
/// they change), moved, cancelled and held meetings are left alone, and untouched meetings
/// in the range whose date the rule no longer gives are withdrawn.
pub async fn regenerate(
    tx: &mut Tx<'_>,
    standing: &Standing,
    group_id: &str,
    series_id: &str,
    request: SeriesRequest<'_>,
    actor: &AuditActor,
) -> CoreResult<Generated> {
    let SeriesRequest {
        rule,
        from,
        to,
        details,
    } = request;
    if !standing.can_manage_group() {
        return Err(CoreError::Forbidden);
    }
    if rule_of(tx, group_id, series_id).await?.is_none() {
        return Err(CoreError::NotFound("reeks"));
    }
    let planned = plan(rule, from, to, details).map_err(CoreError::Invalid)?;
    let mut existing: HashMap<String, meetings::Meeting> = meetings::of_series(tx, series_id)
        .await?
        .into_iter()
        .filter_map(|meeting| Some((meeting.slot_date.clone()?, meeting)))
        .collect();
    let mut generated = Generated {
        series_id: series_id.to_string(),
        ..Generated::default()
    };
    let now = now_ms();
    for (slot_date, checked) in &planned {
        let slot_date = slot_date.format("%Y-%m-%d").to_string();
        match existing.remove(&slot_date) {
            None => {
                let slot = Slot {
                    series_id,
                    slot_date: &slot_date,
                };
                let id = meetings::insert(tx, group_id, Some(slot), checked).await?;
                generated.touched.push(id);
                generated.created += 1;
            }
            Some(meeting) if meeting.moved || meeting.status != MeetingStatus::Gepland => {
                generated.kept += 1;
            }
            Some(meeting) => {
                let same = meeting.title == checked.title
                    && meeting.local_date == checked.local_date
                    && meeting.local_start == checked.local_start
                    && meeting.local_end == checked.local_end
                    && meeting.place == checked.place
                    && meeting.online_url == checked.online_url;
                if !same {
                    sqlx::query(
                        "UPDATE wg_meetings SET title = $1, local_date = $2, local_start = $3,
                            local_end = $4, starts_at = $5, ends_at = $6, place = $7,
                            online_url = $8, ical_sequence = ical_sequence + 1, updated_at = $9
                         WHERE id = $10",
                    )
                    .bind(&checked.title)
                    .bind(&checked.local_date)
                    .bind(&checked.local_start)
                    .bind(&checked.local_end)
                    .bind(checked.starts_at)
                    .bind(checked.ends_at)
                    .bind(&checked.place)
                    .bind(&checked.online_url)
                    .bind(now)
                    .bind(&meeting.id)
                    .execute(&mut **tx)
                    .await?;
                    generated.touched.push(meeting.id.clone());
                    generated.updated += 1;
                }
            }
        }
    }
    // What is left: slots the rule no longer gives. Only untouched ones inside the range go.
    let (low, high) = (
        from.format("%Y-%m-%d").to_string(),
        to.format("%Y-%m-%d").to_string(),
    );
    for meeting in existing.into_values() {
        let slot = meeting.slot_date.as_deref().unwrap_or_default();
        if meeting.moved
            || meeting.status != MeetingStatus::Gepland
            || slot < low.as_str()
            || slot > high.as_str()
        {
            continue;
        }
        // An invitation already mailed needs a cancellation to follow it; otherwise the row
        // never left the platform and may simply go.
        let cancelled = sqlx::query(
            "UPDATE wg_meetings SET status = $1, cancel_reason = $2,
                ical_sequence = ical_sequence + 1, updated_at = $3
             WHERE id = $4 AND invited_sequence IS NOT NULL",
        )
        .bind(MeetingStatus::Geannuleerd.as_str())
        .bind("De reeks werd gewijzigd.")
        .bind(now)
        .bind(&meeting.id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if cancelled > 0 {
            generated.touched.push(meeting.id.clone());
        }
        sqlx::query("DELETE FROM wg_meetings WHERE id = $1 AND invited_sequence IS NULL")
            .bind(&meeting.id)
            .execute(&mut **tx)
            .await?;
        generated.withdrawn += 1;
    }
    sqlx::query(
        "UPDATE wg_series SET rule = $1, generated_until = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(rule.to_json())
    .bind(&high)
    .bind(now)
    .bind(series_id)
    .execute(&mut **tx)
    .await?;
    record(tx, &generated, "regenerate", actor).await?;
    Ok(generated)
}

async fn record(
    tx: &mut Tx<'_>,
    generated: &Generated,
    action: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: &generated.series_id,
            action,
            summary: &format!(
                "Reeks gepland: {} nieuw, {} aangepast, {} behouden, {} ingetrokken",
                generated.created, generated.updated, generated.kept, generated.withdrawn
            ),
            changes: Changes::new(),
        },
    )
    .await?;
    Ok(())
}
