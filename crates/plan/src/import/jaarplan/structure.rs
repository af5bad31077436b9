//! Second pass: finds the overview, the headings and the DOELSTELLING/ACTIES blocks, and builds
//! the raw tree (line numbers only; the texts are assembled afterwards).

use super::lines::{Kind, Line, Scanned};
use super::text::{ends_sentence, Joiner};
use super::{ParseError, ParseErrorKind};

/// Longest line of a heading or an overview entry; body text lines are longer.
const MAX_TITLE_LINE: usize = 90;
const MAX_OVERVIEW_LINE: usize = 100;
/// A heading wraps over at most this many lines.
const MAX_HEADING_LINES: usize = 3;
/// A DOELSTELLING title wraps over at most this many extra lines.
const MAX_TITLE_CONTINUATIONS: usize = 2;

pub(super) struct OverviewGroup {
    pub title: String,
    pub werksporen: Vec<(u32, String)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum RawKind {
    Chapter,
    Programme,
}

pub(super) struct RawDoel {
    pub number: u32,
    pub title: String,
    pub line: usize,
    pub desc: Vec<usize>,
    pub acts: Vec<usize>,
    in_actions: bool,
}

pub(super) struct RawWerkspoor {
    pub title: String,
    pub line: usize,
    pub intro: Vec<usize>,
    pub doel: Vec<RawDoel>,
}

pub(super) struct RawSection {
    pub kind: RawKind,
    pub title: String,
    pub line: usize,
    pub overview: Option<usize>,
    pub intro: Vec<usize>,
    pub werksporen: Vec<RawWerkspoor>,
    pub doel: Vec<RawDoel>,
    /// Later headings become werksporen of this section (programmes, and chapters opened by a
    /// divider page); otherwise a later heading opens a new chapter.
    takes_werksporen: bool,
}

pub(super) struct RawPlan {
    pub overview: Vec<OverviewGroup>,
    pub sections: Vec<RawSection>,
    pub acties_year: Option<i32>,
}

pub(super) fn build(scanned: &Scanned) -> Result<RawPlan, ParseError> {
    let lines = &scanned.lines;
    let trust = scanned.trust_soft_ends;
    let first_doel = lines
        .iter()
        .position(|l| matches!(l.kind, Kind::Doelstelling { .. }))
        .ok_or(ParseError {
            line: 1,
            kind: ParseErrorKind::NoDoelstelling,
        })?;
    let Some((overview, body_start)) = find_overview(lines, first_doel, trust) else {
        return Err(ParseError {
            line: lines[first_doel].no,
            kind: ParseErrorKind::MissingOverview,
        });
    };

    let mut b = Body {
        lines,
        trust,
        overview: &overview,
        opened: vec![false; overview.len()],
        footer_chapters: &scanned.footer_chapters,
        sections: Vec::new(),
        acties_year: None,
    };
    b.run(body_start)?;
    let Body {
        sections,
        acties_year,
        ..
    } = b;
    Ok(RawPlan {
        overview,
        sections,
        acties_year,
    })
}

// ---------------------------------------------------------------------------------------------
// The overview: "<programme>" lines, each followed by its numbered werksporen.

fn is_overview_title(lines: &[Line], i: usize) -> bool {
    let Some(Line {
        kind: Kind::Text(text),
        ..
    }) = lines.get(i)
    else {
        return false;
    };
    let below_ok = lines
        .get(i + 1)
        .is_none_or(|l| matches!(l.kind, Kind::Blank | Kind::Numbered { .. }));
    // A programme stands apart: a blank line (or a new page) above it. A line directly below a
    // numbered entry is the rest of that entry.
    let above_ok = i == 0 || lines[i].page_start || lines[i - 1].is_blank();
    text.chars().count() <= MAX_OVERVIEW_LINE
        && !text.starts_with(char::is_lowercase)
        && !text.ends_with(['.', ';', ':', ','])
        && above_ok
        && below_ok
}

/// The second (or third) line of a numbered overview entry that wrapped.
fn is_overview_continuation(lines: &[Line], i: usize) -> bool {
    let is_wrap = |k: usize| {
        matches!(lines.get(k), Some(l @ Line { kind: Kind::Text(t), .. })
            if !l.page_start && t.chars().count() <= MAX_OVERVIEW_LINE)
    };
    let numbered = |k: usize| {
        matches!(
            lines.get(k),
            Some(Line {
                kind: Kind::Numbered { .. },
                ..
            })
        )
    };
    is_wrap(i) && i > 0 && (numbered(i - 1) || (i > 1 && is_wrap(i - 1) && numbered(i - 2)))
}

fn is_overview_item(lines: &[Line], i: usize) -> bool {
    matches!(lines.get(i), Some(Line { kind: Kind::Numbered { text, .. }, .. })
        if text.chars().count() <= MAX_OVERVIEW_LINE)
}

fn fits_overview(lines: &[Line], i: usize) -> bool {
    is_overview_title(lines, i) || is_overview_item(lines, i) || is_overview_continuation(lines, i)
}

/// The overview is the run of short title lines and numbered lines before the first
/// DOELSTELLING with the most numbered entries. Its last title line is dropped when a paragraph
/// follows it: that is the heading of the first chapter after the overview.
/// Returns the groups and the index of the first line after the overview.
fn find_overview(lines: &[Line], end: usize, trust: bool) -> Option<(Vec<OverviewGroup>, usize)> {
    let mut best: Option<(usize, usize, usize)> = None; // (numbered count, start, end)
    let mut i = 0;
    while i < end {
        if !fits_overview(lines, i) {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i;
        while j < end && (lines[j].is_blank() || fits_overview(lines, j)) {
            j += 1;
        }
        let mut k = trim_blanks_back(lines, start, j);
        let followed_by_text = lines.get(j).is_some_and(|l| !l.is_blank());
        if k > start && followed_by_text && is_overview_title(lines, k - 1) {
            k = trim_blanks_back(lines, start, k - 1);
        }
        let items = (start..k).filter(|&x| is_overview_item(lines, x)).count();
        let titles = (start..k).filter(|&x| is_overview_title(lines, x)).count();
        if items > 0 && titles > 0 && best.is_none_or(|(n, _, _)| items > n) {
            best = Some((items, start, k));
        }
        i = j.max(i + 1);
    }
    let (_, start, stop) = best?;

    let mut groups: Vec<OverviewGroup> = Vec::new();
    for (i, line) in lines.iter().enumerate().take(stop).skip(start) {
        match line.kind {
            Kind::Text(t) if is_overview_continuation(lines, i) => {
                if let Some((_, title)) = groups.last_mut().and_then(|g| g.werksporen.last_mut()) {
                    let mut joined = Joiner::new(trust);
                    joined.push(title, false);
                    joined.push(t, line.soft_end);
                    *title = joined.finish();
                }
            }
            Kind::Text(t) => groups.push(OverviewGroup {
                title: one_line(t, trust),
                werksporen: Vec::new(),
            }),
            Kind::Numbered { number, text } => {
                if let Some(g) = groups.last_mut() {
                    g.werksporen.push((number, one_line(text, trust)));
                }
            }
            _ => {}
        }
    }
    Some((groups, stop))
}

fn trim_blanks_back(lines: &[Line], start: usize, mut end: usize) -> usize {
    while end > start && lines[end - 1].is_blank() {
        end -= 1;
    }
    end
}

fn one_line(text: &str, trust: bool) -> String {
    let mut j = Joiner::new(trust);
    j.push(text, false);
    j.finish()
}

// ---------------------------------------------------------------------------------------------
// Headings.

/// A heading is a short block of one to three text lines that opens a page and is followed by
/// a blank line, the next page or a DOELSTELLING. Returns the end of the block and its title.
/// With `anywhere`, the block need not open a page (the caller then checks the title against
/// the overview).
fn heading_at(lines: &[Line], i: usize, trust: bool, anywhere: bool) -> Option<(usize, String)> {
    let first = lines.get(i)?;
    let Kind::Text(text) = first.kind else {
        return None;
    };
    if !(first.page_start || anywhere)
        || !text.starts_with(|c: char| {
            !c.is_lowercase() && !c.is_ascii_punctuation() || "(‘“\"'".contains(c)
        })
    {
        return None;
    }
    let mut j = i + 1;
    while let Some(l) = lines.get(j) {
        if l.page_start || !matches!(l.kind, Kind::Text(_)) {
            break;
        }
        j += 1;
        if j - i > MAX_HEADING_LINES {
            return None;
        }
    }
    let ends_block = match lines.get(j) {
        None => true,
        Some(l) => l.page_start || matches!(l.kind, Kind::Blank | Kind::Doelstelling { .. }),
    };
    if !ends_block {
        return None;
    }
    let mut title = Joiner::new(trust);
    for l in &lines[i..j] {
        let t = l.content()?;
        if t.chars().count() > MAX_TITLE_LINE {
            return None;
        }
        title.push(t, l.soft_end);
    }
    if title.is_empty() || matches!(title.last_char(), Some('.' | ';' | ':' | ',')) {
        return None;
    }
    Some((j, title.finish()))
}

/// Normalised words for comparing titles across the overview and the body: case, spacing and
/// punctuation differ between them ("Parkeer- en ToegangsRegister" / "… Toegangsregister",
/// "M(anagement)informatie" / "M(anagement) informatie").
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Same title, or one is the other with words added at the end ("Smart Cities" / "Smart Cities
/// met het speerpuntenprogramma …", "… Dienstverlening" / "… Dienstverlening (DEMaD)"). A
/// one-word title must match exactly, so that "Klimaat" does not match "Klimaat en energie".
pub(super) fn titles_match(a: &str, b: &str) -> bool {
    let (wa, wb) = (words(a), words(b));
    if wa.is_empty() || wb.is_empty() {
        return false;
    }
    if wa.concat() == wb.concat() {
        return true;
    }
    let (short, long) = if wa.len() <= wb.len() {
        (&wa, &wb)
    } else {
        (&wb, &wa)
    };
    short.len() >= 2 && long.starts_with(short)
}

// ---------------------------------------------------------------------------------------------
// The body.

struct Body<'s, 'a> {
    lines: &'s [Line<'a>],
    trust: bool,
    overview: &'s [OverviewGroup],
    opened: Vec<bool>,
    footer_chapters: &'s [String],
    sections: Vec<RawSection>,
    acties_year: Option<i32>,
}

impl Body<'_, '_> {
    fn run(&mut self, start: usize) -> Result<(), ParseError> {
        let lines = self.lines;
        // The last character of the text before the current line: a page that opens in the
        // middle of a sentence continues it, however much its first line looks like a title.
        let mut last_end: Option<char> = None;
        let mut i = start;
        while let Some(line) = lines.get(i) {
            match line.kind {
                Kind::Doelstelling { number, title } => {
                    i = self.doelstelling(i, number, title)?;
                    last_end = None;
                    continue;
                }
                Kind::Acties { year } => {
                    self.acties(line)?;
                    if self.acties_year.is_none() {
                        self.acties_year = year;
                    }
                    last_end = None;
                }
                Kind::Text(_) if last_end.is_none() || ends_sentence_or_item(last_end) => {
                    let heading = if line.page_start {
                        heading_at(lines, i, self.trust, false)
                    } else {
                        // Off a page start, only a title that the overview announces.
                        heading_at(lines, i, self.trust, true).filter(|(_, t)| self.announced(t))
                    };
                    if let Some((end, title)) = heading {
                        self.heading(i, end, title);
                        last_end = None;
                        i = end;
                        continue;
                    }
                    self.push(i);
                    last_end = line.content().and_then(|t| t.chars().next_back());
                }
                Kind::Blank => self.push(i),
                Kind::Text(_) | Kind::Bullet(_) | Kind::Numbered { .. } => {
                    self.push(i);
                    last_end = line.content().and_then(|t| t.chars().next_back());
                }
            }
            i += 1;
        }
        Ok(())
    }

    fn heading(&mut self, i: usize, end: usize, title: String) {
        let lines = self.lines;
        let line = lines[i].no;
        let next = (end..lines.len()).find(|&k| !lines[k].is_blank());
        let next_heading = next.and_then(|k| heading_at(lines, k, self.trust, false));

        if let Some(p) = self.unopened_programme(&title) {
            self.opened[p] = true;
            self.open_section(RawKind::Programme, title, line, Some(p), true);
            return;
        }
        let divider = next_heading.is_some();
        let top_level = self.footer_chapters.iter().any(|c| titles_match(c, &title));
        if divider || top_level {
            // A divider page ("Programma’s") in front of the programmes is no section itself.
            let before_programme = next_heading
                .as_ref()
                .is_some_and(|(_, t)| self.unopened_programme(t).is_some());
            if divider && before_programme {
                return;
            }
            self.open_section(RawKind::Chapter, title, line, None, divider);
            return;
        }
        match self.sections.last_mut() {
            Some(s) if s.takes_werksporen => s.werksporen.push(RawWerkspoor {
                title,
                line,
                intro: Vec::new(),
                doel: Vec::new(),
            }),
            _ => self.open_section(RawKind::Chapter, title, line, None, false),
        }
    }

    fn unopened_programme(&self, title: &str) -> Option<usize> {
        self.overview
            .iter()
            .enumerate()
            .position(|(p, g)| !self.opened[p] && titles_match(&g.title, title))
    }

    /// An overview title still to come: a programme not opened yet, or a werkspoor of the
    /// current programme that has no heading yet.
    fn announced(&self, title: &str) -> bool {
        if self.unopened_programme(title).is_some() {
            return true;
        }
        let Some(s) = self.sections.last() else {
            return false;
        };
        let Some(group) = s.overview.and_then(|p| self.overview.get(p)) else {
            return false;
        };
        group.werksporen.iter().any(|(_, t)| {
            titles_match(t, title) && !s.werksporen.iter().any(|w| titles_match(&w.title, t))
        })
    }

    fn open_section(
        &mut self,
        kind: RawKind,
        title: String,
        line: usize,
        overview: Option<usize>,
        takes: bool,
    ) {
        self.sections.push(RawSection {
            kind,
            title,
            line,
            overview,
            intro: Vec::new(),
            werksporen: Vec::new(),
            doel: Vec::new(),
            takes_werksporen: takes || kind == RawKind::Programme,
        });
    }

    /// The doelstellingen of the innermost open container (werkspoor, else section).
    fn doelstellingen(&mut self) -> Option<&mut Vec<RawDoel>> {
        let s = self.sections.last_mut()?;
        Some(match s.werksporen.last_mut() {
            Some(w) => &mut w.doel,
            None => &mut s.doel,
        })
    }

    /// Adds a line to the text being collected: the intro, a description or an ACTIES list.
    /// Text before the first section (after the overview) belongs to nothing and is left out.
    fn push(&mut self, i: usize) {
        let Some(s) = self.sections.last_mut() else {
            return;
        };
        let (intro, doel) = match s.werksporen.last_mut() {
            Some(w) => (&mut w.intro, &mut w.doel),
            None => (&mut s.intro, &mut s.doel),
        };
        match doel.last_mut() {
            Some(d) if d.in_actions => d.acts.push(i),
            Some(d) => d.desc.push(i),
            None => intro.push(i),
        }
    }

    fn doelstelling(&mut self, i: usize, number: &str, title: &str) -> Result<usize, ParseError> {
        let lines = self.lines;
        let line = &lines[i];
        let err = |kind| ParseError {
            line: line.no,
            kind,
        };
        let Ok(n) = number.trim_end_matches('.').parse::<u32>() else {
            return Err(err(ParseErrorKind::InvalidDoelstellingNumber(
                number.to_string(),
            )));
        };
        if self.sections.is_empty() {
            return Err(err(ParseErrorKind::DoelstellingOutsideSection));
        }
        let mut joined = Joiner::new(self.trust);
        joined.push(title, line.soft_end);
        let mut next = i + 1;
        if joined.is_empty() {
            // The title stands on the next non-blank line.
            while lines.get(next).is_some_and(Line::is_blank) {
                next += 1;
            }
            match lines.get(next) {
                Some(
                    l @ Line {
                        kind: Kind::Text(t),
                        ..
                    },
                ) => {
                    joined.push(t, l.soft_end);
                    next += 1;
                }
                _ => return Err(err(ParseErrorKind::MissingDoelstellingTitle(n))),
            }
        }
        // A title wrapped onto the next line goes on in lowercase, directly below it.
        for _ in 0..MAX_TITLE_CONTINUATIONS {
            match lines.get(next) {
                // No check on the punctuation before it: titles end in abbreviations ("m.i.v.").
                Some(
                    l @ Line {
                        kind: Kind::Text(t),
                        page_start: false,
                        ..
                    },
                ) if t.starts_with(char::is_lowercase) || unfinished(&joined) => {
                    joined.push(t, l.soft_end);
                    next += 1;
                }
                _ => break,
            }
        }
        let doel = RawDoel {
            number: n,
            title: joined.finish(),
            line: line.no,
            desc: Vec::new(),
            acts: Vec::new(),
            in_actions: false,
        };
        if let Some(list) = self.doelstellingen() {
            list.push(doel);
        }
        Ok(next)
    }

    fn acties(&mut self, line: &Line) -> Result<(), ParseError> {
        match self.doelstellingen().and_then(|d| d.last_mut()) {
            Some(d) => {
                d.in_actions = true;
                Ok(())
            }
            None => Err(ParseError {
                line: line.no,
                kind: ParseErrorKind::ActiesOutsideDoelstelling,
            }),
        }
    }
}

/// The text before a heading must have come to an end: a sentence, or a list item (";").
fn ends_sentence_or_item(c: Option<char>) -> bool {
    ends_sentence(c) || matches!(c, Some(';' | ')' | '’' | '”' | '"'))
}

/// Dutch words a title cannot end with: a title line ending in one wrapped, also when the next
/// line starts with a capital ("… voor de" + "Vlaamse concessieovereenkomst").
const LINKING_WORDS: [&str; 24] = [
    "de", "het", "een", "en", "of", "van", "voor", "met", "op", "in", "aan", "te", "over", "door",
    "naar", "bij", "om", "tot", "die", "dat", "als", "binnen", "rond", "tussen",
];

fn unfinished(title: &Joiner) -> bool {
    title.last_char() == Some(',')
        || title
            .last_word()
            .is_some_and(|w| LINKING_WORDS.contains(&w))
}
