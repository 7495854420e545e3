"""The run report: counts, rank distribution, cutoffs and, per applicant, why not a higher choice."""

from __future__ import annotations

from typing import Any

import numpy as np

from .instance import Instance, IntArray, Lottery


def build_report(
    instance: Instance,
    pairs: IntArray,
    lottery: Lottery,
    applicant_ids: list[str],
    offer_ids: list[str],
    *,
    mode: str,
    verification: dict[str, Any] | None,
) -> dict[str, Any]:
    n_app = instance.n_applicants
    matched = pairs >= 0
    offers = instance.app_offer[pairs[matched]]
    filled = np.bincount(offers, minlength=instance.n_offers)
    choice = pairs[matched] - instance.app_ptr[:-1][matched] + 1  # 1 = first choice
    distribution = {str(int(c)): int(n) for c, n in zip(*np.unique(choice, return_counts=True), strict=True)}
    ranks = instance.offer_rank[pairs[matched]]
    worst_rank = np.full(instance.n_offers, -1, dtype=np.int64)
    np.maximum.at(worst_rank, offers, ranks)
    worst_key = np.full(instance.n_offers, -1, dtype=np.int64)
    np.maximum.at(worst_key, offers, lottery.key[pairs[matched]])
    key_to_applicant = dict(
        zip(lottery.key[pairs[matched]].tolist(), np.flatnonzero(matched).tolist(), strict=True)
    )
    cutoffs = {
        offer_ids[o]: {
            "rank": int(worst_rank[o]),
            "applicant_id": applicant_ids[key_to_applicant[int(worst_key[o])]],
        }
        for o in np.flatnonzero(filled).tolist()
    }
    groups = instance.group
    group_filled = np.bincount(groups[offers][groups[offers] >= 0], minlength=len(instance.group_capacity))
    gworst = np.full(len(instance.group_capacity), -1, dtype=np.int64)
    in_group = groups[offers] >= 0
    np.maximum.at(gworst, groups[offers][in_group], lottery.key[pairs[matched]][in_group])

    # why not a higher choice: every pair before the match (all pairs when unmatched)
    limit = np.where(matched, pairs, instance.app_ptr[1:])
    pair_app = instance.pair_applicant
    higher = np.flatnonzero(np.arange(instance.n_pairs) < limit[pair_app])
    why: dict[str, list[dict[str, Any]]] = {}
    for p in higher.tolist():
        o = int(instance.app_offer[p])
        a = int(pair_app[p])
        rank = int(instance.offer_rank[p])
        entry: dict[str, Any] = {"offer_id": offer_ids[o], "choice": p - int(instance.app_ptr[a]) + 1}
        g = int(groups[o])
        if rank < 0:
            entry["reason"] = "not ranked by the offer"
        elif instance.capacity[o] == 0:
            entry["reason"] = "offer has no places"
        elif filled[o] >= instance.capacity[o] and lottery.key[p] > worst_key[o]:
            entry["reason"] = "offer full with applicants it ranked higher"
            entry["tie_lost_in_lottery"] = rank == int(worst_rank[o])
        elif g >= 0 and group_filled[g] >= instance.group_capacity[g]:
            entry["reason"] = "company (group) full with applicants it ranked higher"
        else:  # only after an assignment that is not a DA result
            entry["reason"] = "not stable-blocked; assignment is not the engine's"
        entry["offer_rank"] = rank if rank >= 0 else None
        entry["cutoff_rank"] = int(worst_rank[o]) if filled[o] else None
        why.setdefault(applicant_ids[a], []).append(entry)
    places = int(instance.capacity.sum())
    return {
        "mode": mode,
        "lottery": {
            "seed": lottery.seed,
            "tie_breaking": "multiple" if lottery.multiple else "single",
            "note": "numbers: 0 = luckiest; single: per applicant"
            + ("" if not lottery.multiple else "; multiple: not listed"),
            "numbers": {}
            if lottery.multiple
            else dict(zip(applicant_ids, lottery.numbers.tolist(), strict=True)),
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
            "offers_unfilled": int((filled < instance.capacity).sum()),
        },
        "rank_distribution": distribution,
        "cutoffs": cutoffs,
        "why_not_higher": why,
        "verification": verification,
    }
