//! Demo content for `steden serve --demo` (issue 14 point 9, design §3.11): a few hundred
//! generated subscribers, clearly fake, at example.org ([`subscribers`]), the LinkedIn
//! planner's last four months ([`linkedin`]), and the newsletters of the last two months, sent
//! through the real path, with this month's as a concept ([`campaigns`]: asked for here, made
//! by the module's start). Idempotent: every step looks before it writes.

pub mod campaigns;
mod linkedin;
mod subscribers;
mod texts;

use steden_core::policy::{Actor, OrgRole, UserActor};
use steden_core::role::Role;
use steden_db::Db;
use steden_web::DemoUser;

use crate::access;

/// Seeds the module's demo content.
pub async fn seed(db: &Db, users: &[DemoUser]) -> anyhow::Result<()> {
    subscribers::seed(db).await?;
    if let Some(editor) = users
        .iter()
        .find(|user| user.email.starts_with("medewerker@"))
    {
        let kenniscentrum_id = access::kenniscentrum_id(db).await?;
        let actor = Actor::User(UserActor {
            user_id: editor.id.clone(),
            platform_admin: false,
            memberships: vec![OrgRole {
                organisation_id: kenniscentrum_id.clone(),
                role: Role::Redacteur,
            }],
        });
        linkedin::seed(db, &actor, &kenniscentrum_id).await?;
        // The campaigns need the other modules' items and the site's address: the module's
        // start makes them (see [`campaigns`]).
        crate::store::demo::request_campaigns(db, &editor.id).await?;
    }
    Ok(())
}
