//! The OpenAPI 3 document of the API, and a small server-rendered page that lists its
//! operations for people.
//!
//! The document is not written by hand: every route is registered through
//! `OpenApiRouter::routes(routes!(..))` from a `#[utoipa::path]` handler, so the router and the
//! document come from the same list (and [`super::documented_only`] refuses anything else).

use std::sync::Arc;

use askama::Template;
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::{Modify, OpenApi};

use super::problem::{FieldProblem, Problem};
use crate::page::PageContext;
use crate::AppError;

/// The base of the document: title, security scheme and shared schemas. Paths are added by
/// the routers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Stedenplatform API",
        description = "De JSON-API van Stedenplatform. Aanmelden met een API-token: \
                       `Authorization: Bearer <token>`. Fouten zijn RFC 9457-probleemdocumenten \
                       (`application/problem+json`); lijsten zijn gepagineerd met \
                       `?page=1&per_page=50` en een `Link`-header (RFC 8288).",
        license(name = "EUPL-1.2")
    ),
    modifiers(&BearerAuth),
    components(schemas(Problem, FieldProblem))
)]
// The tags (one per module, "core", and "api") are added with the routes, by `super::routes`.
pub struct BaseDoc;

/// The tag of the operations that describe the API itself and need no token.
pub const PUBLIC_TAG: &str = "api";

/// The name of the security scheme in the document.
pub const SECURITY_SCHEME: &str = "bearer";

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            SECURITY_SCHEME,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("Een API-token, eenmalig getoond bij het aanmaken."))
                    .build(),
            ),
        );
    }
}

/// The finished document, shared by the handlers below.
#[derive(Clone)]
pub struct Document {
    pub json: Arc<String>,
    pub operations: Arc<Vec<Operation>>,
}

/// One operation, for the HTML page.
#[derive(Debug, Clone)]
pub struct Operation {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub tag: String,
    /// The scope an API token needs; `None` for the public operations.
    pub scope: Option<String>,
}

impl Document {
    pub fn new(doc: &OpenApiDoc) -> Document {
        let json = doc.to_pretty_json().unwrap_or_else(|_| "{}".to_string());
        let mut operations = Vec::new();
        for (path, item) in &doc.paths.paths {
            for (method, operation) in super::operations_of(item) {
                operations.push(Operation {
                    method: method.to_ascii_uppercase(),
                    path: path.clone(),
                    summary: operation.summary.clone().unwrap_or_default(),
                    tag: operation
                        .tags
                        .as_ref()
                        .and_then(|tags| tags.first().cloned())
                        .unwrap_or_default(),
                    scope: operation
                        .extensions
                        .as_ref()
                        .and_then(|e| e.get(super::SCOPE_EXTENSION))
                        .and_then(|v| v.as_str())
                        .map(str::to_string),
                });
            }
        }
        Document {
            json: Arc::new(json),
            operations: Arc::new(operations),
        }
    }
}

/// The OpenAPI 3 document of this API.
#[utoipa::path(
    get,
    path = "/openapi.json",
    operation_id = "get_openapi_document",
    tag = "api",
    responses((status = 200, description = "Het OpenAPI 3-document", content_type = "application/json"))
)]
pub async fn openapi_json(Extension(doc): Extension<Document>) -> Response {
    let mut response = doc.json.as_str().to_owned().into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

#[derive(Template)]
#[template(
    ext = "html",
    source = r#"{% extends "base.html" %}
{% block content %}
<h1>{{ ctx.t("api-docs-title") }}</h1>
<p>{{ ctx.t("api-docs-intro") }}</p>
<p><a href="/api/v1/openapi.json">{{ ctx.t("api-docs-openapi-link") }}</a></p>
<table>
  <caption>{{ ctx.t("api-docs-operations") }}</caption>
  <thead>
    <tr>
      <th scope="col">{{ ctx.t("api-docs-method") }}</th>
      <th scope="col">{{ ctx.t("api-docs-path") }}</th>
      <th scope="col">{{ ctx.t("api-docs-summary") }}</th>
      <th scope="col">{{ ctx.t("api-docs-module") }}</th>
      <th scope="col">{{ ctx.t("api-docs-scope") }}</th>
    </tr>
  </thead>
  <tbody>
    {% for op in operations.iter() %}
    <tr>
      <td><code>{{ op.method }}</code></td>
      <td><code>{{ op.path }}</code></td>
      <td>{{ op.summary }}</td>
      <td>{{ op.tag }}</td>
      <td>{% match op.scope %}{% when Some(scope) %}<code>{{ scope }}</code>{% when None %}{{ ctx.t("api-docs-public") }}{% endmatch %}</td>
    </tr>
    {% endfor %}
  </tbody>
</table>
{% endblock %}"#
)]
struct DocsPage<'a> {
    ctx: PageContext,
    operations: &'a [Operation],
}

/// A page for people that lists the operations of the API.
#[utoipa::path(
    get,
    path = "/docs",
    operation_id = "get_docs_page",
    tag = "api",
    responses((status = 200, description = "Overzicht van de operaties, als HTML-pagina", content_type = "text/html"))
)]
pub async fn docs_page(
    Extension(doc): Extension<Document>,
    ctx: PageContext,
) -> Result<Response, AppError> {
    let title = ctx.t("api-docs-title");
    let ctx = ctx.titled(title);
    crate::render(&DocsPage {
        ctx,
        operations: &doc.operations,
    })
}
