"""The audit of reads (core.audit) on the record book's pages and exports: staff reads of an apprentice's
book write one row per apprentice with one INSERT; the apprentice's own reads and the guardian's write none."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ausbildung.core.models import Role, TrainingContract
from tests.read_audit import open_page, subjects

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(demo) -> TrainingContract:
    return TrainingContract.objects.get(apprentice=demo["azubi"])


PAGES = [
    ("records:book", "records.book", {}),
    ("records:period", "records.period", {"start": "2025-09-01"}),
    ("records:coverage", "records.coverage", {}),
    ("records:findings", "records.findings", {}),
    ("records:export_json", "records.json", {}),
]


@pytest.mark.parametrize(("name", "what", "extra"), PAGES)
@pytest.mark.parametrize("role", ["trainer", "company_admin", "chamber_officer", "platform_admin"])
def test_staff_reads_of_the_book_are_recorded(demo, client_for, contract, name, what, extra, role):
    url = reverse(name, kwargs={"contract_id": contract.pk, **extra})
    opened = open_page(client_for(role), url)
    assert opened.status == 200
    assert opened.inserts == 1
    (row,) = opened.rows
    assert (row.subject_id, row.what, row.role, row.path) == (demo["azubi"].pk, what, role, url)
    assert row.object_type == "core.trainingcontract" and row.object_id == str(contract.pk)


def test_the_vocational_school_reads_the_school_section(demo, client_for, contract):
    opened = open_page(client_for("vocational_school_teacher"), reverse("records:book", args=[contract.pk]))
    assert opened.status == 200
    assert [(r.subject_id, r.role) for r in opened.rows] == [
        (demo["azubi"].pk, Role.VOCATIONAL_SCHOOL_TEACHER)
    ]


def test_the_pdf_is_recorded(demo, client_for, contract):
    opened = open_page(client_for("trainer"), reverse("records:pdf", args=[contract.pk]))
    if opened.status == 503:  # WeasyPrint missing on this machine: nothing was shown
        assert opened.rows == []
        return
    assert opened.status == 200
    assert [(r.what, r.subject_id) for r in opened.rows] == [("records.pdf", demo["azubi"].pk)]


@pytest.mark.parametrize("role", ["apprentice", "guardian"])
def test_own_and_guardians_reads_write_nothing(client_for, contract, role):
    for name, _what, extra in PAGES:
        opened = open_page(client_for(role), reverse(name, kwargs={"contract_id": contract.pk, **extra}))
        assert opened.status == 200
        assert opened.rows == [] and opened.inserts == 0


@pytest.mark.parametrize("role", ["trainer", "teacher", "counsellor"])
def test_refused_or_not_found_writes_nothing(demo, client_for, role):
    other = TrainingContract.objects.get(apprentice=demo["azubi2"])
    opened = open_page(client_for(role), reverse("records:book", args=[other.pk]))
    assert opened.status in {403, 404}
    assert opened.rows == []


def test_lists_record_each_apprentice_shown(demo, client_for, contract):
    overview = open_page(client_for("company_admin"), reverse("records:overview"))
    assert overview.status == 200 and overview.inserts == 1
    assert subjects(overview) == {demo["azubi"].pk}
    chamber = open_page(client_for("chamber_officer"), reverse("records:chamber"))
    assert chamber.inserts == 1
    assert subjects(chamber) == set(
        TrainingContract.objects.filter(chamber__memberships__user=demo["kammer"]).values_list(
            "apprentice", flat=True
        )
    )
    assert {r.what for r in chamber.rows} == {"records.chamber"}


def test_the_review_queue_records_the_apprentices_waiting(demo, client_for, contract, write_week):
    import datetime

    from ausbildung.records import services

    period = write_week(datetime.date(2025, 9, 1))
    services.record_period_submit(actor=demo["azubi"], period=period)
    opened = open_page(client_for("trainer"), reverse("records:queue"))
    assert opened.status == 200
    assert [(r.what, r.subject_id) for r in opened.rows] == [("records.queue", demo["azubi"].pk)]
