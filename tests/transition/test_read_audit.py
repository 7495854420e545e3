"""The audit of reads (core.audit) on the transition pages: leavers, the dashboard's named rows, the consent
page and the uploaded form, the counsellor's cases. One INSERT per page; refused pages write nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import Organisation, User
from ausbildung.transition import services
from ausbildung.transition.models import Case, Destination
from tests.offers.conftest import PDF
from tests.read_audit import open_page, subjects

pytestmark = pytest.mark.django_db


def test_the_leavers_list_records_each_leaver(demo, client_for):
    opened = open_page(client_for("teacher"), reverse("transition:leavers"))
    assert opened.status == 200 and opened.inserts == 1
    years = set(
        Destination.objects.filter(pupil_id__in=subjects(opened)).values_list("school_year", flat=True)
    )
    assert len(years) == 1  # the latest school year is shown
    shown = Destination.objects.filter(school_year=years.pop(), school__memberships__user=demo["lehrer"])
    expected = set(shown.values_list("pupil_id", flat=True))
    assert subjects(opened) == expected
    assert {r.what for r in opened.rows} == {"transition.destinations"}


def test_a_destination_page_is_recorded(demo, client_for):
    destination = Destination.objects.get(pupil=demo["schueler"])
    opened = open_page(client_for("teacher"), reverse("transition:destination_edit", args=[destination.pk]))
    assert [(r.what, r.subject_id) for r in opened.rows] == [("transition.destination", demo["schueler"].pk)]


def test_the_dashboard_records_named_rows_only(demo, client_for):
    counsellor = open_page(client_for("counsellor"), reverse("transition:dashboard"))
    assert counsellor.status == 200
    # Lena consented to the demo agency: named; the other leavers are figures for the counsellor.
    assert demo["schueler"].pk in subjects(counsellor)
    teacher = open_page(client_for("teacher"), reverse("transition:dashboard"))
    assert subjects(counsellor) < subjects(teacher)
    monitor = open_page(client_for("monitor"), reverse("transition:dashboard"))
    assert monitor.status == 200 and monitor.rows == []


@pytest.mark.parametrize("role", ["teacher", "counsellor"])
def test_the_consent_page_is_recorded(demo, client_for, role):
    destination = Destination.objects.get(pupil=demo["schueler"])
    opened = open_page(client_for(role), reverse("transition:consent", args=[destination.pk]))
    assert opened.status == 200 and opened.inserts == 1
    assert [(r.what, r.subject_id, r.role) for r in opened.rows] == [
        ("transition.consent", demo["schueler"].pk, role)
    ]


def test_the_uploaded_form_is_recorded(demo, client_for):
    mia = User.objects.get(username="demo-mia")
    today = timezone.localdate()
    consent = services.consent_record_paper(
        actor=demo["lehrer"],
        person=mia,
        agency=Organisation.objects.get(kind=Organisation.Kind.GUIDANCE_AGENCY),
        upload=SimpleUploadedFile("form.pdf", PDF, content_type="application/pdf"),
        person_consented_on=today,
        guardian_name="Eva Keller",
        guardian_consented_on=today,
    )
    opened = open_page(client_for("teacher"), reverse("transition:consent_form", args=[consent.pk]))
    assert opened.status == 200
    assert [(r.what, r.subject_id) for r in opened.rows] == [("transition.consent_form", mia.pk)]
    own = open_page(client_for("counsellor"), reverse("transition:consent_form", args=[consent.pk + 10**6]))
    assert own.status == 404 and own.rows == []


def test_cases_are_recorded(demo, client_for):
    case = Case.objects.get(person=demo["schueler"])
    listed = open_page(client_for("counsellor"), reverse("transition:cases"))
    assert listed.status == 200 and listed.inserts == 1
    assert demo["schueler"].pk in subjects(listed)
    opened = open_page(client_for("counsellor"), reverse("transition:case_detail", args=[case.pk]))
    assert opened.inserts == 1
    assert [(r.what, r.subject_id, r.object_id) for r in opened.rows] == [
        ("transition.case", demo["schueler"].pk, str(case.pk))
    ]


def test_refused_pages_write_nothing(demo, client_for):
    case = Case.objects.get(person=demo["schueler"])
    for role in ("teacher", "trainer", "pupil"):
        opened = open_page(client_for(role), reverse("transition:case_detail", args=[case.pk]))
        assert opened.status == 403 and opened.rows == []
    pupil = open_page(client_for("pupil"), reverse("transition:my_consents"))
    assert pupil.status == 200 and pupil.rows == []
