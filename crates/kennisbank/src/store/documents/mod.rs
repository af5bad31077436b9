//! Library documents: metadata, the uploaded file (or an external link) and the text read from
//! the file by the `kennisbank.extract` job (see [`crate::jobs`]).
//!
//! Every write runs in the caller's transaction, records an audit entry and notes the change
//! for the search index ([`index_changes::record_change`]). Creating a document with a file, or giving
//! it a new file, stores the file, sets the extraction status to `wachtend` and enqueues the
//! extraction job in that same transaction: a document never waits for a job that was not
//! committed, and a job never finds a document that was rolled back.
//!
//! A document's programme and werkspoor are items of the published plans ([`place`]): every
//! create and update resolves and checks them, and [`link_unlinked`] links the texts documents
//! had before.
//!
//! Files are checked on their content ([`extract::detect`]), never on the name or the content
//! type the browser sends; the content type stored is the one of the detected format. A text
//! file must also be named like one (`.md`, `.markdown`, `.txt`, or no extension), so that an
//! `evil.html` is refused instead of stored as "Markdown".

mod extraction;
mod linking;
mod place;
mod query;
mod readable;
mod validate;
mod write;

pub use crate::model::documents::{
    content_type_of, format_code, format_from_code, CollectionRef, Document, DocumentFields,
    DocumentFilter, NewFile, AUDIT_ENTITY, EXTRACT_JOB, MAX_UPLOAD_BYTES, PAGE_SIZE,
};
pub use extraction::{finish_extraction, mark_extracting};
pub use linking::{link_unlinked, public_in, Level};
pub use place::{place, resolve, validate_place, Place};
pub use query::*;
pub use readable::{find_readable, list_readable};
pub use validate::{check_file, reason, validate};
pub use write::{create, delete, replace_file, update};
