//! Throttling of logins (and of reset mails), counted so that parallel requests cannot slip
//! past the limit.
//!
//! Every attempt is a row in `login_attempts` under one or more keys: the hash of the
//! account's address, of the client's address, and one key for the whole platform. A limit
//! allows at most `max` attempts under a key within `window_ms` (a sliding window); when it is
//! full, the key is refused until the oldest of those attempts leaves the window. Refused
//! attempts are not recorded, so a stranger cannot make a lock last longer by knocking on it.
//!
//! Deciding and recording happen as one step, [`try_attempt`]: in one transaction it first
//! takes the `login_locks` row of every key (an upsert, which locks the row until commit on
//! PostgreSQL and takes the single write lock on SQLite), then counts the recent attempts and,
//! if every limit allows it, records the new attempt *before* the password is checked. Two
//! parallel attempts on one key therefore queue on that row and the second sees the first: of
//! N parallel wrong passwords at most `max` are ever checked. The caller removes the records
//! of an attempt that turned out to be a good login ([`succeeded`]).

use sqlx::Row;
use steden_db::{new_id, now_ms, Db};

use crate::error::CoreResult;
use crate::user::{normalise_email, secret_hash};

/// At most `max` attempts within `window_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: i64,
    pub window_ms: i64,
}

impl Limit {
    pub const fn new(max: i64, window_ms: i64) -> Limit {
        Limit { max, window_ms }
    }
}

/// What a key stands for (it decides the message a refused person gets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    /// One account (its normalised address).
    Account,
    /// One client address.
    Client,
    /// The whole platform: password spraying over many accounts from many addresses.
    Global,
    /// Reset mails for one address.
    Reset,
}

/// A key with the limits that apply to it.
#[derive(Debug, Clone)]
pub struct Scope {
    pub kind: ScopeKind,
    pub key: String,
    pub limits: Vec<Limit>,
}

impl Scope {
    /// Login failures for the account with this address.
    pub fn account(email: &str, limits: &[Limit]) -> Scope {
        Scope {
            kind: ScopeKind::Account,
            key: account_key(email),
            limits: limits.to_vec(),
        }
    }

    /// Login failures from one client address.
    pub fn client(address: &str, limits: &[Limit]) -> Scope {
        Scope {
            kind: ScopeKind::Client,
            key: secret_hash(&format!("login-client:{address}")),
            limits: limits.to_vec(),
        }
    }

    /// Login failures on the whole platform.
    pub fn global(limits: &[Limit]) -> Scope {
        Scope {
            kind: ScopeKind::Global,
            key: secret_hash("login-global"),
            limits: limits.to_vec(),
        }
    }

    /// Reset mails for this address.
    pub fn reset(email: &str, limits: &[Limit]) -> Scope {
        Scope {
            kind: ScopeKind::Reset,
            key: secret_hash(&format!("reset:{}", normalise_email(email))),
            limits: limits.to_vec(),
        }
    }
}

/// The throttling key of an account's login failures (a hash: no plain addresses are stored).
pub fn account_key(email: &str) -> String {
    secret_hash(&format!("login:{}", normalise_email(email)))
}

/// The records of one allowed attempt, by key.
#[derive(Debug, Clone, Default)]
pub struct Attempt {
    records: Vec<(ScopeKind, String, String)>,
}

/// The answer of [`try_attempt`].
#[derive(Debug, Clone)]
pub enum Verdict {
    /// Go ahead (the attempt is recorded under every key).
    Allowed(Attempt),
    /// Refused because of `kind`'s limit, for this much longer.
    Refused {
        kind: ScopeKind,
        retry_after_ms: i64,
    },
}

/// Decides, atomically per key, whether one more attempt is allowed under every scope, and if
/// so records it (see the module documentation).
pub async fn try_attempt(db: &Db, scopes: &[Scope]) -> CoreResult<Verdict> {
    let now = now_ms();
    let mut tx = db.begin().await?;
    // Take the keys' rows in one fixed order, so that two attempts never wait for each other
    // crosswise (no deadlock on PostgreSQL).
    let mut keys: Vec<&str> = scopes.iter().map(|s| s.key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        sqlx::query(
            "INSERT INTO login_locks (key_hash, touched_at) VALUES ($1, $2)
             ON CONFLICT (key_hash) DO UPDATE SET touched_at = excluded.touched_at",
        )
        .bind(key)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let mut refused: Option<(ScopeKind, i64)> = None;
    for scope in scopes {
        for limit in &scope.limits {
            let rows = sqlx::query(
                "SELECT at FROM login_attempts WHERE key_hash = $1 AND at > $2
                 ORDER BY at DESC LIMIT $3",
            )
            .bind(&scope.key)
            .bind(now - limit.window_ms)
            .bind(limit.max)
            .fetch_all(&mut *tx)
            .await?;
            if limit.max <= 0 || rows.len() as i64 >= limit.max {
                let oldest: i64 = rows.last().map(|r| r.get(0)).unwrap_or(now);
                let retry = (oldest + limit.window_ms - now).max(1000);
                if refused.is_none_or(|(_, longest)| retry > longest) {
                    refused = Some((scope.kind, retry));
                }
            }
        }
    }
    if let Some((kind, retry_after_ms)) = refused {
        tx.rollback().await?;
        return Ok(Verdict::Refused {
            kind,
            retry_after_ms,
        });
    }
    let mut attempt = Attempt::default();
    for scope in scopes {
        let id = new_id();
        sqlx::query("INSERT INTO login_attempts (id, key_hash, at) VALUES ($1, $2, $3)")
            .bind(&id)
            .bind(&scope.key)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        attempt.records.push((scope.kind, scope.key.clone(), id));
    }
    tx.commit().await?;
    Ok(Verdict::Allowed(attempt))
}

/// The attempt was a good login: the account's failures are forgiven, and the attempt no
/// longer counts against the client or the platform (their earlier failures still do, so a
/// valid account of one's own does not reset a guesser's count).
pub async fn succeeded(db: &Db, attempt: &Attempt) -> CoreResult<()> {
    let mut tx = db.begin().await?;
    for (kind, key, id) in &attempt.records {
        if *kind == ScopeKind::Account {
            sqlx::query("DELETE FROM login_attempts WHERE key_hash = $1")
                .bind(key)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query("DELETE FROM login_attempts WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The attempt was never judged (the server was too busy to check the password): it does not
/// count under any key.
pub async fn withdraw(db: &Db, attempt: &Attempt) -> CoreResult<()> {
    let mut tx = db.begin().await?;
    for (_, _, id) in &attempt.records {
        sqlx::query("DELETE FROM login_attempts WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Forgives the login failures of the account with this address (after its owner proved
/// themselves through a mailed link).
pub async fn clear_account(db: &Db, email: &str) -> CoreResult<()> {
    sqlx::query("DELETE FROM login_attempts WHERE key_hash = $1")
        .bind(account_key(email))
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Removes what can no longer count: attempts older than `keep_ms`, and the lock rows of keys
/// untouched for that long. Returns the number of attempts removed.
pub async fn prune(db: &Db, keep_ms: i64) -> CoreResult<u64> {
    let before = now_ms() - keep_ms;
    let attempts = sqlx::query("DELETE FROM login_attempts WHERE at <= $1")
        .bind(before)
        .execute(db.pool())
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM login_locks WHERE touched_at <= $1")
        .bind(before)
        .execute(db.pool())
        .await?;
    Ok(attempts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use steden_db::testing::each_backend;

    #[tokio::test]
    async fn parallel_attempts_never_pass_the_limit() {
        each_backend(&crate::all_migrations(), |db| async move {
            let limits = [Limit::new(5, 15 * 60 * 1000)];
            let tries = (0..60).map(|_| {
                let db = db.clone();
                let scope = Scope::account("an@gent.be", &limits);
                tokio::spawn(async move { try_attempt(&db, &[scope]).await.unwrap() })
            });
            let mut allowed = 0;
            for handle in tries {
                if matches!(handle.await.unwrap(), Verdict::Allowed(_)) {
                    allowed += 1;
                }
            }
            assert_eq!(allowed, 5, "exactly the limit is allowed");
            // Another account is not affected.
            let other = Scope::account("bert@aalst.be", &limits);
            assert!(matches!(
                try_attempt(&db, &[other]).await.unwrap(),
                Verdict::Allowed(_)
            ));
            // A refused attempt says how long to wait (about the window).
            let Verdict::Refused {
                kind,
                retry_after_ms,
            } = try_attempt(&db, &[Scope::account("AN@gent.be", &limits)])
                .await
                .unwrap()
            else {
                panic!("expected a refusal")
            };
            assert_eq!(kind, ScopeKind::Account);
            assert!(retry_after_ms > 14 * 60 * 1000, "{retry_after_ms}");
            // Forgiven after proof of ownership.
            clear_account(&db, "an@gent.be").await.unwrap();
            assert!(matches!(
                try_attempt(&db, &[Scope::account("an@gent.be", &limits)])
                    .await
                    .unwrap(),
                Verdict::Allowed(_)
            ));
        })
        .await;
    }
}
