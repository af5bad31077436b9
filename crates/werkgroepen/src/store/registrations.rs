//! Registrations for events and their waiting list (`wg_registrations`, design §3.8).
//!
//! Every change that can seat someone starts with the same statement, [`lock`]: an `UPDATE`
//! of the event row that returns its counters. On PostgreSQL that takes the row lock, so
//! registrations and cancellations of one event run one after the other, each seeing the
//! counters the previous one committed (READ COMMITTED re-reads the row after the wait); on
//! SQLite the transaction already holds the write lock (`BEGIN IMMEDIATE`). Nothing is read
//! before it that a decision depends on, so the last place is never given twice.
//!
//! A cancellation or a larger capacity moves the lowest waiting-list numbers up
//! ([`fill_seats`]), each with a "doorgeschoven" mail. Mails go through the
//! `werkgroepen.mail_event` job, enqueued in the same transaction (crate::event_mail).

use std::collections::BTreeMap;

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::{ConstraintViolation, CoreResult, FieldError};
use steden_core::CoreError;
use steden_db::jobs::{self, NewJob};
use steden_db::{new_id, now_ms, Tx};

use super::events::{self, Question};
use crate::model::{RegistrationMode, RegistrationStatus};

/// The audit entity of a registration.
pub const ENTITY: &str = "werkgroep_inschrijving";
/// The job that mails a participant about their registration.
pub const MAIL_JOB: &str = "werkgroepen.mail_event";

/// Design §3.9.
pub const ALREADY_REGISTERED: &str = "Je bent al ingeschreven voor deze activiteit.";
pub const FULL: &str = "Deze activiteit is volzet.";
pub const CLOSED: &str = "De inschrijvingen zijn afgesloten.";
pub const EVENT_CANCELLED: &str = "Deze activiteit is geannuleerd.";

const MAX_NAME_CHARS: usize = 200;
const MAX_ANSWER_CHARS: usize = 1_000;

/// One registration as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub id: String,
    pub event_id: String,
    pub user_id: Option<String>,
    pub name: String,
    pub email: String,
    pub organisation_text: String,
    pub answers: BTreeMap<String, String>,
    pub status: RegistrationStatus,
    pub waitlist_number: Option<i64>,
    pub attended: Option<bool>,
    pub created_at: i64,
}

const COLUMNS: &str = "id, event_id, user_id, name, email, organisation_text, answers, status,
    waitlist_number, CAST(attended AS BIGINT) AS attended, created_at";

fn from_row(row: &sqlx::any::AnyRow) -> Registration {
    Registration {
        id: row.get("id"),
        event_id: row.get("event_id"),
        user_id: row.get("user_id"),
        name: row.get("name"),
        email: row.get("email"),
        organisation_text: row.get("organisation_text"),
        answers: serde_json::from_str(&row.get::<String, _>("answers")).unwrap_or_default(),
        // Only this module writes the column, from the same list.
        status: RegistrationStatus::parse(&row.get::<String, _>("status"))
            .unwrap_or(RegistrationStatus::Geannuleerd),
        waitlist_number: row.get("waitlist_number"),
        attended: row.get::<Option<i64>, _>("attended").map(|a| a != 0),
        created_at: row.get("created_at"),
    }
}

/// A registration by id.
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: &str,
) -> CoreResult<Option<Registration>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM wg_registrations WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(exec)
    .await?;
    Ok(row.as_ref().map(from_row))
}

/// Every registration of an event: confirmed ones first (by moment), then the waiting list
/// by number, then the cancelled ones.
pub async fn list_for_event<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    event_id: &str,
) -> CoreResult<Vec<Registration>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM wg_registrations WHERE event_id = $1
         ORDER BY CASE status WHEN 'bevestigd' THEN 0 WHEN 'wachtlijst' THEN 1 ELSE 2 END,
            waitlist_number, created_at, id"
    ))
    .bind(event_id)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// A logged-in person's open registration for an event, if any.
pub async fn find_open_for_user<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    event_id: &str,
    user_id: &str,
) -> CoreResult<Option<Registration>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM wg_registrations
         WHERE event_id = $1 AND user_id = $2 AND status IN ('bevestigd', 'wachtlijst')"
    ))
    .bind(event_id)
    .bind(user_id)
    .fetch_optional(exec)
    .await?;
    Ok(row.as_ref().map(from_row))
}

/// Who registers: a logged-in person (name and address from their account) or, for a public
/// event, anyone with the name and address they type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registrant {
    Anonymous,
    User {
        user_id: String,
        name: String,
        email: String,
        organisation_id: Option<String>,
        /// `lid` or higher in an organisation: may register for a `leden` event.
        member: bool,
    },
}

/// What the registration form sends: `name`, `email`, `organisation_text` and one `v<n>` per
/// question.
pub type RegistrationFields = BTreeMap<String, String>;

/// The event's counters, as the locking statement returns them.
#[derive(Debug, Clone)]
pub(crate) struct Locked {
    pub(crate) title: String,
    pub(crate) status: String,
    pub(crate) registration: RegistrationMode,
    pub(crate) capacity: Option<i64>,
    pub(crate) seats_taken: i64,
    pub(crate) waitlist_last: i64,
    pub(crate) waitlist: bool,
    pub(crate) closes_at: i64,
    pub(crate) questions: Vec<Question>,
}

/// The first statement of every transaction that seats or unseats someone: takes the event's
/// row lock and returns its counters as they are now.
pub(crate) async fn lock(tx: &mut Tx<'_>, event_id: &str) -> CoreResult<Locked> {
    let row = sqlx::query(
        "UPDATE wg_events SET updated_at = updated_at WHERE id = $1
         RETURNING title, status, registration, capacity, seats_taken, waitlist_last,
            CAST(waitlist AS BIGINT) AS waitlist, registration_closes_at, starts_at, questions",
    )
    .bind(event_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(CoreError::NotFound("activiteit"))?;
    let starts_at: i64 = row.get("starts_at");
    Ok(Locked {
        title: row.get("title"),
        status: row.get("status"),
        registration: RegistrationMode::parse(&row.get::<String, _>("registration"))
            .unwrap_or(RegistrationMode::Gesloten),
        capacity: row.get("capacity"),
        seats_taken: row.get("seats_taken"),
        waitlist_last: row.get("waitlist_last"),
        waitlist: row.get::<i64, _>("waitlist") != 0,
        closes_at: row
            .get::<Option<i64>, _>("registration_closes_at")
            .unwrap_or(starts_at),
        questions: events::parse_questions(&row.get::<String, _>("questions")),
    })
}

/// Trimmed and lower case: one person, one registration, however they type their address.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && email.len() <= 254
        && !email.contains(char::is_whitespace)
}

/// Checked registration details.
struct Checked {
    name: String,
    email: String,
    organisation_text: String,
    answers: BTreeMap<String, String>,
}

fn check_fields(
    fields: &RegistrationFields,
    registrant: &Registrant,
    questions: &[Question],
) -> Result<Checked, Vec<FieldError>> {
    let mut errors = Vec::new();
    let field = |name: &str| fields.get(name).map(|v| v.trim()).unwrap_or("");
    let (name, email) = match registrant {
        Registrant::User { name, email, .. } => (name.clone(), email.clone()),
        Registrant::Anonymous => (field("name").to_string(), field("email").to_string()),
    };
    if name.is_empty() {
        errors.push(FieldError::new("name", "Vul je naam in."));
    } else if name.chars().count() > MAX_NAME_CHARS {
        errors.push(FieldError::new(
            "name",
            format!("De naam is te lang (maximaal {MAX_NAME_CHARS} tekens)."),
        ));
    }
    if !plausible_email(&email) {
        errors.push(FieldError::new(
            "email",
            "Vul een geldig e-mailadres in, bijvoorbeeld naam@stad.be.",
        ));
    }
    let organisation_text = field("organisation_text").to_string();
    if organisation_text.chars().count() > MAX_NAME_CHARS {
        errors.push(FieldError::new(
            "organisation_text",
            format!("De organisatie is te lang (maximaal {MAX_NAME_CHARS} tekens)."),
        ));
    }
    let mut answers = BTreeMap::new();
    for question in questions {
        let answer = field(&question.key);
        if answer.is_empty() {
            if question.required {
                errors.push(FieldError::new(
                    &question.key,
                    format!("Beantwoord de vraag '{}'.", question.label),
                ));
            }
            continue;
        }
        if question.kind == "keuze" && !question.options.iter().any(|o| o == answer) {
            errors.push(FieldError::new(
                &question.key,
                format!("Kies een van de antwoorden bij '{}'.", question.label),
            ));
        } else if answer.chars().count() > MAX_ANSWER_CHARS {
            errors.push(FieldError::new(
                &question.key,
                format!("Het antwoord is te lang (maximaal {MAX_ANSWER_CHARS} tekens)."),
            ));
        } else {
            answers.insert(question.key.clone(), answer.to_string());
        }
    }
    if errors.is_empty() {
        Ok(Checked {
            name,
            email,
            organisation_text,
            answers,
        })
    } else {
        Err(errors)
    }
}

/// The outcome of a registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub id: String,
    pub status: RegistrationStatus,
    /// The place on the waiting list, if that is where it went.
    pub waitlist_number: Option<i64>,
}

/// Registers `registrant` for the event: a seat while there is one, else the next number on
/// the waiting list (if the event keeps one). Refused, writing nothing, when registration is
/// closed, the event is full without a waiting list, the address is already registered, or a
/// field is wrong (design §3.9). Who may register for a `leden` event is checked here too.
pub async fn register(
    tx: &mut Tx<'_>,
    event_id: &str,
    registrant: &Registrant,
    fields: &RegistrationFields,
    base_url: &str,
) -> CoreResult<Registered> {
    // First statement: the lock (see the module's comment).
    let event = lock(tx, event_id).await?;
    match (event.registration, registrant) {
        (RegistrationMode::Leden, Registrant::Anonymous) => return Err(CoreError::Unauthenticated),
        (RegistrationMode::Leden, Registrant::User { member: false, .. }) => {
            return Err(CoreError::Forbidden)
        }
        _ => {}
    }
    if event.status != "gepland"
        || event.registration == RegistrationMode::Gesloten
        || now_ms() >= event.closes_at
    {
        return Err(CoreError::invalid("", CLOSED));
    }
    let checked = check_fields(fields, registrant, &event.questions).map_err(CoreError::Invalid)?;
    let email_norm = normalise_email(&checked.email);
    let taken: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM wg_registrations
         WHERE event_id = $1 AND email_norm = $2 AND status IN ('bevestigd', 'wachtlijst')",
    )
    .bind(event_id)
    .bind(&email_norm)
    .fetch_one(&mut **tx)
    .await?;
    if taken > 0 {
        return Err(CoreError::invalid("email", ALREADY_REGISTERED));
    }
    let seated = event.capacity.is_none_or(|c| event.seats_taken < c);
    if !seated && !event.waitlist {
        return Err(CoreError::invalid("", FULL));
    }
    let (status, waitlist_number) = if seated {
        sqlx::query("UPDATE wg_events SET seats_taken = seats_taken + 1 WHERE id = $1")
            .bind(event_id)
            .execute(&mut **tx)
            .await?;
        (RegistrationStatus::Bevestigd, None)
    } else {
        let number = event.waitlist_last + 1;
        sqlx::query("UPDATE wg_events SET waitlist_last = $1 WHERE id = $2")
            .bind(number)
            .bind(event_id)
            .execute(&mut **tx)
            .await?;
        (RegistrationStatus::Wachtlijst, Some(number))
    };
    let id = new_id();
    let now = now_ms();
    let (user_id, organisation_id) = match registrant {
        Registrant::User {
            user_id,
            organisation_id,
            ..
        } => (Some(user_id.as_str()), organisation_id.as_deref()),
        Registrant::Anonymous => (None, None),
    };
    let answers = serde_json::to_string(&checked.answers)
        .map_err(|e| CoreError::Internal(anyhow::anyhow!(e)))?;
    sqlx::query(
        "INSERT INTO wg_registrations (id, event_id, user_id, name, email, email_norm,
            organisation_id, organisation_text, answers, status, waitlist_number, created_at,
            updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
    )
    .bind(&id)
    .bind(event_id)
    .bind(user_id)
    .bind(&checked.name)
    .bind(&checked.email)
    .bind(&email_norm)
    .bind(organisation_id)
    .bind(&checked.organisation_text)
    .bind(&answers)
    .bind(status.as_str())
    .bind(waitlist_number)
    .bind(now)
    .execute(&mut **tx)
    .await
    .on_unique("email", ALREADY_REGISTERED)?;
    let kind = match status {
        RegistrationStatus::Bevestigd => MailKind::Bevestiging,
        _ => MailKind::Wachtlijst,
    };
    enqueue_mail(tx, event_id, &id, kind, base_url).await?;
    let actor = match user_id {
        Some(user_id) => AuditActor::user(user_id),
        None => AuditActor::system(),
    };
    // No name or address in the audit: the participant's data leaves with retention.
    audit::record(
        tx,
        NewEntry {
            actor: &actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: &id,
            action: "create",
            summary: &format!("Inschrijving voor {}", event.title),
            changes: Changes::new().created("status", status.as_str()),
        },
    )
    .await?;
    Ok(Registered {
        id,
        status,
        waitlist_number,
    })
}

/// Cancels a registration (through its signed link, or by the organiser: the caller has
/// checked which) and gives a freed seat to the first on the waiting list. Cancelling twice
/// changes nothing; returns whether this call cancelled it.
pub async fn cancel(
    tx: &mut Tx<'_>,
    registration_id: &str,
    actor: &AuditActor,
    base_url: &str,
) -> CoreResult<bool> {
    let event_id: String =
        sqlx::query_scalar("SELECT event_id FROM wg_registrations WHERE id = $1")
            .bind(registration_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(CoreError::NotFound("inschrijving"))?;
    // The event id never changes, so reading it first decides nothing; the status is read
    // again under the lock.
    let event = lock(tx, &event_id).await?;
    let registration = find(&mut **tx, registration_id)
        .await?
        .ok_or(CoreError::NotFound("inschrijving"))?;
    if registration.status == RegistrationStatus::Geannuleerd {
        return Ok(false);
    }
    let now = now_ms();
    sqlx::query(
        "UPDATE wg_registrations SET status = 'geannuleerd', waitlist_number = NULL,
            cancelled_at = $1, updated_at = $1
         WHERE id = $2",
    )
    .bind(now)
    .bind(registration_id)
    .execute(&mut **tx)
    .await?;
    let mut seats_taken = event.seats_taken;
    if registration.status == RegistrationStatus::Bevestigd {
        seats_taken -= 1;
        sqlx::query("UPDATE wg_events SET seats_taken = seats_taken - 1 WHERE id = $1")
            .bind(&event_id)
            .execute(&mut **tx)
            .await?;
    }
    enqueue_mail(
        tx,
        &event_id,
        registration_id,
        MailKind::Annulering,
        base_url,
    )
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: registration_id,
            action: "cancel",
            summary: &format!("Inschrijving voor {} geannuleerd", event.title),
            changes: Changes::new().field(
                "status",
                Some(registration.status.as_str()),
                Some(RegistrationStatus::Geannuleerd.as_str()),
            ),
        },
    )
    .await?;
    // A cancelled event seats nobody: its waiting list stays as it was.
    if event.status != "geannuleerd" {
        fill_seats(tx, &event_id, event.capacity, seats_taken, base_url).await?;
    }
    Ok(true)
}

/// Sets the number of places (`None`: no limit). Raising it moves as many up from the waiting
/// list as now fit; lowering it below the seats taken is refused (nobody loses a confirmed
/// seat). Staff or the organiser only: the caller checks.
pub async fn set_capacity(
    tx: &mut Tx<'_>,
    event_id: &str,
    capacity: Option<i64>,
    actor: &AuditActor,
    base_url: &str,
) -> CoreResult<usize> {
    let event = lock(tx, event_id).await?;
    if event.status == "geannuleerd" {
        return Err(CoreError::Conflict(EVENT_CANCELLED.into()));
    }
    if let Some(capacity) = capacity {
        if capacity < 1 {
            return Err(CoreError::invalid(
                "capacity",
                "Geef het aantal plaatsen als een getal vanaf 1, of laat het leeg voor onbeperkt.",
            ));
        }
        if capacity < event.seats_taken {
            return Err(CoreError::Invalid(vec![FieldError::new(
                "capacity",
                format!(
                    "Er zijn al {} plaatsen bevestigd; minder plaatsen kan niet.",
                    event.seats_taken
                ),
            )]));
        }
    }
    sqlx::query("UPDATE wg_events SET capacity = $1, updated_at = $2 WHERE id = $3")
        .bind(capacity)
        .bind(now_ms())
        .bind(event_id)
        .execute(&mut **tx)
        .await?;
    let show = |c: Option<i64>| c.map(|c| c.to_string()).unwrap_or_default();
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: events::ENTITY,
            entity_id: event_id,
            action: "capacity",
            summary: &format!("Aantal plaatsen van {} gewijzigd", event.title),
            changes: Changes::new().field(
                "capacity",
                Some(&show(event.capacity)),
                Some(&show(capacity)),
            ),
        },
    )
    .await?;
    fill_seats(tx, event_id, capacity, event.seats_taken, base_url).await
}

/// Moves the lowest waiting-list numbers up while seats are free (the caller holds the
/// event's lock); each gets a "doorgeschoven" mail. Returns how many moved up.
pub(crate) async fn fill_seats(
    tx: &mut Tx<'_>,
    event_id: &str,
    capacity: Option<i64>,
    mut seats_taken: i64,
    base_url: &str,
) -> CoreResult<usize> {
    let mut moved = 0;
    while capacity.is_none_or(|c| seats_taken < c) {
        let next: Option<String> = sqlx::query_scalar(
            "SELECT id FROM wg_registrations
             WHERE event_id = $1 AND status = 'wachtlijst'
             ORDER BY waitlist_number, id LIMIT 1",
        )
        .bind(event_id)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(id) = next else { break };
        sqlx::query(
            "UPDATE wg_registrations SET status = 'bevestigd', waitlist_number = NULL,
                updated_at = $1
             WHERE id = $2",
        )
        .bind(now_ms())
        .bind(&id)
        .execute(&mut **tx)
        .await?;
        sqlx::query("UPDATE wg_events SET seats_taken = seats_taken + 1 WHERE id = $1")
            .bind(event_id)
            .execute(&mut **tx)
            .await?;
        audit::record(
            tx,
            NewEntry {
                actor: &AuditActor::system(),
                organisation_id: None,
                entity_type: ENTITY,
                entity_id: &id,
                action: "move_up",
                summary: "Van de wachtlijst doorgeschoven",
                changes: Changes::new().field(
                    "status",
                    Some(RegistrationStatus::Wachtlijst.as_str()),
                    Some(RegistrationStatus::Bevestigd.as_str()),
                ),
            },
        )
        .await?;
        enqueue_mail(tx, event_id, &id, MailKind::Doorgeschoven, base_url).await?;
        seats_taken += 1;
        moved += 1;
    }
    Ok(moved)
}

/// What a registration mail says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailKind {
    Bevestiging,
    Wachtlijst,
    Doorgeschoven,
    Annulering,
    /// After the event: the link to the evaluation form.
    Evaluatie,
    /// The event's date, time or place changed (one per change: the mail log's version is the
    /// event's `ical_sequence` after it).
    Wijziging,
    /// The event itself is cancelled (once per registration).
    Afgelast,
}

impl MailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Bevestiging => "bevestiging",
            MailKind::Wachtlijst => "wachtlijst",
            MailKind::Doorgeschoven => "doorgeschoven",
            MailKind::Annulering => "annulering",
            MailKind::Evaluatie => "evaluatie",
            MailKind::Wijziging => "wijziging",
            MailKind::Afgelast => "afgelast",
        }
    }
}

/// The job's payload.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct MailPayload {
    pub event_id: String,
    pub registration_id: String,
    pub kind: MailKind,
    /// The site's address, for the links in the mail.
    pub base_url: String,
    /// Which mail of this kind it is (the mail log's version): the event's `ical_sequence`
    /// for a change notice, else 0.
    #[serde(default)]
    pub version: i64,
    /// The organiser's reason, for a cancelled event.
    #[serde(default)]
    pub note: String,
}

pub(crate) async fn enqueue_mail(
    tx: &mut Tx<'_>,
    event_id: &str,
    registration_id: &str,
    kind: MailKind,
    base_url: &str,
) -> CoreResult<()> {
    enqueue_mail_with(tx, event_id, registration_id, kind, base_url, 0, "").await
}

/// [`enqueue_mail`] with a version (the mail log's key) and a note (a cancellation's reason).
pub(crate) async fn enqueue_mail_with(
    tx: &mut Tx<'_>,
    event_id: &str,
    registration_id: &str,
    kind: MailKind,
    base_url: &str,
    version: i64,
    note: &str,
) -> CoreResult<()> {
    let payload = MailPayload {
        event_id: event_id.to_string(),
        registration_id: registration_id.to_string(),
        kind,
        base_url: base_url.to_string(),
        version,
        note: note.to_string(),
    };
    let payload =
        serde_json::to_value(&payload).map_err(|e| CoreError::Internal(anyhow::anyhow!(e)))?;
    jobs::enqueue_tx(tx, NewJob::new(MAIL_JOB, payload)).await?;
    Ok(())
}

/// Claims the sending of one mail (`wg_mail_log`, keyed by kind, event, version and
/// registration): `true` the first time, `false` on a retry of a job that already handed it
/// to the outbox. Call in the transaction that enqueues the mail.
pub async fn claim_mail(
    tx: &mut Tx<'_>,
    kind: MailKind,
    event_id: &str,
    version: i64,
    registration_id: &str,
    outbox_id: &str,
) -> CoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO wg_mail_log (kind, subject_id, version, user_id, outbox_id, created_at)
         VALUES ($1, $2, $6, $3, $4, $5)
         ON CONFLICT (kind, subject_id, version, user_id) DO NOTHING",
    )
    .bind(kind.as_str())
    .bind(event_id)
    .bind(registration_id)
    .bind(outbox_id)
    .bind(now_ms())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
