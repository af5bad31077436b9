//! Issue 12, the personal workspace (/start) as the plan fills it through the
//! `WorkspaceTasks` port, on SQLite and PostgreSQL: a city editor sees the report due on their
//! item in an open round, the kwesties that wait for them, recent changes by others in their
//! organisation's plan, and their organisation with a link; nothing of another organisation.

use crate::common;

use common::*;
use steden_plan::kwesties::KwestieFields;
use steden_plan::model::{Item, ItemStatus, Plan};
use steden_plan::rounds::{self, RoundFields};
use steden_plan::store::items::ItemFields;
use steden_plan::store::kwesties;
use steden_plan::store::updates::{self, ProgressReport};

async fn open_round(w: &World, plan_id: &str, by: &Person) {
    let mut tx = w.db.begin().await.unwrap();
    rounds::open(
        &mut tx,
        plan_id,
        &RoundFields {
            name: "Q2 2026".into(),
            deadline: "2099-06-30".into(),
            reminder_days: "3".into(),
        },
        "https://steden.test",
        &by.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn report(w: &World, by: &Person, item: &Item, comment: &str) {
    let mut tx = w.db.begin().await.unwrap();
    updates::report(
        &mut tx,
        &item.id,
        &ProgressReport {
            status: Some(ItemStatus::Vertraagd),
            progress: Some(40),
            comment: comment.into(),
            ..ProgressReport::default()
        },
        &by.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn kwestie(
    w: &World,
    item: &Item,
    title: &str,
    owner: Option<&Person>,
    by: &Person,
) -> String {
    let mut tx = w.db.begin().await.unwrap();
    let k = kwesties::create(
        &mut tx,
        &item.id,
        &KwestieFields {
            kind: "kwestie".into(),
            title: title.into(),
            severity: "hoog".into(),
            owner_user_id: owner.map(|p| p.id.clone()).unwrap_or_default(),
            due_date: "2099-05-31".into(),
            ..KwestieFields::default()
        },
        &by.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    k.id
}

/// An Antwerpen plan with one action owned by its editor, the outsider of [`World`].
async fn antwerp_action(w: &World) -> (Plan, Item) {
    let plan = create_plan(&w.db, &w.antwerpen, "Meerjarenplan Antwerpen", &w.outsider).await;
    let bd = add_item(
        &w.db,
        &plan,
        None,
        item_fields("BD01", "Haven"),
        &w.outsider,
    )
    .await;
    let ap = add_item(
        &w.db,
        &plan,
        Some(&bd),
        item_fields("AP0101", "Kaaien"),
        &w.outsider,
    )
    .await;
    let ac = add_item(
        &w.db,
        &plan,
        Some(&ap),
        ItemFields {
            owner_user_id: Some(w.outsider.id.clone()),
            ..item_fields("AC010101", "Kaaimuur herstellen")
        },
        &w.outsider,
    )
    .await;
    (plan, ac)
}

#[tokio::test]
async fn a_city_editor_sees_what_is_asked_of_them_and_what_changed_and_nothing_of_another_city() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        let own = add_item(
            &w.db,
            &p.plan,
            Some(&p.ap0102),
            ItemFields {
                owner_user_id: Some(w.editor.id.clone()),
                ..item_fields("AC010202", "Opendatabeleid schrijven")
            },
            &w.editor,
        )
        .await;
        let (antwerp, antwerp_action) = antwerp_action(&w).await;

        login(&app, &w.editor).await;
        let empty = app.page("/start").await;
        assert!(
            empty.contains("Er wordt nu niets van u gevraagd"),
            "{empty}"
        );
        assert!(
            empty.contains("De afgelopen 14 dagen veranderde niemand iets"),
            "{empty}"
        );
        // Their organisation, with its page; not another one.
        assert!(
            empty.contains(&format!("href=\"/beheer/organisaties/{}\"", w.gent)),
            "{empty}"
        );
        assert!(!empty.contains(&format!("/beheer/organisaties/{}", w.antwerpen)));

        open_round(&w, &p.plan.id, &w.editor).await;
        open_round(&w, &antwerp.id, &w.outsider).await;
        let mine = kwestie(
            &w,
            &p.ac010101,
            "Budget ontoereikend",
            Some(&w.editor),
            &w.editor,
        )
        .await;
        let unowned = kwestie(&w, &p.ac010201, "Licentie onduidelijk", None, &w.editor).await;
        let theirs = kwestie(
            &w,
            &p.ac010101,
            "Personeel ziek",
            Some(&w.member),
            &w.editor,
        )
        .await;
        let antwerp_unowned =
            kwestie(&w, &antwerp_action, "Kaaimuur verzakt", None, &w.outsider).await;
        report(&w, &w.member, &p.ac010101, "Leverancier is later").await;
        report(&w, &w.editor, &p.ac010102, "Eigen wijziging").await;
        report(&w, &w.outsider, &antwerp_action, "Aannemer failliet").await;

        let page = app.page("/start").await;
        // The report due on their own item in the open round.
        let own_href = steden_plan::paths::item_path(&p.plan.id, &own.id);
        assert!(page.contains(&format!("{own_href}#rapporteren")), "{page}");
        assert!(page.contains("datetime=\"2099-06-30\""), "{page}");
        // Their kwestie and the unowned one in their organisation's plan (an editor assigns
        // it); not the member's, nor Antwerp's.
        assert!(page.contains("Budget ontoereikend"), "{page}");
        assert!(page.contains("Licentie onduidelijk"), "{page}");
        assert!(!page.contains("Personeel ziek"), "{page}");
        assert!(!page.contains("Kaaimuur verzakt"), "{page}");
        assert!(
            page.contains(&format!(
                "{}#kwesties-{}",
                steden_plan::paths::item_path(&p.plan.id, &p.ac010101.id),
                p.ac010101.id
            )),
            "{page}"
        );
        // The member's report in their organisation's plan, with what changed; not their own
        // report, nor Antwerp's.
        assert!(page.contains("Leverancier is later"), "{page}");
        assert!(
            page.contains("Lopend") || page.contains("Niet gestart"),
            "{page}"
        );
        assert!(page.contains("→ Vertraagd"), "{page}");
        assert!(!page.contains("Eigen wijziging"), "{page}");
        assert!(!page.contains("Aannemer failliet"), "{page}");
        assert!(!page.contains("Kaaimuur"), "{page}");
        // User content is marked Dutch.
        assert!(
            page.contains("lang=\"nl\">AC010101 E-loket uitbreiden"),
            "{page}"
        );

        // A resolved kwestie no longer waits.
        let k = kwesties::get(w.db.pool(), &mine).await.unwrap();
        let mut resolved = KwestieFields::from_kwestie(&k);
        resolved.status = "opgelost".into();
        let mut tx = w.db.begin().await.unwrap();
        kwesties::update(&mut tx, &mine, &resolved, &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let after = app.page("/start").await;
        assert!(!after.contains("Budget ontoereikend"), "{after}");
        assert!(after.contains("Licentie onduidelijk"), "{after}");

        // The Antwerp editor sees Antwerp's own work and none of Gent's.
        let mut outsider = app;
        outsider.client = TestApp::new_client();
        login(&outsider, &w.outsider).await;
        let antwerp_page = outsider.page("/start").await;
        assert!(antwerp_page.contains("Kaaimuur verzakt"), "{antwerp_page}");
        assert!(
            !antwerp_page.contains("Licentie onduidelijk"),
            "{antwerp_page}"
        );
        assert!(
            !antwerp_page.contains("Leverancier is later"),
            "{antwerp_page}"
        );
        assert!(!antwerp_page.contains(&theirs), "{antwerp_page}");
        assert!(!antwerp_page.contains(&unowned), "{antwerp_page}");
        let _ = antwerp_unowned;
    })
    .await;
}
