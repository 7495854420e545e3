"""`ausbildung match --warm-up` (run by `make install`) compiles every kernel version a run uses into numba's
cache: a fresh process running real inputs of each shape afterwards loads them all and compiles none."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq


def match(args: list[str], cache: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_")}
    env.update({"NUMBA_CACHE_DIR": str(cache), "NUMBA_DEBUG_CACHE": "1"})
    return subprocess.run(
        [sys.executable, "-m", "ausbildung.cli", "match", *args],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip


def inputs(folder: Path, suffix: str, *, text_ids: bool, groups: bool, seed: int) -> list[str]:
    """A market unlike the warm-up's own files: other sizes, other ids, rows by applicant in order."""
    rng = np.random.default_rng(seed)
    n_app, n_off, choices = 3000, 700, 6
    app = np.repeat(np.arange(n_app), choices)
    off = np.concatenate([rng.choice(n_off, size=choices, replace=False) for _ in range(n_app)])
    rank = np.tile(np.arange(1, choices + 1), n_app)
    score = rng.integers(1, 30, size=len(app))

    def ids(values: np.ndarray, prefix: str) -> pa.Array:
        return pa.array(np.char.add(prefix, values.astype(str))) if text_ids else pa.array(values + 10_000)

    offers = {"offer_id": ids(np.arange(n_off), "B"), "capacity": rng.integers(0, 6, n_off)}
    if groups:
        offers["group_id"] = pa.array([f"firm{o // 4}" if o % 2 else None for o in range(n_off)])
        offers["group_capacity"] = pa.array([3 if o % 2 else None for o in range(n_off)])
    order = np.lexsort((app, off))
    tables = {
        "offers": pa.table(offers),
        "ap": pa.table({"applicant_id": ids(app, "P"), "offer_id": ids(off, "B"), "rank": rank}),
        "op": pa.table(
            {"offer_id": ids(off[order], "B"), "applicant_id": ids(app[order], "P"), "rank": score[order]}
        ),
    }
    for name, table in tables.items():
        path = folder / f"{name}.{suffix}"
        pa_csv.write_csv(table, path) if suffix == "csv" else pq.write_table(table, path)
    return ["--applicant-prefs", str(folder / f"ap.{suffix}"), "--offer-prefs", str(folder / f"op.{suffix}"),
            "--offers", str(folder / f"offers.{suffix}"), "--out", str(folder / f"out.{suffix}")]  # fmt: skip


def test_after_the_warm_up_a_fresh_process_compiles_nothing(tmp_path):
    cache = tmp_path / "numba-cache"
    warm = match(["--warm-up"], cache)
    assert warm.returncode == 0, warm.stderr
    assert "matching kernels compiled and cached" in warm.stdout
    assert "[cache] data saved" in warm.stdout  # the empty cache was filled

    cases = [
        ("csv", True, False, []),
        ("csv", True, True, ["--improve"]),
        ("parquet", False, False, ["--multiple-tie-breaking", "--improve"]),
        ("parquet", False, True, ["--seed", "5"]),
    ]
    for number, (suffix, text_ids, groups, extra) in enumerate(cases):
        folder = tmp_path / str(number)
        folder.mkdir()
        result = match(
            [*inputs(folder, suffix, text_ids=text_ids, groups=groups, seed=number), *extra], cache
        )
        assert result.returncode == 0, result.stderr
        assert "applicants matched" in result.stdout
        assert "[cache] data loaded" in result.stdout
        saved = [line for line in result.stdout.splitlines() if "[cache] data saved" in line]
        assert saved == [], f"{suffix} {extra}: compiled in the run instead of loading: {saved}"
