"""The `ausbildung` command: help, and one readable line (no traceback) for configuration problems."""

from __future__ import annotations

import itertools
import os
import re
import shutil
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
    assert run(["demo", "--quiet-logins", "--without-history"], tmp_path).returncode == 0
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


# --- the README's commands after `make run`: the checkout's key in .venv/secret_key, --help without configuration


README = Path(__file__).resolve().parent.parent / "README.md"


def readme_commands() -> list[list[str]]:
    """Every `.venv/bin/ausbildung …` line under "Other commands", and every `ausbildung <command> …` the README
    names elsewhere, as its command words (placeholders such as DIR and options dropped)."""
    text = README.read_text(encoding="utf-8")
    block = text.split("## Other commands", 1)[1].split("```", 2)[1]
    lines = [line.split("#", 1)[0].split() for line in block.splitlines()]
    found = [line[1:] for line in lines if line and line[0] == ".venv/bin/ausbildung"]
    found += [match.split()[1:] for match in re.findall(r"`(ausbildung [^`]+)`", text)]
    commands: list[list[str]] = []
    for words in found:
        # "import-regulations DIR" -> ["import-regulations"]; "records verify" stays two words
        kept = list(itertools.takewhile(lambda w: re.fullmatch(r"[a-z][a-z_-]*", w), words))
        if kept and kept[0] == "manage":
            kept = kept[:2]
        if kept not in commands:
            commands.append(kept)
    return commands


def test_readme_names_the_commands_of_the_issue():
    commands = readme_commands()
    for expected in ([], ["check"], ["import-regulations"], ["import-offers"], ["records", "verify"]):
        assert expected in commands


@pytest.fixture
def checkout_venv(tmp_path) -> Path:
    """A virtual environment like a checkout's .venv (same packages, through a .pth), without a secret_key yet:
    the command runs in it as `.venv/bin/ausbildung` runs in the checkout's."""
    import site
    import venv

    folder = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(folder)
    purelib = subprocess.run(
        [str(folder / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    dirs = [d for d in site.getsitepackages() if Path(d).is_dir()]
    Path(purelib, "checkout-packages.pth").write_text(
        "".join(f"import site; site.addsitedir({d!r})\n" for d in dirs), encoding="utf-8"
    )
    return folder


def run_in(venv_dir: Path, args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`<venv>/bin/python -m ausbildung.cli …` as after `make run`: SECRET_KEY and DEBUG unset."""
    test_only = {"PYTEST_VERSION", "DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY"}
    base = {k: v for k, v in os.environ.items() if k not in test_only and not k.startswith("VIRTUAL_ENV")}
    base.update(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "AUSBILDUNG_DATA_DIR": str(tmp_path)}
    )
    base.update(env)
    return subprocess.run(
        [str(venv_dir / "bin" / "python"), "-m", "ausbildung.cli", *args],
        capture_output=True, text=True, env=base, timeout=180, cwd=tmp_path,
    )  # fmt: skip


@pytest.mark.parametrize("command", readme_commands(), ids=lambda words: " ".join(words) or "ausbildung")
def test_readme_command_help_needs_no_configuration(command, checkout_venv, tmp_path):
    """No SECRET_KEY, no key file, DEBUG off, even a malformed DATABASE_URL: --help still answers."""
    result = run_in(checkout_venv, [*command, "--help"], tmp_path, DATABASE_URL="mysqlx://nonsense")
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
    assert result.stderr == ""


def test_readme_commands_run_with_the_checkouts_key_file(migrated, checkout_venv):
    """After `make run` the key is in .venv/secret_key; the README's commands run as written (SECRET_KEY unset)."""
    tmp_path = migrated
    (checkout_venv / "secret_key").write_text("a-local-key-of-this-checkout-0123456789abcdef\n")
    regulations = tmp_path / "regulations"
    regulations.mkdir()
    source = Path(__file__).resolve().parent.parent / "src/ausbildung/data/gesetze/ausbildung"
    shutil.copy(source / "tischlausbv_2006.md", regulations)
    offers = Path(__file__).resolve().parent / "offers/data/ba/search"
    arguments = {
        "import-regulations": [str(regulations)],
        "import-offers": [str(offers)],
        "send-digests": ["--frequency", "daily"],
        "backup": [str(tmp_path / "backup-of-today")],
    }
    for command in readme_commands():
        args = [*command, *arguments.get(command[0] if command else "", [])]
        if command == ["monitoring", "import"]:
            table = Path(__file__).resolve().parent / "monitoring/data/bibb_laender_neue_vertraege.xlsx"
            args += [str(table), "--source-url", "https://bibb.de/de/167216.php"]
        if command and command[0] in {
            "serve",
            "demo",
            "migrate",
            "manage",
            "api-token",
            "mail",
            "transition",
        }:
            continue  # long-running, or changes more than these checks need; their --help is tested above
        if command == ["records", "seal-legacy"] or command == ["records", "remind"]:
            continue
        result = run_in(checkout_venv, args, tmp_path)
        assert result.returncode == 0, (command, result.stderr)
        assert "SECRET_KEY" not in result.stderr


def test_without_key_file_secret_key_is_still_required(checkout_venv, tmp_path):
    """No SECRET_KEY, DEBUG off and no .venv/secret_key (a server, or a checkout before `make run`)."""
    result = run_in(checkout_venv, ["check"], tmp_path, DEBUG="0")
    assert_one_line_error(result, "SECRET_KEY is not set")
    assert ".venv/secret_key" in result.stderr


def test_deploy_check_refuses_the_checkouts_key_file(migrated, checkout_venv):
    """Production sets SECRET_KEY itself: `check --deploy` rejects the local development key (core.E001)."""
    tmp_path = migrated
    (checkout_venv / "secret_key").write_text("a-local-key-of-this-checkout-0123456789abcdef\n")
    result = run_in(checkout_venv, ["check", "--deploy"], tmp_path)
    assert result.returncode != 0
    assert "core.E001" in result.stderr and ".venv/secret_key" in result.stderr
    key = "an-operators-own-key-" + "x" * 40
    with_env = run_in(checkout_venv, ["check", "--deploy"], tmp_path, SECRET_KEY=key)
    assert "core.E001" not in with_env.stdout + with_env.stderr
