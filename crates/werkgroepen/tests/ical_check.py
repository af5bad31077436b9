"""Reads iCalendar objects written by the werkgroepen module with an independent parser
(Python's `icalendar`) and prints, as JSON, what a calendar client would take from them.

Input on stdin: a JSON list of iCalendar texts. Output: a JSON list, one object per calendar,
with its METHOD, the VTIMEZONE check and every VEVENT's fields. For each event's start and end,
the offset given by the calendar's own VTIMEZONE block (built from its rules, not looked up by
TZID) is compared with the tz database (zoneinfo) at that moment: `vtimezone_agrees`.
Used by crates/werkgroepen/tests/ical.rs.
"""
import json
import sys
from datetime import timezone
from zoneinfo import ZoneInfo

import icalendar

BRUSSELS = ZoneInfo("Europe/Brussels")


def ms(dt):
    return int(dt.astimezone(timezone.utc).timestamp() * 1000)


def person(prop):
    if prop is None:
        return None
    return {
        "email": str(prop).removeprefix("mailto:").removeprefix("MAILTO:"),
        "cn": str(prop.params.get("CN", "")),
        "rsvp": str(prop.params.get("RSVP", "")),
    }


def main():
    out = []
    for text in json.loads(sys.stdin.read()):
        cal = icalendar.Calendar.from_ical(text)
        zones = cal.walk("VTIMEZONE")
        # The block itself, built from its RRULEs, not the TZID looked up in the tz database.
        block = zones[0].to_tz(lookup_tzid=False) if zones else None
        events = []
        agrees = True
        for ev in cal.walk("VEVENT"):
            fields = {}
            for name in ("DTSTART", "DTEND"):
                prop = ev.get(name)
                value = prop.dt
                tzid = prop.params.get("TZID")
                fields[name.lower() + "_ms"] = ms(value)
                fields[name.lower() + "_tzid"] = str(tzid) if tzid else None
                fields[name.lower() + "_local"] = value.strftime("%Y-%m-%dT%H:%M")
                if tzid:
                    naive = value.replace(tzinfo=None)
                    by_block = naive.replace(tzinfo=block).utcoffset() if block else None
                    by_tzdata = naive.replace(tzinfo=BRUSSELS).utcoffset()
                    if by_block != by_tzdata or ms(value) != ms(naive.replace(tzinfo=BRUSSELS)):
                        agrees = False
            attendees = ev.get("ATTENDEE")
            if attendees is None:
                attendees = []
            elif not isinstance(attendees, list):
                attendees = [attendees]
            fields.update(
                {
                    "uid": str(ev.get("UID")),
                    "sequence": int(ev.get("SEQUENCE", 0)),
                    "status": str(ev.get("STATUS", "")),
                    "summary": str(ev.get("SUMMARY", "")),
                    "location": str(ev.get("LOCATION", "")),
                    "description": str(ev.get("DESCRIPTION", "")),
                    "url": str(ev.get("URL", "")),
                    "dtstamp_ms": ms(ev.decoded("DTSTAMP")),
                    "organizer": person(ev.get("ORGANIZER")),
                    "attendees": [person(a) for a in attendees],
                }
            )
            events.append(fields)
        out.append(
            {
                "method": str(cal.get("METHOD", "")),
                "version": str(cal.get("VERSION", "")),
                "prodid": str(cal.get("PRODID", "")),
                "calname": str(cal.get("X-WR-CALNAME", "")),
                "refresh": str(cal.get("REFRESH-INTERVAL", "").to_ical().decode()) if cal.get("REFRESH-INTERVAL") else "",
                "vtimezone_tzids": [str(z.get("TZID")) for z in zones],
                "vtimezone_agrees": agrees,
                "events": events,
            }
        )
    print(json.dumps(out, ensure_ascii=False))


main()
