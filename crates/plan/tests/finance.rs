//! Finance: sums over subtrees match the stored amounts; the page shows the plan's figures
//! with an accessible chart to readers.

use crate::common;

use common::login;
use steden_db::Db;
use steden_plan::finance::{self, euros};
use steden_plan::import::bbc::testdata::{generate, GenEncoding, GenLayout, GenOptions};
use steden_plan::import::{bbc, write};
use steden_plan::model::Plan;

async fn imported_plan(db: &Db, w: &common::World) -> Plan {
    let plan = common::create_plan(db, &w.gent, "Meerjarenplan", &w.editor).await;
    let generated = generate(&GenOptions {
        lines: 300,
        layout: GenLayout::Wide,
        title_lines: false,
        dotted_codes: false,
        seed: 3,
    });
    let file = bbc::import(&generated.to_csv(b';', GenEncoding::Utf8)).unwrap();
    let mut tx = db.begin().await.unwrap();
    let planned = write::plan_bbc(&mut tx, &plan.id, &file).await.unwrap();
    write::apply(&mut tx, &plan.id, &planned, &w.editor.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    plan
}

async fn stored_sum(db: &Db, sql: &str, bind: &str) -> i64 {
    let sum: Option<i64> = sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(db.pool())
        .await
        .unwrap();
    sum.unwrap_or(0)
}

#[tokio::test]
async fn subtree_sums_match_the_stored_amounts() {
    steden_db::testing::each_backend(&common::migrations(), |db| async move {
        let w = common::world(&db).await;
        let plan = imported_plan(&db, &w).await;
        let figures = finance::plan_finance(db.pool(), &plan.id).await.unwrap();
        let total = |b: &finance::Breakdown| -> i64 {
            b.cells
                .values()
                .map(|f| f.raming + f.krediet + f.rekening)
                .sum()
        };
        let all = stored_sum(
            &db,
            "SELECT CAST(SUM(cents) AS BIGINT) FROM plan_amounts WHERE plan_id = $1",
            &plan.id,
        )
        .await;
        assert!(all != 0);
        assert_eq!(total(&figures.plan), all);
        assert_eq!(
            figures.top.iter().map(|t| total(&t.breakdown)).sum::<i64>(),
            all
        );
        // A top-level item: its own amounts plus those of its actieplannen and their acties.
        let top = &figures.top[0];
        let subtree = stored_sum(
            &db,
            "SELECT CAST(SUM(a.cents) AS BIGINT) FROM plan_amounts a
             JOIN plan_items i ON i.id = a.item_id
             LEFT JOIN plan_items p ON p.id = i.parent_id
             WHERE i.id = $1 OR i.parent_id = $1 OR p.parent_id = $1",
            &top.id,
        )
        .await;
        assert_eq!(total(&top.breakdown), subtree);
        let item = finance::item_finance(db.pool(), &plan.id, &top.id)
            .await
            .unwrap();
        assert_eq!(item, top.breakdown);
    })
    .await;
}

#[tokio::test]
async fn readers_see_the_finance_page_with_chart_and_tables() {
    common::each_plan_app(|app, w| async move {
        let plan = imported_plan(&app.db, &w).await;
        let figures = finance::plan_finance(app.db.pool(), &plan.id)
            .await
            .unwrap();
        login(&app, &w.reader).await;
        let html = app.page(&format!("/plannen/{}/financien", plan.id)).await;
        assert!(html.contains("<svg role=\"img\""), "{html}");
        assert!(html.contains("<title id=\"fin-chart-title\">"));
        assert!(html.contains("<th scope=\"col\""));
        let (year, first) = figures.plan.expenditure_by_year()[0];
        assert!(html.contains(&year.to_string()));
        assert!(
            html.contains(&euros(first.budget())),
            "{}",
            euros(first.budget())
        );
        assert!(html.contains(&figures.top[0].code));

        // The item page's panel: the top-level item's own and descendants' amounts.
        let top = &figures.top[0];
        let item_page = app
            .page(&format!("/plannen/{}/items/{}", plan.id, top.id))
            .await;
        assert!(item_page.contains("id=\"financien-kop\""), "{item_page}");
        let (year, f) = top.breakdown.expenditure_by_year()[0];
        assert!(item_page.contains(&format!("<th scope=\"row\">{year}</th>")));
        assert!(item_page.contains(&euros(f.raming)) || f.raming == 0);

        // A plan without amounts says so; another organisation's plan is not found.
        let empty = common::create_plan(&app.db, &w.gent, "Leeg", &w.editor).await;
        let html = app.page(&format!("/plannen/{}/financien", empty.id)).await;
        assert!(html.contains("nog geen bedragen"));
        let other = common::create_plan(&app.db, &w.antwerpen, "Antwerpen", &w.outsider).await;
        let response = app.get(&format!("/plannen/{}/financien", other.id)).await;
        assert_eq!(response.status(), 404);
    })
    .await;
}
