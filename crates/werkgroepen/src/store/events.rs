//! Events and trainings (`wg_events`, `wg_event_series`): study days, courses, coaching
//! sessions, learning-network sessions, masterclasses and return days, each with its own
//! registration rule, capacity and questions (design §1 point 5, §2.2). Registrations and the
//! waiting list are [`super::registrations`].
//!
//! Dates and times are Brussels wall time, as for meetings ([`super::meetings::check`] checks
//! them with the same messages); every field is checked before the first write.

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::{ConstraintViolation, CoreResult, FieldError};
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

use super::meetings::{self, MeetingFields};
use crate::model::{EventKind, RegistrationMode};

/// The audit entity of an event.
pub const ENTITY: &str = "werkgroep_activiteit";
/// The audit entity of an event series.
pub const SERIES_ENTITY: &str = "werkgroep_activiteitenreeks";

/// Words under `/werkgroepen/activiteiten/` that are pages, never an event's slug.
pub const RESERVED_SLUGS: &[&str] = &["nieuw", "reeks", "reeksen"];

const MAX_QUESTIONS: usize = 10;
const MAX_LABEL_CHARS: usize = 200;
const MAX_DESCRIPTION_CHARS: usize = 20_000;
const MAX_CAPACITY: i64 = 100_000;

/// A question asked at registration (dietary needs, organisation, …).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Question {
    pub key: String,
    pub label: String,
    /// `tekst` (free text) or `keuze` (one of `options`).
    pub kind: String,
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub required: bool,
}

/// One event as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: String,
    pub slug: String,
    pub series_id: Option<String>,
    pub kind: EventKind,
    pub title: String,
    pub description_md: String,
    pub local_date: String,
    pub local_start: String,
    pub local_end: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub online_url: String,
    pub registration: RegistrationMode,
    pub capacity: Option<i64>,
    pub seats_taken: i64,
    pub waitlist_last: i64,
    pub waitlist: bool,
    pub registration_closes_at: Option<i64>,
    pub questions: Vec<Question>,
    pub certificates: bool,
    pub status: String,
    pub organiser_id: Option<String>,
    /// The event's own retention in months; `None`: the setting.
    pub retention_months: Option<i64>,
}

impl Event {
    /// Places still free; `None` without a limit.
    pub fn free_places(&self) -> Option<i64> {
        self.capacity
            .map(|capacity| (capacity - self.seats_taken).max(0))
    }

    /// The moment registrations close: the set one, else the start.
    pub fn closes_at(&self) -> i64 {
        self.registration_closes_at.unwrap_or(self.starts_at)
    }
}

const COLUMNS: &str = "id, slug, series_id, kind, title, description_md, local_date, local_start,
    local_end, starts_at, ends_at, place, online_url, registration, capacity, seats_taken,
    waitlist_last, CAST(waitlist AS BIGINT) AS waitlist, registration_closes_at, questions,
    CAST(certificates AS BIGINT) AS certificates, status, organiser_id, retention_months";

/// The questions of a stored JSON list; a damaged list (never written by this module) reads
/// as no questions rather than failing every page.
pub fn parse_questions(json: &str) -> Vec<Question> {
    serde_json::from_str(json).unwrap_or_default()
}

fn from_row(row: &sqlx::any::AnyRow) -> Event {
    Event {
        id: row.get("id"),
        slug: row.get("slug"),
        series_id: row.get("series_id"),
        // Only this module writes the column, from the same list.
        kind: EventKind::parse(&row.get::<String, _>("kind")).unwrap_or(EventKind::Studiedag),
        title: row.get("title"),
        description_md: row.get("description_md"),
        local_date: row.get("local_date"),
        local_start: row.get("local_start"),
        local_end: row.get("local_end"),
        starts_at: row.get("starts_at"),
        ends_at: row.get("ends_at"),
        place: row.get("place"),
        online_url: row.get("online_url"),
        registration: RegistrationMode::parse(&row.get::<String, _>("registration"))
            .unwrap_or(RegistrationMode::Gesloten),
        capacity: row.get("capacity"),
        seats_taken: row.get("seats_taken"),
        waitlist_last: row.get("waitlist_last"),
        waitlist: row.get::<i64, _>("waitlist") != 0,
        registration_closes_at: row.get("registration_closes_at"),
        questions: parse_questions(&row.get::<String, _>("questions")),
        certificates: row.get::<i64, _>("certificates") != 0,
        status: row.get("status"),
        organiser_id: row.get("organiser_id"),
        retention_months: row.get("retention_months"),
    }
}

/// An event by its slug.
pub async fn find_by_slug<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    slug: &str,
) -> CoreResult<Option<Event>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM wg_events WHERE slug = $1"))
        .bind(slug)
        .fetch_optional(exec)
        .await?;
    Ok(row.as_ref().map(from_row))
}

/// An event by id.
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: &str,
) -> CoreResult<Option<Event>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM wg_events WHERE id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await?;
    Ok(row.as_ref().map(from_row))
}

/// Every event, earliest first (the pages filter what a visitor may see).
pub async fn list<'e, E: Executor<'e, Database = Any>>(exec: E) -> CoreResult<Vec<Event>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM wg_events ORDER BY starts_at, id"
    ))
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// An event series (e.g. the impact-measurement series: a basic course, advanced courses and
/// coaching sessions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSeries {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub description_md: String,
}

/// Every event series, by title.
pub async fn list_series<'e, E: Executor<'e, Database = Any>>(
    exec: E,
) -> CoreResult<Vec<EventSeries>> {
    let rows = sqlx::query(
        "SELECT id, slug, title, description_md FROM wg_event_series ORDER BY title, id",
    )
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| EventSeries {
            id: row.get("id"),
            slug: row.get("slug"),
            title: row.get("title"),
            description_md: row.get("description_md"),
        })
        .collect())
}

/// Creates an event series (staff only: the caller checks with `access::require_staff`).
pub async fn create_series(
    tx: &mut Tx<'_>,
    slug: &str,
    title: &str,
    description_md: &str,
    actor: &AuditActor,
) -> CoreResult<String> {
    let mut errors = Vec::new();
    let slug = slug.trim();
    check_slug(slug, &mut errors);
    let title = title.trim();
    if title.is_empty() {
        errors.push(FieldError::new("title", "Vul een titel in."));
    }
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO wg_event_series (id, slug, title, description_md, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(&id)
    .bind(slug)
    .bind(title)
    .bind(description_md.trim())
    .bind(now)
    .execute(&mut **tx)
    .await
    .on_unique("slug", "Deze korte naam is al in gebruik.")?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: SERIES_ENTITY,
            entity_id: &id,
            action: "create",
            summary: &format!("Activiteitenreeks {title} aangemaakt"),
            changes: Changes::new().created("title", title),
        },
    )
    .await?;
    Ok(id)
}

/// What the event form sends, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct EventFields {
    pub slug: String,
    pub title: String,
    pub kind: String,
    pub series_id: String,
    pub description_md: String,
    pub local_date: String,
    pub local_start: String,
    pub local_end: String,
    pub place: String,
    pub online_url: String,
    pub registration: String,
    /// Empty: no limit.
    pub capacity: String,
    /// "1" (a checked box) keeps a waiting list once the places are taken.
    pub waitlist: String,
    /// One question per line; `Label *` is required, `Label: a | b | c` is a choice.
    pub questions: String,
    pub certificates: String,
    /// Months the participants' data is kept after the event; empty: the module setting.
    pub retention_months: String,
}

/// Fields that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedEvent {
    pub slug: String,
    pub title: String,
    pub kind: EventKind,
    pub series_id: Option<String>,
    pub description_md: String,
    pub when: meetings::CheckedMeeting,
    pub registration: RegistrationMode,
    pub capacity: Option<i64>,
    pub waitlist: bool,
    pub questions: Vec<Question>,
    pub certificates: bool,
    /// `None`: the setting `werkgroepen.retention_months`.
    pub retention_months: Option<i64>,
}

/// The range of an event's own retention, in months.
pub const RETENTION_MONTHS: std::ops::RangeInclusive<i64> = 1..=120;

/// The retention field as typed: empty is `None` (the setting), else a whole number of
/// months in [`RETENTION_MONTHS`].
pub fn check_retention(text: &str) -> Result<Option<i64>, FieldError> {
    match text.trim() {
        "" => Ok(None),
        text => match text.parse::<i64>() {
            Ok(n) if RETENTION_MONTHS.contains(&n) => Ok(Some(n)),
            _ => Err(FieldError::new(
                "retention_months",
                "Geef het aantal maanden als een getal van 1 tot en met 120, of laat het leeg voor de standaardtermijn.",
            )),
        },
    }
}

fn check_slug(slug: &str, errors: &mut Vec<FieldError>) {
    let sound = !slug.is_empty()
        && slug.len() <= 80
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if !sound {
        errors.push(FieldError::new(
            "slug",
            "Gebruik kleine letters, cijfers en koppeltekens, bijvoorbeeld impactmeting-basis.",
        ));
    } else if RESERVED_SLUGS.contains(&slug) {
        errors.push(FieldError::new(
            "slug",
            "Deze korte naam is voorbehouden; kies een andere.",
        ));
    }
}

/// Reads the questions typed one per line.
pub fn parse_question_lines(text: &str) -> Result<Vec<Question>, String> {
    let mut questions = Vec::new();
    for line in text.lines().map(str::trim).filter(|line| !line.is_empty()) {
        let (line, required) = match line.strip_suffix('*') {
            Some(rest) => (rest.trim(), true),
            None => (line, false),
        };
        let (label, options) = match line.split_once(':') {
            Some((label, options)) => (
                label.trim(),
                options
                    .split('|')
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .map(str::to_string)
                    .collect::<Vec<_>>(),
            ),
            None => (line, Vec::new()),
        };
        if label.is_empty() || label.chars().count() > MAX_LABEL_CHARS {
            return Err(format!(
                "Elke vraag heeft een tekst van hoogstens {MAX_LABEL_CHARS} tekens."
            ));
        }
        questions.push(Question {
            key: format!("v{}", questions.len() + 1),
            label: label.to_string(),
            kind: if options.is_empty() { "tekst" } else { "keuze" }.to_string(),
            options,
            required,
        });
    }
    if questions.len() > MAX_QUESTIONS {
        return Err(format!("Stel hoogstens {MAX_QUESTIONS} vragen."));
    }
    Ok(questions)
}

/// The questions as typed in the form (the reverse of [`parse_question_lines`]).
pub fn question_lines(questions: &[Question]) -> String {
    questions
        .iter()
        .map(|q| {
            let mut line = q.label.clone();
            if !q.options.is_empty() {
                line.push_str(": ");
                line.push_str(&q.options.join(" | "));
            }
            if q.required {
                line.push_str(" *");
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks every field; one message per wrong field, all at once.
pub fn check(fields: &EventFields) -> Result<CheckedEvent, Vec<FieldError>> {
    let when = meetings::check(
        &MeetingFields {
            title: fields.title.clone(),
            local_date: fields.local_date.clone(),
            local_start: fields.local_start.clone(),
            local_end: fields.local_end.clone(),
            place: fields.place.clone(),
            online_url: fields.online_url.clone(),
        },
        meetings::today(),
    );
    let mut errors = match &when {
        // The meeting's "in the past" message points to recording a held meeting.
        Err(errors) => errors
            .iter()
            .map(|e| {
                if e.message == meetings::PAST_MESSAGE {
                    FieldError::new(&e.field, "Deze datum ligt in het verleden.")
                } else {
                    e.clone()
                }
            })
            .collect(),
        Ok(_) => Vec::new(),
    };
    let slug = fields.slug.trim().to_string();
    check_slug(&slug, &mut errors);
    let kind = EventKind::parse(fields.kind.trim());
    if kind.is_none() {
        errors.push(FieldError::new("kind", "Kies het soort activiteit."));
    }
    let registration = RegistrationMode::parse(fields.registration.trim());
    if registration.is_none() {
        errors.push(FieldError::new(
            "registration",
            "Kies wie zich kan inschrijven.",
        ));
    }
    let capacity = match fields.capacity.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(n) if (1..=MAX_CAPACITY).contains(&n) => Some(n),
            _ => {
                errors.push(FieldError::new(
                    "capacity",
                    "Geef het aantal plaatsen als een getal vanaf 1, of laat het leeg voor onbeperkt.",
                ));
                None
            }
        },
    };
    let questions = match parse_question_lines(&fields.questions) {
        Ok(questions) => questions,
        Err(message) => {
            errors.push(FieldError::new("questions", message));
            Vec::new()
        }
    };
    let retention_months = check_retention(&fields.retention_months).unwrap_or_else(|error| {
        errors.push(error);
        None
    });
    if fields.description_md.chars().count() > MAX_DESCRIPTION_CHARS {
        errors.push(FieldError::new(
            "description_md",
            format!("De beschrijving is te lang (maximaal {MAX_DESCRIPTION_CHARS} tekens)."),
        ));
    }
    match (errors.is_empty(), when, kind, registration) {
        (true, Ok(when), Some(kind), Some(registration)) => Ok(CheckedEvent {
            slug,
            title: when.title.clone(),
            kind,
            series_id: Some(fields.series_id.trim().to_string()).filter(|s| !s.is_empty()),
            description_md: fields.description_md.trim().to_string(),
            when,
            registration,
            capacity,
            waitlist: fields.waitlist == "1",
            questions,
            certificates: fields.certificates == "1",
            retention_months,
        }),
        _ => Err(errors),
    }
}

/// Creates an event. Staff only: the caller checks with `access::require_staff`; the creator
/// is its organiser.
pub async fn create(
    tx: &mut Tx<'_>,
    fields: &EventFields,
    organiser_id: &str,
    actor: &AuditActor,
) -> CoreResult<String> {
    let checked = check(fields).map_err(CoreError::Invalid)?;
    let id = new_id();
    let now = now_ms();
    let questions = serde_json::to_string(&checked.questions)
        .map_err(|e| CoreError::Internal(anyhow::anyhow!(e)))?;
    sqlx::query(
        "INSERT INTO wg_events (id, slug, series_id, kind, title, description_md, local_date,
            local_start, local_end, starts_at, ends_at, place, online_url, registration,
            capacity, waitlist, questions, certificates, status, ical_uid, organiser_id,
            created_at, updated_at, retention_months)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
            $18, 'gepland', $19, $20, $21, $21, $22)",
    )
    .bind(&id)
    .bind(&checked.slug)
    .bind(checked.series_id.as_deref())
    .bind(checked.kind.as_str())
    .bind(&checked.title)
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
    .bind(format!("{id}@activiteiten.stedenplatform"))
    .bind(organiser_id)
    .bind(now)
    .bind(checked.retention_months)
    .execute(&mut **tx)
    .await
    .map_err(|error| {
        let database = error.as_database_error();
        if database.is_some_and(|d| d.is_unique_violation()) {
            CoreError::invalid("slug", "Deze korte naam is al in gebruik.")
        } else if database.is_some_and(|d| d.is_foreign_key_violation()) {
            // The series is chosen from a list; a stale choice is a field error, not a 500.
            CoreError::invalid("series_id", "Deze reeks bestaat niet (meer).")
        } else {
            CoreError::Database(error)
        }
    })?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: &id,
            action: "create",
            summary: &format!("Activiteit {} aangemaakt", checked.title),
            changes: Changes::new()
                .created("local_date", &checked.when.local_date)
                .created("registration", checked.registration.as_str())
                .created(
                    "capacity",
                    checked.capacity.map(|c| c.to_string()).unwrap_or_default(),
                ),
        },
    )
    .await?;
    Ok(id)
}
