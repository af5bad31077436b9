//! The plan module's tests, in one test binary: each file below is a module, so that the
//! shell, the module and steden-testkit are linked once instead of once per file. `common`
//! holds the plan's own fixtures (two cities with people, a small BBC plan); the server
//! harness and people with roles come from steden_testkit.

mod common;

mod api;
mod bbc_detect;
mod bbc_errors;
mod bbc_import;
mod demo;
mod derived_status;
mod export;
mod export_roundtrip;
mod finance;
mod import_db;
mod import_db_http;
mod import_preview;
mod indicators;
mod kwesties;
mod levels;
mod links;
mod measurement_source;
mod milestone_items;
mod projects;
mod public;
mod releases;
mod rounds;
mod screens;
mod search;
mod site_indicators;
mod small_things;
mod smoke_http;
mod store;
mod translations;
mod two_years;
mod web_item;
mod web_plans;
mod web_tree;
mod workspace;
