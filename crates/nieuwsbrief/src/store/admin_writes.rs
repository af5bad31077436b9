//! The editors' writes on a subscriber (design §3.2): edit name, language and lists; block
//! and unblock; erase. Each checks that `who` is an editor, takes the caller's transaction and
//! writes its audit entry (under the subscriber's id, never the address); a change of lists
//! adds a consent record of kind `beheer` with the editor as its source.

use std::collections::BTreeSet;

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::policy::Actor;
use steden_core::CoreError;
use steden_db::Tx;

use crate::access;
use crate::model::{ConsentKind, SubscriberStatus, SubscriptionStatus};
use crate::store::consents::{self, NewConsent};
use crate::store::lists::{self, List};
use crate::store::subscribers::{self, set_lists, validate_language, validate_name, Preferences};

/// Who writes, as the store needs them: the policy actor, the audit actor and the
/// Kenniscentrum's id.
pub struct Editor<'a> {
    pub actor: &'a Actor,
    pub audit: &'a AuditActor,
    pub kenniscentrum_id: &'a str,
}

impl Editor<'_> {
    fn check(&self) -> CoreResult<()> {
        access::require_editor(self.actor, self.kenniscentrum_id)
    }

    /// The consent record's source: `beheer:<user id>`.
    fn source(&self) -> String {
        format!(
            "beheer:{}",
            self.audit.user_id.as_deref().unwrap_or("systeem")
        )
    }
}

async fn record(
    tx: &mut Tx<'_>,
    editor: &Editor<'_>,
    subscriber_id: &str,
    action: &str,
    summary: &str,
    changes: Changes,
) -> CoreResult<()> {
    audit::record(
        tx,
        NewEntry {
            actor: editor.audit,
            organisation_id: Some(editor.kenniscentrum_id),
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

/// The consent record of an editor's change of lists (`beheer`, source `beheer:<user id>`).
async fn record_consent(
    tx: &mut Tx<'_>,
    editor: &Editor<'_>,
    subscriber_id: &str,
    given: bool,
    lists: &[String],
    now: i64,
) -> CoreResult<()> {
    let source = editor.source();
    consents::record(
        tx,
        &NewConsent {
            subscriber_id,
            kind: ConsentKind::Beheer,
            given,
            at: now,
            source: &source,
            text_version: None,
            lists,
            ip: None,
        },
    )
    .await?;
    Ok(())
}

/// The slugs of the lists the subscriber is on (requested or active).
async fn current_slugs(tx: &mut Tx<'_>, subscriber_id: &str) -> CoreResult<BTreeSet<String>> {
    Ok(subscribers::subscriptions(&mut **tx, subscriber_id)
        .await?
        .into_iter()
        .filter(|s| s.status != SubscriptionStatus::Afgemeld)
        .map(|s| s.list.slug)
        .collect())
}

/// Saves an editor's change of name, language and lists (the fields of the preferences form;
/// any list, public or not). A list added is active at once for a
/// confirmed subscriber and requested (active once they confirm) for anyone else: an editor
/// cannot make an address receive mail that never confirmed it. A list taken away is
/// `afgemeld`. A blocked subscriber's lists cannot change (unblock first).
pub async fn edit(
    tx: &mut Tx<'_>,
    editor: &Editor<'_>,
    subscriber_id: &str,
    edit: &Preferences,
    now: i64,
) -> CoreResult<()> {
    editor.check()?;
    let subscriber = subscribers::get(&mut **tx, subscriber_id).await?;
    let mut errors = Vec::new();
    let name = validate_name(&edit.name).map_err(|e| errors.push(e));
    let language = validate_language(&edit.language).map_err(|e| errors.push(e));
    let all = lists::list_all(&mut **tx).await?;
    let wanted: BTreeSet<String> = edit
        .lists
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let chosen: Vec<List> = all
        .into_iter()
        .filter(|l| wanted.contains(&l.slug))
        .collect();
    if chosen.len() != wanted.len() {
        errors.push(steden_core::FieldError::new(
            "lists",
            "Kies alleen lijsten uit de lijst.",
        ));
    }
    let (Ok(name), Ok(language), true) = (name, language, errors.is_empty()) else {
        return Err(CoreError::Invalid(errors));
    };
    let before = current_slugs(tx, subscriber_id).await?;
    let lists_change = before != wanted;
    if lists_change && subscriber.status == SubscriberStatus::Geblokkeerd {
        return Err(CoreError::invalid(
            "lists",
            "Dit adres is geblokkeerd: deblokkeer het eerst om zijn lijsten te wijzigen.",
        ));
    }
    sqlx::query(
        "UPDATE nb_subscribers SET name = $2, language = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(subscriber_id)
    .bind(&name)
    .bind(language.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let mut changes = Changes::new();
    if name != subscriber.name {
        changes = changes.field("name", &subscriber.name, &name);
    }
    if language != subscriber.language {
        changes = changes.field("language", subscriber.language.as_str(), language.as_str());
    }
    if lists_change {
        let removed: Vec<&String> = before.difference(&wanted).collect();
        for slug in &removed {
            sqlx::query(
                "UPDATE nb_subscriptions SET status = $3, updated_at = $4
                 WHERE subscriber_id = $1 AND list_id = (SELECT id FROM nb_lists WHERE slug = $2)",
            )
            .bind(subscriber_id)
            .bind(slug.as_str())
            .bind(SubscriptionStatus::Afgemeld.as_str())
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
        let added: Vec<List> = chosen
            .into_iter()
            .filter(|l| !before.contains(&l.slug))
            .collect();
        let status = if subscriber.status == SubscriberStatus::Bevestigd {
            SubscriptionStatus::Actief
        } else {
            SubscriptionStatus::Aangevraagd
        };
        set_lists(tx, subscriber_id, &added, status, now).await?;
        let slugs: Vec<String> = wanted.iter().cloned().collect();
        record_consent(tx, editor, subscriber_id, !slugs.is_empty(), &slugs, now).await?;
        changes = changes.field(
            "lists",
            before.into_iter().collect::<Vec<_>>().join(", "),
            slugs.join(", "),
        );
    }
    record(
        tx,
        editor,
        subscriber_id,
        "update",
        "Abonnee gewijzigd door een redacteur",
        changes,
    )
    .await
}

/// Blocks the address: status `geblokkeerd`, every list `afgemeld`, a consent record
/// (withdrawn, by the editor). A blocked address is never mailed again, not even by the public
/// form. Blocking twice changes nothing the second time.
pub async fn block(
    tx: &mut Tx<'_>,
    editor: &Editor<'_>,
    subscriber_id: &str,
    now: i64,
) -> CoreResult<bool> {
    editor.check()?;
    let subscriber = subscribers::get(&mut **tx, subscriber_id).await?;
    if subscriber.status == SubscriberStatus::Geblokkeerd {
        return Ok(false);
    }
    let before: Vec<String> = current_slugs(tx, subscriber_id)
        .await?
        .into_iter()
        .collect();
    subscribers::end_all_lists(tx, subscriber_id, now).await?;
    record_consent(tx, editor, subscriber_id, false, &before, now).await?;
    set_status(
        tx,
        editor,
        &subscriber,
        SubscriberStatus::Geblokkeerd,
        ("block", "Abonnee geblokkeerd door een redacteur"),
        now,
    )
    .await?;
    Ok(true)
}

/// Lifts a block: the address becomes `afgemeld` (on no list), so it receives nothing until
/// its owner subscribes again through the form or their preferences.
pub async fn unblock(
    tx: &mut Tx<'_>,
    editor: &Editor<'_>,
    subscriber_id: &str,
    now: i64,
) -> CoreResult<bool> {
    editor.check()?;
    let subscriber = subscribers::get(&mut **tx, subscriber_id).await?;
    if subscriber.status != SubscriberStatus::Geblokkeerd {
        return Ok(false);
    }
    set_status(
        tx,
        editor,
        &subscriber,
        SubscriberStatus::Afgemeld,
        (
            "unblock",
            "Blokkering van een abonnee opgeheven door een redacteur",
        ),
        now,
    )
    .await?;
    Ok(true)
}

/// Sets the subscriber's status, with the audit entry (`action`, `summary`).
async fn set_status(
    tx: &mut Tx<'_>,
    editor: &Editor<'_>,
    subscriber: &subscribers::Subscriber,
    status: SubscriberStatus,
    (action, summary): (&str, &str),
    now: i64,
) -> CoreResult<()> {
    sqlx::query("UPDATE nb_subscribers SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(&subscriber.id)
        .bind(status.as_str())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    let changes = Changes::new().field("status", subscriber.status.as_str(), status.as_str());
    record(tx, editor, &subscriber.id, action, summary, changes).await
}

/// Erases the subscriber on an editor's action ([`subscribers::erase_as`]: the same erasure as
/// the subscriber's own, audited as the editor).
pub async fn erase(tx: &mut Tx<'_>, editor: &Editor<'_>, subscriber_id: &str) -> CoreResult<()> {
    editor.check()?;
    subscribers::erase_as(
        tx,
        subscriber_id,
        editor.audit,
        "Gegevens van een abonnee gewist door een redacteur",
    )
    .await
}
