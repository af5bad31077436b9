//! Parser for the Kenniscentrum Vlaamse Steden's jaarplan, from the text extracted from its PDF.
//!
//! [`parse`] is a pure function from the text to a [`Jaarplan`] tree, so that the importer can
//! show a preview before it writes anything. It relies on the document's structure only — never
//! on the titles of one year's plan — so that next year's jaarplan imports too.
//!
//! # The document
//!
//! Front matter (foreword, mission, …) ends with an overview: each programme on a line of its
//! own, followed by its werksporen as a numbered list (an entry may wrap onto a second line).
//! The overview is the run of such lines before the first DOELSTELLING with the most numbered
//! entries; without one the text is refused (programmes could not be told from werksporen). The body then holds chapters such as
//! "Communicatie" (doelstellingen directly under the chapter), a divider page before the
//! programmes, the programmes with their werksporen, and chapters such as "Andere opdrachten"
//! whose sub-headings are werksporen. A werkspoor has an introduction and "DOELSTELLING n
//! <title>" blocks; a doelstelling has an optional description and an "ACTIES <year>" list.
//!
//! # How the structure is recognised
//!
//! - **Headings** open a page (the extractor writes a leading space, a footer stood just
//!   before, or three blank lines did), are one to three short lines, do not end in ".", ";",
//!   ":" or ",", are followed by a blank line, a new page or a DOELSTELLING, and come after text
//!   that ended a sentence or a list item. Off a page start, such a block is a heading only if
//!   the overview announces it (a programme not met yet, or a werkspoor of the current
//!   programme not met yet). Anything else is running text; text between the overview and the
//!   first heading belongs to no section and is left out.
//! - **Programmes** are the headings that match a programme of the overview (see
//!   `titles_match`: case, spacing and punctuation are ignored, and one title may extend the
//!   other by trailing words, as "Smart Cities" / "Smart Cities met het speerpuntenprogramma
//!   …"). A programme can be opened only once, so a werkspoor named like its programme stays a
//!   werkspoor.
//! - **Chapters** (non-programme sections): every heading before the programmes; a *divider*
//!   (a heading with no text before the next heading) — unless the next heading is a programme,
//!   then it is the divider of the programmes and no section; and a heading that a page footer
//!   names as a top-level chapter. Under a programme or a divider-chapter, other headings are
//!   **werksporen**.
//! - **Doelstellingen**: "DOELSTELLING", a number ("2", "2 :", "2:"), the title; up to two
//!   lines directly below that go on in lowercase — or follow a title line ending in "," or a
//!   Dutch linking word ("de", "van", "voor", …) — are the rest of a wrapped title.
//! - **Actions**: in an ACTIES list every bullet ("■") starts an action, and every other line —
//!   also after blank lines — continues the action above it (the PDF puts blank lines inside
//!   bullets and wraps them onto lines that look like headings, such as "Digitalisering bij
//!   lokale overheden"). An action ending in ":" takes the following bullets as its
//!   `children`, until a child ends a sentence (the last one ends in "." where the others end
//!   in ";"), or a capitalised bullet follows lowercase children. Text after the last bullet of
//!   a list, up to the next heading or DOELSTELLING, belongs to that last action.
//! - **Year**: from the first "ACTIES <year>", else from the page footers.
//!
//! # Artefacts removed
//!
//! Page footers ("<title> → … <page number>"), bare URL lines, the leading space of a new page,
//! tabs and runs of (non-breaking) spaces. Words that the PDF split over two lines are joined:
//! "…effectbe" + "oordelingen" (no space before the newline and the next line goes on in
//! lowercase — trusted only when the extractor normally leaves a space at the end of a wrapped
//! line), and "OBMi-" + "werkgroep" (a hyphen directly before the newline; "opleidings- en"
//! keeps its space).
//!
//! # Texts
//!
//! Lines are joined into paragraphs with single spaces; paragraphs are separated by "\n\n".
//! In introductions and descriptions a list item is a paragraph of its own, starting with
//! "• " (bullet) or "3. " (numbered). Typographic quotes stay as they are.
//!
//! # Codes
//!
//! Every node gets a code from its position, so that importing the same text twice gives the
//! same codes: programmes `P1`, `P2`… and other chapters `S1`, `S2`… in document order;
//! werksporen `P1.W2`; doelstellingen `P1.W2.D1` (or `S1.D3` directly under a chapter);
//! actions `P1.W2.D1.A3`; sub-actions `P1.W2.D1.A3.1`. The `D` index is the position, which
//! equals the document's number when that counts 1, 2, 3 as it does.

mod lines;
mod structure;
#[cfg(test)]
mod tests;
mod text;

use serde::Serialize;

use lines::Line;
use structure::{RawDoel, RawKind};
use text::RawAction;

/// A parsed jaarplan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Jaarplan {
    /// The year of the plan ("ACTIES 2025", else the footer's title); `None` if neither has one.
    pub year: Option<i32>,
    /// The overview of programmes and werksporen as the document lists it near the top.
    pub overview: Vec<OverviewProgramme>,
    /// The chapters and programmes of the body, in document order.
    pub sections: Vec<Section>,
}

impl Jaarplan {
    /// All doelstellingen, in document order.
    pub fn doelstellingen(&self) -> impl Iterator<Item = &Doelstelling> {
        self.sections.iter().flat_map(|s| {
            s.doelstellingen
                .iter()
                .chain(s.werksporen.iter().flat_map(|w| w.doelstellingen.iter()))
        })
    }

    /// The programmes (sections of kind [`SectionKind::Programme`]), in document order.
    pub fn programmes(&self) -> impl Iterator<Item = &Section> {
        self.sections
            .iter()
            .filter(|s| s.kind == SectionKind::Programme)
    }
}

/// A programme as the overview names it, with its numbered werksporen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverviewProgramme {
    pub title: String,
    pub werksporen: Vec<OverviewWerkspoor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverviewWerkspoor {
    pub number: u32,
    pub title: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// A chapter that is not a programme, such as "Communicatie" or "Andere opdrachten".
    Chapter,
    /// A programme (programma) from the overview.
    Programme,
}

/// A chapter or programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// `P<n>` for programmes, `S<n>` for other chapters.
    pub code: String,
    pub kind: SectionKind,
    /// The heading as the body writes it.
    pub title: String,
    /// For a programme, its name in the overview (which can be longer).
    pub overview_title: Option<String>,
    pub intro: String,
    pub werksporen: Vec<Werkspoor>,
    /// Doelstellingen directly under the section (before any werkspoor).
    pub doelstellingen: Vec<Doelstelling>,
    /// 1-based line of the heading in the text.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Werkspoor {
    /// `<section>.W<n>`.
    pub code: String,
    pub title: String,
    /// The entry of the overview this werkspoor matches (`None` for werksporen that only the
    /// body has).
    pub overview_number: Option<u32>,
    pub overview_title: Option<String>,
    pub intro: String,
    pub doelstellingen: Vec<Doelstelling>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Doelstelling {
    /// `<parent>.D<n>`.
    pub code: String,
    /// The number the document gives it.
    pub number: u32,
    pub title: String,
    /// The text between the title and the ACTIES list (may be empty).
    pub description: String,
    pub actions: Vec<Action>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action {
    /// `<doelstelling>.A<n>`, sub-actions `<action>.<n>`.
    pub code: String,
    pub text: String,
    /// Sub-bullets of an action that ends in ":".
    pub children: Vec<Action>,
    pub line: usize,
}

/// Why a text is refused, with the 1-based line it concerns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("regel {line}: {kind}")]
pub struct ParseError {
    pub line: usize,
    pub kind: ParseErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseErrorKind {
    #[error("de tekst is leeg")]
    Empty,
    #[error("geen enkele DOELSTELLING gevonden: dit lijkt geen jaarplan van het Kenniscentrum")]
    NoDoelstelling,
    #[error(
        "het overzicht van de programma’s met hun genummerde werksporen ontbreekt vóór de eerste DOELSTELLING"
    )]
    MissingOverview,
    #[error("DOELSTELLING staat vóór de eerste titel van een hoofdstuk of programma")]
    DoelstellingOutsideSection,
    #[error("DOELSTELLING zonder geldig nummer: „{0}” is geen getal")]
    InvalidDoelstellingNumber(String),
    #[error("DOELSTELLING {0} heeft geen titel")]
    MissingDoelstellingTitle(u32),
    #[error("ACTIES-blok buiten een doelstelling: er staat geen DOELSTELLING boven in dit werkspoor of hoofdstuk")]
    ActiesOutsideDoelstelling,
}

/// Parses the text extracted from a jaarplan PDF.
pub fn parse(text: &str) -> Result<Jaarplan, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError {
            line: 1,
            kind: ParseErrorKind::Empty,
        });
    }
    let scanned = lines::scan(text);
    let raw = structure::build(&scanned)?;
    let render = Render {
        lines: &scanned.lines,
        trust: scanned.trust_soft_ends,
    };

    let mut sections = Vec::with_capacity(raw.sections.len());
    let (mut programmes, mut chapters) = (0, 0);
    for s in &raw.sections {
        let code = match s.kind {
            RawKind::Programme => {
                programmes += 1;
                format!("P{programmes}")
            }
            RawKind::Chapter => {
                chapters += 1;
                format!("S{chapters}")
            }
        };
        let group = s.overview.and_then(|p| raw.overview.get(p));
        let mut unmatched: Vec<&(u32, String)> = group
            .map(|g| g.werksporen.iter().collect())
            .unwrap_or_default();
        let werksporen = s
            .werksporen
            .iter()
            .enumerate()
            .map(|(w, ws)| {
                let wcode = format!("{code}.W{}", w + 1);
                let found = unmatched
                    .iter()
                    .position(|(_, t)| structure::titles_match(t, &ws.title));
                let entry = found.map(|k| unmatched.remove(k));
                Werkspoor {
                    doelstellingen: render.doelstellingen(&wcode, &ws.doel),
                    code: wcode,
                    title: ws.title.clone(),
                    overview_number: entry.map(|(n, _)| *n),
                    overview_title: entry.map(|(_, t)| t.clone()),
                    intro: render.prose(&ws.intro),
                    line: ws.line,
                }
            })
            .collect();
        sections.push(Section {
            doelstellingen: render.doelstellingen(&code, &s.doel),
            kind: match s.kind {
                RawKind::Programme => SectionKind::Programme,
                RawKind::Chapter => SectionKind::Chapter,
            },
            code,
            title: s.title.clone(),
            overview_title: group.map(|g| g.title.clone()),
            intro: render.prose(&s.intro),
            werksporen,
            line: s.line,
        });
    }

    Ok(Jaarplan {
        year: raw.acties_year.or(scanned.footer_year),
        overview: raw
            .overview
            .into_iter()
            .map(|g| OverviewProgramme {
                title: g.title,
                werksporen: g
                    .werksporen
                    .into_iter()
                    .map(|(number, title)| OverviewWerkspoor { number, title })
                    .collect(),
            })
            .collect(),
        sections,
    })
}

struct Render<'s, 'a> {
    lines: &'s [Line<'a>],
    trust: bool,
}

impl Render<'_, '_> {
    fn pick(&self, idx: &[usize]) -> Vec<&Line<'_>> {
        idx.iter().filter_map(|&i| self.lines.get(i)).collect()
    }

    fn prose(&self, idx: &[usize]) -> String {
        text::prose(&self.pick(idx), self.trust)
    }

    fn doelstellingen(&self, parent: &str, raw: &[RawDoel]) -> Vec<Doelstelling> {
        raw.iter()
            .enumerate()
            .map(|(d, rd)| {
                let code = format!("{parent}.D{}", d + 1);
                let actions = text::actions(&self.pick(&rd.acts), self.trust);
                Doelstelling {
                    actions: with_codes(&code, "A", actions),
                    code,
                    number: rd.number,
                    title: rd.title.clone(),
                    description: self.prose(&rd.desc),
                    line: rd.line,
                }
            })
            .collect()
    }
}

fn with_codes(parent: &str, marker: &str, raw: Vec<RawAction>) -> Vec<Action> {
    raw.into_iter()
        .enumerate()
        .map(|(k, a)| {
            let code = format!("{parent}.{marker}{}", k + 1);
            Action {
                children: with_codes(&code, "", a.children),
                code,
                text: a.text,
                line: a.line,
            }
        })
        .collect()
}
