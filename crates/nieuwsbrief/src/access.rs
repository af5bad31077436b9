//! Who may do what in the nieuwsbrief module, on top of the core's policy.
//!
//! The public pages (subscribe, confirm, preferences, unsubscribe) need no account: a subscriber
//! proves they hold the address by the signed link mailed to it ([`crate::links`]). The
//! editors' pages (later slices) are for redacteurs of the Kenniscentrum, as in werkgroepen.

/// The module's name in the policy and in API token scopes.
pub const MODULE: &str = "nieuwsbrief";
