//! Administration of organisations, members, users, API tokens, and the user's own account.
//! Every write asks the policy layer first and records its audit entry in the same
//! transaction.

mod orgs;
mod profile;
mod users;

use axum::Router;
use steden_core::mail::{self, OutgoingMail};
use steden_core::role::Role;
use steden_db::Tx;

use crate::nav::{NavEntry, NavGroup, NavVisibility};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(orgs::routes())
        .merge(users::routes())
        .merge(profile::routes())
}

/// The shell's own navigation entries for these pages.
pub fn nav() -> Vec<NavEntry> {
    vec![
        NavEntry {
            label_key: "acc-nav-organisations",
            group: NavGroup::Account,
            href: "/beheer/organisaties",
            visibility: NavVisibility::LoggedIn,
            order: 900,
        },
        NavEntry {
            label_key: "acc-nav-users",
            group: NavGroup::Admin,
            href: "/beheer/gebruikers",
            visibility: NavVisibility::PlatformAdmin,
            order: 910,
        },
        NavEntry {
            label_key: "acc-nav-account",
            group: NavGroup::Account,
            href: "/account",
            visibility: NavVisibility::LoggedIn,
            order: 990,
        },
    ]
}

/// Puts a plain-text mail in the outbox, inside the caller's transaction (so it is sent only
/// if the change it announces is committed).
pub async fn send_mail(
    tx: &mut Tx<'_>,
    to: &str,
    subject: &str,
    text: &str,
) -> steden_core::CoreResult<()> {
    mail::enqueue(
        tx,
        &OutgoingMail {
            to: to.to_string(),
            subject: subject.to_string(),
            text: text.to_string(),
            html: None,
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

/// A role option of a select: value, whether selected.
#[derive(Debug, Clone)]
pub struct RoleOption {
    pub value: &'static str,
    pub selected: bool,
}

/// The roles up to `max`, with `selected` marked.
pub fn role_options(max: Role, selected: &str) -> Vec<RoleOption> {
    Role::ALL
        .into_iter()
        .filter(|r| *r <= max)
        .rev()
        .map(|r| RoleOption {
            value: r.as_str(),
            selected: r.as_str() == selected,
        })
        .collect()
}
