//! The error answers of the API as reusable OpenAPI response sets, so that an operation lists
//! its success and names a set for its failures instead of repeating six problem lines:
//!
//! ```text
//! #[utoipa::path(get, path = "/plan/items/{id}", tag = "plan",
//!     responses((status = 200, description = "Het item", body = ItemDto), ReadProblems))]
//! ```
//!
//! Every answer in a set is an RFC 9457 problem document ([`super::problem::Problem`],
//! `application/problem+json`). An operation that needs a more precise description for one
//! status lists that status as a tuple after the set, which replaces the set's entry.

use std::collections::BTreeMap;

use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::IntoResponses;

/// The media type of problem documents.
pub const PROBLEM_JSON: &str = "application/problem+json";

fn problem(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}

fn set(entries: &[(u16, &str)]) -> BTreeMap<String, RefOr<Response>> {
    entries
        .iter()
        .map(|(status, description)| (status.to_string(), problem(description)))
        .collect()
}

const UNAUTHENTICATED: (u16, &str) = (401, "Geen of ongeldig token");
const FORBIDDEN: (u16, &str) = (
    403,
    "Het token mag dit niet: de module valt buiten zijn scope, of de rol volstaat niet",
);
const NOT_FOUND: (u16, &str) = (
    404,
    "Niet gevonden, of niet zichtbaar voor dit token (het bestaan lekt niet)",
);
const BAD_QUERY: (u16, &str) = (
    400,
    "Ongeldige queryparameters (bv. paginering buiten het bereik)",
);
const BAD_BODY: (u16, &str) = (400, "Geen geldige JSON");
const NOT_JSON: (u16, &str) = (415, "Geen JSON (Content-Type moet application/json zijn)");
const INVALID: (u16, &str) = (
    422,
    "Ongeldige velden (per veld in `errors`); er werd niets opgeslagen",
);

/// Any authenticated call that reads nothing in particular: 401, 403.
pub struct AuthProblems;

impl IntoResponses for AuthProblems {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        set(&[UNAUTHENTICATED, FORBIDDEN])
    }
}

/// Reading one resource: 401, 403, 404.
pub struct ReadProblems;

impl IntoResponses for ReadProblems {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        set(&[UNAUTHENTICATED, FORBIDDEN, NOT_FOUND])
    }
}

/// Reading a paginated list: 400 (query), 401, 403.
pub struct ListProblems;

impl IntoResponses for ListProblems {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        set(&[BAD_QUERY, UNAUTHENTICATED, FORBIDDEN])
    }
}

/// Reading a paginated list with filters that must agree with each other (a date range whose
/// end lies before its start): 400 (malformed query), 401, 403, 422 (filters that are each
/// valid but contradict each other, a rule a schema cannot express).
pub struct FilteredListProblems;

impl IntoResponses for FilteredListProblems {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        set(&[
            BAD_QUERY,
            UNAUTHENTICATED,
            FORBIDDEN,
            (
                422,
                "Filters die elkaar tegenspreken (per veld in `errors`)",
            ),
        ])
    }
}

/// Reading a paginated list that belongs to a parent resource: 400, 401, 403, 404.
pub struct NestedListProblems;

impl IntoResponses for NestedListProblems {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        set(&[BAD_QUERY, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND])
    }
}

/// Creating or changing with a JSON body: 400 (malformed JSON), 401, 403, 404, 415, 422.
pub struct WriteProblems;

impl IntoResponses for WriteProblems {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        set(&[
            BAD_BODY,
            UNAUTHENTICATED,
            FORBIDDEN,
            NOT_FOUND,
            NOT_JSON,
            INVALID,
        ])
    }
}

/// Deleting or acting without a body: 401, 403, 404, 422 (refused in this state).
pub struct ActionProblems;

impl IntoResponses for ActionProblems {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        set(&[UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, INVALID])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_answer_is_a_problem_document() {
        for responses in [
            AuthProblems::responses(),
            ReadProblems::responses(),
            ListProblems::responses(),
            NestedListProblems::responses(),
            WriteProblems::responses(),
            ActionProblems::responses(),
        ] {
            assert!(!responses.is_empty());
            for (status, response) in responses {
                let json = serde_json::to_value(&response).unwrap();
                assert!(status.starts_with('4'), "{status}");
                assert_eq!(
                    json["content"][PROBLEM_JSON]["schema"]["$ref"], "#/components/schemas/Problem",
                    "{status}: {json}"
                );
            }
        }
        assert_eq!(
            WriteProblems::responses().keys().collect::<Vec<_>>(),
            ["400", "401", "403", "404", "415", "422"]
        );
    }
}
