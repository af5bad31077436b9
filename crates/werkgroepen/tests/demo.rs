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
    "wg_series",
    "wg_attendance",
    "wg_agenda_templates",
    "wg_eval_questions",
    "wg_eval_responses",
    "wg_eval_answers",
    "wg_mail_log",
    "jobs",
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
                "SELECT COUNT(*) FROM wg_events e JOIN wg_event_series s ON s.id = e.series_id
                 WHERE s.slug = 'impactmeting'"
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

/// Every group the jaarplan names (design §3.10), and GDPR.
const NAMED_GROUPS: &[&str] = &[
    "stuurgroep-obmi",
    "obmi",
    "orba",
    "gdpr",
    "datamaturiteit",
    "ptr",
    "demad",
    "reflectiegroep-europa",
    "stuurgroep-speerpunten",
    "automatische-rechtentoekenning",
    "rechtenverkenner",
    "duurzame-energie",
    "e-mobiliteit",
    "stuurgroep-smart-flanders",
    "patrimonium",
    "intervisie-digitaal",
    "stuurgroep-kenniscentrum-vo",
];

async fn seeded(w: &World) -> Vec<DemoUser> {
    let users = demo_accounts(w).await;
    steden_plan::demo::seed(&w.db, &users).await.unwrap();
    steden_werkgroepen::demo::seed(&w.db, &users).await.unwrap();
    users
}

#[tokio::test]
async fn every_named_group_has_held_meetings_with_minutes_and_coming_ones() {
    each_wg_db(|w| async move {
        let db = &w.db;
        seeded(&w).await;
        for slug in NAMED_GROUPS {
            let group = format!("(SELECT id FROM working_groups WHERE slug = '{slug}')");
            let of = |what: &str| {
                format!("SELECT COUNT(*) FROM wg_meetings WHERE group_id = {group} AND {what}")
            };
            let approved = of("status = 'gehouden' AND minutes_status = 'goedgekeurd'
                AND minutes_md <> ''");
            assert!(count(db, &approved).await >= 2, "{slug}: held with minutes");
            // Every past meeting is marked held; the coming ones are planned.
            let today = steden_werkgroepen::store::meetings::today()
                .format("%Y-%m-%d")
                .to_string();
            let unmarked = of(&format!("status = 'gepland' AND local_date < '{today}'"));
            assert_eq!(count(db, &unmarked).await, 0, "{slug}: past but not held");
            let coming = of(&format!("status = 'gepland' AND local_date >= '{today}'"));
            assert!(count(db, &coming).await >= 1, "{slug}: a coming meeting");
            let points = format!("SELECT COUNT(*) FROM wg_action_points WHERE group_id = {group}");
            assert!(count(db, &points).await >= 1, "{slug}: action points");
            let proposals = format!(
                "SELECT COUNT(*) FROM wg_agenda_items i JOIN wg_meetings m ON m.id = i.meeting_id
                 WHERE m.group_id = {group} AND i.origin = 'voorstel' AND i.status <> 'voorgesteld'"
            );
            assert!(
                count(db, &proposals).await >= 1,
                "{slug}: decided proposals"
            );
            let attended = format!(
                "SELECT COUNT(DISTINCT a.organisation_id) FROM wg_attendance a
                 JOIN wg_meetings m ON m.id = a.meeting_id
                 WHERE m.group_id = {group} AND a.status = 'aanwezig'"
            );
            assert!(count(db, &attended).await >= 3, "{slug}: cities present");
        }
        // The groups with a cadence got a series; the minutes differ from group to group.
        assert!(count(db, "SELECT COUNT(DISTINCT group_id) FROM wg_series").await >= 9);
        let minutes = "SELECT COUNT(*) FROM wg_meetings WHERE minutes_status = 'goedgekeurd'";
        let distinct = "SELECT COUNT(DISTINCT minutes_md) FROM wg_meetings
            WHERE minutes_status = 'goedgekeurd'";
        assert_eq!(count(db, minutes).await, count(db, distinct).await);
        // Action points open and done, owned by people and by cities; declined proposals.
        for (what, sql) in [
            (
                "done",
                "SELECT COUNT(*) FROM wg_action_points WHERE status = 'gedaan'",
            ),
            (
                "open",
                "SELECT COUNT(*) FROM wg_action_points WHERE status = 'open'",
            ),
            (
                "city",
                "SELECT COUNT(*) FROM wg_action_points WHERE owner_org_id IS NOT NULL",
            ),
            (
                "declined",
                "SELECT COUNT(*) FROM wg_agenda_items WHERE status = 'afgewezen'
                 AND decline_reason <> ''",
            ),
        ] {
            assert!(count(db, sql).await >= 3, "{what}");
        }
        // The Reflectiegroep Europa: its template by default, and on its next agenda first.
        let europa = "(SELECT id FROM working_groups WHERE slug = 'reflectiegroep-europa')";
        let default = format!(
            "SELECT COUNT(*) FROM wg_groups WHERE group_id = {europa}
             AND agenda_template_id = 'reflectiegroep-europa'"
        );
        assert_eq!(count(db, &default).await, 1);
        let from_template = format!(
            "SELECT COUNT(*) FROM wg_agenda_items i JOIN wg_meetings m ON m.id = i.meeting_id
             WHERE m.group_id = {europa} AND i.origin = 'sjabloon' AND i.status = 'aanvaard'"
        );
        assert_eq!(count(db, &from_template).await, 3);
        // Filed under their werkspoor of the demo jaarplan, as DEMaD.
        for slug in ["orba", "reflectiegroep-europa", "e-mobiliteit", "ptr"] {
            let filed = format!(
                "SELECT COUNT(*) FROM wg_groups g JOIN working_groups w ON w.id = g.group_id
                 WHERE w.slug = '{slug}' AND g.plan_werkspoor_id IS NOT NULL"
            );
            assert_eq!(count(db, &filed).await, 1, "{slug} filed");
        }
        // The groups' past mailed nobody: no minutes mail for their meetings. (GDPR comes
        // with the members it had before the demo: here the test world's, so it is left out.)
        let mailed = "SELECT COUNT(*) FROM wg_mail_log l JOIN wg_meetings m ON m.id = l.subject_id
            JOIN working_groups g ON g.id = m.group_id WHERE g.slug <> 'gdpr'";
        assert_eq!(count(db, mailed).await, 0);
    })
    .await;
}

#[tokio::test]
async fn the_events_of_the_jaarplan_have_registrations_waiting_lists_and_evaluations() {
    each_wg_db(|w| async move {
        let db = &w.db;
        seeded(&w).await;
        for slug in [
            "innofins",
            "mensgericht-ontwerpen",
            "risicobeheersing",
            "masterclass-renovatiebeleid",
        ] {
            let events = format!(
                "SELECT COUNT(*) FROM wg_events e JOIN wg_event_series s ON s.id = e.series_id
                 WHERE s.slug = '{slug}'"
            );
            assert!(count(db, &events).await >= 2, "{slug}");
        }
        let event = |slug: &str| format!("(SELECT id FROM wg_events WHERE slug = '{slug}')");
        // The full session: 16 seats taken, 3 waiting.
        let full = event("risicobeheersing-bedrijfscontinuiteit");
        let with = |status: &str| {
            format!("SELECT COUNT(*) FROM wg_registrations WHERE event_id = {full} AND status = '{status}'")
        };
        assert_eq!(count(db, &with("bevestigd")).await, 16);
        assert_eq!(count(db, &with("wachtlijst")).await, 3);
        // Registration questions asked and answered.
        let answered = format!(
            "SELECT COUNT(*) FROM wg_registrations WHERE event_id = {full} AND answers <> '{{}}'"
        );
        assert!(count(db, &answered).await >= 16);
        for slug in ["kbo-netwerkdag", "studiedag-smart-flanders", "masterclass-renovatie-terugkomdag-2"] {
            let open = format!(
                "SELECT COUNT(*) FROM wg_events WHERE id = {} AND status = 'gepland'
                 AND registration = 'publiek' AND questions <> '[]'",
                event(slug)
            );
            assert_eq!(count(db, &open).await, 1, "{slug}");
        }
        // Past ones took place, with attendance and evaluation answers for the charts.
        let today = steden_werkgroepen::store::meetings::today()
            .format("%Y-%m-%d")
            .to_string();
        let past = format!(
            "SELECT COUNT(*) FROM wg_events WHERE local_date < '{today}' AND status = 'gehouden'"
        );
        assert!(count(db, &past).await >= 7, "{}", count(db, &past).await);
        for slug in ["innofins-verdienmodellen", "risicobeheersing-klimaat", "masterclass-renovatie-terugkomdag-1"] {
            let id: String = sqlx::query_scalar("SELECT id FROM wg_events WHERE slug = $1")
                .bind(slug)
                .fetch_one(db.pool())
                .await
                .unwrap();
            let absent = format!(
                "SELECT COUNT(*) FROM wg_registrations WHERE event_id = '{id}' AND attended = 0"
            );
            assert!(count(db, &absent).await >= 1, "{slug}");
            let (responses, results) =
                steden_werkgroepen::store::evaluations::results(db.pool(), &id)
                    .await
                    .unwrap();
            assert!(responses >= 5, "{slug}: {responses}");
            assert!(!results.is_empty(), "{slug}");
            let scale: i64 = results.iter().flat_map(|r| r.counts.iter()).sum();
            assert!(scale >= 5, "{slug}: {scale}");
            let choices = results
                .iter()
                .find(|r| r.question.is_scale())
                .map(|r| r.counts.iter().filter(|n| **n > 0).count())
                .unwrap_or_default();
            assert!(choices >= 2, "{slug}: varied answers");
        }
    })
    .await;
}
