//! The binary's tests, in one test binary: the command line (`cli`) and the browser tests
//! (`browser*`, run with BROWSER_TESTS=1 in CI), which start the real `steden` binary. The
//! browser harness and the axe checker are steden_testkit's (feature `browser`).

/// The binary under test (Cargo sets this only when it compiles this crate's tests).
const STEDEN: &str = env!("CARGO_BIN_EXE_steden");

mod browser;
mod browser_cijfers;
mod browser_nieuwsbrief;
mod browser_plan;
mod browser_site;
mod browser_werkgroepen;
mod cli;
mod connection_limits;
mod kb_import;
mod nb_send_kill;
mod openapi;
mod screenshots;
mod two_servers_demo;
