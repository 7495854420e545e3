"""Small markets (issue #16: "Ergebnis berechnen" of a clearing round with one applicant took 6.5 s).

A clearing round of a district is small: one to a few hundred applicants with up to 10 choices. Each case runs
in a fresh interpreter with an empty numba cache (as on the first computation after an install or an upgrade),
once with the default kernel choice ("auto": below `engine.COMPILED_FROM_PAIRS` pairs the numpy/plain-Python
references, no compilation) and once forced onto the numba kernels, as the round's computation does it: the
lottery, deferred acceptance, the verifier twice and the why-not explanations. Then, warm in one process, the
references against the kernels around the threshold, which shows where compiling stops paying.
Target: one applicant ≤ 0.1 s and 300 applicants ≤ 0.3 s on the first call, with "auto".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

TARGETS = {1: 0.1, 300: 0.3}

CHILD = r"""
import json, sys, time
import numpy as np
from ausbildung.matching import engine
from ausbildung.matching.engine import report

n_app, choices, kernel = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(1)
n_off = max(2, n_app // 3)
ptr, offers, ranks = [0], [], []
for _ in range(n_app):
    listed = rng.choice(n_off, size=min(choices, n_off), replace=False)
    offers.extend(listed.tolist()); ranks.extend(rng.integers(1, 4, size=len(listed)).tolist()); ptr.append(len(offers))
instance = engine.make_instance(capacity=rng.integers(1, 4, size=n_off).tolist(), app_ptr=ptr, app_offer=offers, offer_rank=ranks)
started = time.perf_counter()
solution = engine.solve(instance, seed=7, kernel=kernel)
weak = engine.verify(instance, solution.assignment, kernel=kernel)
strict = engine.verify(instance, solution.assignment, rank=solution.lottery.key, kernel=kernel)
report.explanations(instance, solution.pairs, solution.lottery)
print(json.dumps({"seconds": time.perf_counter() - started, "pairs": instance.n_pairs, "ok": weak.ok and strict.ok}))
"""

WARM = r"""
import json, time
import numpy as np
from ausbildung.matching import engine

def market(n_app, choices=10, seed=1):
    rng = np.random.default_rng(seed)
    n_off = max(2, n_app // 3)
    ptr, offers, ranks = [0], [], []
    for _ in range(n_app):
        listed = rng.choice(n_off, size=min(choices, n_off), replace=False)
        offers.extend(listed.tolist()); ranks.extend(rng.integers(1, 4, size=len(listed)).tolist()); ptr.append(len(offers))
    return engine.make_instance(capacity=rng.integers(1, 4, size=n_off).tolist(), app_ptr=ptr, app_offer=offers, offer_rank=ranks)

def run(instance, kernel):
    started = time.perf_counter()
    solution = engine.solve(instance, seed=7, kernel=kernel)
    engine.verify(instance, solution.assignment, kernel=kernel)
    engine.verify(instance, solution.assignment, rank=solution.lottery.key, kernel=kernel)
    return time.perf_counter() - started

run(market(50), "numba")  # compile (or load from the cache) once
rows = []
for n_app in (200, 1000, 2000, 5000):
    instance = market(n_app)
    rows.append({"pairs": instance.n_pairs, "numpy": min(run(instance, "numpy") for _ in range(3)),
                 "numba": min(run(instance, "numba") for _ in range(3))})
print(json.dumps(rows))
"""


def _child(code: str, args: list[str], cache: str) -> dict | list:
    env = {**os.environ, "NUMBA_CACHE_DIR": cache}
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True, timeout=600
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    print(f"clearing-small: load average {os.getloadavg()[0]:.1f}")
    missed = []
    for n_app, choices in ((1, 2), (300, 10)):
        times = {}
        for kernel in ("auto", "numba"):
            with tempfile.TemporaryDirectory() as cache:
                row = _child(CHILD, [str(n_app), str(choices), kernel], cache)
            assert isinstance(row, dict) and row["ok"]
            times[kernel] = row["seconds"]
        target = TARGETS[n_app]
        flag = "ok" if times["auto"] <= target else "MISSED"
        if flag != "ok":
            missed.append(n_app)
        print(
            f"  {n_app:>4} applicant(s), {row['pairs']:>5} pairs, first call, empty numba cache: "
            f"auto {times['auto']:.3f} s (target ≤ {target} s: {flag}), numba {times['numba']:.2f} s"
        )
    with tempfile.TemporaryDirectory() as cache:
        rows = _child(WARM, [], cache)
    print("  warm, best of 3 (lottery, deferred acceptance, verifier twice):")
    for row in rows:
        assert isinstance(row, dict)
        print(f"    {row['pairs']:>6} pairs: references {row['numpy']:.3f} s, kernels {row['numba']:.3f} s")
    return 1 if missed else 0


if __name__ == "__main__":
    t = time.perf_counter()
    code = main()
    print(f"({time.perf_counter() - t:.1f} s)")
    sys.exit(code)
