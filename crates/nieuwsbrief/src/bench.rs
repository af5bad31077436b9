//! What `bench/nieuwsbrief.sh` needs (issue 14 point 11, design §4.3), behind the hidden
//! commands `steden nieuwsbrief bench-seed` and `bench-send`: a list of generated confirmed
//! subscribers and a realistic campaign to them (five sections, a dozen links, rendered and
//! frozen by the real scheduling path), and a run of the real sending job to its end.
//!
//! Nothing here is reachable from the web: it writes fake subscribers (`lezer…@example.org`)
//! into whatever database it is given, so it is meant for a fresh, throw-away one.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use steden_core::audit::AuditActor;
use steden_db::jobs::{Registry, WorkerOptions, WorkerPool};
use steden_db::{now_ms, Db};

use crate::model::{CampaignStatus, Language};
use crate::send::message::{self, CampaignMail, Recipient};
use crate::send::setup::{SendSetup, SetupCell, CONCURRENCY_SETTING};
use crate::store::{bench, blocks, campaigns, deliveries, sections};
use crate::{links, scheduling};

/// The list the generated subscribers are on.
const LIST_ID: &str = "nb-algemeen";
const LIST_SLUG: &str = "algemeen";

/// Subscribers written per transaction.
const SEED_CHUNK: usize = 10_000;

/// A newsletter as the Kenniscentrum writes one: section title and Markdown with its links.
const SECTIONS: [(&str, &str); 5] = [
    (
        "Aankondigingen",
        "**Studiedag Stedelijk Beleid op 12 maart.** Het Kenniscentrum nodigt beleidsmakers van de \
         dertien centrumsteden en de VGC uit voor een dag over woonbeleid, klimaat en de \
         stadsvernieuwing. [Programma en inschrijving](https://www.vlaamsesteden.be/studiedag)\n\n\
         De nieuwe [Stadsmonitor](https://www.stadsmonitor.be/) is online, met cijfers per stad \
         over wonen, werk, mobiliteit en samenleven. Lees ook [het persbericht]\
         (https://www.vlaamsesteden.be/pers/stadsmonitor).",
    ),
    (
        "Kennis",
        "**Datamaturiteit van lokale besturen.** Een nieuwe publicatie vat samen wat de steden \
         leerden uit drie jaar Smart Flanders: governance, open data en samenwerking met de \
         regio. [Download de publicatie](https://www.vlaamsesteden.be/kennisbank/datamaturiteit)\n\n\
         - [Handleiding GDPR voor stadsdiensten](https://www.vlaamsesteden.be/kennisbank/gdpr)\n\
         - [Dataset leegstand 2025](https://www.vlaamsesteden.be/kennisbank/leegstand)",
    ),
    (
        "Beleid",
        "Het Lokaal Energie- en Klimaatpact gaat zijn tweede fase in. De steden engageren zich voor \
         renovatie, deelmobiliteit en ontharding; de Vlaamse Regering legt de middelen vast in \
         [het besluit van 14 februari](https://www.vlaanderen.be/klimaatpact). Wat dit voor uw \
         stad betekent, leest u in [onze analyse](https://www.vlaamsesteden.be/beleid/klimaatpact).",
    ),
    (
        "Stadsprojecten",
        "Gent opent de vernieuwde [Dampoortsite](https://stad.gent/dampoort), Leuven start met \
         [buurtbudgetten](https://www.leuven.be/buurtbudget) en Mechelen deelt zijn ervaringen \
         met [de schoolstraten](https://www.mechelen.be/schoolstraten). Projecten van uw stad in \
         deze nieuwsbrief? Mail ons.",
    ),
    (
        "Internationaal",
        "Eurocities publiceerde [een rapport over betaalbaar wonen in Europese steden]\
         (https://eurocities.eu/latest/affordable-housing), met voorbeelden uit Wenen, Barcelona \
         en Utrecht. Het [Urban Agenda Partnership](https://www.urbanagenda.urban-initiative.eu/) \
         zoekt steden voor zijn nieuwe ronde.",
    ),
];

/// What [`seed`] made.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub campaign_id: String,
    pub recipients: i64,
    /// The size of one recipient's message as the SMTP server receives it (headers, both
    /// parts, encoded): the message size of the load generator's anchor.
    pub message_bytes: usize,
    pub links: usize,
}

/// Writes `subscribers` generated confirmed subscribers on the list `algemeen` and a campaign
/// to them, frozen and queued to send now (through [`scheduling::schedule`], as an editor's
/// "nu versturen" does). `setup` only serves to measure one message.
pub async fn seed(db: &Db, subscribers: usize, setup: &SendSetup) -> anyhow::Result<Seeded> {
    let mut from = 0;
    while from < subscribers {
        let count = SEED_CHUNK.min(subscribers - from);
        let mut tx = db.begin().await?;
        bench::insert_confirmed(&mut tx, from, count, LIST_ID).await?;
        tx.commit().await?;
        from += count;
    }
    let actor = AuditActor::system();
    let mut tx = db.begin().await?;
    let campaign_id = campaigns::create(
        &mut tx,
        &campaigns::NewCampaign {
            subject: "Nieuwsbrief Kenniscentrum Vlaamse Steden – maart".into(),
            preheader: "Studiedag, Stadsmonitor, klimaatpact en meer".into(),
            template_id: None,
            language: Language::Nl,
            lists: vec![LIST_SLUG.into()],
            created_by: None,
        },
    )
    .await?;
    for (title, markdown) in SECTIONS {
        let section = sections::add(&mut tx, &campaign_id, title, &actor).await?;
        blocks::add_markdown(&mut tx, &campaign_id, &section, markdown, &actor).await?;
    }
    let recipients =
        scheduling::schedule(&mut tx, &campaign_id, now_ms(), &setup.base_url, &actor).await?;
    tx.commit().await?;
    let (html, text) = campaigns::frozen(db.pool(), &campaign_id)
        .await?
        .context("de campagne is niet bevroren")?;
    let links_count = html.matches("href=\"http").count();
    let mail = CampaignMail::new(
        campaign_id.clone(),
        "Nieuwsbrief Kenniscentrum Vlaamse Steden – maart".into(),
        html,
        text,
    );
    let signer = links::signer(db).await?;
    let links = message::links(setup, &signer, "0", now_ms());
    let recipient = Recipient {
        subscriber_id: "0".into(),
        email: "lezer000000@example.org".into(),
        name: "Lezer 0".into(),
    };
    let one = message::build(setup, &mail, &recipient, &links).map_err(anyhow::Error::msg)?;
    Ok(Seeded {
        campaign_id,
        recipients,
        message_bytes: one.formatted().len(),
        links: links_count,
    })
}

/// What [`send`] measured.
#[derive(Debug, Clone)]
pub struct Sent {
    pub recipients: i64,
    pub sent: i64,
    pub failed: i64,
    /// From the worker's start to the campaign's `verzonden` (listing the recipients included).
    pub elapsed: Duration,
}

/// Runs the real sending job (one worker, as a server runs it) for every campaign queued in
/// `db` and waits until `campaign_id` is sent; `concurrency` overrides the setting.
pub async fn send(
    db: &Db,
    setup: SendSetup,
    campaign_id: &str,
    concurrency: Option<usize>,
) -> anyhow::Result<Sent> {
    if let Some(concurrency) = concurrency {
        steden_core::settings::set(db, CONCURRENCY_SETTING, &concurrency.to_string()).await?;
    }
    let mut registry = Registry::new();
    crate::send::job::register(&mut registry, SetupCell::with(setup));
    let started = Instant::now();
    let pool = WorkerPool::start_with(
        db.clone(),
        Arc::new(registry),
        WorkerOptions {
            workers: 1,
            name: "bench".into(),
            poll_interval: Duration::from_millis(20),
            ..WorkerOptions::default()
        },
    );
    let outcome = loop {
        tokio::time::sleep(Duration::from_millis(20)).await;
        match deliveries::status(db, campaign_id).await? {
            CampaignStatus::Verzonden => break Ok(started.elapsed()),
            CampaignStatus::Gepland | CampaignStatus::Bezig => {}
            other => break Err(anyhow::anyhow!("de campagne is {}", other.as_str())),
        }
        if started.elapsed() > Duration::from_secs(3_600) {
            break Err(anyhow::anyhow!("niet verzonden binnen een uur"));
        }
    };
    pool.shutdown().await;
    let elapsed = outcome?;
    let counts = deliveries::counts(db.pool(), campaign_id).await?;
    Ok(Sent {
        recipients: counts.total(),
        sent: counts.verzonden,
        failed: counts.mislukt,
        elapsed,
    })
}

/// What [`import`] measured.
#[derive(Debug, Clone)]
pub struct Imported {
    pub lines: i64,
    pub created: i64,
    pub refused: i64,
    /// From the worker's start to the import's end.
    pub elapsed: Duration,
}

/// Imports a generated CSV of `lines` new addresses (`import…@example.org`, list `algemeen`)
/// through the real import job (one worker), as the upload form stores it: unconfirmed (each
/// gets the confirmation mail in the outbox) or, with `confirmed`, on a stated legal basis.
pub async fn import(db: &Db, lines: usize, confirmed: bool) -> anyhow::Result<Imported> {
    use crate::import::job::{self, Payload};
    use crate::import::source::FileKind;
    use crate::store::imports::{self, NewImport};

    let mut csv = String::from("email,naam,lijsten\n");
    for n in 0..lines {
        csv.push_str(&format!("import{n:06}@example.org,Lezer {n},{LIST_SLUG}\n"));
    }
    let lists = [LIST_SLUG.to_string()];
    let mut tx = db.begin().await?;
    let import_id = imports::create(
        &mut tx,
        &NewImport {
            file_name: "meting.csv",
            kind: Some(FileKind::Csv),
            lists: &lists,
            confirmed,
            basis_kind: confirmed.then_some("toestemming"),
            basis_text: confirmed.then_some("meting"),
            source: confirmed.then_some("bench/nieuwsbrief_import.sh"),
            readd: false,
            created_by: None,
        },
        csv.as_bytes(),
        now_ms(),
    )
    .await?;
    let payload = Payload {
        import_id: import_id.clone(),
        base_url: "https://stedenplatform.example.org".into(),
    };
    let job_id = job::queue(&mut tx, &payload, None).await?;
    imports::set_job(&mut tx, &import_id, &job_id).await?;
    tx.commit().await?;
    drop(csv);

    let mut registry = Registry::new();
    job::register_jobs(&mut registry);
    let started = Instant::now();
    let pool = WorkerPool::start_with(
        db.clone(),
        Arc::new(registry),
        WorkerOptions {
            workers: 1,
            name: "bench".into(),
            poll_interval: Duration::from_millis(20),
            ..WorkerOptions::default()
        },
    );
    let outcome = loop {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let import = imports::find(db.pool(), &import_id)
            .await?
            .context("de import is verdwenen")?;
        if import.status.is_finished() {
            break Ok((import, started.elapsed()));
        }
        if started.elapsed() > Duration::from_secs(3_600) {
            break Err(anyhow::anyhow!("niet klaar binnen een uur"));
        }
    };
    pool.shutdown().await;
    let (import, elapsed) = outcome?;
    Ok(Imported {
        lines: import.counts.lines(),
        created: import.counts.created,
        refused: import.counts.refused,
        elapsed,
    })
}
