//! The nieuwsbrief module's tests, in one test binary: each file below is a module, so that the
//! shell, the module and steden-testkit are linked once. `common` holds the fixtures; the server
//! harness and the SMTP server come from steden_testkit.

mod common;

mod campaigns;
mod demo;
mod import;
mod linkedin;
mod pages;
mod render;
mod send;
mod send_dkim;
mod send_pages;
mod store;
mod translations;
// the editors' subscriber administration (S3)
mod admin;
mod admin_privacy;
// bounces and complaints (S9)
mod bounces;
mod images;
// bounces and complaints from a mailbox over IMAP, soft bounce reset, retention, pages (S9)
mod mailbox;
// reading statistics (S8)
mod stats;
// the public archive and the embeddable form (S10)
mod archive;
mod embed;
// the subscribers and campaigns in the API, the XLSX export (S12)
mod api_campaigns;
mod api_subscribers;
mod export;
