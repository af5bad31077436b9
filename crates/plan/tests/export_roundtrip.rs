//! Issue 11, point 5: the plan's own XLSX export, edited as a spreadsheet user would (with
//! calamine to read it and rust_xlsxwriter to save it again), goes back in through the import
//! preview and job without a mapping screen; bad edits are refused per row in Dutch; the CSV
//! carries full texts, level, parent code and (indicators) baselines, with formulas defused.

use crate::common;

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use common::*;
use rust_xlsxwriter::{Format, Workbook};
use steden_db::{new_id, now_ms};
use steden_plan::import::own_export;
use steden_plan::import::uploads::{self, Parsed};
use steden_plan::model::ItemStatus;
use steden_plan::store::items::{self, ItemFields};

const BOUNDARY: &str = "----stedenplatformrondgang";

fn multipart(kind: &str, filename: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"soort\"\r\n\r\n{kind}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Uploads a file as the logged-in user; returns the preview's path.
async fn upload(app: &TestApp, plan_id: &str, kind: &str, bytes: &[u8]) -> String {
    let html = app.page(&format!("/plannen/{plan_id}/import")).await;
    let marker = "?_csrf=";
    let at = html.find(marker).expect("upload form") + marker.len();
    let token = &html[at..at + html[at..].find('"').unwrap()];
    let response = app
        .client
        .post(app.url(&format!("/plannen/{plan_id}/import?_csrf={token}")))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(kind, "plan.xlsx", bytes))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    response.headers()["location"].to_str().unwrap().to_string()
}

/// A workbook as calamine reads it: (sheet name, rows), in order.
type Sheets = Vec<(String, Vec<Vec<Data>>)>;

fn read_workbook(bytes: &[u8]) -> Sheets {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    workbook
        .sheet_names()
        .into_iter()
        .map(|name| {
            let range = workbook.worksheet_range(&name).unwrap();
            (name, range.rows().map(|r| r.to_vec()).collect())
        })
        .collect()
}

/// Saves the sheets again as a spreadsheet program would: typed cells, dates as dates, the
/// info sheet kept and hidden.
fn write_workbook(sheets: &Sheets) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Data::Empty => {}
                    Data::String(s) => {
                        sheet.write_string(r, c, s).unwrap();
                    }
                    Data::Float(f) => {
                        sheet.write_number(r, c, *f).unwrap();
                    }
                    Data::Int(i) => {
                        sheet.write_number(r, c, *i as f64).unwrap();
                    }
                    Data::Bool(b) => {
                        sheet.write_boolean(r, c, *b).unwrap();
                    }
                    Data::DateTime(d) => {
                        sheet
                            .write_number_with_format(r, c, d.as_f64(), &date)
                            .unwrap();
                    }
                    other => panic!("unexpected cell {other:?}"),
                }
            }
        }
        if name == steden_plan::export::INFO_SHEET {
            sheet.set_hidden(true);
        }
    }
    workbook.save_to_buffer().unwrap()
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The column of a header in the plan sheet.
fn col(rows: &[Vec<Data>], header: &str) -> usize {
    rows[0]
        .iter()
        .position(|c| text(c) == header)
        .unwrap_or_else(|| panic!("no column {header}"))
}

fn row_of<'a>(rows: &'a mut [Vec<Data>], code: &str) -> &'a mut Vec<Data> {
    rows.iter_mut()
        .find(|r| text(&r[0]) == code)
        .unwrap_or_else(|| panic!("no row {code}"))
}

async fn export_xlsx(app: &TestApp, plan_id: &str) -> Vec<u8> {
    let response = app.get(&format!("/plannen/{plan_id}/export.xlsx")).await;
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap().to_vec()
}

/// What the import would do, as counts (created, changed, unchanged, left alone), or the
/// problems as "regel N: …".
async fn planned(
    db: &steden_db::Db,
    plan_id: &str,
    bytes: &[u8],
) -> Result<(usize, usize, usize, usize), Vec<String>> {
    let parsed = uploads::parse(uploads::ImportKind::Export, bytes, &Default::default()).map_err(
        |e| match e {
            uploads::Refusal::Problems(p) => p.into_iter().map(|p| p.message).collect(),
            uploads::Refusal::NeedsMapping(_) => vec!["mapping".to_string()],
        },
    )?;
    assert!(matches!(parsed, Parsed::Export(_)));
    let mut conn = db.pool().acquire().await.unwrap();
    match uploads::plan_checked(&mut conn, plan_id, &parsed)
        .await
        .unwrap()
    {
        Ok(plan) => {
            let s = plan.summary();
            Ok((s.created, s.changed, s.unchanged, s.left_alone))
        }
        Err(problems) => Err(problems
            .into_iter()
            .map(|p| match p.line {
                Some(line) => format!("regel {line}: {}", p.message),
                None => p.message,
            })
            .collect()),
    }
}

async fn set_fields(w: &World, item: &steden_plan::model::Item, change: impl Fn(&mut ItemFields)) {
    let current = reload(&w.db, item).await;
    let mut fields = ItemFields::from_item(&current);
    change(&mut fields);
    let mut tx = w.db.begin().await.unwrap();
    items::update(&mut tx, &item.id, &fields, "start", &w.editor.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn add_indicator(w: &World, p: &SmallPlan) {
    let indicator = new_id();
    sqlx::query(
        "INSERT INTO plan_indicators (id, plan_id, item_id, name, unit, direction, baseline_value,
             baseline_date, source, created_at, updated_at)
         VALUES ($1, $2, $3, 'Digitale aanvragen', '%', 'hoger', 12.5, '2025-12-31',
             '=HYPERLINK(\"http://evil.example\")', $4, $4)",
    )
    .bind(&indicator)
    .bind(&p.plan.id)
    .bind(&p.ac010101.id)
    .bind(now_ms())
    .execute(w.db.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO plan_indicator_targets (indicator_id, target_date, value)
         VALUES ($1, '2031-12-31', 80)",
    )
    .bind(&indicator)
    .execute(w.db.pool())
    .await
    .unwrap();
}

fn long_text(words: usize) -> String {
    (0..words)
        .map(|i| format!("woord{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn own_xlsx_export_goes_back_in_through_preview_and_job() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        set_fields(&w, &p.ac010101, |f| {
            f.description = long_text(150);
            f.start_date = "01/02/2026".into();
        })
        .await;
        login(&app, &w.editor).await;
        let plan_id = p.plan.id.clone();

        // Unchanged, the own export goes back in without any change.
        let original = export_xlsx(&app, &plan_id).await;
        assert!(own_export::recognise(&original));
        assert_eq!(planned(&w.db, &plan_id, &original).await, Ok((0, 0, 9, 0)));

        // Edited as in a spreadsheet.
        let mut sheets = read_workbook(&original);
        assert_eq!(sheets[1].0, steden_plan::export::INFO_SHEET);
        let rows = &mut sheets[0].1;
        let (c_title, c_desc, c_status, c_progress, c_level, c_parent, c_start) = (
            col(rows, "Titel"),
            col(rows, "Beschrijving"),
            col(rows, "Status"),
            col(rows, "Voortgang (%)"),
            col(rows, "Niveau"),
            col(rows, "Code bovenliggend"),
            col(rows, "Begindatum"),
        );
        let c_id = col(rows, "ID");
        assert_eq!(text(&row_of(rows, "AC010101")[c_id]), p.ac010101.id);
        assert_eq!(text(&row_of(rows, "AC010101")[c_desc]), long_text(150));
        assert!(matches!(
            row_of(rows, "AC010101")[c_start],
            Data::DateTime(_)
        ));
        let new_description = long_text(400);
        {
            let r = row_of(rows, "AC010101");
            r[c_title] = Data::String("E-loket voor alle diensten".into());
            r[c_desc] = Data::String(new_description.clone());
        }
        {
            let r = row_of(rows, "AC010102");
            r[c_status] = Data::String("Lopend".into());
            r[c_progress] = Data::Float(30.0);
        }
        row_of(rows, "BD02")[c_title] = Data::String("Een klimaatneutrale stad in 2050".into());
        // A deleted row, new rows (one with a code, one without), rows in another order.
        rows.retain(|r| text(&r[0]) != "AC010201");
        let width = rows[0].len();
        let new_row = |code: &str, level: &str, parent: &str, title: &str, status: &str| {
            let mut r = vec![Data::Empty; width];
            r[0] = Data::String(code.into());
            r[c_level] = Data::String(level.into());
            r[c_parent] = Data::String(parent.into());
            r[c_title] = Data::String(title.into());
            r[c_status] = Data::String(status.into());
            r
        };
        let added = new_row("AC010103", "Actie", "AP0101", "Afsprakenmodule", "Lopend");
        let unnumbered = new_row("", "", "AP0201", "Energieloket", "");
        rows.push(added);
        rows.push(unnumbered);
        let header = rows.remove(0);
        rows.reverse();
        rows.insert(0, header);
        assert!(rows.iter().all(|r| r.len() == width));
        let edited = write_workbook(&sheets);

        // Uploaded as "BBC" by mistake: recognised, no mapping screen, the preview shows it all.
        let preview_path = upload(&app, &plan_id, "bbc", &edited).await;
        assert!(!preview_path.ends_with("/kolommen"));
        let preview = app.page(&preview_path).await;
        assert!(preview.contains("Export van dit plan"), "{preview}");
        assert!(!preview.contains("/kolommen"), "no mapping link");
        for expected in [
            "<dt>Nieuwe items</dt><dd>2</dd>",
            "<dt>Gewijzigde items</dt><dd>3</dd>",
            "<dt>Ongewijzigde items</dt><dd>5</dd>",
            "<dt>Items niet in het bestand (blijven behouden)</dt><dd>1</dd>",
            "<ins>E-loket voor alle diensten</ins>",
            "<del>Niet gestart</del> → <ins>Lopend</ins>",
            "<del>0</del> → <ins>30</ins>",
            "Afsprakenmodule",
            "AP0201.2",
            "/bevestigen",
        ] {
            assert!(preview.contains(expected), "{expected} in {preview}");
        }
        assert!(
            items::list_for_plan(w.db.pool(), &plan_id)
                .await
                .unwrap()
                .len()
                == 9
        );

        // Confirmed: the job applies it.
        let confirm = format!("{preview_path}/bevestigen");
        let response = app.post_form(&preview_path, &confirm, &[]).await;
        assert_eq!(response.status(), 303);
        let import_id = preview_path.rsplit('/').next().unwrap();
        let summary =
            steden_plan::import::jobs::run(&w.db, import_id, &w.editor.audit(), |_, _, _| async {
                Ok(())
            })
            .await
            .unwrap();
        assert_eq!(
            (summary.created, summary.changed, summary.left_alone),
            (2, 3, 1)
        );

        let all = items::list_for_plan(w.db.pool(), &plan_id).await.unwrap();
        assert_eq!(all.len(), 11, "nothing deleted, two added");
        let by_code = |code: &str| all.iter().find(|i| i.code == code).unwrap().clone();
        let e_loket = by_code("AC010101");
        assert_eq!(e_loket.title, "E-loket voor alle diensten");
        assert_eq!(e_loket.description, new_description, "the full text");
        assert_eq!(e_loket.start_date.as_deref(), Some("2026-02-01"));
        let chatbot = by_code("AC010102");
        assert_eq!(chatbot.status, ItemStatus::Lopend);
        assert_eq!(chatbot.progress, 30);
        assert_eq!(by_code("BD02").title, "Een klimaatneutrale stad in 2050");
        assert_eq!(
            by_code("AC010201").title,
            "Dataportaal",
            "a deleted row keeps its item"
        );
        let module = by_code("AC010103");
        assert_eq!(module.parent_id.as_deref(), Some(p.ap0101.id.as_str()));
        assert_eq!((module.depth, module.position), (2, 2));
        assert_eq!(module.status, ItemStatus::Lopend);
        let energy = by_code("AP0201.2");
        assert_eq!(energy.parent_id.as_deref(), Some(p.ap0201.id.as_str()));
        assert_eq!(energy.title, "Energieloket");
        // The reordered rows did not reorder the tree.
        let codes: Vec<&str> = all.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(
            codes,
            vec![
                "BD01", "AP0101", "AC010101", "AC010102", "AC010103", "AP0102", "AC010201", "BD02",
                "AP0201", "AC020101", "AP0201.2"
            ]
        );
        // The status change is in the item's history, as from the edit form.
        let history: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM plan_updates WHERE item_id = $1 AND comment = $2",
        )
        .bind(&chatbot.id)
        .bind(own_export::HISTORY_COMMENT)
        .fetch_one(w.db.pool())
        .await
        .unwrap();
        assert_eq!(history, 1);

        // A fresh export of the result goes back in without a change.
        let again = export_xlsx(&app, &plan_id).await;
        let preview = app
            .page(&upload(&app, &plan_id, "export", &again).await)
            .await;
        assert!(
            preview.contains("<dt>Nieuwe items</dt><dd>0</dd>"),
            "{preview}"
        );
        assert!(
            preview.contains("<dt>Gewijzigde items</dt><dd>0</dd>"),
            "{preview}"
        );
        assert!(
            preview.contains("<dt>Ongewijzigde items</dt><dd>11</dd>"),
            "{preview}"
        );
    })
    .await;
}

#[tokio::test]
async fn bad_edits_of_the_own_export_are_refused_per_row_in_dutch() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        login(&app, &w.editor).await;
        let plan_id = p.plan.id.clone();
        let original = export_xlsx(&app, &plan_id).await;
        let mut sheets = read_workbook(&original);
        let rows = &mut sheets[0].1;
        let (c_title, c_status, c_level, c_parent) = (
            col(rows, "Titel"),
            col(rows, "Status"),
            col(rows, "Niveau"),
            col(rows, "Code bovenliggend"),
        );
        // Row numbers as the spreadsheet shows them: header on 1, BD01 on 2, …
        row_of(rows, "AC010101")[c_title] = Data::String("   ".into()); // row 4
        row_of(rows, "AC010102")[c_status] = Data::String("Bezig".into()); // row 5
        row_of(rows, "AC010201")[c_parent] = Data::String("AP0101".into()); // row 7: a move
        row_of(rows, "AC020101")[0] = Data::String("AC020199".into()); // row 10: code changed
        let width = rows[0].len();
        let new_row = |code: &str, level: &str, parent: &str, title: &str| {
            let mut r = vec![Data::Empty; width];
            r[0] = Data::String(code.into());
            r[c_level] = Data::String(level.into());
            r[c_parent] = Data::String(parent.into());
            r[c_title] = Data::String(title.into());
            r
        };
        rows.push(new_row("AC019999", "Actie", "AP9999", "Wees")); // row 11
        rows.push(new_row("AC010102", "Actie", "AP0101", "Dubbel")); // row 12
        rows.push(new_row("AC010104", "Beleidsdoelstelling", "AP0101", "Te hoog")); // row 13
        rows.push(new_row("AC010105", "Programma", "AP0101", "Onbekend niveau")); // row 14
        assert!(rows.iter().all(|r| r.len() == width));
        let edited = write_workbook(&sheets);

        let problems = planned(&w.db, &plan_id, &edited).await.unwrap_err();
        let expect = [
            "regel 4: de titel is leeg",
            "regel 5: de status ‘Bezig’ bestaat niet",
            "regel 7: AC010201 staat onder AP0102; een item verplaatsen kan niet via de import",
            "regel 10: de code van AC020101 kan niet via de import wijzigen",
            "regel 11: de bovenliggende code AP9999 bestaat niet",
            "regel 12: de code AC010102 staat ook op regel 5",
            "regel 13: het niveau ‘Beleidsdoelstelling’ is hier niet toegelaten: onder dit bovenliggende item komt een Actie",
            "regel 14: het niveau ‘Programma’ bestaat niet in dit plan",
        ];
        for e in expect {
            assert!(
                problems.iter().any(|p| p.starts_with(e)),
                "{e} in {problems:#?}"
            );
        }
        assert_eq!(problems.len(), expect.len(), "{problems:#?}");

        // Over HTTP: the preview lists them with their row, and nothing can be confirmed.
        let preview = app.page(&upload(&app, &plan_id, "export", &edited).await).await;
        assert!(preview.contains("Regel 11"), "{preview}");
        assert!(preview.contains("de bovenliggende code AP9999 bestaat niet"));
        assert!(!preview.contains("/bevestigen"));

        // Another XLSX chosen as "export" is not taken for one.
        let mut plain = Workbook::new();
        plain.add_worksheet().write_string(0, 0, "Code").unwrap();
        let plain = plain.save_to_buffer().unwrap();
        assert!(!own_export::recognise(&plain));
        let preview = app.page(&upload(&app, &plan_id, "export", &plain).await).await;
        assert!(preview.contains("Stedenplatform"), "{preview}");
        assert!(!preview.contains("/bevestigen"));
        assert_eq!(
            items::list_for_plan(w.db.pool(), &plan_id).await.unwrap().len(),
            9
        );
    })
    .await;
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

#[tokio::test]
async fn csv_export_has_full_texts_level_parent_and_baselines_defused() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        let title = format!("=1+1 {}", "x".repeat(90));
        let description = format!("@SUM(1) {}", long_text(300));
        set_fields(&w, &p.ac010102, |f| {
            f.title = title.clone();
            f.description = description.clone();
        })
        .await;
        add_indicator(&w, &p).await;
        login(&app, &w.reader).await;
        let response = app.get(&format!("/plannen/{}/export.csv", p.plan.id)).await;
        assert_eq!(response.status(), 200);
        let (headers, rows) = read_csv(&response.bytes().await.unwrap());
        assert_eq!(
            &headers[..5],
            &[
                "Code",
                "Niveau",
                "Code bovenliggend",
                "Titel",
                "Beschrijving"
            ]
        );
        assert_eq!(headers.last().unwrap(), "ID");
        let row = rows.iter().find(|r| r[0] == "AC010102").unwrap();
        assert_eq!(row[1], "Actie");
        assert_eq!(row[2], "AP0101");
        assert_eq!(row[3], format!("'{title}"), "full, defused");
        assert_eq!(row[4], format!("'{description}"), "full, defused");
        assert_eq!(row.last().unwrap(), &p.ac010102.id);
        let top = rows.iter().find(|r| r[0] == "BD01").unwrap();
        assert_eq!(
            (top[1].as_str(), top[2].as_str()),
            ("Beleidsdoelstelling", "")
        );

        let response = app
            .get(&format!("/plannen/{}/indicatoren.csv", p.plan.id))
            .await;
        let (headers, rows) = read_csv(&response.bytes().await.unwrap());
        assert_eq!(&headers[8..], &["Richting", "Bron", "Frequentie"]);
        assert_eq!(rows.len(), 2, "baseline and target");
        assert_eq!(
            &rows[0][..6],
            &[
                "AC010101",
                "Digitale aanvragen",
                "%",
                "basiswaarde",
                "31/12/2025",
                "12,5"
            ]
        );
        assert_eq!(rows[0][8], "Hoger is beter");
        assert_eq!(rows[0][9], "'=HYPERLINK(\"http://evil.example\")");
        assert_eq!(rows[1][3], "streefwaarde");
        for row in &rows {
            for cell in row {
                assert!(!cell.starts_with(['=', '+', '@', '\t', '\r']), "{cell:?}");
            }
        }

        // The XLSX of the indicators has the baseline as a number.
        let response = app
            .get(&format!("/plannen/{}/indicatoren.xlsx", p.plan.id))
            .await;
        let sheets = read_workbook(&response.bytes().await.unwrap());
        assert_eq!(text(&sheets[0].1[1][3]), "basiswaarde");
        assert_eq!(sheets[0].1[1][5], Data::Float(12.5));
    })
    .await;
}
