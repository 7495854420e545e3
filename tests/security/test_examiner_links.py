"""Attack: examiner links that leak, cannot be withdrawn and leave no trace.

A chamber gives an examiner read access to an apprentice's signed record book (BBiG § 43 Abs. 1 Nr. 2). The old
link was `/nachweis/einsicht/<token>/`, with the token stored in clear text:
- anyone with a copy of the database (a backup, a dump handed to support) could open every shared record book;
- the token stood in the request line, so every access log, proxy log and browser history kept a working key;
- the chamber could not revoke a link it had sent to the wrong person, and nobody saw who looked and when.

Defence: only the SHA-256 of the 256-bit secret is stored. The link carries the secret in its fragment
(`/nachweis/einsicht/#<secret>`), which browsers never send; a static script posts it once and the session
keeps the opened link for a limited time. The chamber sees its links (expiry, revoked, accesses, last access)
and revokes them (audited); every access through a link writes an AuditLog row (DSGVO Art. 5 Abs. 2).
"""

from __future__ import annotations

import datetime
import hashlib
import importlib

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import AuditLog, TrainingContract
from ausbildung.records.models import ExaminerShare
from ausbildung.records.views import EXAMINER_SESSION_KEY


@pytest.fixture
def contract(demo) -> TrainingContract:
    return TrainingContract.objects.get(apprentice__username="azubi")


def create_link(client_for, contract: TrainingContract) -> tuple[ExaminerShare, str, str]:
    """The chamber creates a link; returns the stored share, the link as shown once, and its secret."""
    response = client_for("chamber_officer").post(
        reverse("records:share", kwargs={"contract_id": contract.pk}), {"days": "7"}
    )
    assert response.status_code == 200
    url = response.context["url"]
    return ExaminerShare.objects.filter(contract=contract).latest("created_at"), url, url.split("#", 1)[1]


def open_link(token: str) -> Client:
    examiner = Client()
    assert examiner.post(reverse("records:shared"), {"token": token}).status_code == 302
    return examiner


def test_database_copy_holds_no_usable_secret(client_for, contract):
    share, _url, token = create_link(client_for, contract)

    assert share.token_hash == hashlib.sha256(token.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM records_examinershare WHERE id = %s", [share.pk])
        row = cursor.fetchone()
    assert not any(token in str(value) for value in row)
    # The stored hash itself does not open the record book.
    assert Client().post(reverse("records:shared"), {"token": share.token_hash}).status_code == 400


def test_secret_is_never_part_of_a_request_line(client_for, contract):
    _share, url, token = create_link(client_for, contract)

    path, fragment = url.split("#", 1)
    assert path.endswith("/nachweis/einsicht/") and fragment == token and token not in path
    # The old form of the link, with the secret as a path segment, opens nothing.
    assert Client().get(f"/nachweis/einsicht/{token}/").status_code == 404
    # The page the link opens carries no record until the secret is posted by the page's script.
    page = Client().get(path).content.decode()
    assert 'id="examiner-token-form"' in page and "records/examiner-link" in page
    assert contract.apprentice.get_full_name() not in page
    examiner = open_link(token)
    assert contract.apprentice.get_full_name() in examiner.get(reverse("records:shared")).content.decode()


def test_opened_link_lasts_only_for_a_limited_time(client_for, contract):
    _share, _url, token = create_link(client_for, contract)
    examiner = open_link(token)

    session = examiner.session
    grant = session[EXAMINER_SESSION_KEY]
    grant["until"] = 0
    session[EXAMINER_SESSION_KEY] = grant
    session.save()

    assert contract.apprentice.get_full_name() not in examiner.get(reverse("records:shared")).content.decode()


def test_chamber_revokes_a_link_and_the_examiner_loses_access(client_for, demo, contract):
    share, _url, token = create_link(client_for, contract)
    examiner = open_link(token)

    chamber = client_for("chamber_officer")
    other_chamber = Client()
    other_chamber.force_login(demo["hwk"])
    revoke = reverse("records:share_revoke", kwargs={"share_id": share.pk})
    assert other_chamber.post(revoke).status_code == 404
    assert chamber.post(revoke).status_code == 302

    share.refresh_from_db()
    assert share.revoked and share.revoked_by == demo["kammer"] and share.revoked_at is not None
    assert AuditLog.objects.filter(action="record.share_revoke", actor=demo["kammer"]).exists()
    assert contract.apprentice.get_full_name() not in examiner.get(reverse("records:shared")).content.decode()
    assert Client().post(reverse("records:shared"), {"token": token}).status_code == 400


def test_every_access_is_audited_and_shown_to_the_chamber(client_for, contract):
    share, _url, token = create_link(client_for, contract)
    before = AuditLog.objects.filter(action="record.share_access").count()

    examiner = open_link(token)
    examiner.get(reverse("records:shared"))
    examiner.get(reverse("records:shared"))

    rows = AuditLog.objects.filter(action="record.share_access").order_by("pk")[before:]
    assert len(rows) == 3
    assert all(row.actor is None and f"anonymous via link {share.pk}" in row.summary for row in rows)
    assert all(row.target_id == str(contract.pk) for row in rows)
    share.refresh_from_db()
    assert share.access_count == 3 and share.last_access_at is not None
    chamber_page = client_for("chamber_officer").get(reverse("records:chamber"))
    assert share in chamber_page.context["shares"]
    assert "Widerrufen" in chamber_page.content.decode()


def test_migration_hashes_existing_secrets_in_place_and_their_links_keep_working(demo, contract):
    """Links created before the change stored the secret itself; the migration replaces it by its hash."""
    from django.apps import apps

    migration = importlib.import_module(
        "ausbildung.records.migrations.0003_examinershare_token_hash_revocation_access"
    )
    old_secret = "alter-geheimer-zugangscode-aus-der-zeit-vor-dem-hash"
    share = ExaminerShare.objects.create(
        contract=contract,
        token_hash=old_secret,
        created_by=demo["kammer"],
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )

    migration.hash_tokens(apps, None)

    share.refresh_from_db()
    assert share.token_hash == hashlib.sha256(old_secret.encode()).hexdigest()
    open_link(old_secret)
