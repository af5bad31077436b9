//! The demo's climate dashboard (cj-climate2, issue 15 points 6 and 12) for Antwerpen and Gent:
//! energy use per sector and carrier (MWh) for the base year 2011 and 2016–2025 (2012–2015 left
//! out on purpose: the dashboard says which years are missing), local PV production and public
//! charge points, emission factors with a source, and targets: the Burgemeestersconvenant's
//! −40 % against 2011 for both, and −55 % for Gent. Generated, plausible, not real; every
//! indicator, factor and target is marked as demo. A second run adds nothing.
//!
//! The charge points equal the demo's `demo_laadpunten`, and the PV production is the demo's
//! installed capacity `demo_zonnepanelen` (kWp) × 0,9 MWh per kWp, so the demo's figures agree.

use steden_core::audit::AuditActor;
use steden_db::Db;

use super::{check_published, figure, population, Shape};
use crate::climate::{energy_code, Carrier, Sector, CHARGE_POINTS, PV_PRODUCTION};
use crate::model::{GeoLevel, Period, ValueStatus};
use crate::store::climate::{self as store, FactorFields, TargetFields};
use crate::store::indicators::{self, IndicatorFields};
use crate::store::{geo, values};

/// The demo's cities: REFNIS code and a scale against Antwerpen.
const PLACES: [(&str, f64); 2] = [("11002", 1.0), ("44021", 0.52)];

/// Sector, carrier, Antwerpen's use in 2011 (MWh), the yearly change (0.97 = −3 % a year) in
/// Antwerpen and in Gent (Gent cuts faster: on track for −40 %, not for −55 %).
const ENERGY: [(Sector, Carrier, f64, f64, f64); 12] = [
    (
        Sector::Huishoudens,
        Carrier::Elektriciteit,
        900_000.0,
        0.992,
        0.985,
    ),
    (
        Sector::Huishoudens,
        Carrier::Aardgas,
        3_000_000.0,
        0.985,
        0.968,
    ),
    (
        Sector::Huishoudens,
        Carrier::Stookolie,
        500_000.0,
        0.95,
        0.93,
    ),
    (
        Sector::Tertiair,
        Carrier::Elektriciteit,
        1_200_000.0,
        0.995,
        0.985,
    ),
    (
        Sector::Tertiair,
        Carrier::Aardgas,
        1_300_000.0,
        0.985,
        0.965,
    ),
    (Sector::Tertiair, Carrier::Stookolie, 150_000.0, 0.94, 0.92),
    (
        Sector::Industrie,
        Carrier::Elektriciteit,
        800_000.0,
        0.99,
        0.98,
    ),
    (Sector::Industrie, Carrier::Aardgas, 900_000.0, 0.985, 0.97),
    (Sector::Industrie, Carrier::Stookolie, 100_000.0, 0.95, 0.93),
    (Sector::Transport, Carrier::Diesel, 2_500_000.0, 0.985, 0.97),
    (Sector::Transport, Carrier::Benzine, 700_000.0, 1.0, 0.99),
    (
        Sector::Transport,
        Carrier::Elektriciteit,
        5_000.0,
        1.3,
        1.33,
    ),
];

const BASE_YEAR: i32 = 2011;

/// carrier, kg CO2 per kWh, valid from, valid until, source, source URL.
type DemoFactor = (
    Carrier,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const IPCC: &str = "Demo: standaard IPCC-emissiefactor (2006), zoals het Burgemeestersconvenant \
                    ze aanreikt";
const IPCC_URL: &str = "https://www.ipcc-nggip.iges.or.jp/public/2006gl/";
const GRID: &str = "Demo: gemiddelde emissiefactor van de Belgische elektriciteitsmix \
                    (gegenereerde waarde)";

const FACTORS: [DemoFactor; 7] = [
    (
        Carrier::Elektriciteit,
        "0,220",
        "2010-01-01",
        "2015-12-31",
        GRID,
        "",
    ),
    (
        Carrier::Elektriciteit,
        "0,180",
        "2016-01-01",
        "2020-12-31",
        GRID,
        "",
    ),
    (Carrier::Elektriciteit, "0,150", "2021-01-01", "", GRID, ""),
    (Carrier::Aardgas, "0,202", "2000-01-01", "", IPCC, IPCC_URL),
    (
        Carrier::Stookolie,
        "0,267",
        "2000-01-01",
        "",
        IPCC,
        IPCC_URL,
    ),
    (Carrier::Diesel, "0,267", "2000-01-01", "", IPCC, IPCC_URL),
    (Carrier::Benzine, "0,249", "2000-01-01", "", IPCC, IPCC_URL),
];

/// place, label, base year, target year, reduction, source
const TARGETS: [(&str, &str, &str, &str, &str, &str); 3] = [
    (
        "11002",
        "Burgemeestersconvenant −40%",
        "2011",
        "2030",
        "40",
        "Demo: engagement in het Burgemeestersconvenant voor Klimaat en Energie",
    ),
    (
        "44021",
        "Burgemeestersconvenant −40%",
        "2011",
        "2030",
        "40",
        "Demo: engagement in het Burgemeestersconvenant voor Klimaat en Energie",
    ),
    (
        "44021",
        "Klimaatplan −55%",
        "2011",
        "2030",
        "55",
        "Demo: Lokaal Energie- en Klimaatpact en het klimaatplan van de stad",
    ),
];

fn years() -> Vec<i32> {
    std::iter::once(BASE_YEAR)
        .chain(super::FIRST_YEAR..=super::LAST_YEAR)
        .collect()
}

/// Seeds the climate demo (once: nothing when its first indicator exists).
pub async fn seed(db: &Db) -> anyhow::Result<()> {
    let first = energy_code(ENERGY[0].0, ENERGY[0].1);
    if indicators::find_by_code(db.pool(), &first).await?.is_some() {
        return Ok(());
    }
    let actor = AuditActor::system();
    let mut tx = db.begin().await?;
    let mut period_ids = Vec::new();
    for year in years() {
        let period = Period::parse(&year.to_string()).ok_or_else(|| anyhow::anyhow!("jaar"))?;
        period_ids.push((year, values::ensure_period(&mut tx, &period).await?));
    }
    let mut places = Vec::new();
    for (code, scale) in PLACES {
        let place = geo::find(&mut *tx, GeoLevel::Gemeente, code)
            .await?
            .ok_or_else(|| anyhow::anyhow!("plaats {code}"))?;
        let base = super::city_population(code);
        places.push((code, place.id, scale, base));
    }
    for (sector, carrier, amount, antwerp_rate, gent_rate) in ENERGY {
        let code = energy_code(sector, carrier);
        let fields = IndicatorFields {
            code: code.clone(),
            name: format!(
                "Energieverbruik {} – {}",
                sector_name(sector),
                carrier.as_str()
            ),
            definition: format!(
                "Energieverbruik van de sector {} uit {} per jaar, op het grondgebied van de \
                 stad (gegenereerde demogegevens, geen echte cijfers).",
                sector_name(sector),
                carrier.as_str()
            ),
            unit: "MWh".into(),
            source: "Demo (gegenereerd)".into(),
            theme: "Energie en klimaat".into(),
            aggregation: "sum".into(),
            published: true,
            demo: true,
            ..IndicatorFields::default()
        };
        let indicator_id = indicators::create(&mut tx, &fields, None, &actor).await?;
        for (place_code, place_id, scale, _) in &places {
            let rate = if *place_code == "11002" {
                antwerp_rate
            } else {
                gent_rate
            };
            for (year, period_id) in &period_ids {
                let wobble = super::noise(&format!("{code}/{place_code}/{year}")) - 0.5;
                let value =
                    (amount * scale * rate.powi(year - BASE_YEAR) * (1.0 + 0.02 * wobble)).round();
                write(&mut tx, &indicator_id, place_id, period_id, value, *year).await?;
            }
        }
    }
    // PV production and charge points, from the demo's capacity and charge points.
    for (code, name, unit, source_code, shape, per_unit) in [
        (
            PV_PRODUCTION,
            "Lokale productie zonnepanelen",
            "MWh",
            "demo_zonnepanelen",
            Shape::Count(0.45),
            0.9,
        ),
        (
            CHARGE_POINTS,
            "Publieke laadpunten voor elektrische voertuigen",
            "laadpunten",
            "demo_laadpunten",
            Shape::Count(0.0016),
            1.0,
        ),
    ] {
        let fields = IndicatorFields {
            code: code.into(),
            name: name.into(),
            definition: format!(
                "{name} per jaar (gegenereerde demogegevens, afgeleid van {source_code})."
            ),
            unit: unit.into(),
            source: "Demo (gegenereerd)".into(),
            theme: "Energie en klimaat".into(),
            aggregation: "sum".into(),
            published: true,
            demo: true,
            ..IndicatorFields::default()
        };
        let indicator_id = indicators::create(&mut tx, &fields, None, &actor).await?;
        for (place_code, place_id, _, base) in &places {
            for (year, period_id) in period_ids.iter().filter(|(y, _)| *y >= super::FIRST_YEAR) {
                let people = population(*base, place_code, *year);
                let value =
                    (figure(shape, source_code, place_code, people, *year) * per_unit).round();
                write(&mut tx, &indicator_id, place_id, period_id, value, *year).await?;
            }
        }
    }
    for (carrier, kg, from, until, source, url) in FACTORS {
        store::create_factor(
            &mut tx,
            &FactorFields {
                carrier: carrier.as_str().into(),
                kg_co2_per_kwh: kg.into(),
                valid_from: from.into(),
                valid_until: until.into(),
                source: source.into(),
                source_url: url.into(),
            },
            true,
            &actor,
        )
        .await?;
    }
    for (place, label, base, goal, reduction, source) in TARGETS {
        store::create_target(
            &mut tx,
            &TargetFields {
                place_code: place.into(),
                label: label.into(),
                base_year: base.into(),
                target_year: goal.into(),
                reduction_pct: reduction.into(),
                source: source.into(),
            },
            true,
            &actor,
        )
        .await?;
    }
    // Public only once the disclosure check passed, as publishing does.
    check_published(&mut tx, true).await?;
    tx.commit().await?;
    Ok(())
}

fn sector_name(sector: Sector) -> &'static str {
    match sector {
        Sector::Huishoudens => "huishoudens",
        Sector::Tertiair => "tertiaire sector",
        Sector::Industrie => "industrie (niet-ETS)",
        Sector::Transport => "transport",
    }
}

async fn write(
    tx: &mut steden_db::Tx<'_>,
    indicator_id: &str,
    place_id: &str,
    period_id: &str,
    value: f64,
    year: i32,
) -> anyhow::Result<()> {
    values::upsert(
        tx,
        &values::NewValue {
            indicator_id,
            geo_item_id: place_id,
            period_id,
            value: Some(value),
            status: if year == super::LAST_YEAR {
                ValueStatus::Provisional
            } else {
                ValueStatus::Definitive
            },
            import_id: None,
        },
    )
    .await?;
    Ok(())
}
