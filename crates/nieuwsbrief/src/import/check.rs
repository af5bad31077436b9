//! What an import decides about a line before it looks at the database: a valid address, not
//! twice in the file, a known language, known lists, a name that fits. Each refusal has a reason
//! ([`Reason`]), stored as a word and shown in the reader's language.

use std::collections::HashSet;

use crate::model::Language;
use crate::store::lists::List;

use super::source::Line;

/// The longest name kept (as on the public form).
const NAME_MAX: usize = 200;

/// Why a line was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// "ongeldig e-mailadres"
    InvalidEmail,
    /// "dubbel in het bestand": the address was on an earlier line.
    Duplicate,
    /// "staat op de blokkeerlijst": never imported, whatever the form says.
    Blocklisted,
    /// "meldde zich af": not re-activated unless the form asked for it.
    Unsubscribed,
    /// "het adres bouncete": as an unsubscribe.
    Bounced,
    /// "onbekende lijst"
    UnknownList,
    /// "onbekende taal"
    UnknownLanguage,
    /// "geen lijst": neither the form nor the line named one.
    NoList,
    /// "ongeldige naam": too long, or with control characters.
    InvalidName,
}

impl Reason {
    pub const ALL: [Reason; 9] = [
        Reason::InvalidEmail,
        Reason::Duplicate,
        Reason::Blocklisted,
        Reason::Unsubscribed,
        Reason::Bounced,
        Reason::UnknownList,
        Reason::UnknownLanguage,
        Reason::NoList,
        Reason::InvalidName,
    ];

    /// The word stored in `nb_import_lines.reason`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::InvalidEmail => "ongeldig-adres",
            Reason::Duplicate => "dubbel",
            Reason::Blocklisted => "blokkeerlijst",
            Reason::Unsubscribed => "afgemeld",
            Reason::Bounced => "bounce",
            Reason::UnknownList => "onbekende-lijst",
            Reason::UnknownLanguage => "onbekende-taal",
            Reason::NoList => "geen-lijst",
            Reason::InvalidName => "ongeldige-naam",
        }
    }

    pub fn parse(value: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == value)
    }

    /// The Fluent id of its text (with `$detail`).
    pub fn label_key(self) -> String {
        format!("nb-import-reason-{}", self.as_str())
    }
}

/// A refusal: the reason, and what it was about (the unknown list or language).
pub type Refused = (Reason, String);

/// A line that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub number: u64,
    pub email: String,
    pub name: String,
    pub language: Language,
    /// The form's lists and the line's own, each once, in the lists' order.
    pub lists: Vec<List>,
}

/// The language of a cell: empty is Dutch; the codes and the languages' names in both
/// languages are understood.
fn language(cell: &str) -> Option<Language> {
    match cell.trim().to_lowercase().as_str() {
        "" | "nl" | "nl-be" | "nl_be" | "nederlands" | "vlaams" | "dutch" => Some(Language::Nl),
        "en" | "en-gb" | "en_gb" | "en-us" | "engels" | "english" => Some(Language::En),
        _ => None,
    }
}

/// Checks `line`. `seen` holds the addresses of the earlier lines (this one is added when it is
/// valid, so that a later copy is the duplicate whatever else is wrong with this one); `chosen`
/// are the form's lists and `all` every list, by slug or name.
pub fn check(
    line: &Line,
    seen: &mut HashSet<String>,
    chosen: &[List],
    all: &[List],
) -> Result<Checked, Refused> {
    let email = steden_core::user::validate_email(&line.email)
        .map_err(|_| (Reason::InvalidEmail, String::new()))?;
    if !seen.insert(email.clone()) {
        return Err((Reason::Duplicate, String::new()));
    }
    let language =
        language(&line.language).ok_or_else(|| (Reason::UnknownLanguage, cut(&line.language)))?;
    let mut wanted: Vec<&List> = chosen.iter().collect();
    for token in line
        .lists
        .split([',', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let lower = token.to_lowercase();
        let list = all
            .iter()
            .find(|l| l.slug == lower || l.name.to_lowercase() == lower)
            .ok_or_else(|| (Reason::UnknownList, cut(token)))?;
        if !wanted.iter().any(|w| w.id == list.id) {
            wanted.push(list);
        }
    }
    if wanted.is_empty() {
        return Err((Reason::NoList, String::new()));
    }
    let lists = all
        .iter()
        .filter(|l| wanted.iter().any(|w| w.id == l.id))
        .cloned()
        .collect();
    let name = line.name.trim();
    if name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
        return Err((Reason::InvalidName, String::new()));
    }
    Ok(Checked {
        number: line.number,
        email,
        name: name.to_string(),
        language,
        lists,
    })
}

/// A value as shown in the report: at most 100 characters.
pub fn cut(value: &str) -> String {
    const MAX: usize = 100;
    if value.chars().count() <= MAX {
        value.to_string()
    } else {
        let mut cut: String = value.chars().take(MAX - 1).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(slug: &str, name: &str) -> List {
        List {
            id: format!("nb-{slug}"),
            slug: slug.into(),
            name: name.into(),
            description: String::new(),
            public: true,
        }
    }

    fn line(email: &str, language: &str, lists: &str) -> Line {
        Line {
            number: 2,
            email: email.into(),
            language: language.into(),
            lists: lists.into(),
            ..Line::default()
        }
    }

    #[test]
    fn each_reason() {
        let all = vec![
            list("algemeen", "Maandelijkse nieuwsbrief"),
            list("klimaat", "Klimaat"),
        ];
        let mut seen = HashSet::new();
        let chosen = &all[..1];
        let ok = check(
            &line(" An@Gent.be ", "Engels", "Klimaat"),
            &mut seen,
            chosen,
            &all,
        )
        .unwrap();
        assert_eq!(ok.email, "an@gent.be");
        assert_eq!(ok.language, Language::En);
        assert_eq!(ok.lists.len(), 2);
        let reason = |l: Line, seen: &mut HashSet<String>, chosen: &[List]| {
            check(&l, seen, chosen, &all).unwrap_err()
        };
        assert_eq!(
            reason(line("an@gent.be", "", ""), &mut seen, chosen).0,
            Reason::Duplicate
        );
        assert_eq!(
            reason(line("geen adres", "", ""), &mut seen, chosen).0,
            Reason::InvalidEmail
        );
        assert_eq!(
            reason(line("b@gent.be", "fr", ""), &mut seen, chosen),
            (Reason::UnknownLanguage, "fr".into())
        );
        assert_eq!(
            reason(line("c@gent.be", "", "klimaat; sport"), &mut seen, chosen),
            (Reason::UnknownList, "sport".into())
        );
        assert_eq!(
            reason(line("d@gent.be", "", ""), &mut seen, &[]).0,
            Reason::NoList
        );
        for reason in Reason::ALL {
            assert_eq!(Reason::parse(reason.as_str()), Some(reason));
        }
        assert_eq!(cut(&"x".repeat(150)).chars().count(), 100);
    }
}
