//! Export of a plan and its indicators, read back with calamine (XLSX) and the csv crate.

use crate::common;

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use common::*;
use steden_db::{new_id, now_ms};
use steden_plan::store::items::{self, ItemFields};

async fn prepare(w: &World, p: &SmallPlan) {
    let db = &w.db;
    let current = reload(db, &p.ac010101).await;
    let fields = ItemFields {
        progress: "45".into(),
        status: "lopend".into(),
        responsible_service: "Digitalisering".into(),
        start_date: "01/02/2026".into(),
        end_date: "30/11/2026".into(),
        themes: vec!["sdg-11".into()],
        prioritair: true,
        ..ItemFields::from_item(&current)
    };
    let mut tx = db.begin().await.unwrap();
    items::update(&mut tx, &p.ac010101.id, &fields, "start", &w.editor.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    for (item, kind, budget_type, direction, cents) in [
        (
            &p.ac010101,
            "raming",
            "exploitatie",
            "uitgaven",
            1_000_050_i64,
        ),
        (&p.ac010101, "raming", "investering", "uitgaven", 250_000),
        (&p.ac010101, "raming", "exploitatie", "ontvangsten", 30_000),
        (&p.ac020101, "krediet", "investering", "uitgaven", 99),
    ] {
        sqlx::query(
            "INSERT INTO plan_amounts (item_id, plan_id, year, kind, budget_type, direction, cents)
             VALUES ($1, $2, 2026, $3, $4, $5, $6)",
        )
        .bind(&item.id)
        .bind(&p.plan.id)
        .bind(kind)
        .bind(budget_type)
        .bind(direction)
        .bind(cents)
        .execute(db.pool())
        .await
        .unwrap();
    }
    let indicator = new_id();
    sqlx::query(
        "INSERT INTO plan_indicators (id, plan_id, item_id, name, unit, direction, baseline_value,
             baseline_date, created_at, updated_at)
         VALUES ($1, $2, $3, 'Digitale aanvragen', '%', 'hoger', 10, '2026-01-01', $4, $4)",
    )
    .bind(&indicator)
    .bind(&p.plan.id)
    .bind(&p.ac010101.id)
    .bind(now_ms())
    .execute(db.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO plan_indicator_targets (indicator_id, target_date, value)
         VALUES ($1, '2031-12-31', 80)",
    )
    .bind(&indicator)
    .execute(db.pool())
    .await
    .unwrap();
    for (date, value, comment) in [
        ("2026-03-31", 20.5, "eerste meting"),
        ("2026-06-30", 31.0, ""),
    ] {
        sqlx::query(
            "INSERT INTO plan_measurements (id, indicator_id, measured_on, value, comment,
                 author_name, created_at)
             VALUES ($1, $2, $3, $4, $5, 'Import', $6)",
        )
        .bind(new_id())
        .bind(&indicator)
        .bind(date)
        .bind(value)
        .bind(comment)
        .bind(now_ms())
        .execute(db.pool())
        .await
        .unwrap();
    }
}

fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "no BOM");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (headers, rows)
}

fn read_xlsx(bytes: Vec<u8>) -> Vec<Vec<Data>> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let name = workbook.sheet_names()[0].clone();
    let range = workbook.worksheet_range(&name).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

#[tokio::test]
async fn plan_export_as_csv_and_xlsx() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        prepare(&w, &p).await;
        login(&app, &w.reader).await;
        let page = app.page(&format!("/plannen/{}/export", p.plan.id)).await;
        assert!(page.contains("export.xlsx"));

        let response = app.get(&format!("/plannen/{}/export.csv", p.plan.id)).await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "text/csv; charset=utf-8"
        );
        assert_eq!(
            response.headers()["content-disposition"],
            "attachment; filename=\"meerjarenplan-gent-2026-2031.csv\""
        );
        let (headers, rows) = read_csv(&response.bytes().await.unwrap());
        assert_eq!(rows.len(), 9, "one row per item");
        assert_eq!(
            &headers[..4],
            &["Code", "Niveau", "Code bovenliggend", "Titel"]
        );
        assert_eq!(
            &headers[13..],
            &[
                "2026 raming uitgaven",
                "2026 raming ontvangsten",
                "2026 krediet uitgaven",
                "ID"
            ]
        );
        let codes: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(
            codes,
            vec![
                "BD01", "AP0101", "AC010101", "AC010102", "AP0102", "AC010201", "BD02", "AP0201",
                "AC020101"
            ]
        );
        let action = &rows[2];
        assert_eq!(action[1], "Actie");
        assert_eq!(action[2], "AP0101");
        assert_eq!(action[3], "E-loket uitbreiden");
        assert_eq!(action[5], "Lopend");
        assert_eq!(action[6], "45");
        assert_eq!(action[7], "Luc Lid");
        assert_eq!(action[8], "Digitalisering");
        assert_eq!(action[9], "01/02/2026");
        assert_eq!(action[10], "30/11/2026");
        assert_eq!(action[11], "ja");
        assert_eq!(action[12], "SDG 11 Duurzame steden en gemeenschappen");
        assert_eq!(action[13], "12500,50", "exploitatie and investering summed");
        assert_eq!(action[14], "300,00");
        assert_eq!(action[15], "");
        assert_eq!(action[16], p.ac010101.id);
        assert_eq!(rows[8][15], "0,99");
        // BD01's status is derived from its running action (issue 11 point 4).
        assert_eq!(rows[0][5], "Lopend");

        let response = app
            .get(&format!("/plannen/{}/export.xlsx", p.plan.id))
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        let sheet = read_xlsx(response.bytes().await.unwrap().to_vec());
        assert_eq!(sheet.len(), 10, "header and one row per item");
        assert_eq!(text(&sheet[0][0]), "Code");
        let action = &sheet[3];
        assert_eq!(text(&action[0]), "AC010101");
        assert_eq!(action[6], Data::Float(45.0));
        assert!(matches!(action[9], Data::DateTime(_)), "{:?}", action[9]);
        assert_eq!(action[13], Data::Float(12500.5));
        assert_eq!(action[14], Data::Float(300.0));

        login(&app, &w.outsider).await;
        let status = app
            .get(&format!("/plannen/{}/export.csv", p.plan.id))
            .await
            .status();
        assert_eq!(status, 404);
    })
    .await;
}

/// Issue 10, point 3: text a plan's editors typed must not run as a formula when a reader opens
/// the CSV in a spreadsheet (OWASP "CSV Injection" payloads), while amounts stay numbers.
#[tokio::test]
async fn plan_csv_defuses_formulas_in_typed_text() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        prepare(&w, &p).await;
        let payloads = [
            (&p.ac010101, "=HYPERLINK(\"http://evil.example\",\"klik\")"),
            (&p.ac010102, "+1+cmd|' /C calc'!A0"),
            (&p.ac010201, "-2+3"),
            (&p.ac020101, "@SUM(1+1)*cmd|' /C calc'!A0"),
        ];
        for (item, title) in payloads {
            let current = reload(&w.db, item).await;
            let fields = ItemFields {
                title: title.to_string(),
                responsible_service: "\t=1+1".into(),
                ..ItemFields::from_item(&current)
            };
            let mut tx = w.db.begin().await.unwrap();
            items::update(&mut tx, &item.id, &fields, "start", &w.editor.audit())
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        login(&app, &w.reader).await;
        let response = app.get(&format!("/plannen/{}/export.csv", p.plan.id)).await;
        assert_eq!(response.status(), 200);
        let (_, rows) = read_csv(&response.bytes().await.unwrap());
        for (item, title) in payloads {
            let row = rows
                .iter()
                .find(|r| r[0] == item.code)
                .unwrap_or_else(|| panic!("no row for {}", item.code));
            assert_eq!(row[3], format!("'{title}"), "title of {}", item.code);
            assert!(
                row[8].starts_with('\''),
                "service of {}: {:?}",
                item.code,
                row[8]
            );
        }
        for row in &rows {
            for cell in row {
                assert!(
                    !cell.starts_with(['=', '+', '@', '\t', '\r']),
                    "a cell a spreadsheet would evaluate: {cell:?}"
                );
            }
        }
        // Amounts are plain numbers and stay so (a negative one would read '-5,00 otherwise).
        let action = rows.iter().find(|r| r[0] == "AC010101").unwrap();
        assert_eq!(action[13], "12500,50");
    })
    .await;
}

#[tokio::test]
async fn indicator_export_has_a_row_per_measurement_and_target() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        prepare(&w, &p).await;
        login(&app, &w.reader).await;
        let response = app
            .get(&format!("/plannen/{}/indicatoren.csv", p.plan.id))
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-disposition"],
            "attachment; filename=\"meerjarenplan-gent-2026-2031-indicatoren.csv\""
        );
        let (headers, rows) = read_csv(&response.bytes().await.unwrap());
        assert_eq!(headers[1], "Indicator");
        assert_eq!(rows.len(), 4, "baseline, target, two measurements");
        assert_eq!(
            rows[0],
            vec![
                "AC010101",
                "Digitale aanvragen",
                "%",
                "basiswaarde",
                "01/01/2026",
                "10",
                "",
                "",
                "Hoger is beter",
                "",
                "Jaarlijks"
            ]
        );
        assert_eq!(
            rows[1],
            vec![
                "AC010101",
                "Digitale aanvragen",
                "%",
                "streefwaarde",
                "31/12/2031",
                "80",
                "",
                "",
                "Hoger is beter",
                "",
                "Jaarlijks"
            ]
        );
        assert_eq!(
            &rows[2][..8],
            &[
                "AC010101",
                "Digitale aanvragen",
                "%",
                "meting",
                "31/03/2026",
                "20,5",
                "eerste meting",
                "Import"
            ]
        );
        let response = app
            .get(&format!("/plannen/{}/indicatoren.xlsx", p.plan.id))
            .await;
        let sheet = read_xlsx(response.bytes().await.unwrap().to_vec());
        assert_eq!(sheet.len(), 5);
        assert_eq!(sheet[1][5], Data::Float(10.0));
        assert_eq!(sheet[3][5], Data::Float(20.5));
        assert_eq!(text(&sheet[4][3]), "meting");
    })
    .await;
}
