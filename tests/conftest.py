"""Shared fixtures: the demo region with one user per role, plus an outsider who belongs nowhere."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
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
    with django_db_blocker.unblock():
        demo_load(with_admin=True)


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
    """The demo users by username. Idempotent reload: cheap when present, restores data after a flush."""
    return demo_load(with_admin=True)


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
    """`ausbildung migrate` into a fresh SQLite file once per test session (it takes seconds)."""
    from tests.test_cli import run

    folder = tmp_path_factory.mktemp("cli-template")
    result = run(["migrate", "--no-input"], folder)
    assert result.returncode == 0, result.stderr
    return folder / "cli.sqlite3"


@pytest.fixture
def migrated(_migrated_template, tmp_path) -> Path:
    """A folder whose cli.sqlite3 is a migrated copy of the session's template, for `tests.test_cli.run`."""
    shutil.copyfile(_migrated_template, tmp_path / "cli.sqlite3")
    return tmp_path
