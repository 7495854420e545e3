"""What waits in the training record (`core.waiting`): for trainers the periods to review, for apprentices the
weeks to write or fix, for legal guardians the record they are asked to look at.

Counted through the record's own scopes: the review queue (`selectors.review_queue`, the contracts the person
trains today), the apprentice's own active contract, and the wards the person represents today.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ausbildung.core.models import Role, TrainingContract
from ausbildung.core.permissions import current_wards_of, roles_of
from ausbildung.core.waiting import WaitingItem, register_waiting

from . import selectors
from .models import RecordPeriod


def _trainer(user, today: datetime.date) -> list[WaitingItem]:
    """The review queue and, apart, the part of it waiting longer than the chamber's review interval
    (`selectors.review_queue_counts`, the same rule that marks a period overdue in the queue)."""
    counts = selectors.review_queue_counts(user, today=today)
    url = reverse("records:queue")
    return [
        WaitingItem(
            key="records_review",
            text=_("Training record periods to review"),
            url=url,
            count=counts.waiting,
            order=10,
        ),
        WaitingItem(
            key="records_review_overdue",
            text=_("of them overdue (waiting longer than the chamber's review interval)"),
            url=url,
            count=counts.overdue,
            order=11,
        ),
    ]


def _apprentice(user, today: datetime.date) -> list[WaitingItem]:
    contract = selectors.active_contract_of(user)
    if contract is None:
        return []
    summary = selectors.book_summary(contract, today=today)
    url = reverse("records:mine")
    to_write = summary.counts[selectors.MISSING] + summary.counts[RecordPeriod.State.DRAFT]
    return [
        WaitingItem(
            key="records_returned",
            text=_("Weeks your trainer returned to you to fix"),
            url=url,
            count=summary.counts[RecordPeriod.State.RETURNED],
            order=10,
        ),
        WaitingItem(
            key="records_missing",
            text=_("Past weeks of your training record not yet handed in"),
            url=url,
            count=to_write,
            order=11,
        ),
    ]


def _guardian(user, today: datetime.date) -> list[WaitingItem]:
    """A minor's record the chamber's profile asks the guardian to acknowledge (`guardian_acknowledgement_due`,
    the "please look at the record" of the record book page)."""
    wards = current_wards_of(user)
    contracts = TrainingContract.objects.filter(
        apprentice__in=wards, status=TrainingContract.Status.ACTIVE
    ).select_related("apprentice", "site__region__parent", "chamber")
    items = []
    for contract in contracts:
        if selectors.guardian_acknowledgement_due(contract, today=today):
            name = contract.apprentice.get_full_name() or contract.apprentice.username
            items.append(
                WaitingItem(
                    key=f"records_guardian_{contract.pk}",
                    text=_("Please look at the training record of %(name)s and confirm it") % {"name": name},
                    url=reverse("records:book", kwargs={"contract_id": contract.pk}),
                    order=10,
                )
            )
    return items


def waiting(user) -> list[WaitingItem]:
    roles = roles_of(user)
    today = timezone.localdate()
    items: list[WaitingItem] = []
    if Role.TRAINER in roles:
        items += _trainer(user, today)
    if Role.APPRENTICE in roles:
        items += _apprentice(user, today)
    if Role.GUARDIAN in roles:
        items += _guardian(user, today)
    return items


def register() -> None:
    register_waiting("records", waiting)
