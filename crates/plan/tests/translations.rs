//! The module's interface texts: they load together with the shell's (no id twice), and every
//! Dutch message has an English twin.

use steden_web::i18n::{shell_translations, Catalog, Lang};

#[test]
fn every_dutch_message_has_an_english_twin_and_no_id_is_defined_twice() {
    let mut all = shell_translations();
    all.extend(steden_plan::translations());
    let catalog = Catalog::build(&all).expect("the plan module's messages load with the shell's");
    let mut missing = Vec::new();
    for translation in steden_plan::translations()
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
