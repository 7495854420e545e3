"""What waits in dropout prevention (`core.waiting`), counted within `access`'s scopes: for the company the
steps due to be looked at again and the apprentices' wishes for a talk; for the chamber the talks asked of it;
for the apprentice an open check-in; for a guardian a consent to confirm."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ausbildung.core.models import Role
from ausbildung.core.permissions import roles_of
from ausbildung.core.waiting import WaitingItem, register_waiting

from . import access, selectors
from .models import TalkRequest


def waiting(user) -> list[WaitingItem]:
    roles = roles_of(user)
    today = timezone.localdate()
    items: list[WaitingItem] = []
    if roles & {Role.COMPANY_ADMIN, Role.TRAINER}:
        contracts = access.company_contracts(user)
        url = reverse("retention:company")
        items += [
            WaitingItem(
                key="retention_talks_company",
                text=_("Apprentices who would like a talk"),
                url=url,
                count=TalkRequest.objects.filter(
                    contract__in=contracts, addressee=TalkRequest.Addressee.COMPANY, closed_at__isnull=True
                ).count(),
                order=25,
            ),
            WaitingItem(
                key="retention_follow_ups",
                text=_("Steps to look at again (keeping apprentices)"),
                url=url,
                count=sum(selectors.follow_ups_due(contracts.values("pk"), today=today).values()),
                order=26,
            ),
        ]
    if Role.CHAMBER_OFFICER in roles:
        items.append(
            WaitingItem(
                key="retention_talks_chamber",
                text=_("Apprentices who asked the chamber for a talk"),
                url=reverse("retention:chamber"),
                count=TalkRequest.objects.filter(
                    contract__in=access.chamber_contracts(user),
                    addressee=TalkRequest.Addressee.CHAMBER,
                    closed_at__isnull=True,
                ).count(),
                order=25,
            )
        )
    if Role.APPRENTICE in roles:
        contract = selectors.own_contract(user)
        if contract is not None and selectors.due_checkin(contract, today=today) is not None:
            items.append(
                WaitingItem(
                    key="retention_checkin",
                    text=pgettext("du", "A short check-in: how is your training going?"),
                    url=reverse("retention:checkin"),
                    order=25,
                )
            )
    if Role.GUARDIAN in roles:
        items.append(
            WaitingItem(
                key="retention_consents",
                text=_("Consents to the chamber's training advisers to confirm"),
                url=reverse("retention:guardian"),
                count=len(selectors.pending_guardian_consents(user)),
                order=25,
            )
        )
    return items


def register() -> None:
    register_waiting("retention", waiting)
