//! The shared kernel of Stedenplatform: what every module stands on.
//!
//! - [`org`]: organisations (Kenniscentrum, centrumsteden, VGC, OCMW's, partners) and their
//!   REFNIS codes with validity periods;
//! - [`user`], [`membership`], [`role`]: accounts and who may do what where;
//! - [`policy`]: the one place where permission decisions are made;
//! - [`api_token`]: credentials for machine clients;
//! - [`login`]: throttling of logins and reset mails, counted atomically;
//! - [`audit`]: the append-only trail of who changed what;
//! - [`mail`]: the outbox through which every e-mail leaves;
//! - [`time`]: timestamps and Belgian formatting of dates and numbers;
//! - [`settings`]: platform-wide settings kept in the database (e.g. the signing secret);
//! - [`signed_link`]: links in mails that act without a login, signed per module.

pub mod api_token;
pub mod audit;
pub mod error;
pub mod login;
pub mod mail;
pub mod membership;
pub mod org;
pub mod password;
pub mod policy;
pub mod role;
pub mod settings;
pub mod signed_link;
pub mod slug;
pub mod time;
pub mod user;
pub mod working_group;

pub use error::{ConstraintViolation, CoreError, CoreResult, FieldError};
pub use steden_db::{new_id, now_ms, Db};

use steden_db::{Migration, MigrationSql};

/// The core's schema, in order. Applied before any module's migrations.
pub fn migrations() -> Vec<Migration> {
    vec![
        Migration {
            module: "core",
            version: 1,
            name: "accounts",
            sql: MigrationSql::Portable(include_str!("../migrations/0001_accounts.sql")),
        },
        Migration {
            module: "core",
            version: 2,
            name: "audit",
            sql: MigrationSql::PerBackend {
                sqlite: include_str!("../migrations/0002_audit.sqlite.sql"),
                postgres: include_str!("../migrations/0002_audit.postgres.sql"),
            },
        },
        Migration {
            module: "core",
            version: 3,
            name: "mail",
            sql: MigrationSql::Portable(include_str!("../migrations/0003_mail.sql")),
        },
        Migration {
            module: "core",
            version: 4,
            name: "settings",
            sql: MigrationSql::Portable(include_str!("../migrations/0004_settings.sql")),
        },
        Migration {
            module: "core",
            version: 5,
            name: "working_groups",
            sql: MigrationSql::Portable(include_str!("../migrations/0005_working_groups.sql")),
        },
        Migration {
            module: "core",
            version: 6,
            name: "read_views",
            sql: MigrationSql::Portable(include_str!("../migrations/0006_read_views.sql")),
        },
        Migration {
            module: "core",
            version: 7,
            name: "login_locks",
            sql: MigrationSql::Portable(include_str!("../migrations/0007_login_locks.sql")),
        },
        Migration {
            module: "core",
            version: 8,
            name: "mail_parts",
            sql: MigrationSql::Portable(include_str!("../migrations/0008_mail_parts.sql")),
        },
    ]
}

/// Every migration the core needs, including the storage crate's own (the job queue).
pub fn all_migrations() -> Vec<Migration> {
    let mut all = steden_db::jobs::migrations();
    all.extend(migrations());
    all
}
