"""`ausbildung backup` and `ausbildung restore` (issue #18, "Backup and restore"), on SQLite and PostgreSQL.

A database filled through the services (the demo's contracts, three signed record weeks with one reopened, so
the chain and the anchor log hold signatures and a reopening; an application document and a signed consent
form in the private storage) is backed up while another thread keeps writing documents and audit rows: a
part of the backup waits until two more have been committed while the snapshot is read, so the overlap is
certain, not a matter of timing. The real command restores it into an empty database (a new SQLite file, or a
PostgreSQL database created and dropped here) and an empty documents folder. Every row committed before the
backup started is there unchanged, the row counts are the manifest's (what was written during the backup is
not half in it), every document named by a restored row is there with its bytes, the chain heads are the
backup's, and `records verify` passes against the live anchor log, which the restore leaves alone. A second
restore into the now non-empty database needs --force. A damaged backup (a flipped byte, a deleted file),
another engine, newer migrations and a non-empty database are refused with one line."""

from __future__ import annotations

import datetime
import json
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.utils import timezone

from ausbildung import cli
from ausbildung.core.backup import (
    BackupError,
    BackupPart,
    PartCheck,
    backup_check,
    backup_create,
    backup_restore,
    private_file_columns,
    register_backup_part,
    unregister_backup_part,
)
from ausbildung.core.demo import demo_load
from ausbildung.core.models import Organisation, TrainingContract
from ausbildung.core.services import audit_record
from ausbildung.offers import services as offer_services
from ausbildung.records import services as record_services
from ausbildung.records.models import RecordSignature
from ausbildung.transition import services as transition_services
from tests.offers.conftest import PDF, demo_offer, document_of, sent_application
from tests.records.conftest import week_input
from tests.test_cli import run

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = datetime.date(2025, 9, 1)


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def fill() -> dict[str, Any]:
    """The demo region (contracts, signed periods, chain, anchor log lines) plus documents and a paper consent."""
    demo = demo_load()
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    periods = []
    for week in range(3):
        monday = MONDAY + datetime.timedelta(days=7 * week)
        period = record_services.record_period_save(
            actor=demo["azubi"], contract=contract, start=monday, data=week_input(monday)
        )
        record_services.record_period_submit(actor=demo["azubi"], period=period)
        periods.append(record_services.record_period_sign(actor=demo["ausbilder"], period=period))
    record_services.record_period_reopen(actor=demo["ausbilder"], period=periods[1], reason="Tippfehler")
    assert RecordSignature.objects.filter(contract=contract).exclude(key_id="").count() == 3
    application = sent_application(demo)
    offer_services.application_document_add(
        actor=demo["schueler"], application=application, upload=upload("cv.pdf")
    )
    mia = demo["schueler"].__class__.objects.get(username="demo-mia")
    today = timezone.localdate()
    transition_services.consent_record_paper(
        actor=demo["lehrer"],
        person=mia,
        agency=Organisation.objects.get(kind=Organisation.Kind.GUIDANCE_AGENCY),
        upload=upload("einwilligung.pdf"),
        person_consented_on=today,
        guardian_name="Eva Keller",
        guardian_consented_on=today,
    )
    return demo


# --- raw views of a database, the same for the live test database and the restored one ---------------------------


def raw_connect(target: dict[str, Any]) -> Any:
    """A plain DB-API connection (no Django converters), so rows of both databases compare alike."""
    if target["ENGINE"].endswith("sqlite3"):
        name = str(target["NAME"])
        return sqlite3.connect(name, uri=name.startswith("file:"), timeout=20)
    import psycopg

    return psycopg.connect(
        dbname=target["NAME"],
        host=target["HOST"],
        port=target["PORT"] or 5432,
        user=target["USER"],
        password=target["PASSWORD"] or None,
        autocommit=True,
    )


def fetch_all(cursor: Any, sql: str) -> list[Any]:
    """The rows of a query. The SQLite test database lives in memory with a shared cache, where a reader gets
    'table is locked' (at once, no busy wait) while the writer thread holds the table: read again then."""
    for _attempt in range(2000):
        try:
            cursor.execute(sql)
            return cursor.fetchall()
        except Exception as error:  # sqlite3.OperationalError; psycopg raises no 'locked'
            if "locked" not in str(error):
                raise
            time.sleep(0.005)
    raise AssertionError(f"stayed locked: {sql}")


def read_table(cursor: Any, table: str) -> set[str]:
    return {repr(row) for row in fetch_all(cursor, f'SELECT * FROM "{table}"')}  # noqa: S608 - catalogue names


def all_rows(target: dict[str, Any]) -> dict[str, set[str]]:
    conn = raw_connect(target)
    try:
        cursor = conn.cursor()
        if target["ENGINE"].endswith("sqlite3"):
            cursor.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        else:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [row[0] for row in cursor.fetchall()]
        rows = {}
        for table in tables:
            rows[table] = read_table(cursor, table)
        return rows
    finally:
        conn.close()


def referenced_files(target: dict[str, Any]) -> set[str]:
    conn = raw_connect(target)
    try:
        cursor = conn.cursor()
        names: set[str] = set()
        for table, column in private_file_columns():
            sql = f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> \'\''  # noqa: S608
            names.update(row[0] for row in fetch_all(cursor, sql))
        return names
    finally:
        conn.close()


@pytest.fixture
def empty_database(tmp_path) -> Iterator[tuple[dict[str, Any], str]]:
    """An empty database of the engine under test: its settings and its DATABASE_URL."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield {"ENGINE": source["ENGINE"], "NAME": str(path)}, f"sqlite:///{path}"
        return
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    target = {**source, "NAME": name}
    auth = source["USER"] + (f":{source['PASSWORD']}" if source["PASSWORD"] else "")
    try:
        yield target, f"postgres://{auth}@{source['HOST'] or '127.0.0.1'}:{source['PORT'] or 5432}/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore_env(url: str, documents: Path) -> dict[str, str]:
    """The restoring process: the empty database, an empty documents folder, the same keys and live anchor log."""
    keys = ",".join(f"{key_id}:{secret}" for key_id, secret in settings.RECORD_SIGNING_KEYS)
    return {
        "DATABASE_URL": url,
        "PRIVATE_MEDIA_ROOT": str(documents),
        "RECORD_ANCHOR_LOG": str(settings.RECORD_ANCHOR_LOG),
        "RECORD_SIGNING_KEYS": keys,
    }


class Writer(threading.Thread):
    """Keeps writing while the backup runs: an application document (file, then row) and an audit row."""

    def __init__(self, demo: dict[str, Any]) -> None:
        super().__init__(daemon=True)
        self.demo, self.stop, self.commits, self.errors = demo, threading.Event(), [], []

    def run(self) -> None:
        try:
            application = sent_application(self.demo, demo_offer())
            while not self.stop.is_set():
                try:
                    document_of(application)
                    audit_record(actor=None, action="backup.test", target=application, summary="written")
                except OperationalError as error:  # SQLite in memory (shared cache): locked while copied
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.005)
                    continue
                self.commits.append(time.monotonic())
        except BaseException as error:  # reported by the test; a thread must not die silently
            self.errors.append(error)
        finally:
            connection.close()


def test_backup_while_writing_then_restore_into_an_empty_database(tmp_path, empty_database):
    demo = fill()
    target, url = empty_database
    writer = Writer(demo)
    writer.start()
    while len(writer.commits) < 3 and writer.is_alive():
        time.sleep(0.01)
    before_rows = all_rows(connection.settings_dict)
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    # The documents named by committed rows (complete: a document's file is written before its row).
    before_files = {name: (root / name).read_bytes() for name in referenced_files(connection.settings_dict)}
    # While the backup reads its snapshot, the writer must commit two more documents (deterministically, not
    # by luck of timing): a part of the backup that waits for them, registered like an app's part.
    during: list[int] = []

    def wait_for_writes(cursor: Any) -> dict[str, tuple[bytes, str]]:
        count = len(writer.commits)
        deadline = time.monotonic() + 30
        while len(writer.commits) < count + 2 and writer.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)
        during.append(len(writer.commits) - count)
        return {}

    register_backup_part(
        BackupPart(key="test-writes", snapshot=wait_for_writes, after_restore=lambda directory: PartCheck(""))
    )
    try:
        result = backup_create(directory=tmp_path / "backup")
    finally:
        unregister_backup_part("test-writes")
    writer.stop.set()
    writer.join(timeout=30)
    assert writer.errors == []
    assert during[0] >= 2, "no write committed during the backup"

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert manifest["missing_documents"] == [] == result.missing_documents
    assert "records" in manifest["migrations"]
    roles = {entry["path"]: entry["role"] for entry in manifest["files"]}
    assert roles["records/chain-heads.json"].startswith("record chain heads")
    assert roles["records/anchor-log.copy"].startswith("copy of the anchor log")
    anchor_log = Path(settings.RECORD_ANCHOR_LOG).read_bytes()

    documents = tmp_path / "restored-private"
    restored = run(["restore", str(tmp_path / "backup")], tmp_path, **restore_env(url, documents))
    assert restored.returncode == 0, restored.stderr + restored.stdout
    assert "all signature chains intact" in restored.stdout
    assert "chain heads as in the backup" in restored.stdout
    assert Path(settings.RECORD_ANCHOR_LOG).read_bytes() == anchor_log  # the live log is never written

    after_rows = all_rows(target)
    assert {table: len(rows) for table, rows in after_rows.items()} == manifest["tables"]
    for table, rows in before_rows.items():
        assert rows <= after_rows[table], f"{table}: rows committed before the backup are missing"
    for name, content in before_files.items():
        assert (documents / name).read_bytes() == content
    names = referenced_files(target)
    assert set(before_files) <= names
    # The documents committed while the snapshot was read are not in it (nor half in it): the live database
    # has at least the two more, the restored one what the manifest counted.
    assert len(referenced_files(connection.settings_dict)) >= len(names) + 2
    for name in names:
        assert (documents / name).is_file(), f"{name} is named by a restored row but missing"

    # A second restore: the database is no longer empty. --force replaces it, tables it did not have included.
    conn = raw_connect(target)
    conn.execute("CREATE TABLE leftover (x integer)")
    conn.commit()
    conn.close()
    forced = run(["restore", "--force", str(tmp_path / "backup")], tmp_path, **restore_env(url, documents))
    assert forced.returncode == 0, forced.stderr + forced.stdout
    assert "leftover" not in all_rows(target)


def refusal(capsys, directory: Path) -> str:
    """`ausbildung restore DIR` in this process (the live test database): its one line on stderr."""
    capsys.readouterr()
    assert cli.main(["restore", str(directory)]) != 0
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ausbildung: error: "), lines
    return lines[0]


def test_a_damaged_backup_is_refused_with_one_line(tmp_path, capsys):
    fill()
    directory = tmp_path / "backup"
    backup_create(directory=directory)
    manifest = json.loads((directory / "manifest.json").read_text())
    database = next(entry["path"] for entry in manifest["files"] if entry["role"] == "database")
    document = next(entry["path"] for entry in manifest["files"] if entry["role"] == "document")
    backup_check(directory)  # intact

    original = (directory / database).read_bytes()
    flipped = bytearray(original)
    flipped[len(flipped) // 2] ^= 0x01
    (directory / database).write_bytes(bytes(flipped))
    assert f"{database} does not match its checksum" in refusal(capsys, directory)
    (directory / database).write_bytes(original)

    os.remove(directory / document)
    assert f"{document} is missing" in refusal(capsys, directory)


def test_wrong_engine_newer_migrations_and_a_non_empty_database_are_refused(tmp_path, capsys):
    fill()
    directory = tmp_path / "backup"
    backup_create(directory=directory)
    path = directory / "manifest.json"
    manifest = json.loads(path.read_text())

    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    path.write_text(json.dumps({**manifest, "engine": other}))
    assert f"backup is of a {other} database" in refusal(capsys, directory)

    newer = {
        **manifest["migrations"],
        "records": [*manifest["migrations"]["records"], "9999_from_the_future"],
    }
    path.write_text(json.dumps({**manifest, "migrations": newer}))
    with pytest.raises(BackupError, match=r"1 migration.*records\.9999_from_the_future"):
        backup_check(directory)

    path.write_text(json.dumps(manifest))
    # The live test database is not empty: refused before anything changes, unless --force.
    assert "database is not empty" in refusal(capsys, directory)
    with pytest.raises(BackupError, match="database is not empty"):
        backup_restore(directory=directory)
    path.unlink()
    with pytest.raises(BackupError, match=r"no manifest\.json"):
        backup_check(directory)
