//! The Kennisbank's JSON API under `/api/v1`: search, and the documents the caller may open.
//!
//! The library is public: a request without an `Authorization` header is answered as for an
//! anonymous visitor (public documents only). A request with a token is authenticated by the
//! shell's [`steden_web::api::ApiActor`] (an unknown token is 401, a token without the module `kennisbank` in its
//! scope 403) and then sees what the token's user may open through the token's organisation:
//! the same rules as the site ([`access::Reader`]), applied inside the search query and to
//! every list and detail. A document one may not open is "not found".

use std::collections::BTreeMap;

use axum::extract::{Query as UrlQuery, State};
use axum::Json;
use serde::Serialize;
use steden_web::api::{
    ApiCaller, ApiError, ApiPath, ApiResult, FieldProblem, ListProblems, Page, PageParams, Paged,
    ReadProblems,
};
use steden_web::AppState;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access;
use crate::search::FacetKind;
use crate::store::documents::{self, Document};
use crate::web::search::{self as web_search, SearchParams};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(list_documents))
        .routes(routes!(get_document))
}

fn absolute(state: &AppState, path: &str) -> String {
    format!("{}{path}", state.config().base_url.trim_end_matches('/'))
}

// ---------------------------------------------------------------------------------------------
// GET /kennisbank/search
// ---------------------------------------------------------------------------------------------

/// The parameters of a search (facet parameters may be repeated: values of one facet are
/// alternatives, different facets all hold).
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // documents the parameters; they are read from the raw query (repeats)
pub struct SearchQueryParams {
    /// Search words (all must match) and "quoted phrases"; empty lists everything, newest first.
    q: Option<String>,
    /// Type, e.g. `Rapport` or `rapport`; `Begrip` for glossary terms.
    #[param(rename = "type")]
    r#type: Option<Vec<String>>,
    /// Programme.
    programme: Option<Vec<String>>,
    /// Theme.
    theme: Option<Vec<String>>,
    /// Organisation involved (its name).
    organisation: Option<Vec<String>>,
    /// Programme period, e.g. `2022-2026`.
    period: Option<Vec<String>>,
    /// Year of the document's date.
    year: Option<Vec<String>>,
    /// `relevantie` (default) or `datum` (newest first); `relevance` and `date` are accepted too.
    #[param(value_type = Option<SortName>, inline)]
    sort: Option<String>,
    /// The page number, from 1 (default 1, at most 500).
    #[param(minimum = 1, maximum = 500)]
    page: Option<u32>,
    /// Hits per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

/// The values of `sort`.
const SORT_NAMES: [&str; 4] = ["relevantie", "relevance", "datum", "date"];

/// The values of `sort`, for the OpenAPI document.
pub struct SortName;
steden_web::string_enum!(SortName, SORT_NAMES);

/// One hit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHitDto {
    /// The database id of the document or glossary term; for another module's document
    /// (`extern`) its source and id, `nieuwsbrief:<id>`.
    pub id: String,
    /// `document`, `term`, or `extern` (another module's public page, such as a newsletter in
    /// the archive).
    pub entity: String,
    /// The type as shown: `Rapport`, `Nota`, …, `Begrip` for glossary terms, `Nieuwsbrief`.
    pub kind: String,
    pub title: String,
    /// The page on the website.
    pub url: String,
    /// An HTML fragment: the text escaped, matches in `<mark>`.
    pub snippet_html: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
}

/// A facet value and how many hits have it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetCountDto {
    pub value: String,
    pub count: usize,
}

/// Another search that does find something (only when nothing was found).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SuggestionDto {
    pub q: String,
    /// The suggestion is to search without the filters.
    pub without_filters: bool,
    pub total: usize,
}

/// Set when no document the caller may open holds all the words of a query of several words:
/// `total` and `hits` are then those of fewer words.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RelaxedDto {
    /// The words searched instead (as typed; phrases in quotes).
    pub q: String,
    /// The words (or phrases) left out, rarest or unknown first to go.
    pub dropped: Vec<String>,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResultsDto {
    /// How many documents match (that the caller may open).
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<SearchHitDto>,
    /// Per facet (`type`, `programme`, `theme`, `organisation`, `period`, `year`): the values
    /// over all matching documents with their counts, largest first.
    pub facets: BTreeMap<String, Vec<FacetCountDto>>,
    /// Other searches that find something, when nothing held all the words: every misspelled
    /// word corrected, one word corrected, or the same words without the filters.
    pub suggestions: Vec<SuggestionDto>,
    /// Not null only when the results are those of fewer words than were asked.
    pub relaxed: Option<RelaxedDto>,
    /// A message in Dutch when nothing held all the words (also when `relaxed` is set).
    pub message: Option<String>,
}

const API_MAX_PER_PAGE: usize = 100;
const API_DEFAULT_PER_PAGE: usize = 20;
const API_MAX_PAGE: usize = 500;

/// Checks the parameters that the site forgives but an API client should hear about.
fn checked_search_params(pairs: &[(String, String)]) -> Result<(SearchParams, usize), ApiError> {
    let mut errors = Vec::new();
    let mut per_page = API_DEFAULT_PER_PAGE;
    for (key, value) in pairs {
        let value = value.trim();
        let valid_page = |v: &str| {
            v.parse::<usize>()
                .is_ok_and(|n| (1..=API_MAX_PAGE).contains(&n))
        };
        match key.as_str() {
            "page" if !valid_page(value) => errors.push(FieldProblem {
                field: "page".into(),
                message: format!(
                    "Het paginanummer moet een geheel getal van 1 tot en met {API_MAX_PAGE} zijn."
                ),
            }),
            "per_page" => match value.parse::<usize>() {
                Ok(n) if (1..=API_MAX_PER_PAGE).contains(&n) => per_page = n,
                _ => errors.push(FieldProblem {
                    field: "per_page".into(),
                    message: format!(
                        "Het aantal per pagina moet een geheel getal van 1 tot en met {API_MAX_PER_PAGE} zijn."
                    ),
                }),
            },
            "sort" if !SORT_NAMES.contains(&value) => {
                errors.push(FieldProblem {
                    field: "sort".into(),
                    message: "Sorteer op 'relevantie' of 'datum'.".into(),
                })
            }
            _ => {}
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::BadRequest(
            "De zoekparameters zijn ongeldig.".to_string(),
            errors,
        ));
    }
    Ok((SearchParams::from_pairs(pairs, "page"), per_page))
}

/// Searches the Kennisbank (documents and glossary terms) with Dutch analysis.
#[utoipa::path(
    get,
    path = "/kennisbank/search",
    operation_id = "kennisbank_search",
    tag = "kennisbank",
    security((), ("bearer" = [])),
    params(SearchQueryParams),
    responses(
        (status = 200, description = "De resultaten die de aanvrager mag openen", body = SearchResultsDto),
        ListProblems,
    )
)]
pub async fn search(
    caller: ApiCaller,
    State(state): State<AppState>,
    UrlQuery(pairs): UrlQuery<Vec<(String, String)>>,
) -> ApiResult<Json<SearchResultsDto>> {
    let (params, per_page) = checked_search_params(&pairs)?;
    let (_, results, hits) = web_search::run(&state, &caller.actor, &params, per_page).await?;
    let hits = hits
        .into_iter()
        .map(|hit| SearchHitDto {
            id: hit.id,
            entity: hit.entity.as_str().to_string(),
            kind: hit.kind,
            title: hit.title,
            url: absolute(&state, &hit.url),
            snippet_html: hit.snippet_html,
            date: hit.date.map(|d| d.format("%Y-%m-%d").to_string()),
        })
        .collect();
    let facets = FacetKind::ALL
        .iter()
        .map(|kind| {
            let values = results
                .facets
                .get(kind)
                .map(|values| {
                    values
                        .iter()
                        .map(|(value, count)| FacetCountDto {
                            value: value.clone(),
                            count: *count,
                        })
                        .collect()
                })
                .unwrap_or_default();
            (kind.name().to_string(), values)
        })
        .collect();
    Ok(Json(SearchResultsDto {
        total: results.total,
        page: params.page,
        per_page,
        hits,
        facets,
        suggestions: results
            .suggestions
            .into_iter()
            .map(|s| SuggestionDto {
                q: s.text,
                without_filters: s.without_filters,
                total: s.total,
            })
            .collect(),
        relaxed: results.relaxed.map(|r| RelaxedDto {
            q: r.text,
            dropped: r.dropped,
        }),
        message: results.message,
    }))
}

// ---------------------------------------------------------------------------------------------
// GET /kennisbank/documents and /kennisbank/documents/{id}
// ---------------------------------------------------------------------------------------------

/// A document of the Kennisbank (its metadata; the file is on the website).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentDto {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// `rapport`, `presentatie`, `verslag`, `standaarddocument`, `handleiding`, `publicatie`,
    /// `dataset` or `link`.
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub doc_type: String,
    /// The type as shown ("Rapport").
    pub type_label: String,
    pub programme: Option<String>,
    pub werkspoor: Option<String>,
    pub themes: Vec<String>,
    /// Ids of the organisations involved.
    pub organisations: Vec<String>,
    /// Programme period, e.g. `2022-2026`.
    pub period: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// `nl`, `en`, `fr` or `de`.
    pub language: String,
    /// `publiek`, `leden`, `organisatie` or `werkgroep`.
    pub access: String,
    /// The document's page on the website.
    pub url: String,
    /// The file to download, when the document has one.
    pub file_url: Option<String>,
    /// The external page, for a link.
    pub external_url: Option<String>,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) fn document_dto(state: &AppState, doc: Document) -> DocumentDto {
    let page = format!("/kennisbank/documenten/{}", doc.slug);
    DocumentDto {
        type_label: doc.doc_type.label().to_string(),
        doc_type: doc.doc_type.as_str().to_string(),
        language: doc.language.as_str().to_string(),
        access: doc.access.as_str().to_string(),
        file_url: doc
            .file_id
            .as_ref()
            .map(|_| absolute(state, &format!("{page}/bestand"))),
        url: absolute(state, &page),
        updated_at: rfc3339(doc.updated_at),
        id: doc.id,
        title: doc.title,
        summary: doc.summary,
        programme: doc.programme,
        werkspoor: doc.werkspoor,
        themes: doc.themes,
        organisations: doc.organisations,
        period: doc.period,
        date: doc.doc_date,
        external_url: doc.external_url,
        slug: doc.slug,
    }
}

/// The documents the caller may open, newest first (documents without a date last).
#[utoipa::path(
    get,
    path = "/kennisbank/documents",
    operation_id = "kennisbank_list_documents",
    tag = "kennisbank",
    security((), ("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "Een pagina documenten", body = Page<DocumentDto>,
         headers(("Link" = String, description = "RFC 8288: first, prev, next, last"))),
        ListProblems,
    )
)]
pub async fn list_documents(
    caller: ApiCaller,
    State(state): State<AppState>,
    page: PageParams,
) -> ApiResult<Paged<DocumentDto>> {
    let db = state.db();
    let reader = access::Reader::of(db, &caller.actor).await?;
    let (documents, total) =
        documents::list_readable(db.pool(), &reader, page.limit(), page.offset()).await?;
    let items = documents
        .into_iter()
        .map(|doc| document_dto(&state, doc))
        .collect();
    Ok(page.page(items, total))
}

/// One document, if the caller may open it.
#[utoipa::path(
    get,
    path = "/kennisbank/documents/{id}",
    operation_id = "kennisbank_get_document",
    tag = "kennisbank",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "Id van het document")),
    responses(
        (status = 200, description = "Het document", body = DocumentDto),
        ReadProblems,
    )
)]
pub async fn get_document(
    caller: ApiCaller,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<DocumentDto>> {
    let db = state.db();
    let reader = access::Reader::of(db, &caller.actor).await?;
    // A document one may not open is answered exactly like one that does not exist.
    let doc = documents::find_readable(db.pool(), &reader, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound("Geen document met deze id.".into()))?;
    Ok(Json(document_dto(&state, doc)))
}
