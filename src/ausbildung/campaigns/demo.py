"""A summer of events in the demo region (`ausbildung demo`): a dozen events of the demo organisations from May to
October of the coming summer, and two in the next weeks, in the towns of the Saarland. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ausbildung.core import geo
from ausbildung.core.models import Occupation, Organisation, User

from .models import Event, EventDate

# (organiser key, kind, title, postcode or "" for online, month offset or None for "in n days", day, from, to,
#  audiences, capacity)
EVENTS = [
    (
        "ihk",
        "speed_dating",
        "Azubi-Speed-Dating Saarbrücken",
        "66111",
        5,
        14,
        "14:00",
        "18:00",
        ["pupils_msa", "pupils_abitur"],
        300,
    ),
    (
        "agentur",
        "fair",
        "Ausbildungsmesse Saarlouis",
        "66740",
        5,
        21,
        "09:00",
        "15:00",
        ["pupils_esa", "pupils_msa", "parents"],
        None,
    ),
    (
        "systemhaus",
        "open_day",
        "Tag der offenen Tür im Systemhaus",
        "66111",
        6,
        6,
        "10:00",
        "14:00",
        ["pupils_msa", "pupils_abitur", "parents"],
        40,
    ),
    (
        "tischlerei",
        "internship_day",
        "Schnuppertag in der Tischlerei",
        "66606",
        6,
        19,
        "08:00",
        "12:00",
        ["pupils_esa", "pupils_msa"],
        8,
    ),
    (
        "schule",
        "info_evening",
        "Elternabend: Wege in die Ausbildung",
        "66740",
        6,
        25,
        "18:30",
        "20:00",
        ["parents"],
        60,
    ),
    (
        "hwk",
        "fair",
        "Handwerk live: Berufe zum Anfassen",
        "66538",
        7,
        4,
        "10:00",
        "16:00",
        ["pupils_esa", "pupils_msa", "teachers"],
        None,
    ),
    (
        "ihk",
        "last_minute",
        "Last-Minute-Börse: freie Ausbildungsplätze",
        "66111",
        8,
        20,
        "13:00",
        "17:00",
        ["pupils_esa", "pupils_msa", "pupils_abitur"],
        150,
    ),
    (
        "agentur",
        "last_minute",
        "Nachvermittlung online",
        "",
        9,
        3,
        "16:00",
        "18:00",
        ["pupils_esa", "pupils_msa", "pupils_abitur"],
        None,
    ),
    (
        "hwk",
        "speed_dating",
        "Azubi-Speed-Dating Handwerk Homburg",
        "66424",
        9,
        10,
        "14:00",
        "17:00",
        ["pupils_esa", "pupils_msa"],
        120,
    ),
    (
        "ihk",
        "info_evening",
        "Infoabend Duales Studium und Ausbildung",
        "",
        10,
        1,
        "18:00",
        "19:30",
        ["pupils_abitur", "parents"],
        None,
    ),
    (
        "agentur",
        "info_evening",
        "Ausbildung statt Warteschleife: Infoabend",
        "66663",
        None,
        12,
        "18:00",
        "19:30",
        ["pupils_esa", "pupils_msa", "parents"],
        50,
    ),
    (
        "ihk",
        "fair",
        "Winter-Ausbildungsbörse Neunkirchen",
        "66538",
        None,
        26,
        "10:00",
        "15:00",
        ["pupils_msa", "pupils_abitur", "companies"],
        None,
    ),
]
STREETS = {
    "66111": "Am Markt 1",
    "66740": "Großer Markt 3",
    "66606": "Schlossplatz 2",
    "66538": "Stummplatz 4",
    "66424": "Am Forum 5",
    "66663": "Poststraße 12",
}


def _time(value: str) -> dt.time:
    hour, minute = value.split(":")
    return dt.time(int(hour), int(minute))


def load(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    if Event.objects.filter(title__in=[row[2] for row in EVENTS]).exists():
        return
    today = timezone.localdate()
    summer = today.year if today.month < 5 else today.year + 1
    it = Occupation.objects.filter(slug="fiausbv").first()
    for key, kind, title, postcode, month, day, start, end, audiences, capacity in EVENTS:
        organiser = organisations.get(key)
        if organiser is None:
            continue
        date = dt.date(summer, month, day) if month else today + dt.timedelta(days=day)
        place = geo.lookup(postcode) if postcode else None
        event = Event.objects.create(
            organiser=organiser,
            kind=kind,
            title=title,
            description=f"{title}: Ausbildungsbetriebe, Kammern und Berufsberatung stellen Berufe und freie Plätze vor.",
            online=not postcode,
            street=STREETS.get(postcode, ""),
            postcode=postcode,
            city=place.name if place else "",
            latitude=place.lat if place else None,
            longitude=place.lon if place else None,
            audiences=audiences,
            capacity=capacity,
            accessibility="Barrierefreier Zugang, Behinderten-WC." if postcode else "",
            contact_email="veranstaltungen@example.org",
            published_at=timezone.now(),
        )
        if it is not None and kind in {"speed_dating", "open_day", "fair"}:
            event.occupations.add(it)
        EventDate.objects.create(
            event=event,
            starts_at=timezone.make_aware(dt.datetime.combine(date, _time(start))),
            ends_at=timezone.make_aware(dt.datetime.combine(date, _time(end))),
        )
