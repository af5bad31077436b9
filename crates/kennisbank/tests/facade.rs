//! The facade for the modules above the Kennisbank (the werkgroepen module), on SQLite and
//! PostgreSQL: a working group's documents (its own, not another group's nor those for all
//! members), the new-document link that opens the upload form with the group chosen, and the
//! sanitising Markdown pipeline.

use crate::common;

use common::*;
use steden_kennisbank::facade::{self, DocRef};
use steden_kennisbank::store::documents::{self, Document, DocumentFields};

fn link(title: &str, date: Option<&str>) -> DocumentFields {
    DocumentFields {
        title: title.into(),
        summary: "Een samenvatting.".into(),
        doc_type: "verslag".into(),
        access: "publiek".into(),
        doc_date: date.map(str::to_string),
        external_url: Some("https://www.example.org/verslag".into()),
        ..DocumentFields::default()
    }
}

async fn create(w: &World, fields: DocumentFields) -> Document {
    let mut tx = w.db.begin().await.unwrap();
    let doc = documents::create(&mut tx, &fields, None, &w.editor.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    doc
}

fn for_group(group: &str, fields: DocumentFields) -> DocumentFields {
    DocumentFields {
        access: "werkgroep".into(),
        access_group_id: Some(group.to_string()),
        ..fields
    }
}

#[tokio::test]
async fn a_groups_documents_are_its_own_newest_first() {
    each_kb_db(|w| async move {
        let mut conn = w.db.pool().acquire().await.unwrap();
        let other =
            steden_core::working_group::ensure(&mut conn, "europa", "Reflectiegroep Europa")
                .await
                .unwrap();
        drop(conn);
        let old = create(
            &w,
            for_group(&w.gdpr_group, link("Verslag maart", Some("2025-03-12"))),
        )
        .await;
        let new = create(
            &w,
            for_group(&w.gdpr_group, link("Verslag juni", Some("2025-06-18"))),
        )
        .await;
        let undated = create(&w, for_group(&w.gdpr_group, link("Werknota", None))).await;
        create(&w, for_group(&other, link("Europa", Some("2025-07-01")))).await;
        create(&w, link("Publiek verslag", Some("2025-08-01"))).await;
        create(
            &w,
            DocumentFields {
                access: "leden".into(),
                ..link("Voor leden", Some("2025-09-01"))
            },
        )
        .await;

        let listed = facade::group_documents(&w.db, &w.gdpr_group, 10)
            .await
            .unwrap();
        assert_eq!(
            listed[0],
            DocRef {
                id: new.id.clone(),
                title: "Verslag juni".into(),
                doc_type: "verslag".into(),
                doc_date: Some("2025-06-18".into()),
                href: new.href(),
            }
        );
        let ids: Vec<&str> = listed.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, [new.id.as_str(), old.id.as_str(), undated.id.as_str()]);
        let limited = facade::group_documents(&w.db, &w.gdpr_group, 1)
            .await
            .unwrap();
        assert_eq!(limited.len(), 1);
        assert!(facade::group_documents(&w.db, "no-such-group", 10)
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn the_new_document_link_opens_the_form_with_the_group_chosen() {
    each_kb_app(|app, w| async move {
        let href = facade::new_document_href(&w.gdpr_group);
        assert_eq!(
            href,
            format!(
                "/beheer/kennisbank/documenten/nieuw?access=werkgroep&group={}",
                w.gdpr_group
            )
        );
        login(&app, &w.editor).await;
        let html = app.page(&href).await;
        assert!(
            html.contains(r#"name="access" value="werkgroep" checked"#),
            "{html}"
        );
        assert!(!html.contains(r#"value="publiek" checked"#));
        assert!(html.contains(&format!(
            r#"<option value="{}" selected>Werkgroep GDPR</option>"#,
            w.gdpr_group
        )));
        // Without the parameters, or with nonsense, the form starts as before: public.
        for plain in [
            "/beheer/kennisbank/documenten/nieuw",
            "/beheer/kennisbank/documenten/nieuw?access=geheim&x=1",
        ] {
            let html = app.page(plain).await;
            assert!(html.contains(r#"name="access" value="publiek" checked"#));
            assert!(!html.contains(" selected>Werkgroep GDPR"));
        }
    })
    .await;
}

#[test]
fn markdown_is_rendered_and_sanitised() {
    let html = facade::render_markdown(
        "# Verslag\n\nBesluit: **goedgekeurd**.\n\n<script>alert(1)</script>\n\n\
         [link](javascript:alert(1)) <img src=x onerror=alert(1)>",
    );
    assert!(html.contains("<h2>Verslag</h2>"), "{html}");
    assert!(html.contains("<strong>goedgekeurd</strong>"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("javascript:"), "{html}");
    assert!(!html.contains("onerror"), "{html}");
}
