//! Markdown written by editors, turned into HTML that is safe to show: pulldown-cmark renders
//! it (raw HTML in the text included), then ammonia keeps only harmless tags and attributes, so
//! that no script, event handler, style or `javascript:` link reaches a visitor.

use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// One heading level lower (h6 stays h6).
fn lower(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Safe HTML for `markdown`.
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    // The page's title is its only h1: headings in the text start one level lower.
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: lower(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level))),
        other => other,
    });
    html::push_html(&mut unsafe_html, events);
    sanitize(&unsafe_html)
}

/// Keeps harmless HTML only. Links get `rel="noopener noreferrer"`; images may only come from
/// this site (`/`), matching the Content-Security-Policy.
pub fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .add_tag_attributes("th", ["scope"])
        .add_tag_attributes("td", ["colspan", "rowspan"])
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" && !value.starts_with('/') {
                return None;
            }
            Some(value.into())
        })
        .clean(html)
        .to_string()
}

/// Plain text of `markdown` (for descriptions, feeds and search), at most `max_chars`
/// characters, cut at a word boundary.
pub fn to_plain_text(markdown: &str, max_chars: usize) -> String {
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => text.push(' '),
            _ => {}
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max_chars {
        return text;
    }
    let cut: String = text.chars().take(max_chars).collect();
    match cut.rfind(' ') {
        Some(i) if i > max_chars / 2 => format!("{}…", &cut[..i]),
        _ => format!("{cut}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown_and_removes_what_is_unsafe() {
        let html = to_html("# Titel\n\nEen **vet** woord en [link](https://example.org).\n\n<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\">klik</a>\n\n![foto](https://evil.example/x.png)");
        assert!(
            html.contains("<h2>Titel</h2>"),
            "the page title is the only h1: {html}"
        );
        assert!(html.contains("<strong>vet</strong>"), "{html}");
        assert!(html.contains("href=\"https://example.org\""), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("evil.example"), "{html}");
    }

    #[test]
    fn plain_text_is_cut_at_a_word() {
        assert_eq!(to_plain_text("Een *korte* tekst.", 100), "Een korte tekst.");
        assert_eq!(to_plain_text("woord woord woord woord", 12), "woord woord…");
    }
}
