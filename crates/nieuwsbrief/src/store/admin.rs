//! What the editors' pages read (design §3.2): counts for the dashboard, the latest campaigns,
//! and the subscriber list searched and filtered, paged by keyset on the address (unique, so
//! the order is total and a page never shifts when subscribers are added before it).

use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};
use steden_core::error::CoreResult;

use crate::model::{CampaignStatus, Language, SubscriberStatus};

/// How many subscribers have each status (every status, zero included), in the order of
/// [`SubscriberStatus::ALL`].
pub async fn counts_by_status<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> CoreResult<Vec<(SubscriberStatus, i64)>> {
    let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM nb_subscribers GROUP BY status")
        .fetch_all(executor)
        .await?;
    let counted: Vec<(String, i64)> = rows.iter().map(|r| (r.get("status"), r.get("n"))).collect();
    Ok(SubscriberStatus::ALL
        .into_iter()
        .map(|status| {
            let n = counted
                .iter()
                .find(|(s, _)| s == status.as_str())
                .map_or(0, |(_, n)| *n);
            (status, n)
        })
        .collect())
}

/// Per list (every list, in their order): its name, slug and the confirmed subscribers who
/// receive it (an active subscription of a `bevestigd` subscriber).
pub async fn active_by_list<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> CoreResult<Vec<(String, String, i64)>> {
    let rows = sqlx::query(
        "SELECT l.name, l.slug, COUNT(b.id) AS n
         FROM nb_lists l
         LEFT JOIN nb_subscriptions s ON s.list_id = l.id AND s.status = 'actief'
         LEFT JOIN nb_subscribers b ON b.id = s.subscriber_id AND b.status = 'bevestigd'
         GROUP BY l.id, l.name, l.slug, l.position
         ORDER BY l.position, l.name",
    )
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get("name"), r.get("slug"), r.get("n")))
        .collect())
}

/// A campaign as the dashboard lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignLine {
    pub id: String,
    pub subject: String,
    pub status: CampaignStatus,
    pub sent: i64,
    pub recipients: i64,
    pub updated_at: i64,
}

/// The `limit` campaigns changed last.
pub async fn latest_campaigns<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    limit: i64,
) -> CoreResult<Vec<CampaignLine>> {
    let rows = sqlx::query(
        "SELECT id, subject, status, sent, recipients, updated_at FROM nb_campaigns
         ORDER BY updated_at DESC, id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|r| {
            let status: String = r.get("status");
            Ok(CampaignLine {
                id: r.get("id"),
                subject: r.get("subject"),
                status: CampaignStatus::parse(&status)?,
                sent: r.get("sent"),
                recipients: r.get("recipients"),
                updated_at: r.get("updated_at"),
            })
        })
        .collect()
}

/// The editors' search and filters; empty or `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// A piece of the address or the name, in any case.
    pub text: String,
    pub status: Option<SubscriberStatus>,
    /// The slug of a list the subscriber is on (requested or active, not unsubscribed).
    pub list: Option<String>,
    pub language: Option<Language>,
}

/// One line of the subscriber list (and of the export).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriberLine {
    pub id: String,
    pub email: String,
    pub name: String,
    pub language: Language,
    pub status: SubscriberStatus,
    pub created_at: i64,
    pub confirmed_at: Option<i64>,
}

/// A LIKE pattern that finds `text` anywhere, with `%`, `_` and `\` taken literally.
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The WHERE clause of `filter` (starting with " WHERE" or empty) and its parameters, numbered
/// from `$1`. Lower-cased on both sides, so the search ignores case on both backends (SQLite's
/// LOWER only folds ASCII letters: "É" finds "é" on PostgreSQL only).
fn where_clause(filter: &Filter) -> (String, Vec<String>) {
    let mut conditions = Vec::new();
    let mut params = Vec::new();
    if !filter.text.trim().is_empty() {
        params.push(contains_pattern(&filter.text));
        let n = params.len();
        conditions.push(format!(
            "(LOWER(b.email) LIKE ${n} ESCAPE '\\' OR LOWER(b.name) LIKE ${n} ESCAPE '\\')"
        ));
    }
    if let Some(status) = filter.status {
        params.push(status.as_str().to_string());
        conditions.push(format!("b.status = ${}", params.len()));
    }
    if let Some(language) = filter.language {
        params.push(language.as_str().to_string());
        conditions.push(format!("b.language = ${}", params.len()));
    }
    if let Some(list) = &filter.list {
        params.push(list.clone());
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM nb_subscriptions s JOIN nb_lists l ON l.id = s.list_id
                     WHERE s.subscriber_id = b.id AND l.slug = ${} AND s.status <> 'afgemeld')",
            params.len()
        ));
    }
    let sql = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    (sql, params)
}

fn line_from(row: &AnyRow) -> CoreResult<SubscriberLine> {
    let language: String = row.get("language");
    let status: String = row.get("status");
    Ok(SubscriberLine {
        id: row.get("id"),
        email: row.get("email"),
        name: row.get("name"),
        language: Language::parse(&language)?,
        status: SubscriberStatus::parse(&status)?,
        created_at: row.get("created_at"),
        confirmed_at: row.get("confirmed_at"),
    })
}

/// How many subscribers `filter` finds.
pub async fn count<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    filter: &Filter,
) -> CoreResult<i64> {
    let (where_sql, params) = where_clause(filter);
    let sql = format!("SELECT COUNT(*) FROM nb_subscribers b{where_sql}");
    let mut query = sqlx::query_scalar(&sql);
    for param in &params {
        query = query.bind(param);
    }
    Ok(query.fetch_one(executor).await?)
}

/// At most `limit` subscribers that `filter` finds, by address, after the address `after`.
pub async fn page<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    filter: &Filter,
    after: Option<&str>,
    limit: i64,
) -> CoreResult<Vec<SubscriberLine>> {
    let (mut where_sql, mut params) = where_clause(filter);
    if let Some(after) = after {
        params.push(after.to_string());
        let keyset = format!("b.email > ${}", params.len());
        where_sql = if where_sql.is_empty() {
            format!(" WHERE {keyset}")
        } else {
            format!("{where_sql} AND {keyset}")
        };
    }
    let sql = format!(
        "SELECT b.id, b.email, b.name, b.language, b.status, b.created_at, b.confirmed_at
         FROM nb_subscribers b{where_sql} ORDER BY b.email LIMIT {limit}"
    );
    let mut query = sqlx::query(&sql);
    for param in &params {
        query = query.bind(param);
    }
    let rows = query.fetch_all(executor).await?;
    rows.iter().map(line_from).collect()
}

/// The campaigns a subscriber was in, by what became of their mail: (status word, count).
pub async fn deliveries<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    subscriber_id: &str,
) -> CoreResult<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "SELECT status, COUNT(*) AS n FROM nb_deliveries WHERE subscriber_id = $1
         GROUP BY status ORDER BY status",
    )
    .bind(subscriber_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(|r| (r.get("status"), r.get("n"))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_takes_wildcards_literally() {
        assert_eq!(contains_pattern(" Jan_%\\ "), "%jan\\_\\%\\\\%");
        let (sql, params) = where_clause(&Filter {
            text: "x".into(),
            status: Some(SubscriberStatus::Bevestigd),
            list: Some("obmi".into()),
            language: Some(Language::En),
        });
        assert_eq!(params, ["%x%", "bevestigd", "en", "obmi"]);
        assert!(sql.contains("$4") && !sql.contains("$5"));
        assert_eq!(where_clause(&Filter::default()).0, "");
    }
}
