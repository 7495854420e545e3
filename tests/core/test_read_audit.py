"""The audit of staff reads of young people's data (issue #18, DSGVO Art. 5 Abs. 2): core.audit, the
middleware that writes a request's reads with one INSERT, the person's page and the retention cleanup."""

from __future__ import annotations

import datetime
import subprocess

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ausbildung.core import audit
from ausbildung.core.models import (
    AuditLog,
    Guardianship,
    Membership,
    Organisation,
    ReadAccess,
    Role,
    TrainingContract,
    User,
)

pytestmark = pytest.mark.django_db


def inserts(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]


def read_rows(**filters) -> list[ReadAccess]:
    return list(ReadAccess.objects.filter(**filters).order_by("id"))


def request_for(user: User, path: str = "/x/"):
    request = RequestFactory().get(path + "?q=secret")
    request.user = user
    return request


# --- the collector and the flush -----------------------------------------------------------------------------


def test_a_request_writes_its_reads_with_one_insert(demo):
    request = request_for(demo["admin"], "/verwaltung/x/")
    pupils = [demo["schueler"], demo["azubi"], demo["azubi2"]]
    audit.note_read(request, pupils, "records.book")
    audit.note_read(request, [demo["azubi"].pk], "records.pdf", TrainingContract.objects.first())
    with CaptureQueriesContext(connection) as queries:
        written = audit.flush_reads(request, HttpResponse(status=200))
    assert written == 4
    assert len(inserts(queries.captured_queries)) == 1
    rows = read_rows(reader=demo["admin"])
    assert {(r.subject_id, r.what) for r in rows} == {
        (demo["schueler"].pk, "records.book"),
        (demo["azubi"].pk, "records.book"),
        (demo["azubi2"].pk, "records.book"),
        (demo["azubi"].pk, "records.pdf"),
    }
    pdf = next(r for r in rows if r.what == "records.pdf")
    assert pdf.object_type == "core.trainingcontract"
    assert pdf.role == Role.PLATFORM_ADMIN
    assert pdf.path == "/verwaltung/x/"  # never the query string


@pytest.mark.parametrize("status", [403, 404, 500])
def test_a_refused_or_failed_answer_writes_nothing(demo, status):
    request = request_for(demo["ausbilder"])
    audit.note_read(request, [demo["azubi"]], "records.book")
    assert audit.flush_reads(request, HttpResponse(status=status)) == 0
    assert not ReadAccess.objects.exists()


def test_own_reads_and_guardians_write_nothing(demo):
    own = request_for(demo["azubi"])
    audit.note_read(own, [demo["azubi"]], "records.book")
    assert audit.flush_reads(own, HttpResponse()) == 0
    guardian = request_for(demo["eltern"])
    audit.note_read(guardian, [demo["azubi"]], "records.book")
    assert audit.flush_reads(guardian, HttpResponse()) == 0
    assert not ReadAccess.objects.exists()


def test_staff_data_is_not_a_subject(demo):
    """An administrator opening a trainer's account is not a read of a young person's data."""
    request = request_for(demo["admin"])
    audit.note_read(request, [demo["ausbilder"], demo["kammer"]], "admin.user")
    assert audit.flush_reads(request, HttpResponse()) == 0


def test_a_minor_without_a_young_role_is_a_subject(demo):
    child = User.objects.create_user(
        "kind", date_of_birth=timezone.localdate() - datetime.timedelta(days=3650)
    )
    request = request_for(demo["admin"])
    audit.note_read(request, [child], "admin.user")
    assert audit.flush_reads(request, HttpResponse()) == 1


def test_role_and_organisation_of_the_reader(demo):
    request = request_for(demo["ausbilder"])
    audit.note_read(request, [demo["azubi"]], "records.book", roles=[Role.COMPANY_ADMIN, Role.TRAINER])
    audit.flush_reads(request, HttpResponse())
    row = ReadAccess.objects.get()
    assert row.role == Role.TRAINER
    company = Membership.objects.get(user=demo["ausbilder"], role=Role.TRAINER).organisation
    assert row.organisation == company


def test_a_reader_in_several_organisations_of_the_role_leaves_it_open(demo):
    other = Organisation.objects.filter(kind=Organisation.Kind.COMPANY).exclude(
        memberships__user=demo["ausbilder"]
    )[0]
    Membership.objects.create(user=demo["ausbilder"], organisation=other, role=Role.TRAINER)
    request = request_for(demo["ausbilder"])
    audit.note_read(request, [demo["azubi"]], "records.book")
    audit.flush_reads(request, HttpResponse())
    assert ReadAccess.objects.get().organisation is None


def test_a_reader_without_a_granting_staff_role_writes_nothing(demo):
    request = request_for(demo["lehrer"])
    audit.note_read(request, [demo["azubi"]], "records.book", roles=[Role.TRAINER])
    assert audit.flush_reads(request, HttpResponse()) == 0


def test_the_same_read_noted_twice_is_one_row(demo):
    request = request_for(demo["ausbilder"])
    audit.note_read(request, [demo["azubi"], demo["azubi"].pk], "records.book")
    assert audit.flush_reads(request, HttpResponse()) == 1


def test_unknown_codes_are_a_programming_error(demo):
    with pytest.raises(ValueError, match="unknown read code"):
        audit.note_read(request_for(demo["ausbilder"]), [demo["azubi"]], "records.secret")


def test_anonymous_requests_note_nothing(demo):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    audit.note_read(request, [demo["azubi"]], "records.book")
    assert audit.flush_reads(request, HttpResponse()) == 0


# --- through the middleware: a page costs one insert -----------------------------------------------------------


def test_a_page_writes_one_insert_through_the_middleware(demo, client_for):
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    client = client_for("trainer")
    url = reverse("records:book", kwargs={"contract_id": contract.pk})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url + "?status=signed")
    assert response.status_code == 200
    read_inserts = [sql for sql in inserts(queries.captured_queries) if ReadAccess._meta.db_table in sql]
    assert len(read_inserts) == 1
    row = ReadAccess.objects.get()
    assert (row.reader, row.subject, row.what, row.path) == (
        demo["ausbilder"],
        demo["azubi"],
        "records.book",
        url,
    )


def test_a_404_through_the_middleware_writes_nothing(demo, client_for):
    other = TrainingContract.objects.get(apprentice=demo["azubi2"])
    response = client_for("trainer").get(reverse("records:book", kwargs={"contract_id": other.pk}))
    assert response.status_code == 404
    assert not ReadAccess.objects.exists()


# --- the person's page -----------------------------------------------------------------------------------------


def make_read(reader: User, subject: User, what: str = "records.book", **extra) -> ReadAccess:
    return ReadAccess.objects.create(
        reader=reader, subject=subject, what=what, role=Role.TRAINER, path="/nachweis/1/", **extra
    )


def test_the_person_sees_who_read_their_data(demo, client_for):
    company = Membership.objects.get(user=demo["ausbilder"], role=Role.TRAINER).organisation
    make_read(demo["ausbilder"], demo["azubi"], organisation=company)
    make_read(demo["kammer"], demo["azubi2"])  # someone else's
    response = client_for("apprentice").get(reverse("core:read_log"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Miriam Klein" in text
    assert company.name in text
    assert "Berichtsheft" in text or "Ausbildungsnachweis" in text
    assert "Michael Braun" not in text
    assert text.count('data-testid="read-line"') == 1


def test_the_page_groups_by_day_and_pages(demo, client_for):
    now = timezone.now()
    rows = [make_read(demo["ausbilder"], demo["azubi"]) for _ in range(55)]
    ReadAccess.objects.filter(pk=rows[0].pk).update(read_at=now - datetime.timedelta(days=3))
    response = client_for("apprentice").get(reverse("core:read_log"))
    text = response.content.decode()
    assert text.count('data-testid="read-line"') == 50
    assert text.count('data-testid="read-day"') == 1
    second = client_for("apprentice").get(reverse("core:read_log") + "?page=2").content.decode()
    assert second.count('data-testid="read-line"') == 5
    assert second.count('data-testid="read-day"') == 2


def test_nothing_read_yet(demo, client_for):
    response = client_for("pupil").get(reverse("core:read_log"))
    assert 'data-testid="read-log-empty"' in response.content.decode()


def test_a_guardian_sees_the_reads_of_a_current_ward(demo, client_for):
    make_read(demo["ausbilder"], demo["azubi"])
    client = client_for("guardian")
    own = client.get(reverse("core:read_log")).content.decode()
    assert 'data-testid="read-line"' not in own
    assert f"?person={demo['azubi'].pk}" in own
    ward = client.get(reverse("core:read_log") + f"?person={demo['azubi'].pk}")
    assert ward.status_code == 200
    assert "Miriam Klein" in ward.content.decode()


@pytest.mark.parametrize("person", ["azubi2", "ausbilder", None])
def test_nobody_elses_reads(demo, client_for, person):
    """Not a ward (another apprentice, a staff member), or a malformed id: 404, never a 500."""
    value = str(demo[person].pk) if person else "1e3"
    response = client_for("guardian").get(reverse("core:read_log") + f"?person={value}")
    assert response.status_code == 404
    response = client_for("trainer").get(reverse("core:read_log") + f"?person={demo['azubi'].pk}")
    assert response.status_code == 404


def test_a_former_guardian_sees_no_more(demo, client_for):
    make_read(demo["ausbilder"], demo["azubi"])
    User.objects.filter(pk=demo["azubi"].pk).update(date_of_birth=datetime.date(2000, 1, 1))
    assert not Guardianship.objects.current().filter(guardian=demo["eltern"]).exists()
    response = client_for("guardian").get(reverse("core:read_log") + f"?person={demo['azubi'].pk}")
    assert response.status_code == 404


def test_the_home_page_links_the_page(client_for):
    response = client_for("apprentice").get(reverse("core:home"))
    assert reverse("core:read_log") in response.content.decode()


def test_the_page_itself_is_not_a_read(demo, client_for):
    client_for("guardian").get(reverse("core:read_log") + f"?person={demo['azubi'].pk}")
    assert not ReadAccess.objects.exists()


# --- retention -------------------------------------------------------------------------------------------------


def test_erase_reads_older_than_the_retention(demo):
    old = make_read(demo["ausbilder"], demo["azubi"])
    kept = make_read(demo["ausbilder"], demo["azubi"])
    now = timezone.now()
    ReadAccess.objects.filter(pk=old.pk).update(read_at=now - datetime.timedelta(days=731))
    ReadAccess.objects.filter(pk=kept.pk).update(read_at=now - datetime.timedelta(days=729))
    assert audit.erase_reads_older_than(now=now) == 1
    assert list(ReadAccess.objects.values_list("pk", flat=True)) == [kept.pk]
    entry = AuditLog.objects.get(action="audit.reads_erased")
    assert entry.changes == {"rows": 1, "days": 730}


def test_erase_refuses_a_nonsense_period(demo):
    with pytest.raises(ValueError):
        audit.erase_reads_older_than(days=0)


def test_erasing_a_person_erases_the_reads_of_their_data(demo):
    erased_pupil = User.objects.create_user("weg")
    gone_reader = User.objects.create_user("ehemals")
    make_read(demo["ausbilder"], erased_pupil)
    reader_row = make_read(gone_reader, demo["azubi"])
    erased_pupil.delete()
    gone_reader.delete()
    assert list(ReadAccess.objects.values_list("pk", flat=True)) == [reader_row.pk]
    assert ReadAccess.objects.get().reader is None


def test_the_cleanup_command(migrated):
    from tests.test_cli import run

    result = run(["manage", "erase_old_reads", "--days", "730"], migrated)
    assert result.returncode == 0, result.stderr
    assert "0" in result.stdout
    bad = run(["manage", "erase_old_reads", "--days", "0"], migrated)
    assert bad.returncode != 0
    assert len(bad.stderr.strip().splitlines()) == 1
    assert isinstance(bad, subprocess.CompletedProcess)


# --- the admin -------------------------------------------------------------------------------------------------


def test_admin_change_and_list_pages_of_people_are_recorded(demo, client_for):
    from tests.read_audit import open_page, subjects

    client = client_for("platform_admin")
    change = open_page(client, reverse("admin:core_user_change", args=[demo["azubi"].pk]))
    assert change.status == 200 and change.inserts == 1
    assert [(r.what, r.subject_id, r.role) for r in change.rows] == [
        ("admin.core.user", demo["azubi"].pk, Role.PLATFORM_ADMIN)
    ]
    staff = open_page(client, reverse("admin:core_user_change", args=[demo["ausbilder"].pk]))
    assert staff.status == 200 and staff.rows == []
    listed = open_page(client, reverse("admin:core_user_changelist"))
    assert listed.status == 200 and listed.inserts == 1
    young = {demo["schueler"].pk, demo["azubi"].pk, demo["azubi2"].pk}
    assert young <= subjects(listed)
    assert demo["ausbilder"].pk not in subjects(listed)
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    contract_page = open_page(client, reverse("admin:core_trainingcontract_change", args=[contract.pk]))
    assert [(r.what, r.subject_id) for r in contract_page.rows] == [
        ("admin.core.trainingcontract", demo["azubi"].pk)
    ]
    periods = open_page(client, reverse("admin:records_recordperiod_changelist"))
    assert periods.status == 200


def test_admin_pages_without_personal_data_write_nothing(demo, client_for):
    from tests.read_audit import open_page

    client = client_for("platform_admin")
    assert open_page(client, reverse("admin:core_region_changelist")).rows == []
    missing = open_page(client, reverse("admin:core_user_change", args=[10**9]))
    assert missing.status == 302 and missing.rows == []


def test_the_admin_read_is_named_in_words(demo, client_for):
    make_read(demo["admin"], demo["azubi"], what="admin.core.trainingcontract")
    text = client_for("apprentice").get(reverse("core:read_log")).content.decode()
    assert "Verwaltung: Ausbildungsverträge" in text


def test_the_admin_lists_the_reads_and_that_is_a_read_too(demo, client_for):
    from tests.read_audit import open_page

    make_read(demo["ausbilder"], demo["azubi"])
    client = client_for("platform_admin")
    listed = open_page(client, reverse("admin:core_readaccess_changelist"))
    assert listed.status == 200
    assert [(r.what, r.subject_id) for r in listed.rows] == [("admin.core.readaccess", demo["azubi"].pk)]
    assert client.get(reverse("admin:core_readaccess_add")).status_code == 403
