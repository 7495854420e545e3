"""What waits in "Ausbildungsbetrieb werden" (`core.waiting`): for a chamber officer the new requests of
companies that want to train (BBiG §§ 27–30), counted within the officer's own chambers."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ausbildung.core.models import Role
from ausbildung.core.permissions import roles_of
from ausbildung.core.waiting import WaitingItem, register_waiting

from .models import OnboardingRequest
from .selectors import requests_for_chambers


def waiting(user) -> list[WaitingItem]:
    if Role.CHAMBER_OFFICER not in roles_of(user):
        return []
    return [
        WaitingItem(
            key="onboarding_new_requests",
            text=_("New requests of companies that want to train"),
            url=reverse("onboarding:chamber_list"),
            count=requests_for_chambers(user).filter(status=OnboardingRequest.Status.NEW).count(),
            order=50,
        )
    ]


def register() -> None:
    register_waiting("onboarding", waiting)
