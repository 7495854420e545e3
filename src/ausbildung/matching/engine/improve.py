"""Stable improvement cycles (Erdil & Ergin 2008, "What's the matter with tie-breaking? Improving efficiency
in school choice", AER 98(3)): making a stable matching better for applicants without losing stability.

Breaking ties by a lottery costs efficiency: deferred acceptance on the tie-broken instance is stable for the
offers' weak rankings, but there can be applicants who would trade seats, each getting an offer they prefer,
without any offer being asked to take someone it ranks strictly worse than an applicant who wants it.

Definitions (for a matching mu, weak ranks of the input, 1 = best):
- a *desires* o when o ranked a and a ranks o strictly above mu(a) (or a is unmatched);
- D_o: the desirers of o whose rank at o is the best rank among all desirers of o (ties included), further
  restricted for grouped offers (below);
- the digraph: an applicant a points to every offer o with a in D_o; an offer points to every applicant it
  holds (so capacities > 1 need no copies of the offer);
- a stable improvement cycle a1 -> o2 -> a2 -> o3 -> ... -> a1: every applicant on it takes the offer it points
  to and gives up its own seat to the applicant before it. Every offer on the cycle loses one holder and gains
  one applicant, so no offer's count changes, hence no group's count changes either: capacities and group caps
  stay satisfied.

Stability is kept. Moving applicants only improve, so afterwards every desirer of o also desired o before.
A pair (b, o) did not block mu because (1) o held capacity[o] applicants ranked at least as well as b, or
(2) o's group g held group_capacity[g] applicants ranked (at their own offer) at least as well as b.
(1) survives: everyone entering o was in D_o, so ranked at least as well as b, and replaces one leaver.
(2) does *not* survive plain Erdil-Ergin cycles: an applicant entering another offer o' of the group may be
ranked worse than b, replacing one ranked better, and the group's count of applicants ranked at least as well
as b drops. So for an offer o of a group g, D_o also requires rank <= T_g, where T_g is the best rank of a
desirer (b, o'') of any offer o'' of g that is protected by (2) only. Then every entrant into g is ranked at
least as well as every such b, and (2) survives too. (1)-protection only grows and desires only shrink, so
T_g never gets better and an edge a -> o, once present, stays until a moves past o. Without groups this is
exactly Erdil-Ergin's algorithm, and by their theorem the result admits no stable matching that every
applicant weakly prefers and one strictly prefers. With group caps the result is stable and weakly better for
every applicant, but that optimality is not guaranteed (a company's choice is then not responsive; moving a
seat between the offers of one group is not a cycle of this kind).

Procedure (deterministic, no randomness): rounds; in each round the graph is built from the current matching
and searched depth-first from applicants in index order, following an applicant's edges in its preference
order and an offer's holders in applicant index order. A back edge closes a cycle; its nodes are taken out for
the rest of the round and the search goes on, so a round finds a set of disjoint cycles, and at least one when
the graph has any cycle. The round's cycles are executed together (each was an improvement cycle of the same
matching and they share no applicant, so the argument above covers them jointly); rounds repeat until a round
finds none. The numba kernel and the plain-Python reference implement the same search and give equal results.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numba import njit

from .instance import Instance, IntArray, readonly

NO_RANK = np.iinfo(np.int64).max


@dataclass(frozen=True)
class Improvement:
    """What the improvement step did: the DA result it started from and how it changed."""

    before: IntArray  # matched pair per applicant before the improvement (-1 unmatched)
    cycles: int  # stable improvement cycles executed
    rounds: int  # rounds of graph building and search (the last one finds no cycle)
    improved: int  # applicants whose final offer is better than their DA offer
    seconds: float  # wall time of the improvement step


@njit(cache=True)
def _round(
    app_ptr: IntArray,
    app_offer: IntArray,
    offer_rank: IntArray,
    capacity: IntArray,
    group: IntArray,
    group_capacity: IntArray,
    pairs: IntArray,
) -> int:
    """One round: build the graph for `pairs`, find disjoint cycles, execute them in place. Returns the number
    of cycles executed."""
    n_app = len(app_ptr) - 1
    n_off = len(capacity)
    n_groups = len(group_capacity)
    big = np.iinfo(np.int64).max
    # holders of every offer, in applicant index order
    filled = np.zeros(n_off, dtype=np.int64)
    worst = np.zeros(n_off, dtype=np.int64)
    for a in range(n_app):
        p = pairs[a]
        if p >= 0:
            o = app_offer[p]
            filled[o] += 1
            if offer_rank[p] > worst[o]:
                worst[o] = offer_rank[p]
    hold_ptr = np.zeros(n_off + 1, dtype=np.int64)
    for o in range(n_off):
        hold_ptr[o + 1] = hold_ptr[o] + filled[o]
    fill = hold_ptr[:-1].copy()
    hold_app = np.empty(hold_ptr[n_off], dtype=np.int64)
    for a in range(n_app):
        p = pairs[a]
        if p >= 0:
            o = app_offer[p]
            hold_app[fill[o]] = a
            fill[o] += 1
    # best rank among the desirers of every offer; T_g per group
    best = np.full(n_off, big, dtype=np.int64)
    threshold = np.full(n_groups, big, dtype=np.int64)
    for a in range(n_app):
        end = pairs[a] if pairs[a] >= 0 else app_ptr[a + 1]
        for p in range(app_ptr[a], end):
            r = offer_rank[p]
            if r < 0:
                continue
            o = app_offer[p]
            if r < best[o]:
                best[o] = r
            g = group[o]
            if g >= 0 and not (filled[o] >= capacity[o] and r >= worst[o]) and r < threshold[g]:
                threshold[g] = r
    # edges a -> o (as pair indices) of matched applicants, in preference order
    edge_ptr = np.zeros(n_app + 1, dtype=np.int64)
    count = 0
    for a in range(n_app):
        if pairs[a] >= 0:
            for p in range(app_ptr[a], pairs[a]):
                r = offer_rank[p]
                o = app_offer[p]
                if r >= 0 and r == best[o] and filled[o] > 0 and (group[o] < 0 or r <= threshold[group[o]]):
                    count += 1
        edge_ptr[a + 1] = count
    if count == 0:
        return 0
    edge_pair = np.empty(count, dtype=np.int64)
    k = 0
    for a in range(n_app):
        if pairs[a] >= 0:
            for p in range(app_ptr[a], pairs[a]):
                r = offer_rank[p]
                o = app_offer[p]
                if r >= 0 and r == best[o] and filled[o] > 0 and (group[o] < 0 or r <= threshold[group[o]]):
                    edge_pair[k] = p
                    k += 1
    # depth-first search; node states 0 unseen, 1 on the stack, 2 done (or used by a cycle)
    app_state = np.zeros(n_app, dtype=np.int8)
    offer_state = np.zeros(n_off, dtype=np.int8)
    app_pos = np.zeros(n_app, dtype=np.int64)  # stack position of an applicant on the stack
    offer_pos = np.zeros(n_off, dtype=np.int64)
    depth = 2 * n_app + 2
    kind = np.zeros(depth, dtype=np.int8)  # 0 applicant, 1 offer
    node = np.zeros(depth, dtype=np.int64)
    cursor = np.zeros(depth, dtype=np.int64)  # next edge / next holder
    via = np.zeros(depth, dtype=np.int64)  # for an applicant frame: the pair it follows
    new_pair = pairs.copy()
    cycles = 0
    for root in range(n_app):
        if app_state[root] != 0 or edge_ptr[root] == edge_ptr[root + 1]:
            continue
        top = 0
        kind[0] = 0
        node[0] = root
        cursor[0] = edge_ptr[root]
        app_state[root] = 1
        app_pos[root] = 0
        while top >= 0:
            start = -1
            if kind[top] == 0:
                a = node[top]
                if cursor[top] < edge_ptr[a + 1]:
                    p = edge_pair[cursor[top]]
                    cursor[top] += 1
                    o = app_offer[p]
                    via[top] = p
                    if offer_state[o] == 0:
                        top += 1
                        kind[top] = 1
                        node[top] = o
                        cursor[top] = hold_ptr[o]
                        offer_state[o] = 1
                        offer_pos[o] = top
                    elif offer_state[o] == 1:
                        start = offer_pos[o]
                else:
                    app_state[a] = 2
                    top -= 1
            else:
                o = node[top]
                if cursor[top] < hold_ptr[o + 1]:
                    h = hold_app[cursor[top]]
                    cursor[top] += 1
                    if app_state[h] == 0:
                        top += 1
                        kind[top] = 0
                        node[top] = h
                        cursor[top] = edge_ptr[h]
                        app_state[h] = 1
                        app_pos[h] = top
                    elif app_state[h] == 1:
                        start = app_pos[h]
                else:
                    offer_state[o] = 2
                    top -= 1
            if start >= 0:
                # the stack from `start` to `top` is a cycle: execute it (after the round), take it out
                for i in range(start, top + 1):
                    if kind[i] == 0:
                        new_pair[node[i]] = via[i]
                        app_state[node[i]] = 2
                    else:
                        offer_state[node[i]] = 2
                cycles += 1
                top = start - 1
    for a in range(n_app):
        pairs[a] = new_pair[a]
    return cycles


def _improve_numba(instance: Instance, pairs: IntArray) -> tuple[IntArray, int, int]:
    pairs = np.ascontiguousarray(pairs, dtype=np.int64).copy()
    cycles = rounds = 0
    while True:
        rounds += 1
        found = _round(
            readonly(instance.app_ptr),
            readonly(instance.app_offer),
            readonly(instance.offer_rank),
            readonly(instance.capacity),
            readonly(instance.group),
            readonly(instance.group_capacity),
            pairs,
        )
        cycles += found
        if not found:
            return pairs, cycles, rounds


def _improve_python(instance: Instance, pairs: IntArray) -> tuple[IntArray, int, int]:
    """The readable reference: the same rounds and search order as the kernel, on Python lists and dicts."""
    current = [int(p) for p in pairs]
    cycles = rounds = 0
    while True:
        rounds += 1
        found = _round_python(instance, current)
        cycles += found
        if not found:
            return np.array(current, dtype=np.int64), cycles, rounds


def _round_python(instance: Instance, current: list[int]) -> int:
    ptr = instance.app_ptr.tolist()
    app_offer = instance.app_offer.tolist()
    offer_rank = instance.offer_rank.tolist()
    capacity = instance.capacity.tolist()
    group = instance.group.tolist()
    n_app = len(current)
    holders: dict[int, list[int]] = {}
    for a, p in enumerate(current):
        if p >= 0:
            holders.setdefault(app_offer[p], []).append(a)
    worst = {o: max(offer_rank[current[a]] for a in held) for o, held in holders.items()}
    desires = [
        [p for p in range(ptr[a], current[a] if current[a] >= 0 else ptr[a + 1]) if offer_rank[p] >= 0]
        for a in range(n_app)
    ]
    best: dict[int, int] = {}  # best rank among the desirers of each offer
    threshold: dict[int, int] = {}  # T_g
    for a in range(n_app):
        for p in desires[a]:
            o, r = app_offer[p], offer_rank[p]
            best[o] = min(best.get(o, NO_RANK), r)
            protected = len(holders.get(o, [])) >= capacity[o] and r >= worst.get(o, 0)
            if group[o] >= 0 and not protected:
                threshold[group[o]] = min(threshold.get(group[o], NO_RANK), r)

    def in_d(p: int) -> bool:
        o, r = app_offer[p], offer_rank[p]
        return r == best[o] and o in holders and (group[o] < 0 or r <= threshold.get(group[o], NO_RANK))

    edges = [[p for p in desires[a] if in_d(p)] if current[a] >= 0 else [] for a in range(n_app)]

    # depth-first search; `path` is the stack of nodes ("a", applicant, pair it follows) / ("o", offer, -1)
    done_app: set[int] = set()
    done_offer: set[int] = set()
    moves: dict[int, int] = {}
    path: list[tuple[str, int, int]] = []
    found = 0

    def position(kind: str, node: int) -> int:
        return next((i for i, (k, n, _) in enumerate(path) if k == kind and n == node), -1)

    def close(start: int) -> None:
        """path[start:] is a cycle: record its moves, take its nodes out for the rest of the round."""
        nonlocal found
        found += 1
        for kind, n, p in path[start:]:
            if kind == "a":
                moves[n] = p
                done_app.add(n)
            else:
                done_offer.add(n)
        del path[start + 1 :]  # the frame of path[start] removes that entry when it returns

    # every frame removes its own entry on return (a no-op when a cycle closed below it removed it already)

    def visit_offer(o: int) -> None:
        path.append(("o", o, -1))
        index = len(path) - 1
        for h in holders[o]:
            if o in done_offer:  # taken out by a cycle closed deeper down
                break
            back = position("a", h)
            if back >= 0:
                close(back)
            elif h not in done_app:
                visit_applicant(h)
        done_offer.add(o)
        del path[index:]

    def visit_applicant(a: int) -> None:
        path.append(("a", a, -1))
        index = len(path) - 1
        for p in edges[a]:
            if a in done_app:  # taken out by a cycle closed deeper down
                break
            path[index] = ("a", a, p)
            o = app_offer[p]
            back = position("o", o)
            if back >= 0:
                close(back)
            elif o not in done_offer:
                visit_offer(o)
        done_app.add(a)
        del path[index:]

    for root in range(n_app):
        if root not in done_app and edges[root]:
            visit_applicant(root)
    for a, p in moves.items():
        current[a] = p
    return found


def improve(
    instance: Instance, pairs: IntArray, *, kernel: Literal["numba", "python"] = "numba"
) -> tuple[IntArray, Improvement]:
    """Execute stable improvement cycles on a stable matching (matched pair per applicant, -1 unmatched).

    Returns the improved pairs and what was done. Deterministic: no randomness, fixed search order.
    """
    started = time.perf_counter()
    before = np.asarray(pairs, dtype=np.int64)
    run = _improve_numba if kernel == "numba" else _improve_python
    after, cycles, rounds = run(instance, before)
    improved = int((after != before).sum())
    seconds = time.perf_counter() - started
    return after, Improvement(before.copy(), cycles, rounds, improved, seconds)
