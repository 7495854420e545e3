"""Who may see and do what in clearing rounds: the page rules (enforced by `core.permissions`), the object
scopes (which rounds a person runs or sees, which applicants a company sees) and the home-page areas.

The URLs are included by `transition.urls`, so their view names are `transition:clearing:<name>`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ausbildung.core.areas import register_areas
from ausbildung.core.models import Organisation, Region, Role, TrainingSite
from ausbildung.core.permissions import companies_for, only, organisations_for, register_rules, roles_of

from .models import ClearingRound

if TYPE_CHECKING:
    from ausbildung.core.permissions import AnyUser

NS = "transition:clearing"
ORGANISERS = (Role.CHAMBER_OFFICER, Role.COUNSELLOR)
COMPANY = (Role.COMPANY_ADMIN, Role.TRAINER)

RULES: dict = {
    # organisers: chamber officers (a chamber's round) and counsellors (a guidance agency's round)
    f"{NS}:round_list": only(*ORGANISERS),
    f"{NS}:round_create": only(*ORGANISERS),
    f"{NS}:round_detail": only(*ORGANISERS),
    f"{NS}:round_step": only(*ORGANISERS),
    # applicants: pupils of schools in the round's region
    f"{NS}:applicant_rounds": only(Role.PUPIL),
    f"{NS}:applicant_round": only(Role.PUPIL),
    f"{NS}:applicant_rank": only(Role.PUPIL),
    f"{NS}:applicant_result": only(Role.PUPIL),
    # companies: administrators and trainers of companies in the round's region
    f"{NS}:company_rounds": only(*COMPANY),
    f"{NS}:company_round": only(*COMPANY),
    f"{NS}:company_offer_rank": only(*COMPANY),
    f"{NS}:company_result": only(*COMPANY),
}

AREAS = [
    (
        "clearing_applicant",
        _("Clearing rounds for training places"),
        _("Still no training place? Rank the free places of your region and get one stable result."),
        f"{NS}:applicant_rounds",
        19,
    ),
    (
        "clearing_company",
        _("Clearing rounds for your free places"),
        _("Enter unfilled training places in a clearing round and rank the applicants."),
        f"{NS}:company_rounds",
        26,
    ),
    (
        "clearing_organiser",
        _("Run clearing rounds"),
        _("Match unplaced applicants and unfilled places of your region in one stable, verified round."),
        f"{NS}:round_list",
        27,
    ),
]


def register() -> None:
    from ausbildung.core.demo import register_demo

    from . import demo

    register_rules(RULES)
    register_demo(demo.load)
    register_areas(AREAS)


# --- object scopes: clearing rounds -----------------------------------------------------------------------------
#
# A round is run by its organiser: a chamber (its chamber officers) or a guidance agency (its counsellors).
# It covers a region (a Land or a Kreis) or, without one, the organiser's district. Pupils and companies see
# the rounds past the draft that cover the region of their school, company or training sites, and the rounds
# they take part in. Within a round a company sees only the applicants who listed one of its offers, with
# name, certificate and message (pupils are mostly minors; DSGVO Art. 5 Abs. 1 lit. c, Art. 8); the
# organiser sees figures and offers, not applicants' names.

CLEARING_ORGANISER_ROLES: dict[str, str] = {
    Role.CHAMBER_OFFICER: Organisation.Kind.CHAMBER,
    Role.COUNSELLOR: Organisation.Kind.GUIDANCE_AGENCY,
}


def clearing_organisers_for(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations whose clearing rounds the person runs: chambers (chamber officer), agencies (counsellor)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    condition = Q(pk__in=[])
    for role, kind in CLEARING_ORGANISER_ROLES.items():
        condition |= Q(pk__in=organisations_for(user, role).filter(kind=kind).values("pk"))
    return Organisation.objects.filter(condition)


def clearing_rounds_run_by(user: AnyUser) -> QuerySet[Any]:
    """Rounds the person runs (all statuses, drafts included)."""
    return ClearingRound.objects.filter(organiser__in=clearing_organisers_for(user))


def clearing_area(clearing_round: Any) -> QuerySet[Any]:
    """Regions a round covers: its region and the Kreise in it, or else the organiser's district."""
    if clearing_round.region_id is not None:
        return Region.objects.filter(Q(pk=clearing_round.region_id) | Q(parent_id=clearing_round.region_id))
    district = clearing_round.organiser.district.values("pk")
    return Region.objects.filter(Q(pk__in=district) | Q(parent__in=district))


def _rounds_covering(region_ids: set[int]) -> Q:
    """Rounds whose area holds one of the regions (ids of Kreise together with their Länder)."""
    return Q(region__in=region_ids) | Q(region__isnull=True, organiser__district__in=region_ids)


def _with_parents(region_ids: Iterable[int | None]) -> set[int]:
    ids = {pk for pk in region_ids if pk is not None}
    parents = Region.objects.filter(pk__in=ids, parent__isnull=False).values_list("parent_id", flat=True)
    return ids | set(parents)


def clearing_rounds_for_applicant(user: AnyUser) -> QuerySet[Any]:
    """Rounds a pupil may see: past the draft and covering the region of their school, or joined by them."""
    if not user.is_authenticated or Role.PUPIL not in roles_of(user):
        return ClearingRound.objects.none()
    regions = _with_parents(organisations_for(user, Role.PUPIL).values_list("region_id", flat=True))
    ids = (
        ClearingRound.objects.exclude(status=ClearingRound.Status.DRAFT)
        .filter(_rounds_covering(regions) | Q(participants__pupil=user))
        .values("pk")
    )
    return ClearingRound.objects.filter(pk__in=ids)


def clearing_rounds_for_company(user: AnyUser) -> QuerySet[Any]:
    """Rounds a company's administrators and trainers may see: past the draft and covering the region of
    the company or one of its training sites, or holding one of its offers."""
    if not user.is_authenticated:
        return ClearingRound.objects.none()
    companies = companies_for(user)
    regions = _with_parents(
        [
            *companies.values_list("region_id", flat=True),
            *TrainingSite.objects.filter(company__in=companies).values_list("region_id", flat=True),
        ]
    )
    ids = (
        ClearingRound.objects.exclude(status=ClearingRound.Status.DRAFT)
        .filter(_rounds_covering(regions) | Q(offers__offer__company__in=companies))
        .values("pk")
    )
    return ClearingRound.objects.filter(pk__in=ids)
