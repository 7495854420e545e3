"""The run report: counts, rank distribution, cutoffs and, per applicant, why not a higher choice.

The report is JSON. "why_not_higher" maps each applicant who did not get their first choice to rows
[offer_id, choice, reason, offer_rank, cutoff_rank] (columns named in "why_not_higher_columns"), one per offer
the applicant ranked above the one they got (all of them when unmatched). It is written streaming, so national
runs do not build millions of Python objects at once.

"improvement" is null without --improve; with it: the stable improvement cycles executed, the rounds of search,
and how many applicants got a better offer than deferred acceptance gave them ("timings_seconds": "solve"
includes "improve"). After improvement a tie can go
against an applicant with the better lottery number (the seat was traded in a cycle): reason
"offer_full_tie_seat_traded_in_improvement_cycle".
"""

from __future__ import annotations

import itertools
import json
from typing import IO, Any

import numpy as np

from .improve import Improvement
from .instance import Instance, IntArray, Lottery

REASONS = {
    0: "not_ranked_by_offer",
    1: "offer_has_no_places",
    2: "offer_full_with_applicants_ranked_higher",
    3: "offer_full_tie_lost_in_lottery",
    4: "company_group_full_with_applicants_ranked_higher",
    5: "not_explained_assignment_is_not_the_engines",
    6: "offer_full_tie_seat_traded_in_improvement_cycle",
}


def summary(
    instance: Instance,
    pairs: IntArray,
    lottery: Lottery,
    applicant_ids: list[str],
    offer_ids: list[str],
    *,
    mode: str,
    verification: dict[str, Any] | None,
    improvement: Improvement | None = None,
) -> dict[str, Any]:
    """Everything but the per-applicant explanations."""
    n_app = instance.n_applicants
    matched = pairs >= 0
    held = pairs[matched]
    offers = instance.app_offer[held]
    filled = np.bincount(offers, minlength=instance.n_offers)
    choice = held - instance.app_ptr[:-1][matched] + 1  # 1 = first choice
    distribution = {str(int(c)): int(n) for c, n in zip(*np.unique(choice, return_counts=True), strict=True)}
    worst_rank = np.full(instance.n_offers, -1, dtype=np.int64)
    np.maximum.at(worst_rank, offers, instance.offer_rank[held])
    # the cutoff applicant: the one with the worst lottery key at each offer
    order = np.lexsort((lottery.key[held], offers))
    last = np.flatnonzero(np.append(offers[order][1:] != offers[order][:-1], True))
    worst_applicant = np.flatnonzero(matched)[order[last]]
    cutoffs = {
        offer_ids[o]: {"rank": int(worst_rank[o]), "applicant_id": applicant_ids[a]}
        for o, a in zip(offers[order[last]].tolist(), worst_applicant.tolist(), strict=True)
    }
    places = int(instance.capacity.sum())
    return {
        "mode": mode,
        "lottery": {
            "seed": lottery.seed,
            "tie_breaking": "multiple" if lottery.multiple else "single",
            "numbers": (
                "one per (offer, applicant) pair; reproduced from the seed"
                if lottery.multiple
                else dict(zip(applicant_ids, lottery.numbers.tolist(), strict=True))
            ),
            "note": "ties in an offer's ranking go to the smaller lottery number",
        },
        "applicants": {
            "total": n_app,
            "matched": int(matched.sum()),
            "unmatched": int(n_app - matched.sum()),
        },
        "places": {
            "total": places,
            "filled": int(filled.sum()),
            "unfilled": places - int(filled.sum()),
            "offers_with_unfilled_places": int((filled < instance.capacity).sum()),
        },
        "improvement": (
            None
            if improvement is None
            else {
                "method": "stable improvement cycles (Erdil and Ergin 2008)",
                "cycles": improvement.cycles,
                "rounds": improvement.rounds,
                "applicants_improved": improvement.improved,
            }
        ),
        "rank_distribution": distribution,
        "cutoffs": cutoffs,
        "verification": verification,
        "why_not_higher_columns": ["offer_id", "choice", "reason", "offer_rank", "cutoff_rank"],
    }


def explanations(
    instance: Instance, pairs: IntArray, lottery: Lottery, *, improved: bool = False
) -> tuple[IntArray, IntArray]:
    """(pair indices, reason codes) for every pair ranked above the applicant's match, applicant by applicant.

    improved: the pairs come from stable improvement cycles, so a full offer may hold a tied applicant with a
    worse lottery number (reason 6) instead of only better keys."""
    matched = pairs >= 0
    held = pairs[matched]
    offers = instance.app_offer[held]
    filled = np.bincount(offers, minlength=instance.n_offers)
    worst_key = np.full(instance.n_offers, -1, dtype=np.int64)
    np.maximum.at(worst_key, offers, lottery.key[held])
    worst_rank = np.full(instance.n_offers, -1, dtype=np.int64)
    np.maximum.at(worst_rank, offers, instance.offer_rank[held])
    groups = instance.group[offers]
    group_filled = np.bincount(groups[groups >= 0], minlength=len(instance.group_capacity))
    limit = np.where(matched, pairs, instance.app_ptr[1:])
    higher = np.flatnonzero(np.arange(instance.n_pairs) < limit[instance.pair_applicant])
    o = instance.app_offer[higher]
    rank = instance.offer_rank[higher]
    g = instance.group[o]
    full = (filled[o] >= instance.capacity[o]) & (lottery.key[higher] > worst_key[o])
    group_full = g >= 0
    if group_full.any():
        gs = g[group_full]
        group_full[group_full] = group_filled[gs] >= instance.group_capacity[gs]
    reason = np.full(len(higher), 5, dtype=np.int64)
    reason[group_full] = 4
    reason[full] = np.where(rank[full] == worst_rank[o[full]], 3, 2)
    if improved:
        traded = ~full & (filled[o] >= instance.capacity[o]) & (rank >= 0) & (rank == worst_rank[o])
        reason[traded] = 6
    reason[instance.capacity[o] == 0] = 1
    reason[rank < 0] = 0
    return higher, reason


def write_report(
    handle: IO[str],
    instance: Instance,
    pairs: IntArray,
    lottery: Lottery,
    applicant_ids: list[str],
    offer_ids: list[str],
    *,
    mode: str,
    verification: dict[str, Any] | None,
    extra: dict[str, Any] | None = None,
    improvement: Improvement | None = None,
) -> None:
    head = summary(
        instance,
        pairs,
        lottery,
        applicant_ids,
        offer_ids,
        mode=mode,
        verification=verification,
        improvement=improvement,
    )
    head.update(extra or {})
    text = json.dumps(head, ensure_ascii=False)
    handle.write(text[:-1] + ', "why_not_higher": {')
    higher, reason = explanations(instance, pairs, lottery, improved=improvement is not None)
    if len(higher):
        matched = pairs >= 0
        worst_rank = np.full(instance.n_offers, -1, dtype=np.int64)
        np.maximum.at(worst_rank, instance.app_offer[pairs[matched]], instance.offer_rank[pairs[matched]])
        applicant = instance.pair_applicant[higher]
        o = instance.app_offer[higher]
        choice = (higher - instance.app_ptr[applicant] + 1).tolist()
        rank = instance.offer_rank[higher].tolist()
        cutoff = worst_rank[o].tolist()
        codes = reason.tolist()
        offers = o.tolist()
        starts = [*np.flatnonzero(np.append(True, applicant[1:] != applicant[:-1])).tolist(), len(higher)]
        applicants = applicant.tolist()
        for n, (start, end) in enumerate(itertools.pairwise(starts)):
            rows = [
                [
                    offer_ids[offers[i]],
                    choice[i],
                    REASONS[codes[i]],
                    rank[i] if rank[i] >= 0 else None,
                    cutoff[i] if cutoff[i] >= 0 else None,
                ]
                for i in range(start, end)
            ]
            prefix = ", " if n else ""
            handle.write(f"{prefix}{json.dumps(applicant_ids[applicants[start]])}: {json.dumps(rows)}")
    handle.write("}}")
