//! Pages of the website (static pages, news, projects) as stored, and what is online.
//!
//! A page is online when it is `gepubliceerd`, or `gepland` with its moment passed: scheduled
//! publication needs no job, every server decides it on read from the same database.

mod history;
mod query;
mod validate;
mod write;

pub use crate::model::pages::{public_href, Page, PageDraft, Revision};
pub use history::*;
pub use query::*;
pub use validate::*;
pub use write::*;
