"""Compiled O(n) helpers for loading: id factorisation and lookup, grouping rows by applicant, duplicate
detection, the rank join, the single tie-breaking keys.

Codes of ids are int32 (half the bytes to move; there are never 2**31 offers or applicants). Array arguments
are passed as read-only views (instance.readonly): numba compiles one version per argument
type, and arrays straight from Arrow are read-only while others are not, so without this a new input file
could need a fresh compilation (seconds) instead of the cached one.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .instance import UNRANKED, Int32Array, IntArray, Ints


@njit(cache=True)
def factorize_dense(values: IntArray, low: int, span: int) -> tuple[Int32Array, IntArray, Int32Array, bool]:
    """Codes of integer ids numbered in order of first appearance, through a table over the id range
    low..low+span-1 (every value must lie in it). Returns (code per row, row of the first appearance of every
    code, the table: id - low → code or -1, grouped: whether the rows of every id are consecutive)."""
    table = np.full(span, -1, dtype=np.int32)
    n = len(values)
    codes = np.empty(n, dtype=np.int32)
    first = np.empty(min(n, span), dtype=np.int64)
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
    return codes, first[:count].copy(), table, grouped


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
def _join_grouped(
    app_ptr: IntArray,
    pair_offer: Ints,
    ptr: IntArray,
    offers: Ints,
    ranks: Ints,
    n_off: int,
) -> tuple[IntArray, bool]:
    """The rank join for offer-file rows already grouped by applicant (rows ptr[a]:ptr[a+1])."""
    rank_of = np.zeros(n_off, dtype=np.int64)
    stamp = np.full(n_off, -1, dtype=np.int64)
    out = np.full(len(pair_offer), UNRANKED, dtype=np.int64)
    duplicate = False
    for a in range(len(app_ptr) - 1):
        for i in range(ptr[a], ptr[a + 1]):
            o = offers[i]
            if stamp[o] == a:
                duplicate = True
            stamp[o] = a
            rank_of[o] = ranks[i]
        for p in range(app_ptr[a], app_ptr[a + 1]):
            o = pair_offer[p]
            if stamp[o] == a:
                out[p] = rank_of[o]
    return out, duplicate


@njit(cache=True)
def join_offer_ranks(
    app_ptr: IntArray,
    pair_offer: Ints,
    op_app: Ints,
    op_offer: Ints,
    op_rank: Ints,
    n_off: int,
) -> tuple[IntArray, bool]:
    """The offer's rank of every applicant pair (UNRANKED when the offer did not rank the applicant), and
    whether some (offer, applicant) row of the offer file is repeated (which row comes first is left to the
    caller: the slow exact search only runs on bad input).

    The offer rows are brought into applicant order by a counting sort that moves (offer, rank) themselves,
    so the join then reads them in sequence; rows already in applicant order are used as they are."""
    n_app = len(app_ptr) - 1
    ptr = np.zeros(n_app + 1, dtype=np.int64)
    ordered = True
    previous = 0
    for a in op_app:
        ptr[a + 1] += 1
        if a < previous:
            ordered = False
        previous = a
    for a in range(n_app):
        ptr[a + 1] += ptr[a]
    if ordered:
        return _join_grouped(app_ptr, pair_offer, ptr, op_offer, op_rank, n_off)
    offers = np.empty(len(op_app), dtype=op_offer.dtype)
    ranks = np.empty(len(op_app), dtype=op_rank.dtype)
    fill = ptr[:-1].copy()
    for row in range(len(op_app)):
        a = op_app[row]
        i = fill[a]
        offers[i] = op_offer[row]
        ranks[i] = op_rank[row]
        fill[a] = i + 1
    return _join_grouped(app_ptr, pair_offer, ptr, offers, ranks, n_off)


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
    app_ptr: IntArray, app_offer: IntArray, offer_rank: IntArray, numbers: IntArray, n_off: int, worst: int
) -> IntArray:
    """key[p] = (rank, lottery number of the applicant, offer) as one integer; `worst` for unranked pairs."""
    n_app = len(app_ptr) - 1
    key = np.empty(len(app_offer), dtype=np.int64)
    for a in range(n_app):
        tie = numbers[a]
        for p in range(app_ptr[a], app_ptr[a + 1]):
            r = offer_rank[p]
            key[p] = worst if r < 0 else (r * n_app + tie) * n_off + app_offer[p]
    return key
