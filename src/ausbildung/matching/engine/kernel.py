"""The numba kernel: sequential applicant-proposing deferred acceptance with indexed heaps.

Each offer keeps the applicants it holds in a max-heap by key (worst on top) of size capacity+1, each group
likewise; a heap entry is a row (key, applicant), so a comparison and the move that follows touch one cache
line. An offer's counters (size, capacity, heap start, group) are one row too, so a proposal to a cold offer
costs one cache miss, not one per array. Every applicant holds at most one pair, so one heap position per
applicant and heap kind is enough to delete an applicant from the other heap when one of them rejects it;
offers without a group are never deleted from that way, so their positions are not kept.

Order of proposals. Applicants propose in sweeps over the index range: the first sweep lets every applicant
propose until held or out of choices; an applicant rejected later is only marked, and the next sweep takes
the marked ones in index order. Walking the per-applicant arrays in increasing order instead of hopping to
each rejected applicant at once keeps the memory access mostly sequential (about twice as fast on the
national instance). The order does not change the result: the choice rule is substitutable and the keys are
strict, so every order of proposals ends in the applicant-optimal stable matching, the same as
reference.solve_applicant_proposing (checked by the tests).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .instance import UNACCEPTABLE_KEY, Instance, IntArray, readonly

OPEN = UNACCEPTABLE_KEY - 1  # threshold of an offer with a free place: every acceptable key is below it

# columns of the per-offer and per-group state rows
SIZE, CAPACITY, BASE, GROUP = 0, 1, 2, 3
# columns of a heap row
KEY, APPLICANT = 0, 1


@njit(cache=True, inline="always")
def _up(heap: IntArray, base: int, i: int, pos: IntArray, track: bool) -> int:
    """Sift entry i up; returns its final position (pos[applicant] kept when track)."""
    k = heap[base + i, KEY]
    a = heap[base + i, APPLICANT]
    while i > 0:
        parent = (i - 1) >> 1
        if heap[base + parent, KEY] >= k:
            break
        heap[base + i, KEY] = heap[base + parent, KEY]
        heap[base + i, APPLICANT] = heap[base + parent, APPLICANT]
        if track:
            pos[heap[base + i, APPLICANT]] = i
        i = parent
    heap[base + i, KEY] = k
    heap[base + i, APPLICANT] = a
    if track:
        pos[a] = i
    return i


@njit(cache=True, inline="always")
def _down(heap: IntArray, base: int, size: int, i: int, pos: IntArray, track: bool) -> int:
    """Sift entry i down; returns its final position (pos[applicant] kept when track)."""
    k = heap[base + i, KEY]
    a = heap[base + i, APPLICANT]
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and heap[base + child + 1, KEY] > heap[base + child, KEY]:
            child += 1
        if heap[base + child, KEY] <= k:
            break
        heap[base + i, KEY] = heap[base + child, KEY]
        heap[base + i, APPLICANT] = heap[base + child, APPLICANT]
        if track:
            pos[heap[base + i, APPLICANT]] = i
        i = child
    heap[base + i, KEY] = k
    heap[base + i, APPLICANT] = a
    if track:
        pos[a] = i
    return i


@njit(cache=True, inline="always")
def _push(heap: IntArray, base: int, size: int, k: int, a: int, pos: IntArray, track: bool) -> int:
    heap[base + size, KEY] = k
    heap[base + size, APPLICANT] = a
    _up(heap, base, size, pos, track)
    return size + 1


@njit(cache=True, inline="always")
def _remove(heap: IntArray, base: int, size: int, i: int, pos: IntArray, track: bool) -> int:
    """Remove the entry at heap position i; returns the new size."""
    size -= 1
    if i != size:
        heap[base + i, KEY] = heap[base + size, KEY]
        heap[base + i, APPLICANT] = heap[base + size, APPLICANT]
        _up(heap, base, _down(heap, base, size, i, pos, track), pos, track)
    return size


@njit(cache=True)
def _da(
    app_ptr: IntArray,
    app_offer: IntArray,
    key: IntArray,
    capacity: IntArray,
    group: IntArray,
    group_capacity: IntArray,
    offer_base: IntArray,
    group_base: IntArray,
) -> IntArray:
    n_app = len(app_ptr) - 1
    n_off = len(capacity)
    n_grp = len(group_capacity)
    held = np.full(n_app, -1, dtype=np.int64)
    cursor = app_ptr[:-1].copy()
    state = np.empty((n_off, 4), dtype=np.int64)
    # threshold[o]: a proposal with a larger key is rejected by the offer at once (kept apart from `state`:
    # it is read for every pair an applicant passes over, so it stays dense in the cache)
    threshold = np.empty(n_off, dtype=np.int64)
    for o in range(n_off):
        state[o, SIZE] = 0
        state[o, CAPACITY] = capacity[o]
        state[o, BASE] = offer_base[o]
        state[o, GROUP] = group[o]
        threshold[o] = OPEN if capacity[o] > 0 else -1
    gstate = np.empty((n_grp, 3), dtype=np.int64)
    for g in range(n_grp):
        gstate[g, SIZE] = 0
        gstate[g, CAPACITY] = group_capacity[g]
        gstate[g, BASE] = group_base[g]
    heap = np.empty((offer_base[-1], 2), dtype=np.int64)
    gheap = np.empty((group_base[-1], 2), dtype=np.int64)
    offer_pos = np.zeros(n_app if n_grp else 0, dtype=np.int64)  # kept for grouped offers only
    group_pos = np.zeros(n_app if n_grp else 0, dtype=np.int64)
    rejected_mark = np.zeros(n_app, dtype=np.bool_)
    lo, hi, first = 0, n_app, True
    while lo < hi:
        next_lo, next_hi = n_app, 0
        for a in range(lo, hi):
            if not first:
                if not rejected_mark[a]:
                    continue
                rejected_mark[a] = False
            rejected = -1
            p = cursor[a]
            end = app_ptr[a + 1]
            while True:
                # unacceptable pairs carry the largest key, so this one test skips them too
                while p < end and key[p] > threshold[app_offer[p]]:
                    p += 1
                if p >= end:
                    break
                o = app_offer[p]
                k = key[p]
                p += 1
                g = state[o, GROUP]
                grouped = g >= 0
                gb = 0
                if grouped:
                    gb = gstate[g, BASE]
                    # the offer has room but its group is full: p only gets in by beating the group's worst
                    if (
                        state[o, SIZE] < state[o, CAPACITY]
                        and gstate[g, SIZE] == gstate[g, CAPACITY]
                        and (gstate[g, CAPACITY] == 0 or gheap[gb, KEY] < k)
                    ):
                        continue
                held[a] = p - 1
                ob = state[o, BASE]
                state[o, SIZE] = _push(heap, ob, state[o, SIZE], k, a, offer_pos, grouped)
                if grouped:
                    gstate[g, SIZE] = _push(gheap, gb, gstate[g, SIZE], k, a, group_pos, True)
                if state[o, SIZE] > state[o, CAPACITY]:
                    rejected = heap[ob, APPLICANT]
                    state[o, SIZE] = _remove(heap, ob, state[o, SIZE], 0, offer_pos, grouped)
                    if grouped:
                        gstate[g, SIZE] = _remove(
                            gheap, gb, gstate[g, SIZE], group_pos[rejected], group_pos, True
                        )
                    held[rejected] = -1
                elif grouped and gstate[g, SIZE] > gstate[g, CAPACITY]:
                    rejected = gheap[gb, APPLICANT]
                    gstate[g, SIZE] = _remove(gheap, gb, gstate[g, SIZE], 0, group_pos, True)
                    ro = app_offer[held[rejected]]
                    state[ro, SIZE] = _remove(
                        heap, state[ro, BASE], state[ro, SIZE], offer_pos[rejected], offer_pos, True
                    )
                    held[rejected] = -1
                    threshold[ro] = OPEN  # it just lost one: it has room again
                if state[o, SIZE] == state[o, CAPACITY]:
                    threshold[o] = heap[ob, KEY]
                break
            cursor[a] = p
            if rejected >= 0:  # it proposes again in the next sweep (or later in this one)
                rejected_mark[rejected] = True
                next_lo = min(next_lo, rejected)
                next_hi = max(next_hi, rejected + 1)
        first = False
        lo, hi = next_lo, next_hi
    return held


def solve_applicant_proposing(instance: Instance, key: IntArray) -> IntArray:
    """Matched pair per applicant (-1 = unmatched), by the compiled kernel."""
    offer_base = np.zeros(instance.n_offers + 1, dtype=np.int64)
    np.cumsum(instance.capacity + 1, out=offer_base[1:])
    group_room = np.zeros(len(instance.group_capacity), dtype=np.int64)
    grouped = instance.group >= 0
    np.add.at(group_room, instance.group[grouped], instance.capacity[grouped])
    group_base = np.zeros(len(group_room) + 1, dtype=np.int64)
    np.cumsum(np.minimum(group_room, instance.group_capacity) + 1, out=group_base[1:])
    return _da(
        readonly(instance.app_ptr),
        readonly(instance.app_offer),
        readonly(key),
        readonly(instance.capacity),
        readonly(instance.group),
        readonly(instance.group_capacity),
        readonly(offer_base),
        readonly(group_base),
    )


def cache_location() -> str:
    """Where numba keeps this installation's compiled kernels (next to the source, NUMBA_CACHE_DIR or a per-user
    folder); for the message of `ausbildung match --warm-up`."""
    cache = getattr(_da, "_cache", None)
    return str(getattr(cache, "_cache_path", "") or "numba cache")
