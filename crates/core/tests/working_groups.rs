//! Working groups' write functions on both backends: every change in the caller's transaction
//! with its audit entry on the group, nothing written for refused input, repeats harmless.

use steden_core::audit::{self, AuditActor};
use steden_core::user::{self, NewUser};
use steden_core::{working_group, CoreError};
use steden_db::testing::each_backend;
use steden_db::Db;

async fn person(db: &Db, email: &str) -> String {
    let mut tx = db.begin().await.unwrap();
    let new = NewUser {
        email,
        name: "An Peeters",
        password: None,
        platform_admin: false,
    };
    let created = user::create(&mut tx, new, &AuditActor::system())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    created.id
}

fn fields(err: CoreError) -> Vec<(String, String)> {
    match err {
        CoreError::Invalid(fields) => fields.into_iter().map(|f| (f.field, f.message)).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[tokio::test]
async fn create_and_rename_are_validated_and_audited() {
    each_backend(&steden_core::migrations(), |db| async move {
        let staff = person(&db, "staff@steden.test").await;
        let actor = AuditActor::user(&staff);

        let mut tx = db.begin().await.unwrap();
        let group = working_group::create(&mut tx, "gdpr", "  Werkgroep GDPR ", &actor)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(group.name, "Werkgroep GDPR");
        assert_eq!(
            working_group::get(db.pool(), &group.id).await.unwrap(),
            Some(group.clone())
        );

        // Refused input: field errors, nothing written.
        let mut tx = db.begin().await.unwrap();
        let err = working_group::create(&mut tx, "GDPR 2", " ", &actor)
            .await
            .unwrap_err();
        let refused: Vec<String> = fields(err).into_iter().map(|(f, _)| f).collect();
        assert_eq!(refused, vec!["slug", "name"]);
        drop(tx);

        // A slug in use is a field error (the unique index decides, also in a race).
        let mut tx = db.begin().await.unwrap();
        let err = working_group::create(&mut tx, "gdpr", "Nog een", &actor)
            .await
            .unwrap_err();
        assert_eq!(
            fields(err),
            vec![(
                "slug".to_string(),
                "Er bestaat al een werkgroep met deze korte naam.".to_string()
            )]
        );
        drop(tx);
        assert_eq!(working_group::list(db.pool()).await.unwrap().len(), 1);

        let mut tx = db.begin().await.unwrap();
        working_group::rename(&mut tx, &group.id, "Werkgroep Privacy", &actor)
            .await
            .unwrap();
        // The same name again changes nothing and records nothing.
        working_group::rename(&mut tx, &group.id, "Werkgroep Privacy", &actor)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let renamed = working_group::get(db.pool(), &group.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(renamed.name, "Werkgroep Privacy");
        assert_eq!(renamed.slug, "gdpr");

        let mut tx = db.begin().await.unwrap();
        let err = working_group::rename(&mut tx, "missing", "X", &actor)
            .await
            .unwrap_err();
        assert!(matches!(err, CoreError::NotFound(_)), "{err:?}");
        drop(tx);

        let history = audit::history(&db, working_group::ENTITY, &group.id)
            .await
            .unwrap();
        let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, vec!["update", "create"]);
        assert!(history
            .iter()
            .all(|e| e.actor_user_id.as_deref() == Some(staff.as_str())));
        assert_eq!(
            history[0].changes["name"]["new"],
            serde_json::json!("Werkgroep Privacy")
        );
    })
    .await;
}

#[tokio::test]
async fn members_are_added_and_removed_with_audit_in_the_callers_transaction() {
    each_backend(&steden_core::migrations(), |db| async move {
        let staff = person(&db, "staff@steden.test").await;
        let an = person(&db, "an@gent.be").await;
        let bart = person(&db, "bart@antwerpen.be").await;
        let actor = AuditActor::user(&staff);
        let mut tx = db.begin().await.unwrap();
        let group = working_group::create(&mut tx, "gdpr", "Werkgroep GDPR", &actor)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let mut tx = db.begin().await.unwrap();
        assert!(
            working_group::add_member_tx(&mut tx, &group.id, &an, &actor)
                .await
                .unwrap()
        );
        // Twice is harmless and leaves one entry.
        assert!(
            !working_group::add_member_tx(&mut tx, &group.id, &an, &actor)
                .await
                .unwrap()
        );
        assert!(
            working_group::add_member_tx(&mut tx, &group.id, &bart, &actor)
                .await
                .unwrap()
        );
        tx.commit().await.unwrap();

        let members = working_group::members(db.pool(), &group.id).await.unwrap();
        let ids: Vec<&str> = members.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids.len(), 2);
        assert!(ids.contains(&an.as_str()) && ids.contains(&bart.as_str()));
        assert!(members.iter().all(|(_, at)| *at > 0));
        assert_eq!(
            working_group::groups_of(db.pool(), &an).await.unwrap(),
            vec![group.id.clone()]
        );

        // A rolled-back removal leaves the member and no entry.
        let mut tx = db.begin().await.unwrap();
        assert!(
            working_group::remove_member(&mut tx, &group.id, &an, &actor)
                .await
                .unwrap()
        );
        tx.rollback().await.unwrap();
        assert_eq!(
            working_group::members(db.pool(), &group.id)
                .await
                .unwrap()
                .len(),
            2
        );

        let mut tx = db.begin().await.unwrap();
        assert!(
            working_group::remove_member(&mut tx, &group.id, &an, &actor)
                .await
                .unwrap()
        );
        assert!(
            !working_group::remove_member(&mut tx, &group.id, &an, &actor)
                .await
                .unwrap()
        );
        tx.commit().await.unwrap();
        let left = working_group::members(db.pool(), &group.id).await.unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].0, bart);
        assert!(working_group::groups_of(db.pool(), &an)
            .await
            .unwrap()
            .is_empty());

        // A missing group or user is NotFound, not a database error.
        let mut tx = db.begin().await.unwrap();
        let err = working_group::add_member_tx(&mut tx, "missing", &an, &actor)
            .await
            .unwrap_err();
        assert!(matches!(err, CoreError::NotFound(_)), "{err:?}");
        drop(tx);

        let history = audit::history(&db, working_group::ENTITY, &group.id)
            .await
            .unwrap();
        let mut actions: Vec<(&str, serde_json::Value)> = history
            .iter()
            .map(|e| (e.action.as_str(), e.changes["member"].clone()))
            .collect();
        actions.reverse();
        assert_eq!(
            actions,
            vec![
                ("create", serde_json::Value::Null),
                ("add_member", serde_json::json!({ "old": null, "new": an })),
                (
                    "add_member",
                    serde_json::json!({ "old": null, "new": bart })
                ),
                (
                    "remove_member",
                    serde_json::json!({ "old": an, "new": null })
                ),
            ]
        );
    })
    .await;
}
