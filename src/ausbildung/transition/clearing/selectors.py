"""Reads of clearing rounds, each through a scope of `clearing.access` (a round outside it: 404)."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Aggregate, CharField, Count, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ausbildung.core.models import User
from ausbildung.core.permissions import companies_for
from ausbildung.offers import selectors as offer_selectors
from ausbildung.offers.models import Offer

from . import services
from .access import (
    clearing_area,
    clearing_rounds_for_applicant,
    clearing_rounds_for_company,
    clearing_rounds_run_by,
)
from .models import ApplicantChoice, ClearingRound, CompanyRanking, Participant, Result, RoundOffer

Status = ClearingRound.Status


def _get(rounds: QuerySet[ClearingRound], round_id: int) -> ClearingRound:
    clearing_round = rounds.select_related("organiser", "region").filter(pk=round_id).first()
    if clearing_round is None:
        raise Http404
    return clearing_round


# --- organiser -----------------------------------------------------------------------------------------------


def rounds_run_by(user: User) -> QuerySet[ClearingRound]:
    return (
        clearing_rounds_run_by(user)
        .select_related("organiser", "region")
        .annotate(
            offer_count=Count("offers", distinct=True), applicant_count=Count("participants", distinct=True)
        )
        .order_by("-opens_on", "-id")
    )


def get_round_run_by(user: User, round_id: int) -> ClearingRound:
    return _get(clearing_rounds_run_by(user), round_id)


@dataclass(frozen=True)
class TimelineStep:
    label: Any
    planned: datetime.date | None
    done_at: datetime.datetime | None
    current: bool


def timeline(clearing_round: ClearingRound) -> list[TimelineStep]:
    """The round's steps with their planned dates and when each was taken."""
    status = clearing_round.status
    return [
        TimelineStep(_("Created (draft)"), None, clearing_round.created_at, status == Status.DRAFT),
        TimelineStep(
            _("Open for ranking"), clearing_round.opens_on, clearing_round.opened_at, status == Status.OPEN
        ),
        TimelineStep(
            _("Ranking closes"),
            clearing_round.ranking_closes_on,
            clearing_round.ranking_closed_at,
            status == Status.RANKING_CLOSED,
        ),
        TimelineStep(_("Result computed"), None, clearing_round.computed_at, status == Status.COMPUTED),
        TimelineStep(
            _("Result published"),
            clearing_round.result_published_on,
            clearing_round.published_at,
            status == Status.PUBLISHED,
        ),
    ]


def next_steps(clearing_round: ClearingRound) -> list[str]:
    """The steps the organiser can take now (the service checks the dates again)."""
    return {
        Status.DRAFT: ["open"],
        Status.OPEN: ["close"],
        Status.RANKING_CLOSED: ["compute"],
        Status.COMPUTED: ["compute", "publish"],
        Status.PUBLISHED: ["publish"],
    }[ClearingRound.Status(clearing_round.status)]


def round_offers_overview(clearing_round: ClearingRound) -> QuerySet[RoundOffer]:
    """The round's offers for the organiser: company, occupation, places, how many applicants chose each."""
    return (
        clearing_round.offers.select_related("offer", "offer__company", "offer__occupation")
        .annotate(chosen_by=Count("choices", distinct=True))
        .order_by("offer__company__name", "pk")
    )


def round_counts(clearing_round: ClearingRound) -> dict[str, int]:
    participants = clearing_round.participants.annotate(n=Count("choices"))
    return {
        "applicants": participants.count(),
        "applicants_with_choices": participants.filter(n__gt=0).count(),
        "offers": clearing_round.offers.count(),
        "places": sum(clearing_round.offers.values_list("capacity", flat=True)),
    }


# --- applicants ----------------------------------------------------------------------------------------------


def rounds_for_applicant(user: User) -> QuerySet[ClearingRound]:
    return (
        clearing_rounds_for_applicant(user)
        .select_related("organiser", "region")
        .prefetch_related(Prefetch("participants", Participant.objects.filter(pupil=user), to_attr="mine"))
        .order_by("-opens_on", "-id")
    )


def get_round_for_applicant(user: User, round_id: int) -> ClearingRound:
    return _get(clearing_rounds_for_applicant(user), round_id)


def participant_of(user: User, clearing_round: ClearingRound) -> Participant | None:
    return Participant.objects.filter(round=clearing_round, pupil=user).first()


def round_offers_for_applicant(clearing_round: ClearingRound) -> QuerySet[RoundOffer]:
    """What an applicant sees of each offer: the training place, company and place (no rankings)."""
    return clearing_round.offers.select_related(
        "offer", "offer__company", "offer__occupation", "offer__site"
    ).order_by("offer__occupation__name", "offer__company__name", "pk")


def choices_of(participant: Participant) -> QuerySet[ApplicantChoice]:
    return participant.choices.select_related(
        "round_offer__offer", "round_offer__offer__company", "round_offer__offer__occupation"
    ).order_by("rank")


def result_of(participant: Participant) -> Result | None:
    return (
        Result.objects.select_related(
            "round_offer__offer",
            "round_offer__offer__company",
            "round_offer__offer__occupation",
            "application",
        )
        .filter(participant=participant)
        .first()
    )


# Why an applicant did not get a choice ranked above their result, by the reason names of the engine's report
# (stored with the result, `Result.why_not_higher`). Only about the applicant themself: nothing about others.
WHY_NOT = {
    "not_ranked_by_offer": _("The company did not choose you for this place."),
    "offer_has_no_places": _("This offer had no place in the round."),
    "offer_full_with_applicants_ranked_higher": _("The places went to applicants the company ranked higher."),
    "offer_full_tie_lost_in_lottery": _(
        "The company gave you the same rank as the last applicant who got a place; the round's lottery decided."
    ),
    "company_group_full_with_applicants_ranked_higher": _(
        "The company's places went to applicants it ranked higher."
    ),
}
WHY_NOT_UNKNOWN = _("No reason was recorded.")


@dataclass(frozen=True)
class WhyNot:
    choice: int
    round_offer: RoundOffer | None
    reason: str
    text: Any


def why_not_higher(result: Result) -> list[WhyNot]:
    """The applicant's own higher choices (all when unplaced) with the reason each did not go to them."""
    entries = result.why_not_higher or []
    offers = RoundOffer.objects.select_related("offer__company", "offer__occupation").in_bulk(
        [entry["round_offer"] for entry in entries]
    )
    return [
        WhyNot(
            choice=entry["choice"],
            round_offer=offers.get(entry["round_offer"]),
            reason=entry["reason"],
            text=WHY_NOT.get(entry["reason"], WHY_NOT_UNKNOWN),
        )
        for entry in entries
    ]


# --- companies -----------------------------------------------------------------------------------------------


def rounds_for_company(user: User) -> QuerySet[ClearingRound]:
    return (
        clearing_rounds_for_company(user).select_related("organiser", "region").order_by("-opens_on", "-id")
    )


def get_round_for_company(user: User, round_id: int) -> ClearingRound:
    return _get(clearing_rounds_for_company(user), round_id)


def company_round_offers(user: User, clearing_round: ClearingRound) -> QuerySet[RoundOffer]:
    """The round's offers of the person's companies, with how many applicants chose each."""
    return (
        clearing_round.offers.filter(offer__company__in=companies_for(user))
        .select_related("offer", "offer__company", "offer__occupation")
        .annotate(chosen_by=Count("choices", distinct=True))
        .order_by("offer__company__name", "pk")
    )


def get_company_round_offer(user: User, clearing_round: ClearingRound, round_offer_id: int) -> RoundOffer:
    round_offer = company_round_offers(user, clearing_round).filter(pk=round_offer_id).first()
    if round_offer is None:
        raise Http404
    return round_offer


def eligible_offers(user: User, clearing_round: ClearingRound) -> QuerySet[Offer]:
    """Offers the person's companies can add: published here, a place free, in the round's region, for a
    chamber's round with that chamber competent, not in the round yet (the service checks all again)."""
    offers = Offer.objects.filter(
        company__in=companies_for(user),
        status=Offer.Status.PUBLISHED,
        source=Offer.Source.PLATFORM,
        site__region__in=clearing_area(clearing_round),
    ).exclude(clearing_entries__round=clearing_round)
    if clearing_round.organiser.kind == clearing_round.organiser.Kind.CHAMBER:
        offers = offers.filter(chamber=clearing_round.organiser)
    ids = [offer.pk for offer in offers if offer.free_places > 0]
    return (
        Offer.objects.filter(pk__in=ids).select_related("occupation", "company").order_by("start_date", "pk")
    )


@dataclass(frozen=True)
class ApplicantRow:
    """What a company sees of an applicant for its offer: name, certificate, message and its own rank."""

    participant_id: int
    name: str
    certificate: str
    message: str
    rank: int | None
    score: int | None


def applicant_rows(round_offer: RoundOffer) -> list[ApplicantRow]:
    ranks = {
        ranking.participant_id: ranking
        for ranking in CompanyRanking.objects.filter(round_offer=round_offer).only(
            "participant_id", "rank", "score"
        )
    }
    rows = []
    for participant in (
        services.applicants_of(round_offer)
        .select_related("pupil")
        .order_by("pupil__last_name", "pupil__first_name", "pk")
    ):
        ranking = ranks.get(participant.pk)
        rows.append(
            ApplicantRow(
                participant_id=participant.pk,
                name=participant.pupil.get_full_name() or participant.pupil.username,
                certificate=participant.get_certificate_display(),
                message=participant.message,
                rank=ranking.rank if ranking else None,
                score=ranking.score if ranking else None,
            )
        )
    return rows


def company_results(user: User, clearing_round: ClearingRound) -> list[tuple[RoundOffer, list[Result], int]]:
    """Per offer of the person's companies: the applicants matched to it and the places left (after
    publication only)."""
    if clearing_round.status != Status.PUBLISHED:
        return []
    offers = list(company_round_offers(user, clearing_round))
    results = (
        Result.objects.filter(round_offer__in=offers)
        .select_related("participant__pupil", "application")
        .order_by("participant__pupil__last_name", "pk")
    )
    by_offer: dict[int, list[Result]] = {}
    for result in results:
        by_offer.setdefault(result.round_offer_id or 0, []).append(result)
    return [
        (round_offer, matched, round_offer.capacity - len(matched))
        for round_offer in offers
        for matched in [by_offer.get(round_offer.pk, [])]
    ]


def ranking_is_open(clearing_round: ClearingRound) -> bool:
    return clearing_round.status == Status.OPEN and timezone.localdate() <= clearing_round.ranking_closes_on


# --- facts for the monitoring (issue #19): grouped counts, no persons ----------------------------------------
# The tuple shape and its conventions: `offers.selectors` ("facts for the monitoring"); definitions in
# docs/domain.md, "Monitoring: platform measures". Only published rounds count (a result is final then), each
# by the reporting year (and month) of the day its result was published (`result_published_on`).


def _published_round_facts(
    rows: QuerySet[Any], measure_of: dict[str, Aggregate], keys: list[str]
) -> list[offer_selectors.Fact]:
    facts: list[offer_selectors.Fact] = []
    for monthly in (False, True):
        group = [*keys, "year"] + (["month"] if monthly else [])
        for row in rows.values(*group).annotate(**measure_of):
            when = offer_selectors.month_start(row["month"]) if monthly else None
            for measure in measure_of:
                if row[measure]:
                    facts.append(
                        (
                            measure,
                            row["year"],
                            when,
                            row["kreis"],
                            row.get("occupation"),
                            row["responsibility"],
                            row[measure],
                        )
                    )
    return facts


def monitoring_clearing_facts(kreise: Collection[str] | None = None) -> list[offer_selectors.Fact]:
    """Clearing rounds' placement, counted in published rounds:
    `clearing_participants` applicants who took part, in the Kreis of their seeker profile's postcode, else of
    the round's region when that is a Kreis, else ""; occupation None, responsibility the organiser's chamber
    kind ("" for a guidance agency).
    `clearing_offers` offers taking part and `clearing_places` their places in the round, and `clearing_placed`
    applicants assigned a place, each in the Kreis, occupation and competent chamber of the offer (training
    site's Kreis, else the company's)."""
    year = offer_selectors.reporting_year_of("round__result_published_on")
    month = TruncMonth("round__result_published_on")
    published = Q(round__status=ClearingRound.Status.PUBLISHED)
    offer_kreis = offer_selectors.kreis_code_of("offer__site__region", "offer__company__region")
    offers = (
        RoundOffer.objects.filter(published)
        .order_by()
        .annotate(
            year=year,
            month=month,
            kreis=offer_kreis,
            occupation=F("offer__occupation_id"),
            responsibility=Coalesce(F("offer__chamber__chamber_kind"), Value(""), output_field=CharField()),
        )
    )
    placed = (
        Result.objects.filter(published, round_offer__isnull=False)
        .order_by()
        .annotate(
            year=year,
            month=month,
            kreis=offer_selectors.kreis_code_of(
                "round_offer__offer__site__region", "round_offer__offer__company__region"
            ),
            occupation=F("round_offer__offer__occupation_id"),
            responsibility=Coalesce(
                F("round_offer__offer__chamber__chamber_kind"), Value(""), output_field=CharField()
            ),
        )
    )
    if kreise is not None:
        offers = offers.filter(kreis__in=list(kreise))
        placed = placed.filter(kreis__in=list(kreise))
    keys = ["kreis", "occupation", "responsibility"]
    facts = _published_round_facts(
        offers, {"clearing_offers": Count("pk"), "clearing_places": Sum("capacity")}, keys
    )
    facts += _published_round_facts(placed, {"clearing_placed": Count("pk")}, keys)
    facts += _participant_facts(kreise, year=year, month=month)
    return sorted(facts, key=lambda fact: (fact[0], fact[1], fact[2] or datetime.date.min, fact[3], fact[5]))


def _participant_facts(kreise, *, year, month) -> list[offer_selectors.Fact]:
    participants = (
        Participant.objects.filter(round__status=ClearingRound.Status.PUBLISHED)
        .order_by()
        .annotate(
            year=year,
            month=month,
            postcode=Coalesce(F("pupil__seeker__postcode"), Value(""), output_field=CharField()),
            round_kreis=offer_selectors.kreis_code_of("round__region"),
            responsibility=F("round__organiser__chamber_kind"),
        )
    )
    mapped = offer_selectors.kreise_of_postcodes(participants.values_list("postcode", flat=True).distinct())
    if kreise is not None:
        wanted = set(kreise)
        participants = participants.filter(
            Q(postcode__in=[code for code, kreis in mapped.items() if kreis in wanted])
            | (~Q(postcode__in=list(mapped)) & Q(round_kreis__in=list(wanted)))
        )
    totals: dict[tuple[int, datetime.date | None, str, str], int] = {}
    for monthly in (False, True):
        group = ["year", "postcode", "round_kreis", "responsibility"] + (["month"] if monthly else [])
        for row in participants.values(*group).annotate(n=Count("pk")):
            when = offer_selectors.month_start(row["month"]) if monthly else None
            kreis = mapped.get(row["postcode"]) or row["round_kreis"]
            cell = (row["year"], when, kreis, row["responsibility"])
            totals[cell] = totals.get(cell, 0) + row["n"]
    return [
        ("clearing_participants", year_, when, kreis, None, responsibility, n)
        for (year_, when, kreis, responsibility), n in totals.items()
    ]
