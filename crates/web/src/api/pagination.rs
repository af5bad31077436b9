//! The pagination convention of every list in the API: `?page=1&per_page=50`, an envelope
//! `{items, page, per_page, total}` and an RFC 8288 `Link` header with first/prev/next/last.
//!
//! A handler takes [`PageParams`] and answers `params.page(items, total)`:
//! ```text
//! async fn list(params: PageParams, ..) -> ApiResult<Paged<Thing>> {
//!     let total = store::count(..).await?;
//!     let items = store::list(.., params.limit(), params.offset()).await?;
//!     Ok(params.page(items, total))
//! }
//! ```

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::header::LINK;
use axum::http::request::Parts;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::problem::{ApiError, FieldProblem};

pub const DEFAULT_PER_PAGE: u32 = 50;
pub const MAX_PER_PAGE: u32 = 200;
/// The highest page number: the largest 32-bit signed integer, which the OpenAPI document
/// states and clients in most languages can hold.
pub const MAX_PAGE: u32 = i32::MAX as u32;

/// Which page of a list to return.
#[derive(Debug, Clone, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// The page number, from 1 (default 1).
    #[param(minimum = 1, maximum = 2147483647, default = 1, required = false)]
    pub page: u32,
    /// Items per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200, default = 50, required = false)]
    pub per_page: u32,
    /// The path and the other query parameters, to build the `Link` header.
    #[param(ignore)]
    path: String,
    #[param(ignore)]
    other_params: Vec<(String, String)>,
}

impl PageParams {
    /// Reads `page` and `per_page` from a query string; other parameters are kept for links.
    pub fn parse(path: &str, query: &str) -> Result<PageParams, ApiError> {
        let mut page = 1u32;
        let mut per_page = DEFAULT_PER_PAGE;
        let mut errors = Vec::new();
        let mut other_params = Vec::new();
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            match key.as_ref() {
                "page" => match value.trim().parse::<u32>() {
                    Ok(n) if (1..=MAX_PAGE).contains(&n) => page = n,
                    _ => errors.push(FieldProblem {
                        field: "page".into(),
                        message: format!(
                            "Het paginanummer moet een geheel getal van 1 tot en met {MAX_PAGE} zijn."
                        ),
                    }),
                },
                "per_page" => match value.trim().parse::<u32>() {
                    Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => per_page = n,
                    _ => errors.push(FieldProblem {
                        field: "per_page".into(),
                        message: format!(
                            "Het aantal per pagina moet een geheel getal van 1 tot en met {MAX_PER_PAGE} zijn."
                        ),
                    }),
                },
                _ => other_params.push((key.into_owned(), value.into_owned())),
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::BadRequest(
                "De paginering is ongeldig.".to_string(),
                errors,
            ));
        }
        Ok(PageParams {
            page,
            per_page,
            path: path.to_string(),
            other_params,
        })
    }

    /// For SQL `LIMIT`.
    pub fn limit(&self) -> i64 {
        i64::from(self.per_page)
    }

    /// For SQL `OFFSET`.
    pub fn offset(&self) -> i64 {
        (i64::from(self.page) - 1) * i64::from(self.per_page)
    }

    /// The answer: this page's items in the envelope, with the Link header.
    pub fn page<T: Serialize>(&self, items: Vec<T>, total: i64) -> Paged<T> {
        Paged {
            body: Page {
                items,
                page: self.page,
                per_page: self.per_page,
                total: total.max(0),
            },
            link: self.link_header(total.max(0)),
        }
    }

    fn last_page(&self, total: i64) -> u32 {
        let per_page = i64::from(self.per_page);
        u32::try_from(((total + per_page - 1) / per_page).max(1)).unwrap_or(u32::MAX)
    }

    fn href(&self, page: u32) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in &self.other_params {
            query.append_pair(key, value);
        }
        query.append_pair("page", &page.to_string());
        query.append_pair("per_page", &self.per_page.to_string());
        format!("{}?{}", self.path, query.finish())
    }

    fn link_header(&self, total: i64) -> String {
        let last = self.last_page(total);
        let mut links = vec![format!("<{}>; rel=\"first\"", self.href(1))];
        if self.page > 1 {
            let prev = self.page.min(last + 1) - 1;
            links.push(format!("<{}>; rel=\"prev\"", self.href(prev.max(1))));
        }
        if self.page < last {
            links.push(format!("<{}>; rel=\"next\"", self.href(self.page + 1)));
        }
        links.push(format!("<{}>; rel=\"last\"", self.href(last)));
        links.join(", ")
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PageParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        // Inside the nested API router `uri` lacks the /api/v1 prefix; links need the full path.
        let uri = parts
            .extensions
            .get::<OriginalUri>()
            .map_or(&parts.uri, |original| &original.0);
        PageParams::parse(uri.path(), uri.query().unwrap_or(""))
    }
}

/// The envelope of every list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Page<T> {
    /// This page's items.
    pub items: Vec<T>,
    /// The page number, from 1.
    pub page: u32,
    /// Items per page.
    pub per_page: u32,
    /// How many items there are over all pages.
    pub total: i64,
}

/// A [`Page`] with its `Link` header, as a response.
#[derive(Debug, Clone)]
pub struct Paged<T> {
    pub body: Page<T>,
    link: String,
}

impl<T: Serialize> IntoResponse for Paged<T> {
    fn into_response(self) -> Response {
        let mut response = Json(self.body).into_response();
        if let Ok(value) = HeaderValue::from_str(&self.link) {
            response.headers_mut().insert(LINK, value);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_filters_and_stop_at_the_ends() {
        let params = PageParams::parse("/api/v1/x", "kind=centrumstad&page=2&per_page=10").unwrap();
        assert_eq!(params.offset(), 10);
        let link = params.link_header(25);
        assert!(link.contains("</api/v1/x?kind=centrumstad&page=1&per_page=10>; rel=\"first\""));
        assert!(link.contains("page=1&per_page=10>; rel=\"prev\""));
        assert!(link.contains("page=3&per_page=10>; rel=\"next\""));
        assert!(link.contains("page=3&per_page=10>; rel=\"last\""));

        let last = PageParams::parse("/x", "page=3&per_page=10").unwrap();
        assert!(!last.link_header(25).contains("rel=\"next\""));
        let first = PageParams::parse("/x", "").unwrap();
        assert_eq!((first.page, first.per_page), (1, DEFAULT_PER_PAGE));
        assert!(!first.link_header(0).contains("rel=\"prev\""));
        assert!(first
            .link_header(0)
            .contains("page=1&per_page=50>; rel=\"last\""));
    }

    #[test]
    fn out_of_range_is_refused_with_the_field_named() {
        for query in ["per_page=201", "per_page=0", "page=0", "page=x"] {
            match PageParams::parse("/x", query) {
                Err(ApiError::BadRequest(_, errors)) => assert_eq!(errors.len(), 1, "{query}"),
                other => panic!("{query}: {other:?}"),
            }
        }
        assert_eq!(
            PageParams::parse("/x", "per_page=200").unwrap().per_page,
            200
        );
    }
}
