"""Destinations (Verbleib): cohorts, recording, and destinations that follow their training contracts."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ausbildung.core import services as core_services
from ausbildung.core.models import AuditLog, TrainingContract
from ausbildung.orientation.models import SchoolClass
from ausbildung.transition import services
from ausbildung.transition.models import Destination, DestinationKind

from .conftest import contract_for

pytestmark = pytest.mark.django_db


def test_contract_draft_is_the_plan_signed_is_secured_dissolved_reopens(demo, lena_destination):
    """A destination follows the contract: draft → plan; signed (active) → actual training, secured;
    dissolved (BBiG § 22) → no secured next step again."""
    start = lena_destination.leaving_date + datetime.timedelta(days=40)
    contract = contract_for(demo["schueler"], start=start)
    lena_destination.refresh_from_db()
    assert lena_destination.contract == contract
    assert lena_destination.planned_kind == DestinationKind.TRAINING
    assert lena_destination.actual_kind == "" and not lena_destination.is_secured

    contract.status = TrainingContract.Status.ACTIVE
    contract.save()
    lena_destination.refresh_from_db()
    assert lena_destination.actual_kind == DestinationKind.TRAINING
    assert lena_destination.actual_since == start
    assert lena_destination.is_secured

    core_services.contract_dissolve(actor=None, contract=contract, on=start + datetime.timedelta(days=30))
    lena_destination.refresh_from_db()
    assert lena_destination.actual_kind == ""
    assert not lena_destination.is_secured
    assert (
        AuditLog.objects.filter(
            action="destination.follow_contract", target_id=str(lena_destination.pk)
        ).count()
        == 3
    )


def test_dissolving_another_contract_leaves_the_destination(demo, lena_destination):
    start = lena_destination.leaving_date + datetime.timedelta(days=40)
    first = contract_for(demo["schueler"], start=start, status=TrainingContract.Status.ACTIVE)
    second = contract_for(demo["schueler"], start=start, status=TrainingContract.Status.ACTIVE)
    lena_destination.refresh_from_db()
    assert lena_destination.contract == second
    core_services.contract_dissolve(actor=None, contract=first, on=start + datetime.timedelta(days=3))
    lena_destination.refresh_from_db()
    assert lena_destination.is_secured and lena_destination.contract == second


def test_cohort_add_creates_one_destination_per_pupil_once(demo):
    school_class = SchoolClass.objects.get(code="DEMO9B27")
    teacher = demo["lehrer"]
    pupils = [m.pupil for m in school_class.memberships.all()]
    created = services.cohort_add(
        actor=teacher,
        school=school_class.school,
        school_year="2030/31",
        leaving_date=datetime.date(2031, 6, 30),
        class_label="10b",
        pupils=pupils,
    )
    assert [d.pupil for d in created] == pupils
    again = services.cohort_add(
        actor=teacher,
        school=school_class.school,
        school_year="2030/31",
        leaving_date=datetime.date(2031, 6, 30),
        class_label="10b",
        pupils=pupils,
    )
    assert again == []
    assert Destination.objects.filter(school_year="2030/31").count() == len(pupils)


def test_record_needs_a_date_for_an_actual_destination(demo, lena_destination):
    with pytest.raises(ValidationError) as error:
        services.destination_record(
            actor=demo["lehrer"],
            destination=lena_destination,
            certificate="esa",
            planned_kind="",
            planned_note="",
            actual_kind=DestinationKind.FURTHER_SCHOOL,
            actual_since=None,
        )
    assert "actual_since" in error.value.message_dict


def test_training_with_unsigned_contract_is_not_an_actual_destination(demo, lena_destination):
    contract_for(demo["schueler"], start=lena_destination.leaving_date + datetime.timedelta(days=40))
    lena_destination.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.destination_record(
            actor=demo["lehrer"],
            destination=lena_destination,
            certificate="esa",
            planned_kind=DestinationKind.TRAINING,
            planned_note="",
            actual_kind=DestinationKind.TRAINING,
            actual_since=timezone.localdate(),
        )
    assert "actual_kind" in error.value.message_dict


def test_teacher_records_a_destination_with_german_field_errors(demo, client_for, lena_destination):
    client = client_for("teacher")
    url = reverse("transition:destination_edit", args=[lena_destination.pk])
    response = client.post(url, {"actual_kind": "further_school", "actual_since": ""})
    assert response.status_code == 200
    assert "Geben Sie an, seit wann" in response.content.decode()
    response = client.post(
        url,
        {
            "certificate": "msa",
            "planned_kind": "further_school",
            "actual_kind": "further_school",
            "actual_since": "2027-08-01",
        },
    )
    assert response.status_code == 302
    lena_destination.refresh_from_db()
    assert lena_destination.actual_kind == "further_school" and lena_destination.is_secured
    assert AuditLog.objects.filter(action="destination.record", target_id=str(lena_destination.pk)).exists()


def test_leavers_page_and_cohort_form(demo, client_for):
    client = client_for("teacher")
    url = reverse("transition:leavers")
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lena Schmidt" in page and "Mia Keller" in page
    school_class = SchoolClass.objects.get(code="DEMO9B27")
    response = client.post(
        url, {"school_class": school_class.pk, "school_year": "2030-31", "leaving_date": ""}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Schuljahr" in page and "id_school_year_error" in page and "id_leaving_date_error" in page
    response = client.post(
        url, {"school_class": school_class.pk, "school_year": "2030/31", "leaving_date": "2031-06-30"}
    )
    assert response.status_code == 302
    assert Destination.objects.filter(school_year="2030/31", pupil=demo["schueler"]).exists()


def test_another_schools_teacher_cannot_open_a_destination(demo, client_for, lena_destination):
    from ausbildung.core.models import Membership, Organisation, Role, User

    other_school = Organisation.objects.create(kind=Organisation.Kind.SCHOOL, name="Andere Schule")
    other = User.objects.create_user("lehrer2", password="x-password-1")
    Membership.objects.create(user=other, organisation=other_school, role=Role.TEACHER)
    client = client_for("teacher")
    client.force_login(other)
    response = client.get(reverse("transition:destination_edit", args=[lena_destination.pk]))
    assert response.status_code == 404
    assert "Lena" not in client.get(reverse("transition:leavers")).content.decode()
