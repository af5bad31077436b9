//! `steden serve`: connect, migrate, seed, start the job workers, serve until SIGTERM/Ctrl-C,
//! then shut down in order — stop accepting, finish the requests in flight, stop the workers
//! (running jobs finish or go back to the queue), close the pool.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, Context};
use steden_core::mail::{self, Mailer};
use steden_db::jobs::{Registry, WorkerOptions, WorkerPool};
use steden_db::Db;
use steden_web::app::{self, AppState, Config};
use steden_web::ops::ConnectionLimits;
use steden_web::telemetry::{self, LogFormat};
use steden_web::Module;

use crate::cli::{self, ServeArgs};
use crate::database::{self, pid_marker, sqlite_path};
use crate::demo;

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    telemetry::init(match args.log_format {
        cli::LogFormat::Text => LogFormat::Text,
        cli::LogFormat::Json => LogFormat::Json,
    });
    let db = database::open(&args.db).await?;
    let result = serve(&args, &db).await;
    db.close().await;
    result
}

async fn serve(args: &ServeArgs, db: &Db) -> anyhow::Result<()> {
    let modules = database::modules();
    let report = steden_db::migrate::run(db, &database::migrations(&modules)).await?;
    tracing::info!(
        database = db.redacted_url(),
        applied = report.applied.len(),
        "databank klaar"
    );
    steden_core::org::seed_defaults(db)
        .await
        .map_err(|e| anyhow!("standaardorganisaties laden: {e}"))?;

    let base_url = args
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://localhost:{}", args.port))
        .trim_end_matches('/')
        .to_string();
    let demo_password = if args.demo {
        Some(demo::seed(db, &modules).await?)
    } else {
        None
    };

    let config = Config {
        base_url: base_url.clone(),
        data_dir: args.db.data_dir.clone(),
        smtp_url: args.smtp_url.clone(),
        mail_from: args.mail_from.clone(),
        job_workers: args.workers,
        session_cache_ttl: Duration::from_millis(args.session_cache_ms),
        page_cache_ttl: Duration::from_millis(args.page_cache_ms),
        login: steden_web::auth::LoginSettings {
            trust_forwarded_for: args.trust_forwarded_for,
            ..Default::default()
        },
    };
    let mailer = Mailer::from_config(
        config.smtp_url.as_deref(),
        &config.data_dir,
        &config.mail_from,
    )
    .map_err(|e| anyhow!(e.to_string()))?;
    tracing::info!(mail = mailer.description(), "mail");
    let ports = Arc::new(steden_web::Ports::collect(&modules));
    let registry = job_registry(Arc::new(mailer), &modules, &ports);

    let secret = steden_core::settings::secret(db, "csrf_secret")
        .await?
        .into_bytes();
    let state = AppState::with_ports(db.clone(), config, &modules, secret, ports)
        .map_err(|e| anyhow!(e))?;
    let registry = Arc::new(forgetting_pages(registry, &state));
    for module in &modules {
        module
            .start(&state)
            .await
            .with_context(|| format!("module {} starten", module.name()))?;
    }
    let router = app::build(state, &modules);

    let address = std::net::SocketAddr::new(args.bind, args.port);
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| format!("kan niet luisteren op {address}"))?;
    let marker = PidMarker::create(&args.db)?;
    let workers = (args.workers > 0).then(|| {
        WorkerPool::start_with(
            db.clone(),
            registry.clone(),
            WorkerOptions {
                workers: args.workers,
                name: worker_name(),
                lease: Duration::from_secs(args.job_lease_secs),
                ..WorkerOptions::default()
            },
        )
    });

    println!("Stedenplatform luistert op {base_url} (adres {address}).");
    if let Some(password) = demo_password {
        print!("{}", demo::banner(&base_url, &password));
    }

    let housekeeping = steden_web::housekeeping::spawn(db.clone());
    let limits = ConnectionLimits {
        header_read_timeout: Duration::from_secs(args.header_read_timeout_secs),
        idle_timeout: Duration::from_secs(args.idle_timeout_secs),
        request_timeout: Duration::from_secs(args.request_timeout_secs),
        max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
    };
    let served = serve_until_signal(listener, router, limits).await;
    housekeeping.abort();
    if let Some(workers) = workers {
        workers.shutdown().await;
    }
    drop(marker);
    served.context("de server stopte met een fout")?;
    tracing::info!("afgesloten");
    Ok(())
}

/// How long requests in flight may take after SIGTERM/Ctrl-C before the server stops anyway
/// (a stuck client or a very long download must not keep the process alive forever).
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serves until SIGTERM/Ctrl-C, then stops accepting connections and waits for the requests
/// in flight, at most [`SHUTDOWN_GRACE`].
async fn serve_until_signal(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    limits: ConnectionLimits,
) -> std::io::Result<()> {
    let (stopping, mut stopped) = tokio::sync::watch::channel(false);
    let signal = async move {
        steden_web::ops::shutdown_signal().await;
        let _ = stopping.send(true);
    };
    let serving = steden_web::ops::serve_with_limits(listener, router, signal, limits);
    let grace_over = async move {
        let _ = stopped.wait_for(|stop| *stop).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        served = serving => served,
        () = grace_over => {
            tracing::warn!(
                seconds = SHUTDOWN_GRACE.as_secs(),
                "verzoeken na de wachttijd afgebroken"
            );
            Ok(())
        }
    }
}

/// Every job handler of this build: the outgoing mail and each module's jobs.
fn job_registry(
    mailer: Arc<Mailer>,
    modules: &[Arc<dyn Module>],
    ports: &Arc<steden_web::Ports>,
) -> Registry {
    let mut registry = Registry::new();
    mail::register(&mut registry, mailer);
    for module in modules {
        module.register_jobs(&mut registry, ports);
    }
    registry
}

/// `registry` with every handler followed by emptying this process's page cache: a job changes
/// what pages show (an import, a recount, indexing), and whoever watched its progress here must
/// see the result on their next page, not a page kept from before (see `steden_web::page_cache`;
/// other instances see it within the cache's time-to-live).
fn forgetting_pages(registry: Registry, state: &AppState) -> Registry {
    use futures::FutureExt;
    let mut wrapped = Registry::new();
    for kind in registry.kinds() {
        let Some(handler) = registry.handler(&kind).cloned() else {
            continue;
        };
        let state = state.clone();
        wrapped.register_boxed(
            kind,
            Arc::new(move |ctx, payload| {
                let (handler, state) = (handler.clone(), state.clone());
                async move {
                    let result = handler(ctx, payload).await;
                    state.pages().clear();
                    result
                }
                .boxed()
            }),
        );
    }
    wrapped
}

/// Workers are named after the host and process, so that the jobs page shows where a job ran.
fn worker_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "steden".to_string());
    format!("{host}:{}", std::process::id())
}

/// Marks a SQLite database as in use by this process while it serves (see `steden restore`);
/// removed again on shutdown. PostgreSQL needs no marker: restore there goes through
/// pg_restore.
struct PidMarker(Option<PathBuf>);

impl PidMarker {
    fn create(db_args: &cli::DbArgs) -> anyhow::Result<PidMarker> {
        let Some(db_file) = sqlite_path(&db_args.url()?) else {
            return Ok(PidMarker(None));
        };
        let path = pid_marker(&db_file);
        std::fs::write(&path, std::process::id().to_string())
            .with_context(|| format!("kan {} niet schrijven", path.display()))?;
        Ok(PidMarker(Some(path)))
    }
}

impl Drop for PidMarker {
    fn drop(&mut self) {
        if let Some(path) = &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}
