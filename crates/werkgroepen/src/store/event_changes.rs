//! Changing an event after it was created (issue 13 point 5): editing its fields and
//! cancelling it, and what an event series' page reads.
//!
//! Both writes start with the event's row lock ([`registrations::lock`]), as registering
//! does, so a registration that runs at the same time sees the event before or after the
//! change, never half of it. Everything is checked before the first write; a refused change
//! writes nothing.
//!
//! A change of date, time or place raises `ical_sequence` and mails every registered person
//! (seated or on the waiting list) a change notice; cancelling mails each of them once. The
//! mails are `werkgroepen.mail_event` jobs enqueued in the same transaction, and the job
//! claims each mail in `wg_mail_log` (kind, event, version, registration) before it is sent,
//! so a retried job does not mail twice.

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::{CoreResult, FieldError};
use steden_core::CoreError;
use steden_db::{now_ms, Tx};

use super::events::{self, Event, EventFields, EventSeries};
use super::registrations::{self, MailKind};

/// Refused when the event is no longer planned.
pub const NOT_PLANNED: &str =
    "Deze activiteit is al gehouden of geannuleerd; wijzigen kan niet meer.";
pub const ALREADY_CANCELLED: &str = "Deze activiteit is al geannuleerd.";
const MAX_REASON_CHARS: usize = 2_000;

/// What an edit did besides saving.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Edited {
    /// Registered people who get a change notice (date, time or place changed).
    pub notified: usize,
    /// Moved up from the waiting list (more places).
    pub moved_up: usize,
}

/// The open registrations (seated and waiting) of an event, by id.
async fn open_registrations(tx: &mut Tx<'_>, event_id: &str) -> CoreResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM wg_registrations
         WHERE event_id = $1 AND status IN ('bevestigd', 'wachtlijst') ORDER BY created_at, id",
    )
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await?)
}

/// Saves the event form for an existing event (organiser or staff: the caller checks with
/// `access::may_organise_event`). The short name stays (links in mails point to it). Same
/// checks as creating, and besides: fewer places than are taken is refused (nobody loses a
/// confirmed seat), as is switching the waiting list off while people are on it, and changing
/// the questions once someone registered (their answers are keyed by question). More places
/// move the waiting list up, as the capacity form does.
pub async fn update(
    tx: &mut Tx<'_>,
    event_id: &str,
    fields: &EventFields,
    actor: &AuditActor,
    base_url: &str,
) -> CoreResult<Edited> {
    // First statement: the lock (see store::registrations).
    let locked = registrations::lock(tx, event_id).await?;
    let current = events::find(&mut **tx, event_id)
        .await?
        .ok_or(CoreError::NotFound("activiteit"))?;
    if current.status != "gepland" {
        return Err(CoreError::Conflict(NOT_PLANNED.into()));
    }
    let mut fields = fields.clone();
    fields.slug = current.slug.clone();
    let checked = events::check(&fields);
    let mut errors = match &checked {
        Err(errors) => errors.clone(),
        Ok(_) => Vec::new(),
    };
    if let Ok(checked) = &checked {
        if checked.capacity.is_some_and(|c| c < locked.seats_taken) {
            errors.push(FieldError::new(
                "capacity",
                format!(
                    "Er zijn al {} plaatsen bevestigd; minder plaatsen kan niet. Annuleer eerst inschrijvingen op de deelnemerspagina.",
                    locked.seats_taken
                ),
            ));
        }
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM wg_registrations WHERE event_id = $1 AND status = 'wachtlijst'",
        )
        .bind(event_id)
        .fetch_one(&mut **tx)
        .await?;
        // With more places (or no limit) the waiting list moves up below; only those who
        // would still wait block switching it off.
        let still_waiting = match checked.capacity {
            None => 0,
            Some(c) => (waiting - (c - locked.seats_taken).max(0)).max(0),
        };
        if !checked.waitlist && still_waiting > 0 {
            errors.push(FieldError::new(
                "waitlist",
                format!(
                    "Er staan nog {still_waiting} mensen op de wachtlijst; de wachtlijst uitzetten kan pas als niemand meer wacht."
                ),
            ));
        }
        if checked.questions != current.questions {
            let registered: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM wg_registrations WHERE event_id = $1")
                    .bind(event_id)
                    .fetch_one(&mut **tx)
                    .await?;
            if registered > 0 {
                errors.push(FieldError::new(
                    "questions",
                    "Er zijn al inschrijvingen met antwoorden op deze vragen; de vragen wijzigen kan niet meer.",
                ));
            }
        }
    }
    let checked = match checked {
        Ok(checked) if errors.is_empty() => checked,
        _ => return Err(CoreError::Invalid(errors)),
    };
    let moved = checked.when.local_date != current.local_date
        || checked.when.local_start != current.local_start
        || checked.when.local_end != current.local_end
        || checked.when.place != current.place
        || checked.when.online_url != current.online_url;
    let questions = serde_json::to_string(&checked.questions)
        .map_err(|e| CoreError::Internal(anyhow::anyhow!(e)))?;
    sqlx::query(
        "UPDATE wg_events SET title = $1, kind = $2, series_id = $3, description_md = $4,
            local_date = $5, local_start = $6, local_end = $7, starts_at = $8, ends_at = $9,
            place = $10, online_url = $11, registration = $12, capacity = $13, waitlist = $14,
            questions = $15, certificates = $16, retention_months = $17,
            ical_sequence = ical_sequence + $18, updated_at = $19
         WHERE id = $20",
    )
    .bind(&checked.title)
    .bind(checked.kind.as_str())
    .bind(checked.series_id.as_deref())
    .bind(&checked.description_md)
    .bind(&checked.when.local_date)
    .bind(&checked.when.local_start)
    .bind(&checked.when.local_end)
    .bind(checked.when.starts_at)
    .bind(checked.when.ends_at)
    .bind(&checked.when.place)
    .bind(&checked.when.online_url)
    .bind(checked.registration.as_str())
    .bind(checked.capacity)
    .bind(i64::from(checked.waitlist))
    .bind(&questions)
    .bind(i64::from(checked.certificates))
    .bind(checked.retention_months)
    .bind(i64::from(moved))
    .bind(now_ms())
    .bind(event_id)
    .execute(&mut **tx)
    .await
    .map_err(|error| {
        if error
            .as_database_error()
            .is_some_and(|d| d.is_foreign_key_violation())
        {
            CoreError::invalid("series_id", "Deze reeks bestaat niet (meer).")
        } else {
            CoreError::Database(error)
        }
    })?;
    let mut notified = 0;
    if moved {
        let sequence: i64 = sqlx::query_scalar("SELECT ical_sequence FROM wg_events WHERE id = $1")
            .bind(event_id)
            .fetch_one(&mut **tx)
            .await?;
        for registration_id in open_registrations(tx, event_id).await? {
            registrations::enqueue_mail_with(
                tx,
                event_id,
                &registration_id,
                MailKind::Wijziging,
                base_url,
                sequence,
                "",
            )
            .await?;
            notified += 1;
        }
    }
    let show = |c: Option<i64>| c.map(|c| c.to_string()).unwrap_or_default();
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: events::ENTITY,
            entity_id: event_id,
            action: "update",
            summary: &format!("Activiteit {} gewijzigd", checked.title),
            changes: Changes::new()
                .field("title", Some(&current.title), Some(&checked.title))
                .field(
                    "local_date",
                    Some(&current.local_date),
                    Some(&checked.when.local_date),
                )
                .field(
                    "local_start",
                    Some(&current.local_start),
                    Some(&checked.when.local_start),
                )
                .field(
                    "local_end",
                    Some(&current.local_end),
                    Some(&checked.when.local_end),
                )
                .field("place", Some(&current.place), Some(&checked.when.place))
                .field(
                    "capacity",
                    Some(&show(current.capacity)),
                    Some(&show(checked.capacity)),
                )
                .field(
                    "retention_months",
                    Some(&show(current.retention_months)),
                    Some(&show(checked.retention_months)),
                ),
        },
    )
    .await?;
    // The plan's event series count held events; a move between series changes both.
    if current.series_id != checked.series_id {
        for series_id in [current.series_id.as_deref(), checked.series_id.as_deref()]
            .into_iter()
            .flatten()
        {
            crate::plan_source::events_changed(tx, series_id).await?;
        }
    }
    let moved_up =
        registrations::fill_seats(tx, event_id, checked.capacity, locked.seats_taken, base_url)
            .await?;
    Ok(Edited { notified, moved_up })
}

/// Cancels a planned event with the organiser's reason (organiser or staff: the caller
/// checks): status `geannuleerd`, so registering is closed; every seated and waiting person
/// gets one mail with the reason. The registrations stay as they were (the participants page
/// keeps showing who had registered). Returns how many are mailed.
pub async fn cancel(
    tx: &mut Tx<'_>,
    event_id: &str,
    reason: &str,
    actor: &AuditActor,
    base_url: &str,
) -> CoreResult<usize> {
    let locked = registrations::lock(tx, event_id).await?;
    match locked.status.as_str() {
        "gepland" => {}
        "geannuleerd" => return Err(CoreError::Conflict(ALREADY_CANCELLED.into())),
        _ => return Err(CoreError::Conflict(NOT_PLANNED.into())),
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(CoreError::invalid(
            "reason",
            "Geef de reden van de annulering; ze staat in de e-mail aan de deelnemers.",
        ));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(CoreError::invalid(
            "reason",
            &format!("De reden is te lang (maximaal {MAX_REASON_CHARS} tekens)."),
        ));
    }
    sqlx::query(
        "UPDATE wg_events SET status = 'geannuleerd', ical_sequence = ical_sequence + 1,
            updated_at = $1
         WHERE id = $2",
    )
    .bind(now_ms())
    .bind(event_id)
    .execute(&mut **tx)
    .await?;
    let mut mailed = 0;
    for registration_id in open_registrations(tx, event_id).await? {
        registrations::enqueue_mail_with(
            tx,
            event_id,
            &registration_id,
            MailKind::Afgelast,
            base_url,
            0,
            reason,
        )
        .await?;
        mailed += 1;
    }
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: events::ENTITY,
            entity_id: event_id,
            action: "cancel",
            summary: &format!("Activiteit {} geannuleerd", locked.title),
            changes: Changes::new()
                .field("status", Some("gepland"), Some("geannuleerd"))
                .created("reason", reason),
        },
    )
    .await?;
    let series_id: Option<String> =
        sqlx::query_scalar("SELECT series_id FROM wg_events WHERE id = $1")
            .bind(event_id)
            .fetch_one(&mut **tx)
            .await?;
    if let Some(series_id) = series_id {
        crate::plan_source::events_changed(tx, &series_id).await?;
    }
    Ok(mailed)
}

/// An event series by id.
pub async fn find_series<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: &str,
) -> CoreResult<Option<EventSeries>> {
    let row =
        sqlx::query("SELECT id, slug, title, description_md FROM wg_event_series WHERE id = $1")
            .bind(id)
            .fetch_optional(exec)
            .await?;
    Ok(row.map(|row| EventSeries {
        id: row.get("id"),
        slug: row.get("slug"),
        title: row.get("title"),
        description_md: row.get("description_md"),
    }))
}

/// The events of a series, earliest first.
pub async fn series_events<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    series_id: &str,
) -> CoreResult<Vec<Event>> {
    Ok(events::list(exec)
        .await?
        .into_iter()
        .filter(|e| e.series_id.as_deref() == Some(series_id))
        .collect())
}

/// Per event of a series: open registrations (seated and waiting) and those who attended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeriesCounts {
    pub event_id: String,
    pub registrations: i64,
    pub attended: i64,
}

/// The counts of every event of a series that has registrations.
pub async fn series_counts<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    series_id: &str,
) -> CoreResult<Vec<SeriesCounts>> {
    let rows = sqlx::query(
        "SELECT r.event_id,
            SUM(CASE WHEN r.status IN ('bevestigd', 'wachtlijst') THEN 1 ELSE 0 END) AS open,
            SUM(CASE WHEN r.attended = 1 THEN 1 ELSE 0 END) AS attended
         FROM wg_registrations r JOIN wg_events e ON e.id = r.event_id
         WHERE e.series_id = $1 GROUP BY r.event_id",
    )
    .bind(series_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| SeriesCounts {
            event_id: row.get("event_id"),
            registrations: row.get::<Option<i64>, _>("open").unwrap_or(0),
            attended: row.get::<Option<i64>, _>("attended").unwrap_or(0),
        })
        .collect())
}
