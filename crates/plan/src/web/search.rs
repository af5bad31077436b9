//! /plannen/zoeken: one search over the items of every plan the user may read (see
//! [`crate::search`]). A plain GET form (`q`, `pagina`), so it works without JavaScript; each
//! hit shows its plan, its path and the words found, marked.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use steden_web::page::{render, PageContext};
use steden_web::pagination::Pagination;
use steden_web::{AppError, AppState};

use crate::paths;
use crate::search::{self, PathStep, QueryError};

/// Hits per page.
const PER_PAGE: i64 = 20;
/// How many characters of a description are shown around the first word found.
const EXCERPT_CHARS: usize = 220;

pub fn routes() -> Router<AppState> {
    Router::new().route(paths::PLAN_SEARCH, get(page))
}

/// The query string as typed; a page number that is not one reads as the first page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Params {
    q: Option<String>,
    pagina: Option<String>,
}

/// A piece of text, marked when it is a word searched for.
pub(crate) struct Piece {
    pub text: String,
    pub marked: bool,
}

struct HitRow {
    url: String,
    plan_url: String,
    plan_title: String,
    code: Vec<Piece>,
    level: String,
    title: Vec<Piece>,
    path: Vec<PathStep>,
    excerpt: Vec<Piece>,
}

#[derive(Template)]
#[template(path = "plan/search/page.html")]
struct SearchPage {
    ctx: PageContext,
    q: String,
    /// Why the search was not run (empty when it was, or when nothing was asked).
    error: String,
    searched: bool,
    total_text: String,
    hits: Vec<HitRow>,
    pagination: Pagination,
}

/// Splits `text` into pieces, marking every (case-insensitive) occurrence of a word.
pub(crate) fn mark(text: &str, words: &[String]) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let folded: Vec<char> = chars.iter().map(|c| fold(*c)).collect();
    let words: Vec<Vec<char>> = words
        .iter()
        .map(|w| w.chars().map(fold).collect::<Vec<char>>())
        .filter(|w| !w.is_empty())
        .collect();
    let mut marked = vec![false; chars.len()];
    for word in &words {
        let mut start = 0;
        while start + word.len() <= folded.len() {
            if folded[start..start + word.len()] == word[..] {
                marked[start..start + word.len()].fill(true);
                start += word.len();
            } else {
                start += 1;
            }
        }
    }
    let mut pieces: Vec<Piece> = Vec::new();
    for (c, m) in chars.into_iter().zip(marked) {
        match pieces.last_mut() {
            Some(last) if last.marked == m => last.text.push(c),
            _ => pieces.push(Piece {
                text: c.to_string(),
                marked: m,
            }),
        }
    }
    pieces
}

/// A character in lower case (one character for one, so that positions stay put).
fn fold(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// The part of a description around the first word found, at most [`EXCERPT_CHARS`] long.
fn excerpt(description: &str, words: &[String]) -> String {
    let text = description.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= EXCERPT_CHARS {
        return text;
    }
    let folded: String = chars.iter().map(|c| fold(*c)).collect();
    let first = words
        .iter()
        .filter_map(|w| {
            let w: String = w.chars().map(fold).collect();
            folded.find(&w).map(|byte| folded[..byte].chars().count())
        })
        .min()
        .unwrap_or(0);
    let start = first.saturating_sub(EXCERPT_CHARS / 3);
    let end = (start + EXCERPT_CHARS).min(chars.len());
    let start = end.saturating_sub(EXCERPT_CHARS);
    let mut out: String = chars[start..end].iter().collect();
    if start > 0 {
        out = format!("… {}", out.trim_start());
    }
    if end < chars.len() {
        out = format!("{} …", out.trim_end());
    }
    out
}

/// A query-string value, percent-encoded (all but the unreserved characters of RFC 3986).
fn encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The address of a page of the results for `q`.
pub(crate) fn search_href(q: &str, page: u64) -> String {
    let mut href = format!("{}?q={}", paths::PLAN_SEARCH, encode(q));
    if page > 1 {
        href.push_str(&format!("&pagina={page}"));
    }
    href
}

async fn page(ctx: PageContext, Query(params): Query<Params>) -> Result<Response, AppError> {
    let actor = ctx.require_user()?.actor();
    let q = params.q.clone().unwrap_or_default();
    let requested = params
        .pagina
        .as_deref()
        .and_then(|p| p.trim().parse::<u64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let query = match search::Query::parse(&q) {
        Ok(query) => query,
        // Opening the page without a search is no mistake.
        Err(QueryError::Empty) if params.q.is_none() => {
            return show(ctx, q, String::new(), false, 0, Vec::new(), 1);
        }
        Err(problem) => return show(ctx, q, problem.message(), false, 0, Vec::new(), 1),
    };
    let db = ctx.state().db();
    let offset = |page: u64| {
        i64::try_from(page.saturating_sub(1))
            .unwrap_or(i64::MAX / PER_PAGE)
            .saturating_mul(PER_PAGE)
    };
    let mut page_number = requested;
    let mut results = search::run(db, &actor, &query, PER_PAGE, offset(page_number)).await?;
    // Past the last page: show the last one.
    let pages = pages_of(results.total);
    if results.hits.is_empty() && results.total > 0 && page_number > pages {
        page_number = pages;
        results = search::run(db, &actor, &query, PER_PAGE, offset(page_number)).await?;
    }
    let rows = results
        .hits
        .into_iter()
        .map(|hit| HitRow {
            title: mark(&hit.title, &query.words),
            excerpt: mark(&excerpt(&hit.description, &query.words), &query.words),
            code: mark(&hit.code, &query.words),
            plan_url: paths::plan_path(&hit.plan_id),
            url: hit.url,
            plan_title: hit.plan_title,
            level: hit.level,
            path: hit.path,
        })
        .collect();
    show(
        ctx,
        q,
        String::new(),
        true,
        results.total,
        rows,
        page_number,
    )
}

fn pages_of(total: i64) -> u64 {
    u64::try_from((total + PER_PAGE - 1) / PER_PAGE)
        .unwrap_or(1)
        .max(1)
}

fn show(
    ctx: PageContext,
    q: String,
    error: String,
    searched: bool,
    total: i64,
    hits: Vec<HitRow>,
    page_number: u64,
) -> Result<Response, AppError> {
    let query_text = q.trim().to_string();
    let pagination = Pagination::new(&ctx, page_number, pages_of(total), |n| {
        search_href(&query_text, n)
    });
    let total_text = ctx.t_with(
        if total == 1 {
            "plan-search-count-one"
        } else {
            "plan-search-count"
        },
        &[
            ("count", ctx.int(&total).as_str()),
            ("query", query_text.as_str()),
        ],
    );
    let title = ctx.t("plan-search-title");
    let plans = ctx.t("plan-plans-title");
    let page = SearchPage {
        ctx: ctx.crumb(plans, paths::PLANS).titled(title),
        q,
        error,
        searched,
        total_text,
        hits,
        pagination,
    };
    let response = render(&page)?;
    Ok(if page.error.is_empty() {
        response
    } else {
        use axum::response::IntoResponse;
        (axum::http::StatusCode::UNPROCESSABLE_ENTITY, response).into_response()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| {
                if p.marked {
                    format!("[{}]", p.text)
                } else {
                    p.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn words_are_marked_whatever_their_case() {
        let words = vec!["open".to_string(), "DATA".to_string()];
        assert_eq!(
            shown(&mark("Open data en Opendata", &words)),
            "[Open] [data] en [Opendata]"
        );
        assert_eq!(shown(&mark("Één stad", &["één".to_string()])), "[Één] stad");
    }

    #[test]
    fn addresses_keep_the_query() {
        assert_eq!(
            search_href("Één & co", 2),
            "/plannen/zoeken?q=%C3%89%C3%A9n%20%26%20co&pagina=2"
        );
    }

    #[test]
    fn long_descriptions_are_cut_around_the_first_hit() {
        let text = format!("{} renovatie {}", "a ".repeat(300), "b ".repeat(300));
        let cut = excerpt(&text, &["Renovatie".to_string()]);
        assert!(cut.contains("renovatie"), "{cut}");
        assert!(cut.starts_with("… ") && cut.ends_with(" …"), "{cut}");
        assert!(cut.chars().count() <= EXCERPT_CHARS + 4);
    }
}
