//! The module's fixed lists of values, as stored in the `wg_*` tables (Dutch words, because the
//! design and the data speak of them so) and shown through the translations (`label_key`).

/// Generates a fixed list: its stored words, `as_str`, `parse` and the translation id of its
/// label (`<prefix>-<word with dashes>`).
macro_rules! fixed_list {
    ($(#[$doc:meta])* $name:ident, $prefix:literal { $($(#[$vdoc:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $word)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored word.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }

            /// The value of a stored word; `None` for anything else.
            pub fn parse(word: &str) -> Option<$name> {
                match word {
                    $($word => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The translation id of its label.
            pub fn label_key(self) -> String {
                format!("{}-{}", $prefix, self.as_str().replace('_', "-"))
            }
        }
    };
}

fixed_list!(
    /// What kind of group it is (the jaarplan names them so).
    GroupKind, "wg-kind" {
        Werkgroep = "werkgroep",
        Stuurgroep = "stuurgroep",
        LerendNetwerk = "lerend_netwerk",
        Reflectiegroep = "reflectiegroep",
        Projectgroep = "projectgroep",
    }
);

fixed_list!(
    /// Whether the website shows the group (name, purpose, cadence, facilitators).
    Visibility, "wg-visibility" {
        Publiek = "publiek",
        Verborgen = "verborgen",
    }
);

fixed_list!(
    /// How often a group meets; the rule that turns it into dates is [`crate::cadence::Rule`].
    Cadence, "wg-cadence" {
        Zeswekelijks = "zeswekelijks",
        Maandelijks = "maandelijks",
        VijfmaalPerJaar = "vijfmaal_per_jaar",
        ViermaalPerJaar = "viermaal_per_jaar",
        DriemaalPerJaar = "driemaal_per_jaar",
        TweemaalPerJaar = "tweemaal_per_jaar",
        /// No series: meetings are planned one by one.
        OpAfroep = "op_afroep",
    }
);

fixed_list!(
    /// A member's role in a group.
    MemberRole, "wg-role" {
        Voorzitter = "voorzitter",
        Lid = "lid",
        /// Reads the group and replies to invitations, proposes nothing.
        Waarnemer = "waarnemer",
        /// Sees only the meetings they are invited to (not in the core's access list).
        Gast = "gast",
    }
);

fixed_list!(
    /// Where a membership stands; `vertrokken` keeps the history of who was in the group.
    MemberStatus, "wg-status" {
        Aangevraagd = "aangevraagd",
        Actief = "actief",
        Geweigerd = "geweigerd",
        Vertrokken = "vertrokken",
    }
);

impl MemberRole {
    /// Whether an active member with this role belongs in the core's access list
    /// (`working_group_members`, which the Kennisbank filters documents by): everyone but a
    /// guest (design §2.1).
    pub fn opens_documents(self) -> bool {
        !matches!(self, MemberRole::Gast)
    }
}

fixed_list!(
    /// What kind of event it is (the jaarplan names them so).
    EventKind, "wg-event-kind" {
        Studiedag = "studiedag",
        Opleiding = "opleiding",
        Coaching = "coaching",
        LerendNetwerk = "lerend_netwerk",
        Masterclass = "masterclass",
        Terugkomdag = "terugkomdag",
        Netwerkdag = "netwerkdag",
    }
);

fixed_list!(
    /// Who may register for an event.
    RegistrationMode, "wg-event-registration" {
        /// Everyone, without an account (name and e-mail address).
        Publiek = "publiek",
        /// Logged-in people with role `lid` or higher in an organisation.
        Leden = "leden",
        /// Nobody (yet, or any more).
        Gesloten = "gesloten",
    }
);

fixed_list!(
    /// Where a registration stands.
    RegistrationStatus, "wg-registration-status" {
        Bevestigd = "bevestigd",
        Wachtlijst = "wachtlijst",
        Geannuleerd = "geannuleerd",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_reads_back_from_its_word() {
        for cadence in Cadence::ALL {
            assert_eq!(Cadence::parse(cadence.as_str()), Some(*cadence));
        }
        for role in MemberRole::ALL {
            assert_eq!(MemberRole::parse(role.as_str()), Some(*role));
        }
        assert_eq!(Cadence::parse("wekelijks"), None);
        assert_eq!(
            Cadence::VijfmaalPerJaar.label_key(),
            "wg-cadence-vijfmaal-per-jaar"
        );
        assert_eq!(
            serde_json::to_string(&Cadence::OpAfroep).unwrap(),
            "\"op_afroep\""
        );
    }
}
