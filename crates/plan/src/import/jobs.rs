//! The import jobs. (Being written.)

/// Registers the import job kinds.
pub fn register(registry: &mut steden_db::jobs::Registry) {
    let _ = registry;
}
