"""The pupil's plan: saved occupations, checks, internships, own steps, and the PDF."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from ausbildung.core.models import Occupation
from ausbildung.offers.models import SeekerProfile
from ausbildung.orientation.models import InterestCheck, PlanStep

from .helpers import internship_application


@pytest.fixture
def saved(demo) -> Occupation:
    profile, _created = SeekerProfile.objects.get_or_create(user=demo["schueler"])
    occupation = Occupation.objects.get(slug="tischlausbv")
    profile.interests.add(occupation)
    return occupation


def test_plan_page(demo, client_for, saved):
    InterestCheck.objects.create(
        pupil=demo["schueler"], item_set="t", code="RIA", completed_at=timezone.now()
    )
    internship_application(demo)
    content = client_for("pupil").get(reverse("orientation:plan")).content.decode()
    assert f"/berufe/{saved.slug}/" in content
    assert "RIA" in content
    assert "Schnupperpraktikum Fachinformatik (Demo)" in content


def test_steps_add_toggle_delete(demo, client_for):
    client = client_for("pupil")
    client.post(reverse("orientation:plan"), {"text": "Bei der Bäckerei nach einem Praktikum fragen"})
    step = PlanStep.objects.get(pupil=demo["schueler"])
    client.post(reverse("orientation:plan_step_toggle", args=[step.pk]))
    step.refresh_from_db()
    assert step.done
    response = client.post(reverse("orientation:plan"), {"text": ""})
    assert response.context["form"].errors["text"]
    client.post(reverse("orientation:plan_step_delete", args=[step.pk]))
    assert not PlanStep.objects.filter(pk=step.pk).exists()


def test_other_pupils_step_is_not_found(demo, client_for):
    from ausbildung.core.models import User

    step = PlanStep.objects.create(pupil=User.objects.create_user("jemand"), text="x")
    assert (
        client_for("pupil").post(reverse("orientation:plan_step_delete", args=[step.pk])).status_code == 404
    )


def test_plan_pdf(demo, client_for, saved):
    from pypdf import PdfReader

    PlanStep.objects.create(pupil=demo["schueler"], text="Praktikum suchen")
    response = client_for("pupil").get(reverse("orientation:plan_pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Tischler" in text and "Praktikum suchen" in text


def test_plan_leads_to_the_check_until_one_is_done(demo, client_for):
    """#17: joining a class lands on the plan; without a finished check it links to the check."""
    client = client_for("pupil")
    page = client.get(reverse("orientation:plan")).content.decode()
    assert 'data-testid="plan-start-check"' in page and reverse("orientation:check") in page
    InterestCheck.objects.create(
        pupil=demo["schueler"], item_set="test", scores={"R": 1.0}, code="RIA", completed_at=timezone.now()
    )
    assert 'data-testid="plan-start-check"' not in client.get(reverse("orientation:plan")).content.decode()
