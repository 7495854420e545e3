"""The speed-dating planner (issue #22): who talks to which company, then a timetable of slots with no clash.

Pure: numbers in, plan out (import-linter checks that it imports nothing of the platform), so it is tested on
its own and benchmarked at the size of the largest IHK rounds (700 applicants, 180 companies, 5 wishes).

**Assignment: rounds of wishes, in a rotating order.** Round 1 gives every applicant their first wish where the
company has a talk left, round 2 their second, and so on; within a round the applicants take turns in an order
that starts at a different place each round (a seeded shuffle, then rotated), so nobody is always first. This
is serial dictatorship by rank: every first wish that can be met is met before any second wish, which is what
"best wishes first" asks; and because the turns rotate, an applicant who lost a contested first wish is early in
the next round. It is not the maximum number of talks possible (a max-flow would find more in rare corner cases,
at the cost of giving someone a fifth wish instead of another's first); the benchmark compares it with
first come, first served (FCFS: applicants in the order they registered take all their wishes at once).

**Timetable: edge colouring of a bipartite graph.** Applicants on one side, company tables on the other (a company
with k tables is k vertices; its talks are spread over them round-robin), one edge per talk. A slot is a colour:
no applicant and no table may have two talks in one slot. By König's edge-colouring theorem a bipartite graph
can be coloured with exactly Δ colours, Δ its largest degree: the number of slots needed equals the largest
load of any applicant or table, so the timetable is as short as it can possibly be. The algorithm colours the
edges one by one; when the applicant's free colour α is taken at the table, the alternating α/β path from the
table is recoloured (a Kempe chain), which frees α there (the path cannot return to the applicant in a
bipartite graph). O(E·V) in the worst case, milliseconds at the benchmark's size.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Plan:
    talks: dict[int, list[int]]  # applicant → companies, in the order of their wishes
    slots: dict[tuple[int, int], int]  # (applicant, company) → slot number (0-based)
    tables: dict[tuple[int, int], int]  # (applicant, company) → table number at the company (0-based)
    slot_count: int
    wishes_met: int
    wishes_total: int
    met_by_rank: dict[int, int] = field(default_factory=dict)  # rank (1-based) → wishes met of that rank

    def per_applicant(self) -> list[int]:
        return [len(companies) for companies in self.talks.values()]


def assign_rounds(
    wishes: Mapping[int, Sequence[int]], capacity: Mapping[int, int], *, max_talks: int, seed: int = 0
) -> dict[int, list[int]]:
    """Rounds of wishes in a rotating order (see the module docstring). `capacity[c]`: talks company c can hold
    in all (tables × slots); `max_talks`: talks per applicant at most (the slots of the event)."""
    left = dict(capacity)
    talks: dict[int, list[int]] = {a: [] for a in wishes}
    order = list(wishes)
    random.Random(seed).shuffle(order)  # noqa: S311 - a fair order of turns, not a secret
    rounds = max((len(w) for w in wishes.values()), default=0)
    for rank in range(rounds):
        shift = (rank * len(order)) // max(rounds, 1)
        for applicant in order[shift:] + order[:shift]:
            chosen = wishes[applicant]
            if rank >= len(chosen) or len(talks[applicant]) >= max_talks:
                continue
            company = chosen[rank]
            if left.get(company, 0) > 0 and company not in talks[applicant]:
                talks[applicant].append(company)
                left[company] -= 1
    return talks


def assign_fcfs(
    wishes: Mapping[int, Sequence[int]], capacity: Mapping[int, int], *, max_talks: int
) -> dict[int, list[int]]:
    """First come, first served: in the order given, each applicant takes all their wishes that are left."""
    left = dict(capacity)
    talks: dict[int, list[int]] = {}
    for applicant, chosen in wishes.items():
        talks[applicant] = []
        for company in chosen:
            if len(talks[applicant]) >= max_talks:
                break
            if left.get(company, 0) > 0 and company not in talks[applicant]:
                talks[applicant].append(company)
                left[company] -= 1
    return talks


def timetable(
    talks: Mapping[int, Sequence[int]], tables: Mapping[int, int]
) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], int], int]:
    """Slots and tables for the talks: (slot of each talk, table of each talk, number of slots). The number of
    slots equals the largest number of talks of any applicant or table (König)."""
    table_of: dict[tuple[int, int], int] = {}
    load: dict[int, int] = defaultdict(int)
    for applicant, companies in talks.items():
        for company in companies:
            table_of[(applicant, company)] = load[company] % max(tables.get(company, 1), 1)
            load[company] += 1
    # vertices: ("a", applicant) and ("t", company, table); colour maps per vertex: colour → other end
    at: dict[tuple, dict[int, tuple]] = defaultdict(dict)
    edges = [
        (("a", applicant), ("t", company, table_of[(applicant, company)]), (applicant, company))
        for applicant, companies in talks.items()
        for company in companies
    ]
    degree: dict[tuple, int] = defaultdict(int)
    for u, v, _key in edges:
        degree[u] += 1
        degree[v] += 1
    colours = max(degree.values(), default=0)

    def free(vertex: tuple) -> int:
        used = at[vertex]
        return next(c for c in range(colours) if c not in used)

    for u, v, _key in edges:
        alpha, beta = free(u), free(v)
        if alpha not in at[v]:
            at[u][alpha], at[v][alpha] = v, u
            continue
        # Kempe chain from v alternating alpha/beta; swap its colours, then alpha is free at v (and still at u)
        path, vertex, colour = [], v, alpha
        while colour in at[vertex]:
            nxt = at[vertex][colour]
            path.append((vertex, nxt, colour))
            vertex, colour = nxt, beta if colour == alpha else alpha
        for x, y, c in path:
            del at[x][c]
            del at[y][c]
        for x, y, c in path:
            swapped = beta if c == alpha else alpha
            at[x][swapped], at[y][swapped] = y, x
        at[u][alpha], at[v][alpha] = v, u
    slot_of = {}
    for u, v, key in edges:
        slot_of[key] = next(c for c, other in at[u].items() if other == v)
    return slot_of, table_of, colours


def plan(
    wishes: Mapping[int, Sequence[int]],
    tables: Mapping[int, int],
    *,
    slots: int,
    seed: int = 0,
    method: str = "rounds",
) -> Plan:
    """Assign and schedule: each company holds `tables[c]` talks per slot, each applicant one talk per slot."""
    capacity = {company: count * slots for company, count in tables.items()}
    assign = (
        assign_rounds(wishes, capacity, max_talks=slots, seed=seed)
        if method == "rounds"
        else assign_fcfs(wishes, capacity, max_talks=slots)
    )
    slot_of, table_of, count = timetable(assign, tables)
    met_by_rank: dict[int, int] = defaultdict(int)
    for applicant, companies in assign.items():
        for company in companies:
            met_by_rank[list(wishes[applicant]).index(company) + 1] += 1
    return Plan(
        talks=assign,
        slots=slot_of,
        tables=table_of,
        slot_count=count,
        wishes_met=sum(len(c) for c in assign.values()),
        wishes_total=sum(len(w) for w in wishes.values()),
        met_by_rank=dict(sorted(met_by_rank.items())),
    )
