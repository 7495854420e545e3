"""Importing all shipped training regulations into a fresh SQLite database (target: ≤ 60 s).

Runs the real command in a subprocess against a new database file, so the figure includes start-up and
every write, as an operator would see it. The second run measures the idempotent re-import.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 60.0


def run(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "ausbildung.cli", *args], env=env, capture_output=True, text=True, check=True
    )
    return time.perf_counter() - started, result.stdout


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ, DATABASE_URL=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", AUSBILDUNG_TESTING="1"
        )
        env.pop("PYTEST_VERSION", None)
        run(["migrate", "--no-input"], env)
        first, out = run(["import-regulations", "--no-progress"], env)
        second, _ = run(["import-regulations", "--no-progress"], env)
    summary = next((line for line in out.splitlines() if line.startswith("Complete")), "")
    print(
        f"import-regulations (SQLite, all files): first run {first:.1f} s, re-import {second:.1f} s "
        f"(target ≤ {TARGET_SECONDS:.0f} s). {summary}"
    )
    return 0 if first <= TARGET_SECONDS else 1
