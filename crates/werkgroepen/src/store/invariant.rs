//! The repair of design §2.1's invariant at start-up: a person is on the core's access list of
//! a group exactly when they have an active membership there whose role opens documents. The
//! module keeps it on every change; this catches what others wrote to the core's list directly
//! (a seed, an older demo) and logs it.

use std::collections::BTreeSet;

use steden_core::audit::AuditActor;
use steden_core::error::CoreResult;
use steden_core::working_group;
use steden_db::Db;

use crate::store::{groups, memberships};

/// What one repair changed on the core's lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Repaired {
    pub added: usize,
    pub removed: usize,
}

/// Makes every profiled group's core access list equal to its active memberships with a role
/// that opens documents, in one transaction (the core records each change in the audit trail).
pub async fn repair_access_lists(db: &Db) -> CoreResult<Repaired> {
    let mut tx = db.begin().await?;
    let actor = AuditActor::system();
    let mut repaired = Repaired::default();
    for group_id in groups::profiled_ids(&mut *tx).await? {
        let wanted: BTreeSet<String> = memberships::access_list(&mut *tx, &group_id)
            .await?
            .into_iter()
            .collect();
        let present: BTreeSet<String> = working_group::members(&mut *tx, &group_id)
            .await?
            .into_iter()
            .map(|(user_id, _)| user_id)
            .collect();
        for user_id in wanted.difference(&present) {
            if working_group::add_member_tx(&mut tx, &group_id, user_id, &actor).await? {
                repaired.added += 1;
            }
        }
        for user_id in present.difference(&wanted) {
            if working_group::remove_member(&mut tx, &group_id, user_id, &actor).await? {
                repaired.removed += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(repaired)
}
