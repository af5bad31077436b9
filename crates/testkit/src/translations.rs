//! The check every module's translations test makes: the module's messages load together
//! with the shell's and those of the modules it is loaded with (no id defined twice), and
//! every Dutch message has an English twin.

use steden_web::i18n::{shell_translations, Catalog, Lang, Translation};

/// Panics, naming the ids and files, when a Dutch message of `module` has no English twin or
/// when `module`'s messages do not load with the shell's and `loaded_with`.
pub fn assert_english_twins(module: Vec<Translation>, loaded_with: Vec<Translation>) {
    let mut all = shell_translations();
    all.extend(loaded_with);
    all.extend(module.iter().cloned());
    let catalog = Catalog::build(&all)
        .unwrap_or_else(|e| panic!("the module's messages do not load with the others': {e}"));
    let mut missing = Vec::new();
    for translation in module.iter().filter(|t| t.lang == Lang::Nl) {
        for line in translation.source.lines() {
            // A message starts a line with its id; attributes and continuations are indented.
            let Some((id, _)) = line.split_once(" =") else {
                continue;
            };
            let id = id.trim();
            if !id.is_empty()
                && !id.starts_with('#')
                && !line.starts_with(' ')
                && !catalog.has(Lang::En, id)
            {
                missing.push(format!("{id} ({})", translation.origin));
            }
        }
    }
    assert!(missing.is_empty(), "no English text for: {missing:?}");
}
