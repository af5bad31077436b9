//! The Kennisbank's public items for other modules (the port `steden_web::items::ItemSource`,
//! `steden_kennisbank::items`), on both backends: public documents only (not a members' or
//! an organisation's), online news only (not a concept), with search words, a period and a
//! limit; one item by id, and `None` for what is not public.

use steden_kennisbank::items::{Documents, News};
use steden_kennisbank::model::documents::DocumentFields;
use steden_kennisbank::store::{documents, pages};
use steden_web::items::{ItemQuery, ItemSource};

use crate::common::{each_kb_db, World};

async fn document(w: &World, title: &str, date: &str, access: &str) -> String {
    let fields = DocumentFields {
        title: title.into(),
        summary: format!("Over {title}, voor steden."),
        doc_type: "rapport".into(),
        access: access.into(),
        access_organisation_id: (access == "organisatie").then(|| w.gent.clone()),
        doc_date: Some(date.into()),
        external_url: Some("https://example.org/rapport".into()),
        ..DocumentFields::default()
    };
    let mut tx = w.db.begin().await.unwrap();
    let doc = documents::create(&mut tx, &fields, None, &w.editor.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    doc.id
}

async fn news(w: &World, title: &str, status: &str) -> String {
    let mut tx = w.db.begin().await.unwrap();
    let page = pages::create(
        &mut tx,
        &pages::PageDraft {
            kind: "nieuws".into(),
            title: title.into(),
            summary: "Kort nieuws uit de steden.".into(),
            status: status.into(),
            ..Default::default()
        },
        &w.editor.audit(),
        &w.kenniscentrum,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    page.id
}

fn query(search: &str, from: Option<&str>, until: Option<&str>, limit: usize) -> ItemQuery {
    ItemQuery {
        search: search.into(),
        from: from.map(str::to_string),
        until: until.map(str::to_string),
        limit,
    }
}

fn titles(items: &[steden_web::items::PlatformItem]) -> Vec<&str> {
    items.iter().map(|i| i.title.as_str()).collect()
}

#[tokio::test]
async fn public_documents_and_online_news_are_offered_nothing_else() {
    each_kb_db(|w| async move {
        let klimaat = document(&w, "Klimaatplan 2024", "2024-03-01", "publiek").await;
        document(&w, "Data in de stad", "2025-06-01", "publiek").await;
        document(&w, "Klimaat voor leden", "2025-01-01", "leden").await;
        let intern = document(&w, "Klimaat van Gent", "2025-02-01", "organisatie").await;
        let source = Documents;
        assert_eq!(source.key(), "kennisbank");

        let all = source
            .find(&w.db, &query("", None, None, 10))
            .await
            .unwrap();
        assert_eq!(
            titles(&all),
            ["Data in de stad", "Klimaatplan 2024"],
            "newest first, public only"
        );
        let found = source
            .find(&w.db, &query("KLIMAAT steden", None, None, 10))
            .await
            .unwrap();
        assert_eq!(titles(&found), ["Klimaatplan 2024"]);
        assert!(
            found[0].href.starts_with("/kennisbank/documenten/"),
            "{}",
            found[0].href
        );
        assert_eq!(found[0].date.as_deref(), Some("2024-03-01"));
        let period = source
            .find(
                &w.db,
                &query("", Some("2025-01-01"), Some("2025-12-31"), 10),
            )
            .await
            .unwrap();
        assert_eq!(titles(&period), ["Data in de stad"]);
        let limited = source.find(&w.db, &query("", None, None, 1)).await.unwrap();
        assert_eq!(limited.len(), 1);
        // A LIKE wildcard in the words is a character, not "anything".
        assert!(source
            .find(&w.db, &query("%", None, None, 10))
            .await
            .unwrap()
            .is_empty());

        let one = source.get(&w.db, &klimaat).await.unwrap().expect("public");
        assert_eq!(one.title, "Klimaatplan 2024");
        assert_eq!(one.source, "kennisbank");
        assert!(
            source.get(&w.db, &intern).await.unwrap().is_none(),
            "not public"
        );
        assert!(source.get(&w.db, "bestaat-niet").await.unwrap().is_none());

        let online = news(&w, "Nieuwe stadsmonitor", "gepubliceerd").await;
        let draft = news(&w, "Nog geheim nieuws", "concept").await;
        let news_source = News;
        let found = news_source
            .find(&w.db, &query("", None, None, 10))
            .await
            .unwrap();
        assert_eq!(titles(&found), ["Nieuwe stadsmonitor"]);
        assert!(found[0].href.starts_with("/nieuws/"), "{}", found[0].href);
        assert!(found[0].date.is_some());
        let today = found[0].date.clone().unwrap();
        assert_eq!(
            news_source
                .find(
                    &w.db,
                    &query("stadsmonitor", Some(&today), Some(&today), 10)
                )
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(news_source
            .find(
                &w.db,
                &query("", Some("2001-01-01"), Some("2001-12-31"), 10)
            )
            .await
            .unwrap()
            .is_empty());
        assert!(news_source.get(&w.db, &online).await.unwrap().is_some());
        assert!(
            news_source.get(&w.db, &draft).await.unwrap().is_none(),
            "a concept is not public"
        );
    })
    .await;
}
