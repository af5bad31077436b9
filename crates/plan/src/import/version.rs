//! The version of what an import preview was computed from, so that "Importeren" applies what
//! the user saw: a fingerprint (SHA-256) of everything the planner reads — the upload's bytes
//! and column mapping, the plan's level names, its items and their amounts. The preview puts it
//! in the confirm form; confirming compares it with the plan as it is now, in the transaction
//! that queues the job, and the job compares it again in the transaction that writes. When
//! anything changed in between (an item added, retitled, moved, another import applied …), the
//! confirmation is refused and the preview is computed and shown again.

use sha2::{Digest, Sha256};
use steden_core::error::CoreResult;

use super::uploads::Upload;
use super::write::Loaded;

/// The fingerprint of importing `upload` into the plan as it is now (read on `conn`, so that a
/// caller inside a transaction sees its own state).
pub async fn of(conn: &mut sqlx::AnyConnection, upload: &Upload) -> CoreResult<String> {
    let plan_id = upload.plan_id.as_deref().unwrap_or_default();
    // Only a BBC import reads (and replaces) amounts; a jaarplan import leaves them alone.
    let with_amounts = upload.kind == super::uploads::ImportKind::Bbc;
    let loaded = Loaded::read(conn, plan_id, with_amounts).await?;
    let mut hasher = Sha256::new();
    let mut feed = |part: &str| {
        hasher.update(part.len().to_le_bytes());
        hasher.update(part.as_bytes());
    };
    feed(&upload.sha256);
    feed(&serde_json::to_string(&upload.options.mapping).unwrap_or_default());
    feed(plan_id);
    for level in &loaded.levels {
        feed(level);
    }
    // Items as the planner reads them (whatever it reads, so this follows its fields), in
    // a fixed order, each with its amounts.
    let mut items: Vec<_> = loaded.items.iter().collect();
    items.sort_by(|a, b| a.id.cmp(&b.id));
    feed(&items.len().to_string());
    for item in items {
        feed(&format!("{item:?}"));
        let mut amounts = loaded.amounts.get(&item.id).cloned().unwrap_or_default();
        amounts.sort();
        feed(&format!("{amounts:?}"));
    }
    Ok(hex::encode(hasher.finalize()))
}
