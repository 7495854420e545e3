"""The audit of reads (core.audit) on applications: the company's reads of an application, its documents and
the inbox are recorded for the applicant, one INSERT per page; the applicant's own reads are not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ausbildung.core.models import Role
from ausbildung.offers.models import Application
from tests.offers.conftest import demo_offer, document_of, sent_application
from tests.read_audit import open_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["company_admin", "trainer"])
def test_the_company_reading_an_application_is_recorded(demo, client_for, role):
    application = sent_application(demo)
    opened = open_page(client_for(role), reverse("offers:application", args=[application.pk]))
    assert opened.status == 200 and opened.inserts == 1
    (row,) = opened.rows
    assert (row.subject_id, row.what, row.role) == (demo["schueler"].pk, "offers.application", role)
    assert (row.object_type, row.object_id) == ("offers.application", str(application.pk))


def test_a_document_download_is_recorded(demo, client_for):
    document = document_of(sent_application(demo))
    opened = open_page(client_for("company_admin"), reverse("offers:document", args=[document.pk]))
    assert opened.status == 200 and opened.inserts == 1
    assert [(r.what, r.subject_id, r.role) for r in opened.rows] == [
        ("offers.document", demo["schueler"].pk, Role.COMPANY_ADMIN)
    ]


def test_the_inbox_records_each_applicant_listed(demo, client_for):
    application = sent_application(demo)
    opened = open_page(client_for("trainer"), reverse("offers:inbox", args=[application.offer_id]))
    assert opened.status == 200 and opened.inserts == 1
    assert [(r.what, r.subject_id) for r in opened.rows] == [("offers.applications", demo["schueler"].pk)]


def test_the_applicants_own_reads_write_nothing(demo, client_for):
    application = sent_application(demo)
    document = document_of(application)
    client = client_for("pupil")
    for url in (
        reverse("offers:application", args=[application.pk]),
        reverse("offers:document", args=[document.pk]),
    ):
        opened = open_page(client, url)
        assert opened.status == 200 and opened.rows == []


def test_a_draft_is_not_found_and_writes_nothing(demo, client_for):
    application = sent_application(demo)
    Application.objects.filter(pk=application.pk).update(state=Application.State.DRAFT)
    document = document_of(application)
    client = client_for("company_admin")
    assert open_page(client, reverse("offers:application", args=[application.pk])).rows == []
    opened = open_page(client, reverse("offers:document", args=[document.pk]))
    assert opened.status == 404 and opened.rows == []


def test_other_roles_are_refused_and_write_nothing(demo, client_for):
    application = sent_application(demo)
    for role in ("teacher", "chamber_officer", "counsellor"):
        opened = open_page(client_for(role), reverse("offers:application", args=[application.pk]))
        assert opened.status in {403, 404} and opened.rows == []
    other_company = open_page(client_for("trainer"), reverse("offers:inbox", args=[demo_offer().pk + 10**6]))
    assert other_company.status == 404 and other_company.rows == []
