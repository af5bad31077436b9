//! /beheer/audit.csv: the selected entries as CSV for Belgian Excel, written by the shell's
//! [`crate::csv::CsvWriter`] (semicolons, UTF-8 with a byte-order mark, formulas defused), with
//! a Dutch header row, dates as dd/mm/jjjj uu:mm in Belgian time, and the changed fields as JSON.
//!
//! The trail can be large, so the file is streamed: entries are read 500 at a time, by keyset
//! (at, id) rather than OFFSET so that each batch costs the same.

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use sqlx::Row;
use steden_db::Db;

use super::overview::{bind_all, overview_columns, scope_of, AuditQuery, Param, Selection};
use super::overview::{AuditRow, OVERVIEW_FROM};
use crate::csv::CsvWriter;
use crate::error::AppError;
use crate::page::PageContext;
use crate::state::AppState;

const BATCH: i64 = 500;

/// The header row. Kept in Dutch whatever the interface language: the file is exchanged
/// between organisations and must read the same for everyone.
pub const HEADER: [&str; 8] = [
    "Tijdstip",
    "Gebruiker",
    "Organisatie",
    "Type",
    "Id",
    "Actie",
    "Samenvatting",
    "Wijzigingen",
];

pub(super) async fn csv(
    State(state): State<AppState>,
    ctx: PageContext,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let scope = scope_of(user)?;
    let selection = Selection::new(&scope, &query);
    let start = Cursor {
        db: state.db().clone(),
        selection,
        after: None,
        started: false,
    };
    let stream = futures::stream::unfold(Some(start), |cursor| async move {
        let mut cursor = cursor?;
        // The first piece starts the file (byte-order mark and header row).
        let mut out = if cursor.started {
            CsvWriter::without_bom()
        } else {
            cursor.started = true;
            let mut first = CsvWriter::new();
            first.row(HEADER);
            first
        };
        match next_batch(&cursor.db, &cursor.selection, cursor.after.as_ref()).await {
            Ok(batch) => {
                let done = (batch.len() as i64) < BATCH;
                if let Some((row, _)) = batch.last() {
                    cursor.after = Some((row.entry.at, row.entry.id.clone()));
                }
                for (row, changes) in &batch {
                    out.row(fields(row, changes));
                }
                let next = if done { None } else { Some(cursor) };
                Some((Ok::<Bytes, std::io::Error>(Bytes::from(out.finish())), next))
            }
            Err(err) => {
                // The response has begun; all that can be done is to end it and log why.
                tracing::error!(error = %err, "audit-export afgebroken");
                Some((Err(std::io::Error::other(err.to_string())), None))
            }
        }
    });
    let filename = format!(
        "audit-{}.csv",
        chrono::Utc::now()
            .with_timezone(&chrono_tz::Europe::Brussels)
            .format("%Y-%m-%d")
    );
    Ok((crate::csv::headers(&filename), Body::from_stream(stream)).into_response())
}

struct Cursor {
    db: Db,
    selection: Selection,
    /// The (at, id) of the last entry written.
    after: Option<(i64, String)>,
    started: bool,
}

/// The next entries after `after`, newest first, with their changes as stored (JSON).
async fn next_batch(
    db: &Db,
    selection: &Selection,
    after: Option<&(i64, String)>,
) -> Result<Vec<(AuditRow, String)>, sqlx::Error> {
    let (where_sql, mut params) = selection.where_clause();
    let mut sql = format!(
        "SELECT {}, a.changes AS raw_changes {OVERVIEW_FROM} {where_sql}",
        overview_columns()
    );
    if let Some((at, id)) = after {
        let n = params.len();
        sql.push_str(if where_sql.is_empty() {
            " WHERE "
        } else {
            " AND "
        });
        sql.push_str(&format!(
            "(a.at < ${} OR (a.at = ${} AND a.id < ${}))",
            n + 1,
            n + 2,
            n + 3
        ));
        params.extend([Param::Int(*at), Param::Int(*at), Param::Text(id.clone())]);
    }
    sql.push_str(&format!(" ORDER BY a.at DESC, a.id DESC LIMIT {BATCH}"));
    let rows = bind_all(sqlx::query(&sql), &params)
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .iter()
        .map(|row| (AuditRow::from_row(row), row.get("raw_changes")))
        .collect())
}

fn fields(row: &AuditRow, changes: &str) -> [String; 8] {
    let actor = match (&row.entry.actor_name, row.entry.via_token) {
        (Some(name), false) => name.clone(),
        (Some(name), true) => format!("{name} (API-sleutel)"),
        (None, true) => "API-sleutel".to_string(),
        (None, false) => "Systeem".to_string(),
    };
    [
        steden_core::time::format_datetime(row.entry.at),
        actor,
        row.organisation_name.clone().unwrap_or_default(),
        row.entity_type.clone(),
        row.entity_id.clone(),
        row.entry.action.clone(),
        row.entry.summary.clone(),
        changes.to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        let mut writer = CsvWriter::without_bom();
        writer.row([
            "a;b".to_string(),
            "=SOM(A1)".to_string(),
            "zeg \"hallo\"".to_string(),
            "{\"naam\":{\"new\":\"x\"}}".to_string(),
        ]);
        assert_eq!(
            String::from_utf8(writer.finish()).unwrap(),
            "\"a;b\";'=SOM(A1);\"zeg \"\"hallo\"\"\";\"{\"\"naam\"\":{\"\"new\"\":\"\"x\"\"}}\"\r\n"
        );
    }
}
