"""Dropout prevention (Verhinderung von Ausbildungsabbrüchen, issue #20): the apprentice's private check-ins and
wishes for a talk, the consent to the chamber's adviser, the vocational school's notes, the intervention log
and the facts of a dissolution (BBiG § 22).

Rows are evidence of what happened: a check-in, a note, an intervention or a dissolution record is never
changed after the fact. A school note or a talk request is closed or withdrawn with a date (the row stays).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ausbildung.core.models import Organisation, TrainingContract


class CheckIn(models.Model):
    """A short private check-in of the apprentice (a minute on the phone). Only the apprentice sees the answers;
    others learn only that a talk is wanted, when the apprentice asks for one (`TalkRequest`)."""

    class Occasion(models.TextChoices):
        FIRST_WEEKS = "first_weeks", pgettext_lazy("du", "First weeks")
        PROBATION = "probation", pgettext_lazy("du", "Before the end of the probation period")
        MONTH_6 = "month_6", pgettext_lazy("du", "After six months")
        MONTH_12 = "month_12", pgettext_lazy("du", "After one year")

    class Conflicts(models.TextChoices):
        NONE = "none", pgettext_lazy("du", "No")
        SOME = "some", pgettext_lazy("du", "Now and then")
        SERIOUS = "serious", pgettext_lazy("du", "Yes, it weighs on me")

    class Quitting(models.TextChoices):
        NEVER = "never", pgettext_lazy("du", "No")
        SOMETIMES = "sometimes", pgettext_lazy("du", "Sometimes")
        OFTEN = "often", pgettext_lazy("du", "Often")

    contract = models.ForeignKey(
        TrainingContract, verbose_name=_("training contract"), on_delete=models.CASCADE, related_name="+"
    )
    occasion = models.CharField(_("occasion"), max_length=12, choices=Occasion.choices)
    answered_at = models.DateTimeField(_("answered"), auto_now_add=True)
    mood = models.PositiveSmallIntegerField(
        _("how it is going (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    instruction = models.PositiveSmallIntegerField(
        _("enough instruction (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    conflicts = models.CharField(_("conflicts in the company"), max_length=8, choices=Conflicts.choices)
    overtime = models.BooleanField(_("regular overtime"))
    quitting = models.CharField(_("thoughts of quitting"), max_length=10, choices=Quitting.choices)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-answered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "occasion"], name="checkin_once_per_occasion")
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.occasion}"


class TalkRequest(models.Model):
    """The apprentice asks for a talk, with the company, the vocational school or the chamber's training
    adviser (Ausbildungsberater, BBiG § 76). A request to the chamber lets its advisers see the contract's
    signals individually until it is closed."""

    class Addressee(models.TextChoices):
        COMPANY = "company", pgettext_lazy("du", "My training company")
        SCHOOL = "school", pgettext_lazy("du", "My vocational school")
        CHAMBER = "chamber", pgettext_lazy("du", "The chamber's training adviser")

    contract = models.ForeignKey(
        TrainingContract, verbose_name=_("training contract"), on_delete=models.CASCADE, related_name="+"
    )
    addressee = models.CharField(_("with"), max_length=10, choices=Addressee.choices)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("request for a talk")
        verbose_name_plural = _("requests for a talk")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.addressee}"


class ChamberConsent(models.Model):
    """The apprentice's consent (DSGVO Art. 6 Abs. 1 lit. a, Art. 7) that the chamber's training advisers see
    the contract's signals individually. For a minor it counts once a guardian has confirmed it (the platform's
    rule for consents of minors, as in transition's consents; DSGVO Art. 8 covers information-society services,
    the platform asks the guardian whatever the age under 18). Withdrawn at any time (Art. 7 Abs. 3)."""

    contract = models.ForeignKey(
        TrainingContract, verbose_name=_("training contract"), on_delete=models.CASCADE, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    guardian_confirmed_at = models.DateTimeField(_("confirmed by a guardian"), null=True, blank=True)
    guardian_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("guardian"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent to the chamber's advisers")
        verbose_name_plural = _("consents to the chamber's advisers")
        ordering = ["-granted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.granted_at:%Y-%m-%d}"


class SchoolNote(models.Model):
    """What a vocational-school teacher reports: days absent from school in a period, or a concern."""

    class Kind(models.TextChoices):
        ABSENCE = "absence", _("Days absent")
        CONCERN = "concern", _("Concern: a talk seems needed")

    contract = models.ForeignKey(
        TrainingContract, verbose_name=_("training contract"), on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        Organisation, verbose_name=_("vocational school"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    days = models.PositiveSmallIntegerField(
        _("days absent"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    period_end = models.DateField(_("up to"), help_text=_("The last day the note covers."))
    created_at = models.DateTimeField(_("noted"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("vocational school note")
        verbose_name_plural = _("vocational school notes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="absence", days__isnull=False) | models.Q(kind="concern", days__isnull=True)
                ),
                name="schoolnote_days_only_for_absence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.kind}"


class Intervention(models.Model):
    """One step of help for a contract, with its result and the day to look again (the intervention log)."""

    class Kind(models.TextChoices):
        TALK = "talk", _("Talk held")
        MEDIATION_CHAMBER = "mediation_chamber", _("Mediation by the chamber's training adviser (BBiG § 76)")
        COMMITTEE = "committee", _("Conciliation committee of the chamber or Innung (ArbGG § 111 Abs. 2)")
        VERA = "vera", _("Referral to VerA mentoring (Senior Experten Service)")
        ASA_FLEX = "asa_flex", _("Referral to Assistierte Ausbildung (AsA flex, SGB III §§ 74–75a)")
        CHANGE_TRAINER = "change_trainer", _("Change of trainer")
        CHANGE_SITE = "change_site", _("Change of training site")
        PART_TIME = "part_time", _("Part-time training agreed (BBiG § 7a)")
        OTHER = "other", _("Other")

    contract = models.ForeignKey(
        TrainingContract, verbose_name=_("training contract"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("on"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("noted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    result = models.TextField(_("result"), max_length=2000, blank=True)
    follow_up_on = models.DateField(_("look again on"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("looked again"), null=True, blank=True)
    created_at = models.DateTimeField(_("noted"), auto_now_add=True)

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.kind} {self.held_on}"


# The reasons catalogue of a dissolution: the reasons apprentices and companies name in the BIBB surveys
# (docs/domain.md, "Dropout prevention"); several may apply.
DISSOLUTION_REASONS: dict[str, str | Promise] = {
    "conflict_trainer": pgettext_lazy("reason", "Conflicts with trainers or superiors"),
    "instruction": pgettext_lazy("reason", "Poor instruction, little is explained"),
    "working_time": pgettext_lazy("reason", "Working time, overtime"),
    "tasks": pgettext_lazy("reason", "Tasks outside the occupation"),
    "occupation_choice": pgettext_lazy("reason", "The occupation was not the right choice"),
    "school": pgettext_lazy("reason", "Difficulties at the vocational school"),
    "health": pgettext_lazy("reason", "Health"),
    "personal": pgettext_lazy("reason", "Personal or family reasons"),
    "pay": pgettext_lazy("reason", "Training pay"),
    "distance": pgettext_lazy("reason", "Distance or travel"),
    "performance": pgettext_lazy("reason", "Performance or conduct (the company's view)"),
    "company_closed": pgettext_lazy("reason", "The company closed or stopped training"),
    "other_training": pgettext_lazy("reason", "Another training place or study"),
    "other": pgettext_lazy("reason", "Other"),
}


class Dissolution(models.Model):
    """The facts of a contract's early end (BBiG § 22): who ended it, when, and why (from the catalogue), and
    whether the young person wants guidance if no new contract follows."""

    class EndedBy(models.TextChoices):
        APPRENTICE = "apprentice", _("Notice by the apprentice (BBiG § 22)")
        COMPANY = "company", _("Notice by the company (BBiG § 22)")
        MUTUAL = "mutual", _("Mutual agreement (Aufhebungsvertrag)")
        OTHER = "other", _("Other (e.g. court)")

    contract = models.OneToOneField(
        TrainingContract, verbose_name=_("training contract"), on_delete=models.CASCADE, related_name="+"
    )
    ended_by = models.CharField(_("ended by"), max_length=12, choices=EndedBy.choices)
    ended_on = models.DateField(_("ended on"))
    in_probation = models.BooleanField(_("in the probation period"))
    reasons = models.JSONField(_("reasons"), default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    guidance_consent = models.BooleanField(_("wants guidance if nothing follows"), default=False)

    class Meta:
        verbose_name = _("dissolution")
        verbose_name_plural = _("dissolutions")
        ordering = ["-ended_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.ended_on}"

    @staticmethod
    def falls_in_probation(contract: TrainingContract, ended_on: datetime.date) -> bool:
        """BBiG § 20, § 22 Abs. 1: the contract ended on or before the last day of its probation period."""
        return ended_on <= contract.probation_end


class Assessment(models.Model):
    """One contract's score on one day, as the nightly scoring computed it (`ausbildung retention assess`):
    the points and level of the signals others may see (never the apprentice's check-in answers) and the keys
    of those signals.

    Read only in aggregate: the chamber's figures per occupation and the score's quality check
    (retention.quality), which compares the scores of a past day with the dissolutions that followed. The
    pages about one contract score it live. Kept: the latest day and the first day of each month for
    `HISTORY_MONTHS` months; older rows are deleted by the nightly run."""

    HISTORY_MONTHS = 36

    class Level(models.TextChoices):
        NONE = "none", _("No indication")
        WATCH = "watch", _("Keep in view")
        TALK = "talk", _("Talk needed")

    contract = models.ForeignKey(
        TrainingContract, verbose_name=_("training contract"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    points = models.PositiveSmallIntegerField(_("points"))
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    signals = models.CharField(_("signals"), max_length=400, blank=True)  # keys, comma-separated

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["day", "contract"], name="retention_assessment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.day}: {self.points}"


class AssessmentRun(models.Model):
    """One run of the nightly scoring: the day it assessed, how many contracts and levels, and how long it took.
    The days kept here are the days whose `Assessment` rows exist."""

    day = models.DateField(_("day"), unique=True)
    contracts = models.PositiveIntegerField(_("contracts"))
    watch = models.PositiveIntegerField(_("keep in view"))
    talk = models.PositiveIntegerField(_("talk needed"))
    seconds = models.FloatField(_("seconds"))
    finished_at = models.DateTimeField(_("finished"), auto_now=True)

    class Meta:
        verbose_name = _("assessment run")
        verbose_name_plural = _("assessment runs")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.contracts}"


class QualityCheck(models.Model):
    """How well the stored scores ranked the contracts dissolved afterwards (retention.quality), computed after
    each nightly scoring over the assessed days whose horizon has passed. Figures only, no person."""

    computed_at = models.DateTimeField(_("computed"), auto_now_add=True)
    first_day = models.DateField(_("first scored day"), null=True)
    last_day = models.DateField(_("last scored day"), null=True)
    days = models.PositiveSmallIntegerField(_("scored days"), default=0)
    horizon_months = models.PositiveSmallIntegerField(_("horizon in months"))
    observations = models.PositiveIntegerField(_("scores compared"), default=0)
    dissolved = models.PositiveIntegerField(_("contracts dissolved within the horizon"), default=0)
    not_dissolved = models.PositiveIntegerField(_("contracts not dissolved within it"), default=0)
    auc = models.FloatField(_("AUC"), null=True)
    auc_low = models.FloatField(_("lower bound (95 %)"), null=True)
    auc_high = models.FloatField(_("upper bound (95 %)"), null=True)

    class Meta:
        verbose_name = _("quality check")
        verbose_name_plural = _("quality checks")
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.computed_at:%Y-%m-%d}: {self.auc}"
