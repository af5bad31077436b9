//! The demo content (design §3.10): the jaarplan's groups with a facilitator and a member, the
//! Kennisbank demo's GDPR group adopted and made public, the impact-measurement series with a
//! full basic course and its waiting list; after the plan demo, the DEMaD group's three
//! meetings of 2025 make the demo jaarplan's indicator read 3 of 3; a second run adds nothing.

use steden_web::DemoUser;

use crate::common::{assert_access_list, count, each_wg_app, each_wg_db, person, World};

#[tokio::test]
async fn the_demo_groups_are_seeded_once() {
    each_wg_db(|w| async move {
        let db = &w.db;
        let medewerker = person(
            db,
            "medewerker@demo.test",
            "Demo Medewerker",
            &w.kenniscentrum,
            steden_core::role::Role::Redacteur,
        )
        .await;
        let gent = person(
            db,
            "redacteur.gent@demo.test",
            "Demo Redacteur Gent",
            &w.gent,
            steden_core::role::Role::Redacteur,
        )
        .await;
        let users: Vec<DemoUser> = [&medewerker, &gent]
            .iter()
            .map(|p| DemoUser {
                id: p.id.clone(),
                email: p.email.clone(),
                name: p.name.clone(),
                organisations: Vec::new(),
            })
            .collect();
        steden_werkgroepen::demo::seed(db, &users).await.unwrap();
        let counts = [
            count(db, "SELECT COUNT(*) FROM wg_groups").await,
            count(db, "SELECT COUNT(*) FROM wg_memberships").await,
            count(db, "SELECT COUNT(*) FROM wg_facilitators").await,
        ];
        // Sixteen groups of the jaarplan and the GDPR group of the world.
        assert_eq!(counts[0], 17);
        assert_eq!(
            count(
                db,
                "SELECT COUNT(*) FROM wg_groups WHERE visibility = 'publiek'"
            )
            .await,
            17
        );
        assert_eq!(counts[2], 17);
        steden_werkgroepen::demo::seed(db, &users).await.unwrap();
        assert_eq!(
            [
                count(db, "SELECT COUNT(*) FROM wg_groups").await,
                count(db, "SELECT COUNT(*) FROM wg_memberships").await,
                count(db, "SELECT COUNT(*) FROM wg_facilitators").await,
            ],
            counts
        );
        let ids: Vec<String> = sqlx::query_scalar("SELECT group_id FROM wg_groups")
            .fetch_all(db.pool())
            .await
            .unwrap();
        for id in ids {
            assert_access_list(db, &id).await;
        }
    })
    .await;
}

fn demo_users(people: &[&crate::common::Person]) -> Vec<DemoUser> {
    people
        .iter()
        .map(|p| DemoUser {
            id: p.id.clone(),
            email: p.email.clone(),
            name: p.name.clone(),
            organisations: Vec::new(),
        })
        .collect()
}

async fn demo_accounts(w: &World) -> Vec<DemoUser> {
    let medewerker = person(
        &w.db,
        "medewerker@demo.test",
        "Demo Medewerker",
        &w.kenniscentrum,
        steden_core::role::Role::Redacteur,
    )
    .await;
    let gent = person(
        &w.db,
        "redacteur.gent@demo.test",
        "Demo Redacteur Gent",
        &w.gent,
        steden_core::role::Role::Redacteur,
    )
    .await;
    demo_users(&[&medewerker, &gent])
}

const TABLES: &[&str] = &[
    "wg_groups",
    "wg_decisions",
    "wg_action_points",
    "wg_agenda_items",
    "mail_outbox",
    "wg_memberships",
    "wg_facilitators",
    "wg_meetings",
    "wg_event_series",
    "wg_events",
    "wg_registrations",
    "plan_indicator_sources",
    "plan_indicators",
    "audit_log",
];

async fn table_counts(db: &steden_db::Db) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push(count(db, &format!("SELECT COUNT(*) FROM {table}")).await);
    }
    counts
}

#[tokio::test]
async fn after_the_plan_demo_the_demad_indicator_reads_three_meetings_held() {
    each_wg_app(|app, w| async move {
        let db = &w.db;
        let users = demo_accounts(&w).await;
        steden_plan::demo::seed(db, &users).await.unwrap();
        steden_werkgroepen::demo::seed(db, &users).await.unwrap();
        let first = table_counts(db).await;
        steden_werkgroepen::demo::seed(db, &users).await.unwrap();
        assert_eq!(table_counts(db).await, first, "{TABLES:?}");

        // Members of many cities, about six in every group.
        let cities =
            "SELECT COUNT(DISTINCT organisation_id) FROM wg_memberships WHERE status = 'actief'";
        assert!(count(db, cities).await >= 12, "{}", count(db, cities).await);
        let emptiest = "SELECT MIN(n) FROM (SELECT COUNT(*) AS n FROM wg_memberships
            WHERE status = 'actief' GROUP BY group_id) per_group";
        assert!(count(db, emptiest).await >= 5);

        // GDPR and OBMi: three held meetings with approved minutes, a decision and an action
        // point each; two coming ones, the first with an accepted and a declined proposal.
        for slug in ["gdpr", "obmi"] {
            let group = format!("(SELECT id FROM working_groups WHERE slug = '{slug}')");
            let approved = format!(
                "SELECT COUNT(*) FROM wg_meetings WHERE group_id = {group}
                 AND status = 'gehouden' AND minutes_status = 'goedgekeurd'"
            );
            assert_eq!(count(db, &approved).await, 3, "{slug}");
            let planned = format!(
                "SELECT COUNT(*) FROM wg_meetings WHERE group_id = {group} AND status = 'gepland'"
            );
            assert_eq!(count(db, &planned).await, 2, "{slug}");
            let points = format!("SELECT COUNT(*) FROM wg_action_points WHERE group_id = {group}");
            assert_eq!(count(db, &points).await, 3, "{slug}");
            let declined = format!(
                "SELECT COUNT(*) FROM wg_agenda_items i JOIN wg_meetings m ON m.id = i.meeting_id
                 WHERE m.group_id = {group} AND i.status = 'afgewezen' AND i.decline_reason <> ''"
            );
            assert_eq!(count(db, &declined).await, 1, "{slug}");
        }
        let gent_editor = &users[1].id;
        let open_points =
            steden_werkgroepen::store::action_points::open_for_person(db.pool(), gent_editor)
                .await
                .unwrap();
        assert_eq!(open_points.len(), 2, "one in GDPR, one in OBMi");

        // The full basic course: 20 confirmed, 3 waiting with numbers 1..3.
        let basic: String = sqlx::query_scalar(
            "SELECT id FROM wg_events WHERE slug = 'impactmeting-basisopleiding'",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        let statuses = format!(
            "SELECT COUNT(*) FROM wg_registrations WHERE event_id = '{basic}' AND status = "
        );
        assert_eq!(count(db, &format!("{statuses}'bevestigd'")).await, 20);
        assert_eq!(count(db, &format!("{statuses}'wachtlijst'")).await, 3);
        assert_eq!(
            count(
                db,
                "SELECT COUNT(*) FROM wg_events WHERE series_id IS NOT NULL"
            )
            .await,
            9
        );

        // DEMaD: filed under its werkspoor, three meetings held in 2025, the indicator linked.
        let mut conn = db.pool().acquire().await.unwrap();
        let demad = steden_werkgroepen::store::groups::find_by_slug(&mut conn, "demad")
            .await
            .unwrap()
            .unwrap();
        drop(conn);
        assert!(
            demad.werkspoor_title.contains("DEMaD"),
            "{}",
            demad.werkspoor_title
        );
        let held = format!(
            "SELECT COUNT(*) FROM wg_meetings WHERE group_id = '{}' AND status = 'gehouden'
             AND local_date LIKE '2025-%'",
            demad.group_id
        );
        assert_eq!(count(db, &held).await, 3);
        let (indicator, series): (String, String) = sqlx::query_as(
            "SELECT s.indicator_id, s.series_ref FROM plan_indicator_sources s
             JOIN plan_indicators i ON i.id = s.indicator_id WHERE i.name = $1",
        )
        .bind(steden_plan::demo::DEMAD_INDICATOR)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(series, format!("groep:{}", demad.group_id));
        // What the queued pull does once the worker runs it.
        steden_plan::indicators::pull::pull(db, app.state.ports(), &indicator)
            .await
            .unwrap();
        let values: Vec<f64> = sqlx::query_scalar(
            "SELECT value FROM plan_measurements WHERE indicator_id = $1 ORDER BY measured_on",
        )
        .bind(&indicator)
        .fetch_all(db.pool())
        .await
        .unwrap();
        assert_eq!(values, [1.0, 2.0, 3.0]);
        let target: f64 =
            sqlx::query_scalar("SELECT value FROM plan_indicator_targets WHERE indicator_id = $1")
                .bind(&indicator)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(target, 3.0, "3 of 3");
    })
    .await;
}
