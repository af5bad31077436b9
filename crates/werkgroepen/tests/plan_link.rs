//! A group filed under the Kenniscentrum's plan: the settings offer the programmes and
//! werksporen of the published plans; choosing a werkspoor stores it with its programme (ids
//! and titles); anything else is refused in Dutch and nothing is written.

use steden_plan::model::PublishedField;
use steden_plan::store::items::{self, ItemFields};
use steden_plan::store::plans::{self, PlanFields};

use crate::common::{client_of, create_group, each_wg_app, get_as, post_as, World};

/// A jaarplan of the Kenniscentrum with programme "2" and its werkspoor "2.1"; published when
/// `published`. Returns the werkspoor's id.
async fn plan(w: &World, published: bool) -> String {
    let mut tx = w.db.begin().await.unwrap();
    let levels: Vec<String> = ["Programma", "Werkspoor"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let plan = plans::create(
        &mut tx,
        &w.kenniscentrum,
        &PlanFields {
            kind: "jaarplan".into(),
            title: "Jaarplan 2025".into(),
            description: String::new(),
            period_start: "2025-01-01".into(),
            period_end: "2025-12-31".into(),
            status: "vastgesteld".into(),
        },
        &levels,
        false,
        &w.staff.audit(),
    )
    .await
    .unwrap();
    let programme = items::create(
        &mut tx,
        &plan.id,
        None,
        &ItemFields {
            code: "2".into(),
            title: "OBMi".into(),
            ..ItemFields::default()
        },
        &w.staff.audit(),
    )
    .await
    .unwrap();
    let werkspoor = items::create(
        &mut tx,
        &plan.id,
        Some(&programme.id),
        &ItemFields {
            code: "2.1".into(),
            title: "GDPR".into(),
            ..ItemFields::default()
        },
        &w.staff.audit(),
    )
    .await
    .unwrap();
    if published {
        plans::set_publication(
            &mut tx,
            &plan.id,
            true,
            &[PublishedField::Description],
            &w.staff.audit(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    werkspoor.id
}

#[tokio::test]
async fn a_group_is_linked_to_a_published_werkspoor_only() {
    each_wg_app(|app, w| async move {
        create_group(&w, "gdpr-groep", "Werkgroep GDPR", "publiek").await;
        let draft = plan(&w, false).await;
        let werkspoor = plan(&w, true).await;
        let staff = client_of(&app, &w.staff).await;
        let settings = "/werkgroepen/gdpr-groep/instellingen";
        let (_, html) = get_as(&app, &staff, settings).await;
        assert!(html.contains("— 2.1 GDPR (Jaarplan 2025)"), "{html}");

        let (status, html) = post_as(
            &app,
            &staff,
            settings,
            "/werkgroepen/gdpr-groep/instellingen/koppeling",
            &[("plan_item_id", &draft)],
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("<title>Fout: "), "{html}");
        assert!(
            html.contains(
                "Kies een programma of werkspoor uit een gepubliceerd plan van het Kenniscentrum."
            ),
            "{html}"
        );
        let linked: Option<String> = sqlx::query_scalar("SELECT plan_werkspoor_id FROM wg_groups")
            .fetch_one(w.db.pool())
            .await
            .unwrap();
        assert_eq!(linked, None);

        let (status, _) = post_as(
            &app,
            &staff,
            settings,
            "/werkgroepen/gdpr-groep/instellingen/koppeling",
            &[("plan_item_id", &werkspoor)],
        )
        .await;
        assert_eq!(status, 303);
        let html = app.page("/werkgroepen/gdpr-groep").await;
        assert!(
            html.contains("2 OBMi") && html.contains("2.1 GDPR"),
            "{html}"
        );
        let (status, group) = {
            let response = app
                .client
                .get(app.url("/api/v1/werkgroepen/groups/gdpr-groep"))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.json::<serde_json::Value>().await.unwrap())
        };
        assert_eq!(status, 200);
        assert_eq!(group["werkspoor_title"], "2.1 GDPR");
        assert_eq!(group["programme_title"], "2 OBMi");

        // A member may not change it.
        let member = client_of(&app, &w.gent_member).await;
        let (status, _) = post_as(
            &app,
            &member,
            "/werkgroepen/gdpr-groep",
            "/werkgroepen/gdpr-groep/instellingen/koppeling",
            &[("plan_item_id", "")],
        )
        .await;
        assert_eq!(status, 403);
    })
    .await;
}
