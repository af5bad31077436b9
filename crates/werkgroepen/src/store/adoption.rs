//! Adopting the core's working groups (design §2.3): a group created before this module, or by
//! a seed that only knows the core, gets a profile and its members get memberships, so the
//! module's pages know it. Run at every start; a second run finds nothing to do.

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_core::{membership, working_group};
use steden_db::{new_id, now_ms, Db};

use crate::access::KENNISCENTRUM_SLUG;
use crate::model::{Cadence, GroupKind, MemberRole, MemberStatus, Visibility};
use crate::store::groups;

/// What one run adopted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Adopted {
    pub groups: usize,
    pub memberships: usize,
}

/// Gives every core working group without a `wg_groups` row a profile (kind `werkgroep`,
/// `verborgen`, `op_afroep`: nothing is shown publicly until a facilitator decides so) and each
/// of its current core members an `actief` `lid` membership, all in one transaction, with one
/// audit entry per group.
pub async fn adopt_core_groups(db: &Db) -> CoreResult<Adopted> {
    let mut tx = db.begin().await?;
    let profiled = groups::profiled_ids(&mut *tx).await?;
    let mut adopted = Adopted::default();
    for group in working_group::list(&mut *tx).await? {
        if profiled.contains(&group.id) {
            continue;
        }
        let now = now_ms();
        // Another server starting at the same moment may have adopted it since the read above:
        // then this inserts nothing and leaves the members to that server.
        let inserted = sqlx::query(
            "INSERT INTO wg_groups (group_id, kind, visibility, cadence, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5)
             ON CONFLICT (group_id) DO NOTHING",
        )
        .bind(&group.id)
        .bind(GroupKind::Werkgroep.as_str())
        .bind(Visibility::Verborgen.as_str())
        .bind(Cadence::OpAfroep.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            continue;
        }
        let members = working_group::members(&mut *tx, &group.id).await?;
        for (user_id, joined_at) in &members {
            // The city or partner they are in the group for: their first organisation other
            // than the Kenniscentrum (staff are facilitators, not members, in the new model).
            let represents = membership::list_for_user(&mut *tx, user_id)
                .await?
                .into_iter()
                .find(|m| m.organisation_slug != KENNISCENTRUM_SLUG)
                .map(|m| m.organisation_id);
            sqlx::query(
                "INSERT INTO wg_memberships
                    (id, group_id, user_id, organisation_id, role, status, joined_at,
                     created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(new_id())
            .bind(&group.id)
            .bind(user_id)
            .bind(represents)
            .bind(MemberRole::Lid.as_str())
            .bind(MemberStatus::Actief.as_str())
            .bind(joined_at)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let summary = format!(
            "Werkgroep {} opgenomen in de module werkgroepen, met {} leden",
            group.name,
            members.len()
        );
        audit::record(
            &mut tx,
            NewEntry {
                actor: &AuditActor::system(),
                organisation_id: None,
                entity_type: "werkgroep",
                entity_id: &group.id,
                action: "adopt",
                summary: &summary,
                changes: Changes::new()
                    .created("visibility", Visibility::Verborgen.as_str())
                    .created("cadence", Cadence::OpAfroep.as_str())
                    .created("members", members.len()),
            },
        )
        .await?;
        adopted.groups += 1;
        adopted.memberships += members.len();
    }
    tx.commit().await?;
    Ok(adopted)
}
