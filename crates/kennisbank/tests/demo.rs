//! `serve --demo` content of the Kennisbank, on SQLite and PostgreSQL, after the plan module's
//! demo (whose published jaarplan names the programmes): pages, news (one scheduled, one
//! draft), projects, generated PDF and DOCX documents that the extraction job reads, the
//! collections, the glossary with relations and the featured items; search finds the demo
//! documents by a compound and a glossary term; a second run adds nothing.

use crate::common;

use common::*;
use steden_core::role::Role;
use steden_kennisbank::access::Reader;
use steden_kennisbank::search::Query;
use steden_kennisbank::sync::LiveIndex;
use steden_web::DemoUser;

async fn count(db: &steden_db::Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

async fn counts(db: &steden_db::Db) -> Vec<i64> {
    let mut all = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM site_pages",
        "SELECT COUNT(*) FROM kb_documents",
        "SELECT COUNT(*) FROM kb_collections",
        "SELECT COUNT(*) FROM kb_collection_entries",
        "SELECT COUNT(*) FROM kb_terms",
        "SELECT COUNT(*) FROM kb_term_relations",
        "SELECT COUNT(*) FROM site_featured",
        "SELECT COUNT(*) FROM kb_files",
    ] {
        all.push(count(db, sql).await);
    }
    all
}

#[tokio::test]
async fn demo_site_is_loaded_once_and_searchable() {
    each_kb_db(|w| async move {
        let db = w.db.clone();
        let staff = person(&db, "medewerker@demo.stedenplatform.be", "Demo Medewerker", &w.kenniscentrum, Role::Redacteur).await;
        let users = vec![
            DemoUser {
                id: staff.id.clone(),
                email: staff.email.clone(),
                name: staff.name.clone(),
                organisations: vec!["kenniscentrum".into()],
            },
            DemoUser {
                id: w.gent_member.id.clone(),
                email: "redacteur.gent@demo.stedenplatform.be".into(),
                name: w.gent_member.name.clone(),
                organisations: vec!["gent".into()],
            },
        ];
        steden_plan::demo::seed(&db, &users).await.unwrap();
        steden_kennisbank::demo::seed(&db, &users).await.unwrap();

        let first = counts(&db).await;
        let documents = steden_kennisbank::demo::content::DOCUMENTS.len() as i64;
        assert_eq!(first[1], documents, "documents");
        assert!(first[0] >= 10, "pages, news and projects: {first:?}");
        assert_eq!(first[2], 6, "two curated collections and four archives");
        assert!(first[3] >= 5, "collection entries: {first:?}");
        assert_eq!(first[4], steden_kennisbank::demo::content::TERMS.len() as i64);
        assert!(first[5] >= 5, "related terms: {first:?}");
        assert_eq!(first[6], 4, "featured items");
        let links = steden_kennisbank::demo::content::DOCUMENTS.iter().filter(|d| d.format == "link").count() as i64;
        assert_eq!(first[7], documents - links, "one generated file per document that is no link");

        // A scheduled and a draft news item are not online; the others are.
        let now = steden_db::now_ms();
        let news = steden_kennisbank::store::pages::live(db.pool(), steden_kennisbank::model::PageKind::Nieuws, now, 100).await.unwrap();
        assert_eq!(news.len(), steden_kennisbank::demo::content::NEWS.len());

        // Programme names follow the published jaarplan's titles.
        let climate: Vec<String> = sqlx::query_scalar("SELECT programme FROM kb_documents WHERE title = 'Klimaatgovernance in de centrumsteden'")
            .fetch_all(db.pool()).await.unwrap();
        let kenniscentrum = steden_kennisbank::access::kenniscentrum_id(&db).await.unwrap();
        let plans = steden_plan::site::published_plans(&db, &kenniscentrum, "jaarplan").await.unwrap();
        let plan = steden_plan::site::published_plan(&db, &plans[0].id).await.unwrap().unwrap();
        assert!(plan.items.iter().any(|i| i.depth == 0 && Some(&i.title) == climate.first()), "{climate:?}");
        // Demo documents are filed under the jaarplan's items: every programme and werkspoor
        // they name is linked (an older programme name leaves a document without one).
        let unlinked = count(&db, "SELECT COUNT(*) FROM kb_documents WHERE (programme IS NOT NULL AND programme_id IS NULL) OR (werkspoor IS NOT NULL AND werkspoor_id IS NULL)").await;
        assert_eq!(unlinked, 0);
        let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as("SELECT title, programme_id, werkspoor_id FROM kb_documents")
            .fetch_all(db.pool()).await.unwrap();
        let items: std::collections::HashMap<&str, (i64, Option<&str>)> = plan.items.iter().map(|i| (i.id.as_str(), (i.depth, i.parent_id.as_deref()))).collect();
        for doc in steden_kennisbank::demo::content::DOCUMENTS {
            let (_, programme, werkspoor) = rows.iter().find(|r| r.0 == doc.title).unwrap();
            let in_plan = ["Klimaat", "Smart Cities", "O(mgeving)", "Stadsgenoten", "Digitale Transitie"].iter().any(|p| doc.programme.starts_with(p));
            assert_eq!(programme.is_some(), in_plan, "{}: {programme:?}", doc.title);
            if let Some(programme) = programme {
                assert_eq!(items[programme.as_str()].0, 0, "{}", doc.title);
            }
            assert_eq!(werkspoor.is_some(), in_plan && !doc.werkspoor.is_empty(), "{}: werkspoor {}", doc.title, doc.werkspoor);
            if let Some(werkspoor) = werkspoor {
                assert_eq!(items[werkspoor.as_str()].1, programme.as_deref(), "{}", doc.title);
            }
        }

        // The extraction job reads every generated file.
        let pending: Vec<String> = sqlx::query_scalar("SELECT id FROM kb_documents WHERE extraction_status = 'wachtend'")
            .fetch_all(db.pool()).await.unwrap();
        assert_eq!(pending.len() as i64, documents - links);
        for id in &pending {
            steden_kennisbank::jobs::extract_document(&db, id).await.unwrap();
        }
        assert_eq!(count(&db, "SELECT COUNT(*) FROM kb_documents WHERE extraction_status = 'klaar'").await, documents - links);
        let body: String = sqlx::query_scalar("SELECT body_text FROM kb_documents WHERE title = 'Standaard verwerkersovereenkomst'")
            .fetch_one(db.pool()).await.unwrap();
        assert!(body.contains("artikel 28"), "{body}");

        // Search: a compound part, a glossary term by synonym, and access rules.
        let index = LiveIndex::in_memory(&db).await.unwrap();
        let anonymous = Reader::anonymous().search_terms();
        let found = index.search(&db, Query { text: "klimaat".into(), access: anonymous.clone(), ..Query::default() }).await.unwrap();
        assert!(found.hits.iter().any(|h| h.title == "Klimaatgovernance in de centrumsteden"), "{:?}", found.hits);
        let found = index.search(&db, Query { text: "DPO".into(), access: anonymous.clone(), ..Query::default() }).await.unwrap();
        assert!(found.hits.iter().any(|h| h.title == "Functionaris voor gegevensbescherming"), "{:?}", found.hits);
        let found = index.search(&db, Query { text: "risicokaart".into(), access: anonymous, ..Query::default() }).await.unwrap();
        assert_eq!(found.total, 0, "the Gent-only note stays hidden from visitors");

        // A second run adds nothing.
        steden_kennisbank::demo::seed(&db, &users).await.unwrap();
        assert_eq!(counts(&db).await, first);
    })
    .await;
}
