//! Joint data requests (issue 15 point 8), on both backends: staff make a request (bad input
//! comes back in Dutch and writes nothing), change its status, dates and cities; a city's data
//! team sees only the requests its city takes part in, cannot make or change one, and imports a
//! file delivered for it from the request's page through the import's preview and confirmation.

use steden_cijfers::import::jobs;
use steden_core::audit::AuditActor;
use steden_core::role::Role;
use steden_testkit::{csrf_token, each_app_with, login_with, TestApp};

use crate::common::{count, fields, geography, indicator, modules, org_id, person};

const PASSWORD: &str = steden_testkit::people::PASSWORD;

async fn client(app: &TestApp, email: &str) -> reqwest::Client {
    let client = TestApp::new_client();
    login_with(app, &client, email, PASSWORD).await;
    client
}

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// POSTs a form with the token of `page`; (status, location or body).
async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let (_, html) = get(app, client, page).await;
    let token = csrf_token(&html).unwrap_or_default();
    let mut body: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
    body.extend_from_slice(fields);
    let response = client
        .post(app.url(action))
        .form(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = match response.headers().get("location") {
        Some(location) => location.to_str().unwrap().to_string(),
        None => response.text().await.unwrap(),
    };
    (status, text)
}

#[tokio::test]
async fn the_register_of_data_requests() {
    each_app_with(modules, |app| async move {
        geography(&app.db).await;
        let kc = org_id(&app.db, "kenniscentrum").await;
        let gent = org_id(&app.db, "gent").await;
        let antwerpen = org_id(&app.db, "antwerpen").await;
        person(&app.db, "staf@kc.test", "Sara Staf", &kc, Role::Redacteur).await;
        person(&app.db, "data@gent.test", "Daan Data", &gent, Role::Redacteur).await;
        person(&app.db, "data@antwerpen.test", "Ann Data", &antwerpen, Role::Redacteur).await;
        indicator(&app.db, &fields("gent_verbruik"), Some(&gent)).await;
        let staff = client(&app, "staf@kc.test").await;
        let new = "/cijfers/aanvragen/nieuw";

        // Bad input: every problem in Dutch, nothing written.
        let (status, html) = post(
            &app,
            &staff,
            new,
            new,
            &[
                ("supplier", " "),
                ("title", "Energieverbruik 2024"),
                ("status", "delivered"),
                ("requested_on", "31/02/2025"),
                ("contact_email", "geen adres"),
                ("cities", "onbekend"),
            ],
        )
        .await;
        assert_eq!(status, 422);
        for message in [
            "Vul de leverancier in.",
            "De aanvraagdatum is geen datum. Schrijf ze als dd/mm/jjjj.",
            "Het e-mailadres van de contactpersoon is ongeldig.",
            "Vul de leverdatum in voor een geleverde aanvraag.",
            "Kies alleen steden uit de lijst.",
        ] {
            assert!(html.contains(message), "{message}: {html}");
        }
        assert!(html.contains("error-summary"));
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM cijfers_data_requests").await, 0);

        let (status, location) = post(
            &app,
            &staff,
            new,
            new,
            &[
                ("supplier", "Fluvius"),
                ("title", "Energieverbruik per sector 2024"),
                ("question", "Verbruik per statistische sector, 2024."),
                ("status", "sent"),
                ("requested_on", "15/01/2025"),
                ("contact_name", "Dienst open data"),
                ("cities", &gent),
            ],
        )
        .await;
        assert_eq!(status, 303, "{location}");
        let page = location;
        let id = page.rsplit('/').next().unwrap().to_string();
        // A second request, without Gent.
        let (status, other) = post(
            &app,
            &staff,
            new,
            new,
            &[("supplier", "Statbel"), ("title", "Inkomens 2023"), ("status", "draft"), ("cities", &antwerpen)],
        )
        .await;
        assert_eq!(status, 303);

        // Status change, dates, a second city.
        let edit = format!("{page}/bewerken");
        let (status, _) = post(
            &app,
            &staff,
            &edit,
            &edit,
            &[
                ("supplier", "Fluvius"),
                ("title", "Energieverbruik per sector 2024"),
                ("status", "delivered"),
                ("requested_on", "15/01/2025"),
                ("delivered_on", "2025-03-01"),
                ("cities", &gent),
                ("cities", &antwerpen),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let stored = steden_cijfers::store::data_requests::find(app.db.pool(), &id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.status, "delivered");
        assert_eq!(stored.delivered_on.as_deref(), Some("2025-03-01"));
        assert_eq!(stored.cities.len(), 2);
        let (_, html) = get(&app, &staff, &page).await;
        assert!(html.contains("Geleverd") && html.contains("01/03/2025"), "{html}");
        let (_, html) = get(&app, &staff, "/cijfers/aanvragen?status=draft").await;
        assert!(html.contains("Inkomens 2023") && !html.contains("Energieverbruik per sector"));

        // Gent's data team: sees its request only, changes nothing.
        let team = client(&app, "data@gent.test").await;
        let (status, html) = get(&app, &team, "/cijfers/aanvragen").await;
        assert_eq!(status, 200);
        assert!(html.contains("Energieverbruik per sector 2024") && !html.contains("Inkomens 2023"));
        assert_eq!(get(&app, &team, &other).await.0, 404);
        assert_eq!(get(&app, &team, new).await.0, 403);
        let (status, _) = post(&app, &team, &page, &edit, &[("supplier", "X"), ("title", "Y"), ("status", "closed")]).await;
        assert_eq!(status, 403);
        let (status, _) = post(&app, &team, &page, new, &[("supplier", "X"), ("title", "Y"), ("status", "draft")]).await;
        assert_eq!(status, 403);
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM cijfers_data_requests").await, 2);

        // A delivered file, from the request's page, into the import's preview and confirmation.
        let (_, html) = get(&app, &team, &page).await;
        let token = csrf_token(&html).unwrap();
        let boundary = "----aanvraaggrens";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"soort\"\r\n\r\nlong_csv\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"decimaalteken\"\r\n\r\npoint\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"fluvius.csv\"\r\n\
             Content-Type: text/csv\r\n\r\nindicator;geo;period;value\ngent_verbruik;44021;2024;5100\n\r\n\
             --{boundary}--\r\n"
        );
        let response = team
            .post(app.url(&format!("{page}/bestand?_csrf={token}")))
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let import_path = response.headers()["location"].to_str().unwrap().to_string();
        let import_id = import_path.rsplit('/').next().unwrap().to_string();
        let (_, preview) = get(&app, &team, &import_path).await;
        assert!(preview.contains("gent_verbruik · gemeente 44021 · 2024: 5100"), "{preview}");
        let (_, html) = get(&app, &staff, &page).await;
        assert!(html.contains("fluvius.csv"), "{html}");
        let (status, _) = post(&app, &team, &import_path, &format!("{import_path}/bevestigen"), &[]).await;
        assert_eq!(status, 303);
        jobs::run(&app.db, &import_id, &AuditActor::system(), |_, _, _| async { Ok(()) })
            .await
            .unwrap();
        assert_eq!(
            count(&app.db, "SELECT COUNT(*) FROM cijfers_values WHERE value = 5100").await,
            1
        );
        // Antwerpen's team may not upload as Gent, and sees nothing of a request it left.
        let owner: Option<String> =
            sqlx::query_scalar("SELECT owner_org_id FROM cijfers_imports WHERE id = $1")
                .bind(&import_id)
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(owner.as_deref(), Some(gent.as_str()));
    })
    .await;
}
