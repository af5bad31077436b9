//! Personal calendar feeds (`wg_feed_tokens`): a secret per person, shown once when made; only
//! its SHA-256 is stored, so a copy of the database opens nobody's calendar. One live token per
//! person (unique index); renewing revokes the old one in the same transaction.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_db::{new_id, now_ms, Tx};

/// The audit entity of a feed token.
pub const ENTITY: &str = "werkgroep_agenda_abonnement";

/// The live token of a person, without its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedToken {
    pub id: String,
    pub user_id: String,
    pub created_at: i64,
}

/// The stored form of a secret.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A new secret: 32 random bytes, base64url (43 characters, safe in a path).
fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The person's live token, if any.
pub async fn live<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    user_id: &str,
) -> CoreResult<Option<FeedToken>> {
    let row = sqlx::query(
        "SELECT id, user_id, created_at FROM wg_feed_tokens
         WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .fetch_optional(exec)
    .await?;
    Ok(row.map(|row| FeedToken {
        id: row.get("id"),
        user_id: row.get("user_id"),
        created_at: row.get("created_at"),
    }))
}

/// The live token whose secret is `secret` (`None`: unknown or revoked, answered alike).
pub async fn find_by_secret<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    secret: &str,
) -> CoreResult<Option<FeedToken>> {
    let row = sqlx::query(
        "SELECT id, user_id, created_at FROM wg_feed_tokens
         WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(hash(secret))
    .fetch_optional(exec)
    .await?;
    Ok(row.map(|row| FeedToken {
        id: row.get("id"),
        user_id: row.get("user_id"),
        created_at: row.get("created_at"),
    }))
}

async fn revoke_live(tx: &mut Tx<'_>, user_id: &str, now: i64) -> CoreResult<Option<String>> {
    let revoked: Option<String> = sqlx::query_scalar(
        "UPDATE wg_feed_tokens SET revoked_at = $1
         WHERE user_id = $2 AND revoked_at IS NULL RETURNING id",
    )
    .bind(now)
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(revoked)
}

/// Makes a new feed for `user_id` (revoking the old one) and returns its secret, which is
/// never stored and cannot be shown again. Only the person themself: the caller passes the
/// logged-in user's own id.
pub async fn renew(tx: &mut Tx<'_>, user_id: &str, actor: &AuditActor) -> CoreResult<String> {
    let now = now_ms();
    let old = revoke_live(tx, user_id, now).await?;
    let secret = new_secret();
    let id = new_id();
    sqlx::query(
        "INSERT INTO wg_feed_tokens (id, user_id, token_hash, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(hash(&secret))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: &id,
            action: if old.is_some() { "renew" } else { "create" },
            summary: "Agenda-abonnement op werkgroepen aangemaakt",
            changes: Changes::new(),
        },
    )
    .await?;
    Ok(secret)
}

/// Revokes the person's feed; `false` when there was none.
pub async fn revoke(tx: &mut Tx<'_>, user_id: &str, actor: &AuditActor) -> CoreResult<bool> {
    let Some(id) = revoke_live(tx, user_id, now_ms()).await? else {
        return Ok(false);
    };
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: &id,
            action: "revoke",
            summary: "Agenda-abonnement op werkgroepen ingetrokken",
            changes: Changes::new(),
        },
    )
    .await?;
    Ok(true)
}
