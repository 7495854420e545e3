"""The campaign's calendar (issue #22, first part): an organiser publishes an event; the public calendar finds it by
postcode and radius, occupation, kind, target group and words, without JavaScript; the event page carries
schema.org Event JSON-LD; iCal per event and as a filtered feed parses with the icalendar library in
Europe/Berlin; bad input is refused in German with nothing saved."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ausbildung.campaigns import ical
from ausbildung.campaigns.models import Event
from ausbildung.core.models import AuditLog

BERLIN = ZoneInfo("Europe/Berlin")


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def publish_post(demo, **changes) -> dict:
    day = timezone.localdate() + dt.timedelta(days=40)
    from ausbildung.core.models import Organisation

    data = {
        "organiser": Organisation.objects.get(name__startswith="Demo-Industrie").pk,
        "kind": "speed_dating",
        "title": "Azubi-Speed-Dating St. Wendel",
        "description": "Zehn Minuten, ein Betrieb, eine Chance.",
        "street": "Schlossplatz 2",
        "postcode": "66606",
        "audiences": ["pupils_msa", "pupils_abitur"],
        "capacity": "200",
        "day_1": day.isoformat(),
        "from_1": "14:00",
        "to_1": "18:00",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_an_organiser_publishes_and_a_pupil_finds_it_by_postcode(client_for, demo):
    response = client_for("chamber_officer").post(reverse("campaigns:publish"), publish_post(demo))
    assert response.status_code == 302
    event = Event.objects.get(title="Azubi-Speed-Dating St. Wendel")
    assert event.city == "Sankt Wendel" and event.latitude is not None  # from the platform's postcode table
    assert AuditLog.objects.filter(action="campaigns.event_publish", target_id=str(event.pk)).exists()
    anonymous = Client()
    near = text(anonymous.get(reverse("campaigns:calendar"), {"plz": "66606", "umkreis": "10"}))
    assert "Azubi-Speed-Dating St. Wendel" in near and "0 km" in near
    far = text(anonymous.get(reverse("campaigns:calendar"), {"plz": "10115", "umkreis": "50"}))  # Berlin
    assert "Azubi-Speed-Dating St. Wendel" not in far
    assert "Azubi-Speed-Dating St. Wendel" in text(
        anonymous.get(reverse("campaigns:calendar"), {"q": "Wendel Speed"})
    )
    assert "Azubi-Speed-Dating St. Wendel" not in text(
        anonymous.get(reverse("campaigns:calendar"), {"fuer": "parents"})
    )
    assert "Azubi-Speed-Dating St. Wendel" not in text(
        anonymous.get(reverse("campaigns:calendar"), {"art": "fair"})
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"postcode": "99999"}, "Postleitzahl des Ortes"),
        ({"street": ""}, "Straße des Ortes"),
        ({"to_1": "13:00"}, "muss enden, nachdem er beginnt"),
        ({"day_1": "2020-01-01"}, "in der Vergangenheit"),
        ({"audiences": []}, "Dieses Feld ist zwingend erforderlich"),
    ],
)
def test_bad_events_are_refused_in_german(client_for, demo, changes, message):
    response = client_for("chamber_officer").post(reverse("campaigns:publish"), publish_post(demo, **changes))
    assert response.status_code == 400
    assert message in text(response)
    assert not Event.objects.filter(title="Azubi-Speed-Dating St. Wendel").exists()


def test_bad_filters_are_field_errors(demo):
    response = Client().get(reverse("campaigns:calendar"), {"plz": "00000"})
    assert response.status_code == 400 and "nicht in der Postleitzahlentabelle" in text(response)
    assert Client().get(reverse("campaigns:calendar"), {"umkreis": "-3"}).status_code == 400
    assert Client().get(reverse("campaigns:calendar"), {"von": "gestern"}).status_code == 400


def test_the_event_page_carries_schema_org_json_ld(client_for, demo):
    client_for("chamber_officer").post(reverse("campaigns:publish"), publish_post(demo))
    event = Event.objects.get(title="Azubi-Speed-Dating St. Wendel")
    page = Client().get(reverse("campaigns:event", args=[event.pk])).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "Event" and data["name"] == "Azubi-Speed-Dating St. Wendel"
    assert data["location"]["address"]["postalCode"] == "66606"
    assert data["startDate"].endswith(("+01:00", "+02:00"))  # local time with its offset
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["maximumAttendeeCapacity"] == 200


def test_ical_per_event_and_as_a_feed_parses_in_europe_berlin(client_for, demo):
    client_for("chamber_officer").post(reverse("campaigns:publish"), publish_post(demo))
    event = Event.objects.get(title="Azubi-Speed-Dating St. Wendel")
    body = Client().get(reverse("campaigns:event_ics", args=[event.pk])).content
    calendar = icalendar.Calendar.from_ical(body)
    [vevent] = list(calendar.walk("VEVENT"))
    starts = vevent.decoded("DTSTART")
    assert starts.tzinfo is not None and starts.utcoffset() in {dt.timedelta(hours=1), dt.timedelta(hours=2)}
    assert starts.astimezone(BERLIN).hour == 14
    assert str(vevent["SUMMARY"]) == "Azubi-Speed-Dating St. Wendel"
    assert [c["TZID"] for c in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    # the filtered feed: the same event, and it shows as cancelled once cancelled
    feed = Client().get(reverse("campaigns:feed"), {"plz": "66606", "umkreis": "10"}).content
    summaries = [str(c["SUMMARY"]) for c in icalendar.Calendar.from_ical(feed).walk("VEVENT")]
    assert "Azubi-Speed-Dating St. Wendel" in summaries
    client_for("chamber_officer").post(reverse("campaigns:cancel", args=[event.pk]))
    single = icalendar.Calendar.from_ical(
        Client().get(reverse("campaigns:event_ics", args=[event.pk])).content
    )
    assert str(single.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert "Azubi-Speed-Dating St. Wendel" not in text(Client().get(reverse("campaigns:calendar")))


def test_folding_and_escaping_of_rfc_5545():
    long_title = "Ausbildungsmesse " + "Überlänge " * 20 + "; mit, Sonderzeichen\\"
    text_ = ical.calendar(
        [
            ical.Entry(
                uid="x@y",
                starts=dt.datetime(2027, 6, 1, 10, tzinfo=BERLIN),
                ends=dt.datetime(2027, 6, 1, 12, tzinfo=BERLIN),
                summary=long_title,
            )
        ]
    )
    assert all(len(line.encode()) <= 75 for line in text_.split("\r\n"))
    parsed = icalendar.Calendar.from_ical(text_.encode())
    assert str(parsed.walk("VEVENT")[0]["SUMMARY"]) == long_title


def test_only_the_organisers_members_cancel(client_for, demo):
    client_for("chamber_officer").post(reverse("campaigns:publish"), publish_post(demo))
    event = Event.objects.get(title="Azubi-Speed-Dating St. Wendel")
    assert client_for("teacher").post(reverse("campaigns:cancel", args=[event.pk])).status_code == 404
    event.refresh_from_db()
    assert event.cancelled_at is None


def test_dates_far_out_are_a_field_error_not_a_crash(demo):
    for params in ({"von": "0001-01-01"}, {"bis": "9999-12-31"}):
        response = Client().get(reverse("campaigns:calendar"), params)
        assert response.status_code == 400 and "zwischen 2000 und 2100" in text(response)
    assert Client().get(reverse("campaigns:feed"), {"bis": "9999-12-31"}).status_code == 404


def test_a_lone_carriage_return_cannot_add_a_property():
    text_ = ical.calendar(
        [
            ical.Entry(
                uid="x@y",
                starts=dt.datetime(2027, 6, 1, 10, tzinfo=BERLIN),
                ends=dt.datetime(2027, 6, 1, 12, tzinfo=BERLIN),
                summary="Messe",
                description="x\rATTACH:https://example.org/evil",
            )
        ]
    )
    [vevent] = list(icalendar.Calendar.from_ical(text_.encode()).walk("VEVENT"))
    assert "ATTACH" not in vevent and "ATTACH" in str(vevent["DESCRIPTION"])
