"""The audit of reads (core.audit) on a teacher's class pages: the class list with progress and its CSV
record each pupil of the class, with one INSERT."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ausbildung.orientation.models import SchoolClass
from tests.read_audit import open_page, subjects

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("orientation:class_detail", "orientation.class_list"),
        ("orientation:class_csv", "orientation.class_csv"),
    ],
)
def test_the_class_pages_record_every_pupil(demo, client_for, name, what):
    school_class = SchoolClass.objects.get(code="DEMO9B27")
    pupils = set(school_class.memberships.values_list("pupil_id", flat=True))
    assert len(pupils) > 1
    opened = open_page(client_for("teacher"), reverse(name, args=[school_class.pk]))
    assert opened.status == 200
    assert opened.inserts == 1
    assert subjects(opened) == pupils
    assert {(r.what, r.role, r.object_id) for r in opened.rows} == {(what, "teacher", str(school_class.pk))}


def test_the_list_of_classes_names_no_pupil_and_writes_nothing(client_for):
    opened = open_page(client_for("teacher"), reverse("orientation:class_list"))
    assert opened.status == 200 and opened.rows == []


def test_others_are_refused_and_write_nothing(demo, client_for):
    from ausbildung.core.models import User

    other = User.objects.create_user("andere-lehrkraft")
    school_class = SchoolClass.objects.get(code="DEMO9B27")
    from django.test import Client

    client = Client()
    client.force_login(other)
    opened = open_page(client, reverse("orientation:class_detail", args=[school_class.pk]))
    assert opened.status == 403 and opened.rows == []
    opened = open_page(client_for("counsellor"), reverse("orientation:class_csv", args=[school_class.pk]))
    assert opened.status == 403 and opened.rows == []


def test_the_company_reading_internship_applications_is_recorded(demo, client_for):
    from tests.orientation.helpers import internship_application

    application = internship_application(demo)
    page = open_page(
        client_for("company_admin"), reverse("orientation:internship_application", args=[application.pk])
    )
    assert page.status == 200 and page.inserts == 1
    assert [(r.what, r.subject_id) for r in page.rows] == [
        ("orientation.internship_application", demo["schueler"].pk)
    ]
    inbox = open_page(
        client_for("trainer"), reverse("orientation:internship_inbox", args=[application.slot_id])
    )
    assert inbox.status == 200
    assert [(r.what, r.subject_id) for r in inbox.rows] == [
        ("orientation.internship_applications", demo["schueler"].pk)
    ]
    own = open_page(client_for("pupil"), reverse("orientation:internship_application", args=[application.pk]))
    assert own.status == 200 and own.rows == []
