//! The mails of subscribing (design §3.1): the confirmation with its link, "you are already
//! subscribed" with the preferences link, and the welcome after confirming. Each is queued in
//! the core's outbox inside the transaction of the change that calls for it, so a request that
//! rolls back mails nothing. Written in the subscriber's language (the form's choice), from the
//! module's catalogue.

use std::sync::OnceLock;

use steden_core::mail::{self, OutgoingMail};
use steden_core::signed_link::Signer;
use steden_db::Tx;
use steden_web::i18n::Catalog;

use crate::links::{self, LinkKind};
use crate::paths;
use crate::store::subscribers::Subscriber;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        // The module's files are checked by its tests (every id in both languages); an error
        // here would be a bug in them, and the mails would show their ids rather than stop.
        Catalog::build(&crate::translations()).unwrap_or_else(|_| {
            Catalog::build(&[]).unwrap_or_else(|e| panic!("empty catalog: {e}"))
        })
    })
}

fn t(subscriber: &Subscriber, key: &str, args: &[(&str, &str)]) -> String {
    catalog().text_with(subscriber.language.lang(), key, args)
}

fn absolute(base_url: &str, path: &str) -> String {
    format!("{}{path}", base_url.trim_end_matches('/'))
}

/// The absolute address of a signed link of `kind` for the subscriber.
fn signed(
    base_url: &str,
    signer: &Signer,
    kind: LinkKind,
    subscriber: &Subscriber,
    now: i64,
    path: fn(&str) -> String,
) -> String {
    absolute(
        base_url,
        &path(&links::sign(signer, kind, &subscriber.id, now)),
    )
}

/// Queues a plain-text mail to the subscriber, its subject the message `subject_key`.
async fn queue(
    tx: &mut Tx<'_>,
    subscriber: &Subscriber,
    subject_key: &str,
    text: String,
) -> Result<(), sqlx::Error> {
    mail::enqueue(
        tx,
        &OutgoingMail {
            to: subscriber.email.clone(),
            subject: t(subscriber, subject_key, &[]),
            text,
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

fn greeting(subscriber: &Subscriber) -> String {
    if subscriber.name.is_empty() {
        t(subscriber, "nb-mail-greeting", &[])
    } else {
        t(
            subscriber,
            "nb-mail-greeting-name",
            &[("name", &subscriber.name)],
        )
    }
}

/// The confirmation mail: the link confirms the address (7 days).
pub async fn queue_confirmation(
    tx: &mut Tx<'_>,
    signer: &Signer,
    base_url: &str,
    subscriber: &Subscriber,
    now: i64,
) -> Result<(), sqlx::Error> {
    let link = signed(
        base_url,
        signer,
        LinkKind::Confirm,
        subscriber,
        now,
        paths::confirm,
    );
    let text = format!(
        "{}\n\n{}\n\n{link}\n\n{}\n",
        greeting(subscriber),
        t(subscriber, "nb-mail-confirm-body", &[]),
        t(subscriber, "nb-mail-confirm-ignore", &[]),
    );
    queue(tx, subscriber, "nb-mail-confirm-subject", text).await
}

/// To a confirmed address that was entered in the form again: nothing changed, and this is
/// where to change the topics.
pub async fn queue_already_subscribed(
    tx: &mut Tx<'_>,
    signer: &Signer,
    base_url: &str,
    subscriber: &Subscriber,
    now: i64,
) -> Result<(), sqlx::Error> {
    let preferences = signed(
        base_url,
        signer,
        LinkKind::Preferences,
        subscriber,
        now,
        paths::preferences,
    );
    let text = format!(
        "{}\n\n{}\n\n{preferences}\n\n{}\n",
        greeting(subscriber),
        t(subscriber, "nb-mail-already-body", &[]),
        t(subscriber, "nb-mail-confirm-ignore", &[]),
    );
    queue(tx, subscriber, "nb-mail-already-subject", text).await
}

/// The welcome after confirming, with the topics and the preferences and unsubscribe links.
pub async fn queue_welcome(
    tx: &mut Tx<'_>,
    signer: &Signer,
    base_url: &str,
    subscriber: &Subscriber,
    topics: &[String],
    now: i64,
) -> Result<(), sqlx::Error> {
    let preferences = signed(
        base_url,
        signer,
        LinkKind::Preferences,
        subscriber,
        now,
        paths::preferences,
    );
    let unsubscribe = signed(
        base_url,
        signer,
        LinkKind::Unsubscribe,
        subscriber,
        now,
        paths::unsubscribe,
    );
    let topics: String = topics.iter().map(|topic| format!("- {topic}\n")).collect();
    let text = format!(
        "{}\n\n{}\n\n{topics}\n{}\n{preferences}\n\n{}\n{unsubscribe}\n",
        greeting(subscriber),
        t(subscriber, "nb-mail-welcome-body", &[]),
        t(subscriber, "nb-mail-preferences-line", &[]),
        t(subscriber, "nb-mail-unsubscribe-line", &[]),
    );
    queue(tx, subscriber, "nb-mail-welcome-subject", text).await
}
