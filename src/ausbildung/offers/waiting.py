"""What waits in the applications (`core.waiting`): for a pupil the invitations and offered places to answer,
for the company's side the new applications, the dates applicants proposed and offers about to expire.

Counted through the offers app's scopes: a person's own applications, the applications of the companies the
person acts for (`access.offer_companies_for`), never a draft.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ausbildung.core.models import Role
from ausbildung.core.permissions import roles_of
from ausbildung.core.waiting import WaitingItem, register_waiting

from .access import COMPANY, offer_companies_for
from .models import Application, Offer

# An offer whose application deadline falls within this many days is "about to expire".
EXPIRY_DAYS = 14


def _url(applications, fallback: str) -> tuple[str, int]:
    """The page to act on: the application itself when there is exactly one, else the list."""
    ids = list(applications.values_list("pk", flat=True)[:2])
    if len(ids) == 1:
        return reverse("offers:application", kwargs={"application_id": ids[0]}), 1
    return fallback, applications.count()


def _pupil(user) -> list[WaitingItem]:
    mine = Application.objects.filter(applicant=user)
    url = reverse("offers:my_applications")
    invitations_url, invitations = _url(
        mine.filter(state=Application.State.INVITED, interview_status=Application.InterviewStatus.PROPOSED),
        url,
    )
    return [
        WaitingItem(
            key="offers_invitations",
            text=_("Invitations from companies waiting for your answer"),
            url=invitations_url,
            count=invitations,
            order=20,
        ),
        WaitingItem(
            key="offers_offered",
            text=_("Training places offered to you: accept or decline"),
            url=url,
            count=mine.filter(state=Application.State.OFFERED).count(),
            order=21,
        ),
    ]


def _company(user, today: datetime.date, *, admin: bool) -> list[WaitingItem]:
    companies = offer_companies_for(user)
    theirs = Application.objects.filter(offer__company__in=companies)
    url = reverse("offers:company_offers")
    counter_url, counter = _url(
        theirs.filter(state=Application.State.INVITED, interview_status=Application.InterviewStatus.COUNTER),
        url,
    )
    items = [
        WaitingItem(
            key="offers_new_applications",
            text=_("New applications not yet answered"),
            url=url,
            count=theirs.filter(state=Application.State.SENT).count(),
            order=20,
        ),
        WaitingItem(
            key="offers_counter",
            text=_("Interview dates proposed by applicants, to confirm"),
            url=counter_url,
            count=counter,
            order=21,
        ),
    ]
    if admin:
        items.append(
            WaitingItem(
                key="offers_expiring",
                text=_("Published offers whose application deadline ends within two weeks"),
                url=url,
                count=Offer.objects.filter(
                    company__in=companies,
                    status=Offer.Status.PUBLISHED,
                    deadline__gte=today,
                    deadline__lte=today + datetime.timedelta(days=EXPIRY_DAYS),
                ).count(),
                order=22,
            )
        )
    return items


def waiting(user) -> list[WaitingItem]:
    roles = roles_of(user)
    items: list[WaitingItem] = []
    if Role.PUPIL in roles:
        items += _pupil(user)
    if roles & set(COMPANY):
        items += _company(user, timezone.localdate(), admin=Role.COMPANY_ADMIN in roles)
    return items


def register() -> None:
    register_waiting("offers", waiting)
