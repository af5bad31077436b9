//! The Kennisbank's tests, in one test binary: each file below is a module, so that the
//! shell, the plan and kennisbank modules and steden-testkit are linked once instead of once
//! per file. `common` holds the Kennisbank's own fixtures (the Kenniscentrum, two cities, a
//! working group); the server harness and people with roles come from steden_testkit.

mod common;

mod api_write;
mod bulk;
mod cookies;
mod demo;
mod documents;
mod editor;
mod extract;
mod extract_job;
mod extract_limits;
mod extract_xlsx;
mod facade;
mod items;
mod library;
mod long_documents;
mod relevance;
mod search;
mod search_classes;
mod search_relevance;
mod search_web;
mod site;
mod site_cache;
mod structure;
mod sync;
