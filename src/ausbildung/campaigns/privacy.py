"""Personal data of the campaign: an event names the organisation, never a person on its page; the member who
published it is kept as `created_by` (who acted), removed on an erasure request. Event dates hold no person."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Max

from ausbildung.core.privacy import PersonalData, register_not_personal, register_personal_data
from ausbildung.core.privacy.rows import links, links_count, rows
from ausbildung.core.services import add_months

from .models import Event, Registration

STAFF_LINKS = [(Event, "created_by")]
KEEP_MONTHS = (
    12  # registrations are kept a year after the event's last date (platform default; reach figures)
)


def _registrations(person: Any):
    return Registration.objects.filter(person=person).order_by("pk")


def _erase_expired(today: datetime.date, dry_run: bool) -> int:
    cutoff = add_months(today, -KEEP_MONTHS)
    old = Registration.objects.annotate(last=Max("event__dates__ends_at")).filter(last__date__lt=cutoff)
    ids = list(old.values_list("pk", flat=True))
    return len(ids) if dry_run else Registration.objects.filter(pk__in=ids).delete()[0]


def _erase(person: Any, today) -> int:
    return Event.objects.filter(created_by=person).update(created_by=None)


def register() -> None:
    register_personal_data(
        PersonalData(
            key="campaigns",
            models=("campaigns.Event",),
            label="Campaign events: who published an event for their organisation",
            label_de="Veranstaltungen: wer eine Veranstaltung für die Organisation veröffentlicht hat",
            purpose="Know who acted for the organisation (the audit log names the same)",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. f (the organisation's interest in knowing who published)",
            seen_by="platform administrators (the page names the organisation only)",
            retention="as long as the event; removed on request",
            retention_source="platform default",
            link="row.created_by",
            export_how="JSON of the links",
            erase_how="the link is removed (the event stays, it belongs to the organisation)",
            count=lambda person: links_count(person, STAFF_LINKS),
            export=lambda person: (
                {"published_events": links(person, STAFF_LINKS)} if links_count(person, STAFF_LINKS) else {}
            ),
            erase=_erase,
            order=70,
        )
    )
    register_personal_data(
        PersonalData(
            key="campaigns_registrations",
            models=("campaigns.Registration",),
            label="Registrations for campaign events: which event, state (confirmed, waiting, offered, cancelled), "
            "check-in code and time",
            label_de="Anmeldungen zu Veranstaltungen: Veranstaltung, Status, Einlasscode, Einlasszeit",
            purpose="Hold and manage a place at an event; check in at the door",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. b (the person asked for the place)",
            seen_by="the person; the members of the organising organisation (names, state, check-in)",
            retention=f"{KEEP_MONTHS} months after the event's last date",
            retention_source="platform default (the reach of the campaign is counted within a year)",
            link="row.person",
            export_how="JSON of the rows",
            erase_how="deleted on request and when the period ends",
            count=lambda person: _registrations(person).count(),
            export=lambda person: (
                {"registrations": rows(_registrations(person))} if _registrations(person).exists() else {}
            ),
            erase=lambda person, today: _registrations(person).delete()[0],
            erase_expired=_erase_expired,
            order=71,
        )
    )
    register_not_personal({"campaigns.EventDate": "the dates of an event, no persons"})
