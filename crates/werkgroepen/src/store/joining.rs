//! Changing memberships: asking to join, approving or refusing, leaving, adding someone
//! directly. A membership is never deleted: leaving closes the row (`vertrokken`, `left_at`)
//! and joining again opens a new one, so the group keeps its history.
//!
//! Every change keeps the core's access list (`working_group_members`, which the Kennisbank
//! filters documents by) equal to the active memberships with a role that opens documents, in
//! the same transaction ([`sync_core`], design §2.1).

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::{ConstraintViolation, CoreResult};
use steden_core::{working_group, CoreError, FieldError};
use steden_db::{new_id, now_ms, Tx};

use crate::model::{MemberRole, MemberStatus};
use crate::store::memberships::{self, Membership};
use crate::store::profile::ENTITY;

const MAX_TEXT_CHARS: usize = 2000;

/// The message when someone already has an open membership (asked or active).
const ALREADY_OPEN: &str = "Je bent al lid van deze werkgroep, of je aanvraag wordt nog bekeken.";

/// Puts `user_id` on the core's access list of the group exactly when they have an active
/// membership whose role opens documents. Returns whether the list changed.
pub async fn sync_core(
    tx: &mut Tx<'_>,
    group_id: &str,
    user_id: &str,
    actor: &AuditActor,
) -> CoreResult<bool> {
    let should = memberships::access_list(&mut **tx, group_id)
        .await?
        .iter()
        .any(|id| id == user_id);
    if should {
        working_group::add_member_tx(tx, group_id, user_id, actor).await
    } else {
        working_group::remove_member(tx, group_id, user_id, actor).await
    }
}

fn check_text(value: &str, field: &str, what: &str) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        Err(FieldError::new(field, what))
    } else if value.chars().count() > MAX_TEXT_CHARS {
        Err(FieldError::new(
            field,
            format!("De tekst is te lang (maximaal {MAX_TEXT_CHARS} tekens)."),
        ))
    } else {
        Ok(value.to_string())
    }
}

async fn record(
    tx: &mut Tx<'_>,
    actor: &AuditActor,
    group_id: &str,
    action: &str,
    summary: &str,
    changes: Changes,
) -> CoreResult<()> {
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: ENTITY,
            entity_id: group_id,
            action,
            summary,
            changes,
        },
    )
    .await?;
    Ok(())
}

/// `user_id` asks to join the group for `organisation_id` (a city or partner where the caller
/// checked their role) with a motivation: a new `aangevraagd` membership with role `lid`.
pub async fn request(
    tx: &mut Tx<'_>,
    group_id: &str,
    user_id: &str,
    organisation_id: &str,
    motivation: &str,
    actor: &AuditActor,
) -> CoreResult<String> {
    let motivation = check_text(
        motivation,
        "motivation",
        "Schrijf kort waarom je lid wilt worden; de begeleiders lezen het.",
    )
    .map_err(|e| CoreError::Invalid(vec![e]))?;
    if memberships::find_open(&mut **tx, group_id, user_id)
        .await?
        .is_some()
    {
        return Err(CoreError::invalid("motivation", ALREADY_OPEN));
    }
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO wg_memberships
            (id, group_id, user_id, organisation_id, role, status, motivation, requested_at,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8)",
    )
    .bind(&id)
    .bind(group_id)
    .bind(user_id)
    .bind(organisation_id)
    .bind(MemberRole::Lid.as_str())
    .bind(MemberStatus::Aangevraagd.as_str())
    .bind(&motivation)
    .bind(now)
    .execute(&mut **tx)
    .await
    // Two requests at the same moment: the unique index on open rows lets one through.
    .on_unique("motivation", ALREADY_OPEN)?;
    record(
        tx,
        actor,
        group_id,
        "request_membership",
        "Lidmaatschap aangevraagd",
        Changes::new()
            .created("member", user_id)
            .created("organisation", organisation_id),
    )
    .await?;
    Ok(id)
}

/// The request `membership_id` of the group, still open; otherwise a conflict the page shows.
async fn pending(tx: &mut Tx<'_>, group_id: &str, membership_id: &str) -> CoreResult<Membership> {
    let membership = memberships::find(&mut **tx, group_id, membership_id)
        .await?
        .ok_or(CoreError::NotFound("aanvraag"))?;
    if membership.status != MemberStatus::Aangevraagd {
        return Err(CoreError::Conflict(
            "Over deze aanvraag werd al beslist.".into(),
        ));
    }
    Ok(membership)
}

/// Approves a request with the role `role`: the membership becomes active and, for a role that
/// opens documents, the person joins the core's access list.
pub async fn approve(
    tx: &mut Tx<'_>,
    group_id: &str,
    membership_id: &str,
    role: &str,
    decided_by: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    let role = MemberRole::parse(role.trim())
        .ok_or_else(|| CoreError::invalid("role", "Kies een rol."))?;
    let membership = pending(tx, group_id, membership_id).await?;
    let now = now_ms();
    sqlx::query(
        "UPDATE wg_memberships SET status = $1, role = $2, decided_by = $3, joined_at = $4,
            updated_at = $4
         WHERE id = $5",
    )
    .bind(MemberStatus::Actief.as_str())
    .bind(role.as_str())
    .bind(decided_by)
    .bind(now)
    .bind(&membership.id)
    .execute(&mut **tx)
    .await?;
    record(
        tx,
        actor,
        group_id,
        "approve_membership",
        &format!("Aanvraag van {} goedgekeurd", membership.person_name),
        Changes::new()
            .field("status", "aangevraagd", "actief")
            .created("role", role.as_str()),
    )
    .await?;
    sync_core(tx, group_id, &membership.user_id, actor).await?;
    Ok(())
}

/// Refuses a request; the reason is required, because the person who asked reads it.
pub async fn refuse(
    tx: &mut Tx<'_>,
    group_id: &str,
    membership_id: &str,
    reason: &str,
    decided_by: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    let reason = check_text(
        reason,
        "reason",
        "Geef een reden op; wie de aanvraag deed, krijgt ze te lezen.",
    )
    .map_err(|e| CoreError::Invalid(vec![e]))?;
    let membership = pending(tx, group_id, membership_id).await?;
    let now = now_ms();
    sqlx::query(
        "UPDATE wg_memberships SET status = $1, decided_by = $2, decision_reason = $3,
            updated_at = $4
         WHERE id = $5",
    )
    .bind(MemberStatus::Geweigerd.as_str())
    .bind(decided_by)
    .bind(&reason)
    .bind(now)
    .bind(&membership.id)
    .execute(&mut **tx)
    .await?;
    record(
        tx,
        actor,
        group_id,
        "refuse_membership",
        &format!("Aanvraag van {} geweigerd", membership.person_name),
        Changes::new()
            .field("status", "aangevraagd", "geweigerd")
            .created("reason", &reason),
    )
    .await?;
    // An asked membership was never on the access list; this only repairs a drifted one.
    sync_core(tx, group_id, &membership.user_id, actor).await?;
    Ok(())
}

/// `user_id` leaves the group (or withdraws their request): the open row is closed with
/// `left_at` and kept; they leave the core's access list.
pub async fn leave(
    tx: &mut Tx<'_>,
    group_id: &str,
    user_id: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    let membership = memberships::find_open(&mut **tx, group_id, user_id)
        .await?
        .ok_or_else(|| CoreError::Conflict("Je bent geen lid van deze werkgroep.".into()))?;
    let now = now_ms();
    sqlx::query(
        "UPDATE wg_memberships SET status = $1, left_at = $2, updated_at = $2 WHERE id = $3",
    )
    .bind(MemberStatus::Vertrokken.as_str())
    .bind(now)
    .bind(&membership.id)
    .execute(&mut **tx)
    .await?;
    record(
        tx,
        actor,
        group_id,
        "leave",
        &format!("{} verliet de werkgroep", membership.person_name),
        Changes::new().field("status", membership.status.as_str(), "vertrokken"),
    )
    .await?;
    sync_core(tx, group_id, user_id, actor).await?;
    Ok(())
}

/// Adds `user_id` as an active member with `role` directly (a facilitator adding someone, the
/// demo), for `organisation_id`. Refused when they already have an open membership.
pub async fn add(
    tx: &mut Tx<'_>,
    group_id: &str,
    user_id: &str,
    organisation_id: Option<&str>,
    role: MemberRole,
    actor: &AuditActor,
) -> CoreResult<String> {
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO wg_memberships
            (id, group_id, user_id, organisation_id, role, status, decided_by, joined_at,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8)",
    )
    .bind(&id)
    .bind(group_id)
    .bind(user_id)
    .bind(organisation_id)
    .bind(role.as_str())
    .bind(MemberStatus::Actief.as_str())
    .bind(actor.user_id.as_deref())
    .bind(now)
    .execute(&mut **tx)
    .await
    .on_unique("user_id", ALREADY_OPEN)?;
    record(
        tx,
        actor,
        group_id,
        "add_member",
        "Lid toegevoegd",
        Changes::new()
            .created("member", user_id)
            .created("role", role.as_str()),
    )
    .await?;
    sync_core(tx, group_id, user_id, actor).await?;
    Ok(id)
}
