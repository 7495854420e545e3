"""The speed-dating planner at the size of the largest IHK rounds (issue #22): 700 applicants, 180 companies,
5 wishes each; target: planned (assignment and timetable) in ≤ 2 s.

`make bench BENCH=speed-dating` (or `python -m bench speed-dating`). Generated, seeded: 180 companies with 1–3
tables (talks at the same time), 18 slots of 10 minutes (three hours), 700 applicants with 5 different wishes
drawn with a popularity skew (Zipf-like: a few companies are wanted by many). In the same run and on the same
input: first come, first served (applicants in registration order take all their wishes at once). Printed for
both: the time, wishes met (in all and by rank), talks per applicant (fewest, mean), applicants without any talk,
and the number of slots the timetable needs (the largest load, König). Exit code 0 when the planner is within
the target.
"""

from __future__ import annotations

import random
import statistics
import sys
import time

APPLICANTS, COMPANIES, WISHES, SLOTS = 700, 180, 5, 18
TARGET_S = 2.0
SEED = 22


def generate(seed: int = SEED) -> tuple[dict[int, list[int]], dict[int, int]]:
    rng = random.Random(seed)
    tables = {c: rng.choice([1, 1, 2, 2, 3]) for c in range(COMPANIES)}
    weights = [1 / (rank + 1) ** 0.8 for rank in range(COMPANIES)]
    wishes = {}
    for applicant in range(APPLICANTS):
        chosen: list[int] = []
        while len(chosen) < WISHES:
            company = rng.choices(range(COMPANIES), weights=weights)[0]
            if company not in chosen:
                chosen.append(company)
        wishes[applicant] = chosen
    return wishes, tables


def report(label: str, seconds: float, plan) -> str:
    per = plan.per_applicant()
    ranks = ", ".join(f"{rank}: {count}" for rank, count in plan.met_by_rank.items())
    return (
        f"speed-dating: {label:<28} {seconds * 1000:8.1f} ms; wishes met {plan.wishes_met} of {plan.wishes_total} "
        f"(by rank {ranks}); talks per applicant fewest {min(per)}, mean {statistics.mean(per):.2f}, "
        f"{sum(1 for n in per if n == 0)} without a talk; {plan.slot_count} slots needed"
    )


def main() -> int:
    sys.path.insert(0, "src")
    from ausbildung.campaigns import speeddating

    wishes, tables = generate()
    timings = {}
    plans = {}
    for method in ("rounds", "fcfs"):
        best = None
        for _ in range(3):
            began = time.perf_counter()
            plans[method] = speeddating.plan(wishes, tables, slots=SLOTS, seed=SEED, method=method)
            elapsed = time.perf_counter() - began
            best = elapsed if best is None else min(best, elapsed)
        timings[method] = best
    print(report("rounds of wishes (planner)", timings["rounds"], plans["rounds"]))
    print(report("first come, first served", timings["fcfs"], plans["fcfs"]))
    ok = timings["rounds"] <= TARGET_S
    print(
        f"speed-dating: planner {timings['rounds']:.3f} s (target ≤ {TARGET_S:.0f} s): {'pass' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
