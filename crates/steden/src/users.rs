//! `steden user create-admin` and `steden user set-password`: for the first administrator of
//! a new installation, and for an administrator who is locked out. The password comes from
//! STEDEN_ADMIN_PASSWORD (so that it never appears in the shell history or `ps`), or is
//! generated and printed once.

use anyhow::{anyhow, bail};
use rand::distributions::Alphanumeric;
use rand::Rng;
use steden_core::audit::AuditActor;
use steden_core::{user, CoreError};

use crate::cli::{CreateAdminArgs, SetPasswordArgs};
use crate::database;

const PASSWORD_ENV: &str = "STEDEN_ADMIN_PASSWORD";

/// The password to set, and whether it was generated (and so must be shown).
fn password() -> (String, bool) {
    match std::env::var(PASSWORD_ENV) {
        Ok(password) if !password.is_empty() => (password, false),
        _ => {
            let generated = rand::rngs::OsRng
                .sample_iter(Alphanumeric)
                .take(20)
                .map(char::from)
                .collect();
            (generated, true)
        }
    }
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

pub async fn create_admin(args: CreateAdminArgs) -> anyhow::Result<()> {
    let db = database::open(&args.db).await?;
    let migrations = database::migrations(&database::modules());
    steden_db::migrate::run(&db, &migrations).await?;
    let (password, generated) = password();
    let mut tx = db.begin().await?;
    let created = user::create(
        &mut tx,
        user::NewUser {
            email: &args.email,
            name: &args.name,
            password: Some(&password),
            platform_admin: true,
        },
        &AuditActor::system(),
    )
    .await
    .map_err(core_error)?;
    tx.commit().await?;
    db.close().await;
    println!(
        "Platformbeheerder {} <{}> aangemaakt.",
        created.name, created.email
    );
    if generated {
        println!("Wachtwoord (wordt niet opnieuw getoond): {password}");
    }
    Ok(())
}

pub async fn set_password(args: SetPasswordArgs) -> anyhow::Result<()> {
    let db = database::open(&args.db).await?;
    let Some(found) = user::find_by_email(db.pool(), &user::normalise_email(&args.email)).await?
    else {
        bail!("er is geen gebruiker met e-mailadres {}", args.email.trim());
    };
    let (password, generated) = password();
    let mut tx = db.begin().await?;
    user::set_password(&mut tx, &found.id, &password, &AuditActor::system())
        .await
        .map_err(core_error)?;
    // A password set by the operator ends every session: whoever had access must log in again.
    user::end_sessions(&mut tx, &found.id, None)
        .await
        .map_err(core_error)?;
    tx.commit().await?;
    db.close().await;
    println!("Nieuw wachtwoord ingesteld voor {}.", found.email);
    if generated {
        println!("Wachtwoord (wordt niet opnieuw getoond): {password}");
    }
    Ok(())
}
