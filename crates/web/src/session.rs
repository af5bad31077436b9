//! Server-side sessions, stored in the database so that every server instance knows them and
//! logging out (or a password reset) ends them everywhere.
//!
//! The browser holds a random token in the `steden_sessie` cookie (HttpOnly, SameSite=Lax,
//! Secure over https); the database holds only its SHA-256, so a copy of the table yields no
//! usable cookies. A session ends after [`IDLE_TIMEOUT_MS`] without requests, and in any case
//! [`ABSOLUTE_LIFETIME_MS`] after login.

use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use sqlx::Row;
use steden_core::membership;
use steden_core::policy::OrgRole;
use steden_core::role::Role;
use steden_core::user::{random_secret, secret_hash};
use steden_db::{flag, now_ms, Db, Tx};

use crate::error::AppError;
use crate::state::AppState;

pub(crate) mod cache;
mod user;

pub use cache::Cache;
pub use user::{OrgChoice, SessionUser};

/// The name of the session cookie.
pub const COOKIE_NAME: &str = "steden_sessie";
/// A session unused for this long is over.
pub const IDLE_TIMEOUT_MS: i64 = 8 * 60 * 60 * 1000;
/// No session lives longer than this, however active.
pub const ABSOLUTE_LIFETIME_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// `last_seen_at` is written at most this often, not on every request.
const TOUCH_INTERVAL_MS: i64 = 60 * 1000;

/// The session token the browser sent, if any.
pub fn presented_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().strip_prefix(COOKIE_NAME)?.strip_prefix('='))
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
}

/// The id of the session the browser presents (the hash of its token).
pub fn presented_session_id(headers: &HeaderMap) -> Option<String> {
    presented_token(headers).map(|t| secret_hash(&t))
}

/// The user of this request, if logged in with a live session.
pub async fn current(state: &AppState, parts: &Parts) -> Result<Option<SessionUser>, AppError> {
    let Some(session_id) = presented_session_id(&parts.headers) else {
        return Ok(None);
    };
    if let Some(user) = state.sessions().get(&session_id) {
        return Ok(Some(user));
    }
    let user = load(state.db(), &session_id).await?;
    if let Some(user) = &user {
        state.sessions().put(&session_id, user);
    }
    Ok(user)
}

/// Middleware: after an unsafe request has been answered, this process forgets the sessions
/// it cached, so that its own changes show on the very next request.
pub async fn forget_after_writes(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let unsafe_method = !request.method().is_safe();
    let response = next.run(request).await;
    if unsafe_method {
        state.sessions().clear();
        state.pages().clear();
    }
    response
}

/// The user of session `session_id`, if the session is live and the account active.
///
/// This runs on every page, so it is one query: the session, its user, and the organisations
/// the user can switch to (the memberships, or every organisation for a platform
/// administrator), one row per organisation.
pub async fn load(db: &Db, session_id: &str) -> Result<Option<SessionUser>, AppError> {
    let rows = sqlx::query(
        "SELECT s.active_organisation_id, s.last_seen_at, s.expires_at,
                u.id AS user_id, u.name, u.email, u.platform_admin,
                o.id AS org_id, o.name AS org_name, m.role
         FROM sessions s
         JOIN users u ON u.id = s.user_id
         LEFT JOIN organisations o
                ON u.platform_admin = $2
                OR o.id IN (SELECT organisation_id FROM memberships WHERE user_id = u.id)
         LEFT JOIN memberships m ON m.organisation_id = o.id AND m.user_id = u.id
         WHERE s.id = $1 AND u.active = $2
         ORDER BY o.name",
    )
    .bind(session_id)
    .bind(flag::to_db(true))
    .fetch_all(db.pool())
    .await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let now = now_ms();
    let last_seen_at: i64 = row.get("last_seen_at");
    let expires_at: i64 = row.get("expires_at");
    if expires_at <= now || last_seen_at + IDLE_TIMEOUT_MS <= now {
        end(db, session_id).await?;
        return Ok(None);
    }
    if now - last_seen_at >= TOUCH_INTERVAL_MS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
            .bind(now)
            .bind(session_id)
            .execute(db.pool())
            .await?;
    }
    let user_id: String = row.get("user_id");
    let platform_admin = flag::from_db(row.get("platform_admin"));
    let active_id: Option<String> = row.get("active_organisation_id");

    let mut orgs = Vec::with_capacity(rows.len());
    let mut memberships = Vec::new();
    for r in &rows {
        let Some(id) = r.get::<Option<String>, _>("org_id") else {
            continue; // a user without organisations: one row, without one
        };
        let role: Option<String> = r.get("role");
        if let Some(role) = role.as_deref().and_then(Role::parse) {
            memberships.push(OrgRole {
                organisation_id: id.clone(),
                role,
            });
        }
        orgs.push(OrgChoice {
            id,
            name: r.get("org_name"),
            role: role.unwrap_or_default(),
        });
    }
    // The chosen organisation if still allowed; else the first membership (or organisation).
    let active_org = active_id
        .and_then(|id| orgs.iter().find(|o| o.id == id))
        .or_else(|| orgs.iter().find(|o| !o.role.is_empty()))
        .or_else(|| orgs.first())
        .cloned();
    Ok(Some(SessionUser {
        session_id: session_id.to_string(),
        user_id,
        name: row.get("name"),
        email: row.get("email"),
        platform_admin,
        active_org,
        orgs,
        memberships,
    }))
}

/// Starts a session for `user_id` (inside the login's transaction) and returns the token for
/// the cookie. The active organisation starts as the user's first membership.
pub async fn create(tx: &mut Tx<'_>, user_id: &str) -> Result<String, AppError> {
    let now = now_ms();
    // Housekeeping: the user's sessions that are over.
    sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1 AND (expires_at <= $2 OR last_seen_at <= $3)",
    )
    .bind(user_id)
    .bind(now)
    .bind(now - IDLE_TIMEOUT_MS)
    .execute(&mut **tx)
    .await?;
    let first_org = membership::list_for_user(&mut **tx, user_id)
        .await?
        .into_iter()
        .next()
        .map(|m| m.organisation_id);
    let token = random_secret();
    sqlx::query(
        "INSERT INTO sessions (id, user_id, active_organisation_id, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(secret_hash(&token))
    .bind(user_id)
    .bind(first_org)
    .bind(now)
    .bind(now + ABSOLUTE_LIFETIME_MS)
    .execute(&mut **tx)
    .await?;
    Ok(token)
}

/// Ends one session.
pub async fn end(db: &Db, session_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(session_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Sets the organisation a session works in (the caller checked the user may).
pub async fn set_active_org(
    db: &Db,
    session_id: &str,
    organisation_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET active_organisation_id = $1 WHERE id = $2")
        .bind(organisation_id)
        .bind(session_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

fn cookie(state: &AppState, value: &str, max_age_secs: i64) -> HeaderValue {
    let secure = if state.config().secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let header = format!(
        "{COOKIE_NAME}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    );
    HeaderValue::from_str(&header).expect("cookie is ASCII")
}

/// Adds the session cookie for `token` to a response.
pub fn set_cookie(state: &AppState, response: &mut Response, token: &str) {
    response.headers_mut().append(
        SET_COOKIE,
        cookie(state, token, ABSOLUTE_LIFETIME_MS / 1000),
    );
}

/// Adds a header that removes the session cookie.
pub fn clear_cookie(state: &AppState, response: &mut Response) {
    response
        .headers_mut()
        .append(SET_COOKIE, cookie(state, "", 0));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_session_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("lang=nl; steden_sessie_x=no; steden_sessie=abc; x=y"),
        );
        assert_eq!(presented_token(&headers).as_deref(), Some("abc"));
        assert_eq!(presented_session_id(&headers), Some(secret_hash("abc")));
        assert_eq!(presented_token(&HeaderMap::new()), None);
    }
}
