"""The numba kernel: sequential applicant-proposing deferred acceptance with indexed heaps.

Each offer keeps its held pairs in a max-heap by key (worst on top) of size capacity+1, each group likewise;
every applicant holds at most one pair, so one heap position per applicant and heap kind is enough to delete
a pair from the other heap when one of them rejects it. Same result as reference.solve_applicant_proposing
(the applicant-optimal stable matching is unique), checked by the tests.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .instance import Instance, IntArray


@njit(cache=True, inline="always")
def _up(heap: IntArray, base: int, i: int, key: IntArray, pos: IntArray, who: IntArray) -> None:
    item = heap[base + i]
    while i > 0:
        parent = (i - 1) >> 1
        other = heap[base + parent]
        if key[other] >= key[item]:
            break
        heap[base + i] = other
        pos[who[other]] = i
        i = parent
    heap[base + i] = item
    pos[who[item]] = i


@njit(cache=True, inline="always")
def _down(heap: IntArray, base: int, size: int, i: int, key: IntArray, pos: IntArray, who: IntArray) -> None:
    item = heap[base + i]
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and key[heap[base + child + 1]] > key[heap[base + child]]:
            child += 1
        other = heap[base + child]
        if key[other] <= key[item]:
            break
        heap[base + i] = other
        pos[who[other]] = i
        i = child
    heap[base + i] = item
    pos[who[item]] = i


@njit(cache=True)
def _remove(heap: IntArray, base: int, size: int, i: int, key: IntArray, pos: IntArray, who: IntArray) -> int:
    """Remove the item at heap position i; returns the new size."""
    size -= 1
    if i != size:
        item = heap[base + size]
        heap[base + i] = item
        pos[who[item]] = i
        _down(heap, base, size, i, key, pos, who)
        _up(heap, base, pos[who[item]], key, pos, who)
    return size


@njit(cache=True)
def _da(
    app_ptr: IntArray,
    app_offer: IntArray,
    offer_rank: IntArray,
    key: IntArray,
    who: IntArray,
    capacity: IntArray,
    group: IntArray,
    group_capacity: IntArray,
    offer_base: IntArray,
    group_base: IntArray,
) -> IntArray:
    n_app = len(app_ptr) - 1
    held = np.full(n_app, -1, dtype=np.int64)
    cursor = app_ptr[:-1].copy()
    offer_heap = np.empty(offer_base[-1], dtype=np.int64)
    group_heap = np.empty(group_base[-1], dtype=np.int64)
    offer_size = np.zeros(len(capacity), dtype=np.int64)
    group_size = np.zeros(len(group_capacity), dtype=np.int64)
    offer_pos = np.zeros(n_app, dtype=np.int64)
    group_pos = np.zeros(n_app, dtype=np.int64)
    for start in range(n_app):
        a = start
        while a >= 0:
            p = cursor[a]
            end = app_ptr[a + 1]
            while p < end and (offer_rank[p] < 0 or capacity[app_offer[p]] == 0):
                p += 1
            if p >= end:
                cursor[a] = end
                break
            cursor[a] = p + 1
            o = app_offer[p]
            ob = offer_base[o]
            g = group[o]
            if offer_size[o] == capacity[o]:
                # fast rejection: the offer is full and holds only better pairs
                if key[offer_heap[ob]] < key[p]:
                    continue
            elif g >= 0 and group_size[g] == group_capacity[g]:
                # the offer has room, the group is full: p only gets in by beating the group's worst
                if group_capacity[g] == 0 or key[group_heap[group_base[g]]] < key[p]:
                    continue
            held[a] = p
            # insert into the offer heap
            offer_heap[ob + offer_size[o]] = p
            offer_size[o] += 1
            _up(offer_heap, ob, offer_size[o] - 1, key, offer_pos, who)
            if g >= 0:
                gb = group_base[g]
                group_heap[gb + group_size[g]] = p
                group_size[g] += 1
                _up(group_heap, gb, group_size[g] - 1, key, group_pos, who)
            a = -1
            if offer_size[o] > capacity[o]:
                r = offer_heap[ob]
                offer_size[o] = _remove(offer_heap, ob, offer_size[o], 0, key, offer_pos, who)
                a = who[r]
                if g >= 0:
                    group_size[g] = _remove(
                        group_heap, group_base[g], group_size[g], group_pos[a], key, group_pos, who
                    )
                held[a] = -1
            elif g >= 0 and group_size[g] > group_capacity[g]:
                gb = group_base[g]
                r = group_heap[gb]
                group_size[g] = _remove(group_heap, gb, group_size[g], 0, key, group_pos, who)
                a = who[r]
                ro = app_offer[r]
                offer_size[ro] = _remove(
                    offer_heap, offer_base[ro], offer_size[ro], offer_pos[a], key, offer_pos, who
                )
                held[a] = -1
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
    return _da(  # type: ignore[no-any-return]
        instance.app_ptr,
        instance.app_offer,
        instance.offer_rank,
        key,
        instance.pair_applicant,
        instance.capacity,
        instance.group,
        instance.group_capacity,
        offer_base,
        group_base,
    )
