"""School classes: join codes, the teacher's progress view (flags only, DSGVO) and its CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import Membership, Role, User
from ausbildung.offers.models import SeekerProfile
from ausbildung.orientation.classes import services
from ausbildung.orientation.models import ClassMembership, InterestCheck, SchoolClass

from .helpers import demo_class


@pytest.fixture
def school_class(demo) -> SchoolClass:
    school = Membership.objects.get(user=demo["lehrer"], role=Role.TEACHER).organisation
    return services.class_create(actor=demo["lehrer"], school=school, name="8a", school_year="2026/27")


def test_code_is_unambiguous(school_class):
    assert len(school_class.code) == 8
    assert set(school_class.code) <= set(services.CODE_ALPHABET)
    assert not set("01OIL") & set(services.CODE_ALPHABET)


def test_create_class_page(demo, client_for):
    client = client_for("teacher")
    response = client.post(reverse("orientation:class_list"), {"name": "10c", "school_year": "2026/27"})
    school_class = SchoolClass.objects.get(name="10c")
    assert response.status_code == 302
    assert school_class.teacher == demo["lehrer"]
    response = client.post(reverse("orientation:class_list"), {"name": "10d", "school_year": "2026"})
    assert response.status_code == 200 and "2026/27" in response.content.decode()
    assert not SchoolClass.objects.filter(name="10d").exists()


def test_join_with_code(demo, client_for, school_class):
    response = client_for("pupil").post(
        reverse("orientation:join"), {"code": school_class.code.lower()[:4] + " " + school_class.code[4:]}
    )
    assert response.status_code == 302
    assert ClassMembership.objects.filter(school_class=school_class, pupil=demo["schueler"]).exists()


def test_join_with_wrong_code(demo, client_for, school_class):
    response = client_for("pupil").post(reverse("orientation:join"), {"code": "ZZZZ9999"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert 'id="id_code_error"' in response.content.decode()
    assert not ClassMembership.objects.filter(school_class=school_class).exists()


def test_teacher_sees_flags_and_nothing_more(demo, client_for):
    pupil = demo["schueler"]
    InterestCheck.objects.create(
        pupil=pupil,
        item_set="test",
        answers={"geheime_antwort_r1": 4},
        scores={"R": 0.8731},
        code="RIC",
        completed_at=timezone.now(),
    )
    lazy = User.objects.create_user("faul", first_name="Anna", last_name="Zeller")
    ClassMembership.objects.create(school_class=demo_class(), pupil=lazy)
    response = client_for("teacher").get(reverse("orientation:class_detail", args=[demo_class().pk]))
    content = response.content.decode()
    assert response.status_code == 200
    rows = response.context["rows"]
    # nothing yet first (Anna and Lena's six demo classmates), then Lena with her interest check
    names = [row.name for row in rows]
    assert names[-1] == "Lena Schmidt" and "Anna Zeller" in names and len(names) == 8
    assert all(row.nothing_yet for row in rows[:-1]) and not rows[-1].nothing_yet and rows[-1].check_done
    assert "14.03.2010" not in content and "2010-03-14" not in content  # the pupil's date of birth
    assert "geheime_antwort_r1" not in content and "0.8731" not in content and "RIC" not in content


def test_other_teacher_gets_404(demo, client_for):
    other = User.objects.create_user("lehrer2")
    school = Membership.objects.get(user=demo["lehrer"], role=Role.TEACHER).organisation
    Membership.objects.create(user=other, organisation=school, role=Role.TEACHER)
    from django.test import Client

    client = Client()
    client.force_login(other)
    assert client.get(reverse("orientation:class_detail", args=[demo_class().pk])).status_code == 404
    assert client.get(reverse("orientation:class_csv", args=[demo_class().pk])).status_code == 404


def test_csv_columns(demo, client_for):
    profile, _created = SeekerProfile.objects.get_or_create(user=demo["schueler"])
    from ausbildung.core.models import Occupation

    profile.interests.add(Occupation.objects.get(slug="fiausbv"))
    response = client_for("teacher").get(reverse("orientation:class_csv", args=[demo_class().pk]))
    raw = response.content
    assert response["Content-Type"].startswith("text/csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows[0]) == 6
    lena = [row for row in rows[1:] if row[0] == "Lena Schmidt"]
    assert len(lena) == 1 and lena[0][2] == "1"
    assert len(rows) == 8  # the header, Lena and her six demo classmates
