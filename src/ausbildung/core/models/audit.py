from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditLog(models.Model):
    """One row per state change, written by the service that made it (never by signals)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=80)
    target_type = models.CharField(_("object type"), max_length=80)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


class ReadAccess(models.Model):
    """One staff read of a young person's data: who read what of whose data, when (DSGVO Art. 5 Abs. 2).

    Written by `core.audit` (one bulk INSERT per request, after a successful response), shown to the person
    on `/mein-bereich/zugriffe/`, erased after `core.audit.READ_RETENTION_DAYS`. It holds no content of the
    data read: a code of what was read (`records.book`), the type and id of the object, and the path.
    """

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person read about"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    what = models.CharField(_("what was read"), max_length=40)
    object_type = models.CharField(_("object type"), max_length=40, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    role = models.CharField(_("role of the reader"), max_length=32)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisation of the reader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    path = models.CharField(_("path"), max_length=200)
    read_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("read access")
        verbose_name_plural = _("read accesses")
        ordering = ["-read_at", "-id"]
        indexes = [
            models.Index(fields=["subject", "-read_at"], name="readaccess_subject_newest"),
            models.Index(fields=["read_at"], name="readaccess_read_at"),
        ]

    def __str__(self) -> str:
        return f"{self.read_at:%Y-%m-%d %H:%M} {self.what} {self.reader_id}→{self.subject_id}"
