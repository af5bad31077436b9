//! Subscribers in the store (design §3.1, §3.7), on both backends: the form's request with its
//! Dutch refusals (nothing written), the consent record, the mail interval that keeps the form
//! from flooding a mailbox, confirming once, preferences, unsubscribing, erasure, and twenty
//! requests at once for one new address.

use steden_core::CoreError;
use steden_db::Db;
use steden_nieuwsbrief::model::SubscriberStatus;
use steden_nieuwsbrief::store::consents;
use steden_nieuwsbrief::store::subscribers::{
    self, Confirmed, Preferences, Request, Requested, MAIL_INTERVAL_MS,
};

use crate::common::{count, each_nb_db};

const NOW: i64 = 1_800_000_000_000;

pub fn form(email: &str, lists: &[&str]) -> Request {
    Request {
        email: email.into(),
        name: "Ann Peeters".into(),
        language: "nl".into(),
        lists: lists.iter().map(|s| s.to_string()).collect(),
        consent: true,
        consent_text_version: 1,
        source: "formulier:/nieuwsbrief".into(),
        ip: None,
    }
}

async fn request(db: &Db, form: &Request, now: i64) -> Result<Requested, CoreError> {
    let mut tx = db.begin().await.unwrap();
    let result = subscribers::request(&mut tx, form, now).await;
    if result.is_ok() {
        tx.commit().await.unwrap();
    }
    result
}

async fn confirm(db: &Db, id: &str, now: i64) -> Result<Confirmed, CoreError> {
    let mut tx = db.begin().await.unwrap();
    let result = subscribers::confirm(&mut tx, id, now).await;
    if result.is_ok() {
        tx.commit().await.unwrap();
    }
    result
}

fn id_of(requested: Requested) -> String {
    match requested {
        Requested::Confirm { subscriber_id } | Requested::AlreadySubscribed { subscriber_id } => {
            subscriber_id
        }
        Requested::Nothing => panic!("expected a subscriber"),
    }
}

async fn statuses(db: &Db, id: &str) -> Vec<(String, String)> {
    subscribers::subscriptions(db.pool(), id)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.list.slug, s.status.as_str().to_string()))
        .collect()
}

#[tokio::test]
async fn a_request_records_the_consent_and_waits_for_confirmation() {
    each_nb_db(|db| async move {
        let requested = request(&db, &form(" Ann@Gent.be ", &["algemeen", "klimaat"]), NOW)
            .await
            .unwrap();
        let id = match requested {
            Requested::Confirm { subscriber_id } => subscriber_id,
            other => panic!("{other:?}"),
        };
        let subscriber = subscribers::find(db.pool(), &id).await.unwrap().unwrap();
        assert_eq!(subscriber.email, "ann@gent.be");
        assert_eq!(subscriber.status, SubscriberStatus::Onbevestigd);
        assert_eq!(
            statuses(&db, &id).await,
            [
                ("algemeen".to_string(), "aangevraagd".to_string()),
                ("klimaat".to_string(), "aangevraagd".to_string())
            ]
        );
        let record = consents::list_for(db.pool(), &id).await.unwrap();
        assert_eq!(record.len(), 1);
        assert_eq!(record[0].kind, "aanvraag");
        assert!(record[0].given);
        assert_eq!(record[0].at, NOW);
        assert_eq!(record[0].source, "formulier:/nieuwsbrief");
        assert_eq!(record[0].consent_text_version, Some(1));
        assert_eq!(record[0].lists, ["algemeen", "klimaat"]);
        assert_eq!(record[0].ip, None, "no address is recorded by default");

        assert_eq!(confirm(&db, &id, NOW + 1).await.unwrap(), Confirmed::Now);
        assert_eq!(
            confirm(&db, &id, NOW + 2).await.unwrap(),
            Confirmed::Already
        );
        let subscriber = subscribers::find(db.pool(), &id).await.unwrap().unwrap();
        assert_eq!(subscriber.status, SubscriberStatus::Bevestigd);
        assert_eq!(subscriber.confirmed_at, Some(NOW + 1));
        assert!(statuses(&db, &id).await.iter().all(|(_, s)| s == "actief"));
        let kinds: Vec<String> = consents::list_for(db.pool(), &id)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.kind)
            .collect();
        assert_eq!(kinds, ["aanvraag", "bevestiging"], "confirmed once");
    })
    .await;
}

#[tokio::test]
async fn bad_requests_are_refused_in_dutch_and_write_nothing() {
    each_nb_db(|db| async move {
        let cases: Vec<(Request, &str, &str)> = vec![
            (
                form("geen-adres", &["algemeen"]),
                "email",
                "geen geldig e-mailadres",
            ),
            (form("a@b.be", &[]), "lists", "Kies minstens één onderwerp."),
            (
                form("a@b.be", &["bestaat-niet"]),
                "lists",
                "Kies alleen onderwerpen",
            ),
            (
                Request {
                    consent: false,
                    ..form("a@b.be", &["algemeen"])
                },
                "consent",
                "Vink aan dat je akkoord gaat",
            ),
            (
                Request {
                    language: "fr".into(),
                    ..form("a@b.be", &["algemeen"])
                },
                "language",
                "Kies Nederlands of Engels.",
            ),
            (
                Request {
                    name: "x".repeat(201),
                    ..form("a@b.be", &["algemeen"])
                },
                "name",
                "hoogstens 200 tekens",
            ),
        ];
        for (request_form, field, message) in cases {
            match request(&db, &request_form, NOW).await {
                Err(CoreError::Invalid(errors)) => assert!(
                    errors
                        .iter()
                        .any(|e| e.field == field && e.message.contains(message)),
                    "{field}: {errors:?}"
                ),
                other => panic!("{field}: {other:?}"),
            }
        }
        assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_subscribers").await, 0);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_consents").await, 0);
    })
    .await;
}

#[tokio::test]
async fn the_form_mails_an_address_at_most_once_per_interval() {
    each_nb_db(|db| async move {
        let id = id_of(
            request(&db, &form("piet@leuven.be", &["algemeen"]), NOW)
                .await
                .unwrap(),
        );
        // Again at once (a double click, or someone trying to flood the mailbox): no mail,
        // but the newer choice is what will be confirmed.
        assert_eq!(
            request(&db, &form("piet@leuven.be", &["klimaat"]), NOW + 1_000)
                .await
                .unwrap(),
            Requested::Nothing
        );
        assert_eq!(
            statuses(&db, &id).await,
            [("klimaat".to_string(), "aangevraagd".to_string())]
        );
        assert_eq!(
            request(
                &db,
                &form("piet@leuven.be", &["klimaat"]),
                NOW + MAIL_INTERVAL_MS
            )
            .await
            .unwrap(),
            Requested::Confirm {
                subscriber_id: id.clone()
            }
        );
        // Confirmed: the form changes nothing, and the owner hears of it once per interval.
        confirm(&db, &id, NOW + MAIL_INTERVAL_MS + 1).await.unwrap();
        let later = NOW + 3 * MAIL_INTERVAL_MS;
        assert_eq!(
            request(&db, &form("piet@leuven.be", &["obmi"]), later)
                .await
                .unwrap(),
            Requested::AlreadySubscribed {
                subscriber_id: id.clone()
            }
        );
        assert_eq!(
            request(&db, &form("piet@leuven.be", &["obmi"]), later + 1)
                .await
                .unwrap(),
            Requested::Nothing
        );
        assert_eq!(
            statuses(&db, &id).await,
            [("klimaat".to_string(), "actief".to_string())],
            "a stranger cannot add lists to someone's subscription"
        );
    })
    .await;
}

#[tokio::test]
async fn a_blocked_address_gets_nothing_and_cannot_confirm() {
    each_nb_db(|db| async move {
        let id = id_of(
            request(&db, &form("klacht@mechelen.be", &["algemeen"]), NOW)
                .await
                .unwrap(),
        );
        sqlx::query("UPDATE nb_subscribers SET status = 'geblokkeerd' WHERE id = $1")
            .bind(&id)
            .execute(db.pool())
            .await
            .unwrap();
        let later = NOW + 2 * MAIL_INTERVAL_MS;
        assert_eq!(
            request(&db, &form("klacht@mechelen.be", &["algemeen"]), later)
                .await
                .unwrap(),
            Requested::Nothing
        );
        assert!(matches!(
            confirm(&db, &id, later).await,
            Err(CoreError::Conflict(_))
        ));
        let subscriber = subscribers::find(db.pool(), &id).await.unwrap().unwrap();
        assert_eq!(subscriber.status, SubscriberStatus::Geblokkeerd);
    })
    .await;
}

#[tokio::test]
async fn preferences_unsubscribe_and_erasure() {
    each_nb_db(|db| async move {
        let id = id_of(
            request(&db, &form("els@brugge.be", &["algemeen"]), NOW)
                .await
                .unwrap(),
        );
        confirm(&db, &id, NOW + 1).await.unwrap();
        let save = |lists: &[&str]| Preferences {
            name: "Els".into(),
            language: "en".into(),
            lists: lists.iter().map(|s| s.to_string()).collect(),
        };
        let mut tx = db.begin().await.unwrap();
        subscribers::update_preferences(&mut tx, &id, &save(&["klimaat", "obmi"]), NOW + 2)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let active: Vec<String> = statuses(&db, &id)
            .await
            .into_iter()
            .filter(|(_, s)| s == "actief")
            .map(|(l, _)| l)
            .collect();
        assert_eq!(active, ["obmi", "klimaat"]);
        let subscriber = subscribers::find(db.pool(), &id).await.unwrap().unwrap();
        assert_eq!(subscriber.language.as_str(), "en");

        let mut tx = db.begin().await.unwrap();
        let refused =
            subscribers::update_preferences(&mut tx, &id, &save(&["onbekend"]), NOW + 3).await;
        assert!(matches!(refused, Err(CoreError::Invalid(_))));
        tx.rollback().await.unwrap();

        // No list at all is an unsubscribe; a second unsubscribe changes nothing.
        for at in [NOW + 4, NOW + 5] {
            let mut tx = db.begin().await.unwrap();
            subscribers::update_preferences(&mut tx, &id, &save(&[]), at)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        let subscriber = subscribers::find(db.pool(), &id).await.unwrap().unwrap();
        assert_eq!(subscriber.status, SubscriberStatus::Afgemeld);
        assert!(statuses(&db, &id)
            .await
            .iter()
            .all(|(_, s)| s == "afgemeld"));
        let withdrawn: Vec<_> = consents::list_for(db.pool(), &id)
            .await
            .unwrap()
            .into_iter()
            .filter(|c| c.kind == "afmelding")
            .collect();
        assert_eq!(withdrawn.len(), 1);
        assert!(!withdrawn[0].given);
        assert_eq!(withdrawn[0].lists, ["obmi", "klimaat"]);

        let mut tx = db.begin().await.unwrap();
        subscribers::erase(&mut tx, &id).await.unwrap();
        tx.commit().await.unwrap();
        for table in ["nb_subscribers", "nb_subscriptions", "nb_consents"] {
            assert_eq!(
                count(&db, &format!("SELECT COUNT(*) FROM {table}")).await,
                0,
                "{table}"
            );
        }
        let trail: String = sqlx::query_scalar(
            "SELECT summary || changes FROM audit_log WHERE entity_id = $1 AND action = 'erase'",
        )
        .bind(&id)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert!(
            !trail.contains("els@brugge.be") && !trail.contains("Els"),
            "{trail}"
        );
    })
    .await;
}

#[tokio::test]
async fn twenty_requests_at_once_for_one_new_address_make_one_subscriber_and_one_mail() {
    each_nb_db(|db| async move {
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let db = db.clone();
                tokio::spawn(async move {
                    loop {
                        let mut tx = db.begin().await.unwrap();
                        let result = subscribers::request(
                            &mut tx,
                            &form("druk@gent.be", &["algemeen"]),
                            NOW + i,
                        )
                        .await;
                        match result {
                            Ok(requested) => match tx.commit().await {
                                Ok(()) => return requested,
                                // SQLite's busy writer, or PostgreSQL's serialisation: try again.
                                Err(_) => continue,
                            },
                            Err(CoreError::Database(_)) => continue,
                            Err(other) => panic!("{other:?}"),
                        }
                    }
                })
            })
            .collect();
        let mut confirms = 0;
        for task in tasks {
            if matches!(task.await.unwrap(), Requested::Confirm { .. }) {
                confirms += 1;
            }
        }
        assert_eq!(confirms, 1, "one confirmation mail");
        assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_subscribers").await, 1);
    })
    .await;
}
