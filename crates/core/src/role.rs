//! The roles a user can have in an organisation. They are ordered: each role may do what the
//! roles below it may do, and more (see [`crate::policy`]).

use std::fmt;
use std::str::FromStr;

/// A role in an organisation, lowest first, so that `Role::Lid < Role::Beheerder`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads the organisation's content.
    Lezer,
    /// Also takes part: comments, registers, votes.
    Lid,
    /// Also writes and edits content.
    Redacteur,
    /// Also manages the organisation: members, roles, tokens, settings.
    Beheerder,
}

impl Role {
    /// Every role, lowest first.
    pub const ALL: [Role; 4] = [Role::Lezer, Role::Lid, Role::Redacteur, Role::Beheerder];

    /// The stored (and URL/form) name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Lezer => "lezer",
            Role::Lid => "lid",
            Role::Redacteur => "redacteur",
            Role::Beheerder => "beheerder",
        }
    }

    /// The parsed role, if `value` names one.
    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == value.trim())
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = crate::CoreError;

    fn from_str(value: &str) -> Result<Role, Self::Err> {
        Role::parse(value).ok_or_else(|| crate::CoreError::invalid("role", "Kies een geldige rol."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_and_round_trip() {
        assert!(Role::Lezer < Role::Lid);
        assert!(Role::Lid < Role::Redacteur);
        assert!(Role::Redacteur < Role::Beheerder);
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
        assert!("Beheerder".parse::<Role>().is_err());
    }
}
