//! The XLSX export of the editors' subscriber list (S12), on both backends: the filters and
//! columns of the CSV export, read back with calamine; a hostile cell (`=HYPERLINK(…)`,
//! `@SUM(…)`) stays text, no cell is a formula; audited; for editors only; linked from the
//! list beside the CSV.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use steden_db::now_ms;
use steden_testkit::login;

use crate::admin::{add, staff};
use crate::common::{count, each_nb_app};

#[tokio::test]
async fn the_xlsx_export_keeps_hostile_cells_as_text() {
    each_nb_app(|app| async move {
        let people = staff(&app.db).await;
        let now = now_ms();
        // More than one batch of the export (1,000), so that the keyset continues.
        let mut tx = app.db.begin().await.unwrap();
        for i in 0..1_005 {
            sqlx::query(
                "INSERT INTO nb_subscribers (id, email, name, language, status, created_at, updated_at)
                 VALUES ($1, $2, '', 'nl', 'bevestigd', $3, $3)",
            )
            .bind(steden_db::new_id())
            .bind(format!("lid{i:04}@stad.be"))
            .bind(now)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        add(&app.db, "=cmd@evil.be", "@SUM(A1)", "nl", "bevestigd", now, &[]).await;
        add(&app.db, "piet@gent.be", "=HYPERLINK(\"https://evil.example\",\"klik\")", "en", "afgemeld", now, &[]).await;

        // Anonymous: to the login page; a city's redacteur: forbidden.
        let anonymous = steden_testkit::TestApp::new_client()
            .get(app.url("/nieuwsbrief/beheer/abonnees.xlsx"))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 303);
        let outsider = steden_testkit::TestApp::new_client();
        steden_testkit::login_with(&app, &outsider, &people.outsider.email, &people.outsider.password).await;
        let refused = outsider.get(app.url("/nieuwsbrief/beheer/abonnees.xlsx")).send().await.unwrap();
        assert_eq!(refused.status(), 403);

        login(&app, &people.editor).await;
        let html = app.client.get(app.url("/nieuwsbrief/beheer/abonnees?taal=en")).send().await.unwrap()
            .text().await.unwrap();
        assert!(html.contains("href=\"/nieuwsbrief/beheer/abonnees.xlsx?taal=en\""), "{html}");
        assert!(html.contains("Exporteer deze abonnees als XLSX"));

        let response = app.client.get(app.url("/nieuwsbrief/beheer/abonnees.xlsx")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(response.headers()["content-disposition"].to_str().unwrap().contains("abonnees-nieuwsbrief.xlsx"));
        let bytes = response.bytes().await.unwrap().to_vec();
        let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        assert_eq!(workbook.sheet_names(), ["Abonnees"]);
        let range = workbook.worksheet_range("Abonnees").unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        let text = |cell: &Data| match cell {
            Data::String(s) => s.clone(),
            other => panic!("not a string cell: {other:?}"),
        };
        let header: Vec<String> = rows[0].iter().map(text).collect();
        assert_eq!(header, ["E-mailadres", "Naam", "Taal", "Status", "Ingeschreven op", "Bevestigd op", "Id"]);
        assert_eq!(rows.len(), 1 + 1_007);
        // By address, as the CSV: the hostile lines as the characters they are, as strings.
        let first: Vec<String> = rows[1].iter().take(4).map(text).collect();
        assert_eq!(first, ["=cmd@evil.be", "@SUM(A1)", "nl", "bevestigd"]);
        let piet = rows.iter().find(|r| matches!(&r[0], Data::String(s) if s == "piet@gent.be")).unwrap();
        assert_eq!(text(&piet[1]), "=HYPERLINK(\"https://evil.example\",\"klik\")");
        assert_eq!(text(&piet[2]), "en");
        // No cell anywhere is a formula.
        let formulas = workbook.worksheet_formula("Abonnees").unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "a formula cell");
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'nb_subscriber' AND action = 'export' AND summary LIKE '%XLSX%'").await,
            1
        );

        // The filters of the list apply.
        let bytes = app.client.get(app.url("/nieuwsbrief/beheer/abonnees.xlsx?taal=en&status=afgemeld"))
            .send().await.unwrap().bytes().await.unwrap().to_vec();
        let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = workbook.worksheet_range("Abonnees").unwrap();
        assert_eq!(range.rows().count(), 2);
    })
    .await;
}
