//! Our cadences against an independent oracle: Python's `dateutil.rrule` expands the same series
//! (written as RFC 5545 RRULEs here, by hand, not by the module) in Europe/Brussels, and both
//! must agree date by date and instant by instant, including the hour that does not exist in
//! March and the one that happens twice in October.
//!
//! Without python3 or python-dateutil the test prints "skipped" and passes, unless
//! `STEDEN_REQUIRE_ICAL=1` (CI) makes that a failure.

use std::process::Command;

use chrono::NaiveDate;
use serde_json::{json, Value};
use steden_werkgroepen::cadence::{Rule, WeekOfMonth};
use steden_werkgroepen::model::Cadence;

/// Expands each case with dateutil; prints, per case, `[date, start ms or null]` for every
/// occurrence from `from` to `to` (null: the wall time does not exist that day).
const ORACLE: &str = r#"
import json, sys
from datetime import date, datetime
from dateutil import tz
from dateutil.rrule import rrulestr

zone = tz.gettz("Europe/Brussels")
out = []
for case in json.loads(sys.stdin.read()):
    y, m, d = map(int, case["dtstart"].split("-"))
    hh, mm = map(int, case["time"].split(":"))
    rule = rrulestr(case["rrule"], dtstart=datetime(y, m, d, hh, mm, tzinfo=zone))
    low, high = date.fromisoformat(case["from"]), date.fromisoformat(case["to"])
    found = []
    for at in rule:
        if at.date() > high:
            break
        if at.date() < low:
            continue
        instant = int(at.timestamp() * 1000) if tz.datetime_exists(at) else None
        found.append([at.date().isoformat(), instant])
    out.append(found)
print(json.dumps(out))
"#;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

struct Case {
    rule: Rule,
    rrule: &'static str,
    from: NaiveDate,
    to: NaiveDate,
}

fn case(
    cadence: Cadence,
    anchor: NaiveDate,
    weekday: u8,
    week: i8,
    months: &[u32],
    start: &str,
    rrule: &'static str,
) -> Case {
    Case {
        rule: Rule {
            weekday,
            week_of_month: WeekOfMonth(week),
            months: months.to_vec(),
            start: start.into(),
            end: "23:59".into(),
            skip_holidays: false,
            ..Rule::proposed(cadence, anchor)
        },
        rrule,
        from: date(2026, 1, 1),
        to: date(2028, 12, 31),
    }
}

fn cases() -> Vec<Case> {
    use Cadence::*;
    let jan = date(2026, 1, 1);
    vec![
        // Every six weeks from a Monday in February: both changes of summer time in between.
        case(
            Zeswekelijks,
            date(2026, 2, 16),
            0,
            0,
            &[],
            "14:00",
            "FREQ=WEEKLY;INTERVAL=6",
        ),
        // Anchored on a 31st, with a window that starts later than the anchor.
        Case {
            from: date(2026, 6, 1),
            ..case(
                Zeswekelijks,
                date(2026, 1, 31),
                0,
                0,
                &[],
                "09:30",
                "FREQ=WEEKLY;INTERVAL=6",
            )
        },
        case(
            Maandelijks,
            jan,
            2,
            2,
            &[],
            "14:00",
            "FREQ=MONTHLY;BYDAY=+2TU",
        ),
        case(
            Maandelijks,
            jan,
            5,
            -1,
            &[],
            "14:00",
            "FREQ=MONTHLY;BYDAY=-1FR",
        ),
        // The fifth Thursday: months without one have no meeting in both.
        case(
            Maandelijks,
            jan,
            4,
            5,
            &[],
            "14:00",
            "FREQ=MONTHLY;BYDAY=+5TH",
        ),
        case(
            VijfmaalPerJaar,
            jan,
            3,
            3,
            &[2, 4, 6, 9, 11],
            "10:00",
            "FREQ=MONTHLY;BYMONTH=2,4,6,9,11;BYDAY=+3WE",
        ),
        case(
            ViermaalPerJaar,
            date(2026, 3, 15),
            1,
            1,
            &[2, 5, 9, 11],
            "14:00",
            "FREQ=MONTHLY;BYMONTH=2,5,9,11;BYDAY=+1MO",
        ),
        case(
            DriemaalPerJaar,
            jan,
            4,
            -1,
            &[2, 6, 10],
            "13:30",
            "FREQ=MONTHLY;BYMONTH=2,6,10;BYDAY=-1TH",
        ),
        // The last Sunday of March and October at 02:30: the gap and the fold themselves.
        case(
            TweemaalPerJaar,
            jan,
            7,
            -1,
            &[3, 10],
            "02:30",
            "FREQ=MONTHLY;BYMONTH=3,10;BYDAY=-1SU",
        ),
    ]
}

/// Our occurrences in the oracle's shape.
fn ours(case: &Case) -> Value {
    let occurrences = case.rule.expand(case.from, case.to).unwrap();
    Value::Array(
        occurrences
            .iter()
            .map(|o| {
                let instant = o.instants.as_ref().ok().map(|(start, _)| *start);
                json!([o.date.format("%Y-%m-%d").to_string(), instant])
            })
            .collect(),
    )
}

fn oracle(cases: &[Case]) -> Result<Value, String> {
    let input: Vec<Value> = cases
        .iter()
        .map(|c| {
            json!({
                "rrule": c.rrule,
                "dtstart": c.rule.anchor.format("%Y-%m-%d").to_string(),
                "time": c.rule.start,
                "from": c.from.format("%Y-%m-%d").to_string(),
                "to": c.to.format("%Y-%m-%d").to_string(),
            })
        })
        .collect();
    let mut child = Command::new("python3")
        .args(["-c", ORACLE])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("python3: {e}"))?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("piped");
        stdin
            .write_all(Value::Array(input).to_string().as_bytes())
            .map_err(|e| e.to_string())?;
    }
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    serde_json::from_slice(&output.stdout).map_err(|e| e.to_string())
}

#[test]
fn cadences_agree_with_dateutil_date_by_date_and_instant_by_instant() {
    let cases = cases();
    let expected = match oracle(&cases) {
        Ok(expected) => expected,
        Err(why) => {
            assert!(
                std::env::var("STEDEN_REQUIRE_ICAL").as_deref() != Ok("1"),
                "python3 with dateutil is required (STEDEN_REQUIRE_ICAL=1): {why}"
            );
            println!("skipped: no python3 with dateutil ({})", why.trim());
            return;
        }
    };
    for (index, case) in cases.iter().enumerate() {
        let ours = ours(case);
        let theirs = &expected[index];
        assert!(
            !ours.as_array().unwrap().is_empty(),
            "{}: the case gives dates",
            case.rrule
        );
        assert_eq!(&ours, theirs, "{} from {}", case.rrule, case.rule.anchor);
    }
    // The gap and the fold were really met: a null (no instant) in March, a number in October.
    let small_hours = expected.as_array().unwrap().last().unwrap();
    assert_eq!(small_hours[0], json!(["2026-03-29", null]));
    assert_eq!(small_hours[1][0], json!("2026-10-25"));
    assert!(small_hours[1][1].is_i64());
}
