"""Pure-numpy deferred acceptance in simultaneous rounds (the reference the numba kernel is tested against).

Both modes use the same choice rule of an offer and its group (see engine/__init__.py): from the contracts it
holds or is offered, a group keeps, in key order, every contract whose offer and group still have a place.
That equals "each offer keeps its best capacity[o] by key, then the group keeps the best group_capacity of
those". The rule is substitutable, so applicant-proposing DA ends in the applicant-optimal stable matching
whatever the order of proposals, and the round-based version here equals the sequential kernel.
"""

from __future__ import annotations

import numpy as np

from .instance import BoolArray, Instance, IntArray


def choose(instance: Instance, pairs: IntArray, key: IntArray) -> BoolArray:
    """Which of the candidate pairs the offers and their groups keep (pairs must be acceptable)."""
    if len(pairs) == 0:
        return np.zeros(0, dtype=np.bool_)
    offers = instance.app_offer[pairs]
    keys = key[pairs]
    order = np.lexsort((keys, offers))
    sorted_offers = offers[order]
    starts = np.searchsorted(sorted_offers, sorted_offers, side="left")
    within = np.arange(len(order)) - starts
    keep = np.zeros(len(pairs), dtype=np.bool_)
    keep[order] = within < instance.capacity[sorted_offers]
    groups = instance.group[offers]
    grouped = np.flatnonzero(keep & (groups >= 0))
    if len(grouped):
        g = groups[grouped]
        order = np.lexsort((keys[grouped], g))
        sorted_groups = g[order]
        starts = np.searchsorted(sorted_groups, sorted_groups, side="left")
        within = np.arange(len(order)) - starts
        drop = grouped[order][within >= instance.group_capacity[sorted_groups]]
        keep[drop] = False
    return keep


def solve_applicant_proposing(instance: Instance, key: IntArray) -> IntArray:
    """Matched pair per applicant (-1 = unmatched)."""
    # acceptable pairs, with a sentinel past the end
    acceptable_pairs = np.append(np.flatnonzero(instance.acceptable), instance.n_pairs)
    ends = instance.app_ptr[1:]
    held = np.full(instance.n_applicants, -1, dtype=np.int64)
    cursor = instance.app_ptr[:-1].copy()  # next pair each applicant would propose to
    free = np.arange(instance.n_applicants, dtype=np.int64)
    while True:
        nxt_pair = acceptable_pairs[np.searchsorted(acceptable_pairs, cursor[free])]
        proposing = nxt_pair < ends[free]
        free, proposals = free[proposing], nxt_pair[proposing]
        if len(free) == 0:
            return held
        cursor[free] = proposals + 1
        holders = np.flatnonzero(held >= 0)
        candidates = np.concatenate([held[holders], proposals])
        who = np.concatenate([holders, free])
        keep = choose(instance, candidates, key)
        held[who] = -1
        held[who[keep]] = candidates[keep]
        free = np.sort(who[~keep])


def solve_offer_proposing(instance: Instance, key: IntArray) -> IntArray:
    """Offer-proposing DA: each round every group proposes its choice from the contracts not yet rejected;
    every applicant keeps the best proposal and rejects the others. Matched pair per applicant (-1 = none)."""
    alive = instance.acceptable.copy()
    pair_applicant = instance.pair_applicant
    while True:
        candidates = np.flatnonzero(alive)
        proposed = candidates[choose(instance, candidates, key)]
        # pairs are in applicant preference order: the first proposal of each applicant is its best
        applicants = pair_applicant[proposed]
        first = np.ones(len(proposed), dtype=np.bool_)
        first[1:] = applicants[1:] != applicants[:-1]
        rejected = proposed[~first]
        if len(rejected) == 0:
            held = np.full(instance.n_applicants, -1, dtype=np.int64)
            held[applicants[first]] = proposed[first]
            return held
        alive[rejected] = False
        # an applicant also rejects every later (worse) contract once it holds a better proposal
        best = np.full(instance.n_applicants, np.iinfo(np.int64).max, dtype=np.int64)
        best[applicants[first]] = proposed[first]
        alive &= np.arange(instance.n_pairs) <= best[pair_applicant]
