//! How logins are throttled: the limits per account, per client address and for the whole
//! platform, and whether the client's address may be taken from `X-Forwarded-For`. Part of the
//! server's configuration (`Config::login`), apart from the login pages in `auth` so that the
//! state does not import a page.

use steden_core::login::Limit;

/// Failed logins allowed per account within [`WINDOW_MS`].
pub const MAX_FAILURES: usize = 5;
/// The window in which failures count, and at most how long an account is then refused.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
pub(crate) const MINUTE_MS: i64 = 60 * 1000;

/// How logins are throttled, and where the client's address comes from (`Config::login`).
///
/// Each key has one or more limits; a short one first and a longer one behind it, so that a
/// client or a spraying run that keeps going is held back longer and longer (backoff), while a
/// single slip costs a minute at most.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginSettings {
    /// Take the client's address from the last entry of `X-Forwarded-For` (the one the proxy
    /// in front added) instead of the peer address. Only behind a reverse proxy that sets it;
    /// otherwise anyone could pick their own address. Off by default
    /// (`--trust-forwarded-for`, `STEDEN_TRUST_FORWARDED_FOR`).
    pub trust_forwarded_for: bool,
    /// Failures per account (e-mail address).
    pub per_account: Vec<Limit>,
    /// Failures per client address, whatever the account.
    pub per_client: Vec<Limit>,
    /// Failures on the whole platform.
    pub global: Vec<Limit>,
}

impl Default for LoginSettings {
    fn default() -> LoginSettings {
        LoginSettings {
            trust_forwarded_for: false,
            per_account: vec![Limit::new(MAX_FAILURES as i64, WINDOW_MS)],
            per_client: vec![Limit::new(10, MINUTE_MS), Limit::new(30, WINDOW_MS)],
            global: vec![Limit::new(100, MINUTE_MS), Limit::new(300, WINDOW_MS)],
        }
    }
}
