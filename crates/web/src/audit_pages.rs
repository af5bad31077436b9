//! The audit trail as people see it: the "Geschiedenis" block on entity pages
//! ([`history`] + `templates/partials/history.html`), the overview for beheerders and platform
//! administrators at /beheer/audit, and its CSV export at /beheer/audit.csv.
//!
//! The trail itself (`audit_log`) belongs to `steden_core::audit`; this module only reads it.
//! Actor and organisation names are looked up at read time because the trail stores ids only
//! (so that erasing a person's data never has to touch the trail).

use serde_json::Value;
use sqlx::Row;
use steden_db::{AnyRow, Db};

mod admin_home;
mod export;
mod overview;

use crate::nav::{NavEntry, NavGroup, NavVisibility};

/// The audit pages and the administration start page (/beheer), which links to them.
pub fn routes() -> axum::Router<crate::state::AppState> {
    // The export is routed here, not in `overview`, because it builds on the overview's query:
    // `export` imports `overview`, and `overview` need not know `export`.
    overview::routes()
        .route("/beheer/audit.csv", axum::routing::get(export::csv))
        .merge(admin_home::routes())
}

/// The navigation entry of the audit trail. Beheerders reach it from /beheer; the entry is
/// shown to platform administrators only, because the navigation cannot tell a beheerder from
/// a lid and a link that leads to "geen toegang" helps nobody.
pub fn nav() -> Vec<NavEntry> {
    vec![NavEntry {
        label_key: "audit-nav",
        group: NavGroup::Admin,
        href: "/beheer/audit",
        visibility: NavVisibility::PlatformAdmin,
        order: 930,
    }]
}

/// One field of an entity that changed in one entry: `old → new`. A value that did not exist
/// (creation) or no longer exists (removal) is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// One line of an entity's history, ready for `partials/history.html`.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub id: String,
    /// Milliseconds since the Unix epoch (UTC); show with `ctx.datetime(&row.at)`.
    pub at: i64,
    /// The name of the user who made the change; `None` for the platform itself or a user who
    /// no longer exists.
    pub actor_name: Option<String>,
    /// Whether the change came through an API token.
    pub via_token: bool,
    pub action: String,
    pub summary: String,
    pub changes: Vec<FieldChange>,
}

/// The history of one entity, newest first, for the "Geschiedenis" block of its page. The
/// caller has already checked that the user may see the entity; the history shows no more
/// than the entity page itself (field names and values the page shows anyway).
pub async fn history(
    db: &Db,
    entity_type: &str,
    entity_id: &str,
) -> Result<Vec<HistoryRow>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {HISTORY_COLUMNS} {HISTORY_FROM}
         WHERE a.entity_type = $1 AND a.entity_id = $2
         ORDER BY a.at DESC, a.id DESC"
    ))
    .bind(entity_type)
    .bind(entity_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(HistoryRow::from_row).collect())
}

/// The columns every reader of the trail needs; `actor_name` comes from the accounts' users
/// table (a LEFT JOIN: the actor may be the platform itself).
const HISTORY_COLUMNS: &str = "a.id, a.at, a.actor_user_id, a.actor_token_id, a.action, \
                               a.summary, a.changes, u.name AS actor_name";
const HISTORY_FROM: &str = "FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id";

/// The history of an organisation page: changes to the organisation itself and to its
/// memberships and API tokens, newest first (at most `limit` entries).
pub async fn organisation_history(
    db: &Db,
    organisation_id: &str,
    limit: i64,
) -> Result<Vec<HistoryRow>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {HISTORY_COLUMNS} {HISTORY_FROM}
         WHERE (a.entity_type = 'organisation' AND a.entity_id = $1)
            OR (a.organisation_id = $1 AND a.entity_type IN ('membership', 'api_token'))
         ORDER BY a.at DESC, a.id DESC
         LIMIT $2"
    ))
    .bind(organisation_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(HistoryRow::from_row).collect())
}

impl HistoryRow {
    fn from_row(row: &AnyRow) -> HistoryRow {
        let token: Option<String> = row.get("actor_token_id");
        let changes: String = row.get("changes");
        HistoryRow {
            id: row.get("id"),
            at: row.get("at"),
            actor_name: row.get("actor_name"),
            via_token: token.is_some(),
            action: row.get("action"),
            summary: row.get("summary"),
            changes: field_changes(&changes),
        }
    }
}

/// `{"field": {"old": …, "new": …}}` as a list, by field name. Text that is not such an
/// object (an old or hand-made entry) yields no changes rather than an error: the summary
/// still says what happened.
pub fn field_changes(json: &str) -> Vec<FieldChange> {
    let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(json) else {
        return Vec::new();
    };
    fields
        .into_iter()
        .map(|(field, change)| FieldChange {
            field,
            old: change.get("old").and_then(display_value),
            new: change.get("new").and_then(display_value),
        })
        .collect()
}

/// A stored JSON value as a person reads it. `null` means "no value".
fn display_value(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        Value::Bool(true) => Some("ja".to_string()),
        Value::Bool(false) => Some("nee".to_string()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compiles the partial as entity pages include it (askama checks templates at build time).
    #[allow(dead_code)]
    #[derive(askama::Template)]
    #[template(
        source = "{% extends \"base.html\" %}{% block content %}{% include \"partials/history.html\" %}{% endblock %}",
        ext = "html"
    )]
    struct EntityPage {
        ctx: crate::PageContext,
        history: Vec<HistoryRow>,
    }

    #[test]
    fn changes_are_listed_old_to_new() {
        let changes = field_changes(
            r#"{"naam":{"old":"Gent","new":"Stad Gent"},"actief":{"new":true},"nis":{"old":44021,"new":null}}"#,
        );
        assert_eq!(
            changes,
            vec![
                FieldChange {
                    field: "actief".into(),
                    old: None,
                    new: Some("ja".into())
                },
                FieldChange {
                    field: "naam".into(),
                    old: Some("Gent".into()),
                    new: Some("Stad Gent".into())
                },
                FieldChange {
                    field: "nis".into(),
                    old: Some("44021".into()),
                    new: None
                },
            ]
        );
        assert!(field_changes("not json").is_empty());
        assert!(field_changes("[1,2]").is_empty());
    }
}
