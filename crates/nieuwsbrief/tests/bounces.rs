//! Bounces and complaints (S9): the samples in tests/samples parsed to the right reports, their
//! effect on subscribers (both backends), the same report twice counted once, and the webhook.

use steden_core::role::Role;
use steden_nieuwsbrief::access;
use steden_nieuwsbrief::bounces::{self, parse, BounceKind, ParseError};
use steden_nieuwsbrief::store::bounces::Source;
use steden_testkit::people::person;

use crate::common::{count, each_nb_app, each_nb_db, nieuwsbrief_token};

fn sample(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/samples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(path).unwrap()
}

const CAMPAIGN: &str = "0193a1b2c3d4e5f6";

#[test]
fn each_sample_is_read_as_what_it_is() {
    let postfix = parse(&sample("postfix_hard.eml")).unwrap();
    assert_eq!(postfix.len(), 1);
    let r = &postfix[0];
    assert_eq!(r.kind, BounceKind::Hard);
    assert_eq!(r.recipient.as_deref(), Some("jan.hard@example.org"));
    assert_eq!(r.status_code.as_deref(), Some("5.1.1"));
    assert_eq!(r.campaign_id.as_deref(), Some(CAMPAIGN));
    assert_eq!(r.subscriber_id.as_deref(), Some("0193f6e5d4c3b2a1"));
    assert!(r.diagnostic.as_deref().unwrap().contains("User unknown"));
    assert_eq!(
        r.report_key,
        "20261207081203.4F1A2B3C4D@mx.stedenplatform.example"
    );

    let exchange = parse(&sample("exchange_hard.eml")).unwrap();
    assert_eq!(exchange.len(), 1);
    assert_eq!(exchange[0].kind, BounceKind::Hard);
    assert_eq!(
        exchange[0].recipient.as_deref(),
        Some("an.exchange@example.be")
    );
    assert_eq!(exchange[0].status_code.as_deref(), Some("5.1.10"));
    // from the returned headers' Message-ID (no X-Nb-Campaign there)
    assert_eq!(exchange[0].campaign_id.as_deref(), Some(CAMPAIGN));

    let gmail = parse(&sample("gmail_hard.eml")).unwrap();
    assert_eq!(gmail.len(), 1);
    assert_eq!(gmail[0].kind, BounceKind::Hard);
    assert_eq!(
        gmail[0].recipient.as_deref(),
        Some("piet.gmail@example.com")
    );
    assert_eq!(gmail[0].subscriber_id.as_deref(), Some("0193cccc11112222"));

    let delayed = parse(&sample("delayed_soft.eml")).unwrap();
    assert_eq!(delayed.len(), 1);
    assert_eq!(delayed[0].kind, BounceKind::Soft);
    assert_eq!(delayed[0].status_code.as_deref(), Some("4.4.7"));
    assert_eq!(delayed[0].recipient.as_deref(), Some("soft@example.org"));

    let yahoo = parse(&sample("yahoo_complaint.eml")).unwrap();
    assert_eq!(yahoo.len(), 1);
    assert_eq!(yahoo[0].kind, BounceKind::Complaint);
    assert_eq!(yahoo[0].recipient.as_deref(), Some("klager@example.net"));
    assert_eq!(yahoo[0].status_code.as_deref(), Some("abuse"));
    assert_eq!(yahoo[0].campaign_id.as_deref(), Some(CAMPAIGN));

    let malformed = parse(&sample("malformed.eml")).unwrap_err();
    assert!(
        malformed.to_string().contains("delivery-status"),
        "{malformed}"
    );
}

#[test]
fn what_is_no_report_is_refused_in_dutch_and_nothing_panics() {
    assert!(matches!(parse(b""), Err(ParseError::Unreadable(_))));
    let plain = b"From: a@b.be\r\nSubject: hallo\r\n\r\nGewoon een mail.\r\n";
    assert!(parse(plain)
        .unwrap_err()
        .to_string()
        .contains("multipart/report"));
    let big = vec![b'a'; bounces::MAX_MESSAGE_BYTES + 1];
    assert_eq!(parse(&big), Err(ParseError::TooLarge));
    // Random bytes, and every sample cut short and with bytes flipped: an answer, never a panic.
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..300 {
        let len = (next() % 3000) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        let _ = parse(&bytes);
    }
    for name in [
        "postfix_hard.eml",
        "exchange_hard.eml",
        "gmail_hard.eml",
        "yahoo_complaint.eml",
    ] {
        let raw = sample(name);
        for _ in 0..100 {
            let mut bytes = raw[..(next() as usize % raw.len())].to_vec();
            for _ in 0..5 {
                if !bytes.is_empty() {
                    let at = next() as usize % bytes.len();
                    bytes[at] = next() as u8;
                }
            }
            let _ = parse(&bytes);
        }
    }
}

async fn subscriber(db: &steden_db::Db, email: &str, status: &str) -> String {
    let id = steden_db::new_id();
    sqlx::query(
        "INSERT INTO nb_subscribers (id, email, status, created_at, updated_at)
         VALUES ($1, $2, $3, 1, 1)",
    )
    .bind(&id)
    .bind(email)
    .bind(status)
    .execute(db.pool())
    .await
    .unwrap();
    id
}

async fn status_of(db: &steden_db::Db, id: &str) -> (String, i64) {
    sqlx::query_as("SELECT status, soft_bounces FROM nb_subscribers WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// The delayed sample with another report Message-ID: another report about the same address.
fn delayed_number(n: u32) -> Vec<u8> {
    String::from_utf8(sample("delayed_soft.eml"))
        .unwrap()
        .replace(
            "<20261210081203.7C8D9E0F1A@",
            &format!("<2026121008120{n}.7C8D9E0F1A@"),
        )
        .into_bytes()
}

#[tokio::test]
async fn hard_bounces_and_complaints_stop_the_mail_and_soft_ones_count_to_the_limit() {
    each_nb_db(|db| async move {
        let hard = subscriber(&db, "jan.hard@example.org", "bevestigd").await;
        let klager = subscriber(&db, "klager@example.net", "bevestigd").await;
        let soft = subscriber(&db, "soft@example.org", "bevestigd").await;

        let applied = bounces::receive(&db, &sample("postfix_hard.eml"), Source::Cli)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(applied[0].status.as_deref(), Some("gebounced"));
        assert_eq!(status_of(&db, &hard).await.0, "gebounced");
        // The same DSN again: recorded once, nothing changes.
        let again = bounces::receive(&db, &sample("postfix_hard.eml"), Source::Webhook)
            .await
            .unwrap()
            .unwrap();
        assert!(!again[0].new);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_bounces").await, 1);

        bounces::receive(&db, &sample("yahoo_complaint.eml"), Source::Cli)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(status_of(&db, &klager).await.0, "geblokkeerd");

        // Soft: 1, 2 (and 2 again: the same report twice), then 3 = the default limit.
        for (n, expected) in [(1, ("bevestigd", 1)), (2, ("bevestigd", 2)), (2, ("bevestigd", 2)), (3, ("gebounced", 3))] {
            bounces::receive(&db, &delayed_number(n), Source::Cli)
                .await
                .unwrap()
                .unwrap();
            let (status, soft_bounces) = status_of(&db, &soft).await;
            assert_eq!((status.as_str(), soft_bounces), expected, "report {n}");
        }

        // An address that is no subscriber is recorded with its address, without subscriber.
        let applied = bounces::receive(&db, &sample("gmail_hard.eml"), Source::Cli)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(applied[0].subscriber_id, None);
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM nb_bounces WHERE subscriber_id IS NULL AND email = 'piet.gmail@example.com'").await,
            1
        );
        // A subscriber's row keeps no address; erasing the subscriber leaves the row anonymous.
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM nb_bounces WHERE email = 'jan.hard@example.org'").await,
            0
        );
        let mut tx = db.begin().await.unwrap();
        steden_nieuwsbrief::store::subscribers::erase(&mut tx, &hard).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM nb_bounces WHERE kind = 'hard' AND subscriber_id IS NULL AND email IS NULL").await,
            1
        );
        // A malformed message writes nothing.
        let before = count(&db, "SELECT COUNT(*) FROM nb_bounces").await;
        assert!(bounces::receive(&db, &sample("malformed.eml"), Source::Cli).await.unwrap().is_err());
        assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_bounces").await, before);
    })
    .await;
}

#[tokio::test]
async fn the_soft_bounce_limit_is_a_setting() {
    each_nb_db(|db| async move {
        steden_core::settings::set(&db, bounces::SOFT_BOUNCE_LIMIT_SETTING, "1")
            .await
            .unwrap();
        let soft = subscriber(&db, "soft@example.org", "bevestigd").await;
        bounces::receive(&db, &delayed_number(1), Source::Cli)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(status_of(&db, &soft).await, ("gebounced".to_string(), 1));
    })
    .await;
}

#[tokio::test]
async fn the_webhook_takes_a_raw_message_from_an_editors_token() {
    each_nb_app(|app| async move {
        steden_core::org::seed_defaults(&app.db).await.unwrap();
        let kc = access::kenniscentrum_id(&app.db).await.unwrap();
        let ed = person(
            &app.db,
            "bounces@kenniscentrum.example",
            "Redacteur",
            &kc,
            Role::Redacteur,
        )
        .await;
        let hard = subscriber(&app.db, "jan.hard@example.org", "bevestigd").await;
        let editor_token = nieuwsbrief_token(&app.db, &ed.actor, &kc, Role::Redacteur).await;
        let reader_token = nieuwsbrief_token(&app.db, &ed.actor, &kc, Role::Lezer).await;
        let post = |body: Vec<u8>, token: Option<String>, content_type: &'static str| {
            let app = &app;
            async move {
                let mut request = app
                    .client
                    .post(app.url("/api/v1/nieuwsbrief/bounces"))
                    .header("content-type", content_type)
                    .body(body);
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                let content_type = response
                    .headers()
                    .get("content-type")
                    .map(|v| v.to_str().unwrap().to_string())
                    .unwrap_or_default();
                (
                    status,
                    content_type,
                    response.json::<serde_json::Value>().await.unwrap(),
                )
            }
        };
        let raw = sample("postfix_hard.eml");
        assert_eq!(post(raw.clone(), None, "message/rfc822").await.0, 401);
        assert_eq!(
            post(raw.clone(), Some(reader_token), "message/rfc822")
                .await
                .0,
            403
        );
        let (status, content_type, problem) = post(
            vec![b'x'; bounces::MAX_MESSAGE_BYTES + 10],
            Some(editor_token.clone()),
            "message/rfc822",
        )
        .await;
        assert_eq!(status, 413);
        assert_eq!(content_type, "application/problem+json", "{problem}");
        let (status, _, problem) = post(
            sample("malformed.eml"),
            Some(editor_token.clone()),
            "text/plain",
        )
        .await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM nb_bounces").await, 0);

        let (status, _, body) =
            post(raw.clone(), Some(editor_token.clone()), "message/rfc822").await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["reports"][0]["kind"], "hard");
        assert_eq!(body["reports"][0]["status"], "gebounced");
        assert_eq!(body["reports"][0]["new"], true);
        assert_eq!(body["reports"][0]["subscriber_id"], hard.as_str());
        assert_eq!(status_of(&app.db, &hard).await.0, "gebounced");
        let (_, _, body) = post(raw, Some(editor_token), "message/rfc822").await;
        assert_eq!(body["reports"][0]["new"], false);
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM nb_bounces WHERE source = 'webhook'"
            )
            .await,
            1
        );
    })
    .await;
}
