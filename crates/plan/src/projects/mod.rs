//! Projects and milestones under an action, with a timeline.
//!
//! A project has a start and end date and a status (the same values as an item's); its
//! milestones have a due date and are done or not. Editors write them
//! ([`crate::store::projects`]); every write records an audit entry in the same transaction.
//! [`timeline`] draws them as a Gantt-like SVG on the server (a pure function, so that its
//! positions and escaping can be tested). The types live in [`crate::model::projects`].

pub mod timeline;

pub use crate::model::projects::{Milestone, MilestoneFields, Project, ProjectFields};
