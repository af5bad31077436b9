//! The cadences over two years, the changes of summer time, holidays, and the edges of the
//! month (31st, fifth weekday). The same series are checked against Python's dateutil in
//! tests/cadence_dateutil.rs.

use chrono::{NaiveDate, TimeZone};

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn utc(y: i32, m: u32, d: u32, h: u32) -> i64 {
    chrono::Utc
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .unwrap()
        .timestamp_millis()
}

fn rule(cadence: Cadence, anchor: NaiveDate, weekday: u8, week: i8) -> Rule {
    Rule {
        weekday,
        week_of_month: WeekOfMonth(week),
        skip_holidays: false,
        ..Rule::proposed(cadence, anchor)
    }
}

#[test]
fn each_cadence_gives_its_number_of_meetings_over_two_years() {
    let from = date(2026, 1, 1);
    let to = date(2027, 12, 31);
    let count = |cadence| {
        rule(cadence, from, 2, 2)
            .slot_dates(from, to)
            .unwrap()
            .len()
    };
    // 729 days / 42 = 17.4: the anchor plus 17 more.
    assert_eq!(count(Cadence::Zeswekelijks), 18);
    assert_eq!(count(Cadence::Maandelijks), 24);
    assert_eq!(count(Cadence::VijfmaalPerJaar), 10);
    assert_eq!(count(Cadence::ViermaalPerJaar), 8);
    assert_eq!(count(Cadence::DriemaalPerJaar), 6);
    assert_eq!(count(Cadence::TweemaalPerJaar), 4);
    let none = rule(Cadence::OpAfroep, from, 2, 2).slot_dates(from, to);
    assert_eq!(none.unwrap_err().field, "cadence");
}

#[test]
fn the_second_tuesday_of_the_default_months() {
    let dates = rule(Cadence::DriemaalPerJaar, date(2026, 1, 1), 2, 2)
        .slot_dates(date(2026, 1, 1), date(2026, 12, 31))
        .unwrap();
    assert_eq!(
        dates,
        vec![date(2026, 2, 10), date(2026, 6, 9), date(2026, 10, 13)]
    );
}

#[test]
fn six_weeks_counts_from_the_anchor_not_from_the_window() {
    let series = rule(Cadence::Zeswekelijks, date(2026, 1, 13), 0, 0);
    // A window starting between two meetings gives the next one on the anchor's rhythm.
    let dates = series
        .slot_dates(date(2026, 3, 1), date(2026, 5, 31))
        .unwrap();
    assert_eq!(dates, vec![date(2026, 4, 7), date(2026, 5, 19)]);
    // Nothing before the anchor, and nothing after `until`.
    let ended = Rule {
        until: Some(date(2026, 4, 7)),
        ..series.clone()
    };
    let dates = ended
        .slot_dates(date(2025, 1, 1), date(2026, 12, 31))
        .unwrap();
    assert_eq!(
        dates,
        vec![date(2026, 1, 13), date(2026, 2, 24), date(2026, 4, 7)]
    );
}

#[test]
fn fourteen_hundred_stays_fourteen_hundred_across_both_changes_of_2026() {
    let series = rule(Cadence::Zeswekelijks, date(2026, 2, 16), 0, 0);
    let occurrences = series.expand(date(2026, 1, 1), date(2026, 12, 31)).unwrap();
    let at = |d: NaiveDate| {
        occurrences
            .iter()
            .find(|o| o.date == d)
            .unwrap_or_else(|| panic!("{d} in the series"))
            .instants
            .clone()
            .unwrap()
            .0
    };
    // Before 29/03/2026 (CET, +1) and after it (CEST, +2).
    assert_eq!(at(date(2026, 2, 16)), utc(2026, 2, 16, 13));
    assert_eq!(at(date(2026, 3, 30)), utc(2026, 3, 30, 12));
    // Before 25/10/2026 (CEST) and after it (CET).
    assert_eq!(at(date(2026, 9, 14)), utc(2026, 9, 14, 12));
    assert_eq!(at(date(2026, 10, 26)), utc(2026, 10, 26, 13));
    // The end is two hours after the start in wall time, whatever the season.
    for occurrence in &occurrences {
        let (start, end) = occurrence.instants.clone().unwrap();
        assert_eq!(end - start, 2 * 3_600_000, "{}", occurrence.date);
    }
}

#[test]
fn a_series_in_the_small_hours_meets_the_gap_and_the_fold() {
    // The last Sunday of March and October at 02:30: the first does not exist in Belgium, the
    // second happens twice.
    let series = Rule {
        months: vec![3, 10],
        start: "02:30".into(),
        end: "03:30".into(),
        ..rule(Cadence::TweemaalPerJaar, date(2026, 1, 1), 7, -1)
    };
    let occurrences = series.expand(date(2026, 1, 1), date(2026, 12, 31)).unwrap();
    assert_eq!(occurrences.len(), 2);
    assert_eq!(occurrences[0].date, date(2026, 3, 29));
    assert_eq!(
        occurrences[0].instants.clone().unwrap_err().message(),
        "Dit tijdstip bestaat niet in België: op 29/03/2026 gaat de klok van 02:00 naar 03:00."
    );
    assert_eq!(occurrences[1].date, date(2026, 10, 25));
    let (start, end) = occurrences[1].instants.clone().unwrap();
    // 02:30 summer time (the first pass) = 00:30 UTC; 03:30 winter time = 02:30 UTC.
    assert_eq!(start, utc(2026, 10, 25, 0) + 30 * 60_000);
    assert_eq!(end, utc(2026, 10, 25, 2) + 30 * 60_000);
}

#[test]
fn holidays_move_a_meeting_one_week_later_and_keep_the_slot() {
    // The first Monday of April 2026 is Easter Monday; the second Wednesday of November 2026
    // is 11 November.
    let mondays = Rule {
        skip_holidays: true,
        ..rule(Cadence::Maandelijks, date(2026, 3, 1), 1, 1)
    };
    let april = mondays.expand(date(2026, 4, 1), date(2026, 4, 30)).unwrap();
    assert_eq!(april.len(), 1);
    assert_eq!(april[0].slot_date, date(2026, 4, 6));
    assert_eq!(april[0].date, date(2026, 4, 13));
    assert_eq!(april[0].skipped, vec![Holiday::Paasmaandag]);

    let wednesdays = Rule {
        skip_holidays: true,
        ..rule(Cadence::Maandelijks, date(2026, 1, 1), 3, 2)
    };
    let november = wednesdays
        .expand(date(2026, 11, 1), date(2026, 11, 30))
        .unwrap();
    assert_eq!(november[0].date, date(2026, 11, 18));
    assert_eq!(november[0].skipped[0].name(), "Wapenstilstand");

    // Christmas 2025 is the last Thursday of December; a week later is New Year's Day.
    let thursdays = Rule {
        skip_holidays: true,
        ..rule(Cadence::Maandelijks, date(2025, 12, 1), 4, -1)
    };
    let december = thursdays
        .expand(date(2025, 12, 1), date(2025, 12, 31))
        .unwrap();
    assert_eq!(december[0].slot_date, date(2025, 12, 25));
    assert_eq!(december[0].date, date(2026, 1, 8));
    assert_eq!(
        december[0].skipped,
        vec![Holiday::Kerstmis, Holiday::Nieuwjaar]
    );

    // Without skipping, the holiday stays.
    let kept = Rule {
        skip_holidays: false,
        ..mondays
    };
    let april = kept.expand(date(2026, 4, 1), date(2026, 4, 30)).unwrap();
    assert_eq!(april[0].date, date(2026, 4, 6));
    assert!(april[0].skipped.is_empty());
}

#[test]
fn the_last_weekday_and_the_thirty_first() {
    // The last Saturday of January 2026 is the 31st, the last day of the window.
    let last_saturdays = rule(Cadence::Maandelijks, date(2026, 1, 1), 6, -1);
    let dates = last_saturdays
        .slot_dates(date(2026, 1, 1), date(2026, 1, 31))
        .unwrap();
    assert_eq!(dates, vec![date(2026, 1, 31)]);
    // A window ending on the 30th leaves it out.
    let dates = last_saturdays
        .slot_dates(date(2026, 1, 1), date(2026, 1, 30))
        .unwrap();
    assert!(dates.is_empty());
    // Last Mondays of May 2026 fall on Whit Monday, moved into June when skipping.
    let whit = Rule {
        skip_holidays: true,
        ..rule(Cadence::Maandelijks, date(2026, 5, 1), 1, -1)
    };
    let may = whit.expand(date(2026, 5, 1), date(2026, 5, 31)).unwrap();
    assert_eq!(may[0].slot_date, date(2026, 5, 25));
    assert_eq!(may[0].date, date(2026, 6, 1));
    // Every 42 days from a 31st: no month arithmetic to trip over.
    let from_31 = rule(Cadence::Zeswekelijks, date(2026, 1, 31), 0, 0);
    let dates = from_31
        .slot_dates(date(2026, 1, 1), date(2026, 5, 31))
        .unwrap();
    assert_eq!(
        dates,
        vec![date(2026, 1, 31), date(2026, 3, 14), date(2026, 4, 25)]
    );
    // December's last Thursday, across the year end.
    assert_eq!(
        nth_weekday(2026, 12, Weekday::Thu, WeekOfMonth::LAST),
        Some(date(2026, 12, 31))
    );
}

#[test]
fn a_fifth_weekday_only_in_months_that_have_one() {
    let fifth_thursdays = rule(Cadence::Maandelijks, date(2026, 1, 1), 4, 5);
    let dates = fifth_thursdays
        .slot_dates(date(2026, 1, 1), date(2026, 12, 31))
        .unwrap();
    assert_eq!(
        dates,
        vec![
            date(2026, 1, 29),
            date(2026, 4, 30),
            date(2026, 7, 30),
            date(2026, 10, 29),
            date(2026, 12, 31),
        ]
    );
    // February 2026 has four of every weekday.
    for weekday in [Weekday::Mon, Weekday::Sun] {
        assert_eq!(nth_weekday(2026, 2, weekday, WeekOfMonth(5)), None);
    }
    // A leap February has a fifth Sunday in 2032 (29/02/2032 is a Sunday).
    assert_eq!(
        nth_weekday(2032, 2, Weekday::Sun, WeekOfMonth(5)),
        Some(date(2032, 2, 29))
    );
}

#[test]
fn bad_rules_say_which_field_is_wrong() {
    let base = rule(Cadence::DriemaalPerJaar, date(2026, 1, 1), 2, 2);
    let wrong_months = Rule {
        months: vec![2, 6],
        ..base.clone()
    };
    assert_eq!(wrong_months.validate().unwrap_err().field, "months");
    let same_month_twice = Rule {
        months: vec![2, 2, 6],
        ..base.clone()
    };
    assert_eq!(
        same_month_twice.validate().unwrap_err().message,
        "Kies 3 verschillende maanden."
    );
    let backwards = Rule {
        start: "16:00".into(),
        end: "14:00".into(),
        ..base.clone()
    };
    assert_eq!(
        backwards.validate().unwrap_err().message,
        "Het einde moet na het begin liggen."
    );
    let no_weekday = Rule {
        weekday: 8,
        ..base.clone()
    };
    assert_eq!(no_weekday.validate().unwrap_err().field, "weekday");
    let sixth_week = Rule {
        week_of_month: WeekOfMonth(6),
        ..base
    };
    assert_eq!(sixth_week.validate().unwrap_err().field, "week_of_month");
}

#[test]
fn a_rule_reads_back_from_its_json() {
    let stored = Rule {
        until: Some(date(2027, 6, 30)),
        ..rule(Cadence::VijfmaalPerJaar, date(2026, 1, 5), 1, -1)
    };
    let json = stored.to_json();
    assert!(json.contains("\"cadence\":\"vijfmaal_per_jaar\""), "{json}");
    assert!(json.contains("\"week_of_month\":-1"), "{json}");
    assert!(json.contains("\"anchor\":\"2026-01-05\""), "{json}");
    assert_eq!(Rule::from_json(&json), Some(stored));
    assert_eq!(Rule::from_json("{}"), None);
}

#[test]
fn overdue_intervals_follow_the_cadence() {
    assert_eq!(overdue_after_days(Cadence::Zeswekelijks), Some(56));
    assert_eq!(overdue_after_days(Cadence::TweemaalPerJaar), Some(197));
    assert_eq!(overdue_after_days(Cadence::OpAfroep), None);
    for cadence in Cadence::ALL {
        assert_eq!(
            per_year(*cadence).unwrap_or(0),
            default_months(*cadence).len(),
            "{cadence:?}"
        );
    }
}
