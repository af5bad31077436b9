//! Entries of the main navigation and the footer, which the shell and every module contribute
//! (see [`crate::module::Module::nav`]).

/// Who sees a navigation entry. Pages still check permission themselves: hiding an entry is a
/// courtesy, not a protection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NavVisibility {
    Everyone,
    LoggedIn,
    PlatformAdmin,
}

/// An entry in the main navigation.
#[derive(Debug, Clone)]
pub struct NavEntry {
    /// The Fluent message id of the label.
    pub label_key: &'static str,
    pub href: &'static str,
    pub visibility: NavVisibility,
    /// Lower comes first.
    pub order: i32,
}
