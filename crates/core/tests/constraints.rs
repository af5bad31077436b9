//! The database's constraints as field errors, on both backends: the loser of a race for a
//! unique value or a reference to a row that is gone gets a message, not a 500.

use steden_core::{ConstraintViolation, CoreError};
use steden_db::testing::each_backend;
use steden_db::{Migration, MigrationSql};

fn migrations() -> Vec<Migration> {
    vec![Migration {
        module: "constraints_test",
        version: 1,
        name: "tables",
        sql: MigrationSql::Portable(
            "CREATE TABLE ct_parents (id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE);
             CREATE TABLE ct_children (id TEXT PRIMARY KEY,
                 parent_id TEXT NOT NULL REFERENCES ct_parents (id));",
        ),
    }]
}

fn field_of(err: CoreError) -> (String, String) {
    match err {
        CoreError::Invalid(fields) => (fields[0].field.clone(), fields[0].message.clone()),
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[tokio::test]
async fn unique_and_foreign_key_violations_become_field_errors() {
    each_backend(&migrations(), |db| async move {
        let insert_parent = |id: &'static str| {
            sqlx::query("INSERT INTO ct_parents (id, code) VALUES ($1, $2)")
                .bind(id)
                .bind("GENT")
        };
        let mut tx = db.begin().await.unwrap();
        insert_parent("a")
            .execute(&mut *tx)
            .await
            .on_unique("code", "Deze code bestaat al.")
            .unwrap();
        let duplicate = insert_parent("b")
            .execute(&mut *tx)
            .await
            .on_unique("code", "Deze code bestaat al.")
            .unwrap_err();
        assert_eq!(
            field_of(duplicate),
            ("code".to_string(), "Deze code bestaat al.".to_string())
        );
        drop(tx);

        // PostgreSQL aborts a transaction after an error: each statement gets its own.
        let mut tx = db.begin().await.unwrap();
        let dangling = sqlx::query("INSERT INTO ct_children (id, parent_id) VALUES ($1, $2)")
            .bind("c")
            .bind("missing")
            .execute(&mut *tx)
            .await
            .on_foreign_key("parent_id", "Dit item bestaat niet meer.")
            .unwrap_err();
        assert_eq!(field_of(dangling).0, "parent_id");
        drop(tx);

        // Other errors pass through untouched, also when they arrive as CoreError.
        let mut tx = db.begin().await.unwrap();
        let syntax = sqlx::query("SELECT * FROM no_such_table")
            .execute(&mut *tx)
            .await
            .map_err(CoreError::Database)
            .on_unique("code", "niet deze")
            .unwrap_err();
        assert!(matches!(syntax, CoreError::Database(_)), "{syntax:?}");
    })
    .await;
}
