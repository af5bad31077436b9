//! A campaign's bodies encoded once, with each recipient's links spliced into the encoded text.
//!
//! Every message of a campaign carries the same HTML and text except for the recipient's own
//! links (the [`frozen`] slots). Handing each message's bodies to lettre as strings made it
//! normalise line endings, choose a transfer encoding and quoted-printable encode 12 kB twice
//! per message: a quarter of the sender's CPU (docs/NIEUWSBRIEF.md, "Benchmark: sending").
//! Here the text between the slots is encoded once per campaign (and tracking tick), and a
//! message only copies the encoded pieces and encodes its own URLs.
//!
//! Why quoted-printable and not `8bit`: DKIM signs the body as sent, and a relay without
//! 8BITMIME converts 8-bit bodies to 7 bits, which breaks the signature; RFC 6376 §5.3 asks
//! signers to send 7-bit bodies for that reason.
//!
//! How a slot stays valid quoted-printable (RFC 2045 §6.7): the pieces are encoded with lines of
//! at most 75 characters, so that a soft line break (`=` CRLF) always fits behind one; a URL
//! continues the line it falls on, with soft breaks where it reaches 75, and ends with a soft
//! break, so that the next piece starts at the column it was encoded for. Decoding removes the
//! soft breaks, so the decoded body is exactly [`frozen::fill`]'s.

use quoted_printable::{InputMode, Options};

use crate::frozen::{self, RecipientLinks};

/// The longest encoded line before the soft break's `=` (RFC 2045: 76 with it).
const LINE: usize = 75;

/// One body of a campaign, ready to be sent as `Content-Transfer-Encoding: quoted-printable`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedBody {
    pieces: Vec<Piece>,
    /// The encoded pieces' length, to size each message's buffer once.
    encoded_len: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Encoded(String),
    Preferences,
    Unsubscribe,
}

impl EncodedBody {
    /// `frozen` (a campaign's HTML or text with its slots) with CRLF line endings, encoded.
    pub fn new(frozen: &str) -> EncodedBody {
        let text = crlf(frozen);
        let options = Options::default()
            .line_length_limit(LINE)
            .input_mode(InputMode::Text);
        let mut pieces = Vec::new();
        let mut rest = text.as_str();
        while let Some((at, marker)) = next_slot(rest) {
            if at > 0 {
                pieces.push(Piece::Encoded(quoted_printable::encode_with_options(
                    &rest[..at],
                    options.clone(),
                )));
            }
            pieces.push(if marker == frozen::PREFERENCES_URL {
                Piece::Preferences
            } else {
                Piece::Unsubscribe
            });
            rest = &rest[at + marker.len()..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Encoded(quoted_printable::encode_with_options(
                rest, options,
            )));
        }
        let encoded_len = pieces
            .iter()
            .map(|piece| match piece {
                Piece::Encoded(text) => text.len(),
                _ => 0,
            })
            .sum();
        EncodedBody {
            pieces,
            encoded_len,
        }
    }

    /// The encoded body with `links` in its slots.
    pub fn fill(&self, links: &RecipientLinks) -> String {
        let mut out = String::with_capacity(self.encoded_len + 400);
        for piece in &self.pieces {
            match piece {
                Piece::Encoded(text) => out.push_str(text),
                Piece::Preferences => push_value(&mut out, &links.preferences_url),
                Piece::Unsubscribe => push_value(&mut out, &links.unsubscribe_url),
            }
        }
        out
    }
}

/// The first slot marker in `text`: where it starts and which one.
fn next_slot(text: &str) -> Option<(usize, &'static str)> {
    frozen::ALL
        .iter()
        .filter_map(|marker| text.find(marker).map(|at| (at, *marker)))
        .min_by_key(|(at, _)| *at)
}

/// `text` with every line ending (CRLF, LF or a lone CR) as CRLF, as lettre makes a string body.
pub fn crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\r\n");
            }
            '\n' => out.push_str("\r\n"),
            c => out.push(c),
        }
    }
    out
}

/// Appends `value` quoted-printable encoded on the current line of `out`, wrapping at [`LINE`],
/// and ends with a soft break so that the next encoded piece starts at column 0.
fn push_value(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut column = out.len() - out.rfind('\n').map_or(0, |at| at + 1);
    for &byte in value.as_bytes() {
        // '=', space, controls and non-ASCII are escaped (a signed URL has none of them, but a
        // configured base URL might)
        let literal = matches!(byte, b'!'..=b'<' | b'>'..=b'~');
        let width = if literal { 1 } else { 3 };
        if column + width > LINE {
            out.push_str("=\r\n");
            column = 0;
        }
        if literal {
            out.push(char::from(byte));
        } else {
            out.push('=');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 15)]));
        }
        column += width;
    }
    if column > 0 {
        out.push_str("=\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(preferences: &str, unsubscribe: &str) -> RecipientLinks {
        RecipientLinks {
            preferences_url: preferences.into(),
            unsubscribe_url: unsubscribe.into(),
        }
    }

    /// Every line at most 76 characters, no bare CR or LF, only printable ASCII, `=` only as
    /// the start of an escape or a soft break, and no space or tab before a line's end.
    fn assert_valid_quoted_printable(encoded: &str) {
        assert!(
            !encoded.replace("\r\n", "").contains(['\r', '\n']),
            "bare CR/LF"
        );
        for line in encoded.split("\r\n") {
            assert!(line.len() <= 76, "line of {}: {line:?}", line.len());
            assert!(line
                .bytes()
                .all(|b| b == b'\t' || (b' '..=b'~').contains(&b)));
            assert!(!line.ends_with([' ', '\t']), "trailing space: {line:?}");
            let bytes = line.as_bytes();
            for (i, &b) in bytes.iter().enumerate() {
                if b == b'=' && i + 1 < bytes.len() {
                    assert!(
                        i + 2 < bytes.len()
                            && bytes[i + 1].is_ascii_hexdigit()
                            && bytes[i + 2].is_ascii_hexdigit(),
                        "bad escape in {line:?}"
                    );
                }
            }
        }
    }

    fn decode(encoded: &str) -> String {
        let bytes = quoted_printable::decode(encoded, quoted_printable::ParseMode::Strict)
            .expect("strict quoted-printable");
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn spliced_bodies_decode_to_the_filled_text_and_stay_valid() {
        let long_word = "x".repeat(180);
        let frozen = [
            // slots in an attribute, in running text, at a line's start and end, twice
            "<p>Beste lezer, één <a href=\"%%NB_AFMELDEN_URL%%\">afmelden</a> =&gt; klaar</p>\n",
            "%%NB_VOORKEUREN_URL%%\nAfmelden: %%NB_AFMELDEN_URL%%\r\n",
            &format!("een lange regel {long_word} met = tekens en € en tabs\t  \n"),
            "spatie voor de link %%NB_VOORKEUREN_URL%%%%NB_AFMELDEN_URL%% en erna\r",
            "laatste regel zonder einde",
        ]
        .concat();
        let short = links("https://s.test/v/a", "https://s.test/a/b");
        let long = links(
            &format!(
                "https://steden.example/nieuwsbrief/voorkeuren/{}",
                "A".repeat(150)
            ),
            "https://steden.example/a?x=1&y=é",
        );
        let body = EncodedBody::new(&frozen);
        for links in [short, long] {
            let encoded = body.fill(&links);
            assert_valid_quoted_printable(&encoded);
            assert_eq!(decode(&encoded), crlf(&frozen::fill(&frozen, &links)));
        }
    }

    #[test]
    fn a_body_without_slots_is_one_encoded_piece() {
        let body = EncodedBody::new("Hallo\nwereld");
        let encoded = body.fill(&links("a", "b"));
        assert_eq!(encoded, "Hallo\r\nwereld");
    }

    #[test]
    fn line_endings_become_crlf() {
        assert_eq!(crlf("a\nb\r\nc\rd\n\n"), "a\r\nb\r\nc\r\nd\r\n\r\n");
    }
}
