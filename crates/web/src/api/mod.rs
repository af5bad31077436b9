//! The JSON API under `/api/v1`, and the conventions every module's API follows:
//!
//! - authentication with an API token (`Authorization: Bearer …`) through [`ApiActor`], which
//!   also checks that the token's scope includes the route's module;
//! - errors as RFC 9457 problem documents ([`problem`]), also for malformed JSON, bad query
//!   parameters, unknown routes and panics;
//! - lists paginated with [`PageParams`] and [`Page`] (`?page=&per_page=`, `Link` header);
//! - an OpenAPI 3 document at `/api/v1/openapi.json` built from the same routers that serve
//!   the requests, so it covers every route; a route that is not in the document is refused.
//!
//! A module adds routes by returning them from [`crate::Module::api_routes`], registered with
//! `OpenApiRouter::routes(routes!(handler))` on `#[utoipa::path]` handlers; paths are relative
//! to `/api/v1`.

pub mod auth;
mod core_routes;
pub mod extract;
pub mod openapi;
pub mod pagination;
pub mod problem;
pub mod responses;
pub mod schema;

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::{MatchedPath, Request};
use axum::http::header::ALLOW;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::{from_fn, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Extension, Router};
use tower_http::catch_panic::CatchPanicLayer;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::module::Module;
use crate::state::AppState;

pub use auth::{ApiActor, ApiCaller, ApiModule};
pub use extract::{ApiJson, ApiPath, ApiQuery};
pub use pagination::{Page, PageParams, Paged};
pub use problem::{ApiError, ApiResult, FieldProblem, Problem};
pub use responses::{
    ActionProblems, AuthProblems, FilteredListProblems, ListProblems, NestedListProblems,
    ReadProblems, WriteProblems,
};

/// Where the API lives.
pub const PREFIX: &str = "/api/v1";

/// The extension of every operation in the OpenAPI document that names the scope an API token
/// needs for it (the module's name, or "core"); `null` for the public operations.
pub const SCOPE_EXTENSION: &str = "x-steden-scope";

/// The router of the whole API, for [`crate::app::build`].
pub fn routes(modules: &[Arc<dyn Module>]) -> Router<AppState> {
    router_and_document(modules).0
}

/// The OpenAPI document of the API of this build (also served at `/api/v1/openapi.json`).
pub fn document(modules: &[Arc<dyn Module>]) -> OpenApiDoc {
    router_and_document(modules).1
}

fn router_and_document(modules: &[Arc<dyn Module>]) -> (Router<AppState>, OpenApiDoc) {
    let core = steden_core::policy::CORE_MODULE;
    let mut api = OpenApiRouter::new().merge(with_module(
        core,
        "Het platform: token, organisaties, audittrail, taken.",
        core_routes::routes(),
    ));
    for module in modules {
        let description = format!("De API van de module `{}`.", module.name());
        api = api.merge(with_module(
            module.name(),
            &description,
            module.api_routes(),
        ));
    }
    // The description of the API is public: a client reads it before it has a token.
    let mut public = OpenApiRouter::new()
        .routes(routes!(openapi::openapi_json))
        .routes(routes!(openapi::docs_page));
    describe_operations(
        public.get_openapi_mut(),
        openapi::PUBLIC_TAG,
        "Over de API zelf.",
        None,
    );
    let api = api.merge(public);

    let (router, mut doc) = OpenApiRouter::with_openapi(openapi::BaseDoc::openapi())
        .nest(PREFIX, api)
        .split_for_parts();
    unique_operation_ids(&mut doc);
    let document = openapi::Document::new(&doc);
    let documented = Arc::new(Documented::of(&doc));

    let router = router
        .layer(from_fn(documented_only))
        .layer(Extension(documented))
        .layer(Extension(document))
        // Everything else under the prefix is an unknown route, answered as a problem rather
        // than with the HTML 404 page of the site.
        .route(PREFIX, any(unknown_route))
        .route(&format!("{PREFIX}/"), any(unknown_route))
        .route(&format!("{PREFIX}/{{*rest}}"), any(unknown_route))
        .layer(CatchPanicLayer::custom(problem::from_panic))
        .layer(from_fn(problem::middleware));
    (router, doc)
}

/// Marks every route of `router` as belonging to `module`, for the token scope check, and
/// documents it so: tagged with the module's name and stating the scope it needs.
fn with_module(
    module: &'static str,
    description: &str,
    mut router: OpenApiRouter<AppState>,
) -> OpenApiRouter<AppState> {
    describe_operations(router.get_openapi_mut(), module, description, Some(module));
    router.layer(Extension(ApiModule(module)))
}

/// Groups every operation of `doc` under the tag `tag` (first, before any tag the handler gave
/// itself) and states the token scope it needs: in its description, for people, and in the
/// [`SCOPE_EXTENSION`], for programs (`null` when no token is needed).
fn describe_operations(doc: &mut OpenApiDoc, tag: &str, description: &str, scope: Option<&str>) {
    let needs = match scope {
        Some(scope) => format!("Vereiste scope: `{scope}`."),
        None => "Geen token nodig.".to_string(),
    };
    for item in doc.paths.paths.values_mut() {
        for (_, operation) in operations_mut(item) {
            let mut tags = vec![tag.to_string()];
            tags.extend(
                operation
                    .tags
                    .take()
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|t| t != tag),
            );
            operation.tags = Some(tags);
            operation.description = Some(match operation.description.take() {
                Some(text) if !text.trim().is_empty() => format!("{}\n\n{needs}", text.trim_end()),
                _ => needs.clone(),
            });
            let scope_value = scope.map_or(serde_json::Value::Null, |s| s.into());
            operation
                .extensions
                .get_or_insert_with(Default::default)
                .merge(
                    ExtensionsBuilder::new()
                        .add(SCOPE_EXTENSION, scope_value)
                        .build(),
                );
        }
    }
    doc.tags = Some(vec![TagBuilder::new()
        .name(tag)
        .description(Some(format!("{description} {needs}")))
        .build()]);
}

async fn unknown_route() -> Response {
    problem::route_not_found().into_response()
}

/// The operations of a path item, with their lower-case method names.
pub(crate) fn operations_of(item: &PathItem) -> Vec<(&'static str, &Operation)> {
    [
        ("get", &item.get),
        ("put", &item.put),
        ("post", &item.post),
        ("delete", &item.delete),
        ("options", &item.options),
        ("head", &item.head),
        ("patch", &item.patch),
        ("trace", &item.trace),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.as_ref().map(|op| (method, op)))
    .collect()
}

/// The operations of a path item, mutable, with their lower-case method names.
fn operations_mut(item: &mut PathItem) -> Vec<(&'static str, &mut Operation)> {
    [
        ("get", &mut item.get),
        ("put", &mut item.put),
        ("post", &mut item.post),
        ("delete", &mut item.delete),
        ("options", &mut item.options),
        ("head", &mut item.head),
        ("patch", &mut item.patch),
        ("trace", &mut item.trace),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.as_mut().map(|op| (method, op)))
    .collect()
}

/// OpenAPI requires operation ids to be unique; utoipa defaults them to the handler's name,
/// and two modules may both have a `list`. A repeated id becomes `{method}_{path}`.
fn unique_operation_ids(doc: &mut OpenApiDoc) {
    let mut seen = BTreeSet::new();
    for (path, item) in doc.paths.paths.iter_mut() {
        for (method, operation) in operations_mut(item) {
            let id = operation.operation_id.clone().unwrap_or_default();
            if id.is_empty() || !seen.insert(id) {
                let derived: String = format!("{method}_{path}")
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect();
                seen.insert(derived.clone());
                operation.operation_id = Some(derived);
            }
        }
    }
}

/// The (method, path) pairs of the document.
struct Documented(BTreeSet<(String, String)>);

impl Documented {
    fn of(doc: &OpenApiDoc) -> Documented {
        let mut set = BTreeSet::new();
        for (path, item) in &doc.paths.paths {
            for (method, _) in operations_of(item) {
                set.insert((method.to_ascii_uppercase(), path.clone()));
            }
        }
        Documented(set)
    }

    fn has(&self, method: &Method, path: &str) -> bool {
        // axum answers HEAD with the GET handler.
        let method = if method == Method::HEAD {
            "GET"
        } else {
            method.as_str()
        };
        self.0.contains(&(method.to_string(), path.to_string()))
    }

    fn methods_of(&self, path: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(_, p)| p == path)
            .map(|(m, _)| m.as_str())
            .collect()
    }
}

/// Refuses a request that reached a route the document does not describe (a module that
/// used `.route(..)` instead of `.routes(routes!(..))`, or two modules' paths shadowing each
/// other in the document): the document promises to cover every route, so the router keeps
/// that promise.
async fn documented_only(
    Extension(documented): Extension<Arc<Documented>>,
    matched: Option<MatchedPath>,
    request: Request,
    next: Next,
) -> Response {
    let Some(matched) = matched else {
        return next.run(request).await;
    };
    if documented.has(request.method(), matched.as_str()) {
        return next.run(request).await;
    }
    let methods = documented.methods_of(matched.as_str());
    if methods.is_empty() {
        tracing::warn!(
            path = matched.as_str(),
            "API-route zonder documentatie geweigerd"
        );
        return problem::route_not_found().into_response();
    }
    let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
    if let Ok(allow) = HeaderValue::from_str(&methods.join(", ")) {
        response.headers_mut().insert(ALLOW, allow);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation of the core declares the bearer scheme and a 401 problem, and every
    /// path parameter is described, so generated clients know how to call it.
    #[test]
    fn core_operations_are_fully_described() {
        let doc = document(&[]);
        let json: serde_json::Value = serde_json::from_str(&doc.to_json().unwrap()).unwrap();
        if std::env::var_os("PRINT_OPENAPI").is_some() {
            println!("{}", serde_json::to_string_pretty(&json).unwrap());
        }
        let mut seen = 0;
        let mut ids = BTreeSet::new();
        for (path, item) in json["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let public = path.ends_with("/openapi.json") || path.ends_with("/docs");
                if !public {
                    assert_eq!(
                        op["security"][0]["bearer"],
                        serde_json::json!([]),
                        "{method} {path}"
                    );
                    let unauthorised =
                        &op["responses"]["401"]["content"]["application/problem+json"];
                    assert!(unauthorised.is_object(), "{method} {path}: 401 problem");
                }
                for param in path.split('{').skip(1) {
                    let name = param.split('}').next().unwrap();
                    let declared = op["parameters"].as_array().is_some_and(|ps| {
                        ps.iter().any(|p| p["name"] == name && p["in"] == "path")
                    });
                    assert!(declared, "{method} {path}: parameter {name}");
                }
                // Grouped by module and stating the scope it needs, for people and programs.
                let (tag, scope) = if public {
                    ("api", None)
                } else {
                    ("core", Some("core"))
                };
                assert_eq!(op["tags"][0], tag, "{method} {path}: tag");
                assert_eq!(
                    op[SCOPE_EXTENSION],
                    serde_json::json!(scope),
                    "{method} {path}"
                );
                let description = op["description"].as_str().unwrap_or_default();
                let stated = match scope {
                    Some(scope) => description.ends_with(&format!("Vereiste scope: `{scope}`.")),
                    None => description.ends_with("Geen token nodig."),
                };
                assert!(stated, "{method} {path}: scope in {description:?}");
                let id = op["operationId"].as_str().unwrap_or_default().to_string();
                assert!(
                    !id.is_empty() && ids.insert(id.clone()),
                    "{method} {path}: id {id}"
                );
                if path.contains("/organisations") || path.contains("/audit") {
                    let page = op["parameters"]
                        .as_array()
                        .and_then(|ps| ps.iter().find(|p| p["name"] == "page"));
                    assert!(
                        page.is_none_or(|p| p["required"] == false),
                        "{path}: page optional"
                    );
                }
                seen += 1;
            }
        }
        assert_eq!(seen, 8);
        let tags: Vec<&str> = json["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(tags, ["core", "api"]);
    }
}
