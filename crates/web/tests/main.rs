//! The shell's tests, in one test binary: each file below is a module, so that the shell,
//! its dependencies and steden-testkit are linked once instead of once per file. The harness
//! (a server on a loopback port over a fresh database of each backend) is steden_testkit's;
//! `probe` is a test-only module with routes of its own for the shell tests.

mod probe;

mod accounts;
mod api;
mod audit_pages;
mod authenticated_pages;
mod compression;
mod csrf;
mod housekeeping;
mod jobs;
mod login_throttle;
mod ops;
mod page_cache;
mod password_hash_bound;
mod session_cache;
mod shell;
mod styleguide;
