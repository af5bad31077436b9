//! The `werkgroepen.mail_event` job (design §3.5): one mail to one participant about their
//! registration — confirmed, on the waiting list, moved up, cancelled. Enqueued in the
//! transaction of the change ([`crate::store::registrations`]), so a registration that rolls
//! back mails nothing.
//!
//! Idempotent on retry: the outbox row and the `wg_mail_log` row are written in one
//! transaction, and a retry that finds the log row rolls its new outbox row back.
//!
//! The confirmation, waiting-list and moved-up mails carry the signed link to the
//! participant's registration (see and cancel), valid until the event starts.

use std::sync::OnceLock;

use steden_core::mail::{self, OutgoingMail};
use steden_db::jobs::{JobContext, JobError, Registry};
use steden_db::Db;
use steden_web::i18n::{Catalog, Lang};

use crate::paths;
use crate::signed_link::{self, LinkKind};
use crate::store::events;
use crate::store::registrations::{self, MailKind, MailPayload, MAIL_JOB};
use crate::web::group::meetings::long_date;
use crate::web::registrant_data;

/// How long after the event the evaluation link holds.
pub const EVALUATION_DAYS: i64 = 30;

/// Registers the job's handler.
pub fn register_jobs(registry: &mut Registry) {
    registry.register(MAIL_JOB, |ctx: JobContext, payload| async move {
        handle(ctx.db(), payload).await
    });
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

/// Sends the mail a payload asks for (at most once).
pub async fn handle(db: &Db, payload: serde_json::Value) -> Result<(), JobError> {
    let payload: MailPayload = serde_json::from_value(payload)?;
    let retry = JobError::retry;
    let Some(event) = events::find(db.pool(), &payload.event_id)
        .await
        .map_err(retry)?
    else {
        return Ok(());
    };
    let Some(registration) = registrations::find(db.pool(), &payload.registration_id)
        .await
        .map_err(retry)?
    else {
        return Ok(());
    };
    // Anonymised after the event: nobody left to mail.
    if registration.email.is_empty() {
        return Ok(());
    }
    // A change or cancellation notice is for those still registered when it is sent.
    if matches!(payload.kind, MailKind::Wijziging | MailKind::Afgelast)
        && registration.status == crate::model::RegistrationStatus::Geannuleerd
    {
        return Ok(());
    }
    let base = payload.base_url.trim_end_matches('/');
    let key = signed_link::key(db).await?;
    // Cancelling is possible until the event starts; the evaluation for 30 days after it.
    let link = if payload.kind == MailKind::Evaluatie {
        let expires = event.ends_at + EVALUATION_DAYS * 24 * 3_600_000;
        let token = signed_link::sign(&key, LinkKind::Evaluation, &registration.id, expires);
        format!("{base}{}", paths::evaluation_link(&token))
    } else {
        let token = signed_link::sign(
            &key,
            LinkKind::Registration,
            &registration.id,
            event.starts_at,
        );
        format!("{base}{}", paths::registration_link(&token))
    };
    let when = format!(
        "{}, {}–{}",
        long_date(&event.local_date),
        event.local_start,
        event.local_end
    );
    let place = if event.place.is_empty() {
        event.online_url.clone()
    } else {
        event.place.clone()
    };
    let number = registration
        .waitlist_number
        .map(|n| n.to_string())
        .unwrap_or_default();
    let event_href = format!("{base}{}", paths::event(&event.slug));
    let args = [
        ("name", registration.name.as_str()),
        ("event", event.title.as_str()),
        ("when", when.as_str()),
        ("place", place.as_str()),
        ("link", link.as_str()),
        ("number", number.as_str()),
        ("page", event_href.as_str()),
        ("reason", payload.note.as_str()),
    ];
    let word = payload.kind.as_str();
    let subject = t(&format!("wg-event-mail-{word}-subject"), &args);
    let mut text = t(&format!("wg-event-mail-{word}-text"), &args);
    // The registrant's "my data" link (issue 13 point 8).
    if matches!(payload.kind, MailKind::Bevestiging | MailKind::Wachtlijst) {
        let data = registrant_data::mail_paragraph(db, base, &registration.id, t).await?;
        text.push_str(&data);
    }
    let mut tx = db.begin().await?;
    let outbox_id = mail::enqueue(
        &mut tx,
        &OutgoingMail {
            to: registration.email.clone(),
            subject,
            text,
            ..Default::default()
        },
    )
    .await?;
    let first = registrations::claim_mail(
        &mut tx,
        payload.kind,
        &event.id,
        payload.version,
        &registration.id,
        &outbox_id,
    )
    .await
    .map_err(retry)?;
    if first {
        tx.commit().await?;
    }
    // else: dropped, so the second outbox row is rolled back.
    Ok(())
}

/// The mail kinds, for the translation twin check in the tests.
pub const KINDS: [MailKind; 7] = [
    MailKind::Bevestiging,
    MailKind::Wachtlijst,
    MailKind::Doorgeschoven,
    MailKind::Annulering,
    MailKind::Evaluatie,
    MailKind::Wijziging,
    MailKind::Afgelast,
];
