//! The list of working groups: an empty state at first, then the public groups with their
//! purpose and cadence in Dutch; hidden groups never.

use steden_web::Module;
use steden_werkgroepen::WerkgroepenModule;

use crate::common::each_wg_app;

#[tokio::test]
async fn the_list_shows_public_groups_only() {
    each_wg_app(|app, w| async move {
        let html = app.page("/werkgroepen").await;
        assert!(html.contains("<h1>Werkgroepen</h1>"), "{html}");
        assert!(
            html.contains("Er zijn nog geen werkgroepen die zich hier voorstellen."),
            "the empty state: {html}"
        );
        assert!(
            html.contains("href=\"/werkgroepen\""),
            "the menu links the page"
        );

        // The start-up hook adopts the core's GDPR group, hidden.
        WerkgroepenModule.start(&app.state).await.unwrap();
        let html = app.page("/werkgroepen").await;
        assert!(
            !html.contains("Werkgroep GDPR"),
            "a hidden group is not listed: {html}"
        );

        sqlx::query(
            "UPDATE wg_groups SET visibility = 'publiek', cadence = 'zeswekelijks',
                 purpose = 'Samen de AVG toepassen in de steden.'
             WHERE group_id = $1",
        )
        .bind(&w.gdpr_group)
        .execute(w.db.pool())
        .await
        .unwrap();
        let html = app.page("/werkgroepen").await;
        assert!(html.contains("Werkgroep GDPR"), "{html}");
        assert!(
            html.contains("Samen de AVG toepassen in de steden."),
            "{html}"
        );
        assert!(
            html.contains("zeswekelijks"),
            "the cadence in Dutch: {html}"
        );
        assert!(!html.contains("empty-state"), "{html}");
    })
    .await;
}
