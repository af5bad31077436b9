//! Disclosure control before publication (issue 15, point 3): pure logic, no database.
//!
//! A table to protect is a list of cells (value, contributor count, optionally the largest
//! contributions) and additive relations "total = sum of parts" ([`Table`]; builders for a
//! two-way table with margins and for a hierarchy such as sectors → wijk → city).
//! [`protect`] applies the primary rules per indicator ([`DisclosureParams`]: minimum count,
//! zero cells, dominance), adds secondary suppressions, and audits the pattern by linear
//! programming ([`audit`]): each suppressed cell's interval given everything published must be
//! at least as wide as the protection level, or publication is refused. The design is in
//! docs/CIJFERS.md, section "Disclosure control".

mod audit;
mod builders;
mod params;
mod primary;
mod secondary;
mod table;

#[cfg(test)]
mod audit_tests;

pub use audit::{audit, AuditReport, CellAudit, Verdict, MAX_AUDITED_CELLS};
pub use builders::{hierarchy_table, two_way_table, CellData, HierarchyNode, TwoWayLayout};
pub use params::{CostKind, DisclosureParams, DominanceRule, ProtectionLevel};
pub use primary::{
    primary_reason, primary_suppression, CellStatus, PrimaryReason, SuppressionPattern,
};
pub use secondary::{protect, secondary_suppression, Protected, MAX_LINEAR_PROGRAMS};
pub use table::{
    CellInput, DisclosureError, Relation, Table, MAX_CELLS, MAX_CONTRIBUTIONS, MAX_LABEL_CHARS,
    MAX_RELATIONS, MAX_RELATION_TERMS, MAX_VALUE,
};
