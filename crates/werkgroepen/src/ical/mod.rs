//! iCalendar objects (RFC 5545, with the iTIP methods of RFC 5546) for meetings: invitations
//! (`METHOD:REQUEST`), cancellations (`METHOD:CANCEL`) and the personal feed
//! (`METHOD:PUBLISH`). Written by hand rather than with a crate because we need the fixed
//! `VTIMEZONE`, iTIP methods and exact folding (design §0, §3.7); checked by an independent
//! parser (Python `icalendar`) in tests/ical.rs.
//!
//! Each meeting is one `VEVENT` with its stable `UID` and its `SEQUENCE` (raised on every
//! change), so a calendar that holds it replaces it instead of keeping a copy.

pub mod text;
pub mod zone;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use text::{escape_text, param_value, push_line, uri_value};

/// Who we are in `PRODID`.
pub const PRODID: &str = "-//Kenniscentrum Vlaamse Steden//Stedenplatform//NL";

/// The name shown as the organiser.
pub const ORGANIZER_NAME: &str = "Kenniscentrum Vlaamse Steden";

/// The iTIP method of a calendar object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// An invitation or its update.
    Request,
    /// A cancellation.
    Cancel,
    /// A feed that calendars subscribe to.
    Publish,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
            Method::Publish => "PUBLISH",
        }
    }
}

/// A person in ORGANIZER or ATTENDEE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// One meeting as an event. Times are the stored wall times in Brussels and their instants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub uid: String,
    pub sequence: i64,
    pub local_date: String,
    pub local_start: String,
    pub local_end: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub url: String,
    pub cancelled: bool,
    /// The last change (`LAST-MODIFIED`), UTC ms.
    pub updated_at: i64,
    pub organizer: Option<Person>,
    /// The one recipient of an invitation; a feed names nobody (privacy, design §3.7).
    pub attendee: Option<Person>,
}

/// A whole calendar object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    pub method: Method,
    /// The feed's name (`X-WR-CALNAME`, with the refresh hints); `None` for an invitation.
    pub feed_name: Option<String>,
    /// `DTSTAMP` of every event: when this object was made (UTC ms).
    pub stamp: i64,
    pub events: Vec<Event>,
}

fn utc_stamp(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|at| at.format("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_else(|| "19700101T000000Z".to_string())
}

fn wall(date: &str, time: &str) -> Option<NaiveDateTime> {
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let time = NaiveTime::parse_from_str(time, "%H:%M").ok()?;
    Some(date.and_time(time))
}

/// `DTSTART`/`DTEND`: the wall time with `TZID=Europe/Brussels` when the fixed block and tzdata
/// agree on its instant (always, under today's rule), else the instant in UTC, which no
/// client can shift.
fn moment(name: &str, date: &str, time: &str, utc_ms: i64) -> String {
    match wall(date, time) {
        Some(wall) if zone::offset_agrees(wall, utc_ms) => format!(
            "{name};TZID={}:{}",
            zone::TZID,
            wall.format("%Y%m%dT%H%M%S")
        ),
        _ => format!("{name}:{}", utc_stamp(utc_ms)),
    }
}

fn push_event(out: &mut String, method: Method, stamp: i64, event: &Event) {
    push_line(out, "BEGIN:VEVENT");
    push_line(out, &format!("UID:{}", uri_value(&event.uid)));
    push_line(out, &format!("SEQUENCE:{}", event.sequence));
    push_line(out, &format!("DTSTAMP:{}", utc_stamp(stamp)));
    push_line(
        out,
        &format!("LAST-MODIFIED:{}", utc_stamp(event.updated_at)),
    );
    push_line(
        out,
        &moment(
            "DTSTART",
            &event.local_date,
            &event.local_start,
            event.starts_at,
        ),
    );
    push_line(
        out,
        &moment("DTEND", &event.local_date, &event.local_end, event.ends_at),
    );
    push_line(out, &format!("SUMMARY:{}", escape_text(&event.summary)));
    if !event.location.is_empty() {
        push_line(out, &format!("LOCATION:{}", escape_text(&event.location)));
    }
    if !event.description.is_empty() {
        push_line(
            out,
            &format!("DESCRIPTION:{}", escape_text(&event.description)),
        );
    }
    if !event.url.is_empty() {
        push_line(out, &format!("URL:{}", uri_value(&event.url)));
    }
    if let Some(organizer) = &event.organizer {
        push_line(
            out,
            &format!(
                "ORGANIZER;CN={}:mailto:{}",
                param_value(&organizer.name),
                uri_value(&organizer.email)
            ),
        );
    }
    if let Some(attendee) = &event.attendee {
        // RSVP=FALSE: replies come through the platform's link, not as iTIP mails.
        push_line(
            out,
            &format!(
                "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;RSVP=FALSE;CN={}:mailto:{}",
                param_value(&attendee.name),
                uri_value(&attendee.email)
            ),
        );
    }
    let status = if event.cancelled || method == Method::Cancel {
        "CANCELLED"
    } else {
        "CONFIRMED"
    };
    push_line(out, &format!("STATUS:{status}"));
    push_line(out, "TRANSP:OPAQUE");
    push_line(out, "END:VEVENT");
}

/// The calendar object as text, lines ending in CRLF.
pub fn write(calendar: &Calendar) -> String {
    let mut out = String::with_capacity(1024 + calendar.events.len() * 700);
    push_line(&mut out, "BEGIN:VCALENDAR");
    push_line(&mut out, "VERSION:2.0");
    push_line(&mut out, &format!("PRODID:{PRODID}"));
    push_line(&mut out, "CALSCALE:GREGORIAN");
    push_line(&mut out, &format!("METHOD:{}", calendar.method.as_str()));
    if let Some(name) = &calendar.feed_name {
        push_line(&mut out, &format!("X-WR-CALNAME:{}", escape_text(name)));
        push_line(&mut out, &format!("X-WR-TIMEZONE:{}", zone::TZID));
        push_line(&mut out, "REFRESH-INTERVAL;VALUE=DURATION:PT1H");
        push_line(&mut out, "X-PUBLISHED-TTL:PT1H");
    }
    for line in zone::VTIMEZONE {
        push_line(&mut out, line);
    }
    for event in &calendar.events {
        push_event(&mut out, calendar.method, calendar.stamp, event);
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

/// The address inside a sender such as `Stedenplatform <noreply@steden.be>`.
pub fn address_of(sender: &str) -> String {
    match (sender.rfind('<'), sender.rfind('>')) {
        (Some(open), Some(close)) if open < close => sender[open + 1..close].trim().to_string(),
        _ => sender.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::localtime;

    fn event() -> Event {
        let date = NaiveDate::from_ymd_opt(2026, 3, 30).unwrap();
        let at = |h| localtime::to_utc_ms(date, NaiveTime::from_hms_opt(h, 0, 0).unwrap());
        Event {
            uid: "m1@werkgroepen.stedenplatform".into(),
            sequence: 2,
            local_date: "2026-03-30".into(),
            local_start: "14:00".into(),
            local_end: "16:00".into(),
            starts_at: at(14).unwrap(),
            ends_at: at(16).unwrap(),
            summary: "Werkgroep GDPR: vergadering".into(),
            location: "Zaal 1, Gent; 2de verdieping".into(),
            description: "Agenda: https://x.test/a\nOnline: https://x.test/o".into(),
            url: "https://x.test/werkgroepen/gdpr/vergaderingen/m1".into(),
            cancelled: false,
            updated_at: 0,
            organizer: Some(Person {
                name: ORGANIZER_NAME.into(),
                email: "noreply@steden.test".into(),
            }),
            attendee: Some(Person {
                name: "Peeters, An".into(),
                email: "an@gent.test".into(),
            }),
        }
    }

    fn calendar(method: Method) -> String {
        write(&Calendar {
            method,
            feed_name: None,
            stamp: 1_790_000_000_000,
            events: vec![event()],
        })
    }

    #[test]
    fn an_invitation_has_the_lines_calendars_need() {
        let ics = calendar(Method::Request);
        let unfolded = ics.replace("\r\n ", "");
        for line in [
            "METHOD:REQUEST",
            "UID:m1@werkgroepen.stedenplatform",
            "SEQUENCE:2",
            "DTSTART;TZID=Europe/Brussels:20260330T140000",
            "DTEND;TZID=Europe/Brussels:20260330T160000",
            "LOCATION:Zaal 1\\, Gent\\; 2de verdieping",
            "ORGANIZER;CN=Kenniscentrum Vlaamse Steden:mailto:noreply@steden.test",
            "STATUS:CONFIRMED",
            "TZID:Europe/Brussels",
        ] {
            assert!(unfolded.contains(&format!("{line}\r\n")), "{line} in {ics}");
        }
        assert!(unfolded.contains("RSVP=FALSE;CN=\"Peeters, An\":mailto:an@gent.test"));
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
        assert!(
            !ics.replace("\r\n", "").contains('\n'),
            "only CRLF line ends"
        );
        assert!(ics.split("\r\n").all(|line| line.len() <= 75));
    }

    #[test]
    fn a_cancellation_says_so() {
        let ics = calendar(Method::Cancel);
        assert!(ics.contains("METHOD:CANCEL\r\n"));
        assert!(ics.contains("STATUS:CANCELLED\r\n"));
    }

    #[test]
    fn a_moment_the_block_cannot_state_is_written_in_utc() {
        let mut old = event();
        old.local_date = "1990-07-02".into();
        let date = NaiveDate::from_ymd_opt(1990, 7, 2).unwrap();
        old.starts_at =
            localtime::to_utc_ms(date, NaiveTime::from_hms_opt(14, 0, 0).unwrap()).unwrap();
        let ics = write(&Calendar {
            method: Method::Publish,
            feed_name: Some("Mijn werkgroepen".into()),
            stamp: 0,
            events: vec![old],
        });
        assert!(ics.contains("DTSTART:19900702T120000Z\r\n"), "{ics}");
        assert!(ics.contains("X-WR-CALNAME:Mijn werkgroepen\r\n"));
        assert!(ics.contains("REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"));
    }

    #[test]
    fn the_sender_address_is_taken_from_the_mailbox() {
        assert_eq!(
            address_of("Stedenplatform <noreply@steden.be>"),
            "noreply@steden.be"
        );
        assert_eq!(address_of("noreply@steden.be"), "noreply@steden.be");
    }
}
