//! Meetings and series in the store (design §3.6, §3.9, slice S4): a facilitator plans, moves,
//! cancels and marks a meeting held, each change raising the sequence; a series keeps 14:00 at
//! 14:00 across both changes of summer time; regenerating leaves moved, cancelled and held
//! meetings alone; every bad input is refused with its Dutch message and writes nothing; a
//! member reads but does not plan.

use chrono::{NaiveDate, TimeZone};
use steden_core::role::Role;
use steden_core::CoreError;
use steden_werkgroepen::access::Standing;
use steden_werkgroepen::cadence::{Rule, WeekOfMonth};
use steden_werkgroepen::model::{Cadence, MemberRole};
use steden_werkgroepen::reader;
use steden_werkgroepen::store::meetings::{self, MeetingFields, MeetingStatus, PAST_MESSAGE};
use steden_werkgroepen::store::series::{self, SeriesDetails, SeriesRequest};
use steden_werkgroepen::store::{groups, joining};

use crate::common::actor;
use crate::common::{count, create_group, each_wg_db, World};

/// The staff member's and the Gent member's standing in a new group the member belongs to.
async fn group_with_member(w: &World) -> (String, Standing, Standing) {
    let group_id = create_group(w, "vergadergroep", "Vergadergroep", "verborgen").await;
    let mut tx = w.db.begin().await.unwrap();
    joining::add(
        &mut tx,
        &group_id,
        &w.gent_member.id,
        Some(&w.gent),
        MemberRole::Lid,
        &w.staff.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut conn = w.db.pool().acquire().await.unwrap();
    let profile = groups::find(&mut conn, &group_id).await.unwrap().unwrap();
    drop(conn);
    let staff = actor(&w.staff, &w.kenniscentrum, Role::Redacteur);
    let member = actor(&w.gent_member, &w.gent, Role::Lid);
    let (staff, _) = reader::standing(&w.db, &staff, &profile).await.unwrap();
    let (member, _) = reader::standing(&w.db, &member, &profile).await.unwrap();
    (group_id, staff, member)
}

fn fields(date: &str, start: &str, end: &str) -> MeetingFields {
    MeetingFields {
        title: "Overleg".into(),
        local_date: date.into(),
        local_start: start.into(),
        local_end: end.into(),
        place: "Stadhuis Gent".into(),
        online_url: String::new(),
    }
}

fn utc(y: i32, m: u32, d: u32, h: u32) -> i64 {
    chrono::Utc
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .unwrap()
        .timestamp_millis()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn meeting(w: &World, group_id: &str, id: &str) -> meetings::Meeting {
    meetings::find(w.db.pool(), group_id, id)
        .await
        .unwrap()
        .unwrap()
}

fn field_errors(error: CoreError) -> Vec<(String, String)> {
    match error {
        CoreError::Invalid(found) => found.into_iter().map(|e| (e.field, e.message)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_meeting_is_planned_moved_marked_and_cancelled_each_change_raising_the_sequence() {
    each_wg_db(|w| async move {
        let (group_id, staff, _) = group_with_member(&w).await;
        let audit = w.staff.audit();
        let mut tx = w.db.begin().await.unwrap();
        let id = meetings::create(
            &mut tx,
            &staff,
            &group_id,
            &fields("2055-06-15", "14:00", "16:00"),
            &audit,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let planned = meeting(&w, &group_id, &id).await;
        assert_eq!(planned.status, MeetingStatus::Gepland);
        assert_eq!(planned.ical_sequence, 0);
        // 14:00 in Brussels in June is 12:00 UTC.
        assert_eq!(planned.starts_at, utc(2055, 6, 15, 12));
        assert_eq!(planned.ends_at, utc(2055, 6, 15, 14));
        assert!(!planned.moved);

        let mut moved_to = fields("2055-12-14", "10:00", "12:00");
        moved_to.place = String::new();
        moved_to.online_url = "https://meet.example.be/overleg".into();
        let mut tx = w.db.begin().await.unwrap();
        meetings::reschedule(&mut tx, &staff, &group_id, &id, &moved_to, &audit)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let moved = meeting(&w, &group_id, &id).await;
        assert_eq!(moved.ical_sequence, 1);
        assert!(moved.moved);
        assert_eq!(moved.local_date, "2055-12-14");
        // Winter time: 10:00 in Brussels is 09:00 UTC.
        assert_eq!(moved.starts_at, utc(2055, 12, 14, 9));
        assert_eq!(moved.online_url, "https://meet.example.be/overleg");

        let mut tx = w.db.begin().await.unwrap();
        meetings::mark_held(&mut tx, &staff, &group_id, &id, true, &audit)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let held = meeting(&w, &group_id, &id).await;
        assert_eq!(
            (held.status, held.ical_sequence),
            (MeetingStatus::Gehouden, 2)
        );

        let mut tx = w.db.begin().await.unwrap();
        meetings::mark_held(&mut tx, &staff, &group_id, &id, false, &audit)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let not_held = meeting(&w, &group_id, &id).await;
        assert_eq!(
            (not_held.status, not_held.ical_sequence),
            (MeetingStatus::Gepland, 3)
        );

        let mut tx = w.db.begin().await.unwrap();
        meetings::cancel(
            &mut tx,
            &staff,
            &group_id,
            &id,
            "Te weinig deelnemers",
            &audit,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let cancelled = meeting(&w, &group_id, &id).await;
        assert_eq!(cancelled.status, MeetingStatus::Geannuleerd);
        assert_eq!(cancelled.ical_sequence, 4);
        assert_eq!(cancelled.cancel_reason, "Te weinig deelnemers");
        // Kept in the group's history.
        let all = meetings::list(w.db.pool(), &group_id).await.unwrap();
        assert_eq!(all.len(), 1);
        // Every change left an audit entry.
        assert_eq!(
            count(
                &w.db,
                "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'werkgroep_vergadering'"
            )
            .await,
            5
        );
    })
    .await;
}

#[tokio::test]
async fn every_bad_input_is_refused_with_its_dutch_message_and_writes_nothing() {
    each_wg_db(|w| async move {
        let (group_id, staff, _) = group_with_member(&w).await;
        let audit = w.staff.audit();
        let mut tx = w.db.begin().await.unwrap();
        let id = meetings::create(
            &mut tx,
            &staff,
            &group_id,
            &fields("2055-06-15", "14:00", "16:00"),
            &audit,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let before = meeting(&w, &group_id, &id).await;
        let rows = count(&w.db, "SELECT COUNT(*) FROM wg_meetings").await;

        let cases: Vec<(MeetingFields, &str, String)> = vec![
            (
                fields("2055-06-15", "16:00", "14:00"),
                "local_end",
                "Het einde moet na het begin liggen.".into(),
            ),
            (
                fields("2026-01-05", "14:00", "16:00"),
                "local_date",
                PAST_MESSAGE.into(),
            ),
            (
                fields("2055-02-30", "14:00", "16:00"),
                "local_date",
                "Deze datum bestaat niet.".into(),
            ),
            (
                fields("2055-03-28", "02:30", "04:00"),
                "local_start",
                "Dit tijdstip bestaat niet in België: op 28/03/2055 gaat de klok van 02:00 naar 03:00."
                    .into(),
            ),
        ];
        for (bad, field, message) in &cases {
            let mut tx = w.db.begin().await.unwrap();
            let error = meetings::create(&mut tx, &staff, &group_id, bad, &audit)
                .await
                .unwrap_err();
            drop(tx);
            let found = field_errors(error);
            assert!(
                found.contains(&(field.to_string(), message.clone())),
                "create {bad:?}: {found:?}"
            );
            let mut tx = w.db.begin().await.unwrap();
            let error = meetings::reschedule(&mut tx, &staff, &group_id, &id, bad, &audit)
                .await
                .unwrap_err();
            drop(tx);
            assert!(field_errors(error).contains(&(field.to_string(), message.clone())));
        }
        // All wrong fields at once.
        let mut all_wrong = fields("2055-02-30", "9u", "25:00");
        all_wrong.title = " ".into();
        all_wrong.place = String::new();
        let mut tx = w.db.begin().await.unwrap();
        let found = field_errors(
            meetings::create(&mut tx, &staff, &group_id, &all_wrong, &audit)
                .await
                .unwrap_err(),
        );
        drop(tx);
        let fields_named: Vec<&str> = found.iter().map(|(field, _)| field.as_str()).collect();
        assert_eq!(
            fields_named,
            ["title", "local_date", "local_start", "local_end", "place"]
        );

        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_meetings").await, rows);
        assert_eq!(meeting(&w, &group_id, &id).await, before);
    })
    .await;
}

#[tokio::test]
async fn a_member_reads_the_meetings_but_only_facilitators_plan_them() {
    each_wg_db(|w| async move {
        let (group_id, staff, member) = group_with_member(&w).await;
        assert!(member.can_read_group() && !member.can_manage_group());
        let mut tx = w.db.begin().await.unwrap();
        let id = meetings::create(
            &mut tx,
            &staff,
            &group_id,
            &fields("2055-06-15", "14:00", "16:00"),
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let audit = w.gent_member.audit();
        let good = fields("2055-06-22", "14:00", "16:00");
        let mut tx = w.db.begin().await.unwrap();
        assert!(matches!(
            meetings::create(&mut tx, &member, &group_id, &good, &audit).await,
            Err(CoreError::Forbidden)
        ));
        assert!(matches!(
            meetings::reschedule(&mut tx, &member, &group_id, &id, &good, &audit).await,
            Err(CoreError::Forbidden)
        ));
        assert!(matches!(
            meetings::cancel(&mut tx, &member, &group_id, &id, "", &audit).await,
            Err(CoreError::Forbidden)
        ));
        assert!(matches!(
            meetings::mark_held(&mut tx, &member, &group_id, &id, true, &audit).await,
            Err(CoreError::Forbidden)
        ));
        assert!(matches!(
            series::create(
                &mut tx,
                &member,
                &group_id,
                req(
                    &last_sunday_rule("14:00", "16:00"),
                    (date(2055, 3, 1), date(2055, 6, 30)),
                    &details()
                ),
                &audit
            )
            .await,
            Err(CoreError::Forbidden)
        ));
        drop(tx);
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_meetings").await, 1);
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_series").await, 0);
        let read = meetings::list(w.db.pool(), &group_id).await.unwrap();
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].ical_sequence, 0);
    })
    .await;
}

/// The last Sunday of every month: in 2026 that is 29/03 and 25/10, the two days the clock
/// changes.
fn last_sunday_rule(start: &str, end: &str) -> Rule {
    Rule {
        cadence: Cadence::Maandelijks,
        anchor: date(2026, 1, 1),
        weekday: 7,
        week_of_month: WeekOfMonth::LAST,
        months: Vec::new(),
        start: start.into(),
        end: end.into(),
        until: None,
        skip_holidays: false,
    }
}

fn req<'a>(
    rule: &'a Rule,
    (from, to): (NaiveDate, NaiveDate),
    details: &'a SeriesDetails,
) -> SeriesRequest<'a> {
    SeriesRequest {
        rule,
        from,
        to,
        details,
    }
}

fn details() -> SeriesDetails {
    SeriesDetails {
        title: "Maandelijks overleg".into(),
        place: "Stadhuis Gent".into(),
        online_url: String::new(),
    }
}

#[tokio::test]
async fn a_series_keeps_two_in_the_afternoon_across_both_changes_of_summer_time() {
    each_wg_db(|w| async move {
        let (group_id, staff, _) = group_with_member(&w).await;
        let mut tx = w.db.begin().await.unwrap();
        let generated = series::create(
            &mut tx,
            &staff,
            &group_id,
            req(
                &last_sunday_rule("14:00", "16:00"),
                (date(2026, 2, 1), date(2026, 11, 30)),
                &details(),
            ),
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        // February to November: ten last Sundays.
        assert_eq!(generated.created, 10);
        let all = meetings::list(w.db.pool(), &group_id).await.unwrap();
        assert!(all
            .iter()
            .all(|m| m.local_start == "14:00" && m.local_end == "16:00"));
        let starts: Vec<(&str, i64)> = all
            .iter()
            .map(|m| (m.local_date.as_str(), m.starts_at))
            .collect();
        // Winter time (UTC+1) before 29/03, summer time (UTC+2) from it until 25/10.
        assert!(starts.contains(&("2026-02-22", utc(2026, 2, 22, 13))));
        assert!(starts.contains(&("2026-03-29", utc(2026, 3, 29, 12))));
        assert!(starts.contains(&("2026-09-27", utc(2026, 9, 27, 12))));
        assert!(starts.contains(&("2026-10-25", utc(2026, 10, 25, 13))));
        assert!(starts.contains(&("2026-11-29", utc(2026, 11, 29, 13))));
        assert!(all
            .iter()
            .all(|m| m.series_id.as_deref() == Some(&generated.series_id)
                && m.slot_date.as_deref() == Some(m.local_date.as_str())));
    })
    .await;
}

#[tokio::test]
async fn regenerating_a_series_leaves_moved_cancelled_and_held_meetings_alone() {
    each_wg_db(|w| async move {
        let (group_id, staff, _) = group_with_member(&w).await;
        let audit = w.staff.audit();
        let range = (date(2026, 3, 1), date(2026, 8, 31));
        let mut tx = w.db.begin().await.unwrap();
        let generated = series::create(
            &mut tx,
            &staff,
            &group_id,
            req(&last_sunday_rule("14:00", "16:00"), range, &details()),
            &audit,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(generated.created, 6);
        let all = meetings::list(w.db.pool(), &group_id).await.unwrap();
        let by_date = |d: &str| all.iter().find(|m| m.local_date == d).unwrap().id.clone();
        let (april, may, june) = (
            by_date("2026-04-26"),
            by_date("2026-05-31"),
            by_date("2026-06-28"),
        );
        let mut tx = w.db.begin().await.unwrap();
        meetings::reschedule(
            &mut tx,
            &staff,
            &group_id,
            &april,
            &fields("2055-04-20", "10:00", "12:00"),
            &audit,
        )
        .await
        .unwrap();
        meetings::cancel(&mut tx, &staff, &group_id, &may, "Feestdag", &audit)
            .await
            .unwrap();
        meetings::mark_held(&mut tx, &staff, &group_id, &june, true, &audit)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        // The group now meets from 15:00 to 17:00, and the series runs a month longer.
        let mut tx = w.db.begin().await.unwrap();
        let again = series::regenerate(
            &mut tx,
            &staff,
            &group_id,
            &generated.series_id,
            req(
                &last_sunday_rule("15:00", "17:00"),
                (range.0, date(2026, 9, 30)),
                &details(),
            ),
            &audit,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            (again.created, again.updated, again.kept, again.withdrawn),
            (1, 3, 3, 0)
        );
        let moved = meeting(&w, &group_id, &april).await;
        assert_eq!(
            (moved.local_date.as_str(), moved.local_start.as_str()),
            ("2055-04-20", "10:00")
        );
        assert_eq!(moved.ical_sequence, 1);
        let cancelled = meeting(&w, &group_id, &may).await;
        assert_eq!(cancelled.status, MeetingStatus::Geannuleerd);
        assert_eq!(cancelled.local_start, "14:00");
        let held = meeting(&w, &group_id, &june).await;
        assert_eq!(
            (held.status, held.local_start.as_str()),
            (MeetingStatus::Gehouden, "14:00")
        );
        let march = meeting(&w, &group_id, &by_date("2026-03-29")).await;
        assert_eq!(
            (march.local_start.as_str(), march.ical_sequence),
            ("15:00", 1)
        );
        assert_eq!(march.starts_at, utc(2026, 3, 29, 13));
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_meetings").await, 7);
    })
    .await;
}

#[tokio::test]
async fn a_series_with_a_skipped_hour_or_bad_range_writes_nothing() {
    each_wg_db(|w| async move {
        let (group_id, staff, _) = group_with_member(&w).await;
        let audit = w.staff.audit();
        let cases = [
            (
                last_sunday_rule("02:30", "04:00"),
                (date(2026, 3, 1), date(2026, 4, 30)),
                ("start", "Dit tijdstip bestaat niet in België: op 29/03/2026 gaat de klok van 02:00 naar 03:00."),
            ),
            (
                last_sunday_rule("16:00", "14:00"),
                (date(2026, 3, 1), date(2026, 4, 30)),
                ("end", "Het einde moet na het begin liggen."),
            ),
            (
                last_sunday_rule("14:00", "16:00"),
                (date(2026, 4, 30), date(2026, 3, 1)),
                ("to", "De einddatum moet na de begindatum liggen."),
            ),
        ];
        for (rule, range, (field, message)) in cases {
            let mut tx = w.db.begin().await.unwrap();
            let error = series::create(&mut tx, &staff, &group_id, req(&rule, range, &details()), &audit)
                .await
                .unwrap_err();
            drop(tx);
            let found = field_errors(error);
            assert!(
                found.contains(&(field.to_string(), message.to_string())),
                "{found:?}"
            );
        }
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_meetings").await, 0);
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_series").await, 0);
    })
    .await;
}
