"""Internships: validation, applying once, accepting, completing, feedback once per side."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import TrainingSite
from ausbildung.orientation.internships import services
from ausbildung.orientation.models import InternshipApplication, InternshipFeedback, InternshipSlot

from .helpers import demo_internship, internship_application

State = InternshipApplication.State


def slot_data(**changes) -> dict:
    today = timezone.localdate()
    data = {
        "site": TrainingSite.objects.get(name="Hauptsitz Saarbrücken").pk,
        "title": "Praktikum Büro",
        "field": "Büro und Verwaltung",
        "start_date": (today + datetime.timedelta(days=10)).isoformat(),
        "end_date": (today + datetime.timedelta(days=14)).isoformat(),
        "places": 1,
    }
    data.update(changes)
    return data


def test_create_and_publish(demo, client_for):
    response = client_for("company_admin").post(
        reverse("orientation:internship_create"), {**slot_data(), "publish": "1"}
    )
    assert response.status_code == 302
    slot = InternshipSlot.objects.get(title="Praktikum Büro")
    assert slot.status == InternshipSlot.Status.PUBLISHED
    assert slot in client_for(None).get(reverse("orientation:internships")).context["slots"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_date": (timezone.localdate() + datetime.timedelta(days=5)).isoformat()}, "end_date"),
        ({"start_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat()}, "start_date"),
        ({"places": 0}, "places"),
        ({"field": ""}, "occupation"),
    ],
)
def test_validation(demo, client_for, changes, field):
    response = client_for("trainer").post(reverse("orientation:internship_create"), slot_data(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not InternshipSlot.objects.filter(title="Praktikum Büro").exists()


def test_filter_by_occupation(demo, client_for):
    slot = demo_internship()
    response = client_for(None).get(reverse("orientation:internships"), {"beruf": slot.occupation_id})
    assert slot in response.context["slots"]
    other = InternshipSlot.objects.exclude(occupation=slot.occupation).values_list("occupation_id", flat=True)
    from ausbildung.core.models import Occupation

    another = Occupation.objects.exclude(pk=slot.occupation_id).exclude(pk__in=other).first()
    response = client_for(None).get(reverse("orientation:internships"), {"beruf": another.pk})
    assert slot not in response.context["slots"]


def test_apply_once_accept_complete_feedback(demo, client_for):
    slot = demo_internship()
    pupil, company = client_for("pupil"), client_for("company_admin")
    response = pupil.post(
        reverse("orientation:internship_apply", args=[slot.pk]), {"message": "Ich möchte gern."}
    )
    application = InternshipApplication.objects.get(slot=slot, pupil=demo["schueler"])
    assert response.status_code == 302 and application.state == State.SENT
    with pytest.raises(ValidationError):
        services.application_create(actor=demo["schueler"], slot=slot, message="Nochmal")
    # a second visit to the apply page leads to the existing application
    assert pupil.get(reverse("orientation:internship_apply", args=[slot.pk])).status_code == 302

    step = reverse("orientation:internship_step", args=[application.pk])
    assert pupil.post(step, {"state": State.ACCEPTED}).status_code == 302  # not the pupil's step
    application.refresh_from_db()
    assert application.state == State.SENT
    company.post(step, {"state": State.ACCEPTED})
    application.refresh_from_db()
    assert application.state == State.ACCEPTED

    company.post(step, {"state": State.COMPLETED})  # has not started yet
    application.refresh_from_db()
    assert application.state == State.ACCEPTED
    past = timezone.localdate() - datetime.timedelta(days=7)
    InternshipSlot.objects.filter(pk=slot.pk).update(
        start_date=past, end_date=past + datetime.timedelta(days=4)
    )
    company.post(step, {"state": State.COMPLETED})
    application.refresh_from_db()
    assert application.state == State.COMPLETED

    feedback = reverse("orientation:internship_feedback", args=[application.pk])
    pupil.post(feedback, {"rating": "5", "text": "Sehr nettes Team"})
    pupil.post(feedback, {"rating": "1", "text": "Zweites Mal"})
    company.post(feedback, {"rating": "4", "text": "Sehr interessiert und pünktlich"})
    assert InternshipFeedback.objects.filter(application=application).count() == 2
    assert InternshipFeedback.objects.get(application=application, side="pupil").rating == 5

    page = reverse("orientation:internship_application", args=[application.pk])
    assert "Sehr interessiert und pünktlich" in pupil.get(page).content.decode()
    assert "Sehr nettes Team" in company.get(page).content.decode()


def test_places_limit_and_withdraw(demo, client_for):
    slot = demo_internship()
    application = internship_application(demo)
    services.application_transition(
        actor=demo["betrieb"], application=application, side="company", target=State.ACCEPTED
    )
    InternshipSlot.objects.filter(pk=slot.pk).update(places=1)
    from ausbildung.core.models import User

    other = User.objects.create_user("schueler2")
    second = InternshipApplication.objects.create(slot=slot, pupil=other)
    with pytest.raises(ValidationError):
        services.application_transition(
            actor=demo["betrieb"], application=second, side="company", target=State.ACCEPTED
        )
    client_for("pupil").post(
        reverse("orientation:internship_step", args=[application.pk]), {"state": State.WITHDRAWN}
    )
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN


def test_feedback_needs_completion(demo):
    application = internship_application(demo)
    with pytest.raises(ValidationError):
        services.feedback_add(
            actor=demo["schueler"], application=application, side="pupil", rating=5, text=""
        )


def test_other_company_does_not_see_applications(demo, client_for):
    application = internship_application(demo)
    from django.test import Client

    client = Client()
    client.force_login(demo["meister"])  # the carpentry's trainer and administrator
    assert client.get(reverse("orientation:internship_application", args=[application.pk])).status_code == 404
    assert client.get(reverse("orientation:internship_inbox", args=[application.slot_id])).status_code == 404
