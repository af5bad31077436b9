//! User accounts: an e-mail address (normalised, unique regardless of case), a display name, an
//! argon2id password hash (empty until an invitation is accepted), and two flags: platform
//! administrator and active.

use sqlx::{Any, Executor, Row};
use steden_db::{flag, new_id, now_ms, AnyRow, Tx};

use crate::audit::{self, AuditActor, Changes, NewEntry};
use crate::error::ConstraintViolation;
use crate::error::{CoreError, CoreResult, FieldError};
pub use crate::password::{
    hash_gate, hash_password, hash_password_async, verify_password, verify_password_async,
    HashBusy, HashGate, HASH_QUEUE_WAIT,
};

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longer passwords are refused too: hashing megabytes is a cheap way to load the server.
pub const MAX_PASSWORD_CHARS: usize = 256;
pub const MAX_NAME_CHARS: usize = 120;

#[derive(Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    /// The argon2id PHC string, if a password was set.
    pub password_hash: Option<String>,
    pub platform_admin: bool,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

// The hash stays out of logs and debug output.
impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("name", &self.name)
            .field("has_password", &self.password_hash.is_some())
            .field("platform_admin", &self.platform_admin)
            .field("active", &self.active)
            .finish()
    }
}

impl User {
    fn from_row(row: &AnyRow) -> User {
        User {
            id: row.get("id"),
            email: row.get("email"),
            name: row.get("name"),
            password_hash: row.get("password_hash"),
            platform_admin: flag::from_db(row.get("platform_admin")),
            active: flag::from_db(row.get("active")),
            created_at: row.get("created_at"),
            updated_at: row.get("updated_at"),
        }
    }

    pub fn has_password(&self) -> bool {
        self.password_hash.is_some()
    }
}

const COLUMNS: &str =
    "id, email, name, password_hash, platform_admin, active, created_at, updated_at";

/// The form in which addresses are stored and compared: trimmed, lower case.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The normalised address, or a Dutch message for the `email` field.
pub fn validate_email(email: &str) -> Result<String, FieldError> {
    let email = normalise_email(email);
    if email.is_empty() {
        return Err(FieldError::new("email", "Vul een e-mailadres in."));
    }
    let plausible = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if plausible {
        Ok(email)
    } else {
        Err(FieldError::new(
            "email",
            "Dit is geen geldig e-mailadres (bijvoorbeeld naam@stad.be).",
        ))
    }
}

/// The trimmed name, or a Dutch message for the `name` field.
pub fn validate_name(name: &str) -> Result<String, FieldError> {
    let name = name.trim();
    if name.is_empty() {
        Err(FieldError::new("name", "Vul een naam in."))
    } else if name.chars().count() > MAX_NAME_CHARS {
        Err(FieldError::new(
            "name",
            format!("De naam is te lang (maximaal {MAX_NAME_CHARS} tekens)."),
        ))
    } else {
        Ok(name.to_string())
    }
}

/// A Dutch message for `field` if the password is too short or too long.
pub fn validate_password(field: &str, password: &str) -> Result<(), FieldError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Err(FieldError::new(
            field,
            format!("Het wachtwoord moet minstens {MIN_PASSWORD_CHARS} tekens lang zijn."),
        ))
    } else if chars > MAX_PASSWORD_CHARS {
        Err(FieldError::new(
            field,
            format!("Het wachtwoord mag hoogstens {MAX_PASSWORD_CHARS} tekens lang zijn."),
        ))
    } else {
        Ok(())
    }
}

/// A new account.
#[derive(Debug, Clone, Copy)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    /// None: the account waits for an invitation to be accepted.
    pub password: Option<&'a str>,
    pub platform_admin: bool,
}

/// Creates an account. Refuses an invalid or already used address, an empty or too long name
/// and a too short password, with Dutch messages per field.
pub async fn create(tx: &mut Tx<'_>, new: NewUser<'_>, actor: &AuditActor) -> CoreResult<User> {
    let mut errors = Vec::new();
    let email = validate_email(new.email).map_err(|e| errors.push(e)).ok();
    let name = validate_name(new.name).map_err(|e| errors.push(e)).ok();
    if let Some(password) = new.password {
        if let Err(e) = validate_password("password", password) {
            errors.push(e);
        }
    }
    if let Some(email) = &email {
        if find_by_email(&mut **tx, email).await?.is_some() {
            errors.push(duplicate_email());
        }
    }
    let (Some(email), Some(name), true) = (email, name, errors.is_empty()) else {
        return Err(CoreError::Invalid(errors));
    };
    let password_hash = match new.password {
        Some(password) => Some(hash_password_async(password).await?),
        None => None,
    };
    let now = now_ms();
    let id = new_id();
    sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, platform_admin, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(&id)
    .bind(&email)
    .bind(&name)
    .bind(password_hash.as_deref())
    .bind(flag::to_db(new.platform_admin))
    .bind(flag::to_db(true))
    .bind(now)
    .execute(&mut **tx)
    .await
    // A concurrent request created the same address between our check and insert.
    .on_unique_with(|| CoreError::Invalid(vec![duplicate_email()]))?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: "user",
            entity_id: &id,
            action: "create",
            summary: &format!("Gebruiker {name} aangemaakt"),
            changes: Changes::new()
                .created("name", &name)
                .created("platform_admin", new.platform_admin),
        },
    )
    .await?;
    get(&mut **tx, &id).await
}

fn duplicate_email() -> FieldError {
    FieldError::new("email", "Er bestaat al een account met dit e-mailadres.")
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: &str,
) -> CoreResult<Option<User>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await?;
    Ok(row.as_ref().map(User::from_row))
}

pub async fn get<'e, E: Executor<'e, Database = Any>>(exec: E, id: &str) -> CoreResult<User> {
    find(exec, id)
        .await?
        .ok_or(CoreError::NotFound("gebruiker"))
}

/// The account with this address, whatever its case or surrounding spaces.
pub async fn find_by_email<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    email: &str,
) -> CoreResult<Option<User>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE email = $1"))
        .bind(normalise_email(email))
        .fetch_optional(exec)
        .await?;
    Ok(row.as_ref().map(User::from_row))
}

/// Every account, by name.
pub async fn list<'e, E: Executor<'e, Database = Any>>(exec: E) -> CoreResult<Vec<User>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM users ORDER BY name, email"))
        .fetch_all(exec)
        .await?;
    Ok(rows.iter().map(User::from_row).collect())
}

/// Sets a new password (validated, hashed). Does not end sessions: callers that must (reset,
/// change) call [`end_sessions`] in the same transaction.
pub async fn set_password(
    tx: &mut Tx<'_>,
    user_id: &str,
    password: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    validate_password("password", password).map_err(|e| CoreError::Invalid(vec![e]))?;
    let hash = hash_password_async(password).await?;
    let updated = sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(&hash)
        .bind(now_ms())
        .bind(user_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if updated == 0 {
        return Err(CoreError::NotFound("gebruiker"));
    }
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: "user",
            entity_id: user_id,
            action: "set_password",
            summary: "Wachtwoord ingesteld",
            // Never the hash itself.
            changes: Changes::new(),
        },
    )
    .await?;
    Ok(())
}

/// Changes the display name.
pub async fn set_name(
    tx: &mut Tx<'_>,
    user_id: &str,
    name: &str,
    actor: &AuditActor,
) -> CoreResult<()> {
    let name = validate_name(name).map_err(|e| CoreError::Invalid(vec![e]))?;
    let old = get(&mut **tx, user_id).await?;
    sqlx::query("UPDATE users SET name = $1, updated_at = $2 WHERE id = $3")
        .bind(&name)
        .bind(now_ms())
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    let changes = Changes::new().field("name", old.name.as_str(), name.as_str());
    if !changes.is_empty() {
        audit::record(
            tx,
            NewEntry {
                actor,
                organisation_id: None,
                entity_type: "user",
                entity_id: user_id,
                action: "update",
                summary: "Naam gewijzigd",
                changes,
            },
        )
        .await?;
    }
    Ok(())
}

/// The two yes/no properties of an account that administrators switch.
#[derive(Debug, Clone, Copy)]
enum AccountFlag {
    PlatformAdmin,
    Active,
}

impl AccountFlag {
    /// The column (also the field name in the audit trail).
    fn column(self) -> &'static str {
        match self {
            AccountFlag::PlatformAdmin => "platform_admin",
            AccountFlag::Active => "active",
        }
    }

    fn of(self, user: &User) -> bool {
        match self {
            AccountFlag::PlatformAdmin => user.platform_admin,
            AccountFlag::Active => user.active,
        }
    }

    /// The audit action and the one-line summary for switching the flag to `value`.
    fn audit_words(self, value: bool) -> (&'static str, &'static str) {
        match (self, value) {
            (AccountFlag::PlatformAdmin, true) => ("update", "Platformbeheerder gemaakt"),
            (AccountFlag::PlatformAdmin, false) => ("update", "Geen platformbeheerder meer"),
            (AccountFlag::Active, true) => ("activate", "Account geactiveerd"),
            (AccountFlag::Active, false) => ("deactivate", "Account gedeactiveerd"),
        }
    }
}

/// Sets `flag` of the account to `value`, with its audit entry; nothing when it already has it.
async fn set_flag(
    tx: &mut Tx<'_>,
    user_id: &str,
    flag_kind: AccountFlag,
    value: bool,
    actor: &AuditActor,
) -> CoreResult<bool> {
    let old = flag_kind.of(&get(&mut **tx, user_id).await?);
    if old == value {
        return Ok(false);
    }
    sqlx::query(&format!(
        "UPDATE users SET {} = $1, updated_at = $2 WHERE id = $3",
        flag_kind.column()
    ))
    .bind(flag::to_db(value))
    .bind(now_ms())
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    let (action, summary) = flag_kind.audit_words(value);
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: "user",
            entity_id: user_id,
            action,
            summary,
            changes: Changes::new().field(flag_kind.column(), old, value),
        },
    )
    .await?;
    Ok(true)
}

/// Grants or withdraws platform administration.
pub async fn set_platform_admin(
    tx: &mut Tx<'_>,
    user_id: &str,
    platform_admin: bool,
    actor: &AuditActor,
) -> CoreResult<()> {
    set_flag(
        tx,
        user_id,
        AccountFlag::PlatformAdmin,
        platform_admin,
        actor,
    )
    .await?;
    Ok(())
}

/// Activates or deactivates an account. Deactivating ends its sessions at once; its API
/// tokens stop working because authentication checks the flag.
pub async fn set_active(
    tx: &mut Tx<'_>,
    user_id: &str,
    active: bool,
    actor: &AuditActor,
) -> CoreResult<()> {
    let changed = set_flag(tx, user_id, AccountFlag::Active, active, actor).await?;
    if changed && !active {
        end_sessions(tx, user_id, None).await?;
    }
    Ok(())
}

/// Ends every session of a user, except `keep` (a session id), e.g. after a password change.
pub async fn end_sessions(tx: &mut Tx<'_>, user_id: &str, keep: Option<&str>) -> CoreResult<u64> {
    let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR id <> $2)")
        .bind(user_id)
        .bind(keep)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(ended)
}

/// What a single-use link sent by e-mail is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Accept an invitation: set name and password (valid 7 days).
    Invite,
    /// Set a new password (valid 1 hour).
    Reset,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Invite => "invite",
            TokenPurpose::Reset => "reset",
        }
    }

    /// How long a link stays valid.
    pub fn lifetime_ms(self) -> i64 {
        match self {
            TokenPurpose::Invite => 7 * 24 * 60 * 60 * 1000,
            TokenPurpose::Reset => 60 * 60 * 1000,
        }
    }
}

/// A valid (unused, unexpired) account token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountToken {
    pub id: String,
    pub user_id: String,
    pub organisation_id: Option<String>,
    pub expires_at: i64,
}

/// The SHA-256 (hex) of a secret sent to a user; only this is stored.
pub fn secret_hash(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// 32 random bytes, base64url: the secret part of links and cookies.
pub fn random_secret() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Issues a single-use link secret for `user_id` and returns it (to put in the e-mail; it is
/// not stored). A new reset link replaces earlier unused ones.
pub async fn issue_account_token(
    tx: &mut Tx<'_>,
    user_id: &str,
    organisation_id: Option<&str>,
    purpose: TokenPurpose,
) -> CoreResult<String> {
    let now = now_ms();
    if purpose == TokenPurpose::Reset {
        sqlx::query(
            "UPDATE account_tokens SET used_at = $1
             WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .bind(purpose.as_str())
        .execute(&mut **tx)
        .await?;
    }
    let secret = random_secret();
    sqlx::query(
        "INSERT INTO account_tokens (id, purpose, token_hash, user_id, organisation_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(purpose.as_str())
    .bind(secret_hash(&secret))
    .bind(user_id)
    .bind(organisation_id)
    .bind(now)
    .bind(now + purpose.lifetime_ms())
    .execute(&mut **tx)
    .await?;
    Ok(secret)
}

/// The token behind a link, if it is for `purpose`, unused and not expired.
pub async fn find_account_token<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    secret: &str,
    purpose: TokenPurpose,
) -> CoreResult<Option<AccountToken>> {
    let row = sqlx::query(
        "SELECT id, user_id, organisation_id, expires_at FROM account_tokens
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(secret_hash(secret))
    .bind(purpose.as_str())
    .bind(now_ms())
    .fetch_optional(exec)
    .await?;
    Ok(row.map(|r| AccountToken {
        id: r.get("id"),
        user_id: r.get("user_id"),
        organisation_id: r.get("organisation_id"),
        expires_at: r.get("expires_at"),
    }))
}

/// Marks a token used. Only one of two simultaneous requests with the same link succeeds; the
/// other gets NotFound.
pub async fn use_account_token(tx: &mut Tx<'_>, token_id: &str) -> CoreResult<()> {
    let now = now_ms();
    let used = sqlx::query(
        "UPDATE account_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(token_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if used == 1 {
        Ok(())
    } else {
        Err(CoreError::NotFound("link"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use steden_db::testing::each_backend;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            validate_email("  An.Peeters@Gent.BE ").unwrap(),
            "an.peeters@gent.be"
        );
        for bad in [
            "",
            "an",
            "an@gent",
            "@gent.be",
            "an peeters@gent.be",
            "an@@gent.be",
            "an@gent.",
        ] {
            assert!(validate_email(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn passwords_are_argon2id_and_verified() {
        let hash = hash_password("correct paard batterij").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password(&hash, "correct paard batterij"));
        assert!(!verify_password(&hash, "Correct paard batterij"));
        assert!(!verify_password("geen hash", "correct paard batterij"));
        // Salted: the same password hashes differently each time.
        assert_ne!(hash, hash_password("correct paard batterij").unwrap());
        assert!(validate_password("password", "kort").is_err());
        assert!(validate_password("password", "elf tekens!").is_err());
        assert!(validate_password("password", "twaalf teken").is_ok());
    }

    #[tokio::test]
    async fn account_links_are_single_use_even_when_raced() {
        each_backend(&crate::all_migrations(), |db| async move {
            let actor = AuditActor::system();
            let mut tx = db.begin().await.unwrap();
            let u = create(
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
            let first = issue_account_token(&mut tx, &u.id, None, TokenPurpose::Reset)
                .await
                .unwrap();
            let second = issue_account_token(&mut tx, &u.id, None, TokenPurpose::Reset)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            // A new reset link replaces the earlier one; a link is only good for its purpose.
            assert!(find_account_token(db.pool(), &first, TokenPurpose::Reset)
                .await
                .unwrap()
                .is_none());
            assert!(find_account_token(db.pool(), &second, TokenPurpose::Invite)
                .await
                .unwrap()
                .is_none());
            let token = find_account_token(db.pool(), &second, TokenPurpose::Reset)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(token.user_id, u.id);

            // Two requests with the same link at once: exactly one wins.
            let attempt = |db: steden_db::Db, id: String| async move {
                let mut tx = db.begin().await.unwrap();
                let result = use_account_token(&mut tx, &id).await;
                if result.is_ok() {
                    tx.commit().await.unwrap();
                }
                result.is_ok()
            };
            let (a, b) = tokio::join!(
                attempt(db.clone(), token.id.clone()),
                attempt(db.clone(), token.id.clone())
            );
            assert!(a ^ b, "exactly one use succeeds ({a}, {b})");
            assert!(find_account_token(db.pool(), &second, TokenPurpose::Reset)
                .await
                .unwrap()
                .is_none());

            // Expired links are refused.
            let mut tx = db.begin().await.unwrap();
            let invite = issue_account_token(&mut tx, &u.id, None, TokenPurpose::Invite)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            sqlx::query("UPDATE account_tokens SET expires_at = $1 WHERE token_hash = $2")
                .bind(now_ms() - 1)
                .bind(secret_hash(&invite))
                .execute(db.pool())
                .await
                .unwrap();
            assert!(find_account_token(db.pool(), &invite, TokenPurpose::Invite)
                .await
                .unwrap()
                .is_none());
        })
        .await;
    }

    #[tokio::test]
    async fn create_validates_and_refuses_duplicates() {
        each_backend(&crate::all_migrations(), |db| async move {
            let actor = AuditActor::system();
            let mut tx = db.begin().await.unwrap();
            let user = create(
                &mut tx,
                NewUser {
                    email: " An@Gent.be",
                    name: "An Peeters",
                    password: Some("lang genoeg wachtwoord"),
                    platform_admin: false,
                },
                &actor,
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            assert_eq!(user.email, "an@gent.be");
            assert!(user
                .password_hash
                .as_deref()
                .unwrap()
                .starts_with("$argon2id$"));
            assert!(user.active && !user.platform_admin);

            let found = find_by_email(db.pool(), "AN@GENT.BE ")
                .await
                .unwrap()
                .unwrap();
            assert_eq!(found.id, user.id);

            let mut tx = db.begin().await.unwrap();
            let err = create(
                &mut tx,
                NewUser {
                    email: "an@GENT.be",
                    name: &"x".repeat(200),
                    password: Some("kort"),
                    platform_admin: false,
                },
                &actor,
            )
            .await
            .unwrap_err();
            tx.rollback().await.unwrap();
            let CoreError::Invalid(fields) = err else {
                panic!("expected validation errors, got {err:?}")
            };
            let messages: Vec<_> = fields
                .iter()
                .map(|f| (f.field.as_str(), f.message.as_str()))
                .collect();
            assert!(
                messages.contains(&("email", "Er bestaat al een account met dit e-mailadres.")),
                "{messages:?}"
            );
            assert!(messages
                .iter()
                .any(|(f, m)| *f == "name" && m.contains("te lang")));
            assert!(messages
                .iter()
                .any(|(f, m)| *f == "password" && m.contains("12 tekens")));
            assert_eq!(list(db.pool()).await.unwrap().len(), 1);

            // Without a password: waiting for an invitation.
            let mut tx = db.begin().await.unwrap();
            let invited = create(
                &mut tx,
                NewUser {
                    email: "bert@aalst.be",
                    name: "Bert",
                    password: None,
                    platform_admin: false,
                },
                &actor,
            )
            .await
            .unwrap();
            assert!(!invited.has_password());
            set_password(&mut tx, &invited.id, "een nieuw wachtwoord", &actor)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            let invited = get(db.pool(), &invited.id).await.unwrap();
            assert!(verify_password(
                invited.password_hash.as_deref().unwrap(),
                "een nieuw wachtwoord"
            ));
            let history = audit::history(&db, "user", &invited.id).await.unwrap();
            assert_eq!(history.len(), 2);
            assert!(!history
                .iter()
                .any(|e| e.changes.to_string().contains("argon2")));
        })
        .await;
    }
}
