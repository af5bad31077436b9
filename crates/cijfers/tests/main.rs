//! The cijfers module's tests, in one test binary: each file below is a module. `common` holds
//! the module's fixtures; the server harness and people with roles come from steden_testkit.

mod common;

// cj-climate2:
mod climate;
// cj-link:
mod data_requests;
mod demo;
mod gate;
mod imports;
mod imports_formats;
mod interop;
mod maps;
mod opendata;
mod pages;
// cj-link:
mod plan_link;
mod sheets;
mod store;
mod translations;
