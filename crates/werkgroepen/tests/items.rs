//! The werkgroepen module's public items for other modules (the port
//! `steden_web::items::ItemSource`, `steden_werkgroepen::items`), on both backends: public
//! events only (not a members' event, not a cancelled one), with search words, a period and a
//! limit; one event by id, and `None` for one that is not public.

use steden_web::items::{ItemQuery, ItemSource};
use steden_werkgroepen::items::Events;
use steden_werkgroepen::store::{event_changes, events};

use crate::common::{each_wg_db, World};
use crate::registrations::event_fields;

async fn event(w: &World, slug: &str, date: &str, registration: &str) -> String {
    let fields = events::EventFields {
        local_date: date.into(),
        registration: registration.into(),
        description_md: "Een **dag** over data in de stad.".into(),
        ..event_fields(slug, "")
    };
    crate::registrations::create_event(w, &fields).await
}

fn query(search: &str, from: Option<&str>, until: Option<&str>, limit: usize) -> ItemQuery {
    ItemQuery {
        search: search.into(),
        from: from.map(str::to_string),
        until: until.map(str::to_string),
        limit,
    }
}

#[tokio::test]
async fn public_events_that_are_not_cancelled_are_offered() {
    each_wg_db(|w| async move {
        let june = event(&w, "datadag", "2055-06-15", "publiek").await;
        event(&w, "klimaatdag", "2055-09-01", "publiek").await;
        let members = event(&w, "ledendag", "2055-07-01", "leden").await;
        let cancelled = event(&w, "afgelast", "2055-08-01", "publiek").await;
        let mut tx = w.db.begin().await.unwrap();
        event_changes::cancel(
            &mut tx,
            &cancelled,
            "Te weinig inschrijvingen",
            &w.staff.audit(),
            "http://steden.test",
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let source = Events;
        assert_eq!(source.key(), "werkgroepen");
        let all = source
            .find(&w.db, &query("", None, None, 10))
            .await
            .unwrap();
        let slugs: Vec<&str> = all.iter().map(|i| i.href.as_str()).collect();
        assert_eq!(
            slugs,
            [
                "/werkgroepen/activiteiten/klimaatdag",
                "/werkgroepen/activiteiten/datadag"
            ],
            "latest first; no members' or cancelled event"
        );
        assert_eq!(all[1].title, "Opleiding datadag");
        assert_eq!(all[1].date.as_deref(), Some("2055-06-15"));
        assert!(
            all[1]
                .summary
                .starts_with("15/06/2055 09:30–16:30, Huis van de Vlaamse Steden"),
            "{}",
            all[1].summary
        );
        assert!(
            !all[1].summary.contains("**"),
            "Markdown marks are left out"
        );

        let found = source
            .find(&w.db, &query("DATADAG", None, None, 10))
            .await
            .unwrap();
        assert_eq!(found.len(), 1);
        let period = source
            .find(
                &w.db,
                &query("", Some("2055-06-01"), Some("2055-06-30"), 10),
            )
            .await
            .unwrap();
        assert_eq!(period.len(), 1);
        assert_eq!(period[0].id, june);
        assert_eq!(
            source
                .find(&w.db, &query("", None, None, 1))
                .await
                .unwrap()
                .len(),
            1
        );

        assert_eq!(
            source.get(&w.db, &june).await.unwrap().unwrap().source,
            "werkgroepen"
        );
        assert!(source.get(&w.db, &members).await.unwrap().is_none());
        assert!(source.get(&w.db, &cancelled).await.unwrap().is_none());
    })
    .await;
}
