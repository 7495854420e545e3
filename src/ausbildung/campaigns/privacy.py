"""Personal data of the campaign: an event names the organisation, never a person on its page; the member who
published it is kept as `created_by` (who acted), removed on an erasure request. Event dates hold no person."""

from __future__ import annotations

from typing import Any

from ausbildung.core.privacy import PersonalData, register_not_personal, register_personal_data
from ausbildung.core.privacy.rows import links, links_count

from .models import Event

STAFF_LINKS = [(Event, "created_by")]


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
    register_not_personal({"campaigns.EventDate": "the dates of an event, no persons"})
