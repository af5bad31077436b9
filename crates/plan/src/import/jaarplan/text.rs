//! Turning runs of PDF lines back into text: paragraphs for introductions and descriptions,
//! items (with sub-items) for the ACTIES lists.

use super::lines::{Kind, Line};

/// Joins the wrapped lines of one paragraph or item with single spaces, except where the PDF
/// split a word over two lines.
pub(super) struct Joiner {
    prefix: String,
    buf: String,
    last_soft: bool,
    trust_soft_ends: bool,
}

impl Joiner {
    pub(super) fn new(trust_soft_ends: bool) -> Self {
        Self::with_prefix(String::new(), trust_soft_ends)
    }

    fn with_prefix(prefix: String, trust_soft_ends: bool) -> Self {
        Joiner {
            prefix,
            buf: String::new(),
            last_soft: false,
            trust_soft_ends,
        }
    }

    pub(super) fn push(&mut self, piece: &str, soft_end: bool) {
        let mut words = piece.split_whitespace().peekable();
        let Some(first) = words.peek().and_then(|w| w.chars().next()) else {
            return;
        };
        if !self.buf.is_empty() && !self.glues_to(first) {
            self.buf.push(' ');
        }
        for (i, word) in words.enumerate() {
            if i > 0 {
                self.buf.push(' ');
            }
            self.buf.push_str(word);
        }
        self.last_soft = soft_end;
    }

    /// Whether the next line continues the last word: "Gegevensbeschermingseffectbe" +
    /// "oordelingen", "OBMi-" + "werkgroep", "2024-" + "2025". A hyphen followed by a space
    /// ("opleidings- en communicatie-aanbod") is Dutch elision and keeps its space.
    fn glues_to(&self, next: char) -> bool {
        if !self.last_soft {
            return false;
        }
        let mut tail = self.buf.chars().rev();
        let last = tail.next();
        let before = tail.next();
        match last {
            Some('-') => next.is_alphanumeric() && before.is_some_and(char::is_alphanumeric),
            Some(c) if c.is_alphanumeric() || c == '.' => {
                self.trust_soft_ends && next.is_lowercase()
            }
            _ => false,
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    pub(super) fn last_word(&self) -> Option<&str> {
        self.buf.rsplit(' ').next().filter(|w| !w.is_empty())
    }

    pub(super) fn last_char(&self) -> Option<char> {
        self.buf.chars().next_back()
    }

    pub(super) fn finish(self) -> String {
        if self.buf.is_empty() {
            String::new()
        } else {
            self.prefix + &self.buf
        }
    }
}

pub(super) fn ends_sentence(c: Option<char>) -> bool {
    matches!(c, Some('.' | '!' | '?' | '…'))
}

pub(super) fn ends_clause(c: Option<char>) -> bool {
    ends_sentence(c) || matches!(c, Some(';' | ':'))
}

fn starts_lowercase(text: &str) -> bool {
    text.starts_with(char::is_lowercase)
}

/// How a bullet item starts in an introduction or description.
const BULLET_PREFIX: &str = "• ";

/// Introductions and descriptions: paragraphs separated by "\n\n". List items become their own
/// paragraph, marked "• " (bullets) or "3. " (numbered). A blank line inside a list item is a
/// PDF artefact when the item goes on in lowercase or had not finished its clause.
pub(super) fn prose(lines: &[&Line], trust_soft_ends: bool) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = Joiner::new(trust_soft_ends);
    let mut in_item = false;
    let mut after_blank = false;

    for (k, line) in lines.iter().enumerate() {
        match line.kind {
            Kind::Blank => {
                after_blank = true;
                continue;
            }
            Kind::Bullet(text) => {
                flush(
                    &mut paragraphs,
                    &mut current,
                    Joiner::with_prefix(BULLET_PREFIX.into(), trust_soft_ends),
                );
                current.push(text, line.soft_end);
                in_item = true;
            }
            Kind::Numbered { number, text } => {
                flush(
                    &mut paragraphs,
                    &mut current,
                    Joiner::with_prefix(format!("{number}. "), trust_soft_ends),
                );
                current.push(text, line.soft_end);
                in_item = true;
            }
            Kind::Text(text) => {
                let lower = starts_lowercase(text);
                let last = current.last_char();
                let continues = if current.is_empty() {
                    true
                } else if !after_blank {
                    // A sentence-final item followed by a capital is the text after the list
                    // (two-column layouts leave no blank line there).
                    !(in_item && ends_sentence(last) && !lower)
                } else if in_item {
                    lower || !ends_clause(last)
                } else {
                    lower && !ends_clause(last)
                };
                if !continues {
                    // A list whose items end in ";" ends with an item in "."; when the PDF lost
                    // that last bullet, a lone line completing the list is still its item.
                    let lone = lines.get(k + 1).is_none_or(|l| l.is_blank());
                    let completes_list = in_item
                        && current.prefix == BULLET_PREFIX
                        && after_blank
                        && last == Some(';')
                        && lone
                        && text.ends_with('.');
                    let next = if completes_list {
                        Joiner::with_prefix(BULLET_PREFIX.into(), trust_soft_ends)
                    } else {
                        Joiner::new(trust_soft_ends)
                    };
                    flush(&mut paragraphs, &mut current, next);
                    in_item = completes_list;
                }
                current.push(text, line.soft_end);
            }
            // Structural lines never reach a text run; ignore them rather than fail.
            Kind::Doelstelling { .. } | Kind::Acties { .. } => {}
        }
        after_blank = false;
    }
    flush(&mut paragraphs, &mut current, Joiner::new(trust_soft_ends));
    paragraphs.join("\n\n")
}

fn flush(paragraphs: &mut Vec<String>, current: &mut Joiner, next: Joiner) {
    let done = std::mem::replace(current, next).finish();
    if !done.is_empty() {
        paragraphs.push(done);
    }
}

/// One action of an ACTIES list with its sub-items.
pub(super) struct RawAction {
    pub text: String,
    pub line: usize,
    pub children: Vec<RawAction>,
}

/// An ACTIES list: every bullet (or numbered item) starts an action; every other line, also
/// after blank lines, continues the action above it, because the PDF breaks bullets with blank
/// lines and wraps them onto lines that can look like headings.
pub(super) fn actions(lines: &[&Line], trust_soft_ends: bool) -> Vec<RawAction> {
    let mut items: Vec<(Joiner, usize)> = Vec::new();
    for line in lines {
        match line.kind {
            Kind::Bullet(text) | Kind::Numbered { text, .. } => {
                let mut j = Joiner::new(trust_soft_ends);
                j.push(text, line.soft_end);
                items.push((j, line.no));
            }
            Kind::Text(text) => match items.last_mut() {
                Some((j, _)) => j.push(text, line.soft_end),
                None => {
                    let mut j = Joiner::new(trust_soft_ends);
                    j.push(text, line.soft_end);
                    items.push((j, line.no));
                }
            },
            Kind::Blank | Kind::Doelstelling { .. } | Kind::Acties { .. } => {}
        }
    }
    let flat = items
        .into_iter()
        .map(|(j, line)| RawAction {
            text: j.finish(),
            line,
            children: Vec::new(),
        })
        .filter(|a| !a.text.is_empty());
    nest(flat)
}

/// Bullets all look alike in the PDF text, so sub-bullets are recognised from the punctuation:
/// an action ending in ":" takes the following bullets as its children, until a child ends a
/// sentence (the last child of such a list ends with "." where the others end with ";"), or a
/// capitalised bullet follows children that started in lowercase.
fn nest(flat: impl Iterator<Item = RawAction>) -> Vec<RawAction> {
    let mut out: Vec<RawAction> = Vec::new();
    let mut open = false;
    for item in flat {
        if open {
            if let Some(parent) = out.last_mut() {
                let lowercase_list = parent
                    .children
                    .first()
                    .is_some_and(|c| starts_lowercase(&c.text));
                let back_to_top = lowercase_list && !starts_lowercase(&item.text);
                if !back_to_top {
                    open = !ends_sentence(item.text.chars().next_back());
                    parent.children.push(item);
                    continue;
                }
            }
        }
        open = item.text.ends_with(':');
        out.push(item);
    }
    out
}
