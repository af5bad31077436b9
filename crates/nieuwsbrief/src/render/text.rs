//! The plain-text part of a mail, written from the same sections as the HTML (not converted
//! from it): the subject, each section's title underlined, items as title, summary and
//! address on their own lines, Markdown as its text (links as "text (address)"), and the
//! footer with the recipient's two links (the slots of [`crate::frozen`]).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::context::absolute;
use super::MailInput;
use crate::frozen::{self, freeze_input};
use crate::store::content::{BlockKind, Section};

/// The text part of the mail.
pub fn render(input: &MailInput<'_>, sections: &[Section], base_url: &str) -> String {
    let mut out = String::new();
    let subject = freeze_input(input.subject);
    out.push_str(&subject);
    out.push('\n');
    out.push_str(&"=".repeat(subject.chars().count().clamp(3, 72)));
    out.push_str("\n\n");
    let preheader = freeze_input(input.preheader);
    if !preheader.trim().is_empty() {
        out.push_str(preheader.trim());
        out.push_str("\n\n");
    }
    for section in sections {
        let title = freeze_input(&section.title);
        out.push_str(&title);
        out.push('\n');
        out.push_str(&"-".repeat(title.chars().count().clamp(3, 72)));
        out.push_str("\n\n");
        for block in &section.blocks {
            match block.kind {
                BlockKind::Item => {
                    for line in [&block.title, &block.summary] {
                        let line = freeze_input(line);
                        if !line.trim().is_empty() {
                            out.push_str(line.trim());
                            out.push('\n');
                        }
                    }
                    out.push_str(&absolute(base_url, &freeze_input(&block.url)));
                    out.push_str("\n\n");
                }
                BlockKind::Markdown => {
                    let text = markdown_text(&freeze_input(&block.markdown), base_url);
                    if !text.is_empty() {
                        out.push_str(&text);
                        out.push_str("\n\n");
                    }
                }
            }
        }
    }
    let (preferences, unsubscribe) = match input.lang {
        "en" => ("Change your preferences", "Unsubscribe"),
        _ => ("Je voorkeuren aanpassen", "Afmelden"),
    };
    out.push_str("--\n");
    out.push_str(&format!("{preferences}: {}\n", frozen::PREFERENCES_URL));
    out.push_str(&format!("{unsubscribe}: {}\n", frozen::UNSUBSCRIBE_URL));
    out
}

/// Markdown as readable text: paragraphs and headings separated by a blank line, list items
/// with "- ", links as "text (address)", images as their alt text. Raw HTML in the Markdown is
/// left out (the HTML part sanitises it; here it would be noise).
pub fn markdown_text(markdown: &str, base_url: &str) -> String {
    let mut out = String::new();
    let mut links: Vec<String> = Vec::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Item) => out.push_str("- "),
            Event::End(TagEnd::Item) => push_break(&mut out, "\n"),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock) => {
                push_break(&mut out, "\n\n")
            }
            Event::End(TagEnd::List(_)) => push_break(&mut out, "\n\n"),
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = links.pop() {
                    out.push_str(&format!(" ({})", absolute(base_url, &url)));
                }
            }
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Ends the current line or paragraph with `ending` (not twice).
fn push_break(out: &mut String, ending: &str) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.ends_with(ending) {
        let trimmed = out.trim_end_matches('\n').len();
        out.truncate(trimmed);
        out.push_str(ending);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_text_with_its_links() {
        let text = markdown_text(
            "# Titel\n\nEen *zin* met [een link](/kennisbank/x).\n\n- een\n- twee\n",
            "https://steden.test",
        );
        assert_eq!(
            text,
            "Titel\n\nEen zin met een link (https://steden.test/kennisbank/x).\n\n- een\n- twee"
        );
    }
}
