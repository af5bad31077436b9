//! The audit trail: every change made through the application records who made it, when, in
//! which organisation, on which entity, and what changed. Record the entry in the same
//! transaction as the change itself, so that there is never a change without its entry (nor an
//! entry for a change that was rolled back).

use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::Row;
use steden_db::{new_id, now_ms, AnyRow, Db, Tx};

/// Who made a change: a user, a user's API token, or the platform itself (both `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditActor {
    pub user_id: Option<String>,
    pub token_id: Option<String>,
}

impl AuditActor {
    /// The platform itself (migrations, seeding, jobs without a user).
    pub fn system() -> AuditActor {
        AuditActor::default()
    }

    pub fn user(user_id: &str) -> AuditActor {
        AuditActor {
            user_id: Some(user_id.to_string()),
            token_id: None,
        }
    }
}

/// The fields that changed, as `{"field": {"old": …, "new": …}}`. Fields whose old and new
/// values are equal are left out, so an entry shows only what really changed.
#[derive(Debug, Clone, Default)]
pub struct Changes(Map<String, Value>);

impl Changes {
    pub fn new() -> Changes {
        Changes::default()
    }

    /// Records `field` going from `old` to `new`, unless they are equal.
    pub fn field<T: Serialize + PartialEq>(mut self, field: &str, old: T, new: T) -> Changes {
        if old != new {
            let entry = serde_json::json!({ "old": old, "new": new });
            self.0.insert(field.to_string(), entry);
        }
        self
    }

    /// Records a value set at creation.
    pub fn created<T: Serialize>(mut self, field: &str, value: T) -> Changes {
        self.0
            .insert(field.to_string(), serde_json::json!({ "new": value }));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn to_json(&self) -> String {
        Value::Object(self.0.clone()).to_string()
    }
}

/// A new entry for the trail.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub actor: &'a AuditActor,
    pub organisation_id: Option<&'a str>,
    /// The kind of thing changed, e.g. "organisation", "user", "plan_item".
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    /// What happened: "create", "update", "delete", or a domain verb ("login", "publish").
    pub action: &'a str,
    /// One line in Dutch for people reading the history.
    pub summary: &'a str,
    pub changes: Changes,
}

/// An entry as read back.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Entry {
    pub id: String,
    /// Milliseconds since the Unix epoch (UTC).
    pub at: i64,
    pub actor_user_id: Option<String>,
    pub actor_token_id: Option<String>,
    pub organisation_id: Option<String>,
    pub entity_type: String,
    pub entity_id: String,
    pub action: String,
    pub summary: String,
    /// `{"field": {"old": …, "new": …}}`
    #[schema(value_type = Object)]
    pub changes: Value,
}

impl Entry {
    fn from_row(row: &AnyRow) -> Entry {
        let changes: String = row.get("changes");
        Entry {
            id: row.get("id"),
            at: row.get("at"),
            actor_user_id: row.get("actor_user_id"),
            actor_token_id: row.get("actor_token_id"),
            organisation_id: row.get("organisation_id"),
            entity_type: row.get("entity_type"),
            entity_id: row.get("entity_id"),
            action: row.get("action"),
            summary: row.get("summary"),
            changes: serde_json::from_str(&changes).unwrap_or(Value::Null),
        }
    }
}

const COLUMNS: &str = "id, at, actor_user_id, actor_token_id, organisation_id, entity_type, \
                       entity_id, action, summary, changes";

/// Appends an entry, inside the transaction of the change it describes.
pub async fn record(tx: &mut Tx<'_>, entry: NewEntry<'_>) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_user_id, actor_token_id, organisation_id,
                                entity_type, entity_id, action, summary, changes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(now_ms())
    .bind(entry.actor.user_id.as_deref())
    .bind(entry.actor.token_id.as_deref())
    .bind(entry.organisation_id)
    .bind(entry.entity_type)
    .bind(entry.entity_id)
    .bind(entry.action)
    .bind(entry.summary)
    .bind(entry.changes.to_json())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// The history of one entity, newest first.
pub async fn history(
    db: &Db,
    entity_type: &str,
    entity_id: &str,
) -> Result<Vec<Entry>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM audit_log WHERE entity_type = $1 AND entity_id = $2
         ORDER BY at DESC, id DESC"
    ))
    .bind(entity_type)
    .bind(entity_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(Entry::from_row).collect())
}

/// Which entries to list: all (for platform administrators) or one organisation's, within an
/// optional time range.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub organisation_id: Option<String>,
    pub entity_type: Option<String>,
    pub from_ms: Option<i64>,
    pub until_ms: Option<i64>,
}

/// Entries matching `filter`, newest first, `limit` at a time from `offset`.
pub async fn list(
    db: &Db,
    filter: &Filter,
    limit: i64,
    offset: i64,
) -> Result<Vec<Entry>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM audit_log
         WHERE ($1 IS NULL OR organisation_id = $1)
           AND ($2 IS NULL OR entity_type = $2)
           AND ($3 IS NULL OR at >= $3)
           AND ($4 IS NULL OR at < $4)
         ORDER BY at DESC, id DESC LIMIT $5 OFFSET $6"
    ))
    .bind(filter.organisation_id.as_deref())
    .bind(filter.entity_type.as_deref())
    .bind(filter.from_ms)
    .bind(filter.until_ms)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(Entry::from_row).collect())
}

/// How many entries match `filter`.
pub async fn count(db: &Db, filter: &Filter) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(*) FROM audit_log
         WHERE ($1 IS NULL OR organisation_id = $1)
           AND ($2 IS NULL OR entity_type = $2)
           AND ($3 IS NULL OR at >= $3)
           AND ($4 IS NULL OR at < $4)",
    )
    .bind(filter.organisation_id.as_deref())
    .bind(filter.entity_type.as_deref())
    .bind(filter.from_ms)
    .bind(filter.until_ms)
    .fetch_one(db.pool())
    .await?;
    Ok(row.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use steden_db::testing::each_backend;

    #[test]
    fn changes_keep_only_what_changed() {
        let changes = Changes::new().field("naam", "Gent", "Stad Gent").field(
            "soort",
            "centrumstad",
            "centrumstad",
        );
        let json: Value = serde_json::from_str(&changes.to_json()).unwrap();
        assert_eq!(json["naam"]["old"], "Gent");
        assert_eq!(json["naam"]["new"], "Stad Gent");
        assert!(json.get("soort").is_none());
    }

    #[tokio::test]
    async fn recorded_with_the_change_and_never_rewritten() {
        each_backend(&crate::all_migrations(), |db| async move {
            let actor = AuditActor::user("u1");
            let mut tx = db.begin().await.unwrap();
            record(
                &mut tx,
                NewEntry {
                    actor: &actor,
                    organisation_id: Some("org1"),
                    entity_type: "note",
                    entity_id: "n1",
                    action: "update",
                    summary: "Notitie gewijzigd",
                    changes: Changes::new().field("titel", "a", "b"),
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();

            // An entry written in a transaction that is rolled back is gone with it.
            let mut tx = db.begin().await.unwrap();
            record(
                &mut tx,
                NewEntry {
                    actor: &actor,
                    organisation_id: Some("org1"),
                    entity_type: "note",
                    entity_id: "n1",
                    action: "delete",
                    summary: "Notitie verwijderd",
                    changes: Changes::new(),
                },
            )
            .await
            .unwrap();
            tx.rollback().await.unwrap();

            let entries = history(&db, "note", "n1").await.unwrap();
            assert_eq!(entries.len(), 1);
            assert_eq!(entries[0].actor_user_id.as_deref(), Some("u1"));
            assert_eq!(entries[0].changes["titel"]["new"], "b");

            let filter = Filter {
                organisation_id: Some("org1".into()),
                ..Filter::default()
            };
            assert_eq!(count(&db, &filter).await.unwrap(), 1);
            assert_eq!(list(&db, &filter, 10, 0).await.unwrap().len(), 1);
            let other = Filter {
                organisation_id: Some("org2".into()),
                ..Filter::default()
            };
            assert_eq!(count(&db, &other).await.unwrap(), 0);

            // Append-only: updates and deletes are refused by the database itself.
            let update = sqlx::query("UPDATE audit_log SET summary = 'x'")
                .execute(db.pool())
                .await;
            assert!(update.is_err());
            let delete = sqlx::query("DELETE FROM audit_log")
                .execute(db.pool())
                .await;
            assert!(delete.is_err());
            assert_eq!(history(&db, "note", "n1").await.unwrap().len(), 1);
        })
        .await;
    }
}
