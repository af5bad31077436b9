//! Demo content for `serve --demo`: the 13 centrumsteden, the VGC (Brussel) and the Vlaams
//! Gewest, the REFNIS crosswalk of the 2025 mergers that touch them, two wijken of Gent made of
//! sectors, and a few dozen indicators over ten years. The figures are generated (plausible,
//! not real) and every indicator is marked as demo. A second run adds nothing.

use steden_core::audit::AuditActor;
use steden_db::Db;

use crate::model::{GeoLevel, Period, ValueStatus};
use crate::store::geo::{self, NewGeoItem};
use crate::store::indicators::{self, IndicatorFields};
use crate::store::{aggregation, values};

// cj-climate2: the climate dashboard of Antwerpen and Gent
mod climate;
mod geometry;
// cj-link: the demo's joint data request
mod requests;
pub use geometry::seed_geometry;

pub use crate::model::{CITIES, FLANDERS_CODE};

/// The demo's population of each city of [`CITIES`] around 2024 (rounded), the base of the
/// generated series.
const POPULATION: [(&str, f64); 14] = [
    ("41002", 89_000.0),
    ("11002", 536_000.0),
    ("31005", 119_000.0),
    ("71016", 67_000.0),
    ("44021", 267_000.0),
    ("71072", 88_500.0),
    ("34022", 79_000.0),
    ("24062", 103_000.0),
    ("12025", 88_000.0),
    ("35013", 72_000.0),
    ("36015", 64_000.0),
    ("46021", 80_000.0),
    ("13040", 46_000.0),
    ("21004", 196_000.0),
];

/// The demo population of city `code` (0 for a place that is not one of [`CITIES`]).
pub(crate) fn city_population(code: &str) -> f64 {
    POPULATION
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(0.0, |(_, p)| *p)
}

/// Municipalities merged on 1 January 2025 that the series above need: old code, name, new
/// code, share of the new municipality's population.
const MERGED: [(&str, &str, &str, f64); 3] = [
    ("71022", "Hasselt (tot 2024)", "71072", 0.903),
    ("71034", "Kortessem", "71072", 0.097),
    ("11007", "Borsbeek", "11002", 0.0),
];

const FIRST_YEAR: i32 = 2016;
const LAST_YEAR: i32 = 2025;

/// How an indicator's demo figures are made.
#[derive(Clone, Copy)]
enum Shape {
    /// A count: `rate` per inhabitant.
    Count(f64),
    /// A percentage around `base`, spread ± `spread`.
    Percent(f64, f64),
    /// A mean around `base`.
    Mean(f64, f64),
}

/// code, name, theme, unit, decimals, shape
const SPECS: [(&str, &str, &str, &str, i64, Shape); 24] = [
    (
        "demo_huishoudens",
        "Aantal huishoudens",
        "Bevolking",
        "huishoudens",
        0,
        Shape::Count(0.45),
    ),
    (
        "demo_geboorten",
        "Aantal geboorten",
        "Bevolking",
        "geboorten",
        0,
        Shape::Count(0.011),
    ),
    (
        "demo_overlijdens",
        "Aantal overlijdens",
        "Bevolking",
        "overlijdens",
        0,
        Shape::Count(0.0095),
    ),
    (
        "demo_aandeel_65plus",
        "Aandeel 65-plussers",
        "Bevolking",
        "%",
        1,
        Shape::Percent(19.0, 4.0),
    ),
    (
        "demo_aandeel_jongeren",
        "Aandeel jongeren (0-17 jaar)",
        "Bevolking",
        "%",
        1,
        Shape::Percent(20.0, 3.0),
    ),
    (
        "demo_gemiddelde_leeftijd",
        "Gemiddelde leeftijd",
        "Bevolking",
        "jaar",
        1,
        Shape::Mean(41.0, 2.5),
    ),
    (
        "demo_diversiteit",
        "Inwoners met een buitenlandse herkomst",
        "Bevolking",
        "%",
        1,
        Shape::Percent(35.0, 15.0),
    ),
    (
        "demo_werkzoekenden",
        "Niet-werkende werkzoekenden",
        "Werk en economie",
        "personen",
        0,
        Shape::Count(0.045),
    ),
    (
        "demo_werkzaamheidsgraad",
        "Werkzaamheidsgraad (20-64 jaar)",
        "Werk en economie",
        "%",
        1,
        Shape::Percent(70.0, 5.0),
    ),
    (
        "demo_ondernemingen",
        "Actieve ondernemingen",
        "Werk en economie",
        "ondernemingen",
        0,
        Shape::Count(0.09),
    ),
    (
        "demo_oprichtingen",
        "Oprichtingen van ondernemingen",
        "Werk en economie",
        "ondernemingen",
        0,
        Shape::Count(0.009),
    ),
    (
        "demo_mediaan_inkomen",
        "Mediaan netto belastbaar inkomen per aangifte",
        "Werk en economie",
        "euro",
        0,
        Shape::Mean(26_000.0, 2_500.0),
    ),
    (
        "demo_leefloners",
        "Leefloongerechtigden",
        "Welzijn",
        "personen",
        0,
        Shape::Count(0.012),
    ),
    (
        "demo_kansarmoede",
        "Kansarmoede-index (geboorten)",
        "Welzijn",
        "%",
        1,
        Shape::Percent(22.0, 9.0),
    ),
    (
        "demo_kinderopvang",
        "Plaatsen in de kinderopvang per 100 kinderen",
        "Welzijn",
        "plaatsen",
        1,
        Shape::Mean(55.0, 10.0),
    ),
    (
        "demo_sociale_woningen",
        "Sociale huurwoningen",
        "Wonen",
        "woningen",
        0,
        Shape::Count(0.035),
    ),
    (
        "demo_woningprijs",
        "Mediaanprijs van een woonhuis",
        "Wonen",
        "euro",
        0,
        Shape::Mean(290_000.0, 45_000.0),
    ),
    (
        "demo_leegstand",
        "Geregistreerde leegstaande woningen",
        "Wonen",
        "woningen",
        0,
        Shape::Count(0.004),
    ),
    (
        "demo_wagens",
        "Personenwagens per 1000 inwoners",
        "Mobiliteit",
        "wagens",
        0,
        Shape::Mean(430.0, 60.0),
    ),
    (
        "demo_fietsongevallen",
        "Verkeersongevallen met fietsers",
        "Mobiliteit",
        "ongevallen",
        0,
        Shape::Count(0.0012),
    ),
    (
        "demo_co2",
        "CO2-uitstoot (niet-ETS)",
        "Energie en klimaat",
        "ton CO2",
        0,
        Shape::Count(5.2),
    ),
    (
        "demo_zonnepanelen",
        "Geïnstalleerd vermogen zonnepanelen",
        "Energie en klimaat",
        "kWp",
        0,
        Shape::Count(0.45),
    ),
    (
        "demo_laadpunten",
        "Publieke laadpunten",
        "Energie en klimaat",
        "laadpunten",
        0,
        Shape::Count(0.0016),
    ),
    (
        "demo_groen",
        "Groen binnen 400 meter van de woning",
        "Omgeving",
        "%",
        1,
        Shape::Percent(75.0, 12.0),
    ),
];

/// A number in [0, 1) from a text, the same on every run (no random source: a second run must
/// write the same figures).
fn noise(key: &str) -> f64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (hash % 10_000) as f64 / 10_000.0
}

fn figure(shape: Shape, code: &str, place: &str, population: f64, year: i32) -> f64 {
    let trend = f64::from(year - FIRST_YEAR) / 10.0;
    let wobble = noise(&format!("{code}/{place}/{year}")) - 0.5;
    let character = noise(&format!("{code}/{place}")) - 0.5;
    match shape {
        Shape::Count(rate) => {
            (population * rate * (1.0 + 0.3 * character + 0.04 * wobble + 0.05 * trend)).round()
        }
        Shape::Percent(base, spread) => {
            (base + spread * 2.0 * character + 0.6 * wobble + trend).clamp(0.0, 100.0)
        }
        Shape::Mean(base, spread) => {
            base + spread * 2.0 * character + spread * 0.1 * wobble + spread * 0.2 * trend
        }
    }
}

/// The population of a place in a year (it grows a little each year).
fn population(base: f64, place: &str, year: i32) -> f64 {
    let growth = 1.0 + 0.004 * f64::from(year - 2024) + 0.002 * (noise(place) - 0.5);
    (base * growth).round()
}

pub async fn seed(db: &Db) -> anyhow::Result<()> {
    seed_figures(db).await?;
    // cj-link:
    requests::seed(db).await?;
    seed_themes(db).await?;
    // cj-climate2:
    climate::seed(db).await
}

/// The places, the crosswalk, the indicators and their values (once).
async fn seed_figures(db: &Db) -> anyhow::Result<()> {
    if indicators::find_by_code(db.pool(), "demo_bevolking")
        .await?
        .is_some()
    {
        // Demo geometry and the disclosure gate came later: a database seeded before gets the
        // geometry, and what is published but unchecked is checked.
        seed_geometry(db).await?;
        let mut tx = db.begin().await?;
        check_published(&mut tx, true).await?;
        tx.commit().await?;
        return Ok(());
    }
    let actor = AuditActor::system();
    let gent_org = steden_core::org::find_by_slug(db.pool(), "gent")
        .await?
        .map(|o| o.id);
    let mut tx = db.begin().await?;
    let flanders = geo::ensure(
        &mut tx,
        GeoLevel::Gewest,
        &NewGeoItem {
            code: FLANDERS_CODE,
            name: "Vlaams Gewest",
            ..NewGeoItem::default()
        },
    )
    .await?;
    let mut places = Vec::new();
    for (code, name) in CITIES {
        let base = city_population(code);
        let valid_from = (code == "71072").then_some("2025-01-01");
        let id = geo::ensure(
            &mut tx,
            GeoLevel::Gemeente,
            &NewGeoItem {
                code,
                name,
                valid_from,
                ..NewGeoItem::default()
            },
        )
        .await?;
        places.push((id, code, base));
    }
    let mut old_places = Vec::new();
    for (code, name, new_code, share) in MERGED {
        let id = geo::ensure(
            &mut tx,
            GeoLevel::Gemeente,
            &NewGeoItem {
                code,
                name,
                valid_to: Some("2024-12-31"),
                ..NewGeoItem::default()
            },
        )
        .await?;
        geo::add_crosswalk(&mut tx, code, new_code, "2025-01-01").await?;
        old_places.push((id, code, new_code, share));
    }
    // Antwerpen keeps its code and absorbs Borsbeek.
    geo::add_crosswalk(&mut tx, "11002", "11002", "2025-01-01").await?;

    let population_fields = IndicatorFields {
        code: "demo_bevolking".into(),
        name: "Bevolking op 1 januari".into(),
        definition:
            "Aantal inwoners ingeschreven in het Rijksregister op 1 januari (demogegevens).".into(),
        unit: "inwoners".into(),
        source: "Demo (gegenereerd)".into(),
        theme: "Bevolking".into(),
        aggregation: "sum".into(),
        published: true,
        demo: true,
        ..IndicatorFields::default()
    };
    let population_id = indicators::create(&mut tx, &population_fields, None, &actor).await?;
    let mut specs = vec![(population_id, "demo_bevolking".to_string(), None::<Shape>)];
    for (code, name, theme, unit, decimals, shape) in SPECS {
        let (aggregation, weight) = match shape {
            Shape::Count(_) => ("sum", ""),
            Shape::Percent(..) | Shape::Mean(..) => ("weighted_mean", "demo_bevolking"),
        };
        let fields = IndicatorFields {
            code: code.into(),
            name: name.into(),
            definition: format!("{name} (gegenereerde demogegevens, geen echte cijfers)."),
            unit: unit.into(),
            source: "Demo (gegenereerd)".into(),
            theme: theme.into(),
            decimals,
            aggregation: aggregation.into(),
            weight_code: weight.into(),
            published: code != "demo_kinderopvang",
            demo: true,
            min_count: matches!(shape, Shape::Count(_)).then_some(5),
            ..IndicatorFields::default()
        };
        let id = indicators::create(&mut tx, &fields, None, &actor).await?;
        specs.push((id, code.to_string(), Some(shape)));
    }
    let mut period_ids = Vec::new();
    for year in FIRST_YEAR..=LAST_YEAR {
        let period = Period::parse(&year.to_string()).ok_or_else(|| anyhow::anyhow!("jaar"))?;
        period_ids.push((year, values::ensure_period(&mut tx, &period).await?));
    }
    for (indicator_id, code, shape) in &specs {
        for (year, period_id) in &period_ids {
            let mut rows: Vec<(String, f64, ValueStatus)> = Vec::new();
            for (geo_id, place, base) in &places {
                let people = population(*base, place, *year);
                let figure_of = |p: f64| match shape {
                    None => p,
                    Some(shape) => figure(*shape, code, place, p, *year),
                };
                let merged = old_places
                    .iter()
                    .filter(|(_, _, new, share)| new == place && *share > 0.0);
                if *year < 2025 && merged.clone().count() > 0 {
                    // Before the merger the figures are the old municipalities'.
                    for (old_id, old, _, share) in merged {
                        let value = match shape {
                            None | Some(Shape::Count(_)) => (figure_of(people) * share).round(),
                            Some(other) => figure(*other, code, old, people * share, *year),
                        };
                        rows.push((old_id.clone(), value, ValueStatus::Definitive));
                    }
                    continue;
                }
                let value = figure_of(people);
                // One small count is under its minimum and comes suppressed, as a source
                // would deliver it.
                let status = if code == "demo_leefloners" && *place == "13040" && *year == 2017 {
                    ValueStatus::Suppressed
                } else if *year == LAST_YEAR {
                    ValueStatus::Provisional
                } else {
                    ValueStatus::Definitive
                };
                rows.push((geo_id.clone(), value, status));
            }
            let flanders_people = 6_820_000.0 * (1.0 + 0.005 * f64::from(year - 2024));
            let flemish = match shape {
                None => flanders_people.round(),
                Some(shape) => figure(*shape, code, "vlaanderen", flanders_people, *year),
            };
            rows.push((flanders.clone(), flemish, ValueStatus::Definitive));
            for (geo_id, value, status) in rows {
                values::upsert(
                    &mut tx,
                    &values::NewValue {
                        indicator_id,
                        geo_item_id: &geo_id,
                        period_id,
                        value: Some(value),
                        status,
                        import_id: None,
                    },
                )
                .await?;
            }
        }
    }
    // Two wijken of Gent, each a set of statistical sectors with their own population.
    let sectors = [
        ("44021A00-", "Gent-Centrum", 4_200.0),
        ("44021A01-", "Sint-Michiels-Centrum", 3_100.0),
        ("44021B00-", "Brugse Poort-Noord", 5_300.0),
        ("44021B01-", "Brugse Poort-Zuid", 4_800.0),
    ];
    let (_, period_2024) = period_ids
        .iter()
        .find(|(y, _)| *y == 2024)
        .cloned()
        .unwrap_or_default();
    let population = indicators::get_by_code(&mut *tx, "demo_bevolking").await?;
    for (code, name, people) in sectors {
        let id = geo::ensure(
            &mut tx,
            GeoLevel::Sector,
            &NewGeoItem {
                code,
                name,
                municipality_code: Some("44021"),
                ..NewGeoItem::default()
            },
        )
        .await?;
        values::upsert(
            &mut tx,
            &values::NewValue {
                indicator_id: &population.id,
                geo_item_id: &id,
                period_id: &period_2024,
                value: Some(people),
                status: ValueStatus::Definitive,
                import_id: None,
            },
        )
        .await?;
    }
    for (code, name, members) in [
        ("GENT-BINNENSTAD", "Binnenstad", ["44021A00-", "44021A01-"]),
        (
            "GENT-BRUGSEPOORT",
            "Brugse Poort",
            ["44021B00-", "44021B01-"],
        ),
    ] {
        geo::ensure(
            &mut tx,
            GeoLevel::Wijk,
            &NewGeoItem {
                code,
                name,
                municipality_code: Some("44021"),
                owner_org_id: gent_org.as_deref(),
                ..NewGeoItem::default()
            },
        )
        .await?;
        let wijk = geo::find(&mut *tx, GeoLevel::Wijk, code)
            .await?
            .ok_or_else(|| anyhow::anyhow!("wijk"))?;
        geo::set_wijk_sectors(&mut tx, &wijk, &members, &actor).await?;
    }
    aggregation::aggregate_to_wijken(&mut tx, &population, "44021", &actor).await?;
    tx.commit().await?;
    // The sector values of the demo map come with the geometry; the check comes last, so that
    // they are checked (and so public) too.
    seed_geometry(db).await?;
    let mut tx = db.begin().await?;
    check_published(&mut tx, false).await?;
    tx.commit().await?;
    Ok(())
}

/// Runs the disclosure check of every published demo indicator (all of them, or only those
/// whose last check did not pass), as publishing would: the public sees nothing unchecked.
async fn check_published(tx: &mut steden_db::Tx<'_>, unchecked_only: bool) -> anyhow::Result<()> {
    for indicator in indicators::list(&mut **tx).await? {
        if !(indicator.demo && indicator.published)
            || (unchecked_only && indicator.disclosure_passed)
        {
            continue;
        }
        let check = crate::gate::run(
            tx,
            &indicator,
            &AuditActor::system(),
            crate::gate::Trigger::Demo,
        )
        .await?;
        if !check.passed {
            anyhow::bail!("demo-indicator {}: {}", indicator.code, check.summary);
        }
    }
    Ok(())
}

/// The demo's fact-sheet themes: name, intro, and (indicator code, key figure) in order. The
/// unpublished `demo_kinderopvang` is in the second on purpose: it stays off the fact sheets
/// until it is published.
/// A demo theme: name, intro, and (indicator code, key figure) in order.
type DemoTheme = (&'static str, &'static str, &'static [(&'static str, bool)]);

const THEMES: [DemoTheme; 2] = [
    (
        "Bevolking",
        "Hoeveel mensen wonen er in de stad, hoe oud zijn ze en hoe verandert dat? \
         (Demogegevens: gegenereerd, geen echte cijfers.)",
        &[
            ("demo_bevolking", true),
            ("demo_aandeel_65plus", true),
            ("demo_huishoudens", true),
            ("demo_aandeel_jongeren", false),
            ("demo_gemiddelde_leeftijd", false),
            ("demo_geboorten", false),
        ],
    ),
    (
        "Armoede en wonen",
        "Leefloon, kansarmoede en de woningmarkt in de stad. \
         (Demogegevens: gegenereerd, geen echte cijfers.)",
        &[
            ("demo_leefloners", true),
            ("demo_kansarmoede", true),
            ("demo_woningprijs", true),
            ("demo_sociale_woningen", false),
            ("demo_leegstand", false),
            ("demo_kinderopvang", false),
        ],
    ),
];

/// The fact-sheet themes of the demo (each once, by its slug).
async fn seed_themes(db: &Db) -> anyhow::Result<()> {
    use crate::store::themes::{self, ThemeEntry, ThemeFields};
    let actor = AuditActor::system();
    for (name, intro, entries) in THEMES {
        if themes::find(db.pool(), &themes::slugify(name))
            .await?
            .is_some()
        {
            continue;
        }
        let fields = ThemeFields {
            name: name.into(),
            intro: intro.into(),
            indicators: entries
                .iter()
                .map(|(code, key_figure)| ThemeEntry {
                    code: (*code).into(),
                    key_figure: *key_figure,
                })
                .collect(),
        };
        let mut tx = db.begin().await?;
        themes::create(&mut tx, &fields, true, &actor).await?;
        tx.commit().await?;
    }
    Ok(())
}
