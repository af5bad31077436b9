//! `steden reindex`: rebuilds the Kennisbank's search index from the database.
//!
//! The index is derived data: each server keeps its own copy under its data directory and
//! follows the database's change log. This command asks every server to rebuild (a change
//! "rebuild everything" in that log, which each running server applies at its next sync, within
//! seconds) and rebuilds the index of this data directory itself when no server holds it.

use std::path::Path;

use steden_core::CoreError;
use steden_db::Db;
use steden_kennisbank::sync::{self, LiveIndex};

use crate::cli::DbArgs;
use crate::database;

pub async fn reindex(args: DbArgs) -> anyhow::Result<()> {
    let db = database::open(&args).await?;
    let result = run(&db, &args.data_dir).await;
    db.close().await;
    for line in result? {
        println!("{line}");
    }
    Ok(())
}

/// What `steden reindex` does, with the lines it prints.
pub async fn run(db: &Db, data_dir: &Path) -> anyhow::Result<Vec<String>> {
    // The tables must be there (and current) before anything is read from them.
    let modules = database::modules();
    steden_db::migrate::run(db, &database::migrations(&modules)).await?;
    // Asked first, so that the index rebuilt below already includes the request and a server
    // that later opens this directory does not rebuild it a second time.
    sync::request_rebuild(db).await?;
    let dir = sync::index_dir(data_dir);
    let mut lines = Vec::new();
    // Opening applies the change log, and with it the request above: a rebuild.
    // With the other modules' documents (the nieuwsbrief's archive), as a server would.
    let ports = steden_web::Ports::collect(&modules);
    let sources = ports
        .all::<dyn steden_kennisbank::ports::SearchSource>()
        .to_vec();
    match LiveIndex::open_with_sources(db, &dir, sources).await {
        Ok((live, _)) => {
            lines.push(format!(
                "Zoekindex opnieuw opgebouwd: {} documenten ({}).",
                live.len(),
                dir.display()
            ));
        }
        Err(CoreError::Conflict(_)) => {
            lines.push(format!(
                "De zoekindex in {} is in gebruik door een draaiende server; die bouwt hem zelf opnieuw op.",
                dir.display()
            ));
        }
        Err(e) => return Err(e.into()),
    }
    lines.push(
        "Elke draaiende server bouwt zijn zoekindex binnen enkele seconden opnieuw op.".to_string(),
    );
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn add_document(db: &Db, id: &str, title: &str) {
        let mut tx = db.begin().await.unwrap();
        sqlx::query(
            "INSERT INTO kb_documents (id, slug, title, doc_type, access, extraction_status,
                 created_at, updated_at)
             VALUES ($1, $1, $2, 'rapport', 'publiek', 'geen', 0, 0)",
        )
        .bind(id)
        .bind(title)
        .execute(&mut *tx)
        .await
        .unwrap();
        sync::record_change(&mut tx, sync::Entity::Document, id)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }

    /// Without a server: the index of the data directory is rebuilt with every document.
    /// With a server holding the directory: it says so, and the server rebuilds at its next
    /// sync because of the request in the change log.
    #[tokio::test]
    async fn rebuilds_here_or_asks_the_running_servers() {
        let migrations = database::migrations(&database::modules());
        steden_db::testing::each_test_db(&migrations, |test_db| {
            let db = test_db.db.clone();
            async move {
                add_document(&db, "a", "Klimaatgovernance in de centrumsteden").await;
                add_document(&db, "b", "De Rechtenverkenner").await;

                let data = tempfile::tempdir().unwrap();
                let lines = run(&db, data.path()).await.unwrap();
                assert!(
                    lines[0].starts_with("Zoekindex opnieuw opgebouwd: 2 documenten"),
                    "{lines:?}"
                );

                // A "server" holds the directory of another data directory.
                let server_data = tempfile::tempdir().unwrap();
                let (server, _) = LiveIndex::open(&db, &sync::index_dir(server_data.path()))
                    .await
                    .unwrap();
                let seen_before = server.applied().await;
                // A row the change log never heard of: only a rebuild finds it.
                sqlx::query(
                    "INSERT INTO kb_documents (id, slug, title, doc_type, access,
                         extraction_status, created_at, updated_at)
                     VALUES ('c', 'c', 'Leefloon', 'rapport', 'publiek', 'geen', 0, 0)",
                )
                .execute(db.pool())
                .await
                .unwrap();
                let lines = run(&db, server_data.path()).await.unwrap();
                assert!(
                    lines[0].contains("in gebruik door een draaiende server"),
                    "{lines:?}"
                );
                assert_eq!(server.len(), 2);
                assert_eq!(
                    server.sync(&db).await.unwrap(),
                    3,
                    "rebuilt at its next sync"
                );
                assert_eq!(server.len(), 3);
                assert!(server.applied().await > seen_before);
            }
        })
        .await;
    }
}
