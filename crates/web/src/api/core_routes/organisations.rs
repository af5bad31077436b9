//! Organisations: list, one with its codes, and renaming by a beheerder.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use steden_core::audit::{self, Changes, NewEntry};
use steden_core::org::{self, OrgKind, Organisation};
use steden_core::policy::{self, Action};
use utoipa::{IntoParams, ToSchema};

use super::{iso_date, rfc3339, today};
use crate::api::{
    ApiActor, ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, FieldProblem, ListProblems, Page,
    PageParams, Paged, ReadProblems, WriteProblems,
};
use crate::state::AppState;

/// The longest name an organisation can have (as in the organisation store).
const MAX_NAME_CHARS: usize = 200;

/// An organisation as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganisationSummary {
    pub id: String,
    /// Short name used in addresses, e.g. `gent`.
    pub slug: String,
    pub name: String,
    /// `kenniscentrum`, `centrumstad`, `vgc`, `ocmw` or `partner`.
    pub kind: String,
    /// The REFNIS code valid today (Belgian calendar), if the organisation has one.
    pub refnis: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

impl OrganisationSummary {
    pub fn new(org: Organisation, refnis: Option<String>) -> OrganisationSummary {
        OrganisationSummary {
            id: org.id,
            slug: org.slug,
            name: org.name,
            kind: org.kind.as_str().to_string(),
            refnis,
            created_at: rfc3339(org.created_at),
            updated_at: rfc3339(org.updated_at),
        }
    }
}

/// An official code with the period in which it is valid.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganisationCode {
    /// The code scheme, e.g. `refnis`.
    pub scheme: String,
    pub code: String,
    /// First day of validity (`YYYY-MM-DD`); `null`: since always.
    pub valid_from: Option<String>,
    /// Last day of validity, inclusive (`YYYY-MM-DD`); `null`: still valid.
    pub valid_until: Option<String>,
    /// Whether the code is valid today.
    pub current: bool,
}

/// An organisation with the history of its codes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganisationDetail {
    #[serde(flatten)]
    pub organisation: OrganisationSummary,
    /// Every code the organisation has had, oldest first per scheme.
    pub codes: Vec<OrganisationCode>,
}

/// Filters of the list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListFilter {
    /// Only organisations of this kind: `kenniscentrum`, `centrumstad`, `vgc`, `ocmw` or
    /// `partner`.
    #[param(value_type = Option<KindName>, inline)]
    pub kind: Option<String>,
}

/// The kinds of organisation, for the OpenAPI document.
pub struct KindName;
crate::api::schema::string_enum!(
    KindName,
    steden_core::org::OrgKind::ALL.iter().map(|k| k.as_str())
);

/// The organisations on the platform, by name.
#[utoipa::path(
    get,
    path = "/organisations",
    operation_id = "list_organisations",
    tag = "core",
    security(("bearer" = [])),
    params(PageParams, ListFilter),
    responses(
        (status = 200, description = "Een pagina organisaties", body = Page<OrganisationSummary>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        ListProblems,
    )
)]
pub async fn list(
    client: ApiActor,
    State(state): State<AppState>,
    page: PageParams,
    ApiQuery(filter): ApiQuery<ListFilter>,
) -> ApiResult<Paged<OrganisationSummary>> {
    // Names and codes of organisations are public information; any valid token may list them.
    policy::require_authenticated(&client.actor)?;
    // An empty `kind=` is no kind either: refused like any other value outside the enum.
    let kind = match filter.kind.as_deref().map(str::trim) {
        None => None,
        Some(kind) => Some(OrgKind::parse(kind).ok_or_else(|| {
            ApiError::BadRequest(
                "Eén of meer queryparameters zijn ongeldig.".into(),
                vec![FieldProblem {
                    field: "kind".into(),
                    message: "Kies kenniscentrum, centrumstad, vgc, ocmw of partner.".into(),
                }],
            )
        })?),
    };
    // A platform has a few dozen organisations: filtering and slicing in memory is simpler
    // than a second query path, and the store stays the one place that reads the table.
    let all: Vec<Organisation> = org::list(state.db().pool())
        .await?
        .into_iter()
        .filter(|o| kind.is_none_or(|k| o.kind == k))
        .collect();
    let total = i64::try_from(all.len()).unwrap_or(i64::MAX);
    let refnis: std::collections::HashMap<String, String> =
        org::refnis_codes_on(state.db(), today())
            .await?
            .into_iter()
            .collect();
    let items = all
        .into_iter()
        .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
        .take(usize::try_from(page.limit()).unwrap_or(0))
        .map(|o| {
            let code = refnis.get(&o.id).cloned();
            OrganisationSummary::new(o, code)
        })
        .collect();
    Ok(page.page(items, total))
}

async fn detail(state: &AppState, org: Organisation) -> ApiResult<OrganisationDetail> {
    let day = today();
    let codes = org::codes(state.db().pool(), &org.id).await?;
    let refnis = org::code_on(&codes, org::REFNIS, day).map(str::to_string);
    Ok(OrganisationDetail {
        organisation: OrganisationSummary::new(org, refnis),
        codes: codes
            .into_iter()
            .map(|c| OrganisationCode {
                current: c.valid_on(day),
                scheme: c.scheme,
                code: c.code,
                valid_from: c.valid_from.map(iso_date),
                valid_until: c.valid_until.map(iso_date),
            })
            .collect(),
    })
}

/// One organisation, with its current REFNIS code and the history of its codes.
#[utoipa::path(
    get,
    path = "/organisations/{id}",
    operation_id = "get_organisation",
    tag = "core",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van de organisatie")),
    responses(
        (status = 200, description = "De organisatie", body = OrganisationDetail),
        ReadProblems,
    )
)]
pub async fn get(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<OrganisationDetail>> {
    policy::require_authenticated(&client.actor)?;
    let org = org::get(state.db().pool(), &id).await?;
    Ok(Json(detail(&state, org).await?))
}

/// The fields a beheerder may change. Fields left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationPatch {
    /// The new name (1 to 200 characters, not only spaces).
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
}

impl OrganisationPatch {
    /// The validated new name, or Dutch messages per field.
    fn validated_name(&self) -> Result<Option<String>, ApiError> {
        let Some(name) = &self.name else {
            return Ok(None);
        };
        let name = name.trim();
        let message = if name.is_empty() {
            Some("Vul een naam in.".to_string())
        } else if name.chars().count() > MAX_NAME_CHARS {
            Some(format!(
                "De naam is te lang (maximaal {MAX_NAME_CHARS} tekens)."
            ))
        } else if name.chars().any(char::is_control) {
            Some("De naam mag geen regeleinden of stuurtekens bevatten.".to_string())
        } else {
            None
        };
        match message {
            Some(message) => Err(ApiError::invalid("name", &message)),
            None => Ok(Some(name.to_string())),
        }
    }
}

/// Changes an organisation (for a beheerder of that organisation). Validated first; the
/// change and its audit entry are written together or not at all.
#[utoipa::path(
    patch,
    path = "/organisations/{id}",
    operation_id = "update_organisation",
    tag = "core",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van de organisatie")),
    request_body(content = OrganisationPatch, content_type = "application/json"),
    responses(
        (status = 200, description = "De gewijzigde organisatie", body = OrganisationDetail),
        WriteProblems,
    )
)]
pub async fn update(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<OrganisationPatch>,
) -> ApiResult<Json<OrganisationDetail>> {
    let current = org::get(state.db().pool(), &id).await?;
    client.check(Action::Manage, &current.id)?;
    let new_name = patch.validated_name()?;

    let mut tx = state.db().begin().await?;
    // Read again inside the transaction, so the audit entry records the name it replaced.
    let before = org::get(&mut *tx, &id).await?;
    if let Some(name) = new_name.filter(|name| *name != before.name) {
        sqlx::query("UPDATE organisations SET name = $1, updated_at = $2 WHERE id = $3")
            .bind(&name)
            .bind(steden_core::now_ms())
            .bind(&before.id)
            .execute(&mut *tx)
            .await?;
        let actor = client.actor.audit_actor();
        audit::record(
            &mut tx,
            NewEntry {
                actor: &actor,
                organisation_id: Some(&before.id),
                entity_type: "organisation",
                entity_id: &before.id,
                action: "update",
                summary: &format!("Naam gewijzigd van {} naar {name}", before.name),
                changes: Changes::new().field("name", before.name.as_str(), name.as_str()),
            },
        )
        .await?;
    }
    tx.commit().await?;
    let after = org::get(state.db().pool(), &id).await?;
    Ok(Json(detail(&state, after).await?))
}
