//! First pass: every line of the extracted PDF text gets a kind, and the page artefacts that
//! carry no content (footers, bare URLs) are dropped while the page boundary they mark is kept.

/// The markers that start a list item in the PDF text.
const BULLETS: [char; 8] = ['■', '▪', '•', '●', '◦', '□', '◾', '‣'];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind<'a> {
    Blank,
    /// `DOELSTELLING <number> [:] <title>`; `number` is the raw token, checked later so that the
    /// error can name it.
    Doelstelling {
        number: &'a str,
        title: &'a str,
    },
    /// `ACTIES <year>` opens the list of actions of the current doelstelling.
    Acties {
        year: Option<i32>,
    },
    Bullet(&'a str),
    Numbered {
        number: u32,
        text: &'a str,
    },
    Text(&'a str),
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Line<'a> {
    /// 1-based line number in the original text.
    pub no: usize,
    pub kind: Kind<'a>,
    /// The line opens a page: the extractor writes a leading space there, a footer stood just
    /// before it, or three blank lines (an empty page bottom) did.
    pub page_start: bool,
    /// No whitespace before the newline: the PDF broke a word here rather than between words.
    pub soft_end: bool,
}

impl Line<'_> {
    pub(super) fn is_blank(&self) -> bool {
        matches!(self.kind, Kind::Blank)
    }

    /// The visible text of a content line (text, bullet or numbered item).
    pub(super) fn content(&self) -> Option<&str> {
        match self.kind {
            Kind::Text(t) | Kind::Bullet(t) => Some(t),
            Kind::Numbered { text, .. } => Some(text),
            _ => None,
        }
    }
}

pub(super) struct Scanned<'a> {
    pub lines: Vec<Line<'a>>,
    /// The first crumb after the document title of every footer
    /// ("Jaarplan … 2025 → Programma’s → Klimaat 44" gives "Programma’s"): the top-level chapters.
    pub footer_chapters: Vec<String>,
    pub footer_year: Option<i32>,
    /// Whether "no whitespace before the newline" can be trusted as a word-split signal: only
    /// when the extractor normally leaves a space at the end of a wrapped line.
    pub trust_soft_ends: bool,
}

pub(super) fn scan(text: &str) -> Scanned<'_> {
    let mut lines = Vec::new();
    let mut footer_chapters: Vec<String> = Vec::new();
    let mut footer_year = None;
    let mut blanks_before = 0usize;
    let mut after_footer = false;
    let mut seen_content = false;

    for (idx, raw) in text.lines().enumerate() {
        let no = idx + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            blanks_before += 1;
            lines.push(Line {
                no,
                kind: Kind::Blank,
                page_start: false,
                soft_end: false,
            });
            continue;
        }
        if let Some(crumbs) = footer_crumbs(trimmed) {
            if let Some(chapter) = crumbs.get(1) {
                if !footer_chapters.contains(chapter) {
                    footer_chapters.push(chapter.clone());
                }
            }
            if footer_year.is_none() {
                footer_year = crumbs.first().and_then(|t| year_in(t));
            }
            after_footer = true;
            continue;
        }
        if is_bare_url(trimmed) {
            continue;
        }
        let page_start =
            raw.starts_with(' ') || after_footer || (seen_content && blanks_before >= 3);
        after_footer = false;
        blanks_before = 0;
        seen_content = true;
        lines.push(Line {
            no,
            kind: classify(trimmed),
            page_start,
            soft_end: !raw.ends_with(char::is_whitespace),
        });
    }

    let trust_soft_ends = soft_ends_trustworthy(&lines);
    Scanned {
        lines,
        footer_chapters,
        footer_year,
        trust_soft_ends,
    }
}

fn classify(trimmed: &str) -> Kind<'_> {
    if let Some(rest) = trimmed.strip_prefix("DOELSTELLING") {
        if rest.is_empty()
            || rest.starts_with(|c: char| c.is_whitespace() || c.is_ascii_digit() || c == ':')
        {
            let rest = rest.trim_start();
            let end = rest
                .find(|c: char| c.is_whitespace() || c == ':')
                .unwrap_or(rest.len());
            let (number, title) = rest.split_at(end);
            let title = title
                .trim_start_matches(|c: char| c.is_whitespace() || c == ':')
                .trim_end();
            return Kind::Doelstelling { number, title };
        }
    }
    if let Some(rest) = trimmed.strip_prefix("ACTIES") {
        let rest = rest.trim().trim_end_matches(':').trim_end();
        if rest.is_empty() {
            return Kind::Acties { year: None };
        }
        if rest.len() == 4 && rest.bytes().all(|b| b.is_ascii_digit()) {
            return Kind::Acties {
                year: rest.parse().ok(),
            };
        }
    }
    if let Some(rest) = trimmed.strip_prefix(BULLETS) {
        return Kind::Bullet(rest.trim());
    }
    if let Some((number, text)) = numbered(trimmed) {
        return Kind::Numbered { number, text };
    }
    Kind::Text(trimmed)
}

/// "3.\tCapacities 2.0" → (3, "Capacities 2.0"); at most three digits so that a line starting
/// with a year is not taken for a list item.
fn numbered(trimmed: &str) -> Option<(u32, &str)> {
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let (number, rest) = trimmed.split_at(digits);
    let rest = rest.strip_prefix(['.', ')'])?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let text = rest.trim();
    if text.is_empty() {
        return None;
    }
    Some((number.parse().ok()?, text))
}

/// A page footer is a breadcrumb "<document title> → <chapter> [→ …] <page number>".
fn footer_crumbs(trimmed: &str) -> Option<Vec<String>> {
    if !trimmed.contains('→') {
        return None;
    }
    let (head, page) = trimmed.rsplit_once(char::is_whitespace)?;
    if page.is_empty() || page.len() > 4 || !page.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let crumbs: Vec<String> = head
        .split('→')
        .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    if crumbs.len() < 2 || crumbs.iter().any(String::is_empty) {
        return None;
    }
    Some(crumbs)
}

/// The last plausible year (1900–2199) written as a separate number in `text`.
pub(super) fn year_in(text: &str) -> Option<i32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|t| t.len() == 4)
        .filter_map(|t| t.parse::<i32>().ok())
        .rfind(|y| (1900..2200).contains(y))
}

fn is_bare_url(trimmed: &str) -> bool {
    (trimmed.starts_with("http://")
        || trimmed.starts_with("https://")
        || trimmed.starts_with("www."))
        && !trimmed.contains(char::is_whitespace)
}

/// Counts the wrapped lines (a content line followed by one that continues in lowercase): if
/// most of them end with whitespace, a wrapped line without it marks a word the PDF split.
fn soft_ends_trustworthy(lines: &[Line]) -> bool {
    let (mut soft, mut hard) = (0usize, 0usize);
    let mut prev: Option<&Line> = None;
    for line in lines {
        if line.is_blank() {
            continue;
        }
        if let (Some(p), Some(text)) = (prev, line.content()) {
            if p.content().is_some() && text.starts_with(char::is_lowercase) {
                if p.soft_end {
                    soft += 1;
                } else {
                    hard += 1;
                }
            }
        }
        prev = Some(line);
    }
    hard >= 2 * soft && hard > 0
}
