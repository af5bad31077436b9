//! /beheer/audit: the trail of an organisation (for its beheerders) or of the whole platform
//! (for platform administrators), with filters and pages; /beheer/audit.csv exports the same
//! selection.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{Days, NaiveDate, TimeZone};
use chrono_tz::Europe::Brussels;
use serde::Deserialize;
use sqlx::Row;
use steden_core::policy::{self, Action};
use steden_db::{AnyRow, Db};

use super::{HistoryRow, HISTORY_COLUMNS};
use crate::error::AppError;
use crate::form::FormErrors;
use crate::page::{render, PageContext};
use crate::session::SessionUser;
use crate::state::AppState;

/// Entries per page.
const PAGE_SIZE: i64 = 50;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/beheer/audit", get(list_page))
}

/// The query string of the overview and the export. Everything is text so that a mistyped
/// value becomes a message next to its field instead of a bare 400.
#[derive(Debug, Default, Clone, Deserialize)]
pub(super) struct AuditQuery {
    #[serde(default, rename = "type")]
    pub entity_type: String,
    #[serde(default)]
    pub van: String,
    #[serde(default)]
    pub tot: String,
    #[serde(default)]
    pub organisatie: String,
    #[serde(default)]
    pub pagina: String,
}

/// Whose entries an actor may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Scope {
    /// Platform administrators: every entry, including those without an organisation.
    Platform,
    /// A beheerder: the entries of the organisation they manage.
    Organisation(String),
}

/// Who may read the trail, decided by the policy layer: a platform administrator reads
/// everything; whoever may manage their active organisation (a beheerder) reads that
/// organisation's entries; anyone else nothing.
pub(super) fn scope_of(user: &SessionUser) -> Result<Scope, AppError> {
    let actor = user.actor();
    if policy::require_platform_admin(&actor).is_ok() {
        return Ok(Scope::Platform);
    }
    let org = user.active_org.as_ref().ok_or(AppError::Forbidden)?;
    policy::check(&actor, policy::CORE_MODULE, Action::Manage, &org.id)?;
    Ok(Scope::Organisation(org.id.clone()))
}

/// The selection after checking the query: what to show and what to say about bad input.
#[derive(Debug, Clone, Default)]
pub(super) struct Selection {
    pub organisation_id: Option<String>,
    pub entity_type: Option<String>,
    pub from_ms: Option<i64>,
    pub until_ms: Option<i64>,
    pub from_error: bool,
    pub until_error: bool,
}

impl Selection {
    /// Reads the filters; a beheerder's organisation cannot be widened by the query string.
    pub fn new(scope: &Scope, query: &AuditQuery) -> Selection {
        let organisation_id = match scope {
            Scope::Organisation(id) => Some(id.clone()),
            Scope::Platform => non_empty(&query.organisatie),
        };
        let from = parse_day(&query.van);
        let until = parse_day(&query.tot);
        Selection {
            organisation_id,
            entity_type: non_empty(&query.entity_type),
            from_ms: from.ok().flatten().map(start_of_day_ms),
            // "tot en met": the whole last day is included.
            until_ms: until
                .ok()
                .flatten()
                .and_then(|day| day.checked_add_days(Days::new(1)))
                .map(start_of_day_ms),
            from_error: from.is_err(),
            until_error: until.is_err(),
        }
    }

    /// The WHERE clause over `audit_log a` and its parameters, numbered from `$1`.
    pub fn where_clause(&self) -> (String, Vec<Param>) {
        let mut clauses = Vec::new();
        let mut params = Vec::new();
        let mut add = |clause: &str, param: Param| {
            params.push(param);
            clauses.push(clause.replace('?', &format!("${}", params.len())));
        };
        if let Some(id) = &self.organisation_id {
            add("a.organisation_id = ?", Param::Text(id.clone()));
        }
        if let Some(kind) = &self.entity_type {
            add("a.entity_type = ?", Param::Text(kind.clone()));
        }
        if let Some(ms) = self.from_ms {
            add("a.at >= ?", Param::Int(ms));
        }
        if let Some(ms) = self.until_ms {
            add("a.at < ?", Param::Int(ms));
        }
        if clauses.is_empty() {
            (String::new(), params)
        } else {
            (format!("WHERE {}", clauses.join(" AND ")), params)
        }
    }
}

/// A query parameter of a dynamically built WHERE clause.
#[derive(Debug, Clone)]
pub(super) enum Param {
    Text(String),
    Int(i64),
}

pub(super) fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    params: &[Param],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for param in params {
        query = match param {
            Param::Text(text) => query.bind(text.clone()),
            Param::Int(value) => query.bind(*value),
        };
    }
    query
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// Empty → no bound; a date in any form Belgian users type → that day; anything else → error.
fn parse_day(text: &str) -> Result<Option<NaiveDate>, ()> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    steden_core::time::parse_date(text).map(Some).ok_or(())
}

/// A date for an `<input type="date">`: ISO when it parses, else what was typed (so that the
/// user sees and can correct it).
fn date_value(text: &str) -> String {
    steden_core::time::parse_date(text)
        .map(|day| day.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| text.trim().to_string())
}

/// Midnight at the start of `day` in Belgian time, as stored timestamps are compared.
fn start_of_day_ms(day: NaiveDate) -> i64 {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    Brussels
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.timestamp_millis())
        .unwrap_or_else(|| midnight.and_utc().timestamp_millis())
}

/// The joins that give every entry its actor's and organisation's names.
pub(super) const OVERVIEW_FROM: &str = "FROM audit_log a
    LEFT JOIN users u ON u.id = a.actor_user_id
    LEFT JOIN organisations o ON o.id = a.organisation_id";

/// An entry in the overview: its history line plus where it belongs.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub entry: HistoryRow,
    pub organisation_name: Option<String>,
    pub entity_type: String,
    pub entity_id: String,
}

impl AuditRow {
    pub(super) fn from_row(row: &AnyRow) -> AuditRow {
        AuditRow {
            entry: HistoryRow::from_row(row),
            organisation_name: row.get("organisation_name"),
            entity_type: row.get("entity_type"),
            entity_id: row.get("entity_id"),
        }
    }
}

pub(super) fn overview_columns() -> String {
    format!("{HISTORY_COLUMNS}, a.entity_type, a.entity_id, o.name AS organisation_name")
}

async fn count(db: &Db, selection: &Selection) -> Result<i64, sqlx::Error> {
    let (where_sql, params) = selection.where_clause();
    let sql = format!("SELECT COUNT(*) FROM audit_log a {where_sql}");
    let row = bind_all(sqlx::query(&sql), &params)
        .fetch_one(db.pool())
        .await?;
    Ok(row.get(0))
}

async fn page_of(
    db: &Db,
    selection: &Selection,
    offset: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    let (where_sql, params) = selection.where_clause();
    let sql = format!(
        "SELECT {} {OVERVIEW_FROM} {where_sql} ORDER BY a.at DESC, a.id DESC LIMIT {PAGE_SIZE} OFFSET {offset}",
        overview_columns()
    );
    let rows = bind_all(sqlx::query(&sql), &params)
        .fetch_all(db.pool())
        .await?;
    Ok(rows.iter().map(AuditRow::from_row).collect())
}

/// The entity types present in the scope, for the filter's choices.
async fn entity_types(db: &Db, scope: &Scope) -> Result<Vec<String>, sqlx::Error> {
    let rows = match scope {
        Scope::Platform => {
            sqlx::query("SELECT DISTINCT entity_type FROM audit_log ORDER BY entity_type")
                .fetch_all(db.pool())
                .await?
        }
        Scope::Organisation(id) => {
            sqlx::query(
                "SELECT DISTINCT entity_type FROM audit_log WHERE organisation_id = $1
                 ORDER BY entity_type",
            )
            .bind(id)
            .fetch_all(db.pool())
            .await?
        }
    };
    Ok(rows.iter().map(|row| row.get(0)).collect())
}

/// An organisation to filter on (platform administrators only).
#[derive(Debug, Clone)]
pub struct OrgOption {
    pub id: String,
    pub name: String,
}

async fn organisations(db: &Db) -> Result<Vec<OrgOption>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, name FROM organisations ORDER BY name")
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .iter()
        .map(|row| OrgOption {
            id: row.get("id"),
            name: row.get("name"),
        })
        .collect())
}

/// Query string of the current filters, for the export link and the page links.
fn filter_query(query: &AuditQuery, scope: &Scope) -> String {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for (key, value) in [
        ("type", &query.entity_type),
        ("van", &query.van),
        ("tot", &query.tot),
    ] {
        if !value.trim().is_empty() {
            pairs.push((key, value.trim()));
        }
    }
    if *scope == Scope::Platform && !query.organisatie.trim().is_empty() {
        pairs.push(("organisatie", query.organisatie.trim()));
    }
    serde_urlencoded::to_string(&pairs).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "audit/list.html")]
struct ListPage {
    ctx: PageContext,
    rows: Vec<AuditRow>,
    query: AuditQuery,
    errors: FormErrors,
    /// The dates as the date inputs expect them (ISO) when valid, else as typed.
    from_value: String,
    until_value: String,
    entity_types: Vec<String>,
    organisations: Vec<OrgOption>,
    show_org_filter: bool,
    total: i64,
    page: i64,
    pages: i64,
    /// The filters as a query string (without the page), possibly empty.
    filters: String,
}

impl ListPage {
    /// The links to the other pages of the list.
    fn pagination(&self) -> crate::pagination::Pagination {
        let count = |n: i64| u64::try_from(n).unwrap_or(1);
        crate::pagination::Pagination::new(&self.ctx, count(self.page), count(self.pages), |n| {
            self.page_href(&i64::try_from(n).unwrap_or(1))
        })
    }

    fn page_href(&self, page: &i64) -> String {
        if self.filters.is_empty() {
            format!("/beheer/audit?pagina={page}")
        } else {
            format!("/beheer/audit?{}&pagina={page}", self.filters)
        }
    }

    fn csv_href(&self) -> String {
        if self.filters.is_empty() {
            "/beheer/audit.csv".to_string()
        } else {
            format!("/beheer/audit.csv?{}", self.filters)
        }
    }
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageContext,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let scope = scope_of(user)?;
    let db = state.db();
    let selection = Selection::new(&scope, &query);
    let total = count(db, &selection).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = query
        .pagina
        .trim()
        .parse::<i64>()
        .unwrap_or(1)
        .clamp(1, pages);
    let rows = page_of(db, &selection, (page - 1) * PAGE_SIZE).await?;
    let show_org_filter = scope == Scope::Platform;
    let organisations = if show_org_filter {
        organisations(db).await?
    } else {
        Vec::new()
    };
    let title = ctx.t("audit-title");
    let admin = ctx.t("admin-title");
    let ctx = ctx.crumb(admin, "/beheer").titled(title);
    let mut errors = FormErrors::none();
    let invalid_date = ctx.t("audit-date-invalid");
    if selection.from_error {
        errors.add("van", &invalid_date);
    }
    if selection.until_error {
        errors.add("tot", &invalid_date);
    }
    let page_view = ListPage {
        from_value: date_value(&query.van),
        until_value: date_value(&query.tot),
        errors,
        entity_types: entity_types(db, &scope).await?,
        filters: filter_query(&query, &scope),
        ctx,
        rows,
        query,
        organisations,
        show_org_filter,
        total,
        page,
        pages,
    };
    render(&page_view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_beheerder_cannot_widen_the_organisation() {
        let query = AuditQuery {
            organisatie: "other".into(),
            van: "01/11/2026".into(),
            tot: "2026-11-30".into(),
            ..AuditQuery::default()
        };
        let selection = Selection::new(&Scope::Organisation("mine".into()), &query);
        assert_eq!(selection.organisation_id.as_deref(), Some("mine"));
        let (sql, params) = selection.where_clause();
        assert_eq!(
            sql,
            "WHERE a.organisation_id = $1 AND a.at >= $2 AND a.at < $3"
        );
        assert_eq!(params.len(), 3);
        // 1 November 2026 00:00 in Brussels is 31 October 23:00 UTC; "tot 30/11" includes
        // the whole 30th, up to 1 December 00:00 Brussels = 30 November 23:00 UTC.
        assert_eq!(selection.from_ms, Some(1_793_487_600_000));
        assert_eq!(selection.until_ms, Some(1_796_079_600_000));

        let admin = Selection::new(&Scope::Platform, &query);
        assert_eq!(admin.organisation_id.as_deref(), Some("other"));
    }

    #[test]
    fn a_mistyped_date_is_reported_not_ignored_silently() {
        let query = AuditQuery {
            van: "gisteren".into(),
            ..AuditQuery::default()
        };
        let selection = Selection::new(&Scope::Platform, &query);
        assert!(selection.from_error);
        assert_eq!(selection.from_ms, None);
        assert_eq!(selection.where_clause().0, "");
    }
}
