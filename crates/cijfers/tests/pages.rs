//! The pages and the API over HTTP, on both backends: the public overview and an indicator's
//! comparison table (published only, never a suppressed value), the JSON API, and the data
//! team's pages behind their checks, with an upload through the form.

use steden_core::role::Role;
use steden_testkit::each_app_with;

use crate::common::{login, modules, org_id, person, TestApp};

async fn seeded(app: &TestApp) {
    steden_core::org::seed_defaults(&app.db).await.unwrap();
    steden_cijfers::demo::seed(&app.db).await.unwrap();
}

#[tokio::test]
async fn the_public_pages_show_published_figures_only() {
    each_app_with(modules, |app| async move {
        seeded(&app).await;
        let overview = app.page("/cijfers").await;
        assert!(overview.contains("Bevolking op 1 januari"));
        assert!(overview.contains("Energie en klimaat"));
        // The unpublished demo indicator is not listed, and its page does not exist.
        assert!(!overview.contains("Plaatsen in de kinderopvang"));
        assert_eq!(
            app.get("/cijfers/indicator/demo_kinderopvang")
                .await
                .status(),
            404
        );
        assert_eq!(
            app.get("/cijfers/indicator/bestaat_niet").await.status(),
            404
        );

        let page = app.page("/cijfers/indicator/demo_bevolking").await;
        for name in [
            "Aalst",
            "Gent",
            "Turnhout",
            "Brussel",
            "Hasselt",
            "Vlaams Gewest",
        ] {
            assert!(page.contains(name), "{name} missing");
        }
        assert!(page.contains("<caption"));
        assert!(page.contains("Rangschikking in 2025"));
        // Hasselt before 2025 is recomputed from the old municipalities, and says so.
        assert!(page.contains("Herberekend"));
        // The old municipalities are no rows of their own.
        assert!(!page.contains("Kortessem"));
        assert!(page.contains("Demogegevens"));

        // Turnhout's suppressed 2017 figure is not in the table (its cell is empty).
        let page = app.page("/cijfers/indicator/demo_leefloners").await;
        let row = page
            .split("Turnhout")
            .nth(1)
            .unwrap()
            .split("</tr>")
            .next()
            .unwrap();
        assert!(row.contains("geen cijfer"), "{row}");
    })
    .await;
}

#[tokio::test]
async fn the_api_gives_published_indicators_and_their_public_values() {
    each_app_with(modules, |app| async move {
        seeded(&app).await;
        let list: serde_json::Value = app.get("/api/v1/cijfers/indicators?per_page=100").await.json().await.unwrap();
        assert!(list["items"][0]["code"].is_string(), "{list}");
        let codes: Vec<&str> = list["items"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap()).collect();
        assert!(codes.contains(&"demo_bevolking"));
        assert!(!codes.contains(&"demo_kinderopvang"));
        let one: serde_json::Value = app.get("/api/v1/cijfers/indicators/demo_bevolking").await.json().await.unwrap();
        assert_eq!(one["aggregation"], "sum");
        assert_eq!(app.get("/api/v1/cijfers/indicators/demo_kinderopvang").await.status(), 404);
        assert_eq!(app.get("/api/v1/cijfers/indicators/demo_kinderopvang/values").await.status(), 404);

        let mut items = Vec::new();
        for page in 1..20 {
            let values: serde_json::Value = app
                .get(&format!("/api/v1/cijfers/indicators/demo_leefloners/values?level=gemeente&per_page=100&page={page}"))
                .await
                .json()
                .await
                .unwrap();
            let found = values["items"].as_array().cloned().unwrap_or_default();
            if found.is_empty() {
                break;
            }
            items.extend(found);
        }
        assert!(items.len() > 100);
        assert!(items.iter().all(|v| v["status"] != "suppressed"));
        assert!(!items.iter().any(|v| v["geo_code"] == "13040" && v["period"] == "2017"));
        assert_eq!(app.get("/api/v1/cijfers/indicators/demo_bevolking/values?level=planeet").await.status(), 400);
    })
    .await;
}

#[tokio::test]
async fn the_data_teams_pages_are_behind_their_checks() {
    each_app_with(modules, |app| async move {
        seeded(&app).await;
        let gent = org_id(&app.db, "gent").await;
        // Anonymous: to the login page.
        let response = app.get("/cijfers/beheer/indicatoren").await;
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/aanmelden"), "{location}");

        let reader = person(&app.db, "lezer@gent.test", "Lien Lezer", &gent, Role::Lezer).await;
        let client = TestApp::new_client();
        steden_testkit::login_with(&app, &client, &reader.email, &reader.password).await;
        for path in ["/cijfers/beheer/indicatoren", "/cijfers/beheer/imports"] {
            let status = client.get(app.url(path)).send().await.unwrap().status();
            assert_eq!(status, 403, "{path}");
        }

        let editor = person(&app.db, "data@gent.test", "Daan Data", &gent, Role::Redacteur).await;
        login(&app, &editor).await;
        // A city's data team does not manage the shared indicators.
        assert_eq!(app.get("/cijfers/beheer/indicatoren/demo_bevolking").await.status(), 403);
        let response = app
            .post_form(
                "/cijfers/beheer/indicatoren/nieuw",
                "/cijfers/beheer/indicatoren/nieuw",
                &[("code", "gent_fietsen"), ("name", "Fietsenstallingen"), ("aggregation", "sum"), ("decimals", "0")],
            )
            .await;
        assert_eq!(response.status(), 303);
        let list = app.page("/cijfers/beheer/indicatoren").await;
        assert!(list.contains("gent_fietsen"));
        assert!(!list.contains("demo_bevolking"));
        // A bad form comes back with its errors.
        let response = app
            .post_form("/cijfers/beheer/indicatoren/nieuw", "/cijfers/beheer/indicatoren/nieuw", &[("code", "x y"), ("name", ""), ("aggregation", "sum")])
            .await;
        assert_eq!(response.status(), 422);

        // An upload through the form: a preview, then the confirmation queues the job.
        let html = app.page("/cijfers/beheer/imports").await;
        let token = steden_testkit::csrf_token(&html).unwrap();
        let boundary = "----cijfersgrens";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"soort\"\r\n\r\nlong_csv\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"decimaalteken\"\r\n\r\npoint\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"fietsen.csv\"\r\n\
             Content-Type: text/csv\r\n\r\nindicator;geo;period;value\ngent_fietsen;44021;2024;1200\n\r\n\
             --{boundary}--\r\n"
        );
        let response = app
            .client
            .post(app.url(&format!("/cijfers/beheer/imports?_csrf={token}")))
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let import_path = response.headers()["location"].to_str().unwrap().to_string();
        let preview = app.page(&import_path).await;
        assert!(preview.contains("gent_fietsen · gemeente 44021 · 2024: 1200"), "{preview}");
        let response = app.post_form(&import_path, &format!("{import_path}/bevestigen"), &[]).await;
        assert_eq!(response.status(), 303);
        let id = import_path.rsplit('/').next().unwrap();
        let stored = steden_cijfers::store::imports::get(app.db.pool(), id).await.unwrap();
        assert_ne!(stored.status, steden_cijfers::model::ImportStatus::Preview);
        assert!(stored.job_id.is_some());
    })
    .await;
}
