"""The public calendar: published events with a date in the chosen range, filtered by distance from a postcode
(the platform's postcode table, core.geo), occupation, kind, target group, free places and words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from ausbildung.core import geo
from ausbildung.core.services import start_of_day

from .models import Event, EventDate, Registration

DEFAULT_RADIUS_KM = 25
MAX_RADIUS_KM = 300


@dataclass(frozen=True)
class Filters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    postcode: str = ""
    radius_km: int = DEFAULT_RADIUS_KM
    occupation: str = ""  # slug
    kind: str = ""
    audience: str = ""
    free_places: bool = False
    words: str = ""


@dataclass(frozen=True)
class Listed:
    event: Event
    dates: list[EventDate]
    distance_km: float | None


def published() -> QuerySet[Event]:
    return Event.objects.filter(published_at__isnull=False)


def calendar(filters: Filters, *, place: geo.Place | None = None) -> list[Listed]:
    """The events that match, soonest date first; `place` (the postcode's) orders nothing but filters by
    distance; an event online counts as near everyone."""
    first = start_of_day(filters.date_from or timezone.localdate())
    in_range = EventDate.objects.filter(event=OuterRef("pk"), ends_at__gte=first)
    dates = EventDate.objects.filter(ends_at__gte=first)
    if filters.date_to is not None:
        last = start_of_day(filters.date_to + dt.timedelta(days=1))
        in_range = in_range.filter(starts_at__lt=last)
        dates = dates.filter(starts_at__lt=last)
    events = (
        published()
        .filter(cancelled_at__isnull=True)
        .filter(Exists(in_range))
        .select_related("organiser")
        .prefetch_related(
            Prefetch("dates", queryset=dates.order_by("starts_at"), to_attr="shown_dates"), "dates"
        )
        .prefetch_related("occupations")
    )
    if filters.occupation:
        events = events.filter(occupations__slug=filters.occupation)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.free_places:
        held = Count("registrations", filter=Q(registrations__state__in=Registration.HOLDING), distinct=True)
        events = events.annotate(held=held).filter(Q(capacity__isnull=True) | Q(capacity__gt=F("held")))
    if filters.words:
        for word in filters.words.split()[:8]:
            events = events.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(city__icontains=word)
                | Q(organiser__name__icontains=word)
                | Q(occupations__name__icontains=word)
            )
    rows = []
    for event in events.distinct():
        if filters.audience and filters.audience not in (event.audiences or []):
            continue
        distance = None
        if place is not None:
            if event.online:
                distance = 0.0
            elif event.latitude is None or event.longitude is None:
                continue
            else:
                distance = geo.distance_km(place.lat, place.lon, event.latitude, event.longitude)
                if distance > filters.radius_km:
                    continue
        rows.append(Listed(event, list(event.shown_dates), distance))
    rows.sort(key=lambda row: (row.dates[0].starts_at if row.dates else first, row.event.pk))
    return rows


def organised_by(organisations) -> QuerySet[Event]:
    return Event.objects.filter(organiser__in=organisations).prefetch_related("dates").order_by("-pk")
