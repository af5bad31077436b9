//! GET /audit: the audit trail of the token's organisation.

use axum::extract::State;
use chrono::{NaiveDate, TimeZone};
use chrono_tz::Europe::Brussels;
use serde::{Deserialize, Serialize};
use steden_core::audit::{self, Filter};
use steden_core::policy::Action;
use utoipa::{IntoParams, ToSchema};

use super::rfc3339;
use crate::api::{
    ApiActor, ApiError, ApiQuery, ApiResult, FieldProblem, FilteredListProblems, Page, PageParams,
    Paged,
};
use crate::state::AppState;

/// One change in the trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: String,
    /// When, RFC 3339 in UTC.
    pub at: String,
    /// The user who made the change (`null`: the platform itself).
    pub actor_user_id: Option<String>,
    /// The API token through which it was made, if any.
    pub actor_token_id: Option<String>,
    pub organisation_id: Option<String>,
    /// e.g. `organisation`, `membership`.
    pub entity_type: String,
    pub entity_id: String,
    /// `create`, `update`, `delete` or a domain verb.
    pub action: String,
    /// One line in Dutch.
    pub summary: String,
    /// `{"field": {"old": …, "new": …}}`
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
}

impl From<audit::Entry> for AuditEntry {
    fn from(e: audit::Entry) -> AuditEntry {
        AuditEntry {
            id: e.id,
            at: rfc3339(e.at),
            actor_user_id: e.actor_user_id,
            actor_token_id: e.actor_token_id,
            organisation_id: e.organisation_id,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            action: e.action,
            summary: e.summary,
            changes: e.changes,
        }
    }
}

/// Filters of the trail.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Only changes to this kind of entity, e.g. `organisation`.
    pub entity_type: Option<String>,
    /// From this day on (`YYYY-MM-DD`, Belgian time).
    #[param(value_type = Option<crate::api::schema::Date>, inline)]
    pub from: Option<String>,
    /// Up to and including this day (`YYYY-MM-DD`, Belgian time).
    #[param(value_type = Option<crate::api::schema::Date>, inline)]
    pub until: Option<String>,
}

/// The start of a Belgian calendar day, in ms UTC.
fn day_start_ms(date: NaiveDate) -> Option<i64> {
    let midnight = date.and_hms_opt(0, 0, 0)?;
    // `earliest` settles the (theoretical) ambiguity of a DST change at midnight.
    Brussels
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.timestamp_millis())
}

fn parse_day(
    field: &str,
    value: Option<&str>,
    errors: &mut Vec<FieldProblem>,
) -> Option<NaiveDate> {
    // Strict, as the document says (`format: date`): an empty value or one with spaces is
    // malformed, not "no filter"; leave the parameter out for no filter.
    let value = value?;
    match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(date) => Some(date),
        Err(_) => {
            errors.push(FieldProblem {
                field: field.to_string(),
                message: "Geef een datum in de vorm JJJJ-MM-DD, bv. 2026-11-28.".to_string(),
            });
            None
        }
    }
}

impl AuditFilter {
    fn to_filter(&self, organisation_id: Option<String>) -> Result<Filter, ApiError> {
        let mut errors = Vec::new();
        let from = parse_day("from", self.from.as_deref(), &mut errors);
        let until = parse_day("until", self.until.as_deref(), &mut errors);
        if !errors.is_empty() {
            return Err(ApiError::BadRequest(
                "Eén of meer queryparameters zijn ongeldig.".to_string(),
                errors,
            ));
        }
        // Two well-formed dates that contradict each other: valid by the schema, refused by
        // a rule it cannot express, so 422 rather than 400.
        if let (Some(from), Some(until)) = (from, until) {
            if until < from {
                return Err(ApiError::Invalid(vec![FieldProblem {
                    field: "until".to_string(),
                    message: "De einddatum ligt voor de begindatum.".to_string(),
                }]));
            }
        }
        Ok(Filter {
            organisation_id,
            entity_type: self
                .entity_type
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string),
            from_ms: from.and_then(day_start_ms),
            // `until` is inclusive: everything before the start of the next day.
            until_ms: until.and_then(|d| d.succ_opt()).and_then(day_start_ms),
        })
    }
}

/// The audit trail of the token's organisation, newest first. Needs a beheerder token: the
/// trail names who changed what.
#[utoipa::path(
    get,
    path = "/audit",
    operation_id = "list_audit_entries",
    tag = "core",
    security(("bearer" = [])),
    params(PageParams, AuditFilter),
    responses(
        (status = 200, description = "Een pagina uit de audittrail", body = Page<AuditEntry>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        FilteredListProblems,
    )
)]
pub async fn list(
    client: ApiActor,
    State(state): State<AppState>,
    page: PageParams,
    ApiQuery(query): ApiQuery<AuditFilter>,
) -> ApiResult<Paged<AuditEntry>> {
    // Platform administrators see every organisation's trail; API tokens never count as one
    // (see steden_core::policy), so a token sees its own organisation's trail.
    let organisation_id = if client.actor.is_platform_admin() {
        None
    } else {
        let org = client
            .organisation_id()
            .ok_or_else(|| ApiError::Forbidden("Dit token hoort bij geen organisatie.".into()))?
            .to_string();
        client.check(Action::Manage, &org)?;
        Some(org)
    };
    let filter = query.to_filter(organisation_id)?;
    let total = audit::count(state.db(), &filter).await?;
    let items = audit::list(state.db(), &filter, page.limit(), page.offset())
        .await?
        .into_iter()
        .map(AuditEntry::from)
        .collect();
    Ok(page.page(items, total))
}
