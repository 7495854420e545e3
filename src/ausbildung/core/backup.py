"""Backup and restore: a consistent snapshot of the database, the private documents and what the apps add
(the records app: each contract's chain head and a copy of the anchor log), with a manifest of checksums.

Real tools, not `dumpdata`: SQLite through its online backup API (`sqlite3.Connection.backup`, one step, so
one read transaction: a snapshot even while the web server writes), PostgreSQL through `pg_dump` (custom
format) on a snapshot exported by a repeatable-read transaction (`pg_export_snapshot`), in which the manifest's
row counts, migration state and list of referenced documents are read too, so they describe exactly the rows
dumped. `dumpdata` would not do: it fails on SQLite for the PostgreSQL-only search model, loses the
microseconds of timestamps (every signature of the record then looks altered), and leaves the documents out; a
plain copy of the SQLite file while someone writes can miss committed rows still in the WAL.

Order (documents). The database is snapshotted first, then the private documents are copied. A document
written after the snapshot is an extra file in the backup (harmless: no row names it); a document the
snapshot names but that was deleted before it could be copied (an applicant removed it meanwhile) is listed as
missing in the manifest and named in a warning. So every row restored finds its file unless the file was
deleted while the backup ran.

Not in the backup, on purpose: the record signing keys and SECRET_KEY (configuration, kept apart), and the
live anchor log of the record (`RECORD_ANCHOR_LOG`; evidence against whoever holds a database copy, so it
lives outside database backups; the backup holds a copy marked as such, and restore never writes the live
log). Restore refuses a damaged backup (a missing file, a wrong checksum, another database engine, migrations
newer than the code) before it changes anything, and a non-empty database or documents folder unless forced.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.models import FileField
from django.utils import timezone

from ausbildung.core.storage import PrivateStorage

FORMAT = "ausbildung-backup"
VERSION = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
DOCUMENTS = "private"
SQLITE, POSTGRESQL = "sqlite", "postgresql"


class BackupError(Exception):
    """A backup cannot be made or restored; the message is one readable sentence."""


# --- parts the apps add ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartCheck:
    """What an app found after a restore: one summary line and the problems (empty when all is well)."""

    summary: str
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BackupPart:
    """An app's share of a backup (registered from its AppConfig.ready, as core imports no app).

    `snapshot(cursor)` reads the database snapshot through a DB-API cursor (plain SQL without parameters: the
    cursor is SQLite's or psycopg's) and the app's own files, and returns files to keep: name → (bytes, role).
    `after_restore(directory)` checks the restored database (the live settings apply again) and may read those
    files from the backup directory."""

    key: str
    snapshot: Callable[[Any], dict[str, tuple[bytes, str]]]
    after_restore: Callable[[Path], PartCheck]


_PARTS: dict[str, BackupPart] = {}


def register_backup_part(part: BackupPart) -> None:
    """Register (or replace, by key) an app's part."""
    _PARTS[part.key] = part


def unregister_backup_part(key: str) -> None:
    _PARTS.pop(key, None)


# --- helpers ---------------------------------------------------------------------------------------------------


def _engine(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in {SQLITE, POSTGRESQL}:  # pragma: no cover - settings allow only these two
        raise BackupError(f"database engine {vendor!r} is not supported.")
    return vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def private_file_columns() -> list[tuple[str, str]]:
    """(table, column) of every file field stored in the private storage."""
    columns = []
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, FileField) and isinstance(model_field.storage, PrivateStorage):
                columns.append((model._meta.db_table, model_field.column))
    return sorted(columns)


def _table_names(cursor: Any, engine: str) -> list[str]:
    if engine == SQLITE:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return sorted(row[0] for row in cursor.fetchall())


@dataclass
class Snapshot:
    tables: dict[str, int]
    migrations: dict[str, list[str]]
    documents: set[str]
    parts: dict[str, tuple[bytes, str]]


def _read_snapshot(cursor: Any, engine: str) -> Snapshot:
    """Row counts, migration state, the referenced documents and the apps' parts, read in the snapshot."""
    tables = {}
    for table in _table_names(cursor, engine):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - names from the catalogue
        tables[table] = int(cursor.fetchone()[0])
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    documents: set[str] = set()
    for table, column in private_file_columns():
        if table in tables:
            cursor.execute(
                f"SELECT DISTINCT {_quote(column)} FROM {_quote(table)} "  # noqa: S608
                f"WHERE {_quote(column)} IS NOT NULL AND {_quote(column)} <> ''"
            )
            documents.update(row[0] for row in cursor.fetchall())
    parts: dict[str, tuple[bytes, str]] = {}
    for part in _PARTS.values():
        for name, content in part.snapshot(cursor).items():
            parts[f"{part.key}/{name}"] = content
    return Snapshot(tables=tables, migrations=migrations, documents=documents, parts=parts)


def _sqlite_connect(name: str) -> sqlite3.Connection:
    # The test database lives in memory under a shared-cache URI; a deployment's is a file path.
    return sqlite3.connect(name, uri=name.startswith("file:"), timeout=20)


def _pg_env(using: str) -> dict[str, str]:
    """libpq's environment for pg_dump/pg_restore: the same server, user and database as Django's."""
    config = connections[using].settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if config.get(key):
            env[variable] = str(config[key])
    env["PGDATABASE"] = str(config["NAME"])
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("options", "PGOPTIONS"),
        ("connect_timeout", "PGCONNECT_TIMEOUT"),
    ):
        if config.get("OPTIONS", {}).get(option):
            env[variable] = str(config["OPTIONS"][option])
    return env


def _run_tool(args: list[str], env: dict[str, str]) -> None:
    if shutil.which(args[0]) is None:
        raise BackupError(
            f"{args[0]} is not installed; install the PostgreSQL client tools of the server's version."
        )
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise BackupError(f"{args[0]} failed: {lines[0] if lines else f'exit status {result.returncode}'}")


@contextmanager
def _pg_snapshot(using: str) -> Iterator[tuple[Any, str]]:
    """A repeatable-read, read-only transaction whose snapshot is exported for pg_dump --snapshot."""
    import psycopg

    params = connections[using].get_connection_params()
    with psycopg.connect(**params) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot_id,) = cursor.fetchone() or ("",)
            yield cursor, str(snapshot_id)
        conn.rollback()


# --- backup ----------------------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    directory: Path
    manifest: dict[str, Any]
    missing_documents: list[str]


def _file_entry(directory: Path, path: Path, role: str) -> dict[str, Any]:
    return {
        "path": path.relative_to(directory).as_posix(),
        "role": role,
        "size": path.stat().st_size,
        "sha256": _sha256(path),
    }


def backup_create(*, directory: Path, using: str = "default") -> BackupResult:
    """Write a backup into `directory` (new or empty): database snapshot, then documents, then the manifest."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty; give a new directory for each backup.")
    directory.mkdir(parents=True, exist_ok=True)
    engine = _engine(using)
    started = timezone.now()
    files: list[dict[str, Any]] = []

    # 1. The database, and what the manifest says about it, from one snapshot.
    if engine == SQLITE:
        target = directory / SQLITE_FILE
        source = _sqlite_connect(str(connections[using].settings_dict["NAME"]))
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # pages=-1: one step, one read transaction
            copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file, no -wal beside it
            snapshot = _read_snapshot(copy.cursor(), engine)
        finally:
            copy.close()
            source.close()
        files.append(_file_entry(directory, target, "database"))
    else:
        target = directory / PG_FILE
        with _pg_snapshot(using) as (cursor, snapshot_id):
            _run_tool(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot_id}",
                    f"--file={target}",
                ],
                _pg_env(using),
            )
            snapshot = _read_snapshot(cursor, engine)
        files.append(_file_entry(directory, target, "database"))

    # 2. The private documents, after the snapshot (see the module's docstring for why in this order).
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    copied: set[str] = set()
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = path.relative_to(root).as_posix()
            destination = directory / DOCUMENTS / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copyfile(path, destination)
            except FileNotFoundError:  # deleted while we walked
                continue
            copied.add(name)
            role = "document" if name in snapshot.documents else "document (not referenced by the snapshot)"
            files.append(_file_entry(directory, destination, role))
    missing = sorted(snapshot.documents - copied)

    # 3. The apps' parts (e.g. the record's chain heads and a copy of its anchor log).
    for name, (content, role) in sorted(snapshot.parts.items()):
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        files.append(_file_entry(directory, path, role))

    # 4. The manifest, last: a directory without one is an unfinished backup.
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": started.isoformat(),
        "finished_at": timezone.now().isoformat(),
        "engine": engine,
        "migrations": snapshot.migrations,
        "tables": snapshot.tables,
        "files": files,
        "missing_documents": missing,
        "order": "database snapshot first, then the private documents: extra documents are newer than the snapshot",
    }
    partial = directory / (MANIFEST + ".partial")
    partial.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(partial, directory / MANIFEST)
    return BackupResult(directory=directory, manifest=manifest, missing_documents=missing)


# --- check and restore -----------------------------------------------------------------------------------------


def backup_check(directory: Path, *, using: str = "default") -> dict[str, Any]:
    """The manifest of an intact backup that this code and database can restore; BackupError otherwise."""
    directory = Path(directory)
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{directory} has no {MANIFEST}: not a backup, or an unfinished one.") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"{directory / MANIFEST} is not readable ({exc}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{directory / MANIFEST} is not the manifest of an ausbildung backup.")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"the backup has format version {manifest.get('version')}; this code reads version {VERSION}."
        )
    try:
        entries = [
            (str(e["path"]), str(e["role"]), int(e["size"]), str(e["sha256"])) for e in manifest["files"]
        ]
        tables = {str(k): int(v) for k, v in manifest["tables"].items()}
        migrations = {str(app): [str(n) for n in names] for app, names in manifest["migrations"].items()}
    except (KeyError, TypeError, ValueError, AttributeError):
        raise BackupError(f"{directory / MANIFEST} is incomplete or malformed.") from None
    base = directory.resolve()
    for name, _role, size, sha256 in entries:
        path = (directory / name).resolve()
        if not path.is_relative_to(base):
            raise BackupError(f"the manifest names a file outside the backup: {name}.")
        if not path.is_file():
            raise BackupError(f"the backup is damaged: {name} is missing.")
        if path.stat().st_size != size or _sha256(path) != sha256:
            raise BackupError(f"the backup is damaged: {name} does not match its checksum.")
    database = [name for name, role, _size, _sha in entries if role == "database"]
    engine = _engine(using)
    if manifest.get("engine") != engine or len(database) != 1:
        raise BackupError(
            f"the backup is of a {manifest.get('engine')} database; this platform uses {engine}."
        )
    known = _code_migrations()
    newer = [
        f"{app}.{name}" for app, names in migrations.items() for name in names if (app, name) not in known
    ]
    if newer:
        raise BackupError(
            f"the backup has {len(newer)} migration(s) this code does not know (first: {newer[0]}); "
            "restore it with the version of the platform that made it, or a newer one."
        )
    manifest["tables"], manifest["migrations"] = tables, migrations
    return manifest


@functools.cache
def _code_migrations() -> frozenset[tuple[str, str]]:
    """The migrations this code has (app label, name)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _database_tables(using: str) -> list[str]:
    with connections[using].cursor() as cursor:
        return _table_names(cursor, _engine(using))


def _documents_present(root: Path) -> bool:
    return root.is_dir() and any(p.is_file() for p in root.rglob("*"))


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    rows: int
    tables: int
    documents: int
    document_bytes: int
    problems: list[str]
    lines: list[str]


def backup_restore(*, directory: Path, using: str = "default", force: bool = False) -> RestoreResult:
    """Restore a checked backup into the configured database and documents folder, then check the result."""
    directory = Path(directory)
    manifest = backup_check(directory, using=using)
    engine = manifest["engine"]
    existing = _database_tables(using)
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    if not force:
        if existing:
            raise BackupError(
                f"the database is not empty ({len(existing)} tables); restore into an empty database, "
                "or pass --force to replace it."
            )
        if _documents_present(root):
            raise BackupError(f"the documents folder {root} is not empty; empty it, or pass --force.")
    database = next(e["path"] for e in manifest["files"] if e["role"] == "database")
    connections[using].close()
    if engine == SQLITE:
        source = sqlite3.connect(f"file:{(directory / database).resolve()}?mode=ro", uri=True)
        target = _sqlite_connect(str(connections[using].settings_dict["NAME"]))
        try:
            source.backup(target)  # replaces every page of the target: nothing of the old database remains
        finally:
            target.close()
            source.close()
    else:
        env = _pg_env(using)
        if existing:  # forced: an empty schema first, so that no table of the old database remains
            with connections[using].cursor() as cursor:
                cursor.execute("SELECT current_schema()")
                schema = _quote(cursor.fetchone()[0])
                cursor.execute(f"DROP SCHEMA {schema} CASCADE; CREATE SCHEMA {schema}")
            connections[using].close()
        _run_tool(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={env['PGDATABASE']}",
                str(directory / database),
            ],
            env,
        )
    documents, document_bytes = 0, 0
    for entry in manifest["files"]:
        if not str(entry["role"]).startswith("document"):
            continue
        name = Path(entry["path"]).relative_to(DOCUMENTS)
        destination = root / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(directory / entry["path"], destination)
        documents += 1
        document_bytes += int(entry["size"])
    return _after_restore(directory, manifest, using, documents, document_bytes)


def _after_restore(
    directory: Path, manifest: dict[str, Any], using: str, documents: int, document_bytes: int
) -> RestoreResult:
    problems: list[str] = []
    with connections[using].cursor() as cursor:
        engine = _engine(using)
        counts = {}
        for table in _table_names(cursor, engine):
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - names from the catalogue
            counts[table] = int(cursor.fetchone()[0])
    for table, expected in sorted(manifest["tables"].items()):
        if counts.get(table) != expected:
            problems.append(f"table {table}: {counts.get(table, 0)} rows restored, the backup has {expected}")
    lines = [
        f"restored the backup of {manifest['created_at']}: {sum(counts.values())} rows in {len(counts)} tables, "
        f"{documents} documents ({document_bytes} bytes)."
    ]
    if manifest.get("missing_documents"):
        lines.append(
            f"{len(manifest['missing_documents'])} document(s) were deleted while the backup ran and are not in it."
        )
    known = _code_migrations()
    have = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    if {key for key in known if key[0] in manifest["migrations"]} - have:
        lines.append("the code has newer migrations than the backup: run 'ausbildung migrate'.")
    for part in _PARTS.values():
        check = part.after_restore(directory / part.key)
        lines.append(check.summary)
        problems.extend(check.problems)
    return RestoreResult(
        manifest=manifest,
        rows=sum(counts.values()),
        tables=len(counts),
        documents=documents,
        document_bytes=document_bytes,
        problems=problems,
        lines=lines,
    )


def backup_summary(result: BackupResult) -> list[str]:
    manifest = result.manifest
    documents = [f for f in manifest["files"] if str(f["role"]).startswith("document")]
    lines = [
        f"backup written to {result.directory}: {manifest['engine']} database, "
        f"{sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables, "
        f"{len(documents)} documents ({sum(int(f['size']) for f in documents)} bytes)."
    ]
    if result.missing_documents:
        lines.append(
            f"warning: {len(result.missing_documents)} document(s) named by the database were deleted before "
            f"they could be copied (first: {result.missing_documents[0]})."
        )
    lines.append(
        "not in the backup: the signing keys and SECRET_KEY, and the live anchor log of the record "
        f"({settings.RECORD_ANCHOR_LOG}): keep them separately."
    )
    return lines
