//! The per-process cache of looked-up sessions (held by the application state).

use super::user::SessionUser;

/// Sessions this process looked up in the last moment, so that a burst of page and htmx
/// requests does not read the same session, user and organisations from the database again
/// and again (it is most of the cost of a logged-in page: see bench/README.md).
///
/// The database stays the only source of truth: an entry is used for at most the configured
/// time-to-live (1 second by default, `STEDEN_SESSION_CACHE_MS`), and every unsafe request
/// (POST, PUT, PATCH, DELETE: logout, role changes, the switcher, password changes) empties the
/// cache of the process that handled it once it has answered. A change made through another
/// server instance is therefore seen here within the time-to-live.
pub struct Cache {
    ttl: std::time::Duration,
    entries:
        std::sync::RwLock<std::collections::HashMap<String, (std::time::Instant, SessionUser)>>,
}

/// More entries than this and the cache starts over (a bound on memory, not a tuning knob).
const CACHE_MAX_ENTRIES: usize = 10_000;

impl Cache {
    pub fn new(ttl: std::time::Duration) -> Cache {
        Cache {
            ttl,
            entries: Default::default(),
        }
    }

    /// The session's user, if looked up less than the time-to-live ago.
    pub fn get(&self, session_id: &str) -> Option<SessionUser> {
        if self.ttl.is_zero() {
            return None;
        }
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .get(session_id)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, user)| user.clone())
    }

    pub fn put(&self, session_id: &str, user: &SessionUser) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CACHE_MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            session_id.to_string(),
            (std::time::Instant::now(), user.clone()),
        );
    }

    /// Forgets every session: after any change that may concern sessions or their users.
    pub fn clear(&self) {
        self.entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}
