//! The demo's joint data request (cj-link, issue 15 point 8): Fluvius, household electricity
//! per statistical sector 2024, asked by the Kenniscentrum for the 13 centrumsteden and the
//! VGC, delivered, and its file imported (the municipal totals, into a shared indicator) the
//! way a data team imports it from the request's page: preview, confirmation, the import job.

use steden_core::audit::AuditActor;
use steden_core::org::{self, OrgKind};
use steden_db::Db;

use super::CITIES;
use crate::import::jobs::{self as import_jobs, Upload};
use crate::import::Options;
use crate::model::ImportKind;
use crate::store::data_requests::{self, RequestFields};
use crate::store::indicators::{self, IndicatorFields};

const CODE: &str = "demo_elektriciteit_huishoudens";
const TITLE: &str = "Energieverbruik per statistische sector 2024";

/// Seeds the request once (nothing when a demo request exists).
pub async fn seed(db: &Db) -> anyhow::Result<()> {
    let pool = db.pool();
    if data_requests::list(pool, None, "", "Fluvius")
        .await?
        .iter()
        .any(|r| r.demo)
    {
        return Ok(());
    }
    let actor = AuditActor::system();
    let Some(kenniscentrum) = org::find_by_slug(pool, crate::access::KENNISCENTRUM_SLUG).await?
    else {
        return Ok(());
    };
    let cities: Vec<String> = org::list(pool)
        .await?
        .into_iter()
        .filter(|o| matches!(o.kind, OrgKind::Centrumstad | OrgKind::Vgc))
        .map(|o| o.id)
        .collect();
    let mut tx = db.begin().await?;
    if indicators::find_by_code(&mut *tx, CODE).await?.is_none() {
        indicators::create(
            &mut tx,
            &IndicatorFields {
                code: CODE.into(),
                name: "Elektriciteitsverbruik huishoudens".into(),
                definition: "Benaderend verbruik van de huishoudens (residentieel, afname).".into(),
                unit: "MWh".into(),
                source: "Fluvius".into(),
                theme: "Energie en klimaat".into(),
                aggregation: "sum".into(),
                published: true,
                demo: true,
                ..IndicatorFields::default()
            },
            None,
            &actor,
        )
        .await?;
    }
    let request_id = data_requests::create(
        &mut tx,
        &RequestFields {
            supplier: "Fluvius".into(),
            title: TITLE.into(),
            question: "Benaderend elektriciteits- en aardgasverbruik van de huishoudens per \
                       statistische sector, jaar 2024, voor de 13 centrumsteden en Brussel \
                       (VGC), met de kleine sectoren samengenomen per gemeente."
                .into(),
            contact_name: "Team open data Fluvius".into(),
            contact_email: String::new(),
            status: "delivered".into(),
            requested_on: "2025-02-03".into(),
            expected_on: "2025-04-30".into(),
            delivered_on: "2025-04-22".into(),
            cities: cities.clone(),
        },
        &cities,
        true,
        &actor,
    )
    .await?;
    tx.commit().await?;
    // The delivered file, as the Kenniscentrum imports it for the shared indicator.
    let mut csv = String::from("indicator;geo;period;value\n");
    for (code, _) in CITIES {
        let population = super::city_population(code);
        csv.push_str(&format!(
            "{CODE};{code};2024;{}\n",
            (population * 1.55).round()
        ));
    }
    let (import_id, report) = import_jobs::preview(
        db,
        &Upload {
            kind: ImportKind::LongCsv,
            filename: "fluvius_verbruik_2024.csv",
            bytes: csv.as_bytes(),
            options: Options::default(),
            organisation_id: &kenniscentrum.id,
            created_by: None,
            delivered_for: Some(&request_id),
        },
    )
    .await?;
    if report.errors.is_empty() {
        import_jobs::confirm(db, &import_id, &actor).await?;
        import_jobs::run(db, &import_id, &actor, |_, _, _| async { Ok(()) })
            .await
            .map_err(|e| anyhow::anyhow!("demo-import van de data-aanvraag: {e:?}"))?;
    }
    Ok(())
}
