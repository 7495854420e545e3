"""Reminder mails: apprentices with missing periods, trainers with periods waiting for review.

Run daily (cron or a scheduler) with `ausbildung records remind`; it sends on the configured weekday only
(`RECORD_REMINDER_WEEKDAY`, 0 = Monday … 6 = Sunday; default Friday) unless forced. The mails go through the
outbox of `core.mail` (sent after the commit, retried by `ausbildung mail send-queued`). The work runs as a
background task (django-tasks): immediately without a worker, or in `ausbildung manage db_worker`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from ausbildung.core.mail import mail_queue
from ausbildung.core.models import ContractTrainer, TrainingContract, User

from . import selectors
from .models import RecordPeriod


@dataclass
class ReminderReport:
    apprentices: int = 0
    trainers: int = 0


def due_today(today: datetime.date) -> bool:
    return today.weekday() == settings.RECORD_REMINDER_WEEKDAY


def collect(today: datetime.date) -> tuple[dict[User, int], dict[User, int]]:
    """(apprentice → periods missing or returned, trainer → periods waiting) as of `today`."""
    contracts = list(
        TrainingContract.objects.filter(status=TrainingContract.Status.ACTIVE).select_related(
            "apprentice", "site__region__parent", "chamber"
        )
    )
    # Only periods that have ended count as missing: the current week can still be written.
    summaries = selectors.summaries(contracts, today=today - datetime.timedelta(days=1))
    apprentices: dict[User, int] = {}
    for contract in contracts:
        summary = summaries[contract.pk]
        open_periods = summary.counts[selectors.MISSING] + summary.counts[RecordPeriod.State.DRAFT]
        open_periods += summary.counts[RecordPeriod.State.RETURNED]
        if open_periods and contract.apprentice.email:
            apprentices[contract.apprentice] = open_periods
    # Only current trainers are reminded: one who left the company or whose assignment ended is not told
    # about the apprentice any more.
    trainers: dict[User, int] = defaultdict(int)
    waiting = RecordPeriod.objects.filter(
        state=RecordPeriod.State.SUBMITTED, contract__status=TrainingContract.Status.ACTIVE
    ).prefetch_related(
        Prefetch(
            "contract__trainer_links",
            queryset=ContractTrainer.objects.current(today).select_related("trainer"),
        )
    )
    for period in waiting:
        for link in period.contract.trainer_links.all():
            if link.trainer.email:
                trainers[link.trainer] += 1
    return apprentices, dict(trainers)


@transaction.atomic
def send(today: datetime.date) -> ReminderReport:
    apprentices, trainers = collect(today)
    with translation.override(settings.LANGUAGE_CODE):
        for user, count in apprentices.items():
            mail_queue(
                to=user.email,
                subject=_("Your training record: %(count)s open periods") % {"count": count},
                body=ngettext(
                    "Hello %(name)s,\n\none period of your training record is still open (missing, draft or returned). "
                    "Please write it and submit it to your trainer.\n",
                    "Hello %(name)s,\n\n%(count)s periods of your training record are still open (missing, draft or "
                    "returned). Please write them and submit them to your trainer.\n",
                    count,
                )
                % {"name": user.first_name or user.username, "count": count},
            )
        for user, count in trainers.items():
            mail_queue(
                to=user.email,
                subject=_("Training records waiting for your review: %(count)s") % {"count": count},
                body=ngettext(
                    "Good day %(name)s,\n\none period of a training record is waiting for your review "
                    "(BBiG § 14 Abs. 2: the record is reviewed regularly).\n",
                    "Good day %(name)s,\n\n%(count)s periods of training records are waiting for your review "
                    "(BBiG § 14 Abs. 2: the record is reviewed regularly).\n",
                    count,
                )
                % {"name": user.get_full_name() or user.username, "count": count},
            )
    return ReminderReport(apprentices=len(apprentices), trainers=len(trainers))


@task()
def send_record_reminders(today_iso: str) -> dict[str, int]:
    report = send(datetime.date.fromisoformat(today_iso))
    return {"apprentices": report.apprentices, "trainers": report.trainers}


def enqueue(*, force: bool = False) -> bool:
    today = timezone.localdate()
    if not force and not due_today(today):
        return False
    send_record_reminders.enqueue(today.isoformat())
    return True
