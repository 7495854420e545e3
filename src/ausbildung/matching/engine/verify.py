"""The verifier: capacities, acceptability and blocking pairs of any assignment (definition in engine/__init__)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numba import njit

from .instance import Instance, IntArray, Kernel, compiled, readonly

MAX_LISTED = 5


@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)
    blocking_pairs: int = 0
    first_blocking: list[tuple[int, int]] = field(default_factory=list)  # (applicant index, offer index)

    @property
    def ok(self) -> bool:
        return not self.problems


def matched_pairs(instance: Instance, assignment: IntArray, *, kernel: Kernel = "auto") -> IntArray:
    """Pair index of every applicant's assigned offer (-1 unmatched, -2 an offer not on its list)."""
    run = _matched_pairs if compiled(instance, kernel) else _matched_pairs.py_func
    return run(readonly(instance.app_ptr), readonly(instance.app_offer), readonly(assignment))


@njit(cache=True)
def _matched_pairs(app_ptr: IntArray, app_offer: IntArray, assignment: IntArray) -> IntArray:
    result = np.full(len(assignment), -1, dtype=np.int64)
    for a in range(len(assignment)):
        if assignment[a] >= 0:
            result[a] = -2
            for p in range(app_ptr[a], app_ptr[a + 1]):
                if app_offer[p] == assignment[a]:
                    result[a] = p
                    break
    return result


@njit(cache=True)
def _blocking(
    app_ptr: IntArray,
    app_offer: IntArray,
    offer_rank: IntArray,
    ranks: IntArray,
    pairs: IntArray,
    capacity: IntArray,
    group: IntArray,
    group_capacity: IntArray,
    max_listed: int,
) -> tuple[int, IntArray]:
    """Count blocking pairs (definition in engine/__init__) and list the first max_listed pair indices."""
    n_off = len(capacity)
    filled = np.zeros(n_off, dtype=np.int64)
    worst = np.full(n_off, np.iinfo(np.int64).min, dtype=np.int64)
    group_filled = np.zeros(len(group_capacity), dtype=np.int64)
    group_worst = np.full(len(group_capacity), np.iinfo(np.int64).min, dtype=np.int64)
    for a in range(len(pairs)):
        p = pairs[a]
        if p >= 0:
            o = app_offer[p]
            filled[o] += 1
            worst[o] = max(worst[o], ranks[p])
            g = group[o]
            if g >= 0:
                group_filled[g] += 1
                group_worst[g] = max(group_worst[g], ranks[p])
    count = 0
    listed = np.full(max_listed, -1, dtype=np.int64)
    for a in range(len(pairs)):
        limit = pairs[a] if pairs[a] >= 0 else app_ptr[a + 1]
        for p in range(app_ptr[a], limit):
            if offer_rank[p] < 0:
                continue
            o = app_offer[p]
            r = ranks[p]
            if filled[o] >= capacity[o] and r >= worst[o]:
                continue
            g = group[o]
            if g >= 0 and group_filled[g] >= group_capacity[g] and r >= group_worst[g]:
                continue
            if count < max_listed:
                listed[count] = p
            count += 1
    return count, listed


def verify(
    instance: Instance, assignment: IntArray, *, rank: IntArray | None = None, kernel: Kernel = "auto"
) -> Verification:
    """Check an assignment (offer index per applicant, -1 = unmatched).

    `rank` is the offers' ranking per pair used for blocking pairs; by default the weak ranks of the input
    (so ties do not block). Passing the lottery key checks stability of the tie-broken instance instead.
    `kernel`: the compiled checks, or the same functions run as plain Python (`py_func`, no compilation);
    "auto" chooses by the instance's size (`instance.compiled`).
    """
    result = Verification()
    n_app = instance.n_applicants
    assignment = np.asarray(assignment, dtype=np.int64)
    if assignment.shape != (n_app,):
        result.problems.append(f"assignment has {assignment.size} entries for {n_app} applicants")
        return result
    pairs = matched_pairs(instance, assignment, kernel=kernel)
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
    blocking = _blocking if compiled(instance, kernel) else _blocking.py_func
    count, listed = blocking(
        readonly(instance.app_ptr),
        readonly(instance.app_offer),
        readonly(instance.offer_rank),
        readonly(np.ascontiguousarray(ranks, dtype=np.int64)),
        readonly(pairs),
        readonly(instance.capacity),
        readonly(instance.group),
        readonly(instance.group_capacity),
        MAX_LISTED,
    )
    result.blocking_pairs = int(count)
    if count:
        first = listed[listed >= 0]
        pair_app = np.searchsorted(instance.app_ptr, first, side="right") - 1
        result.first_blocking = [
            (int(a), int(o)) for a, o in zip(pair_app, instance.app_offer[first], strict=True)
        ]
        result.problems.append(f"{count} blocking pair(s)")
    return result
