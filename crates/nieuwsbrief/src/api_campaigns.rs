//! Campaigns in the API (`/api/v1/nieuwsbrief/campaigns`, design §3 S12), for the editors'
//! tokens (redacteur or higher of the Kenniscentrum, module `nieuwsbrief`): the list by status,
//! one campaign with its sections and blocks, a new concept, a concept's subject, preheader,
//! language, lists and template, and pause, resume and cancel while it is sent. The same store
//! functions as the editor's pages ([`crate::store::editor`], [`crate::store::deliveries`]):
//! a campaign that is no longer a concept cannot change (409), every write is audited in its
//! transaction.

use axum::extract::State;
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use steden_web::api::{
    ApiActor, ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, ListProblems, PageParams, Paged,
    Problem, ReadProblems, WriteProblems,
};
use steden_web::AppState;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api_editor::{bad_param, rfc3339, ApiEditor, LanguageName};
use crate::model::{CampaignStatus, Language};
use crate::store::campaigns::{self, Campaign, NewCampaign};
use crate::store::content;
use crate::store::deliveries::{self, Control};
use crate::store::editor::{self, Details};
use crate::store::{campaign_list, lists};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_campaigns, create_campaign))
        .routes(routes!(get_campaign, edit_campaign))
        .routes(routes!(pause_campaign))
        .routes(routes!(resume_campaign))
        .routes(routes!(cancel_campaign))
}

/// The statuses of a campaign, for the OpenAPI document.
pub struct CampaignStatusName;
steden_web::string_enum!(
    CampaignStatusName,
    CampaignStatus::ALL.iter().map(|s| s.as_str())
);

/// A campaign without its content.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampaignSummaryDto {
    pub id: String,
    pub subject: String,
    /// The line a mail client shows after the subject.
    pub preheader: String,
    #[schema(value_type = CampaignStatusName, inline)]
    pub status: String,
    #[schema(value_type = LanguageName, inline)]
    pub language: String,
    /// The slugs of the lists it goes to.
    pub lists: Vec<String>,
    /// The template it is rendered with; `null`: the default template.
    pub template_id: Option<String>,
    /// RFC 3339, once scheduled.
    pub scheduled_at: Option<String>,
    /// RFC 3339, once the sending started.
    pub started_at: Option<String>,
    /// RFC 3339, once sent or cancelled.
    pub finished_at: Option<String>,
    /// Recipients listed for the sending, and how many were sent or failed.
    pub recipients: i64,
    pub sent: i64,
    pub failed: i64,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

impl From<Campaign> for CampaignSummaryDto {
    fn from(c: Campaign) -> CampaignSummaryDto {
        CampaignSummaryDto {
            status: c.status.as_str().into(),
            language: c.language.as_str().into(),
            scheduled_at: c.scheduled_at.map(rfc3339),
            started_at: c.started_at.map(rfc3339),
            finished_at: c.finished_at.map(rfc3339),
            created_at: rfc3339(c.created_at),
            updated_at: rfc3339(c.updated_at),
            id: c.id,
            subject: c.subject,
            preheader: c.preheader,
            lists: c.lists,
            template_id: c.template_id,
            recipients: c.recipients,
            sent: c.sent,
            failed: c.failed,
        }
    }
}

/// A block of a section: a copy of a platform item, or free Markdown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BlockDto {
    pub id: String,
    /// `item` or `markdown`.
    pub kind: String,
    /// The item's module and id (item blocks).
    pub source_module: Option<String>,
    pub source_id: Option<String>,
    /// Item blocks: as copied from the item.
    pub title: String,
    pub summary: String,
    pub url: String,
    pub image_url: Option<String>,
    pub image_alt: String,
    /// Markdown blocks: the text.
    pub markdown: String,
}

/// A section of the newsletter, with its blocks in order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SectionDto {
    pub id: String,
    pub title: String,
    pub blocks: Vec<BlockDto>,
}

/// A campaign with its content.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampaignDto {
    #[serde(flatten)]
    pub campaign: CampaignSummaryDto,
    /// The sections in order.
    pub sections: Vec<SectionDto>,
}

/// Which campaigns.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CampaignQuery {
    /// Only campaigns with this status.
    #[param(value_type = Option<CampaignStatusName>, inline)]
    pub status: Option<String>,
}

/// The campaigns, newest first, a page at a time (`?page=&per_page=`). For editors.
#[utoipa::path(
    get,
    path = "/nieuwsbrief/campaigns",
    operation_id = "nieuwsbrief_list_campaigns",
    tag = "nieuwsbrief",
    security(("bearer" = [])),
    params(PageParams, CampaignQuery),
    responses(
        (status = 200, description = "Een pagina nieuwsbrieven", body = steden_web::api::Page<CampaignSummaryDto>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        ListProblems,
    )
)]
pub async fn list_campaigns(
    client: ApiActor,
    State(state): State<AppState>,
    page: PageParams,
    ApiQuery(query): ApiQuery<CampaignQuery>,
) -> ApiResult<Paged<CampaignSummaryDto>> {
    ApiEditor::of(&client, &state).await?;
    let status = match query.status.as_deref() {
        None => None,
        Some(status) => Some(CampaignStatus::parse(status).map_err(|_| {
            bad_param(
                "status",
                "Kies concept, gepland, bezig, gepauzeerd, geannuleerd of verzonden.",
            )
        })?),
    };
    let pool = state.db().pool();
    let total = campaign_list::count(pool, status).await?;
    let found = campaign_list::page(pool, status, page.limit(), page.offset()).await?;
    Ok(page.page(
        found.into_iter().map(CampaignSummaryDto::from).collect(),
        total,
    ))
}

async fn campaign_dto(state: &AppState, id: &str) -> ApiResult<CampaignDto> {
    let db = state.db();
    let campaign = campaigns::find(db.pool(), id)
        .await?
        .ok_or_else(|| ApiError::NotFound("Deze nieuwsbrief bestaat niet.".into()))?;
    let mut conn = db.pool().acquire().await?;
    let sections = content::load(&mut conn, id)
        .await?
        .into_iter()
        .map(|section| SectionDto {
            id: section.id,
            title: section.title,
            blocks: section
                .blocks
                .into_iter()
                .map(|b| BlockDto {
                    id: b.id,
                    kind: b.kind.as_str().into(),
                    source_module: b.source_module,
                    source_id: b.source_id,
                    title: b.title,
                    summary: b.summary,
                    url: b.url,
                    image_url: b.image_url,
                    image_alt: b.image_alt,
                    markdown: b.markdown,
                })
                .collect(),
        })
        .collect();
    Ok(CampaignDto {
        campaign: campaign.into(),
        sections,
    })
}

/// One campaign with its sections and blocks. For editors.
#[utoipa::path(
    get,
    path = "/nieuwsbrief/campaigns/{id}",
    operation_id = "nieuwsbrief_get_campaign",
    tag = "nieuwsbrief",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van de nieuwsbrief")),
    responses(
        (status = 200, description = "De nieuwsbrief met zijn inhoud", body = CampaignDto),
        ReadProblems,
    )
)]
pub async fn get_campaign(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<CampaignDto>> {
    ApiEditor::of(&client, &state).await?;
    Ok(Json(campaign_dto(&state, &id).await?))
}

/// A new concept.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCampaignInput {
    /// Required, at most 200 characters.
    pub subject: String,
    /// At most 250 characters.
    #[serde(default)]
    pub preheader: String,
    /// `nl` (default) or `en`.
    #[schema(value_type = Option<LanguageName>, inline)]
    pub language: Option<String>,
    /// The slugs of the lists it goes to (they can be chosen later).
    #[serde(default)]
    pub lists: Vec<String>,
    /// The template; left out: the default template.
    pub template_id: Option<String>,
}

/// The language of a body, `nl` when left out; anything else is a 422 on `language`.
fn language_of(value: Option<&str>) -> ApiResult<Language> {
    Language::parse(value.unwrap_or("nl"))
        .map_err(|_| ApiError::invalid("language", "Kies nl of en."))
}

/// Every slug must name a list: a 422 on `lists` names the first that does not.
async fn check_lists(state: &AppState, slugs: &[String]) -> ApiResult<()> {
    let all = lists::list_all(state.db().pool()).await?;
    if let Some(unknown) = slugs.iter().find(|s| !all.iter().any(|l| &l.slug == *s)) {
        return Err(ApiError::invalid(
            "lists",
            &format!("De lijst '{unknown}' bestaat niet."),
        ));
    }
    Ok(())
}

/// Creates a concept with the newsletter's usual sections (201). For editors.
#[utoipa::path(
    post,
    path = "/nieuwsbrief/campaigns",
    operation_id = "nieuwsbrief_create_campaign",
    tag = "nieuwsbrief",
    security(("bearer" = [])),
    request_body = NewCampaignInput,
    responses(
        (status = 201, description = "De nieuwe nieuwsbrief", body = CampaignDto,
         headers(("Location" = String, description = "De nieuwsbrief in de API"))),
        WriteProblems,
    )
)]
pub async fn create_campaign(
    client: ApiActor,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<NewCampaignInput>,
) -> ApiResult<Response> {
    let who = ApiEditor::of(&client, &state).await?;
    let language = language_of(input.language.as_deref())?;
    check_lists(&state, &input.lists).await?;
    let db = state.db();
    let template_id = match input.template_id {
        Some(id) => {
            if editor::template_name(db.pool(), &id).await?.is_none() {
                return Err(ApiError::invalid(
                    "template_id",
                    "Dit sjabloon bestaat niet (meer).",
                ));
            }
            Some(id)
        }
        None => editor::default_template(db.pool()).await?.map(|(id, _)| id),
    };
    let new = NewCampaign {
        subject: input.subject,
        preheader: input.preheader,
        template_id,
        language,
        lists: input.lists,
        created_by: who.audit.user_id.clone(),
    };
    let mut tx = db.begin().await?;
    let id = editor::create_campaign(&mut tx, &new, &who.audit).await?;
    tx.commit().await?;
    let mut response =
        (StatusCode::CREATED, Json(campaign_dto(&state, &id).await?)).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("/api/v1/nieuwsbrief/campaigns/{id}")) {
        response.headers_mut().insert(LOCATION, value);
    }
    Ok(response)
}

/// A change of a concept; fields left out stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignPatch {
    /// At most 200 characters, not empty.
    pub subject: Option<String>,
    /// At most 250 characters.
    pub preheader: Option<String>,
    #[schema(value_type = Option<LanguageName>, inline)]
    pub language: Option<String>,
    /// The slugs of the lists it goes to (replaces them).
    pub lists: Option<Vec<String>>,
    /// The template it is rendered with (`standaard` is the default template).
    pub template_id: Option<String>,
}

/// Changes a concept's subject, preheader, language, lists or template, audited. A campaign
/// that is scheduled, being sent or sent is frozen: 409, nothing written. For editors.
#[utoipa::path(
    patch,
    path = "/nieuwsbrief/campaigns/{id}",
    operation_id = "nieuwsbrief_edit_campaign",
    tag = "nieuwsbrief",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van de nieuwsbrief")),
    request_body = CampaignPatch,
    responses(
        (status = 200, description = "De gewijzigde nieuwsbrief", body = CampaignDto),
        WriteProblems,
        (status = 409, description = "De nieuwsbrief is al gepland of verzonden en kan niet meer veranderen",
         body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn edit_campaign(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<CampaignPatch>,
) -> ApiResult<Json<CampaignDto>> {
    let who = ApiEditor::of(&client, &state).await?;
    let db = state.db();
    let current = campaigns::find(db.pool(), &id)
        .await?
        .ok_or_else(|| ApiError::NotFound("Deze nieuwsbrief bestaat niet.".into()))?;
    let language = match patch.language.as_deref() {
        Some(language) => language_of(Some(language))?,
        None => current.language,
    };
    if let Some(lists) = &patch.lists {
        check_lists(&state, lists).await?;
    }
    let details_change = patch.subject.is_some()
        || patch.preheader.is_some()
        || patch.language.is_some()
        || patch.lists.is_some();
    let mut tx = db.begin().await?;
    if details_change {
        let details = Details {
            subject: patch.subject.unwrap_or(current.subject),
            preheader: patch.preheader.unwrap_or(current.preheader),
            language,
            lists: patch.lists.unwrap_or(current.lists),
        };
        editor::update_details(&mut tx, &id, &details, &who.audit).await?;
    }
    if let Some(template_id) = &patch.template_id {
        campaign_list::set_template(&mut tx, &id, Some(template_id), &who.audit).await?;
    }
    if !details_change && patch.template_id.is_none() {
        // Nothing to change; a frozen campaign is still refused, as any change would be.
        crate::store::sections::claim_concept(&mut tx, &id).await?;
        drop(tx);
    } else {
        tx.commit().await?;
    }
    Ok(Json(campaign_dto(&state, &id).await?))
}

/// Pauses, resumes or cancels the sending; a campaign in another state is a 409.
async fn control(
    client: ApiActor,
    state: AppState,
    id: String,
    control: Control,
) -> ApiResult<Json<CampaignSummaryDto>> {
    let who = ApiEditor::of(&client, &state).await?;
    let db = state.db();
    let mut tx = db.begin().await?;
    deliveries::control(&mut tx, &id, control, &who.audit).await?;
    tx.commit().await?;
    Ok(Json(campaigns::get(db.pool(), &id).await?.into()))
}

/// Pauses a campaign being sent (`bezig` → `gepauzeerd`): the job finishes the messages in
/// flight and stops. For editors.
#[utoipa::path(
    post,
    path = "/nieuwsbrief/campaigns/{id}/pause",
    operation_id = "nieuwsbrief_pause_campaign",
    tag = "nieuwsbrief",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van de nieuwsbrief")),
    responses(
        (status = 200, description = "De gepauzeerde nieuwsbrief", body = CampaignSummaryDto),
        ReadProblems,
        (status = 409, description = "De nieuwsbrief wordt nu niet verzonden", body = Problem,
         content_type = "application/problem+json"),
    )
)]
pub async fn pause_campaign(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<CampaignSummaryDto>> {
    control(client, state, id, Control::Pause).await
}

/// Resumes a paused campaign (`gepauzeerd` → `bezig`); the sending job is queued again. For
/// editors.
#[utoipa::path(
    post,
    path = "/nieuwsbrief/campaigns/{id}/resume",
    operation_id = "nieuwsbrief_resume_campaign",
    tag = "nieuwsbrief",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van de nieuwsbrief")),
    responses(
        (status = 200, description = "De hervatte nieuwsbrief", body = CampaignSummaryDto),
        ReadProblems,
        (status = 409, description = "De nieuwsbrief is niet gepauzeerd", body = Problem,
         content_type = "application/problem+json"),
    )
)]
pub async fn resume_campaign(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<CampaignSummaryDto>> {
    control(client, state, id, Control::Resume).await
}

/// Cancels a campaign that is scheduled, being sent or paused (`geannuleerd`): nothing more is
/// sent; what was delivered stays recorded. For editors.
#[utoipa::path(
    post,
    path = "/nieuwsbrief/campaigns/{id}/cancel",
    operation_id = "nieuwsbrief_cancel_campaign",
    tag = "nieuwsbrief",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van de nieuwsbrief")),
    responses(
        (status = 200, description = "De geannuleerde nieuwsbrief", body = CampaignSummaryDto),
        ReadProblems,
        (status = 409, description = "De nieuwsbrief is een concept, al verzonden of al geannuleerd",
         body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn cancel_campaign(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<CampaignSummaryDto>> {
    control(client, state, id, Control::Cancel).await
}
