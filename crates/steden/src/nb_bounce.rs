//! `steden nieuwsbrief bounce < bericht.eml`: one bounce or complaint, read from standard
//! input, applied as the webhook applies it (steden_nieuwsbrief::bounces), with a Dutch line
//! per report; `steden nieuwsbrief bounces-imap`: the bounce mailbox read once, as its job
//! reads it.

use std::io::Read;

use anyhow::Context;
use steden_nieuwsbrief::bounces::imap::{self, MailboxConfig};
use steden_nieuwsbrief::bounces::{self, MAX_MESSAGE_BYTES};
use steden_nieuwsbrief::store::bounces::Source;

use crate::cli::{DbArgs, ImapArgs};
use crate::database;

pub async fn bounce(args: DbArgs) -> anyhow::Result<()> {
    let mut raw = Vec::new();
    std::io::stdin()
        .take(MAX_MESSAGE_BYTES as u64 + 1)
        .read_to_end(&mut raw)
        .context("kan het bericht niet lezen van standaardinvoer")?;
    let db = database::open(&args).await?;
    let result = async {
        steden_db::migrate::run(&db, &database::migrations(&database::modules())).await?;
        Ok::<_, anyhow::Error>(bounces::receive(&db, &raw, Source::Cli).await?)
    }
    .await;
    db.close().await;
    let applied = result?.map_err(|err| anyhow::anyhow!("{err}"))?;
    if applied.is_empty() {
        println!("Niets te doen: het rapport meldt geen bounce of klacht.");
    }
    for report in &applied {
        println!("{}", bounces::describe(report));
    }
    Ok(())
}

pub async fn bounces_imap(args: ImapArgs) -> anyhow::Result<()> {
    // The reason only: the URL holds the password.
    let mailbox = MailboxConfig::parse(&args.imap_url).map_err(|e| anyhow::anyhow!(e))?;
    let db = database::open(&args.db).await?;
    let result = async {
        steden_db::migrate::run(&db, &database::migrations(&database::modules())).await?;
        imap::poll(&db, &mailbox).await
    }
    .await;
    db.close().await;
    println!("{}", result?.describe());
    Ok(())
}
