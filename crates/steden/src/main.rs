//! `steden`: the Stedenplatform server and command-line tool.
//!
//! Errors end the program with exit code 1 and one line on stderr that starts with "fout:"
//! (in Dutch, without passwords): an operator reads it, not a developer.

mod backup;
mod cli;
mod database;
mod demo;
mod kb_import;
mod nb_bench;
mod nb_bounce;
mod reindex;
mod serve;
mod users;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command, DbArgs, KennisbankCommand, NieuwsbriefCommand, UserCommand};

/// mimalloc instead of the system allocator: a page request allocates many small strings
/// (rows, templates, headers) on several threads, where glibc's malloc spends a fifth of the
/// server's time (measured with perf under bench/run.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("fout: kan de runtime niet starten: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(code) => code,
        Err(err) => {
            // `{:#}` puts the causes on the same line: "context: cause".
            eprintln!("fout: {}", one_line(&format!("{err:#}")));
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<ExitCode> {
    let done = match command {
        Command::Serve(args) => serve::run(args).await,
        Command::Migrate(args) => migrate(args).await,
        Command::Backup(args) => backup::backup(args).await,
        Command::Restore(args) => backup::restore(args).await,
        Command::Reindex(args) => reindex::reindex(args).await,
        // The one command with a third outcome: done, but some lines refused (exit code 2).
        Command::Kennisbank(KennisbankCommand::Import(args)) => {
            return kb_import::import(args).await
        }
        Command::User(UserCommand::CreateAdmin(args)) => users::create_admin(args).await,
        Command::User(UserCommand::SetPassword(args)) => users::set_password(args).await,
        Command::Nieuwsbrief(NieuwsbriefCommand::Bounce(args)) => nb_bounce::bounce(args).await,
        Command::Nieuwsbrief(NieuwsbriefCommand::BenchSeed(args)) => nb_bench::seed(args).await,
        Command::Nieuwsbrief(NieuwsbriefCommand::BenchSend(args)) => nb_bench::send(args).await,
        Command::Nieuwsbrief(NieuwsbriefCommand::BenchImport(args)) => nb_bench::import(args).await,
        Command::Nieuwsbrief(NieuwsbriefCommand::BouncesImap(args)) => {
            nb_bounce::bounces_imap(args).await
        }
    };
    done.map(|()| ExitCode::SUCCESS)
}

/// `steden migrate`: applies what is new and says what it did.
async fn migrate(args: DbArgs) -> anyhow::Result<()> {
    let db = database::open(&args).await?;
    let migrations = database::migrations(&database::modules());
    let result = steden_db::migrate::run(&db, &migrations).await;
    db.close().await;
    let report = result?;
    if report.applied.is_empty() {
        println!(
            "Niets te doen: alle {} migraties zijn al toegepast.",
            report.already_applied
        );
    } else {
        println!("Toegepast:");
        for name in &report.applied {
            println!("  {name}");
        }
        println!(
            "{} nieuwe migratie(s), {} waren al toegepast.",
            report.applied.len(),
            report.already_applied
        );
    }
    Ok(())
}

fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
