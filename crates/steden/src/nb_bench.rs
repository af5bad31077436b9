//! `steden nieuwsbrief bench-seed` and `bench-send` (hidden): the two halves of
//! `bench/nieuwsbrief.sh` (issue 14 point 11), so that the script can measure the sending
//! process alone (`/usr/bin/time -v` around `bench-send`). Each prints one line of
//! `name=value` pairs for the script.

use std::time::Instant;

use steden_nieuwsbrief::send::setup::{Delivery, SendSetup};

use crate::cli::{NbBenchImportArgs, NbBenchSeedArgs, NbBenchSendArgs};
use crate::database;

pub async fn seed(args: NbBenchSeedArgs) -> anyhow::Result<()> {
    let db = database::open(&args.common.db).await?;
    let result = async {
        steden_db::migrate::run(&db, &database::migrations(&database::modules())).await?;
        let setup = SendSetup::new(
            &args.common.base_url,
            &args.common.mail_from,
            Delivery::Smtp("smtp://127.0.0.1:25".into()),
        )?;
        let started = Instant::now();
        let seeded = steden_nieuwsbrief::bench::seed(&db, args.subscribers, &setup).await?;
        println!(
            "campaign={} recipients={} message_bytes={} links={} seconds={:.2}",
            seeded.campaign_id,
            seeded.recipients,
            seeded.message_bytes,
            seeded.links,
            started.elapsed().as_secs_f64()
        );
        Ok::<_, anyhow::Error>(())
    }
    .await;
    db.close().await;
    result
}

pub async fn send(args: NbBenchSendArgs) -> anyhow::Result<()> {
    let db = database::open(&args.common.db).await?;
    let result = async {
        let setup = SendSetup::new(
            &args.common.base_url,
            &args.common.mail_from,
            Delivery::Smtp(args.smtp_url.clone()),
        )?;
        let sent =
            steden_nieuwsbrief::bench::send(&db, setup, &args.campaign, args.concurrency).await?;
        let seconds = sent.elapsed.as_secs_f64();
        println!(
            "recipients={} sent={} failed={} seconds={:.2} per_second={:.0}",
            sent.recipients,
            sent.sent,
            sent.failed,
            seconds,
            sent.sent as f64 / seconds
        );
        Ok::<_, anyhow::Error>(())
    }
    .await;
    db.close().await;
    result
}

pub async fn import(args: NbBenchImportArgs) -> anyhow::Result<()> {
    let db = database::open(&args.db).await?;
    let result = async {
        steden_db::migrate::run(&db, &database::migrations(&database::modules())).await?;
        let done = steden_nieuwsbrief::bench::import(&db, args.lines, args.confirmed).await?;
        let seconds = done.elapsed.as_secs_f64();
        println!(
            "lines={} created={} refused={} seconds={:.2} per_second={:.0}",
            done.lines,
            done.created,
            done.refused,
            seconds,
            done.lines as f64 / seconds
        );
        Ok::<_, anyhow::Error>(())
    }
    .await;
    db.close().await;
    result
}
