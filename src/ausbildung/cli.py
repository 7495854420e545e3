"""The `ausbildung` command: one entry point for operators, the Makefile and CI.

Project commands are Django management commands of our apps, listed in PROJECT_COMMANDS; each has
`--help`. Every other Django command is reachable as `ausbildung manage <command>`. Configuration and
database problems end with one readable line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
import sys

# name → one line for `ausbildung --help` (the command's own --help has the details)
PROJECT_COMMANDS: dict[str, str] = {
    "serve": "serve the platform over HTTP (gunicorn; HOST and PORT set the address)",
    "demo": "load the demo region with one login per role (idempotent)",
    "check": "check configuration, database connection and migrations",
    "migrate": "create or update the database tables",
    "import-regulations": "import training regulations into the occupation catalogue (progress bar, idempotent)",
    "import-offers": "import training places from the Bundesagentur für Arbeit's Jobsuche (file or --live)",
    "records": "training records: verify the signature chains, send reminder mails",
    "transition": "transition from school to training: mail counsellors their overdue case steps",
    "match": "stable clearing match of applicants and training offers from CSV/Parquet files (deferred acceptance)",
    "send-digests": "mail each person who chose it the digest of what waits for them (--frequency daily|weekly)",
    "mail": "outgoing mail: send the queued mails that are due, retrying failed sends (run from cron)",
    "backup": "back up the database, private documents and record chain heads into a new directory",
    "restore": "restore a backup into an empty database (checks every file first; --force to replace)",
    "api-token": "create a personal API token for a mobile client (the secret is printed once)",
    "monitoring": "official figures: load the shipped ones, import a table as BIBB, BA or an office publishes it",
    "retention": "dropout prevention: score every contract in training (nightly; --day for a past day)",
    "campaigns": "the campaign's events: pass expired offers of freed places to the next person waiting (cron)",
    "privacy": "data protection: write docs/privacy.md, export a person's data, erase what has expired (daily)",
}

EXIT_CONFIG = 2
EXIT_DATABASE = 3


def _usage() -> str:
    width = max(len(name) for name in PROJECT_COMMANDS)
    lines = [
        "usage: ausbildung <command> [options]",
        "",
        "The open platform for dual vocational training.",
        "",
        "commands:",
        *(f"  {name.ljust(width)}  {text}" for name, text in PROJECT_COMMANDS.items()),
        f"  {'manage'.ljust(width)}  run any other Django management command (ausbildung manage help)",
        "",
        "Run 'ausbildung <command> --help' for the options of a command.",
        "Settings come from environment variables; see .env.example.",
    ]
    return "\n".join(lines)


def _fail(message: str, code: int) -> int:
    first_line = " ".join(str(message).split())
    print(f"ausbildung: error: {first_line}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(_usage())
        return 0
    command, rest = args[0], args[1:]
    if command == "manage":
        if not rest:
            rest = ["help"]
        command, rest = rest[0], rest[1:]
    elif command not in PROJECT_COMMANDS:
        return _fail(f"unknown command {command!r}; see 'ausbildung --help'.", EXIT_CONFIG)
    elif command == "match":
        # The matching engine is a pure library working on files: no Django start-up (it would cost about
        # 0.8 s of the 3 s budget). `ausbildung manage match` runs the same code as a management command.
        from ausbildung.matching.engine.run import main as match_main

        return match_main(rest)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ausbildung.settings")
    wants_help = command in {"help", "-h", "--help"} or bool({"-h", "--help"} & set(rest))
    if wants_help:
        # A command's help needs no configuration: the settings of this process are the defaults
        # (ausbildung.settings.HELP_ONLY); the process prints the help and ends.
        import ausbildung

        ausbildung.HELP_ONLY = True
    try:
        import django
        from django.core.exceptions import ImproperlyConfigured
        from django.core.management import execute_from_command_line
        from django.core.management.base import CommandError, SystemCheckError
        from django.db.utils import DatabaseError, OperationalError
    except ImportError as exc:  # pragma: no cover - broken installation
        return _fail(f"the platform is not installed correctly ({exc}); run 'make run' once.", EXIT_CONFIG)

    try:
        django.setup()
        _prepare_data_dir()
        # `--traceback` right after the command name lets a command's own refusal (CommandError) reach us
        # instead of Django's "CommandError: …" print, so that it ends like every other error: one line.
        execute_from_command_line(["ausbildung", command, *([] if wants_help else ["--traceback"]), *rest])
    except SystemCheckError as exc:
        print(str(exc).strip(), file=sys.stderr)  # the list of issues is the message
        return 1
    except CommandError as exc:
        return _fail(str(exc), exc.returncode)
    except ImproperlyConfigured as exc:
        return _fail(f"configuration: {exc}", EXIT_CONFIG)
    except OperationalError as exc:
        return _fail(f"database unreachable or unusable: {exc}", EXIT_DATABASE)
    except DatabaseError as exc:
        return _fail(f"database error: {exc}", EXIT_DATABASE)
    except KeyboardInterrupt:
        return 130
    return 0


def _prepare_data_dir() -> None:
    """SQLite needs its folder to exist before the first connection; whitenoise its static root."""
    from django.conf import settings

    os.makedirs(settings.STATIC_ROOT, exist_ok=True)  # whitenoise expects it, even when serving from finders
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and str(db["NAME"]) != ":memory:":
        os.makedirs(os.path.dirname(os.path.abspath(db["NAME"])), exist_ok=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
