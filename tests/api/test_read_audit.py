"""The audit of reads (core.audit) in the API: contracts, record periods and the review queue, applications.
Lists record only the page sent (limit/offset); a bearer token's reads count like the session's."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from ausbildung.core.models import TrainingContract
from ausbildung.core.tokens import api_token_create
from ausbildung.records import services as record_services
from tests.offers.conftest import sent_application
from tests.read_audit import open_page, subjects
from tests.records.conftest import week_input

pytestmark = pytest.mark.django_db


def test_the_contract_list_records_the_page_sent(demo, client_for):
    client = client_for("platform_admin")
    everything = open_page(client, reverse("api:contract_list"))
    assert everything.status == 200 and everything.inserts == 1
    assert subjects(everything) == set(TrainingContract.objects.values_list("apprentice_id", flat=True))
    first = open_page(client, reverse("api:contract_list"), limit=1)
    assert first.status == 200 and len(first.rows) == 1
    assert {r.what for r in first.rows} == {"api.contracts"}


def test_the_contract_detail_is_recorded(demo, client_for):
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    opened = open_page(client_for("chamber_officer"), reverse("api:contract_detail", args=[contract.pk]))
    assert [(r.what, r.subject_id, r.role) for r in opened.rows] == [
        ("api.contracts", demo["azubi"].pk, "chamber_officer")
    ]
    own = open_page(client_for("apprentice"), reverse("api:contract_detail", args=[contract.pk]))
    assert own.status == 200 and own.rows == []


def test_record_periods_with_a_token(demo):
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    _token, secret = api_token_create(actor=None, user=demo["ausbilder"], name="phone")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    listed = open_page(client, reverse("api:records_period_list", args=[contract.pk]))
    assert listed.status == 200 and listed.inserts == 1
    assert [(r.what, r.subject_id, r.role) for r in listed.rows] == [
        ("api.records", demo["azubi"].pk, "trainer")
    ]
    detail = open_page(
        client,
        reverse("api:records_period_detail", kwargs={"contract_id": contract.pk, "start": "2025-09-01"}),
    )
    assert detail.status == 200 and len(detail.rows) == 1


def test_the_review_queue(demo, client_for):
    contract = TrainingContract.objects.get(apprentice=demo["azubi"])
    monday = datetime.date(2025, 9, 1)
    period = record_services.record_period_save(
        actor=demo["azubi"], contract=contract, start=monday, data=week_input(monday)
    )
    record_services.record_period_submit(actor=demo["azubi"], period=period)
    opened = open_page(client_for("trainer"), reverse("api:records_queue"))
    assert opened.status == 200
    assert [(r.what, r.subject_id) for r in opened.rows] == [("api.records", demo["azubi"].pk)]


def test_applications(demo, client_for):
    application = sent_application(demo)
    listed = open_page(
        client_for("company_admin"), reverse("api:offers_company_applications", args=[application.offer_id])
    )
    assert listed.status == 200
    assert [(r.what, r.subject_id) for r in listed.rows] == [("api.applications", demo["schueler"].pk)]
    detail = open_page(client_for("trainer"), reverse("api:offers_application_detail", args=[application.pk]))
    assert [(r.what, r.subject_id) for r in detail.rows] == [("api.applications", demo["schueler"].pk)]
    own = open_page(client_for("pupil"), reverse("api:offers_application_list"))
    assert own.status == 200 and own.rows == []


def test_refused_and_missing_write_nothing(demo, client_for):
    other = TrainingContract.objects.get(apprentice=demo["azubi2"])
    for role in ("trainer", "teacher"):
        opened = open_page(client_for(role), reverse("api:records_period_list", args=[other.pk]))
        assert opened.status in {403, 404} and opened.rows == []
    assert open_page(Client(), reverse("api:contract_list")).rows == []
