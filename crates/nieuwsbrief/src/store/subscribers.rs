//! Subscribers and their subscriptions (`nb_subscribers`, `nb_subscriptions`): the public
//! form's request, confirming through the link, preferences, unsubscribing and erasure (design
//! §3.1, §3.7). Every write takes the caller's transaction; the mail that belongs to it is
//! queued in the same one by [`crate::mails`].
//!
//! The form tells a stranger nothing: whatever the address (new, waiting, confirmed, blocked),
//! the answer is the same page. What differs is only what the mailbox's owner receives.

use std::collections::BTreeSet;

use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::{CoreError, FieldError};
use steden_db::{new_id, Tx};

use crate::model::{ConsentKind, Language, SubscriberStatus, SubscriptionStatus};
use crate::store::consents::{self, NewConsent};
use crate::store::lists::{self, List};

/// The quiet time between two mails the public form may send to one address: the form cannot
/// be used to flood a mailbox (counted by one conditional UPDATE, so parallel requests too).
pub const MAIL_INTERVAL_MS: i64 = 10 * 60_000;

/// The longest name kept.
const NAME_MAX: usize = 200;

/// A subscriber as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    pub id: String,
    pub email: String,
    pub name: String,
    pub language: Language,
    pub status: SubscriberStatus,
    pub tracking: bool,
    pub confirmed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, email, name, language, status, CAST(tracking AS BIGINT) AS tracking, \
                       confirmed_at, created_at, updated_at";

fn from_row(row: &AnyRow) -> CoreResult<Subscriber> {
    let language: String = row.get("language");
    let status: String = row.get("status");
    Ok(Subscriber {
        id: row.get("id"),
        email: row.get("email"),
        name: row.get("name"),
        language: Language::parse(&language)?,
        status: SubscriberStatus::parse(&status)?,
        tracking: steden_db::flag::from_db(row.get("tracking")),
        confirmed_at: row.get("confirmed_at"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    })
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Option<Subscriber>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM nb_subscribers WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// The subscriber `id`; `NotFound` when there is none (erased).
pub async fn get<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> CoreResult<Subscriber> {
    find(executor, id)
        .await?
        .ok_or(CoreError::NotFound("abonnee"))
}

pub async fn find_by_email<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    email: &str,
) -> CoreResult<Option<Subscriber>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM nb_subscribers WHERE email = $1"
    ))
    .bind(steden_core::user::normalise_email(email))
    .fetch_optional(executor)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// A subscriber's list and their standing on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub list: List,
    pub status: SubscriptionStatus,
}

pub async fn subscriptions<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    subscriber_id: &str,
) -> CoreResult<Vec<Subscription>> {
    let rows = sqlx::query(
        "SELECT l.id, l.slug, l.name, l.description, CAST(l.public AS BIGINT) AS public, s.status
         FROM nb_subscriptions s JOIN nb_lists l ON l.id = s.list_id
         WHERE s.subscriber_id = $1 ORDER BY l.position, l.name",
    )
    .bind(subscriber_id)
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|row| {
            let status: String = row.get("status");
            Ok(Subscription {
                list: List {
                    id: row.get("id"),
                    slug: row.get("slug"),
                    name: row.get("name"),
                    description: row.get("description"),
                    public: steden_db::flag::from_db(row.get("public")),
                },
                status: SubscriptionStatus::parse(&status)?,
            })
        })
        .collect()
}

/// What the public form sent.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub email: String,
    pub name: String,
    pub language: String,
    /// The slugs of the chosen lists.
    pub lists: Vec<String>,
    /// The box "I agree" was ticked.
    pub consent: bool,
    /// The version of the consent text the form showed.
    pub consent_text_version: i64,
    /// Where the form was: `formulier:/nieuwsbrief`.
    pub source: String,
    /// Only when an administrator turned recording addresses on.
    pub ip: Option<String>,
}

/// What the owner of the address is to receive after a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requested {
    /// A confirmation mail with the link (new, waiting, unsubscribed or bounced address).
    Confirm { subscriber_id: String },
    /// Already confirmed: a mail saying so, with the preferences link. Nothing changes (a
    /// stranger cannot add lists to someone's subscription).
    AlreadySubscribed { subscriber_id: String },
    /// No mail: a blocked address, or one mailed by the form less than
    /// [`MAIL_INTERVAL_MS`] ago.
    Nothing,
}

/// The lists of `slugs`, every one public; a field error for `lists` otherwise (a database
/// failure is the outer error).
async fn chosen_lists(
    tx: &mut Tx<'_>,
    slugs: &[String],
) -> CoreResult<Result<Vec<List>, FieldError>> {
    let public = lists::list_public(&mut **tx).await?;
    let wanted: BTreeSet<&str> = slugs
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    let chosen: Vec<List> = public
        .into_iter()
        .filter(|list| wanted.contains(list.slug.as_str()))
        .collect();
    if chosen.len() != wanted.len() {
        return Ok(Err(FieldError::new(
            "lists",
            "Kies alleen onderwerpen uit de lijst.",
        )));
    }
    Ok(Ok(chosen))
}

pub(crate) fn validate_language(language: &str) -> Result<Language, FieldError> {
    Language::parse(language).map_err(|_| FieldError::new("language", "Kies Nederlands of Engels."))
}

pub(crate) fn validate_name(name: &str) -> Result<String, FieldError> {
    let name = name.trim();
    if name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
        return Err(FieldError::new(
            "name",
            "Vul een naam in van hoogstens 200 tekens (of laat het veld leeg).",
        ));
    }
    Ok(name.to_string())
}

/// Records a request of the public form. Validation first (address, name, language, at least
/// one list, the consent box), nothing written when it fails.
pub async fn request(tx: &mut Tx<'_>, request: &Request, now: i64) -> CoreResult<Requested> {
    let mut errors = Vec::new();
    let email = steden_core::user::validate_email(&request.email).map_err(|e| errors.push(e));
    let name = validate_name(&request.name).map_err(|e| errors.push(e));
    let language = validate_language(&request.language).map_err(|e| errors.push(e));
    let chosen = match chosen_lists(tx, &request.lists).await? {
        Ok(chosen) if chosen.is_empty() => {
            errors.push(FieldError::new("lists", "Kies minstens één onderwerp."));
            Vec::new()
        }
        Ok(chosen) => chosen,
        Err(error) => {
            errors.push(error);
            Vec::new()
        }
    };
    if !request.consent {
        errors.push(FieldError::new(
            "consent",
            "Vink aan dat je akkoord gaat, anders kunnen we je niet inschrijven.",
        ));
    }
    let (Ok(email), Ok(name), Ok(language)) = (email, name, language) else {
        return Err(CoreError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    let slugs: Vec<String> = chosen.iter().map(|l| l.slug.clone()).collect();

    // A new address: one INSERT that loses a race quietly (ON CONFLICT), after which the
    // address is known and handled as such.
    let id = new_id();
    let inserted = sqlx::query(
        "INSERT INTO nb_subscribers (id, email, name, language, status, confirmation_sent_at,
                                     created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $6)
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(&id)
    .bind(&email)
    .bind(&name)
    .bind(language.as_str())
    .bind(SubscriberStatus::Onbevestigd.as_str())
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    if inserted.is_some() {
        set_lists(tx, &id, &chosen, SubscriptionStatus::Aangevraagd, now).await?;
        record_request(tx, &id, request, &slugs, now).await?;
        return Ok(Requested::Confirm { subscriber_id: id });
    }

    let existing = find_by_email(&mut **tx, &email)
        .await?
        .ok_or_else(|| CoreError::Internal(anyhow::anyhow!("subscriber vanished")))?;
    match existing.status {
        SubscriberStatus::Geblokkeerd => Ok(Requested::Nothing),
        SubscriberStatus::Bevestigd => Ok(if claim_mail(tx, &existing.id, now).await? {
            Requested::AlreadySubscribed {
                subscriber_id: existing.id,
            }
        } else {
            Requested::Nothing
        }),
        SubscriberStatus::Onbevestigd
        | SubscriberStatus::Afgemeld
        | SubscriberStatus::Gebounced => {
            // Not receiving anything now: the new choice replaces the waiting one, and holds
            // only once the owner confirms through the mail.
            sqlx::query(
                "UPDATE nb_subscribers SET name = $2, language = $3, updated_at = $4 WHERE id = $1",
            )
            .bind(&existing.id)
            .bind(&name)
            .bind(language.as_str())
            .bind(now)
            .execute(&mut **tx)
            .await?;
            sqlx::query("DELETE FROM nb_subscriptions WHERE subscriber_id = $1 AND status = $2")
                .bind(&existing.id)
                .bind(SubscriptionStatus::Aangevraagd.as_str())
                .execute(&mut **tx)
                .await?;
            set_lists(
                tx,
                &existing.id,
                &chosen,
                SubscriptionStatus::Aangevraagd,
                now,
            )
            .await?;
            record_request(tx, &existing.id, request, &slugs, now).await?;
            Ok(if claim_mail(tx, &existing.id, now).await? {
                Requested::Confirm {
                    subscriber_id: existing.id,
                }
            } else {
                Requested::Nothing
            })
        }
    }
}

/// Takes the right to mail `subscriber_id` from the form now: true at most once per
/// [`MAIL_INTERVAL_MS`], however many requests arrive at once (one conditional UPDATE).
async fn claim_mail(tx: &mut Tx<'_>, subscriber_id: &str, now: i64) -> CoreResult<bool> {
    let claimed = sqlx::query(
        "UPDATE nb_subscribers SET confirmation_sent_at = $2
         WHERE id = $1 AND (confirmation_sent_at IS NULL OR confirmation_sent_at <= $3)",
    )
    .bind(subscriber_id)
    .bind(now)
    .bind(now - MAIL_INTERVAL_MS)
    .execute(&mut **tx)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

async fn record_request(
    tx: &mut Tx<'_>,
    subscriber_id: &str,
    request: &Request,
    slugs: &[String],
    now: i64,
) -> CoreResult<()> {
    consents::record(
        tx,
        &NewConsent {
            subscriber_id,
            kind: ConsentKind::Aanvraag,
            given: true,
            at: now,
            source: &request.source,
            text_version: Some(request.consent_text_version),
            lists: slugs,
            ip: request.ip.as_deref(),
        },
    )
    .await?;
    Ok(())
}

/// Sets `status` on each of `chosen` for the subscriber (inserting or updating).
pub(crate) async fn set_lists(
    tx: &mut Tx<'_>,
    subscriber_id: &str,
    chosen: &[List],
    status: SubscriptionStatus,
    now: i64,
) -> CoreResult<()> {
    for list in chosen {
        sqlx::query(
            "INSERT INTO nb_subscriptions (subscriber_id, list_id, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $4)
             ON CONFLICT (subscriber_id, list_id) DO UPDATE SET status = $3, updated_at = $4",
        )
        .bind(subscriber_id)
        .bind(&list.id)
        .bind(status.as_str())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Sets every list of the subscriber `afgemeld`.
pub(crate) async fn end_all_lists(
    tx: &mut Tx<'_>,
    subscriber_id: &str,
    now: i64,
) -> CoreResult<()> {
    sqlx::query(
        "UPDATE nb_subscriptions SET status = $2, updated_at = $3 WHERE subscriber_id = $1",
    )
    .bind(subscriber_id)
    .bind(SubscriptionStatus::Afgemeld.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The audit entry of a subscriber's change, made by the platform on the subscriber's behalf
/// (the signed link is the proof): under the id only, never the address.
async fn record_audit(
    tx: &mut Tx<'_>,
    subscriber_id: &str,
    action: &str,
    summary: &str,
    changes: Changes,
) -> CoreResult<()> {
    audit::record(
        tx,
        NewEntry {
            actor: &AuditActor::system(),
            organisation_id: None,
            entity_type: "nb_subscriber",
            entity_id: subscriber_id,
            action,
            summary,
            changes,
        },
    )
    .await?;
    Ok(())
}

/// What confirming did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmed {
    /// The address is confirmed now (first time, or again after unsubscribing): send the
    /// welcome mail.
    Now,
    /// It already was (a second click): nothing changes, no second welcome.
    Already,
}

/// Confirms the address of `subscriber_id` (the link was followed): status `bevestigd`, the
/// waiting lists active, a consent record. A blocked address stays blocked.
pub async fn confirm(tx: &mut Tx<'_>, subscriber_id: &str, now: i64) -> CoreResult<Confirmed> {
    let subscriber = get(&mut **tx, subscriber_id).await?;
    match subscriber.status {
        SubscriberStatus::Bevestigd => return Ok(Confirmed::Already),
        SubscriberStatus::Geblokkeerd => return Err(CoreError::Conflict(
            "Dit adres kan zich niet opnieuw inschrijven. Neem contact op met het Kenniscentrum."
                .into(),
        )),
        _ => {}
    }
    // Guarded by the status, so two clicks at once confirm once.
    let changed = sqlx::query(
        "UPDATE nb_subscribers SET status = $2, confirmed_at = $3, soft_bounces = 0, updated_at = $3
         WHERE id = $1 AND status = $4",
    )
    .bind(subscriber_id)
    .bind(SubscriberStatus::Bevestigd.as_str())
    .bind(now)
    .bind(subscriber.status.as_str())
    .execute(&mut **tx)
    .await?;
    if changed.rows_affected() == 0 {
        return Ok(Confirmed::Already);
    }
    sqlx::query(
        "UPDATE nb_subscriptions SET status = $2, updated_at = $3
         WHERE subscriber_id = $1 AND status = $4",
    )
    .bind(subscriber_id)
    .bind(SubscriptionStatus::Actief.as_str())
    .bind(now)
    .bind(SubscriptionStatus::Aangevraagd.as_str())
    .execute(&mut **tx)
    .await?;
    let active = active_slugs(tx, subscriber_id).await?;
    consents::record(
        tx,
        &NewConsent {
            subscriber_id,
            kind: ConsentKind::Bevestiging,
            given: true,
            at: now,
            source: "link:bevestigen",
            text_version: None,
            lists: &active,
            ip: None,
        },
    )
    .await?;
    record_audit(
        tx,
        subscriber_id,
        "confirm",
        "Inschrijving op de nieuwsbrief bevestigd",
        Changes::new().field(
            "status",
            subscriber.status.as_str(),
            SubscriberStatus::Bevestigd.as_str(),
        ),
    )
    .await?;
    Ok(Confirmed::Now)
}

async fn active_slugs(tx: &mut Tx<'_>, subscriber_id: &str) -> CoreResult<Vec<String>> {
    Ok(subscriptions(&mut **tx, subscriber_id)
        .await?
        .into_iter()
        .filter(|s| s.status == SubscriptionStatus::Actief)
        .map(|s| s.list.slug)
        .collect())
}

/// What the preferences page sends.
#[derive(Debug, Clone, Default)]
pub struct Preferences {
    pub name: String,
    pub language: String,
    /// The slugs of the lists to receive; none means: unsubscribe from everything.
    pub lists: Vec<String>,
}

/// Saves a subscriber's preferences (through the signed link, which proves they hold the
/// address: choosing lists here also subscribes again after an unsubscribe). No list at all is
/// an unsubscribe.
pub async fn update_preferences(
    tx: &mut Tx<'_>,
    subscriber_id: &str,
    preferences: &Preferences,
    now: i64,
) -> CoreResult<()> {
    let subscriber = get(&mut **tx, subscriber_id).await?;
    let mut errors = Vec::new();
    let name = validate_name(&preferences.name).map_err(|e| errors.push(e));
    let language = validate_language(&preferences.language).map_err(|e| errors.push(e));
    let chosen = chosen_lists(tx, &preferences.lists)
        .await?
        .map_err(|e| errors.push(e));
    let (Ok(name), Ok(language), Ok(chosen)) = (name, language, chosen) else {
        return Err(CoreError::Invalid(errors));
    };
    if chosen.is_empty() {
        return unsubscribe_all(tx, subscriber_id, "link:voorkeuren", now).await;
    }
    if subscriber.status == SubscriberStatus::Geblokkeerd {
        return Err(CoreError::Conflict(
            "Dit adres is geblokkeerd en krijgt geen nieuwsbrief. Neem contact op met het Kenniscentrum."
                .into(),
        ));
    }
    sqlx::query(
        "UPDATE nb_subscribers SET name = $2, language = $3, status = $4,
                confirmed_at = COALESCE(confirmed_at, $5), updated_at = $5
         WHERE id = $1",
    )
    .bind(subscriber_id)
    .bind(&name)
    .bind(language.as_str())
    .bind(SubscriberStatus::Bevestigd.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    end_all_lists(tx, subscriber_id, now).await?;
    set_lists(tx, subscriber_id, &chosen, SubscriptionStatus::Actief, now).await?;
    let slugs: Vec<String> = chosen.iter().map(|l| l.slug.clone()).collect();
    consents::record(
        tx,
        &NewConsent {
            subscriber_id,
            kind: ConsentKind::Voorkeuren,
            given: true,
            at: now,
            source: "link:voorkeuren",
            text_version: None,
            lists: &slugs,
            ip: None,
        },
    )
    .await?;
    Ok(())
}

/// Unsubscribes from everything: status `afgemeld`, every list `afgemeld`, a consent record
/// (withdrawn). Unsubscribing twice changes nothing the second time. A blocked or bounced
/// address keeps its status (it is mailed no more either way).
pub async fn unsubscribe_all(
    tx: &mut Tx<'_>,
    subscriber_id: &str,
    source: &str,
    now: i64,
) -> CoreResult<()> {
    let subscriber = get(&mut **tx, subscriber_id).await?;
    let active = active_slugs(tx, subscriber_id).await?;
    if subscriber.status == SubscriberStatus::Afgemeld && active.is_empty() {
        return Ok(());
    }
    if matches!(
        subscriber.status,
        SubscriberStatus::Bevestigd | SubscriberStatus::Onbevestigd
    ) {
        sqlx::query("UPDATE nb_subscribers SET status = $2, updated_at = $3 WHERE id = $1")
            .bind(subscriber_id)
            .bind(SubscriberStatus::Afgemeld.as_str())
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    end_all_lists(tx, subscriber_id, now).await?;
    // The reading statistics count it for the newsletter last delivered to them.
    crate::store::stats::count_unsubscribe(tx, subscriber_id, now).await?;
    consents::record(
        tx,
        &NewConsent {
            subscriber_id,
            kind: ConsentKind::Afmelding,
            given: false,
            at: now,
            source,
            text_version: None,
            lists: &active,
            ip: None,
        },
    )
    .await?;
    record_audit(
        tx,
        subscriber_id,
        "unsubscribe",
        "Afgemeld voor de nieuwsbrief",
        Changes::new().field(
            "status",
            subscriber.status.as_str(),
            SubscriberStatus::Afgemeld.as_str(),
        ),
    )
    .await?;
    Ok(())
}

/// Erases everything the module holds about the subscriber (their subscriptions and consent
/// record go with them by the foreign keys). The audit trail keeps that an erasure happened,
/// under the id only: no address, no name.
pub async fn erase(tx: &mut Tx<'_>, subscriber_id: &str) -> CoreResult<()> {
    erase_as(
        tx,
        subscriber_id,
        &AuditActor::system(),
        "Gegevens van een abonnee gewist op eigen verzoek",
    )
    .await
}

/// [`erase`], audited as `actor` with `summary` (an editor erasing on request).
pub async fn erase_as(
    tx: &mut Tx<'_>,
    subscriber_id: &str,
    actor: &AuditActor,
    summary: &str,
) -> CoreResult<()> {
    let deleted = sqlx::query("DELETE FROM nb_subscribers WHERE id = $1")
        .bind(subscriber_id)
        .execute(&mut **tx)
        .await?;
    if deleted.rows_affected() == 0 {
        return Err(CoreError::NotFound("abonnee"));
    }
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: "nb_subscriber",
            entity_id: subscriber_id,
            action: "erase",
            summary,
            changes: Changes::new(),
        },
    )
    .await?;
    Ok(())
}
