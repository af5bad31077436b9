//! The demo content: public groups with a facilitator and a member, the Kennisbank demo's GDPR
//! group adopted and made public; a second run adds nothing.

use steden_web::DemoUser;

use crate::common::{assert_access_list, count, each_wg_db, person};

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
        // Three groups of the jaarplan and the GDPR group of the world.
        assert_eq!(counts[0], 4);
        assert_eq!(
            count(
                db,
                "SELECT COUNT(*) FROM wg_groups WHERE visibility = 'publiek'"
            )
            .await,
            4
        );
        assert_eq!(counts[2], 4);
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
