//! Groups and memberships in the store: creating a group (core group and profile in one
//! transaction), bad input refused with every message at once and nothing written, and the
//! life of a membership (ask, approve, refuse, leave, rejoin) with its history kept and the
//! core's access list equal to the active memberships after every step (design §2.1).

use steden_core::CoreError;
use steden_werkgroepen::model::MemberRole;
use steden_werkgroepen::store::invariant::{repair_access_lists, Repaired};
use steden_werkgroepen::store::profile::{self, ProfileFields};
use steden_werkgroepen::store::{facilitators, groups, joining, memberships};

use crate::common::{assert_access_list, count, create_group, each_wg_db, statuses};

fn messages(err: CoreError) -> Vec<(String, String)> {
    match err {
        CoreError::Invalid(errors) => errors.into_iter().map(|e| (e.field, e.message)).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[tokio::test]
async fn a_group_is_the_core_group_and_its_profile_made_together() {
    each_wg_db(|w| async move {
        let id = create_group(&w, "orba", "Werkgroep ORBA", "publiek").await;
        let mut conn = w.db.pool().acquire().await.unwrap();
        let profile = groups::find_by_slug(&mut conn, "orba")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(profile.group_id, id);
        assert_eq!(profile.name, "Werkgroep ORBA");
        assert_eq!(profile.cadence.as_str(), "zeswekelijks");
        assert_eq!(profile.visibility.as_str(), "publiek");
        let core = steden_core::working_group::get(&mut *conn, &id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(core.slug, "orba");
        let names: Vec<String> = memberships::facilitators(&mut *conn, &id)
            .await
            .unwrap()
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(names, ["Sara Staf"]);

        // Updating: name through the core, profile here, one audit entry for the profile.
        let mut fields = ProfileFields::of(&profile);
        fields.purpose = "Prioritaire thema's met de steden.".into();
        fields.default_start = "9:30".into();
        let mut tx = w.db.begin().await.unwrap();
        profile::update(
            &mut tx,
            &profile,
            "Werkgroep ORBA (2026)",
            &fields,
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let changed = groups::find(&mut conn, &id).await.unwrap().unwrap();
        assert_eq!(changed.name, "Werkgroep ORBA (2026)");
        assert_eq!(changed.purpose, "Prioritaire thema's met de steden.");
        assert_eq!(changed.default_start, "09:30");
    })
    .await;
}

#[tokio::test]
async fn bad_input_is_refused_all_at_once_and_nothing_is_written() {
    each_wg_db(|w| async move {
        let groups_before = count(&w.db, "SELECT COUNT(*) FROM working_groups").await;
        let fields = ProfileFields {
            kind: "club".into(),
            visibility: "geheim".into(),
            cadence: "wekelijks".into(),
            default_start: "16:00".into(),
            default_end: "14:00".into(),
            default_online_url: "teams".into(),
            proposal_days: "veel".into(),
            comment_days: "90".into(),
            ..ProfileFields::default()
        };
        let mut tx = w.db.begin().await.unwrap();
        let err = profile::create(&mut tx, "Mijn Groep!", "", &fields, &w.staff.audit())
            .await
            .unwrap_err();
        tx.rollback().await.unwrap();
        let found = messages(err);
        let fields_found: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        for field in [
            "slug",
            "name",
            "kind",
            "visibility",
            "cadence",
            "default_end",
            "default_online_url",
            "proposal_days",
            "comment_days",
        ] {
            assert!(fields_found.contains(&field), "{field} in {found:?}");
        }
        assert!(found.contains(&(
            "default_end".into(),
            "Het einde moet na het begin liggen.".into()
        )));

        // A reserved word and a slug already taken.
        let mut tx = w.db.begin().await.unwrap();
        let err = profile::create(
            &mut tx,
            "beheer",
            "Beheer",
            &ProfileFields::new_group(),
            &w.staff.audit(),
        )
        .await
        .unwrap_err();
        tx.rollback().await.unwrap();
        assert_eq!(messages(err)[0].0, "slug");
        let mut tx = w.db.begin().await.unwrap();
        let err = profile::create(
            &mut tx,
            "gdpr",
            "Nog een GDPR",
            &ProfileFields::new_group(),
            &w.staff.audit(),
        )
        .await
        .unwrap_err();
        tx.rollback().await.unwrap();
        assert_eq!(
            messages(err),
            [(
                "slug".to_string(),
                "Er bestaat al een werkgroep met deze korte naam.".to_string()
            )]
        );
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM working_groups").await,
            groups_before
        );
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_groups").await, 0);

        // Only Kenniscentrum staff facilitate.
        let id = create_group(&w, "ptr", "Werkgroep PTR", "publiek").await;
        let mut tx = w.db.begin().await.unwrap();
        let err = facilitators::add(
            &mut tx,
            &id,
            &w.gent_member.id,
            &w.kenniscentrum,
            &w.staff.audit(),
        )
        .await
        .unwrap_err();
        tx.rollback().await.unwrap();
        assert_eq!(messages(err)[0].0, "user_id");
    })
    .await;
}

#[tokio::test]
async fn join_approve_refuse_leave_and_rejoin_keep_history_and_the_access_list() {
    each_wg_db(|w| async move {
        let db = &w.db;
        let id = create_group(&w, "obmi", "Werkgroep OBMi", "publiek").await;
        let gent = &w.gent_member;
        let staff = w.staff.audit();

        // Ask: pending, not on the access list.
        let mut tx = db.begin().await.unwrap();
        let request = joining::request(
            &mut tx,
            &id,
            &gent.id,
            &w.gent,
            "Wij werken aan OBMi.",
            &gent.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(statuses(db, &id, &gent.id).await, ["aangevraagd"]);
        assert_access_list(db, &id).await;
        assert!(steden_core::working_group::groups_of(db.pool(), &gent.id)
            .await
            .unwrap()
            .iter()
            .all(|g| *g != id));

        // Asking twice is refused with a message; without motivation too.
        let mut tx = db.begin().await.unwrap();
        let err = joining::request(&mut tx, &id, &gent.id, &w.gent, "Nog eens.", &gent.audit())
            .await
            .unwrap_err();
        tx.rollback().await.unwrap();
        assert_eq!(messages(err)[0].0, "motivation");

        // Approve: active, on the access list.
        let mut tx = db.begin().await.unwrap();
        joining::approve(&mut tx, &id, &request, "lid", &w.staff.id, &staff)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(statuses(db, &id, &gent.id).await, ["actief"]);
        assert_access_list(db, &id).await;
        assert!(steden_core::working_group::groups_of(db.pool(), &gent.id)
            .await
            .unwrap()
            .contains(&id));

        // Leave: the row is closed and kept; off the access list.
        let mut tx = db.begin().await.unwrap();
        joining::leave(&mut tx, &id, &gent.id, &gent.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(statuses(db, &id, &gent.id).await, ["vertrokken"]);
        assert_access_list(db, &id).await;
        let left_at: Option<i64> =
            sqlx::query_scalar("SELECT left_at FROM wg_memberships WHERE id = $1")
                .bind(&request)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert!(left_at.is_some());

        // Rejoin: a new row; refused without a reason, then refused with one.
        let mut tx = db.begin().await.unwrap();
        let second = joining::request(
            &mut tx,
            &id,
            &gent.id,
            &w.gent,
            "Terug van weggeweest.",
            &gent.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let mut tx = db.begin().await.unwrap();
        let err = joining::refuse(&mut tx, &id, &second, "  ", &w.staff.id, &staff)
            .await
            .unwrap_err();
        tx.rollback().await.unwrap();
        assert_eq!(
            messages(err),
            [(
                "reason".to_string(),
                "Geef een reden op; wie de aanvraag deed, krijgt ze te lezen.".to_string()
            )]
        );
        assert_eq!(
            statuses(db, &id, &gent.id).await,
            ["vertrokken", "aangevraagd"]
        );
        let mut tx = db.begin().await.unwrap();
        joining::refuse(
            &mut tx,
            &id,
            &second,
            "De groep is vol.",
            &w.staff.id,
            &staff,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            statuses(db, &id, &gent.id).await,
            ["vertrokken", "geweigerd"]
        );
        assert_access_list(db, &id).await;

        // A decided request cannot be decided again.
        let mut tx = db.begin().await.unwrap();
        assert!(matches!(
            joining::approve(&mut tx, &id, &second, "lid", &w.staff.id, &staff).await,
            Err(CoreError::Conflict(_))
        ));
        tx.rollback().await.unwrap();

        // Third time: approved as guest, who is not on the access list (design §2.1).
        let mut tx = db.begin().await.unwrap();
        let third = joining::request(
            &mut tx,
            &id,
            &gent.id,
            &w.gent,
            "Als gast dan.",
            &gent.audit(),
        )
        .await
        .unwrap();
        joining::approve(&mut tx, &id, &third, "gast", &w.staff.id, &staff)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            statuses(db, &id, &gent.id).await,
            ["vertrokken", "geweigerd", "actief"]
        );
        assert_access_list(db, &id).await;
        assert!(memberships::access_list(db.pool(), &id)
            .await
            .unwrap()
            .is_empty());

        // A member added directly as voorzitter is on the list.
        let mut tx = db.begin().await.unwrap();
        joining::add(
            &mut tx,
            &id,
            &w.antwerpen_member.id,
            Some(&w.antwerpen),
            MemberRole::Voorzitter,
            &staff,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_access_list(db, &id).await;
        assert_eq!(memberships::history(db.pool(), &id).await.unwrap().len(), 4);
    })
    .await;
}

#[tokio::test]
async fn the_start_up_repair_makes_the_core_list_follow_the_memberships() {
    each_wg_db(|w| async move {
        let db = &w.db;
        let id = create_group(&w, "demad", "DEMaD-werkgroep", "verborgen").await;
        let mut tx = db.begin().await.unwrap();
        joining::add(
            &mut tx,
            &id,
            &w.gent_member.id,
            Some(&w.gent),
            MemberRole::Lid,
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        // Someone writes the core's list directly: one member too many, one missing.
        let mut conn = db.pool().acquire().await.unwrap();
        steden_core::working_group::add_member(&mut conn, &id, &w.antwerpen_member.id)
            .await
            .unwrap();
        drop(conn);
        sqlx::query("DELETE FROM working_group_members WHERE group_id = $1 AND user_id = $2")
            .bind(&id)
            .bind(&w.gent_member.id)
            .execute(db.pool())
            .await
            .unwrap();

        assert_eq!(
            repair_access_lists(db).await.unwrap(),
            Repaired {
                added: 1,
                removed: 1
            }
        );
        assert_access_list(db, &id).await;
        assert_eq!(repair_access_lists(db).await.unwrap(), Repaired::default());
    })
    .await;
}
