//! Schema migrations, owned by the crate whose tables they create.
//!
//! Every crate (the core and each module) exposes its migrations as a list of [`Migration`]s;
//! the binary hands all lists to [`run`] at start-up and in `steden migrate`. We keep our own
//! small runner rather than sqlx's because sqlx's migrator expects one directory with one
//! global version sequence, while here each module numbers its own migrations and must be
//! addable without renumbering anyone else's.

use sha2_free_checksum::checksum;
use sqlx::Row;

use crate::{now_ms, Backend, Db};

/// The SQL of one migration: the same for both backends where possible.
#[derive(Debug, Clone, Copy)]
pub enum MigrationSql {
    /// Portable SQL that both SQLite and PostgreSQL accept.
    Portable(&'static str),
    /// Separate SQL per backend, for what has no portable form (triggers, indexes on
    /// expressions, full-text search).
    PerBackend {
        sqlite: &'static str,
        postgres: &'static str,
    },
}

/// One step of a module's schema. `version` increases within a module; applied migrations
/// must never change (a checksum guards this).
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub module: &'static str,
    pub version: i64,
    pub name: &'static str,
    pub sql: MigrationSql,
}

impl Migration {
    fn sql_for(&self, backend: Backend) -> &'static str {
        match (self.sql, backend) {
            (MigrationSql::Portable(sql), _) => sql,
            (MigrationSql::PerBackend { sqlite, .. }, Backend::Sqlite) => sqlite,
            (MigrationSql::PerBackend { postgres, .. }, Backend::Postgres) => postgres,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("migratie {module} {version} ({name}) mislukt: {source}")]
    Failed {
        module: &'static str,
        version: i64,
        name: &'static str,
        #[source]
        source: sqlx::Error,
    },
    #[error("migratie {module} {version} ({name}) is gewijzigd nadat ze werd toegepast")]
    Changed {
        module: &'static str,
        version: i64,
        name: &'static str,
    },
    #[error("databankfout tijdens migratie: {0}")]
    Database(#[from] sqlx::Error),
}

/// What [`run`] did.
#[derive(Debug, Default, Clone)]
pub struct MigrateReport {
    pub applied: Vec<String>,
    pub already_applied: usize,
}

/// A key for PostgreSQL's advisory lock, so that several servers starting at once on one
/// database migrate one after the other.
const MIGRATION_LOCK_KEY: i64 = 0x5374_6564_656e; // "Steden"

/// Applies every migration not yet applied, each in its own transaction, in the order given
/// (modules in dependency order, versions ascending within a module).
pub async fn run(db: &Db, migrations: &[Migration]) -> Result<MigrateReport, MigrateError> {
    let mut conn = db.pool().acquire().await?;
    if db.backend() == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(MIGRATION_LOCK_KEY)
            .execute(&mut *conn)
            .await?;
    }
    let result = run_locked(db.backend(), &mut conn, migrations).await;
    if db.backend() == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(MIGRATION_LOCK_KEY)
            .execute(&mut *conn)
            .await?;
    }
    result
}

async fn run_locked(
    backend: Backend,
    conn: &mut sqlx::AnyConnection,
    migrations: &[Migration],
) -> Result<MigrateReport, MigrateError> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            module TEXT NOT NULL,
            version BIGINT NOT NULL,
            name TEXT NOT NULL,
            checksum TEXT NOT NULL,
            applied_at BIGINT NOT NULL,
            PRIMARY KEY (module, version)
        )",
    )
    .execute(&mut *conn)
    .await?;

    let applied: Vec<(String, i64, String)> =
        sqlx::query("SELECT module, version, checksum FROM schema_migrations")
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|row| (row.get(0), row.get(1), row.get(2)))
            .collect();

    let mut report = MigrateReport::default();
    for migration in migrations {
        let sql = migration.sql_for(backend);
        let sum = checksum(sql);
        if let Some((_, _, stored)) = applied
            .iter()
            .find(|(m, v, _)| m == migration.module && *v == migration.version)
        {
            if *stored != sum {
                return Err(MigrateError::Changed {
                    module: migration.module,
                    version: migration.version,
                    name: migration.name,
                });
            }
            report.already_applied += 1;
            continue;
        }
        let failed = |source| MigrateError::Failed {
            module: migration.module,
            version: migration.version,
            name: migration.name,
            source,
        };
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(failed)?;
        sqlx::query(
            "INSERT INTO schema_migrations (module, version, name, checksum, applied_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(migration.module)
        .bind(migration.version)
        .bind(migration.name)
        .bind(&sum)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(
            module = migration.module,
            version = migration.version,
            name = migration.name,
            "migratie toegepast"
        );
        report.applied.push(format!(
            "{} {} {}",
            migration.module, migration.version, migration.name
        ));
    }
    Ok(report)
}

/// A stable fingerprint of a migration's SQL (FNV-1a, 64 bit): enough to notice an edited
/// migration, which is all it is for.
mod sha2_free_checksum {
    pub fn checksum(sql: &str) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in sql.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{hash:016x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::each_backend;

    const FIRST: Migration = Migration {
        module: "test",
        version: 1,
        name: "notes",
        sql: MigrationSql::Portable(
            "CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL, done SMALLINT NOT NULL DEFAULT 0);
             CREATE INDEX notes_done ON notes (done);",
        ),
    };
    const BROKEN: Migration = Migration {
        module: "test",
        version: 2,
        name: "broken",
        sql: MigrationSql::Portable(
            "CREATE TABLE tags (id TEXT PRIMARY KEY); CREATE TABLE oops (;",
        ),
    };

    #[tokio::test]
    async fn applies_once_and_is_idempotent() {
        each_backend(&[], |db| async move {
            let first = run(&db, &[FIRST]).await.unwrap();
            assert_eq!(first.applied.len(), 1);
            let second = run(&db, &[FIRST]).await.unwrap();
            assert!(second.applied.is_empty());
            assert_eq!(second.already_applied, 1);
            sqlx::query("INSERT INTO notes (id, body) VALUES ($1, $2)")
                .bind("a")
                .bind("x")
                .execute(db.pool())
                .await
                .unwrap();
        })
        .await;
    }

    #[tokio::test]
    async fn a_failing_migration_leaves_nothing_behind() {
        each_backend(&[], |db| async move {
            run(&db, &[FIRST]).await.unwrap();
            let err = run(&db, &[FIRST, BROKEN]).await.unwrap_err();
            assert!(err.to_string().contains("broken"), "{err}");
            // The first statement of the broken migration was rolled back with it.
            let tags = sqlx::query("SELECT COUNT(*) FROM tags")
                .fetch_one(db.pool())
                .await;
            assert!(tags.is_err(), "table tags should not exist");
            let count: i64 = sqlx::query("SELECT COUNT(*) FROM schema_migrations")
                .fetch_one(db.pool())
                .await
                .unwrap()
                .get(0);
            assert_eq!(count, 1);
        })
        .await;
    }

    #[tokio::test]
    async fn an_edited_migration_is_refused() {
        each_backend(&[], |db| async move {
            run(&db, &[FIRST]).await.unwrap();
            let edited = Migration {
                sql: MigrationSql::Portable("CREATE TABLE notes (id TEXT PRIMARY KEY);"),
                ..FIRST
            };
            let err = run(&db, &[edited]).await.unwrap_err();
            assert!(matches!(err, MigrateError::Changed { .. }), "{err}");
        })
        .await;
    }
}
