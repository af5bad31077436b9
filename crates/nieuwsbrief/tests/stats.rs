//! Reading statistics (design §3.5, issue 14 point 5), on both backends: counters that only
//! go up (also when many requests come at once), machine traffic apart (user agent, timing,
//! HEAD), the click redirect that only goes to the campaign's own addresses, per-person events
//! only with both switches on and gone when the subscriber turns tracking off, erasure and the
//! retention; and a campaign sent to the test SMTP server over TCP whose message links through
//! the redirect and carries the pixel.

use std::sync::Arc;
use std::time::{Duration, Instant};

use steden_core::signed_link::Signer;
use steden_db::jobs::{Registry, WorkerOptions, WorkerPool};
use steden_db::{new_id, now_ms, Db};
use steden_nieuwsbrief::frozen::{PREFERENCES_URL, UNSUBSCRIBE_URL};
use steden_nieuwsbrief::links::{self, LinkKind};
use steden_nieuwsbrief::model::{CampaignStatus, Language};
use steden_nieuwsbrief::send::setup::{Delivery, SendSetup, SetupCell};
use steden_nieuwsbrief::stats::{self, Request};
use steden_nieuwsbrief::store::campaigns::{self, FrozenContent, FrozenLink, NewCampaign};
use steden_nieuwsbrief::store::stats as store;
use steden_testkit::login;
use steden_testkit::smtp::{parse_mime, Mode, SmtpServer};

use crate::admin::staff;
use crate::common::{count, csrf_token, each_nb_app, each_nb_db};
use crate::send::{subscriber, BASE, FROM};

const HUMAN: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

/// A section of `campaign` titled `title`; its id.
async fn section(db: &Db, campaign: &str, title: &str, position: i64) -> String {
    let id = new_id();
    sqlx::query(
        "INSERT INTO nb_sections (id, campaign_id, position, title) VALUES ($1, $2, $3, $4)",
    )
    .bind(&id)
    .bind(campaign)
    .bind(position)
    .bind(title)
    .execute(db.pool())
    .await
    .unwrap();
    id
}

/// A campaign to `lists` whose frozen HTML holds `urls` as links (numbered 1…, the first in
/// section "Kennis", the others in the template), the two recipient slots and a mailto;
/// scheduled now with its send job queued. Its id.
async fn campaign_with_links(db: &Db, lists: &[&str], urls: &[&str]) -> String {
    let mut tx = db.begin().await.unwrap();
    let id = campaigns::create(
        &mut tx,
        &NewCampaign {
            subject: "Nieuwsbrief met links".into(),
            preheader: String::new(),
            template_id: None,
            language: Language::Nl,
            lists: lists.iter().map(|s| s.to_string()).collect(),
            created_by: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let kennis = section(db, &id, "Kennis", 1).await;
    let anchors: String = urls
        .iter()
        .map(|u| format!("<p><a href=\"{}\">Lees</a></p>", u.replace('&', "&amp;")))
        .collect();
    let text_links: String = urls.iter().map(|u| format!("Lees: {u}\n")).collect();
    let content = FrozenContent {
        html: format!(
            "<html lang=\"nl\"><body><h1>December</h1>{anchors}\
             <p><a href=\"mailto:info@steden.test\">Mail ons</a></p>\
             <p><a href=\"{PREFERENCES_URL}\">Voorkeuren</a> · \
             <a href=\"{UNSUBSCRIBE_URL}\">Afmelden</a></p></body></html>"
        ),
        text: format!(
            "December\n\n{text_links}\nVoorkeuren: {PREFERENCES_URL}\nAfmelden: {UNSUBSCRIBE_URL}\n"
        ),
        links: urls
            .iter()
            .enumerate()
            .map(|(i, u)| FrozenLink {
                link_no: i as i64 + 1,
                url: u.to_string(),
                section_id: (i == 0).then(|| kennis.clone()),
            })
            .collect(),
    };
    let now = now_ms();
    let mut tx = db.begin().await.unwrap();
    campaigns::freeze(&mut tx, &id, &content, CampaignStatus::Gepland, Some(now))
        .await
        .unwrap();
    steden_nieuwsbrief::send::queue(&mut tx, &id, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

fn req(at: i64, user_agent: Option<&str>, head: bool) -> Request<'_> {
    Request {
        at,
        user_agent,
        head,
    }
}

#[tokio::test]
async fn counters_add_up_and_machines_are_counted_apart() {
    each_nb_db(|db| async move {
        let c = campaign_with_links(&db, &["algemeen"], &["https://a.test/1", "https://a.test/2"]).await;
        let sent = now_ms() - 3_600_000;
        let later = sent + 10 * 60_000;
        // Read by people.
        for _ in 0..3 {
            let counted = stats::record_open(&db, &c, sent, &req(later, Some(HUMAN), false), None)
                .await
                .unwrap()
                .unwrap();
            assert!(!counted.machine && !counted.per_person);
        }
        // Apple's privacy proxy, Google's image proxy, too soon after sending, a HEAD.
        for request in [
            req(later, Some("Mozilla/5.0"), false),
            req(later, Some("Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"), false),
            req(sent + 59_000, Some(HUMAN), false),
            req(later, Some(HUMAN), true),
        ] {
            let counted = stats::record_open(&db, &c, sent, &request, None).await.unwrap().unwrap();
            assert!(counted.machine, "{request:?}");
        }
        // Clicks: a person, a scanner (by agent and by timing), an unknown link (nothing).
        let (url, counted) = stats::record_click(&db, &c, 1, sent, &req(later, Some(HUMAN), false), None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((url.as_str(), counted.machine), ("https://a.test/1", false));
        for request in [
            req(later, Some("Barracuda Sentinel (EE)"), false),
            req(sent + 29_000, Some(HUMAN), false),
        ] {
            let (_, counted) = stats::record_click(&db, &c, 2, sent, &request, None).await.unwrap().unwrap();
            assert!(counted.machine);
        }
        assert_eq!(
            stats::record_click(&db, &c, 99, sent, &req(later, Some(HUMAN), false), None).await.unwrap(),
            None
        );
        // A campaign that does not exist counts nothing.
        assert_eq!(
            stats::record_open(&db, "geen", sent, &req(later, Some(HUMAN), false), None).await.unwrap(),
            None
        );
        // Many at once: the upsert is atomic.
        let many: Vec<_> = (0..20)
            .map(|_| {
                let db = db.clone();
                let c = c.clone();
                tokio::spawn(async move {
                    stats::record_click(&db, &c, 1, sent, &req(later, Some(HUMAN), false), None)
                        .await
                        .unwrap()
                        .unwrap();
                })
            })
            .collect();
        for task in many {
            task.await.unwrap();
        }

        let totals = store::totals(db.pool(), &c).await.unwrap();
        assert_eq!((totals.opens, totals.opens_machine), (3, 4));
        assert_eq!((totals.clicks, totals.clicks_machine), (21, 2));
        let links = store::link_counts(db.pool(), &c).await.unwrap();
        assert_eq!(links.len(), 2);
        assert_eq!((links[0].clicks, links[0].clicks_machine), (21, 0));
        assert_eq!(links[0].section.as_deref(), Some("Kennis"));
        assert_eq!((links[1].clicks, links[1].clicks_machine), (0, 2));
        let sections = store::section_counts(db.pool(), &c).await.unwrap();
        assert_eq!(sections[0].title, "Kennis");
        assert_eq!(sections[0].clicks, 21);
        assert_eq!(sections[1].title, "");
        assert_eq!(sections[1].clicks_machine, 2);
        let hours = store::hour_counts(db.pool(), &c).await.unwrap();
        let summed: i64 = hours.iter().map(|h| h.opens + h.opens_machine).sum();
        assert_eq!(summed, 7);
        assert!(hours.iter().all(|h| h.hour % 3_600_000 == 0));
        // Nothing per person was written.
        assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_events").await, 0);
    })
    .await;
}

#[tokio::test]
async fn per_person_events_only_with_both_switches_and_gone_when_turned_off() {
    each_nb_db(|db| async move {
        let people = staff(&db).await;
        let kc = steden_nieuwsbrief::access::kenniscentrum_id(&db)
            .await
            .unwrap();
        let agrees = subscriber(
            &db,
            "ja@example.org",
            "bevestigd",
            &[("nb-algemeen", "actief")],
        )
        .await;
        let refuses = subscriber(
            &db,
            "nee@example.org",
            "bevestigd",
            &[("nb-algemeen", "actief")],
        )
        .await;
        let mut tx = db.begin().await.unwrap();
        store::set_tracking(&mut tx, &agrees, true, "test", now_ms())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let c = campaign_with_links(&db, &["algemeen"], &["https://a.test/1"]).await;
        let sent = now_ms() - 3_600_000;
        let at = now_ms();
        let open = |who: String| {
            let db = db.clone();
            let c = c.clone();
            async move {
                stats::record_open(&db, &c, sent, &req(at, Some(HUMAN), false), Some(&who))
                    .await
                    .unwrap()
                    .unwrap()
                    .per_person
            }
        };
        // The managers' switch is off: nobody.
        assert!(!open(agrees.clone()).await);
        // An editor may not turn it on; a manager may.
        let mut tx = db.begin().await.unwrap();
        assert!(store::set_track_individuals(
            &mut tx,
            &people.editor.actor,
            &kc,
            true,
            &people.editor.audit(),
            at
        )
        .await
        .is_err());
        drop(tx);
        let mut tx = db.begin().await.unwrap();
        store::set_track_individuals(
            &mut tx,
            &people.manager.actor,
            &kc,
            true,
            &people.manager.audit(),
            at,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert!(open(agrees.clone()).await);
        assert!(
            !open(refuses.clone()).await,
            "without the subscriber's own consent"
        );
        stats::record_click(
            &db,
            &c,
            1,
            sent,
            &req(at, Some(HUMAN), false),
            Some(&agrees),
        )
        .await
        .unwrap();
        assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_events").await, 2);
        let events = store::events_of(db.pool(), &agrees).await.unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[1].url.as_deref(), Some("https://a.test/1"));
        // The counters count everyone alike.
        assert_eq!(store::totals(db.pool(), &c).await.unwrap().opens, 3);

        // Turning tracking off deletes the person's events, with a consent record.
        let mut tx = db.begin().await.unwrap();
        store::set_tracking(&mut tx, &agrees, false, "test", now_ms())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_events").await, 0);
        assert!(!open(agrees.clone()).await);
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM nb_consents WHERE kind = 'tracking'"
            )
            .await,
            2
        );

        // On again: an event; erasure takes it; the retention takes one older than 12 months.
        let mut tx = db.begin().await.unwrap();
        store::set_tracking(&mut tx, &agrees, true, "test", now_ms())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(open(agrees.clone()).await);
        let old = now_ms() - store::EVENTS_KEEP_MS - 1_000;
        stats::record_open(
            &db,
            &c,
            old - 3_600_000,
            &req(old, Some(HUMAN), false),
            Some(&agrees),
        )
        .await
        .unwrap();
        assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_events").await, 2);
        steden_nieuwsbrief::retention::run(&db, now_ms())
            .await
            .unwrap();
        assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_events").await, 1);
        let mut tx = db.begin().await.unwrap();
        steden_nieuwsbrief::store::subscribers::erase(&mut tx, &agrees)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_events").await, 0);

        // The managers' switch off deletes every event.
        let other = subscriber(&db, "ook@example.org", "bevestigd", &[]).await;
        let mut tx = db.begin().await.unwrap();
        store::set_tracking(&mut tx, &other, true, "test", now_ms())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(open(other.clone()).await);
        let mut tx = db.begin().await.unwrap();
        store::set_track_individuals(
            &mut tx,
            &people.manager.actor,
            &kc,
            false,
            &people.manager.audit(),
            at,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_events").await, 0);
    })
    .await;
}

#[tokio::test]
async fn an_unsubscribe_counts_for_the_last_campaign_delivered() {
    each_nb_db(|db| async move {
        let who = subscriber(
            &db,
            "weg@example.org",
            "bevestigd",
            &[("nb-algemeen", "actief")],
        )
        .await;
        let first = campaign_with_links(&db, &["algemeen"], &[]).await;
        let second = campaign_with_links(&db, &["algemeen"], &[]).await;
        for (campaign, at) in [(&first, 1_000), (&second, 2_000)] {
            sqlx::query(
                "INSERT INTO nb_deliveries (campaign_id, subscriber_id, status, sent_at)
                 VALUES ($1, $2, 'verzonden', $3)",
            )
            .bind(campaign)
            .bind(&who)
            .bind(at)
            .execute(db.pool())
            .await
            .unwrap();
        }
        let mut tx = db.begin().await.unwrap();
        steden_nieuwsbrief::store::subscribers::unsubscribe_all(&mut tx, &who, "test", now_ms())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            store::totals(db.pool(), &second)
                .await
                .unwrap()
                .unsubscribes,
            1
        );
        assert_eq!(
            store::totals(db.pool(), &first).await.unwrap().unsubscribes,
            0
        );
    })
    .await;
}

#[tokio::test]
async fn the_redirect_goes_only_to_the_campaigns_own_links_and_the_pixel_always_answers() {
    each_nb_app(|app| async move {
        let db = app.db.clone();
        let a = campaign_with_links(&db, &["algemeen"], &["https://a.test/eerste?x=1&y=2"]).await;
        let b = campaign_with_links(
            &db,
            &["algemeen"],
            &["https://b.test/1", "https://b.test/2"],
        )
        .await;
        let signer = links::signer(&db).await.unwrap();
        let tick = stats::tick_of(now_ms() - 3_600_000);

        let token = stats::sign_click(&signer, &a, 1, tick, None);
        let response = app.get(&format!("/nieuwsbrief/k/{token}")).await;
        assert_eq!(response.status(), 303);
        assert_eq!(
            response.headers()["location"],
            "https://a.test/eerste?x=1&y=2"
        );
        assert_eq!(store::totals(db.pool(), &a).await.unwrap().clicks, 1);
        // A HEAD (a scanner checking the link) is counted apart.
        let head = app
            .client
            .head(app.url(&format!("/nieuwsbrief/k/{token}")))
            .send()
            .await
            .unwrap();
        assert_eq!(head.status(), 303);
        assert_eq!(
            store::totals(db.pool(), &a).await.unwrap().clicks_machine,
            1
        );

        // A link number campaign a does not have (b's second link): no redirect.
        let foreign = stats::sign_click(&signer, &a, 2, tick, None);
        let response = app.get(&format!("/nieuwsbrief/k/{foreign}")).await;
        assert_eq!(response.status(), 404);
        assert!(response.headers().get("location").is_none());
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("Deze link bestaat niet"));
        // A campaign that does not exist.
        let gone = stats::sign_click(&signer, "bestaatniet", 1, tick, None);
        assert_eq!(
            app.get(&format!("/nieuwsbrief/k/{gone}")).await.status(),
            404
        );
        // Forged: b's token with a's id put in, another key, an open token, rubbish.
        let b_token = stats::sign_click(&signer, &b, 2, tick, None);
        let (payload, signature) = b_token.split_once('.').unwrap();
        let swapped = {
            use base64::Engine;
            let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
            let text = String::from_utf8(engine.decode(payload).unwrap()).unwrap();
            format!("{}.{signature}", engine.encode(text.replace(&b, &a)))
        };
        let other_key = stats::sign_click(
            &Signer::new(b"fout".to_vec(), "nieuwsbrief"),
            &a,
            1,
            tick,
            None,
        );
        let open_token = stats::sign_open(&signer, &a, tick, None);
        for bad in [swapped, other_key, open_token, "rommel".into()] {
            let response = app.get(&format!("/nieuwsbrief/k/{bad}")).await;
            assert_eq!(response.status(), 400, "{bad}");
            assert!(response.headers().get("location").is_none());
            assert!(response
                .text()
                .await
                .unwrap()
                .contains("Deze link is niet geldig"));
        }
        assert_eq!(store::totals(db.pool(), &a).await.unwrap().clicks, 1);
        assert_eq!(store::totals(db.pool(), &b).await.unwrap().clicks, 0);
        // b's own token goes to b's own link.
        let response = app.get(&format!("/nieuwsbrief/k/{b_token}")).await;
        assert_eq!(response.headers()["location"], "https://b.test/2");

        // The pixel: a GIF, never cached, also for a bad token (not counted).
        let open = stats::sign_open(&signer, &a, tick, None);
        for (token, counted) in [("rommel".to_string(), 0), (open, 1)] {
            let response = app.get(&format!("/nieuwsbrief/o/{token}.gif")).await;
            assert_eq!(response.status(), 200);
            assert_eq!(response.headers()["content-type"], "image/gif");
            assert!(response.headers()["cache-control"]
                .to_str()
                .unwrap()
                .contains("no-store"));
            assert!(response.bytes().await.unwrap().starts_with(b"GIF89a"));
            assert_eq!(store::totals(db.pool(), &a).await.unwrap().opens, counted);
        }
    })
    .await;
}

#[tokio::test]
async fn the_subscriber_turns_tracking_on_and_off_and_downloads_their_events() {
    each_nb_app(|app| async move {
        let db = app.db.clone();
        let who = subscriber(
            &db,
            "lezer@example.org",
            "bevestigd",
            &[("nb-algemeen", "actief")],
        )
        .await;
        let signer = links::signer(&db).await.unwrap();
        let token = links::sign(&signer, LinkKind::Preferences, &who, now_ms());
        let page = format!("/nieuwsbrief/voorkeuren/{token}");
        let action = format!("{page}/statistieken");
        let tracks = || {
            let db = db.clone();
            let who = who.clone();
            async move { store::subscriber_tracks(db.pool(), &who).await.unwrap() }
        };
        assert!(!tracks().await);
        let response = app.post_form(&page, &action, &[("tracking", "1")]).await;
        assert_eq!(response.status(), 303);
        assert!(tracks().await);
        // An event (both switches on), shown in the own-data download.
        sqlx::query("INSERT INTO settings (key, value, updated_at) VALUES ($1, '1', 0)")
            .bind(store::TRACK_INDIVIDUALS)
            .execute(db.pool())
            .await
            .unwrap();
        let c = campaign_with_links(&db, &["algemeen"], &["https://a.test/1"]).await;
        let at = now_ms();
        stats::record_click(
            &db,
            &c,
            1,
            at - 3_600_000,
            &req(at, Some(HUMAN), false),
            Some(&who),
        )
        .await
        .unwrap();
        let data: serde_json::Value = app
            .get(&format!("{page}/gegevens"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(data["events"][0]["url"], "https://a.test/1");
        assert_eq!(data["events"][0]["kind"], "klik");
        // Off (the box not ticked): the events are gone.
        let response = app.post_form(&page, &action, &[]).await;
        assert_eq!(response.status(), 303);
        assert!(!tracks().await);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_events").await, 0);
        // Without the CSRF token nothing changes.
        let response = app
            .client
            .post(app.url(&action))
            .form(&[("tracking", "1")])
            .send()
            .await
            .unwrap();
        assert_ne!(response.status(), 303);
        assert!(!tracks().await);
    })
    .await;
}

/// Runs the send jobs with `setup` until none is due or running.
async fn send_all(db: &Db, setup: SendSetup) {
    let mut registry = Registry::new();
    steden_nieuwsbrief::send::job::register(&mut registry, SetupCell::with(setup));
    let pool = WorkerPool::start_with(
        db.clone(),
        Arc::new(registry),
        WorkerOptions {
            workers: 2,
            name: "nbstats".into(),
            poll_interval: Duration::from_millis(20),
            ..WorkerOptions::default()
        },
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let active: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE kind = 'nieuwsbrief.send'
             AND (status = 'running' OR (status = 'queued' AND run_at <= $1))",
        )
        .bind(now_ms())
        .fetch_one(db.pool())
        .await
        .unwrap();
        if active == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the send jobs did not finish");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    pool.shutdown().await;
}

/// Every address after `prefix` in `text`, up to a quote, `<`, `>` or white space.
fn addresses<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.match_indices(prefix)
        .map(|(at, _)| {
            let rest = &text[at..];
            let end = rest
                .find(|c: char| c == '"' || c == '<' || c == '>' || c.is_whitespace())
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[tokio::test]
async fn the_sent_message_links_through_the_redirect_and_carries_the_pixel() {
    each_nb_db(|db| async move {
        let smtp = SmtpServer::start(Mode::Accept).await;
        let people = staff(&db).await;
        let kc = steden_nieuwsbrief::access::kenniscentrum_id(&db)
            .await
            .unwrap();
        let anonymous = subscriber(
            &db,
            "anoniem@example.org",
            "bevestigd",
            &[("nb-algemeen", "actief")],
        )
        .await;
        let followed = subscriber(
            &db,
            "gevolgd@example.org",
            "bevestigd",
            &[("nb-algemeen", "actief")],
        )
        .await;
        let mut tx = db.begin().await.unwrap();
        store::set_tracking(&mut tx, &followed, true, "test", now_ms())
            .await
            .unwrap();
        store::set_track_individuals(
            &mut tx,
            &people.manager.actor,
            &kc,
            true,
            &people.manager.audit(),
            now_ms(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let urls = [
            "https://kennis.test/doc?a=1&b=2",
            "https://steden.test/archief",
        ];
        let c = campaign_with_links(&db, &["algemeen"], &urls).await;

        send_all(
            &db,
            SendSetup::new(BASE, FROM, Delivery::Smtp(smtp.url())).unwrap(),
        )
        .await;
        assert_eq!(
            campaigns::get(db.pool(), &c).await.unwrap().status,
            CampaignStatus::Verzonden
        );

        let signer = links::signer(&db).await.unwrap();
        let received = smtp.received();
        assert_eq!(received.len(), 2);
        for message in &received {
            let to = message.recipients[0].as_str();
            let expected_subscriber = (to == "gevolgd@example.org").then(|| followed.clone());
            let mime = parse_mime(&message.data);
            let html = mime.find("text/html").text();
            let text = mime.find("text/plain").text();
            // No numbered address left as it was, in either part.
            for url in urls {
                assert!(!html.contains(&url.replace('&', "&amp;")), "{html}");
                assert!(!text.contains(url), "{text}");
            }
            // Every numbered link goes through the redirect, in order, to its own address.
            let prefix = format!("{BASE}/nieuwsbrief/k/");
            for part in [&html, &text] {
                let clicks = addresses(part, &prefix);
                assert_eq!(clicks.len(), 2, "{part}");
                for (i, address) in clicks.iter().enumerate() {
                    let token = address.strip_prefix(prefix.as_str()).unwrap();
                    let click = stats::verify_click(&signer, token).unwrap();
                    assert_eq!(
                        (click.campaign_id.as_str(), click.link_no),
                        (c.as_str(), i as i64 + 1)
                    );
                    assert_eq!(click.subscriber_id, expected_subscriber);
                }
            }
            // The subscriber's own links and the mailto are left alone.
            assert!(
                html.contains(&format!("href=\"{BASE}/nieuwsbrief/voorkeuren/")),
                "{html}"
            );
            assert!(
                html.contains(&format!("href=\"{BASE}/nieuwsbrief/afmelden/")),
                "{html}"
            );
            assert!(html.contains("href=\"mailto:info@steden.test\""), "{html}");
            assert!(
                text.contains(&format!("{BASE}/nieuwsbrief/voorkeuren/")),
                "{text}"
            );
            // The pixel, with an empty alt, before </body>.
            let pixels = addresses(&html, &format!("{BASE}/nieuwsbrief/o/"));
            assert_eq!(pixels.len(), 1, "{html}");
            let img_at = html.find("<img src=\"").unwrap();
            let img = &html[img_at..img_at + html[img_at..].find('>').unwrap()];
            assert!(
                img.contains("alt=\"\"") && img.contains("width=\"1\""),
                "{img}"
            );
            assert!(html[img_at..].contains("</body>"));
            let open_token = pixels[0]
                .strip_prefix(&format!("{BASE}/nieuwsbrief/o/"))
                .unwrap()
                .strip_suffix(".gif")
                .unwrap();
            let open = stats::verify_open(&signer, open_token).unwrap();
            assert_eq!(open.campaign_id, c);
            assert_eq!(open.subscriber_id, expected_subscriber);
            assert!((now_ms() - stats::sent_at_of(open.sent_tick)).abs() < 60_000);
        }
        let _ = anonymous;
    })
    .await;
}

#[tokio::test]
async fn editors_see_the_comparison_and_a_campaigns_page_others_do_not() {
    each_nb_app(|app| async move {
        let db = app.db.clone();
        let people = staff(&db).await;
        let c = campaign_with_links(&db, &["algemeen"], &["https://a.test/1"]).await;
        sqlx::query("UPDATE nb_campaigns SET status = 'verzonden', started_at = $1, sent = 10 WHERE id = $2")
            .bind(now_ms() - 7_200_000)
            .bind(&c)
            .execute(db.pool())
            .await
            .unwrap();
        let sent = now_ms() - 7_200_000;
        let at = now_ms();
        stats::record_open(&db, &c, sent, &req(at, Some(HUMAN), false), None).await.unwrap();
        stats::record_open(&db, &c, sent, &req(at, Some("Mozilla/5.0"), false), None).await.unwrap();
        stats::record_click(&db, &c, 1, sent, &req(at, Some(HUMAN), false), None).await.unwrap();

        // Anonymous: to the login page.
        let response = app.get("/nieuwsbrief/beheer/statistieken").await;
        assert_eq!(response.status(), 303);
        login(&app, &people.outsider).await;
        assert_eq!(app.get("/nieuwsbrief/beheer/statistieken").await.status(), 403);
        let editor_app = &app;
        login(editor_app, &people.editor).await;
        let html = editor_app.page("/nieuwsbrief/beheer/statistieken").await;
        assert!(html.contains("Nieuwsbrief met links"), "{html}");
        assert!(html.contains("waarschijnlijk automatisch") || html.contains("Waarschijnlijk automatisch"));
        assert!(html.contains("<th scope=\"col\""));
        // An editor sees no switch for per-person statistics.
        assert!(!html.contains("name=\"track_individuals\""));
        let page = editor_app.page(&format!("/nieuwsbrief/beheer/statistieken/{c}")).await;
        assert!(page.contains("https://a.test/1"), "{page}");
        assert!(page.contains("Kennis"));
        assert!(page.contains("role=\"img\"") && page.contains("<desc"), "a chart with a text alternative");
        assert!(page.contains("10,0 %"), "one human open per ten messages: {page}");
        let _ = csrf_token(&page);
    })
    .await;
}
