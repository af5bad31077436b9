//! `steden kennisbank import` as an operator uses it: a folder with a CSV, exit codes 0 (all
//! imported), 2 (some lines refused) and 1 (could not run), and a second run that changes
//! nothing. On SQLite always, and on a fresh PostgreSQL database when TEST_DATABASE_URL is set.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use steden_db::testing::{postgres_admin_url, TestDb};

fn steden() -> Command {
    let mut command = Command::new(crate::STEDEN);
    for var in ["DATABASE_URL", "STEDEN_DATA_DIR"] {
        command.env_remove(var);
    }
    command.env("RUST_LOG", "warn");
    command.stdin(Stdio::null());
    command
}

fn import(data_dir: &Path, url: Option<&str>, args: &[&str]) -> Output {
    let mut command = steden();
    command
        .args(["kennisbank", "import", "--data-dir"])
        .arg(data_dir);
    if let Some(url) = url {
        command.args(["--database-url", url]);
    }
    command.args(args).output().expect("run steden")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn imports_a_folder(url: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let docs = dir.path().join("documenten");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("a.md"), "# Alfa\n\nTekst.\n").unwrap();
    std::fs::write(docs.join("b.md"), "# Beta\n\nTekst.\n").unwrap();
    let csv = dir.path().join("gegevens.csv");
    std::fs::write(
        &csv,
        "bestand;titel;soort;toegang\na.md;Alfa;rapport;publiek\nb.md;Beta;onzin;publiek\n",
    )
    .unwrap();
    let docs_arg = docs.display().to_string();
    let csv_arg = csv.display().to_string();
    let report = dir.path().join("rapport.csv");
    let report_arg = report.display().to_string();

    // One line refused: exit code 2, the good line imported.
    let first = import(
        &data,
        url,
        &[&docs_arg, "--csv", &csv_arg, "--rapport", &report_arg],
    );
    let out = text(&first.stdout);
    assert_eq!(
        first.status.code(),
        Some(2),
        "{out}\n{}",
        text(&first.stderr)
    );
    assert!(out.contains("regel 2: aangemaakt — Alfa"), "{out}");
    assert!(
        out.contains("regel 3: geweigerd — soort: Kies het soort document."),
        "{out}"
    );
    assert!(
        out.contains("Klaar: 1 aangemaakt, 0 bijgewerkt, 0 ongewijzigd, 1 geweigerd."),
        "{out}"
    );
    assert!(std::fs::read_to_string(&report)
        .unwrap()
        .contains("geweigerd"));

    // Fixed and run again: the first line unchanged, the second created, exit code 0.
    std::fs::write(
        &csv,
        "bestand;titel;soort;toegang\na.md;Alfa;rapport;publiek\nb.md;Beta;rapport;publiek\n",
    )
    .unwrap();
    let second = import(&data, url, &[&docs_arg, "--csv", &csv_arg]);
    let out = text(&second.stdout);
    assert_eq!(
        second.status.code(),
        Some(0),
        "{out}\n{}",
        text(&second.stderr)
    );
    assert!(out.contains("regel 2: ongewijzigd"), "{out}");
    assert!(out.contains("regel 3: aangemaakt — Beta"), "{out}");
    let third = import(&data, url, &[&docs_arg, "--csv", &csv_arg]);
    assert!(text(&third.stdout)
        .contains("Klaar: 0 aangemaakt, 0 bijgewerkt, 2 ongewijzigd, 0 geweigerd."));

    // Could not run: exit code 1 and one Dutch line.
    let missing = import(
        &data,
        url,
        &[&dir.path().join("bestaat-niet").display().to_string()],
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        text(&missing.stderr).starts_with("fout: "),
        "{}",
        text(&missing.stderr)
    );
    std::fs::write(&csv, "bestand;titell\na.md;x\n").unwrap();
    let bad_csv = import(&data, url, &[&docs_arg, "--csv", &csv_arg]);
    assert_eq!(bad_csv.status.code(), Some(1));
    assert!(
        text(&bad_csv.stderr).contains("Onbekende kolom ‘titell’"),
        "{}",
        text(&bad_csv.stderr)
    );
}

#[test]
fn kennisbank_import_reports_per_line_with_exit_codes_on_sqlite() {
    imports_a_folder(None);
}

#[tokio::test]
async fn kennisbank_import_on_postgresql() {
    let Some(admin_url) = postgres_admin_url() else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    let test_db = TestDb::postgres(&admin_url, &[]).await;
    let url = test_db.url();
    tokio::task::spawn_blocking(move || imports_a_folder(Some(&url)))
        .await
        .unwrap();
    test_db.cleanup().await;
}
