//! The module's interface texts: they load together with the shell's and the other modules'
//! (no id twice), and every Dutch message has an English twin.

use steden_web::i18n::{Catalog, Lang};

#[test]
fn every_dutch_message_has_an_english_twin_and_no_id_is_defined_twice() {
    steden_testkit::assert_english_twins(steden_nieuwsbrief::translations(), Vec::new());
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
