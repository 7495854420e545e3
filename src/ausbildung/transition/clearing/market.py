"""A clearing round as a matching market: its choices and rankings as the arrays of `matching.engine`, and the
engine's solution read back as places, choices, reasons and the round's report.

`matching.engine` is pure (numpy arrays, no Django, no ids) so that it can be tested and benchmarked alone;
this module is the adapter between it and the round's rows. It reads the round (three queries, no writes) and
translates between database ids and array indices; `services.round_compute` scores, calls `compute`, and
writes the results and the audit row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from ausbildung.matching import engine
from ausbildung.matching.engine import report

from .models import ApplicantChoice, ClearingRound, CompanyRanking, Participant, RoundOffer

MECHANISM = "applicant-proposing deferred acceptance"
TIE_BREAKING = "single lottery (one number per applicant), seeded"


@dataclass(frozen=True)
class Market:
    """The round as the engine's arrays, with the rows behind the indices (applicant i is `participants[i]`,
    offer j is `offers[j]`)."""

    participants: list[Participant]
    offers: list[RoundOffer]
    instance: engine.Instance


@dataclass(frozen=True)
class Placement:
    """One applicant's outcome: the offer they got (None: unplaced), which of their choices it was (1 = first),
    and why they did not get each offer they ranked higher."""

    participant: Participant
    round_offer: RoundOffer | None
    choice: int | None
    why_not_higher: list[dict]


@dataclass(frozen=True)
class Outcome:
    """The solution in the round's terms. `problems` is empty when the verifier accepted the assignment."""

    placements: list[Placement]
    report: dict
    problems: list[str]


def build_market(clearing_round: ClearingRound) -> Market:
    """The round's applicants (each with their ranked choices) and offers (capacity, the companies' ranks of
    their applicants; `engine.UNRANKED` where a company did not rank one) as an `engine.Instance`."""
    participants = list(clearing_round.participants.select_related("pupil").order_by("pk"))
    offers = list(clearing_round.offers.select_related("offer").order_by("pk"))
    offer_index = {round_offer.pk: index for index, round_offer in enumerate(offers)}
    company_rank = {
        (round_offer_id, participant_id): rank
        for round_offer_id, participant_id, rank in CompanyRanking.objects.filter(
            round_offer__round=clearing_round
        ).values_list("round_offer_id", "participant_id", "rank")
    }
    lists: dict[int, list[int]] = {}
    for participant_id, round_offer_id in (
        ApplicantChoice.objects.filter(participant__round=clearing_round)
        .order_by("participant_id", "rank")
        .values_list("participant_id", "round_offer_id")
    ):
        lists.setdefault(participant_id, []).append(round_offer_id)
    app_ptr, app_offer, offer_rank = [0], [], []
    for participant in participants:
        for round_offer_id in lists.get(participant.pk, []):
            app_offer.append(offer_index[round_offer_id])
            offer_rank.append(company_rank.get((round_offer_id, participant.pk), engine.UNRANKED))
        app_ptr.append(len(app_offer))
    instance = engine.make_instance(
        capacity=[round_offer.capacity for round_offer in offers],
        app_ptr=app_ptr,
        app_offer=np.asarray(app_offer, dtype=np.int64),
        offer_rank=np.asarray(offer_rank, dtype=np.int64),
    )
    return Market(participants, offers, instance)


def compute(market: Market, *, seed: int) -> Outcome:
    """Solve the market with applicant-proposing deferred acceptance (`engine.solve`), ties in the companies'
    ranks broken by the lottery of `seed`, and verify it twice: with the companies' own weak ranks and with the
    tie-broken ranks (capacities held, no blocking pair). Deterministic: same market and seed, same outcome."""
    instance = market.instance
    solution = engine.solve(instance, seed=seed, mode="applicant")
    weak = engine.verify(instance, solution.assignment)
    strict = engine.verify(instance, solution.assignment, rank=solution.lottery.key)
    if not (weak.ok and strict.ok):
        return Outcome(placements=[], report={}, problems=list(weak.problems) + list(strict.problems))
    filled = np.bincount(solution.assignment[solution.assignment >= 0], minlength=instance.n_offers)
    choice_of = np.full(instance.n_applicants, -1, dtype=np.int64)
    matched = solution.pairs >= 0
    choice_of[matched] = solution.pairs[matched] - instance.app_ptr[:-1][matched] + 1
    why_not = _why_not_higher(market, solution)
    placements = [
        Placement(
            participant=participant,
            round_offer=market.offers[offer] if offer >= 0 else None,
            choice=int(choice_of[index]) if offer >= 0 else None,
            why_not_higher=why_not.get(index, []),
        )
        for index, (participant, offer) in enumerate(
            zip(market.participants, solution.assignment.tolist(), strict=True)
        )
    ]
    placed = int(matched.sum())
    places = int(instance.capacity.sum())
    summary = {
        "mechanism": MECHANISM,
        "tie_breaking": TIE_BREAKING,
        "seed": seed,
        "applicants": instance.n_applicants,
        "applicants_without_choices": int((np.diff(instance.app_ptr) == 0).sum()),
        "placed": placed,
        "unplaced": instance.n_applicants - placed,
        "offers": instance.n_offers,
        "places": places,
        "places_filled": placed,
        "places_left": places - placed,
        "choice_distribution": {
            str(choice): count for choice, count in sorted(Counter(choice_of[matched].tolist()).items())
        },
        "per_offer": {
            str(round_offer.pk): {"capacity": round_offer.capacity, "filled": int(filled[index])}
            for index, round_offer in enumerate(market.offers)
        },
        "verification": {
            "capacities_held": bool((filled <= instance.capacity).all()),
            "no_blocking_pair": weak.blocking_pairs == 0 and strict.blocking_pairs == 0,
            "company_ranks": _verification(weak),
            "tie_broken_ranks": _verification(strict),
        },
    }
    return Outcome(placements=placements, report=summary, problems=[])


def _verification(check: engine.Verification) -> dict:
    return {"ok": check.ok, "blocking_pairs": check.blocking_pairs, "problems": list(check.problems)}


def _why_not_higher(market: Market, solution: engine.Solution) -> dict[int, list[dict]]:
    """Per applicant index, why they did not get each offer ranked above their result (all offers when
    unplaced), from the engine's run report (`engine.report.explanations`): not ranked by the company, full
    with applicants it ranked higher, or full at the cutoff rank with the tie decided by the lottery."""
    instance = market.instance
    higher, codes = report.explanations(instance, solution.pairs, solution.lottery)
    applicants = instance.pair_applicant[higher].tolist()
    offers = instance.app_offer[higher].tolist()
    choices = (higher - instance.app_ptr[instance.pair_applicant[higher]] + 1).tolist()
    rows: dict[int, list[dict]] = {}
    for applicant, offer, choice, code in zip(applicants, offers, choices, codes.tolist(), strict=True):
        rows.setdefault(applicant, []).append(
            {"round_offer": market.offers[offer].pk, "choice": choice, "reason": report.REASONS[code]}
        )
    return rows
