"""Shared builders for the self-check tests (also used by the permission matrix)."""

from __future__ import annotations

from ausbildung.core.models import Occupation, Organisation
from ausbildung.onboarding import check, services
from ausbildung.onboarding.models import ContentsOnSite, OnboardingRequest, TrainerQualification

COMPANY = "Saar Systemhaus GmbH (Demo)"


def answers(**overrides) -> check.Answers:
    data = {
        "company": Organisation.objects.get(name=COMPANY),
        "occupations": [Occupation.objects.get(slug="fiausbv")],
        "activity": "Software für Kommunen und Mittelstand",
        "skilled_staff": 4,
        "trainer": TrainerQualification.AEVO,
        "contents": ContentsOnSite.YES,
        "asa_interest": False,
    }
    data.update(overrides)
    return check.Answers(**data)


def submitted_request(demo, **overrides) -> OnboardingRequest:
    """A request of the demo company for Fachinformatiker (competent: the demo IHK); reused when present."""
    existing = OnboardingRequest.objects.filter(company__name=COMPANY).order_by("pk").first()
    if existing is not None and not overrides:
        return existing
    return services.onboarding_request_submit(actor=demo["betrieb"], answers=answers(**overrides))[0]
