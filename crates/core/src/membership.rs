//! Memberships: which user has which role in which organisation. A user has at most one role
//! per organisation.

use sqlx::{Any, Executor, Row};
use steden_db::{flag, now_ms, Tx};

use crate::audit::{self, AuditActor, Changes, NewEntry};
use crate::error::ConstraintViolation;
use crate::error::{CoreError, CoreResult};
use crate::policy::OrgRole;
use crate::role::Role;

/// A user's membership, with the organisation's name (for lists and the switcher).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub organisation_id: String,
    pub organisation_name: String,
    pub organisation_slug: String,
    pub role: Role,
}

/// A member of an organisation, as listed on its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    /// False while an invitation has not been accepted.
    pub has_password: bool,
}

fn role_of_row(value: String) -> Role {
    // Only this module writes the column, from a Role.
    Role::parse(&value).unwrap_or(Role::Lezer)
}

/// Gives `user_id` the role `role` in `organisation_id` (adding the membership if needed).
pub async fn set_role(
    tx: &mut Tx<'_>,
    user_id: &str,
    organisation_id: &str,
    role: Role,
    actor: &AuditActor,
) -> CoreResult<()> {
    let old = role_of(&mut **tx, user_id, organisation_id).await?;
    if old == Some(role) {
        return Ok(());
    }
    if old == Some(Role::Beheerder) {
        ensure_another_beheerder(tx, user_id, organisation_id).await?;
    }
    let now = now_ms();
    sqlx::query(
        "INSERT INTO memberships (user_id, organisation_id, role, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (user_id, organisation_id)
         DO UPDATE SET role = excluded.role, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(organisation_id)
    .bind(role.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await
    .on_foreign_key_with(|| CoreError::NotFound("gebruiker of organisatie"))?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "membership",
            entity_id: &format!("{user_id}:{organisation_id}"),
            action: if old.is_some() { "update" } else { "create" },
            summary: &match old {
                Some(old) => format!("Rol gewijzigd van {old} naar {role}"),
                None => format!("Lid toegevoegd als {role}"),
            },
            changes: Changes::new().field("user_id", None, Some(user_id)).field(
                "role",
                old.map(Role::as_str),
                Some(role.as_str()),
            ),
        },
    )
    .await?;
    Ok(())
}

/// Removes a membership; NotFound if there was none.
pub async fn remove(
    tx: &mut Tx<'_>,
    user_id: &str,
    organisation_id: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    let old = role_of(&mut **tx, user_id, organisation_id)
        .await?
        .ok_or(CoreError::NotFound("lidmaatschap"))?;
    if old == Role::Beheerder {
        ensure_another_beheerder(tx, user_id, organisation_id).await?;
    }
    sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND organisation_id = $2")
        .bind(user_id)
        .bind(organisation_id)
        .execute(&mut **tx)
        .await?;
    // Sessions pointing at the organisation fall back to another one on the next request.
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: Some(organisation_id),
            entity_type: "membership",
            entity_id: &format!("{user_id}:{organisation_id}"),
            action: "delete",
            summary: &format!("Lid ({old}) verwijderd"),
            changes: Changes::new().field("user_id", Some(user_id), None).field(
                "role",
                Some(old.as_str()),
                None,
            ),
        },
    )
    .await?;
    Ok(())
}

/// An organisation that has a beheerder keeps at least one: otherwise nobody but a platform
/// administrator could manage its members any more.
async fn ensure_another_beheerder(
    tx: &mut Tx<'_>,
    user_id: &str,
    organisation_id: &str,
) -> CoreResult<()> {
    let others: i64 = sqlx::query(
        "SELECT COUNT(*) FROM memberships
         WHERE organisation_id = $1 AND role = $2 AND user_id <> $3",
    )
    .bind(organisation_id)
    .bind(Role::Beheerder.as_str())
    .bind(user_id)
    .fetch_one(&mut **tx)
    .await?
    .get(0);
    if others == 0 {
        return Err(CoreError::Conflict(
            "Dit is de laatste beheerder van de organisatie. Maak eerst iemand anders beheerder."
                .to_string(),
        ));
    }
    Ok(())
}

/// The user's role in the organisation, if a member.
pub async fn role_of<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    user_id: &str,
    organisation_id: &str,
) -> CoreResult<Option<Role>> {
    let row =
        sqlx::query("SELECT role FROM memberships WHERE user_id = $1 AND organisation_id = $2")
            .bind(user_id)
            .bind(organisation_id)
            .fetch_optional(exec)
            .await?;
    Ok(row.map(|r| role_of_row(r.get(0))))
}

/// The user's memberships, by organisation name.
pub async fn list_for_user<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    user_id: &str,
) -> CoreResult<Vec<Membership>> {
    let rows = sqlx::query(
        "SELECT m.organisation_id, o.name, o.slug, m.role
         FROM memberships m JOIN organisations o ON o.id = m.organisation_id
         WHERE m.user_id = $1 ORDER BY o.name",
    )
    .bind(user_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Membership {
            organisation_id: r.get(0),
            organisation_name: r.get(1),
            organisation_slug: r.get(2),
            role: role_of_row(r.get(3)),
        })
        .collect())
}

/// What the policy needs: the user's role per organisation.
pub fn org_roles(memberships: &[Membership]) -> Vec<OrgRole> {
    memberships
        .iter()
        .map(|m| OrgRole {
            organisation_id: m.organisation_id.clone(),
            role: m.role,
        })
        .collect()
}

/// The members of an organisation, by name.
pub async fn list_for_org<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    organisation_id: &str,
) -> CoreResult<Vec<Member>> {
    let rows = sqlx::query(
        "SELECT u.id, u.name, u.email, m.role, u.active,
                CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS has_password
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.organisation_id = $1 ORDER BY u.name, u.email",
    )
    .bind(organisation_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Member {
            user_id: r.get(0),
            name: r.get(1),
            email: r.get(2),
            role: role_of_row(r.get(3)),
            active: flag::from_db(r.get(4)),
            has_password: flag::from_db(r.get::<i64, _>(5)),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::user::{self, NewUser};
    use steden_db::testing::each_backend;

    #[tokio::test]
    async fn roles_are_set_changed_removed_and_audited() {
        each_backend(&crate::all_migrations(), |db| async move {
            crate::org::seed_defaults(&db).await.unwrap();
            let gent = crate::org::find_by_slug(db.pool(), "gent")
                .await
                .unwrap()
                .unwrap();
            let actor = AuditActor::system();
            let mut tx = db.begin().await.unwrap();
            let an = user::create(
                &mut tx,
                NewUser {
                    email: "an@gent.be",
                    name: "An",
                    password: None,
                    platform_admin: false,
                },
                &actor,
            )
            .await
            .unwrap();
            set_role(&mut tx, &an.id, &gent.id, Role::Lid, &actor)
                .await
                .unwrap();
            set_role(&mut tx, &an.id, &gent.id, Role::Redacteur, &actor)
                .await
                .unwrap();
            // Setting the same role again writes nothing.
            set_role(&mut tx, &an.id, &gent.id, Role::Redacteur, &actor)
                .await
                .unwrap();
            tx.commit().await.unwrap();

            let mine = list_for_user(db.pool(), &an.id).await.unwrap();
            assert_eq!(mine.len(), 1);
            assert_eq!(mine[0].organisation_name, "Gent");
            assert_eq!(mine[0].role, Role::Redacteur);
            let members = list_for_org(db.pool(), &gent.id).await.unwrap();
            assert_eq!(members.len(), 1);
            assert!(!members[0].has_password);
            let entity = format!("{}:{}", an.id, gent.id);
            let history = audit::history(&db, "membership", &entity).await.unwrap();
            assert_eq!(history.len(), 2);
            assert_eq!(history[0].changes["role"]["old"], "lid");
            assert_eq!(history[0].changes["role"]["new"], "redacteur");

            let mut tx = db.begin().await.unwrap();
            assert!(matches!(
                set_role(&mut tx, &an.id, "bestaat-niet", Role::Lid, &actor).await,
                Err(CoreError::NotFound(_))
            ));
            tx.rollback().await.unwrap();

            let mut tx = db.begin().await.unwrap();
            remove(&mut tx, &an.id, &gent.id, &actor).await.unwrap();
            tx.commit().await.unwrap();
            assert!(list_for_user(db.pool(), &an.id).await.unwrap().is_empty());
            assert_eq!(
                audit::history(&db, "membership", &entity)
                    .await
                    .unwrap()
                    .len(),
                3
            );
        })
        .await;
    }

    #[tokio::test]
    async fn the_last_beheerder_stays() {
        each_backend(&crate::all_migrations(), |db| async move {
            crate::org::seed_defaults(&db).await.unwrap();
            let gent = crate::org::find_by_slug(db.pool(), "gent")
                .await
                .unwrap()
                .unwrap();
            let actor = AuditActor::system();
            let mut tx = db.begin().await.unwrap();
            let mut ids = Vec::new();
            for email in ["a@gent.be", "b@gent.be"] {
                let new = NewUser {
                    email,
                    name: email,
                    password: None,
                    platform_admin: false,
                };
                ids.push(user::create(&mut tx, new, &actor).await.unwrap().id);
            }
            set_role(&mut tx, &ids[0], &gent.id, Role::Beheerder, &actor)
                .await
                .unwrap();
            tx.commit().await.unwrap();

            // The only beheerder can be neither demoted nor removed.
            let mut tx = db.begin().await.unwrap();
            let demoted = set_role(&mut tx, &ids[0], &gent.id, Role::Lid, &actor).await;
            assert!(
                matches!(demoted, Err(CoreError::Conflict(_))),
                "{demoted:?}"
            );
            let removed = remove(&mut tx, &ids[0], &gent.id, &actor).await;
            assert!(
                matches!(removed, Err(CoreError::Conflict(_))),
                "{removed:?}"
            );
            tx.rollback().await.unwrap();

            // With a second beheerder, the first may step down.
            let mut tx = db.begin().await.unwrap();
            set_role(&mut tx, &ids[1], &gent.id, Role::Beheerder, &actor)
                .await
                .unwrap();
            set_role(&mut tx, &ids[0], &gent.id, Role::Lid, &actor)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            assert_eq!(
                role_of(db.pool(), &ids[0], &gent.id).await.unwrap(),
                Some(Role::Lid)
            );
        })
        .await;
    }
}
