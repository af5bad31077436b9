//! The audit trail as people see it: who may read which entries at /beheer/audit, the CSV
//! export, and the history of one entity. On both backends, through a real server.

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::role::Role;
use steden_core::{membership, org, user};
use steden_db::Db;
use steden_testkit::{each_app, TestApp};

const PASSWORD: &str = "een-lang-wachtwoord-42";

/// A user with a password and memberships (organisation slug, role); returns the id.
async fn seed_user(db: &Db, email: &str, name: &str, orgs: &[(&str, Role)], admin: bool) -> String {
    let mut tx = db.begin().await.unwrap();
    let created = user::create(
        &mut tx,
        user::NewUser {
            email,
            name,
            password: Some(PASSWORD),
            platform_admin: admin,
        },
        &AuditActor::system(),
    )
    .await
    .unwrap();
    for (slug, role) in orgs {
        let organisation = org::find_by_slug(&mut *tx, slug).await.unwrap().unwrap();
        membership::set_role(
            &mut tx,
            &created.id,
            &organisation.id,
            *role,
            &AuditActor::system(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    created.id
}

async fn org_id(db: &Db, slug: &str) -> String {
    org::find_by_slug(db.pool(), slug)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Records one entry as `actor_id` in `organisation_id`.
async fn record(db: &Db, actor_id: &str, organisation_id: &str, entity_id: &str, summary: &str) {
    let actor = AuditActor::user(actor_id);
    let mut tx = db.begin().await.unwrap();
    audit::record(
        &mut tx,
        NewEntry {
            actor: &actor,
            organisation_id: Some(organisation_id),
            entity_type: "nota",
            entity_id,
            action: "update",
            summary,
            changes: Changes::new().field("titel", "Oud; \"citaat\"", "Nieuw"),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn log_in(app: &TestApp, email: &str) {
    let response = app
        .post_form(
            "/aanmelden",
            "/aanmelden",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), 303, "login as {email}");
}

#[tokio::test]
async fn a_beheerder_sees_only_their_organisations_entries() {
    each_app(|app| async move {
        org::seed_defaults(&app.db).await.unwrap();
        let gent = org_id(&app.db, "gent").await;
        let antwerpen = org_id(&app.db, "antwerpen").await;
        let beheerder = seed_user(
            &app.db,
            "beheerder@gent.be",
            "Greet Beheerder",
            &[("gent", Role::Beheerder)],
            false,
        )
        .await;
        record(&app.db, &beheerder, &gent, "n1", "Nota van Gent bijgewerkt").await;
        record(
            &app.db,
            &beheerder,
            &antwerpen,
            "n2",
            "Nota van Antwerpen bijgewerkt",
        )
        .await;

        // Not logged in: to the login page.
        let anonymous = app.get("/beheer/audit").await;
        assert_eq!(anonymous.status(), 303);
        assert!(anonymous.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/aanmelden"));

        log_in(&app, "beheerder@gent.be").await;
        let admin_home = app.page("/beheer").await;
        assert!(
            admin_home.contains(r#"href="/beheer/audit""#),
            "{admin_home}"
        );
        let page = app.page("/beheer/audit").await;
        assert!(page.contains("Nota van Gent bijgewerkt"), "{page}");
        assert!(
            page.contains("Greet Beheerder"),
            "the actor is shown by name"
        );
        assert!(!page.contains("Nota van Antwerpen bijgewerkt"), "{page}");
        // The organisation filter is for platform administrators; the query string cannot
        // widen a beheerder's view.
        let widened = app
            .page(&format!("/beheer/audit?organisatie={antwerpen}"))
            .await;
        assert!(!widened.contains("Nota van Antwerpen bijgewerkt"));
        assert!(widened.contains("Nota van Gent bijgewerkt"));
        let csv = app
            .get(&format!("/beheer/audit.csv?organisatie={antwerpen}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(csv.contains("Nota van Gent bijgewerkt"), "{csv}");
        assert!(!csv.contains("Nota van Antwerpen bijgewerkt"), "{csv}");

        // A mistyped date is said next to the field, not silently ignored.
        let bad = app.page("/beheer/audit?van=gisteren").await;
        assert!(bad.contains(r#"aria-invalid="true""#), "{bad}");
        assert!(bad.contains("geen geldige datum"), "{bad}");
        // A date range that excludes today shows nothing.
        let old = app.page("/beheer/audit?tot=31/12/2020").await;
        assert!(!old.contains("Nota van Gent bijgewerkt"));

        // A lid of an organisation does not read its trail.
        seed_user(
            &app.db,
            "lid@gent.be",
            "Lid Gent",
            &[("gent", Role::Lid)],
            false,
        )
        .await;
        let lid = TestApp::new_client();
        let form = lid
            .get(app.url("/aanmelden"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = steden_testkit::csrf_token(&form).unwrap();
        let response = lid
            .post(app.url("/aanmelden"))
            .form(&[
                ("_csrf", token.as_str()),
                ("email", "lid@gent.be"),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let admin_home = lid.get(app.url("/beheer")).send().await.unwrap();
        assert_eq!(admin_home.status(), 200);
        let admin_home = admin_home.text().await.unwrap();
        assert!(
            !admin_home.contains(r#"href="/beheer/audit""#),
            "no link a lid cannot follow"
        );
        let refused = lid.get(app.url("/beheer/audit")).send().await.unwrap();
        assert_eq!(refused.status(), 403);
        let refused = lid.get(app.url("/beheer/audit.csv")).send().await.unwrap();
        assert_eq!(refused.status(), 403);
    })
    .await;
}

#[tokio::test]
async fn the_csv_export_has_a_dutch_header_and_every_entry() {
    each_app(|app| async move {
        org::seed_defaults(&app.db).await.unwrap();
        let gent = org_id(&app.db, "gent").await;
        let admin = seed_user(&app.db, "admin@kvs.be", "Ada Admin", &[], true).await;
        // More than one batch of the streamed export, written in the same milliseconds, so
        // that the keyset must break ties on the id to neither skip nor repeat entries.
        let actor = AuditActor::user(&admin);
        let mut tx = app.db.begin().await.unwrap();
        for i in 0..1203 {
            audit::record(
                &mut tx,
                NewEntry {
                    actor: &actor,
                    organisation_id: Some(&gent),
                    entity_type: "nota",
                    entity_id: &format!("bulk-{i}"),
                    action: "create",
                    summary: "Bulkimport",
                    changes: Changes::new(),
                },
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        record(&app.db, &admin, &gent, "n1", "=HYPERLINK(\"x\"); gewijzigd").await;

        log_in(&app, "admin@kvs.be").await;
        let response = app.get("/beheer/audit.csv?type=nota").await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "text/csv; charset=utf-8"
        );
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            disposition.starts_with("attachment; filename=\"audit-")
                && disposition.ends_with(".csv\""),
            "{disposition}"
        );
        let bytes = response.bytes().await.unwrap();
        assert!(
            bytes.starts_with("\u{feff}".as_bytes()),
            "UTF-8 byte-order mark for Excel"
        );
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            header,
            [
                "Tijdstip",
                "Gebruiker",
                "Organisatie",
                "Type",
                "Id",
                "Actie",
                "Samenvatting",
                "Wijzigingen"
            ]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 1204, "every entry of the selection, once");
        let mut ids: Vec<&str> = rows.iter().map(|r| &r[4]).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 1204, "no entry repeated");

        // Newest first: the last entry recorded.
        let newest = &rows[0];
        assert_eq!(&newest[1], "Ada Admin");
        assert_eq!(&newest[2], "Gent");
        assert_eq!(&newest[3], "nota");
        assert_eq!(&newest[4], "n1");
        // A cell that Excel would run as a formula is defused.
        assert_eq!(&newest[6], "'=HYPERLINK(\"x\"); gewijzigd");
        let changes: serde_json::Value = serde_json::from_str(&newest[7]).unwrap();
        assert_eq!(changes["titel"]["old"], "Oud; \"citaat\"");
        assert_eq!(changes["titel"]["new"], "Nieuw");
        // dd/mm/jjjj uu:mm
        let when = &newest[0];
        let parsed = chrono::NaiveDateTime::parse_from_str(when, "%d/%m/%Y %H:%M");
        assert!(parsed.is_ok(), "{when}");

        // The page shows 50 entries at a time, the filters kept in the page links.
        let first = app.page("/beheer/audit?type=nota").await;
        assert!(first.contains("Pagina 1 van 25"), "1204 entries / 50");
        let unescaped = first.replace("&#38;", "&").replace("&amp;", "&");
        assert!(
            unescaped.contains("href=\"/beheer/audit?type=nota&pagina=2\""),
            "{first}"
        );
        assert_eq!(first.matches("<tr>").count(), 51, "header row + 50 entries");
        let last = app.page("/beheer/audit?type=nota&pagina=25").await;
        assert!(last.contains("Pagina 25 van 25"));
        assert_eq!(
            last.matches("<tr>").count(),
            5,
            "header row + the last 4 entries"
        );
        // A page number out of range shows the last page rather than an error.
        let beyond = app.page("/beheer/audit?type=nota&pagina=999").await;
        assert!(beyond.contains("Pagina 25 van 25"));

        // The filter applies to the export: the user and membership entries are not "nota".
        let all = app.get("/beheer/audit.csv").await.text().await.unwrap();
        assert!(
            all.lines().count() > 1205,
            "without a filter the other entries come too"
        );
        assert!(all.contains(";user;"));
    })
    .await;
}

#[tokio::test]
async fn an_entity_history_names_the_actor_and_the_changed_fields() {
    each_app(|app| async move {
        org::seed_defaults(&app.db).await.unwrap();
        let gent = org_id(&app.db, "gent").await;
        let greet = seed_user(&app.db, "greet@gent.be", "Greet", &[], false).await;
        record(&app.db, &greet, &gent, "n7", "Titel aangepast").await;
        let mut tx = app.db.begin().await.unwrap();
        audit::record(
            &mut tx,
            NewEntry {
                actor: &AuditActor::system(),
                organisation_id: Some(&gent),
                entity_type: "nota",
                entity_id: "n7",
                action: "publish",
                summary: "Gepubliceerd",
                changes: Changes::new().field("gepubliceerd", false, true),
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        record(&app.db, &greet, &gent, "n8", "Andere nota").await;

        let history = steden_web::audit_pages::history(&app.db, "nota", "n7")
            .await
            .unwrap();
        assert_eq!(history.len(), 2, "only this entity's entries");
        assert_eq!(history[0].summary, "Gepubliceerd");
        assert_eq!(history[0].actor_name, None, "the platform itself");
        assert_eq!(history[0].changes[0].old.as_deref(), Some("nee"));
        assert_eq!(history[0].changes[0].new.as_deref(), Some("ja"));
        assert_eq!(history[1].actor_name.as_deref(), Some("Greet"));
        assert_eq!(history[1].changes[0].field, "titel");
        assert_eq!(history[1].changes[0].new.as_deref(), Some("Nieuw"));
    })
    .await;
}
