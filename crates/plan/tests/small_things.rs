//! Issue 11 point 8, the small things a user notices: the finance chart of a single year keeps
//! its own size; the last milestone label fits in the timeline; the interface says "u"; job
//! kinds have a label in words. (The API's list of plans with levels: tests/api.rs; the
//! language of an English browser: the web crate's tests/shell.rs.)

use crate::common;

use std::path::Path;

use common::*;
use steden_core::user::{self, NewUser};
use steden_plan::import::{bbc, write};
use steden_web::admin_jobs::job_label_key;
use steden_web::i18n::Lang;

/// The opening tag of the first `<svg` on the page that contains `marker`.
fn svg_tag<'a>(html: &'a str, marker: &str) -> &'a str {
    let at = html.find(marker).expect("the SVG");
    let start = html[..at].rfind("<svg").unwrap();
    &html[start..start + html[start..].find('>').unwrap()]
}

/// The value of attribute `name` in a tag.
fn attr<'a>(tag: &'a str, name: &str) -> &'a str {
    let marker = format!(" {name}=\"");
    let start = tag
        .find(&marker)
        .unwrap_or_else(|| panic!("{name} in {tag}"))
        + marker.len();
    &tag[start..start + tag[start..].find('"').unwrap()]
}

fn view_box(tag: &str) -> Vec<f64> {
    attr(tag, "viewBox")
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect()
}

#[tokio::test]
async fn a_single_year_finance_chart_keeps_its_own_size() {
    each_plan_app(|app, w| async move {
        let plan = create_plan(&app.db, &w.gent, "Meerjarenplan", &w.editor).await;
        let csv = "Beleidsdoelstelling;Actieplan;Actie;Raming 2026\n\
                   BD01 Veilig;AP0101 Straten;AC010101 Lampen;1.000,00\n";
        let file = bbc::import(csv.as_bytes()).unwrap();
        let mut tx = app.db.begin().await.unwrap();
        let planned = write::plan_bbc(&mut tx, &plan.id, &file).await.unwrap();
        write::apply(&mut tx, &plan.id, &planned, &w.editor.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        login(&app, &w.reader).await;
        let html = app.page(&format!("/plannen/{}/financien", plan.id)).await;
        let tag = svg_tag(&html, "fin-chart-title");
        let vb = view_box(tag);
        // Drawn at its own size: as many pixels as user units, one year is a small chart
        // (the stylesheet only scales it down), not 100 % of the page with giant text.
        assert_eq!(attr(tag, "width").parse::<f64>().unwrap(), vb[2], "{tag}");
        assert_eq!(attr(tag, "height").parse::<f64>().unwrap(), vb[3], "{tag}");
        assert!(vb[2] <= 200.0, "{tag}");
        assert!(!tag.contains("style="), "{tag}");
    })
    .await;
}

#[tokio::test]
async fn the_last_milestone_label_fits_in_the_timeline() {
    each_plan_app(|app, w| async move {
        let p = small_plan(&w).await;
        login(&app, &w.editor).await;
        let new = format!(
            "/plannen/{}/items/{}/projecten/nieuw",
            p.plan.id, p.ac010101.id
        );
        let response = app
            .post_form(
                &new,
                &new,
                &[
                    ("title", "Loket"),
                    ("start_date", "2026-01-01"),
                    ("end_date", "2026-12-31"),
                    ("status", "lopend"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let edit = response.headers()["location"].to_str().unwrap().to_string();
        let milestones = edit.replace("/bewerken", "/mijlpalen");
        let label = "Oplevering en evaluatie van het volledige loket";
        for (title, date) in [("Start", "2026-02-01"), (label, "2026-12-31")] {
            let response = app
                .post_form(&edit, &milestones, &[("title", title), ("due_date", date)])
                .await;
            assert_eq!(response.status(), 303);
        }
        let html = app.page(&format!("/plannen/{}/tijdlijn", p.plan.id)).await;
        let tag = svg_tag(&html, "class=\"plan-timeline\"");
        let width = view_box(tag)[2];
        assert_eq!(attr(tag, "width").parse::<f64>().unwrap(), width);
        // The months end at 260 + 12 × 56 = 932; the label of 31/12 starts near there.
        let marker = "<text class=\"plan-timeline-milestone-label\" x=\"";
        let last = html.rfind(marker).unwrap() + marker.len();
        let x: f64 = html[last..last + html[last..].find('"').unwrap()]
            .parse()
            .unwrap();
        let text_start = last + html[last..].find('>').unwrap() + 1;
        let text = &html[text_start..text_start + html[text_start..].find('<').unwrap()];
        assert_eq!(text, label);
        assert!(x > 900.0, "{x}");
        // 0.6 em per character at font-size 10 (a sans-serif average), inside the picture.
        let estimated = text.chars().count() as f64 * 10.0 * 0.6;
        assert!(x + estimated <= width, "{x} + {estimated} > {width}");
    })
    .await;
}

/// The informal forms of address that the interface must not use (it says "u").
const INFORMAL: [&str; 7] = ["je", "jij", "jou", "jouw", "jullie", "jezelf", "jouwe"];

fn informal_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| INFORMAL.contains(&w.to_lowercase().as_str()))
        .map(str::to_string)
        .collect()
}

fn files_under(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

#[test]
fn the_dutch_interface_says_u() {
    assert_eq!(informal_words("van je browser"), ["je"]);
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for krate in ["plan", "web", "kennisbank"] {
        files_under(&crates.join(krate).join("locales/nl-BE"), "ftl", &mut files);
        files_under(&crates.join(krate).join("templates"), "html", &mut files);
    }
    assert!(files.len() > 50, "{files:?}");
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with('#') {
                continue;
            }
            for word in informal_words(line) {
                found.push(format!("{}:{}: {word}", file.display(), n + 1));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[tokio::test]
async fn every_job_kind_has_a_label_in_words() {
    each_plan_app(|app, _w| async move {
        let mut registry = steden_db::jobs::Registry::new();
        module().register_jobs(&mut registry, app.state.ports());
        let kinds = registry.kinds();
        assert!(kinds.contains(&"plan.import".to_string()), "{kinds:?}");
        let catalog = app.state.catalog();
        for kind in &kinds {
            for lang in Lang::ALL {
                assert!(
                    catalog.has(lang, &job_label_key(kind)),
                    "{kind} in {lang:?}"
                );
            }
        }
        // Shown on the administrators' list.
        let mut tx = app.db.begin().await.unwrap();
        user::create(
            &mut tx,
            NewUser {
                email: "beheer@steden.test",
                name: "Beheer",
                password: Some("een lang genoeg wachtwoord"),
                platform_admin: true,
            },
            &steden_core::audit::AuditActor::system(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        steden_db::jobs::enqueue(
            &app.db,
            steden_db::jobs::NewJob::new("plan.import", serde_json::json!({})),
        )
        .await
        .unwrap();
        let html = app.page("/aanmelden").await;
        let token = steden_testkit::csrf_token(&html).unwrap();
        let response = app
            .client
            .post(app.url("/aanmelden"))
            .form(&[
                ("_csrf", token.as_str()),
                ("email", "beheer@steden.test"),
                ("password", "een lang genoeg wachtwoord"),
                ("volgende", ""),
            ])
            .send()
            .await
            .unwrap();
        assert!(response.status().is_redirection());
        let html = app.page("/beheer/taken").await;
        assert!(html.contains(">Import in een plan<span"), "{html}");
    })
    .await;
}
