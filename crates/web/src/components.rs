//! What the design system's macros (`templates/partials/components.html`) need from Rust: the
//! tabs' data and the icon of a tone. See docs/DESIGN.md.

use crate::page::PageContext;

/// The tones of tags and alerts. A template passes the word; the stylesheet has a class for each.
pub const TONES: [&str; 5] = ["info", "success", "warning", "error", "neutral"];

/// One tab of `{% call c::tabs(label, tabs) %}`: a view of one thing, as its own page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tab {
    pub label: String,
    pub href: String,
    pub current: bool,
    /// A number shown after the label (open items, results), when it helps choosing.
    pub count: Option<i64>,
}

impl Tab {
    pub fn new(label: impl Into<String>, href: impl Into<String>, current: bool) -> Tab {
        Tab {
            label: label.into(),
            href: href.into(),
            current,
            count: None,
        }
    }

    pub fn with_count(mut self, count: i64) -> Tab {
        self.count = Some(count);
        self
    }
}

/// The sprite icon a tone shows when the template names none: its own for info, success,
/// warning and error; a plain circle for neutral (and for a word that is no tone).
pub fn tone_icon_id<'a>(tone: &str, icon: &'a str) -> &'a str {
    if !icon.is_empty() {
        return icon;
    }
    match tone {
        "info" => "info",
        "success" => "success",
        "warning" => "warning",
        "error" => "error",
        _ => "circle",
    }
}

impl PageContext {
    /// The icon URL for a tag or alert of `tone` (`icon` when not empty), for
    /// `<use href="{{ ctx.tone_icon(tone, icon) }}">`.
    pub fn tone_icon(&self, tone: &str, icon: &str) -> String {
        crate::assets::icon(tone_icon_id(tone, icon))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_tone_has_an_icon_of_the_sprite_and_a_class_of_the_stylesheet() {
        let sprite = include_str!("../assets/icons.svg");
        let css = crate::design_tokens::STYLESHEET;
        for tone in TONES {
            let id = tone_icon_id(tone, "");
            assert!(sprite.contains(&format!("id=\"{id}\"")), "{tone}: {id}");
            assert!(css.contains(&format!(".tag-{tone}")), "{tone}: .tag-{tone}");
            if tone != "neutral" {
                assert!(css.contains(&format!(".alert-{tone}")), ".alert-{tone}");
            }
        }
        assert_eq!(tone_icon_id("success", "check"), "check");
    }
}
