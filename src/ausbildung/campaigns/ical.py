"""iCalendar (RFC 5545) for the campaign's events: one VEVENT per date, times in Europe/Berlin with its
VTIMEZONE (the EU rule since 1996: summer time from the last Sunday of March 02:00 to the last Sunday of October
03:00), lines folded at 75 octets, text escaped (RFC 5545 3.1, 3.3.11). A cancelled event stays in the feed with
STATUS:CANCELLED, so a subscribed calendar shows the cancellation (RFC 5545 3.8.1.11). Pure: plain values in,
text out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

PRODID = "-//ausbildung//Sommer der Berufsausbildung//DE"
TZID = "Europe/Berlin"
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


@dataclass(frozen=True)
class Entry:
    uid: str  # stable per date: "event-12-date-34@host"
    starts: dt.datetime  # local time in Europe/Berlin (naive or aware in that zone)
    ends: dt.datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    stamp: dt.datetime | None = None  # UTC


def escape(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # a lone CR would end the content line
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded: CRLF and a space, never inside a UTF-8 sequence."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not parts else 74  # continuation lines begin with a space
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _local(value: dt.datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


def calendar(entries: Iterable[Entry], *, name: str = "") -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape(name)}")
    lines += VTIMEZONE
    for entry in entries:
        stamp = (entry.stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{entry.uid}",
            f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
            f"DTSTART;TZID={TZID}:{_local(entry.starts)}",
            f"DTEND;TZID={TZID}:{_local(entry.ends)}",
            f"SUMMARY:{escape(entry.summary)}",
        ]
        if entry.description:
            lines.append(f"DESCRIPTION:{escape(entry.description)}")
        if entry.location:
            lines.append(f"LOCATION:{escape(entry.location)}")
        if entry.url:
            lines.append(f"URL:{entry.url}")
        lines.append(f"STATUS:{'CANCELLED' if entry.cancelled else 'CONFIRMED'}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
