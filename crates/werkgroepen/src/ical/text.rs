//! The text layer of iCalendar (RFC 5545 §3.1–§3.3): content lines ending in CRLF, folded at 75
//! octets without splitting a UTF-8 character, TEXT values escaped, parameter values quoted.

/// The longest physical line, in octets, without its CRLF (RFC 5545 §3.1).
const MAX_OCTETS: usize = 75;

/// Appends one content line to `out`: folded so that no physical line exceeds 75 octets, each
/// continuation starting with one space, never cutting a multi-byte character (a cut character
/// is what makes Outlook show "Ã©" for "é").
pub fn push_line(out: &mut String, line: &str) {
    let mut rest = line;
    // The first physical line carries 75 octets, the others 74 after their leading space.
    let mut room = MAX_OCTETS;
    loop {
        if rest.len() <= room {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = MAX_OCTETS - 1;
    }
}

/// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, line ends as `\n`,
/// other control characters dropped (they are not allowed in a content line).
pub fn escape_text(value: &str) -> String {
    let value = value.replace("\r\n", "\n");
    let mut out = String::with_capacity(value.len());
    for ch in value.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            ch if ch.is_control() => {}
            ch => out.push(ch),
        }
    }
    out
}

/// A parameter value such as `CN=…` (RFC 5545 §3.2): quoted when it holds `:`, `;` or `,`; a
/// double quote cannot be escaped there, so it becomes a single one.
pub fn param_value(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|ch| !ch.is_control())
        .map(|ch| if ch == '"' { '\'' } else { ch })
        .collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// A URI value (URL, mailto): no escaping applies, but a line break would end the line.
pub fn uri_value(value: &str) -> String {
    value.chars().filter(|ch| !ch.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn physical_lines(out: &str) -> Vec<&str> {
        out.strip_suffix("\r\n").unwrap().split("\r\n").collect()
    }

    /// Undoes folding as a reader does: a CRLF followed by one space disappears.
    fn unfold(out: &str) -> String {
        out.replace("\r\n ", "")
    }

    #[test]
    fn a_short_line_stays_whole() {
        let mut out = String::new();
        push_line(&mut out, "SUMMARY:Werkgroep GDPR");
        assert_eq!(out, "SUMMARY:Werkgroep GDPR\r\n");
    }

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        // 'é' is two octets and '€' three: a cut at a fixed octet would land inside them.
        for filler in ["a", "é", "€", "a€é"] {
            let line = format!("DESCRIPTION:{}", filler.repeat(200));
            let mut out = String::new();
            push_line(&mut out, &line);
            let lines = physical_lines(&out);
            assert!(lines.len() > 2);
            for (i, physical) in lines.iter().enumerate() {
                assert!(
                    physical.len() <= 75,
                    "{} octets: {physical:?}",
                    physical.len()
                );
                if i > 0 {
                    assert!(physical.starts_with(' '));
                }
                // Only the last piece may be short: the others fold as late as they can
                // (a character of up to 3 octets may not fit in the last 2).
                if i + 1 < lines.len() {
                    assert!(physical.len() >= 73, "folds late: {physical:?}");
                }
            }
            assert_eq!(unfold(&out), format!("{line}\r\n"));
        }
    }

    #[test]
    fn the_last_piece_may_be_short() {
        let line = "X".repeat(76);
        let mut out = String::new();
        push_line(&mut out, &line);
        assert_eq!(out, format!("{}\r\n X\r\n", "X".repeat(75)));
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(
            escape_text("Zaal 1, 2de verdieping; C:\\pad\r\nregel 2\nregel 3\u{7}"),
            "Zaal 1\\, 2de verdieping\\; C:\\\\pad\\nregel 2\\nregel 3"
        );
    }

    #[test]
    fn parameter_values_are_quoted_when_needed() {
        assert_eq!(param_value("Greet Gent"), "Greet Gent");
        assert_eq!(param_value("Peeters, An"), "\"Peeters, An\"");
        assert_eq!(param_value("An \"Annie\" Peeters"), "An 'Annie' Peeters");
        assert_eq!(param_value("a:b"), "\"a:b\"");
    }
}
