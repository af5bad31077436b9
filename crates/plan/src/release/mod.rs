//! Releases: a whole plan frozen at a date, as an immutable report.
//!
//! A release stores a [`ReleaseSnapshot`] as JSON in `plan_releases.snapshot`: the plan, every
//! item with its status and progress, the indicators with their targets, the measurements up to
//! the release date and their health at that date, the kwesties and the amounts. Pages render
//! a release from its snapshot only, so later changes to the plan never alter it.
//!
//! Immutability is kept twice: this module has no function that changes a snapshot, name or
//! date, and migration 0002 adds triggers that refuse such an UPDATE (and any DELETE while the
//! plan exists) on both backends. Only `published` may change ([`set_published`]).
//!
//! Items are frozen as they are when the release is made (the store keeps no per-date state of
//! items); the "as of" date bounds the measurements and the health of the indicators.
//!
//! The snapshot is versioned ([`SNAPSHOT_VERSION`]): a later version adds fields with
//! `#[serde(default)]`, so older releases stay readable.

pub mod compare;
pub mod snapshot;

pub use crate::model::releases::{Release, ReleaseSummary, NAME_MAX};
pub use crate::store::releases::{create, find, get, list, set_published};
pub use compare::{compare, ReleaseDiff};
pub use snapshot::{ReleaseSnapshot, SNAPSHOT_VERSION};
