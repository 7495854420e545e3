"""Reads for internships; a company's slots and applications through the scopes in `orientation.access`.

`internship_search` is the public search: text, occupation field, place and radius, dates. The place is
resolved as the offer search does it (`offers.search.resolve_place`, i.e. `core.geo.resolve` with the
pupil's own postcode as the point the choices are sorted by); an ambiguous or unknown place lists no
internship, never all of them as if filtered by it.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.db.models import Count, ExpressionWrapper, F, FloatField, Q, QuerySet, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt
from django.http import Http404
from django.utils import timezone

from ausbildung.core import geo
from ausbildung.core.models import User
from ausbildung.core.search import normalise
from ausbildung.offers.search import resolve_place, seeker_for

from ..access import internship_application_side, internship_companies_for
from ..models import InternshipApplication, InternshipSlot

State = InternshipApplication.State


def public_slots(*, occupation_id: int | None = None) -> QuerySet[InternshipSlot]:
    """Published internships that have not started yet, soonest first."""
    slots = InternshipSlot.objects.filter(
        status=InternshipSlot.Status.PUBLISHED, start_date__gte=timezone.localdate()
    ).select_related("company", "site", "occupation")
    if occupation_id:
        slots = slots.filter(occupation_id=occupation_id)
    return slots.order_by("start_date", "id")


# At most this many internships are listed; the page asks to narrow the search beyond that.
RESULT_CAP = 200
MAX_RADIUS_KM = 200
MAX_WORDS = 8


@dataclass
class InternshipQuery:
    query: str = ""
    field: str = ""  # a RIASEC letter: the first letter of the occupation's interest code
    place: str = ""  # postcode or place name
    radius_km: int | None = None
    date_from: datetime.date | None = None
    date_until: datetime.date | None = None
    occupation_id: int | None = None


@dataclass
class InternshipResult:
    slots: list[InternshipSlot]
    more: bool  # more than RESULT_CAP matched
    place: geo.Resolution | None  # what the place query meant; without a place: None
    origin: geo.Place | None  # the place distances are measured from

    @property
    def searched(self) -> bool:
        """False when the place query named no place or several: then nothing was searched."""
        return self.place is None or self.place.place is not None


def site_distance(lat: float, lon: float) -> ExpressionWrapper:
    """Haversine distance in km from (lat, lon) to the internship's site, in SQL (as `geo.distance_km`)."""
    phi = Radians(F("site__latitude"))
    d_phi = Radians(F("site__latitude") - Value(lat))
    d_lambda = Radians(F("site__longitude") - Value(lon))
    a = Power(Sin(d_phi / 2), 2) + Value(math.cos(math.radians(lat))) * Cos(phi) * Power(Sin(d_lambda / 2), 2)
    return ExpressionWrapper(
        Value(2 * geo.EARTH_RADIUS_KM) * ASin(Sqrt(Least(Value(1.0), a))), output_field=FloatField()
    )


def _text_filter(slots: QuerySet[InternshipSlot], query: str) -> QuerySet[InternshipSlot]:
    """Every word in the occupation's names (normalised, with its common short names), the title, the
    occupational field, the company, the place or the description."""
    for word in query.split()[:MAX_WORDS]:
        folded = normalise(word)
        match = (
            Q(title__icontains=word)
            | Q(field__icontains=word)
            | Q(description__icontains=word)
            | Q(company__name__icontains=word)
            | Q(site__city__icontains=word)
        )
        if folded:
            match |= Q(occupation__search_text__contains=folded)
        slots = slots.filter(match)
    return slots


def slot_counts_near(lat: float, lon: float, radius_km: int) -> dict[int, int]:
    """Open internships (published, not started yet, as `public_slots`) of an occupation whose site lies
    within `radius_km` of (lat, lon), counted per occupation id, in one query. For the check result."""
    radius = min(radius_km, MAX_RADIUS_KM)
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(lat, lon, radius)
    rows = (
        InternshipSlot.objects.filter(
            status=InternshipSlot.Status.PUBLISHED,
            start_date__gte=timezone.localdate(),
            occupation__isnull=False,
            site__latitude__range=(min_lat, max_lat),
            site__longitude__range=(min_lon, max_lon),
        )
        .annotate(distance=site_distance(lat, lon))
        .filter(distance__lte=radius)
        .order_by()
        .values("occupation_id")
        .annotate(n=Count("id"))
        .values_list("occupation_id", "n")
    )
    return dict(rows)


def internship_search(params: InternshipQuery, *, user=None) -> InternshipResult:
    """Published internships that have not started yet and match every given filter.

    Dates: an internship matches when its period overlaps the chosen one (start ≤ until, end ≥ from).
    Place: measured from the site's coordinates; with a radius, only sites within it (sites without
    coordinates then drop out). With a place, the nearest first, else the soonest first.
    """
    resolution = None
    if params.place.strip():
        resolution = resolve_place(params.place, seeker_for(user))
        if resolution.place is None:
            return InternshipResult(slots=[], more=False, place=resolution, origin=None)
    slots = public_slots(occupation_id=params.occupation_id)
    if params.field:
        slots = slots.filter(occupation__interest_profile__code__startswith=params.field)
    if params.date_from:
        slots = slots.filter(end_date__gte=params.date_from)
    if params.date_until:
        slots = slots.filter(start_date__lte=params.date_until)
    if params.query.strip():
        slots = _text_filter(slots, params.query)
    origin = resolution.place if resolution is not None else None
    if origin is not None:
        slots = slots.annotate(distance=site_distance(origin.lat, origin.lon))
        if params.radius_km:
            radius = min(params.radius_km, MAX_RADIUS_KM)
            min_lat, max_lat, min_lon, max_lon = geo.bounding_box(origin.lat, origin.lon, radius)
            slots = slots.filter(
                site__latitude__range=(min_lat, max_lat),
                site__longitude__range=(min_lon, max_lon),
                distance__lte=radius,
            )
        slots = slots.order_by(F("distance").asc(nulls_last=True), "start_date", "id")
    rows = list(slots[: RESULT_CAP + 1])
    return InternshipResult(
        slots=rows[:RESULT_CAP], more=len(rows) > RESULT_CAP, place=resolution, origin=origin
    )


def get_slot_for(user: User, slot_id: int) -> InternshipSlot:
    """A published internship for everybody; drafts and closed ones for their company only."""
    slot = InternshipSlot.objects.select_related("company", "site", "occupation").filter(pk=slot_id).first()
    if slot is None:
        raise Http404
    if slot.status != InternshipSlot.Status.PUBLISHED and not (
        user.is_authenticated and internship_companies_for(user).filter(pk=slot.company_id).exists()
    ):
        raise Http404
    return slot


def slots_of_companies(user: User) -> QuerySet[InternshipSlot]:
    return (
        InternshipSlot.objects.filter(company__in=internship_companies_for(user))
        .select_related("company", "site", "occupation")
        .annotate(
            open_applications=Count("applications", filter=Q(applications__state=State.SENT)),
            accepted=Count(
                "applications", filter=Q(applications__state__in=[State.ACCEPTED, State.COMPLETED])
            ),
        )
        .order_by("-start_date", "-id")
    )


def get_company_slot_for(user: User, slot_id: int) -> InternshipSlot:
    slot = slots_of_companies(user).filter(pk=slot_id).first()
    if slot is None:
        raise Http404
    return slot


def applications_of(user: User) -> QuerySet[InternshipApplication]:
    return (
        InternshipApplication.objects.filter(pupil=user)
        .select_related("slot", "slot__company", "slot__site")
        .order_by("slot__start_date", "-id")
    )


def get_application_for(user: User, application_id: int) -> tuple[InternshipApplication, str]:
    application = (
        InternshipApplication.objects.select_related("slot", "slot__company", "slot__site", "pupil")
        .filter(pk=application_id)
        .first()
    )
    side = internship_application_side(user, application) if application else None
    if application is None or side is None:
        raise Http404
    return application, side
