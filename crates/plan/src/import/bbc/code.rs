//! BBC codes at the start of a cell: "BD01", "AP 01.02", "AC010101 Titel", "1.2.3 - Titel".

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// The three BBC levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Level {
    Beleidsdoelstelling,
    Actieplan,
    Actie,
}

impl Level {
    pub fn prefix(self) -> &'static str {
        match self {
            Level::Beleidsdoelstelling => "BD",
            Level::Actieplan => "AP",
            Level::Actie => "AC",
        }
    }

    /// Dutch noun for messages ("actieplan AP0101 …").
    pub fn noun(self) -> &'static str {
        match self {
            Level::Beleidsdoelstelling => "beleidsdoelstelling",
            Level::Actieplan => "actieplan",
            Level::Actie => "actie",
        }
    }
}

/// A code found at the start of a cell, and what follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CodeCell<'a> {
    /// Letters before the number, upper case ("BD"), or empty for numeric codes ("1.2").
    pub prefix: Cow<'a, str>,
    /// The code as it is compared: prefix + number, without space ("AP01.02").
    pub code: Cow<'a, str>,
    /// The text after the code and its separator ("Een veilige stad"), possibly empty.
    pub rest: &'a str,
    /// Number of digits-and-dots groups ("1.2.3" → 3) for numeric codes.
    pub depth: usize,
}

/// Reads a code at the start of `cell`: up to five letters, an optional space, a number made of
/// digits and dots; then the end of the cell or a separator before a title.
pub(crate) fn split_code(cell: &str) -> Option<CodeCell<'_>> {
    let s = cell.trim_start();
    let bytes = s.as_bytes();
    let letters = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters > 5 {
        return None;
    }
    let mut i = letters;
    let spaced = letters > 0 && bytes.get(i) == Some(&b' ');
    if spaced {
        i += 1;
    }
    if !bytes.get(i).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let number_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
        i += 1;
    }
    let mut number_end = i;
    while number_end > number_start && bytes[number_end - 1] == b'.' {
        number_end -= 1;
    }
    // What follows the code must not continue a word ("BD01a", "AP12x"): then it is no code.
    if let Some(&next) = bytes.get(i) {
        if next.is_ascii_alphanumeric() || next == b'_' || next == b'/' || next == b',' {
            return None;
        }
    }
    let number = &s[number_start..number_end];
    let rest = s[i..].trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '-' | '–' | '—' | ':' | '.' | '|')
    });
    let prefix_raw = &s[..letters];
    let prefix: Cow<'_, str> = if prefix_raw.bytes().all(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(prefix_raw)
    } else {
        Cow::Owned(prefix_raw.to_ascii_uppercase())
    };
    let code: Cow<'_, str> = if !spaced && matches!(prefix, Cow::Borrowed(_)) {
        Cow::Borrowed(&s[..number_end])
    } else {
        Cow::Owned(format!("{prefix}{number}"))
    };
    let depth = number.split('.').filter(|g| !g.is_empty()).count();
    Some(CodeCell {
        prefix,
        code,
        rest: rest.trim_end(),
        depth,
    })
}

/// Internal action codes of the financial software: "MJP004937" — letters then at least four
/// digits, no space, and not one of the BBC level prefixes.
pub(crate) fn is_internal_code(cell: &str) -> bool {
    let b = cell.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let digits = b.len() - letters;
    (1..=5).contains(&letters)
        && digits >= 4
        && b[letters..].iter().all(u8::is_ascii_digit)
        && !["BD", "AP", "AC"]
            .iter()
            .any(|p| cell[..letters].eq_ignore_ascii_case(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_titles() {
        let c = split_code("BD01 Een veilige stad").unwrap();
        assert_eq!(
            (&*c.prefix, &*c.code, c.rest),
            ("BD", "BD01", "Een veilige stad")
        );
        let c = split_code("ap 01.02 - Wijkwerking").unwrap();
        assert_eq!(
            (&*c.prefix, &*c.code, c.rest),
            ("AP", "AP01.02", "Wijkwerking")
        );
        let c = split_code("AC010101").unwrap();
        assert_eq!((&*c.code, c.rest), ("AC010101", ""));
        let c = split_code("1.2.3. Titel").unwrap();
        assert_eq!(
            (&*c.prefix, &*c.code, c.rest, c.depth),
            ("", "1.2.3", "Titel", 3)
        );
        let c = split_code("BD1: Titel").unwrap();
        assert_eq!((&*c.code, c.rest), ("BD1", "Titel"));
    }

    #[test]
    fn not_codes() {
        for s in [
            "",
            "Stad",
            "Een veilige stad",
            "BD",
            "BD01a",
            "2026/27",
            "1,5",
            "ABCDEF12",
        ] {
            assert!(split_code(s).is_none(), "{s:?}");
        }
    }

    #[test]
    fn internal_codes() {
        assert!(is_internal_code("MJP004937"));
        assert!(is_internal_code("A12345"));
        assert!(!is_internal_code("AC010101"));
        assert!(!is_internal_code("MJP 004937"));
        assert!(!is_internal_code("MJP12"));
        assert!(!is_internal_code("123456"));
    }
}
