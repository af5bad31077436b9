//! The design tokens of `assets/steden.css` as data: the custom properties of its `:root` block
//! and the colour pairs documented there (`pair: --fg on --bg = 7.53:1 text`).
//!
//! The stylesheet is the one source: the style guide (/beheer/stijlgids) shows what this module
//! reads from it, and the tests below compute every documented pair's contrast ratio (WCAG 2.1,
//! relative luminance), so that a token changed to a colour that no longer reaches AA, a ratio
//! written wrongly, or a new colour nobody checked fails the build's tests.

/// The stylesheet as embedded in the binary.
pub const STYLESHEET: &str = include_str!("../assets/steden.css");

/// One custom property of the `:root` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// With the leading dashes: `--color-text`.
    pub name: String,
    /// As written: `#1b2533`, `var(--color-primary)`, `1.25rem`.
    pub value: String,
    /// The comment on the same line, without `/*` and `*/` (empty when there is none).
    pub note: String,
}

/// What a colour pair must reach (WCAG 2.1 AA, 1.4.3 and 1.4.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Body text: 4.5:1.
    Text,
    /// Large text (24 px, or 18.66 px bold): 3:1.
    Large,
    /// Parts of controls and graphics (borders of fields, the focus ring): 3:1.
    Ui,
}

impl Use {
    fn parse(word: &str) -> Option<Use> {
        match word {
            "text" => Some(Use::Text),
            "large" => Some(Use::Large),
            "ui" => Some(Use::Ui),
            _ => None,
        }
    }

    /// The lowest ratio AA allows for this use.
    pub fn minimum(self) -> f64 {
        match self {
            Use::Text => 4.5,
            Use::Large | Use::Ui => 3.0,
        }
    }

    /// The Fluent id of the use's name, for the style guide.
    pub fn label_key(self) -> &'static str {
        match self {
            Use::Text => "styleguide-use-text",
            Use::Large => "styleguide-use-large",
            Use::Ui => "styleguide-use-ui",
        }
    }

    /// The word in the stylesheet (`text`, `large`, `ui`).
    pub fn word(self) -> &'static str {
        match self {
            Use::Text => "text",
            Use::Large => "large",
            Use::Ui => "ui",
        }
    }
}

/// A foreground on a background, as documented in the stylesheet and as computed.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub foreground: String,
    pub background: String,
    /// The tokens' values after following `var(…)`, as `#rrggbb`.
    pub foreground_hex: String,
    pub background_hex: String,
    /// The ratio written in the stylesheet.
    pub written: f64,
    /// The ratio computed from the colours.
    pub ratio: f64,
    pub usage: Use,
}

impl Pair {
    /// Whether the pair reaches AA for its use.
    pub fn passes(&self) -> bool {
        self.ratio >= self.usage.minimum()
    }

    /// The computed ratio as people read it: "7.53:1".
    pub fn ratio_text(&self) -> String {
        format!("{:.2}:1", self.ratio)
    }
}

/// The `:root { … }` block of `css` (the first one), without the braces.
fn root_block(css: &str) -> &str {
    let Some(start) = css.find(":root {") else {
        return "";
    };
    let body = &css[start + ":root {".len()..];
    // The block's own comments hold no braces, so the first closing brace ends it.
    match body.find('}') {
        Some(end) => &body[..end],
        None => body,
    }
}

/// The custom properties of the `:root` block, in order.
pub fn tokens(css: &str) -> Vec<Token> {
    root_block(css)
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            if !line.starts_with("--") {
                return None;
            }
            let (name, rest) = line.split_once(':')?;
            let (value, after) = rest.split_once(';')?;
            let note = after
                .trim()
                .trim_start_matches("/*")
                .trim_end_matches("*/")
                .trim();
            Some(Token {
                name: name.trim().to_string(),
                value: value.trim().to_string(),
                note: note.to_string(),
            })
        })
        .collect()
}

/// The value of `name`, following `var(--other)` (at most a few steps, so a cycle ends).
pub fn resolve<'a>(tokens: &'a [Token], name: &str) -> Option<&'a str> {
    let mut name = name;
    for _ in 0..8 {
        let token = tokens.iter().find(|t| t.name == name)?;
        match token
            .value
            .strip_prefix("var(")
            .and_then(|v| v.strip_suffix(')'))
        {
            Some(next) => name = next.trim(),
            None => return Some(&token.value),
        }
    }
    None
}

/// `#rrggbb` as three channels.
pub fn parse_hex(value: &str) -> Option<[u8; 3]> {
    let hex = value.strip_prefix('#')?;
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// Relative luminance (WCAG 2.1).
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// The contrast ratio of two colours (1 to 21), in either order.
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (light, dark) = if la >= lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

/// The documented pairs of `css`, computed. A line that looks like a pair but cannot be read,
/// or names a token that is not a colour, is an error: a typo must not drop a check silently.
pub fn pairs(css: &str) -> Result<Vec<Pair>, String> {
    let tokens = tokens(css);
    let mut pairs = Vec::new();
    for line in root_block(css).lines() {
        let Some(rest) = line
            .trim()
            .trim_start_matches('*')
            .trim()
            .strip_prefix("pair:")
        else {
            continue;
        };
        let bad = || format!("cannot read the pair line `{}`", line.trim());
        let (colours, claim) = rest.split_once('=').ok_or_else(bad)?;
        let (foreground, background) = colours.trim().split_once(" on ").ok_or_else(bad)?;
        let (written, usage) = claim.trim().split_once(":1 ").ok_or_else(bad)?;
        let written: f64 = written.trim().parse().map_err(|_| bad())?;
        let usage = Use::parse(usage.trim()).ok_or_else(bad)?;
        let hex = |name: &str| {
            resolve(&tokens, name)
                .and_then(|value| parse_hex(value).map(|rgb| (value.to_string(), rgb)))
                .ok_or_else(|| format!("{name} in `{}` is not a #rrggbb colour token", line.trim()))
        };
        let (foreground_hex, fg) = hex(foreground.trim())?;
        let (background_hex, bg) = hex(background.trim())?;
        pairs.push(Pair {
            foreground: foreground.trim().to_string(),
            background: background.trim().to_string(),
            foreground_hex,
            background_hex,
            written,
            ratio: contrast(fg, bg),
            usage,
        });
    }
    Ok(pairs)
}

/// The colour tokens (`--color-*`) with their resolved `#rrggbb` value.
pub fn colours(css: &str) -> Vec<(Token, String)> {
    let tokens = tokens(css);
    tokens
        .iter()
        .filter(|t| t.name.starts_with("--color-"))
        .filter_map(|t| {
            let hex = resolve(&tokens, &t.name)?;
            parse_hex(hex)?;
            Some((t.clone(), hex.to_string()))
        })
        .collect()
}

/// Everything wrong with the colour tokens of `css`: a pair below AA, a written ratio that is
/// not the computed one (to two decimals), a colour token in no pair and not marked
/// decorative, a colour token that is not `#rrggbb`. Empty when all holds.
pub fn problems(css: &str) -> Vec<String> {
    let pairs = match pairs(css) {
        Ok(pairs) => pairs,
        Err(error) => return vec![error],
    };
    let mut problems = Vec::new();
    if pairs.is_empty() {
        problems.push("no colour pairs are documented in :root".to_string());
    }
    for pair in &pairs {
        if !pair.passes() {
            problems.push(format!(
                "{} on {} is {:.2}:1, below the {}:1 that {} needs",
                pair.foreground,
                pair.background,
                pair.ratio,
                pair.usage.minimum(),
                pair.usage.word()
            ));
        }
        if (pair.written - pair.ratio).abs() > 0.006 {
            problems.push(format!(
                "{} on {} is written as {}:1 but is {:.2}:1",
                pair.foreground, pair.background, pair.written, pair.ratio
            ));
        }
    }
    let tokens = tokens(css);
    for token in tokens.iter().filter(|t| t.name.starts_with("--color-")) {
        if resolve(&tokens, &token.name).and_then(parse_hex).is_none() {
            problems.push(format!("{} is not a #rrggbb colour", token.name));
            continue;
        }
        let paired = pairs
            .iter()
            .any(|p| p.foreground == token.name || p.background == token.name);
        if !paired && !token.note.starts_with("decorative") {
            problems.push(format!(
                "{} is in no documented pair (add one, or mark it /* decorative: … */)",
                token.name
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheets_colour_pairs_reach_wcag_aa_as_documented() {
        let problems = problems(STYLESHEET);
        assert!(
            problems.is_empty(),
            "steden.css colour tokens:\n{}",
            problems.join("\n")
        );
        // The list is the real one, not an empty block that passes by having nothing.
        let pairs = pairs(STYLESHEET).unwrap();
        assert!(pairs.len() >= 20, "{} pairs", pairs.len());
        for name in [
            "--color-text",
            "--color-primary",
            "--color-error",
            "--color-focus",
        ] {
            assert!(
                pairs.iter().any(|p| p.foreground == name),
                "{name} is checked as a foreground"
            );
        }
    }

    #[test]
    fn the_contrast_ratio_is_wcags() {
        assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        assert!((contrast([255, 255, 255], [255, 255, 255]) - 1.0).abs() < 1e-9);
        // #767676 is the well-known lightest grey that passes on white; #777777 fails.
        let white = [255, 255, 255];
        assert!(contrast(parse_hex("#767676").unwrap(), white) >= 4.5);
        assert!(contrast(parse_hex("#777777").unwrap(), white) < 4.5);
    }

    const SAMPLE: &str = ":root {
  /*
   * pair: --color-grey on --color-bg = 4.48:1 text
   * pair: --color-line on --color-bg = 4.48:1 ui
   */
  --color-bg: #ffffff;
  --color-grey: #777777;
  --color-line: var(--color-grey); /* a control's border */
  --color-band: #abcdef;           /* decorative: a band */
  --color-new: #123456;
  --space-1: 0.25rem;
}
.x { color: red; }";

    #[test]
    fn a_token_that_breaks_contrast_is_a_problem() {
        let problems = problems(SAMPLE);
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("--color-grey on --color-bg is 4.48:1, below the 4.5:1")),
            "{problems:?}"
        );
        // The same colour as a control border reaches the 3:1 for UI parts, through var().
        assert!(
            !problems.iter().any(|p| p.starts_with("--color-line on")),
            "{problems:?}"
        );
        // A colour in no pair must be checked or said to be decorative.
        assert!(problems
            .iter()
            .any(|p| p.starts_with("--color-new is in no documented pair")));
        assert!(!problems.iter().any(|p| p.starts_with("--color-band")));
    }

    #[test]
    fn a_wrongly_written_ratio_or_unreadable_pair_is_a_problem() {
        let wrong = SAMPLE.replace("4.48:1 ui", "5.10:1 ui");
        assert!(problems(&wrong)
            .iter()
            .any(|p| p == "--color-line on --color-bg is written as 5.1:1 but is 4.48:1"));
        let typo = SAMPLE.replace("--color-line on", "--color-lijn on");
        assert!(
            problems(&typo)[0].contains("--color-lijn"),
            "{:?}",
            problems(&typo)
        );
        let garbled = SAMPLE.replace("= 4.48:1 ui", "4.48 ui");
        assert!(problems(&garbled)[0].starts_with("cannot read the pair line"));
    }

    #[test]
    fn tokens_are_read_with_their_notes_and_resolved() {
        let tokens = tokens(SAMPLE);
        assert_eq!(tokens.len(), 6);
        assert_eq!(tokens[2].note, "a control's border");
        assert_eq!(resolve(&tokens, "--color-line"), Some("#777777"));
        assert_eq!(resolve(&tokens, "--space-1"), Some("0.25rem"));
        assert_eq!(resolve(&tokens, "--nothing"), None);
        assert_eq!(colours(SAMPLE).len(), 5);
    }
}
