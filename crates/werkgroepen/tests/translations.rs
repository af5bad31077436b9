//! The module's interface texts: they load together with the shell's and the lower modules'
//! (no id twice), and every Dutch message has an English twin.

use steden_web::i18n::{shell_translations, Catalog, Lang};

#[test]
fn every_dutch_message_has_an_english_twin_and_no_id_is_defined_twice() {
    let mut all = shell_translations();
    all.extend(steden_plan::translations());
    all.extend(steden_kennisbank::translations());
    all.extend(steden_werkgroepen::translations());
    let catalog = Catalog::build(&all).expect("the module's messages load with the others'");
    let mut missing = Vec::new();
    for translation in steden_werkgroepen::translations()
        .into_iter()
        .filter(|t| t.lang == Lang::Nl)
    {
        for line in translation.source.lines() {
            if let Some((id, _)) = line.split_once(" =") {
                let id = id.trim();
                if !id.is_empty()
                    && !id.starts_with('#')
                    && !line.starts_with(' ')
                    && !catalog.has(Lang::En, id)
                {
                    missing.push(format!("{} ({})", id, translation.origin));
                }
            }
        }
    }
    assert!(missing.is_empty(), "no English text for: {missing:?}");
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
