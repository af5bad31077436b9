//! The module's interface texts: they load together with the shell's and the other modules'
//! (no id twice), and every Dutch message has an English twin.

use steden_web::i18n::{shell_translations, Catalog, Lang};

#[test]
fn every_dutch_message_has_an_english_twin_and_no_id_is_defined_twice() {
    let mut all = shell_translations();
    all.extend(steden_nieuwsbrief::translations());
    let catalog = Catalog::build(&all).expect("the module's messages load with the shell's");
    let mut missing = Vec::new();
    for translation in steden_nieuwsbrief::translations()
        .into_iter()
        .filter(|t| t.lang == Lang::Nl)
    {
        for line in translation.source.lines() {
            if let Some((id, _)) = line.split_once(" =") {
                let id = id.trim();
                if !id.is_empty() && !line.starts_with(' ') && !catalog.has(Lang::En, id) {
                    missing.push(id.to_string());
                }
            }
        }
    }
    assert!(missing.is_empty(), "no English text for: {missing:?}");
}

#[test]
fn every_status_and_language_has_a_label() {
    use steden_nieuwsbrief::model::{Language, SubscriberStatus};
    let catalog = Catalog::build(&steden_nieuwsbrief::translations()).unwrap();
    for status in SubscriberStatus::ALL {
        for lang in Lang::ALL {
            assert!(catalog.has(lang, &status.label_key()), "{status:?}");
        }
    }
    for language in Language::ALL {
        assert!(catalog.has(Lang::Nl, language.label_key()));
    }
}
