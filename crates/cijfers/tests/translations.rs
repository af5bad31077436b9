//! The module's interface texts: they load together with the shell's (no id twice), and every
//! Dutch message has an English twin; every fixed value has a label.

use steden_web::i18n::{Catalog, Lang};

#[test]
fn every_dutch_message_has_an_english_twin_and_no_id_is_defined_twice() {
    steden_testkit::assert_english_twins(steden_cijfers::translations(), Vec::new());
}

#[test]
fn every_value_of_the_fixed_lists_has_a_label() {
    use steden_cijfers::model::{
        Aggregation, GeoLevel, ImportKind, ImportStatus, PeriodKind, ValueStatus,
    };
    let catalog = Catalog::build(&steden_cijfers::translations()).unwrap();
    let keys = Aggregation::ALL
        .iter()
        .map(|v| v.label_key())
        .chain(GeoLevel::ALL.iter().map(|v| v.label_key()))
        .chain(PeriodKind::ALL.iter().map(|v| v.label_key()))
        .chain(ValueStatus::ALL.iter().map(|v| v.label_key()))
        .chain(ImportKind::ALL.iter().map(|v| v.label_key()))
        .chain(ImportStatus::ALL.iter().map(|v| v.label_key()));
    for key in keys {
        assert!(catalog.has(Lang::Nl, &key), "no Dutch label {key}");
        assert!(catalog.has(Lang::En, &key), "no English label {key}");
    }
}
