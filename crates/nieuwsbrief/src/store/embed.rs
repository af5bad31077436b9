//! The setting of the embeddable subscription form: which sites may frame it
//! (`nieuwsbrief.embed_ancestors` in the core's `settings` table, the sources of its
//! Content-Security-Policy's `frame-ancestors`).

use sqlx::{Any, Executor};
use steden_core::error::CoreResult;

/// The setting's key.
pub const EMBED_ANCESTORS: &str = "nieuwsbrief.embed_ancestors";

/// Without the setting: this site and every https site. The form is public and every
/// subscription is confirmed through the mailed link, so a site that frames it can at most
/// make someone ask for a confirmation mail; only https, so that no page on plain http (whose
/// content a network can change) frames the form.
pub const DEFAULT_ANCESTORS: &str = "'self' https:";

/// Whether `source` is a `frame-ancestors` source this module accepts: `'self'`, `https:`, or
/// an https origin (`https://host[:port]`, the host optionally starting with `*.`).
pub fn valid_source(source: &str) -> bool {
    if source == "'self'" || source == "https:" {
        return true;
    }
    let Some(rest) = source.strip_prefix("https://") else {
        return false;
    };
    let host = rest.strip_prefix("*.").unwrap_or(rest);
    let (host, port) = match host.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (host, None),
    };
    !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && port.is_none_or(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// The sources that may frame the form: the setting when every source in it is valid, else
/// [`DEFAULT_ANCESTORS`] (a mistyped setting must not open the page to everyone, nor break
/// the header).
pub async fn ancestors<'e, E: Executor<'e, Database = Any>>(executor: E) -> CoreResult<String> {
    let value = super::housekeeping::setting(executor, EMBED_ANCESTORS)
        .await?
        .unwrap_or_default();
    let sources: Vec<&str> = value.split_whitespace().collect();
    if sources.is_empty() || !sources.iter().all(|s| valid_source(s)) {
        if !sources.is_empty() {
            tracing::warn!(value = %value, "{EMBED_ANCESTORS} ongeldig, standaardwaarde gebruikt");
        }
        return Ok(DEFAULT_ANCESTORS.to_string());
    }
    Ok(sources.join(" "))
}

#[cfg(test)]
mod tests {
    use super::valid_source;

    #[test]
    fn only_https_origins_self_and_the_https_scheme_are_sources() {
        for ok in [
            "'self'",
            "https:",
            "https://www.gent.be",
            "https://*.vlaamsesteden.be",
            "https://intranet.example:8443",
        ] {
            assert!(valid_source(ok), "{ok}");
        }
        for bad in [
            "*",
            "http://gent.be",
            "https://",
            "https://a.be;script-src",
            "https://a.be/pad",
            "'none' https:",
            "https://a.be:",
        ] {
            assert!(!valid_source(bad), "{bad}");
        }
    }
}
