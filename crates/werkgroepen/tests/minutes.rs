//! Minutes and action points (issue 13 point 4, slice S9) in the store: those who chair write
//! the minutes, decisions, attendance and action points; proposing mails the members, who
//! comment during the period (after it: the Dutch message, nothing written); a facilitator,
//! not the voorzitter, approves, which mails the minutes and freezes them. A meeting's theme
//! points at a section of a thematic Kennisbank collection, which the next agenda evaluates.

use steden_core::role::Role;
use steden_core::CoreError;
use steden_werkgroepen::access::{GroupFacts, Standing};
use steden_werkgroepen::model::MemberRole;
use steden_werkgroepen::store::action_points::{self, ActionPointFields};
use steden_werkgroepen::store::minutes::{self, ThemeFields};

use crate::agenda::{agenda_group, messages, plan};
use crate::common::actor;
use crate::common::{count, each_wg_db, World};

async fn minutes_of(w: &World, group_id: &str, meeting: &str) -> minutes::Minutes {
    minutes::find(w.db.pool(), group_id, meeting)
        .await
        .unwrap()
        .unwrap()
}

/// Runs `f` in a transaction, committing only on success (as the pages do).
macro_rules! in_tx {
    ($w:expr, |$tx:ident| $body:expr) => {{
        let mut $tx = $w.db.begin().await.unwrap();
        let result = $body.await;
        if result.is_ok() {
            $tx.commit().await.unwrap();
        }
        result
    }};
}

const BASE: &str = "https://steden.test";

#[tokio::test]
async fn minutes_go_from_draft_to_proposed_to_approved_with_mails_and_comments() {
    each_wg_db(|w| async move {
        let (group_id, staff, member, observer) = agenda_group(&w).await;
        let meeting = plan(&w, &staff, &group_id, "2055-06-15").await;
        let audit = w.staff.audit();
        // The Gent member as voorzitter: writes, but does not approve.
        let chair = Standing::of(
            &actor(&w.gent_member, &w.gent, Role::Lid),
            &w.kenniscentrum,
            GroupFacts {
                active_role: Some(MemberRole::Voorzitter),
                represents: Some(w.gent.clone()),
                facilitator: false,
            },
        );

        let denied = in_tx!(w, |tx| minutes::save(&mut tx, &member, &group_id, &meeting, "x", &audit));
        assert!(matches!(denied, Err(CoreError::Forbidden)), "{denied:?}");
        let empty = in_tx!(w, |tx| minutes::propose(&mut tx, &staff, &group_id, &meeting, "", BASE, &audit));
        assert_eq!(messages(empty.unwrap_err()), vec![("minutes_md".to_string(), "Schrijf eerst het verslag.".to_string())]);

        in_tx!(w, |tx| minutes::save(&mut tx, &chair, &group_id, &meeting, "## Verloop\n\nWe bespraken *cookies*.", &audit))
            .unwrap();
        assert_eq!(minutes_of(&w, &group_id, &meeting).await.status, "concept");
        let past = in_tx!(w, |tx| minutes::propose(&mut tx, &staff, &group_id, &meeting, "2020-01-01", BASE, &audit));
        assert_eq!(messages(past.unwrap_err())[0].0, "comment_until");
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM mail_outbox").await, 0);

        let mailed = in_tx!(w, |tx| minutes::propose(&mut tx, &staff, &group_id, &meeting, "2099-12-31", BASE, &audit))
            .unwrap();
        assert_eq!(mailed, 3);
        let proposed = minutes_of(&w, &group_id, &meeting).await;
        assert_eq!(proposed.status, "voorgelegd");
        let until = proposed.comment_until.unwrap();
        let subjects: Vec<String> = sqlx::query_scalar("SELECT DISTINCT subject FROM mail_outbox")
            .fetch_all(w.db.pool())
            .await
            .unwrap();
        assert_eq!(subjects, vec!["Verslag ter goedkeuring: Overleg (15/06/2055)"]);

        // Comments: members during the period; an observer never; nobody after it.
        let gent = w.gent_member.id.clone();
        in_tx!(w, |tx| minutes::comment(&mut tx, &member, &gent, &group_id, &meeting, "Punt 2 klopt niet.", until, &audit))
            .unwrap();
        let observed = in_tx!(w, |tx| minutes::comment(&mut tx, &observer, &w.antwerpen_member.id, &group_id, &meeting, "Ik ook", until, &audit));
        assert!(matches!(observed, Err(CoreError::Forbidden)), "{observed:?}");
        let late = in_tx!(w, |tx| minutes::comment(&mut tx, &member, &gent, &group_id, &meeting, "Te laat", until + 1, &audit));
        assert_eq!(
            messages(late.unwrap_err()),
            vec![("body".to_string(), "De termijn voor opmerkingen liep af op 31/12/2099 om 23:59.".to_string())]
        );
        let comments = minutes::comments(w.db.pool(), &meeting).await.unwrap();
        assert_eq!(comments.len(), 1);
        assert_eq!((comments[0].author.as_deref(), comments[0].body.as_str()), (Some("Greet Gent"), "Punt 2 klopt niet."));

        // The voorzitter may not approve; the facilitator does, which mails the minutes.
        let by_chair = in_tx!(w, |tx| minutes::approve(&mut tx, &chair, &gent, &group_id, &meeting, BASE, &audit));
        assert!(matches!(by_chair, Err(CoreError::Forbidden)), "{by_chair:?}");
        let mailed = in_tx!(w, |tx| minutes::approve(&mut tx, &staff, &w.staff.id, &group_id, &meeting, BASE, &audit))
            .unwrap();
        assert_eq!(mailed, 3);
        let approved = minutes_of(&w, &group_id, &meeting).await;
        assert_eq!(approved.status, "goedgekeurd");
        assert_eq!(approved.approved_by_name.as_deref(), Some("Sara Staf"));
        let body: String = sqlx::query_scalar(
            "SELECT text_body FROM mail_outbox WHERE subject = 'Verslag: Overleg (15/06/2055)' AND recipient = 'lid@gent.test'",
        )
        .fetch_one(w.db.pool())
        .await
        .unwrap();
        assert!(body.contains("We bespraken *cookies*."), "{body}");
        assert!(body.contains(&format!("{BASE}/werkgroepen/agendagroep/vergaderingen/{meeting}/verslag")), "{body}");
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_mail_log WHERE kind = 'verslag'").await, 3);

        // Approved minutes do not change any more.
        let frozen = in_tx!(w, |tx| minutes::save(&mut tx, &staff, &group_id, &meeting, "Anders", &audit));
        assert_eq!(messages(frozen.unwrap_err())[0].1, "Het verslag is al goedgekeurd en kan niet meer veranderen.");
        assert_eq!(minutes_of(&w, &group_id, &meeting).await.minutes_md, "## Verloop\n\nWe bespraken *cookies*.");
    })
    .await;
}

#[tokio::test]
async fn decisions_attendance_and_action_points_are_checked_before_anything_is_written() {
    each_wg_db(|w| async move {
        let (group_id, staff, member, observer) = agenda_group(&w).await;
        let meeting = plan(&w, &staff, &group_id, "2055-06-15").await;
        let audit = w.staff.audit();

        let blank = in_tx!(w, |tx| minutes::add_decision(
            &mut tx, &staff, &group_id, &meeting, "  ", &audit
        ));
        assert_eq!(
            messages(blank.unwrap_err()),
            vec![("decision".to_string(), "Beschrijf het besluit.".to_string())]
        );
        for text in ["Het sjabloon wordt aangenomen.", "De volgende keer: DPIA."] {
            in_tx!(w, |tx| minutes::add_decision(
                &mut tx, &staff, &group_id, &meeting, text, &audit
            ))
            .unwrap();
        }
        assert_eq!(
            minutes::decisions(w.db.pool(), &meeting).await.unwrap(),
            vec!["Het sjabloon wordt aangenomen.", "De volgende keer: DPIA."]
        );

        // Attendance: members only, known statuses only; a second record replaces the first.
        let outsider = vec![(w.gent_reader.id.clone(), "aanwezig".to_string())];
        let refused = in_tx!(w, |tx| minutes::set_attendance(
            &mut tx, &staff, &group_id, &meeting, &outsider, &audit
        ));
        assert_eq!(messages(refused.unwrap_err())[0].0, "attendance");
        let entries = vec![
            (w.gent_member.id.clone(), "aanwezig".to_string()),
            (w.antwerpen_member.id.clone(), "ziek".to_string()),
        ];
        let wrong = in_tx!(w, |tx| minutes::set_attendance(
            &mut tx, &staff, &group_id, &meeting, &entries, &audit
        ));
        assert_eq!(
            messages(wrong.unwrap_err())[0].1,
            "Kies aanwezig, verontschuldigd of afwezig."
        );
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_attendance").await, 0);
        let entries = vec![
            (w.gent_member.id.clone(), "afwezig".to_string()),
            (w.antwerpen_member.id.clone(), "verontschuldigd".to_string()),
        ];
        in_tx!(w, |tx| minutes::set_attendance(
            &mut tx, &staff, &group_id, &meeting, &entries, &audit
        ))
        .unwrap();
        let again = vec![(w.gent_member.id.clone(), "aanwezig".to_string())];
        in_tx!(w, |tx| minutes::set_attendance(
            &mut tx, &staff, &group_id, &meeting, &again, &audit
        ))
        .unwrap();
        let recorded: Vec<(String, String)> = minutes::attendance(w.db.pool(), &meeting)
            .await
            .unwrap()
            .into_iter()
            .map(|a| (a.name, a.status))
            .collect();
        assert_eq!(
            recorded,
            vec![
                ("Arno Antwerpen".to_string(), "verontschuldigd".to_string()),
                ("Greet Gent".to_string(), "aanwezig".to_string())
            ]
        );

        // Action points: every wrong field at once, nothing written; a member does not add one.
        let bad = ActionPointFields {
            description: String::new(),
            owner: format!("user:{}", w.gent_reader.id),
            due_date: "2055-02-30".into(),
        };
        let refused = in_tx!(w, |tx| action_points::create(
            &mut tx, &staff, &group_id, &meeting, &bad, &audit
        ));
        let found = messages(refused.unwrap_err());
        assert_eq!(
            found,
            vec![
                (
                    "description".to_string(),
                    "Beschrijf het actiepunt.".to_string()
                ),
                (
                    "owner".to_string(),
                    "Kies wie het actiepunt opneemt: een lid of een stad van de werkgroep."
                        .to_string()
                ),
                (
                    "due_date".to_string(),
                    "Deze datum bestaat niet.".to_string()
                ),
            ]
        );
        let by_member = in_tx!(w, |tx| action_points::create(
            &mut tx,
            &member,
            &group_id,
            &meeting,
            &ActionPointFields::default(),
            &audit
        ));
        assert!(
            matches!(by_member, Err(CoreError::Forbidden)),
            "{by_member:?}"
        );
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM wg_action_points").await,
            0
        );

        let own = ActionPointFields {
            description: "DPIA-sjabloon testen".into(),
            owner: format!("user:{}", w.gent_member.id),
            due_date: "2055-07-01".into(),
        };
        let city = ActionPointFields {
            description: "Register aanvullen".into(),
            owner: format!("org:{}", w.antwerpen),
            due_date: String::new(),
        };
        let own_id = in_tx!(w, |tx| action_points::create(
            &mut tx, &staff, &group_id, &meeting, &own, &audit
        ))
        .unwrap();
        let city_id = in_tx!(w, |tx| action_points::create(
            &mut tx, &staff, &group_id, &meeting, &city, &audit
        ))
        .unwrap();

        // The owner's own list: the Gent member's own point; Antwerpen's city point for the
        // Antwerpen member.
        let mine = |user: String| {
            let w = &w;
            async move {
                action_points::open_for_person(w.db.pool(), &user)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|p| p.description)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(
            mine(w.gent_member.id.clone()).await,
            vec!["DPIA-sjabloon testen"]
        );
        assert_eq!(
            mine(w.antwerpen_member.id.clone()).await,
            vec!["Register aanvullen"]
        );

        // The Antwerpen observer does not contribute, so may not change even the city's point;
        // the Gent member may not change Antwerpen's; the owner may change their own.
        let antwerpen = w.antwerpen_member.id.clone();
        let gent = w.gent_member.id.clone();
        let denied = in_tx!(w, |tx| action_points::set_status(
            &mut tx, &observer, &antwerpen, &group_id, &city_id, "gedaan", &audit
        ));
        assert!(matches!(denied, Err(CoreError::Forbidden)), "{denied:?}");
        let denied = in_tx!(w, |tx| action_points::set_status(
            &mut tx, &member, &gent, &group_id, &city_id, "gedaan", &audit
        ));
        assert!(matches!(denied, Err(CoreError::Forbidden)), "{denied:?}");
        let unknown = in_tx!(w, |tx| action_points::set_status(
            &mut tx, &member, &gent, &group_id, &own_id, "klaar", &audit
        ));
        assert_eq!(messages(unknown.unwrap_err())[0].0, "status");
        in_tx!(w, |tx| action_points::set_status(
            &mut tx, &member, &gent, &group_id, &own_id, "gedaan", &audit
        ))
        .unwrap();
        assert!(
            mine(gent).await.is_empty(),
            "done points leave the owner's list"
        );
        let done_at: Option<i64> =
            sqlx::query_scalar("SELECT done_at FROM wg_action_points WHERE id = $1")
                .bind(&own_id)
                .fetch_one(w.db.pool())
                .await
                .unwrap();
        assert!(done_at.is_some());
    })
    .await;
}

/// A thematic collection "GDPR-bibliotheek" with two documents in section "Cookies" (one
/// restricted to another group) and one in another section.
async fn gdpr_library(w: &World, group_id: &str) -> String {
    let now = steden_db::now_ms();
    let docs = [
        (
            "d1",
            "Cookiebeleid model",
            "publiek",
            None,
            "Cookies",
            "in-evaluatie",
        ),
        (
            "d2",
            "Geheim cookieplan",
            "werkgroep",
            Some("andere-groep"),
            "Cookies",
            "te-evalueren",
        ),
        (
            "d3",
            "Sjabloon DPIA",
            "publiek",
            None,
            "DPIA",
            "goedgekeurd",
        ),
        (
            "d4",
            "Cookies voor de groep",
            "werkgroep",
            Some(group_id),
            "Cookies",
            "goedgekeurd",
        ),
    ];
    sqlx::query(
        "INSERT INTO kb_collections (id, slug, title, kind, created_at, updated_at)
         VALUES ('c1', 'gdpr-bibliotheek', 'GDPR-bibliotheek', 'thematisch', $1, $1)",
    )
    .bind(now)
    .execute(w.db.pool())
    .await
    .unwrap();
    for (position, (id, title, access, group, section, status)) in docs.iter().enumerate() {
        // The other group's id must exist (foreign key): only the group's own is real; the
        // restricted one points at the core's GDPR group.
        let group = group.map(|g| {
            if g == "andere-groep" {
                w.gdpr_group.clone()
            } else {
                g.to_string()
            }
        });
        sqlx::query(
            "INSERT INTO kb_documents (id, slug, title, summary, doc_type, period, doc_date,
                 language, access, access_group_id, extraction_status, created_at, updated_at)
             VALUES ($1, $2, $3, '', 'standaarddocument', '2022-2026', '2025-01-01', 'nl', $4,
                 $5, 'geen', $6, $6)",
        )
        .bind(id)
        .bind(format!("doc-{id}"))
        .bind(title)
        .bind(access)
        .bind(group)
        .bind(now)
        .execute(w.db.pool())
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO kb_collection_entries (collection_id, document_id, section, position,
                 evaluation_status) VALUES ('c1', $1, $2, $3, $4)",
        )
        .bind(id)
        .bind(section)
        .bind(position as i64 + 1)
        .bind(status)
        .execute(w.db.pool())
        .await
        .unwrap();
    }
    "c1".to_string()
}

#[tokio::test]
async fn a_meetings_theme_links_a_collection_section_that_the_next_agenda_evaluates() {
    each_wg_db(|w| async move {
        let (group_id, staff, _, _) = agenda_group(&w).await;
        let first = plan(&w, &staff, &group_id, "2055-06-15").await;
        let second = plan(&w, &staff, &group_id, "2055-07-27").await;
        let third = plan(&w, &staff, &group_id, "2055-09-07").await;
        let audit = w.staff.audit();
        let collection = gdpr_library(&w, &group_id).await;
        let thematic: Vec<String> = steden_kennisbank::facade::thematic_collections(&w.db)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(thematic, vec![collection.clone()]);

        let unknown = ThemeFields {
            theme: "Cookies".into(),
            collection: "geen-collectie".into(),
            section: String::new(),
        };
        let refused = in_tx!(w, |tx| minutes::set_theme(
            &mut tx, &staff, &group_id, &first, &unknown, &thematic, &audit
        ));
        let fields: Vec<String> = messages(refused.unwrap_err())
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(fields, vec!["collection", "section"]);

        let fields = ThemeFields {
            theme: "Cookies".into(),
            collection: collection.clone(),
            section: "Cookies".into(),
        };
        in_tx!(w, |tx| minutes::set_theme(
            &mut tx, &staff, &group_id, &first, &fields, &thematic, &audit
        ))
        .unwrap();

        // The next meeting evaluates it; the one after does not (its previous meeting had none).
        let second_starts =
            steden_werkgroepen::store::agenda::state(w.db.pool(), &group_id, &second)
                .await
                .unwrap()
                .unwrap()
                .starts_at;
        let theme = minutes::previous_theme(w.db.pool(), &group_id, second_starts)
            .await
            .unwrap()
            .expect("the first meeting's theme");
        assert_eq!(
            (theme.meeting_id.as_str(), theme.theme.as_str()),
            (first.as_str(), "Cookies")
        );
        let third_starts = steden_werkgroepen::store::agenda::state(w.db.pool(), &group_id, &third)
            .await
            .unwrap()
            .unwrap()
            .starts_at;
        assert_eq!(
            minutes::previous_theme(w.db.pool(), &group_id, third_starts)
                .await
                .unwrap(),
            None
        );

        // The section's documents the group may open, with their evaluation status; the other
        // group's document and the other section are left out.
        let docs: Vec<(String, Option<String>)> =
            steden_kennisbank::facade::section_documents(&w.db, &collection, "Cookies", &group_id)
                .await
                .unwrap()
                .into_iter()
                .map(|d| (d.title, d.evaluation_status))
                .collect();
        assert_eq!(
            docs,
            vec![
                (
                    "Cookiebeleid model".to_string(),
                    Some("In evaluatie".to_string())
                ),
                (
                    "Cookies voor de groep".to_string(),
                    Some("Goedgekeurd".to_string())
                ),
            ]
        );
    })
    .await;
}
