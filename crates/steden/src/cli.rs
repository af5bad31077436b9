//! The command line: `steden serve`, `migrate`, `backup`, `restore`, `reindex`,
//! `kennisbank import` and `user …`.
//! Every setting has a flag and an environment variable twin (the table in the README lists
//! them all).

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "steden",
    version,
    about = "Stedenplatform: de server en het beheerprogramma",
    long_about = "Stedenplatform: het platform van het Kenniscentrum Vlaamse Steden en de \
                  centrumsteden. Zonder DATABASE_URL werkt het met een SQLite-bestand in de \
                  datamap (standaard ./data)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start de webserver (past eerst de migraties toe).
    Serve(ServeArgs),
    /// Pas de databankmigraties toe en toon welke nieuw waren.
    Migrate(DbArgs),
    /// Maak een back-up van de databank terwijl de server draait.
    Backup(BackupArgs),
    /// Zet een back-up terug (SQLite; stop de server eerst).
    Restore(RestoreArgs),
    /// Bouw de zoekindex van de Kennisbank opnieuw op uit de databank (ook op elke draaiende
    /// server).
    Reindex(DbArgs),
    /// De Kennisbank: documenten in bulk importeren.
    #[command(subcommand)]
    Kennisbank(KennisbankCommand),
    /// Beheer van gebruikersaccounts.
    #[command(subcommand)]
    User(UserCommand),
    /// De nieuwsbrief: bounces en klachten verwerken.
    #[command(subcommand)]
    Nieuwsbrief(NieuwsbriefCommand),
}

/// Where the database is: shared by every command.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// Map voor de SQLite-databank en de uitgaande mail (.eml).
    #[arg(long, env = "STEDEN_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Databank: sqlite://PAD of postgres://GEBRUIKER:WACHTWOORD@HOST/DATABANK.
    /// Standaard een SQLite-bestand steden.db in de datamap.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Leesbare regels.
    Text,
    /// Eén JSON-object per regel (voor logverzamelaars).
    Json,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,

    /// TCP-poort.
    #[arg(long, env = "STEDEN_PORT", default_value_t = 8080)]
    pub port: u16,

    /// Adres om op te luisteren; 0.0.0.0 (of ::) om van buiten de machine bereikbaar te zijn.
    #[arg(long, env = "STEDEN_BIND", default_value = "127.0.0.1")]
    pub bind: IpAddr,

    /// Het adres waarop gebruikers het platform bereiken (voor links in e-mails; https://…
    /// zet Secure-cookies aan). Standaard http://localhost:POORT.
    #[arg(long, env = "STEDEN_BASE_URL")]
    pub base_url: Option<String>,

    /// SMTP-server voor uitgaande mail: smtp://… of smtps://GEBRUIKER:WACHTWOORD@HOST:POORT.
    /// Zonder: .eml-bestanden in DATAMAP/mail.
    #[arg(long, env = "SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Afzender van de mail van het platform.
    #[arg(
        long,
        env = "STEDEN_MAIL_FROM",
        default_value = "Stedenplatform <noreply@stedenplatform.local>"
    )]
    pub mail_from: String,

    /// Aantal job-workers in dit proces (0: dit proces voert geen jobs uit).
    #[arg(long, env = "STEDEN_WORKERS", default_value_t = 2)]
    pub workers: usize,

    /// Hoe lang (ms) dit proces een opgezochte sessie hergebruikt voor het ze opnieuw uit de
    /// databank leest (0: bij elk verzoek). Een wijziging via een andere serverinstantie is
    /// hier na hoogstens deze tijd zichtbaar.
    #[arg(long, env = "STEDEN_SESSION_CACHE_MS", default_value_t = 1000)]
    pub session_cache_ms: u64,

    /// Hoe lang (ms) dit proces een opgebouwde pagina opnieuw mag geven aan wie ze opnieuw
    /// vraagt (0: elke pagina opnieuw opbouwen). Elke wijziging via dit proces (ook een job die
    /// het uitvoerde) maakt de cache meteen leeg; een wijziging via een andere serverinstantie
    /// of de opdrachtregel is na hoogstens twee keer deze tijd zichtbaar.
    #[arg(long, env = "STEDEN_PAGE_CACHE_MS", default_value_t = 1000)]
    pub page_cache_ms: u64,

    /// Neem het adres van de client (voor het afremmen van aanmeldpogingen) uit de laatste
    /// waarde van X-Forwarded-For in plaats van het verbindingsadres. Alleen achter een
    /// reverse proxy die die kop zelf zet; anders kiest elke client zijn eigen adres.
    #[arg(long, env = "STEDEN_TRUST_FORWARDED_FOR", value_parser = clap::builder::FalseyValueParser::new())]
    pub trust_forwarded_for: bool,

    /// Hoe lang (s) een job geclaimd blijft zonder hartslag. Een draaiend proces verlengt het
    /// elke derde ervan; de job van een gestopt proces (kill -9, crash) loopt na hoogstens deze
    /// tijd opnieuw in een ander proces.
    #[arg(long, env = "STEDEN_JOB_LEASE_SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub job_lease_secs: u64,

    /// Hoe lang (s) een client mag doen over de kopregels van een verzoek, vanaf de eerste
    /// byte (tegen trage-kopregelaanvallen).
    #[arg(long, env = "STEDEN_HEADER_READ_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_read_timeout_secs: u64,

    /// Na hoeveel seconden zonder verkeer een verbinding gesloten wordt terwijl er geen verzoek
    /// loopt (een ongebruikte keep-alive-verbinding, een vastgelopen upload of download).
    #[arg(long, env = "STEDEN_IDLE_TIMEOUT_SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout_secs: u64,

    /// Hoe lang (s) een verzoek mag duren tot het antwoord begint, een upload inbegrepen
    /// (daarna 408). 120 s volstaat voor een upload van 25 MB aan 2 Mbit/s.
    #[arg(long, env = "STEDEN_REQUEST_TIMEOUT_SECS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout_secs: u64,

    /// Hoeveel verbindingen tegelijk open mogen zijn; meer wachten tot er een sluit.
    #[arg(long, env = "STEDEN_MAX_CONNECTIONS", default_value_t = 1024, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_connections: u64,

    /// Logformaat.
    #[arg(long, env = "STEDEN_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,

    /// Laad demo-inhoud (demo-accounts) bij de eerste start en toon de demo-aanmelding.
    /// STEDEN_DEMO: 1/true/ja zet het aan, 0/false/leeg niet.
    #[arg(long, env = "STEDEN_DEMO", value_parser = clap::builder::FalseyValueParser::new())]
    pub demo: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub db: DbArgs,

    /// Doelbestand (mag nog niet bestaan).
    #[arg(long, short)]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    pub db: DbArgs,

    /// Back-upbestand gemaakt met `steden backup`.
    #[arg(long, short)]
    pub input: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum KennisbankCommand {
    /// Importeer een map of zip met documenten, met een CSV met hun gegevens (--csv, of
    /// metadata.csv in de map of zip; zonder CSV wordt elk bestand een document). Opnieuw
    /// uitvoeren verandert niets aan wat al geïmporteerd is. Afsluitcode 0: alles in orde,
    /// 2: sommige regels geweigerd, 1: de import kon niet lopen.
    Import(KbImportArgs),
}

#[derive(Debug, Args)]
pub struct KbImportArgs {
    #[command(flatten)]
    pub db: DbArgs,

    /// Map of zip-bestand met de documenten.
    #[arg(value_name = "MAP_OF_ZIP")]
    pub bron: PathBuf,

    /// CSV met de gegevens per document (kolommen: zie docs/KENNISBANK.md).
    #[arg(long, value_name = "CSV")]
    pub csv: Option<PathBuf>,

    /// Hoeveel bestanden de map of zip hoogstens mag bevatten.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_bestanden: u64,

    /// Schrijf het rapport per regel ook als CSV naar dit bestand.
    #[arg(long, value_name = "BESTAND")]
    pub rapport: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Maak een platformbeheerder aan. Het wachtwoord komt uit STEDEN_ADMIN_PASSWORD, of wordt
    /// gegenereerd en één keer getoond.
    CreateAdmin(CreateAdminArgs),
    /// Stel een nieuw wachtwoord in (uit STEDEN_ADMIN_PASSWORD, of gegenereerd en één keer
    /// getoond) en beëindig de sessies van de gebruiker.
    SetPassword(SetPasswordArgs),
}

#[derive(Debug, Args)]
pub struct CreateAdminArgs {
    #[command(flatten)]
    pub db: DbArgs,

    #[arg(long)]
    pub email: String,

    #[arg(long)]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct SetPasswordArgs {
    #[command(flatten)]
    pub db: DbArgs,

    #[arg(long)]
    pub email: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn serve_defaults() {
        let cli = Cli::try_parse_from(["steden", "serve"]).unwrap();
        let Command::Serve(args) = cli.command else {
            panic!("not serve")
        };
        // Only when the environment does not set them (as in CI).
        if std::env::var_os("STEDEN_PORT").is_none() {
            assert_eq!(args.port, 8080);
        }
        if std::env::var_os("STEDEN_DEMO").is_none() {
            assert!(!args.demo);
        }
        let cli = Cli::try_parse_from(["steden", "serve", "--demo", "--port", "9000"]).unwrap();
        let Command::Serve(args) = cli.command else {
            panic!("not serve")
        };
        assert!(args.demo);
        assert_eq!(args.port, 9000);
    }

    #[test]
    fn connection_limits_and_the_job_lease_have_flags() {
        let cli = Cli::try_parse_from([
            "steden",
            "serve",
            "--header-read-timeout-secs",
            "3",
            "--idle-timeout-secs",
            "4",
            "--request-timeout-secs",
            "5",
            "--max-connections",
            "6",
            "--job-lease-secs",
            "7",
        ])
        .unwrap();
        let Command::Serve(args) = cli.command else {
            panic!("not serve")
        };
        assert_eq!(
            (
                args.header_read_timeout_secs,
                args.idle_timeout_secs,
                args.request_timeout_secs,
                args.max_connections,
                args.job_lease_secs
            ),
            (3, 4, 5, 6, 7)
        );
        assert!(Cli::try_parse_from(["steden", "serve", "--max-connections", "0"]).is_err());
    }
}

#[derive(Debug, Subcommand)]
pub enum NieuwsbriefCommand {
    /// Verwerk één bouncebericht (RFC 3464) of klacht (RFC 5965), het volledige bericht op
    /// standaardinvoer: `steden nieuwsbrief bounce < bericht.eml`. Hetzelfde bericht twee
    /// keer telt één keer.
    Bounce(DbArgs),
    /// Meting (bench/nieuwsbrief.sh): gegenereerde abonnees en een campagne aan hen, in een
    /// lege databank.
    #[command(hide = true)]
    BenchSeed(NbBenchSeedArgs),
    /// Meting (bench/nieuwsbrief.sh): verstuur de campagne van bench-seed tot het einde.
    #[command(hide = true)]
    BenchSend(NbBenchSendArgs),
    /// Meting (bench/nieuwsbrief_import.sh): importeer een gegenereerd CSV-bestand.
    #[command(hide = true)]
    BenchImport(NbBenchImportArgs),
    /// Lees de ongelezen berichten van de bounce-mailbox één keer (zoals de taak die elke vijf
    /// minuten loopt): bounces en klachten verwerkt, elk bericht daarna als gelezen gemarkeerd.
    BouncesImap(ImapArgs),
}

/// The hidden commands of `bench/nieuwsbrief.sh` (issue 14 point 11): where the messages go.
#[derive(Debug, Args)]
pub struct NbBenchArgs {
    #[command(flatten)]
    pub db: DbArgs,

    /// Het adres van de site in de links van de berichten.
    #[arg(long, default_value = "https://stedenplatform.example.org")]
    pub base_url: String,

    /// De afzender.
    #[arg(
        long,
        default_value = "Kenniscentrum Vlaamse Steden <nieuwsbrief@example.org>"
    )]
    pub mail_from: String,
}

#[derive(Debug, Args)]
pub struct NbBenchSeedArgs {
    #[command(flatten)]
    pub common: NbBenchArgs,

    /// Zoveel gegenereerde bevestigde abonnees (lezer…@example.org).
    #[arg(long)]
    pub subscribers: usize,
}

#[derive(Debug, Args)]
pub struct NbBenchSendArgs {
    #[command(flatten)]
    pub common: NbBenchArgs,

    /// De SMTP-server (smtp://127.0.0.1:POORT).
    #[arg(long)]
    pub smtp_url: String,

    /// De campagne die bench-seed maakte.
    #[arg(long)]
    pub campaign: String,

    /// Berichten tegelijk (anders de instelling, standaard 8).
    #[arg(long)]
    pub concurrency: Option<usize>,
}

#[derive(Debug, Args)]
pub struct NbBenchImportArgs {
    #[command(flatten)]
    pub db: DbArgs,

    /// Zoveel gegenereerde regels (import…@example.org).
    #[arg(long)]
    pub lines: usize,

    /// Bevestigd importeren (met rechtsgrond), anders onbevestigd met bevestigingsmail.
    #[arg(long)]
    pub confirmed: bool,
}

#[derive(Debug, Args)]
pub struct ImapArgs {
    #[command(flatten)]
    pub db: DbArgs,

    /// De mailbox: imaps://GEBRUIKER:WACHTWOORD@HOST:993/MAP (of imap:// zonder TLS).
    #[arg(long, env = "NIEUWSBRIEF_BOUNCE_IMAP_URL", hide_env_values = true)]
    pub imap_url: String,
}
