//! Browser tests: the real `steden serve --demo` binary on a loopback port, headless Chromium
//! through chromedriver, and axe-core on each page ([`harness`]); walking a module's pages and
//! collecting the violations ([`checker`]).

pub mod checker;
pub mod harness;

pub use checker::{first_link, link_with_text, log_in, Checker};
pub use harness::{axe, backends, parse_demo_login, tools, Browser, Server, Tools, Violation};
