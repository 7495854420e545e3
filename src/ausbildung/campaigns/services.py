"""Writes of the campaign: an organiser publishes or cancels an event. Checked, audited, never silently changed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ausbildung.core import geo
from ausbildung.core.models import Occupation, Organisation, User
from ausbildung.core.services import audit_record

from . import access
from .models import Event, EventDate

MAX_DATES = 20


def event_publish(
    *,
    actor: User,
    organiser: Organisation,
    kind: str,
    title: str,
    description: str,
    online: bool,
    street: str,
    postcode: str,
    city: str,
    audiences: list[str],
    occupations: list[Occupation],
    capacity: int | None,
    accessibility: str,
    contact_email: str,
    contact_phone: str,
    dates: list[tuple[dt.datetime, dt.datetime]],
) -> Event:
    if not access.organisations_that_may_organise(actor).filter(pk=organiser.pk).exists():
        raise PermissionDenied
    errors: dict[str, str] = {}
    now = timezone.now()
    if not dates:
        errors["dates"] = _("Give at least one date.")
    elif len(dates) > MAX_DATES:
        errors["dates"] = _("At most %(n)s dates per event.") % {"n": MAX_DATES}
    for starts, ends in dates:
        if ends <= starts:
            errors["dates"] = _("Each date must end after it begins.")
        elif ends < now:
            errors["dates"] = _("A date in the past cannot be published.")
    place = None
    if not online:
        place = geo.lookup(postcode) if postcode else None
        if place is None:
            errors["postcode"] = _(
                "Give the postcode of the place (five digits), or mark the event as online."
            )
        if not street.strip():
            errors["street"] = _("Give the street of the place, or mark the event as online.")
    if kind not in Event.Kind.values:
        errors["kind"] = _("Choose the kind of event.")
    unknown = [a for a in audiences if a not in Event.Audience.values]
    if not audiences or unknown:
        errors["audiences"] = _("Choose at least one target group.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        event = Event.objects.create(
            organiser=organiser,
            created_by=actor,
            kind=kind,
            title=title.strip(),
            description=description.strip(),
            online=online,
            street="" if online else street.strip(),
            postcode="" if online else postcode,
            city="" if online else (city.strip() or (place.name if place else "")),
            latitude=place.lat if place else None,
            longitude=place.lon if place else None,
            audiences=audiences,
            capacity=capacity,
            accessibility=accessibility.strip(),
            contact_email=contact_email.strip(),
            contact_phone=contact_phone.strip(),
            published_at=now,
        )
        event.occupations.set(occupations)
        EventDate.objects.bulk_create(EventDate(event=event, starts_at=s, ends_at=e) for s, e in dates)
        audit_record(actor=actor, action="campaigns.event_publish", target=event, summary=event.title[:200])
    return event


def event_cancel(*, actor: User, event: Event) -> Event:
    if not access.organisations_that_may_organise(actor).filter(pk=event.organiser_id).exists():
        raise PermissionDenied
    if event.cancelled_at is None:
        event.cancelled_at = timezone.now()
        event.save(update_fields=["cancelled_at", "updated_at"])
        audit_record(actor=actor, action="campaigns.event_cancel", target=event)
    return event
