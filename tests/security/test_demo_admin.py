"""Attack: the well-known demo superuser on a reachable installation.

`ausbildung demo` loads the demo region; its platform administrator `admin` is Django's superuser with the
password printed in the README (`demo-ausbildung`). An operator who loads the demo on a server (to show the
platform, or by running the `make run` steps) hands anyone on the network the Django admin and every record.

Defence: with DEBUG off, `ausbildung demo` creates no superuser unless asked explicitly with `--with-admin`,
and says so. `make run` (a local demo, DEBUG off) passes the flag, so it still has one login per role.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.test_cli import run

ROOT = Path(__file__).resolve().parents[2]


def superusers(folder: Path) -> list[str]:
    with sqlite3.connect(folder / "cli.sqlite3") as connection:
        rows = connection.execute("SELECT username FROM core_user WHERE is_superuser").fetchall()
    return [username for (username,) in rows]


def test_demo_without_debug_creates_no_superuser(migrated):
    result = run(["demo", "--without-history"], migrated, DEBUG="<unset>")

    assert result.returncode == 0, result.stderr
    assert superusers(migrated) == []
    assert "--with-admin" in result.stdout
    assert "  admin " not in result.stdout, "no login is printed for an administrator that does not exist"


def test_demo_creates_the_superuser_when_asked_and_says_so(migrated):
    result = run(["demo", "--with-admin", "--without-history"], migrated, DEBUG="<unset>")

    assert result.returncode == 0, result.stderr
    assert superusers(migrated) == ["admin"]
    assert "'admin' (superuser)" in result.stdout
    assert "  admin " in result.stdout


def test_make_run_asks_for_the_demo_administrator():
    """`make run` runs with DEBUG off; its demo still has the platform administrator the README promises."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run_recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "ausbildung demo --with-admin" in run_recipe
