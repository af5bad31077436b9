//! The subscribers in the API (`/api/v1/nieuwsbrief/subscribers`, design §3 S12), for a token
//! of the module `nieuwsbrief` that acts for the Kenniscentrum with the role redacteur or
//! higher — the editors of the pages. The same store writes as the pages
//! ([`crate::store::admin_writes`]) and the import ([`crate::store::import_write`]): the same
//! rules, the same consent records and audit entries, one transaction per call.
//!
//! The list is paged by keyset on the address, as the editors' page: `?after=<the last address
//! of the previous page>`, so that a page does not shift when someone subscribes meanwhile.

use axum::extract::State;
use axum::http::header::LINK;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_web::api::{
    ApiActor, ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, FieldProblem, ListProblems,
    ReadProblems, WriteProblems,
};
use steden_web::AppState;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api_editor::{bad_param, rfc3339, ApiEditor, LanguageName};
use crate::import::check::Checked;
use crate::import::job::legal_basis_line;
use crate::import::LegalBasis;
use crate::model::{Language, SubscriberStatus, SubscriptionStatus};
use crate::store::admin::{self, Filter, SubscriberLine};
use crate::store::admin_writes;
use crate::store::import_write::{self, Applied, Rules};
use crate::store::subscribers::{self, validate_language, validate_name, Preferences};
use crate::store::{consents, lists};

/// Subscribers per page by default, and at most.
const DEFAULT_PER_PAGE: u32 = 50;
const MAX_PER_PAGE: u32 = 200;
/// The longest legal basis and source kept (as on the import form).
const TEXT_MAX: usize = 500;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_subscribers, add_subscriber))
        .routes(routes!(get_subscriber, edit_subscriber, erase_subscriber))
        .routes(routes!(block_subscriber))
        .routes(routes!(unblock_subscriber))
}

/// The statuses of a subscriber, for the OpenAPI document.
pub struct SubscriberStatusName;
steden_web::string_enum!(
    SubscriberStatusName,
    SubscriberStatus::ALL.iter().map(|s| s.as_str())
);

/// The legal bases of a confirmed addition, for the OpenAPI document.
pub struct LegalBasisName;
steden_web::string_enum!(LegalBasisName, LegalBasis::ALL.iter().map(|b| b.as_str()));

/// The search, filters and page of the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubscriberQuery {
    /// A piece of the address or the name, in any case (the first 200 characters count).
    pub q: Option<String>,
    /// Only subscribers with this status.
    #[param(value_type = Option<SubscriberStatusName>, inline)]
    pub status: Option<String>,
    /// Only subscribers on this list (its slug; requested or active, not unsubscribed).
    pub list: Option<String>,
    /// Only subscribers with this language.
    #[param(value_type = Option<LanguageName>, inline)]
    pub language: Option<String>,
    /// The last address of the previous page (its `next_after`); left out for the first page.
    pub after: Option<String>,
    /// Subscribers per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<u32>,
}

impl SubscriberQuery {
    fn filter(&self) -> ApiResult<Filter> {
        let status = match self.status.as_deref() {
            None => None,
            Some(status) => Some(SubscriberStatus::parse(status).map_err(|_| {
                bad_param(
                    "status",
                    "Kies onbevestigd, bevestigd, afgemeld, gebounced of geblokkeerd.",
                )
            })?),
        };
        let language = match self.language.as_deref() {
            None => None,
            // Exactly the document's enum: `Language::parse` also forgives the form's blank
            // and spaces, which the API's schema does not allow.
            Some(language @ ("nl" | "en")) => Some(
                Language::parse(language).map_err(|_| bad_param("language", "Kies nl of en."))?,
            ),
            Some(_) => return Err(bad_param("language", "Kies nl of en.")),
        };
        Ok(Filter {
            text: self.q.as_deref().unwrap_or("").chars().take(200).collect(),
            status,
            list: self
                .list
                .as_deref()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string),
            language,
        })
    }

    fn per_page(&self) -> ApiResult<u32> {
        match self.per_page {
            None => Ok(DEFAULT_PER_PAGE),
            Some(n) if (1..=MAX_PER_PAGE).contains(&n) => Ok(n),
            Some(_) => Err(bad_param(
                "per_page",
                "Het aantal per pagina moet een geheel getal van 1 tot en met 200 zijn.",
            )),
        }
    }

    /// The query string of the next page: these filters, `after` the address `last`.
    fn next_query(&self, last: &str, per_page: u32) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in [
            ("q", &self.q),
            ("status", &self.status),
            ("list", &self.list),
            ("language", &self.language),
        ] {
            if let Some(value) = value {
                query.append_pair(key, value);
            }
        }
        query.append_pair("after", last);
        query.append_pair("per_page", &per_page.to_string());
        query.finish()
    }
}

/// A subscriber as the list shows them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubscriberLineDto {
    pub id: String,
    pub email: String,
    pub name: String,
    /// `nl` or `en`.
    #[schema(value_type = LanguageName, inline)]
    pub language: String,
    #[schema(value_type = SubscriberStatusName, inline)]
    pub status: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339; `null` while the address is not confirmed.
    pub confirmed_at: Option<String>,
}

impl From<SubscriberLine> for SubscriberLineDto {
    fn from(line: SubscriberLine) -> SubscriberLineDto {
        SubscriberLineDto {
            id: line.id,
            email: line.email,
            name: line.name,
            language: line.language.as_str().into(),
            status: line.status.as_str().into(),
            created_at: rfc3339(line.created_at),
            confirmed_at: line.confirmed_at.map(rfc3339),
        }
    }
}

/// A page of subscribers, by address.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubscriberPageDto {
    pub items: Vec<SubscriberLineDto>,
    pub per_page: u32,
    /// How many subscribers the search and filters find, over all pages.
    pub total: i64,
    /// The `after` of the next page; `null` on the last page.
    pub next_after: Option<String>,
}

/// The subscribers found by the search and filters, by address, a page at a time (keyset:
/// follow `next_after`, or the `Link` header's `next`). For editors.
#[utoipa::path(
    get,
    path = "/nieuwsbrief/subscribers",
    operation_id = "nieuwsbrief_list_subscribers",
    tag = "nieuwsbrief",
    security(("bearer" = [])),
    params(SubscriberQuery),
    responses(
        (status = 200, description = "Een pagina abonnees", body = SubscriberPageDto,
         headers(("Link" = String, description = "RFC 8288: next, zolang er een volgende pagina is"))),
        ListProblems,
    )
)]
pub async fn list_subscribers(
    client: ApiActor,
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<SubscriberQuery>,
) -> ApiResult<Response> {
    ApiEditor::of(&client, &state).await?;
    let filter = query.filter()?;
    let per_page = query.per_page()?;
    let pool = state.db().pool();
    let after = query.after.as_deref().filter(|a| !a.is_empty());
    let mut found = admin::page(pool, &filter, after, i64::from(per_page) + 1).await?;
    let more = found.len() > per_page as usize;
    found.truncate(per_page as usize);
    let total = admin::count(pool, &filter).await?;
    let next_after = found.last().filter(|_| more).map(|last| last.email.clone());
    let link = next_after.as_deref().map(|last| {
        format!(
            "</api/v1/nieuwsbrief/subscribers?{}>; rel=\"next\"",
            query.next_query(last, per_page)
        )
    });
    let mut response = Json(SubscriberPageDto {
        items: found.into_iter().map(SubscriberLineDto::from).collect(),
        per_page,
        total,
        next_after,
    })
    .into_response();
    if let Some(value) = link.and_then(|l| HeaderValue::from_str(&l).ok()) {
        response.headers_mut().insert(LINK, value);
    }
    Ok(response)
}

/// A subscriber's standing on a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubscriptionDto {
    /// The list's slug.
    pub list: String,
    pub name: String,
    /// `aangevraagd` (until the address is confirmed), `actief` or `afgemeld`.
    pub status: String,
}

/// One record of consent: given or withdrawn, when, how and for which lists.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsentDto {
    /// `aanvraag`, `bevestiging`, `voorkeuren`, `afmelding`, `beheer` or `import`.
    pub kind: String,
    pub given: bool,
    /// RFC 3339.
    pub at: String,
    /// Where it came from: `formulier`, `beheer:<user>`, `import:<file>`, `api:<token>`, …
    pub source: String,
    /// The version of the consent text shown, for the public form's records.
    pub text_version: Option<i64>,
    /// The slugs of the lists concerned.
    pub lists: Vec<String>,
    /// For an addition as confirmed by an editor: the legal basis, its explanation and source.
    pub legal_basis: Option<String>,
}

/// A subscriber with their lists and record of consent.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubscriberDto {
    pub id: String,
    pub email: String,
    pub name: String,
    #[schema(value_type = LanguageName, inline)]
    pub language: String,
    #[schema(value_type = SubscriberStatusName, inline)]
    pub status: String,
    /// Whether they allow per-person reading statistics.
    pub tracking: bool,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339; `null` while the address is not confirmed.
    pub confirmed_at: Option<String>,
    /// RFC 3339.
    pub updated_at: String,
    pub subscriptions: Vec<SubscriptionDto>,
    /// Oldest first.
    pub consents: Vec<ConsentDto>,
}

/// The subscriber `id` as the API shows them; 404 when there is none.
async fn subscriber_dto(state: &AppState, id: &str) -> ApiResult<SubscriberDto> {
    let pool = state.db().pool();
    let subscriber = subscribers::find(pool, id)
        .await?
        .ok_or_else(|| ApiError::NotFound("Deze abonnee bestaat niet.".into()))?;
    let subscriptions = subscribers::subscriptions(pool, id)
        .await?
        .into_iter()
        .map(|s| SubscriptionDto {
            list: s.list.slug,
            name: s.list.name,
            status: s.status.as_str().into(),
        })
        .collect();
    let consents = consents::list_for(pool, id)
        .await
        .map_err(steden_core::CoreError::from)?
        .into_iter()
        .map(|c| ConsentDto {
            kind: c.kind,
            given: c.given,
            at: rfc3339(c.at),
            source: c.source,
            text_version: c.consent_text_version,
            lists: c.lists,
            legal_basis: c.legal_basis,
        })
        .collect();
    Ok(SubscriberDto {
        id: subscriber.id,
        email: subscriber.email,
        name: subscriber.name,
        language: subscriber.language.as_str().into(),
        status: subscriber.status.as_str().into(),
        tracking: subscriber.tracking,
        created_at: rfc3339(subscriber.created_at),
        confirmed_at: subscriber.confirmed_at.map(rfc3339),
        updated_at: rfc3339(subscriber.updated_at),
        subscriptions,
        consents,
    })
}

/// One subscriber with their lists and record of consent. For editors.
#[utoipa::path(
    get,
    path = "/nieuwsbrief/subscribers/{id}",
    operation_id = "nieuwsbrief_get_subscriber",
    tag = "nieuwsbrief",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van de abonnee")),
    responses(
        (status = 200, description = "De abonnee", body = SubscriberDto),
        ReadProblems,
    )
)]
pub async fn get_subscriber(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<SubscriberDto>> {
    ApiEditor::of(&client, &state).await?;
    Ok(Json(subscriber_dto(&state, &id).await?))
}

/// A subscriber added by an editor.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSubscriberInput {
    pub email: String,
    /// Optional, at most 200 characters.
    #[serde(default)]
    pub name: String,
    /// `nl` (default) or `en`.
    #[schema(value_type = Option<LanguageName>, inline)]
    pub language: Option<String>,
    /// The slugs of the lists (at least one; any list, public or not).
    pub lists: Vec<String>,
    /// `true` adds the address as confirmed, at once: only with `legal_basis`,
    /// `legal_basis_text` and `source`. `false` (default): unconfirmed, and the address gets the
    /// confirmation mail of the double opt-in.
    #[serde(default)]
    pub confirmed: bool,
    /// The legal basis (GDPR art. 6) of a confirmed addition.
    #[schema(value_type = Option<LegalBasisName>, inline)]
    pub legal_basis: Option<String>,
    /// Its explanation ("toestemming gegeven op de studiedag van 12 maart"), at most 500
    /// characters.
    pub legal_basis_text: Option<String>,
    /// Where the address comes from, at most 500 characters.
    pub source: Option<String>,
}

impl NewSubscriberInput {
    /// The checked line and the legal basis as recorded, or every invalid field (422).
    async fn check(&self, state: &AppState) -> ApiResult<(Checked, Option<String>)> {
        let mut errors: Vec<FieldProblem> = Vec::new();
        let mut push = |field: &str, message: &str| {
            errors.push(FieldProblem {
                field: field.into(),
                message: message.into(),
            })
        };
        let email = steden_core::user::validate_email(&self.email)
            .map_err(|_| push("email", "Dit is geen geldig e-mailadres."))
            .ok();
        let name = validate_name(&self.name)
            .map_err(|e| push("name", &e.message))
            .ok();
        let language = validate_language(self.language.as_deref().unwrap_or("nl"))
            .map_err(|_| push("language", "Kies nl of en."))
            .ok();
        let all = lists::list_all(state.db().pool()).await?;
        let chosen: Vec<lists::List> = all
            .into_iter()
            .filter(|l| self.lists.iter().any(|slug| slug.trim() == l.slug))
            .collect();
        if self.lists.is_empty() {
            push("lists", "Kies minstens één lijst.");
        } else if self
            .lists
            .iter()
            .any(|slug| !chosen.iter().any(|l| l.slug == slug.trim()))
        {
            push("lists", "Kies alleen bestaande lijsten (hun slug).");
        }
        let basis = self.legal_basis.as_deref().map(str::trim).unwrap_or("");
        let basis_text = self
            .legal_basis_text
            .as_deref()
            .map(str::trim)
            .unwrap_or("");
        let source = self.source.as_deref().map(str::trim).unwrap_or("");
        let kind = LegalBasis::parse(basis);
        if !basis.is_empty() && kind.is_none() {
            push(
                "legal_basis",
                "Kies toestemming, gerechtvaardigd-belang of overeenkomst.",
            );
        }
        if self.confirmed {
            if kind.is_none() && basis.is_empty() {
                push(
                    "legal_basis",
                    "Kies de rechtsgrond waarop je dit adres als bevestigd inschrijft.",
                );
            }
            if basis_text.is_empty() {
                push(
                    "legal_basis_text",
                    "Licht de rechtsgrond toe: wanneer en hoe kregen jullie de toestemming, of waarom geldt het belang?",
                );
            }
            if source.is_empty() {
                push("source", "Vul de bron in: waar komt dit adres vandaan?");
            }
        }
        if basis_text.chars().count() > TEXT_MAX {
            push("legal_basis_text", "Gebruik hoogstens 500 tekens.");
        }
        if source.chars().count() > TEXT_MAX {
            push("source", "Gebruik hoogstens 500 tekens.");
        }
        let (Some(email), Some(name), Some(language), true) =
            (email, name, language, errors.is_empty())
        else {
            return Err(ApiError::Invalid(errors));
        };
        Ok((
            Checked {
                number: 1,
                email,
                name,
                language,
                lists: chosen,
            },
            legal_basis_line(kind, basis_text, source),
        ))
    }
}

/// Adds a subscriber (201 with the subscriber). By the import's rules: nobody is confirmed
/// without a legal basis, its explanation and a source (each refused by name, 422); without
/// `confirmed` the address is `onbevestigd` and gets the confirmation mail, queued in the same
/// transaction. The consent record is of kind `import` with the source `api:<user or token>`
/// and the legal basis; the addition is audited. An address that is already known is a 409
/// (change it with PATCH). For editors.
#[utoipa::path(
    post,
    path = "/nieuwsbrief/subscribers",
    operation_id = "nieuwsbrief_add_subscriber",
    tag = "nieuwsbrief",
    security(("bearer" = [])),
    request_body = NewSubscriberInput,
    responses(
        (status = 201, description = "De nieuwe abonnee", body = SubscriberDto,
         headers(("Location" = String, description = "De abonnee in de API"))),
        WriteProblems,
        (status = 409, description = "Dit adres staat al bij de abonnees", body = steden_web::api::Problem,
         content_type = "application/problem+json"),
    )
)]
pub async fn add_subscriber(
    client: ApiActor,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<NewSubscriberInput>,
) -> ApiResult<Response> {
    let who = ApiEditor::of(&client, &state).await?;
    let (line, legal_basis) = input.check(&state).await?;
    let db = state.db();
    let now = steden_db::now_ms();
    let source = format!("api:{}", actor_name(&who.audit));
    let rules = Rules {
        source: &source,
        legal_basis: legal_basis.as_deref(),
        confirmed: input.confirmed,
        readd: false,
    };
    // Before the transaction: the signer may store its secret on first use, and SQLite has one
    // writer at a time.
    let signer = crate::links::signer(db).await?;
    let mut tx = db.begin().await?;
    if subscribers::find_by_email(&mut *tx, &line.email)
        .await?
        .is_some()
    {
        return Err(ApiError::Conflict(
            "Dit adres staat al bij de abonnees; wijzig het met PATCH.".into(),
        ));
    }
    let (id, mail) = match import_write::apply(&mut tx, &line, &rules, now).await? {
        Applied::Created {
            subscriber_id,
            mail,
        } => (subscriber_id, mail),
        // Not expected: the address was looked up in this transaction.
        other => return Err(ApiError::Internal(format!("onverwacht: {other:?}"))),
    };
    if mail {
        let subscriber = subscribers::get(&mut *tx, &id).await?;
        let base_url = state.config().base_url.clone();
        crate::mails::queue_confirmation(&mut tx, &signer, &base_url, &subscriber, now)
            .await
            .map_err(steden_core::CoreError::from)?;
    }
    let slugs: Vec<&str> = line.lists.iter().map(|l| l.slug.as_str()).collect();
    let status = if input.confirmed {
        SubscriberStatus::Bevestigd
    } else {
        SubscriberStatus::Onbevestigd
    };
    audit::record(
        &mut tx,
        NewEntry {
            actor: &who.audit,
            organisation_id: Some(&who.kenniscentrum_id),
            entity_type: "nb_subscriber",
            entity_id: &id,
            action: "create",
            summary: "Abonnee toegevoegd door een redacteur (API)",
            changes: Changes::new()
                .created("status", status.as_str())
                .created("lists", slugs.join(", ")),
        },
    )
    .await?;
    tx.commit().await?;
    let location = format!("/api/v1/nieuwsbrief/subscribers/{id}");
    let body = subscriber_dto(&state, &id).await?;
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, value);
    }
    Ok(response)
}

/// Who the consent record names as the source: the user, else the token.
fn actor_name(audit: &AuditActor) -> String {
    audit
        .user_id
        .clone()
        .or_else(|| audit.token_id.clone())
        .unwrap_or_else(|| "onbekend".into())
}

/// An editor's change of a subscriber; fields left out stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriberPatch {
    /// At most 200 characters; empty for none.
    pub name: Option<String>,
    #[schema(value_type = Option<LanguageName>, inline)]
    pub language: Option<String>,
    /// The slugs of every list the subscriber should be on (replaces them; `[]` takes them off
    /// every list). A list added is active at once for a confirmed subscriber, requested for
    /// anyone else: an editor cannot make an address receive mail it never confirmed.
    pub lists: Option<Vec<String>>,
}

/// Changes a subscriber's name, language or lists, with a consent record of kind `beheer`
/// when the lists change (as the editors' page). A blocked subscriber's lists cannot change
/// (422 on `lists`). For editors.
#[utoipa::path(
    patch,
    path = "/nieuwsbrief/subscribers/{id}",
    operation_id = "nieuwsbrief_edit_subscriber",
    tag = "nieuwsbrief",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van de abonnee")),
    request_body = SubscriberPatch,
    responses(
        (status = 200, description = "De gewijzigde abonnee", body = SubscriberDto),
        WriteProblems,
    )
)]
pub async fn edit_subscriber(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<SubscriberPatch>,
) -> ApiResult<Json<SubscriberDto>> {
    let who = ApiEditor::of(&client, &state).await?;
    let db = state.db();
    let mut tx = db.begin().await?;
    let subscriber = subscribers::find(&mut *tx, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound("Deze abonnee bestaat niet.".into()))?;
    let lists = match patch.lists {
        Some(lists) => lists,
        None => subscribers::subscriptions(&mut *tx, &id)
            .await?
            .into_iter()
            .filter(|s| s.status != SubscriptionStatus::Afgemeld)
            .map(|s| s.list.slug)
            .collect(),
    };
    let edit = Preferences {
        name: patch.name.unwrap_or(subscriber.name),
        language: patch
            .language
            .unwrap_or_else(|| subscriber.language.as_str().into()),
        lists,
    };
    admin_writes::edit(&mut tx, &who.editor(), &id, &edit, steden_db::now_ms()).await?;
    tx.commit().await?;
    Ok(Json(subscriber_dto(&state, &id).await?))
}

/// Blocks the address: `geblokkeerd`, off every list, a consent record (withdrawn); it is
/// never mailed again, not even after the public form. Blocking twice changes nothing. For
/// editors.
#[utoipa::path(
    post,
    path = "/nieuwsbrief/subscribers/{id}/block",
    operation_id = "nieuwsbrief_block_subscriber",
    tag = "nieuwsbrief",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van de abonnee")),
    responses(
        (status = 200, description = "De geblokkeerde abonnee", body = SubscriberDto),
        ReadProblems,
    )
)]
pub async fn block_subscriber(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<SubscriberDto>> {
    change_status(client, state, id, true).await
}

/// Lifts a block: the address becomes `afgemeld`, on no list, until its owner subscribes
/// again. Unblocking an address that is not blocked changes nothing. For editors.
#[utoipa::path(
    post,
    path = "/nieuwsbrief/subscribers/{id}/unblock",
    operation_id = "nieuwsbrief_unblock_subscriber",
    tag = "nieuwsbrief",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van de abonnee")),
    responses(
        (status = 200, description = "De abonnee, niet langer geblokkeerd", body = SubscriberDto),
        ReadProblems,
    )
)]
pub async fn unblock_subscriber(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<SubscriberDto>> {
    change_status(client, state, id, false).await
}

async fn change_status(
    client: ApiActor,
    state: AppState,
    id: String,
    block: bool,
) -> ApiResult<Json<SubscriberDto>> {
    let who = ApiEditor::of(&client, &state).await?;
    let mut tx = state.db().begin().await?;
    let now = steden_db::now_ms();
    if block {
        admin_writes::block(&mut tx, &who.editor(), &id, now).await?;
    } else {
        admin_writes::unblock(&mut tx, &who.editor(), &id, now).await?;
    }
    tx.commit().await?;
    Ok(Json(subscriber_dto(&state, &id).await?))
}

/// Erases the subscriber as the editors' page does: the subscriber, their lists and deliveries
/// go, the consent records and bounces stay as anonymous tombstones; audited under the id,
/// never the address. For editors.
#[utoipa::path(
    delete,
    path = "/nieuwsbrief/subscribers/{id}",
    operation_id = "nieuwsbrief_erase_subscriber",
    tag = "nieuwsbrief",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id van de abonnee")),
    responses(
        (status = 204, description = "Gewist"),
        ReadProblems,
    )
)]
pub async fn erase_subscriber(
    client: ApiActor,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    let who = ApiEditor::of(&client, &state).await?;
    let mut tx = state.db().begin().await?;
    admin_writes::erase(&mut tx, &who.editor(), &id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
