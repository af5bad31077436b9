//! The periodic clean-up removes what has served its purpose and nothing else.

use steden_core::audit::AuditActor;
use steden_core::user::{self, NewUser};
use steden_db::jobs::{self, NewJob};
use steden_db::testing::each_backend;
use steden_db::{now_ms, Db, Row};
use steden_web::housekeeping;

const DAY: i64 = 24 * 60 * 60 * 1000;

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(db.pool()).await.unwrap().get(0)
}

async fn session(db: &Db, id: &str, user_id: &str, last_seen: i64, expires: i64) {
    sqlx::query(
        "INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(user_id)
    .bind(last_seen)
    .bind(last_seen)
    .bind(expires)
    .execute(db.pool())
    .await
    .unwrap();
}

#[tokio::test]
async fn removes_what_is_over_and_keeps_the_rest() {
    let migrations = steden_web::app::all_migrations(&[]);
    each_backend(&migrations, |db| async move {
        let now = now_ms();
        let mut tx = db.begin().await.unwrap();
        let new_user = NewUser {
            email: "an@gent.be",
            name: "An",
            password: None,
            platform_admin: false,
        };
        let an = user::create(&mut tx, new_user, &AuditActor::system())
            .await
            .unwrap();
        tx.commit().await.unwrap();

        session(&db, "vers", &an.id, now, now + DAY).await;
        session(&db, "verlopen", &an.id, now - 1000, now - 1).await;
        session(&db, "stil", &an.id, now - 2 * DAY, now + DAY).await;

        for (id, at) in [("oud", now - 2 * DAY), ("recent", now - 60_000)] {
            sqlx::query("INSERT INTO login_attempts (id, key_hash, at) VALUES ($1, 'k', $2)")
                .bind(id)
                .bind(at)
                .execute(db.pool())
                .await
                .unwrap();
        }

        let old_job = jobs::enqueue(&db, NewJob::new("test.oud", serde_json::json!({})))
            .await
            .unwrap();
        let new_job = jobs::enqueue(&db, NewJob::new("test.nieuw", serde_json::json!({})))
            .await
            .unwrap();
        for (id, finished) in [(&old_job, now - 40 * DAY), (&new_job, now - DAY)] {
            sqlx::query("UPDATE jobs SET status = 'done', finished_at = $1 WHERE id = $2")
                .bind(finished)
                .bind(id)
                .execute(db.pool())
                .await
                .unwrap();
        }

        let removed = housekeeping::run_once(&db).await.unwrap();
        assert_eq!(removed.sessions, 2);
        assert_eq!(removed.login_attempts, 1);
        assert_eq!(removed.jobs, 1);
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM sessions WHERE id = 'vers'").await,
            1
        );
        assert_eq!(count(&db, "SELECT COUNT(*) FROM sessions").await, 1);
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM login_attempts WHERE id = 'recent'"
            )
            .await,
            1
        );
        assert!(jobs::get(&db, &new_job).await.unwrap().is_some());
        assert!(jobs::get(&db, &old_job).await.unwrap().is_none());

        // A second run finds nothing more to do.
        let again = housekeeping::run_once(&db).await.unwrap();
        assert_eq!(again, housekeeping::Removed::default());
    })
    .await;
}
