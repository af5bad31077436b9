//! Password hashing cannot exhaust memory (issue 10, point 2): however many logins arrive at
//! once, at most as many argon2 hashes run as the machine has cores; the rest wait briefly and
//! are then answered 503 with Retry-After. Unknown addresses cost a hash too, through the same
//! bound. On both backends.

use steden_core::login::Limit;
use steden_core::user;
use steden_db::testing::each_test_db;
use steden_testkit::{csrf_token, TestApp};
use steden_web::app;

#[tokio::test]
async fn concurrent_logins_never_run_more_hashes_than_cores() {
    let migrations = app::all_migrations(&[]);
    each_test_db(&migrations, |test_db| {
        let db = test_db.db.clone();
        async move {
            // Throttling would refuse most of these before any hashing: lift it, so that the
            // bound on hashing itself is what is tested.
            let app = TestApp::spawn_configured(db, Vec::new(), |config| {
                let wide = vec![Limit::new(100_000, 60_000)];
                config.login.per_account = wide.clone();
                config.login.per_client = wide.clone();
                config.login.global = wide;
            })
            .await;
            let token = csrf_token(&app.page("/aanmelden").await).unwrap();
            let gate = user::hash_gate();
            let hashes_before = gate.total();
            let app = std::sync::Arc::new(app);
            let logins: Vec<_> = (0..300)
                .map(|n| {
                    let (app, token) = (app.clone(), token.clone());
                    tokio::spawn(async move {
                        let response = app
                            .client
                            .post(app.url("/aanmelden"))
                            .form(&[
                                ("_csrf", token.as_str()),
                                ("email", &format!("onbekend{n}@gent.be")),
                                ("password", "een willekeurig wachtwoord"),
                            ])
                            .send()
                            .await
                            .unwrap();
                        let status = response.status().as_u16();
                        let retry_after = response.headers().contains_key("retry-after");
                        let html = response.text().await.unwrap();
                        (status, retry_after, html)
                    })
                })
                .collect();
            let (mut refused, mut busy) = (0, 0);
            for handle in logins {
                let (status, retry_after, html) = handle.await.unwrap();
                match status {
                    422 => refused += 1,
                    503 => {
                        busy += 1;
                        assert!(retry_after, "503 without Retry-After");
                        assert!(html.contains("te druk"), "{html}");
                    }
                    other => panic!("unexpected status {other}"),
                }
            }
            eprintln!(
                "300 concurrent logins: {refused} answered 422, {busy} answered 503; \
                 at most {} hashes at once (bound {})",
                gate.peak(),
                gate.size()
            );
            assert!(
                gate.peak() <= gate.size(),
                "{} > {}",
                gate.peak(),
                gate.size()
            );
            // Every answered unknown address cost a hash: no enumeration by timing.
            assert!(gate.total() - hashes_before >= refused as u64);
            // A 503 is not counted as a failure: nothing was judged.
            let recorded: i64 = sqlx::query("SELECT COUNT(*) FROM login_attempts")
                .fetch_one(app.db.pool())
                .await
                .map(|r| sqlx::Row::get(&r, 0))
                .unwrap();
            assert_eq!(recorded, 3 * refused as i64);
        }
    })
    .await;
}
