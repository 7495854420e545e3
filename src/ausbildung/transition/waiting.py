"""What waits in the transition area (`core.waiting`): for a counsellor their open cases and the agreed
steps that are overdue, counted within `access.cases_visible_to` (cases whose consent is valid)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ausbildung.core.models import Role
from ausbildung.core.permissions import roles_of
from ausbildung.core.waiting import WaitingItem, register_waiting

from .access import cases_visible_to
from .models import Case, CaseStep


def waiting(user) -> list[WaitingItem]:
    if Role.COUNSELLOR not in roles_of(user):
        return []
    cases = cases_visible_to(user).filter(status=Case.Status.OPEN, counsellor=user)
    url = reverse("transition:cases")
    return [
        WaitingItem(
            key="transition_overdue_steps",
            text=_("Agreed steps of your cases that are overdue"),
            url=url,
            count=CaseStep.objects.filter(
                case__in=cases, done_on__isnull=True, due_on__lt=timezone.localdate()
            ).count(),
            order=40,
        ),
        WaitingItem(
            key="transition_open_cases",
            text=_("Your open cases"),
            url=url,
            count=cases.count(),
            order=41,
        ),
    ]


def register() -> None:
    register_waiting("transition", waiting)
