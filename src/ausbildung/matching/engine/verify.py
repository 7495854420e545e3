"""The verifier: capacities, acceptability and blocking pairs of any assignment (definition in engine/__init__)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .instance import Instance, IntArray

MAX_LISTED = 5


@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)
    blocking_pairs: int = 0
    first_blocking: list[tuple[int, int]] = field(default_factory=list)  # (applicant index, offer index)

    @property
    def ok(self) -> bool:
        return not self.problems


def matched_pairs(instance: Instance, assignment: IntArray) -> IntArray:
    """Pair index of every applicant's assigned offer (-1 unmatched, -2 an offer not on its list)."""
    pair_app = instance.pair_applicant
    hit = np.flatnonzero(instance.app_offer == assignment[pair_app])
    result = np.where(assignment >= 0, -2, -1).astype(np.int64)
    result[pair_app[hit]] = hit
    return result


def verify(instance: Instance, assignment: IntArray, *, rank: IntArray | None = None) -> Verification:
    """Check an assignment (offer index per applicant, -1 = unmatched).

    `rank` is the offers' ranking per pair used for blocking pairs; by default the weak ranks of the input
    (so ties do not block). Passing the lottery key checks stability of the tie-broken instance instead.
    """
    result = Verification()
    n_app = instance.n_applicants
    assignment = np.asarray(assignment, dtype=np.int64)
    if assignment.shape != (n_app,):
        result.problems.append(f"assignment has {assignment.size} entries for {n_app} applicants")
        return result
    pairs = matched_pairs(instance, assignment)
    bad = np.flatnonzero(pairs == -2)
    if len(bad):
        result.problems.append(
            f"{len(bad)} applicant(s) assigned to an offer they did not list (first: applicant #{bad[0]})"
        )
        return result
    matched = pairs >= 0
    unacceptable = np.flatnonzero(matched)
    unacceptable = unacceptable[instance.offer_rank[pairs[unacceptable]] < 0]
    if len(unacceptable):
        result.problems.append(
            f"{len(unacceptable)} applicant(s) assigned to an offer that did not rank them "
            f"(first: applicant #{unacceptable[0]})"
        )
    offers = assignment[matched]
    filled = np.bincount(offers, minlength=instance.n_offers)
    over = np.flatnonzero(filled > instance.capacity)
    if len(over):
        result.problems.append(f"{len(over)} offer(s) over capacity (first: offer #{over[0]})")
    n_groups = len(instance.group_capacity)
    groups = instance.group[offers]
    group_filled = np.bincount(groups[groups >= 0], minlength=n_groups)
    gover = np.flatnonzero(group_filled > instance.group_capacity)
    if len(gover):
        result.problems.append(f"{len(gover)} group(s) over their shared capacity (first: group #{gover[0]})")

    # blocking pairs: a pair the applicant prefers to its match, acceptable to the offer, where the offer and
    # its group would each still have a place after dropping everyone ranked strictly worse than the applicant
    ranks = instance.offer_rank if rank is None else rank
    matched_rank = ranks[pairs[matched]]
    worst = np.full(instance.n_offers, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(worst, offers, matched_rank)
    gworst = np.full(n_groups, np.iinfo(np.int64).min, dtype=np.int64)
    in_group = groups >= 0
    np.maximum.at(gworst, groups[in_group], matched_rank[in_group])
    limit = np.where(matched, pairs, instance.app_ptr[1:])  # pairs before the match are preferred
    pair_app = instance.pair_applicant
    candidate = (np.arange(instance.n_pairs) < limit[pair_app]) & (instance.offer_rank >= 0)
    cand = np.flatnonzero(candidate)
    o = instance.app_offer[cand]
    r = ranks[cand]
    offer_room = (filled[o] < instance.capacity[o]) | (r < worst[o])
    g = instance.group[o]
    gs = np.maximum(g, 0)
    group_room = (
        (g < 0)
        | (group_filled[gs] < instance.group_capacity[gs] if n_groups else True)
        | (r < gworst[gs] if n_groups else True)
    )
    blocking = cand[offer_room & group_room]
    result.blocking_pairs = len(blocking)
    if len(blocking):
        first = blocking[:MAX_LISTED]
        result.first_blocking = [
            (int(a), int(b)) for a, b in zip(pair_app[first], instance.app_offer[first], strict=True)
        ]
        result.problems.append(f"{len(blocking)} blocking pair(s)")
    return result
