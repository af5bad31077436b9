//! `steden backup` and `steden restore`.
//!
//! - SQLite: `VACUUM INTO` writes a consistent copy while the server keeps running (readers
//!   and the one writer carry on; the copy is a single file without WAL). Restoring checks the
//!   file first, keeps the current database as a `.bak`, and refuses while a server is running
//!   on it.
//! - PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore` (see the README). The
//!   password goes to pg_dump through PGPASSWORD, never on its command line (where `ps` shows
//!   it).

use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{anyhow, bail, Context};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Row};
use steden_db::{Backend, Db};

use crate::cli::{BackupArgs, RestoreArgs};
use crate::database::{self, pid_marker, sqlite_path};

pub async fn backup(args: BackupArgs) -> anyhow::Result<()> {
    if args.output.exists() {
        bail!(
            "het doelbestand {} bestaat al; kies een nieuwe naam (een back-up overschrijft niets)",
            args.output.display()
        );
    }
    if let Some(parent) = args.output.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("kan de map {} niet aanmaken", parent.display()))?;
    }
    let db = database::open(&args.db).await?;
    let result = match db.backend() {
        Backend::Sqlite => backup_sqlite(&db, &args.output).await,
        Backend::Postgres => backup_postgres(&args.db.url()?, &args.output).await,
    };
    db.close().await;
    result?;
    let size = std::fs::metadata(&args.output)
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "Back-up geschreven naar {} ({} bytes).",
        args.output.display(),
        steden_core::time::format_int(size as i64)
    );
    Ok(())
}

async fn backup_sqlite(db: &Db, output: &Path) -> anyhow::Result<()> {
    let target = output.to_str().ok_or_else(|| {
        anyhow!(
            "het pad {} bevat tekens die SQLite niet aanvaardt",
            output.display()
        )
    })?;
    // VACUUM INTO takes a string literal, not a parameter; quotes are doubled.
    let sql = format!("VACUUM INTO '{}'", target.replace('\'', "''"));
    sqlx::raw_sql(&sql)
        .execute(db.pool())
        .await
        .map_err(|e| anyhow!("de back-up is mislukt: {e}"))?;
    Ok(())
}

async fn backup_postgres(url: &str, output: &Path) -> anyhow::Result<()> {
    let (url, password) = split_password(url);
    let mut command = tokio::process::Command::new("pg_dump");
    command
        .arg("--format=custom")
        .arg("--no-owner")
        .arg("--file")
        .arg(output)
        .arg("--dbname")
        .arg(&url)
        .stdin(Stdio::null());
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let status = match command.status().await {
        Ok(status) => status,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "pg_dump is niet gevonden: installeer de PostgreSQL-clienttools (bv. `apt install postgresql-client`, \
             dezelfde hoofdversie als de server) of maak de back-up op de databankserver met \
             `pg_dump --format=custom --file=BESTAND DATABANK`"
        ),
        Err(e) => bail!("kan pg_dump niet starten: {e}"),
    };
    if !status.success() {
        let _ = std::fs::remove_file(output);
        bail!("pg_dump is mislukt ({status}); zie de melding hierboven");
    }
    Ok(())
}

/// The URL without its password, and the password (percent-decoded) on its own.
fn split_password(url: &str) -> (String, Option<String>) {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let password = parsed.password().map(percent_decode);
            let _ = parsed.set_password(None);
            (parsed.to_string(), password)
        }
        _ => (url.to_string(), None),
    }
}

/// `%40` → `@`; everything else as is (a `+` stays a plus in the user-info part of a URL).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub async fn restore(args: RestoreArgs) -> anyhow::Result<()> {
    let url = args.db.url()?;
    let Some(target) = sqlite_path(&url) else {
        bail!(
            "restore werkt alleen voor SQLite. Voor PostgreSQL: stop de server en voer \
             `pg_restore --clean --if-exists --no-owner --dbname=DATABASE_URL {}` uit (zie de README)",
            args.input.display()
        );
    };
    if !args.input.is_file() {
        bail!("het back-upbestand {} bestaat niet", args.input.display());
    }
    check_backup(&args.input).await?;
    if let Some(pid) = running_server(&target) {
        bail!(
            "er draait nog een server op {} (proces {pid}); stop die eerst en probeer opnieuw",
            target.display()
        );
    }

    let kept = if target.exists() {
        let kept = backup_name(&target);
        move_database(&target, &kept)?;
        Some(kept)
    } else {
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("kan de map {} niet aanmaken", parent.display()))?;
        }
        None
    };
    // Copy next to the target, then rename: the database is never half-written.
    let partial = with_suffix(&target, ".restore-tmp");
    std::fs::copy(&args.input, &partial)
        .with_context(|| format!("kan {} niet kopiëren", args.input.display()))?;
    std::fs::rename(&partial, &target)
        .with_context(|| format!("kan {} niet vervangen", target.display()))?;

    println!(
        "Back-up {} teruggezet in {}.",
        args.input.display(),
        target.display()
    );
    if let Some(kept) = kept {
        println!("De vorige databank is bewaard als {}.", kept.display());
    }
    println!(
        "Nieuwere migraties worden toegepast bij de volgende start (of met `steden migrate`)."
    );
    Ok(())
}

/// Refuses a file that is not an intact SQLite database of this platform.
async fn check_backup(input: &Path) -> anyhow::Result<()> {
    let not_ours = |detail: String| {
        anyhow!(
            "{} is geen bruikbare back-up van Stedenplatform: {detail}",
            input.display()
        )
    };
    // Immutable: open without creating -wal/-shm files next to the backup or changing it.
    let mut conn = SqliteConnectOptions::new()
        .filename(input)
        .read_only(true)
        .immutable(true)
        .connect()
        .await
        .map_err(|e| not_ours(e.to_string()))?;
    let verdict: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| not_ours(format!("geen SQLite-databank ({e})")))?
        .get(0);
    if verdict != "ok" {
        return Err(not_ours(format!(
            "de integriteitscontrole faalt ({verdict})"
        )));
    }
    let migrations: i64 =
        sqlx::query("SELECT COUNT(*) FROM schema_migrations WHERE module = 'core'")
            .fetch_one(&mut conn)
            .await
            .map_err(|_| not_ours("de tabel schema_migrations ontbreekt".to_string()))?
            .get(0);
    if migrations == 0 {
        return Err(not_ours(
            "er zijn geen migraties van het platform in".to_string(),
        ));
    }
    Ok(())
}

/// The process id of a server that runs on `db_file`, if its marker names a live process.
fn running_server(db_file: &Path) -> Option<u32> {
    let marker = pid_marker(db_file);
    let pid: u32 = std::fs::read_to_string(marker).ok()?.trim().parse().ok()?;
    let proc = Path::new("/proc");
    // Where /proc exists we can tell a stale marker (a crashed server) from a live one;
    // elsewhere we trust the marker.
    if proc.is_dir() && !proc.join(pid.to_string()).exists() {
        return None;
    }
    Some(pid)
}

fn backup_name(target: &Path) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    with_suffix(target, &format!(".{stamp}.bak"))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Moves a SQLite database with its WAL (which may hold committed pages not yet in the main
/// file) so that the moved copy opens as it was.
fn move_database(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::rename(from, to).with_context(|| format!("kan {} niet hernoemen", from.display()))?;
    let wal = with_suffix(from, "-wal");
    if wal.exists() {
        std::fs::rename(&wal, with_suffix(to, "-wal"))
            .with_context(|| format!("kan {} niet hernoemen", wal.display()))?;
    }
    let _ = std::fs::remove_file(with_suffix(from, "-shm"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_kept_off_the_command_line() {
        let (url, password) = split_password("postgres://steden:g%40he+im@db.local:5432/steden");
        assert_eq!(url, "postgres://steden@db.local:5432/steden");
        assert_eq!(password.as_deref(), Some("g@he+im"));
        let (url, password) = split_password("postgres://steden@db.local/steden");
        assert_eq!(url, "postgres://steden@db.local/steden");
        assert_eq!(password, None);
    }
}
