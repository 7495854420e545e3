"""Compiled O(n) helpers for loading: grouping rows by applicant, duplicate detection, the rank join."""

from __future__ import annotations

import numpy as np
from numba import njit

from .instance import UNRANKED, IntArray


@njit(cache=True)
def group_rows(codes: IntArray, n: int) -> tuple[IntArray, IntArray]:
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
    ptr: IntArray, order: IntArray, offer: IntArray, rank: IntArray, n_off: int
) -> tuple[int, int]:
    """(row, kind) of the first problem in the applicant file in row order: kind 1 duplicate pair,
    2 rank not greater than the previous rank of the applicant; (-1, 0) when none."""
    seen = np.full(n_off, -1, dtype=np.int64)
    best_row, best_kind = -1, 0
    for a in range(len(ptr) - 1):
        for i in range(ptr[a], ptr[a + 1]):
            row = order[i]
            kind = 0
            if seen[offer[row]] == a:
                kind = 1
            elif i > ptr[a] and rank[row] <= rank[order[i - 1]]:
                kind = 2
            seen[offer[row]] = a
            if kind and (best_row < 0 or row < best_row):
                best_row, best_kind = row, kind
    return best_row, best_kind


@njit(cache=True)
def join_offer_ranks(
    app_ptr: IntArray,
    pair_offer: IntArray,
    op_ptr: IntArray,
    op_order: IntArray,
    op_offer: IntArray,
    op_rank: IntArray,
    n_off: int,
) -> tuple[IntArray, int]:
    """The offer's rank of every applicant pair (UNRANKED when the offer did not rank the applicant), and the
    first duplicate (offer, applicant) row of the offer file (-1 when none)."""
    rank_of = np.full(n_off, 0, dtype=np.int64)
    stamp = np.full(n_off, -1, dtype=np.int64)
    out = np.full(len(pair_offer), UNRANKED, dtype=np.int64)
    duplicate = -1
    for a in range(len(app_ptr) - 1):
        for i in range(op_ptr[a], op_ptr[a + 1]):
            row = op_order[i]
            o = op_offer[row]
            if stamp[o] == a and (duplicate < 0 or row < duplicate):
                duplicate = row
            stamp[o] = a
            rank_of[o] = op_rank[row]
        for p in range(app_ptr[a], app_ptr[a + 1]):
            o = pair_offer[p]
            if stamp[o] == a:
                out[p] = rank_of[o]
    return out, duplicate


@njit(cache=True)
def lookup(values: IntArray, table: IntArray, low: int) -> IntArray:
    """table[value - low], or -1 for values outside the table."""
    out = np.empty(len(values), dtype=np.int64)
    size = len(table)
    for i in range(len(values)):
        v = values[i] - low
        out[i] = table[v] if 0 <= v < size else -1
    return out


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
