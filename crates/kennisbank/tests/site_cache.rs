//! The public site keeps the published plan in memory (issue 12 point 6); the database stays
//! the only source of truth. Two servers on one database: a change written to the database
//! outside either server's code (raw SQL, as another server or a script would) shows on both
//! at the next request, on both backends. Without the version triggers of plan migration 0007
//! the cached plan would be served and these assertions fail.

use crate::common;
use crate::site::jaarplan;

use common::{each_kb_app, modules, TestApp};
use steden_plan::model::PublishedField;
use steden_plan::store::plans;

#[tokio::test]
async fn a_change_through_another_server_shows_at_once() {
    each_kb_app(|app, w| async move {
        let other = TestApp::spawn_on(app.db.clone(), modules()).await;
        let plan_id = jaarplan(&w).await;
        let mut tx = app.db.begin().await.unwrap();
        plans::set_publication(
            &mut tx,
            &plan_id,
            true,
            &[PublishedField::Description],
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        // Both servers have built (and cached) the plan.
        for server in [&app, &other] {
            let list = server.page("/programmas").await;
            assert!(list.contains(">Klimaat<"), "{list}");
        }

        // Renamed behind both servers' backs.
        sqlx::query("UPDATE plan_items SET title = $1 WHERE plan_id = $2 AND code = 'P1'")
            .bind("Klimaat en energie")
            .bind(&plan_id)
            .execute(app.db.pool())
            .await
            .unwrap();
        for server in [&app, &other] {
            let list = server.page("/programmas").await;
            assert!(list.contains("Klimaat en energie"), "{list}");
            let home = server.page("/").await;
            assert!(home.contains("Klimaat en energie"), "{home}");
        }

        // Unpublished through the other server's database handle: gone everywhere.
        sqlx::query("UPDATE plan_plans SET published = 0 WHERE id = $1")
            .bind(&plan_id)
            .execute(other.db.pool())
            .await
            .unwrap();
        for server in [&app, &other] {
            assert_eq!(server.get("/programmas/klimaat").await.status(), 404);
        }
    })
    .await;
}
