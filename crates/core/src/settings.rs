//! Platform-wide settings stored in the database.

use rand::RngCore;
use sqlx::Row;
use steden_db::{now_ms, Db};

/// The value of a setting, if set.
pub async fn get(db: &Db, key: &str) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|r| r.get(0)))
}

/// Sets a setting, replacing any earlier value.
pub async fn set(db: &Db, key: &str, value: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value)
    .bind(now_ms())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// A random secret of 32 bytes (hex), created on first use and then shared by every server
/// instance on this database. Two instances starting at once agree: the first insert wins.
pub async fn secret(db: &Db, key: &str) -> Result<String, sqlx::Error> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(hex::encode(bytes))
    .bind(now_ms())
    .execute(db.pool())
    .await?;
    Ok(get(db, key).await?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use steden_db::testing::each_backend;

    #[tokio::test]
    async fn secret_is_created_once_and_shared() {
        each_backend(&crate::all_migrations(), |db| async move {
            let first = secret(&db, "test_secret").await.unwrap();
            assert_eq!(first.len(), 64);
            let again = secret(&db, "test_secret").await.unwrap();
            assert_eq!(first, again);
            set(&db, "theme", "licht").await.unwrap();
            set(&db, "theme", "donker").await.unwrap();
            assert_eq!(get(&db, "theme").await.unwrap().as_deref(), Some("donker"));
        })
        .await;
    }
}
