"""How well an offer fits a young person: one documented function, a score and its reasons in words.

The score (0–100) adds four parts; each part's points and the reason shown come from the same rule:

============  ======  =====================================================================================
part          points  rule
============  ======  =====================================================================================
interest       0–40   40 × the strength (0–1) of the person's interest in the offer's occupation: 1 for an
                      occupation they saved; the orientation check can add graded strengths. No interests
                      recorded at all: 20 (we do not know, so neither reward nor punish).
distance       0–30   full points up to 5 km, falling linearly to 0 at 50 km; unknown distance: 15.
certificate    0–20   the offer expects nothing, or the person's certificate reaches the expected one: 20;
                      one level below: 8; further below: 0; the person's certificate unknown: 10.
places         0–10   10 while a place is free, else 0.
============  ======  =====================================================================================

Reasons are short German phrases addressed to the young person ("du"), e.g. "passt zu deinen Interessen",
"12 km entfernt", "Abschluss passt". The function is pure (no database), so the clearing round of the
transition app can use it as a companies' scoring rule, and `search.offer_search` sorts by the same
formula in SQL (a test keeps the two equal).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ausbildung.core.geo import distance_km

from .models import CERTIFICATE_LEVEL, Certificate

INTEREST_POINTS = 40
DISTANCE_POINTS = 30
CERTIFICATE_POINTS = 20
PLACES_POINTS = 10
# Distance: full points up to NEAR_KM, none from FAR_KM on, linear in between.
NEAR_KM = 5.0
FAR_KM = 50.0
CERTIFICATE_ONE_BELOW_POINTS = 8
DEADLINE_SOON_DAYS = 14


@dataclass(frozen=True)
class Seeker:
    """What we know of the young person; every field may be unknown."""

    interests: Mapping[int, float] = field(default_factory=dict)  # occupation id → strength 0..1
    certificate: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class OfferFacts:
    occupation_id: int
    certificate: str = ""
    latitude: float | None = None
    longitude: float | None = None
    free_places: int = 1
    deadline: datetime.date | None = None


@dataclass(frozen=True)
class Reason:
    code: str  # interest, distance, certificate, places, deadline
    text: str
    good: bool


@dataclass(frozen=True)
class Fit:
    score: int
    reasons: tuple[Reason, ...]
    distance_km: float | None


def distance_share(km: float) -> float:
    """Share (0..1) of the distance points for a distance in km."""
    return max(0.0, min(1.0, (FAR_KM - km) / (FAR_KM - NEAR_KM)))


def certificate_points(expected: str, held: str) -> int:
    if not expected:
        return CERTIFICATE_POINTS
    if not held:
        return CERTIFICATE_POINTS // 2
    gap = CERTIFICATE_LEVEL[expected] - CERTIFICATE_LEVEL[held]
    if gap <= 0:
        return CERTIFICATE_POINTS
    if gap == 1:
        return CERTIFICATE_ONE_BELOW_POINTS
    return 0


def interest_points(interests: Mapping[int, float], occupation_id: int) -> float:
    if not interests:
        return INTEREST_POINTS / 2
    return INTEREST_POINTS * max(0.0, min(1.0, interests.get(occupation_id, 0.0)))


def fit(seeker: Seeker, offer: OfferFacts, *, today: datetime.date) -> Fit:
    reasons: list[Reason] = []
    score = 0.0

    score += interest_points(seeker.interests, offer.occupation_id)
    strength = seeker.interests.get(offer.occupation_id, 0.0)
    if strength >= 1.0:
        reasons.append(Reason("interest", _("matches your interests"), True))
    elif strength > 0:
        reasons.append(Reason("interest", _("partly matches your interests"), True))

    km: float | None = None
    if None not in (seeker.latitude, seeker.longitude, offer.latitude, offer.longitude):
        km = distance_km(seeker.latitude, seeker.longitude, offer.latitude, offer.longitude)  # type: ignore[arg-type]
        score += DISTANCE_POINTS * distance_share(km)
        shown = max(1, round(km))
        reasons.append(
            Reason(
                "distance",
                ngettext("%(km)d km away", "%(km)d km away", shown) % {"km": shown},
                km <= FAR_KM,
            )
        )
    else:
        score += DISTANCE_POINTS / 2

    points = certificate_points(offer.certificate, seeker.certificate)
    score += points
    if not offer.certificate:
        reasons.append(Reason("certificate", _("no particular certificate required"), True))
    elif seeker.certificate:
        if points == CERTIFICATE_POINTS:
            reasons.append(Reason("certificate", _("your certificate fits"), True))
        else:
            expected = Certificate(offer.certificate).label
            reasons.append(
                Reason(
                    "certificate",
                    _("expected certificate: %(certificate)s") % {"certificate": expected},
                    False,
                )
            )

    if offer.free_places > 0:
        score += PLACES_POINTS
    else:
        reasons.append(Reason("places", _("all places are taken"), False))

    if offer.deadline is not None:
        days = (offer.deadline - today).days
        if days == 0:
            reasons.append(Reason("deadline", _("last day to apply is today"), False))
        elif 0 < days <= DEADLINE_SOON_DAYS:
            reasons.append(
                Reason(
                    "deadline",
                    ngettext("apply within %(days)d day", "apply within %(days)d days", days)
                    % {"days": days},
                    False,
                )
            )

    return Fit(score=round(score), reasons=tuple(reasons), distance_km=km)
