//! The agenda (issue 13 point 3, slice S8) in the store: members propose until the deadline
//! (after it: the Dutch message, nothing written); attachments pass the Kennisbank's gate;
//! those who chair accept, order, merge, decline (never without a reason), apply the
//! Reflectiegroep's template and publish, which queues one mail per member in the same
//! transaction; open action points of earlier meetings appear on the next agenda until done.

use std::sync::Arc;
use std::time::Duration;

use steden_core::mail::{self, Mailer};
use steden_core::role::Role;
use steden_core::CoreError;
use steden_db::jobs::{Registry, WorkerOptions, WorkerPool};
use steden_testkit::smtp::{header, parse_message, parse_mime, Mode, SmtpServer};
use steden_werkgroepen::access::Standing;
use steden_werkgroepen::model::MemberRole;
use steden_werkgroepen::reader;
use steden_werkgroepen::store::action_points::{self, ActionPointFields};
use steden_werkgroepen::store::agenda::{self, Decision, ItemFields, DECLINE_REASON_MESSAGE};
use steden_werkgroepen::store::agenda_files::Upload;
use steden_werkgroepen::store::meetings::{self, MeetingFields};
use steden_werkgroepen::store::{groups, joining};

use crate::common::actor;
use crate::common::{count, create_group, each_wg_db, World};

/// A group with the Gent member (lid) and the Antwerpen member (waarnemer); the staff member
/// facilitates. Returns the group id and the standings of staff, Gent and Antwerpen.
pub async fn agenda_group(w: &World) -> (String, Standing, Standing, Standing) {
    let group_id = create_group(w, "agendagroep", "Agendagroep", "verborgen").await;
    let mut tx = w.db.begin().await.unwrap();
    for (person, org, role) in [
        (&w.gent_member, &w.gent, MemberRole::Lid),
        (&w.antwerpen_member, &w.antwerpen, MemberRole::Waarnemer),
    ] {
        joining::add(
            &mut tx,
            &group_id,
            &person.id,
            Some(org),
            role,
            &w.staff.audit(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let mut conn = w.db.pool().acquire().await.unwrap();
    let profile = groups::find(&mut conn, &group_id).await.unwrap().unwrap();
    drop(conn);
    let mut standings = Vec::new();
    for actor in [
        actor(&w.staff, &w.kenniscentrum, Role::Redacteur),
        actor(&w.gent_member, &w.gent, Role::Lid),
        actor(&w.antwerpen_member, &w.antwerpen, Role::Lid),
    ] {
        standings.push(reader::standing(&w.db, &actor, &profile).await.unwrap().0);
    }
    let observer = standings.pop().unwrap();
    let member = standings.pop().unwrap();
    let staff = standings.pop().unwrap();
    (group_id, staff, member, observer)
}

/// Plans a meeting on `date`, 14:00–16:00.
pub async fn plan(w: &World, staff: &Standing, group_id: &str, date: &str) -> String {
    let fields = MeetingFields {
        title: "Overleg".into(),
        local_date: date.into(),
        local_start: "14:00".into(),
        local_end: "16:00".into(),
        place: "Stadhuis Gent".into(),
        online_url: String::new(),
    };
    let mut tx = w.db.begin().await.unwrap();
    let id = meetings::create(&mut tx, staff, group_id, &fields, &w.staff.audit())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

pub fn item(title: &str) -> ItemFields {
    ItemFields {
        title: title.into(),
        explanation: format!("Waarom *{title}*."),
        duration: "20".into(),
    }
}

pub fn messages(error: CoreError) -> Vec<(String, String)> {
    match error {
        CoreError::Invalid(found) => found.into_iter().map(|e| (e.field, e.message)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// Proposes `title` as the Gent member at `now`.
async fn propose_at(
    w: &World,
    member: &Standing,
    group_id: &str,
    meeting: &str,
    fields: &ItemFields,
    uploads: &[Upload],
    now: i64,
) -> Result<String, CoreError> {
    let mut tx = w.db.begin().await.unwrap();
    let result = agenda::propose(
        &mut tx,
        member,
        &w.gent_member.id,
        group_id,
        meeting,
        fields,
        uploads,
        now,
        &w.gent_member.audit(),
    )
    .await;
    if result.is_ok() {
        tx.commit().await.unwrap();
    }
    result
}

async fn decide(
    w: &World,
    who: &Standing,
    group_id: &str,
    meeting: &str,
    item: &str,
    d: Decision,
) -> Result<(), CoreError> {
    let mut tx = w.db.begin().await.unwrap();
    let result = agenda::decide(&mut tx, who, group_id, meeting, item, &d, &w.staff.audit()).await;
    if result.is_ok() {
        tx.commit().await.unwrap();
    }
    result
}

async fn titles(w: &World, meeting: &str, status: &str) -> Vec<String> {
    agenda::items(w.db.pool(), meeting)
        .await
        .unwrap()
        .into_iter()
        .filter(|i| i.status == status)
        .map(|i| i.title)
        .collect()
}

#[tokio::test]
async fn proposals_are_taken_until_the_deadline_and_then_refused_in_dutch() {
    each_wg_db(|w| async move {
        let (group_id, staff, member, observer) = agenda_group(&w).await;
        let meeting = plan(&w, &staff, &group_id, "2055-06-15").await;
        let state = agenda::state(w.db.pool(), &group_id, &meeting)
            .await
            .unwrap()
            .unwrap();
        // Ten days before (the group's default), to 23:59 in Brussels.
        assert_eq!(state.deadline_text(), "05/06/2055 om 23:59");
        assert!(!state.deadline_set);

        let note = Upload {
            filename: "../../verslagen/nota \"GDPR\".md".into(),
            bytes: b"# Nota\n\nDe tekst.\n".to_vec(),
        };
        let id = propose_at(
            &w,
            &member,
            &group_id,
            &meeting,
            &item("Camerabeleid"),
            &[note],
            state.deadline_at,
        )
        .await
        .unwrap();
        let files = steden_werkgroepen::store::agenda_files::of_meeting(w.db.pool(), &meeting)
            .await
            .unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].item_id, id);
        // The path and the quotes are gone from the stored name.
        assert_eq!(files[0].filename, "nota GDPR.md");
        let items = agenda::items(w.db.pool(), &meeting).await.unwrap();
        assert_eq!(items[0].status, "voorgesteld");
        assert_eq!(items[0].proposer_org_name.as_deref(), Some("Gent"));

        // One millisecond late: the Dutch message, nothing written.
        let late = propose_at(
            &w,
            &member,
            &group_id,
            &meeting,
            &item("Te laat"),
            &[],
            state.deadline_at + 1,
        )
        .await
        .unwrap_err();
        assert_eq!(
            messages(late),
            vec![(
                String::new(),
                "De termijn voor agendapunten liep af op 05/06/2055 om 23:59.".to_string()
            )]
        );
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM wg_agenda_items").await,
            1
        );

        // Bad fields and a file that is not a document: every message, nothing written.
        let bad = ItemFields {
            title: " ".into(),
            explanation: String::new(),
            duration: "twintig".into(),
        };
        let program = Upload {
            filename: "nota.pdf".into(),
            bytes: vec![0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0xff, 0xfe],
        };
        let refused = propose_at(
            &w,
            &member,
            &group_id,
            &meeting,
            &bad,
            &[program],
            state.deadline_at,
        )
        .await
        .unwrap_err();
        let found = messages(refused);
        let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, vec!["title", "duration", "bijlage"], "{found:?}");
        assert!(found[2].1.starts_with("nota.pdf: "), "{found:?}");
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM wg_agenda_items").await,
            1
        );
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_files").await, 1);

        // An observer proposes nothing.
        let observed = propose_at(
            &w,
            &observer,
            &group_id,
            &meeting,
            &item("Waarnemer"),
            &[],
            state.deadline_at,
        )
        .await;
        assert!(
            matches!(observed, Err(CoreError::Forbidden)),
            "{observed:?}"
        );

        // The chair moves the deadline; it may not pass the meeting's day.
        let mut tx = w.db.begin().await.unwrap();
        let after = agenda::set_deadline(
            &mut tx,
            &staff,
            &group_id,
            &meeting,
            "2055-06-16",
            &w.staff.audit(),
        )
        .await;
        assert_eq!(
            messages(after.unwrap_err()),
            vec![(
                "deadline".to_string(),
                "De termijn moet op of vóór de dag van de vergadering liggen.".to_string()
            )]
        );
        agenda::set_deadline(
            &mut tx,
            &staff,
            &group_id,
            &meeting,
            "2055-06-12",
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let state = agenda::state(w.db.pool(), &group_id, &meeting)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(state.deadline_text(), "12/06/2055 om 23:59");
        assert!(state.deadline_set);
    })
    .await;
}

#[tokio::test]
async fn the_chair_orders_merges_declines_with_a_reason_and_publishes_to_every_member() {
    each_wg_db(|w| async move {
        let (group_id, staff, member, _) = agenda_group(&w).await;
        let meeting = plan(&w, &staff, &group_id, "2055-06-15").await;
        let now = steden_db::now_ms();
        let mut ids = Vec::new();
        for title in ["Camerabeleid", "Cookies", "Cookiebanners", "Reclame"] {
            ids.push(
                propose_at(&w, &member, &group_id, &meeting, &item(title), &[], now)
                    .await
                    .unwrap(),
            );
        }
        // A member does not decide.
        let denied = decide(&w, &member, &group_id, &meeting, &ids[0], Decision::Accept).await;
        assert!(matches!(denied, Err(CoreError::Forbidden)), "{denied:?}");

        // Undecided proposals block publication.
        let mut tx = w.db.begin().await.unwrap();
        let early = agenda::publish(
            &mut tx,
            &staff,
            &group_id,
            &meeting,
            "https://steden.test",
            &w.staff.audit(),
        )
        .await;
        drop(tx);
        assert_eq!(
            messages(early.unwrap_err())[0].1,
            "Beslis eerst over elk voorstel: aanvaarden, samenvoegen of afwijzen."
        );

        decide(&w, &staff, &group_id, &meeting, &ids[0], Decision::Accept)
            .await
            .unwrap();
        decide(&w, &staff, &group_id, &meeting, &ids[1], Decision::Accept)
            .await
            .unwrap();
        decide(
            &w,
            &staff,
            &group_id,
            &meeting,
            &ids[2],
            Decision::MergeInto {
                target_id: ids[1].clone(),
            },
        )
        .await
        .unwrap();
        // Merging into itself or into a merged item is refused.
        let wrong = decide(
            &w,
            &staff,
            &group_id,
            &meeting,
            &ids[3],
            Decision::MergeInto {
                target_id: ids[2].clone(),
            },
        )
        .await;
        assert_eq!(messages(wrong.unwrap_err())[0].0, "merge_into");
        // Declining without a reason: the design's message, nothing changed.
        let bare = decide(
            &w,
            &staff,
            &group_id,
            &meeting,
            &ids[3],
            Decision::Decline {
                reason: "  ".into(),
            },
        )
        .await;
        assert_eq!(
            messages(bare.unwrap_err()),
            vec![(
                "decline_reason".to_string(),
                DECLINE_REASON_MESSAGE.to_string()
            )]
        );
        assert_eq!(titles(&w, &meeting, "voorgesteld").await, vec!["Reclame"]);
        decide(
            &w,
            &staff,
            &group_id,
            &meeting,
            &ids[3],
            Decision::Decline {
                reason: "Hoort in de stuurgroep.".into(),
            },
        )
        .await
        .unwrap();
        // Cookies up, above Camerabeleid; moving the first one up changes nothing.
        decide(&w, &staff, &group_id, &meeting, &ids[1], Decision::Up)
            .await
            .unwrap();
        decide(&w, &staff, &group_id, &meeting, &ids[1], Decision::Up)
            .await
            .unwrap();
        assert_eq!(
            titles(&w, &meeting, "aanvaard").await,
            vec!["Cookies", "Camerabeleid"]
        );
        let items = agenda::items(w.db.pool(), &meeting).await.unwrap();
        let merged = items.iter().find(|i| i.id == ids[2]).unwrap();
        assert_eq!(
            (merged.status.as_str(), merged.merged_into_id.as_deref()),
            ("samengevoegd", Some(ids[1].as_str()))
        );
        let declined = items.iter().find(|i| i.id == ids[3]).unwrap();
        assert_eq!(declined.decline_reason, "Hoort in de stuurgroep.");

        // The Reflectiegroep's three parts after the items.
        let mut tx = w.db.begin().await.unwrap();
        let added = agenda::apply_template(
            &mut tx,
            &staff,
            &group_id,
            &meeting,
            "reflectiegroep-europa",
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(added, 3);
        assert_eq!(
            titles(&w, &meeting, "aanvaard").await,
            vec![
                "Cookies",
                "Camerabeleid",
                "Nieuws uit de steden en de VGC",
                "Thema in de diepte",
                "Ruggenspraak over een urgent thema"
            ]
        );

        // Publishing: version 1, one mail per member and facilitator (Gent, Antwerpen, staff),
        // logged, in the same transaction.
        let mut tx = w.db.begin().await.unwrap();
        let mailed = agenda::publish(
            &mut tx,
            &staff,
            &group_id,
            &meeting,
            "https://steden.test",
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(mailed, 3);
        let state = agenda::state(w.db.pool(), &group_id, &meeting)
            .await
            .unwrap()
            .unwrap();
        assert!(state.published);
        assert_eq!(state.version, 1);
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM mail_outbox").await, 3);
        assert_eq!(
            count(
                &w.db,
                "SELECT COUNT(*) FROM wg_mail_log WHERE kind = 'agenda' AND version = 1"
            )
            .await,
            3
        );
        let recipients: Vec<String> =
            sqlx::query_scalar("SELECT recipient FROM mail_outbox ORDER BY recipient")
                .fetch_all(w.db.pool())
                .await
                .unwrap();
        assert_eq!(
            recipients,
            vec![
                "lid@antwerpen.test",
                "lid@gent.test",
                "staf@kenniscentrum.test"
            ]
        );

        // After publication no more proposals.
        let closed = propose_at(&w, &member, &group_id, &meeting, &item("Nog één"), &[], now).await;
        assert_eq!(
            messages(closed.unwrap_err())[0].1,
            "De agenda is al gepubliceerd; voorstellen kunnen niet meer."
        );
    })
    .await;
}

#[tokio::test]
async fn open_action_points_stay_on_every_next_agenda_until_done() {
    each_wg_db(|w| async move {
        let (group_id, staff, member, _) = agenda_group(&w).await;
        let first = plan(&w, &staff, &group_id, "2055-06-15").await;
        let second = plan(&w, &staff, &group_id, "2055-07-27").await;
        let third = plan(&w, &staff, &group_id, "2055-09-07").await;
        let mut tx = w.db.begin().await.unwrap();
        let point = action_points::create(
            &mut tx,
            &staff,
            &group_id,
            &first,
            &ActionPointFields {
                description: "Modelverwerkersovereenkomst nalezen".into(),
                owner: format!("org:{}", w.gent),
                due_date: "2055-07-01".into(),
            },
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let open = |meeting: String| {
            let w = &w;
            let group_id = &group_id;
            async move {
                let state = agenda::state(w.db.pool(), group_id, &meeting)
                    .await
                    .unwrap()
                    .unwrap();
                action_points::open_before(w.db.pool(), group_id, &meeting, state.starts_at)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|p| (p.description, p.owner_name))
                    .collect::<Vec<_>>()
            }
        };
        assert!(
            open(first.clone()).await.is_empty(),
            "not on the agenda of its own meeting"
        );
        let expected = vec![(
            "Modelverwerkersovereenkomst nalezen".to_string(),
            "Gent".to_string(),
        )];
        assert_eq!(open(second.clone()).await, expected);
        assert_eq!(open(third.clone()).await, expected);

        // The Gent member represents the owning city, so may mark it done; it leaves every agenda.
        let mut tx = w.db.begin().await.unwrap();
        action_points::set_status(
            &mut tx,
            &member,
            &w.gent_member.id,
            &group_id,
            &point,
            "gedaan",
            &w.gent_member.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert!(open(second).await.is_empty());
        assert!(open(third).await.is_empty());
    })
    .await;
}

/// The outbox's jobs sent by a worker pool to the test SMTP server over TCP.
pub fn start_mail_workers(db: &steden_db::Db, server: &SmtpServer) -> WorkerPool {
    let mut registry = Registry::new();
    let mailer = Mailer::smtp(&server.url(), "Stedenplatform <noreply@steden.test>").unwrap();
    mail::register(&mut registry, Arc::new(mailer));
    let options = WorkerOptions {
        workers: 1,
        name: "wgmail".into(),
        poll_interval: Duration::from_millis(20),
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        ..WorkerOptions::default()
    };
    WorkerPool::start_with(db.clone(), Arc::new(registry), options)
}

/// Waits until `expected` more messages arrived than `before` (the deadline only guards a hang).
pub async fn wait_for_mail(server: &SmtpServer, before: usize, expected: usize) {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while server.received().len() < before + expected {
        assert!(std::time::Instant::now() < deadline, "mail hangs");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn the_published_agenda_reaches_the_members_over_smtp() {
    let server = SmtpServer::start(Mode::Accept).await;
    let server = &server;
    each_wg_db(|w| async move {
        let before = server.received().len();
        let (group_id, staff, member, _) = agenda_group(&w).await;
        let earlier = plan(&w, &staff, &group_id, "2055-06-15").await;
        let meeting = plan(&w, &staff, &group_id, "2055-07-27").await;
        let mut tx = w.db.begin().await.unwrap();
        action_points::create(
            &mut tx,
            &staff,
            &group_id,
            &earlier,
            &ActionPointFields {
                description: "Sjabloon DPIA verspreiden".into(),
                owner: format!("user:{}", w.gent_member.id),
                due_date: String::new(),
            },
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let id = propose_at(
            &w,
            &member,
            &group_id,
            &meeting,
            &item("Camerabeleid"),
            &[],
            steden_db::now_ms(),
        )
        .await
        .unwrap();
        decide(&w, &staff, &group_id, &meeting, &id, Decision::Accept)
            .await
            .unwrap();
        let mut tx = w.db.begin().await.unwrap();
        agenda::publish(
            &mut tx,
            &staff,
            &group_id,
            &meeting,
            "https://steden.test",
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let pool = start_mail_workers(&w.db, server);
        wait_for_mail(server, before, 3).await;
        pool.shutdown().await;
        let received = server.received();
        let to_gent = received[before..]
            .iter()
            .find(|m| m.recipients == vec!["lid@gent.test".to_string()])
            .expect("a mail to the Gent member");
        let (headers, _) = parse_message(&to_gent.data);
        assert_eq!(header(&headers, "subject"), "Agenda: Overleg (27/07/2055)");
        let body = parse_mime(&to_gent.data).find("text/plain").text();
        assert!(body.contains("Beste Greet Gent"), "{body}");
        assert!(body.contains("1. Camerabeleid (20 min.)"), "{body}");
        assert!(
            body.contains("Sjabloon DPIA verspreiden (Greet Gent)"),
            "{body}"
        );
        assert!(
            body.contains(&format!(
                "https://steden.test/werkgroepen/agendagroep/vergaderingen/{meeting}/agenda"
            )),
            "{body}"
        );
    })
    .await;
}
