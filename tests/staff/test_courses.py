"""Continuing education for training staff (issue #21): a chamber publishes courses, trainers and their company
log the courses attended with their hours; the company sees each trainer's hours of the last 12 months."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from html import unescape

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ausbildung.staff import selectors
from ausbildung.staff.models import Course, CourseRecord


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def course_post(**changes) -> dict:
    start = timezone.localdate() + datetime.timedelta(days=30)
    data = {
        "title": "Lernaufgaben aus dem Ausbildungsplan entwickeln",
        "description": "AusbEignV § 3 Abs. 3 Nr. 3",
        "starts_on": start.isoformat(),
        "ends_on": (start + datetime.timedelta(days=1)).isoformat(),
        "hours": "12",
        "place": "Saarbrücken",
        "link": "https://example.org/kurs",
    }
    data.update(changes)
    return data


def test_the_chamber_publishes_a_course_and_the_trainer_sees_it(client_for, demo):
    chamber = client_for("chamber_officer")
    assert chamber.post(reverse("staff:course_add"), course_post()).status_code == 302
    course = Course.objects.get(title="Lernaufgaben aus dem Ausbildungsplan entwickeln")
    assert course.chamber.name.startswith("Demo-Industrie") and course.hours == Decimal(12)
    page = text(client_for("trainer").get(reverse("staff:courses")))
    assert "Lernaufgaben aus dem Ausbildungsplan entwickeln" in page and "12 Stunden" in page
    chamber.post(reverse("staff:course_cancel", args=[course.pk]))
    assert "Lernaufgaben" not in text(client_for("trainer").get(reverse("staff:courses")))


def test_a_course_with_bad_dates_or_hours_is_refused_in_german(client_for, demo):
    chamber = client_for("chamber_officer")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    cases = [
        (
            course_post(starts_on=yesterday.isoformat(), ends_on=yesterday.isoformat()),
            "nicht in der Vergangenheit",
        ),
        (course_post(ends_on=timezone.localdate().isoformat()), "nicht vor dem ersten Tag"),
        (course_post(place=""), "oder kennzeichnen Sie den Kurs als online"),
        (course_post(hours="0"), ""),
    ]
    for data, message in cases:
        response = chamber.post(reverse("staff:course_add"), data)
        assert response.status_code == 400, data
        assert message in text(response)
    assert not Course.objects.filter(title="Lernaufgaben aus dem Ausbildungsplan entwickeln").exists()


def test_the_trainer_logs_a_course_and_the_company_sees_the_hours(client_for, demo):
    miriam = demo["ausbilder"]
    before = selectors.hours_in_last_year([miriam.pk]).get(miriam.pk, Decimal(0))
    assert before == Decimal(3)  # the demo's online course two months ago
    response = client_for("trainer").post(
        reverse("staff:record_add"),
        {
            "trainer": miriam.pk,
            "title": "Interkulturelle Kompetenz in der Ausbildung",
            "provider": "VHS Saarbrücken",
            "attended_on": (timezone.localdate() - datetime.timedelta(days=10)).isoformat(),
            "hours": "6",
        },
    )
    assert response.status_code == 302
    assert selectors.hours_in_last_year([miriam.pk])[miriam.pk] == Decimal(9)
    page = text(client_for("company_admin").get(reverse("staff:company")))
    assert "9 Stunden" in page
    # withdrawn entries and those older than 12 months do not count
    record = CourseRecord.objects.get(title="Interkulturelle Kompetenz in der Ausbildung")
    client_for("company_admin").post(reverse("staff:record_withdraw", args=[record.pk]))
    CourseRecord.objects.filter(trainer=miriam, title="Digitale Ausbildungsnachweise einführen").update(
        attended_on=timezone.localdate() - datetime.timedelta(days=400)
    )
    assert selectors.hours_in_last_year([miriam.pk]).get(miriam.pk, Decimal(0)) == Decimal(0)


def test_a_log_entry_in_the_future_or_for_someone_else_is_refused(client_for, demo):
    trainer = client_for("trainer")
    response = trainer.post(
        reverse("staff:record_add"),
        {
            "trainer": demo["ausbilder"].pk,
            "title": "X",
            "provider": "Y",
            "attended_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "hours": "2",
        },
    )
    assert response.status_code == 400 and "nicht in der Zukunft" in text(response)
    # the Systemhaus's administrator cannot log for the carpenter's Meister
    response = client_for("company_admin").post(
        reverse("staff:record_add"),
        {
            "trainer": demo["meister"].pk,
            "title": "X",
            "provider": "Y",
            "attended_on": "2026-01-05",
            "hours": "2",
        },
    )
    assert response.status_code == 400
    assert CourseRecord.objects.filter(trainer=demo["meister"]).count() == 1  # the demo's own entry only
    # nor withdraw Miriam's entry as another company's trainer
    record = CourseRecord.objects.get(trainer=demo["ausbilder"])
    weber = Client()
    weber.force_login(demo["meister"])
    assert weber.post(reverse("staff:record_withdraw", args=[record.pk])).status_code == 404


def test_the_log_follows_the_person_not_the_company(client_for, demo):
    """A trainer who leaves keeps her own log; the company's administrator who leaves loses the company's."""
    from ausbildung.core.models import Membership

    record = CourseRecord.objects.get(trainer=demo["ausbilder"])
    Membership.objects.filter(user=demo["betrieb"], role="company_admin").update(is_active=False)
    assert client_for("company_admin").post(
        reverse("staff:record_withdraw", args=[record.pk])
    ).status_code in {
        403,
        404,
    }
    Membership.objects.filter(user=demo["ausbilder"], role="trainer").update(is_active=False)
    from ausbildung.core.models import TrainingContract

    carpentry = TrainingContract.objects.get(apprentice=demo["azubi2"]).company
    Membership.objects.create(user=demo["ausbilder"], organisation=carpentry, role="trainer")
    assert client_for("trainer").post(reverse("staff:record_withdraw", args=[record.pk])).status_code == 302
    record.refresh_from_db()
    assert record.withdrawn_at is not None


def test_an_officer_of_two_chambers_chooses_which_offers_the_course(client_for, demo):
    from ausbildung.core.models import Membership, Organisation

    second = Organisation.objects.create(kind="chamber", chamber_kind="ihk", name="Zweite Test-IHK")
    Membership.objects.create(user=demo["kammer"], organisation=second, role="chamber_officer")
    response = client_for("chamber_officer").post(
        reverse("staff:course_add"), course_post(chamber=str(second.pk))
    )
    assert response.status_code == 302
    assert Course.objects.get(title="Lernaufgaben aus dem Ausbildungsplan entwickeln").chamber == second
