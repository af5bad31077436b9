//! The job queue: long work (imports, mail, indexing) runs as jobs stored in the database.
//! (Being written: see docs/ARCHITECTURE.md.)

use crate::Migration;

/// The queue's schema.
pub fn migrations() -> Vec<Migration> {
    Vec::new()
}
