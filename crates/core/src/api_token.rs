//! API tokens: credentials for machine clients. A token acts for the user who created it, in
//! one organisation, for a list of modules, with a role that never exceeds its creator's (at
//! creation, and again at every use: a creator who loses a role takes it from the token too).
//!
//! The plaintext (`stp_` + 32 random bytes, base64url) is shown once at creation; only its
//! SHA-256 is stored.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{Any, Executor, Row};
use steden_db::{flag, new_id, now_ms, AnyRow, Db, Tx};

use crate::audit::{self, Changes, NewEntry};
use crate::error::{CoreError, CoreResult, FieldError};
use crate::policy::{self, Action, Actor, TokenActor, CORE_MODULE};
use crate::role::Role;

/// Every token starts with this, so that scanners can recognise leaked ones.
pub const PREFIX: &str = "stp_";

/// `last_used_at` is refreshed at most this often, so busy clients do not write on every call.
const LAST_USED_GRANULARITY_MS: i64 = 60_000;

/// A token as listed (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    /// The first characters of the token, e.g. `stp_AbCd…`.
    pub hint: String,
    pub organisation_id: String,
    pub created_by: String,
    pub modules: Vec<String>,
    pub role: Role,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl ApiToken {
    fn from_row(row: &AnyRow) -> ApiToken {
        let modules: String = row.get("modules");
        let role: String = row.get("role");
        ApiToken {
            id: row.get("id"),
            name: row.get("name"),
            hint: row.get("hint"),
            organisation_id: row.get("organisation_id"),
            created_by: row.get("created_by"),
            modules: serde_json::from_str(&modules).unwrap_or_default(),
            role: Role::parse(&role).unwrap_or(Role::Lezer),
            created_at: row.get("created_at"),
            expires_at: row.get("expires_at"),
            last_used_at: row.get("last_used_at"),
            revoked_at: row.get("revoked_at"),
        }
    }

    /// Whether the token would be accepted at `now` (not revoked, not expired).
    pub fn usable_at(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}

const COLUMNS: &str = "id, name, hint, organisation_id, created_by, modules, role, created_at, \
                       expires_at, last_used_at, revoked_at";

/// What to create.
#[derive(Debug, Clone)]
pub struct NewApiToken<'a> {
    pub name: &'a str,
    pub organisation_id: &'a str,
    pub modules: Vec<String>,
    pub role: Role,
    /// Milliseconds since the epoch; None: until revoked.
    pub expires_at: Option<i64>,
}

/// A created token with its plaintext, to be shown once and then forgotten.
#[derive(Debug, Clone)]
pub struct CreatedToken {
    pub token: ApiToken,
    pub plaintext: String,
}

fn hash(presented: &str) -> String {
    hex::encode(Sha256::digest(presented.as_bytes()))
}

fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Creates a token for `creator` (a logged-in user, not another token). Any member may create
/// one for their own organisation, with a role up to their own; `known_modules` are the
/// scopes that exist in this build ([`CORE_MODULE`] is always allowed).
pub async fn create(
    tx: &mut Tx<'_>,
    creator: &Actor,
    new: &NewApiToken<'_>,
    known_modules: &[&str],
) -> CoreResult<CreatedToken> {
    let Actor::User(user) = creator else {
        return match creator {
            Actor::Anonymous => Err(CoreError::Unauthenticated),
            _ => Err(CoreError::Forbidden),
        };
    };
    // Must at least be able to read in the organisation; then the role cap below.
    policy::check(creator, CORE_MODULE, Action::Read, new.organisation_id).or_else(
        |_| match user.platform_admin {
            true => Ok(()),
            false => Err(CoreError::Forbidden),
        },
    )?;
    let own_role = creator
        .role_in(new.organisation_id)
        .ok_or(CoreError::Forbidden)?;

    let mut errors = Vec::new();
    let name = new.name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", "Geef het token een naam."));
    } else if name.chars().count() > 100 {
        errors.push(FieldError::new(
            "name",
            "De naam is te lang (maximaal 100 tekens).",
        ));
    }
    let mut modules: Vec<String> = new.modules.iter().map(|m| m.trim().to_string()).collect();
    modules.sort();
    modules.dedup();
    if modules.is_empty() {
        errors.push(FieldError::new("modules", "Kies minstens één module."));
    } else if let Some(unknown) = modules
        .iter()
        .find(|m| m.as_str() != CORE_MODULE && !known_modules.contains(&m.as_str()))
    {
        errors.push(FieldError::new(
            "modules",
            format!("Onbekende module: {unknown}."),
        ));
    }
    if new.role > own_role {
        errors.push(FieldError::new(
            "role",
            format!("Een token kan niet meer rechten krijgen dan uw eigen rol ({own_role})."),
        ));
    }
    if new.expires_at.is_some_and(|e| e <= now_ms()) {
        errors.push(FieldError::new(
            "expires_at",
            "De vervaldatum moet in de toekomst liggen.",
        ));
    }
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }

    let plaintext = generate();
    let hint = format!("{}…", &plaintext[..PREFIX.len() + 6]);
    let id = new_id();
    let modules_json =
        serde_json::to_string(&modules).map_err(|e| CoreError::Internal(e.into()))?;
    sqlx::query(
        "INSERT INTO api_tokens (id, name, token_hash, hint, organisation_id, created_by, modules,
                                 role, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(name)
    .bind(hash(&plaintext))
    .bind(&hint)
    .bind(new.organisation_id)
    .bind(&user.user_id)
    .bind(&modules_json)
    .bind(new.role.as_str())
    .bind(now_ms())
    .bind(new.expires_at)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor: &creator.audit_actor(),
            organisation_id: Some(new.organisation_id),
            entity_type: "api_token",
            entity_id: &id,
            action: "create",
            summary: &format!("API-token '{name}' aangemaakt"),
            changes: Changes::new()
                .created("name", name)
                .created("modules", &modules)
                .created("role", new.role.as_str())
                .created("expires_at", new.expires_at),
        },
    )
    .await?;
    let token = get(&mut **tx, &id).await?;
    Ok(CreatedToken { token, plaintext })
}

pub async fn get<'e, E: Executor<'e, Database = Any>>(exec: E, id: &str) -> CoreResult<ApiToken> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM api_tokens WHERE id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await?;
    row.as_ref()
        .map(ApiToken::from_row)
        .ok_or(CoreError::NotFound("API-token"))
}

/// The tokens of an organisation, newest first.
pub async fn list_for_org<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    organisation_id: &str,
) -> CoreResult<Vec<ApiToken>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE organisation_id = $1 ORDER BY created_at DESC, id DESC"
    ))
    .bind(organisation_id)
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(ApiToken::from_row).collect())
}

/// Whether `actor` may see and revoke `token`: its creator, or a beheerder of its organisation.
pub fn can_manage(actor: &Actor, token: &ApiToken) -> bool {
    actor.user_id() == Some(token.created_by.as_str()) && matches!(actor, Actor::User(_))
        || (!matches!(actor, Actor::Token(_))
            && policy::can(actor, CORE_MODULE, Action::Manage, &token.organisation_id))
}

/// Revokes a token (its creator or a beheerder of its organisation). Revoking twice is harmless.
pub async fn revoke(tx: &mut Tx<'_>, actor: &Actor, token_id: &str) -> CoreResult<()> {
    policy::require_authenticated(actor)?;
    let token = get(&mut **tx, token_id).await?;
    if !can_manage(actor, &token) {
        return Err(CoreError::Forbidden);
    }
    if token.revoked_at.is_some() {
        return Ok(());
    }
    let now = now_ms();
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(token_id)
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        NewEntry {
            actor: &actor.audit_actor(),
            organisation_id: Some(&token.organisation_id),
            entity_type: "api_token",
            entity_id: token_id,
            action: "revoke",
            summary: &format!("API-token '{}' ingetrokken", token.name),
            changes: Changes::new().field("revoked_at", None, Some(now)),
        },
    )
    .await?;
    Ok(())
}

/// Revokes every token that `user_id` created and that still works, each with its audit
/// entry, in the caller's transaction (used when a password is reset: whoever knew the old
/// password may have made tokens). Returns how many were revoked.
pub async fn revoke_all_of_user(
    tx: &mut Tx<'_>,
    user_id: &str,
    actor: &crate::audit::AuditActor,
) -> CoreResult<usize> {
    let rows = sqlx::query(
        "SELECT id, name, organisation_id FROM api_tokens
         WHERE created_by = $1 AND revoked_at IS NULL ORDER BY created_at, id",
    )
    .bind(user_id)
    .fetch_all(&mut **tx)
    .await?;
    let now = now_ms();
    for row in &rows {
        let id: String = row.get("id");
        let name: String = row.get("name");
        let organisation_id: String = row.get("organisation_id");
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(&id)
            .execute(&mut **tx)
            .await?;
        audit::record(
            tx,
            NewEntry {
                actor,
                organisation_id: Some(&organisation_id),
                entity_type: "api_token",
                entity_id: &id,
                action: "revoke",
                summary: &format!(
                    "API-token '{name}' ingetrokken bij het herstellen van het wachtwoord"
                ),
                changes: Changes::new().field("revoked_at", None, Some(now)),
            },
        )
        .await?;
    }
    Ok(rows.len())
}

/// The actor for a presented token: Unauthenticated when it is unknown, revoked, expired, its
/// creator is deactivated, or its creator no longer belongs to the organisation.
pub async fn authenticate(db: &Db, presented: &str) -> CoreResult<Actor> {
    let presented = presented.trim();
    if !presented.starts_with(PREFIX) || presented.len() > 200 {
        return Err(CoreError::Unauthenticated);
    }
    let row = sqlx::query(
        "SELECT t.id, t.organisation_id, t.created_by, t.modules, t.role, t.expires_at,
                t.revoked_at, t.last_used_at, u.active, u.platform_admin, m.role AS creator_role
         FROM api_tokens t
         JOIN users u ON u.id = t.created_by
         LEFT JOIN memberships m ON m.user_id = t.created_by AND m.organisation_id = t.organisation_id
         WHERE t.token_hash = $1",
    )
    .bind(hash(presented))
    .fetch_optional(db.pool())
    .await?
    .ok_or(CoreError::Unauthenticated)?;
    let now = now_ms();
    let expires_at: Option<i64> = row.get("expires_at");
    let revoked_at: Option<i64> = row.get("revoked_at");
    if revoked_at.is_some()
        || expires_at.is_some_and(|e| e <= now)
        || !flag::from_db(row.get("active"))
    {
        return Err(CoreError::Unauthenticated);
    }
    let token_role =
        Role::parse(&row.get::<String, _>("role")).ok_or(CoreError::Unauthenticated)?;
    let creator_role: Option<String> = row.get("creator_role");
    let role = if flag::from_db(row.get("platform_admin")) {
        token_role
    } else {
        let creator_role = creator_role
            .as_deref()
            .and_then(Role::parse)
            .ok_or(CoreError::Unauthenticated)?;
        token_role.min(creator_role)
    };
    let id: String = row.get("id");
    let last_used_at: Option<i64> = row.get("last_used_at");
    if last_used_at.is_none_or(|t| now - t >= LAST_USED_GRANULARITY_MS) {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&id)
            .execute(db.pool())
            .await?;
    }
    let modules: String = row.get("modules");
    Ok(Actor::Token(TokenActor {
        token_id: id,
        user_id: row.get("created_by"),
        organisation_id: row.get("organisation_id"),
        modules: serde_json::from_str(&modules).unwrap_or_default(),
        role,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::AuditActor;
    use crate::membership;
    use crate::policy::{OrgRole, UserActor};
    use crate::user::{self, NewUser};
    use steden_db::testing::each_backend;

    async fn setup(db: &Db) -> (String, String, Actor) {
        crate::org::seed_defaults(db).await.unwrap();
        let gent = crate::org::find_by_slug(db.pool(), "gent")
            .await
            .unwrap()
            .unwrap();
        let mut tx = db.begin().await.unwrap();
        let system = AuditActor::system();
        let u = user::create(
            &mut tx,
            NewUser {
                email: "red@gent.be",
                name: "Red",
                password: None,
                platform_admin: false,
            },
            &system,
        )
        .await
        .unwrap();
        membership::set_role(&mut tx, &u.id, &gent.id, Role::Redacteur, &system)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let actor = Actor::User(UserActor {
            user_id: u.id.clone(),
            platform_admin: false,
            memberships: vec![OrgRole {
                organisation_id: gent.id.clone(),
                role: Role::Redacteur,
            }],
        });
        (gent.id, u.id, actor)
    }

    fn new_token(org: &str, role: Role) -> NewApiToken<'_> {
        NewApiToken {
            name: "Dashboard",
            organisation_id: org,
            modules: vec!["plan".into()],
            role,
            expires_at: None,
        }
    }

    #[tokio::test]
    async fn created_once_stored_hashed_and_authenticated() {
        each_backend(&crate::all_migrations(), |db| async move {
            let (gent, user_id, actor) = setup(&db).await;
            let mut tx = db.begin().await.unwrap();
            let created = create(&mut tx, &actor, &new_token(&gent, Role::Lid), &["plan"])
                .await
                .unwrap();
            tx.commit().await.unwrap();
            assert!(created.plaintext.starts_with("stp_"));
            assert_eq!(created.plaintext.len(), 4 + 43);
            // Only the hash is stored.
            let stored: i64 = sqlx::query("SELECT COUNT(*) FROM api_tokens WHERE token_hash = $1")
                .bind(&created.plaintext)
                .fetch_one(db.pool())
                .await
                .unwrap()
                .get(0);
            assert_eq!(stored, 0);

            let Actor::Token(t) = authenticate(&db, &created.plaintext).await.unwrap() else {
                panic!("expected a token actor")
            };
            assert_eq!(t.organisation_id, gent);
            assert_eq!(t.user_id, user_id);
            assert_eq!(t.role, Role::Lid);
            assert_eq!(t.modules, vec!["plan".to_string()]);
            let used = get(db.pool(), &created.token.id).await.unwrap();
            let first_use = used.last_used_at.unwrap();
            // A second use within the minute does not write again.
            authenticate(&db, &created.plaintext).await.unwrap();
            assert_eq!(
                get(db.pool(), &created.token.id)
                    .await
                    .unwrap()
                    .last_used_at,
                Some(first_use)
            );

            for bad in ["", "stp_", "stp_onbekend", "xyz", &created.plaintext[..20]] {
                assert!(
                    matches!(
                        authenticate(&db, bad).await,
                        Err(CoreError::Unauthenticated)
                    ),
                    "{bad}"
                );
            }

            // Revoked: refused.
            let mut tx = db.begin().await.unwrap();
            revoke(&mut tx, &actor, &created.token.id).await.unwrap();
            tx.commit().await.unwrap();
            assert!(matches!(
                authenticate(&db, &created.plaintext).await,
                Err(CoreError::Unauthenticated)
            ));
            assert_eq!(
                audit::history(&db, "api_token", &created.token.id)
                    .await
                    .unwrap()
                    .len(),
                2
            );
        })
        .await;
    }

    #[tokio::test]
    async fn never_above_the_creator() {
        each_backend(&crate::all_migrations(), |db| async move {
            let (gent, user_id, actor) = setup(&db).await;
            let mut tx = db.begin().await.unwrap();
            let err = create(
                &mut tx,
                &actor,
                &new_token(&gent, Role::Beheerder),
                &["plan"],
            )
            .await
            .unwrap_err();
            assert!(
                matches!(&err, CoreError::Invalid(f) if f[0].field == "role"),
                "{err:?}"
            );
            let unknown = NewApiToken {
                modules: vec!["geheim".into()],
                ..new_token(&gent, Role::Lezer)
            };
            assert!(matches!(
                create(&mut tx, &actor, &unknown, &["plan"]).await,
                Err(CoreError::Invalid(_))
            ));
            // Not for an organisation the creator does not belong to.
            let aalst = crate::org::find_by_slug(&mut *tx, "aalst")
                .await
                .unwrap()
                .unwrap();
            assert!(matches!(
                create(
                    &mut tx,
                    &actor,
                    &new_token(&aalst.id, Role::Lezer),
                    &["plan"]
                )
                .await,
                Err(CoreError::Forbidden)
            ));
            let created = create(
                &mut tx,
                &actor,
                &new_token(&gent, Role::Redacteur),
                &["plan"],
            )
            .await
            .unwrap();
            let expiring = create(
                &mut tx,
                &actor,
                &NewApiToken {
                    expires_at: Some(now_ms() + 1_000),
                    ..new_token(&gent, Role::Lezer)
                },
                &["plan"],
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();

            // The creator is demoted to lezer: the token follows.
            let mut tx = db.begin().await.unwrap();
            membership::set_role(&mut tx, &user_id, &gent, Role::Lezer, &AuditActor::system())
                .await
                .unwrap();
            tx.commit().await.unwrap();
            let Actor::Token(t) = authenticate(&db, &created.plaintext).await.unwrap() else {
                panic!()
            };
            assert_eq!(t.role, Role::Lezer);

            // Expired: refused.
            sqlx::query("UPDATE api_tokens SET expires_at = $1 WHERE id = $2")
                .bind(now_ms() - 1)
                .bind(&expiring.token.id)
                .execute(db.pool())
                .await
                .unwrap();
            assert!(matches!(
                authenticate(&db, &expiring.plaintext).await,
                Err(CoreError::Unauthenticated)
            ));

            // The creator is deactivated: refused.
            let mut tx = db.begin().await.unwrap();
            user::set_active(&mut tx, &user_id, false, &AuditActor::system())
                .await
                .unwrap();
            tx.commit().await.unwrap();
            assert!(matches!(
                authenticate(&db, &created.plaintext).await,
                Err(CoreError::Unauthenticated)
            ));
            assert_eq!(list_for_org(db.pool(), &gent).await.unwrap().len(), 2);
        })
        .await;
    }
}
