"""The dependency rule is checked, not only written down.

`make lint` runs `lint-imports` with the contracts in `pyproject.toml` ([tool.importlinter]; the layers are
explained in docs/architecture.md). These tests run it on the real tree (it must pass) and on a copy of the
package with one forbidden import added (it must fail, naming the broken contract), so a contract that no
longer catches anything does not go unnoticed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(
    not LINT_IMPORTS.exists(), reason="lint-imports is not installed (pip install -e '.[dev]')"
)


def lint_imports(src: Path, config: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports on the package under `src` (first on the path, before the installed one)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(config)],
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the Python code of `ausbildung` (no templates, static files or data) and of the config."""
    shutil.copytree(
        ROOT / "src" / "ausbildung",
        tmp_path / "src" / "ausbildung",
        ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "data", "locale"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_every_contract() -> None:
    result = lint_imports(ROOT / "src", ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # core below every area: the area's access rules live in the area's access.py
        ("core/permissions.py", "import ausbildung.transition.access", "core imports no focus-area app"),
        ("core/permissions.py", "import ausbildung.transition.access", "Apps form layers"),
        # a lower layer does not reach up (offers is below orientation)
        ("offers/selectors.py", "import ausbildung.orientation.access", "Apps form layers"),
        # areas of one layer are independent
        ("records/selectors.py", "import ausbildung.offers.selectors", "Focus areas of the same layer"),
        # the matching engine runs without Django
        ("matching/engine/kernel.py", "import django.db", "The matching engine is pure"),
        # the monitoring indicators are definitions on plain data
        ("monitoring/indicators.py", "import django.db", "The monitoring indicators are pure"),
        # another area's models only through its public modules
        ("orientation/plan/services.py", "import ausbildung.offers.models", "through its public modules"),
        # the rules on training staff read facts, not the database
        ("staff/rules.py", "import django.db", "The rules on training staff are pure"),
        # offers warns through staff; staff, below it, does not reach up
        ("staff/selectors.py", "import ausbildung.offers.selectors", "Apps form layers"),
        # the campaign's events sit below transition and monitoring
        ("campaigns/selectors.py", "import ausbildung.transition.selectors", "Apps form layers"),
    ],
)
def test_a_forbidden_import_breaks_the_lint(
    package_copy: Path, module: str, line: str, contract: str
) -> None:
    target = package_copy / "src" / "ausbildung" / module
    target.write_text(target.read_text() + f"\n{line}  # noqa\n")

    result = lint_imports(package_copy / "src", package_copy / "pyproject.toml")

    assert result.returncode != 0, result.stdout
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in " ".join(broken.split()), result.stdout


def test_no_view_decides_access_by_hand() -> None:
    """Views fetch through their area's scoped getters (`access.py`, selectors) and refuse through them; a view
    raising 403 itself, or answering with a hand-made 403, is an access rule outside its home."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "src" / "ausbildung").rglob("views.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "raise PermissionDenied" in line or "HttpResponseForbidden" in line
    ]
    assert offenders == []
