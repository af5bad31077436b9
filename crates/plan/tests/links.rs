//! Nothing links to a page the user may not open (issue 11, point 7), on SQLite and
//! PostgreSQL: for each role of [`world`] (editor, member, reader, and a city editor of another
//! organisation), every link on the pages they reach from the start page, the plan list, a
//! plan's tree, an item page, the dashboard and the navigation is followed, and none answers
//! 403 or 404.

use std::collections::{BTreeSet, VecDeque};

use crate::common;

use common::*;
use steden_plan::import::uploads::{self, ImportKind};
use steden_plan::rounds::{self, RoundFields};
use steden_plan::store::releases;
use steden_web::DemoUser;

/// How many pages one crawl opens at most (the small plan has far fewer).
const MAX_PAGES: usize = 1500;

/// The links (`href`) of a page that stay on the site, without their fragment.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for part in html.split("href=\"").skip(1) {
        let Some(end) = part.find('"') else { continue };
        let href = part[..end]
            .replace("&#38;", "&")
            .replace("&amp;", "&")
            .replace("&#61;", "=");
        let href = href.split('#').next().unwrap_or_default().to_string();
        if href.starts_with('/') && !href.starts_with("//") {
            found.push(href);
        }
    }
    found
}

/// Whether a link is a page to check (not a static asset, not the language switch, which
/// only sets a cookie and goes back).
fn worth_opening(href: &str) -> bool {
    !href.starts_with("/static/") && !href.starts_with("/assets/") && !href.starts_with("/taal/")
}

/// Whether the links of a page are followed: not those of the public pages, which anyone may
/// open and which list every item of every published plan.
fn worth_following(href: &str) -> bool {
    !href.starts_with("/openbaar/")
}

/// Opens `seeds` and every page linked from them (breadth first, within the site), and
/// returns the links that answered 403 or 404, each with the page it was found on.
async fn crawl(app: &TestApp, seeds: &[String]) -> (Vec<String>, usize) {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<(String, String)> = seeds
        .iter()
        .map(|s| (s.clone(), "(start)".to_string()))
        .collect();
    let mut broken = Vec::new();
    let mut opened = 0;
    while let Some((href, from)) = queue.pop_front() {
        if !seen.insert(href.clone()) || !worth_opening(&href) {
            continue;
        }
        assert!(
            opened < MAX_PAGES,
            "more than {MAX_PAGES} pages, e.g. {href}"
        );
        opened += 1;
        let response = app.get(&href).await;
        let status = response.status().as_u16();
        if status == 403 || status == 404 {
            broken.push(format!("{status} {href} (linked from {from})"));
            continue;
        }
        let is_html = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        if !is_html || !(200..300).contains(&status) || !worth_following(&href) {
            continue;
        }
        let html = response.text().await.unwrap();
        for link in links(&html) {
            if !seen.contains(&link) {
                queue.push_back((link, href.clone()));
            }
        }
    }
    (broken, opened)
}

/// Gives the small plan a reporting round, a release and an upload that cannot be read (a
/// failed BBC preview), and loads the demo content (Gent's made-up meerjarenplan with amounts,
/// an indicator, a kwestie and a public page), so that the crawl meets every kind of page.
async fn furnish(w: &World, sp: &SmallPlan) -> String {
    let mut tx = w.db.begin().await.unwrap();
    rounds::open(
        &mut tx,
        &sp.plan.id,
        &RoundFields {
            name: "Q2 2026".into(),
            deadline: "2026-06-30".into(),
            reminder_days: "3".into(),
        },
        "https://steden.test",
        &w.editor.audit(),
    )
    .await
    .unwrap();
    releases::create(
        &mut tx,
        &sp.plan.id,
        "Stand juni",
        "2026-06-01",
        &w.editor.audit(),
    )
    .await
    .unwrap();
    let upload = uploads::create(
        &mut tx,
        &w.gent,
        &sp.plan.id,
        ImportKind::Bbc,
        "kapot.xlsx",
        b"PK\x03\x04 geen echt werkblad",
        Some(&w.editor.id),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let demo_editor = DemoUser {
        id: w.editor.id.clone(),
        email: "redacteur.gent@demo.stedenplatform.be".into(),
        name: w.editor.name.clone(),
        organisations: vec!["gent".into()],
    };
    steden_plan::demo::seed(&w.db, &[demo_editor])
        .await
        .unwrap();
    format!("/plannen/{}/import/{}", sp.plan.id, upload.id)
}

#[tokio::test]
async fn no_role_is_shown_a_link_it_may_not_open() {
    each_plan_app(|app, w| async move {
        let sp = small_plan(&w).await;
        let failed_preview = furnish(&w, &sp).await;
        let antwerpen = create_plan(&w.db, &w.antwerpen, "Plan Antwerpen", &w.outsider).await;
        let a1 = add_item(
            &w.db,
            &antwerpen,
            None,
            item_fields("A1", "Renovatie van scholen"),
            &w.outsider,
        )
        .await;
        for (who, plan, item) in [
            (&w.editor, &sp.plan, &sp.ac010101),
            (&w.member, &sp.plan, &sp.ac010101),
            (&w.reader, &sp.plan, &sp.ac010101),
            (&w.outsider, &antwerpen, &a1),
        ] {
            login(&app, who).await;
            let mut seeds = vec![
                "/start".to_string(),
                "/plannen".to_string(),
                format!("/plannen/{}", plan.id),
                format!("/plannen/{}/items/{}", plan.id, item.id),
                format!("/plannen/{}/dashboard", plan.id),
            ];
            if who.email == w.editor.email {
                seeds.push(failed_preview.clone());
            }
            let (broken, opened) = crawl(&app, &seeds).await;
            assert!(
                broken.is_empty(),
                "{} is shown links that answer 403/404:\n{}",
                who.email,
                broken.join("\n")
            );
            assert!(opened > 20, "{}: only {opened} pages opened", who.email);
        }
    })
    .await;
}
