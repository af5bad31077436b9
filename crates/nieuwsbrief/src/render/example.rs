//! The example newsletter the template editor shows its preview with, and a save renders to
//! check the template: two sections, items with and without an image, and a Markdown block.

use super::MailInput;
use crate::store::content::{Block, BlockKind, Section};

fn item(id: &str, title: &str, summary: &str, url: &str, image: Option<(&str, &str)>) -> Block {
    Block {
        id: id.into(),
        section_id: String::new(),
        position: 0,
        kind: BlockKind::Item,
        source_module: None,
        source_id: None,
        title: title.into(),
        summary: summary.into(),
        url: url.into(),
        image_url: image.map(|(url, _)| url.to_string()),
        image_alt: image.map(|(_, alt)| alt.to_string()).unwrap_or_default(),
        markdown: String::new(),
    }
}

fn section(id: &str, title: &str, blocks: Vec<Block>) -> Section {
    Section {
        id: id.into(),
        position: 0,
        title: title.into(),
        blocks: blocks
            .into_iter()
            .map(|block| Block {
                section_id: id.into(),
                ..block
            })
            .collect(),
    }
}

/// What the preview of a template shows.
pub fn example() -> (MailInput<'static>, Vec<Section>) {
    let input = MailInput {
        lang: "nl",
        subject: "Nieuwsbrief december: slimme steden en klimaat",
        preheader: "Het nieuws van het Kenniscentrum, de agenda en drie nieuwe rapporten.",
    };
    let sections = vec![
        section(
            "voorbeeld-aankondigingen",
            "Aankondigingen",
            vec![
                item(
                    "v1",
                    "Werkgroep Smart Cities: volgende bijeenkomst",
                    "We bespreken de slimme verlichting in Kortrijk en de nieuwe subsidies.",
                    "/werkgroepen",
                    Some((
                        "/static/favicon.svg",
                        "Deelnemers van de werkgroep rond een tafel",
                    )),
                ),
                item(
                    "v2",
                    "Oproep: goede praktijken rond klimaatadaptatie",
                    "Deel je project voor de kennisbank vóór 15 januari.",
                    "/kennisbank",
                    None,
                ),
            ],
        ),
        section(
            "voorbeeld-kennis",
            "Kennis",
            vec![Block {
                kind: BlockKind::Markdown,
                markdown: "Het **jaarrapport** is klaar. Lees het in de \
                           [kennisbank](/kennisbank) of bekijk de \
                           [samenvatting](/kennisbank/zoeken?q=jaarrapport).\n\n\
                           - 13 steden\n- 6 thema's"
                    .into(),
                ..item("v3", "", "", "", None)
            }],
        ),
    ];
    (input, sections)
}
