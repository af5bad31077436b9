//! The demo's members (design §3.10): "Demo <voornaam> (<stad>)", `lid` in their city, each in
//! a few groups, so the members tabs show several cities. Their accounts have no password:
//! nobody logs in as them (the demo logins are the shell's accounts), and no password needs
//! to be made or kept secret. Existing accounts and memberships are left as they are.

use steden_core::audit::AuditActor;
use steden_core::role::Role;
use steden_core::{membership, org, user};
use steden_db::Db;

use crate::model::MemberRole;
use crate::store::{joining, memberships};

/// First name and city; the city's organisation has the city's name in lower case as slug.
pub const PEOPLE: &[(&str, &str)] = &[
    ("An", "Aalst"),
    ("Bram", "Antwerpen"),
    ("Chloé", "Brugge"),
    ("Dries", "Gent"),
    ("Elif", "Hasselt"),
    ("Fien", "Kortrijk"),
    ("Geert", "Leuven"),
    ("Hanne", "Mechelen"),
    ("Ilias", "Oostende"),
    ("Jolien", "Roeselare"),
    ("Kobe", "Sint-Niklaas"),
    ("Lotte", "Turnhout"),
    ("Mehdi", "Genk"),
    ("Nora", "VGC"),
    ("Olivier", "Aalst"),
    ("Pieter", "Antwerpen"),
    ("Rania", "Brugge"),
    ("Sofie", "Gent"),
    ("Tom", "Hasselt"),
    ("Ursula", "Kortrijk"),
    ("Vincent", "Leuven"),
    ("Wout", "Mechelen"),
    ("Yasmina", "Genk"),
];

/// Letters and digits of `text`, lower case, accents dropped (for addresses).
fn address_part(text: &str) -> String {
    text.to_lowercase()
        .replace('é', "e")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

pub fn name(first: &str, city: &str) -> String {
    format!("Demo {first} ({city})")
}

pub fn email(first: &str, city: &str) -> String {
    format!(
        "{}.{}@demo.stedenplatform.be",
        address_part(first),
        address_part(city)
    )
}

/// Creates the members and spreads them over `groups` (ids, in a fixed order): person `p`
/// joins group `g` when `(p + g) % 4 == 0`, about six per group.
pub async fn seed(db: &Db, groups: &[String], facilitator: &str) -> anyhow::Result<()> {
    let actor = AuditActor::user(facilitator);
    let mut tx = db.begin().await?;
    for (p, (first, city)) in PEOPLE.iter().enumerate() {
        let Some(city_org) = org::find_by_slug(&mut *tx, &city.to_lowercase()).await? else {
            continue;
        };
        let address = email(first, city);
        let person = match user::find_by_email(&mut *tx, &address).await? {
            Some(found) => found,
            None => {
                user::create(
                    &mut tx,
                    user::NewUser {
                        email: &address,
                        name: &name(first, city),
                        password: None,
                        platform_admin: false,
                    },
                    &actor,
                )
                .await?
            }
        };
        membership::set_role(&mut tx, &person.id, &city_org.id, Role::Lid, &actor).await?;
        for (g, group_id) in groups.iter().enumerate() {
            if (p + g) % 4 != 0
                || memberships::find_open(&mut *tx, group_id, &person.id)
                    .await?
                    .is_some()
            {
                continue;
            }
            joining::add(
                &mut tx,
                group_id,
                &person.id,
                Some(&city_org.id),
                MemberRole::Lid,
                &actor,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
