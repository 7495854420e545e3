"""The pupil's permission to share occupational fields with the teacher, and the class's field counts:
off by default, revocable, counts only, hidden below the minimum group (DSGVO Art. 7, 8; Erwägungsgrund 26)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ausbildung.core.models import Membership, Occupation, Role, User
from ausbildung.offers.models import SeekerProfile
from ausbildung.orientation.classes import selectors, services
from ausbildung.orientation.models import ClassMembership, FieldSharingConsent, SchoolClass

from .check_helpers import completed_check, profile_for


@pytest.fixture
def school_class(demo) -> SchoolClass:
    school = Membership.objects.get(user=demo["lehrer"], role=Role.TEACHER).organisation
    return services.class_create(actor=demo["lehrer"], school=school, name="9b", school_year="2026/27")


def pupil_in(school_class: SchoolClass, name: str, levels: dict[str, int], *, consent: bool) -> User:
    pupil = User.objects.create_user(name, first_name=name.title(), last_name="Muster")
    ClassMembership.objects.create(school_class=school_class, pupil=pupil)
    completed_check(pupil, levels)
    if consent:
        services.field_sharing_set(actor=pupil, allow=True)
    return pupil


def teacher_page(client_for, school_class: SchoolClass) -> tuple[str, dict]:
    response = client_for("teacher").get(reverse("orientation:class_detail", args=[school_class.pk]))
    assert response.status_code == 200
    return response.content.decode(), response.context


def test_off_by_default_and_revocable_with_timestamps(demo):
    pupil = demo["schueler"]
    assert not selectors.field_sharing_of(pupil)
    assert not FieldSharingConsent.objects.filter(pupil=pupil).exists()
    consent = services.field_sharing_set(actor=pupil, allow=True)
    assert consent.granted_at is not None and consent.withdrawn_at is None
    assert selectors.field_sharing_of(pupil)
    consent = services.field_sharing_set(actor=pupil, allow=False)
    assert consent.granted_at is None and consent.withdrawn_at is not None
    assert not selectors.field_sharing_of(pupil)


def test_pupil_switches_it_on_the_result_page(demo, client_for):
    pupil = demo["schueler"]  # Lena is in the demo class
    check = completed_check(pupil, {"S": 4})
    client = client_for("pupil")
    result_url = reverse("orientation:check_result", args=[check.pk])
    page = client.get(result_url).content.decode()
    assert 'data-testid="field-sharing-allow"' in page  # off by default: the button offers to allow it
    response = client.post(reverse("orientation:field_sharing"), {"allow": "1", "next": result_url})
    assert response.status_code == 302 and response["Location"] == result_url
    assert selectors.field_sharing_of(pupil)
    assert 'data-testid="field-sharing-on"' in client.get(result_url).content.decode()
    client.post(reverse("orientation:field_sharing"), {"allow": "0", "next": "https://evil.example/"})
    assert not selectors.field_sharing_of(pupil)


def test_without_consent_nothing_is_shown(client_for, school_class):
    for name, dim in [("ali", "R"), ("bea", "S"), ("can", "S"), ("dana", "A")]:
        pupil_in(school_class, name, {dim: 4}, consent=False)
    content, context = teacher_page(client_for, school_class)
    assert context["field_interest"].consenting == 0 and context["field_interest"].fields == []
    assert 'data-testid="class-fields-hidden"' in content and 'data-testid="class-fields"' not in content


def test_below_the_minimum_group_nothing_is_shown(client_for, school_class):
    pupil_in(school_class, "ali", {"R": 4}, consent=True)
    pupil_in(school_class, "bea", {"S": 4}, consent=True)
    pupil_in(school_class, "can", {"S": 4}, consent=False)
    content, context = teacher_page(client_for, school_class)
    assert context["field_interest"].consenting == 2 < selectors.MIN_GROUP
    assert 'data-testid="class-fields"' not in content and "Praktisch-technisch" not in content


def test_with_consent_only_counts_no_answers_no_occupations(demo, client_for, school_class):
    carpenter, nurse = Occupation.objects.order_by("pk")[:2]
    profile_for(carpenter, {"R": 1.0, "C": 0.3})
    profile_for(nurse, {"S": 1.0, "I": 0.4})
    ali = pupil_in(school_class, "ali", {"R": 4}, consent=True)
    pupil_in(school_class, "bea", {"S": 4}, consent=True)
    pupil_in(school_class, "can", {"S": 4, "A": 2}, consent=True)
    pupil_in(school_class, "dana", {"E": 4}, consent=False)  # not counted
    SeekerProfile.objects.get_or_create(user=ali)[0].interests.add(nurse)  # S: Ali once more, not twice
    content, context = teacher_page(client_for, school_class)
    interest = context["field_interest"]
    assert interest.consenting == 3
    assert [(f.letter, f.pupils) for f in interest.fields] == [("S", 3), ("R", 1)]
    assert 'data-testid="class-fields"' in content
    # Never who chose what: no occupation names, no codes, no scores, no E (Dana did not consent).
    assert nurse.name not in content and carpenter.name not in content
    assert "E – " not in content
    fields_html = content.split('data-testid="class-fields"')[1].split("</ul>")[0]
    assert "Ali" not in fields_html and "Bea" not in fields_html


def test_withdrawn_consent_drops_out(client_for, school_class):
    pupils = [pupil_in(school_class, n, {"R": 4}, consent=True) for n in ("ali", "bea", "can")]
    assert selectors.class_field_interest(school_class).shown
    services.field_sharing_set(actor=pupils[0], allow=False)
    interest = selectors.class_field_interest(school_class)
    assert interest.consenting == 2 and not interest.shown and interest.fields == []
