"""Personal API tokens: a mobile app calls the API with `Authorization: Bearer <secret>` instead of a session.

Only the SHA-256 hash of the secret is stored; the secret is shown once, when the token is created
(`ausbildung.core.tokens.api_token_create`). The prefix (its first characters) lets a person tell their
tokens apart without revealing them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. the device the token is used on"))
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["user", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: datetime.datetime) -> bool:
        """Not revoked, not expired, and its person may still sign in."""
        if self.revoked:
            return False
        if self.expires_at is not None and self.expires_at <= now:
            return False
        return bool(self.user.is_active)
