"""Resolving place queries (`core.geo.resolve`): the index build of a fresh process, then each query.

Target: a query well under a millisecond where it names a place (the search page resolves one per request),
a few ms for the "Meinten Sie …?" suggestions of an unknown one (difflib over the names of its first letter);
the index build, paid once per process on the first place query, under a second on a quiet host.
"""

from __future__ import annotations

import os
import subprocess
import sys
import timeit

QUERIES = [
    "66111",
    "Saarbrücken",
    "St. Wendel",
    "Neunkirchen",
    "Frankfurt a.M.",
    "Neunkirchen, Saarland",
    "Halle (Saale)",
    "Neunkirchn",
    "Atlantis",
]
TARGET_FOUND_SECONDS = 0.001
TARGET_UNKNOWN_SECONDS = 0.02

_BUILD = "import time; from ausbildung.core import geo; t = time.perf_counter(); geo._index(); print(time.perf_counter() - t)"


def main() -> int:
    from ausbildung.core import geo

    builds = [
        float(
            subprocess.run([sys.executable, "-c", _BUILD], capture_output=True, text=True, check=True).stdout
        )
        for _ in range(3)
    ]
    load = os.getloadavg()[0]
    print(
        f"place-resolve: index build (fresh process) median {sorted(builds)[1] * 1000:.0f} ms, load {load:.1f}"
    )
    geo.resolve("")
    geo._index()
    failed = False
    for query in QUERIES:
        seconds = (
            min(timeit.repeat(lambda q=query: geo.resolve(q, home_land="10"), number=200, repeat=5)) / 200
        )
        resolution = geo.resolve(query, home_land="10")
        kind = "found" if resolution.found else "choices" if resolution.ambiguous else "unknown"
        target = TARGET_UNKNOWN_SECONDS if kind == "unknown" else TARGET_FOUND_SECONDS
        failed |= seconds > target
        print(f"  {query!r:26} {kind:8} {seconds * 1e6:9.1f} µs (target ≤ {target * 1e6:.0f} µs)")
    return 1 if failed else 0
