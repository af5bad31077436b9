//! The search index as a derivative of the database, on both backends: two live indexes on
//! two directories over one database (two servers behind a load balancer) both follow
//! creates, updates, access changes and deletes through the change log; a lost directory, an
//! index ahead of the database and `request_rebuild` all lead to a rebuild; glossary terms are
//! found as "Begrip".

use crate::common;

use std::path::Path;

use steden_db::{now_ms, Db};
use steden_kennisbank::search::{FacetKind, Query, Results};
use steden_kennisbank::sync::{self, Entity, LiveIndex, Opened};

/// A document row as the tests write it (plain SQL, with its change in the same transaction,
/// as the store does).
#[derive(Clone)]
struct Doc<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    body: &'a str,
    doc_type: &'a str,
    date: Option<&'a str>,
    access: &'a str,
    organisation: Option<&'a str>,
    group: Option<&'a str>,
}

impl Default for Doc<'_> {
    fn default() -> Self {
        Doc {
            id: "",
            title: "",
            summary: "",
            body: "",
            doc_type: "rapport",
            date: Some("2024-03-01"),
            access: "publiek",
            organisation: None,
            group: None,
        }
    }
}

async fn insert(db: &Db, doc: &Doc<'_>) {
    let mut tx = db.begin().await.unwrap();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO kb_documents (id, slug, title, summary, doc_type, programme, themes,
             organisations, period, doc_date, language, access, access_organisation_id,
             access_group_id, extraction_status, body_text, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'Klimaat', '[\"Klimaat\"]', '[]', '2022-2026', $6, 'nl', $7,
             $8, $9, 'geen', $10, $11, $11)",
    )
    .bind(doc.id)
    .bind(format!("slug-{}", doc.id))
    .bind(doc.title)
    .bind(doc.summary)
    .bind(doc.doc_type)
    .bind(doc.date)
    .bind(doc.access)
    .bind(doc.organisation)
    .bind(doc.group)
    .bind(doc.body)
    .bind(now)
    .execute(&mut *tx)
    .await
    .unwrap();
    sync::record_change(&mut tx, Entity::Document, doc.id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn update(db: &Db, id: &str, set: &str, value: Option<&str>) {
    let mut tx = db.begin().await.unwrap();
    sqlx::query(&format!("UPDATE kb_documents SET {set} = $1 WHERE id = $2"))
        .bind(value)
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
    sync::record_change(&mut tx, Entity::Document, id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn delete(db: &Db, id: &str) {
    let mut tx = db.begin().await.unwrap();
    sqlx::query("DELETE FROM kb_documents WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
    sync::record_change(&mut tx, Entity::Document, id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

fn query(text: &str, access: &[&str]) -> Query {
    Query {
        text: text.to_string(),
        access: access.iter().map(|a| a.to_string()).collect(),
        ..Query::default()
    }
}

async fn search(live: &LiveIndex, db: &Db, text: &str, access: &[&str]) -> Results {
    live.search(db, query(text, access)).await.unwrap()
}

async fn ids(live: &LiveIndex, db: &Db, text: &str, access: &[&str]) -> Vec<String> {
    search(live, db, text, access)
        .await
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

async fn open(db: &Db, dir: &Path) -> (LiveIndex, Opened) {
    LiveIndex::open(db, dir).await.unwrap()
}

const PUBLIC: &[&str] = &["public"];

#[tokio::test]
async fn two_servers_follow_the_database() {
    common::each_kb_db(|w| async move {
        let db = &w.db;
        let dirs = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (a, opened_a) = open(db, &sync::index_dir(dirs.0.path())).await;
        let (b, opened_b) = open(db, &sync::index_dir(dirs.1.path())).await;
        assert!(
            matches!(opened_a, Opened::Rebuilt { documents: 0, .. }),
            "{opened_a:?}"
        );
        assert!(matches!(opened_b, Opened::Rebuilt { .. }), "{opened_b:?}");

        // Created: both find it at their next search.
        insert(
            db,
            &Doc {
                id: "d1",
                title: "Klimaatgovernance in de centrumsteden",
                summary: "Hoe steden hun klimaatbeleid organiseren.",
                body: "Samenwerking rond het zeppelinproject tussen diensten.",
                ..Doc::default()
            },
        )
        .await;
        let expected = vec!["document:d1".to_string()];
        assert_eq!(ids(&a, db, "klimaat", PUBLIC).await, expected);
        assert_eq!(ids(&b, db, "zeppelinproject", PUBLIC).await, expected);

        // Updated: what both find changes.
        update(
            db,
            "d1",
            "body_text",
            Some("Samenwerking rond het luchtschipplan."),
        )
        .await;
        for live in [&a, &b] {
            assert!(ids(live, db, "zeppelinproject", PUBLIC).await.is_empty());
            assert_eq!(ids(live, db, "luchtschipplan", PUBLIC).await, expected);
        }

        // From publiek to one organisation: gone for anonymous readers on both servers, still
        // there for that organisation.
        let gent = format!("org:{}", w.gent);
        {
            let mut tx = db.begin().await.unwrap();
            sqlx::query(
                "UPDATE kb_documents SET access = 'organisatie', access_organisation_id = $1
                 WHERE id = 'd1'",
            )
            .bind(&w.gent)
            .execute(&mut *tx)
            .await
            .unwrap();
            sync::record_change(&mut tx, Entity::Document, "d1")
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        for live in [&a, &b] {
            let anonymous = search(live, db, "klimaat", PUBLIC).await;
            assert_eq!(anonymous.total, 0);
            assert!(anonymous.facets.values().all(|values| values.is_empty()));
            let members = search(live, db, "klimaat", &["public", "members"]).await;
            assert_eq!(members.total, 0);
            assert_eq!(
                ids(live, db, "klimaat", &["public", "members", &gent]).await,
                expected
            );
        }

        // Deleted: gone from both.
        delete(db, "d1").await;
        for live in [&a, &b] {
            assert_eq!(search(live, db, "klimaat", &["editors"]).await.total, 0);
            assert_eq!(live.len(), 0);
        }
        // Both applied everything the log holds.
        let latest: i64 = sqlx::query_scalar("SELECT value FROM kb_index_counter WHERE id = 1")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(a.applied().await, latest);
        assert_eq!(b.applied().await, latest);
    })
    .await;
}

#[tokio::test]
async fn a_lost_or_stale_index_is_rebuilt() {
    common::each_kb_db(|w| async move {
        let db = &w.db;
        let data = tempfile::tempdir().unwrap();
        let dir = sync::index_dir(data.path());
        for (id, title) in [
            ("r1", "Parkeerbeleid in de binnenstad"),
            ("r2", "Betaalbare woningen"),
        ] {
            insert(
                db,
                &Doc {
                    id,
                    title,
                    ..Doc::default()
                },
            )
            .await;
        }

        let (live, opened) = open(db, &dir).await;
        assert!(
            matches!(opened, Opened::Rebuilt { documents: 2, .. }),
            "{opened:?}"
        );
        drop(live);

        // Opened again with nothing new: caught up, no rebuild.
        let (live, opened) = open(db, &dir).await;
        assert_eq!(opened, Opened::CaughtUp(0));
        drop(live);

        // A change while no server runs is applied at the next start.
        insert(
            db,
            &Doc {
                id: "r3",
                title: "Energiearmoede bij huurders",
                ..Doc::default()
            },
        )
        .await;
        let (live, opened) = open(db, &dir).await;
        assert_eq!(opened, Opened::CaughtUp(1));
        assert_eq!(live.len(), 3);
        drop(live);

        // The directory is lost: rebuilt with every document.
        std::fs::remove_dir_all(&dir).unwrap();
        let (live, opened) = open(db, &dir).await;
        assert!(
            matches!(opened, Opened::Rebuilt { documents: 3, .. }),
            "{opened:?}"
        );
        assert_eq!(
            ids(&live, db, "binnenstad", PUBLIC).await,
            vec!["document:r1"]
        );
        drop(live);

        // The index says it applied more than the database ever numbered (a restored
        // database): rebuilt.
        std::fs::write(dir.join("applied_seq"), "999999").unwrap();
        let (live, opened) = open(db, &dir).await;
        match &opened {
            Opened::Rebuilt { documents, reason } => {
                assert_eq!(*documents, 3);
                assert!(reason.contains("nieuwer"), "{reason}");
            }
            other => panic!("expected a rebuild, got {other:?}"),
        }
        assert!(live.applied().await < 999_999);
        drop(live);

        // Damaged files: rebuilt rather than failing.
        std::fs::write(dir.join("meta.json"), "{ dit is geen index").unwrap();
        let (live, opened) = open(db, &dir).await;
        assert!(
            matches!(opened, Opened::Rebuilt { documents: 3, .. }),
            "{opened:?}"
        );
        assert_eq!(
            ids(&live, db, "woningen", PUBLIC).await,
            vec!["document:r2"]
        );
    })
    .await;
}

#[tokio::test]
async fn request_rebuild_reaches_a_running_index() {
    common::each_kb_db(|w| async move {
        let db = &w.db;
        let data = tempfile::tempdir().unwrap();
        let (live, _) = open(db, &sync::index_dir(data.path())).await;
        insert(
            db,
            &Doc {
                id: "n1",
                title: "Nota over stadsvernieuwing",
                ..Doc::default()
            },
        )
        .await;
        assert_eq!(live.sync(db).await.unwrap(), 1);

        // A row written without a change note (as a restore or a manual fix might): only a
        // rebuild finds it.
        sqlx::query(
            "INSERT INTO kb_documents (id, slug, title, doc_type, access, extraction_status,
                 created_at, updated_at)
             VALUES ('stil', 'stil', 'Leefloon in cijfers', 'rapport', 'publiek', 'geen', 0, 0)",
        )
        .execute(db.pool())
        .await
        .unwrap();
        assert!(ids(&live, db, "leefloon", PUBLIC).await.is_empty());

        sync::request_rebuild(db).await.unwrap();
        // The next sync rebuilds (and says how many documents the index holds now).
        assert_eq!(live.sync(db).await.unwrap(), 2);
        assert_eq!(
            ids(&live, db, "leefloon", PUBLIC).await,
            vec!["document:stil"]
        );
        assert_eq!(live.sync(db).await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn glossary_terms_are_found_as_begrip() {
    common::each_kb_db(|w| async move {
        let db = &w.db;
        let data = tempfile::tempdir().unwrap();
        let (live, _) = open(db, &sync::index_dir(data.path())).await;
        insert(
            db,
            &Doc {
                id: "doc",
                title: "Datagovernance voor lokale besturen",
                ..Doc::default()
            },
        )
        .await;
        {
            let mut tx = db.begin().await.unwrap();
            sqlx::query(
                "INSERT INTO kb_terms (id, slug, term, definition, source, synonyms, created_at,
                     updated_at)
                 VALUES ('t1', 'metadata', 'Metadata', 'Gegevens die andere gegevens beschrijven.',
                     'DAMA-DMBOK', '[\"metagegevens\"]', 0, 0)",
            )
            .execute(&mut *tx)
            .await
            .unwrap();
            sync::record_change(&mut tx, Entity::Term, "t1")
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }

        let results = search(&live, db, "metadata", PUBLIC).await;
        assert_eq!(results.hits.len(), 1);
        assert_eq!(results.hits[0].id, "term:t1");
        assert_eq!(
            results.facets[&FacetKind::Type],
            vec![(sync::TERM_KIND.to_string(), 1)]
        );
        // Found by its synonym and its definition too, and filterable as "Begrip".
        assert_eq!(
            ids(&live, db, "metagegevens", PUBLIC).await,
            vec!["term:t1"]
        );
        let only_terms = Query {
            filters: vec![(FacetKind::Type, "Begrip".into())],
            ..query("", PUBLIC)
        };
        let results = live.search(db, only_terms).await.unwrap();
        assert_eq!(results.total, 1);

        // A deleted term disappears.
        let mut tx = db.begin().await.unwrap();
        sqlx::query("DELETE FROM kb_terms WHERE id = 't1'")
            .execute(&mut *tx)
            .await
            .unwrap();
        sync::record_change(&mut tx, Entity::Term, "t1")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(ids(&live, db, "metadata", PUBLIC).await.is_empty());
    })
    .await;
}
