//! Topic lists (`nb_lists`).

use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

/// A topic list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct List {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Offered on the public form.
    pub public: bool,
}

fn from_row(row: &AnyRow) -> List {
    List {
        id: row.get("id"),
        slug: row.get("slug"),
        name: row.get("name"),
        description: row.get("description"),
        public: steden_db::flag::from_db(row.get("public")),
    }
}

/// The lists offered on the public form, in their order.
pub async fn list_public<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> Result<Vec<List>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, slug, name, description, CAST(public AS BIGINT) AS public FROM nb_lists
         WHERE public = 1 ORDER BY position, name",
    )
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// Every list, public or not, in their order (the editors' choice of recipients).
pub async fn list_all<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> Result<Vec<List>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, slug, name, description, CAST(public AS BIGINT) AS public FROM nb_lists
         ORDER BY position, name",
    )
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// The list `slug`; an unknown slug is a field error on `lists`.
pub async fn get_by_slug<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    slug: &str,
) -> steden_core::CoreResult<List> {
    let row = sqlx::query(
        "SELECT id, slug, name, description, CAST(public AS BIGINT) AS public FROM nb_lists
         WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(executor)
    .await?;
    row.as_ref()
        .map(from_row)
        .ok_or_else(|| steden_core::CoreError::invalid("lists", "Deze lijst bestaat niet."))
}
