//! Rendering a campaign into its mail (design §0, §3.3; issue 14 point 2): the HTML through the
//! campaign's minijinja template, its CSS inlined by css-inline, and a plain-text part written
//! from the same sections by a text renderer ([`text`]), not by converting the HTML.
//!
//! Templates are typed by editors in the browser, so the engine is boxed in: no loader (a
//! template cannot include a file or another template), a fuel limit (a loop that does not end
//! is stopped), every value HTML-escaped unless it is the sanitised Markdown, and every text an
//! editor typed passed through [`crate::frozen::freeze_input`] so that no recipient slot can be typed.
//! A template that does not compile or render gives a Dutch message with line and column
//! ([`check`]), and is not saved.
//!
//! What comes out is a [`Rendered`] (the [`FrozenContent`] a scheduled campaign keeps): the
//! HTML and text with the per-recipient slots of [`crate::frozen`] still in them, and every link of
//! the HTML numbered in document order.

mod context;
mod example;
mod links;
pub mod text;

use minijinja::{AutoEscape, Environment, ErrorKind};
use steden_core::error::CoreResult;
use steden_core::CoreError;

use crate::store::campaigns::{Campaign, FrozenContent};
use crate::store::content::Section;

pub use example::example;

/// The result of rendering: the mail's HTML and text with the recipient slots, and its links.
pub type Rendered = FrozenContent;

/// The template a new installation starts with (stored as the default, [`crate::store::templates`]).
pub const DEFAULT_SOURCE: &str = include_str!("default.html");

/// The longest template source accepted (characters).
pub const SOURCE_MAX: usize = 100_000;

/// The work one rendering may do (minijinja's instruction count). The default template with a
/// full newsletter needs a few thousand; a loop that does not end runs out here, in well under a
/// second.
const FUEL: u64 = 1_000_000;

/// What a mail is about, beside its sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailInput<'a> {
    /// `nl` or `en`: the `lang` of the HTML and the words of the default template's footer.
    pub lang: &'a str,
    pub subject: &'a str,
    pub preheader: &'a str,
}

/// The campaign rendered with the template `source`; `base_url` makes its links absolute.
pub fn campaign(
    campaign: &Campaign,
    sections: &[Section],
    source: &str,
    base_url: &str,
) -> CoreResult<Rendered> {
    render(
        &MailInput {
            lang: campaign.language.as_str(),
            subject: &campaign.subject,
            preheader: &campaign.preheader,
        },
        sections,
        source,
        base_url,
    )
}

/// The mail of `input` and `sections` through the template `source`. A template that fails
/// gives [`CoreError::Invalid`] on the field `source` with a Dutch message.
pub fn render(
    input: &MailInput<'_>,
    sections: &[Section],
    source: &str,
    base_url: &str,
) -> CoreResult<Rendered> {
    let context = context::build(input, sections, base_url);
    let raw = render_template(source, &context).map_err(invalid)?;
    let html = inline_css(&raw).map_err(invalid)?;
    let links = links::number(&html, &context.section_urls);
    let text = text::render(input, sections, base_url);
    Ok(Rendered { html, text, links })
}

/// Whether `source` is a template that compiles and renders the example newsletter; the Dutch
/// message why not ("Het sjabloon bevat een fout op regel 3, kolom 12: …").
pub fn check(source: &str) -> CoreResult<()> {
    preview(source, "https://voorbeeld.invalid").map(|_| ())
}

/// The example newsletter ([`example`]) through `source`: what the template editor shows.
pub fn preview(source: &str, base_url: &str) -> CoreResult<Rendered> {
    let (input, sections) = example();
    render(&input, &sections, source, base_url)
}

fn invalid(message: String) -> CoreError {
    CoreError::invalid("source", &message)
}

/// Renders `source` with `context`, boxed in (no loader, fuel, HTML escaping).
fn render_template(source: &str, context: &context::Context) -> Result<String, String> {
    if source.trim().is_empty() {
        return Err("Het sjabloon is leeg.".into());
    }
    if source.chars().count() > SOURCE_MAX {
        return Err(format!(
            "Het sjabloon is te lang (hoogstens {SOURCE_MAX} tekens)."
        ));
    }
    let mut env = Environment::new();
    env.set_fuel(Some(FUEL));
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    let template = env
        .template_from_str(source)
        .map_err(|e| describe(&e, source))?;
    template
        .render(&context.value)
        .map_err(|e| describe(&e, source))
}

/// A minijinja error as the Dutch message an editor reads: where (line and column when the
/// engine knows the spot) and what.
fn describe(error: &minijinja::Error, source: &str) -> String {
    let what = match error.kind() {
        ErrorKind::SyntaxError => "de schrijfwijze klopt niet",
        ErrorKind::OutOfFuel => {
            return match error.line() {
                Some(line) => format!(
                    "Het sjabloon doet te veel werk en is afgebroken (een lus die niet stopt?), bij regel {line}."
                ),
                None => "Het sjabloon doet te veel werk en is afgebroken (een lus die niet stopt?).".into(),
            }
        }
        ErrorKind::UnknownFilter => "onbekende filter",
        ErrorKind::UnknownFunction => "onbekende functie",
        ErrorKind::UnknownTest => "onbekende test",
        ErrorKind::UnknownMethod => "onbekende methode",
        ErrorKind::UndefinedError => "een waarde die niet bestaat",
        ErrorKind::TemplateNotFound | ErrorKind::BadInclude => {
            "een sjabloon kan geen ander sjabloon of bestand invoegen"
        }
        ErrorKind::TooManyArguments | ErrorKind::MissingArgument => "verkeerd aantal argumenten",
        _ => "ongeldige bewerking",
    };
    let detail = error
        .detail()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
    match (error.line(), error.range()) {
        (Some(line), Some(range)) => {
            let column = column(source, range.start);
            format!("Het sjabloon bevat een fout op regel {line}, kolom {column}: {what}{detail}.")
        }
        (Some(line), None) => {
            format!("Het sjabloon bevat een fout op regel {line}: {what}{detail}.")
        }
        _ => format!("Het sjabloon bevat een fout: {what}{detail}."),
    }
}

/// The column (from 1, in characters) of the byte `offset` of `source`.
fn column(source: &str, offset: usize) -> usize {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    before[line_start..].chars().count() + 1
}

/// The HTML with its `<style>` rules inlined into `style` attributes (mail clients drop or
/// ignore style sheets), keeping the at-rules (the dark-mode `@media` block) in a `<style>`.
/// Nothing is fetched: a `<link>` to a style sheet is dropped, not loaded.
fn inline_css(html: &str) -> Result<String, String> {
    css_inline::CSSInliner::options()
        .keep_style_tags(false)
        .keep_link_tags(false)
        .keep_at_rules(true)
        .load_remote_stylesheets(false)
        .build()
        .inline(html)
        .map_err(|e| format!("De opmaak (CSS) van het sjabloon kan niet verwerkt worden: {e}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frozen;

    #[test]
    fn columns_count_characters_from_one() {
        assert_eq!(column("abc", 0), 1);
        assert_eq!(column("ab\ncdé{", 7), 4);
    }

    #[test]
    fn the_default_template_renders_the_example() {
        let rendered = preview(DEFAULT_SOURCE, "https://steden.test").unwrap();
        assert!(rendered.html.contains(frozen::PREFERENCES_URL));
        assert!(rendered.text.contains(frozen::UNSUBSCRIBE_URL));
        assert!(!rendered.links.is_empty());
    }
}
