//! The module's interface texts: they load together with the shell's and the lower modules'
//! (no id twice), and every Dutch message has an English twin.

use steden_web::i18n::{Catalog, Lang};

#[test]
fn every_dutch_message_has_an_english_twin_and_no_id_is_defined_twice() {
    steden_testkit::assert_english_twins(
        steden_werkgroepen::translations(),
        [
            steden_plan::translations(),
            steden_kennisbank::translations(),
        ]
        .concat(),
    );
}

#[test]
fn every_value_of_the_fixed_lists_has_a_label() {
    use steden_werkgroepen::model::{Cadence, GroupKind, MemberRole, MemberStatus, Visibility};
    let catalog = Catalog::build(&steden_werkgroepen::translations()).unwrap();
    let keys = Cadence::ALL
        .iter()
        .map(|v| v.label_key())
        .chain(GroupKind::ALL.iter().map(|v| v.label_key()))
        .chain(Visibility::ALL.iter().map(|v| v.label_key()))
        .chain(MemberRole::ALL.iter().map(|v| v.label_key()))
        .chain(MemberStatus::ALL.iter().map(|v| v.label_key()));
    for key in keys {
        assert!(catalog.has(Lang::Nl, &key), "no Dutch label {key}");
    }
}
