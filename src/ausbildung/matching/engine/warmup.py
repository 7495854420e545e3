"""Compile the numba kernels ahead of the first real run (`ausbildung match --warm-up`, run by `make install`).

The kernels are compiled with `cache=True`: numba writes the machine code next to the source (__pycache__, or
NUMBA_CACHE_DIR, or a per-user folder when the installation is read-only) and later processes load it instead
of compiling (about 6 s on the 2-core VM; docs/performance.md, "matching"). A fresh installation has no such
cache, so without this step the first `ausbildung match` pays for the compilation.

numba compiles one version per combination of argument types (dtype, dimensions, layout, read-only or not).
The warm-up therefore runs the real command path (`run.run`) on small files of every shape the loader treats
differently, so each version a real run can ask for is compiled: CSV (ids read as text) and Parquet (integer
ids: the dense lookup tables), applicant rows in order and shuffled, offers with and without group caps, offer
ranks that fit int32 and ranks that do not (the packed rows are int64 then), single and multiple tie-breaking,
stable improvement cycles, both proposing sides, and the verifier. Nothing of the user's data is read.
"""

from __future__ import annotations

import io
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

N_APPLICANTS = 60
N_OFFERS = 20
CHOICES = 4


def _tables(*, text_ids: bool, groups: bool, shuffled: bool, huge_ranks: bool) -> dict[str, pa.Table]:
    rng = np.random.default_rng(7)
    app = np.repeat(np.arange(N_APPLICANTS), CHOICES)
    off = np.concatenate([rng.choice(N_OFFERS, size=CHOICES, replace=False) for _ in range(N_APPLICANTS)])
    rank = np.tile(np.arange(1, CHOICES + 1), N_APPLICANTS)
    score = rng.integers(1, 4, size=len(app)) + (2**31 if huge_ranks else 0)  # ties within an offer
    # shuffled: the rows of one applicant are not consecutive (still in rank order, as the loader requires)
    order = np.argsort(rank, kind="stable") if shuffled else np.arange(len(app))

    def ids(values: np.ndarray, prefix: str) -> pa.Array:
        return pa.array([f"{prefix}{v}" for v in values]) if text_ids else pa.array(values.astype(np.int64))

    offers = {"offer_id": ids(np.arange(N_OFFERS), "O"), "capacity": pa.array(rng.integers(1, 4, N_OFFERS))}
    if groups:
        offers["group_id"] = pa.array([f"G{o % 5}" if o % 3 else None for o in range(N_OFFERS)])
        offers["group_capacity"] = pa.array([4 if o % 3 else None for o in range(N_OFFERS)])
    by_offer = np.lexsort((app, off))
    return {
        "offers": pa.table(offers),
        "ap": pa.table(
            {"applicant_id": ids(app[order], "A"), "offer_id": ids(off[order], "O"), "rank": rank[order]}
        ),
        "op": pa.table(
            {
                "offer_id": ids(off[by_offer], "O"),
                "applicant_id": ids(app[by_offer], "A"),
                "rank": score[by_offer],
            }
        ),
    }


def _write(folder: Path, tables: dict[str, pa.Table], suffix: str) -> dict[str, Path]:
    paths = {name: folder / f"{name}.{suffix}" for name in tables}
    for name, table in tables.items():
        if suffix == "csv":
            pa_csv.write_csv(table, paths[name])
        else:
            pq.write_table(table, paths[name])
    return paths


# (file type, text ids, groups, shuffled applicant rows, ranks beyond int32, extra options)
VARIANTS: list[tuple[str, bool, bool, bool, bool, dict[str, object]]] = [
    ("csv", True, False, False, False, {}),
    ("csv", True, True, True, False, {"improve": True}),
    ("csv", True, False, False, True, {"multiple_tie_breaking": True, "improve": True}),
    ("parquet", False, False, False, False, {}),
    ("parquet", False, True, True, False, {"improve": True}),
    ("parquet", False, False, True, True, {"multiple_tie_breaking": True}),
    ("parquet", True, True, False, False, {"mode": "offer", "improve": True}),
]


def warm_up(progress: Callable[[str], None] = lambda line: None) -> float:
    """Run every variant once; returns the seconds taken. Raises if a run fails (a broken installation)."""
    from .run import run

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ausbildung-warm-up-") as tmp:
        for number, (suffix, text_ids, groups, shuffled, huge, extra) in enumerate(VARIANTS):
            folder = Path(tmp, str(number))
            folder.mkdir()
            paths = _write(
                folder, _tables(text_ids=text_ids, groups=groups, shuffled=shuffled, huge_ranks=huge), suffix
            )
            options: dict[str, object] = {
                "applicant_prefs": paths["ap"],
                "offer_prefs": paths["op"],
                "offers": paths["offers"],
                "out": folder / f"out.{suffix}",
                "report": folder / "report.json",
                **extra,
            }
            code, message = run(options, stdout=io.StringIO())
            if code:
                raise RuntimeError(f"warm-up run {number} ({suffix}) failed: {message}")
            progress(f"{suffix} {extra or ''}".strip())
    return time.perf_counter() - started
