//! Releases: frozen snapshots that later changes do not touch, refused by the database itself
//! when someone tries to rewrite them, and compared with each other.

use crate::common;

use common::*;
use steden_db::{new_id, now_ms, Db};
use steden_plan::model::{Item, ItemStatus};
use steden_plan::release;
use steden_plan::store::items::{self, ItemFields};

async fn set_progress(db: &Db, item: &Item, progress: i64, status: &str, by: &Person) {
    let current = reload(db, item).await;
    let fields = ItemFields {
        progress: progress.to_string(),
        status: status.to_string(),
        ..ItemFields::from_item(&current)
    };
    let mut tx = db.begin().await.unwrap();
    items::update(
        &mut tx,
        &item.id,
        &fields,
        "voortgang bijgewerkt",
        &by.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn make_release(db: &Db, plan_id: &str, name: &str, as_of: &str, by: &Person) -> String {
    let mut tx = db.begin().await.unwrap();
    let made = release::create(&mut tx, plan_id, name, as_of, &by.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    made.summary.id
}

/// An indicator on `item` with a target and measurements, written with plain SQL (the
/// indicators module's store is not needed for this).
async fn add_indicator(db: &Db, plan_id: &str, item: &Item, values: &[(&str, f64)]) -> String {
    let id = new_id();
    sqlx::query(
        "INSERT INTO plan_indicators (id, plan_id, item_id, name, unit, direction, baseline_value,
             baseline_date, created_at, updated_at)
         VALUES ($1, $2, $3, 'Digitale aanvragen', '%', 'hoger', 10, '2026-01-01', $4, $4)",
    )
    .bind(&id)
    .bind(plan_id)
    .bind(&item.id)
    .bind(now_ms())
    .execute(db.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO plan_indicator_targets (indicator_id, target_date, value)
         VALUES ($1, '2031-12-31', 80)",
    )
    .bind(&id)
    .execute(db.pool())
    .await
    .unwrap();
    for (date, value) in values {
        add_measurement(db, &id, date, *value).await;
    }
    id
}

async fn add_measurement(db: &Db, indicator_id: &str, date: &str, value: f64) {
    sqlx::query(
        "INSERT INTO plan_measurements (id, indicator_id, measured_on, value, comment,
             author_name, created_at)
         VALUES ($1, $2, $3, $4, 'gemeten', 'Import', $5)",
    )
    .bind(new_id())
    .bind(indicator_id)
    .bind(date)
    .bind(value)
    .bind(now_ms())
    .execute(db.pool())
    .await
    .unwrap();
}

async fn add_kwestie(db: &Db, plan_id: &str, item: &Item, title: &str, status: &str) -> String {
    let id = new_id();
    sqlx::query(
        "INSERT INTO plan_kwesties (id, plan_id, item_id, kind, title, description, severity,
             status, created_at, updated_at)
         VALUES ($1, $2, $3, 'risico', $4, 'uitleg', 'hoog', $5, $6, $6)",
    )
    .bind(&id)
    .bind(plan_id)
    .bind(&item.id)
    .bind(title)
    .bind(status)
    .bind(now_ms())
    .execute(db.pool())
    .await
    .unwrap();
    id
}

#[tokio::test]
async fn a_release_keeps_the_plan_as_it_was() {
    steden_db::testing::each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        set_progress(&db, &p.ac010101, 30, "lopend", &w.editor).await;
        let indicator = add_indicator(
            &db,
            &p.plan.id,
            &p.ac010101,
            &[("2026-03-31", 20.0), ("2026-09-30", 35.0)],
        )
        .await;
        add_kwestie(&db, &p.plan.id, &p.ac010102, "Leverancier failliet", "open").await;
        sqlx::query(
            "INSERT INTO plan_amounts (item_id, plan_id, year, kind, budget_type, direction, cents)
             VALUES ($1, $2, 2026, 'raming', 'exploitatie', 'uitgaven', 1250000)",
        )
        .bind(&p.ac010101.id)
        .bind(&p.plan.id)
        .execute(db.pool())
        .await
        .unwrap();

        let id = make_release(&db, &p.plan.id, "Juni 2026", "30/06/2026", &w.editor).await;
        set_progress(&db, &p.ac010101, 80, "vertraagd", &w.editor).await;
        add_measurement(&db, &indicator, "2026-05-31", 99.0).await;

        let frozen = release::find(db.pool(), &id).await.unwrap().unwrap();
        assert_eq!(frozen.summary.as_of, "2026-06-30");
        assert_eq!(frozen.summary.name, "Juni 2026");
        let s = &frozen.snapshot;
        assert_eq!(s.version, release::SNAPSHOT_VERSION);
        assert_eq!(s.plan.title, "Meerjarenplan Gent 2026-2031");
        assert_eq!(s.plan.organisation_name, "Gent");
        assert_eq!(s.plan.levels.len(), 3);
        assert_eq!(s.items.len(), 9);
        let codes: Vec<&str> = s.items.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(&codes[..4], &["BD01", "AP0101", "AC010101", "AC010102"]);
        let action = s.item(&p.ac010101.id).unwrap();
        assert_eq!((action.progress, action.status), (30, ItemStatus::Lopend));
        assert_eq!(action.owner_name, "Luc Lid");
        // Measurements after the release date stay out; later ones are not added.
        assert_eq!(s.indicators.len(), 1);
        let values: Vec<f64> = s.indicators[0]
            .measurements
            .iter()
            .map(|m| m.value)
            .collect();
        assert_eq!(values, vec![20.0]);
        assert_eq!(s.indicators[0].item_code, "AC010101");
        assert_eq!(s.indicators[0].targets.len(), 1);
        // Judged at the release date by the indicators module.
        assert!(s.indicators[0].health().is_some(), "{:?}", s.indicators[0]);
        assert_eq!(s.kwesties.len(), 1);
        assert_eq!(s.kwesties[0].item_code, "AC010102");
        assert_eq!(s.amounts.len(), 1);
        assert_eq!(s.amounts[0].cents, 1_250_000);

        let listed = release::list(db.pool(), &p.plan.id).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].id, id);
    })
    .await;
}

#[tokio::test]
async fn bad_input_is_refused_and_nothing_written() {
    steden_db::testing::each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        let mut tx = db.begin().await.unwrap();
        let err = release::create(&mut tx, &p.plan.id, "  ", "31/02/2026", &w.editor.audit())
            .await
            .unwrap_err();
        drop(tx);
        match err {
            steden_core::CoreError::Invalid(fields) => {
                let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
                assert_eq!(names, vec!["name", "as_of"]);
            }
            other => panic!("{other:?}"),
        }
        assert!(release::list(db.pool(), &p.plan.id)
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn the_database_refuses_to_rewrite_a_release() {
    steden_db::testing::each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        let id = make_release(&db, &p.plan.id, "Q1", "2026-03-31", &w.editor).await;
        for sql in [
            "UPDATE plan_releases SET snapshot = '{}' WHERE id = $1",
            "UPDATE plan_releases SET as_of = '2020-01-01' WHERE id = $1",
            "UPDATE plan_releases SET name = 'Vervalst' WHERE id = $1",
            "DELETE FROM plan_releases WHERE id = $1",
        ] {
            let result = sqlx::query(sql).bind(&id).execute(db.pool()).await;
            let err = result.expect_err(sql).to_string();
            assert!(err.contains("onveranderlijk"), "{sql}: {err}");
        }
        let kept = release::find(db.pool(), &id).await.unwrap().unwrap();
        assert_eq!(kept.summary.name, "Q1");
        assert_eq!(kept.snapshot.items.len(), 9);

        // Publishing is the one change allowed.
        let mut tx = db.begin().await.unwrap();
        release::set_published(&mut tx, &id, true, &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(
            release::find(db.pool(), &id)
                .await
                .unwrap()
                .unwrap()
                .summary
                .published
        );

        // Removing the user who made it only forgets who did (created_by is set to NULL).
        sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(&w.editor.id)
            .execute(db.pool())
            .await
            .unwrap();
        let kept = release::find(db.pool(), &id).await.unwrap().unwrap();
        assert_eq!(kept.summary.name, "Q1");

        // Deleting the plan still takes its releases with it.
        sqlx::query("DELETE FROM plan_plans WHERE id = $1")
            .bind(&p.plan.id)
            .execute(db.pool())
            .await
            .unwrap();
        assert!(release::find(db.pool(), &id).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn comparing_two_releases() {
    steden_db::testing::each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        let indicator = add_indicator(&db, &p.plan.id, &p.ac010201, &[("2026-01-31", 12.0)]).await;
        let risk = add_kwestie(&db, &p.plan.id, &p.ac010102, "Budget ontoereikend", "open").await;
        let first = make_release(&db, &p.plan.id, "Q1", "2026-03-31", &w.editor).await;

        set_progress(&db, &p.ac010101, 40, "lopend", &w.editor).await;
        add_item(
            &db,
            &p.plan,
            Some(&p.ap0102),
            item_fields("AC010202", "Open data-beleid"),
            &w.editor,
        )
        .await;
        add_measurement(&db, &indicator, "2026-05-31", 18.5).await;
        sqlx::query("UPDATE plan_kwesties SET status = 'opgelost' WHERE id = $1")
            .bind(&risk)
            .execute(db.pool())
            .await
            .unwrap();
        add_kwestie(&db, &p.plan.id, &p.ac010101, "Personeelstekort", "open").await;
        let second = make_release(&db, &p.plan.id, "Q2", "2026-06-30", &w.editor).await;

        let a = release::find(db.pool(), &first)
            .await
            .unwrap()
            .unwrap()
            .snapshot;
        let b = release::find(db.pool(), &second)
            .await
            .unwrap()
            .unwrap()
            .snapshot;
        let diff = release::compare(&a, &b);
        let added: Vec<&str> = diff.added.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(added, vec!["AC010202"]);
        assert!(diff.removed.is_empty());
        let progress: Vec<(&str, i64, i64)> = diff
            .progress_changed
            .iter()
            .map(|c| (c.item.code.as_str(), c.old, c.new))
            .collect();
        // The action and its roll-up to the ancestors.
        assert!(progress.contains(&("AC010101", 0, 40)), "{progress:?}");
        let status: Vec<&str> = diff
            .status_changed
            .iter()
            .map(|c| c.item.code.as_str())
            .collect();
        assert!(status.contains(&"AC010101"), "{status:?}");
        assert_eq!(diff.indicators_changed.len(), 1);
        assert_eq!(diff.indicators_changed[0].old, Some(12.0));
        assert_eq!(diff.indicators_changed[0].new, Some(18.5));
        assert_eq!(diff.kwesties_opened.len(), 1);
        assert_eq!(diff.kwesties_opened[0].title, "Personeelstekort");
        assert_eq!(diff.kwesties_closed.len(), 1);
        assert_eq!(diff.kwesties_closed[0].title, "Budget ontoereikend");
    })
    .await;
}

#[tokio::test]
async fn release_pages() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        set_progress(&w.db, &p.ac010101, 30, "lopend", &w.editor).await;
        add_indicator(&w.db, &p.plan.id, &p.ac010101, &[("2026-03-31", 20.0)]).await;
        login(&app, &w.editor).await;
        let list_path = format!("/plannen/{}/releases", p.plan.id);
        let list = app.page(&list_path).await;
        assert!(list.contains("name=\"as_of\""), "{list}");

        // Refused input: the form again, with the errors and what was typed.
        let refused = app
            .post_form(
                &list_path,
                &list_path,
                &[("name", "Juni"), ("as_of", "gisteren")],
            )
            .await;
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains("value=\"gisteren\""), "{html}");
        assert!(release::list(w.db.pool(), &p.plan.id)
            .await
            .unwrap()
            .is_empty());

        let made = app
            .post_form(
                &list_path,
                &list_path,
                &[("name", "Rapport juni"), ("as_of", "30/06/2026")],
            )
            .await;
        assert_eq!(made.status(), 303);
        let report_path = made.headers()["location"].to_str().unwrap().to_string();
        assert!(report_path.starts_with(&format!("{list_path}/")));

        set_progress(&w.db, &p.ac010101, 80, "vertraagd", &w.editor).await;
        let report = app.page(&report_path).await;
        assert!(report.contains("Rapport juni"));
        assert!(report.contains("30/06/2026"));
        assert!(report.contains("Gent"));
        assert!(report.contains("E-loket uitbreiden"));
        assert!(report.contains("value=\"30\""), "{report}");
        assert!(!report.contains("value=\"80\""), "{report}");
        assert!(report.contains("Afdrukken / PDF"));
        // The indicator: its chart and the table of its values.
        assert!(report.contains("Digitale aanvragen"));
        assert!(report.contains("role=\"img\""), "{report}");
        assert!(report.contains("31/03/2026"));

        // A second release, then the comparison.
        app.post_form(
            &list_path,
            &list_path,
            &[("name", "Rapport juli"), ("as_of", "31/07/2026")],
        )
        .await;
        let releases = release::list(w.db.pool(), &p.plan.id).await.unwrap();
        let (newest, oldest) = (&releases[0], &releases[1]);
        assert_eq!(newest.name, "Rapport juli");
        let compare = app
            .page(&format!(
                "{list_path}/vergelijk?van={}&naar={}",
                oldest.id, newest.id
            ))
            .await;
        assert!(compare.contains("AC010101"), "{compare}");
        assert!(compare.contains("30 %"), "{compare}");
        assert!(compare.contains("80 %"), "{compare}");

        // Readers read reports but may not make them.
        login(&app, &w.reader).await;
        let list = app.page(&list_path).await;
        assert!(!list.contains("name=\"as_of\""));
        app.page(&report_path).await;
        login(&app, &w.outsider).await;
        assert_eq!(app.get(&report_path).await.status(), 404);
    })
    .await;
}
