//! Items: list a plan's items, read one, create and update (editors).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use steden_web::api::{
    ApiActor, ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, NestedListProblems, Page,
    PageParams, Paged, ReadProblems, WriteProblems,
};
use steden_web::AppState;
use utoipa::{IntoParams, ToSchema};

use super::{forbidden, page_of, readable_item, readable_plan, rfc3339};
use crate::access;
use crate::model::{Item, ItemStatus, Plan};
use crate::store::{self, items::ItemFields, items::STATUS_DERIVED};

/// An item of a plan's tree.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemDto {
    pub id: String,
    pub plan_id: String,
    pub parent_id: Option<String>,
    /// 0 at the top.
    pub depth: i64,
    /// The name of the item's level, e.g. `Actieplan`.
    pub level: String,
    /// Unique within the plan, e.g. `AP0102`.
    pub code: String,
    /// At most 100 characters.
    pub title: String,
    /// At most 4,000 characters.
    pub description: String,
    pub owner_user_id: Option<String>,
    pub owner_name: String,
    pub responsible_service: String,
    pub partners: Vec<String>,
    /// `YYYY-MM-DD`.
    pub start_date: Option<String>,
    /// `YYYY-MM-DD`.
    pub end_date: Option<String>,
    /// Prioritair itself or through a descendant.
    pub prioritair: bool,
    /// Marked prioritair on this item itself.
    pub prioritair_own: bool,
    pub beleidsveld: String,
    /// Theme codes: `sdg-1` … `sdg-17` and free themes.
    pub themes: Vec<String>,
    /// `niet_gestart`, `lopend`, `vertraagd`, `afgerond` or `stopgezet`. On an item with
    /// children: derived from theirs (see `status_manual`).
    pub status: String,
    /// True when the status of this item with children was set by hand; false when it is
    /// derived from the children (all stopgezet → stopgezet; of the others: all afgerond →
    /// afgerond, any vertraagd → vertraagd, any lopend or afgerond or progress above 0 →
    /// lopend, else niet_gestart). Always false on items without children.
    pub status_manual: bool,
    /// 0–100; on parents the weighted roll-up of the children.
    pub progress: i64,
    /// Weight in the parent's roll-up.
    pub weight: i64,
    pub internal_code: String,
    pub child_count: i64,
    /// Past its end date and not closed, or delayed.
    pub late: bool,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

impl ItemDto {
    pub fn new(plan: &Plan, item: Item, today: &str) -> ItemDto {
        ItemDto {
            level: plan.level_name(item.level).to_string(),
            late: item.is_late(today),
            status_manual: item.status_is_manual(),
            id: item.id,
            plan_id: item.plan_id,
            parent_id: item.parent_id,
            depth: item.depth,
            code: item.code,
            title: item.title,
            description: item.description,
            owner_user_id: item.owner_user_id,
            owner_name: item.owner_name,
            responsible_service: item.responsible_service,
            partners: item.partners,
            start_date: item.start_date,
            end_date: item.end_date,
            prioritair: item.prioritair,
            prioritair_own: item.prioritair_own,
            beleidsveld: item.beleidsveld,
            themes: item.themes,
            status: item.status.as_str().to_string(),
            progress: item.progress,
            weight: item.weight,
            internal_code: item.internal_code,
            child_count: item.child_count,
            updated_at: rfc3339(item.updated_at),
        }
    }
}

/// Filters of the item list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemFilter {
    /// Only the children of this item (`top` for the top level).
    pub parent_id: Option<String>,
    /// Only the item with this code.
    pub code: Option<String>,
}

/// A plan's items in tree order (depth-first), paginated.
#[utoipa::path(
    get,
    path = "/plan/plans/{id}/items",
    operation_id = "list_plan_items",
    tag = "plan",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van het plan"), PageParams, ItemFilter),
    responses(
        (status = 200, description = "Een pagina items", body = Page<ItemDto>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        NestedListProblems,
    )
)]
pub async fn list(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    page: PageParams,
    ApiQuery(filter): ApiQuery<ItemFilter>,
) -> ApiResult<Paged<ItemDto>> {
    let plan = readable_plan(&state, &client.actor, &id).await?;
    let pool = state.db().pool();
    let items: Vec<Item> = match (filter.code.as_deref(), filter.parent_id.as_deref()) {
        (Some(code), _) => store::items::get_by_code(pool, &plan.id, code)
            .await?
            .into_iter()
            .collect(),
        (None, Some("top")) => store::items::children(pool, &plan.id, None).await?,
        (None, Some(parent)) => store::items::children(pool, &plan.id, Some(parent)).await?,
        (None, None) => store::items::list_for_plan(pool, &plan.id).await?,
    };
    let today = store::today();
    Ok(page_of(&page, items, |item| {
        ItemDto::new(&plan, item, &today)
    }))
}

/// One item.
#[utoipa::path(
    get,
    path = "/plan/items/{id}",
    operation_id = "get_plan_item",
    tag = "plan",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van het item")),
    responses(
        (status = 200, description = "Het item", body = ItemDto),
        ReadProblems,
    )
)]
pub async fn get(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<ItemDto>> {
    let (plan, item) = readable_item(&state, &client.actor, &id).await?;
    Ok(Json(ItemDto::new(&plan, item, &store::today())))
}

/// The status values of an item, for the OpenAPI document.
pub struct StatusName;
steden_web::string_enum!(StatusName, ItemStatus::ALL.iter().map(|s| s.as_str()));

/// The fields of an item as the API takes them. On creation, `title` is required; on update,
/// fields left out stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    /// Create only: the parent's id (or use `parent_code`); neither = top level.
    pub parent_id: Option<String>,
    /// Create only: the parent's code.
    pub parent_code: Option<String>,
    /// Create only: the name of the item's level, one of the plan's levels deeper than the
    /// parent's (levels may be skipped); left out: the level right below the parent's.
    pub level: Option<String>,
    /// Unique within the plan; made from the parent's code when left out on creation.
    pub code: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The owner: a user id (a member of the plan's organisation), or `null` for none.
    pub owner_user_id: Option<Option<String>>,
    /// A name for an owner without an account.
    pub owner_name: Option<String>,
    pub responsible_service: Option<String>,
    pub partners: Option<Vec<String>>,
    /// `YYYY-MM-DD` or `dd/mm/jjjj`; empty string clears.
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub prioritair: Option<bool>,
    pub beleidsveld: Option<String>,
    pub themes: Option<Vec<String>>,
    /// `niet_gestart`, `lopend`, `vertraagd`, `afgerond` or `stopgezet`. On an item with
    /// children this sets its status by hand (`status_manual` becomes true) until cleared.
    #[schema(value_type = Option<StatusName>, inline)]
    pub status: Option<String>,
    /// Update only. `false`: the status of an item with children is derived from its children
    /// again (cannot go with `status`); `true`: its current status is kept as set by hand.
    /// Items without children have no derived status: `true` is refused for them, `false`
    /// changes nothing.
    pub status_manual: Option<bool>,
    /// 0–100, leaves only.
    #[schema(minimum = 0, maximum = 100)]
    #[serde(default, deserialize_with = "steden_web::api::schema::whole_number")]
    pub progress: Option<i64>,
    /// 0–1000.
    #[schema(minimum = 0, maximum = 1000)]
    #[serde(default, deserialize_with = "steden_web::api::schema::whole_number")]
    pub weight: Option<i64>,
    pub internal_code: Option<String>,
    /// Required when status or progress changes: it is kept in the item's history.
    pub comment: Option<String>,
}

impl ItemInput {
    /// Lays the given fields over `base`.
    fn over(self, mut base: ItemFields) -> (ItemFields, String) {
        if let Some(v) = self.level {
            base.level = v;
        }
        if let Some(v) = self.code {
            base.code = v;
        }
        if let Some(v) = self.title {
            base.title = v;
        }
        if let Some(v) = self.description {
            base.description = v;
        }
        if let Some(v) = self.owner_user_id {
            base.owner_user_id = v;
        }
        if let Some(v) = self.owner_name {
            base.owner_name = v;
        }
        if let Some(v) = self.responsible_service {
            base.responsible_service = v;
        }
        if let Some(v) = self.partners {
            base.partners = v;
        }
        if let Some(v) = self.start_date {
            base.start_date = v;
        }
        if let Some(v) = self.end_date {
            base.end_date = v;
        }
        if let Some(v) = self.prioritair {
            base.prioritair = v;
        }
        if let Some(v) = self.beleidsveld {
            base.beleidsveld = v;
        }
        if let Some(v) = self.themes {
            base.themes = v;
        }
        if let Some(v) = self.status {
            base.status = v;
        }
        if let Some(v) = self.progress {
            base.progress = v.to_string();
        }
        if let Some(v) = self.weight {
            base.weight = v.to_string();
        }
        if let Some(v) = self.internal_code {
            base.internal_code = v;
        }
        (base, self.comment.unwrap_or_default())
    }
}

/// The API takes only the five statuses (going back to the derived one is
/// `status_manual: false`).
fn check_status_value(input: &ItemInput) -> ApiResult<()> {
    match input.status.as_deref() {
        Some(status) if ItemStatus::parse(status).is_none() => {
            Err(ApiError::invalid("status", "Kies een geldige status."))
        }
        _ => Ok(()),
    }
}

/// Checks that an owner given by id is a member of the plan's organisation.
async fn check_owner(state: &AppState, plan: &Plan, fields: &ItemFields) -> ApiResult<()> {
    if let Some(owner) = fields.owner_user_id.as_deref() {
        let role =
            steden_core::membership::role_of(state.db().pool(), owner, &plan.organisation_id)
                .await?;
        if role.is_none() {
            return Err(ApiError::invalid(
                "owner_user_id",
                "De eigenaar moet lid zijn van de organisatie van het plan.",
            ));
        }
    }
    Ok(())
}

/// Adds an item (editors).
#[utoipa::path(
    post,
    path = "/plan/plans/{id}/items",
    operation_id = "create_plan_item",
    tag = "plan",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van het plan")),
    request_body = ItemInput,
    responses(
        (status = 201, description = "Het nieuwe item", body = ItemDto),
        WriteProblems,
    )
)]
pub async fn create(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<ItemInput>,
) -> ApiResult<(StatusCode, Json<ItemDto>)> {
    let plan = readable_plan(&state, &client.actor, &id).await?;
    if !access::can_edit(&client.actor, &plan) {
        return Err(forbidden("geen items toevoegen"));
    }
    let parent_id = match (&input.parent_id, &input.parent_code) {
        (Some(parent), _) => Some(parent.clone()),
        (None, Some(code)) => Some(
            store::items::get_by_code(state.db().pool(), &plan.id, code)
                .await?
                .ok_or_else(|| {
                    ApiError::NotFound(format!("Geen item met code {code} in dit plan."))
                })?
                .id,
        ),
        (None, None) => None,
    };
    if input.status_manual == Some(true) {
        return Err(ApiError::invalid(
            "status_manual",
            "Een nieuw item heeft geen onderdelen: zijn status is de zijne, niet afgeleid.",
        ));
    }
    check_status_value(&input)?;
    let (fields, _) = input.over(ItemFields::default());
    check_owner(&state, &plan, &fields).await?;
    let mut tx = state.db().begin().await?;
    let item = store::items::create(
        &mut tx,
        &plan.id,
        parent_id.as_deref(),
        &fields,
        &client.actor.audit_actor(),
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(ItemDto::new(&plan, item, &store::today())),
    ))
}

/// Changes an item's fields (editors). Fields left out stay as they are; a change of status or
/// progress needs a `comment`.
#[utoipa::path(
    patch,
    path = "/plan/items/{id}",
    operation_id = "update_plan_item",
    tag = "plan",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van het item")),
    request_body = ItemInput,
    responses(
        (status = 200, description = "Het gewijzigde item", body = ItemDto),
        WriteProblems,
    )
)]
pub async fn update(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<ItemInput>,
) -> ApiResult<Json<ItemDto>> {
    let (plan, item) = readable_item(&state, &client.actor, &id).await?;
    if !access::can_edit(&client.actor, &plan) {
        return Err(forbidden("geen items wijzigen"));
    }
    if input.parent_id.is_some() || input.parent_code.is_some() {
        return Err(ApiError::invalid(
            "parent_id",
            "Een item verplaatsen kan (nog) niet via de API; gebruik de boom in de webtoepassing.",
        ));
    }
    check_status_value(&input)?;
    let manual = input.status_manual;
    let has_status = input.status.is_some();
    let (mut fields, comment) = input.over(ItemFields::from_item(&item));
    match manual {
        Some(false) if has_status => return Err(ApiError::invalid(
            "status_manual",
            "Geef ofwel een status, ofwel status_manual: false (de afgeleide status), niet beide.",
        )),
        Some(false) if !item.is_leaf() => fields.status = STATUS_DERIVED.to_string(),
        Some(true) if item.is_leaf() => {
            return Err(ApiError::invalid(
                "status_manual",
                "Dit item heeft geen onderdelen: zijn status is de zijne, niet afgeleid.",
            ))
        }
        Some(true) if !has_status => fields.status = item.status.as_str().to_string(),
        _ => {}
    }
    check_owner(&state, &plan, &fields).await?;
    let mut tx = state.db().begin().await?;
    let item = store::items::update(
        &mut tx,
        &item.id,
        &fields,
        &comment,
        &client.actor.audit_actor(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(ItemDto::new(&plan, item, &store::today())))
}
