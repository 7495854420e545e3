"""The occupation explorer (Berufe entdecken): filters over the catalogue and the figures of an occupation.

Figures come from `data/occupation_figures.json`, each with source and year; a figure not in the file is
returned as None and shown as unknown, never estimated. Follow-up qualifications are derived from the
ordinances on higher vocational qualifications (`orientation.follow_up`), not from that file.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from ausbildung.core.models import Occupation, ProfilePosition
from ausbildung.core.schools import CERTIFICATE_LEVEL, Certificate
from ausbildung.core.selectors import occupation_search
from ausbildung.offers import pay
from ausbildung.offers.search import SearchParams, offer_search, public_offers, seeker_for
from ausbildung.offers.selectors import saved_occupations_of, seeker_profile_of

from .. import follow_up
from ..derive import load_lexicon
from ..models import InternshipSlot, OccupationInterestProfile
from ..riasec import DIMENSIONS

if TYPE_CHECKING:
    from ausbildung.offers.models import Offer

FIGURES_FILE = Path(settings.BASE_DIR) / "data" / "occupation_figures.json"
FIGURE_KEYS = ("school_certificate", "training_pay", "new_contracts", "dropout_rate")
WHAT_ONE_DOES_LINES = 8
NEAR_KM = 50
NEAR_LIMIT = 5

# "Bereich": the law the regulation recognises the occupation under (read from the regulation itself). We
# have no honest source for economic sectors per occupation, so the explorer offers this instead.
AREAS = {
    "hwo": ("hwo", "bbig+hwo"),  # crafts (Handwerk)
    "bbig": ("bbig", "bbig+hwo"),  # industry, trade, services, liberal professions, public service …
}


@cache
def figures_data() -> dict[str, Any]:
    return json.loads(FIGURES_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Figure:
    value: Any
    year: int | None
    source: str


def figures_for(occupation: Occupation) -> dict[str, Figure | None]:
    """Per figure key, the sourced figure or None (unknown)."""
    entry = figures_data().get("occupations", {}).get(occupation.slug, {})
    result: dict[str, Figure | None] = {}
    for key in FIGURE_KEYS:
        raw = entry.get(key)
        result[key] = (
            Figure(value=raw["value"], year=raw.get("year"), source=raw["source"])
            if raw and raw.get("source")
            else None
        )
    return result


def catalogue_names(*shown: Occupation) -> tuple[follow_up.CatalogueName, ...]:
    """The names of the current occupations (plus those shown, should one be an older version), by slug."""
    rows = (
        Occupation.objects.filter(Q(is_active=True) | Q(pk__in=[o.pk for o in shown]))
        .order_by("slug")
        .values_list("slug", "name", "name_male", "name_female", "duration_months")
    )
    return tuple(follow_up.CatalogueName(*row) for row in rows)


def follow_ups_for(
    occupation: Occupation, catalogue: tuple[follow_up.CatalogueName, ...] | None = None
) -> list[tuple[follow_up.Ordinance, list[follow_up.Link]]]:
    """The follow-up qualifications of the occupation, one entry per ordinance with every reason it is linked.

    Derived from the ordinance texts over the whole catalogue (so that of two overlapping names only the
    longer one counts); an empty list means none found, not that there are none."""
    links = follow_up.catalogue_links(catalogue or catalogue_names(occupation))
    return follow_up.group_by_ordinance(links.get(occupation.slug, ()))


def class_follow_ups_for(
    occupation: Occupation, catalogue: tuple[follow_up.CatalogueName, ...] | None = None
) -> list[follow_up.Link]:
    """The follow-up qualifications whose admission section names a class this occupation belongs to
    ("einen anerkannten kaufmännischen Ausbildungsberuf"), newest first, one per ordinance; those that name the
    occupation itself are in `follow_ups_for`, not here."""
    links = follow_up.catalogue_class_links(catalogue or catalogue_names(occupation))
    return list(links.get(occupation.slug, ()))


def pay_context() -> list[dict[str, Any]]:
    """Pay figures that hold for all occupations (collective average), with source and year."""
    return list(figures_data().get("all_occupations", {}).get("training_pay_collective_average", []))


def minimum_pay_now() -> pay.MinimumPay | None:
    return pay.minimum_pay(timezone.localdate().year)


def explorer_search(
    *, query: str = "", letters: str = "", area: str = "", certificate: str = ""
) -> QuerySet[Occupation]:
    """Current occupations matching the text, whose interest code holds every chosen letter, in the area,
    and (with a certificate) with an open place on this platform for that certificate."""
    occupations = occupation_search(query).select_related("interest_profile")
    for letter in letters:
        occupations = occupations.filter(interest_profile__code__contains=letter)
    if area in AREAS:
        occupations = occupations.filter(recognised_under__in=AREAS[area])
    if certificate in CERTIFICATE_LEVEL:
        occupations = occupations.filter(pk__in=occupations_open_to(certificate))
    return occupations


def occupations_open_to(certificate: str) -> QuerySet[Offer, Any]:
    """Occupation ids with a public offer that has free places and welcomes this school certificate.

    The filter by certificate reads the platform's own offers (what companies here ask for), not national
    statistics: BBiG sets no school certificate as a condition of any training, and we have no sourced
    per-occupation figures on the certificates apprentices bring (see data/occupation_figures.json).
    An offer with no expected certificate welcomes every certificate; one that expects a certificate
    welcomes that one and every higher one (the same rule as the offer search).
    """
    level = CERTIFICATE_LEVEL[certificate]
    fitting = [value for value, lvl in CERTIFICATE_LEVEL.items() if lvl <= level]
    return (
        public_offers()
        .filter(places_taken__lt=F("places"))
        .filter(Q(certificate="") | Q(certificate__in=fitting))
        .values("occupation_id")
    )


def certificate_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Certificate.choices]


def clean_letters(values: list[str]) -> str:
    return "".join(d for d in DIMENSIONS if d in {v.upper() for v in values})


def profile_of(occupation: Occupation) -> OccupationInterestProfile | None:
    return OccupationInterestProfile.objects.filter(occupation=occupation).first()


def what_one_does(occupation: Occupation) -> list[str]:
    """The first lines of the Ausbildungsberufsbild, without the standard positions every regulation shares."""
    lexicon = load_lexicon()
    lines = ProfilePosition.objects.filter(occupation=occupation).order_by("position", "pk")
    return [line.text for line in lines if not lexicon.skips(line.text)][:WHAT_ONE_DOES_LINES]


def chart_data(profile: OccupationInterestProfile | None, label: str, names: dict) -> dict[str, Any]:
    scores = profile.scores if profile else dict.fromkeys(DIMENSIONS, 0.0)
    return {
        "labels": [f"{d} – {names[d]}" for d in DIMENSIONS],
        "label": label,
        "values": [round(scores[d] * 100) for d in DIMENSIONS],
    }


@dataclass
class Nearby:
    offers: list[Offer] = field(default_factory=list)
    internships: list[InternshipSlot] = field(default_factory=list)
    postcode: str = ""


def nearby(occupation: Occupation, user) -> Nearby:
    """Published offers for the occupation (near the pupil's postcode when they saved one) and internships."""
    profile = seeker_profile_of(user)
    postcode = profile.postcode if profile else ""
    params = SearchParams(
        occupation_id=occupation.pk, place=postcode, radius_km=NEAR_KM if postcode else None, sort="fit"
    )
    result = offer_search(params, seeker=seeker_for(user))
    internships = (
        InternshipSlot.objects.filter(
            occupation=occupation,
            status=InternshipSlot.Status.PUBLISHED,
            end_date__gte=timezone.localdate(),
        )
        .select_related("company", "site")
        .order_by("start_date", "pk")[:NEAR_LIMIT]
    )
    return Nearby(offers=list(result.offers[:NEAR_LIMIT]), internships=list(internships), postcode=postcode)


def saved_ids(user) -> set[int]:
    return set(saved_occupations_of(user).values_list("pk", flat=True))


def today() -> datetime.date:
    return timezone.localdate()
