"""Attack (or plain bad luck): the mail server is down or refuses a message while a state change happens.

Before, the mail was sent in an on-commit callback of the state change: when sending failed, the change was
committed, the person saw a 500, and the mail was gone for good (nothing recorded it).

Defence: a transactional outbox (`core.mail`, `core.OutgoingMail`). The mail is a row written in the same
transaction as the state change; it is sent after the commit; a failed send stays queued with its error and
a time for the next attempt, and `ausbildung mail send-queued` (cron) sends it later with a growing pause.
The failing mail server here is a real email backend class (`tests.security.mail_backends`).
"""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from ausbildung.core import mail
from ausbildung.core.models import OutgoingMail
from ausbildung.offers import services
from ausbildung.offers.models import Application
from tests.offers.conftest import demo_offer

REFUSING = "tests.security.mail_backends.RefusingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def empty_outbox(demo):
    """The demo queues mails of its own (a consent request); these tests look at the mails they cause."""
    OutgoingMail.objects.all().delete()


def send_application(demo) -> Application:
    pupil = demo["schueler"]
    application = services.application_create(actor=pupil, offer=demo_offer(), message="Hallo")
    services.application_transition(
        actor=pupil, side=services.APPLICANT, application=application, to=Application.State.SENT, message=""
    )
    return application


def test_a_failed_send_keeps_the_state_change_and_the_mail(
    demo, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = REFUSING
    with django_capture_on_commit_callbacks(execute=True):
        application = send_application(demo)
    application.refresh_from_db()
    assert application.state == Application.State.SENT  # the state change stays
    queued = OutgoingMail.objects.get()
    assert queued.status == OutgoingMail.Status.QUEUED and queued.attempts == 1
    assert "SMTPServerDisconnected" in queued.last_error
    assert queued.next_attempt_at > timezone.now()  # not before the pause
    assert queued.to == demo["schueler"].email and mailoutbox == []


def test_the_queued_mail_is_sent_by_the_retry(demo, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = REFUSING
    with django_capture_on_commit_callbacks(execute=True):
        send_application(demo)
    settings.EMAIL_BACKEND = LOCMEM
    assert mail.mail_send_queued() == (0, 0)  # the pause is not over: nothing is due yet
    later = timezone.now() + datetime.timedelta(minutes=5)
    assert mail.mail_send_queued(now=later) == (1, 0)
    queued = OutgoingMail.objects.get()
    assert queued.status == OutgoingMail.Status.SENT and queued.attempts == 2 and queued.last_error == ""
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [demo["schueler"].email]
    assert mail.mail_send_queued(now=later + datetime.timedelta(hours=1)) == (0, 0)  # never twice


def test_the_cron_command_retries_what_is_due(demo, settings, mailoutbox, capsys):
    settings.EMAIL_BACKEND = LOCMEM
    OutgoingMail.objects.create(
        to="azubi@example.org", subject="Erinnerung", body="Text", next_attempt_at=timezone.now()
    )
    call_command("mail", "send-queued")
    assert "1 mails sent" in capsys.readouterr().out
    assert len(mailoutbox) == 1 and OutgoingMail.objects.get().status == OutgoingMail.Status.SENT


def test_after_the_last_attempt_the_mail_is_marked_failed(demo, settings):
    settings.EMAIL_BACKEND = REFUSING
    queued = OutgoingMail.objects.create(
        to="azubi@example.org", subject="Erinnerung", body="Text", next_attempt_at=timezone.now()
    )
    now = timezone.now()
    for _attempt in range(mail.MAX_ATTEMPTS):
        now += mail.LONGEST_PAUSE
        mail.mail_send(queued.pk, now=now)
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.FAILED and queued.attempts == mail.MAX_ATTEMPTS


def test_a_rolled_back_state_change_sends_no_mail(demo, mailoutbox, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send_application(demo)
        raise RuntimeError("the request failed after the step")
    assert not OutgoingMail.objects.exists() and mailoutbox == []
    assert not Application.objects.filter(applicant=demo["schueler"], offer=demo_offer()).exists()


def test_the_subject_is_made_header_safe():
    queued = mail.mail_subject("Deine Bewerbung „Koch\r\nBcc: alle@example.org\x00“: gesendet")
    assert queued == "Deine Bewerbung „Koch Bcc: alle@example.org “: gesendet"
