"""Compiled O(n) helpers for loading: id factorisation and lookup, grouping rows by applicant, duplicate
detection, the rank join, the single tie-breaking keys.

Codes of ids are int32 (half the bytes to move; there are never 2**31 offers or applicants). Large results are
allocated by the caller with numpy, which asks the kernel for transparent huge pages: fewer page faults than
numba's own allocations (docs/performance.md, "matching"). Array arguments are passed as read-only views
(instance.readonly): numba compiles one version per argument type, and arrays straight from Arrow are
read-only while others are not, so without this a new input file could need a fresh compilation (seconds)
instead of the cached one.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .instance import UNRANKED, Int32Array, IntArray, Ints


@njit(cache=True)
def factorize_dense(
    values: IntArray, low: int, table: Int32Array, codes: Int32Array
) -> tuple[IntArray, bool]:
    """Number integer ids in order of first appearance through `table` (id - low → code, all -1 on entry;
    every value must lie in its range), writing the code of every row into `codes`. Returns (row of the first
    appearance of every code, grouped: whether the rows of every id are consecutive)."""
    n = len(values)
    first = np.empty(min(n, len(table)), dtype=np.int64)
    count = 0
    grouped = True
    previous = -1
    for i in range(n):
        c = table[values[i] - low]
        if c < 0:
            c = count
            table[values[i] - low] = c
            first[c] = i
            count += 1
        elif c != previous:
            grouped = False
        previous = c
        codes[i] = c
    return first[:count].copy(), grouped


@njit(cache=True)
def grouped_ptr(codes: Ints, n: int) -> tuple[IntArray, bool]:
    """For codes numbered in order of first appearance: (ptr, True) when the rows of every code are
    consecutive (code c is rows ptr[c]:ptr[c+1]), else (empty, False)."""
    ptr = np.empty(n + 1, dtype=np.int64)
    ptr[n] = len(codes)
    previous = -1
    for i in range(len(codes)):
        c = codes[i]
        if c != previous:
            if c != previous + 1:
                return np.empty(0, dtype=np.int64), False
            ptr[c] = i
            previous = c
    if previous != n - 1:
        return np.empty(0, dtype=np.int64), False
    return ptr, True


@njit(cache=True)
def group_rows(codes: Ints, n: int) -> tuple[IntArray, IntArray]:
    """Stable counting sort: rows of code c are order[ptr[c]:ptr[c+1]] in file order."""
    ptr = np.zeros(n + 1, dtype=np.int64)
    for c in codes:
        ptr[c + 1] += 1
    for i in range(n):
        ptr[i + 1] += ptr[i]
    fill = ptr[:-1].copy()
    order = np.empty(len(codes), dtype=np.int64)
    for row in range(len(codes)):
        c = codes[row]
        order[fill[c]] = row
        fill[c] += 1
    return ptr, order


@njit(cache=True)
def first_bad_applicant_row(
    ptr: IntArray, order: IntArray, offer: Ints, rank: IntArray, n_off: int, identity: bool
) -> tuple[int, int]:
    """(row, kind) of the first problem in the applicant file in row order: kind 1 duplicate pair,
    2 rank not greater than the previous rank of the applicant; (-1, 0) when none. The rows of applicant a are
    order[ptr[a]:ptr[a+1]], or ptr[a]:ptr[a+1] themselves when identity (order is then not read)."""
    seen = np.full(n_off, -1, dtype=np.int64)
    best_row, best_kind = -1, 0
    for a in range(len(ptr) - 1):
        for i in range(ptr[a], ptr[a + 1]):
            row = i if identity else order[i]
            kind = 0
            if seen[offer[row]] == a:
                kind = 1
            elif i > ptr[a] and rank[row] <= rank[i - 1 if identity else order[i - 1]]:
                kind = 2
            seen[offer[row]] = a
            if kind and (best_row < 0 or row < best_row):
                best_row, best_kind = row, kind
    return best_row, best_kind


@njit(cache=True)
def rows_by_applicant(op_app: Ints, op_offer: Ints, op_rank: Ints, n_app: int, packed: Ints) -> IntArray:
    """Stable counting sort of the offer file's rows by applicant that moves the data: packed[i] = (offer,
    rank) of the i-th row in applicant order; the rows of applicant a are packed[ptr[a]:ptr[a+1]]. Returns ptr.
    (Writing the rows where they belong at once, instead of sorting row numbers and gathering later, keeps
    the join that follows a sequential read.)"""
    ptr = np.zeros(n_app + 1, dtype=np.int64)
    for a in op_app:
        ptr[a + 1] += 1
    for a in range(n_app):
        ptr[a + 1] += ptr[a]
    fill = ptr[:-1].copy()
    for row in range(len(op_app)):
        a = op_app[row]
        i = fill[a]
        packed[i, 0] = op_offer[row]
        packed[i, 1] = op_rank[row]
        fill[a] = i + 1
    return ptr


@njit(cache=True)
def join_offer_ranks(
    app_ptr: IntArray, pair_offer: Ints, ptr: IntArray, packed: Ints, n_off: int, out: IntArray
) -> bool:
    """out[p] = the offer's rank of the applicant of pair p (UNRANKED when the offer did not rank it), from
    the rows sorted by rows_by_applicant. Returns whether some (offer, applicant) row is repeated (which row
    comes first is left to the caller: the slow exact search only runs on bad input)."""
    # mark[o] = (last applicant that offer o ranked, so far, and its rank): one cache line per offer
    mark = np.full((n_off, 2), -1, dtype=packed.dtype)
    duplicate = False
    for a in range(len(app_ptr) - 1):
        for i in range(ptr[a], ptr[a + 1]):
            o = packed[i, 0]
            if mark[o, 0] == a:
                duplicate = True
            mark[o, 0] = a
            mark[o, 1] = packed[i, 1]
        for p in range(app_ptr[a], app_ptr[a + 1]):
            o = pair_offer[p]
            out[p] = mark[o, 1] if mark[o, 0] == a else UNRANKED
    return duplicate


@njit(cache=True)
def lookup(values: IntArray, table: Int32Array, low: int, out: Int32Array) -> int:
    """out[i] = table[values[i] - low], or -1 for values outside the table; returns the first i whose value
    is outside or maps to -1 (-1 when none)."""
    size = len(table)
    missing = -1
    for i in range(len(values)):
        v = values[i] - low
        c = table[v] if 0 <= v < size else -1
        if c < 0 and missing < 0:
            missing = i
        out[i] = c
    return missing


@njit(cache=True)
def single_tie_break_keys(
    app_ptr: IntArray,
    app_offer: IntArray,
    offer_rank: IntArray,
    numbers: IntArray,
    n_off: int,
    worst: int,
    key: IntArray,
) -> None:
    """key[p] = (rank, lottery number of the applicant, offer) as one integer; `worst` for unranked pairs."""
    n_app = len(app_ptr) - 1
    for a in range(n_app):
        tie = numbers[a]
        for p in range(app_ptr[a], app_ptr[a + 1]):
            r = offer_rank[p]
            key[p] = worst if r < 0 else (r * n_app + tie) * n_off + app_offer[p]
