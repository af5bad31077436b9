//! Demo content for `steden serve --demo`:
//!
//! - the Kenniscentrum's jaarplan 2025, imported from its text through the real importer, with
//!   owners, some status updates, two indicators with measurements, a project with milestones,
//!   and a release — the updates, indicators, project and release are examples for the demo,
//!   which the plan's description says;
//! - a small meerjarenplan for Gent, made up for the demo and marked as such (`is_demo`), with
//!   amounts, an indicator, a kwestie and a published page.
//!
//! Idempotent: a plan that already exists (same organisation and title) is left alone.

use anyhow::{anyhow, Context};
use steden_core::audit::AuditActor;
use steden_core::org;
use steden_db::{Db, Tx};
use steden_web::DemoUser;

use crate::import::{jaarplan, write};
use crate::indicators::store::{self as indicators, IndicatorFields, NewMeasurement};
use crate::kwesties::KwestieFields;
use crate::model::finance::AmountRow;
use crate::model::{ItemStatus, LevelPreset, PublishedField};
use crate::projects::{MilestoneFields, ProjectFields};
use crate::store::items::{self, ItemFields};
use crate::store::kwesties;
use crate::store::plans::{self, PlanFields};
use crate::store::projects;
use crate::store::updates::{self, ProgressReport};

/// The text of the Kenniscentrum's jaarplan 2025 as extracted from its PDF (public document).
pub const JAARPLAN_2025: &str = include_str!("../data/jaarplan-2025-kenniscentrum.txt");

const JAARPLAN_TITLE: &str = "Jaarplan 2025 Kenniscentrum Vlaamse Steden";
/// The demo jaarplan's indicator on the DEMaD werkspoor that counts the group's meetings.
pub const DEMAD_INDICATOR: &str = "Bijeenkomsten gehouden";
const GENT_TITLE: &str = "Meerjarenplan Gent 2026-2031 (demo)";

fn user_id<'a>(users: &'a [DemoUser], email_prefix: &str) -> Option<&'a str> {
    users
        .iter()
        .find(|u| u.email.starts_with(email_prefix))
        .map(|u| u.id.as_str())
}

async fn plan_exists(db: &Db, organisation_id: &str, title: &str) -> anyhow::Result<bool> {
    Ok(plans::exists_with_title(db.pool(), organisation_id, title).await?)
}

pub async fn seed(db: &Db, users: &[DemoUser]) -> anyhow::Result<()> {
    let kenniscentrum = org::find_by_slug(db.pool(), "kenniscentrum")
        .await?
        .ok_or_else(|| anyhow!("organisatie kenniscentrum ontbreekt"))?;
    let gent = org::find_by_slug(db.pool(), "gent")
        .await?
        .ok_or_else(|| anyhow!("organisatie gent ontbreekt"))?;
    if !plan_exists(db, &kenniscentrum.id, JAARPLAN_TITLE).await? {
        seed_jaarplan(db, &kenniscentrum.id, users)
            .await
            .context("demo: jaarplan 2025")?;
    }
    if !plan_exists(db, &gent.id, GENT_TITLE).await? {
        seed_gent(db, &gent.id, users)
            .await
            .context("demo: meerjarenplan Gent")?;
    }
    Ok(())
}

/// Reports progress as the owner would, at the deepest level.
async fn report(
    tx: &mut Tx<'_>,
    item_id: &str,
    status: ItemStatus,
    progress: i64,
    comment: &str,
    actor: &AuditActor,
) -> anyhow::Result<()> {
    updates::report(
        tx,
        item_id,
        &ProgressReport {
            status: Some(status),
            progress: Some(progress),
            comment: comment.to_string(),
            ..ProgressReport::default()
        },
        actor,
    )
    .await?;
    Ok(())
}

async fn set_owner(tx: &mut Tx<'_>, item_id: &str, owner: &str) -> anyhow::Result<()> {
    items::set_owner_unaudited(tx, item_id, owner).await?;
    Ok(())
}

async fn seed_jaarplan(db: &Db, organisation_id: &str, users: &[DemoUser]) -> anyhow::Result<()> {
    let staff = user_id(users, "medewerker@");
    let gent_editor = user_id(users, "redacteur.gent@");
    let actor = staff
        .map(AuditActor::user)
        .unwrap_or_else(AuditActor::system);
    let parsed = jaarplan::parse(JAARPLAN_2025).map_err(|e| anyhow!("jaarplan: {e}"))?;

    let mut tx = db.begin().await?;
    let levels: Vec<String> = LevelPreset::Kenniscentrum
        .names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let plan = plans::create(
        &mut tx,
        organisation_id,
        &PlanFields {
            kind: "jaarplan".into(),
            title: JAARPLAN_TITLE.into(),
            description: "Ingelezen uit de tekst van het jaarplan 2025. De statusupdates, \
                indicatoren, het project en de release zijn voorbeelden voor de demo."
                .into(),
            period_start: "2025-01-01".into(),
            period_end: "2025-12-31".into(),
            status: "vastgesteld".into(),
        },
        &levels,
        false,
        &actor,
    )
    .await?;
    let import = write::plan_jaarplan(&mut tx, &plan.id, &parsed).await?;
    write::apply(&mut tx, &plan.id, &import, &actor).await?;

    // Leaves (actions) in tree order: the first ones get owners and updates.
    let all = items::list_for_plan(&mut *tx, &plan.id).await?;
    let leaves: Vec<_> = all.iter().filter(|i| i.is_leaf() && i.depth >= 2).collect();
    let examples = [
        (
            ItemStatus::Afgerond,
            100,
            "Afgerond volgens planning; verslag staat in de Kennisbank.",
        ),
        (
            ItemStatus::Lopend,
            60,
            "Eerste twee werkgroepvergaderingen gehouden, nota in opmaak.",
        ),
        (
            ItemStatus::Lopend,
            35,
            "Bevraging van de steden loopt tot eind september.",
        ),
        (
            ItemStatus::Vertraagd,
            20,
            "Vertraagd: wachten op de nieuwe Vlaamse regelgeving.",
        ),
        (ItemStatus::Lopend, 50, "Halfweg; planning blijft haalbaar."),
        (
            ItemStatus::Afgerond,
            100,
            "Opgeleverd en voorgesteld op het netwerk.",
        ),
        (
            ItemStatus::Lopend,
            10,
            "Opgestart met een verkennend overleg.",
        ),
        (
            ItemStatus::Stopgezet,
            0,
            "Stopgezet: opgenomen in een ander werkspoor.",
        ),
    ];
    for (index, leaf) in leaves.iter().take(24).enumerate() {
        let owner = if index % 3 == 2 { gent_editor } else { staff };
        if let Some(owner) = owner {
            set_owner(&mut tx, &leaf.id, owner).await?;
        }
        if index < examples.len() {
            let (status, progress, comment) = examples[index];
            report(&mut tx, &leaf.id, status, progress, comment, &actor).await?;
        }
    }
    // Two indicators on the first doelstellingen.
    // The parents of the first actions (doelstellingen) carry the example indicators.
    let mut doelstellingen: Vec<&str> = Vec::new();
    for leaf in &leaves {
        if let Some(parent) = leaf.parent_id.as_deref() {
            if !doelstellingen.contains(&parent) {
                doelstellingen.push(parent);
            }
        }
    }
    if let Some(first) = doelstellingen.first() {
        let indicator = indicators::create(
            &mut tx,
            first,
            &IndicatorFields {
                name: "Bezoeken aan de website per maand".into(),
                unit: "bezoeken".into(),
                direction: "hoger".into(),
                baseline_value: "3.200".into(),
                baseline_date: "31/12/2024".into(),
                targets: "31/12/2025 5.000".into(),
                source: "Webstatistieken zonder cookies (demo)".into(),
                frequency: "driemaandelijks".into(),
                definition_key: String::new(),
            },
            &actor,
        )
        .await?;
        for (date, value, comment) in [
            ("31/03/2025", "3.450", "Eerste kwartaal"),
            ("30/06/2025", "3.700", "Tweede kwartaal"),
            ("30/09/2025", "3.900", "Derde kwartaal: zomerdip"),
        ] {
            indicators::add_measurement(
                &mut tx,
                &indicator.id,
                &NewMeasurement {
                    measured_on: date.into(),
                    value: value.into(),
                    comment: comment.into(),
                    author_name: String::new(),
                },
                &actor,
            )
            .await?;
        }
    }
    if let Some(second) = doelstellingen.get(1) {
        let indicator = indicators::create(
            &mut tx,
            second,
            &IndicatorFields {
                name: "Steden die actief deelnemen aan de werkgroepen".into(),
                unit: "steden".into(),
                direction: "hoger".into(),
                baseline_value: "9".into(),
                baseline_date: "01/01/2025".into(),
                targets: "31/12/2025 14".into(),
                source: "Aanwezigheidslijsten (demo)".into(),
                frequency: "driemaandelijks".into(),
                definition_key: String::new(),
            },
            &actor,
        )
        .await?;
        for (date, value) in [("31/03/2025", "10"), ("30/06/2025", "11")] {
            indicators::add_measurement(
                &mut tx,
                &indicator.id,
                &NewMeasurement {
                    measured_on: date.into(),
                    value: value.into(),
                    comment: "Telling na het kwartaal".into(),
                    author_name: String::new(),
                },
                &actor,
            )
            .await?;
        }
    }
    // A project with milestones on the second action.
    if let Some(action) = leaves.get(1) {
        let project = projects::create(
            &mut tx,
            &action.id,
            &ProjectFields {
                title: "Nota en vormingsreeks (demo)".into(),
                description: "Voorbeeldproject voor de tijdlijn.".into(),
                start_date: "01/02/2025".into(),
                end_date: "30/11/2025".into(),
                status: "lopend".into(),
            },
            &actor,
        )
        .await?;
        for (title, due, done) in [
            ("Startvergadering", "15/02/2025", "on"),
            ("Ontwerpnota besproken", "30/05/2025", "on"),
            ("Vormingsreeks afgerond", "15/11/2025", ""),
        ] {
            projects::add_milestone(
                &mut tx,
                &project.id,
                &MilestoneFields {
                    title: title.into(),
                    due_date: due.into(),
                    done: done.into(),
                },
                &actor,
            )
            .await?;
        }
    }
    // The DEMaD werkspoor promises "minstens 3 bijeenkomsten" (jaarplan l. 498): an indicator
    // without a source here; the werkgroepen demo links it to the DEMaD group's held meetings
    // (issue 13 point 6).
    if let Some(demad) = all
        .iter()
        .find(|i| i.depth == 1 && i.title.contains("(DEMaD)"))
    {
        indicators::create(
            &mut tx,
            &demad.id,
            &IndicatorFields {
                name: DEMAD_INDICATOR.into(),
                unit: "bijeenkomsten".into(),
                direction: "hoger".into(),
                baseline_value: "0".into(),
                baseline_date: "01/01/2025".into(),
                targets: "31/12/2025 3".into(),
                source: String::new(),
                frequency: "jaarlijks".into(),
                definition_key: String::new(),
            },
            &actor,
        )
        .await?;
    }
    crate::release::create(
        &mut tx,
        &plan.id,
        "Stand van zaken Q3 2025",
        &store_today(),
        &actor,
    )
    .await?;
    // The Kenniscentrum publishes its jaarplan: the public site's programme and werkspoor
    // pages are built from it (through crate::site).
    plans::set_publication(
        &mut tx,
        &plan.id,
        true,
        &[
            PublishedField::Description,
            PublishedField::Status,
            PublishedField::Progress,
            PublishedField::Dates,
        ],
        &actor,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn store_today() -> String {
    crate::store::today()
}

/// The made-up meerjarenplan of Gent: (code, title, service, (raming 2026, rekening 2026) in
/// euros) per action, under two beleidsdoelstellingen with two actieplannen each.
/// An action: code, title, responsible service, raming and rekening 2026 in euros.
type DemoAction = (&'static str, &'static str, &'static str, i64, i64);
/// An actieplan with its actions.
type DemoActieplan = (&'static str, &'static str, &'static [DemoAction]);

const GENT_PLAN: &[(&str, &str, &[DemoActieplan])] = &[
    (
        "BD01",
        "Gent is een klimaatneutrale stad (demo)",
        &[
            (
                "AP0101",
                "Woningen renoveren en isoleren",
                &[
                    (
                        "AC010101",
                        "Renovatiepremie voor eigenaars",
                        "Dienst Wonen",
                        1_200_000,
                        950_000,
                    ),
                    (
                        "AC010102",
                        "Energieloket in elke wijk",
                        "Energiecentrale",
                        400_000,
                        410_000,
                    ),
                ],
            ),
            (
                "AP0102",
                "Meer groen en minder verharding",
                &[
                    (
                        "AC010201",
                        "Ontharding van schoolspeelplaatsen",
                        "Groendienst",
                        600_000,
                        240_000,
                    ),
                    (
                        "AC010202",
                        "Duizend nieuwe straatbomen",
                        "Groendienst",
                        350_000,
                        120_000,
                    ),
                ],
            ),
        ],
    ),
    (
        "BD02",
        "Gent is een digitale en open stad (demo)",
        &[
            (
                "AP0201",
                "Digitale dienstverlening voor iedereen",
                &[
                    (
                        "AC020101",
                        "E-loket uitbreiden met tien producten",
                        "Digipolis",
                        800_000,
                        500_000,
                    ),
                    (
                        "AC020102",
                        "Digitale assistenten in de bibliotheken",
                        "Bibliotheek",
                        150_000,
                        90_000,
                    ),
                ],
            ),
            (
                "AP0202",
                "Open data als standaard",
                &[(
                    "AC020201",
                    "Open-dataportaal vernieuwen",
                    "Data en Informatie",
                    250_000,
                    60_000,
                )],
            ),
        ],
    ),
];

async fn seed_gent(db: &Db, organisation_id: &str, users: &[DemoUser]) -> anyhow::Result<()> {
    let editor = user_id(users, "redacteur.gent@");
    let actor = editor
        .map(AuditActor::user)
        .unwrap_or_else(AuditActor::system);
    let mut tx = db.begin().await?;
    let levels: Vec<String> = LevelPreset::Bbc
        .names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let plan = plans::create(
        &mut tx,
        organisation_id,
        &PlanFields {
            kind: "meerjarenplan".into(),
            title: GENT_TITLE.into(),
            description: "Verzonnen voor de demonstratie: geen echt beleid van de stad Gent."
                .into(),
            period_start: "2026-01-01".into(),
            period_end: "2031-12-31".into(),
            status: "vastgesteld".into(),
        },
        &levels,
        true,
        &actor,
    )
    .await?;
    let mut first_action = None;
    let mut progress_examples = [
        (ItemStatus::Lopend, 70),
        (ItemStatus::Lopend, 40),
        (ItemStatus::Vertraagd, 15),
        (ItemStatus::Afgerond, 100),
    ]
    .into_iter();
    for (bd_code, bd_title, actieplannen) in GENT_PLAN {
        let bd = items::create(
            &mut tx,
            &plan.id,
            None,
            &ItemFields {
                code: (*bd_code).into(),
                title: (*bd_title).into(),
                themes: vec![
                    "sdg-11".into(),
                    if *bd_code == "BD01" {
                        "sdg-13"
                    } else {
                        "sdg-9"
                    }
                    .into(),
                ],
                beleidsveld: if *bd_code == "BD01" {
                    "0500 Leefmilieu"
                } else {
                    "0119 Overige algemene diensten"
                }
                .into(),
                ..ItemFields::default()
            },
            &actor,
        )
        .await?;
        for (ap_code, ap_title, acties) in actieplannen.iter() {
            let ap = items::create(
                &mut tx,
                &plan.id,
                Some(&bd.id),
                &ItemFields {
                    code: (*ap_code).into(),
                    title: (*ap_title).into(),
                    ..ItemFields::default()
                },
                &actor,
            )
            .await?;
            for (ac_code, ac_title, service, raming, rekening) in acties.iter() {
                let action = items::create(
                    &mut tx,
                    &plan.id,
                    Some(&ap.id),
                    &ItemFields {
                        code: (*ac_code).into(),
                        title: (*ac_title).into(),
                        responsible_service: (*service).into(),
                        owner_user_id: editor.map(str::to_string),
                        start_date: "2026-01-01".into(),
                        end_date: "2027-12-31".into(),
                        prioritair: *ac_code == "AC010101",
                        ..ItemFields::default()
                    },
                    &actor,
                )
                .await?;
                for (kind, cents) in [("raming", raming * 100), ("rekening", rekening * 100)] {
                    crate::store::finance::insert_amount(
                        &mut tx,
                        &AmountRow {
                            item_id: action.id.clone(),
                            year: 2026,
                            kind: kind.to_string(),
                            budget_type: "exploitatie".into(),
                            direction: "uitgaven".into(),
                            cents,
                        },
                        &plan.id,
                    )
                    .await?;
                }
                if let Some((status, progress)) = progress_examples.next() {
                    report(
                        &mut tx,
                        &action.id,
                        status,
                        progress,
                        "Voorbeeldupdate voor de demo.",
                        &actor,
                    )
                    .await?;
                }
                first_action.get_or_insert(action.id.clone());
            }
        }
    }
    if let Some(action) = &first_action {
        let indicator = indicators::create(
            &mut tx,
            action,
            &IndicatorFields {
                name: "Gerenoveerde woningen (cumulatief)".into(),
                unit: "woningen".into(),
                direction: "hoger".into(),
                baseline_value: "0".into(),
                baseline_date: "01/01/2026".into(),
                targets: "31/12/2027 2.000".into(),
                source: "Premiedatabank (verzonnen voor de demo)".into(),
                frequency: "driemaandelijks".into(),
                definition_key: "woningen-gerenoveerd".into(),
            },
            &actor,
        )
        .await?;
        indicators::add_measurement(
            &mut tx,
            &indicator.id,
            &NewMeasurement {
                measured_on: "31/03/2026".into(),
                value: "180".into(),
                comment: "Eerste kwartaal (demo)".into(),
                author_name: String::new(),
            },
            &actor,
        )
        .await?;
        kwesties::create(
            &mut tx,
            action,
            &KwestieFields {
                kind: "risico".into(),
                title: "Aannemers hebben lange wachttijden".into(),
                description: "Kan de renovaties vertragen (demo).".into(),
                severity: "hoog".into(),
                owner_user_id: editor.unwrap_or_default().to_string(),
                due_date: "30/06/2026".into(),
                status: "open".into(),
            },
            &actor,
        )
        .await?;
    }
    plans::set_publication(
        &mut tx,
        &plan.id,
        true,
        &[
            PublishedField::Description,
            PublishedField::Status,
            PublishedField::Progress,
            PublishedField::Indicators,
        ],
        &actor,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
