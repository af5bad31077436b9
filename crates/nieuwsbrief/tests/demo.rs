//! The module's demo content (issue 14 point 9): generated subscribers at example.org with their
//! consent history, the LinkedIn planner's weeks, loaded once.

use steden_core::role::Role;
use steden_nieuwsbrief::linkedin::{IsoWeek, PostStatus};
use steden_nieuwsbrief::store::linkedin;
use steden_nieuwsbrief::NieuwsbriefModule;
use steden_testkit::people::person;
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
