//! Registrations and the waiting list in the store (design §3.8, §3.9, slice S11), on both
//! backends: seats while there are places, then consecutive waiting-list numbers; a second
//! registration, a closed event and a full event without waiting list are refused with their
//! Dutch message and write nothing; a cancellation and a larger capacity move the lowest
//! numbers up, each with a mail job; and 50 registrations at once for the last places never
//! overbook.

use std::collections::BTreeMap;

use steden_core::audit::AuditActor;
use steden_core::CoreError;
use steden_db::Db;
use steden_werkgroepen::model::RegistrationStatus;
use steden_werkgroepen::store::events::{self, EventFields};
use steden_werkgroepen::store::registrations::{
    self, Registered, Registrant, ALREADY_REGISTERED, CLOSED, FULL, MAIL_JOB,
};

use crate::common::{count, each_wg_db, World};

const BASE: &str = "http://steden.test";

/// Event fields in 2055 (never "in the past"), with `capacity` places.
pub fn event_fields(slug: &str, capacity: &str) -> EventFields {
    EventFields {
        slug: slug.into(),
        title: format!("Opleiding {slug}"),
        kind: "opleiding".into(),
        local_date: "2055-06-15".into(),
        local_start: "09:30".into(),
        local_end: "16:30".into(),
        place: "Huis van de Vlaamse Steden, Brussel".into(),
        registration: "publiek".into(),
        capacity: capacity.into(),
        waitlist: "1".into(),
        questions: "Dieetwensen\nOrganisatie type: Stad | Partner *".into(),
        ..EventFields::default()
    }
}

pub async fn create_event(w: &World, fields: &EventFields) -> String {
    let mut tx = w.db.begin().await.unwrap();
    let id = events::create(&mut tx, fields, &w.staff.id, &w.staff.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

fn answers(name: &str, email: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("name".to_string(), name.to_string()),
        ("email".to_string(), email.to_string()),
        ("v1".to_string(), "vegetarisch".to_string()),
        ("v2".to_string(), "Stad".to_string()),
    ])
}

async fn register(db: &Db, event_id: &str, email: &str) -> Result<Registered, CoreError> {
    let mut tx = db.begin().await.unwrap();
    let result = registrations::register(
        &mut tx,
        event_id,
        &Registrant::Anonymous,
        &answers("Deelnemer", email),
        BASE,
    )
    .await;
    match result {
        Ok(registered) => {
            tx.commit().await.unwrap();
            Ok(registered)
        }
        Err(error) => {
            tx.rollback().await.unwrap();
            Err(error)
        }
    }
}

async fn seats_taken(db: &Db, event_id: &str) -> i64 {
    events::find(db.pool(), event_id)
        .await
        .unwrap()
        .unwrap()
        .seats_taken
}

async fn rows(db: &Db) -> i64 {
    count(db, "SELECT COUNT(*) FROM wg_registrations").await
}

async fn mail_jobs(db: &Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = $1")
        .bind(MAIL_JOB)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

fn message(error: CoreError) -> String {
    match error {
        CoreError::Invalid(fields) => fields
            .iter()
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
            .join(" | "),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn places_first_then_the_waiting_list_in_order() {
    each_wg_db(|w| async move {
        let event = create_event(&w, &event_fields("basis", "2")).await;
        let mut outcomes = Vec::new();
        for n in 1..=4 {
            let r = register(&w.db, &event, &format!("p{n}@gent.be"))
                .await
                .unwrap();
            outcomes.push((r.status, r.waitlist_number));
        }
        assert_eq!(
            outcomes,
            [
                (RegistrationStatus::Bevestigd, None),
                (RegistrationStatus::Bevestigd, None),
                (RegistrationStatus::Wachtlijst, Some(1)),
                (RegistrationStatus::Wachtlijst, Some(2)),
            ]
        );
        assert_eq!(seats_taken(&w.db, &event).await, 2);
        assert_eq!(mail_jobs(&w.db).await, 4, "one mail per registration");
        // The answers are kept as typed.
        let list = registrations::list_for_event(w.db.pool(), &event)
            .await
            .unwrap();
        assert_eq!(list[0].answers["v1"], "vegetarisch");
        assert_eq!(list[0].answers["v2"], "Stad");
    })
    .await;
}

#[tokio::test]
async fn refusals_say_why_in_dutch_and_write_nothing() {
    each_wg_db(|w| async move {
        let event = create_event(&w, &event_fields("refus", "1")).await;
        register(&w.db, &event, "an@gent.be").await.unwrap();
        let (before, jobs) = (rows(&w.db).await, mail_jobs(&w.db).await);

        // The same address, typed otherwise.
        let error = register(&w.db, &event, "  AN@Gent.be ").await.unwrap_err();
        assert_eq!(message(error), ALREADY_REGISTERED);

        // A required question left open, a choice that is not offered, a bad address.
        let mut tx = w.db.begin().await.unwrap();
        let mut fields = answers("", "geen-adres");
        fields.remove("v2");
        let error = registrations::register(&mut tx, &event, &Registrant::Anonymous, &fields, BASE)
            .await
            .unwrap_err();
        tx.rollback().await.unwrap();
        assert_eq!(
            message(error),
            "Vul je naam in. | Vul een geldig e-mailadres in, bijvoorbeeld naam@stad.be. | Beantwoord de vraag 'Organisatie type'."
        );
        let mut tx = w.db.begin().await.unwrap();
        let mut fields = answers("Bert", "bert@gent.be");
        fields.insert("v2".into(), "Bank".into());
        let error = registrations::register(&mut tx, &event, &Registrant::Anonymous, &fields, BASE)
            .await
            .unwrap_err();
        tx.rollback().await.unwrap();
        assert_eq!(
            message(error),
            "Kies een van de antwoorden bij 'Organisatie type'."
        );

        // Full, without a waiting list.
        let mut no_list = event_fields("zonder-wachtlijst", "1");
        no_list.waitlist = String::new();
        let full = create_event(&w, &no_list).await;
        register(&w.db, &full, "eerste@gent.be").await.unwrap();
        let before_full = rows(&w.db).await;
        let error = register(&w.db, &full, "tweede@gent.be").await.unwrap_err();
        assert_eq!(message(error), FULL);
        assert_eq!(rows(&w.db).await, before_full);
        assert_eq!(seats_taken(&w.db, &full).await, 1);

        // Registration closed.
        let mut closed = event_fields("gesloten", "10");
        closed.registration = "gesloten".into();
        let closed = create_event(&w, &closed).await;
        let error = register(&w.db, &closed, "iemand@gent.be").await.unwrap_err();
        assert_eq!(message(error), CLOSED);

        // A members' event refuses the anonymous.
        let mut members = event_fields("leden", "10");
        members.registration = "leden".into();
        let members = create_event(&w, &members).await;
        let error = register(&w.db, &members, "iemand@gent.be").await.unwrap_err();
        assert!(matches!(error, CoreError::Unauthenticated), "{error:?}");

        assert_eq!(rows(&w.db).await, before + 1, "only the one full-event seat");
        assert_eq!(seats_taken(&w.db, &event).await, 1);
        assert_eq!(mail_jobs(&w.db).await, jobs + 1);
    })
    .await;
}

#[tokio::test]
async fn a_cancellation_moves_the_lowest_number_up_once() {
    each_wg_db(|w| async move {
        let event = create_event(&w, &event_fields("doorschuiven", "1")).await;
        let first = register(&w.db, &event, "een@gent.be").await.unwrap();
        let second = register(&w.db, &event, "twee@gent.be").await.unwrap();
        let third = register(&w.db, &event, "drie@gent.be").await.unwrap();
        assert_eq!(
            (second.waitlist_number, third.waitlist_number),
            (Some(1), Some(2))
        );
        let jobs = mail_jobs(&w.db).await;

        let mut tx = w.db.begin().await.unwrap();
        assert!(
            registrations::cancel(&mut tx, &first.id, &AuditActor::system(), BASE)
                .await
                .unwrap()
        );
        tx.commit().await.unwrap();
        let status = |id: String| {
            let db = w.db.clone();
            async move {
                registrations::find(db.pool(), &id)
                    .await
                    .unwrap()
                    .unwrap()
                    .status
            }
        };
        assert_eq!(
            status(first.id.clone()).await,
            RegistrationStatus::Geannuleerd
        );
        assert_eq!(
            status(second.id.clone()).await,
            RegistrationStatus::Bevestigd
        );
        assert_eq!(
            status(third.id.clone()).await,
            RegistrationStatus::Wachtlijst
        );
        assert_eq!(seats_taken(&w.db, &event).await, 1);
        // The cancellation's mail and the moved-up one.
        assert_eq!(mail_jobs(&w.db).await, jobs + 2);
        let moved: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE kind = $1 AND payload LIKE '%doorgeschoven%'",
        )
        .bind(MAIL_JOB)
        .fetch_one(w.db.pool())
        .await
        .unwrap();
        assert_eq!(moved, 1);

        // Twice: nothing more happens.
        let mut tx = w.db.begin().await.unwrap();
        assert!(
            !registrations::cancel(&mut tx, &first.id, &AuditActor::system(), BASE)
                .await
                .unwrap()
        );
        tx.commit().await.unwrap();
        assert_eq!(seats_taken(&w.db, &event).await, 1);
        assert_eq!(
            status(third.id.clone()).await,
            RegistrationStatus::Wachtlijst
        );

        // A waiting person who cancels frees no seat.
        let mut tx = w.db.begin().await.unwrap();
        registrations::cancel(&mut tx, &third.id, &AuditActor::system(), BASE)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(seats_taken(&w.db, &event).await, 1);
        // The same address may register again after cancelling.
        let again = register(&w.db, &event, "een@gent.be").await.unwrap();
        assert_eq!(again.waitlist_number, Some(3));
    })
    .await;
}

#[tokio::test]
async fn more_places_move_up_as_many_as_fit() {
    each_wg_db(|w| async move {
        let event = create_event(&w, &event_fields("meer-plaatsen", "1")).await;
        for n in 1..=5 {
            register(&w.db, &event, &format!("p{n}@gent.be"))
                .await
                .unwrap();
        }
        let set = |capacity: Option<i64>| {
            let db = w.db.clone();
            let event = event.clone();
            async move {
                let mut tx = db.begin().await.unwrap();
                let result = registrations::set_capacity(
                    &mut tx,
                    &event,
                    capacity,
                    &AuditActor::system(),
                    BASE,
                )
                .await;
                if result.is_ok() {
                    tx.commit().await.unwrap();
                } else {
                    tx.rollback().await.unwrap();
                }
                result
            }
        };
        assert_eq!(set(Some(3)).await.unwrap(), 2);
        assert_eq!(seats_taken(&w.db, &event).await, 3);
        let waiting: Vec<Option<i64>> = registrations::list_for_event(w.db.pool(), &event)
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.status == RegistrationStatus::Wachtlijst)
            .map(|r| r.waitlist_number)
            .collect();
        assert_eq!(waiting, [Some(3), Some(4)], "the lowest numbers moved up");

        // Fewer places than confirmed: refused, nothing changes.
        let error = set(Some(2)).await.unwrap_err();
        assert_eq!(
            message(error),
            "Er zijn al 3 plaatsen bevestigd; minder plaatsen kan niet."
        );
        assert_eq!(
            events::find(w.db.pool(), &event)
                .await
                .unwrap()
                .unwrap()
                .capacity,
            Some(3)
        );
        // No limit: everyone waiting is in.
        assert_eq!(set(None).await.unwrap(), 2);
        assert_eq!(seats_taken(&w.db, &event).await, 5);
    })
    .await;
}

/// Design point 9: 50 registrations at the same moment for an event with 3 places left, each
/// in its own transaction on its own pooled connection, on both backends.
#[tokio::test]
async fn fifty_at_once_never_overbook() {
    each_wg_db(|w| async move {
        let event = create_event(&w, &event_fields("laatste-plaatsen", "5")).await;
        register(&w.db, &event, "vroeg1@gent.be").await.unwrap();
        register(&w.db, &event, "vroeg2@gent.be").await.unwrap();
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(50));
        let tasks: Vec<_> = (0..50)
            .map(|n| {
                let db = w.db.clone();
                let event = event.clone();
                let barrier = barrier.clone();
                tokio::spawn(async move {
                    barrier.wait().await;
                    register(&db, &event, &format!("gelijk{n}@gent.be")).await
                })
            })
            .collect();
        let mut seated = 0;
        let mut numbers = Vec::new();
        for task in tasks {
            let registered = task.await.unwrap().expect("every registration succeeds");
            match registered.status {
                RegistrationStatus::Bevestigd => seated += 1,
                RegistrationStatus::Wachtlijst => numbers.push(registered.waitlist_number.unwrap()),
                RegistrationStatus::Geannuleerd => unreachable!(),
            }
        }
        assert_eq!(seated, 3, "exactly the places left");
        numbers.sort();
        assert_eq!(
            numbers,
            (1..=47).collect::<Vec<i64>>(),
            "distinct, consecutive"
        );
        assert_eq!(seats_taken(&w.db, &event).await, 5);
        let confirmed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM wg_registrations WHERE event_id = $1 AND status = 'bevestigd'",
        )
        .bind(&event)
        .fetch_one(w.db.pool())
        .await
        .unwrap();
        assert_eq!(confirmed, 5, "seats_taken equals the confirmed rows");
        let stored = events::find(w.db.pool(), &event).await.unwrap().unwrap();
        assert_eq!(stored.waitlist_last, 47);
    })
    .await;
}
