//! The module's interface texts: they load together with the shell's (no id twice), and every
//! Dutch message has an English twin.

#[test]
fn every_dutch_message_has_an_english_twin_and_no_id_is_defined_twice() {
    steden_testkit::assert_english_twins(steden_plan::translations(), Vec::new());
}
