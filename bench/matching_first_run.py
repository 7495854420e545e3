"""The first `ausbildung match` after an installation (issue 16): with and without the install-time warm-up.

A fresh installation has no numba cache; the first run then compiles its kernels. Each case below starts from
an empty cache (NUMBA_CACHE_DIR in a new temporary folder, as a fresh installation has nothing cached) and runs
`ausbildung match` in a subprocess on 200,000 applicants from CSV (BENCH_FIRST_RUN_APPLICANTS changes it):

- before: first run, then second run (cache filled by the first);
- after:  `ausbildung match --warm-up` (what `make install` runs), then the first run.

Target: the first run after the warm-up compiles nothing and takes within 20 % (or 0.5 s) of the CPU time of
the second run before. Wall times are from a shared machine: the load average is printed beside them.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from bench.matching import generate


def write_csv(folder: Path, data: dict[str, np.ndarray]) -> list[str]:
    def ids(values: np.ndarray, prefix: str) -> pa.Array:
        return pa.array(np.char.add(prefix, values.astype(str)))

    pa_csv.write_csv(
        pa.table({"offer_id": ids(data["offer_id"], "O"), "capacity": data["capacity"]}),
        folder / "offers.csv",
    )
    pa_csv.write_csv(
        pa.table(
            {
                "applicant_id": ids(data["ap_applicant"], "A"),
                "offer_id": ids(data["ap_offer"], "O"),
                "rank": data["ap_rank"],
            }
        ),
        folder / "ap.csv",
    )
    order = np.lexsort((data["op_applicant"], data["op_offer"]))
    pa_csv.write_csv(
        pa.table(
            {
                "offer_id": ids(data["op_offer"][order], "O"),
                "applicant_id": ids(data["op_applicant"][order], "A"),
                "rank": data["op_rank"][order],
            }
        ),
        folder / "op.csv",
    )
    return ["--applicant-prefs", str(folder / "ap.csv"), "--offer-prefs", str(folder / "op.csv"),
            "--offers", str(folder / "offers.csv"), "--out", str(folder / "out.csv")]  # fmt: skip


def timed(args: list[str], cache: Path) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the child, what numba's cache did)."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache), "NUMBA_DEBUG_CACHE": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "ausbildung.cli", "match", *args], capture_output=True, text=True, env=env
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode:
        raise RuntimeError(result.stderr.strip().splitlines()[-1])
    compiled = result.stdout.count("[cache] data saved")
    loaded = result.stdout.count("[cache] data loaded")
    return seconds, cpu, f"{compiled} kernel versions compiled, {loaded} loaded from the cache"


def main() -> int:
    n_app = int(os.environ.get("BENCH_FIRST_RUN_APPLICANTS", "200000"))
    n_off = n_app * 4 // 9
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        args = write_csv(folder, generate(n_app, n_off, 20))
        print(f"matching-first-run: {n_app:,} applicants from CSV, {n_off:,} offers, 20 choices")
        before_cache, after_cache = folder / "cache-before", folder / "cache-after"
        first = timed(args, before_cache)
        second = timed(args, before_cache)
        warm = timed(["--warm-up"], after_cache)
        after = timed(args, after_cache)
        load = os.getloadavg()[0]
        for label, (wall, cpu, note) in (
            ("before: first run ", first),
            ("before: second run", second),
            ("after:  warm-up   ", warm),
            ("after:  first run ", after),
        ):
            print(f"  {label}  {wall:6.2f} s wall  {cpu:6.2f} s CPU  ({note})")
        print(f"  load average {load:.1f} (wall times of a busy machine; CPU seconds compare better)")
    ok = after[1] <= max(second[1] * 1.2, second[1] + 0.5) and after[2].startswith(
        "0 kernel versions compiled"
    )
    return 0 if ok else 1
