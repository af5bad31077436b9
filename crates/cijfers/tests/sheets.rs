//! Fact sheets (steekkaarten), the themes they are made of, and a city's own page, on both
//! backends: theme CRUD behind its permission (Kenniscentrum staff only, CSRF, Dutch errors,
//! nothing half-written), the rank and Flemish figure of a fact sheet from seeded values, no
//! suppressed or unpublished value on a fact sheet or a city page, and the PDF read back with
//! poppler's pdftotext.

use steden_cijfers::model::{GeoLevel, Period, ValueStatus};
use steden_cijfers::store::themes::{self, ThemeEntry, ThemeFields};
use steden_cijfers::store::values::{self, NewValue};
use steden_cijfers::store::{geo, indicators};
use steden_core::audit::AuditActor;
use steden_core::role::Role;
use steden_db::Db;
use steden_testkit::each_app_with;

use crate::common::{fields, geography, indicator, login, modules, org_id, person};

async fn put(
    db: &Db,
    code: &str,
    level: GeoLevel,
    place: &str,
    period: &str,
    value: f64,
    status: ValueStatus,
) {
    let mut tx = db.begin().await.unwrap();
    let indicator = indicators::get_by_code(&mut *tx, code).await.unwrap();
    let place = geo::find(&mut *tx, level, place).await.unwrap().unwrap();
    let period_id = values::ensure_period(&mut tx, &Period::parse(period).unwrap())
        .await
        .unwrap();
    values::upsert(
        &mut tx,
        &NewValue {
            indicator_id: &indicator.id,
            geo_item_id: &place.id,
            period_id: &period_id,
            value: Some(value),
            status,
            import_id: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// A published percentage `t_x` for Gent, Antwerpen, Hasselt and Flanders over 2020–2025, with
/// Antwerpen's 2025 figure suppressed (behind it 987.6), an unpublished `t_hidden` (4321.5 for
/// Gent), and the theme "Proef" with both as key figures.
async fn seeded_sheet(db: &Db) {
    geography(db).await;
    indicator(
        db,
        &steden_cijfers::store::indicators::IndicatorFields {
            unit: "%".into(),
            decimals: 1,
            name: "Proefaandeel".into(),
            ..fields("t_x")
        },
        None,
    )
    .await;
    indicator(
        db,
        &steden_cijfers::store::indicators::IndicatorFields {
            published: false,
            name: "Verborgen indicator".into(),
            ..fields("t_hidden")
        },
        None,
    )
    .await;
    let d = ValueStatus::Definitive;
    for (place, level, period, value) in [
        ("44021", GeoLevel::Gemeente, "2020", 10.0),
        ("44021", GeoLevel::Gemeente, "2024", 11.0),
        ("44021", GeoLevel::Gemeente, "2025", 12.5),
        ("71072", GeoLevel::Gemeente, "2025", 14.0),
        ("11002", GeoLevel::Gemeente, "2024", 13.0),
        ("02000", GeoLevel::Gewest, "2024", 8.5),
        ("02000", GeoLevel::Gewest, "2025", 9.0),
    ] {
        put(db, "t_x", level, place, period, value, d).await;
    }
    put(
        db,
        "t_x",
        GeoLevel::Gemeente,
        "11002",
        "2025",
        987.6,
        ValueStatus::Suppressed,
    )
    .await;
    put(
        db,
        "t_hidden",
        GeoLevel::Gemeente,
        "44021",
        "2025",
        4321.5,
        d,
    )
    .await;
    // Public only once the disclosure check passed (src/gate), as publishing does.
    assert!(crate::common::check(db, "t_x").await.passed);
    let mut tx = db.begin().await.unwrap();
    themes::create(
        &mut tx,
        &ThemeFields {
            name: "Proef".into(),
            intro: "Een thema voor de test.".into(),
            indicators: vec![
                ThemeEntry {
                    code: "t_x".into(),
                    key_figure: true,
                },
                ThemeEntry {
                    code: "t_hidden".into(),
                    key_figure: true,
                },
            ],
        },
        false,
        &AuditActor::system(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

fn assert_no_hidden(what: &str, html: &str) {
    for secret in ["987,6", "987.6", "4321", "4.321", "Verborgen indicator"] {
        assert!(!html.contains(secret), "{what}: {secret} leaked");
    }
}

#[tokio::test]
async fn a_fact_sheet_shows_rank_change_and_the_flemish_figure_of_public_values_only() {
    each_app_with(modules, |app| async move {
        seeded_sheet(&app.db).await;
        let page = app.page("/cijfers/steekkaart/proef/gent").await;
        assert!(page.contains("Proef in Gent"), "{page}");
        assert!(page.contains("Proefaandeel"));
        // Gent 12.5 against Hasselt 14.0; Antwerpen's 2025 figure is suppressed, so it is no
        // rank of its own: 2 of 2.
        assert!(
            page.contains("Gent staat op plaats 2 van 2 in 2025."),
            "{page}"
        );
        assert!(page.contains("2 van 2"));
        assert!(page.contains("Vlaams Gewest: 9,0 %."));
        assert!(page.contains("12,5 %"));
        // Against 2024 (11.0) and five years before, 2020 (10.0).
        assert!(page.contains("Verschil met 2024"));
        assert!(page.contains("+1,5 procentpunt"));
        assert!(page.contains("Verschil met 2020"));
        assert!(page.contains("+2,5 procentpunt"));
        assert!(page.contains("<svg"));
        assert!(page.contains("<caption"));
        assert_no_hidden("fact sheet", &page);
        // The same period reached by its REFNIS code; unknown places and themes are 404.
        assert_eq!(
            app.get("/cijfers/steekkaart/proef/44021").await.status(),
            200
        );
        assert_eq!(
            app.get("/cijfers/steekkaart/proef/kortessem")
                .await
                .status(),
            404
        );
        assert_eq!(
            app.get("/cijfers/steekkaart/bestaat-niet/gent")
                .await
                .status(),
            404
        );

        // Hasselt ranks first; Antwerpen has no public 2025 figure, so its latest is 2024.
        let hasselt = app.page("/cijfers/steekkaart/proef/hasselt").await;
        assert!(hasselt.contains("Hasselt staat op plaats 1 van 2 in 2025."));
        let antwerpen = app.page("/cijfers/steekkaart/proef/antwerpen").await;
        assert!(
            antwerpen.contains("Antwerpen: 13,0 % in 2024."),
            "{antwerpen}"
        );
        assert_no_hidden("fact sheet Antwerpen", &antwerpen);

        let city = app.page("/cijfers/stad/gent").await;
        assert!(city.contains("Gent in cijfers"));
        assert!(city.contains("Proefaandeel"));
        assert!(city.contains("2 van 2"));
        assert!(city.contains("/cijfers/steekkaart/proef/gent"));
        assert!(city.contains("/cijfers/indicator/t_x"));
        assert_no_hidden("city page", &city);
        assert_no_hidden(
            "city page Antwerpen",
            &app.page("/cijfers/stad/antwerpen").await,
        );
        assert_eq!(app.get("/cijfers/stad/nergens").await.status(), 404);

        let theme = app.page("/cijfers/steekkaart/proef").await;
        assert!(theme.contains("/cijfers/steekkaart/proef/sint-niklaas"));
        let overview = app.page("/cijfers").await;
        assert!(overview.contains("/cijfers/steekkaart/proef"));
        assert!(overview.contains("/cijfers/stad/gent"));
    })
    .await;
}

#[tokio::test]
async fn the_demo_fact_sheets_keep_the_suppressed_and_unpublished_figures_out() {
    each_app_with(modules, |app| async move {
        steden_core::org::seed_defaults(&app.db).await.unwrap();
        steden_cijfers::demo::seed(&app.db).await.unwrap();
        // A second run adds nothing.
        steden_cijfers::demo::seed(&app.db).await.unwrap();
        assert_eq!(themes::list(app.db.pool()).await.unwrap().len(), 2);
        let changed = sqlx::query(
            "UPDATE cijfers_values SET value = 987654 WHERE status = 'suppressed' AND indicator_id =
                 (SELECT id FROM cijfers_indicators WHERE code = 'demo_leefloners')",
        )
        .execute(app.db.pool())
        .await
        .unwrap()
        .rows_affected();
        assert_eq!(changed, 1);
        let page = app
            .page("/cijfers/steekkaart/armoede-en-wonen/turnhout")
            .await;
        assert!(page.contains("Leefloongerechtigden"));
        assert!(page.contains("Demogegevens"));
        for secret in ["987654", "987.654", "Plaatsen in de kinderopvang"] {
            assert!(!page.contains(secret), "{secret} on the fact sheet");
        }
        let city = app.page("/cijfers/stad/turnhout").await;
        for secret in ["987654", "987.654", "Plaatsen in de kinderopvang"] {
            assert!(!city.contains(secret), "{secret} on the city page");
        }
        let page = app.page("/cijfers/steekkaart/bevolking/gent").await;
        assert!(page.contains("Bevolking op 1 januari"));
        assert!(page.contains("Vlaams Gewest"));
        // Gent has demo sectors: the sheet maps them, with the table beside the map, and the
        // suppressed sector is "geheim" there, its value nowhere.
        assert!(
            page.contains(r#"<h2 id="kaart">"#),
            "no map on Gent's sheet"
        );
        assert!(page.contains("<svg"));
        assert!(page.contains("Dampoort") && page.contains("Macharius"));
        assert!(page.contains("/cijfers/indicator/demo_bevolking/kaart/44021"));
        // Turnhout has no geometry: no map section.
        let turnhout = app
            .page("/cijfers/steekkaart/armoede-en-wonen/turnhout")
            .await;
        assert!(!turnhout.contains(r#"<h2 id="kaart">"#));
    })
    .await;
}

#[tokio::test]
async fn themes_are_kept_by_kenniscentrum_staff_with_dutch_errors() {
    each_app_with(modules, |app| async move {
        steden_core::org::seed_defaults(&app.db).await.unwrap();
        steden_cijfers::demo::seed(&app.db).await.unwrap();
        let count = || async { themes::list(app.db.pool()).await.unwrap().len() };
        assert_eq!(count().await, 2);
        // Anonymous: to the login page.
        let response = app.get("/cijfers/beheer/themas").await;
        assert_eq!(response.status(), 303);

        // A city's data team may not.
        let gent = org_id(&app.db, "gent").await;
        let editor = person(
            &app.db,
            "data@gent.test",
            "Daan Data",
            &gent,
            Role::Redacteur,
        )
        .await;
        login(&app, &editor).await;
        assert_eq!(app.get("/cijfers/beheer/themas").await.status(), 403);
        assert_eq!(
            app.get("/cijfers/beheer/themas/bevolking").await.status(),
            403
        );
        let response = app
            .post_form(
                "/cijfers/beheer/indicatoren",
                "/cijfers/beheer/themas/nieuw",
                &[("name", "Werk"), ("in-demo_werkzoekenden", "1")],
            )
            .await;
        assert_eq!(response.status(), 403);
        let response = app
            .post_form(
                "/cijfers/beheer/indicatoren",
                "/cijfers/beheer/themas/bevolking/verwijderen",
                &[],
            )
            .await;
        assert_eq!(response.status(), 403);
        assert_eq!(count().await, 2);

        let kenniscentrum = org_id(&app.db, "kenniscentrum").await;
        let staff = person(
            &app.db,
            "kc@kenniscentrum.test",
            "Kim Kenniscentrum",
            &kenniscentrum,
            Role::Redacteur,
        )
        .await;
        login(&app, &staff).await;
        let list = app.page("/cijfers/beheer/themas").await;
        assert!(list.contains("Bevolking"));
        assert!(list.contains("Armoede en wonen"));
        let form = app.page("/cijfers/beheer/themas/nieuw").await;
        assert!(form.contains("name=\"_csrf\""));
        assert!(form.contains("for=\"pos-demo_werkzoekenden\""));

        let no_csrf = app
            .client
            .post(app.url("/cijfers/beheer/themas/nieuw"))
            .form(&[("name", "Werk"), ("in-demo_werkzoekenden", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(no_csrf.status(), 403);
        assert_eq!(count().await, 2);

        // Bad input: no name, an order that is no number; then no indicator at all; nothing
        // written.
        let response = app
            .post_form(
                "/cijfers/beheer/themas/nieuw",
                "/cijfers/beheer/themas/nieuw",
                &[
                    ("name", ""),
                    ("in-demo_werkzoekenden", "1"),
                    ("pos-demo_werkzoekenden", "twee"),
                ],
            )
            .await;
        assert_eq!(response.status(), 422);
        assert!(response.text().await.unwrap().contains("geen geheel getal"));
        let response = app
            .post_form(
                "/cijfers/beheer/themas/nieuw",
                "/cijfers/beheer/themas/nieuw",
                &[("name", "Leeg")],
            )
            .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("Kies minstens één indicator"), "{html}");
        let response = app
            .post_form(
                "/cijfers/beheer/themas/nieuw",
                "/cijfers/beheer/themas/nieuw",
                &[("name", "Bevolking"), ("in-demo_bevolking", "1")],
            )
            .await;
        assert_eq!(response.status(), 422);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("Er bestaat al een thema met deze naam."));
        assert_eq!(count().await, 2);

        // Made: the order by number, a key figure ticked without "include" counts as included.
        let response = app
            .post_form(
                "/cijfers/beheer/themas/nieuw",
                "/cijfers/beheer/themas/nieuw",
                &[
                    ("name", "Werk & economie"),
                    ("intro", "Werk in de stad."),
                    ("in-demo_werkzoekenden", "1"),
                    ("pos-demo_werkzoekenden", "2"),
                    ("key-demo_werkzaamheidsgraad", "1"),
                    ("pos-demo_werkzaamheidsgraad", "1"),
                    ("in-demo_ondernemingen", "1"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let theme = themes::find(app.db.pool(), "werk-economie")
            .await
            .unwrap()
            .unwrap();
        let order: Vec<(&str, bool)> = theme
            .indicators
            .iter()
            .map(|i| (i.code.as_str(), i.key_figure))
            .collect();
        assert_eq!(
            order,
            vec![
                ("demo_werkzaamheidsgraad", true),
                ("demo_werkzoekenden", false),
                ("demo_ondernemingen", false)
            ]
        );

        // Changed: another order and name; the slug stays.
        let response = app
            .post_form(
                "/cijfers/beheer/themas/werk-economie",
                "/cijfers/beheer/themas/werk-economie",
                &[
                    ("name", "Werk"),
                    ("in-demo_werkzoekenden", "1"),
                    ("key-demo_werkzoekenden", "1"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let theme = themes::find(app.db.pool(), "werk-economie")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(theme.name, "Werk");
        assert_eq!(theme.indicators.len(), 1);
        assert!(app
            .page("/cijfers/steekkaart/werk-economie/gent")
            .await
            .contains("Niet-werkende werkzoekenden"));

        // Deleted.
        let response = app
            .post_form(
                "/cijfers/beheer/themas/werk-economie",
                "/cijfers/beheer/themas/werk-economie/verwijderen",
                &[],
            )
            .await;
        assert_eq!(response.status(), 303);
        assert!(themes::find(app.db.pool(), "werk-economie")
            .await
            .unwrap()
            .is_none());
        assert_eq!(
            app.get("/cijfers/steekkaart/werk-economie/gent")
                .await
                .status(),
            404
        );
        assert_eq!(count().await, 2);

        // The store refuses an unknown indicator in Dutch and writes nothing.
        let mut tx = app.db.begin().await.unwrap();
        let err = themes::create(
            &mut tx,
            &ThemeFields {
                name: "Onbekend".into(),
                intro: String::new(),
                indicators: vec![ThemeEntry {
                    code: "bestaat_niet".into(),
                    key_figure: false,
                }],
            },
            false,
            &AuditActor::system(),
        )
        .await
        .unwrap_err();
        tx.rollback().await.unwrap();
        assert!(
            format!("{err:?}").contains("De indicator bestaat_niet bestaat niet."),
            "{err:?}"
        );
        assert_eq!(count().await, 2);
    })
    .await;
}

#[tokio::test]
async fn the_fact_sheet_pdf_holds_the_city_and_its_key_figure() {
    each_app_with(modules, |app| async move {
        seeded_sheet(&app.db).await;
        let response = app.get("/cijfers/steekkaart/proef/gent/pdf").await;
        if steden_cijfers::sheets::pdf::chromium().is_none() {
            // Without Chromium: a clear Dutch message, not an error page without reason.
            assert_eq!(response.status(), 503);
            let html = response.text().await.unwrap();
            assert!(html.contains("Chromium) is niet geïnstalleerd"), "{html}");
            eprintln!("chromium missing: only the message was checked");
            return;
        }
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/pdf");
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            disposition.contains("steekkaart-proef-gent.pdf"),
            "{disposition}"
        );
        let bytes = response.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF"));
        let dir = std::env::temp_dir().join(format!("cj-sheets-{}", steden_db::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("steekkaart.pdf");
        std::fs::write(&file, &bytes).unwrap();
        let out = std::process::Command::new("pdftotext")
            .arg("-layout")
            .arg(&file)
            .arg("-")
            .output()
            .expect("poppler's pdftotext (apt-get install poppler-utils)");
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Proef in Gent"), "{text}");
        assert!(text.contains("12,5 %"), "{text}");
        assert!(
            text.contains("Gent staat op plaats 2 van 2 in 2025."),
            "{text}"
        );
        for secret in ["987,6", "4321", "4.321", "Verborgen"] {
            assert!(!text.contains(secret), "{secret} in the PDF");
        }
        // The print stylesheet is applied: the screen-only ranking table is not printed.
        assert!(!text.contains("De rangschikking als tabel"), "{text}");
    })
    .await;
}
