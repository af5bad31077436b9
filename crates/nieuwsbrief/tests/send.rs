//! Sending a campaign (design §3.3), on both backends, against the test SMTP server over TCP:
//! every confirmed subscriber of the campaign's lists once, the headers read back from what the
//! server received, temporary failures retried and permanent ones recorded, a subscriber who
//! unsubscribed meanwhile skipped, and pause, resume and cancel while a slow server receives.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use steden_core::audit::AuditActor;
use steden_db::jobs::{Registry, WorkerOptions, WorkerPool};
use steden_db::{new_id, now_ms, Db};
use steden_nieuwsbrief::frozen::{PREFERENCES_URL, UNSUBSCRIBE_URL};
use steden_nieuwsbrief::links::{self, LinkKind};
use steden_nieuwsbrief::model::{CampaignStatus, Language};
use steden_nieuwsbrief::send::setup::{Delivery, SendSetup, SetupCell, CONCURRENCY_SETTING};
use steden_nieuwsbrief::store::campaigns::{self, FrozenContent, NewCampaign};
use steden_nieuwsbrief::store::deliveries::{self, Attempt, Control, Outcome};
use steden_testkit::smtp::{header, parse_message, parse_mime, Mode, SmtpServer};

use crate::common::{count, each_nb_db};

pub const FROM: &str = "Kenniscentrum <nieuwsbrief@steden.test>";
pub const BASE: &str = "https://steden.test";

/// A subscriber of `status` with `lists` (list id, subscription status); its id.
pub async fn subscriber(db: &Db, email: &str, status: &str, lists: &[(&str, &str)]) -> String {
    let id = new_id();
    let mut tx = db.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO nb_subscribers (id, email, name, language, status, created_at, updated_at)
         VALUES ($1, $2, 'Lezer', 'nl', $3, 0, 0)",
    )
    .bind(&id)
    .bind(email)
    .bind(status)
    .execute(&mut *tx)
    .await
    .unwrap();
    for (list, sub_status) in lists {
        sqlx::query(
            "INSERT INTO nb_subscriptions (subscriber_id, list_id, status, created_at, updated_at)
             VALUES ($1, $2, $3, 0, 0)",
        )
        .bind(&id)
        .bind(*list)
        .bind(*sub_status)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    id
}

/// A campaign to `lists`, frozen by hand with both recipient slots, scheduled now, its job
/// queued; its id.
pub async fn scheduled_campaign(db: &Db, lists: &[&str]) -> String {
    let mut tx = db.begin().await.unwrap();
    let id = campaigns::create(
        &mut tx,
        &NewCampaign {
            subject: "Nieuwsbrief december".into(),
            preheader: String::new(),
            template_id: None,
            language: Language::Nl,
            lists: lists.iter().map(|s| s.to_string()).collect(),
            created_by: None,
        },
    )
    .await
    .unwrap();
    let content = FrozenContent {
        html: format!(
            "<html lang=\"nl\"><body><h1>December</h1><p>Nieuws van de steden.</p>\
             <p><a href=\"{PREFERENCES_URL}\">Voorkeuren</a> · \
             <a href=\"{UNSUBSCRIBE_URL}\">Afmelden</a></p></body></html>"
        ),
        text: format!(
            "December\n\nNieuws van de steden.\n\nVoorkeuren: {PREFERENCES_URL}\nAfmelden: {UNSUBSCRIBE_URL}\n"
        ),
        links: Vec::new(),
    };
    let now = now_ms();
    campaigns::freeze(&mut tx, &id, &content, CampaignStatus::Gepland, Some(now))
        .await
        .unwrap();
    steden_nieuwsbrief::send::queue(&mut tx, &id, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

fn setup(smtp: &SmtpServer) -> SendSetup {
    SendSetup::new(BASE, FROM, Delivery::Smtp(smtp.url())).unwrap()
}

/// Send jobs due now or running.
async fn active_jobs(db: &Db) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM jobs WHERE kind = 'nieuwsbrief.send'
         AND (status = 'running' OR (status = 'queued' AND run_at <= $1))",
    )
    .bind(now_ms())
    .fetch_one(db.pool())
    .await
    .unwrap()
}

/// A worker pool that runs the send job with `setup`.
fn workers(db: &Db, setup: SendSetup) -> WorkerPool {
    let mut registry = Registry::new();
    steden_nieuwsbrief::send::job::register(&mut registry, SetupCell::with(setup));
    WorkerPool::start_with(
        db.clone(),
        Arc::new(registry),
        WorkerOptions {
            workers: 2,
            name: "nbsend".into(),
            poll_interval: Duration::from_millis(20),
            ..WorkerOptions::default()
        },
    )
}

/// Waits until `condition` holds (60 s at most).
async fn wait_for<F, Fut>(what: &str, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(60);
    while !condition().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Runs the send jobs until none is due or running.
async fn send_all(db: &Db, setup: SendSetup) {
    let pool = workers(db, setup);
    tokio::time::sleep(Duration::from_millis(50)).await;
    wait_for("the send jobs", || async { active_jobs(db).await == 0 }).await;
    pool.shutdown().await;
}

async fn delivery(db: &Db, campaign: &str, subscriber: &str) -> (String, i64, Option<String>) {
    let row: (String, i64, Option<String>) = sqlx::query_as(
        "SELECT status, attempts, last_error FROM nb_deliveries
         WHERE campaign_id = $1 AND subscriber_id = $2",
    )
    .bind(campaign)
    .bind(subscriber)
    .fetch_one(db.pool())
    .await
    .unwrap();
    row
}

/// The Message-IDs the server received, per recipient address.
fn message_ids(smtp: &SmtpServer) -> HashMap<String, Vec<String>> {
    let mut ids: HashMap<String, Vec<String>> = HashMap::new();
    for message in smtp.received() {
        let (headers, _) = parse_message(&message.data);
        ids.entry(message.recipients[0].clone())
            .or_default()
            .push(header(&headers, "message-id").to_string());
    }
    ids
}

#[tokio::test]
async fn every_confirmed_subscriber_of_the_lists_gets_one_message_with_the_bulk_headers() {
    each_nb_db(|db| async move {
        let smtp = SmtpServer::start(Mode::Accept).await;
        let a = subscriber(
            &db,
            "a@example.org",
            "bevestigd",
            &[("nb-algemeen", "actief")],
        )
        .await;
        let both = subscriber(
            &db,
            "b@example.org",
            "bevestigd",
            &[("nb-algemeen", "actief"), ("nb-klimaat", "actief")],
        )
        .await;
        let k = subscriber(
            &db,
            "k@example.org",
            "bevestigd",
            &[("nb-klimaat", "actief")],
        )
        .await;
        // Not recipients: unconfirmed, unsubscribed from the list, only another list.
        subscriber(
            &db,
            "o@example.org",
            "onbevestigd",
            &[("nb-algemeen", "aangevraagd")],
        )
        .await;
        subscriber(
            &db,
            "u@example.org",
            "bevestigd",
            &[("nb-algemeen", "afgemeld")],
        )
        .await;
        subscriber(&db, "s@example.org", "bevestigd", &[("nb-obmi", "actief")]).await;
        let campaign = scheduled_campaign(&db, &["algemeen", "klimaat"]).await;

        send_all(&db, setup(&smtp)).await;

        let received = smtp.received();
        let mut to: Vec<String> = received.iter().map(|m| m.recipients[0].clone()).collect();
        to.sort();
        assert_eq!(to, ["a@example.org", "b@example.org", "k@example.org"]);
        let c = campaigns::get(db.pool(), &campaign).await.unwrap();
        assert_eq!(c.status, CampaignStatus::Verzonden);
        assert_eq!((c.recipients, c.sent, c.failed), (3, 3, 0));
        assert!(c.started_at.is_some() && c.finished_at.is_some());
        for id in [&a, &both, &k] {
            assert_eq!(delivery(&db, &campaign, id).await.0, "verzonden");
        }

        let signer = links::signer(&db).await.unwrap();
        let message = received
            .iter()
            .find(|m| m.recipients[0] == "b@example.org")
            .unwrap();
        let (headers, _) = parse_message(&message.data);
        assert_eq!(
            header(&headers, "message-id"),
            format!("<{campaign}.{both}@steden.test>")
        );
        assert!(!header(&headers, "date").is_empty());
        assert_eq!(header(&headers, "subject"), "Nieuwsbrief december");
        assert_eq!(header(&headers, "precedence"), "bulk");
        assert_eq!(
            header(&headers, "list-id"),
            "Nieuwsbrief <nieuwsbrief.steden.test>"
        );
        assert_eq!(
            header(&headers, "list-unsubscribe-post"),
            "List-Unsubscribe=One-Click"
        );
        // RFC 8058: an https address to POST to, and a mailto.
        let unsubscribe = header(&headers, "list-unsubscribe").replace(' ', "");
        let (https, mailto) = unsubscribe.split_once(">,<").expect("two addresses");
        let prefix = format!("<{BASE}/api/v1/nieuwsbrief/unsubscribe/");
        let token = https
            .strip_prefix(prefix.as_str())
            .expect("the one-click address");
        assert_eq!(
            links::verify(&signer, LinkKind::Unsubscribe, token, now_ms()),
            Ok(both.clone())
        );
        assert!(
            mailto.starts_with("mailto:nieuwsbrief@steden.test?subject=afmelden%20"),
            "{mailto}"
        );
        let mime = parse_mime(&message.data);
        assert_eq!(mime.content_type, "multipart/alternative");
        let text = mime.find("text/plain").text();
        let html = mime.find("text/html").text();
        assert!(!text.contains("%%NB_") && !html.contains("%%NB_"), "{text}");
        assert!(
            text.contains(&format!("{BASE}/nieuwsbrief/voorkeuren/")),
            "{text}"
        );
        assert!(
            html.contains(&format!("href=\"{BASE}/nieuwsbrief/afmelden/")),
            "{html}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_temporary_refusal_is_tried_again_and_a_permanent_one_is_recorded() {
    each_nb_db(|db| async move {
        let smtp = SmtpServer::start(Mode::Accept).await;
        smtp.refuse_recipient("later@example.org", "451 4.2.1 Probeer later", Some(1));
        smtp.refuse_recipient(
            "weg@example.org",
            "550 5.1.1 Deze mailbox bestaat niet",
            None,
        );
        let ok = subscriber(
            &db,
            "ok@example.org",
            "bevestigd",
            &[("nb-algemeen", "actief")],
        )
        .await;
        let later = subscriber(
            &db,
            "later@example.org",
            "bevestigd",
            &[("nb-algemeen", "actief")],
        )
        .await;
        let gone = subscriber(
            &db,
            "weg@example.org",
            "bevestigd",
            &[("nb-algemeen", "actief")],
        )
        .await;
        let campaign = scheduled_campaign(&db, &["algemeen"]).await;

        send_all(&db, setup(&smtp)).await;
        assert_eq!(delivery(&db, &campaign, &ok).await.0, "verzonden");
        let (status, attempts, error) = delivery(&db, &campaign, &gone).await;
        assert_eq!((status.as_str(), attempts), ("mislukt", 1));
        assert!(error.unwrap().contains("550"));
        let (status, attempts, error) = delivery(&db, &campaign, &later).await;
        assert_eq!((status.as_str(), attempts), ("wachtend", 1));
        assert!(error.unwrap().contains("451"));
        // Retried after a minute: the campaign is still being sent, a job waits for then.
        let c = campaigns::get(db.pool(), &campaign).await.unwrap();
        assert_eq!((c.status, c.sent, c.failed), (CampaignStatus::Bezig, 1, 1));
        let next: i64 = sqlx::query_scalar(
            "SELECT next_attempt_at FROM nb_deliveries WHERE subscriber_id = $1",
        )
        .bind(&later)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert!(
            next > now_ms() + 50_000 && next <= now_ms() + 60_000,
            "{next}"
        );
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM jobs WHERE kind = 'nieuwsbrief.send' AND status = 'queued'"
            )
            .await,
            1
        );

        // A minute later.
        sqlx::query("UPDATE nb_deliveries SET next_attempt_at = 0")
            .execute(db.pool())
            .await
            .unwrap();
        sqlx::query("UPDATE jobs SET run_at = 0 WHERE status = 'queued'")
            .execute(db.pool())
            .await
            .unwrap();
        send_all(&db, setup(&smtp)).await;
        let (status, attempts, _) = delivery(&db, &campaign, &later).await;
        assert_eq!((status.as_str(), attempts), ("verzonden", 2));
        let c = campaigns::get(db.pool(), &campaign).await.unwrap();
        assert_eq!(
            (c.status, c.sent, c.failed),
            (CampaignStatus::Verzonden, 2, 1)
        );
        let ids = message_ids(&smtp);
        assert_eq!(ids["later@example.org"].len(), 1);
        assert_eq!(ids["ok@example.org"].len(), 1);
        assert!(!ids.contains_key("weg@example.org"));
    })
    .await;
}

#[tokio::test]
async fn five_temporary_failures_make_a_recipient_failed() {
    each_nb_db(|db| async move {
        let s = subscriber(
            &db,
            "x@example.org",
            "bevestigd",
            &[("nb-algemeen", "actief")],
        )
        .await;
        let campaign = scheduled_campaign(&db, &["algemeen"]).await;
        deliveries::start(&db, &campaign, 1).await.unwrap();
        assert_eq!(
            deliveries::fill(&db, &campaign, &["algemeen".into()])
                .await
                .unwrap(),
            1
        );
        for before in 0..5 {
            let standing = deliveries::record(
                &db,
                &campaign,
                "job",
                &[Attempt {
                    subscriber_id: s.clone(),
                    attempts_before: before,
                    outcome: Outcome::Temporary("451 later".into()),
                }],
                1_000,
                2_000,
            )
            .await
            .unwrap();
            let (status, attempts, _) = delivery(&db, &campaign, &s).await;
            assert_eq!(attempts, before + 1);
            if before < 4 {
                assert_eq!(status, "wachtend");
                assert_eq!(standing.failed, 0);
            } else {
                assert_eq!(status, "mislukt");
                assert_eq!(standing.failed, 1);
            }
        }
        let next: Vec<i64> = vec![60_000, 300_000, 1_800_000, 1_800_000];
        assert_eq!(
            (1..=4).map(deliveries::backoff_ms).collect::<Vec<_>>(),
            next
        );
    })
    .await;
}

#[tokio::test]
async fn a_subscriber_who_unsubscribed_meanwhile_is_skipped_and_not_tried_again() {
    each_nb_db(|db| async move {
        let smtp = SmtpServer::start(Mode::Accept).await;
        let stays = subscriber(
            &db,
            "blijft@example.org",
            "bevestigd",
            &[("nb-algemeen", "actief")],
        )
        .await;
        let leaves = subscriber(
            &db,
            "gaat@example.org",
            "bevestigd",
            &[("nb-algemeen", "actief")],
        )
        .await;
        let campaign = scheduled_campaign(&db, &["algemeen"]).await;
        deliveries::start(&db, &campaign, now_ms()).await.unwrap();
        deliveries::fill(&db, &campaign, &["algemeen".into()])
            .await
            .unwrap();
        // A subscriber who joins after the recipients were listed is not in this campaign.
        subscriber(
            &db,
            "laat@example.org",
            "bevestigd",
            &[("nb-algemeen", "actief")],
        )
        .await;
        let mut tx = db.begin().await.unwrap();
        steden_nieuwsbrief::store::subscribers::unsubscribe_all(
            &mut tx,
            &leaves,
            "link:afmelden",
            now_ms(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        send_all(&db, setup(&smtp)).await;
        let to: Vec<String> = smtp
            .received()
            .iter()
            .map(|m| m.recipients[0].clone())
            .collect();
        assert_eq!(to, ["blijft@example.org"]);
        assert_eq!(delivery(&db, &campaign, &stays).await.0, "verzonden");
        let (status, attempts, error) = delivery(&db, &campaign, &leaves).await;
        assert_eq!((status.as_str(), attempts), ("overgeslagen", 0));
        assert!(error.unwrap().contains("afgemeld"));
        let c = campaigns::get(db.pool(), &campaign).await.unwrap();
        assert_eq!(
            (c.status, c.recipients, c.sent, c.failed),
            (CampaignStatus::Verzonden, 2, 1, 0)
        );
    })
    .await;
}

async fn sent_rows(db: &Db, campaign: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM nb_deliveries WHERE campaign_id = $1 AND status = 'verzonden'",
    )
    .bind(campaign)
    .fetch_one(db.pool())
    .await
    .unwrap()
}

async fn control(db: &Db, campaign: &str, control: Control) {
    let mut tx = db.begin().await.unwrap();
    deliveries::control(&mut tx, campaign, control, &AuditActor::system())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn pause_resume_and_cancel_work_while_a_slow_server_receives() {
    each_nb_db(|db| async move {
        let smtp = SmtpServer::start(Mode::Accept).await;
        smtp.set_delay(Duration::from_millis(40));
        steden_core::settings::set(&db, CONCURRENCY_SETTING, "3")
            .await
            .unwrap();
        for i in 0..60 {
            subscriber(
                &db,
                &format!("p{i:02}@example.org"),
                "bevestigd",
                &[("nb-algemeen", "actief")],
            )
            .await;
        }
        let campaign = scheduled_campaign(&db, &["algemeen"]).await;
        let pool = workers(&db, setup(&smtp));

        wait_for("ten messages", || async { smtp.received().len() >= 10 }).await;
        control(&db, &campaign, Control::Pause).await;
        wait_for("the paused job to stop", || async {
            active_jobs(&db).await == 0
        })
        .await;
        let after_pause = smtp.received().len();
        assert!(after_pause < 60, "{after_pause}");
        // The messages in flight finished and were recorded: what arrived is what is recorded.
        assert_eq!(sent_rows(&db, &campaign).await, after_pause as i64);
        let c = campaigns::get(db.pool(), &campaign).await.unwrap();
        assert_eq!(
            (c.status, c.sent),
            (CampaignStatus::Gepauzeerd, after_pause as i64)
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            smtp.received().len(),
            after_pause,
            "nothing is sent while paused"
        );
        // Pausing twice is a conflict, with a Dutch message.
        let mut tx = db.begin().await.unwrap();
        let err = deliveries::control(&mut tx, &campaign, Control::Pause, &AuditActor::system())
            .await
            .unwrap_err();
        assert!(err.to_string().contains("niet gepauzeerd worden"), "{err}");
        drop(tx);

        control(&db, &campaign, Control::Resume).await;
        wait_for("more messages", || async {
            smtp.received().len() >= after_pause + 10
        })
        .await;
        control(&db, &campaign, Control::Cancel).await;
        wait_for("the cancelled job to stop", || async {
            active_jobs(&db).await == 0
        })
        .await;
        let after_cancel = smtp.received().len();
        assert!(after_cancel < 60, "{after_cancel}");
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            smtp.received().len(),
            after_cancel,
            "nothing is sent after cancelling"
        );
        pool.shutdown().await;

        assert_eq!(sent_rows(&db, &campaign).await, after_cancel as i64);
        let c = campaigns::get(db.pool(), &campaign).await.unwrap();
        assert_eq!(
            (c.status, c.sent),
            (CampaignStatus::Geannuleerd, after_cancel as i64)
        );
        assert!(c.finished_at.is_some());
        // Nobody got a message twice.
        assert!(message_ids(&smtp).values().all(|ids| ids.len() == 1));
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'nb_campaign'"
            )
            .await,
            3
        );
        let counts = deliveries::counts(db.pool(), &campaign).await.unwrap();
        assert_eq!(counts.wachtend, 60 - after_cancel as i64);
    })
    .await;
}

#[tokio::test]
async fn without_an_smtp_server_the_messages_are_written_as_eml_files() {
    each_nb_db(|db| async move {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..3 {
            subscriber(
                &db,
                &format!("f{i}@example.org"),
                "bevestigd",
                &[("nb-algemeen", "actief")],
            )
            .await;
        }
        let campaign = scheduled_campaign(&db, &["algemeen"]).await;
        let mail_dir = dir.path().join("mail");
        send_all(
            &db,
            SendSetup::new(BASE, FROM, Delivery::Files(mail_dir.clone())).unwrap(),
        )
        .await;
        let files: Vec<_> = std::fs::read_dir(&mail_dir)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|f| f.path().extension().is_some_and(|e| e == "eml"))
            .collect();
        assert_eq!(files.len(), 3);
        let raw = std::fs::read_to_string(files[0].path()).unwrap();
        assert!(
            raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
            "{raw}"
        );
        let c = campaigns::get(db.pool(), &campaign).await.unwrap();
        assert_eq!((c.status, c.sent), (CampaignStatus::Verzonden, 3));
    })
    .await;
}
