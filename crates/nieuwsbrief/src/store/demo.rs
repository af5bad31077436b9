//! The demo's generated subscribers (`steden serve --demo`, design §3.11), written straight
//! into the tables with their consent history: the public path would mail every one of them a
//! confirmation, which a demo must not do four hundred times.

use steden_core::error::CoreResult;
use steden_db::{new_id, now_ms, Db, Tx};

use crate::model::{ConsentKind, Language, SubscriberStatus, SubscriptionStatus};
use crate::store::consents::{self, NewConsent};

/// One generated subscriber.
#[derive(Debug, Clone)]
pub struct DemoSubscriber {
    pub email: String,
    pub name: String,
    pub language: Language,
    pub status: SubscriberStatus,
    /// List slugs.
    pub lists: Vec<String>,
    pub created_at: i64,
    /// When a status other than onbevestigd was reached (confirmed, then perhaps left).
    pub changed_at: i64,
}

/// Inserts `subscriber` unless its address exists (the seed may run again); whether it did.
pub async fn insert_subscriber(tx: &mut Tx<'_>, subscriber: &DemoSubscriber) -> CoreResult<bool> {
    let exists: Option<String> =
        sqlx::query_scalar("SELECT id FROM nb_subscribers WHERE email = $1")
            .bind(&subscriber.email)
            .fetch_optional(&mut **tx)
            .await?;
    if exists.is_some() {
        return Ok(false);
    }
    let id = new_id();
    let confirmed = subscriber.status != SubscriberStatus::Onbevestigd;
    sqlx::query(
        "INSERT INTO nb_subscribers (id, email, name, language, status, tracking, confirmed_at,
                                     created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8)",
    )
    .bind(&id)
    .bind(&subscriber.email)
    .bind(&subscriber.name)
    .bind(subscriber.language.as_str())
    .bind(subscriber.status.as_str())
    .bind(confirmed.then_some(subscriber.created_at + 3_600_000))
    .bind(subscriber.created_at)
    .bind(subscriber.changed_at)
    .execute(&mut **tx)
    .await?;
    let list_status = match subscriber.status {
        SubscriberStatus::Onbevestigd => SubscriptionStatus::Aangevraagd,
        SubscriberStatus::Bevestigd => SubscriptionStatus::Actief,
        _ => SubscriptionStatus::Afgemeld,
    };
    for slug in &subscriber.lists {
        sqlx::query(
            "INSERT INTO nb_subscriptions (subscriber_id, list_id, status, created_at, updated_at)
             SELECT $1, id, $2, $3, $4 FROM nb_lists WHERE slug = $5",
        )
        .bind(&id)
        .bind(list_status.as_str())
        .bind(subscriber.created_at)
        .bind(subscriber.changed_at)
        .bind(slug)
        .execute(&mut **tx)
        .await?;
    }
    let record = |kind, given, at| NewConsent {
        subscriber_id: &id,
        kind,
        given,
        at,
        source: "demo",
        text_version: Some(1),
        lists: &subscriber.lists,
        ip: None,
    };
    consents::record(
        tx,
        &record(ConsentKind::Aanvraag, true, subscriber.created_at),
    )
    .await?;
    if confirmed {
        let at = subscriber.created_at + 3_600_000;
        consents::record(tx, &record(ConsentKind::Bevestiging, true, at)).await?;
    }
    if subscriber.status == SubscriberStatus::Afgemeld {
        consents::record(
            tx,
            &record(ConsentKind::Afmelding, false, subscriber.changed_at),
        )
        .await?;
    }
    Ok(true)
}

/// The settings row through which the demo's seed asks [`crate::NieuwsbriefModule`]'s start to
/// build and send the demo campaigns (see `crate::demo::campaigns`): `te-maken:<editor id>`
/// until a start has scheduled them, then [`CAMPAIGNS_DONE`].
pub const CAMPAIGNS_KEY: &str = "nieuwsbrief.demo_campaigns";
/// The value of [`CAMPAIGNS_KEY`] once the campaigns exist.
pub const CAMPAIGNS_DONE: &str = "gemaakt";
const CAMPAIGNS_WANTED: &str = "te-maken:";

/// Asks for the demo campaigns, made by `editor_id`; nothing when they were asked for (or made)
/// before, so that a seed that runs again never makes them twice.
pub async fn request_campaigns(db: &Db, editor_id: &str) -> CoreResult<()> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(CAMPAIGNS_KEY)
    .bind(format!("{CAMPAIGNS_WANTED}{editor_id}"))
    .bind(now_ms())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The editor who asked for the demo campaigns, while they are still to be made.
pub async fn campaigns_requested(db: &Db) -> CoreResult<Option<String>> {
    let value = steden_core::settings::get(db, CAMPAIGNS_KEY).await?;
    Ok(value.and_then(|v| v.strip_prefix(CAMPAIGNS_WANTED).map(str::to_string)))
}

/// Marks the demo campaigns made, in the transaction that makes them; false when another
/// start got there first (its transaction holds the row until it commits, then this finds the
/// value changed): the caller then makes nothing.
pub async fn claim_campaigns(tx: &mut Tx<'_>, editor_id: &str) -> CoreResult<bool> {
    let done = sqlx::query(
        "UPDATE settings SET value = $1, updated_at = $2 WHERE key = $3 AND value = $4",
    )
    .bind(CAMPAIGNS_DONE)
    .bind(now_ms())
    .bind(CAMPAIGNS_KEY)
    .bind(format!("{CAMPAIGNS_WANTED}{editor_id}"))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(done == 1)
}
