//! Werkgroepen: the working groups of the cities and the Kenniscentrum, with their members,
//! meetings, agendas, minutes and events (issue 13; design in docs/design/WERKGROEPEN.md).
//!
//! - [`model`]: the fixed lists of values (kind, visibility, cadence, role, status);
//! - [`localtime`] and [`cadence`]: wall time in Brussels and the dates a cadence gives (no
//!   database).

pub mod cadence;
pub mod localtime;
pub mod model;
