"""Reminder mails for overdue agreed steps of open cases: one mail per counsellor per day, listing the steps.

Run daily (cron or a scheduler) with `ausbildung transition remind`. The work runs as a background task
(django-tasks): immediately without a worker, or in `ausbildung manage db_worker`. A step is reminded once per
day at most (`CaseStep.reminded_on`). The mail names no young person: it links to the cases page.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import ngettext
from django_tasks import task

from ausbildung.core.mail import mail_queue
from ausbildung.core.models import User

from .models import CaseStep
from .services import overdue_steps


@transaction.atomic
def send(today: datetime.date) -> int:
    """Queue the mails (outbox of `core.mail`, sent after the commit) and mark the steps reminded in one
    transaction; returns the number of counsellors reminded."""
    by_counsellor: dict[User, list[CaseStep]] = defaultdict(list)
    steps = list(overdue_steps(today))
    for step in steps:
        if step.case.counsellor.email:
            by_counsellor[step.case.counsellor].append(step)
    with translation.override(settings.LANGUAGE_CODE):
        for counsellor, own in by_counsellor.items():
            count = len(own)
            mail_queue(
                to=counsellor.email,
                subject=ngettext(
                    "Cases: one agreed step is overdue", "Cases: %(count)s agreed steps are overdue", count
                )
                % {"count": count},
                body=ngettext(
                    "Good day %(name)s,\n\none step agreed in one of your cases is overdue. "
                    "Please look at your cases on the platform.\n",
                    "Good day %(name)s,\n\n%(count)s steps agreed in your cases are overdue. "
                    "Please look at your cases on the platform.\n",
                    count,
                )
                % {"name": counsellor.get_full_name() or counsellor.username, "count": count},
            )
    CaseStep.objects.filter(pk__in=[s.pk for s in steps]).update(reminded_on=today)
    return len(by_counsellor)


@task()
def send_case_reminders(today_iso: str) -> int:
    return send(datetime.date.fromisoformat(today_iso))


def enqueue() -> None:
    send_case_reminders.enqueue(timezone.localdate().isoformat())
