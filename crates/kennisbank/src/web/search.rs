//! The library's home and search page, `/kennisbank`: a search form, results with highlighted
//! snippets, facets that add or remove a filter, sorting, pagination, suggestions when nothing
//! is found (and, for several words that no document holds together, the results of fewer
//! words under a label that says so), and — with an empty query — the newest documents as a way in.
//!
//! Access holds inside the search itself: the query carries the reader's access terms
//! ([`access::Reader::search_terms`]), so hits, the count, facet counts and snippets only ever
//! come from documents the reader may open. The hits are then checked once more against the
//! database row ([`resolve_hits`]), which the API shares.
//!
//! Every non-empty search is counted, anonymously, in `kb_search_queries`.

use askama::Template;
use axum::extract::Query as UrlQuery;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::NaiveDate;
use steden_core::error::CoreResult;
use steden_core::policy::Actor;
use steden_db::Db;
use steden_web::page::{render, PageContext};
use steden_web::pagination::Pagination;
use steden_web::{AppError, AppState};

use crate::access::{self, Reader};
use crate::model::DocType;
use crate::paths;
use crate::search::{FacetKind, Hit, Query, Results, Sort};
use crate::store;
use crate::store::index_sources::{self, HitTarget};
use crate::sync::{self, Entity};

pub fn routes() -> Router<AppState> {
    Router::new().route("/kennisbank", get(page))
}

/// Hits per page.
pub const PER_PAGE: usize = 20;
/// The longest query text taken into account (longer input is cut).
const MAX_QUERY_CHARS: usize = 200;
/// At most this many filters are applied (more is not a person at a browser).
const MAX_FILTERS: usize = 30;
/// The highest page number one may ask for (the index caps the offset too).
const MAX_PAGE: usize = 500;
/// Facet values shown per facet (active values are always shown).
const FACET_VALUES_SHOWN: usize = 12;

// ---------------------------------------------------------------------------------------------
// Request parameters
// ---------------------------------------------------------------------------------------------

/// What the page's URL asks for: `?q=&type=&programme=&theme=&organisation=&period=&year=
/// &sort=datum&pagina=` (facet parameters may repeat; values of one facet are alternatives).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchParams {
    pub q: String,
    pub filters: Vec<(FacetKind, String)>,
    /// Sort by date (`sort=datum`); an empty query always lists newest first.
    pub by_date: bool,
    pub page: usize,
}

impl SearchParams {
    /// Reads the parameters from the query string's pairs; unknown or malformed ones are
    /// ignored (a search page never answers a typo in the URL with an error). `page_key` is
    /// "pagina" on the site and "page" in the API.
    pub fn from_pairs(pairs: &[(String, String)], page_key: &str) -> SearchParams {
        let mut params = SearchParams {
            page: 1,
            ..SearchParams::default()
        };
        for (key, value) in pairs {
            let value = value.trim();
            if key == "q" {
                params.q = value.chars().take(MAX_QUERY_CHARS).collect();
            } else if key == "sort" {
                params.by_date = value == "datum" || value == "date";
            } else if key == page_key {
                params.page = value.parse::<usize>().unwrap_or(1).clamp(1, MAX_PAGE);
            } else if let Some(kind) = FacetKind::from_name(key) {
                if value.is_empty() || params.filters.len() >= MAX_FILTERS {
                    continue;
                }
                let value = facet_value(kind, value);
                if !params.filters.contains(&(kind, value.clone())) {
                    params.filters.push((kind, value));
                }
            }
        }
        params
    }

    /// The index query for a reader with these access terms.
    pub fn query(&self, access: Vec<String>, per_page: usize) -> Query {
        let empty = self.q.trim().is_empty();
        Query {
            text: self.q.clone(),
            filters: self.filters.clone(),
            sort: if self.by_date || empty {
                Sort::DateDesc
            } else {
                Sort::Relevance
            },
            page: self.page,
            per_page,
            access,
        }
    }

    fn is_active(&self, kind: FacetKind, value: &str) -> bool {
        self.filters.iter().any(|(k, v)| *k == kind && v == value)
    }

    /// The page's address for these parameters (page 1 unless `page` > 1).
    fn href(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", &self.q));
        }
        for (kind, value) in &self.filters {
            pairs.push((kind.name(), value));
        }
        if self.by_date {
            pairs.push(("sort", "datum"));
        }
        let page = self.page.to_string();
        if self.page > 1 {
            pairs.push(("pagina", &page));
        }
        with_query(paths::LIBRARY, &pairs)
    }

    /// The address with the filter `kind`=`value` added, or removed when it is active; back
    /// to the first page.
    fn toggled(&self, kind: FacetKind, value: &str) -> String {
        let mut next = SearchParams {
            page: 1,
            ..self.clone()
        };
        if self.is_active(kind, value) {
            next.filters.retain(|(k, v)| !(*k == kind && v == value));
        } else {
            next.filters.push((kind, value.to_string()));
        }
        next.href()
    }

    fn at_page(&self, page: usize) -> String {
        SearchParams {
            page,
            ..self.clone()
        }
        .href()
    }
}

/// A type filter may name the stored value (`rapport`) or the label the facet shows
/// (`Rapport`); the index knows the label.
fn facet_value(kind: FacetKind, value: &str) -> String {
    match kind {
        FacetKind::Type => DocType::parse(value)
            .map(|t| t.label().to_string())
            .unwrap_or_else(|| value.to_string()),
        _ => value.to_string(),
    }
}

/// `path?k=v&…` with the keys and values percent-encoded.
pub fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    if pairs.is_empty() {
        return path.to_string();
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("{path}?{}", query.join("&"))
}

/// Percent-encodes everything but the unreserved characters of RFC 3986.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// From hits to things one can link to
// ---------------------------------------------------------------------------------------------

/// A hit with what the database says about it now.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedHit {
    /// The index id ("document:…", "term:…").
    pub index_id: String,
    pub entity: Entity,
    /// The database id.
    pub id: String,
    pub title: String,
    /// Where it lives on the site.
    pub url: String,
    /// The type shown ("Rapport", "Begrip", …).
    pub kind: String,
    /// Escaped text with `<mark>` around the matches.
    pub snippet_html: String,
    pub date: Option<NaiveDate>,
}

/// The slug, type and access of each hit, read in one query for the page of hits; a hit whose
/// row is gone, or that the reader may not open (the index may lag a change committed after
/// its sync), is left out. A hit on another module's document (`sources`, [`crate::ports`])
/// is asked of its source: its current page, or left out when it was withdrawn meanwhile.
pub async fn resolve_hits(
    db: &Db,
    reader: &Reader,
    hits: &[Hit],
    sources: &[std::sync::Arc<dyn crate::ports::SearchSource>],
) -> CoreResult<Vec<ResolvedHit>> {
    let mut documents = Vec::new();
    let mut terms = Vec::new();
    let mut external = false;
    for hit in hits {
        match sync::parse_index_id(&hit.id) {
            Some((Entity::Document, id)) => documents.push(id.to_string()),
            Some((Entity::Term, id)) => terms.push(id.to_string()),
            Some((Entity::External, _)) => external = true,
            _ => {}
        }
    }
    if documents.is_empty() && terms.is_empty() && !external {
        return Ok(Vec::new());
    }
    let found = index_sources::hit_targets(db.pool(), &documents, &terms).await?;
    let mut out = Vec::with_capacity(hits.len());
    for hit in hits {
        let Some((entity, id)) = sync::parse_index_id(&hit.id) else {
            continue;
        };
        if entity == Entity::External {
            // Every source's document is public: only whether it still is counts.
            if let Some(doc) = sync::external_now(db, sources, id).await? {
                out.push(ResolvedHit {
                    index_id: hit.id.clone(),
                    entity,
                    id: id.to_string(),
                    title: hit.title.clone(),
                    url: doc.url,
                    kind: doc.kind,
                    snippet_html: hit.snippet_html.clone(),
                    date: hit.date,
                });
            }
            continue;
        }
        let Some(HitTarget { slug, kind, access }) = found.get(&hit.id) else {
            continue;
        };
        if !reader.may_open(access) {
            continue;
        }
        let (url, kind) = match entity {
            Entity::Term => (format!("/begrippen/{slug}"), sync::TERM_KIND.to_string()),
            _ => (
                format!("/kennisbank/documenten/{slug}"),
                DocType::parse(kind).map_or_else(|| kind.clone(), |t| t.label().to_string()),
            ),
        };
        out.push(ResolvedHit {
            index_id: hit.id.clone(),
            entity,
            id: id.to_string(),
            title: hit.title.clone(),
            url,
            kind,
            snippet_html: hit.snippet_html.clone(),
            date: hit.date,
        });
    }
    Ok(out)
}

use crate::web::common::actor_of;

/// Runs a search for `actor` through this server's live index.
pub async fn run(
    state: &AppState,
    actor: &Actor,
    params: &SearchParams,
    per_page: usize,
) -> CoreResult<(Reader, Results, Vec<ResolvedHit>)> {
    let db = state.db();
    let reader = access::Reader::of(db, actor).await?;
    let sources = state.ports().all::<dyn crate::ports::SearchSource>();
    let live = sync::shared(db, &state.config().data_dir, sources).await?;
    let results = live
        .search(db, params.query(reader.search_terms(), per_page))
        .await?;
    let hits = resolve_hits(db, &reader, &results.hits, sources).await?;
    Ok((reader, results, hits))
}

// ---------------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------------

struct ResultView {
    title: String,
    url: String,
    kind: String,
    /// (`YYYY-MM-DD` for `<time>`, as shown)
    date: Option<(String, String)>,
    /// Escaped by the index, with `<mark>` around matches: safe to insert as HTML.
    snippet_html: String,
}

struct FacetValueView {
    value: String,
    count: String,
    href: String,
    active: bool,
}

struct FacetView {
    /// The facet's parameter name (also used for the heading's id).
    name: &'static str,
    label: String,
    values: Vec<FacetValueView>,
}

struct ActiveFilter {
    label: String,
    value: String,
    remove_href: String,
}

struct SuggestionView {
    label: String,
    href: String,
}

#[derive(Template)]
#[template(path = "kennisbank/search/page.html")]
struct SearchPage {
    ctx: PageContext,
    q: String,
    by_date: bool,
    /// Whether a query or a filter was given (otherwise: the library's entry page).
    searching: bool,
    count_text: String,
    results: Vec<ResultView>,
    facets: Vec<FacetView>,
    active: Vec<ActiveFilter>,
    /// Filters carried along by the form as hidden fields.
    hidden_filters: Vec<(&'static str, String)>,
    clear_href: String,
    message: Option<String>,
    suggestions: Vec<SuggestionView>,
    /// Nothing held all the words: the results are those of fewer words (the message says
    /// which).
    relaxed: bool,
    pagination: Pagination,
}

fn facet_label_key(kind: FacetKind) -> &'static str {
    match kind {
        FacetKind::Type => "kb-search-facet-type",
        FacetKind::Programme => "kb-search-facet-programme",
        FacetKind::Theme => "kb-search-facet-theme",
        FacetKind::Organisation => "kb-search-facet-organisation",
        FacetKind::Period => "kb-search-facet-period",
        FacetKind::Year => "kb-search-facet-year",
    }
}

fn count_text(ctx: &PageContext, total: usize) -> String {
    let n = steden_core::time::format_int(i64::try_from(total).unwrap_or(i64::MAX));
    let key = if total == 1 {
        "kb-search-count-one"
    } else {
        "kb-search-count-other"
    };
    ctx.t_with(key, &[("count", n.as_str())])
}

fn facet_views(ctx: &PageContext, params: &SearchParams, results: &Results) -> Vec<FacetView> {
    let mut out = Vec::new();
    for kind in FacetKind::ALL {
        let mut counted = results.facets.get(&kind).cloned().unwrap_or_default();
        // Years and periods read best newest first; the others by how much they hold.
        if matches!(kind, FacetKind::Year | FacetKind::Period) {
            counted.sort_by(|a, b| b.0.cmp(&a.0));
        }
        let mut values: Vec<FacetValueView> = Vec::new();
        for (i, (value, count)) in counted.iter().enumerate() {
            let active = params.is_active(kind, value);
            if i >= FACET_VALUES_SHOWN && !active {
                continue;
            }
            values.push(FacetValueView {
                value: value.clone(),
                count: steden_core::time::format_int(i64::try_from(*count).unwrap_or(i64::MAX)),
                href: params.toggled(kind, value),
                active,
            });
        }
        // An active filter that matches nothing any more still gets its remove link.
        for (k, value) in &params.filters {
            if *k == kind && !values.iter().any(|v| &v.value == value) {
                values.push(FacetValueView {
                    value: value.clone(),
                    count: "0".to_string(),
                    href: params.toggled(kind, value),
                    active: true,
                });
            }
        }
        if !values.is_empty() {
            out.push(FacetView {
                name: kind.name(),
                label: ctx.t(facet_label_key(kind)),
                values,
            });
        }
    }
    out
}

/// The words of the results' page links (Dutch or English).
struct PageWords {
    label: String,
    previous: String,
    next: String,
    page: String,
}

/// The links to the pages of results (no more than [`MAX_PAGE`]): the first, the last, and two
/// on each side of the current page.
fn pagination(params: &SearchParams, total: usize, words: PageWords) -> Pagination {
    let pages = total.div_ceil(PER_PAGE).min(MAX_PAGE);
    Pagination::with_labels(
        words.label,
        words.previous,
        words.next,
        words.page,
        params.page as u64,
        pages as u64,
        |n| params.at_page(n as usize),
    )
}

async fn page(
    ctx: PageContext,
    headers: axum::http::HeaderMap,
    UrlQuery(pairs): UrlQuery<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let params = SearchParams::from_pairs(&pairs, "pagina");
    let actor = actor_of(&ctx);
    let (_, results, hits) = run(ctx.state(), &actor, &params, PER_PAGE).await?;
    let searching = !params.q.is_empty() || !params.filters.is_empty();

    let results_view = hits
        .into_iter()
        .map(|hit| ResultView {
            title: hit.title,
            url: hit.url,
            kind: hit.kind,
            date: hit.date.map(|d| {
                (
                    d.format("%Y-%m-%d").to_string(),
                    steden_core::time::format_naive_date(d),
                )
            }),
            snippet_html: hit.snippet_html,
        })
        .collect();
    let facets = facet_views(&ctx, &params, &results);
    let active = params
        .filters
        .iter()
        .map(|(kind, value)| ActiveFilter {
            label: ctx.t(facet_label_key(*kind)),
            value: value.clone(),
            remove_href: params.toggled(*kind, value),
        })
        .collect();
    let suggestions = results
        .suggestions
        .iter()
        .map(|s| {
            let count = count_text(&ctx, s.total);
            if s.without_filters {
                SuggestionView {
                    label: ctx.t_with(
                        "kb-search-suggestion-without-filters",
                        &[("query", s.text.as_str()), ("count", count.as_str())],
                    ),
                    href: SearchParams {
                        q: s.text.clone(),
                        by_date: params.by_date,
                        page: 1,
                        filters: Vec::new(),
                    }
                    .href(),
                }
            } else {
                SuggestionView {
                    label: ctx.t_with(
                        "kb-search-suggestion",
                        &[("query", s.text.as_str()), ("count", count.as_str())],
                    ),
                    href: SearchParams {
                        q: s.text.clone(),
                        page: 1,
                        ..params.clone()
                    }
                    .href(),
                }
            }
        })
        .collect();
    let words = PageWords {
        label: ctx.t("kb-search-pagination"),
        previous: ctx.t("kb-search-page-previous"),
        next: ctx.t("kb-search-page-next"),
        page: ctx.t("kb-search-page"),
    };
    let pagination = pagination(&params, results.total, words);
    let title = if params.q.is_empty() {
        ctx.t("kb-search-title")
    } else {
        ctx.t_with("kb-search-title-query", &[("query", params.q.as_str())])
    };
    let description = ctx.t("kb-search-description");
    let mut ctx = ctx;
    if searching {
        let library = ctx.t("kb-search-title");
        ctx = ctx.crumb(library, paths::LIBRARY);
    }
    let mut ctx = ctx.titled(title);
    ctx.description = description;

    let page = SearchPage {
        q: params.q.clone(),
        by_date: params.by_date,
        searching,
        count_text: count_text(&ctx, results.total),
        results: results_view,
        facets,
        active,
        hidden_filters: params
            .filters
            .iter()
            .map(|(k, v)| (k.name(), v.clone()))
            .collect(),
        clear_href: SearchParams {
            q: params.q.clone(),
            by_date: params.by_date,
            page: 1,
            filters: Vec::new(),
        }
        .href(),
        message: results.message.clone(),
        suggestions,
        relaxed: results.relaxed.is_some(),
        pagination,
        ctx,
    };
    let mut response = render(&page)?;
    // Counted after the page is ready, and only for the first page of a search (paging
    // through results is not a new search), and not for bots (which would fill the list of
    // queries without results with whatever they try); counted again for every view the page
    // cache serves (a search asked again is asked again). The write runs in its own task: a
    // failure costs the count, never the visitor the page.
    if !params.q.is_empty() && params.page == 1 {
        let db = page.ctx.state().db().clone();
        let query = params.q.clone();
        // Results of fewer words are no results for what was asked.
        let found = if results.relaxed.is_some() {
            0
        } else {
            results.total
        };
        steden_web::page_cache::OnEveryServe::attach(&mut response, &headers, move |headers| {
            if crate::web::stats::from_bot(headers) {
                return;
            }
            let (db, query) = (db.clone(), query.clone());
            tokio::spawn(async move {
                let counted = async {
                    let mut tx = db.begin().await?;
                    store::stats::record_search(&mut tx, &query, found, steden_db::now_ms())
                        .await?;
                    tx.commit().await?;
                    Ok::<_, steden_core::CoreError>(())
                };
                if let Err(e) = counted.await {
                    tracing::warn!(error = %e, "zoekopdracht niet geteld");
                }
            });
        });
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parameters_round_trip_through_links() {
        let params = SearchParams::from_pairs(
            &pairs(&[
                ("q", " klimaat & stad "),
                ("type", "rapport"),
                ("type", "Nota"),
                ("year", "2023"),
                ("year", ""),
                ("onbekend", "x"),
                ("sort", "datum"),
                ("pagina", "3"),
            ]),
            "pagina",
        );
        assert_eq!(params.q, "klimaat & stad");
        assert_eq!(
            params.filters,
            vec![
                (FacetKind::Type, "Rapport".to_string()),
                (FacetKind::Type, "Nota".to_string()),
                (FacetKind::Year, "2023".to_string()),
            ]
        );
        assert!(params.by_date);
        assert_eq!(params.page, 3);
        assert_eq!(
            params.href(),
            "/kennisbank?q=klimaat%20%26%20stad&type=Rapport&type=Nota&year=2023&sort=datum&pagina=3"
        );
        // Toggling removes an active filter and adds another, back on page 1.
        assert_eq!(
            params.toggled(FacetKind::Type, "Nota"),
            "/kennisbank?q=klimaat%20%26%20stad&type=Rapport&year=2023&sort=datum"
        );
        assert!(params
            .toggled(FacetKind::Theme, "Klimaat")
            .ends_with("&theme=Klimaat&sort=datum"));
        // Nonsense page numbers fall back to a sane page.
        let odd = SearchParams::from_pairs(&pairs(&[("pagina", "-1")]), "pagina");
        assert_eq!(odd.page, 1);
        let far = SearchParams::from_pairs(&pairs(&[("pagina", "999999999")]), "pagina");
        assert_eq!(far.page, MAX_PAGE);
    }

    #[test]
    fn pagination_shows_a_window() {
        let params = SearchParams {
            page: 5,
            ..SearchParams::default()
        };
        let words = || PageWords {
            label: "Pagina's".into(),
            previous: "Vorige".into(),
            next: "Volgende".into(),
            page: "Pagina".into(),
        };
        let shown = pagination(&params, 200, words());
        let numbers: Vec<u64> = shown.links.iter().map(|l| l.number).collect();
        assert_eq!(numbers, vec![1, 3, 4, 5, 6, 7, 10]);
        assert_eq!(shown.previous.as_deref(), Some("/kennisbank?pagina=4"));
        assert_eq!(shown.next.as_deref(), Some("/kennisbank?pagina=6"));
        assert!(!pagination(&params, 20, words()).is_needed());
    }
}
