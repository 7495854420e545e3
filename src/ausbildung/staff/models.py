"""Training staff (Ausbildungspersonal, issue #21): the evidence of a trainer's aptitude, whether a trainer trains
full-time, and the skilled staff of a training site.

Evidence is never changed after the fact: a wrong entry is withdrawn with a date and a new one recorded; the
chamber's confirmation is added with its time and person. Which contracts and sites a trainer is responsible
for is the contract's trainer assignment (core.ContractTrainer: main trainer, training officer, substitute).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ausbildung.core.models import Occupation, Organisation, TrainingSite
from ausbildung.core.storage import private_storage

from . import rules


def evidence_path(instance: Qualification, filename: str) -> str:
    return f"staff/{instance.company_id}/{filename}"


class Qualification(models.Model):
    """Evidence of a person's berufs- und arbeitspädagogische Eignung (AusbEignV), recorded by a company for a
    trainer: which kind, the date of the certificate, who issued it, and a copy (PDF, JPEG or PNG); and the
    vocational qualification behind it (BBiG § 30 Abs. 2, HwO § 22b), which the chamber's register names
    ("Art der fachlichen Eignung", BBiG § 34 Abs. 2 Nr. 11)."""

    class Kind(models.TextChoices):
        AEVO = rules.Evidence.AEVO, _("Trainer aptitude exam (AEVO, AusbEignV § 4)")
        EARLIER_AEVO = rules.Evidence.EARLIER_AEVO, _("Exam under an earlier AEVO (AusbEignV § 6 Abs. 1)")
        FORTBILDUNG = (
            rules.Evidence.FORTBILDUNG,
            _("Meisterprüfung or another further-training exam that includes it (AusbEignV § 6 Abs. 2)"),
        )
        EXEMPT_BY_EXAM = (
            rules.Evidence.EXEMPT_BY_EXAM,
            _("Exempted by the chamber for another exam (AusbEignV § 6 Abs. 3)"),
        )
        EXEMPT = rules.Evidence.EXEMPT, _("Exempted by the chamber (AusbEignV § 6 Abs. 4)")
        BEFORE_2009 = rules.Evidence.BEFORE_2009, _("Trainer since before 1 August 2009 (AusbEignV § 7)")

    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("trainer"), on_delete=models.PROTECT, related_name="+"
    )
    company = models.ForeignKey(
        Organisation, verbose_name=_("company"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("evidence"), max_length=16, choices=Kind.choices)
    passed_on = models.DateField(_("date of the certificate"))
    issued_by = models.CharField(_("issued by"), max_length=200, help_text=_("e.g. the chamber's name"))
    craft = models.ForeignKey(
        Occupation,
        verbose_name=_("craft of the Meisterprüfung"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    vocational = models.CharField(
        _("vocational qualification"),
        max_length=200,
        help_text=_("e.g. final exam as Fachinformatiker, IHK 2014 (BBiG § 30 Abs. 2)"),
    )
    document = models.FileField(
        _("copy of the certificate"),
        storage=private_storage,
        upload_to=evidence_path,
        max_length=200,
        blank=True,
    )
    document_name = models.CharField(max_length=200, blank=True)
    document_type = models.CharField(max_length=40, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed by the chamber"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("trainer qualification")
        verbose_name_plural = _("trainer qualifications")
        ordering = ["-passed_on", "-pk"]
        indexes = [models.Index(fields=["trainer", "company"])]

    def __str__(self) -> str:
        return f"{self.trainer_id}: {self.kind} {self.passed_on}"


class TrainerRole(models.Model):
    """Whether a trainer of a company trains full-time (hauptberuflich) or besides other duties: the load the
    chambers' guidance accepts differs (rules.LOAD_FULL_TIME, rules.LOAD_OTHER_DUTIES). One row per trainer and
    company; changed by the company's administrators (audit log)."""

    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("trainer"), on_delete=models.CASCADE, related_name="+"
    )
    company = models.ForeignKey(
        Organisation, verbose_name=_("company"), on_delete=models.CASCADE, related_name="+"
    )
    full_time = models.BooleanField(_("trains full-time"), default=False)

    class Meta:
        verbose_name = _("trainer role")
        verbose_name_plural = _("trainer roles")
        constraints = [
            models.UniqueConstraint(fields=["trainer", "company"], name="staff_trainer_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.trainer_id} @ {self.company_id}: {'full-time' if self.full_time else 'besides'}"


class SiteStaffing(models.Model):
    """The skilled staff (Fachkräfte) of a training site on a day, as the company states it: the basis of the
    ratio of BBiG § 27 Abs. 1 Nr. 2. Each statement is a new row; the latest counts."""

    site = models.ForeignKey(
        TrainingSite, verbose_name=_("training site"), on_delete=models.CASCADE, related_name="+"
    )
    skilled_staff = models.PositiveIntegerField(_("skilled staff"))
    as_of = models.DateField(_("as of"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("skilled staff of a site")
        verbose_name_plural = _("skilled staff of sites")
        ordering = ["-as_of", "-pk"]

    def __str__(self) -> str:
        return f"{self.site_id}: {self.skilled_staff} ({self.as_of})"


class Course(models.Model):
    """A course for training staff that a chamber offers (Weiterbildung für Ausbilderinnen und Ausbilder): its
    dates, place or online, hours. Registration is by the chamber's own channel (the link); the platform lists
    the courses and lets trainers log the ones they attended."""

    chamber = models.ForeignKey(
        Organisation, verbose_name=_("chamber"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what it covers"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("address, or empty if online")
    )
    online = models.BooleanField(_("online"), default=False)
    link = models.URLField(_("registration and details"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("course for training staff")
        verbose_name_plural = _("courses for training staff")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="staff_course_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="staff_course_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on})"


class CourseRecord(models.Model):
    """A course a trainer attended (the continuing-education log): a chamber's course from the list or any other,
    with its hours. Recorded by the trainer or the company's administrators; withdrawn, never edited."""

    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("trainer"), on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200)
    attended_on = models.DateField(_("attended on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("attended course")
        verbose_name_plural = _("attended courses")
        ordering = ["-attended_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="staff_record_hours_positive")
        ]

    def __str__(self) -> str:
        return f"{self.trainer_id}: {self.title} ({self.attended_on})"


class SelfCheckAnswer(models.Model):
    """One answer in the AEVO self-check (staff.aevo): which question, which option, right or not. The person's
    own practice; nobody else sees it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    question = models.CharField(_("question"), max_length=20)
    chosen = models.PositiveSmallIntegerField(_("chosen option"))
    correct = models.BooleanField(_("correct"))
    answered_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        verbose_name = _("self-check answer")
        verbose_name_plural = _("self-check answers")
        ordering = ["answered_at", "pk"]
        indexes = [models.Index(fields=["person", "question"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.question}: {self.correct}"
