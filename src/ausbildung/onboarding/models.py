"""A company's request to its chamber's training adviser after the self-check."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ausbildung.core.models import Occupation, Organisation


class TrainerQualification(models.TextChoices):
    AEVO = "aevo", _("Yes, someone has passed the trainer aptitude exam (AEVO)")
    MEISTER = "meister", _("Yes, someone holds a master craftsman's certificate (Meisterprüfung)")
    EXAM_PLANNED = "exam_planned", _("Not yet: someone will take the AEVO exam")
    NONE = "none", _("No")


class ContentsOnSite(models.TextChoices):
    YES = "yes", _("Yes, all of them")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class OnboardingRequest(models.Model):
    """The answers of the self-check, its result and the chamber's handling of the request."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    company = models.ForeignKey(
        Organisation,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="onboarding_requests",
        limit_choices_to={"kind": Organisation.Kind.COMPANY},
    )
    occupations = models.ManyToManyField(Occupation, verbose_name=_("occupations"), related_name="+")
    # The competent body (BBiG § 71, HwO § 91) for these occupations in the company's region.
    chamber = models.ForeignKey(
        Organisation,
        verbose_name=_("chamber"),
        on_delete=models.PROTECT,
        related_name="chamber_onboarding_requests",
        limit_choices_to={"kind": Organisation.Kind.CHAMBER},
    )
    activity = models.TextField(_("what the company does"))
    skilled_staff = models.PositiveIntegerField(_("skilled staff"))
    trainer = models.CharField(_("suitable trainer"), max_length=15, choices=TrainerQualification.choices)
    contents = models.CharField(
        _("all contents can be taught on site"), max_length=10, choices=ContentsOnSite.choices
    )
    asa_interest = models.BooleanField(_("interest in Assisted Training (AsA flex)"), default=False)
    # The evaluated points as shown to the company (check.evaluate → list of dicts), kept as submitted.
    result = models.JSONField(_("result"), default=list)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    chamber_note = models.TextField(_("chamber note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        # The table was created while the self-check was part of the offers app; the model moved to this app
        # with its table (migrations onboarding 0001 / offers 0010: state only, no data moved).
        db_table = "offers_onboardingrequest"
        verbose_name = _("request to become a training company")
        verbose_name_plural = _("requests to become a training company")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["chamber", "status"])]

    def __str__(self) -> str:
        return f"{self.company.name} → {self.chamber.name}"
