//! A group filed under the Kenniscentrum's plan: the settings offer the programmes and
//! werksporen of the published plans; choosing a werkspoor stores it with its programme (ids
//! and titles); anything else is refused in Dutch and nothing is written. An indicator of that
//! werkspoor then counts the group's held meetings through the plan's measurement-source port.

use steden_plan::indicators::fields::IndicatorFields;
use steden_plan::model::PublishedField;
use steden_plan::ports::{MeasurementSource, PULL_JOB};
use steden_plan::store::indicators;
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

/// The indicator "Bijeenkomsten gehouden" (target 3 in 2025) on item `item_id`.
async fn meetings_indicator(w: &World, item_id: &str) -> String {
    let mut tx = w.db.begin().await.unwrap();
    let indicator = indicators::create(
        &mut tx,
        item_id,
        &IndicatorFields {
            name: "Bijeenkomsten gehouden".into(),
            unit: "bijeenkomsten".into(),
            direction: "hoger".into(),
            baseline_value: "0".into(),
            baseline_date: "01/01/2025".into(),
            targets: "31/12/2025 3".into(),
            source: String::new(),
            frequency: "jaarlijks".into(),
            definition_key: String::new(),
        },
        &w.staff.audit(),
    )
    .await
    .unwrap()
    .id;
    tx.commit().await.unwrap();
    indicator
}

/// The indicator's measurements as (date, value, comment), by date.
async fn measurements(w: &World, indicator_id: &str) -> Vec<(String, f64, String)> {
    use sqlx::Row;
    sqlx::query(
        "SELECT measured_on, value, comment FROM plan_measurements
         WHERE indicator_id = $1 ORDER BY measured_on",
    )
    .bind(indicator_id)
    .fetch_all(w.db.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get("measured_on"), r.get("value"), r.get("comment")))
    .collect()
}

/// Queued pulls of the plan (jobs not yet run).
async fn queued_pulls(w: &World) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = $1 AND status = 'queued'")
        .bind(PULL_JOB)
        .fetch_one(w.db.pool())
        .await
        .unwrap()
}

/// Runs what the queued pulls would, and marks them done, as the worker would.
async fn pull(app: &steden_testkit::TestApp, w: &World, indicator_id: &str) {
    steden_plan::indicators::pull::pull(&w.db, app.state.ports(), indicator_id)
        .await
        .unwrap();
    sqlx::query("UPDATE jobs SET status = 'done' WHERE kind = $1")
        .bind(PULL_JOB)
        .execute(w.db.pool())
        .await
        .unwrap();
}

async fn meeting_on(w: &World, date: &str) -> String {
    sqlx::query_scalar("SELECT id FROM wg_meetings WHERE local_date = $1")
        .bind(date)
        .fetch_one(w.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn held_meetings_are_the_measurements_of_the_linked_indicator() {
    each_wg_app(|app, w| async move {
        let group_id = create_group(&w, "gdpr-groep", "Werkgroep GDPR", "publiek").await;
        let werkspoor = plan(&w, true).await;
        let indicator = meetings_indicator(&w, &werkspoor).await;
        let staff = client_of(&app, &w.staff).await;
        let page = "/werkgroepen/gdpr-groep/instellingen/indicator";
        let (status, html) = get_as(&app, &staff, page).await;
        assert_eq!(status, 200);
        assert!(
            html.contains("nog niet gekoppeld aan een programma of werkspoor"),
            "{html}"
        );
        // Not filed under the werkspoor yet: the source offers the group to nobody.
        let source = steden_werkgroepen::plan_source::MeetingsHeld;
        assert!(source
            .series(&w.db, &w.kenniscentrum)
            .await
            .unwrap()
            .is_empty());

        let (status, _) = post_as(
            &app,
            &staff,
            "/werkgroepen/gdpr-groep/instellingen",
            "/werkgroepen/gdpr-groep/instellingen/koppeling",
            &[("plan_item_id", &werkspoor)],
        )
        .await;
        assert_eq!(status, 303);
        let offered = source.series(&w.db, &w.kenniscentrum).await.unwrap();
        assert_eq!(
            offered
                .iter()
                .map(|s| s.series_ref.as_str())
                .collect::<Vec<_>>(),
            [format!("groep:{group_id}")]
        );
        // Only to the organisation whose plan it is filed under.
        assert!(source.series(&w.db, &w.gent).await.unwrap().is_empty());
        let (_, html) = get_as(&app, &staff, page).await;
        assert!(
            html.contains("Bijeenkomsten gehouden") && html.contains("3 op 2025-12-31"),
            "{html}"
        );
        assert!(html.contains("Met de hand ingevuld"), "{html}");

        // A member does not run the group: not their page.
        let member = client_of(&app, &w.gent_member).await;
        let (status, _) = get_as(&app, &member, page).await;
        assert_eq!(status, 403);
        // An indicator of another item is refused, and nothing is linked.
        let (status, html) = post_as(
            &app,
            &staff,
            page,
            page,
            &[("indicator_id", "niet-van-ons")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            html.contains("Kies een indicator van het werkspoor van deze werkgroep."),
            "{html}"
        );
        let links: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plan_indicator_sources")
            .fetch_one(w.db.pool())
            .await
            .unwrap();
        assert_eq!(links, 0);

        let (status, _) = post_as(&app, &staff, page, page, &[("indicator_id", &indicator)]).await;
        assert_eq!(status, 303);
        let (_, html) = get_as(&app, &staff, page).await;
        assert!(
            html.contains("De vergaderingen van deze werkgroep"),
            "{html}"
        );
        assert_eq!(queued_pulls(&w).await, 1, "linking queues the first pull");
        pull(&app, &w, &indicator).await;
        assert!(measurements(&w, &indicator).await.is_empty());

        // Recording meetings held: a date to come is refused and writes nothing.
        let record = "/werkgroepen/gdpr-groep/vergaderingen/registreren";
        let fields = |date: &'static str| {
            vec![
                ("title", "Werkgroep GDPR"),
                ("local_date", date),
                ("local_start", "14:00"),
                ("local_end", "16:00"),
                ("place", "Brussel"),
            ]
        };
        let (status, html) = post_as(&app, &staff, record, record, &fields("2099-01-05")).await;
        assert_eq!(status, 422);
        assert!(html.contains("Deze datum ligt in de toekomst."), "{html}");
        assert_eq!(
            crate::common::count(&w.db, "SELECT COUNT(*) FROM wg_meetings").await,
            0
        );
        assert_eq!(queued_pulls(&w).await, 0);
        for date in ["2025-03-12", "2025-06-04", "2025-10-01"] {
            let (status, _) = post_as(&app, &staff, record, record, &fields(date)).await;
            assert_eq!(status, 303, "{date}");
        }
        // Each recording told the plan in its own transaction.
        assert_eq!(queued_pulls(&w).await, 3);
        pull(&app, &w, &indicator).await;
        assert_eq!(
            measurements(&w, &indicator).await,
            [
                (
                    "2025-03-12".into(),
                    1.0,
                    "Vergadering 12/03/2025: Werkgroep GDPR".into()
                ),
                (
                    "2025-06-04".into(),
                    2.0,
                    "Vergadering 04/06/2025: Werkgroep GDPR".into()
                ),
                (
                    "2025-10-01".into(),
                    3.0,
                    "Vergadering 01/10/2025: Werkgroep GDPR".into()
                ),
            ]
        );

        // Marked not held: the counts at that date and after are put right.
        let june = meeting_on(&w, "2025-06-04").await;
        let meeting_page = format!("/werkgroepen/gdpr-groep/vergaderingen/{june}");
        let (status, _) = post_as(
            &app,
            &staff,
            &meeting_page,
            &format!("{meeting_page}/niet-gehouden"),
            &[],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(queued_pulls(&w).await, 1);
        pull(&app, &w, &indicator).await;
        let after = measurements(&w, &indicator).await;
        assert_eq!(
            after
                .iter()
                .map(|(d, v, _)| (d.as_str(), *v))
                .collect::<Vec<_>>(),
            [
                ("2025-03-12", 1.0),
                ("2025-06-04", 1.0),
                ("2025-10-01", 2.0)
            ]
        );
        assert_eq!(
            after[1].2,
            "Vergadering 04/06/2025: Werkgroep GDPR (niet gehouden)"
        );
    })
    .await;
}

#[tokio::test]
async fn events_that_took_place_count_for_their_series() {
    use std::collections::BTreeMap;

    use steden_werkgroepen::store::registrations::{self, Registrant};
    use steden_werkgroepen::store::{attendance, events};

    each_wg_app(|app, w| async move {
        let werkspoor = plan(&w, true).await;
        let indicator = meetings_indicator(&w, &werkspoor).await;
        let mut tx = w.db.begin().await.unwrap();
        let series_id = events::create_series(
            &mut tx,
            "impactmeting",
            "Reeks impactmeting",
            "",
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        // The series is the Kenniscentrum's: offered to its plans, not to a city's.
        let source = steden_werkgroepen::plan_source::MeetingsHeld;
        let series_ref = format!("reeks:{series_id}");
        let offered = source.series(&w.db, &w.kenniscentrum).await.unwrap();
        assert!(
            offered.iter().any(|s| s.series_ref == series_ref),
            "{offered:?}"
        );
        assert!(source.series(&w.db, &w.gent).await.unwrap().is_empty());
        let staff = crate::common::staff_actor(&w);
        let mut tx = w.db.begin().await.unwrap();
        steden_plan::ports::link_source(&mut tx, &indicator, &source, &series_ref, "Reeks", &staff)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        pull(&app, &w, &indicator).await;
        assert!(measurements(&w, &indicator).await.is_empty());

        // Two courses of the series, one participant each.
        let mut ids = Vec::new();
        for (slug, date) in [("basis", "2055-03-10"), ("verdieping", "2055-05-12")] {
            let mut fields = crate::registrations::event_fields(slug, "10");
            fields.series_id = series_id.clone();
            fields.local_date = date.into();
            fields.questions = String::new();
            let event = crate::registrations::create_event(&w, &fields).await;
            let answers = BTreeMap::from([
                ("name".to_string(), "Zoë".to_string()),
                ("email".to_string(), format!("zoe@{slug}.be")),
            ]);
            let mut tx = w.db.begin().await.unwrap();
            let registered = registrations::register(
                &mut tx,
                &event,
                &Registrant::Anonymous,
                &answers,
                "http://steden.test",
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            ids.push((event, registered.id));
        }
        // Attendance recorded with someone present: the event took place, the plan hears of it.
        for (event, registration) in &ids {
            let mut tx = w.db.begin().await.unwrap();
            attendance::record(
                &mut tx,
                event,
                std::slice::from_ref(registration),
                &w.staff.audit(),
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        assert_eq!(queued_pulls(&w).await, 2);
        pull(&app, &w, &indicator).await;
        let values: Vec<(String, f64)> = measurements(&w, &indicator)
            .await
            .into_iter()
            .map(|(d, v, _)| (d, v))
            .collect();
        assert_eq!(
            values,
            [("2055-03-10".into(), 1.0), ("2055-05-12".into(), 2.0)]
        );
        // Corrected to nobody present: the second no longer counts.
        let mut tx = w.db.begin().await.unwrap();
        attendance::record(&mut tx, &ids[1].0, &[], &w.staff.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(queued_pulls(&w).await, 1);
        let status: String = sqlx::query_scalar("SELECT status FROM wg_events WHERE id = $1")
            .bind(&ids[1].0)
            .fetch_one(w.db.pool())
            .await
            .unwrap();
        assert_eq!(status, "gepland");
        pull(&app, &w, &indicator).await;
        let after = measurements(&w, &indicator).await;
        assert_eq!(
            after
                .iter()
                .map(|(d, v, _)| (d.as_str(), *v))
                .collect::<Vec<_>>(),
            [("2055-03-10", 1.0), ("2055-05-12", 1.0)]
        );
        assert!(after[1].2.ends_with("(niet gehouden)"), "{after:?}");
    })
    .await;
}
