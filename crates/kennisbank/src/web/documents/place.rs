//! The document form's programme and werkspoor: two selects filled from the published plans
//! (grouped by plan and by programme), so an editor chooses instead of typing. They work
//! without JavaScript; the store checks that the werkspoor belongs to the programme.

use steden_web::page::PageContext;
use steden_web::Choice;

use crate::structure::Structure;

/// The options of one `<optgroup>`.
pub(super) struct ChoiceGroup {
    pub(super) label: String,
    pub(super) options: Vec<Choice>,
}

/// The choices for the form, with `programme` and `werkspoor` as submitted (an item id, or
/// the old text of a document that is not linked).
pub(super) struct PlaceChoices {
    pub(super) programmes: Vec<ChoiceGroup>,
    pub(super) werksporen: Vec<ChoiceGroup>,
    /// The unlinked old value, offered as its own option so that saving keeps it.
    pub(super) unlinked_programme: Option<Choice>,
    pub(super) unlinked_werkspoor: Option<Choice>,
    /// No plan is published: nothing to choose from.
    pub(super) empty: bool,
}

fn period(start: &str, end: &str) -> String {
    let (start, end) = (start.get(..4).unwrap_or(start), end.get(..4).unwrap_or(end));
    if start == end {
        start.to_string()
    } else {
        format!("{start}–{end}")
    }
}

fn label(code: &str, title: &str) -> String {
    if code.trim().is_empty() {
        title.to_string()
    } else {
        format!("{code} · {title}")
    }
}

/// An option for a value that is not an item of the structure (old text), if there is one.
fn unlinked(ctx: &PageContext, structure: &Structure, value: &str) -> Option<Choice> {
    let value = value.trim();
    (!value.is_empty() && structure.item(value).is_none()).then(|| {
        Choice::new(
            value,
            ctx.t_with("kb-doc-place-unlinked-option", &[("value", value)]),
            true,
        )
    })
}

pub(super) fn choices(
    ctx: &PageContext,
    structure: &Structure,
    programme: &str,
    werkspoor: &str,
) -> PlaceChoices {
    let programme = programme.trim();
    let werkspoor = werkspoor.trim();
    let programmes = structure
        .plans
        .iter()
        .filter(|plan| plan.items.iter().any(|i| i.depth == 0))
        .map(|plan| ChoiceGroup {
            label: format!(
                "{} ({})",
                plan.title,
                period(&plan.period_start, &plan.period_end)
            ),
            options: plan
                .items
                .iter()
                .filter(|i| i.depth == 0)
                .map(|i| Choice::new(&i.id, label(&i.code, &i.title), i.id == programme))
                .collect(),
        })
        .collect();
    let werksporen = structure
        .programmes()
        .filter_map(|(plan, p)| {
            let options: Vec<Choice> = structure
                .werksporen_of(&p.id)
                .into_iter()
                .map(|w| Choice::new(&w.id, label(&w.code, &w.title), w.id == werkspoor))
                .collect();
            (!options.is_empty()).then(|| ChoiceGroup {
                label: format!(
                    "{} · {} ({})",
                    p.title,
                    plan.title,
                    period(&plan.period_start, &plan.period_end)
                ),
                options,
            })
        })
        .collect();
    PlaceChoices {
        programmes,
        werksporen,
        unlinked_programme: unlinked(ctx, structure, programme),
        unlinked_werkspoor: unlinked(ctx, structure, werkspoor),
        empty: structure.is_empty(),
    }
}
