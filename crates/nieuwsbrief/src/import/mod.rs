//! Importing subscribers from a CSV or XLSX file (design §3.6, issue 14 points 1 and 8): the
//! editors' upload form stores the file with its choices ([`crate::web::import`]); the job
//! ([`job`]) reads it ([`source`]), checks each line ([`check`]) and writes it
//! ([`crate::store::import_write`]), keeping a report of every refused line and why.
//!
//! The rule of consent: an import makes nobody `bevestigd` unless the editor states the legal
//! basis and the source of the addresses; otherwise the imported get the confirmation mail of
//! the double opt-in, like anyone using the public form.

pub mod check;
pub mod job;
pub mod source;

pub use job::{register_jobs, IMPORT_JOB};

/// The legal basis (GDPR art. 6) on which an editor imports people as confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegalBasis {
    /// They gave their consent elsewhere (a sign-up sheet at a study day, say).
    Toestemming,
    /// A legitimate interest (e.g. the contact persons of the member cities).
    GerechtvaardigdBelang,
    /// Needed for an agreement with them (e.g. participants of a paid programme).
    Overeenkomst,
}

impl LegalBasis {
    pub const ALL: [LegalBasis; 3] = [
        LegalBasis::Toestemming,
        LegalBasis::GerechtvaardigdBelang,
        LegalBasis::Overeenkomst,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LegalBasis::Toestemming => "toestemming",
            LegalBasis::GerechtvaardigdBelang => "gerechtvaardigd-belang",
            LegalBasis::Overeenkomst => "overeenkomst",
        }
    }

    pub fn parse(value: &str) -> Option<LegalBasis> {
        LegalBasis::ALL.into_iter().find(|b| b.as_str() == value)
    }

    /// The Fluent id of its label.
    pub fn label_key(self) -> String {
        format!("nb-import-basis-{}", self.as_str())
    }
}
