//! The per-recipient slots of a frozen campaign (design §3.3).
//!
//! When a campaign is scheduled (or sent now) its HTML and text are rendered **once**, by the
//! template, with these markers where each recipient's own links go. The sending job fills them
//! by string substitution for every message: no template engine per message, and a sent
//! campaign's content cannot change afterwards because its blocks did.
//!
//! The markers cannot occur in what editors type: [`freeze_input`] removes them from every
//! text before it is rendered.

/// The recipient's preferences page (a signed `voorkeuren` link, absolute).
pub const PREFERENCES_URL: &str = "%%NB_VOORKEUREN_URL%%";
/// The recipient's unsubscribe page (a signed `afmelden` link, absolute).
pub const UNSUBSCRIBE_URL: &str = "%%NB_AFMELDEN_URL%%";

/// Every marker, for [`freeze_input`] and for checks that a frozen text holds no stray one.
pub const ALL: [&str; 2] = [PREFERENCES_URL, UNSUBSCRIBE_URL];

/// `text` without any marker: an editor cannot make the sending job put one recipient's links
/// where the template did not.
pub fn freeze_input(text: &str) -> String {
    ALL.iter()
        .fold(text.to_string(), |text, marker| text.replace(marker, ""))
}

/// The recipient's own links, as the sending job knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientLinks {
    pub preferences_url: String,
    pub unsubscribe_url: String,
}

/// `frozen` with the recipient's links in its slots. `&` in the URLs is escaped by the caller
/// for HTML (signed tokens are URL-safe base64: there is none).
pub fn fill(frozen: &str, links: &RecipientLinks) -> String {
    frozen
        .replace(PREFERENCES_URL, &links.preferences_url)
        .replace(UNSUBSCRIBE_URL, &links.unsubscribe_url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_filled_and_typed_markers_removed() {
        let typed = format!("Klik {PREFERENCES_URL} hier");
        assert_eq!(freeze_input(&typed), "Klik  hier");
        let frozen = format!("<a href=\"{PREFERENCES_URL}\">v</a> <a href=\"{UNSUBSCRIBE_URL}\">a</a>");
        let filled = fill(
            &frozen,
            &RecipientLinks {
                preferences_url: "https://x/v/1".into(),
                unsubscribe_url: "https://x/a/1".into(),
            },
        );
        assert_eq!(filled, "<a href=\"https://x/v/1\">v</a> <a href=\"https://x/a/1\">a</a>");
    }
}
