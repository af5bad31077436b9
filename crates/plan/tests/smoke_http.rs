//! The module is served: its navigation appears for a logged-in user.

use crate::common;

use common::*;

#[tokio::test]
async fn plan_navigation_is_shown_when_logged_in() {
    each_plan_app(|app, w| async move {
        login(&app, &w.editor).await;
        let home = app.page("/").await;
        assert!(home.contains("href=\"/plannen\""), "{home}");
    })
    .await;
}
