//! The HTTP shell of Stedenplatform: configuration, routing, layout, sessions, CSRF, i18n,
//! static assets, error pages, and the conventions of the JSON API.
//!
//! A module plugs in by implementing [`Module`]: its routes, API routes, migrations,
//! translations and navigation entries are collected at start-up by [`app::build`]. The shell's
//! own pages are collected the same way, as the built-in module [`shell_module::Shell`].

pub mod accounts;
pub mod admin_jobs;
pub mod api;
pub mod app;
pub mod assets;
pub mod audit_pages;
pub mod auth;
pub mod choice;
pub mod components;
pub mod compression;
pub mod csrf;
pub mod csv;
pub mod delete;
pub mod design_tokens;
pub mod error;
pub mod flash;
pub mod form;
pub mod home;
pub mod housekeeping;
pub mod i18n;
pub mod items;
pub mod language;
pub mod login_settings;
pub mod module;
pub mod nav;
pub mod ops;
pub mod page;
pub mod page_cache;
pub mod pagination;
pub mod ports;
pub mod security;
pub mod session;
pub mod shell_module;
pub mod state;
pub mod styleguide;
pub mod telemetry;
pub mod upload;
pub mod workspace;
pub mod xlsx;

pub use choice::Choice;
pub use error::AppError;
pub use module::{DemoUser, Module, NavEntry, NavGroup, NavVisibility};
pub use page::{render, PageContext};
pub use ports::Ports;
pub use state::{AppState, Config};
