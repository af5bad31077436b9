//! `serve --demo` content of the plan module, on SQLite and PostgreSQL: the Kenniscentrum's
//! jaarplan 2025 through the importer (46 doelstellingen) with updates, indicators, a project
//! and a release; the made-up meerjarenplan of Gent marked as demo and published; and a
//! second run adds nothing.

use crate::common;

use common::*;
use steden_core::role::Role;
use steden_web::DemoUser;

async fn count(db: &steden_db::Db, sql: &str, plan_id: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(plan_id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn demo_content_is_loaded_once() {
    steden_db::testing::each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let kenniscentrum = steden_core::org::find_by_slug(db.pool(), "kenniscentrum")
            .await
            .unwrap()
            .unwrap()
            .id;
        let staff = person(&db, "medewerker@demo.stedenplatform.be", "Demo Medewerker", &kenniscentrum, Role::Redacteur).await;
        let users = vec![
            DemoUser {
                id: staff.id.clone(),
                email: staff.email.clone(),
                name: staff.name.clone(),
                organisations: vec!["kenniscentrum".into()],
            },
            DemoUser {
                id: w.editor.id.clone(),
                email: "redacteur.gent@demo.stedenplatform.be".into(),
                name: w.editor.name.clone(),
                organisations: vec!["gent".into()],
            },
        ];
        steden_plan::demo::seed(&db, &users).await.unwrap();
        let plans = steden_plan::store::plans::list(&db, None).await.unwrap();
        assert_eq!(plans.len(), 2, "{plans:?}");
        let jaarplan = plans.iter().find(|p| p.organisation_id == kenniscentrum).unwrap();
        let gent = plans.iter().find(|p| p.organisation_id == w.gent).unwrap();
        assert!(!jaarplan.is_demo);
        assert!(gent.is_demo && gent.published);

        let doelstellingen = count(&db, "SELECT COUNT(*) FROM plan_items WHERE plan_id = $1 AND code LIKE '%.D%' AND code NOT LIKE '%.A%'", &jaarplan.id).await;
        assert_eq!(doelstellingen, 46);
        assert!(count(&db, "SELECT COUNT(*) FROM plan_updates WHERE plan_id = $1", &jaarplan.id).await >= 8);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM plan_indicators WHERE plan_id = $1", &jaarplan.id).await, 3, "two examples and DEMaD's meetings held");
        assert_eq!(count(&db, "SELECT COUNT(*) FROM plan_releases WHERE plan_id = $1", &jaarplan.id).await, 1);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM plan_projects WHERE plan_id = $1", &jaarplan.id).await, 1);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM plan_items WHERE plan_id = $1", &gent.id).await, 13);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM plan_kwesties WHERE plan_id = $1", &gent.id).await, 1);
        assert!(count(&db, "SELECT COUNT(*) FROM plan_amounts WHERE plan_id = $1", &gent.id).await > 0);
        // Owners: the staff member has actions to report on.
        let mine = steden_plan::store::items::owned_by(db.pool(), &staff.id).await.unwrap();
        assert!(mine.len() >= 8, "{}", mine.len());

        // Loading again adds nothing.
        let items_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plan_items").fetch_one(db.pool()).await.unwrap();
        steden_plan::demo::seed(&db, &users).await.unwrap();
        let items_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plan_items").fetch_one(db.pool()).await.unwrap();
        assert_eq!(items_before, items_after);
        assert_eq!(steden_plan::store::plans::list(&db, None).await.unwrap().len(), 2);
    })
    .await;
}
