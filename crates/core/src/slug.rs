//! The URL part made of a title, shared by the modules that address things by name (plan items,
//! kennisbank collections, cijfers themes); each caller adds its own length limit and fallback.

/// Lower-case ASCII letters and digits joined by single hyphens, accents dropped, no hyphen at
/// either end ("Armoede & Wonen – België" → "armoede-wonen-belgie"); empty when nothing is left.
pub fn slug_words(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            'ÿ' | 'ý' => 'y',
            other => other,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::slug_words;

    #[test]
    fn accents_go_and_separators_become_one_hyphen() {
        assert_eq!(
            slug_words("Armoede & Wonen – België"),
            "armoede-wonen-belgie"
        );
        assert_eq!(slug_words("  --Ça va!  "), "ca-va");
        assert_eq!(slug_words("&&&"), "");
    }
}
