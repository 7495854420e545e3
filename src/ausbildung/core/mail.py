"""Outgoing mail through a transactional outbox (`core.models.OutgoingMail`).

Every mail of the platform goes through `mail_queue`: it writes the mail as a row in the caller's
transaction and, once that transaction is committed, enqueues `send_outgoing_mail` (the tasks framework:
sent at once without a worker, or by `ausbildung manage db_worker`). A mail whose state change is rolled back
is never sent; a state change whose mail cannot be sent stays committed, and the mail stays queued with the
error and a time for the next attempt. `ausbildung mail send-queued` (run it from cron, e.g. every five
minutes) sends what is due; after `MAX_ATTEMPTS` failures a mail is marked failed and shown to platform
administrators in the admin.

Sending claims a row first (a conditional UPDATE that moves its next attempt past a lease), so the task and
the cron command never send the same mail twice at the same time; a process that dies while sending leaves
the row queued, and it is tried again when the lease ends (at least once, not exactly once).

Subjects are built here to be safe: control characters (a line break in an offer title stored before
single-line inputs were checked, or from an import) become spaces, so Django never refuses the header
(`BadHeaderError`).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import OutgoingMail
from .validators import strip_control_characters

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
FIRST_PAUSE = datetime.timedelta(minutes=1)
LONGEST_PAUSE = datetime.timedelta(hours=6)
# How long a claimed mail is left to its sender before another sender may try it.
LEASE = datetime.timedelta(minutes=10)
SUBJECT_MAX = 255


def mail_subject(text: str) -> str:
    """A header-safe subject: control characters as spaces, at most 255 characters."""
    return strip_control_characters(text)[:SUBJECT_MAX]


def mail_queue(*, to: str, subject: str, body: str) -> OutgoingMail:
    """Write a mail into the outbox in the current transaction; it is sent after the commit."""
    mail = OutgoingMail.objects.create(
        to=to, subject=mail_subject(subject), body=body, next_attempt_at=timezone.now()
    )
    transaction.on_commit(lambda: send_outgoing_mail.enqueue(mail.pk))
    return mail


def pause_after(attempts: int) -> datetime.timedelta:
    """The pause before the next attempt: 1, 2, 4 … minutes, at most 6 hours."""
    return min(FIRST_PAUSE * 2 ** max(attempts - 1, 0), LONGEST_PAUSE)


def mail_send(mail_id: int, *, now: datetime.datetime | None = None) -> bool:
    """Send one queued mail if it is due and nobody else is sending it; True when it went out."""
    now = now or timezone.now()
    claimed = OutgoingMail.objects.filter(
        pk=mail_id, status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE)
    if not claimed:
        return False
    mail = OutgoingMail.objects.get(pk=mail_id)
    try:
        send_mail(
            mail_subject(mail.subject), mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to], fail_silently=False
        )
    except Exception as error:  # any failure of the backend (SMTP, network, a refused header) is retried
        mail.attempts += 1
        mail.last_error = f"{type(error).__name__}: {error}"[:2000]
        if mail.attempts >= MAX_ATTEMPTS:
            mail.status = OutgoingMail.Status.FAILED
        mail.next_attempt_at = now + pause_after(mail.attempts)
        mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        log.warning("mail %s to %s not sent (attempt %s): %s", mail.pk, mail.to, mail.attempts, error)
        return False
    mail.attempts += 1
    mail.status = OutgoingMail.Status.SENT
    mail.sent_at = timezone.now()
    mail.last_error = ""
    mail.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return True


def mail_send_queued(*, now: datetime.datetime | None = None, limit: int = 500) -> tuple[int, int]:
    """Send the queued mails that are due, oldest first; returns (sent, still queued or failed)."""
    now = now or timezone.now()
    due = list(
        OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = sum(mail_send(pk, now=now) for pk in due)
    return sent, len(due) - sent


@task()
def send_outgoing_mail(mail_id: int) -> bool:
    return mail_send(mail_id)
