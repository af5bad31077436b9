//! Start-up adoption of the core's working groups (design §2.3): a profile and memberships for
//! every group without one, in one go; a second run adds nothing.

use sqlx::Row;
use steden_werkgroepen::store::adoption::{adopt_core_groups, Adopted};

use crate::common::{count, each_wg_db, person};

#[tokio::test]
async fn core_groups_are_adopted_once_with_their_members() {
    each_wg_db(|w| async move {
        let db = &w.db;
        // A second group with a Gent member, an Antwerpen member and a Kenniscentrum staff
        // member (who represents no city); a third group without members.
        let mut conn = db.pool().acquire().await.unwrap();
        let europe = steden_core::working_group::ensure(&mut conn, "europa", "Reflectiegroep Europa")
            .await
            .unwrap();
        steden_core::working_group::ensure(&mut conn, "leeg", "Werkgroep zonder leden")
            .await
            .unwrap();
        for member in [&w.gent_member.id, &w.antwerpen_member.id, &w.staff.id] {
            steden_core::working_group::add_member(&mut conn, &europe, member)
                .await
                .unwrap();
        }
        drop(conn);

        let first = adopt_core_groups(db).await.unwrap();
        assert_eq!(
            first,
            Adopted {
                groups: 3,
                memberships: 4
            }
        );

        let profile = sqlx::query(
            "SELECT kind, visibility, cadence, default_start, archived_at FROM wg_groups
             WHERE group_id = $1",
        )
        .bind(&w.gdpr_group)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(profile.get::<String, _>("kind"), "werkgroep");
        assert_eq!(profile.get::<String, _>("visibility"), "verborgen");
        assert_eq!(profile.get::<String, _>("cadence"), "op_afroep");
        assert_eq!(profile.get::<String, _>("default_start"), "14:00");
        assert_eq!(profile.get::<Option<i64>, _>("archived_at"), None);

        let core_joined: i64 = sqlx::query_scalar(
            "SELECT created_at FROM working_group_members WHERE group_id = $1 AND user_id = $2",
        )
        .bind(&w.gdpr_group)
        .bind(&w.gent_member.id)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let membership = sqlx::query(
            "SELECT role, status, organisation_id, joined_at, left_at FROM wg_memberships
             WHERE group_id = $1 AND user_id = $2",
        )
        .bind(&w.gdpr_group)
        .bind(&w.gent_member.id)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(membership.get::<String, _>("role"), "lid");
        assert_eq!(membership.get::<String, _>("status"), "actief");
        assert_eq!(
            membership.get::<Option<String>, _>("organisation_id"),
            Some(w.gent.clone())
        );
        assert_eq!(membership.get::<Option<i64>, _>("joined_at"), Some(core_joined));
        assert_eq!(membership.get::<Option<i64>, _>("left_at"), None);

        let represents: Vec<(String, Option<String>)> = sqlx::query(
            "SELECT user_id, organisation_id FROM wg_memberships WHERE group_id = $1",
        )
        .bind(&europe)
        .fetch_all(db.pool())
        .await
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
        assert_eq!(represents.len(), 3);
        for (user, org) in represents {
            let expected = if user == w.antwerpen_member.id {
                Some(w.antwerpen.clone())
            } else if user == w.gent_member.id {
                Some(w.gent.clone())
            } else {
                None
            };
            assert_eq!(org, expected, "organisation represented by {user}");
        }
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'werkgroep' AND action = 'adopt'").await,
            3
        );

        // Again: nothing to do, nothing written.
        let second = adopt_core_groups(db).await.unwrap();
        assert_eq!(second, Adopted::default());
        assert_eq!(count(db, "SELECT COUNT(*) FROM wg_groups").await, 3);
        assert_eq!(count(db, "SELECT COUNT(*) FROM wg_memberships").await, 4);
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'werkgroep'").await,
            3
        );

        // A group made later is adopted on the next run; the others keep what they have.
        sqlx::query("UPDATE wg_groups SET visibility = 'publiek' WHERE group_id = $1")
            .bind(&w.gdpr_group)
            .execute(db.pool())
            .await
            .unwrap();
        let newcomer = person(
            db,
            "nieuw@gent.test",
            "Nina Nieuw",
            &w.gent,
            steden_core::role::Role::Lid,
        )
        .await;
        let mut conn = db.pool().acquire().await.unwrap();
        let later = steden_core::working_group::ensure(&mut conn, "later", "Werkgroep Later")
            .await
            .unwrap();
        steden_core::working_group::add_member(&mut conn, &later, &newcomer.id)
            .await
            .unwrap();
        drop(conn);
        let third = adopt_core_groups(db).await.unwrap();
        assert_eq!(
            third,
            Adopted {
                groups: 1,
                memberships: 1
            }
        );
        let visibility: String =
            sqlx::query_scalar("SELECT visibility FROM wg_groups WHERE group_id = $1")
                .bind(&w.gdpr_group)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(visibility, "publiek");
    })
    .await;
}

#[tokio::test]
async fn the_seeded_agenda_template_has_three_parts() {
    each_wg_db(|w| async move {
        let parts: String = sqlx::query_scalar(
            "SELECT parts FROM wg_agenda_templates WHERE id = 'reflectiegroep-europa'",
        )
        .fetch_one(w.db.pool())
        .await
        .unwrap();
        let parts: serde_json::Value = serde_json::from_str(&parts).unwrap();
        let titles: Vec<&str> = parts
            .as_array()
            .unwrap()
            .iter()
            .map(|part| part["title"].as_str().unwrap())
            .collect();
        assert_eq!(
            titles,
            [
                "Nieuws uit de steden en de VGC",
                "Thema in de diepte",
                "Ruggenspraak over een urgent thema"
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn two_servers_starting_together_adopt_each_group_once() {
    each_wg_db(|w| async move {
        let db = &w.db;
        let mut conn = db.pool().acquire().await.unwrap();
        let europe =
            steden_core::working_group::ensure(&mut conn, "europa", "Reflectiegroep Europa")
                .await
                .unwrap();
        steden_core::working_group::add_member(&mut conn, &europe, &w.antwerpen_member.id)
            .await
            .unwrap();
        drop(conn);
        // Both may read "no profile yet"; the insert that loses waits for the other's commit
        // and then adds nothing (ON CONFLICT DO NOTHING), members included.
        let (one, other) = tokio::join!(adopt_core_groups(db), adopt_core_groups(db));
        let (one, other) = (one.unwrap(), other.unwrap());
        assert_eq!(one.groups + other.groups, 2, "{one:?} {other:?}");
        assert_eq!(one.memberships + other.memberships, 2, "{one:?} {other:?}");
        assert_eq!(count(db, "SELECT COUNT(*) FROM wg_groups").await, 2);
        assert_eq!(count(db, "SELECT COUNT(*) FROM wg_memberships").await, 2);
    })
    .await;
}
