//! Demo content for `steden serve --demo`: three clearly marked demo accounts (names start
//! with "Demo", addresses at demo.stedenplatform.be) with memberships that show the roles and
//! the organisation switcher, plus whatever each module adds through `Module::seed_demo`.
//!
//! The content is loaded once, on the first start with --demo (a marker in the settings
//! table); the login is printed on every demo start. The shared demo password is generated for
//! this database and kept in the settings table, so it differs per installation and is never a
//! well-known default.

use std::sync::Arc;

use anyhow::anyhow;
use steden_core::audit::AuditActor;
use steden_core::role::Role;
use steden_core::{membership, org, settings, user, CoreError};
use steden_db::{Backend, Db};
use steden_web::{DemoUser, Module};

const PASSWORD_KEY: &str = "demo_password_seed";
const SEEDED_KEY: &str = "demo_seeded_at";

/// A demo account and its memberships (organisation slug, role).
struct DemoAccount {
    email: &'static str,
    name: &'static str,
    platform_admin: bool,
    /// What to say about the account in the terminal.
    description: &'static str,
    memberships: &'static [(&'static str, Role)],
}

/// The first account is the one to log in with: it is printed first.
const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        email: "beheer@demo.stedenplatform.be",
        name: "Demo Beheerder",
        platform_admin: true,
        description: "platformbeheerder; beheerder bij het Kenniscentrum en Gent",
        memberships: &[
            ("kenniscentrum", Role::Beheerder),
            ("gent", Role::Beheerder),
        ],
    },
    DemoAccount {
        email: "medewerker@demo.stedenplatform.be",
        name: "Demo Medewerker Kenniscentrum",
        platform_admin: false,
        description: "redacteur bij het Kenniscentrum",
        memberships: &[("kenniscentrum", Role::Redacteur)],
    },
    DemoAccount {
        email: "redacteur.gent@demo.stedenplatform.be",
        name: "Demo Redacteur Gent",
        platform_admin: false,
        description: "redacteur bij Gent, lid bij het Kenniscentrum",
        memberships: &[("gent", Role::Redacteur), ("kenniscentrum", Role::Lid)],
    },
];

/// A key for PostgreSQL's advisory lock around the demo seeding (beside the migrations' key).
const DEMO_LOCK_KEY: i64 = 0x0053_7465_6465_6e0d; // "Steden" then 0d (demo)

/// Loads the demo content if this database has not had it yet, and returns the login to show.
///
/// Several servers may start at once with `--demo` on one empty database (a deployment with two
/// instances): on PostgreSQL they take turns through an advisory lock, so that one loads the
/// content and the others find the marker it left, instead of each creating the accounts and
/// all but one failing on the unique e-mail address. The check of the marker happens under the
/// lock for that reason. SQLite has no such lock; there the turn is a row in the settings
/// table (see [`sqlite_turn`]).
pub async fn seed(db: &Db, modules: &[Arc<dyn Module>]) -> anyhow::Result<String> {
    let password = demo_password(db).await?;
    if db.backend() != Backend::Postgres {
        let turn = sqlite_turn(db).await?;
        let seeded = seed_unlocked(db, modules, &password).await;
        sqlx::query("DELETE FROM settings WHERE key = $1 AND value = $2")
            .bind(SEEDING_KEY)
            .bind(&turn)
            .execute(db.pool())
            .await?;
        seeded?;
        return Ok(password);
    }
    // A connection of its own holds the session lock while the seeding uses the pool.
    let mut lock = db.pool().acquire().await?;
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(DEMO_LOCK_KEY)
        .execute(&mut *lock)
        .await?;
    let seeded = seed_unlocked(db, modules, &password).await;
    let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(DEMO_LOCK_KEY)
        .execute(&mut *lock)
        .await;
    if unlocked.is_err() {
        // Never hand a connection that may still hold the lock back to the pool.
        let _ = lock.close().await;
    }
    seeded?;
    unlocked?;
    Ok(password)
}

/// The settings row that says a process is loading the demo content (SQLite), with the
/// instant it began.
const SEEDING_KEY: &str = "demo_seeding_since";

/// After this long a turn is taken over: its process died while seeding.
const SEEDING_STALE_MS: i64 = 5 * 60 * 1000;

/// Waits for this process's turn to seed on SQLite: inserts the seeding row, or takes over one
/// that is stale, in one statement (SQLite serialises writers, so one process wins). Returns
/// the row's value, to remove exactly this turn afterwards.
async fn sqlite_turn(db: &Db) -> anyhow::Result<String> {
    let deadline =
        std::time::Instant::now() + std::time::Duration::from_millis(2 * SEEDING_STALE_MS as u64);
    loop {
        let now = steden_db::now_ms();
        let value = format!("{now}-{}", std::process::id());
        let taken = sqlx::query(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at \
             WHERE settings.updated_at < $4",
        )
        .bind(SEEDING_KEY)
        .bind(&value)
        .bind(now)
        .bind(now - SEEDING_STALE_MS)
        .execute(db.pool())
        .await?;
        if taken.rows_affected() == 1 {
            return Ok(value);
        }
        if std::time::Instant::now() > deadline {
            return Err(anyhow!(
                "een ander proces laadt de demo-inhoud en wordt niet klaar"
            ));
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

async fn seed_unlocked(db: &Db, modules: &[Arc<dyn Module>], password: &str) -> anyhow::Result<()> {
    if settings::get(db, SEEDED_KEY).await?.is_none() {
        let users = seed_accounts(db, password).await?;
        for module in modules {
            module
                .seed_demo(db, &users)
                .await
                .map_err(|e| anyhow!("demo-inhoud van module {}: {e:#}", module.name()))?;
        }
        settings::set(db, SEEDED_KEY, &steden_db::now_ms().to_string()).await?;
        tracing::info!("demo-inhoud geladen");
    }
    Ok(())
}

/// The demo password of this database: derived from a random value made on first use and
/// shared by every server on the database (`settings::secret` makes it exactly once, also when
/// two servers start at the same time).
async fn demo_password(db: &Db) -> anyhow::Result<String> {
    let secret = settings::secret(db, PASSWORD_KEY).await?;
    // 16 hex characters (64 bits) are plenty for a demo and still easy to type.
    Ok(format!("demo-{}", &secret[..16.min(secret.len())]))
}

async fn seed_accounts(db: &Db, password: &str) -> anyhow::Result<Vec<DemoUser>> {
    let actor = AuditActor::system();
    let mut users = Vec::new();
    let mut tx = db.begin().await?;
    for account in ACCOUNTS {
        let existing = user::find_by_email(&mut *tx, account.email).await?;
        let found = match existing {
            Some(found) => found,
            None => user::create(
                &mut tx,
                user::NewUser {
                    email: account.email,
                    name: account.name,
                    password: Some(password),
                    platform_admin: account.platform_admin,
                },
                &actor,
            )
            .await
            .map_err(core_error)?,
        };
        for (slug, role) in account.memberships {
            let organisation = org::find_by_slug(&mut *tx, slug)
                .await?
                .ok_or_else(|| anyhow!("de organisatie '{slug}' ontbreekt"))?;
            membership::set_role(&mut tx, &found.id, &organisation.id, *role, &actor)
                .await
                .map_err(core_error)?;
        }
        users.push(DemoUser {
            id: found.id,
            email: found.email,
            name: found.name,
            organisations: account
                .memberships
                .iter()
                .map(|(s, _)| s.to_string())
                .collect(),
        });
    }
    tx.commit().await?;
    Ok(users)
}

fn core_error(err: CoreError) -> anyhow::Error {
    match err {
        CoreError::Invalid(fields) => anyhow!(fields
            .iter()
            .map(|f| f.message.as_str())
            .collect::<Vec<_>>()
            .join(" ")),
        other => anyhow!(other.to_string()),
    }
}

/// The banner printed on every demo start.
pub fn banner(base_url: &str, password: &str) -> String {
    let mut text = format!(
        "Demo-aanmelding op {base_url}/aanmelden (alleen voor de demo, niet voor echte gegevens):\n"
    );
    for account in ACCOUNTS {
        text.push_str(&format!(
            "  e-mail {}  wachtwoord: {password}  ({}: {})\n",
            account.email, account.name, account.description
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use steden_db::testing::each_backend;

    /// A module that records how often, and with how many demo users, its hook ran.
    #[derive(Default)]
    struct Counting {
        calls: AtomicUsize,
        users: AtomicUsize,
    }

    impl Module for Counting {
        fn name(&self) -> &'static str {
            "counting"
        }

        fn seed_demo<'a>(
            &'a self,
            _db: &'a Db,
            users: &'a [DemoUser],
        ) -> futures::future::BoxFuture<'a, anyhow::Result<()>> {
            Box::pin(async move {
                self.calls.fetch_add(1, Ordering::SeqCst);
                self.users.store(users.len(), Ordering::SeqCst);
                Ok(())
            })
        }
    }

    #[tokio::test]
    async fn each_module_adds_its_demo_content_once() {
        each_backend(&steden_web::app::all_migrations(&[]), |db| async move {
            org::seed_defaults(&db).await.unwrap();
            let module = Arc::new(Counting::default());
            let modules: Vec<Arc<dyn Module>> = vec![module.clone()];
            seed(&db, &modules).await.unwrap();
            seed(&db, &modules).await.unwrap();
            assert_eq!(
                module.calls.load(Ordering::SeqCst),
                1,
                "only on the first start"
            );
            assert_eq!(module.users.load(Ordering::SeqCst), ACCOUNTS.len());
        })
        .await;
    }

    #[tokio::test]
    async fn demo_content_is_loaded_once_and_the_login_works() {
        each_backend(&steden_web::app::all_migrations(&[]), |db| async move {
            org::seed_defaults(&db).await.unwrap();
            let first = seed(&db, &[]).await.unwrap();
            let again = seed(&db, &[]).await.unwrap();
            assert_eq!(first, again, "the same password on every start");
            assert!(first.len() >= user::MIN_PASSWORD_CHARS);

            let admin = user::find_by_email(db.pool(), ACCOUNTS[0].email)
                .await
                .unwrap()
                .expect("the demo administrator exists");
            assert!(admin.platform_admin);
            assert!(user::verify_password(
                admin.password_hash.as_deref().unwrap(),
                &first
            ));
            let users = user::list(db.pool()).await.unwrap();
            assert_eq!(
                users.len(),
                ACCOUNTS.len(),
                "no duplicates on a second start"
            );
            // The Gent redacteur is in two organisations (to try the switcher).
            let gent = user::find_by_email(db.pool(), ACCOUNTS[2].email)
                .await
                .unwrap()
                .unwrap();
            let memberships = membership::list_for_user(db.pool(), &gent.id)
                .await
                .unwrap();
            assert_eq!(memberships.len(), 2);

            let text = banner("http://localhost:8080", &first);
            assert!(text.contains(ACCOUNTS[0].email));
            assert!(text.contains(&format!("wachtwoord: {first}")));
        })
        .await;
    }
}
