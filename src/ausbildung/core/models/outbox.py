"""Durable side effects of a state change: the outgoing-mail outbox and the one-time form submissions.

`OutgoingMail` is a transactional outbox: a service writes the mail as a row in the same transaction as the
state change it reports, so both are committed or neither is. Sending happens after the commit
(`core.mail`); a failed send leaves the row queued with its error and a time for the next attempt, and
`ausbildung mail send-queued` (cron) or the task worker tries again with a growing pause. Neither the state
change nor the mail is lost when the mail server is down or refuses a message.

`FormSubmission` records that a form rendered once was handled once (`core.submissions`): the hash of the
one-time token of the form, unique, written in the transaction of the action.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingMail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed (gave up)")

    to = models.EmailField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="core_mail_due")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class FormSubmission(models.Model):
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    view = models.CharField(_("view"), max_length=200)
    result_url = models.CharField(_("result"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return f"{self.view} {self.created_at:%Y-%m-%d %H:%M}"
