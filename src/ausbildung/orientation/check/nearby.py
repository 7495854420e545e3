"""Places near the pupil for the check result: published training offers and open internships of each
suggested occupation within RADIUS_KM of the postcode in the pupil's seeker profile (`offers.SeekerProfile`),
and the school-leaving certificate the platform's own offers of an occupation ask for most often.

Bounded: one query for the profile, one aggregate query for the offers near the postcode (all occupations at
once), one for the internships near it, and one for the certificates of the chosen suggestions – never one
per suggestion. The rule (docs/domain.md, "Fit of a pupil to an occupation"): places near the pupil order the
suggestions *within* a band; they never move an occupation into a better band, and the certificate never
removes an occupation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from ausbildung.core import geo
from ausbildung.core.schools import Certificate
from ausbildung.offers.search import certificates_asked, offer_counts_near
from ausbildung.offers.selectors import seeker_profile_of

from ..internships.selectors import slot_counts_near

# The radius of "near you": 25 km, a trip a pupil can make by bus or train to a training company or to the
# vocational school each day (and one of the radii both searches offer).
RADIUS_KM = 25
# The certificate line is shown only when at least this many of the occupation's published offers name one.
MIN_OFFERS_FOR_CERTIFICATE = 3


@dataclass
class Nearby:
    """The pupil's place (None without a known postcode) and the counts near it per occupation id."""

    postcode: str = ""
    place: geo.Place | None = None
    offers: dict[int, int] = field(default_factory=dict)
    internships: dict[int, int] = field(default_factory=dict)
    radius_km: int = RADIUS_KM

    @property
    def known(self) -> bool:
        return self.place is not None

    def occupations_with_places(self) -> set[int]:
        return {pk for pk, n in self.offers.items() if n} | {pk for pk, n in self.internships.items() if n}

    def offers_url(self, occupation_id: int) -> str:
        return self._url("offers:search", occupation_id)

    def internships_url(self, occupation_id: int) -> str:
        return self._url("orientation:internships", occupation_id)

    def _url(self, name: str, occupation_id: int) -> str:
        query = urlencode({"beruf": occupation_id, "ort": self.postcode, "umkreis": self.radius_km})
        return f"{reverse(name)}?{query}"


def nearby_for(user) -> Nearby:
    """The counts near the postcode of the pupil's seeker profile; empty (not `known`) without one."""
    profile = seeker_profile_of(user)
    postcode = profile.postcode if profile else ""
    place = geo.lookup(postcode) if postcode else None
    if place is None:
        return Nearby()
    return Nearby(
        postcode=postcode,
        place=place,
        offers=offer_counts_near(place.lat, place.lon, RADIUS_KM),
        internships=slot_counts_near(place.lat, place.lon, RADIUS_KM),
    )


@dataclass(frozen=True)
class CertificateAsked:
    label: str  # the certificate's name
    count: int  # offers asking for it
    total: int  # offers of the occupation that name a certificate


def usual_certificates(occupation_ids: list[int]) -> dict[int, CertificateAsked]:
    """Per occupation: the certificate its published offers on the platform ask for most often, with the
    number of offers it rests on; left out below MIN_OFFERS_FOR_CERTIFICATE offers or on a tie."""
    usual: dict[int, CertificateAsked] = {}
    for occupation_id, counts in certificates_asked(occupation_ids).items():
        total = sum(counts.values())
        if total < MIN_OFFERS_FOR_CERTIFICATE:
            continue
        ranked = sorted(counts.items(), key=lambda item: -item[1])
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            continue
        certificate, count = ranked[0]
        usual[occupation_id] = CertificateAsked(str(Certificate(certificate).label), count, total)
    return usual
