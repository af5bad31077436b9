//! Collections: the public pages `/kennisbank/collecties` and `/kennisbank/collecties/{slug}`,
//! and the editors' pages under `/beheer/kennisbank/collecties`.
//!
//! A collection page lists only the documents the reader may open ([`Reader::may_open`]);
//! hidden documents are not counted either, so a count never betrays that something is there.
//! A thematic library groups its entries by section (theme) with their evaluation status (word
//! and icon, never colour alone) and action points; a publication is a reading list in the
//! editor's order; an archive lists every document of its programme period plus the curated
//! entries, by type or by year.
//!
//! Every write is for editors only ([`require_editor`]) and runs in one transaction with an
//! audit entry; bad input re-renders the form with Dutch messages (422) and writes nothing.

mod entries;
mod manage;
mod public_list;
mod public_show;
mod shared;

use axum::routing::{get, post};
use axum::Router;
use steden_web::AppState;

use entries::{add_entry, entries_page, move_down, move_up, remove_entry, update_entry};
use manage::{create, delete, delete_form, edit_form, manage_list, new_form, update};
use public_list::public_list;
use public_show::public_show;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/kennisbank/collecties", get(public_list))
        .route("/kennisbank/collecties/{slug}", get(public_show))
        .route("/beheer/kennisbank/collecties", get(manage_list))
        .route(
            "/beheer/kennisbank/collecties/nieuw",
            get(new_form).post(create),
        )
        .route(
            "/beheer/kennisbank/collecties/{id}/bewerken",
            get(edit_form).post(update),
        )
        .route(
            "/beheer/kennisbank/collecties/{id}/verwijderen",
            get(delete_form).post(delete),
        )
        .route(
            "/beheer/kennisbank/collecties/{id}/documenten",
            get(entries_page),
        )
        .route(
            "/beheer/kennisbank/collecties/{id}/documenten/toevoegen",
            post(add_entry),
        )
        .route(
            "/beheer/kennisbank/collecties/{id}/documenten/{doc}/wijzigen",
            post(update_entry),
        )
        .route(
            "/beheer/kennisbank/collecties/{id}/documenten/{doc}/omhoog",
            post(move_up),
        )
        .route(
            "/beheer/kennisbank/collecties/{id}/documenten/{doc}/omlaag",
            post(move_down),
        )
        .route(
            "/beheer/kennisbank/collecties/{id}/documenten/{doc}/verwijderen",
            post(remove_entry),
        )
}
