//! The values a template sees. Every text an editor typed is passed through
//! [`frozen::freeze_input`] (no recipient slot can be typed) and HTML-escaped by the engine;
//! Markdown blocks arrive as the platform's sanitised HTML, marked safe. Relative addresses
//! (`/kennisbank/…`) are made absolute with the site's base URL: a mail has no page to be
//! relative to.
//!
//! | name | what |
//! |---|---|
//! | `lang` | `nl` or `en` |
//! | `subject`, `preheader` | the campaign's |
//! | `sections` | each with `id`, `title`, `blocks` |
//! | block | `kind` (`item` or `markdown`), `title`, `summary`, `url`, `image` (`url`, `alt`) or none, `html` (Markdown) |
//! | `preferences_url`, `unsubscribe_url` | the recipient's own links (slots, filled per message) |
//! | `base_url` | the site |

use minijinja::Value;

use super::MailInput;
use crate::frozen;
use crate::store::content::{BlockKind, Section};

/// The template's values, and for numbering the links the addresses each section holds.
pub(super) struct Context {
    pub value: Value,
    /// Per section (its id), the absolute addresses of its blocks and Markdown.
    pub section_urls: Vec<(String, Vec<String>)>,
}

/// `url` made absolute against `base_url` when it starts with one `/`.
pub(crate) fn absolute(base_url: &str, url: &str) -> String {
    if url.starts_with('/') && !url.starts_with("//") {
        format!("{}{url}", base_url.trim_end_matches('/'))
    } else {
        url.to_string()
    }
}

/// The platform's sanitised HTML of `markdown`, with its site-relative links and images made
/// absolute.
pub(crate) fn markdown_html(markdown: &str, base_url: &str) -> String {
    let html = steden_kennisbank::facade::render_markdown(&frozen::freeze_input(markdown));
    let base = base_url.trim_end_matches('/');
    html.replace("href=\"/", &format!("href=\"{base}/"))
        .replace("src=\"/", &format!("src=\"{base}/"))
        .replace(&format!("href=\"{base}//"), "href=\"//")
        .replace(&format!("src=\"{base}//"), "src=\"//")
}

/// The `href`s of `html` (ammonia writes them double-quoted), in order.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&amp;", "&"))
        .collect()
}

pub(super) fn build(input: &MailInput<'_>, sections: &[Section], base_url: &str) -> Context {
    let typed = |text: &str| Value::from(frozen::freeze_input(text));
    let mut section_urls = Vec::new();
    let sections: Value = sections
        .iter()
        .map(|section| {
            let mut urls = Vec::new();
            let blocks: Value = section
                .blocks
                .iter()
                .map(|block| match block.kind {
                    BlockKind::Item => {
                        let url = absolute(base_url, &frozen::freeze_input(&block.url));
                        urls.push(url.clone());
                        let image = block
                            .image_url
                            .as_deref()
                            .filter(|u| !u.trim().is_empty())
                            .map(|image_url| {
                                Value::from_pairs([
                                    (
                                        "url",
                                        Value::from(absolute(
                                            base_url,
                                            &frozen::freeze_input(image_url),
                                        )),
                                    ),
                                    ("alt", typed(&block.image_alt)),
                                ])
                            });
                        Value::from_pairs([
                            ("kind", Value::from("item")),
                            ("title", typed(&block.title)),
                            ("summary", typed(&block.summary)),
                            ("url", Value::from(url)),
                            ("image", Value::from(image)),
                            ("html", Value::from("")),
                        ])
                    }
                    BlockKind::Markdown => {
                        let html = markdown_html(&block.markdown, base_url);
                        urls.extend(hrefs(&html));
                        Value::from_pairs([
                            ("kind", Value::from("markdown")),
                            ("title", Value::from("")),
                            ("summary", Value::from("")),
                            ("url", Value::from("")),
                            ("image", Value::from(())),
                            ("html", Value::from_safe_string(html)),
                        ])
                    }
                })
                .collect();
            section_urls.push((section.id.clone(), urls));
            Value::from_pairs([
                ("id", Value::from(section.id.clone())),
                ("title", typed(&section.title)),
                ("blocks", blocks),
            ])
        })
        .collect();
    let value = Value::from_pairs([
        ("lang", Value::from(input.lang)),
        ("subject", typed(input.subject)),
        ("preheader", typed(input.preheader)),
        ("sections", sections),
        ("preferences_url", Value::from(frozen::PREFERENCES_URL)),
        ("unsubscribe_url", Value::from(frozen::UNSUBSCRIBE_URL)),
        ("base_url", Value::from(base_url.trim_end_matches('/'))),
    ]);
    Context {
        value,
        section_urls,
    }
}
