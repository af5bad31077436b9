//! The editors' pages (design §3.2), for redacteurs of the Kenniscentrum
//! ([`crate::access::require_editor`]); an anonymous visitor is sent to log in, anyone else
//! gets "forbidden".
//!
//! - [`dashboard`]: `/nieuwsbrief/beheer`, counts and the latest campaigns;
//! - [`subscribers`]: the list with search, filters, pages and the CSV export;
//! - [`subscriber`]: one subscriber: data, consent record, edit, block, erase;
//! - [`settings`]: the module's settings, for managers.

mod dashboard;
mod settings;
mod subscriber;
mod subscribers;
// the XLSX export beside the CSV one (S12)
mod subscribers_xlsx;

use axum::Router;
use steden_core::audit::AuditActor;
use steden_core::policy::Actor;
use steden_web::page::PageContext;
use steden_web::{AppError, AppState};

use crate::access;
use crate::store::admin_writes::Editor;

pub fn routes() -> Router<AppState> {
    dashboard::routes()
        .merge(subscribers::routes())
        .merge(subscriber::routes())
        .merge(settings::routes())
        .merge(subscribers_xlsx::routes())
}

/// The visitor of an editors' page: who they are to the policy and the audit trail.
pub(crate) struct Staff {
    pub actor: Actor,
    pub audit: AuditActor,
    pub kenniscentrum_id: String,
}

impl Staff {
    /// As the store's writes take it.
    pub fn editor(&self) -> Editor<'_> {
        Editor {
            actor: &self.actor,
            audit: &self.audit,
            kenniscentrum_id: &self.kenniscentrum_id,
        }
    }
}

/// The logged-in visitor, whoever they are (anonymous: to the login page).
pub(crate) async fn staff(ctx: &PageContext) -> Result<Staff, AppError> {
    Ok(Staff {
        audit: super::audit_actor(ctx)?,
        actor: super::actor(ctx),
        kenniscentrum_id: access::kenniscentrum_id(ctx.state().db()).await?,
    })
}

/// The visitor, when they are an editor (anonymous: to the login page; others: forbidden;
/// [`super::require_editor`]).
pub(crate) async fn editor(ctx: &PageContext) -> Result<Staff, AppError> {
    let (actor, kenniscentrum_id) = super::require_editor(ctx).await?;
    Ok(Staff {
        audit: super::audit_actor(ctx)?,
        actor,
        kenniscentrum_id,
    })
}
