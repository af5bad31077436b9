//! Kwesties: issues and risks per item, each with a severity, an owner in the organisation, a
//! due date and a status. Editors and the item's owner write them (the web layer checks
//! `access::can_report`); every write records an audit entry in the same transaction.
//!
//! The types live in [`crate::model::kwesties`], the SQL in [`crate::store::kwesties`].

pub use crate::model::kwesties::{
    Filter, Kwestie, KwestieFields, KwestieKind, KwestieStatus, OwnedKwestie, Severity,
};
