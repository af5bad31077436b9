//! The jobs pages over HTTP, on both backends: who may see them, the list with its filter and
//! pages, requeueing a dead job (with its audit entry), and the progress fragment.

use serde_json::json;
use sqlx::Row;
use steden_core::audit::AuditActor;
use steden_core::user::{self, NewUser};
use steden_db::jobs::{self, ClaimRequest, Failure, Job, JobStatus, NewJob};
use steden_db::{now_ms, Db};
use steden_testkit::{csrf_token, each_app, TestApp};

const PASSWORD: &str = "een lang genoeg wachtwoord";

async fn create_user(db: &Db, email: &str, admin: bool) -> String {
    let mut tx = db.begin().await.unwrap();
    let created = user::create(
        &mut tx,
        NewUser {
            email,
            name: email.split('@').next().unwrap(),
            password: Some(PASSWORD),
            platform_admin: admin,
        },
        &AuditActor::system(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    created.id
}

/// Logs `client` in; returns it for chaining.
async fn login(app: &TestApp, client: &reqwest::Client, email: &str) {
    let html = client
        .get(app.url("/aanmelden"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf_token(&html).expect("login form has a CSRF token");
    let response = client
        .post(app.url("/aanmelden"))
        .form(&[
            ("_csrf", token.as_str()),
            ("email", email),
            ("password", PASSWORD),
            ("volgende", ""),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_redirection(),
        "login of {email} failed: {}",
        response.status()
    );
}

async fn claim(db: &Db, kind: &str) -> Job {
    jobs::claim(
        db,
        &ClaimRequest {
            worker: "test",
            kinds: &[kind.to_string()],
            now: now_ms() + 1,
            lease_ms: 600_000,
        },
    )
    .await
    .unwrap()
    .expect("a job to claim")
}

/// A job that failed for good with `error`.
async fn dead_job(db: &Db, kind: &str, error: &str) -> String {
    let id = jobs::enqueue(db, NewJob::new(kind, json!({"x": 1})).max_attempts(1))
        .await
        .unwrap();
    let job = claim(db, kind).await;
    let failure = Failure {
        error,
        permanent: false,
        now: now_ms(),
        retry_delay_ms: 0,
    };
    jobs::fail(db, &job, "test", failure).await.unwrap();
    id
}

#[tokio::test]
async fn only_platform_administrators_see_the_jobs_pages() {
    each_app(|app| async move {
        create_user(&app.db, "beheer@steden.test", true).await;
        create_user(&app.db, "lid@steden.test", false).await;
        let id = jobs::enqueue(&app.db, NewJob::new("test.kind", json!({})))
            .await
            .unwrap();

        // Not logged in: to the login page.
        for path in ["/beheer/taken".to_string(), format!("/beheer/taken/{id}")] {
            let response = app.get(&path).await;
            assert_eq!(response.status(), 303, "{path}");
            assert!(response.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/aanmelden"));
        }
        // A user who is not a platform administrator: no access, and no link in the menu.
        login(&app, &app.client, "lid@steden.test").await;
        for path in ["/beheer/taken".to_string(), format!("/beheer/taken/{id}")] {
            assert_eq!(app.get(&path).await.status(), 403, "{path}");
        }
        assert!(!app.page("/").await.contains("href=\"/beheer/taken\""));

        let admin = TestApp::new_client();
        login(&app, &admin, "beheer@steden.test").await;
        let response = admin.get(app.url("/beheer/taken")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let html = response.text().await.unwrap();
        assert!(html.contains("Achtergrondtaken"), "{html}");
        assert!(
            html.contains("href=\"/beheer/taken\""),
            "menu entry for admins"
        );
        assert!(html.contains("test.kind"));
    })
    .await;
}

#[tokio::test]
async fn the_list_filters_by_status_pages_and_shows_progress_and_errors() {
    each_app(|app| async move {
        create_user(&app.db, "beheer@steden.test", true).await;
        login(&app, &app.client, "beheer@steden.test").await;
        let db = &app.db;
        // Older jobs first: the list shows the newest first.
        for i in 0..30 {
            jobs::enqueue(db, NewJob::new("test.bulk", json!(i)))
                .await
                .unwrap();
        }
        let dead = dead_job(db, "mail.send", "SMTP-fout: 451 Tijdelijk niet beschikbaar").await;
        let running_id = jobs::enqueue(db, NewJob::new("plan.import", json!({})))
            .await
            .unwrap();
        let running = claim(db, "plan.import").await;
        assert_eq!(running.id, running_id);
        jobs::set_progress(db, &running, "test", 30, 120, "rij 30 van 120")
            .await
            .unwrap();

        let all = app.page("/beheer/taken").await;
        assert!(all.contains("Aantal taken: 32"), "{all}");
        // A native progress bar with its percentage as text.
        assert!(all.contains("<progress max=\"100\" value=\"25\""), "{all}");
        assert!(all.contains("25 %"));
        // Status as a word, not only a colour.
        assert!(all.contains("Bezig"));
        assert!(all.contains("Pagina 1 van 2"));
        assert!(all.contains("href=\"/beheer/taken?pagina=2\""));
        let second = app.page("/beheer/taken?pagina=2").await;
        assert!(second.contains("Pagina 2 van 2"));

        let only_dead = app.page("/beheer/taken?status=dead").await;
        assert!(only_dead.contains("Aantal taken: 1"), "{only_dead}");
        assert!(only_dead.contains("Mislukt"));
        assert!(only_dead.contains("451 Tijdelijk niet beschikbaar"));
        assert!(only_dead.contains(&format!("action=\"/beheer/taken/{dead}/opnieuw\"")));
        assert!(!only_dead.contains("plan.import"));
        assert!(only_dead.contains("<option value=\"dead\" selected>"));

        // A mistyped status is said, not silently ignored.
        let wrong = app.page("/beheer/taken?status=weg").await;
        assert!(wrong.contains("Onbekende status"), "{wrong}");
        assert!(wrong.contains("aria-invalid=\"true\""));

        let detail = app.page(&format!("/beheer/taken/{running_id}")).await;
        assert!(detail.contains("rij 30 van 120"), "{detail}");
        assert!(detail.contains("30 van 120"));
        assert!(detail.contains(&format!("hx-get=\"/taken/{running_id}/voortgang\"")));
        assert_eq!(app.get("/beheer/taken/bestaat-niet").await.status(), 404);
    })
    .await;
}

#[tokio::test]
async fn an_administrator_requeues_a_dead_job_with_an_audit_entry() {
    each_app(|app| async move {
        let admin_id = create_user(&app.db, "beheer@steden.test", true).await;
        login(&app, &app.client, "beheer@steden.test").await;
        let db = &app.db;
        let dead = dead_job(db, "mail.send", "kapot").await;
        let detail = format!("/beheer/taken/{dead}");
        let action = format!("/beheer/taken/{dead}/opnieuw");

        // Without the CSRF token nothing happens.
        let forged = app
            .client
            .post(app.url(&action))
            .form(&[("x", "y")])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403);
        assert_eq!(
            jobs::get(db, &dead).await.unwrap().unwrap().status,
            JobStatus::Dead
        );

        let response = app.post_form(&detail, &action, &[]).await;
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], detail.as_str());
        let job = jobs::get(db, &dead).await.unwrap().unwrap();
        assert_eq!(job.status, JobStatus::Queued);
        assert_eq!(job.attempts, 0);
        let page = app.page(&detail).await;
        assert!(
            page.contains("De taak staat opnieuw in de wachtrij."),
            "{page}"
        );

        let row = sqlx::query(
            "SELECT actor_user_id, action, changes FROM audit_log \
             WHERE entity_type = 'job' AND entity_id = $1",
        )
        .bind(&dead)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(row.get::<String, _>("actor_user_id"), admin_id);
        assert_eq!(row.get::<String, _>("action"), "requeue");
        assert!(row.get::<String, _>("changes").contains("dead"));

        // A job that is not dead cannot be requeued: refused with a message, nothing changes.
        let response = app.post_form(&detail, &action, &[]).await;
        assert_eq!(response.status(), 303);
        let page = app.page(&detail).await;
        assert!(
            page.contains("Alleen mislukte of geannuleerde taken"),
            "{page}"
        );
        let count: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'job'")
            .fetch_one(db.pool())
            .await
            .unwrap()
            .get(0);
        assert_eq!(count, 1);
    })
    .await;
}

#[tokio::test]
async fn the_progress_fragment_is_for_the_starter_and_stops_polling_when_done() {
    each_app(|app| async move {
        let starter = create_user(&app.db, "starter@steden.test", false).await;
        create_user(&app.db, "ander@steden.test", false).await;
        create_user(&app.db, "beheer@steden.test", true).await;
        let db = &app.db;
        let id = jobs::enqueue(
            db,
            NewJob::new("plan.import", json!({})).created_by(&starter),
        )
        .await
        .unwrap();
        let job = claim(db, "plan.import").await;
        jobs::set_progress(db, &job, "test", 1, 4, "bestand gelezen")
            .await
            .unwrap();
        let path = format!("/taken/{id}/voortgang");

        login(&app, &app.client, "starter@steden.test").await;
        // Without JavaScript: a whole page with the state at load and a refresh link.
        let page = app.page(&path).await;
        assert!(page.contains("<html"), "{page}");
        assert!(page.contains("value=\"25\""));
        assert!(page.contains("bestand gelezen"));
        assert!(page.contains(&format!("href=\"{path}\">Vernieuwen</a>")));
        // With htmx: just the fragment, which asks to be fetched again.
        let fragment = app
            .client
            .get(app.url(&path))
            .header("HX-Request", "true")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!fragment.contains("<html"), "{fragment}");
        assert!(fragment.contains("hx-trigger=\"every 2s\""));
        assert!(fragment.contains("Bezig"));

        jobs::complete(db, &job, "test", now_ms()).await.unwrap();
        let fragment = app
            .client
            .get(app.url(&path))
            .header("HX-Request", "true")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(fragment.contains("Klaar"), "{fragment}");
        assert!(fragment.contains("value=\"100\""));
        assert!(
            !fragment.contains("hx-trigger"),
            "polling stops: {fragment}"
        );
        assert!(!fragment.contains("Vernieuwen"));

        // Someone else's job: no.
        let other = TestApp::new_client();
        login(&app, &other, "ander@steden.test").await;
        let response = other.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 403);
        // A platform administrator follows every job.
        let admin = TestApp::new_client();
        login(&app, &admin, "beheer@steden.test").await;
        let response = admin.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 200);
        // Not logged in: to the login page.
        let anonymous = TestApp::new_client();
        let response = anonymous.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 303);
    })
    .await;
}

/// Issue 11 point 8: job kinds are shown in words (the label the module registered in its
/// translations), a kind without a label by its name.
#[tokio::test]
async fn job_kinds_are_shown_in_words() {
    each_app(|app| async move {
        create_user(&app.db, "beheer@steden.test", true).await;
        let mail = jobs::enqueue(&app.db, NewJob::new("mail.send", json!({})))
            .await
            .unwrap();
        jobs::enqueue(&app.db, NewJob::new("test.kind", json!({})))
            .await
            .unwrap();
        login(&app, &app.client, "beheer@steden.test").await;
        let html = app.page("/beheer/taken").await;
        assert!(html.contains(">E-mail verzenden<span"), "{html}");
        assert!(!html.contains(">mail.send<span"), "{html}");
        assert!(html.contains(">test.kind<span"), "{html}");
        let html = app.page(&format!("/beheer/taken/{mail}")).await;
        assert!(html.contains("<h1>Taak E-mail verzenden</h1>"), "{html}");
        assert!(html.contains("<code>mail.send</code>"), "{html}");
        assert_eq!(
            steden_web::admin_jobs::job_label_key("plan.pull_measurements"),
            "job-kind-plan-pull-measurements"
        );
    })
    .await;
}
