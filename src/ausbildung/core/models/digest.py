"""Whether, and how often, a person gets the e-mail digest of what waits for them (`core.digests`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DigestPreference(models.Model):
    """One row per person who chose a digest; no row means "off".

    Off by default for everybody, minors included (DSGVO Art. 25 Abs. 2, data protection by default; Art. 5
    Abs. 1 lit. c, data minimisation): the platform mails nobody a summary they did not ask for. The digest
    holds only counts and links of the person's own waiting items, no names of others.
    """

    class Frequency(models.TextChoices):
        OFF = "off", _("No e-mail")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly (on Mondays)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="digest"
    )
    frequency = models.CharField(
        _("e-mail digest"), max_length=10, choices=Frequency.choices, default=Frequency.OFF
    )
    # The period the last digest was sent for ("2026-12-07" daily, "2026-W50" weekly): a second run in the
    # same period sends nothing (idempotent).
    last_period = models.CharField(_("last digest sent for"), max_length=12, blank=True)
    last_sent_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("e-mail digest preference")
        verbose_name_plural = _("e-mail digest preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.frequency}"
