//! Issue 11 point 2, the two-year scenario on both backends: import this year's jaarplan,
//! start the next period ("Volgende periode starten"), import next year's text (a programme
//! dropped, a werkspoor with sub-actions added under a later programme, two actions swapped),
//! and check that codes follow the tree, unchanged items keep their codes, the dropped items
//! can be archived, and the public slugs still name the same programmes.

use std::collections::HashMap;

use crate::common;
use crate::levels::{import, kenniscentrum_plan, SEED};

use common::world;
use steden_db::Db;
use steden_plan::import::jaarplan;
use steden_plan::import::write;
use steden_plan::model::{Item, ItemStatus, Plan};
use steden_plan::store::{items, plans};

const NEW_WERKSPOOR: &str = "Wijkgerichte klimaatwerking";

/// Next year's text, made from the seed: Stadsgenoten dropped (overview and body), a new
/// werkspoor with a doelstelling, actions and sub-actions at the end of Klimaat (overview and
/// body), two actions of a list swapped, and the year moved on (also in the texts of items,
/// which are then retitled).
fn next_year(text: &str) -> String {
    let text = text.replace("2025", "2026");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let find = |lines: &[String], pred: &dyn Fn(&str) -> bool| {
        lines
            .iter()
            .position(|l| pred(l))
            .expect("a line of the seed")
    };
    // Stadsgenoten: its overview line, and its body up to the next programme.
    let overview = find(&lines, &|l| l == "Stadsgenoten");
    lines.drain(overview..overview + 2);
    let body = find(&lines, &|l| l == "Stadsgenoten ");
    let next = find(&lines, &|l| l == "Klimaat ");
    lines.drain(body..next);
    // The new werkspoor: last in Klimaat's overview list, and in the body before the next
    // programme.
    let entry = find(&lines, &|l| l == "3.\tCapacities 2.0");
    lines.insert(entry + 1, format!("4.\t{NEW_WERKSPOOR}"));
    let digital = lines
        .iter()
        .rposition(|l| l == "Digitale Transitie")
        .expect("the programme's heading");
    let block = [
        format!(" {NEW_WERKSPOOR} "),
        String::new(),
        "Een nieuw werkspoor dat de klimaatwerking in de wijken van de centrumsteden ".into(),
        "versterkt. ".into(),
        String::new(),
        "DOELSTELLING 1\t Een klimaatwijk in elke centrumstad".into(),
        String::new(),
        "ACTIES 2026".into(),
        "\t■  We kiezen de wijken samen met de steden;".into(),
        "\t■  We bouwen een netwerk uit: ".into(),
        String::new(),
        "\t■  met de steden;".into(),
        "\t■  met de partners. ".into(),
    ];
    let at = digital - 3;
    for (k, line) in block.into_iter().enumerate() {
        lines.insert(at + k, line);
    }
    // Two actions swapped.
    let first = find(&lines, &|l| {
        l.trim_end() == "\t■ We richten de projectgroep op;"
    });
    lines.swap(first, first + 1);
    lines.join("\n")
}

/// Each item's path of titles from the top.
fn paths(items: &[Item]) -> HashMap<String, String> {
    let by_id: HashMap<&str, &Item> = items.iter().map(|i| (i.id.as_str(), i)).collect();
    items
        .iter()
        .map(|item| {
            let mut path = vec![item.title.clone()];
            let mut parent = item.parent_id.as_deref();
            while let Some(p) = parent.and_then(|p| by_id.get(p)) {
                path.push(p.title.clone());
                parent = p.parent_id.as_deref();
            }
            path.reverse();
            (path.join(" / "), item.code.clone())
        })
        .collect()
}

async fn publish(db: &Db, plan: &Plan, by: &common::Person) {
    let mut tx = db.begin().await.unwrap();
    plans::set_publication(&mut tx, &plan.id, true, &[], &by.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Programme title → slug, and "programme / werkspoor" → slug, of a published plan.
async fn slugs(db: &Db, plan: &Plan) -> HashMap<String, String> {
    let published = steden_plan::site::published_plan(db, &plan.id)
        .await
        .unwrap()
        .unwrap();
    let mut out = HashMap::new();
    for top in published.items.iter().filter(|i| i.depth == 0) {
        out.insert(top.title.clone(), top.slug.clone());
        for child in published
            .items
            .iter()
            .filter(|i| i.parent_id.as_deref() == Some(top.id.as_str()))
        {
            out.insert(
                format!("{} / {}", top.title, child.title),
                format!("{}/{}", top.slug, child.slug),
            );
        }
    }
    out
}

#[tokio::test]
async fn two_years_keep_codes_and_slugs_and_archive_what_was_dropped() {
    steden_db::testing::each_backend(&common::migrations(), |db| async move {
        let w = world(&db).await;
        let this_year = kenniscentrum_plan(&db, &w.gent, "Jaarplan 2025", &w.editor).await;
        let seed = jaarplan::parse(SEED).unwrap();
        import(&db, &this_year, &seed, &w.editor).await;
        publish(&db, &this_year, &w.editor).await;
        let before = items::list_for_plan(db.pool(), &this_year.id)
            .await
            .unwrap();
        // Keyed by the path as next year's text words it (the year moved on).
        let old_codes: HashMap<String, String> = paths(&before)
            .into_iter()
            .map(|(path, code)| (path.replace("2025", "2026"), code))
            .collect();
        let old_slugs = slugs(&db, &this_year).await;
        let code_of = |items: &[Item], title: &str| {
            items
                .iter()
                .find(|i| i.depth == 0 && i.title == title)
                .map(|i| i.code.clone())
                .unwrap()
        };
        assert_eq!(code_of(&before, "Stadsgenoten"), "P3");
        assert_eq!(code_of(&before, "Klimaat"), "P4");

        // Next year's text parses as the text says: Klimaat is its P3 now.
        let text = next_year(SEED);
        let file = jaarplan::parse(&text).unwrap();
        let klimaat = file.sections.iter().find(|s| s.title == "Klimaat").unwrap();
        assert_eq!(klimaat.code, "P3");
        let new = klimaat.werksporen.last().unwrap();
        assert_eq!(
            (new.title.as_str(), new.code.as_str()),
            (NEW_WERKSPOOR, "P3.W4")
        );
        assert_eq!(new.doelstellingen[0].actions[1].children.len(), 2);
        assert!(file.sections.iter().all(|s| s.title != "Stadsgenoten"));

        // Volgende periode starten, then the import of next year's text.
        let mut tx = db.begin().await.unwrap();
        let next = plans::copy(
            &mut tx,
            &this_year.id,
            &common::plan_fields("Jaarplan 2026"),
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let mut conn = db.pool().acquire().await.unwrap();
        let planned = write::plan_jaarplan(&mut conn, &next.id, &file)
            .await
            .unwrap();
        drop(conn);
        // What the text no longer contains: Stadsgenoten with everything below it.
        assert!(!planned.unmatched.is_empty());
        assert!(
            planned.unmatched.iter().all(|u| u.code.starts_with("P3")),
            "{:?}",
            planned.unmatched
        );
        assert_eq!(planned.unmatched.len(), planned.left_alone);
        let mut tx = db.begin().await.unwrap();
        let summary = write::apply(&mut tx, &next.id, &planned, &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        // The werkspoor, its doelstelling, two actions and two sub-actions are new; the items
        // whose text says 2026 now are retitled, not new.
        assert_eq!(summary.created, 6, "{summary:?}");
        assert!(summary.changed > 0, "{summary:?}");

        let next = plans::find(db.pool(), &next.id).await.unwrap().unwrap();
        let after = items::list_for_plan(db.pool(), &next.id).await.unwrap();
        let by_id: HashMap<&str, &Item> = after.iter().map(|i| (i.id.as_str(), i)).collect();
        // Codes match the tree: every code extends its parent's.
        for item in &after {
            if let Some(parent) = item.parent_id.as_deref().map(|p| by_id[p]) {
                assert!(
                    item.code.starts_with(&format!("{}.", parent.code)),
                    "{} under {}",
                    item.code,
                    parent.code
                );
                assert!(item.level > parent.level, "{}", item.code);
            }
        }
        // Unchanged items keep their codes: every item of last year still in the text.
        let new_codes = paths(&after);
        let mut kept = 0;
        for (path, code) in &new_codes {
            if let Some(old) = old_codes.get(path) {
                assert_eq!(old, code, "{path}");
                kept += 1;
            }
        }
        assert_eq!(kept + summary.created, after.len());
        assert_eq!(code_of(&after, "Klimaat"), "P4");
        assert_eq!(code_of(&after, "Digitale Transitie"), "P5");
        // The new werkspoor is numbered under its own programme, with its sub-actions under it.
        let code = |path: &str| new_codes[path].as_str();
        let werkspoor = format!("Klimaat / {NEW_WERKSPOOR}");
        assert_eq!(code(&werkspoor), "P4.W4");
        let doel = format!("{werkspoor} / Een klimaatwijk in elke centrumstad");
        assert_eq!(code(&doel), "P4.W4.D1");
        let action = format!("{doel} / We bouwen een netwerk uit:");
        assert_eq!(code(&action), "P4.W4.D1.A2");
        assert_eq!(code(&format!("{action} / met de steden;")), "P4.W4.D1.A2.1");
        assert_eq!(
            code(&format!("{action} / met de partners.")),
            "P4.W4.D1.A2.2"
        );
        let sub = after.iter().find(|i| i.code == "P4.W4.D1.A2.2").unwrap();
        assert_eq!(next.level_name(sub.level), write::SUB_ACTION_LEVEL);
        let ws = after.iter().find(|i| i.code == "P4.W4").unwrap();
        assert_eq!(next.level_name(ws.level), "Werkspoor");
        // Importing the same text again changes nothing.
        let again = import(&db, &next, &file, &w.editor).await;
        assert_eq!((again.created, again.changed), (0, 0));

        // Archive what the text no longer contains (all at once, as the preview's button).
        let mut conn = db.pool().acquire().await.unwrap();
        let planned = write::plan_jaarplan(&mut conn, &next.id, &file)
            .await
            .unwrap();
        drop(conn);
        let ids: Vec<String> = planned.unmatched.iter().map(|u| u.id.clone()).collect();
        let stadsgenoten = after
            .iter()
            .find(|i| i.title == "Stadsgenoten" && i.depth == 0)
            .unwrap();
        assert!(ids.contains(&stadsgenoten.id));
        let mut tx = db.begin().await.unwrap();
        let archived = items::archive(&mut tx, &next.id, &ids, &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(archived, ids.len());
        // Gone from the current views, kept for history, stopped.
        let current = items::list_for_plan(db.pool(), &next.id).await.unwrap();
        assert_eq!(current.len(), after.len() - archived);
        assert!(current.iter().all(|i| !i.code.starts_with("P3")));
        let kept = items::get(db.pool(), &stadsgenoten.id).await.unwrap();
        assert!(kept.archived_at.is_some());
        assert_eq!(kept.status, ItemStatus::Stopgezet);
        let counts = items::status_counts(db.pool(), &next.id, "2026-01-01")
            .await
            .unwrap();
        assert_eq!(
            counts.iter().map(|c| c.count).sum::<i64>(),
            current.len() as i64
        );
        // The preview has nothing left to archive; last year's plan still has Stadsgenoten.
        let mut conn = db.pool().acquire().await.unwrap();
        let planned = write::plan_jaarplan(&mut conn, &next.id, &file)
            .await
            .unwrap();
        drop(conn);
        assert!(planned.unmatched.is_empty());
        let last_year = items::list_for_plan(db.pool(), &this_year.id)
            .await
            .unwrap();
        assert_eq!(last_year.len(), before.len());

        // The public slugs name the same programmes and werksporen in both years.
        publish(&db, &next, &w.editor).await;
        let new_slugs = slugs(&db, &next).await;
        assert_eq!(new_slugs["Klimaat"], old_slugs["Klimaat"]);
        assert_eq!(old_slugs["Klimaat"], "klimaat");
        let mut same = 0;
        for (title, slug) in &new_slugs {
            if let Some(old) = old_slugs.get(title) {
                assert_eq!(old, slug, "{title}");
                same += 1;
            }
        }
        assert!(same > 20, "{same}");
        assert!(!new_slugs.contains_key("Stadsgenoten"));
        assert_eq!(new_slugs[&werkspoor], "klimaat/wijkgerichte-klimaatwerking");
    })
    .await;
}

#[tokio::test]
async fn the_import_preview_archives_one_item_or_all_that_the_text_no_longer_contains() {
    common::each_plan_app(|app, w| async move {
        let plan = kenniscentrum_plan(&app.db, &w.gent, "Jaarplan 2026", &w.editor).await;
        import(&app.db, &plan, &jaarplan::parse(SEED).unwrap(), &w.editor).await;
        let mut tx = app.db.begin().await.unwrap();
        let upload = steden_plan::store::imports::create(
            &mut tx,
            &w.gent,
            &plan.id,
            steden_plan::import::uploads::ImportKind::Jaarplan,
            "jaarplan-2026.txt",
            next_year(SEED).as_bytes(),
            Some(&w.editor.id),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        common::login(&app, &w.editor).await;
        let preview = steden_plan::paths::upload_path(&plan.id, &upload.id);
        let archive = steden_plan::paths::upload_archive_path(&plan.id, &upload.id);
        let html = app.page(&preview).await;
        assert!(html.contains("Niet meer in de tekst"), "{html}");
        assert!(html.contains("Stadsgenoten"));
        assert!(html.contains(&format!("action=\"{archive}\"")));

        // One item (a werkspoor of Stadsgenoten, with what is below it).
        let all = items::list_for_plan(app.db.pool(), &plan.id).await.unwrap();
        let track = all.iter().find(|i| i.code == "P3.W1").unwrap();
        let response = app
            .post_form(&preview, &archive, &[("item", &track.id)])
            .await;
        assert!(response.status().is_redirection(), "{}", response.status());
        let left = items::list_for_plan(app.db.pool(), &plan.id).await.unwrap();
        assert!(left.iter().any(|i| i.code == "P3"));
        assert!(left.iter().all(|i| !i.code.starts_with("P3.W1")));
        // An item the text still contains is not archived through this form.
        let klimaat = all.iter().find(|i| i.title == "Klimaat").unwrap();
        app.post_form(&preview, &archive, &[("item", &klimaat.id)])
            .await;
        assert!(items::get(app.db.pool(), &klimaat.id)
            .await
            .unwrap()
            .archived_at
            .is_none());

        // All at once.
        let response = app.post_form(&preview, &archive, &[("all", "1")]).await;
        assert!(response.status().is_redirection());
        let left = items::list_for_plan(app.db.pool(), &plan.id).await.unwrap();
        assert!(left.iter().all(|i| !i.code.starts_with("P3")));
        let html = app.page(&preview).await;
        assert!(!html.contains("Niet meer in de tekst"), "{html}");
        // The tree no longer shows Stadsgenoten; its item page (history) still opens.
        let tree = app.page(&format!("/plannen/{}", plan.id)).await;
        assert!(!tree.contains(">Stadsgenoten<"));
        let stadsgenoten = all.iter().find(|i| i.code == "P3").unwrap();
        let page = app
            .page(&steden_plan::paths::item_path(&plan.id, &stadsgenoten.id))
            .await;
        assert!(page.contains("Gearchiveerd"), "{page}");
    })
    .await;
}

/// The tree's filters offer only what the tree shows: the owner and the theme of archived items
/// are no longer choices (the items stay in the plan, out of the current views).
#[tokio::test]
async fn archived_items_leave_the_filters_of_owner_and_theme() {
    steden_db::testing::each_backend(&common::migrations(), |db| async move {
        let w = world(&db).await;
        let p = common::small_plan(&w).await;
        let mut tx = db.begin().await.unwrap();
        let fields = items::ItemFields {
            owner_user_id: Some(w.reader.id.clone()),
            themes: vec!["gearchiveerd-thema".into()],
            ..items::ItemFields::from_item(&p.ac020101)
        };
        items::update(&mut tx, &p.ac020101.id, &fields, "", &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let owners = |db: Db, plan: String| async move {
            items::owner_names(db.pool(), &plan)
                .await
                .unwrap()
                .into_iter()
                .map(|(id, _)| id)
                .collect::<Vec<_>>()
        };
        let themes = |db: Db, plan: String| async move {
            items::theme_lists(db.pool(), &plan)
                .await
                .unwrap()
                .join(" ")
        };
        assert!(owners(db.clone(), p.plan.id.clone())
            .await
            .contains(&w.reader.id));
        assert!(themes(db.clone(), p.plan.id.clone())
            .await
            .contains("gearchiveerd-thema"));

        let mut tx = db.begin().await.unwrap();
        let archived = items::archive(
            &mut tx,
            &p.plan.id,
            std::slice::from_ref(&p.bd02.id),
            &w.editor.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert!(
            archived >= 3,
            "BD02 with its actieplan and action: {archived}"
        );
        assert!(!owners(db.clone(), p.plan.id.clone())
            .await
            .contains(&w.reader.id));
        assert!(!themes(db.clone(), p.plan.id.clone())
            .await
            .contains("gearchiveerd-thema"));
    })
    .await;
}
