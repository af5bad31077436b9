//! Four hundred generated subscribers `voornaam.achternaam.N@example.org` (example.org is
//! reserved for examples: no mail reaches a person), from fixed name lists with a seeded
//! generator, so every demo has the same ones: spread over the lists and both languages, most
//! confirmed, some waiting, unsubscribed, bounced or blocked.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use steden_db::Db;

use crate::model::{Language, SubscriberStatus};
use crate::store::demo::{self, DemoSubscriber};

/// How many the demo has.
pub const COUNT: usize = 400;

const FIRST_NAMES: [&str; 20] = [
    "An",
    "Bram",
    "Charlotte",
    "Dries",
    "Elif",
    "Fatima",
    "Geert",
    "Hanne",
    "Ilias",
    "Jana",
    "Koen",
    "Lotte",
    "Mohamed",
    "Nele",
    "Olivier",
    "Pieter",
    "Quinten",
    "Rania",
    "Sofie",
    "Tom",
];
const LAST_NAMES: [&str; 20] = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Vermeulen",
    "Aerts",
    "Van Damme",
    "El Amrani",
    "Yilmaz",
    "Lambert",
    "Desmet",
    "Hermans",
    "Michiels",
];
/// The topic lists besides the monthly newsletter, as seeded by migration 0001.
const TOPICS: [&str; 5] = [
    "obmi",
    "smart-cities",
    "klimaat",
    "stadsgenoten",
    "digitale-transitie",
];

const DAY_MS: i64 = 86_400_000;

/// The generated subscribers, the same on every run.
pub fn generate(now: i64) -> Vec<DemoSubscriber> {
    let mut rng = StdRng::seed_from_u64(14);
    (0..COUNT)
        .map(|n| {
            let first = FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())];
            let last = LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())];
            let local = format!("{first}.{last}.{n}")
                .to_lowercase()
                .replace(' ', "");
            let mut lists = Vec::new();
            if rng.gen_bool(0.85) {
                lists.push("algemeen".to_string());
            }
            for topic in TOPICS {
                if rng.gen_bool(0.3) {
                    lists.push(topic.to_string());
                }
            }
            if lists.is_empty() {
                lists.push("algemeen".to_string());
            }
            let status = match rng.gen_range(0..100) {
                0..=5 => SubscriberStatus::Onbevestigd,
                6..=11 => SubscriberStatus::Afgemeld,
                12..=14 => SubscriberStatus::Gebounced,
                15 => SubscriberStatus::Geblokkeerd,
                _ => SubscriberStatus::Bevestigd,
            };
            // Waiting ones asked in the last days (the retention job deletes them after 30);
            // the others subscribed over the last two years.
            let created_at = if status == SubscriberStatus::Onbevestigd {
                now - rng.gen_range(1..10) * DAY_MS
            } else {
                now - rng.gen_range(30..730) * DAY_MS
            };
            let changed_at = match status {
                SubscriberStatus::Bevestigd | SubscriberStatus::Onbevestigd => created_at,
                _ => created_at + (now - created_at) / 2,
            };
            DemoSubscriber {
                email: format!("{local}@example.org"),
                name: format!("{first} {last}"),
                language: if n % 9 == 4 {
                    Language::En
                } else {
                    Language::Nl
                },
                status,
                lists,
                created_at,
                changed_at,
            }
        })
        .collect()
}

pub async fn seed(db: &Db) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    for subscriber in generate(steden_db::now_ms()) {
        demo::insert_subscriber(&mut tx, &subscriber).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_subscribers_are_fake_unique_and_varied() {
        let all = generate(1_800_000_000_000);
        assert_eq!(all.len(), COUNT);
        let emails: std::collections::HashSet<_> = all.iter().map(|s| s.email.clone()).collect();
        assert_eq!(emails.len(), COUNT, "every address once");
        assert!(all.iter().all(|s| s.email.ends_with("@example.org")));
        assert!(all.iter().all(|s| !s.email.contains(' ')));
        let confirmed = all
            .iter()
            .filter(|s| s.status == SubscriberStatus::Bevestigd)
            .count();
        assert!((250..380).contains(&confirmed), "{confirmed}");
        for status in SubscriberStatus::ALL {
            assert!(all.iter().any(|s| s.status == status), "{status:?}");
        }
        assert!(all.iter().any(|s| s.language == Language::En));
        assert_eq!(generate(1_800_000_000_000)[7].email, all[7].email, "seeded");
    }
}
