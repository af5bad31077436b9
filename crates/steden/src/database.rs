//! Opening the platform database from the command line's settings, and the list of modules
//! whose migrations, routes and jobs this build contains.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::anyhow;
use steden_db::{Backend, Db, DbError, Migration, PoolSettings};
use steden_web::Module;

use crate::cli::DbArgs;

/// The modules of this build, in dependency order. A new module crate is added here (see
/// docs/ARCHITECTURE.md, "Adding a module").
pub fn modules() -> Vec<Arc<dyn Module>> {
    vec![
        Arc::new(steden_plan::PlanModule),
        Arc::new(steden_kennisbank::KennisbankModule),
        Arc::new(steden_werkgroepen::WerkgroepenModule),
        Arc::new(steden_nieuwsbrief::NieuwsbriefModule),
        Arc::new(steden_cijfers::CijfersModule),
    ]
}

/// Every migration: job queue, core, then each module's.
pub fn migrations(modules: &[Arc<dyn Module>]) -> Vec<Migration> {
    steden_web::app::all_migrations(modules)
}

impl DbArgs {
    /// The database URL: `--database-url`/DATABASE_URL, else `steden.db` in the data
    /// directory (which is created).
    pub fn url(&self) -> anyhow::Result<String> {
        match self.database_url.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => Ok(url.to_string()),
            _ => Db::sqlite_url_in(&self.data_dir).map_err(|e| anyhow!(e.to_string())),
        }
    }
}

/// Opens the database; an unreachable one becomes a single Dutch sentence without the
/// password (the caller prints it and exits with 1).
pub async fn open(args: &DbArgs) -> anyhow::Result<Db> {
    let url = args.url()?;
    let settings = PoolSettings::default();
    Db::connect(&url, &settings)
        .await
        .map_err(|err| anyhow!(explain(err, &settings)))
}

/// The operator's message for a connection failure. sqlx reports a server that refuses
/// connections as a pool time-out (it keeps retrying in case the server is starting), which
/// says nothing useful on its own.
fn explain(err: DbError, settings: &PoolSettings) -> String {
    match err {
        DbError::Unreachable { url, source } => {
            let reason = match source {
                sqlx::Error::PoolTimedOut => format!(
                    "geen verbinding binnen {} seconden (draait de databankserver, en kloppen host en poort?)",
                    settings.acquire_timeout.as_secs()
                ),
                other => one_line(&other.to_string()),
            };
            format!("kan de databank {url} niet bereiken: {reason}")
        }
        other => one_line(&other.to_string()),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The file behind a SQLite URL (`sqlite://data/steden.db?mode=rwc` → `data/steden.db`).
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    if Backend::from_url(url) != Some(Backend::Sqlite) {
        return None;
    }
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// The marker a running server leaves next to its SQLite file, so that `steden restore`
/// can refuse to replace the database under it.
pub fn pid_marker(db_file: &Path) -> PathBuf {
    let mut name = db_file.as_os_str().to_owned();
    name.push(".serve.pid");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths() {
        assert_eq!(
            sqlite_path("sqlite://./data/steden.db?mode=rwc"),
            Some(PathBuf::from("./data/steden.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:///var/lib/steden/steden.db"),
            Some(PathBuf::from("/var/lib/steden/steden.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://h/db"), None);
        assert_eq!(
            pid_marker(Path::new("data/steden.db")),
            PathBuf::from("data/steden.db.serve.pid")
        );
    }
}
