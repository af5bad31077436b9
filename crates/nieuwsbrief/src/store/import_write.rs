//! What an import does to one checked line (design §3.6): a new subscriber, lists added to a
//! known one, or a refusal because of the address's history. The rules:
//!
//! - nobody becomes `bevestigd` without the form's legal basis and source ("bevestigd
//!   importeren"); otherwise a new address is `onbevestigd` and gets the confirmation mail;
//! - a blocked address is never imported; an address that unsubscribed or bounced only when
//!   the form asked for it ("opnieuw toevoegen"), and a list the subscriber left likewise;
//! - a known subscriber keeps their name and language; what changes is recorded as a consent
//!   row of kind `import` with the source and legal basis. A line that changes nothing writes
//!   nothing, so importing a file twice adds no rows and sends no second mail.

use sqlx::Row;
use steden_core::error::CoreResult;
use steden_core::CoreError;
use steden_db::{new_id, Tx};

use crate::import::check::{Checked, Reason};
use crate::links::LinkKind;
use crate::model::{ConsentKind, SubscriberStatus, SubscriptionStatus};
use crate::store::consents::{self, NewConsent};
use crate::store::lists::List;
use crate::store::subscribers;

/// What the form decided, for every line.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    /// `import:<file name>`.
    pub source: &'a str,
    /// The legal basis as recorded with the consent (kind, explanation and source).
    pub legal_basis: Option<&'a str>,
    /// "bevestigd importeren" (only with a legal basis and source).
    pub confirmed: bool,
    /// "opnieuw toevoegen wie zich afmeldde".
    pub readd: bool,
}

/// What became of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    Created { subscriber_id: String, mail: bool },
    Updated { subscriber_id: String, mail: bool },
    Unchanged,
    Refused(Reason),
}

/// Writes `line` by `rules` in the caller's transaction. `mail` asks the caller to queue the
/// confirmation mail (in the same transaction).
pub async fn apply(
    tx: &mut Tx<'_>,
    line: &Checked,
    rules: &Rules<'_>,
    now: i64,
) -> CoreResult<Applied> {
    let Some(existing) = subscribers::find_by_email(&mut **tx, &line.email).await? else {
        return create(tx, line, rules, now).await;
    };
    let id = existing.id;
    let target = if rules.confirmed {
        SubscriptionStatus::Actief
    } else {
        SubscriptionStatus::Aangevraagd
    };
    let (added, mail) = match existing.status {
        SubscriberStatus::Geblokkeerd => return Ok(Applied::Refused(Reason::Blocklisted)),
        SubscriberStatus::Afgemeld if !rules.readd => {
            return Ok(Applied::Refused(Reason::Unsubscribed))
        }
        SubscriberStatus::Gebounced if !rules.readd => {
            return Ok(Applied::Refused(Reason::Bounced))
        }
        SubscriberStatus::Afgemeld | SubscriberStatus::Gebounced => {
            // Chosen on the form: back as a new address would be, and their lists with them.
            set_status(tx, &id, rules.confirmed, now).await?;
            (
                add_lists(tx, &id, &line.lists, target, true, now).await?,
                !rules.confirmed,
            )
        }
        SubscriberStatus::Bevestigd => (
            add_lists(
                tx,
                &id,
                &line.lists,
                SubscriptionStatus::Actief,
                rules.readd,
                now,
            )
            .await?,
            false,
        ),
        SubscriberStatus::Onbevestigd if rules.confirmed => {
            set_status(tx, &id, true, now).await?;
            (
                add_lists(tx, &id, &line.lists, target, rules.readd, now).await?,
                false,
            )
        }
        SubscriberStatus::Onbevestigd => {
            let added = add_lists(tx, &id, &line.lists, target, rules.readd, now).await?;
            (added, claim_mail(tx, &id, now).await?)
        }
    };
    let status_changed = existing.status != SubscriberStatus::Bevestigd
        && (rules.confirmed || existing.status != SubscriberStatus::Onbevestigd);
    if added.is_empty() && !status_changed && !mail {
        return Ok(Applied::Unchanged);
    }
    record_consent(tx, &id, &added, rules, now).await?;
    Ok(Applied::Updated {
        subscriber_id: id,
        mail,
    })
}

async fn create(
    tx: &mut Tx<'_>,
    line: &Checked,
    rules: &Rules<'_>,
    now: i64,
) -> CoreResult<Applied> {
    let id = new_id();
    let (status, target) = if rules.confirmed {
        (SubscriberStatus::Bevestigd, SubscriptionStatus::Actief)
    } else {
        (
            SubscriberStatus::Onbevestigd,
            SubscriptionStatus::Aangevraagd,
        )
    };
    let inserted = sqlx::query(
        "INSERT INTO nb_subscribers (id, email, name, language, status, confirmation_sent_at,
                                     confirmed_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(&id)
    .bind(&line.email)
    .bind(&line.name)
    .bind(line.language.as_str())
    .bind(status.as_str())
    .bind((!rules.confirmed).then_some(now))
    .bind(rules.confirmed.then_some(now))
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    if inserted.is_none() {
        // Subscribed through the form between the look-up and now: the job's retry sees them.
        return Err(CoreError::Conflict(
            "Het adres schreef zich net in via het formulier.".into(),
        ));
    }
    let added = add_lists(tx, &id, &line.lists, target, false, now).await?;
    record_consent(tx, &id, &added, rules, now).await?;
    Ok(Applied::Created {
        subscriber_id: id,
        mail: !rules.confirmed,
    })
}

/// `bevestigd` (now confirmed) or `onbevestigd` (a confirmation mail follows), with the
/// bounce count cleared.
async fn set_status(tx: &mut Tx<'_>, id: &str, confirmed: bool, now: i64) -> CoreResult<()> {
    let status = if confirmed {
        SubscriberStatus::Bevestigd
    } else {
        SubscriberStatus::Onbevestigd
    };
    // A confirmed import confirms now; an unconfirmed one leaves `confirmed_at` as it was.
    let sql = if confirmed {
        "UPDATE nb_subscribers SET status = $2, soft_bounces = 0, updated_at = $3, confirmed_at = $3
         WHERE id = $1"
    } else {
        "UPDATE nb_subscribers SET status = $2, soft_bounces = 0, updated_at = $3 WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(id)
        .bind(status.as_str())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Takes the right to mail an unconfirmed subscriber: not when a confirmation mail went out
/// within the link's lifetime (a second import of the same file mails nobody twice).
async fn claim_mail(tx: &mut Tx<'_>, id: &str, now: i64) -> CoreResult<bool> {
    let claimed = sqlx::query(
        "UPDATE nb_subscribers SET confirmation_sent_at = $2
         WHERE id = $1 AND (confirmation_sent_at IS NULL OR confirmation_sent_at <= $3)",
    )
    .bind(id)
    .bind(now)
    .bind(now - LinkKind::Confirm.lifetime_ms())
    .execute(&mut **tx)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Puts the subscriber on `lists` with `status`; returns the slugs of the lists that changed.
/// A list they are on already stays (an active one is never set back to requested); a list they
/// left only with `readd`.
async fn add_lists(
    tx: &mut Tx<'_>,
    subscriber_id: &str,
    lists: &[List],
    status: SubscriptionStatus,
    readd: bool,
    now: i64,
) -> CoreResult<Vec<String>> {
    let mut changed = Vec::new();
    for list in lists {
        let current: Option<String> = sqlx::query(
            "SELECT status FROM nb_subscriptions WHERE subscriber_id = $1 AND list_id = $2",
        )
        .bind(subscriber_id)
        .bind(&list.id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| row.get("status"));
        let current = current
            .as_deref()
            .map(SubscriptionStatus::parse)
            .transpose()?;
        let write = match current {
            None => true,
            Some(now_status) if now_status == status => false,
            Some(SubscriptionStatus::Actief) => false,
            Some(SubscriptionStatus::Afgemeld) => readd,
            Some(SubscriptionStatus::Aangevraagd) => true,
        };
        if !write {
            continue;
        }
        subscribers::set_lists(tx, subscriber_id, std::slice::from_ref(list), status, now).await?;
        changed.push(list.slug.clone());
    }
    Ok(changed)
}

async fn record_consent(
    tx: &mut Tx<'_>,
    subscriber_id: &str,
    slugs: &[String],
    rules: &Rules<'_>,
    now: i64,
) -> CoreResult<()> {
    consents::record_with_basis(
        tx,
        &NewConsent {
            subscriber_id,
            kind: ConsentKind::Import,
            given: true,
            at: now,
            source: rules.source,
            text_version: None,
            lists: slugs,
            ip: None,
        },
        rules.legal_basis,
    )
    .await?;
    Ok(())
}
