//! Library documents: the editors' pages (`/beheer/kennisbank/documenten...`: list, upload,
//! edit, delete, the extraction status that refreshes itself), the public document page
//! (`/kennisbank/documenten/{slug}`), the file download (`.../bestand`) and the "Publicaties"
//! section (`/publicaties`).
//!
//! Access to a document's page and file: [`access::Reader::may_open`]. A reader who may not
//! open it gets 404, never "forbidden", so that the existence of an organisation's or a working
//! group's document is not revealed. The one exception: a visitor who is not logged in and asks
//! for a members-only (`leden`) document is sent to the login page, since every member may open
//! it and saying so reveals nothing.
//!
//! Uploads are multipart with the CSRF token in the query (the CSRF layer does not buffer
//! multipart bodies); the routes raise the body limit to the upload limit plus room for the
//! other fields, and a larger upload gets the form again with a Dutch message (413).
//!
//! Downloads are served as attachments, with a content type from an allow-list (anything else
//! is `application/octet-stream`, Markdown is `text/plain`), `nosniff` and a sandboxing
//! Content-Security-Policy, so that no uploaded file can ever run in the site's origin.

mod delete;
mod form;
mod list;
mod place;
mod publications;
mod shared;
mod show;
mod status;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;
use steden_web::AppState;

pub use show::{content_disposition, served_content_type};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(shared::LIST_HREF, get(list::list))
        .route(
            "/beheer/kennisbank/documenten/nieuw",
            get(form::new_form)
                .post(form::create)
                .layer(DefaultBodyLimit::max(shared::BODY_LIMIT)),
        )
        .route(
            "/beheer/kennisbank/documenten/{id}",
            get(form::edit_form)
                .post(form::update)
                .layer(DefaultBodyLimit::max(shared::BODY_LIMIT)),
        )
        .route(
            "/beheer/kennisbank/documenten/{id}/status",
            get(status::status_fragment),
        )
        .route(
            "/beheer/kennisbank/documenten/{id}/verwijderen",
            get(delete::confirm_delete).post(delete::delete),
        )
        .route("/kennisbank/documenten/{slug}", get(show::show))
        .route("/kennisbank/documenten/{slug}/bestand", get(show::download))
        .route("/publicaties", get(publications::publications))
}
