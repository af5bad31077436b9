//! The fixed lists of values of the Kennisbank and the website, with their Dutch labels.
//! Each enum's `as_str` is what the database stores. The module's domain types live here too,
//! one file per entity (`documents`), so that store, web and API share them.

pub mod collections;
pub mod documents;
pub mod featured;
pub mod files;
pub mod images;
pub mod imports;
pub mod index;
pub mod pages;
pub mod stats;
pub mod terms;

macro_rules! value_list {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => ($db:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value stored in the database and used in forms and URLs.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $db),+ }
            }

            /// The Dutch label shown in the interface.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(value: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == value)
            }
        }
    };
}

value_list! {
    /// What kind of document a Kennisbank entry is.
    DocType {
        Rapport => ("rapport", "Rapport"),
        Presentatie => ("presentatie", "Presentatie"),
        Verslag => ("verslag", "Verslag"),
        Standaarddocument => ("standaarddocument", "Standaarddocument"),
        Handleiding => ("handleiding", "Handleiding"),
        Publicatie => ("publicatie", "Publicatie"),
        Dataset => ("dataset", "Dataset"),
        Link => ("link", "Link"),
    }
}

value_list! {
    /// Who may open a document.
    Access {
        Publiek => ("publiek", "Iedereen (publiek)"),
        Leden => ("leden", "Aangemelde leden"),
        Organisatie => ("organisatie", "Eén organisatie"),
        Werkgroep => ("werkgroep", "Leden van een werkgroep"),
    }
}

value_list! {
    /// Where the text extraction of an uploaded file is.
    ExtractionStatus {
        Geen => ("geen", "Niet van toepassing"),
        Wachtend => ("wachtend", "Wacht op verwerking"),
        Bezig => ("bezig", "Tekst wordt gelezen"),
        Klaar => ("klaar", "Tekst gelezen"),
        Mislukt => ("mislukt", "Tekst lezen mislukt"),
    }
}

value_list! {
    /// The kinds of page the website has.
    PageKind {
        Pagina => ("pagina", "Pagina"),
        Nieuws => ("nieuws", "Nieuwsbericht"),
        Project => ("project", "Project"),
    }
}

value_list! {
    /// Where a page is in its publication.
    PageStatus {
        Concept => ("concept", "Concept"),
        Gepland => ("gepland", "Gepland"),
        Gepubliceerd => ("gepubliceerd", "Gepubliceerd"),
        Gearchiveerd => ("gearchiveerd", "Gearchiveerd"),
    }
}

value_list! {
    /// Whether a project is still going on.
    ProjectState {
        Lopend => ("lopend", "Lopend"),
        Afgerond => ("afgerond", "Afgerond"),
    }
}

value_list! {
    /// How a collection is organised.
    CollectionKind {
        Thematisch => ("thematisch", "Thematische bibliotheek"),
        Publicatie => ("publicatie", "Publicatie"),
        Archief => ("archief", "Archief van een programmaperiode"),
    }
}

value_list! {
    /// How far the working group is with a standard document in a thematic collection.
    EvaluationStatus {
        TeEvalueren => ("te-evalueren", "Te evalueren"),
        InEvaluatie => ("in-evaluatie", "In evaluatie"),
        Geevalueerd => ("geevalueerd", "Geëvalueerd"),
        Goedgekeurd => ("goedgekeurd", "Goedgekeurd"),
    }
}

value_list! {
    /// The language of a document.
    Language {
        Nl => ("nl", "Nederlands"),
        En => ("en", "Engels"),
        Fr => ("fr", "Frans"),
        De => ("de", "Duits"),
    }
}

/// What a row of the search index's change log (`kb_index_changes`) is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexEntity {
    Document,
    Term,
    /// Rebuild everything (`steden reindex`).
    All,
    /// A document of another module's [`crate::ports::SearchSource`] (id `source:id`).
    External,
}

impl IndexEntity {
    pub fn as_str(self) -> &'static str {
        match self {
            IndexEntity::Document => "document",
            IndexEntity::Term => "term",
            IndexEntity::All => "all",
            IndexEntity::External => "extern",
        }
    }

    pub fn parse(value: &str) -> Option<IndexEntity> {
        match value {
            "document" => Some(IndexEntity::Document),
            "term" => Some(IndexEntity::Term),
            "all" => Some(IndexEntity::All),
            "extern" => Some(IndexEntity::External),
            _ => None,
        }
    }

    /// The index id of entity `id` ("document:…", "term:…").
    pub fn index_id(self, id: &str) -> String {
        format!("{}:{id}", self.as_str())
    }
}

/// The programme periods of the Kenniscentrum's cooperation agreements.
pub const PERIODS: &[&str] = &["2007-2011", "2012-2016", "2017-2021", "2022-2026"];

/// The period a date falls in ("2019-05-01" → "2017-2021").
pub fn period_of(date: &str) -> Option<&'static str> {
    let year: i32 = date.get(..4)?.parse().ok()?;
    PERIODS.iter().copied().find(|p| {
        let (from, to) = p.split_once('-').unwrap_or(("0", "0"));
        (from.parse().unwrap_or(0)..=to.parse().unwrap_or(0)).contains(&year)
    })
}

/// A URL slug from a title: lower case, accents removed, words joined with '-', at most 80
/// characters. Empty titles give "item".
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            let folded = crate::search::analyzer::fold(&c.to_string());
            slug.extend(folded.chars().filter(char::is_ascii_alphanumeric));
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 80 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "item".to_string()
    } else {
        slug
    }
}

/// Lower case without accents, words separated by one space (for matching typed text).
pub fn fold_text(text: &str) -> String {
    text.split_whitespace()
        .map(crate::search::analyzer::fold)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_and_slugs() {
        assert_eq!(period_of("2019-05-01"), Some("2017-2021"));
        assert_eq!(period_of("2007-01-01"), Some("2007-2011"));
        assert_eq!(period_of("2030-01-01"), None);
        assert_eq!(
            slugify("Klimaatgovernance: één stad, één plan!"),
            "klimaatgovernance-een-stad-een-plan"
        );
        assert_eq!(slugify("???"), "item");
        assert_eq!(DocType::parse("rapport"), Some(DocType::Rapport));
        assert_eq!(PageStatus::Gepland.label(), "Gepland");
    }
}
