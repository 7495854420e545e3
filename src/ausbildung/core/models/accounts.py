"""Accounts that people open themselves (sign-up) and invitations into an organisation or a guardianship.

The logic lives in `core.accounts` (services, selectors, views); these are the rows it keeps.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .people import Role


class Signup(models.Model):
    """A self-registered account on its way to being usable (`core.accounts.services`).

    The account (`User.is_active`) stays inactive, so it cannot sign in, until its e-mail address is confirmed
    and, for a person under 16, a guardian has given consent (DSGVO Art. 8 Abs. 1; Germany kept the age of 16:
    the BDSG makes no use of the opening clause of Art. 8 Abs. 1 Satz 3). The row stays as evidence of when
    the address was confirmed and when and by which address the guardian consented.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="signup"
    )
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    guardian_email = models.EmailField(_("e-mail of the guardian"), blank=True)
    guardian_consent_at = models.DateTimeField(_("guardian's consent given"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def needs_guardian(self) -> bool:
        return bool(self.guardian_email)

    @property
    def complete(self) -> bool:
        return self.email_confirmed_at is not None and (
            not self.needs_guardian or self.guardian_consent_at is not None
        )


class Invitation(models.Model):
    """A one-time link into a role at an organisation, or into the guardianship of a ward.

    Only the SHA-256 of the secret is stored; the link is mailed once through the outbox. Open until it is
    accepted (single use), revoked or expired.
    """

    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    ward = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ward"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="guardian_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(ward__isnull=False),
                name="invitation_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()}"

    def is_open(self, now: datetime.datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now
