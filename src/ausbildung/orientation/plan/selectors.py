"""Reads for the pupil's plan: only the pupil's own data."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404
from django.urls import NoReverseMatch, reverse

from ausbildung.core.models import Occupation, User
from ausbildung.offers.selectors import saved_occupations_of

from ..models import InterestCheck, InternshipApplication, PlanStep


def check_result_url(check: InterestCheck) -> str:
    """The result page of an interest check, if the interest check pages are installed."""
    for kwargs in ({"check_id": check.pk}, {"pk": check.pk}):
        try:
            return reverse("orientation:check_result", kwargs=kwargs)
        except NoReverseMatch:
            continue
    return ""


@dataclass
class Plan:
    pupil: User
    occupations: list[Occupation]
    checks: list[tuple[InterestCheck, str]]
    internships: list[InternshipApplication]
    steps: list[PlanStep] = field(default_factory=list)


def plan_of(pupil: User) -> Plan:
    occupations = list(saved_occupations_of(pupil).order_by("name"))
    checks = InterestCheck.objects.filter(pupil=pupil, completed_at__isnull=False).order_by("-completed_at")
    internships = (
        InternshipApplication.objects.filter(pupil=pupil)
        .exclude(state=InternshipApplication.State.WITHDRAWN)
        .select_related("slot", "slot__company")
        .order_by("slot__start_date")
    )
    return Plan(
        pupil=pupil,
        occupations=occupations,
        checks=[(check, check_result_url(check)) for check in checks],
        internships=list(internships),
        steps=list(PlanStep.objects.filter(pupil=pupil)),
    )


def get_step_for(user: User, step_id: int) -> PlanStep:
    step = PlanStep.objects.filter(pk=step_id, pupil=user).first()
    if step is None:
        raise Http404
    return step
