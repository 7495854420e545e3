"""Writes of clearing rounds: the timeline, joining, offers, both sides' rankings, the computation and the
publication.

Keyword-only, atomic, audited (`core.services.audit_record`). Domain errors are `ValidationError`s keyed by
form field where there is one, with English source strings that name the rule (the German catalogue
translates them). Access (who may run a round, which round a pupil or company sees) is checked by the
selectors through `clearing.access`; these services check the round's own rules.

Timeline: a round is created as a draft; it opens on `opens_on` at the earliest; applicants join, rank and
companies add offers and rank only while it is open and `ranking_closes_on` has not passed; ranking is
closed from that day on; the result is computed after that and published from `result_published_on` on.

The matching itself (the round as arrays for `matching.engine`, the solution read back) is `market`; this
module writes its outcome.
"""

from __future__ import annotations

import dataclasses
import datetime
import secrets
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ausbildung.core.models import Organisation, Region, User
from ausbildung.core.services import audit_record
from ausbildung.offers import fit
from ausbildung.offers.models import Certificate, Offer
from ausbildung.offers.search import seeker_for
from ausbildung.offers.services import application_offer_matched

from .access import clearing_area
from .models import ApplicantChoice, ClearingRound, CompanyRanking, Participant, Result, RoundOffer

Status = ClearingRound.Status

# An applicant ranks at most this many offers (as in the DoSV of hochschulstart.de: at most 12 applications).
MAX_CHOICES = 12
# The scoring rule: the fit score (0–100, offers.fit) in bands of this many points; band 1 = 91–100 points,
# band 2 = 81–90 … Applicants in one band tie, and the round's lottery decides between them.
SCORE_BAND = 10


def score_rank(score: int) -> int:
    """The company rank the scoring rule gives a fit score: 1 for 91–100, 2 for 81–90, …, 11 for 0."""
    return 1 + (100 - max(0, min(100, score))) // SCORE_BAND


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


# --- the round and its timeline ------------------------------------------------------------------------------


@dataclass
class RoundInput:
    name: str
    opens_on: datetime.date
    ranking_closes_on: datetime.date
    result_published_on: datetime.date
    region: Region | None = None


def round_validate(*, organiser: Organisation, data: RoundInput, today: datetime.date) -> None:
    errors: dict[str, str] = {}
    if organiser.kind not in {Organisation.Kind.CHAMBER, Organisation.Kind.GUIDANCE_AGENCY}:
        errors["organiser"] = _("Only a chamber or a guidance agency can run a clearing round.")
    if not data.name.strip():
        errors["name"] = _("Please give the round a name.")
    if data.opens_on < today:
        errors["opens_on"] = _("A round cannot open in the past.")
    if data.ranking_closes_on < data.opens_on:
        errors["ranking_closes_on"] = _("Ranking cannot close before the round opens.")
    if data.result_published_on < data.ranking_closes_on:
        errors["result_published_on"] = _("The result cannot be published before ranking closes.")
    if data.region is not None:
        district = organiser.district.all()
        inside = district.filter(Q(pk=data.region.pk) | Q(parent=data.region)).exists() or (
            data.region.parent_id is not None and district.filter(pk=data.region.parent_id).exists()
        )
        if not inside:
            errors["region"] = _("The region must lie in the district of the organiser.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def round_create(
    *,
    actor: User | None,
    organiser: Organisation,
    data: RoundInput,
    seed: int | None = None,
    today: datetime.date | None = None,
) -> ClearingRound:
    """A new round in draft. The lottery seed is drawn now (or given) and recorded with the round."""
    round_validate(organiser=organiser, data=data, today=_today(today))
    clearing_round = ClearingRound.objects.create(
        organiser=organiser,
        name=data.name.strip(),
        region=data.region,
        opens_on=data.opens_on,
        ranking_closes_on=data.ranking_closes_on,
        result_published_on=data.result_published_on,
        seed=secrets.randbelow(2**31) if seed is None else seed,
        created_by=actor,
    )
    audit_record(
        actor=actor, action="clearing.round_create", target=clearing_round, summary=clearing_round.name
    )
    return clearing_round


def _locked(clearing_round: ClearingRound) -> ClearingRound:
    return ClearingRound.objects.select_for_update().get(pk=clearing_round.pk)


def _step(actor: User | None, clearing_round: ClearingRound, status: str, stamp: str) -> ClearingRound:
    old = clearing_round.status
    clearing_round.status = status
    setattr(clearing_round, stamp, timezone.now())
    clearing_round.save(update_fields=["status", stamp])
    audit_record(
        actor=actor,
        action=f"clearing.round_{status}",
        target=clearing_round,
        summary=clearing_round.name,
        changes={"status": [old, status]},
    )
    return clearing_round


@transaction.atomic
def round_open(
    *, actor: User | None, clearing_round: ClearingRound, today: datetime.date | None = None
) -> ClearingRound:
    clearing_round = _locked(clearing_round)
    day = _today(today)
    if clearing_round.status != Status.DRAFT:
        raise ValidationError(_("Only a round in draft can be opened."))
    if day < clearing_round.opens_on:
        raise ValidationError(
            _("The round opens on %(date)s according to its timeline; it cannot be opened earlier.")
            % {"date": _date(clearing_round.opens_on)}
        )
    if day > clearing_round.ranking_closes_on:
        raise ValidationError(
            _("The ranking deadline (%(date)s) has passed; this round can no longer be opened.")
            % {"date": _date(clearing_round.ranking_closes_on)}
        )
    return _step(actor, clearing_round, Status.OPEN, "opened_at")


def _require_ranking_open(clearing_round: ClearingRound, day: datetime.date) -> None:
    """Joining, adding offers and ranking: only while the round is open and its ranking deadline not past."""
    if clearing_round.status != Status.OPEN:
        raise ValidationError(_("This round is not open: joining, adding offers and ranking are closed."))
    if day > clearing_round.ranking_closes_on:
        raise ValidationError(
            _("Ranking in this round closed on %(date)s.") % {"date": _date(clearing_round.ranking_closes_on)}
        )


@transaction.atomic
def ranking_close(
    *, actor: User | None, clearing_round: ClearingRound, today: datetime.date | None = None
) -> ClearingRound:
    clearing_round = _locked(clearing_round)
    if clearing_round.status != Status.OPEN:
        raise ValidationError(_("Only an open round can close its ranking."))
    if _today(today) < clearing_round.ranking_closes_on:
        raise ValidationError(
            _("Ranking is open until %(date)s according to the timeline; it cannot be closed earlier.")
            % {"date": _date(clearing_round.ranking_closes_on)}
        )
    return _step(actor, clearing_round, Status.RANKING_CLOSED, "ranking_closed_at")


# --- applicants ----------------------------------------------------------------------------------------------


@transaction.atomic
def participant_join(
    *,
    actor: User,
    clearing_round: ClearingRound,
    certificate: str,
    message: str = "",
    today: datetime.date | None = None,
) -> Participant:
    """Sign a pupil up for the round; the companies see their name, certificate and message only."""
    clearing_round = _locked(clearing_round)
    _require_ranking_open(clearing_round, _today(today))
    errors: dict[str, str] = {}
    if certificate not in Certificate.values:
        errors["certificate"] = _("Choose your school-leaving certificate (achieved or expected).")
    if len(message) > 1000:
        errors["message"] = _("Your message can have at most 1,000 characters.")
    if errors:
        raise ValidationError(errors)
    if Participant.objects.filter(round=clearing_round, pupil=actor).exists():
        raise ValidationError(_("You have already joined this round."))
    participant = Participant.objects.create(
        round=clearing_round, pupil=actor, certificate=certificate, message=message.strip()
    )
    audit_record(actor=actor, action="clearing.join", target=participant, summary=str(clearing_round.pk))
    return participant


@transaction.atomic
def choices_save(
    *,
    actor: User,
    participant: Participant,
    ranks: Mapping[int, int | None],
    today: datetime.date | None = None,
) -> list[ApplicantChoice]:
    """Replace the applicant's ranking. `ranks` maps round-offer ids to rank numbers (None: not wanted).

    Ranks are strict: each number at most once; the order counts, not the numbers (1, 3, 7 is stored as
    1, 2, 3). At most MAX_CHOICES offers. Errors are keyed `offer_<id>` (the form's field names).
    """
    clearing_round = _locked(participant.round)
    _require_ranking_open(clearing_round, _today(today))
    offers = set(clearing_round.offers.values_list("pk", flat=True))
    chosen = {offer_id: rank for offer_id, rank in ranks.items() if rank is not None}
    errors: dict[str, str] = {}
    seen: dict[int, int] = {}
    for offer_id, rank in sorted(chosen.items()):
        key = f"offer_{offer_id}"
        if offer_id not in offers:
            errors[key] = _("This offer does not take part in the round.")
        elif rank < 1:
            errors[key] = _("A rank is a whole number from 1 upwards.")
        elif rank in seen:
            errors[key] = _("Rank %(rank)d is given twice: each rank may be given to one offer only.") % {
                "rank": rank
            }
        seen.setdefault(rank, offer_id)
    if len(chosen) > MAX_CHOICES:
        errors["__all__"] = _("You can rank at most %(count)d offers.") % {"count": MAX_CHOICES}
    if errors:
        raise ValidationError(errors)
    ordered = sorted(chosen, key=lambda offer_id: chosen[offer_id])
    participant.choices.all().delete()
    created = ApplicantChoice.objects.bulk_create(
        ApplicantChoice(participant=participant, round_offer_id=offer_id, rank=number)
        for number, offer_id in enumerate(ordered, start=1)
    )
    audit_record(
        actor=actor,
        action="clearing.choices",
        target=participant,
        summary=",".join(str(offer_id) for offer_id in ordered),
    )
    return created


# --- companies -----------------------------------------------------------------------------------------------


def offer_eligibility_errors(*, clearing_round: ClearingRound, offer: Offer) -> list[str]:
    """Why an offer cannot take part in the round (empty when it can)."""
    problems = []
    if offer.status != Offer.Status.PUBLISHED or offer.source != Offer.Source.PLATFORM:
        problems.append(_("Only published offers entered on this platform can take part."))
    if offer.free_places < 1:
        problems.append(_("All places of this offer are taken."))
    organiser = clearing_round.organiser
    if organiser.kind == Organisation.Kind.CHAMBER and offer.chamber_id != organiser.pk:
        problems.append(
            _(
                "A chamber's round takes only offers for which it is the competent chamber (BBiG § 71, "
                "HwO § 91)."
            )
        )
    if not clearing_area(clearing_round).filter(pk=offer.site.region_id).exists():
        problems.append(_("The offer's training site lies outside the region of the round."))
    return problems


@transaction.atomic
def round_offer_add(
    *,
    actor: User | None,
    clearing_round: ClearingRound,
    offer: Offer,
    ranking: str = RoundOffer.Ranking.COMPANY,
    today: datetime.date | None = None,
) -> RoundOffer:
    """Add an unfilled offer; its places in the round are the places free now."""
    clearing_round = _locked(clearing_round)
    _require_ranking_open(clearing_round, _today(today))
    offer = Offer.objects.select_related("site").get(pk=offer.pk)
    problems = offer_eligibility_errors(clearing_round=clearing_round, offer=offer)
    if ranking not in RoundOffer.Ranking.values:
        problems.append(_("Choose how the applicants are ranked."))
    if RoundOffer.objects.filter(round=clearing_round, offer=offer).exists():
        problems.append(_("This offer already takes part in the round."))
    if problems:
        raise ValidationError({"offer": problems})
    round_offer = RoundOffer.objects.create(
        round=clearing_round, offer=offer, capacity=offer.free_places, ranking=ranking, added_by=actor
    )
    audit_record(
        actor=actor,
        action="clearing.offer_add",
        target=round_offer,
        summary=f"round {clearing_round.pk}, offer {offer.pk}, {round_offer.capacity} places, {ranking}",
    )
    return round_offer


@transaction.atomic
def round_offer_set_ranking(
    *, actor: User | None, round_offer: RoundOffer, ranking: str, today: datetime.date | None = None
) -> RoundOffer:
    """Choose between ranking the applicants and the scoring rule. Switching to the scoring rule removes
    the company's own ranks for this offer (the rule ranks everybody when the round is computed)."""
    _require_ranking_open(_locked(round_offer.round), _today(today))
    if ranking not in RoundOffer.Ranking.values:
        raise ValidationError({"ranking": _("Choose how the applicants are ranked.")})
    old = round_offer.ranking
    if ranking == old:
        return round_offer
    if ranking == RoundOffer.Ranking.SCORE:
        round_offer.rankings.all().delete()
    round_offer.ranking = ranking
    round_offer.save(update_fields=["ranking"])
    audit_record(
        actor=actor,
        action="clearing.offer_ranking",
        target=round_offer,
        summary=ranking,
        changes={"ranking": [old, ranking]},
    )
    return round_offer


def applicants_of(round_offer: RoundOffer):
    """The participants who ranked this offer (the only applicants its company sees)."""
    return Participant.objects.filter(choices__round_offer=round_offer)


@transaction.atomic
def rankings_save(
    *,
    actor: User | None,
    round_offer: RoundOffer,
    ranks: Mapping[int, int | None],
    today: datetime.date | None = None,
) -> list[CompanyRanking]:
    """Replace the company's ranking of the applicants of one offer. `ranks` maps participant ids to rank
    numbers; equal numbers are ties (the lottery decides); None: not acceptable for this place."""
    _require_ranking_open(_locked(round_offer.round), _today(today))
    if round_offer.ranking != RoundOffer.Ranking.COMPANY:
        raise ValidationError(_("This offer uses the scoring rule; switch to your own ranking first."))
    applicants = set(applicants_of(round_offer).values_list("pk", flat=True))
    errors: dict[str, str] = {}
    for participant_id, rank in ranks.items():
        key = f"applicant_{participant_id}"
        if participant_id not in applicants:
            errors[key] = _("This person has not chosen this offer in the round.")
        elif rank is not None and not 1 <= rank <= max(1, len(applicants)):
            errors[key] = _("A rank is a whole number from 1 to the number of applicants.")
    if errors:
        raise ValidationError(errors)
    round_offer.rankings.filter(participant_id__in=list(ranks)).delete()
    created = CompanyRanking.objects.bulk_create(
        CompanyRanking(round_offer=round_offer, participant_id=participant_id, rank=rank)
        for participant_id, rank in sorted(ranks.items())
        if rank is not None
    )
    audit_record(
        actor=actor,
        action="clearing.rankings",
        target=round_offer,
        summary=f"{len(created)} ranked, {len(ranks) - len(created)} not acceptable",
    )
    return created


# --- computing and publishing --------------------------------------------------------------------------------


def _seeker(participant: Participant, cache: dict[int, fit.Seeker]) -> fit.Seeker:
    """The fit input of an applicant (`offers.search.seeker_for`, once per applicant and computation),
    with the certificate they gave for the round."""
    if participant.pk not in cache:
        seeker = seeker_for(participant.pupil)
        if participant.certificate:
            seeker = dataclasses.replace(seeker, certificate=participant.certificate)
        cache[participant.pk] = seeker
    return cache[participant.pk]


def _score_rankings(
    round_offer: RoundOffer, participants: dict[int, Participant], seekers: dict[int, fit.Seeker]
) -> None:
    """Rank the offer's applicants by the scoring rule (fit score bands) and store the ranks and scores."""
    offer = round_offer.offer
    facts = fit.OfferFacts(
        occupation_id=offer.occupation_id,
        certificate=offer.certificate,
        latitude=offer.latitude,
        longitude=offer.longitude,
        free_places=round_offer.capacity,
    )
    today = timezone.localdate()
    round_offer.rankings.all().delete()
    rows = []
    for participant_id in round_offer.choices.values_list("participant_id", flat=True):
        participant = participants[participant_id]
        score = fit.fit(_seeker(participant, seekers), facts, today=today).score
        rows.append(
            CompanyRanking(
                round_offer=round_offer, participant=participant, rank=score_rank(score), score=score
            )
        )
    CompanyRanking.objects.bulk_create(rows)


@transaction.atomic
def round_compute(*, actor: User | None, clearing_round: ClearingRound) -> ClearingRound:
    """Compute the stable assignment (`market.compute`: applicant-proposing deferred acceptance, ties in the
    companies' ranks broken by the round's recorded lottery seed, verified for capacities and blocking pairs)
    after ranking the scoring-rule offers' applicants, and store one result per applicant and the report.
    Deterministic: the same rankings and seed give the same result. A result that fails the verifier is not
    stored."""
    clearing_round = _locked(clearing_round)
    if clearing_round.status not in {Status.RANKING_CLOSED, Status.COMPUTED}:
        raise ValidationError(
            _("The result can be computed once ranking is closed, and before it is published.")
        )
    participants = {p.pk: p for p in clearing_round.participants.select_related("pupil")}
    seekers: dict[int, fit.Seeker] = {}
    for round_offer in clearing_round.offers.filter(ranking=RoundOffer.Ranking.SCORE).select_related("offer"):
        _score_rankings(round_offer, participants, seekers)
    # The engine (numpy, numba) is imported here, not with the app: every start of Django (each `ausbildung`
    # command, each worker) would otherwise load it.
    from . import market

    outcome = market.compute(market.build_market(clearing_round), seed=clearing_round.seed)
    if outcome.problems:
        raise ValidationError(
            _("The computed assignment failed its verification (%(problems)s); nothing was stored.")
            % {"problems": "; ".join(outcome.problems)}
        )
    Result.objects.filter(round=clearing_round).delete()
    Result.objects.bulk_create(
        Result(
            round=clearing_round,
            participant=placement.participant,
            round_offer=placement.round_offer,
            choice=placement.choice,
            why_not_higher=placement.why_not_higher,
        )
        for placement in outcome.placements
    )
    clearing_round.report = {"computed_at": timezone.now().isoformat(), **outcome.report}
    clearing_round.save(update_fields=["report"])
    return _step(actor, clearing_round, Status.COMPUTED, "computed_at")


@transaction.atomic
def round_publish(
    *, actor: User | None, clearing_round: ClearingRound, today: datetime.date | None = None
) -> ClearingRound:
    """Publish the result: every match becomes an application in state "offered" (created, or moved there;
    `offers.services.application_offer_matched`). Publishing again creates nothing twice: applications
    already offered or accepted stay as they are. A match whose offer has no free place left any more is
    counted in the report and not offered."""
    clearing_round = _locked(clearing_round)
    if clearing_round.status not in {Status.COMPUTED, Status.PUBLISHED}:
        raise ValidationError(_("Only a computed result can be published."))
    if _today(today) < clearing_round.result_published_on:
        raise ValidationError(
            _("The result is published on %(date)s according to the timeline; not earlier.")
            % {"date": _date(clearing_round.result_published_on)}
        )
    counts = Counter({"offered": 0, "unchanged": 0, "not_possible": 0})
    results = (
        Result.objects.filter(round=clearing_round, round_offer__isnull=False)
        .select_related("participant__pupil", "round_offer__offer")
        .order_by("pk")
    )
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Place offered in the clearing round “%(name)s”.") % {"name": clearing_round.name}
    for result in results:
        round_offer = result.round_offer
        if round_offer is None:  # filtered above; keeps the type checker informed
            continue
        try:
            application, changed = application_offer_matched(
                actor=actor,
                offer=round_offer.offer,
                applicant=result.participant.pupil,
                message=result.participant.message,
                note=note,
            )
        except ValidationError:
            counts["not_possible"] += 1
            continue
        counts["offered" if changed else "unchanged"] += 1
        if result.application_id != application.pk:
            result.application = application
            result.save(update_fields=["application"])
    clearing_round.report = {**clearing_round.report, "publication": dict(counts)}
    clearing_round.save(update_fields=["report"])
    if clearing_round.status == Status.PUBLISHED:
        audit_record(
            actor=actor, action="clearing.round_republish", target=clearing_round, summary=str(dict(counts))
        )
        return clearing_round
    return _step(actor, clearing_round, Status.PUBLISHED, "published_at")
