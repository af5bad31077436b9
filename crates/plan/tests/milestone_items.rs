//! The plan module's public items for other modules (the port `steden_web::items::ItemSource`,
//! `steden_plan::milestone_items`), on both backends: milestones of a published plan that
//! publishes its dates, with search words, a period and a limit, linking to the public page of
//! the project's item; nothing while the plan is unpublished or does not publish its dates.

use crate::common;

use common::*;
use steden_db::testing::each_backend;
use steden_plan::milestone_items::Milestones;
use steden_plan::model::PublishedField;
use steden_plan::projects::{MilestoneFields, ProjectFields};
use steden_plan::store::{plans, projects};
use steden_web::items::{ItemQuery, ItemSource};

fn query(search: &str, from: Option<&str>, until: Option<&str>, limit: usize) -> ItemQuery {
    ItemQuery {
        search: search.into(),
        from: from.map(str::to_string),
        until: until.map(str::to_string),
        limit,
    }
}

#[tokio::test]
async fn milestones_of_published_plans_with_dates_are_offered() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        let mut tx = db.begin().await.unwrap();
        let project = projects::create(
            &mut tx,
            &p.ac010101.id,
            &ProjectFields {
                title: "Nieuw e-loket".into(),
                start_date: "2026-02-01".into(),
                end_date: "2026-09-30".into(),
                status: "lopend".into(),
                ..ProjectFields::default()
            },
            &w.editor.audit(),
        )
        .await
        .unwrap();
        let mut ids = Vec::new();
        for (title, due) in [("Livegang", "2026-09-01"), ("Aanbesteding", "2026-03-15")] {
            let milestone = projects::add_milestone(
                &mut tx,
                &project.id,
                &MilestoneFields {
                    title: title.into(),
                    due_date: due.into(),
                    done: String::new(),
                },
                &w.editor.audit(),
            )
            .await
            .unwrap();
            ids.push(milestone.id);
        }
        tx.commit().await.unwrap();
        let source = Milestones;
        assert_eq!(source.key(), "plan");
        let everything = query("", None, None, 10);
        assert!(
            source.find(&db, &everything).await.unwrap().is_empty(),
            "not published"
        );
        assert!(source.get(&db, &ids[0]).await.unwrap().is_none());

        let mut tx = db.begin().await.unwrap();
        plans::set_publication(
            &mut tx,
            &p.plan.id,
            true,
            &[PublishedField::Description],
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert!(
            source.find(&db, &everything).await.unwrap().is_empty(),
            "dates not published"
        );

        let mut tx = db.begin().await.unwrap();
        plans::set_publication(
            &mut tx,
            &p.plan.id,
            true,
            &[PublishedField::Dates],
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let all = source.find(&db, &everything).await.unwrap();
        let titles: Vec<&str> = all.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, ["Livegang", "Aanbesteding"], "latest first");
        assert_eq!(
            all[0].href,
            format!("/openbaar/plannen/{}/items/{}", p.plan.id, p.ac010101.id)
        );
        assert!(all[0].summary.contains("Nieuw e-loket") && all[0].summary.contains("01/09/2026"));
        assert_eq!(
            source
                .find(&db, &query("LIVE", None, None, 10))
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            source
                .find(&db, &query("e-loket", None, None, 10))
                .await
                .unwrap()
                .len(),
            2
        );
        let march = source
            .find(&db, &query("", Some("2026-03-01"), Some("2026-03-31"), 10))
            .await
            .unwrap();
        assert_eq!(march.len(), 1);
        assert_eq!(march[0].id, ids[1]);
        assert_eq!(
            source
                .find(&db, &query("", None, None, 1))
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            source
                .get(&db, &ids[0])
                .await
                .unwrap()
                .unwrap()
                .date
                .as_deref(),
            Some("2026-09-01")
        );
    })
    .await;
}
