//! Interface text from Fluent translation files: Dutch (nl-BE) first, English second.
//! Every crate brings its own `.ftl` files (see [`crate::Module::translations`]); they are
//! combined at start-up into one [`Catalog`], and a duplicate message id is a start-up error.

use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// The interface languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// The BCP 47 tag, as used in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Nl => "nl-BE",
            Lang::En => "en",
        }
    }

    /// The Open Graph locale (`og:locale`).
    pub fn og_locale(self) -> &'static str {
        match self {
            Lang::Nl => "nl_BE",
            Lang::En => "en_GB",
        }
    }

    /// A short code as used in the language cookie and switcher.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        if code.starts_with("nl") {
            Some(Lang::Nl)
        } else if code.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// One Fluent source for one language.
#[derive(Debug, Clone, Copy)]
pub struct Translation {
    pub lang: Lang,
    /// Where it came from, for error messages.
    pub origin: &'static str,
    pub source: &'static str,
}

/// A module's translations: for each file name, the Dutch file under `locales/nl-BE/` and its
/// English twin under `locales/en/`, embedded from the calling crate's directory.
///
/// ```text
/// fn translations(&self) -> Vec<Translation> {
///     steden_web::translations!("plan": "plan.ftl", "indicators.ftl")
/// }
/// ```
#[macro_export]
macro_rules! translations {
    ($module:literal : $($file:literal),+ $(,)?) => {
        vec![
            $($crate::i18n::Translation {
                lang: $crate::i18n::Lang::Nl,
                origin: concat!($module, "/locales/nl-BE/", $file),
                source: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/nl-BE/", $file)),
            },)+
            $($crate::i18n::Translation {
                lang: $crate::i18n::Lang::En,
                origin: concat!($module, "/locales/en/", $file),
                source: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/en/", $file)),
            },)+
        ]
    };
}

/// The shell's own translations: one file per area of the shell, per language.
pub fn shell_translations() -> Vec<Translation> {
    crate::translations!("web": "shell.ftl", "accounts.ftl", "jobs.ftl", "admin.ftl", "api.ftl", "ops.ftl", "styleguide.ftl")
}

/// All interface text, per language.
pub struct Catalog {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Catalog")
    }
}

impl Catalog {
    /// Builds the catalog; fails on a syntax error or a message id defined twice.
    pub fn build(translations: &[Translation]) -> Result<Catalog, String> {
        let mut bundles = HashMap::new();
        for lang in Lang::ALL {
            let id: LanguageIdentifier = lang.tag().parse().expect("valid language tag");
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // No Unicode isolation marks around arguments: they would end up in HTML and CSV.
            bundle.set_use_isolating(false);
            for t in translations.iter().filter(|t| t.lang == lang) {
                let resource = FluentResource::try_new(t.source.to_string())
                    .map_err(|(_, errors)| format!("{}: {errors:?}", t.origin))?;
                bundle
                    .add_resource(resource)
                    .map_err(|errors| format!("{}: {errors:?}", t.origin))?;
            }
            bundles.insert(lang, bundle);
        }
        Ok(Catalog { bundles })
    }

    /// The text of `key` in `lang`; falls back to Dutch, then to the key itself (so that a
    /// missing translation is visible rather than an empty space).
    pub fn text(&self, lang: Lang, key: &str) -> String {
        self.format(lang, key, None)
    }

    /// The text of `key` with named arguments.
    pub fn text_with(&self, lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(*value));
        }
        self.format(lang, key, Some(&fluent_args))
    }

    fn format(&self, lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
        for candidate in [lang, Lang::Nl] {
            if let Some(bundle) = self.bundles.get(&candidate) {
                if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
                    let mut errors = Vec::new();
                    return bundle
                        .format_pattern(pattern, args, &mut errors)
                        .into_owned();
                }
            }
        }
        key.to_string()
    }

    /// Whether `key` exists in `lang` itself (for tests that check completeness).
    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundles
            .get(&lang)
            .is_some_and(|bundle| bundle.has_message(key))
    }
}

/// The language of a request: the one the user chose with the language switch (the `lang`
/// cookie), else Dutch. The browser's `Accept-Language` is not followed: the platform's content
/// is Dutch, so an English-language browser gets the Dutch interface around it unless the
/// user asks for English.
pub fn lang_of(parts: &axum::http::request::Parts) -> Lang {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().strip_prefix("lang="))
        .find_map(Lang::from_code)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_translations_load_and_fall_back() {
        let catalog = Catalog::build(&shell_translations()).unwrap();
        assert_eq!(catalog.text(Lang::Nl, "site-name"), "Stedenplatform");
        assert_eq!(catalog.text(Lang::Nl, "does-not-exist"), "does-not-exist");
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let twice = [
            Translation {
                lang: Lang::Nl,
                origin: "a",
                source: "x = een\n",
            },
            Translation {
                lang: Lang::Nl,
                origin: "b",
                source: "x = twee\n",
            },
        ];
        assert!(Catalog::build(&twice).is_err());
    }

    #[test]
    fn arguments_are_filled_in() {
        let source = [Translation {
            lang: Lang::Nl,
            origin: "a",
            source: "hallo = Dag { $naam }!\n",
        }];
        let catalog = Catalog::build(&source).unwrap();
        assert_eq!(
            catalog.text_with(Lang::Nl, "hallo", &[("naam", "An")]),
            "Dag An!"
        );
    }

    #[test]
    fn every_dutch_message_has_an_english_twin() {
        let catalog = Catalog::build(&shell_translations()).unwrap();
        let dutch = shell_translations()
            .into_iter()
            .filter(|t| t.lang == Lang::Nl);
        for line in dutch.flat_map(|t| t.source.lines()) {
            if let Some((id, _)) = line.split_once(" =") {
                let id = id.trim();
                if !id.is_empty() && !id.starts_with('#') && !id.starts_with(' ') {
                    assert!(catalog.has(Lang::En, id), "no English text for {id}");
                }
            }
        }
    }
}
