//! Open data and interoperability over HTTP, on both backends (issue 15, point 9): the DCAT-AP
//! catalogue (published indicators only, JSON-LD with the profile's fields, distributions that
//! download), the OData-like read in Swing's shape (never a suppressed or unpublished value),
//! the Swing bulk export read back by the module's own Swing importer, and the embeds: framed
//! only from the origins the city lists, with the origins' admin page and its Dutch errors.

use std::collections::BTreeSet;
use std::io::Read;

use serde_json::Value;
use steden_cijfers::import::{self, Options};
use steden_cijfers::model::ImportKind;
use steden_cijfers::store::{cube::public_cube, embed_origins, indicators};
use steden_core::audit::AuditActor;
use steden_core::role::Role;
use steden_testkit::each_app_with;

use crate::common::{fields, indicator, login, modules, org_id, person, TestApp};

async fn seeded(app: &TestApp) {
    steden_core::org::seed_defaults(&app.db).await.unwrap();
    steden_cijfers::demo::seed(&app.db).await.unwrap();
}

/// A number found nowhere else in the demo, put behind its suppressed value (Turnhout 2017,
/// demo_leefloners), so that a leak shows in the bytes of any answer.
const SECRET: f64 = 987_654.0;
const SECRET_FORMS: [&str; 4] = ["987654", "987.654", "987\u{a0}654", "987 654"];

async fn mark_secret(app: &TestApp) {
    let changed = sqlx::query(
        "UPDATE cijfers_values SET value = $1
         WHERE status = 'suppressed' AND indicator_id =
             (SELECT id FROM cijfers_indicators WHERE code = 'demo_leefloners')",
    )
    .bind(SECRET)
    .execute(app.db.pool())
    .await
    .unwrap()
    .rows_affected();
    assert_eq!(changed, 1, "the demo has one suppressed value");
}

fn assert_no_secret(what: &str, text: &str) {
    for form in SECRET_FORMS {
        assert!(
            !text.contains(form),
            "{what}: the suppressed figure is in it"
        );
    }
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// Every compact IRI (`prefix:name`) used as a key or `@type` in the document has its prefix
/// in the `@context`, so a JSON-LD processor expands it to a full IRI (a key with an unknown
/// prefix would be read as an absolute IRI of a made-up scheme).
fn assert_prefixes_declared(doc: &Value) {
    let context = doc["@context"].as_object().expect("an @context object");
    for (prefix, iri) in context {
        assert!(iri.as_str().unwrap().starts_with("http"), "{prefix}");
    }
    fn walk(value: &Value, context: &serde_json::Map<String, Value>) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map {
                    if key.starts_with('@') {
                        if key == "@type" {
                            let t = inner.as_str().unwrap();
                            let prefix = t.split(':').next().unwrap();
                            assert!(context.contains_key(prefix), "@type {t}");
                        }
                        continue;
                    }
                    let prefix = key.split(':').next().unwrap();
                    assert!(
                        key.contains(':') && context.contains_key(prefix),
                        "key {key}"
                    );
                    walk(inner, context);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, context)),
            _ => {}
        }
    }
    walk(doc, context);
}

fn nl_text(value: &Value) -> &str {
    assert_eq!(value["@language"], "nl", "{value}");
    value["@value"].as_str().unwrap()
}

#[tokio::test]
async fn the_catalogue_lists_only_published_indicators_with_real_downloads() {
    each_app_with(modules, |app| async move {
        seeded(&app).await;
        let response = app.get("/cijfers/catalogus.jsonld").await;
        assert_eq!(response.status(), 200);
        assert!(header(&response, "content-type").starts_with("application/ld+json"));
        let doc: Value = response.json().await.unwrap();
        assert_prefixes_declared(&doc);
        assert_eq!(doc["@type"], "dcat:Catalog");
        assert!(!nl_text(&doc["dct:title"]).is_empty());
        assert!(doc["dcat:contactPoint"]["vcard:hasURL"]["@id"].is_string());
        let homepage = doc["foaf:homepage"]["@id"].as_str().unwrap();
        let base = homepage.strip_suffix("/cijfers").unwrap().to_string();

        let published: BTreeSet<String> = indicators::list_published(app.db.pool())
            .await
            .unwrap()
            .into_iter()
            .map(|i| i.code)
            .collect();
        assert!(published.len() > 10);
        let datasets = doc["dcat:dataset"].as_array().unwrap();
        let listed: BTreeSet<String> = datasets
            .iter()
            .map(|d| {
                d["dct:identifier"]
                    .as_str()
                    .unwrap()
                    .strip_prefix("stedenplatform-cijfers-")
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(listed, published);
        assert!(!listed.contains("demo_kinderopvang"));
        for d in datasets {
            assert_eq!(d["@type"], "dcat:Dataset");
            assert!(!nl_text(&d["dct:title"]).is_empty());
            assert!(!nl_text(&d["dct:description"]).is_empty());
            assert!(!nl_text(&d["dct:publisher"]["foaf:name"]).is_empty());
            assert!(d["dcat:contactPoint"]["@type"] == "vcard:Organization");
            assert_eq!(
                d["dct:accessRights"]["@id"],
                "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
            );
            assert!(!d["dcat:keyword"].as_array().unwrap().is_empty());
            let distributions = d["dcat:distribution"].as_array().unwrap();
            assert_eq!(distributions.len(), 5);
            for x in distributions {
                assert!(x["dct:identifier"].is_string());
                assert_eq!(x["dcat:accessURL"], x["dcat:downloadURL"]);
            }
        }
        let leefloners = datasets
            .iter()
            .find(|d| d["dct:identifier"] == "stedenplatform-cijfers-demo_leefloners")
            .unwrap();
        assert_eq!(
            leefloners["dct:temporal"]["dcat:startDate"]["@value"],
            "2016-01-01"
        );
        assert_eq!(
            leefloners["dct:temporal"]["dcat:endDate"]["@value"],
            "2025-12-31"
        );
        // Every distribution is the real download.
        for x in leefloners["dcat:distribution"].as_array().unwrap() {
            let url = x["dcat:downloadURL"]["@id"].as_str().unwrap();
            let path = url.strip_prefix(base.as_str()).unwrap();
            let file = app.get(path).await;
            assert_eq!(file.status(), 200, "{path}");
            let media = x["dcat:mediaType"]["@id"].as_str().unwrap();
            let expected = media.rsplit("media-types/").next().unwrap();
            let content_type = header(&file, "content-type");
            assert!(
                content_type.starts_with(expected)
                    || (expected == "text/csv" && content_type.contains("csv")),
                "{path}: {content_type} for {media}"
            );
        }

        // The API gives the same document.
        let api: Value = app
            .get("/api/v1/cijfers/catalog")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(api, doc);

        // Unpublished, an indicator leaves the catalogue.
        sqlx::query("UPDATE cijfers_indicators SET published = 0 WHERE code = 'demo_leefloners'")
            .execute(app.db.pool())
            .await
            .unwrap();
        let text = app.page("/cijfers/catalogus.jsonld").await;
        assert!(!text.contains("demo_leefloners"));
        assert!(text.contains("demo_bevolking"));
    })
    .await;
}

const VALUES: &str =
    "/api/v1/cijfers/odata/Variables/demo_leefloners/GeoLevels/gemeente/PeriodLevels/year/Periods";

async fn json(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    assert!(header(&response, "content-type").starts_with("application/json"));
    let text = response.text().await.unwrap();
    assert_no_secret(path, &text);
    serde_json::from_str(&text).unwrap()
}

fn entities(doc: &Value) -> Vec<Value> {
    doc["value"].as_array().unwrap().clone()
}

#[tokio::test]
async fn the_odata_read_never_gives_a_suppressed_or_unpublished_value() {
    each_app_with(modules, |app| async move {
        seeded(&app).await;
        mark_secret(&app).await;
        let service = json(&app, "/api/v1/cijfers/odata").await;
        assert_eq!(service["value"][0]["name"], "Variables");

        let variables = entities(&json(&app, "/api/v1/cijfers/odata/Variables").await);
        let codes: Vec<&str> = variables
            .iter()
            .map(|v| v["ExternalCode"].as_str().unwrap())
            .collect();
        assert!(codes.contains(&"demo_leefloners"));
        assert!(!codes.contains(&"demo_kinderopvang"));
        let one = json(&app, "/api/v1/cijfers/odata/Variables/demo_bevolking").await;
        assert_eq!(one["ExternalCode"], "demo_bevolking");
        assert!(one["@odata.context"].as_str().unwrap().ends_with("$metadata#Variables/$entity"));
        for path in [
            "/api/v1/cijfers/odata/Variables/demo_kinderopvang",
            "/api/v1/cijfers/odata/Variables/demo_kinderopvang/GeoLevels/gemeente/PeriodLevels/year/Periods/all/Values",
            "/api/v1/cijfers/odata/Variables/demo_leefloners/GeoLevels/planeet/PeriodLevels/year/Periods/all/Values",
            "/api/v1/cijfers/odata/GeoLevels/planeet/GeoItems",
        ] {
            let response = app.get(path).await;
            assert_eq!(response.status(), 404, "{path}");
            assert!(header(&response, "content-type").starts_with("application/problem+json"));
        }

        let all = entities(&json(&app, &format!("{VALUES}/all/Values")).await);
        assert_eq!(all.len(), 14 * 10, "14 places × 10 years");
        assert!(all.iter().all(|v| v["Status"] != "suppressed"));
        let secret = all
            .iter()
            .find(|v| v["ExternalCode"] == "13040" && v["Period"] == "2017")
            .unwrap();
        assert_eq!(secret["Value"], Value::Null);
        assert_eq!(secret["ValueString"], "?");
        let known = all
            .iter()
            .find(|v| v["ExternalCode"] == "13040" && v["Period"] == "2018")
            .unwrap();
        assert!(known["Value"].is_number());

        // $filter and $select.
        let turnhout = entities(
            &json(
                &app,
                &format!("{VALUES}/all/Values?$filter=ExternalCode%20eq%20%2713040%27&$select=Period,Value"),
            )
            .await,
        );
        assert_eq!(turnhout.len(), 10);
        for v in &turnhout {
            let keys: BTreeSet<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys, BTreeSet::from(["Period", "Value"]));
        }
        let window = entities(&json(&app, &format!("{VALUES}/all/Values?$skip=2&$top=3")).await);
        assert_eq!(window, all[2..5].to_vec());
        let latest = entities(&json(&app, &format!("{VALUES}/mrp/Values")).await);
        assert_eq!(latest.len(), 14);
        assert!(latest.iter().all(|v| v["Period"] == "2025"));
        let one_year = entities(&json(&app, &format!("{VALUES}/2017/Values")).await);
        assert_eq!(one_year.len(), 14);

        for (query, status) in [
            ("$filter=Value%20gt%201", 422),
            ("$filter=Geheim%20eq%201", 422),
            ("$select=Value,Geheim", 422),
            ("$top=-1", 400),
            ("$skip=1000001", 400),
        ] {
            let response = app.get(&format!("{VALUES}/all/Values?{query}")).await;
            assert_eq!(response.status(), status, "{query}");
            let problem: Value = response.json().await.unwrap();
            assert!(problem["errors"][0]["message"].is_string(), "{problem}");
        }

        let levels = entities(&json(&app, "/api/v1/cijfers/odata/GeoLevels").await);
        let levels: Vec<&str> = levels.iter().map(|l| l["ExternalCode"].as_str().unwrap()).collect();
        assert_eq!(levels, ["gemeente", "gewest"]);
        let places = entities(&json(&app, "/api/v1/cijfers/odata/GeoLevels/gemeente/GeoItems").await);
        assert_eq!(places.len(), 14);
        let periods = entities(&json(&app, "/api/v1/cijfers/odata/PeriodLevels/year/Periods").await);
        // cj-climate2: the climate demo's base year 2011 is the oldest public period.
        assert_eq!(periods.first().unwrap()["ExternalCode"], "2011");
        assert_eq!(periods.last().unwrap()["ExternalCode"], "2025");
    })
    .await;
}

fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            (file.name().unwrap().to_string(), text)
        })
        .collect()
}

#[tokio::test]
async fn the_swing_export_reads_back_through_the_swing_importer() {
    each_app_with(modules, |app| async move {
        seeded(&app).await;
        mark_secret(&app).await;
        let response = app
            .get("/cijfers/indicator/demo_leefloners/download/swing")
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(header(&response, "content-type"), "application/zip");
        assert!(header(&response, "content-disposition").contains("demo_leefloners.swing.zip"));
        let files = unzip(&response.bytes().await.unwrap());
        assert_eq!(files.len(), 2);
        let (data_name, data) = &files[0];
        let (meta_name, meta) = &files[1];
        assert!(data_name.ends_with("-swing.csv") && meta_name.ends_with("-swing-metadata.csv"));
        assert_no_secret("swing data", data);
        assert!(data.starts_with("\"period\";\"geolevel\";\"geoitem\";\"demo_leefloners\""));

        let parsed = import::parse(ImportKind::Swing, data_name, data, &Options::default());
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let cube = public_cube(app.db.pool(), &["demo_leefloners"], "")
            .await
            .unwrap()
            .unwrap();
        let expected: Vec<(String, String, String, f64)> = cube
            .observations()
            .filter_map(|(i, g, p, cell)| {
                Some((
                    cube.geo()[g].level.clone(),
                    cube.geo()[g].code.clone(),
                    cube.periods()[p].code.clone(),
                    cube.rounded(i, cell)?,
                ))
            })
            .collect();
        assert!(expected.len() > 100);
        let mut read: Vec<(String, String, String, f64)> = parsed
            .rows
            .iter()
            .map(|r| {
                assert_eq!(r.indicator, "demo_leefloners");
                (
                    r.level.unwrap().as_str().to_string(),
                    r.geo.clone(),
                    r.period.clone(),
                    r.value.unwrap(),
                )
            })
            .collect();
        let mut expected = expected;
        let key = |a: &(String, String, String, f64)| (a.0.clone(), a.1.clone(), a.2.clone());
        read.sort_by_key(key);
        expected.sort_by_key(key);
        assert_eq!(read.len(), expected.len());
        for (r, e) in read.iter().zip(&expected) {
            assert_eq!(key(r), key(e));
            assert!((r.3 - e.3).abs() < 1e-9, "{r:?} {e:?}");
        }
        assert!(!read.iter().any(|r| r.1 == "13040" && r.2 == "2017"));

        let parsed = import::parse(ImportKind::SwingMeta, meta_name, meta, &Options::default());
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let stored = indicators::get_by_code(app.db.pool(), "demo_leefloners")
            .await
            .unwrap();
        assert_eq!(parsed.indicators.len(), 1);
        let back = &parsed.indicators[0];
        assert_eq!(
            (
                &back.code,
                &back.name,
                &back.definition,
                &back.unit,
                &back.source
            ),
            (
                &stored.code,
                &stored.name,
                &stored.definition,
                &stored.unit,
                &stored.source
            )
        );

        // A theme's export has a column per published indicator of the theme.
        let theme = stored.theme.clone();
        let response = app
            .get(&steden_cijfers::paths::theme_swing_download(&theme))
            .await;
        assert_eq!(response.status(), 200);
        let files = unzip(&response.bytes().await.unwrap());
        let parsed = import::parse(
            ImportKind::Swing,
            &files[0].0,
            &files[0].1,
            &Options::default(),
        );
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let columns: BTreeSet<String> = parsed.rows.iter().map(|r| r.indicator.clone()).collect();
        let in_theme: BTreeSet<String> = indicators::list_published(app.db.pool())
            .await
            .unwrap()
            .into_iter()
            .filter(|i| i.theme == theme)
            .map(|i| i.code)
            .collect();
        assert_eq!(columns, in_theme);
        assert_no_secret("theme swing", &files[0].1);
        assert_eq!(
            app.get("/cijfers/download/swing?thema=Bestaat%20niet")
                .await
                .status(),
            404
        );
    })
    .await;
}

fn frame_ancestors(response: &reqwest::Response) -> String {
    let policy = header(response, "content-security-policy");
    policy
        .split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix("frame-ancestors "))
        .unwrap_or_default()
        .to_string()
}

const EMBED: &str = "/cijfers/embed/indicator/demo_bevolking/grafiek";
const ORIGINS: &str = "/cijfers/beheer/insluiten";

#[tokio::test]
async fn embeds_are_framed_only_from_the_origins_the_city_lists() {
    each_app_with(modules, |app| async move {
        seeded(&app).await;
        let gent = org_id(&app.db, "gent").await;
        let antwerpen = org_id(&app.db, "antwerpen").await;
        let visitor = TestApp::new_client();
        let embed = |path: &str| visitor.get(app.url(path)).send();

        // Nothing listed: only this site may frame it.
        let response = embed(EMBED).await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(frame_ancestors(&response), "'self'");
        assert!(response.headers().get("x-frame-options").is_none());
        assert!(response.headers().get("set-cookie").is_none());
        let html = response.text().await.unwrap();
        assert!(html.contains("<svg"), "{html}");
        assert!(html.contains("/cijfers/indicator/demo_bevolking#grafiek"));

        // Every other page keeps refusing frames.
        let page = visitor
            .get(app.url("/cijfers/indicator/demo_bevolking"))
            .send()
            .await
            .unwrap();
        assert_eq!(header(&page, "x-frame-options"), "DENY");
        assert_eq!(frame_ancestors(&page), "'none'");
        let html = page.text().await.unwrap();
        assert!(
            html.contains("&#60;iframe src=&#34;http"),
            "the embed code is shown as text: {}",
            html.split("<textarea").nth(1).unwrap_or("no textarea")
        );
        assert!(html.contains("/cijfers/embed/indicator/demo_bevolking/grafiek"));
        assert!(html.contains("/cijfers/embed/indicator/demo_bevolking/rangschikking-tabel"));
        assert!(html.contains("/cijfers/indicator/demo_bevolking#vergelijking"));

        // The origins' page is for the data team only.
        let response = visitor.get(app.url(ORIGINS)).send().await.unwrap();
        assert_eq!(response.status(), 303);
        let reader = person(&app.db, "lezer@gent.test", "Lien Lezer", &gent, Role::Lezer).await;
        let reader_client = TestApp::new_client();
        steden_testkit::login_with(&app, &reader_client, &reader.email, &reader.password).await;
        let response = reader_client.get(app.url(ORIGINS)).send().await.unwrap();
        assert_eq!(response.status(), 403);

        let editor = person(
            &app.db,
            "data@gent.test",
            "Daan Data",
            &gent,
            Role::Redacteur,
        )
        .await;
        login(&app, &editor).await;
        for origin in ["HTTPS://www.Gent.be/", "https://data.gent.be:8443"] {
            let response = app.post_form(ORIGINS, ORIGINS, &[("origin", origin)]).await;
            assert_eq!(response.status(), 303, "{origin}");
        }
        for (origin, words) in [
            ("http://www.gent.be", "Alleen https"),
            ("https://www.gent.be/cijfers", "geen pad"),
            ("https://*.gent.be", "Jokertekens"),
            ("https://gent.be:99999", "De poort"),
            ("https://www.gent.be", "staat al in de lijst"),
            ("", "Vul een oorsprong in"),
        ] {
            let response = app.post_form(ORIGINS, ORIGINS, &[("origin", origin)]).await;
            assert_eq!(response.status(), 422, "{origin}");
            let html = response.text().await.unwrap();
            assert!(html.contains(words), "{origin}: {words}");
        }
        // Without the CSRF token nothing is written.
        let response = app
            .client
            .post(app.url(ORIGINS))
            .form(&[("origin", "https://zonder-token.be")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        assert_eq!(
            embed_origins::list(app.db.pool(), &gent).await.unwrap(),
            ["https://data.gent.be:8443", "https://www.gent.be"]
        );
        let listed = app.page(ORIGINS).await;
        assert!(listed.contains("https://data.gent.be:8443"));

        let mut tx = app.db.begin().await.unwrap();
        embed_origins::add(
            &mut tx,
            &antwerpen,
            "https://www.antwerpen.be",
            &AuditActor::system(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        // A shared indicator: every city's origins; a city's own: only its own.
        let response = embed(EMBED).await.unwrap();
        assert_eq!(
            frame_ancestors(&response),
            "'self' https://data.gent.be:8443 https://www.antwerpen.be https://www.gent.be"
        );
        assert!(response.headers().get("x-frame-options").is_none());
        let own = fields("gent_eigen");
        indicator(&app.db, &own, Some(gent.as_str())).await;
        // Public only once its disclosure check passed (src/gate).
        assert!(crate::common::check(&app.db, "gent_eigen").await.passed);
        let response = embed("/cijfers/embed/indicator/gent_eigen/tabel")
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            frame_ancestors(&response),
            "'self' https://data.gent.be:8443 https://www.gent.be"
        );
        let response = embed("/cijfers/embed/indicator/demo_bevolking/tabel")
            .await
            .unwrap();
        assert!(response.headers().get("set-cookie").is_none());
        let html = response.text().await.unwrap();
        assert!(html.contains("<table") && html.contains("Vlaams Gewest"));

        // Unpublished or unknown: nothing to frame.
        for path in [
            "/cijfers/embed/indicator/demo_kinderopvang/grafiek",
            "/cijfers/embed/indicator/demo_bevolking/kaart",
        ] {
            assert_eq!(embed(path).await.unwrap().status(), 404, "{path}");
        }

        // Removing an origin takes it out of the header.
        let response = app
            .post_form(
                ORIGINS,
                "/cijfers/beheer/insluiten/verwijderen",
                &[("origin", "https://www.gent.be")],
            )
            .await;
        assert_eq!(response.status(), 303);
        let response = embed("/cijfers/embed/indicator/gent_eigen/grafiek")
            .await
            .unwrap();
        assert_eq!(
            frame_ancestors(&response),
            "'self' https://data.gent.be:8443"
        );
        let response = app
            .post_form(
                ORIGINS,
                "/cijfers/beheer/insluiten/verwijderen",
                &[("origin", "https://niet.be")],
            )
            .await;
        assert_eq!(response.status(), 404);
    })
    .await;
}
