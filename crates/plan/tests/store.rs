//! Plans and items in the database, on SQLite and PostgreSQL: the roll-up with weights,
//! prioritair inheritance, moves and reordering without loss, copying a plan to a new period,
//! codes unique within a plan, and refused input that writes nothing.

use crate::common;

use common::*;
use steden_core::CoreError;
use steden_db::testing::each_backend;
use steden_plan::model::ItemStatus;
use steden_plan::store::items::{self, Destination, ItemFields};
use steden_plan::store::plans;
use steden_plan::store::updates::{self, ProgressReport};

async fn report(w: &World, item: &steden_plan::model::Item, status: ItemStatus, progress: i64) {
    let mut tx = w.db.begin().await.unwrap();
    updates::report(
        &mut tx,
        &item.id,
        &ProgressReport {
            status: Some(status),
            progress: Some(progress),
            comment: "stand van zaken".into(),
            ..ProgressReport::default()
        },
        &w.editor.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn progress_rolls_up_with_weights() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        report(&w, &p.ac010101, ItemStatus::Lopend, 60).await;
        report(&w, &p.ac010102, ItemStatus::Afgerond, 100).await;
        // AP0101 = (60 + 100) / 2; BD01 = (80 + 0) / 2.
        assert_eq!(reload(&db, &p.ap0101).await.progress, 80);
        assert_eq!(reload(&db, &p.bd01).await.progress, 40);

        // Weight 3 on the first action: (60*3 + 100) / 4 = 70; BD01 = (70 + 0) / 2 = 35.
        let mut tx = db.begin().await.unwrap();
        let mut fields = ItemFields::from_item(&reload(&db, &p.ac010101).await);
        fields.weight = "3".into();
        items::update(&mut tx, &p.ac010101.id, &fields, "", &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(reload(&db, &p.ap0101).await.progress, 70);
        assert_eq!(reload(&db, &p.bd01).await.progress, 35);

        // A stopped action no longer counts; AP0102, whose only action stopped, is derived
        // stopgezet and no longer counts in BD01 either.
        report(&w, &p.ac010201, ItemStatus::Stopgezet, 0).await;
        assert_eq!(reload(&db, &p.ap0102).await.progress, 0);
        assert_eq!(reload(&db, &p.ap0102).await.status, ItemStatus::Stopgezet);
        assert_eq!(reload(&db, &p.bd01).await.progress, 70);

        // A parent's own progress cannot be entered.
        let mut tx = db.begin().await.unwrap();
        let err = updates::report(
            &mut tx,
            &p.ap0101.id,
            &ProgressReport {
                progress: Some(10),
                comment: "x".into(),
                ..ProgressReport::default()
            },
            &w.editor.audit(),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(err, CoreError::Invalid(ref f) if f[0].field == "progress"),
            "{err:?}"
        );
        drop(tx);

        // The history keeps every update with its comment.
        let history = updates::for_item(db.pool(), &p.ac010101.id, 10)
            .await
            .unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].new_progress, Some(60));
        assert_eq!(history[0].comment, "stand van zaken");
        assert_eq!(history[0].author, "Rita Redacteur");
    })
    .await;
}

#[tokio::test]
async fn prioritair_on_an_action_marks_its_parents() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        let mut tx = db.begin().await.unwrap();
        let mut fields = ItemFields::from_item(&p.ac010201);
        fields.prioritair = true;
        items::update(&mut tx, &p.ac010201.id, &fields, "", &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(reload(&db, &p.ac010201).await.prioritair_own);
        assert!(reload(&db, &p.ap0102).await.prioritair);
        assert!(!reload(&db, &p.ap0102).await.prioritair_own);
        assert!(reload(&db, &p.bd01).await.prioritair);
        assert!(!reload(&db, &p.bd02).await.prioritair);
        assert!(!reload(&db, &p.ap0101).await.prioritair);

        // Moving the action away takes the mark with it.
        let mut tx = db.begin().await.unwrap();
        items::move_to(
            &mut tx,
            &p.ac010201.id,
            &Destination {
                parent_id: Some(p.ap0201.id.clone()),
                position: Some(0),
            },
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert!(!reload(&db, &p.bd01).await.prioritair);
        assert!(reload(&db, &p.bd02).await.prioritair);
    })
    .await;
}

#[tokio::test]
async fn moves_and_reordering_lose_nothing() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        report(&w, &p.ac010101, ItemStatus::Lopend, 50).await;
        let before = items::list_for_plan(db.pool(), &p.plan.id).await.unwrap();

        // AP0101 (with its two actions) moves under BD02, first.
        let mut tx = db.begin().await.unwrap();
        items::move_to(
            &mut tx,
            &p.ap0101.id,
            &Destination {
                parent_id: Some(p.bd02.id.clone()),
                position: Some(0),
            },
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let bd02_children = items::children(db.pool(), &p.plan.id, Some(&p.bd02.id))
            .await
            .unwrap();
        let codes: Vec<&str> = bd02_children.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(codes, ["AP0101", "AP0201"]);
        let bd01_children = items::children(db.pool(), &p.plan.id, Some(&p.bd01.id))
            .await
            .unwrap();
        assert_eq!(bd01_children.len(), 1);
        assert_eq!(bd01_children[0].position, 0);
        // Progress followed: BD01 lost its 25 %, BD02 has (25 + 0) / 2.
        assert_eq!(reload(&db, &p.bd01).await.progress, 0);
        assert_eq!(reload(&db, &p.bd02).await.progress, 13);
        // Same items, same codes, history kept.
        let after = items::list_for_plan(db.pool(), &p.plan.id).await.unwrap();
        assert_eq!(before.len(), after.len());
        let mut a: Vec<_> = before.iter().map(|i| (&i.id, &i.code, &i.title)).collect();
        let mut b: Vec<_> = after.iter().map(|i| (&i.id, &i.code, &i.title)).collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
        assert_eq!(
            updates::for_item(db.pool(), &p.ac010101.id, 10)
                .await
                .unwrap()
                .len(),
            1
        );

        // Reorder at the top: BD02 first.
        let mut tx = db.begin().await.unwrap();
        items::move_to(
            &mut tx,
            &p.bd02.id,
            &Destination {
                parent_id: None,
                position: Some(0),
            },
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let tree = items::list_for_plan(db.pool(), &p.plan.id).await.unwrap();
        let order: Vec<&str> = tree.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(
            order,
            [
                "BD02", "AP0101", "AC010101", "AC010102", "AP0201", "AC020101", "BD01", "AP0102",
                "AC010201"
            ]
        );

        // Not under its own descendant, not deeper than the levels.
        let mut tx = db.begin().await.unwrap();
        let err = items::move_to(
            &mut tx,
            &p.bd02.id,
            &Destination {
                parent_id: Some(p.ap0201.id.clone()),
                position: None,
            },
            &w.editor.audit(),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, CoreError::Invalid(_)), "{err:?}");
        let err = items::move_to(
            &mut tx,
            &p.ap0102.id,
            &Destination {
                parent_id: Some(p.ap0201.id.clone()),
                position: None,
            },
            &w.editor.audit(),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, CoreError::Invalid(_)), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn codes_are_unique_within_a_plan_not_across_plans() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        let mut tx = db.begin().await.unwrap();
        let err = items::create(
            &mut tx,
            &p.plan.id,
            None,
            &item_fields("BD01", "Nog eens"),
            &w.editor.audit(),
        )
        .await
        .unwrap_err();
        match err {
            CoreError::Invalid(fields) => {
                assert_eq!(fields[0].field, "code");
                assert!(
                    fields[0].message.contains("bestaat al"),
                    "{}",
                    fields[0].message
                );
            }
            other => panic!("{other:?}"),
        }
        drop(tx);
        let other = create_plan(&db, &w.gent, "Ander plan", &w.editor).await;
        add_item(
            &db,
            &other,
            None,
            item_fields("BD01", "Zelfde code, ander plan"),
            &w.editor,
        )
        .await;
    })
    .await;
}

#[tokio::test]
async fn invalid_items_are_refused_with_every_reason() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let plan = create_plan(&db, &w.gent, "Plan", &w.editor).await;
        let fields = ItemFields {
            title: "x".repeat(101),
            description: "y".repeat(4001),
            start_date: "2026-05-01".into(),
            end_date: "2026-04-01".into(),
            progress: "120".into(),
            status: "klaar".into(),
            ..ItemFields::default()
        };
        let mut tx = db.begin().await.unwrap();
        let err = items::create(&mut tx, &plan.id, None, &fields, &w.editor.audit())
            .await
            .unwrap_err();
        drop(tx);
        let CoreError::Invalid(errors) = err else {
            panic!("{err:?}")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for expected in ["title", "description", "end_date", "progress", "status"] {
            assert!(
                fields.contains(&expected),
                "{expected} missing in {fields:?}"
            );
        }
        assert!(items::list_for_plan(db.pool(), &plan.id)
            .await
            .unwrap()
            .is_empty());
        // A code is made when none is given.
        let a = add_item(&db, &plan, None, item_fields("", "Eerste"), &w.editor).await;
        let b = add_item(
            &db,
            &plan,
            Some(&a),
            item_fields("", "Onder eerste"),
            &w.editor,
        )
        .await;
        assert_eq!(a.code, "1");
        assert_eq!(b.code, "1.1");
    })
    .await;
}

#[tokio::test]
async fn a_new_period_starts_as_a_copy() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        report(&w, &p.ac010101, ItemStatus::Afgerond, 100).await;
        let mut tx = db.begin().await.unwrap();
        let mut fields = plan_fields("Meerjarenplan Gent 2032-2037");
        fields.period_start = "2032-01-01".into();
        fields.period_end = "2037-12-31".into();
        let copy = plans::copy(&mut tx, &p.plan.id, &fields, &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(copy.copied_from_id.as_deref(), Some(p.plan.id.as_str()));
        assert_eq!(copy.levels, bbc_levels());
        let old = items::list_for_plan(db.pool(), &p.plan.id).await.unwrap();
        let new = items::list_for_plan(db.pool(), &copy.id).await.unwrap();
        let codes = |items: &[steden_plan::model::Item]| {
            items
                .iter()
                .map(|i| (i.code.clone(), i.depth, i.title.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(&old), codes(&new));
        assert!(new
            .iter()
            .all(|i| i.status == ItemStatus::NietGestart && i.progress == 0));
        let copied = new.iter().find(|i| i.code == "AC010101").unwrap();
        assert_eq!(copied.owner_user_id.as_deref(), Some(w.member.id.as_str()));
        // The source is untouched.
        assert_eq!(reload(&db, &p.ac010101).await.progress, 100);
    })
    .await;
}
