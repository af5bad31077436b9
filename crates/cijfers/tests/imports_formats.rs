//! The formats beyond the long CSV, with files made here: the wide CSV and its column mapping,
//! Excel workbooks (long and wide, with typed numbers and dates, and a zip bomb),
//! Swing's metadata and bulk files, Statbel's population structure (zipped, pipe-separated,
//! with a BOM), and Fluvius' energy use per sector (with a folded "REST" sector and a sector in
//! the wrong municipality).

use std::io::Write;

use steden_cijfers::import::jobs;
use steden_cijfers::import::numbers::DecimalMark;
use steden_cijfers::import::Options;
use steden_cijfers::model::{GeoLevel, ImportKind};
use steden_cijfers::store::{geo, indicators, values};
use steden_core::audit::AuditActor;
use steden_db::testing::each_backend;
use steden_db::Db;

use crate::common::{fields, geography, indicator, migrations, value_count};
use crate::imports::{import, run, upload};

async fn public(db: &Db, code: &str, geo: &str, period: &str) -> Option<f64> {
    values::public_series(db.pool(), code, None)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.geo_code == geo && r.period == period)
        .and_then(|r| r.value)
}

#[tokio::test]
async fn a_wide_csv_is_read_after_its_columns_are_mapped() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        indicator(&db, &fields("bev"), None).await;
        indicator(&db, &fields("opp"), None).await;
        let text = "Gemeente;Jaar;Inwoners;Oppervlakte;Opmerking\n44021;2024;265000;156,2;ok\n11002;2024;536000;204,3;\n";
        let (id, report) = upload(&db, "kenniscentrum", ImportKind::WideCsv, "breed.csv", text.as_bytes(), DecimalMark::Comma).await;
        // Guessed from the headers: no geo or period column, so nothing to import yet.
        assert!(!report.errors.is_empty());
        assert_eq!(report.columns, ["Gemeente", "Jaar", "Inwoners", "Oppervlakte", "Opmerking"]);
        let mapping = ["geo", "period", "bev", "opp", "skip"].map(String::from).to_vec();
        let report = jobs::remap(&db, &id, &Options { decimal_mark: DecimalMark::Comma, mapping }).await.unwrap();
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert_eq!(report.values, 4);
        jobs::confirm(&db, &id, &AuditActor::system()).await.unwrap();
        assert_eq!(run(&db, &id).await.unwrap(), 4);
        assert_eq!(public(&db, "opp", "44021", "2024").await, Some(156.2));
        assert_eq!(public(&db, "bev", "11002", "2024").await, Some(536_000.0));
    })
    .await;
}

/// A workbook whose first sheet holds `rows` (numbers typed as numbers, the rest as text) and
/// a second sheet that must be ignored.
fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(number) => sheet.write_number(r as u32, c as u16, number).unwrap(),
                Err(_) => sheet.write_string(r as u32, c as u16, *cell).unwrap(),
            };
        }
    }
    book.add_worksheet()
        .write_string(0, 0, "niet dit blad")
        .unwrap();
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn an_excel_workbook_is_read_in_long_and_in_wide_form() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        indicator(&db, &fields("bev"), None).await;
        indicator(&db, &fields("opp"), None).await;
        // Long form, typed numbers; the decimal mark of the form does not change typed numbers.
        for (mark, period) in [(DecimalMark::Point, "2024"), (DecimalMark::Comma, "2025")] {
            let long = workbook(&[
                &["indicator", "geo", "period", "value"],
                &["opp", "44021", period, "156.25"],
                &["bev", "11002", period, "536000"],
            ]);
            let (_, written) = import(
                &db,
                "kenniscentrum",
                ImportKind::LongCsv,
                "lang.xlsx",
                &long,
                mark,
            )
            .await;
            assert_eq!(written, 2);
            assert_eq!(public(&db, "opp", "44021", period).await, Some(156.25));
            assert_eq!(public(&db, "bev", "11002", period).await, Some(536_000.0));
        }
        // Wide form, mapped like a wide CSV; a number kept as text with a decimal comma reads as
        // the typed ones do.
        let wide = workbook(&[
            &["Gemeente", "Jaar", "Inwoners", "Oppervlakte"],
            &["44021", "2023", "264000", "156,2"],
            &["11002", "2023", "530000", "204.5"],
        ]);
        let (id, _) = upload(
            &db,
            "kenniscentrum",
            ImportKind::WideCsv,
            "breed.xlsx",
            &wide,
            DecimalMark::Comma,
        )
        .await;
        let mapping = ["geo", "period", "bev", "opp"].map(String::from).to_vec();
        let report = jobs::remap(
            &db,
            &id,
            &Options {
                decimal_mark: DecimalMark::Comma,
                mapping,
            },
        )
        .await
        .unwrap();
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert_eq!(report.values, 4);
        jobs::confirm(&db, &id, &AuditActor::system())
            .await
            .unwrap();
        assert_eq!(run(&db, &id).await.unwrap(), 4);
        assert_eq!(public(&db, "opp", "44021", "2023").await, Some(156.2));
        assert_eq!(public(&db, "opp", "11002", "2023").await, Some(204.5));
        assert_eq!(public(&db, "bev", "11002", "2023").await, Some(530_000.0));
    })
    .await;
}

#[tokio::test]
async fn a_zip_bomb_posing_as_a_workbook_is_refused_and_nothing_is_written() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        indicator(&db, &fields("bev"), None).await;
        let mut bomb = std::io::Cursor::new(Vec::new());
        {
            let mut writer = zip::ZipWriter::new(&mut bomb);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            writer.start_file("xl/workbook.xml", options).unwrap();
            writer.write_all(b"<workbook/>").unwrap();
            writer
                .start_file("xl/worksheets/sheet1.xml", options)
                .unwrap();
            writer.write_all(&vec![b'0'; 64 * 1024 * 1024]).unwrap();
            writer.finish().unwrap();
        }
        let bytes = bomb.into_inner();
        let before = value_count(&db).await;
        let (_, report) = upload(
            &db,
            "kenniscentrum",
            ImportKind::LongCsv,
            "bom.xlsx",
            &bytes,
            DecimalMark::Point,
        )
        .await;
        assert!(
            report.errors.iter().any(|e| e.contains("zip-bom")),
            "{:?}",
            report.errors
        );
        assert_eq!(report.values, 0);
        assert_eq!(value_count(&db).await, before);
    })
    .await;
}

#[tokio::test]
async fn swing_metadata_defines_indicators_and_its_bulk_file_fills_them() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        let meta = "Onderwerpcode;Naam;Beschrijving;Eenheid;Bron\n\
                    sw_bev;Bevolking;Inwoners op 1 januari;inwoners;Statbel\n\
                    sw_opp;Oppervlakte;Oppervlakte in km²;km²;Kadaster\n";
        let (_, written) = import(
            &db,
            "kenniscentrum",
            ImportKind::SwingMeta,
            "meta.csv",
            meta.as_bytes(),
            DecimalMark::Point,
        )
        .await;
        assert_eq!(written, 0);
        let bev = indicators::get_by_code(db.pool(), "sw_bev").await.unwrap();
        assert_eq!(
            (bev.unit.as_str(), bev.source.as_str()),
            ("inwoners", "Statbel")
        );
        // Staff's indicators are shared; a new indicator starts unpublished.
        assert_eq!(bev.owner_org_id, None);
        assert!(!bev.published);

        let bulk = "\"period\";\"geolevel\";\"geoitem\";\"sw_bev\";\"sw_opp\"\n\
                    \"2024\";\"gemeente\";\"44021\";\"265000\";\"156.2\"\n\
                    \"2024\";\"sector\";\"44021A00-\";\"1200\";\"*\"\n\
                    \"2024\";\"wijk\";\"GENT-N\";\"4000\";\"\"\n";
        let (_, written) = import(
            &db,
            "kenniscentrum",
            ImportKind::Swing,
            "bulk.csv",
            bulk.as_bytes(),
            DecimalMark::Point,
        )
        .await;
        // The '*' comes in as a suppressed value; the empty cell is no value.
        assert_eq!(written, 5);
        let sector = values::series(
            db.pool(),
            &indicators::get_by_code(db.pool(), "sw_opp")
                .await
                .unwrap()
                .id,
            GeoLevel::Sector,
        )
        .await
        .unwrap();
        assert_eq!(
            sector[0].status,
            steden_cijfers::model::ValueStatus::Suppressed
        );

        // A level Swing knows but the platform has no such place at: refused.
        let bad =
            "\"period\";\"geolevel\";\"geoitem\";\"sw_bev\"\n\"2024\";\"sector\";\"44021\";\"1\"\n";
        let (_, report) = upload(
            &db,
            "kenniscentrum",
            ImportKind::Swing,
            "bad.csv",
            bad.as_bytes(),
            DecimalMark::Point,
        )
        .await;
        assert_eq!(
            report.errors,
            ["Regel 2: onbekend gebied '44021' op niveau sector"]
        );
    })
    .await;
}

fn zipped(name: &str, content: &[u8]) -> Vec<u8> {
    let mut buffer = std::io::Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut buffer);
    writer
        .start_file(name, zip::write::SimpleFileOptions::default())
        .unwrap();
    writer.write_all(content).unwrap();
    writer.finish().unwrap();
    buffer.into_inner()
}

#[tokio::test]
async fn statbel_population_comes_zipped_and_is_summed_per_municipality() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        let mut text = b"\xEF\xBB\xBF".to_vec();
        text.extend_from_slice(
            "CD_REFNIS|TX_DESCR_NL|TX_DESCR_FR|CD_DSTR_REFNIS|CD_SEX|CD_NATLTY|TX_NATLTY_NL|CD_CIV_STS|TX_CIV_STS_NL|CD_AGE|MS_POPULATION\n\
             44021|Gent|Gand|44000|M|BEL|Belgen|1|Ongehuwd|4|1200\n\
             44021|Gent|Gand|44000|F|ETR|Niet-Belgen|2|Gehuwd|35|1500\n\
             44021|Gent|Gand|44000|F|BEL|Belgen|3|Weduwstaat|81|300\n\
             11002|Antwerpen|Anvers|11000|M|BEL|Belgen|1|Ongehuwd|70|900\n"
                .as_bytes(),
        );
        let file = zipped("TF_SOC_POP_STRUCT_2024.txt", &text);
        let (_, written) = import(&db, "kenniscentrum", ImportKind::StatbelPopulation, "TF_SOC_POP_STRUCT_2024.zip", &file, DecimalMark::Point).await;
        // Gent: total, men, women, 0-17, 18-64, 65+; Antwerpen: total, men, 65+.
        assert_eq!(written, 9);
        // Imported indicators start unpublished: publish one to read it publicly.
        let mut tx = db.begin().await.unwrap();
        let total = indicators::get_by_code(&mut *tx, "bevolking").await.unwrap();
        let mut fields = steden_cijfers::store::indicators::IndicatorFields { published: true, ..fields("bevolking") };
        fields.name = total.name.clone();
        indicators::update(&mut tx, &total, &fields, &AuditActor::system()).await.unwrap();
        tx.commit().await.unwrap();
        assert!(crate::common::check(&db, "bevolking").await.passed);
        assert_eq!(public(&db, "bevolking", "44021", "2024").await, Some(3000.0));
        assert_eq!(public(&db, "bevolking", "11002", "2024").await, Some(900.0));

        // An unknown municipality and a bad line: nothing written.
        let before = value_count(&db).await;
        let bad = "CD_REFNIS|CD_SEX|CD_AGE|MS_POPULATION\n44021|M|4|10\n12345|M|4|10\n44021|M|4|tien\n";
        let (_, report) = upload(&db, "kenniscentrum", ImportKind::StatbelPopulation, "pop_2023.txt", bad.as_bytes(), DecimalMark::Point).await;
        assert!(report.errors.contains(&"Regel 4: aantal 'tien' is geen geheel getal".to_string()), "{:?}", report.errors);
        assert!(report.errors.iter().any(|e| e.contains("onbekende REFNIS-code '12345'")), "{:?}", report.errors);
        assert_eq!(value_count(&db).await, before);
        // A zip without a text file.
        let (_, report) = upload(&db, "kenniscentrum", ImportKind::StatbelPopulation, "x.zip", &zipped("foto.png", b"png"), DecimalMark::Point).await;
        assert_eq!(report.errors, ["Het zipbestand bevat geen .txt- of .csv-bestand."]);
    })
    .await;
}

#[tokio::test]
async fn fluvius_energy_per_sector_folds_small_sectors_and_checks_municipalities() {
    each_backend(&migrations(), |db| async move {
        geography(&db).await;
        let header = "Verbruiksjaar;Markt;Richting;Hoofdgemeente;NIS-code;StatistischeSector;Aansluiting;Aantal Toegangspunten;BenaderendVerbruikkWh\n";
        let good = format!(
            "{header}2023;Elektriciteit;Afname;Gent;44021;44021A00-;Huishoudelijk;120;350000.5\n\
             2023;Elektriciteit;Afname;Gent;44021;44021A00-;Niet-huishoudelijk;4;100000\n\
             2023;Elektriciteit;Afname;Gent;44021;44021REST;Huishoudelijk;3;9000\n\
             2023;Aardgas;Afname;Gent;44021;44021A01-;Huishoudelijk;80;1200000\n"
        );
        let (_, written) = import(&db, "kenniscentrum", ImportKind::Fluvius, "fluvius.csv", good.as_bytes(), DecimalMark::Point).await;
        assert_eq!(written, 3);
        let rest = geo::find(db.pool(), GeoLevel::Sector, "44021REST").await.unwrap().unwrap();
        assert_eq!(rest.municipality_code.as_deref(), Some("44021"));
        let electricity = indicators::get_by_code(db.pool(), "fluvius_elektriciteit_afname_kwh").await.unwrap();
        let rows = values::series(db.pool(), &electricity.id, GeoLevel::Sector).await.unwrap();
        assert_eq!(rows[0].value, Some(450_000.5));

        // Twice: the same values.
        let before = value_count(&db).await;
        import(&db, "kenniscentrum", ImportKind::Fluvius, "fluvius.csv", good.as_bytes(), DecimalMark::Point).await;
        assert_eq!(value_count(&db).await, before);

        let bad = format!(
            "{header}2023;Elektriciteit;Afname;Antwerpen;11002;44021A00-;Huishoudelijk;1;10\n\
             2023;Elektriciteit;Afname;Gent;44021;44021Z99-;Huishoudelijk;1;10\n\
             2023;Elektriciteit;Afname;Gent;44021;99999REST;Huishoudelijk;1;10\n\
             2023;Elektriciteit;Afname;Gent;44021;44021A01-;Huishoudelijk;1;1.234,5\n"
        );
        let (_, report) = upload(&db, "kenniscentrum", ImportKind::Fluvius, "fout.csv", bad.as_bytes(), DecimalMark::Point).await;
        assert_eq!(report.errors.len(), 4, "{:?}", report.errors);
        assert_eq!(report.errors[0], "Regel 2: sector 44021A00- ligt niet in gemeente 11002 maar in 44021");
        assert!(report.errors[1].starts_with("Regel 3: onbekend gebied '44021Z99-'"));
        assert!(report.errors[2].starts_with("Regel 4: onbekend gebied '99999REST'"));
        assert!(report.errors[3].starts_with("Regel 5: BenaderendVerbruikkWh: '1.234,5' bevat een komma"));
        assert_eq!(value_count(&db).await, before);
    })
    .await;
}
