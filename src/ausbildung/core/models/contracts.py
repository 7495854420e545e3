from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .occupations import FrameworkPosition, Occupation, Specialisation
from .organisations import Organisation, TrainingSite
from .people import Membership, Role, User


class TrainingContract(models.Model):
    """A Berufsausbildungsverhältnis with the contract facts of BBiG § 11 Abs. 1.

    Every later focus area (record book, retention, …) hangs off the contract. The rules for its dates
    (probation BBiG § 20; duration § 5 Abs. 1 Nr. 2 with shortening § 8, part-time § 7a and the other
    `DurationReason`s) are checked in `core.services.contract_validate`.

    Part-time training (Teilzeitberufsausbildung, BBiG § 7a): `weekly_hours` is always the agreed training
    time per week; a part-time contract also states `full_time_weekly_hours`, the full-time training time per
    week it is cut from. The cut (`part_time_reduction`) is at most 50 % (§ 7a Abs. 1 Satz 3), lowers the
    minimum pay in proportion (§ 17 Abs. 5) and extends the duration (§ 7a Abs. 2). The model covers
    part-time for the whole training; part-time for a period only (§ 7a Abs. 1 Satz 2) is not modelled.
    """

    class DurationReason(models.TextChoices):
        # Why the contract's length differs from the regulation's duration (BBiG § 5 Abs. 1 Nr. 2).
        NONE = "", _("None: the duration of the training regulation")
        CREDIT = "credit_7", _("Credit of prior vocational education (BBiG § 7)")
        SHORTENING = "shortening_8_1", _("Shortened on joint application (BBiG § 8 Abs. 1)")
        PART_TIME = "part_time_7a_2", _("Part-time training (BBiG § 7a Abs. 2)")
        PART_TIME_EXAM = "part_time_7a_3", _("Part-time, extended to the next final exam (BBiG § 7a Abs. 3)")
        EXTENSION = "extension_8_2", _("Extended on the apprentice's application (BBiG § 8 Abs. 2)")
        RETAKE = "retake_21_3", _("Extended to the next retake exam (BBiG § 21 Abs. 3)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        DISSOLVED = "dissolved", _("Dissolved (BBiG § 22)")
        COMPLETED = "completed", _("Completed (BBiG § 21)")

    class RecordForm(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    class RecordMedium(models.TextChoices):
        # BBiG § 11 Abs. 1 Satz 2: the contract states the form of the Ausbildungsnachweis (written or electronic;
        # Nr. 10 in the shipped text of March 2022, renumbered by later amendments).
        WRITTEN = "written", _("Written")
        ELECTRONIC = "electronic", _("Electronic")

    apprentice = models.ForeignKey(
        User, verbose_name=_("apprentice"), on_delete=models.PROTECT, related_name="training_contracts"
    )
    company = models.ForeignKey(
        Organisation,
        verbose_name=_("training company"),
        on_delete=models.PROTECT,
        related_name="training_contracts",
        limit_choices_to={"kind": Organisation.Kind.COMPANY},
    )
    site = models.ForeignKey(
        TrainingSite,
        verbose_name=_("training site"),
        on_delete=models.PROTECT,
        related_name="training_contracts",
    )
    trainers: models.ManyToManyField[User, ContractTrainer] = models.ManyToManyField(
        User,
        verbose_name=_("trainers"),
        through="ContractTrainer",
        related_name="trained_contracts",
        blank=True,
    )
    occupation = models.ForeignKey(
        Occupation, verbose_name=_("occupation"), on_delete=models.PROTECT, related_name="training_contracts"
    )
    specialisation = models.ForeignKey(
        Specialisation, verbose_name=_("specialisation"), null=True, blank=True, on_delete=models.PROTECT
    )
    # The Wahlqualifikationen chosen for this contract ("im Ausbildungsvertrag festzulegende", BBiG § 11 Abs. 1
    # Nr. 1: the sachliche Gliederung of the training); elective positions of the occupation's plan only
    # (`core.services.contract_set_plan`).
    electives = models.ManyToManyField(
        FrameworkPosition, verbose_name=_("electives (Wahlqualifikationen)"), blank=True, related_name="+"
    )
    start_date = models.DateField(_("start of training"))
    end_date = models.DateField(_("end of training"))
    probation_end = models.DateField(_("end of probation"))
    vocational_school = models.ForeignKey(
        Organisation,
        verbose_name=_("vocational school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vocational_school_contracts",
        limit_choices_to={"kind": Organisation.Kind.VOCATIONAL_SCHOOL},
    )
    chamber = models.ForeignKey(
        Organisation,
        verbose_name=_("chamber"),
        on_delete=models.PROTECT,
        related_name="chamber_contracts",
        limit_choices_to={"kind": Organisation.Kind.CHAMBER},
    )
    chamber_registration_number = models.CharField(
        _("chamber registration number"),
        max_length=40,
        blank=True,
        help_text=_("Entry in the register (BBiG § 34)."),
    )
    record_form = models.CharField(
        _("form of the training record"), max_length=10, choices=RecordForm.choices, default=RecordForm.WEEKLY
    )
    record_medium = models.CharField(
        _("medium of the training record"),
        max_length=12,
        choices=RecordMedium.choices,
        default=RecordMedium.ELECTRONIC,
    )
    # The agreed regular training time, per week (BBiG § 11 Abs. 1 Satz 2 Nr. 4 names the "Dauer der
    # regelmäßigen täglichen Ausbildungszeit"): credits school and exam days. For part-time training (§ 7a) the
    # cut hours; `full_time_weekly_hours` then holds the full-time hours.
    weekly_hours = models.DecimalField(
        _("agreed training time per week (hours)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    # Part-time training (BBiG § 7a): the full-time training time per week that `weekly_hours` is cut from;
    # empty for full-time training.
    full_time_weekly_hours = models.DecimalField(
        _("full-time training time per week (hours)"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Only for part-time training (BBiG § 7a): the full-time hours the agreed weekly hours are cut "
            "from; the cut may be at most 50 %."
        ),
    )
    duration_reason = models.CharField(
        _("reason for a different duration"),
        max_length=20,
        choices=DurationReason.choices,
        blank=True,
        default=DurationReason.NONE,
        help_text=_("Needed when the contract is shorter or longer than the training regulation's duration."),
    )
    # The day of the written final exam: the working day before it is free (BBiG § 15 Abs. 1 Nr. 5).
    written_exam_date = models.DateField(_("written final exam on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("training contract")
        verbose_name_plural = _("training contracts")
        ordering = ["-start_date", "id"]
        indexes = [
            models.Index(fields=["company", "status"]),
            models.Index(fields=["chamber", "status"]),
            models.Index(fields=["apprentice", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")), name="contract_end_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(probation_end__gte=models.F("start_date")),
                name="contract_probation_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.apprentice} – {self.occupation} ({self.start_date:%d.%m.%Y})"

    @property
    def part_time_reduction(self) -> Decimal | None:
        """The cut of the weekly training time in percent (BBiG § 7a Abs. 1), None for full-time training."""
        return part_time_reduction(self.weekly_hours, self.full_time_weekly_hours)


def part_time_reduction(
    weekly_hours: Decimal | None, full_time_weekly_hours: Decimal | None
) -> Decimal | None:
    """The percentage by which `weekly_hours` cut `full_time_weekly_hours`; None unless both are given and the
    full-time hours are positive (part-time training, BBiG § 7a Abs. 1)."""
    if weekly_hours is None or not full_time_weekly_hours:
        return None
    return (full_time_weekly_hours - weekly_hours) * 100 / full_time_weekly_hours


class ContractTrainerQuerySet(models.QuerySet["ContractTrainer"]):
    def current(self, day: datetime.date | None = None) -> ContractTrainerQuerySet:
        """Assignments that count on `day` (default: today): not ended by then, and the trainer holds an
        active trainer membership at the contract's company.

        A trainer who left the company (membership ended) loses every contract of it at once, even while
        they train elsewhere and the assignment row is still open; an ended assignment stays as evidence of
        who trained when, and counts for nothing.
        """
        day = day or timezone.localdate()
        trainer_at_company = Membership.objects.filter(
            user=models.OuterRef("trainer"),
            organisation=models.OuterRef("contract__company"),
            role=Role.TRAINER,
            is_active=True,
        )
        return self.filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=day)).filter(
            models.Exists(trainer_at_company)
        )


class ContractTrainer(models.Model):
    """A trainer responsible for a contract: the main trainer (Ausbilder/in, BBiG § 28), a training officer
    (Ausbildungsbeauftragte/r) or a substitute (Vertretung).

    `ended_on` is the first day the assignment no longer counts; the row is never deleted (the signatures
    and the record book name who trained when). Only `current()` assignments give access.
    """

    class Kind(models.TextChoices):
        MAIN = "main", _("Trainer")
        OFFICER = "officer", _("Training officer (Ausbildungsbeauftragte/r)")
        SUBSTITUTE = "substitute", _("Substitute")

    contract = models.ForeignKey(
        TrainingContract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="trainer_links"
    )
    trainer = models.ForeignKey(
        User, verbose_name=_("trainer"), on_delete=models.PROTECT, related_name="trainer_links"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.MAIN)
    ended_on = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_("From this day on the trainer no longer trains this apprentice (the entry stays)."),
    )

    objects = ContractTrainerQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract trainer")
        verbose_name_plural = _("contract trainers")
        constraints = [
            models.UniqueConstraint(fields=["contract", "trainer"], name="contract_trainer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.trainer} ({self.get_kind_display()})"
