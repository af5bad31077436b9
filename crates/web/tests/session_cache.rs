//! The per-process session cache: a process sees its own changes at once, and a change made
//! through another instance within the cache's time-to-live.

use std::time::Duration;

use steden_core::audit::AuditActor;
use steden_core::user::{self, NewUser};
use steden_db::testing::each_test_db;
use steden_db::Db;
use steden_testkit::{login_with, TestApp};

const PASSWORD: &str = "een lang genoeg wachtwoord";

async fn seed_user(db: &Db, email: &str) {
    let mut tx = db.begin().await.unwrap();
    let new = NewUser {
        email,
        name: "Cache Test",
        password: Some(PASSWORD),
        platform_admin: false,
    };
    user::create(&mut tx, new, &AuditActor::system())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn with_cache(db: &Db, ttl: Duration) -> TestApp {
    TestApp::spawn_configured(db.clone(), Vec::new(), |config| {
        config.session_cache_ttl = ttl;
    })
    .await
}

async fn login(app: &TestApp, email: &str) {
    let response = app
        .post_form(
            "/aanmelden",
            "/aanmelden",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), 303);
}

/// Whether `client` is logged in on `app` (the account page answers instead of redirecting).
async fn logged_in(app: &TestApp, client: &reqwest::Client) -> bool {
    let response = client.get(app.url("/account")).send().await.unwrap();
    response.status() == 200
}

#[tokio::test]
async fn a_process_applies_its_own_changes_at_once_despite_a_long_cache() {
    each_test_db(&steden_web::app::all_migrations(&[]), |test_db| {
        let db = test_db.db.clone();
        async move {
            seed_user(&db, "cache@gent.be").await;
            // A time-to-live far longer than the test: only the invalidation can end an entry.
            let app = with_cache(&db, Duration::from_secs(600)).await;
            // Two browsers of the same user: a laptop and a phone.
            login(&app, "cache@gent.be").await;
            let laptop = app.client.clone();
            let phone = TestApp::new_client();
            login_with(&app, &phone, "cache@gent.be", PASSWORD).await;
            assert!(logged_in(&app, &phone).await);
            assert!(logged_in(&app, &phone).await, "now served from the cache");

            // On the laptop the user changes the password, which ends the other sessions; the
            // phone keeps its cookie, so only the emptied cache makes the change visible.
            let changed = app
                .post_form(
                    "/account",
                    "/account/wachtwoord",
                    &[
                        ("current_password", PASSWORD),
                        ("password", "een nieuw lang wachtwoord"),
                        ("password_confirm", "een nieuw lang wachtwoord"),
                    ],
                )
                .await;
            assert_eq!(changed.status(), 303);
            assert!(
                logged_in(&app, &laptop).await,
                "the laptop's own session stays"
            );
            assert!(
                !logged_in(&app, &phone).await,
                "the phone's session ended with the password change"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn another_instance_sees_a_logout_within_the_time_to_live() {
    each_test_db(&steden_web::app::all_migrations(&[]), |test_db| {
        let db = test_db.db.clone();
        async move {
            seed_user(&db, "twee@gent.be").await;
            let first = with_cache(&db, Duration::from_millis(300)).await;
            let second = with_cache(&db, Duration::from_millis(300)).await;
            login(&first, "twee@gent.be").await;
            // Cookies are per host, not per port: the same browser reaches both instances.
            assert!(logged_in(&second, &first.client).await);
            let logout = first.post_form("/account", "/afmelden", &[]).await;
            assert_eq!(logout.status(), 303);
            // The second instance may serve its cached copy briefly, then reads the database.
            let mut seen = false;
            for _ in 0..50 {
                if !logged_in(&second, &first.client).await {
                    seen = true;
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            assert!(seen, "the second instance still accepts the ended session");
        }
    })
    .await;
}
