//! Writing parsed imports to a plan: the jaarplan seed and generated BBC files, on both
//! backends; idempotence, changed files, refused files, and the import job.

use crate::common;

use std::collections::HashMap;

use common::{world, Person};
use steden_db::jobs::JobError;
use steden_db::Db;
use steden_plan::import::bbc::testdata::{generate, GenEncoding, GenLayout, GenOptions};
use steden_plan::import::bbc::{self, BbcImport};
use steden_plan::import::jaarplan;
use steden_plan::import::uploads::{self, ImportKind, Parsed, Refusal, UploadOptions};
use steden_plan::import::write::{self, Action, ImportSummary};
use steden_plan::model::{Item, Plan, TITLE_MAX};
use steden_plan::store::items;
use steden_plan::store::plans;

const SEED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/seeds/000_36870990a2a15f1c.txt"
));

async fn kenniscentrum_plan(db: &Db, org: &str, by: &Person) -> Plan {
    let levels: Vec<String> = ["Programma", "Werkspoor", "Doelstelling", "Actie"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut tx = db.begin().await.unwrap();
    let plan = plans::create(
        &mut tx,
        org,
        &common::plan_fields("Jaarplan 2025"),
        &levels,
        false,
        &by.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    plan
}

async fn import_jaarplan(
    db: &Db,
    plan: &Plan,
    file: &jaarplan::Jaarplan,
    by: &Person,
) -> ImportSummary {
    let mut conn = db.pool().acquire().await.unwrap();
    let planned = write::plan_jaarplan(&mut conn, &plan.id, file)
        .await
        .unwrap();
    drop(conn);
    let mut tx = db.begin().await.unwrap();
    let summary = write::apply(&mut tx, &plan.id, &planned, &by.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    summary
}

async fn import_bbc(db: &Db, plan: &Plan, file: &BbcImport, by: &Person) -> ImportSummary {
    let mut tx = db.begin().await.unwrap();
    let planned = write::plan_bbc(&mut tx, &plan.id, file).await.unwrap();
    let summary = write::apply(&mut tx, &plan.id, &planned, &by.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    summary
}

async fn amounts_total(db: &Db, plan_id: &str) -> (i64, i64) {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plan_amounts WHERE plan_id = $1")
        .bind(plan_id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    let sum: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(SUM(cents) AS BIGINT) FROM plan_amounts WHERE plan_id = $1",
    )
    .bind(plan_id)
    .fetch_one(db.pool())
    .await
    .unwrap();
    (count, sum.unwrap_or(0))
}

fn by_code(items: &[Item]) -> HashMap<String, Item> {
    items.iter().map(|i| (i.code.clone(), i.clone())).collect()
}

#[tokio::test]
async fn jaarplan_seed_into_an_empty_plan_and_again() {
    steden_db::testing::each_backend(&common::migrations(), |db| async move {
        let w = world(&db).await;
        let plan = kenniscentrum_plan(&db, &w.gent, &w.editor).await;
        let file = jaarplan::parse(SEED).unwrap();
        assert_eq!(file.doelstellingen().count(), 46);

        let first = import_jaarplan(&db, &plan, &file, &w.editor).await;
        assert!(first.created > 46, "{first:?}");
        assert_eq!(
            (first.changed, first.unchanged, first.left_alone),
            (0, 0, 0)
        );

        let all = items::list_for_plan(db.pool(), &plan.id).await.unwrap();
        assert_eq!(all.len(), first.created);
        let codes = by_code(&all);
        let ids: HashMap<&str, &Item> = all.iter().map(|i| (i.id.as_str(), i)).collect();
        // Every doelstelling is an item under its werkspoor (or chapter), with its actions.
        let mut doel_count = 0;
        for section in &file.sections {
            let top = &codes[&section.code];
            assert_eq!(top.depth, 0);
            for werkspoor in &section.werksporen {
                let item = &codes[&werkspoor.code];
                assert_eq!(item.parent_id.as_deref(), Some(top.id.as_str()));
                for doel in &werkspoor.doelstellingen {
                    let d = &codes[&doel.code];
                    assert_eq!(d.parent_id.as_deref(), Some(item.id.as_str()));
                    assert_eq!(d.depth, 2);
                    doel_count += 1;
                }
            }
            for doel in &section.doelstellingen {
                let d = &codes[&doel.code];
                assert_eq!(d.parent_id.as_deref(), Some(top.id.as_str()));
                doel_count += 1;
            }
        }
        assert_eq!(doel_count, 46);
        for doel in file.doelstellingen() {
            let d = &codes[&doel.code];
            for action in &doel.actions {
                let a = &codes[&action.code];
                assert_eq!(a.parent_id.as_deref(), Some(d.id.as_str()));
                for child in &action.children {
                    assert_eq!(codes[&child.code].parent_id.as_deref(), Some(a.id.as_str()));
                }
                if action.text.chars().count() > TITLE_MAX {
                    assert!(a.title.ends_with('…'), "{}", a.title);
                    assert_eq!(a.description, action.text);
                } else {
                    assert_eq!(a.title, action.text);
                }
            }
        }
        for item in &all {
            assert!(item.title.chars().count() <= TITLE_MAX, "{}", item.title);
            assert!(!item.title.contains("http"), "URL in {}", item.title);
            assert!(!item.title.contains('→'), "footer in {}", item.title);
            if let Some(parent) = &item.parent_id {
                assert_eq!(ids[parent.as_str()].depth + 1, item.depth);
            }
        }
        // Sub-actions needed a fifth level.
        let reread = plans::find(db.pool(), &plan.id).await.unwrap().unwrap();
        if file
            .doelstellingen()
            .any(|d| d.actions.iter().any(|a| !a.children.is_empty()))
        {
            assert_eq!(reread.levels.len(), 5);
            assert_eq!(reread.levels[4], write::SUB_ACTION_LEVEL);
        }

        let second = import_jaarplan(&db, &plan, &file, &w.editor).await;
        assert_eq!(
            (second.created, second.changed, second.unchanged),
            (0, 0, first.created)
        );
        let audits: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE entity_id = $1 AND action = 'import'",
        )
        .bind(&plan.id)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(audits, 2, "one audit entry per import");
    })
    .await;
}

#[tokio::test]
async fn jaarplan_keeps_items_it_does_not_contain_and_matches_by_title() {
    steden_db::testing::each_backend(&common::migrations(), |db| async move {
        let w = world(&db).await;
        let plan = kenniscentrum_plan(&db, &w.gent, &w.editor).await;
        let own = common::add_item(
            &db,
            &plan,
            None,
            common::item_fields("EIGEN1", "Eigen programma"),
            &w.editor,
        )
        .await;
        let mut file = jaarplan::parse(SEED).unwrap();
        import_jaarplan(&db, &plan, &file, &w.editor).await;
        // A doelstelling inserted before the first one shifts the codes; titles still match.
        let section = file
            .sections
            .iter_mut()
            .find(|s| !s.doelstellingen.is_empty())
            .unwrap();
        let mut extra = section.doelstellingen[0].clone();
        extra.title = "Een nieuwe doelstelling".into();
        extra.actions.truncate(1);
        extra.actions[0].text = "Een nieuwe actie".into();
        extra.actions[0].children.clear();
        section.doelstellingen.insert(0, extra);
        let planned = {
            let mut conn = db.pool().acquire().await.unwrap();
            write::plan_jaarplan(&mut conn, &plan.id, &file)
                .await
                .unwrap()
        };
        assert_eq!(
            planned.count(Action::Create),
            2,
            "{:?}",
            planned.first(Action::Create)
        );
        assert_eq!(planned.count(Action::Update), 0);
        assert_eq!(planned.left_alone, 1);
        let mut tx = db.begin().await.unwrap();
        write::apply(&mut tx, &plan.id, &planned, &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(items::find(db.pool(), &own.id).await.unwrap().is_some());
    })
    .await;
}

fn options(lines: usize) -> GenOptions {
    GenOptions {
        lines,
        layout: GenLayout::Wide,
        title_lines: false,
        dotted_codes: false,
        seed: 7,
    }
}

#[tokio::test]
async fn bbc_csv_and_xlsx_import_with_amounts_and_again() {
    steden_db::testing::each_backend(&common::migrations(), |db| async move {
        let w = world(&db).await;
        let generated = generate(&options(300));
        let csv = generated.to_csv(b';', GenEncoding::Windows1252);
        let xlsx = generated.to_xlsx().unwrap();
        let expected_sum: i64 = generated.expected.totals.values().sum();
        let e = &generated.expected;
        let count = e.beleidsdoelstellingen + e.actieplannen + e.acties;
        for (name, bytes) in [("csv", csv), ("xlsx", xlsx)] {
            let plan = common::create_plan(&db, &w.gent, name, &w.editor).await;
            let file = bbc::import(&bytes).unwrap();
            let first = import_bbc(&db, &plan, &file, &w.editor).await;
            assert_eq!(first.created, count, "{name}");
            let (rows, sum) = amounts_total(&db, &plan.id).await;
            assert_eq!(sum, expected_sum, "{name}");
            assert_eq!(rows as usize, first.amounts_written);
            let all = items::list_for_plan(db.pool(), &plan.id).await.unwrap();
            let codes = by_code(&all);
            for ac in file.acties() {
                let item = &codes[&ac.code];
                assert_eq!(item.depth, 2);
                assert_eq!(Some(&item.internal_code), ac.internal_code.as_ref());
                assert_eq!(Some(&item.responsible_service), ac.dienst.as_ref());
            }
            let second = import_bbc(&db, &plan, &file, &w.editor).await;
            assert_eq!((second.created, second.changed), (0, 0), "{name}");
            assert_eq!(second.unchanged, count);
            assert_eq!(amounts_total(&db, &plan.id).await, (rows, sum));
        }
    })
    .await;
}

#[tokio::test]
async fn a_changed_bbc_file_changes_exactly_what_changed() {
    steden_db::testing::each_backend(&common::migrations(), |db| async move {
        let w = world(&db).await;
        let plan = common::create_plan(&db, &w.gent, "Meerjarenplan", &w.editor).await;
        let generated = generate(&options(300));
        let file = bbc::import(&generated.to_csv(b';', GenEncoding::Utf8)).unwrap();
        import_bbc(&db, &plan, &file, &w.editor).await;
        let (_, sum_before) = amounts_total(&db, &plan.id).await;

        let mut changed = file.clone();
        let bd = &mut changed.beleidsdoelstellingen[0];
        bd.actieplannen[0].acties[0].title = "Een nieuwe titel".into();
        let retitled = bd.actieplannen[0].acties[0].code.clone();
        let ac = bd
            .actieplannen
            .iter_mut()
            .flat_map(|ap| ap.acties.iter_mut())
            .find(|a| !a.amounts.is_empty() && a.code != retitled)
            .unwrap();
        ac.amounts[0].cents += 10_000;
        let reamounted = ac.code.clone();

        let mut conn = db.pool().acquire().await.unwrap();
        let planned = write::plan_bbc(&mut conn, &plan.id, &changed)
            .await
            .unwrap();
        drop(conn);
        let updates = planned.first(Action::Update);
        assert_eq!(updates.len(), 2);
        let titled = updates.iter().find(|u| u.code == retitled).unwrap();
        assert_eq!(titled.changes.len(), 1);
        assert_eq!(titled.changes[0].field, "title");
        assert_eq!(titled.changes[0].new, "Een nieuwe titel");
        let amounted = updates.iter().find(|u| u.code == reamounted).unwrap();
        assert_eq!(amounted.changes.len(), 1);
        assert_eq!(amounted.changes[0].field, "amounts");
        assert_eq!(planned.count(Action::Create), 0);

        let summary = import_bbc(&db, &plan, &changed, &w.editor).await;
        assert_eq!((summary.created, summary.changed), (0, 2));
        let (_, sum_after) = amounts_total(&db, &plan.id).await;
        assert_eq!(sum_after, sum_before + 10_000);
        let item = items::get_by_code(db.pool(), &plan.id, &retitled)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(item.title, "Een nieuwe titel");
    })
    .await;
}

#[test]
fn malformed_files_are_refused_with_line_and_reason() {
    let csv = "Beleidsdoelstelling;Actieplan;Actie;Raming 2026\n\
               BD01 Veilig;AP0101 Straten;AC010101 Lampen;1.000,00\n\
               BD01 Veilig;AP0101 Straten;AC010102 Camera's;12,34,56\n";
    match uploads::parse(ImportKind::Bbc, csv.as_bytes(), &UploadOptions::default()) {
        Err(Refusal::Problems(problems)) => {
            assert!(problems.iter().any(|p| p.line == Some(3)), "{problems:?}");
        }
        Err(Refusal::NeedsMapping(b)) => panic!("mapping asked: {:?}", b.1.ambiguities),
        Ok(_) => panic!("a malformed amount was accepted"),
    }
    match uploads::parse(
        ImportKind::Jaarplan,
        b"Een boodschappenlijst\n\nmelk\nbrood\n",
        &UploadOptions::default(),
    ) {
        Err(Refusal::Problems(problems)) => {
            assert_eq!(problems.len(), 1);
            assert!(problems[0].line.is_some());
            assert!(problems[0].message.contains("DOELSTELLING"), "{problems:?}");
        }
        other => panic!("unstructured text accepted: {:?}", other.is_ok()),
    }
}

#[tokio::test]
async fn the_job_imports_a_stored_upload_and_refuses_a_broken_one() {
    steden_db::testing::each_backend(&common::migrations(), |db| async move {
        let w = world(&db).await;
        let plan = kenniscentrum_plan(&db, &w.gent, &w.editor).await;
        let mut tx = db.begin().await.unwrap();
        let good = uploads::create(
            &mut tx,
            &w.gent,
            &plan.id,
            ImportKind::Jaarplan,
            "jaarplan.txt",
            SEED.as_bytes(),
            Some(&w.editor.id),
        )
        .await
        .unwrap();
        let bad = uploads::create(
            &mut tx,
            &w.gent,
            &plan.id,
            ImportKind::Jaarplan,
            "leeg.txt",
            b"geen structuur\n",
            Some(&w.editor.id),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(good.status, "uploaded");
        assert_eq!(good.sha256.len(), 64);
        let actor = w.editor.audit();
        let noop = |_: i64, _: i64, _: String| async { Ok::<(), JobError>(()) };

        let err = steden_plan::import::jobs::run(&db, &bad.id, &actor, noop)
            .await
            .unwrap_err();
        assert!(err.is_permanent(), "{err:?}");
        assert!(items::list_for_plan(db.pool(), &plan.id)
            .await
            .unwrap()
            .is_empty());
        let bad = uploads::find(db.pool(), &bad.id).await.unwrap().unwrap();
        assert_eq!(bad.status, "failed");
        assert!(bad.result["error"].as_str().unwrap().contains("regel"));

        let summary = steden_plan::import::jobs::run(&db, &good.id, &actor, noop)
            .await
            .unwrap();
        assert!(summary.created > 46);
        let good = uploads::find(db.pool(), &good.id).await.unwrap().unwrap();
        assert_eq!(good.status, "done");
        assert_eq!(
            good.result["created"].as_u64(),
            Some(summary.created as u64)
        );
        let parsed = uploads::parse(ImportKind::Jaarplan, SEED.as_bytes(), &good.options);
        assert!(matches!(parsed, Ok(Parsed::Jaarplan(_))));
    })
    .await;
}
