//! Imports on both backends, with files made here in the real formats: a good long CSV is
//! previewed, confirmed and written, and the same file twice leaves the same values (checksum
//! recorded); a bad file is refused with a Dutch reason per line and nothing is written; a city
//! cannot write a shared indicator or another city's.

use steden_cijfers::import::jobs::{self, Report, Upload};
use steden_cijfers::import::numbers::DecimalMark;
use steden_cijfers::import::Options;
use steden_cijfers::model::{ImportKind, ImportStatus};
use steden_cijfers::store::imports;
use steden_core::audit::AuditActor;
use steden_db::jobs::JobError;
use steden_db::testing::each_backend;
use steden_db::Db;

use crate::common::{count, fields, geography, indicator, migrations, org_id, value_count};

pub async fn upload(
    db: &Db,
    slug: &str,
    kind: ImportKind,
    filename: &str,
    bytes: &[u8],
    mark: DecimalMark,
) -> (String, Report) {
    let org = org_id(db, slug).await;
    jobs::preview(
        db,
        &Upload {
            kind,
            filename,
            bytes,
            options: Options {
                decimal_mark: mark,
                mapping: Vec::new(),
            },
            organisation_id: &org,
            created_by: None,
            delivered_for: None,
        },
    )
    .await
    .unwrap()
}

pub async fn run(db: &Db, id: &str) -> Result<usize, JobError> {
    jobs::run(db, id, &AuditActor::system(), |_, _, _| async { Ok(()) }).await
}

/// Previews, confirms and runs; panics on any error.
pub async fn import(
    db: &Db,
    slug: &str,
    kind: ImportKind,
    filename: &str,
    bytes: &[u8],
    mark: DecimalMark,
) -> (String, usize) {
    let (id, report) = upload(db, slug, kind, filename, bytes, mark).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    jobs::confirm(db, &id, &AuditActor::system()).await.unwrap();
    let written = run(db, &id).await.unwrap();
    (id, written)
}

const GOOD: &str = "indicator;geo;period;value;status\n\
                    bev;44021;2023;263000;\n\
                    bev;44021;2024;265000;voorlopig\n\
                    bev;11002;2024;536000;\n\
                    bev;44021A00-;2024;1234;\n\
                    bev;GENT-N;2024;5000;\n";

#[tokio::test]
async fn a_long_csv_is_previewed_confirmed_and_written_once_however_often_it_comes() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        indicator(&db, &fields("bev"), None).await;
        let (id, report) = upload(&db, "kenniscentrum", ImportKind::LongCsv, "bev.csv", GOOD.as_bytes(), DecimalMark::Point).await;
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert_eq!(report.values, 5);
        assert_eq!(report.sample.len(), 5);
        // A preview writes no value.
        assert_eq!(value_count(&db).await, 0);
        jobs::confirm(&db, &id, &AuditActor::system()).await.unwrap();
        // A second confirmation is refused: one job per upload.
        assert!(jobs::confirm(&db, &id, &AuditActor::system()).await.is_err());
        assert_eq!(run(&db, &id).await.unwrap(), 5);
        assert_eq!(value_count(&db).await, 5);
        let stored = imports::get(db.pool(), &id).await.unwrap();
        assert_eq!(stored.status, ImportStatus::Done);
        assert_eq!(stored.values_written, 5);
        assert_eq!(stored.sha256.len(), 64);
        // Running the job again (a retry) changes nothing.
        assert_eq!(run(&db, &id).await.unwrap(), 5);

        // The same file again: noticed by its checksum, and the same values, none twice.
        let (again, report) = upload(&db, "kenniscentrum", ImportKind::LongCsv, "kopie.csv", GOOD.as_bytes(), DecimalMark::Point).await;
        assert!(report.repeat_of.is_some());
        jobs::confirm(&db, &again, &AuditActor::system()).await.unwrap();
        run(&db, &again).await.unwrap();
        assert_eq!(value_count(&db).await, 5);
        assert_eq!(imports::get(db.pool(), &again).await.unwrap().sha256, stored.sha256);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'cijfers_import' AND action = 'import'").await, 2);
    })
    .await;
}

#[tokio::test]
async fn a_bad_file_is_refused_line_by_line_in_dutch_and_nothing_is_written() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        indicator(&db, &fields("bev"), None).await;
        let text = "indicator;geo;period;value\n\
                    bev;44021;2024;1\n\
                    bev;99999;2024;1\n\
                    onbekend;44021;2024;1\n\
                    bev;44021;2024;2\n\
                    bev;11002;2024;veel\n\
                    bev;11002;2023;1.234,5\n\
                    bev;11002;2024-Q7;1\n\
                    bev;44021A00-;2022;1\n";
        let (id, report) = upload(
            &db,
            "kenniscentrum",
            ImportKind::LongCsv,
            "fout.csv",
            text.as_bytes(),
            DecimalMark::Point,
        )
        .await;
        let expected = [
            "Regel 3: onbekende REFNIS-code '99999'",
            "Regel 4: onbekende indicator 'onbekend'",
            "Regel 5: dubbele waarde voor bev in 44021 voor 2024 (ook op regel 2)",
            "Regel 6: 'veel' is geen getal",
            "Regel 7: '1.234,5' bevat een komma, maar het bestand gebruikt een decimaalpunt",
            "Regel 8: '2024-Q7' is geen periode",
        ];
        assert_eq!(report.errors.len(), expected.len(), "{:?}", report.errors);
        for (error, start) in report.errors.iter().zip(expected) {
            assert!(
                error.starts_with(start),
                "{error} should start with {start}"
            );
        }
        // No confirmation for a file with errors, and the job (forced) writes nothing.
        assert!(jobs::confirm(&db, &id, &AuditActor::system())
            .await
            .is_err());
        assert!(matches!(run(&db, &id).await, Err(JobError::Permanent(_))));
        assert_eq!(value_count(&db).await, 0);
        assert_eq!(
            imports::get(db.pool(), &id).await.unwrap().status,
            ImportStatus::Failed
        );

        // With a decimal comma the same "1.234,5" is read, and a lone point is refused.
        let comma = "indicator;geo;period;value\nbev;11002;2023;1.234,5\nbev;44021;2023;12.5\n";
        let (_, report) = upload(
            &db,
            "kenniscentrum",
            ImportKind::LongCsv,
            "komma.csv",
            comma.as_bytes(),
            DecimalMark::Comma,
        )
        .await;
        assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
        assert!(report.errors[0].starts_with("Regel 3: '12.5' bevat een punt"));
        assert!(
            report.sample[0].ends_with(": 1234.5"),
            "{:?}",
            report.sample
        );

        // Not UTF-8, empty, no header.
        let (_, report) = upload(
            &db,
            "kenniscentrum",
            ImportKind::LongCsv,
            "latin1.csv",
            b"indicator;geo\n\xe9\xe9",
            DecimalMark::Point,
        )
        .await;
        assert!(report.errors[0].contains("UTF-8"));
        let (_, report) = upload(
            &db,
            "kenniscentrum",
            ImportKind::LongCsv,
            "leeg.csv",
            b"",
            DecimalMark::Point,
        )
        .await;
        assert_eq!(report.errors, ["Het bestand bevat geen gegevens."]);
        let (_, report) = upload(
            &db,
            "kenniscentrum",
            ImportKind::LongCsv,
            "kop.csv",
            b"a;b\n1;2\n",
            DecimalMark::Point,
        )
        .await;
        assert!(report.errors[0].starts_with("Regel 1: de kopregel"));
        assert_eq!(value_count(&db).await, 0);
    })
    .await;
}

#[tokio::test]
async fn a_city_writes_its_own_indicators_and_wijken_only() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        let gent = org_id(&db, "gent").await;
        let antwerpen = org_id(&db, "antwerpen").await;
        indicator(&db, &fields("gedeeld"), None).await;
        indicator(&db, &fields("gent_eigen"), Some(&gent)).await;
        indicator(&db, &fields("antwerpen_eigen"), Some(&antwerpen)).await;
        let text = "indicator;geo;period;value\n\
                    gent_eigen;GENT-N;2024;1\n\
                    gedeeld;44021;2024;1\n\
                    antwerpen_eigen;11002;2024;1\n";
        let (_, report) = upload(
            &db,
            "gent",
            ImportKind::LongCsv,
            "gent.csv",
            text.as_bytes(),
            DecimalMark::Point,
        )
        .await;
        assert_eq!(
            report.errors,
            [
                "Regel 3: de indicator gedeeld hoort bij een andere organisatie",
                "Regel 4: de indicator antwerpen_eigen hoort bij een andere organisatie",
            ]
        );
        // Antwerpen may not write in Gent's wijken, even with its own indicator.
        let text = "indicator;geo;period;value\nantwerpen_eigen;GENT-N;2024;1\n";
        let (_, report) = upload(
            &db,
            "antwerpen",
            ImportKind::LongCsv,
            "a.csv",
            text.as_bytes(),
            DecimalMark::Point,
        )
        .await;
        assert_eq!(
            report.errors,
            ["Regel 2: wijk GENT-N hoort bij een andere stad"]
        );
        // Gent's own file goes through.
        let text =
            "indicator;geo;period;value\ngent_eigen;GENT-N;2024;1\ngent_eigen;44021;2024;7\n";
        let (_, written) = import(
            &db,
            "gent",
            ImportKind::LongCsv,
            "gent.csv",
            text.as_bytes(),
            DecimalMark::Point,
        )
        .await;
        assert_eq!(written, 2);
    })
    .await;
}

/// A file whose first value is suppressed and empty: the job's first upsert binds a missing
/// number, the next ones real numbers, on one connection (PostgreSQL prepares the statement
/// once; a NULL sent with the wrong type there would refuse every number after it).
#[tokio::test]
async fn a_suppressed_empty_first_value_does_not_spoil_the_numbers_after_it() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        indicator(&db, &fields("bev"), None).await;
        let text = "indicator;geo;period;value;status\n\
                    bev;44021;2023;;geheim\n\
                    bev;44021;2024;265000,5;\n\
                    bev;11002;2024;536000;voorlopig\n";
        let (_, written) = import(
            &db,
            "kenniscentrum",
            ImportKind::LongCsv,
            "eerst-geheim.csv",
            text.as_bytes(),
            DecimalMark::Comma,
        )
        .await;
        assert_eq!(written, 3);
        let stored: Vec<(Option<f64>, String)> = sqlx::query_as(
            "SELECT v.value, v.status FROM cijfers_values v
             JOIN cijfers_periods p ON p.id = v.period_id ORDER BY p.code, v.value",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        assert_eq!(
            stored,
            vec![
                (None, "suppressed".to_string()),
                (Some(265000.5), "definitive".to_string()),
                (Some(536000.0), "provisional".to_string()),
            ]
        );
    })
    .await;
}
