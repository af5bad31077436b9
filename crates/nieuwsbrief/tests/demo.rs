//! The module's demo content (issue 14 point 9): generated subscribers at example.org with their
//! consent history, the LinkedIn planner's weeks, loaded once; and the two campaigns of the
//! last two months, built from the other modules' demo content and sent through the real path
//! into the data directory's `mail/` (no SMTP server: the platform's default), with this
//! month's as a concept.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use steden_core::audit::AuditActor;
use steden_core::role::Role;
use steden_db::jobs::{Registry, WorkerOptions, WorkerPool};
use steden_db::Db;
use steden_nieuwsbrief::linkedin::{IsoWeek, PostStatus};
use steden_nieuwsbrief::model::CampaignStatus;
use steden_nieuwsbrief::store::campaigns::{self, Campaign};
use steden_nieuwsbrief::store::linkedin;
use steden_nieuwsbrief::NieuwsbriefModule;
use steden_testkit::people::person;
use steden_testkit::smtp::{header, parse_message, parse_mime};
use steden_web::app::{AppState, Config};
use steden_web::{DemoUser, Module};

use crate::common::{count, each_nb_db};

#[tokio::test]
async fn the_demo_has_fake_subscribers_and_linkedin_weeks_once() {
    each_nb_db(|db| async move {
        steden_core::org::seed_defaults(&db).await.unwrap();
        let kenniscentrum = steden_nieuwsbrief::access::kenniscentrum_id(&db)
            .await
            .unwrap();
        let editor = person(
            &db,
            "medewerker@demo.stedenplatform.be",
            "Demo Medewerker",
            &kenniscentrum,
            Role::Redacteur,
        )
        .await;
        let users = [DemoUser {
            id: editor.id.clone(),
            email: editor.email.clone(),
            name: editor.name.clone(),
            organisations: vec!["kenniscentrum".into()],
        }];
        for _ in 0..2 {
            NieuwsbriefModule.seed_demo(&db, &users).await.unwrap();
        }
        assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_subscribers").await, 400);
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM nb_subscribers WHERE email NOT LIKE '%@example.org'"
            )
            .await,
            0
        );
        let confirmed = count(
            &db,
            "SELECT COUNT(*) FROM nb_subscribers WHERE status = 'bevestigd'",
        )
        .await;
        let confirmations = count(
            &db,
            "SELECT COUNT(DISTINCT subscriber_id) FROM nb_consents WHERE kind = 'bevestiging'",
        )
        .await;
        assert!(confirmed > 250, "{confirmed}");
        assert!(
            confirmations >= confirmed,
            "every confirmed one has its record"
        );
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM mail_outbox").await,
            0,
            "the demo mails no one"
        );

        let this_week = IsoWeek::current();
        let posts = linkedin::in_weeks(db.pool(), this_week.plus(-15), this_week.plus(1))
            .await
            .unwrap();
        assert_eq!(posts.len(), 15, "seventeen weeks, two of them empty");
        let weeks: std::collections::HashSet<_> = posts.iter().map(|p| p.week).collect();
        assert_eq!(weeks.len(), 15, "one post a week");
        assert!(posts
            .iter()
            .filter(|p| p.week < this_week)
            .all(|p| p.status == PostStatus::Gepost && p.url.is_some()));
        let next = posts.iter().find(|p| p.week == this_week.plus(1)).unwrap();
        assert_eq!(next.status, PostStatus::Concept);
        let measured = count(&db, "SELECT COUNT(DISTINCT post_id) FROM nb_linkedin_stats").await;
        assert!(measured >= 13, "{measured}");
    })
    .await;
}

/// The modules of the build up to this one, in the binary's order: the nieuwsbrief's demo
/// builds its campaigns from the others' demo content.
fn all_modules() -> Vec<Arc<dyn Module>> {
    vec![
        Arc::new(steden_plan::PlanModule),
        Arc::new(steden_kennisbank::KennisbankModule),
        Arc::new(steden_werkgroepen::WerkgroepenModule),
        Arc::new(NieuwsbriefModule),
    ]
}

/// The demo accounts the other modules' demos attribute their content to (as the binary's
/// demo makes them).
async fn demo_users(db: &Db) -> Vec<DemoUser> {
    let kenniscentrum = steden_nieuwsbrief::access::kenniscentrum_id(db)
        .await
        .unwrap();
    let gent = steden_core::org::find_by_slug(db.pool(), "gent")
        .await
        .unwrap()
        .unwrap()
        .id;
    let staff = person(
        db,
        "medewerker@demo.stedenplatform.be",
        "Demo Medewerker",
        &kenniscentrum,
        Role::Redacteur,
    )
    .await;
    let gent_editor = person(
        db,
        "redacteur.gent@demo.stedenplatform.be",
        "Demo Redacteur Gent",
        &gent,
        Role::Redacteur,
    )
    .await;
    let mut tx = db.begin().await.unwrap();
    steden_core::membership::set_role(
        &mut tx,
        &gent_editor.id,
        &kenniscentrum,
        Role::Lid,
        &AuditActor::system(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    [
        (staff, vec!["kenniscentrum".to_string()]),
        (gent_editor, vec!["gent".into(), "kenniscentrum".into()]),
    ]
    .into_iter()
    .map(|(p, organisations)| DemoUser {
        id: p.id,
        email: p.email,
        name: p.name,
        organisations,
    })
    .collect()
}

/// One demo start as the binary does it: every module's demo seed in order, then the
/// nieuwsbrief's start (which makes the campaigns the seed asked for), then the job queue runs
/// the send jobs until none is left. The mails go where a server without `SMTP_URL` puts them:
/// `<data dir>/mail/`.
async fn demo_start(db: &Db, modules: &[Arc<dyn Module>], users: &[DemoUser], data_dir: &Path) {
    for module in modules {
        module.seed_demo(db, users).await.unwrap();
    }
    let secret = steden_core::settings::secret(db, "csrf_secret")
        .await
        .unwrap()
        .into_bytes();
    let config = Config::local(data_dir.to_path_buf(), 8080);
    assert_eq!(
        config.smtp_url, None,
        "the platform's default: no SMTP server"
    );
    let state = AppState::new(db.clone(), config, modules, secret).unwrap();
    NieuwsbriefModule.start(&state).await.unwrap();
    let mut registry = Registry::new();
    NieuwsbriefModule.register_jobs(&mut registry, state.ports());
    let pool = WorkerPool::start_with(
        db.clone(),
        Arc::new(registry),
        WorkerOptions {
            workers: 2,
            name: "nbdemo".into(),
            poll_interval: Duration::from_millis(20),
            ..WorkerOptions::default()
        },
    );
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let active = count(
            db,
            "SELECT COUNT(*) FROM jobs WHERE kind = 'nieuwsbrief.send' AND status NOT IN ('done', 'dead')",
        )
        .await;
        if active == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the send jobs did not finish");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    pool.shutdown().await;
}

fn eml_files(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[tokio::test]
async fn the_demo_sends_two_campaigns_through_the_real_path_once_and_keeps_a_concept() {
    let migrations = steden_web::app::all_migrations(&all_modules());
    steden_db::testing::each_test_db(&migrations, |test_db| {
        let db = test_db.db.clone();
        async move {
            let modules = all_modules();
            steden_core::org::seed_defaults(&db).await.unwrap();
            let users = demo_users(&db).await;
            let data_dir = tempfile::tempdir().unwrap();
            demo_start(&db, &modules, &users, data_dir.path()).await;

            let all = campaigns_by_subject(&db).await;
            assert_eq!(all.len(), 3, "{all:?}");
            let sent: Vec<_> = all
                .iter()
                .filter(|c| c.status == CampaignStatus::Verzonden)
                .collect();
            assert_eq!(sent.len(), 2, "two sent: {all:?}");
            let concept: Vec<_> = all
                .iter()
                .filter(|c| c.status == CampaignStatus::Concept)
                .collect();
            assert_eq!(concept.len(), 1, "one concept: {all:?}");
            let [older, newer, draft] = steden_nieuwsbrief::demo::campaigns::issues(
                chrono::Utc::now()
                    .with_timezone(&chrono_tz::Europe::Brussels)
                    .date_naive(),
            );
            let subjects: Vec<&str> = all.iter().map(|c| c.subject.as_str()).collect();
            for issue in [&older, &newer] {
                let campaign = all.iter().find(|c| c.subject == issue.subject()).unwrap();
                assert_eq!(campaign.status, CampaignStatus::Verzonden, "{subjects:?}");
                assert_eq!(campaign.scheduled_at, issue.send_at, "planned in its month");
            }
            assert_eq!(concept[0].subject, draft.subject());

            // Every recipient's delivery is recorded as sent, and a mail was written for each.
            let confirmed_general = count(
                &db,
                "SELECT COUNT(*) FROM nb_subscribers s JOIN nb_subscriptions u
                   ON u.subscriber_id = s.id JOIN nb_lists l ON l.id = u.list_id
                 WHERE l.slug = 'algemeen' AND s.status = 'bevestigd' AND u.status = 'actief'",
            )
            .await;
            assert!(confirmed_general > 200, "{confirmed_general}");
            let mut deliveries = 0;
            for campaign in &sent {
                assert_eq!(campaign.recipients, confirmed_general);
                assert_eq!((campaign.sent, campaign.failed), (confirmed_general, 0));
                let of_campaign = count(
                    &db,
                    &format!(
                        "SELECT COUNT(*) FROM nb_deliveries WHERE campaign_id = '{}'",
                        campaign.id
                    ),
                )
                .await;
                let not_sent = count(
                    &db,
                    &format!(
                        "SELECT COUNT(*) FROM nb_deliveries WHERE campaign_id = '{}'
                         AND status <> 'verzonden'",
                        campaign.id
                    ),
                )
                .await;
                assert_eq!((of_campaign, not_sent), (confirmed_general, 0));
                deliveries += of_campaign;
            }
            let mail_dir = data_dir.path().join("mail");
            let files = eml_files(&mail_dir);
            assert_eq!(files.len() as i64, deliveries, "one .eml per delivery");
            let raw = std::fs::read_to_string(&files[0]).unwrap();
            let (headers, _) = parse_message(&raw);
            let subject = header(&headers, "subject");
            assert!(
                sent.iter().any(|c| c.subject == subject),
                "a demo campaign's subject: {subject}"
            );
            let unsubscribe = header(&headers, "list-unsubscribe");
            assert!(
                unsubscribe.contains("<mailto:")
                    && unsubscribe
                        .contains("<http://127.0.0.1:8080/api/v1/nieuwsbrief/unsubscribe/"),
                "{unsubscribe}"
            );
            assert_eq!(
                header(&headers, "list-unsubscribe-post"),
                "List-Unsubscribe=One-Click"
            );
            let to = header(&headers, "to");
            assert!(to.contains("@example.org"), "only the fake addresses: {to}");
            let text = parse_mime(&raw).find("text/plain").text();
            for section in ["Aankondigingen", "Kennis", "Beleid", "Internationaal"] {
                assert!(text.contains(section), "{section} in:\n{text}");
            }

            // Built from the other modules' demo content through the item port, in sections.
            for source in ["kennisbank", "nieuws", "werkgroepen", "plan"] {
                let blocks = count(
                    &db,
                    &format!("SELECT COUNT(*) FROM nb_blocks WHERE source_module = '{source}'"),
                )
                .await;
                assert!(blocks >= 3, "items of {source}: {blocks}");
            }
            let draft_id = &concept[0].id;
            let draft_sections = count(
                &db,
                &format!(
                    "SELECT COUNT(DISTINCT s.id) FROM nb_sections s JOIN nb_blocks b
                       ON b.section_id = s.id WHERE s.campaign_id = '{draft_id}'"
                ),
            )
            .await;
            assert_eq!(draft_sections, 6, "every section of the concept has blocks");
            let draft_items = count(
                &db,
                &format!(
                    "SELECT COUNT(*) FROM nb_blocks b JOIN nb_sections s ON s.id = b.section_id
                     WHERE s.campaign_id = '{draft_id}' AND b.kind = 'item'"
                ),
            )
            .await;
            assert!(draft_items >= 4, "{draft_items}");

            // Both sent campaigns were read, by people and by machines apart, opens and
            // clicks; the first sections' links are clicked more than the last ones.
            for campaign in &sent {
                let id = &campaign.id;
                for (kind, machine) in [("open", 0), ("open", 1), ("klik", 0), ("klik", 1)] {
                    let n = count(
                        &db,
                        &format!(
                            "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM nb_stat_counts WHERE campaign_id = '{id}'
                             AND kind = '{kind}' AND machine = {machine}"
                        ),
                    )
                    .await;
                    assert!(n > 0, "{kind} (machine {machine}) of {}: {n}", campaign.subject);
                }
            }
            let stats_rows = count(&db, "SELECT COUNT(*) FROM nb_stat_counts").await;

            // A second demo start sends nothing and makes nothing.
            let jobs = count(
                &db,
                "SELECT COUNT(*) FROM jobs WHERE kind = 'nieuwsbrief.send'",
            )
            .await;
            assert_eq!(jobs, 2);
            demo_start(&db, &modules, &users, data_dir.path()).await;
            assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_campaigns").await, 3);
            assert_eq!(
                count(
                    &db,
                    "SELECT COUNT(*) FROM jobs WHERE kind = 'nieuwsbrief.send'"
                )
                .await,
                jobs
            );
            assert_eq!(eml_files(&mail_dir).len() as i64, deliveries);
            assert_eq!(
                count(&db, "SELECT COUNT(*) FROM nb_deliveries").await,
                deliveries
            );
            assert_eq!(
                count(&db, "SELECT COUNT(*) FROM nb_stat_counts").await,
                stats_rows,
                "the reading is simulated once"
            );
        }
    })
    .await;
}

async fn campaigns_by_subject(db: &Db) -> Vec<Campaign> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM nb_campaigns ORDER BY subject")
        .fetch_all(db.pool())
        .await
        .unwrap();
    let mut all = Vec::new();
    for id in ids {
        all.push(campaigns::get(db.pool(), &id).await.unwrap());
    }
    all
}
