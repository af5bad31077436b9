//! What every module's tests stand on, in one place instead of a copy per crate:
//!
//! - [`TestApp`], [`each_app`], [`each_app_with`] (feature `http`): a real server on a loopback
//!   port over a fresh database of each backend (SQLite always, PostgreSQL when
//!   `TEST_DATABASE_URL` is set), with a cookie-keeping client and [`csrf_token`] for forms;
//! - [`people`] (feature `http`): people with a role in an organisation, and logging them in;
//! - [`assert_english_twins`] (feature `http`): every module's translations check;
//! - [`smtp`]: a minimal SMTP server on a loopback port that records what it receives;
//! - [`browser`] (feature `browser`): the real `steden` binary driven in headless Chromium
//!   through chromedriver, with axe-core's WCAG 2.1 A/AA check on each page.
//!
//! A dev-dependency only (`publish = false`). Fixtures of one module (a small plan, the
//! Kennisbank's organisations) stay in that module's `tests/common`.

#[cfg(feature = "http")]
mod app;
#[cfg(feature = "browser")]
pub mod browser;
#[cfg(feature = "http")]
pub mod people;
pub mod smtp;
#[cfg(feature = "http")]
mod translations;

#[cfg(feature = "http")]
pub use app::{
    assert_htmx_where_used, csrf_token, each_app, each_app_with, TestApp, BROWSER_USER_AGENT,
};
#[cfg(feature = "http")]
pub use people::{login, login_with, person, Person, PASSWORD};
#[cfg(feature = "http")]
pub use translations::assert_english_twins;
