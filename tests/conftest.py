"""Shared fixtures: the demo region with one user per role, plus an outsider who belongs nowhere."""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import Client

from ausbildung.core.demo import demo_load
from ausbildung.core.models import User

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
BROWSER_SKIP_REASON = (
    f"Chromium not found at {CHROMIUM}: browser tests skipped. Enable them with "
    "'apt-get install chromium chromium-driver' (Debian) or set CHROMIUM_PATH."
)

# The demo login of each role (see ausbildung.core.demo).
ROLE_USERS = {
    "pupil": "schueler",
    "apprentice": "azubi",
    "guardian": "eltern",
    "trainer": "ausbilder",
    "company_admin": "betrieb",
    "teacher": "lehrer",
    "vocational_school_teacher": "berufsschule",
    "counsellor": "beratung",
    "chamber_officer": "kammer",
    "monitor": "monitor",
    "platform_admin": "admin",
}


def chromium_available() -> bool:
    return CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is not None


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.db import connection

    lines = [f"database: {connection.vendor}"]
    if not chromium_available():
        lines.append(BROWSER_SKIP_REASON)
    return lines


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that use the test database (the second pass of `make test` on PostgreSQL: "
        "a test without database access runs the same whatever DATABASE_URL says, and ran in the first pass)",
    )


# Fixtures through which a test reaches the test database (pytest-django); any fixture that uses the database
# depends on one of them, so they are in the test's fixture closure.
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}
)


def uses_test_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("django_db") is not None:
        return True
    return not DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--database-tests-only"):
        # pytest-django refuses database access to a test without these fixtures or the django_db mark, so
        # the tests left out here cannot touch the database under test (they use none, or SQLite files of
        # their own, such as the CLI tests' migrated checkout).
        # The sweeps run whole in this pass (the SQLite pass leaves them out, Makefile), their checks without
        # the database included.
        kept = [item for item in items if uses_test_database(item) or item.get_closest_marker("sweep")]
        deselected = [item for item in items if item not in kept]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = kept
    if chromium_available():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but {BROWSER_SKIP_REASON}")
    skip = pytest.mark.skip(reason=BROWSER_SKIP_REASON)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo region once per test database; tests run in transactions on top of it."""
    _BLOCKER.append(django_db_blocker)
    with django_db_blocker.unblock():
        _remember_demo(demo_load(with_admin=True))
        _snapshot_demo()


_BLOCKER: list = []  # pytest-django's django_db_blocker, for the hook below


def _empties_the_database(item: pytest.Item) -> bool:
    """A transactional test: pytest-django flushes every table when it ends."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return not {"transactional_db", "live_server"}.isdisjoint(getattr(item, "fixturenames", ()))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After a transactional test's flush, put the session's demo back, committed, for the tests after it.

    Otherwise each later test of the worker found an empty database and loaded the demo again inside its own
    transaction, which is rolled back: measured on PostgreSQL, 53 tests paid 0.3-1 s each for it (71 s)."""
    result = yield
    if _BLOCKER and _SNAPSHOT_TABLES and nextitem is not None and _empties_the_database(item):
        with _BLOCKER[0].unblock():
            demo_restore()
    return result


# The primary keys of the demo users as the session's demo_load wrote them. Tests run in transactions that are
# rolled back, so the demo stays as it is until a transactional test (browser tests, `transaction=True`)
# empties the database at its end (pytest-django's flush).
_DEMO_PKS: dict[str, int] = {}


def _remember_demo(users: dict[str, User]) -> dict[str, User]:
    _DEMO_PKS.clear()
    _DEMO_PKS.update({username: user.pk for username, user in users.items()})
    return users


def _demo_in_place() -> dict[str, User] | None:
    """The demo users (as demo_load returns them) when the session's demo is still in the database, else None."""
    found = {user.username: user for user in User.objects.filter(username__in=_DEMO_PKS)}
    if {username: user.pk for username, user in found.items()} != _DEMO_PKS:
        return None
    return {username: found[username] for username in _DEMO_PKS}


# A copy of every table right after the session's demo_load (SQLite: in a database in memory beside the test
# database; PostgreSQL: in a schema of the test database). A transactional test gets the demo back from it in a fraction of demo_load's time (which imports
# regulations on an empty database): the same rows, primary keys included.
SNAPSHOT_SCHEMA = "demo_snapshot"
SNAPSHOT_URI = f"file:{SNAPSHOT_SCHEMA}?mode=memory&cache=shared"
_SNAPSHOT_TABLES: list[str] = []
_snapshot_keeper: list[sqlite3.Connection] = []  # an open connection keeps the memory database alive


def _attach_snapshot() -> None:
    """Attach the snapshot to the current connection (the main thread's may be another one by now)."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA database_list")
        if SNAPSHOT_SCHEMA not in {row[1] for row in cursor.fetchall()}:
            cursor.execute(f"ATTACH DATABASE '{SNAPSHOT_URI}' AS {SNAPSHOT_SCHEMA}")


def _snapshot_demo() -> None:
    if connection.vendor == "postgresql":
        _snapshot_demo_postgresql()
        return
    if connection.vendor != "sqlite":
        return
    _snapshot_keeper.append(sqlite3.connect(SNAPSHOT_URI, uri=True))
    _attach_snapshot()
    quote = connection.ops.quote_name
    tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
    with connection.cursor() as cursor:
        for table in tables:
            # table names from Django's introspection, quoted
            copy = f"CREATE TABLE {SNAPSHOT_SCHEMA}.{quote(table)} AS SELECT * FROM main.{quote(table)}"  # noqa: S608
            cursor.execute(copy)
    _SNAPSHOT_TABLES[:] = tables


# PostgreSQL: temporary tables of the worker's connection. pg_dump and other databases do not see them (the
# backup tests dump and restore the test database); a generated column (the offer search's vector) is left to
# the database.
_PG_SNAPSHOT: dict[str, tuple[str, str]] = {}  # table -> (temporary table, its column list)


def _snapshot_demo_postgresql() -> None:
    quote = connection.ops.quote_name
    tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
    _PG_SNAPSHOT.clear()
    with connection.cursor() as cursor:
        for number, table in enumerate(tables):
            cursor.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                "AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
                [quote(table)],
            )
            columns = ", ".join(quote(name) for (name,) in cursor.fetchall())
            copy = f"{SNAPSHOT_SCHEMA}_{number}"
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{copy}")
            # table names from Django's introspection, quoted
            cursor.execute(f"CREATE TEMPORARY TABLE {copy} AS SELECT {columns} FROM {quote(table)}")  # noqa: S608
            _PG_SNAPSHOT[table] = (copy, columns)
    _SNAPSHOT_TABLES[:] = tables


def _restore_postgresql() -> bool:
    """The snapshot back (False when this connection has no snapshot: a test closed the connection)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        first = next(iter(_PG_SNAPSHOT.values()))[0]
        cursor.execute("SELECT to_regclass(%s)", [f"pg_temp.{first}"])
        if cursor.fetchone()[0] is None:
            return False
    # Foreign keys are DEFERRABLE INITIALLY DEFERRED: checked at the commit, so the order does not matter.
    # TRUNCATE and INSERT fire the triggers that keep offers_offer_search in step, as in production.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(quote(table) for table in _SNAPSHOT_TABLES))
        for table, (copy, columns) in _PG_SNAPSHOT.items():
            cursor.execute(f"INSERT INTO {quote(table)} ({columns}) SELECT {columns} FROM pg_temp.{copy}")  # noqa: S608
    return True


def demo_restore() -> dict[str, User]:
    """The session's demo on a database a transactional test starts with (emptied by the flush of the one
    before): every table back to its rows after the session's demo_load. Without a snapshot, demo_load."""
    if not _SNAPSHOT_TABLES:
        return _remember_demo(demo_load(with_admin=True))
    from django.contrib.contenttypes.models import ContentType

    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        if not _restore_postgresql():
            loaded = _remember_demo(demo_load(with_admin=True))
            _snapshot_demo_postgresql()
            return loaded
    else:
        _attach_snapshot()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("PRAGMA defer_foreign_keys = ON")
            for table in _SNAPSHOT_TABLES:
                cursor.execute(f"DELETE FROM main.{quote(table)}")  # noqa: S608
                copy = f"INSERT INTO main.{quote(table)} SELECT * FROM {SNAPSHOT_SCHEMA}.{quote(table)}"  # noqa: S608
                cursor.execute(copy)
    # The flush's post_migrate made content types under other ids; the restored rows carry the old ones.
    ContentType.objects.clear_cache()
    users = _demo_in_place()
    assert users is not None, "the restored demo lacks its users"
    return users


def verify_second_factor(client: Client, user: User) -> None:
    """Mark a test client's session as past the second factor, as django-otp's login does after a code.

    `Client.force_login` skips the password; for staff (who need the second factor, core.signin) it skips the
    code step in the same way: the person gets a confirmed TOTP device (when they have none) and the session
    names it. The production rule is unchanged; tests of the code step itself use `Client.post` to the login
    page, or `force_login_without_second_factor`."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ausbildung.core.permissions import STAFF_ROLES, roles_of

    # A fresh copy: roles_of caches on the object, and a test may change the memberships after logging in.
    if not roles_of(User.objects.get(pk=user.pk)) & STAFF_ROLES:
        return
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user_id=user.pk, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


_original_force_login = Client.force_login


def force_login_without_second_factor(client: Client, user: User) -> None:
    _original_force_login(client, user)


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch):
    """See `verify_second_factor`: every `client.force_login(staff)` of the suite is a verified session."""

    def force_login(self: Client, user: User, backend: str | None = None) -> None:
        _original_force_login(self, user, backend)
        verify_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def demo(db) -> dict[str, User]:
    """The demo users by username. Reloads the demo (idempotent) when a transactional test emptied the
    database; otherwise the session's demo is in place unchanged (demo_load would change nothing)."""
    return _demo_in_place() or _remember_demo(demo_load(with_admin=True))


@pytest.fixture
def outsider(db) -> User:
    """A signed-up person without any membership or guardianship."""
    user = User.objects.create_user("outsider", password="outsider-password")
    return user


@pytest.fixture
def client_for(demo):
    """A logged-in test client for a role name (or None for anonymous)."""

    def make(role: str | None) -> Client:
        client = Client()
        if role is not None:
            client.force_login(demo[ROLE_USERS[role]])
        return client

    return make


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded application documents go to a per-test folder, never into the checkout."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _record_anchor_log(settings, tmp_path):
    """The anchor log of signature heads goes to a per-test file, never into the checkout."""
    settings.RECORD_ANCHOR_LOG = tmp_path / "record-anchors.log"


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory) -> Path:
    """`ausbildung migrate` into a fresh SQLite file once per test run (it takes seconds): the first xdist
    worker that needs it makes it under a lock in the run's shared temporary folder, the others copy it."""
    from tests.test_cli import run

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = shared / "cli-template"
    folder.mkdir(exist_ok=True)
    with open(shared / "cli-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "done").exists():
            result = run(["migrate", "--no-input"], folder)
            assert result.returncode == 0, result.stderr
            (folder / "done").touch()
    return folder / "cli.sqlite3"


@pytest.fixture
def migrated(_migrated_template, tmp_path) -> Path:
    """A folder whose cli.sqlite3 is a migrated copy of the session's template, for `tests.test_cli.run`."""
    shutil.copyfile(_migrated_template, tmp_path / "cli.sqlite3")
    return tmp_path
