"""The numba kernel: sequential applicant-proposing deferred acceptance with indexed heaps.

Each offer keeps the applicants it holds in a max-heap by key (worst on top) of size capacity+1, each group
likewise; a heap entry is (key, applicant), so comparisons never leave the heap's own memory. Every applicant
holds at most one pair, so one heap position per applicant and heap kind is enough to delete an applicant from
the other heap when one of them rejects it. Same result as reference.solve_applicant_proposing
(the applicant-optimal stable matching is unique), checked by the tests.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .instance import UNACCEPTABLE_KEY, Instance, IntArray

OPEN = UNACCEPTABLE_KEY - 1  # threshold of an offer with a free place: every acceptable key is below it


@njit(cache=True, inline="always")
def _up(hkey: IntArray, happ: IntArray, base: int, i: int, pos: IntArray) -> None:
    k = hkey[base + i]
    a = happ[base + i]
    while i > 0:
        parent = (i - 1) >> 1
        if hkey[base + parent] >= k:
            break
        hkey[base + i] = hkey[base + parent]
        happ[base + i] = happ[base + parent]
        pos[happ[base + i]] = i
        i = parent
    hkey[base + i] = k
    happ[base + i] = a
    pos[a] = i


@njit(cache=True, inline="always")
def _down(hkey: IntArray, happ: IntArray, base: int, size: int, i: int, pos: IntArray) -> None:
    k = hkey[base + i]
    a = happ[base + i]
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and hkey[base + child + 1] > hkey[base + child]:
            child += 1
        if hkey[base + child] <= k:
            break
        hkey[base + i] = hkey[base + child]
        happ[base + i] = happ[base + child]
        pos[happ[base + i]] = i
        i = child
    hkey[base + i] = k
    happ[base + i] = a
    pos[a] = i


@njit(cache=True)
def _push(hkey: IntArray, happ: IntArray, base: int, size: int, k: int, a: int, pos: IntArray) -> int:
    hkey[base + size] = k
    happ[base + size] = a
    _up(hkey, happ, base, size, pos)
    return size + 1


@njit(cache=True)
def _remove(hkey: IntArray, happ: IntArray, base: int, size: int, i: int, pos: IntArray) -> int:
    """Remove the entry at heap position i; returns the new size."""
    size -= 1
    if i != size:
        a = happ[base + size]
        hkey[base + i] = hkey[base + size]
        happ[base + i] = a
        pos[a] = i
        _down(hkey, happ, base, size, i, pos)
        _up(hkey, happ, base, pos[a], pos)
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
    held = np.full(n_app, -1, dtype=np.int64)
    cursor = app_ptr[:-1].copy()
    okey = np.empty(offer_base[-1], dtype=np.int64)
    oapp = np.empty(offer_base[-1], dtype=np.int64)
    gkey = np.empty(group_base[-1], dtype=np.int64)
    gapp = np.empty(group_base[-1], dtype=np.int64)
    offer_size = np.zeros(n_off, dtype=np.int64)
    group_size = np.zeros(len(group_capacity), dtype=np.int64)
    offer_pos = np.zeros(n_app, dtype=np.int64)
    group_pos = np.zeros(n_app, dtype=np.int64)
    # threshold[o]: a proposal with a larger key is rejected by the offer at once
    threshold = np.empty(n_off, dtype=np.int64)
    for o in range(n_off):
        threshold[o] = OPEN if capacity[o] > 0 else -1
    for start in range(n_app):
        a = start
        while a >= 0:
            p = cursor[a]
            end = app_ptr[a + 1]
            # unacceptable pairs carry the largest key, so this one test skips them too
            while p < end and key[p] > threshold[app_offer[p]]:
                p += 1
            if p >= end:
                cursor[a] = end
                break
            cursor[a] = p + 1
            o = app_offer[p]
            k = key[p]
            g = group[o]
            # the offer has room but its group is full: p only gets in by beating the group's worst
            if (
                g >= 0
                and offer_size[o] < capacity[o]
                and group_size[g] == group_capacity[g]
                and (group_capacity[g] == 0 or gkey[group_base[g]] < k)
            ):
                continue
            held[a] = p
            ob = offer_base[o]
            offer_size[o] = _push(okey, oapp, ob, offer_size[o], k, a, offer_pos)
            if g >= 0:
                group_size[g] = _push(gkey, gapp, group_base[g], group_size[g], k, a, group_pos)
            a = -1
            if offer_size[o] > capacity[o]:
                a = oapp[ob]
                offer_size[o] = _remove(okey, oapp, ob, offer_size[o], 0, offer_pos)
                if g >= 0:
                    group_size[g] = _remove(gkey, gapp, group_base[g], group_size[g], group_pos[a], group_pos)
                held[a] = -1
            elif g >= 0 and group_size[g] > group_capacity[g]:
                gb = group_base[g]
                a = gapp[gb]
                group_size[g] = _remove(gkey, gapp, gb, group_size[g], 0, group_pos)
                ro = app_offer[held[a]]
                rb = offer_base[ro]
                offer_size[ro] = _remove(okey, oapp, rb, offer_size[ro], offer_pos[a], offer_pos)
                held[a] = -1
                threshold[ro] = OPEN  # it just lost one: it has room again
            if offer_size[o] == capacity[o]:
                threshold[o] = okey[ob]
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
        instance.app_ptr,
        instance.app_offer,
        key,
        instance.capacity,
        instance.group,
        instance.group_capacity,
        offer_base,
        group_base,
    )
