//! The origins a city allows to frame its embeds. An origin is `https://host[:port]`: only
//! https, so that no page whose content a network can change frames the figures; no path,
//! query or wildcard, because `frame-ancestors` compares origins and a city names the sites it
//! runs. Stored normalised (lower case, no default port, no trailing slash), so a duplicate is
//! recognised whatever the spelling.

/// The most origins one organisation may list (a header has to stay small).
pub const MAX_PER_ORGANISATION: usize = 50;

/// `text` as a normalised origin, or a Dutch reason why it is none.
pub fn normalise(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Vul een oorsprong in, bijvoorbeeld https://www.gent.be.".into());
    }
    let lower = text.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("https://") else {
        return Err(
            "Alleen https-oorsprongen zijn toegelaten: begin met https:// (bijvoorbeeld https://www.gent.be)."
                .into(),
        );
    };
    // One trailing slash is how browsers show an origin; anything after it is a path.
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains(['/', '?', '#']) {
        return Err(
            "Een oorsprong heeft geen pad, zoekvraag of anker: alleen https://host of https://host:poort."
                .into(),
        );
    }
    if rest.contains('@') {
        return Err("Een oorsprong bevat geen gebruikersnaam of wachtwoord.".into());
    }
    if rest.contains('*') {
        return Err(
            "Jokertekens (*) zijn niet toegelaten: geef elke website afzonderlijk op.".into(),
        );
    }
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    if !valid_host(host) {
        return Err(format!(
            "'{}' is geen geldige hostnaam (letters, cijfers, koppeltekens en punten).",
            shorten(host)
        ));
    }
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n >= 1 && p.chars().all(|c| c.is_ascii_digit()) => Some(n),
            _ => return Err("De poort is een getal van 1 tot 65535.".into()),
        },
    };
    Ok(match port {
        None | Some(443) => format!("https://{host}"),
        Some(port) => format!("https://{host}:{port}"),
    })
}

fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

fn shorten(text: &str) -> String {
    let mut out: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// The `frame-ancestors` sources of an embed: this site, and the listed origins (already
/// normalised; anything else is left out, so a bad row can never break or widen the header).
pub fn frame_ancestors(origins: &[String]) -> String {
    let mut sources = vec!["'self'".to_string()];
    for origin in origins {
        if normalise(origin).as_deref() == Ok(origin.as_str()) && !sources.contains(origin) {
            sources.push(origin.clone());
        }
    }
    sources.join(" ")
}

/// The shell's Content-Security-Policy with `frame-ancestors` set to `ancestors` (everything
/// else exactly as strict as on every other page).
pub fn content_security_policy(ancestors: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised() {
        for (text, origin) in [
            ("https://www.gent.be", "https://www.gent.be"),
            ("  HTTPS://WWW.Gent.BE/ ", "https://www.gent.be"),
            ("https://data.gent.be:8443", "https://data.gent.be:8443"),
            ("https://data.gent.be:443", "https://data.gent.be"),
            ("https://intranet", "https://intranet"),
        ] {
            assert_eq!(normalise(text).as_deref(), Ok(origin), "{text}");
        }
    }

    #[test]
    fn what_is_no_https_origin_is_refused_in_dutch() {
        for (text, words) in [
            ("", "Vul een oorsprong in"),
            ("http://www.gent.be", "Alleen https"),
            ("www.gent.be", "Alleen https"),
            ("https://www.gent.be/cijfers", "geen pad"),
            ("https://www.gent.be?x=1", "geen pad"),
            ("https://*.gent.be", "Jokertekens"),
            ("https://jan:geheim@gent.be", "gebruikersnaam"),
            ("https://gent..be", "geen geldige hostnaam"),
            ("https://-gent.be", "geen geldige hostnaam"),
            ("https://gent.be;script-src", "geen geldige hostnaam"),
            ("https://gent.be 'unsafe-inline'", "geen geldige hostnaam"),
            ("https://gent.be:0", "De poort"),
            ("https://gent.be:70000", "De poort"),
            ("https://gent.be:+80", "De poort"),
            ("https://gent.be:", "De poort"),
        ] {
            let error = normalise(text).expect_err(text);
            assert!(error.contains(words), "{text}: {error}");
        }
    }

    #[test]
    fn the_ancestors_are_self_and_the_valid_listed_origins() {
        assert_eq!(frame_ancestors(&[]), "'self'");
        let listed = [
            "https://www.gent.be".to_string(),
            "https://data.gent.be:8443".to_string(),
            "https://www.gent.be".to_string(),
            "https://x.be; script-src *".to_string(),
        ];
        assert_eq!(
            frame_ancestors(&listed),
            "'self' https://www.gent.be https://data.gent.be:8443"
        );
        assert!(content_security_policy("'self'").ends_with("frame-ancestors 'self'"));
    }
}
