//! Keeping series planned ahead (design §3.5, `werkgroepen.extend_series`): a series without
//! an end date, or ending later, gets its meetings up to a year ahead, a little more every day,
//! so that a group's calendar never runs dry. Only dates after the series' `generated_until`
//! are made: what a facilitator planned, moved or cancelled is never touched here.

use chrono::{Days, NaiveDate};
use sqlx::Row;
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_db::{now_ms, Tx};

use crate::cadence::Rule;
use crate::store::meetings::{self, MeetingFields, Slot};
use crate::store::series::ENTITY;

/// How far ahead series are kept planned.
pub const HORIZON_DAYS: u64 = 365;

/// The series of groups that are not archived, to extend.
pub async fn live_series(conn: &mut sqlx::AnyConnection) -> CoreResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT s.id FROM wg_series s JOIN wg_groups g ON g.group_id = s.group_id
         WHERE g.archived_at IS NULL ORDER BY s.id",
    )
    .fetch_all(conn)
    .await?)
}

/// Extends series `series_id` up to `today` + [`HORIZON_DAYS`] (or its end date, if sooner);
/// returns how many meetings were made. The series row is locked first, so two servers
/// extending at once make each meeting once.
pub async fn extend(tx: &mut Tx<'_>, series_id: &str, today: NaiveDate) -> CoreResult<usize> {
    let Some(row) = sqlx::query(
        "UPDATE wg_series SET updated_at = updated_at WHERE id = $1
         RETURNING group_id, rule, generated_until",
    )
    .bind(series_id)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(0);
    };
    let group_id: String = row.get("group_id");
    let Some(rule) = Rule::from_json(&row.get::<String, _>("rule")) else {
        return Ok(0);
    };
    let Ok(generated_until) =
        NaiveDate::parse_from_str(&row.get::<String, _>("generated_until"), "%Y-%m-%d")
    else {
        return Ok(0);
    };
    let mut horizon = today + Days::new(HORIZON_DAYS);
    if let Some(until) = rule.until {
        horizon = horizon.min(until);
    }
    let from = generated_until + Days::new(1);
    if from > horizon {
        return Ok(0);
    }
    let Ok(occurrences) = rule.expand(from, horizon) else {
        return Ok(0);
    };
    let details = latest_details(tx, &group_id, series_id).await?;
    let mut created = 0;
    for occurrence in occurrences {
        let fields = MeetingFields {
            title: details.0.clone(),
            local_date: occurrence.date.format("%Y-%m-%d").to_string(),
            local_start: rule.start.clone(),
            local_end: rule.end.clone(),
            place: details.1.clone(),
            online_url: details.2.clone(),
        };
        // The rule was checked when the series was made; a date it cannot give now (the
        // details no longer pass) is skipped rather than failing the whole series.
        let Ok(checked) = meetings::check(&fields, NaiveDate::MIN) else {
            continue;
        };
        let slot_date = occurrence.slot_date.format("%Y-%m-%d").to_string();
        let slot = Slot {
            series_id,
            slot_date: &slot_date,
        };
        meetings::insert(tx, &group_id, Some(slot), &checked).await?;
        created += 1;
    }
    sqlx::query("UPDATE wg_series SET generated_until = $1, updated_at = $2 WHERE id = $3")
        .bind(horizon.format("%Y-%m-%d").to_string())
        .bind(now_ms())
        .bind(series_id)
        .execute(&mut **tx)
        .await?;
    if created > 0 {
        audit::record(
            tx,
            NewEntry {
                actor: &AuditActor::system(),
                organisation_id: None,
                entity_type: ENTITY,
                entity_id: series_id,
                action: "extend",
                summary: &format!("Reeks verlengd: {created} nieuwe vergaderingen"),
                changes: Changes::new().created("generated_until", horizon.to_string()),
            },
        )
        .await?;
    }
    Ok(created)
}

/// Title, place and online link for new meetings: those of the series' latest meeting (what
/// the facilitator last chose), else the group's name and usual place.
async fn latest_details(
    tx: &mut Tx<'_>,
    group_id: &str,
    series_id: &str,
) -> CoreResult<(String, String, String)> {
    let latest = sqlx::query(
        "SELECT title, place, online_url FROM wg_meetings
         WHERE series_id = $1 AND moved = 0 ORDER BY slot_date DESC LIMIT 1",
    )
    .bind(series_id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(row) = latest {
        return Ok((row.get("title"), row.get("place"), row.get("online_url")));
    }
    let row = sqlx::query(
        "SELECT w.name, g.default_place, g.default_online_url
         FROM working_groups w JOIN wg_groups g ON g.group_id = w.id WHERE w.id = $1",
    )
    .bind(group_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok((
        row.get("name"),
        row.get("default_place"),
        row.get("default_online_url"),
    ))
}
