//! The facade and port a module above the plan uses to feed an indicator (the werkgroepen
//! module's group settings), on SQLite and PostgreSQL: `site::item_indicators` lists an item's
//! indicators of a published plan only, with targets and link; `ports::link_source` links in
//! the caller's transaction with the plan's own permission check and audit entry, and queues
//! the first pull there.

use crate::common;

use common::*;
use futures::future::BoxFuture;
use steden_core::error::CoreResult;
use steden_core::policy::Actor;
use steden_core::CoreError;
use steden_db::jobs::{self, JobFilter};
use steden_db::testing::each_backend;
use steden_db::Db;
use steden_plan::indicators::store::{self as indicators, IndicatorFields};
use steden_plan::ports::{
    link_source, MeasurementSource, PullPayload, SourceMeasurement, SourceSeries, PULL_JOB,
};
use steden_plan::site::{self, IndicatorTarget, LinkedSeries};
use steden_plan::store::plans;

/// A source as the werkgroepen module will provide it; the port only needs its key and label.
struct Meetings;

impl MeasurementSource for Meetings {
    fn key(&self) -> &str {
        "werkgroepen.meetings"
    }

    fn label(&self) -> &str {
        "Werkgroepen: gehouden vergaderingen"
    }

    fn series<'a>(
        &'a self,
        _db: &'a Db,
        _organisation_id: &'a str,
    ) -> BoxFuture<'a, CoreResult<Vec<SourceSeries>>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn measurements<'a>(
        &'a self,
        _db: &'a Db,
        _organisation_id: &'a str,
        _series_ref: &'a str,
    ) -> BoxFuture<'a, CoreResult<Vec<SourceMeasurement>>> {
        Box::pin(async { Ok(Vec::new()) })
    }
}

fn fields(name: &str, unit: &str, targets: &str) -> IndicatorFields {
    IndicatorFields {
        name: name.into(),
        unit: unit.into(),
        direction: "hoger".into(),
        baseline_value: "0".into(),
        baseline_date: "01/01/2026".into(),
        targets: targets.into(),
        source: String::new(),
        frequency: "jaarlijks".into(),
        definition_key: String::new(),
    }
}

async fn pull_jobs(db: &Db) -> Vec<jobs::Job> {
    let filter = JobFilter {
        kind: Some(PULL_JOB.into()),
        ..JobFilter::default()
    };
    jobs::list(db, &filter, 100, 0).await.unwrap()
}

async fn link(db: &Db, indicator_id: &str, actor: &Actor) -> CoreResult<()> {
    let mut tx = db.begin().await.unwrap();
    link_source(
        &mut tx,
        indicator_id,
        &Meetings,
        "groep:gdpr",
        "Werkgroep GDPR",
        actor,
    )
    .await?;
    tx.commit().await.unwrap();
    Ok(())
}

async fn listed(db: &Db, item_id: &str) -> Vec<site::ItemIndicator> {
    let mut conn = db.pool().acquire().await.unwrap();
    site::item_indicators(&mut conn, item_id).await.unwrap()
}

#[tokio::test]
async fn item_indicators_of_a_published_plan_and_a_link_through_the_port() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        let item = &p.ac010102;
        let mut tx = db.begin().await.unwrap();
        let meetings = indicators::create(
            &mut tx,
            &item.id,
            &fields(
                "Vergaderingen",
                "vergaderingen",
                "31/12/2027 12\n31/12/2026 6",
            ),
            &w.editor.audit(),
        )
        .await
        .unwrap();
        indicators::create(
            &mut tx,
            &item.id,
            &fields("Deelnemende steden", "", "31/12/2027 13"),
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        // Not published: the facade shows nothing of the plan.
        assert!(listed(&db, &item.id).await.is_empty());
        let mut tx = db.begin().await.unwrap();
        plans::set_publication(&mut tx, &p.plan.id, true, &[], &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let list = listed(&db, &item.id).await;
        let names: Vec<&str> = list.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["Deelnemende steden", "Vergaderingen"]);
        let counted = &list[1];
        assert_eq!(counted.id, meetings.id);
        assert_eq!(counted.unit, "vergaderingen");
        assert_eq!(
            counted.targets,
            [
                IndicatorTarget {
                    date: "2026-12-31".into(),
                    value: 6.0
                },
                IndicatorTarget {
                    date: "2027-12-31".into(),
                    value: 12.0
                },
            ]
        );
        assert_eq!(counted.linked, None);
        assert!(listed(&db, "no-such-item").await.is_empty());

        // Only the plan's editors may link: a reader of the city and another city's editor
        // are refused, and nothing is written.
        for refused in [&w.reader, &w.outsider] {
            let err = link(&db, &meetings.id, &refused.actor).await.unwrap_err();
            assert!(matches!(err, CoreError::Forbidden), "{err:?}");
        }
        let err = link(&db, "no-such-indicator", &w.editor.actor)
            .await
            .unwrap_err();
        assert!(matches!(err, CoreError::NotFound(_)), "{err:?}");
        assert!(pull_jobs(&db).await.is_empty());

        // A link in a transaction that rolls back leaves nothing either.
        let mut tx = db.begin().await.unwrap();
        link_source(
            &mut tx,
            &meetings.id,
            &Meetings,
            "groep:gdpr",
            "Werkgroep GDPR",
            &w.editor.actor,
        )
        .await
        .unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(listed(&db, &item.id).await[1].linked, None);
        assert!(pull_jobs(&db).await.is_empty());

        link(&db, &meetings.id, &w.editor.actor).await.unwrap();
        assert_eq!(
            listed(&db, &item.id).await[1].linked,
            Some(LinkedSeries {
                source_key: "werkgroepen.meetings".into(),
                series_ref: "groep:gdpr".into(),
                series_label: "Werkgroep GDPR".into(),
            })
        );
        // The first pull is queued with the link.
        let queued = pull_jobs(&db).await;
        assert_eq!(queued.len(), 1);
        let payload: PullPayload = serde_json::from_value(queued[0].payload.clone()).unwrap();
        assert_eq!(
            payload,
            PullPayload::Indicator {
                indicator_id: meetings.id.clone()
            }
        );
        // The same audit entry as the indicator page writes, in the editor's name.
        let history = steden_core::audit::history(&db, "plan_indicator", &meetings.id)
            .await
            .unwrap();
        assert_eq!(history[0].action, "link_source");
        assert_eq!(
            history[0].actor_user_id.as_deref(),
            Some(w.editor.id.as_str())
        );
        assert!(
            history[0]
                .summary
                .contains("Werkgroepen: gehouden vergaderingen — Werkgroep GDPR"),
            "{}",
            history[0].summary
        );
    })
    .await;
}
