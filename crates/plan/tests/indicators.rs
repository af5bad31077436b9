//! Indicators on SQLite and PostgreSQL: definitions with targets, measurements that land in
//! the item's history (a second value on the same date replaces the first), refused input that
//! writes nothing, health in the lists, the measurement form for owners and not for readers,
//! and the comparison of a shared indicator across organisations.

use crate::common;

use common::*;
use steden_core::CoreError;
use steden_db::testing::each_backend;
use steden_db::Db;
use steden_plan::indicators::store::{self, IndicatorFields, NewMeasurement};
use steden_plan::indicators::{Direction, Health, Indicator};
use steden_plan::model::{Item, Plan, PublishedField};
use steden_plan::store::updates;

fn fields(name: &str, key: &str) -> IndicatorFields {
    IndicatorFields {
        name: name.into(),
        unit: "%".into(),
        direction: "hoger".into(),
        baseline_value: "100".into(),
        baseline_date: "01/01/2025".into(),
        // Out of order on purpose: they are kept by date.
        targets: "01/01/2027 200\n2026-01-01 150".into(),
        source: "Stadsmonitor".into(),
        frequency: "jaarlijks".into(),
        definition_key: key.into(),
    }
}

async fn create(db: &Db, item: &Item, f: &IndicatorFields, by: &Person) -> Indicator {
    let mut tx = db.begin().await.unwrap();
    let indicator = store::create(&mut tx, &item.id, f, &by.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    indicator
}

async fn measure(
    db: &Db,
    indicator: &Indicator,
    date: &str,
    value: &str,
    comment: &str,
    by: &Person,
) -> Result<steden_plan::indicators::Measurement, CoreError> {
    let mut tx = db.begin().await.unwrap();
    let result = store::add_measurement(
        &mut tx,
        &indicator.id,
        &NewMeasurement {
            measured_on: date.into(),
            value: value.into(),
            comment: comment.into(),
            author_name: String::new(),
        },
        &by.audit(),
    )
    .await;
    if result.is_ok() {
        tx.commit().await.unwrap();
    }
    result
}

async fn count(db: &Db, sql: &str, param: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(param)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn measurements_form_a_series_and_the_items_history() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        let indicator = create(&db, &p.ac010101, &fields("Aandeel e-loket", ""), &w.editor).await;
        assert_eq!(indicator.direction, Direction::Hoger);
        assert_eq!(indicator.baseline_date, "2025-01-01");
        assert_eq!(indicator.plan_id, p.plan.id);

        // Measured out of order, in both number formats.
        measure(&db, &indicator, "01/07/2025", "1.234,5", "", &w.member)
            .await
            .unwrap();
        measure(&db, &indicator, "2025-03-01", "110.5", "eerste meting", &w.member)
            .await
            .unwrap();
        let series = store::for_item(db.pool(), &p.ac010101.id).await.unwrap();
        assert_eq!(series.len(), 1);
        let s = &series[0];
        let dates: Vec<&str> = s.targets.iter().map(|t| t.date.as_str()).collect();
        assert_eq!(dates, ["2026-01-01", "2027-01-01"]);
        let values: Vec<f64> = s.measurements.iter().map(|m| m.value).collect();
        assert_eq!(values, [110.5, 1234.5]);
        assert_eq!(s.measurements[0].author, "Luc Lid");
        assert_eq!(s.measurements[0].comment, "eerste meting");

        // The item's history shows each measurement; status and progress are untouched.
        let history = updates::for_item(db.pool(), &p.ac010101.id, 10).await.unwrap();
        assert_eq!(history.len(), 2);
        assert!(history.iter().all(|u| u.measurement_id.is_some()
            && u.new_status.is_none()
            && u.old_status.is_none()
            && u.new_progress.is_none()));
        assert!(
            history.iter().any(|u| u.comment.contains("eerste meting")),
            "{history:?}"
        );
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'plan_measurement' AND organisation_id = $1",
                &w.gent
            )
            .await,
            2
        );

        // A second value on the same date replaces the first, and the history says so.
        measure(&db, &indicator, "01/03/2025", "120", "gecorrigeerd", &w.editor)
            .await
            .unwrap();
        let s = store::series(db.pool(), &indicator.id).await.unwrap().unwrap();
        let values: Vec<f64> = s.measurements.iter().map(|m| m.value).collect();
        assert_eq!(values, [120.0, 1234.5]);
        let history = updates::for_item(db.pool(), &p.ac010101.id, 10).await.unwrap();
        assert_eq!(history.len(), 3);
        assert!(
            history[0].comment.contains("vervangt") && history[0].comment.contains("110,5"),
            "{:?}",
            history[0]
        );
        assert_eq!(reload(&db, &p.ac010101).await.status, p.ac010101.status);

        // Deleting a measurement takes its lines in the history with it.
        let mut tx = db.begin().await.unwrap();
        store::delete_measurement(&mut tx, &s.measurements[1].id, &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let s = store::series(db.pool(), &indicator.id).await.unwrap().unwrap();
        assert_eq!(s.measurements.len(), 1);
        let history = updates::for_item(db.pool(), &p.ac010101.id, 10).await.unwrap();
        assert_eq!(history.len(), 2);
    })
    .await;
}

#[tokio::test]
async fn refused_input_writes_nothing() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        let indicator = create(&db, &p.ac010101, &fields("Aandeel e-loket", ""), &w.editor).await;

        let err = measure(&db, &indicator, "01/07/2025", "abc", "x", &w.member)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, CoreError::Invalid(f) if f.len() == 1 && f[0].field == "value"),
            "{err:?}"
        );
        let err = measure(&db, &indicator, "31/02/2025", "", "", &w.member)
            .await
            .unwrap_err();
        let CoreError::Invalid(errors) = err else {
            panic!("accepted")
        };
        let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(names, ["measured_on", "value"]);
        let measured = "SELECT COUNT(*) FROM plan_measurements WHERE indicator_id = $1";
        assert_eq!(count(&db, measured, &indicator.id).await, 0);
        let history = "SELECT COUNT(*) FROM plan_updates WHERE item_id = $1";
        assert_eq!(count(&db, history, &p.ac010101.id).await, 0);

        // A definition with errors: every field named, no indicator written.
        let mut bad = fields("", "met spatie");
        bad.baseline_value = "veel".into();
        bad.targets = "31/12/2026".into();
        let mut tx = db.begin().await.unwrap();
        let err = store::create(&mut tx, &p.ac010102.id, &bad, &w.editor.audit())
            .await
            .unwrap_err();
        drop(tx);
        let CoreError::Invalid(errors) = err else {
            panic!("accepted")
        };
        let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for field in ["name", "baseline_value", "targets", "definition_key"] {
            assert!(names.contains(&field), "{field} in {names:?}");
        }
        let indicators = "SELECT COUNT(*) FROM plan_indicators WHERE item_id = $1";
        assert_eq!(count(&db, indicators, &p.ac010102.id).await, 0);
    })
    .await;
}

#[tokio::test]
async fn health_edits_and_off_track_count() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        let on_track = create(&db, &p.ac010101, &fields("Op schema", ""), &w.editor).await;
        let behind = create(&db, &p.ac010102, &fields("Achter", ""), &w.editor).await;
        // Baseline 100 on 01/01/2025, 150 on 01/01/2026: on 01/01/2026 150 is expected.
        measure(&db, &on_track, "01/01/2026", "160", "", &w.editor)
            .await
            .unwrap();
        measure(&db, &behind, "01/01/2026", "120", "", &w.editor)
            .await
            .unwrap();
        let today = steden_plan::store::today();
        let list = store::list_for_plan(db.pool(), &p.plan.id).await.unwrap();
        // Item code order: AC010101 before AC010102.
        assert_eq!(list[0].indicator.name, "Op schema");
        let health = |i: usize| steden_plan::indicators::health::health(&list[i], &today);
        assert_eq!(health(0), Some(Health::OpKoers));
        assert_eq!(health(1), Some(Health::NietOpKoers));
        assert_eq!(
            store::off_track_count(db.pool(), &p.plan.id).await.unwrap(),
            1
        );

        // Lower is better: 120 is now ahead of the line.
        let mut changed = fields("Achter", "");
        changed.direction = "lager".into();
        changed.targets = "01/01/2026 80\n01/01/2027 50".into();
        let mut tx = db.begin().await.unwrap();
        let updated = store::update(&mut tx, &behind.id, &changed, &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(updated.direction, Direction::Lager);
        let s = store::series(db.pool(), &behind.id).await.unwrap().unwrap();
        assert_eq!(s.targets.len(), 2);
        assert_eq!(s.targets[0].value, 80.0);
        assert_eq!(s.measurements.len(), 1, "measurements stay");
        assert_eq!(
            store::off_track_count(db.pool(), &p.plan.id).await.unwrap(),
            1
        );

        let mut tx = db.begin().await.unwrap();
        store::delete(&mut tx, &behind.id, &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            store::list_for_plan(db.pool(), &p.plan.id)
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            store::off_track_count(db.pool(), &p.plan.id).await.unwrap(),
            0
        );
        // Its measurements and targets went with it (the foreign keys cascade).
        for table in ["plan_measurements", "plan_indicator_targets"] {
            let left: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM {table} WHERE indicator_id = $1"
            ))
            .bind(&behind.id)
            .fetch_one(db.pool())
            .await
            .unwrap();
            assert_eq!(left, 0, "{table}");
        }
    })
    .await;
}

/// A plan in Antwerpen with an indicator under the shared key, by Antwerpen's editor.
async fn antwerpen_plan(w: &World, key: &str) -> (Plan, Indicator) {
    let plan = create_plan(&w.db, &w.antwerpen, "Meerjarenplan Antwerpen", &w.outsider).await;
    let item = add_item(
        &w.db,
        &plan,
        None,
        item_fields("BD01", "Mobiliteit"),
        &w.outsider,
    )
    .await;
    let indicator = create(&w.db, &item, &fields("Fietsers", key), &w.outsider).await;
    (plan, indicator)
}

async fn publish_indicators(w: &World, plan: &Plan) {
    let mut tx = w.db.begin().await.unwrap();
    steden_plan::store::plans::set_publication(
        &mut tx,
        &plan.id,
        true,
        &[PublishedField::Indicators],
        &w.editor.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn shared_definitions_are_found_across_organisations() {
    each_backend(&migrations(), |db| async move {
        let w = world(&db).await;
        let p = small_plan(&w).await;
        create(
            &db,
            &p.ac010101,
            &fields("Fietsers", "Modal-Split-Fiets"),
            &w.editor,
        )
        .await;
        antwerpen_plan(&w, "modal-split-fiets").await;
        create(&db, &p.ac010102, &fields("Iets anders", ""), &w.editor).await;
        let shared = store::series_by_definition(db.pool(), "modal-split-fiets")
            .await
            .unwrap();
        assert_eq!(shared.len(), 2, "the key is stored in lower case");
        assert!(store::series_by_definition(db.pool(), "")
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Pages

async fn gent_indicator(w: &World, key: &str) -> (SmallPlan, Indicator) {
    let p = small_plan(w).await;
    let indicator = create(&w.db, &p.ac010101, &fields("Fietsers", key), &w.editor).await;
    (p, indicator)
}

#[tokio::test]
async fn the_owner_measures_through_the_form() {
    each_plan_app(|app, w| async move {
        let (p, indicator) = gent_indicator(&w, "").await;
        login(&app, &w.member).await;
        let page = format!("/plannen/{}/indicatoren/{}", p.plan.id, indicator.id);
        let html = app.page(&page).await;
        assert!(html.contains("role=\"img\""), "{html}");
        assert!(
            html.contains(&format!("{page}/metingen")),
            "the form is offered: {html}"
        );

        let response = app
            .post_form(
                &page,
                &format!("{page}/metingen"),
                &[
                    ("measured_on", "01/01/2026"),
                    ("value", "1.234,5"),
                    ("comment", "uit de stadsmonitor"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let s = store::series(w.db.pool(), &indicator.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(s.measurements.len(), 1);
        assert_eq!(s.measurements[0].value, 1234.5);
        assert_eq!(s.measurements[0].author, "Luc Lid");
        let html = app.page(&page).await;
        assert!(html.contains("1.234,5 %"), "{html}");
        assert!(html.contains("uit de stadsmonitor"), "{html}");
        // 1.234,5 is far above the line: op koers, shown with text.
        assert!(html.contains("Op koers"), "{html}");

        // The plan's list shows it with its health.
        let list = app
            .page(&format!("/plannen/{}/indicatoren", p.plan.id))
            .await;
        assert!(
            list.contains("AC010101") && list.contains("Fietsers"),
            "{list}"
        );
        assert!(list.contains("plan-health-op_koers"), "{list}");
    })
    .await;
}

#[tokio::test]
async fn a_refused_value_is_shown_and_nothing_is_written() {
    each_plan_app(|app, w| async move {
        let (p, indicator) = gent_indicator(&w, "").await;
        login(&app, &w.member).await;
        let page = format!("/plannen/{}/indicatoren/{}", p.plan.id, indicator.id);
        let response = app
            .post_form(
                &page,
                &format!("{page}/metingen"),
                &[
                    ("measured_on", "01/01/2026"),
                    ("value", "abc"),
                    ("comment", ""),
                ],
            )
            .await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("aria-invalid=\"true\""), "{html}");
        assert!(
            html.contains("value=\"abc\""),
            "typed input is kept: {html}"
        );
        assert!(html.contains("Geef de gemeten waarde als getal"), "{html}");
        let s = store::series(w.db.pool(), &indicator.id)
            .await
            .unwrap()
            .unwrap();
        assert!(s.measurements.is_empty());
        let history = updates::for_item(w.db.pool(), &p.ac010101.id, 10)
            .await
            .unwrap();
        assert!(history.is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_reader_may_look_but_not_measure() {
    each_plan_app(|app, w| async move {
        let (p, indicator) = gent_indicator(&w, "").await;
        login(&app, &w.reader).await;
        let page = format!("/plannen/{}/indicatoren/{}", p.plan.id, indicator.id);
        let html = app.page(&page).await;
        assert!(!html.contains(&format!("{page}/metingen")), "{html}");
        let response = app
            .post_form(
                &page,
                &format!("{page}/metingen"),
                &[("measured_on", "01/01/2026"), ("value", "12")],
            )
            .await;
        assert_eq!(response.status(), 403);
        let s = store::series(w.db.pool(), &indicator.id)
            .await
            .unwrap()
            .unwrap();
        assert!(s.measurements.is_empty());
        // Nor define one.
        let response = app
            .get(&format!(
                "/plannen/{}/items/{}/indicatoren/nieuw",
                p.plan.id, p.ac010101.id
            ))
            .await;
        assert_eq!(response.status(), 403);
    })
    .await;
}

#[tokio::test]
async fn an_editor_defines_an_indicator_through_the_form() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        login(&app, &w.editor).await;
        let form = format!(
            "/plannen/{}/items/{}/indicatoren/nieuw",
            p.plan.id, p.ac010102.id
        );
        let good = [
            ("name", "Gebruikers chatbot"),
            ("unit", "aantal"),
            ("direction", "hoger"),
            ("baseline_value", "0"),
            ("baseline_date", "01/01/2026"),
            ("targets", "31/12/2026 1.000\n31/12/2027 5.000"),
            ("source", ""),
            ("frequency", "driemaandelijks"),
            ("definition_key", ""),
        ];
        let mut bad = good;
        bad[5] = ("targets", "31/12/2026 veel");
        let response = app.post_form(&form, &form, &bad).await;
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("Regel 1"), "{html}");
        assert!(html.contains("Gebruikers chatbot"), "input kept: {html}");
        assert!(store::for_item(w.db.pool(), &p.ac010102.id)
            .await
            .unwrap()
            .is_empty());

        let response = app.post_form(&form, &form, &good).await;
        assert_eq!(response.status(), 303);
        let series = store::for_item(w.db.pool(), &p.ac010102.id).await.unwrap();
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].targets[1].value, 5000.0);
        assert_eq!(series[0].indicator.frequency, "driemaandelijks");

        // The edit form shows the values the Belgian way.
        let edit = format!(
            "/plannen/{}/indicatoren/{}/bewerken",
            p.plan.id, series[0].indicator.id
        );
        let html = app.page(&edit).await;
        assert!(html.contains("31/12/2027 5.000"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn the_comparison_shows_published_indicators_of_other_cities() {
    each_plan_app(|app, w| async move {
        let (p, gent) = gent_indicator(&w, "modal-split-fiets").await;
        let (_plan, antwerpen) = antwerpen_plan(&w, "modal-split-fiets").await;
        measure(&w.db, &gent, "01/01/2026", "31,5", "", &w.editor)
            .await
            .unwrap();
        measure(&w.db, &antwerpen, "01/06/2025", "27", "", &w.outsider)
            .await
            .unwrap();
        login(&app, &w.outsider).await;
        let page = "/indicatoren/vergelijk/modal-split-fiets";

        // Gent's plan is not published: Antwerpen's editor sees only Antwerpen.
        let html = app.page(page).await;
        assert!(html.contains(">Antwerpen</span></th>"), "{html}");
        assert!(!html.contains(">Gent</span></th>"), "{html}");

        publish_indicators(&w, &p.plan).await;
        let html = app.page(page).await;
        assert!(html.contains(">Antwerpen</span></th>"), "{html}");
        assert!(html.contains(">Gent</span></th>"), "{html}");
        assert!(html.contains("31,5 %"), "{html}");
        assert!(html.contains("27 %"), "{html}");
        // One combined chart with a text legend.
        assert_eq!(html.matches("role=\"img\"").count(), 1, "{html}");
        assert!(html.contains(">Gent</text>"), "{html}");
        // The published indicator itself can be opened, without the measurement form.
        let detail = format!("/plannen/{}/indicatoren/{}", p.plan.id, gent.id);
        let html = app.page(&detail).await;
        assert!(!html.contains(&format!("{detail}/metingen")), "{html}");
    })
    .await;
}

#[tokio::test]
async fn the_item_page_lists_its_indicators() {
    each_plan_app(|app, w| async move {
        let (p, indicator) = gent_indicator(&w, "").await;
        measure(&w.db, &indicator, "01/01/2026", "120", "", &w.editor)
            .await
            .unwrap();
        login(&app, &w.editor).await;
        let html = app
            .page(&format!("/plannen/{}/items/{}", p.plan.id, p.ac010101.id))
            .await;
        assert!(
            html.contains(&format!(
                "/plannen/{}/indicatoren/{}",
                p.plan.id, indicator.id
            )),
            "{html}"
        );
        assert!(html.contains("120 %"), "{html}");
        // 120 where 150 is expected: niet op koers, with its text.
        assert!(html.contains("Niet op koers"), "{html}");
        assert!(
            html.contains("/indicatoren/nieuw"),
            "editors may add one: {html}"
        );
    })
    .await;
}

#[tokio::test]
async fn only_editors_delete_measurements() {
    each_plan_app(|app, w| async move {
        let (p, indicator) = gent_indicator(&w, "").await;
        let m = measure(&w.db, &indicator, "01/01/2026", "120", "", &w.member)
            .await
            .unwrap();
        let page = format!("/plannen/{}/indicatoren/{}", p.plan.id, indicator.id);
        let action = format!("{page}/metingen/{}/verwijderen", m.id);

        login(&app, &w.member).await;
        assert!(!app.page(&page).await.contains(&action));
        let response = app.post_form(&page, &action, &[]).await;
        assert_eq!(response.status(), 403);
        assert_eq!(
            store::series(w.db.pool(), &indicator.id)
                .await
                .unwrap()
                .unwrap()
                .measurements
                .len(),
            1
        );

        login(&app, &w.editor).await;
        assert!(app.page(&page).await.contains(&action));
        let response = app.post_form(&page, &action, &[]).await;
        assert_eq!(response.status(), 303);
        let s = store::series(w.db.pool(), &indicator.id)
            .await
            .unwrap()
            .unwrap();
        assert!(s.measurements.is_empty());
    })
    .await;
}
