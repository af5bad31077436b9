//! Tests on the real jaarplan text (../shared/seeds, beside the repository), on a "next year"
//! variant made from it, on malformed input and on mangled input (no panic).

use super::*;

/// The repository lives at <x>/main with shared/ beside it (also in CI).
const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/seeds/000_36870990a2a15f1c.txt"
);

fn seed() -> String {
    std::fs::read_to_string(SEED).unwrap_or_else(|e| {
        panic!("the jaarplan seed text is missing at {SEED} ({e}); shared/ must sit beside the repository")
    })
}

fn plan() -> Jaarplan {
    parse(&seed()).unwrap_or_else(|e| panic!("the seed text must parse: {e}"))
}

fn section<'a>(plan: &'a Jaarplan, code: &str) -> &'a Section {
    plan.sections
        .iter()
        .find(|s| s.code == code)
        .unwrap_or_else(|| panic!("no section {code}"))
}

fn doel_at(plan: &Jaarplan, line: usize) -> &Doelstelling {
    plan.doelstellingen()
        .find(|d| d.line == line)
        .unwrap_or_else(|| panic!("no DOELSTELLING at line {line}"))
}

fn doel<'a>(plan: &'a Jaarplan, code: &str) -> &'a Doelstelling {
    plan.doelstellingen()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no doelstelling {code}"))
}

fn werkspoor_titles(s: &Section) -> Vec<&str> {
    s.werksporen.iter().map(|w| w.title.as_str()).collect()
}

/// Every text of the tree, with a label saying where it comes from.
fn all_texts(plan: &Jaarplan) -> Vec<(String, &str)> {
    fn actions<'a>(out: &mut Vec<(String, &'a str)>, list: &'a [Action]) {
        for a in list {
            out.push((a.code.clone(), &a.text));
            actions(out, &a.children);
        }
    }
    fn doelstellingen<'a>(out: &mut Vec<(String, &'a str)>, list: &'a [Doelstelling]) {
        for d in list {
            out.push((format!("{} title", d.code), &d.title));
            out.push((format!("{} description", d.code), &d.description));
            actions(out, &d.actions);
        }
    }
    let mut out = Vec::new();
    for p in &plan.overview {
        out.push(("overview".to_string(), p.title.as_str()));
        for w in &p.werksporen {
            out.push(("overview".to_string(), w.title.as_str()));
        }
    }
    for s in &plan.sections {
        out.push((format!("{} title", s.code), &s.title));
        out.push((format!("{} intro", s.code), &s.intro));
        doelstellingen(&mut out, &s.doelstellingen);
        for w in &s.werksporen {
            out.push((format!("{} title", w.code), &w.title));
            out.push((format!("{} intro", w.code), &w.intro));
            doelstellingen(&mut out, &w.doelstellingen);
        }
    }
    out
}

#[test]
fn the_seed_has_46_doelstellingen_and_the_year_2025() {
    let plan = plan();
    assert_eq!(plan.doelstellingen().count(), 46);
    assert_eq!(plan.year, Some(2025));
    let per_section: Vec<(&str, usize)> = plan
        .sections
        .iter()
        .map(|s| {
            let n = s.doelstellingen.len()
                + s.werksporen
                    .iter()
                    .map(|w| w.doelstellingen.len())
                    .sum::<usize>();
            (s.code.as_str(), n)
        })
        .collect();
    assert_eq!(
        per_section,
        [
            ("S1", 3),
            ("P1", 17),
            ("P2", 10),
            ("P3", 3),
            ("P4", 9),
            ("P5", 4),
            ("S2", 0)
        ]
    );
}

#[test]
fn sections_come_in_document_order() {
    let plan = plan();
    let got: Vec<(&str, SectionKind, &str)> = plan
        .sections
        .iter()
        .map(|s| (s.code.as_str(), s.kind, s.title.as_str()))
        .collect();
    use SectionKind::{Chapter, Programme};
    assert_eq!(
        got,
        [
            ("S1", Chapter, "Communicatie"),
            (
                "P1",
                Programme,
                "O(mgeving) B(eleid) M(anagement) informatie"
            ),
            ("P2", Programme, "Smart Cities"),
            ("P3", Programme, "Stadsgenoten"),
            ("P4", Programme, "Klimaat"),
            ("P5", Programme, "Digitale Transitie"),
            ("S2", Chapter, "Andere opdrachten"),
        ]
    );
    assert_eq!(plan.programmes().count(), 5);
    // The overview's longer names are kept next to the body's headings.
    assert_eq!(
        section(&plan, "P2").overview_title.as_deref(),
        Some("Smart Cities met het speerpuntenprogramma en de werking binnen Smart Flanders")
    );
    assert_eq!(
        section(&plan, "P1").overview_title.as_deref(),
        Some("O(mgeving) B(eleid) M(anagement)informatie")
    );
    assert_eq!(section(&plan, "S1").overview_title, None);
    // Communicatie has its doelstellingen directly under the chapter.
    let communicatie = section(&plan, "S1");
    assert!(communicatie.werksporen.is_empty());
    assert_eq!(communicatie.doelstellingen.len(), 3);
    assert!(communicatie
        .intro
        .starts_with("De Vlaamse steden worden overspoeld"));
    assert!(section(&plan, "S2").intro.is_empty());
    // The two-column programme intro is one paragraph of joined short lines.
    assert!(section(&plan, "P1")
        .intro
        .starts_with("Steden hebben een steeds groeiende behoefte aan een goed"));
    assert!(section(&plan, "P1")
        .intro
        .ends_with("Omgevings-, Beleids- en Managementinformatie."));
}

#[test]
fn werksporen_per_programme_in_order() {
    let plan = plan();
    assert_eq!(
        werkspoor_titles(section(&plan, "P1")),
        [
            "Stuurgroep OBMi",
            "OBMi",
            "Opvolging Realisatie BestuursAkkoord",
            "GDPR",
            "Datamaturiteit in de organisatie",
            "Parkeer- en Toegangsregister",
            "Duurzame EffectiviteitsMeter Maatschappelijke Dienstverlening (DEMaD)",
            "KBO/risicomanagement",
            "Interstedelijke Reflectiegroep Europa",
        ]
    );
    assert_eq!(
        werkspoor_titles(section(&plan, "P2")),
        [
            "Speerpuntenprogramma",
            "Speerpunt Automatische rechtentoekenning",
            "City Deal Rechtenverkenner 2.0",
            "Speerpunt Duurzame lokale energieproductie",
            "Lerend netwerk InnoFiNS",
            "Speerpunt E-mobiliteit",
            "Smart Flanders",
        ]
    );
    assert_eq!(werkspoor_titles(section(&plan, "P3")), ["Stadsgenoten"]);
    assert_eq!(
        werkspoor_titles(section(&plan, "P4")),
        [
            "Klimaatgovernance",
            "Financieringsopgave van de klimaattransitie in regie van steden",
            "Capacities 2.0",
        ]
    );
    assert_eq!(
        werkspoor_titles(section(&plan, "P5")),
        [
            "Herijking opdracht",
            "Lerend netwerk Mensgericht ontwerpen van dienstverlening",
            "Flankerend overleg partners",
            "Intervisie sessies met centrumsteden",
        ]
    );
    assert_eq!(
        werkspoor_titles(section(&plan, "S2")),
        [
            "Het Kenniscentrum als gesprekspartner voor de Vlaamse Regering en voor de minister bevoegd voor \
             stedenbeleid en haar administratie",
            "Lerend netwerk Verweven werklocaties",
            "Atrium Centrumsteden",
        ]
    );
    // Werksporen without doelstellingen keep their introduction.
    let atrium = &section(&plan, "S2").werksporen[2];
    assert!(atrium.doelstellingen.is_empty());
    assert!(atrium.intro.starts_with("Binnen het Atrium Lerend Netwerk"));
    assert!(atrium
        .intro
        .ends_with("Het Kenniscentrum neemt deel aan dit overleg en levert inhoud aan."));
    assert_eq!(atrium.intro.matches("\n\n").count(), 2, "three paragraphs");
}

#[test]
fn every_overview_werkspoor_is_found_in_the_body() {
    let plan = plan();
    let counts: Vec<usize> = plan.overview.iter().map(|p| p.werksporen.len()).collect();
    assert_eq!(counts, [9, 7, 0, 3, 2]);
    assert_eq!(plan.overview[2].title, "Stadsgenoten");
    assert_eq!(
        plan.overview[0].werksporen[6].title,
        "Duurzame EffectiviteitsMeter Maatschappelijke Dienstverlening"
    );

    for (programme, section) in plan.overview.iter().zip(plan.programmes()) {
        assert_eq!(
            section.overview_title.as_deref(),
            Some(programme.title.as_str())
        );
        for entry in &programme.werksporen {
            let found: Vec<&Werkspoor> = section
                .werksporen
                .iter()
                .filter(|w| w.overview_number == Some(entry.number))
                .collect();
            assert_eq!(
                found.len(),
                1,
                "overview werkspoor {:?} found once in {}",
                entry.title,
                section.title
            );
            assert_eq!(
                found[0].overview_title.as_deref(),
                Some(entry.title.as_str())
            );
        }
    }
    // Names that differ between overview and body still match.
    let p1 = section(&plan, "P1");
    assert_eq!(
        p1.werksporen[5].overview_title.as_deref(),
        Some("Parkeer- en ToegangsRegister")
    );
    assert_eq!(
        p1.werksporen[2].overview_title.as_deref(),
        Some("Opvolging realisatie Bestuursakkoord")
    );

    // The werksporen that only the body has are there, without an overview entry.
    let body_only: Vec<&str> = plan
        .sections
        .iter()
        .flat_map(|s| &s.werksporen)
        .filter(|w| w.overview_number.is_none())
        .map(|w| w.title.as_str())
        .collect();
    assert_eq!(body_only.len(), 6);
    for title in [
        "Stadsgenoten",
        "Flankerend overleg partners",
        "Intervisie sessies met centrumsteden",
        "Lerend netwerk Verweven werklocaties",
        "Atrium Centrumsteden",
    ] {
        assert!(
            body_only.contains(&title),
            "{title} missing from {body_only:?}"
        );
    }
}

#[test]
fn wrapped_doelstelling_titles_are_joined() {
    let plan = plan();
    let expected = [
        (
            560,
            "Hefboomfunctie aantonen van lokale besturen en in het bijzonder van steden die, mits subsidies, \
             Europese, federale en Vlaamse ambities realiseren",
        ),
        (684, "Een actueel en volledig overzicht van sociale rechten in Rechtenverkenner 2.0 voor elke centrumstad"),
        (
            714,
            "Werkgroep op afroep inzetten om kennis- en demonstratietrajecten opgezet door centrumsteden te \
             verrijken en te valoriseren",
        ),
        (
            762,
            "Verder opvolgen van de voorbereiding voor een nieuw bestek voor de Vlaamse concessieovereenkomst \
             (semi-)publiek laden",
        ),
        (
            887,
            "Onderzoeken van scenario’s voor uitgave en distributie van de publicatie m.i.v. financiering, \
             promotie en vorming",
        ),
        (
            900,
            "Onderzoeken van partnerschappen en/of subsidielijnen om structureel aan de slag te gaan met \
             verschillende oplossingsrichtingen",
        ),
        (
            1033,
            "Kennisdelen over green financing en green investments, in het bijzonder over het conceptualiseren ervan",
        ),
        (
            1044,
            "Samenwerken met VITO aan hun missie ‘Weerbare wijken’ met als doel de collectieve renovatie te \
             versnellen in steden",
        ),
        (
            1059,
            "Organiseren van een terugkomdag met de deelnemers van de Masterclass lokale langetermijn \
             renovatiebeleid voor het privaat patrimonium",
        ),
        (
            1106,
            "Stimuleren van de oprichting van een nationaal/regionaal platform en ondersteunende structuren voor \
             de uitvoering van de EU-stedenmissie",
        ),
        (
            1158,
            "Bepalen van een unieke positie voor het Kenniscentrum in het kennislandschap omtrent digitale transitie",
        ),
        (1209, "In structurele overlegfora met de lens van centrumsteden en VGC naar voorstellen kijken"),
    ];
    for (line, title) in expected {
        assert_eq!(
            doel_at(&plan, line).title,
            title,
            "DOELSTELLING at line {line}"
        );
    }
    // The continuation is not left behind in the description.
    assert!(doel_at(&plan, 684)
        .description
        .starts_with("Na de succesvolle lancering"));
    // No title anywhere swallowed the start of its description, and none is wrapped half-way.
    for d in plan.doelstellingen() {
        assert!(d.title.chars().count() <= 160, "{}: {}", d.code, d.title);
        assert!(
            !d.title.ends_with(" de") && !d.title.ends_with(" en"),
            "{}: {}",
            d.code,
            d.title
        );
    }
}

#[test]
fn doelstelling_number_variants() {
    let plan = plan();
    // "DOELSTELLING 2 : \t Projectgroep …"
    let d = doel_at(&plan, 502);
    assert_eq!(
        (d.number, d.title.as_str()),
        (2, "Projectgroep Tooling opstarten en tooling voorbereiden")
    );
    assert_eq!(d.code, "P1.W7.D2");
    // "DOELSTELLING 2:\t Een actueel …" and "DOELSTELLING 4 \t Organiseren …"
    assert_eq!(doel_at(&plan, 684).number, 2);
    assert_eq!(doel_at(&plan, 1059).number, 4);
    // Numbers restart per werkspoor and follow the document.
    for s in &plan.sections {
        for list in
            std::iter::once(&s.doelstellingen).chain(s.werksporen.iter().map(|w| &w.doelstellingen))
        {
            let numbers: Vec<u32> = list.iter().map(|d| d.number).collect();
            let expected: Vec<u32> = (1..=list.len() as u32).collect();
            assert_eq!(numbers, expected, "in {}", s.title);
        }
    }
}

#[test]
fn no_page_artefacts_in_any_text() {
    let plan = plan();
    let texts = all_texts(&plan);
    assert!(texts.len() > 300);
    for (label, text) in texts {
        for bad in [
            "Jaarplan Kenniscentrum Vlaamse Steden 2025 →",
            "→",
            "http://",
            "https://",
            "\t",
            "■",
            "  ",
        ] {
            assert!(!text.contains(bad), "{label} contains {bad:?}: {text}");
        }
        assert_eq!(text, text.trim(), "{label} is not trimmed");
        assert!(
            !text.contains(" \n") && !text.contains("\n "),
            "{label} has stray spaces around a newline"
        );
        assert!(
            !text.contains("\n\n\n"),
            "{label} has more than one blank line"
        );
        assert!(
            !text.contains('\u{a0}') && !text.contains('\u{2003}'),
            "{label} keeps a special space"
        );
    }
}

#[test]
fn words_split_over_lines_are_joined() {
    let plan = plan();
    let gdpr = doel(&plan, "P1.W4.D2");
    assert!(gdpr.actions[0]
        .text
        .contains("het opstellen van Gegevensbeschermingseffectbeoordelingen (GEB’s)."));
    assert!(section(&plan, "P1").werksporen[1]
        .intro
        .contains("De OBMi-werkgroep neemt kwesties"));
    assert!(section(&plan, "P2").werksporen[2]
        .intro
        .contains("een nieuwe versie van Rechtenverkenner.be, als"));
    assert!(doel(&plan, "P2.W7.D2")
        .description
        .contains("jaarprogramma’s 2024-2025 en 2025-2026."));
    assert!(section(&plan, "P2").werksporen[3]
        .intro
        .contains("een eerste train-the-trainer-opleiding"));
    // A hyphen before a space is Dutch elision and keeps the space.
    assert!(doel(&plan, "P2.W3.D1").actions[0]
        .text
        .contains("het opleidings- en communicatie-aanbod"));
    // A hyphen-split word inside a list item with a blank line in between.
    assert!(section(&plan, "P4")
        .intro
        .contains("het residentieel en niet-residentieel patrimonium"));
    // Typographic quotes stay.
    assert!(doel(&plan, "P1.W3.D1")
        .title
        .contains("‘toekomst ORBA-tool’"));
}

#[test]
fn sub_bullets_stay_with_their_parent() {
    let plan = plan();
    let stad_in_cijfers = doel(&plan, "P1.W2.D1");
    assert_eq!(
        stad_in_cijfers.title,
        "Verdere uitbouw van de Stad in cijfers–websites"
    );
    assert_eq!(stad_in_cijfers.actions.len(), 2);
    let parent = &stad_in_cijfers.actions[0];
    assert_eq!(parent.text, "De werkgroep zal inzetten op:");
    assert_eq!(parent.children.len(), 5);
    assert!(parent.children[0]
        .text
        .starts_with("het ontwikkelen van uitgebreide"));
    assert_eq!(
        parent.children[4].text,
        "het dieper ingaan op aspecten gerelateerd aan het publiceren van data zoals privacy."
    );
    assert_eq!(parent.children[2].code, "P1.W2.D1.A1.3");
    assert!(stad_in_cijfers.actions[1]
        .text
        .starts_with("Het Kenniscentrum organiseert op zeswekelijkse basis"));

    let impact = doel(&plan, "P1.W2.D3");
    assert_eq!(impact.title, "Opleidingenreeks impactmeting");
    assert_eq!(impact.actions.len(), 2);
    assert!(impact.actions[1]
        .text
        .ends_with("De reeks is als volgt opgebouwd:"));
    let series: Vec<&str> = impact.actions[1]
        .children
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(series.len(), 3);
    assert!(series[0].starts_with("1 algemene theoretische basisopleiding"));
    assert!(series[2].starts_with("+/- 5 maatgerichte coaching sessies"));
    assert!(series[2].ends_with("met steden met vergelijkbare uitdagingen."));

    // Capitalised sub-bullets, and the fixed agenda format of the Reflectiegroep.
    assert_eq!(doel(&plan, "P1.W9.D1").actions[2].children.len(), 3);
    assert_eq!(doel(&plan, "P2.W2.D1").actions[0].children.len(), 2);
    let mensgericht = doel(&plan, "P5.W2.D1");
    assert!(mensgericht.actions[0]
        .text
        .ends_with("In 2 sessies voor de zomer:"));
    assert_eq!(mensgericht.actions[0].children.len(), 3);

    // After the last sub-bullet ("…subsidiegever."), the list goes on at the top level.
    let intervisie = doel(&plan, "P5.W4.D1");
    let shape: Vec<usize> = intervisie
        .actions
        .iter()
        .map(|a| a.children.len())
        .collect();
    assert_eq!(shape, [0, 4, 0, 0]);
    // Only actions that end in ":" have children.
    for d in plan.doelstellingen() {
        for a in &d.actions {
            assert_eq!(
                !a.children.is_empty(),
                a.text.ends_with(':'),
                "{}: {}",
                a.code,
                a.text
            );
        }
    }
}

#[test]
fn a_wrapped_bullet_that_looks_like_a_heading_stays_in_its_action() {
    let plan = plan();
    let child = &doel(&plan, "P5.W4.D1").actions[1].children[1];
    assert_eq!(
        child.text,
        "Concreet komt de werkgroep in het voorjaar van 2025 3 keer samen rond de EFRO-oproep Digitalisering bij \
         lokale overheden"
    );
    let titles = plan
        .sections
        .iter()
        .flat_map(|s| std::iter::once(&s.title).chain(s.werksporen.iter().map(|w| &w.title)));
    for t in titles {
        assert!(!t.contains("Digitalisering bij lokale overheden"));
    }
    // The paragraph after the last bullet is part of that bullet (blank-line wrap), not a heading.
    assert!(doel(&plan, "P5.W4.D1").actions[3]
        .text
        .ends_with("neemt die mee naar het flankerend overleg."));
}

#[test]
fn action_counts_and_descriptions() {
    let plan = plan();
    let counts = [
        ("S1.D1", 4),
        ("S1.D2", 2),
        ("P1.W1.D1", 3),
        ("P1.W4.D2", 1),
        ("P1.W7.D1", 4),
        ("P2.W7.D2", 4),
        ("P3.W1.D1", 2),
        ("P4.W2.D1", 3),
        ("P4.W3.D1", 3),
    ];
    for (code, n) in counts {
        assert_eq!(doel(&plan, code).actions.len(), n, "actions of {code}");
    }
    // 122 bullets stand in the ACTIES lists: 102 actions and 20 sub-actions.
    let top: usize = plan.doelstellingen().map(|d| d.actions.len()).sum();
    let sub: usize = plan
        .doelstellingen()
        .flat_map(|d| &d.actions)
        .map(|a| a.children.len())
        .sum();
    assert_eq!((top, sub), (102, 20));
    assert!(plan.doelstellingen().all(|d| !d.actions.is_empty()));
    // An action that wraps over a blank line is one action.
    assert_eq!(
        doel(&plan, "S1.D1").actions[0].text,
        "We werken, in samenwerking met de ontwikkelaars en met de VVSG, toe naar de lancering van het nieuwe \
         webplatform, dat GDPR-compliant is en ook qua beveiliging en toegankelijkheid up-to-date is;"
    );
    // Descriptions: optional, and several paragraphs kept apart.
    assert_eq!(doel(&plan, "P1.W1.D1").description, "");
    assert!(doel(&plan, "S1.D1")
        .description
        .starts_with("Kenniscentrumvlaamsesteden.be is de spil"));
    assert!(doel(&plan, "S1.D2")
        .description
        .ends_with("dat ook door VVSG wordt gebruikt."));
    // Lists in an introduction become "• " paragraphs, also the item whose bullet the PDF lost.
    let capacities = &section(&plan, "P4").werksporen[2].intro;
    assert!(capacities.contains("\n\n• Smalle focus op de 112 missiesteden;\n\n"));
    assert!(capacities.contains("\n\n• Zwakke betrokkenheid van burgers.\n\n"));
    assert!(section(&plan, "P2").werksporen[6]
        .intro
        .contains("\n\n2. Onder het motto ‘het warm water niet"));
}

#[test]
fn codes_are_structural_unique_and_stable() {
    let text = seed();
    let plan = parse(&text).unwrap();
    assert_eq!(parse(&text).unwrap(), plan, "parsing is deterministic");
    let mut codes: Vec<&str> = Vec::new();
    for s in &plan.sections {
        codes.push(&s.code);
        for w in &s.werksporen {
            assert!(w.code.starts_with(&format!("{}.W", s.code)));
            codes.push(&w.code);
        }
    }
    fn walk<'a>(codes: &mut Vec<&'a str>, parent: &str, list: &'a [Action]) {
        for a in list {
            assert!(a.code.starts_with(parent), "{} under {parent}", a.code);
            codes.push(&a.code);
            walk(codes, &a.code, &a.children);
        }
    }
    for d in plan.doelstellingen() {
        codes.push(&d.code);
        walk(&mut codes, &d.code, &d.actions);
    }
    let n = codes.len();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), n, "codes are unique");
    assert_eq!(
        doel(&plan, "S1.D2").title,
        "Maandelijkse nieuwsbrief versturen middels een nieuw mailingssysteem"
    );
    assert_eq!(doel(&plan, "P4.W2.D4").number, 4);
    assert_eq!(
        doel(&plan, "P1.W2.D1").actions[0].children[4].code,
        "P1.W2.D1.A1.5"
    );
    assert_eq!(section(&plan, "S2").werksporen[1].code, "S2.W2");
}

/// The shape of a section: per werkspoor (the section's own doelstellingen first), per
/// doelstelling, the number of children of each action.
fn shape(s: &Section) -> Vec<Vec<Vec<usize>>> {
    let of = |list: &[Doelstelling]| -> Vec<Vec<usize>> {
        list.iter()
            .map(|d| d.actions.iter().map(|a| a.children.len()).collect())
            .collect()
    };
    std::iter::once(of(&s.doelstellingen))
        .chain(s.werksporen.iter().map(|w| of(&w.doelstellingen)))
        .collect()
}

/// Next year's plan, simulated: other year, a renamed programme, a renamed werkspoor, one
/// werkspoor dropped and a new one added, and a renamed divider page.
fn next_year(text: &str) -> String {
    let text = text
        .replace("2025", "2026")
        .replace("KBO/risicomanagement", "Interne controle en risicobeheer");
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| match l.trim() {
            "Klimaat" => l.replace("Klimaat", "Klimaat en energie"),
            "Programma’s" => "Onze programma’s".to_string(),
            _ => l.to_string(),
        })
        .collect();
    let find = |lines: &[String], pred: &dyn Fn(&str) -> bool| {
        lines
            .iter()
            .position(|l| pred(l))
            .expect("line of the seed text")
    };
    // Drop the werkspoor GDPR: its overview entry and its body up to the next heading.
    let gdpr = find(&lines, &|l| l == " GDPR");
    let next = find(&lines, &|l| l == "Datamaturiteit in de organisatie");
    lines.splice(gdpr..next, ["".to_string(), "".to_string(), "".to_string()]);
    let entry = find(&lines, &|l| l.ends_with(" GDPR") && l.starts_with("4."));
    lines.remove(entry);
    // A new werkspoor at the end of the first programme, in the overview and in the body.
    let last_entry = find(&lines, &|l| {
        l.contains("Interstedelijke Reflectiegroep Europa") && l.starts_with("9.")
    });
    lines.insert(
        last_entry + 1,
        "10.\tWijkgerichte dienstverlening".to_string(),
    );
    let smart = find(&lines, &|l| l == " Smart Cities");
    let new_werkspoor = [
        " Wijkgerichte dienstverlening ",
        "",
        "Een nieuw werkspoor dat de dienstverlening in de wijken van de centrumsteden ",
        "versterkt en de ervaringen van de steden bundelt. ",
        "",
        "DOELSTELLING 1\t Een wijkwerking opzetten in elke centrumstad, met aandacht voor ",
        "kwetsbare buurten",
        "Elke stad kiest zelf twee wijken. ",
        "",
        "ACTIES 2026",
        "\t■  We verkennen de noden van de steden;",
        "\t■  We bouwen samen een netwerk uit: ",
        "",
        "\t■  met de steden;",
        "\t■  met de partners. ",
    ];
    for (k, l) in new_werkspoor.iter().enumerate() {
        lines.insert(smart + k, (*l).to_string());
    }
    lines.join("\n")
}

#[test]
fn next_years_plan_parses_with_the_same_structure() {
    let this_year = plan();
    let plan = parse(&next_year(&seed()))
        .unwrap_or_else(|e| panic!("next year's variant must parse: {e}"));

    assert_eq!(plan.year, Some(2026));
    assert_eq!(plan.doelstellingen().count(), 46 - 3 + 1);
    let titles: Vec<(&str, &str)> = plan
        .sections
        .iter()
        .map(|s| (s.code.as_str(), s.title.as_str()))
        .collect();
    assert_eq!(
        titles,
        [
            ("S1", "Communicatie"),
            ("P1", "O(mgeving) B(eleid) M(anagement) informatie"),
            ("P2", "Smart Cities"),
            ("P3", "Stadsgenoten"),
            ("P4", "Klimaat en energie"),
            ("P5", "Digitale Transitie"),
            ("S2", "Andere opdrachten"),
        ]
    );
    assert_eq!(
        section(&plan, "P4").overview_title.as_deref(),
        Some("Klimaat en energie")
    );

    let obmi = section(&plan, "P1");
    assert_eq!(
        werkspoor_titles(obmi),
        [
            "Stuurgroep OBMi",
            "OBMi",
            "Opvolging Realisatie BestuursAkkoord",
            "Datamaturiteit in de organisatie",
            "Parkeer- en Toegangsregister",
            "Duurzame EffectiviteitsMeter Maatschappelijke Dienstverlening (DEMaD)",
            "Interne controle en risicobeheer",
            "Interstedelijke Reflectiegroep Europa",
            "Wijkgerichte dienstverlening",
        ]
    );
    assert_eq!(obmi.werksporen[6].overview_number, Some(8));
    let new = &obmi.werksporen[8];
    assert_eq!(
        (new.code.as_str(), new.overview_number),
        ("P1.W9", Some(10))
    );
    assert_eq!(
        new.intro,
        "Een nieuw werkspoor dat de dienstverlening in de wijken van de centrumsteden versterkt en de ervaringen \
         van de steden bundelt."
    );
    let d = &new.doelstellingen[0];
    assert_eq!(
        d.title,
        "Een wijkwerking opzetten in elke centrumstad, met aandacht voor kwetsbare buurten"
    );
    assert_eq!(d.description, "Elke stad kiest zelf twee wijken.");
    assert_eq!(d.actions.len(), 2);
    assert_eq!(d.actions[1].children.len(), 2);

    // Everything else has exactly the shape it had this year.
    for (old, new) in this_year.sections.iter().zip(&plan.sections) {
        if old.code != "P1" {
            assert_eq!(shape(old), shape(new), "shape of {}", old.title);
            assert_eq!(old.werksporen.len(), new.werksporen.len());
        }
    }
    let mut old_obmi = shape(section(&this_year, "P1"));
    old_obmi.remove(4); // GDPR, after the (empty) list of the programme's own doelstellingen
    let mut new_obmi = shape(obmi);
    new_obmi.pop();
    assert_eq!(old_obmi, new_obmi);
}

#[test]
fn a_heading_off_a_page_start_is_found_through_the_overview() {
    let text = seed().replace(
        " Opvolging Realisatie BestuursAkkoord \n",
        "Opvolging Realisatie BestuursAkkoord \n",
    );
    assert!(
        !text.lines().any(|l| l.starts_with(" Opvolging")),
        "the heading no longer opens a page"
    );
    let moved = parse(&text).unwrap();
    let this_year = plan();
    assert_eq!(
        werkspoor_titles(section(&moved, "P1")),
        werkspoor_titles(section(&this_year, "P1"))
    );
    assert_eq!(
        shape(section(&moved, "P1")),
        shape(section(&this_year, "P1"))
    );
}

#[test]
fn malformed_input_is_refused_with_line_and_reason() {
    let err = |text: &str| parse(text).expect_err("must be refused");

    assert_eq!(err("").kind, ParseErrorKind::Empty);
    assert_eq!(err(" \n\t\n  ").kind, ParseErrorKind::Empty);
    let e = err("Een boodschappenlijst\n\n■ brood;\n■ melk.\n");
    assert_eq!((e.line, &e.kind), (1, &ParseErrorKind::NoDoelstelling));
    assert!(
        e.to_string()
            .starts_with("regel 1: geen enkele DOELSTELLING gevonden"),
        "{e}"
    );

    let seed = seed();
    let mut lines: Vec<&str> = seed.lines().collect();
    let at = lines
        .iter()
        .position(|l| {
            l.trim_start()
                .starts_with("DOELSTELLING 2\t Focus op klimaat")
        })
        .unwrap();
    let renumbered = lines[at].replace("DOELSTELLING 2", "DOELSTELLING twee");
    lines[at] = &renumbered;
    let e = err(&lines.join("\n"));
    assert_eq!(e.line, at + 1);
    assert_eq!(
        e.kind,
        ParseErrorKind::InvalidDoelstellingNumber("twee".into())
    );
    assert_eq!(
        e.to_string(),
        format!(
            "regel {}: DOELSTELLING zonder geldig nummer: „twee” is geen getal",
            at + 1
        )
    );

    // ACTIES right after a werkspoor's introduction, before its first DOELSTELLING.
    let mut lines: Vec<&str> = seed.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("DOELSTELLING 1\t Verkennen en eventueel"))
        .unwrap();
    lines.insert(at, "ACTIES 2025");
    let e = err(&lines.join("\n"));
    assert_eq!(
        (e.line, e.kind),
        (at + 1, ParseErrorKind::ActiesOutsideDoelstelling)
    );

    // Without the overview, programmes cannot be told from werksporen.
    let first_doel = seed
        .lines()
        .position(|l| l.starts_with("DOELSTELLING"))
        .unwrap();
    let without: Vec<&str> = seed
        .lines()
        .enumerate()
        .filter(|(i, l)| *i > first_doel || !l.starts_with(|c: char| c.is_ascii_digit()))
        .map(|(_, l)| l)
        .collect();
    let e = err(&without.join("\n"));
    assert_eq!(e.kind, ParseErrorKind::MissingOverview);

    let tiny = "Overzicht\n\nProgramma A\n\n1.\tWerkspoor\n\nDOELSTELLING 1\t Iets doen\n";
    assert_eq!(err(tiny).kind, ParseErrorKind::DoelstellingOutsideSection);
    assert_eq!(err(tiny).line, 7);
    let untitled = "Programma A\n\n1.\tWerkspoor\n Werkspoor\n\nIntro.\n\nDOELSTELLING 3\n\nACTIES 2025\n■ Iets.\n";
    assert_eq!(
        err(untitled).kind,
        ParseErrorKind::MissingDoelstellingTitle(3)
    );
}

#[test]
fn a_minimal_plan_in_the_same_layout_parses() {
    let text = "\
 Voorwoord
Wat tekst vooraf.

 Dit zijn de programma’s met de werksporen voor 2030.

Programma Een

1.\tEerste spoor
2.\tTweede spoor met een naam die zo lang is dat hij in het overzicht
over twee regels loopt
 Algemeen

Inleiding van het hoofdstuk.

DOELSTELLING 1\t Iets algemeens

ACTIES 2030
\t■  Een actie;
\t■  Nog een actie.



Programma Een

Inleiding van het programma.
 Eerste spoor

Over het eerste spoor.

DOELSTELLING 1\t Doel van het eerste spoor, samen met de
Vlaamse overheid
\t■  met een opsomming in de beschrijving

ACTIES 2030
\t■  Doen.

Een losse korte regel

Nog een alinea bij de actie.

Tweede spoor met een naam die zo lang is dat hij in het overzicht over twee regels loopt

Alleen een inleiding.
";
    let plan = parse(text).unwrap();
    assert_eq!(plan.year, Some(2030));
    let got: Vec<(&str, &str)> = plan
        .sections
        .iter()
        .map(|s| (s.code.as_str(), s.title.as_str()))
        .collect();
    assert_eq!(got, [("S1", "Algemeen"), ("P1", "Programma Een")]);
    let p = &plan.sections[1];
    assert_eq!(p.intro, "Inleiding van het programma.");
    let long =
        "Tweede spoor met een naam die zo lang is dat hij in het overzicht over twee regels loopt";
    assert_eq!(
        plan.overview[0].werksporen[1].title, long,
        "a wrapped overview entry is one entry"
    );
    // The second werkspoor does not open a page, but the overview announces it.
    assert_eq!(werkspoor_titles(p), ["Eerste spoor", long]);
    assert_eq!(p.werksporen[1].overview_number, Some(2));
    let d = &p.werksporen[0].doelstellingen[0];
    // A title line ending in "de" goes on, even with a capital.
    assert_eq!(
        d.title,
        "Doel van het eerste spoor, samen met de Vlaamse overheid"
    );
    assert_eq!(d.description, "• met een opsomming in de beschrijving");
    assert_eq!(d.actions[0].code, "P1.W1.D1.A1");
    // A short line that the overview does not announce is not a heading off a page start.
    assert_eq!(d.actions.len(), 1);
    assert_eq!(
        d.actions[0].text,
        "Doen. Een losse korte regel Nog een alinea bij de actie."
    );
    assert_eq!(p.werksporen[1].intro, "Alleen een inleiding.");
    assert_eq!(plan.sections[0].doelstellingen[0].actions.len(), 2);
}

/// A small deterministic generator, so that a failure can be replayed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn never_panics_on_mangled_input() {
    let seed = seed();
    let lines: Vec<&str> = seed.lines().collect();
    // Prefixes of whole lines: all through the overview, then every seventh length (the parser
    // sees headings, lists and blocks cut off; fewer lengths keep a debug run short).
    for n in (0..=lines.len()).filter(|n| n % 7 == 3 || *n < 150) {
        let _ = parse(&lines[..n].join("\n"));
    }
    let mut rng = XorShift(0x5eed_2025);
    // Prefixes cut inside a line, at a character boundary.
    for _ in 0..100 {
        let mut cut = rng.below(seed.len());
        while !seed.is_char_boundary(cut) {
            cut -= 1;
        }
        let _ = parse(&seed[..cut]);
    }
    // Shuffled lines, and lines dropped or doubled at random.
    for round in 0..60 {
        let mut mixed = lines.clone();
        if round % 2 == 0 {
            for i in (1..mixed.len()).rev() {
                mixed.swap(i, rng.below(i + 1));
            }
        } else {
            for _ in 0..40 {
                let i = rng.below(mixed.len());
                if rng.below(2) == 0 {
                    mixed.remove(i);
                } else {
                    mixed.insert(i, mixed[rng.below(mixed.len())]);
                }
            }
        }
        let _ = parse(&mixed.join("\n"));
    }
    // Odd fragments.
    for text in [
        "DOELSTELLING",
        "DOELSTELLING :",
        "ACTIES",
        "■",
        "1.\t",
        " \u{2003}→ 3",
        "DOELSTELLING 1\n■",
        "\r\n\r\n",
    ] {
        let _ = parse(text);
    }
}

#[test]
fn the_seed_text_parses_quickly() {
    // A guard against accidental quadratic behaviour, loose enough for a debug build on a busy
    // machine; the release figure (well under a millisecond) is in the benchmark note.
    let text = seed();
    let start = std::time::Instant::now();
    for _ in 0..10 {
        parse(&text).unwrap();
    }
    assert!(
        start.elapsed() < std::time::Duration::from_secs(2),
        "took {:?}",
        start.elapsed()
    );
}
