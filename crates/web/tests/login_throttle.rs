//! Login throttling under parallel requests (issue 10, point 1), on both backends: parallel
//! wrong passwords never get more than the limit checked, a locked account stays locked even
//! for the right password, the mailed reset link still works and lifts the lock, and the limits
//! per client address and for the whole platform hold.

use sqlx::Row;
use steden_core::audit::AuditActor;
use steden_core::login::{self, Limit};
use steden_core::user::{self, NewUser};
use steden_db::testing::each_test_db;
use steden_db::Db;
use steden_testkit::{csrf_token, each_app, TestApp};
use steden_web::app;

const PASSWORD: &str = "een lang genoeg wachtwoord";
const WRONG: &str = "fout fout fout fout";
const MINUTE: i64 = 60 * 1000;

async fn seed_user(db: &Db, email: &str) -> String {
    let mut tx = db.begin().await.unwrap();
    let new = NewUser {
        email,
        name: "Throttle Test",
        password: Some(PASSWORD),
        platform_admin: false,
    };
    let created = user::create(&mut tx, new, &AuditActor::system())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    created.id
}

/// One login POST with a CSRF token fetched beforehand, and optionally an X-Forwarded-For.
async fn login_with(
    app: &TestApp,
    token: &str,
    email: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> reqwest::Response {
    let mut request = app.client.post(app.url("/aanmelden")).form(&[
        ("_csrf", token),
        ("email", email),
        ("password", password),
    ]);
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.unwrap()
}

async fn token(app: &TestApp) -> String {
    csrf_token(&app.page("/aanmelden").await).expect("a CSRF token")
}

async fn attempts_for(db: &Db, email: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) FROM login_attempts WHERE key_hash = $1")
        .bind(login::account_key(email))
        .fetch_one(db.pool())
        .await
        .unwrap()
        .get(0)
}

/// Moves every recorded attempt `ms` into the past (time passing).
async fn age_attempts(db: &Db, ms: i64) {
    sqlx::query("UPDATE login_attempts SET at = at - $1")
        .bind(ms)
        .execute(db.pool())
        .await
        .unwrap();
}

fn logged_in(response: &reqwest::Response) -> bool {
    response.status() == 303
        && response
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap_or("").starts_with("steden_sessie="))
}

#[tokio::test]
async fn parallel_wrong_passwords_get_at_most_the_limit_checked() {
    each_app(|app| async move {
        seed_user(&app.db, "an@gent.be").await;
        let token = token(&app).await;
        let app = std::sync::Arc::new(app);
        let tries: Vec<_> = (0..200)
            .map(|_| {
                let app = app.clone();
                let token = token.clone();
                tokio::spawn(async move {
                    login_with(&app, &token, "an@gent.be", WRONG, None)
                        .await
                        .status()
                        .as_u16()
                })
            })
            .collect();
        let mut checked = 0;
        let mut refused = 0;
        // On a loaded machine the bounded password hashing may answer 503 (busy, try again)
        // before a guess is checked: such a guess is neither checked nor counted.
        let mut busy = 0;
        for handle in tries {
            match handle.await.unwrap() {
                422 => checked += 1,
                429 => refused += 1,
                503 => busy += 1,
                other => panic!("unexpected status {other}"),
            }
        }
        eprintln!(
            "200 parallel wrong passwords: {checked} checked, {refused} refused, {busy} busy"
        );
        assert_eq!(checked + refused + busy, 200);
        assert!(checked <= 5, "{checked} of 200 were checked");
        // If busy answers kept the burst below the limit, guess on one at a time until locked.
        for _ in 0..10 {
            if refused > 0 {
                break;
            }
            match login_with(&app, &token, "an@gent.be", WRONG, None)
                .await
                .status()
                .as_u16()
            {
                422 => checked += 1,
                429 => refused += 1,
                503 => {}
                other => panic!("unexpected status {other}"),
            }
        }
        assert!(checked <= 5, "{checked} were checked before the lock");
        let recorded = attempts_for(&app.db, "an@gent.be").await;
        assert_eq!(recorded, checked as i64, "every check is recorded");

        // A burst of wrong guesses, then the right password: refused while locked.
        let right = login_with(&app, &token, "an@gent.be", PASSWORD, None).await;
        assert_eq!(right.status(), 429);
        assert!(right.headers().contains_key("retry-after"));
        assert!(!logged_in(&right));
        let html = right.text().await.unwrap();
        assert!(html.contains("Wachtwoord vergeten"), "{html}");
        // Refused attempts do not lengthen the lock: once the checked ones are older than
        // the window, the right password works.
        age_attempts(&app.db, 15 * MINUTE + 1000).await;
        let right = login_with(&app, &token, "an@gent.be", PASSWORD, None).await;
        assert!(logged_in(&right), "{}", right.status());
        assert_eq!(attempts_for(&app.db, "an@gent.be").await, 0);
    })
    .await;
}

#[tokio::test]
async fn a_burst_then_the_right_password_is_refused_until_the_lock_ends() {
    each_app(|app| async move {
        seed_user(&app.db, "an@gent.be").await;
        let token = token(&app).await;
        let app = std::sync::Arc::new(app);
        let burst: Vec<_> = (0..40)
            .map(|_| {
                let (app, token) = (app.clone(), token.clone());
                tokio::spawn(async move {
                    login_with(&app, &token, "an@gent.be", WRONG, None)
                        .await
                        .status()
                })
            })
            .collect();
        for handle in burst {
            handle.await.unwrap();
        }
        let right = login_with(&app, &token, "an@gent.be", PASSWORD, None).await;
        assert_eq!(right.status(), 429, "the right password after a burst");
        assert!(!logged_in(&right));
        // Still locked a little later.
        age_attempts(&app.db, 5 * MINUTE).await;
        let right = login_with(&app, &token, "an@gent.be", PASSWORD, None).await;
        assert_eq!(right.status(), 429);
        age_attempts(&app.db, 11 * MINUTE).await;
        let right = login_with(&app, &token, "an@gent.be", PASSWORD, None).await;
        assert!(logged_in(&right), "{}", right.status());
    })
    .await;
}

/// The link with `path_prefix` in the last mail sent to `to`.
async fn link_in_mail(db: &Db, to: &str, path_prefix: &str) -> String {
    let text: String = sqlx::query(
        "SELECT text_body FROM mail_outbox WHERE recipient = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(to)
    .fetch_one(db.pool())
    .await
    .expect("a mail in the outbox")
    .get(0);
    let link = text
        .split_whitespace()
        .find(|word| word.contains(path_prefix))
        .unwrap_or_else(|| panic!("no {path_prefix} in {text}"));
    link[link.find(path_prefix).unwrap()..].to_string()
}

/// Asks for a reset mail and sets `new_password` through its link; returns the last response.
async fn reset_through_mail(app: &TestApp, email: &str, new_password: &str) -> reqwest::Response {
    let asked = app
        .post_form(
            "/wachtwoord-vergeten",
            "/wachtwoord-vergeten",
            &[("email", email)],
        )
        .await;
    assert_eq!(asked.status(), 200);
    let link = link_in_mail(&app.db, email, "/wachtwoord-herstellen/").await;
    app.post_form(
        &link,
        &link,
        &[
            ("password", new_password),
            ("password_confirm", new_password),
        ],
    )
    .await
}

#[tokio::test]
async fn the_reset_link_works_while_locked_and_lifts_the_lock() {
    each_app(|app| async move {
        seed_user(&app.db, "an@gent.be").await;
        let token = token(&app).await;
        for _ in 0..6 {
            login_with(&app, &token, "an@gent.be", WRONG, None).await;
        }
        let locked = login_with(&app, &token, "an@gent.be", PASSWORD, None).await;
        assert_eq!(locked.status(), 429);

        let reset = reset_through_mail(&app, "an@gent.be", "een heel nieuw wachtwoord").await;
        assert!(logged_in(&reset), "the owner gets in through the link");
        // And the lock a stranger caused is gone: the new password works at once.
        let other = TestApp::new_client();
        let html = other
            .get(app.url("/aanmelden"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let other_token = csrf_token(&html).unwrap();
        let again = other
            .post(app.url("/aanmelden"))
            .form(&[
                ("_csrf", other_token.as_str()),
                ("email", "an@gent.be"),
                ("password", "een heel nieuw wachtwoord"),
            ])
            .send()
            .await
            .unwrap();
        assert!(logged_in(&again), "{}", again.status());
    })
    .await;
}

/// Runs `test` on each backend against a server whose login settings `configure` sets.
async fn each_configured_app<C, F, Fut>(configure: C, test: F)
where
    C: Fn(&mut steden_web::auth::LoginSettings),
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let migrations = app::all_migrations(&[]);
    each_test_db(&migrations, |test_db| {
        let (test, configure) = (&test, &configure);
        let db = test_db.db.clone();
        async move {
            let app =
                TestApp::spawn_configured(db, Vec::new(), |config| configure(&mut config.login))
                    .await;
            test(app).await;
        }
    })
    .await;
}

#[tokio::test]
async fn one_client_address_is_limited_across_accounts() {
    // Behind a trusted proxy: the last X-Forwarded-For entry is the client.
    each_configured_app(
        |login| {
            login.trust_forwarded_for = true;
            login.per_client = vec![Limit::new(3, MINUTE)];
        },
        |app| async move {
            seed_user(&app.db, "an@gent.be").await;
            let token = token(&app).await;
            for n in 0..3 {
                let email = format!("niemand{n}@gent.be");
                let wrong =
                    login_with(&app, &token, &email, WRONG, Some("10.0.0.1, 203.0.113.7")).await;
                assert_eq!(wrong.status(), 422);
            }
            // The fourth account from the same address is refused, even the right password.
            let refused =
                login_with(&app, &token, "an@gent.be", PASSWORD, Some("203.0.113.7")).await;
            assert_eq!(refused.status(), 429);
            let html = refused.text().await.unwrap();
            assert!(html.contains("vanaf dit netwerkadres"), "{html}");
            // Another address is not affected (a spoofed first entry does not matter).
            let other = login_with(
                &app,
                &token,
                "an@gent.be",
                PASSWORD,
                Some("203.0.113.7, 198.51.100.2"),
            )
            .await;
            assert!(logged_in(&other), "{}", other.status());
        },
    )
    .await;

    // Not behind a proxy (the default): X-Forwarded-For is ignored, so changing it per request
    // does not escape the limit.
    each_configured_app(
        |login| login.per_client = vec![Limit::new(3, MINUTE)],
        |app| async move {
            let token = token(&app).await;
            for n in 0..3 {
                let wrong = login_with(
                    &app,
                    &token,
                    &format!("niemand{n}@gent.be"),
                    WRONG,
                    Some(&format!("203.0.113.{n}")),
                )
                .await;
                assert_eq!(wrong.status(), 422);
            }
            let refused =
                login_with(&app, &token, "iemand@gent.be", WRONG, Some("198.51.100.99")).await;
            assert_eq!(refused.status(), 429);
        },
    )
    .await;
}

#[tokio::test]
async fn password_spraying_is_held_globally_but_the_owner_gets_in_by_mail() {
    each_configured_app(
        |login| {
            login.trust_forwarded_for = true;
            login.global = vec![Limit::new(4, MINUTE), Limit::new(8, 15 * MINUTE)];
        },
        |app| async move {
            seed_user(&app.db, "an@gent.be").await;
            let token = token(&app).await;
            // One password against many accounts, each from another address.
            for n in 0..4 {
                let wrong = login_with(
                    &app,
                    &token,
                    &format!("slachtoffer{n}@gent.be"),
                    "Zomer2026!Zomer2026!",
                    Some(&format!("203.0.113.{n}")),
                )
                .await;
                assert_eq!(wrong.status(), 422);
            }
            let refused =
                login_with(&app, &token, "an@gent.be", PASSWORD, Some("198.51.100.1")).await;
            assert_eq!(refused.status(), 429);
            let retry: i64 = refused.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!(retry <= 60, "a short lock first: {retry} s");
            let html = refused.text().await.unwrap();
            assert!(html.contains("op het platform"), "{html}");

            // The owner still gets in through the mailed link while the platform is locked.
            let reset = reset_through_mail(&app, "an@gent.be", "een heel nieuw wachtwoord").await;
            assert!(logged_in(&reset));

            // A minute later the short lock is over ...
            age_attempts(&app.db, MINUTE + 1000).await;
            for n in 4..8 {
                let wrong = login_with(
                    &app,
                    &token,
                    &format!("slachtoffer{n}@gent.be"),
                    "Zomer2026!Zomer2026!",
                    Some(&format!("203.0.113.{n}")),
                )
                .await;
                assert_eq!(wrong.status(), 422);
            }
            // ... but a spraying run that goes on meets the longer limit (backoff).
            age_attempts(&app.db, MINUTE + 1000).await;
            let refused =
                login_with(&app, &token, "bert@gent.be", WRONG, Some("198.51.100.3")).await;
            assert_eq!(refused.status(), 429);
            let retry: i64 = refused.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!(retry > 60, "a longer lock now: {retry} s");
        },
    )
    .await;
}
