//! The module's URLs, as functions: pages link through these, so a route and its links cannot
//! drift apart (design §3.1).

/// The list of public working groups, the module's entry page.
pub const GROUPS: &str = "/werkgroepen";

/// Words under `/werkgroepen/` that are pages of the module, never a group's slug (refused when
/// a group is created).
pub const RESERVED_SLUGS: &[&str] = &[
    "mijn",
    "overzicht",
    "activiteiten",
    "agenda",
    "antwoord",
    "inschrijving",
    "evaluatie",
    "beheer",
    "nieuw",
];

/// A group's page, by its (core) slug.
pub fn group(slug: &str) -> String {
    format!("{GROUPS}/{slug}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_group_lives_under_the_list() {
        assert_eq!(super::group("gdpr"), "/werkgroepen/gdpr");
    }
}
