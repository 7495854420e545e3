"""The `ausbildung` command: help, and one readable line (no traceback) for configuration problems."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ausbildung.cli import PROJECT_COMMANDS


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' fixture in the same worker; a real deployment
    # never has it (and `check --deploy` rightly refuses it).
    test_only = {"PYTEST_VERSION", "DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in test_only}
    base.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "SECRET_KEY": "test-secret-key-x"})
    base.update(env)
    base = {k: v for k, v in base.items() if v != "<unset>"}
    return subprocess.run(
        [sys.executable, "-m", "ausbildung.cli", *args], capture_output=True, text=True, env=base, timeout=120
    )


def test_help_lists_project_commands(tmp_path):
    result = run(["--help"], tmp_path)
    assert result.returncode == 0
    for name in ("serve", "demo", "check", "import-regulations"):
        assert f"  {name}" in result.stdout


@pytest.mark.parametrize("command", sorted(PROJECT_COMMANDS))
def test_each_command_has_help(command, tmp_path):
    result = run([command, "--help"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout


def assert_one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    # Configuration and database problems and a command's own refusal alike: "ausbildung: error: …".
    assert lines[0].startswith("ausbildung: error:") and fragment in lines[0]
    assert "Traceback" not in result.stderr


def test_malformed_database_url(tmp_path):
    assert_one_line_error(run(["check"], tmp_path, DATABASE_URL="mysqlx://nonsense"), "DATABASE_URL")


def test_missing_secret_key_without_debug(tmp_path):
    assert_one_line_error(run(["check"], tmp_path, SECRET_KEY="<unset>", DEBUG="0"), "SECRET_KEY")


def test_unreachable_database(tmp_path):
    # Port 9 (discard) on loopback: nothing listens there.
    result = run(["migrate"], tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:9/none")
    assert_one_line_error(result, "database unreachable")


def test_unknown_command(tmp_path):
    assert_one_line_error(run(["frobnicate"], tmp_path), "unknown command")


def test_bad_boolean_setting(tmp_path):
    assert_one_line_error(run(["check"], tmp_path, DEBUG="vielleicht"), "DEBUG")


def test_serve_refuses_unmigrated_database(tmp_path):
    result = run(["serve", "--port", "8999"], tmp_path)
    assert result.returncode != 0
    assert "unapplied migrations" in result.stderr and "Traceback" not in result.stderr


def test_serve_refuses_a_port_of_superscript_digits(tmp_path):
    """ "²".isdigit() is true, but int("²") fails: one readable line, no traceback."""
    assert_one_line_error(run(["serve", "--port", "²"], tmp_path), "PORT")


def test_check_on_migrated_database(migrated):
    tmp_path = migrated
    result = run(["check"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Migrations: all applied." in result.stdout


def test_api_token_command(migrated):
    tmp_path = migrated
    assert run(["demo", "--quiet-logins"], tmp_path).returncode == 0
    result = run(["api-token", "azubi", "--name", "Handy"], tmp_path)
    assert result.returncode == 0, result.stderr
    secret = result.stdout.strip().splitlines()[-1]
    assert len(secret) >= 40
    assert_one_line_error(run(["api-token", "niemand", "--name", "x"], tmp_path), "no active person")
    assert_one_line_error(run(["api-token", "azubi", "--name", "x", "--days", "0"], tmp_path), "1")


def test_match_runs_through_the_cli_without_django(tmp_path):
    (tmp_path / "offers.csv").write_text("offer_id,capacity\nO1,1\nO2,1\n")
    (tmp_path / "ap.csv").write_text("applicant_id,offer_id,rank\nA,O1,1\nA,O2,2\nB,O1,1\n")
    (tmp_path / "op.csv").write_text("offer_id,applicant_id,rank\nO1,B,1\nO1,A,2\nO2,A,1\n")
    args = ["match", "--applicant-prefs", str(tmp_path / "ap.csv"), "--offer-prefs", str(tmp_path / "op.csv"),
            "--offers", str(tmp_path / "offers.csv"), "--out", str(tmp_path / "out.csv")]  # fmt: skip
    result = run(args, tmp_path, DATABASE_URL="mysqlx://not-needed")  # no database, no Django settings read
    assert result.returncode == 0, result.stderr
    rows = sorted((tmp_path / "out.csv").read_text().strip().splitlines()[1:])
    assert rows == ["A,O2", "B,O1"]  # O1 prefers B; A gets its second choice
    (tmp_path / "op.csv").write_text("offer_id,applicant_id,rank\nO1,Z,1\n")
    bad = run(args, tmp_path)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "Z" in bad.stderr
