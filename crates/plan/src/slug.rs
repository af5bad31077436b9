//! Stable slugs for items: the public site addresses programmes and werksporen by them, so that
//! `/programmas/smart-cities` means the same programme from one year to the next (codes are
//! renumbered when a plan changes; a slug is given once, kept when the item is retitled, copied
//! with the plan to the next period and kept by an import that matches the item).
//!
//! A slug is unique among an item's siblings (URLs name the programme, then the werkspoor).
//! Items stored before slugs existed have none (''); for them the slug of their title is used
//! ([`effective`]), and it is stored as soon as the plan is copied or imported into.

use std::collections::HashSet;

/// Lower-case ASCII letters and digits joined by hyphens ("Smart Cities – België" →
/// "smart-cities-belgie"); "item" when nothing is left.
pub fn slugify(title: &str) -> String {
    let mut out = steden_core::slug::slug_words(title);
    // Long titles give long URLs: keep the first words, up to 60 characters.
    if out.len() > 60 {
        let cut = out[..60].rfind('-').unwrap_or(60);
        out.truncate(cut);
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "item".to_string()
    } else {
        out
    }
}

/// `base`, or `base-2`, `base-3`, … whichever is not `taken` yet; the result is added to `taken`.
pub fn unique(base: &str, taken: &mut HashSet<String>) -> String {
    if taken.insert(base.to_string()) {
        return base.to_string();
    }
    let mut n = 2;
    loop {
        let candidate = format!("{base}-{n}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// The slugs of one parent's children, given as (stored slug, title) in position order: the
/// stored slug where there is one, else a new one from the title that no sibling has.
pub fn effective<'a>(siblings: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    let siblings: Vec<(&str, &str)> = siblings.into_iter().collect();
    let mut taken: HashSet<String> = siblings
        .iter()
        .filter(|(slug, _)| !slug.is_empty())
        .map(|(slug, _)| slug.to_string())
        .collect();
    siblings
        .iter()
        .map(|(slug, title)| {
            if slug.is_empty() {
                unique(&slugify(title), &mut taken)
            } else {
                slug.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plain_and_unique_among_siblings() {
        assert_eq!(slugify("Smart Cities – België"), "smart-cities-belgie");
        assert_eq!(slugify("…"), "item");
        let slugs = effective([("", "Klimaat"), ("klimaat", "Oud"), ("", "Klimaat")]);
        assert_eq!(slugs, ["klimaat-2", "klimaat", "klimaat-3"]);
    }
}
