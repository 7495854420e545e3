"""Career orientation at schools (Berufsorientierung): classes, the interest check, occupations' interest
profiles, internships (Praktika / Berufsfelderkundung) and the pupil's plan (Berufswahlfahrplan).

Pupils are mostly minors (DSGVO Art. 8): teachers see progress, not answers (see orientation.access).
Occupations a pupil saves are the `offers.SeekerProfile.interests`, so the offer search explains the fit
with the same list.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ausbildung.core.models import Occupation, Organisation, TrainingSite


class SchoolClass(models.Model):
    """A class (Klasse) of a general school; pupils join it with a code the teacher hands out."""

    school = models.ForeignKey(
        Organisation,
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="school_classes",
        limit_choices_to={"kind": Organisation.Kind.SCHOOL},
    )
    name = models.CharField(_("class"), max_length=60)
    school_year = models.CharField(_("school year"), max_length=9, help_text=_("For example 2026/27."))
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("join code"), max_length=12, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("school class")
        verbose_name_plural = _("school classes")
        ordering = ["school", "-school_year", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.school_year})"


class ClassMembership(models.Model):
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="memberships"
    )
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pupil"),
        on_delete=models.CASCADE,
        related_name="class_memberships",
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("class membership")
        verbose_name_plural = _("class memberships")
        constraints = [
            models.UniqueConstraint(fields=["school_class", "pupil"], name="class_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.pupil} – {self.school_class}"


class OccupationInterestProfile(models.Model):
    """An occupation's RIASEC profile, derived reproducibly from the text of its training regulation
    (see `orientation.derive` and docs/domain.md), never typed in by hand."""

    occupation = models.OneToOneField(
        Occupation, verbose_name=_("occupation"), on_delete=models.CASCADE, related_name="interest_profile"
    )
    realistic = models.FloatField("R", default=0)
    investigative = models.FloatField("I", default=0)
    artistic = models.FloatField("A", default=0)
    social = models.FloatField("S", default=0)
    enterprising = models.FloatField("E", default=0)
    conventional = models.FloatField("C", default=0)
    code = models.CharField(_("interest code"), max_length=3, db_index=True)
    method = models.CharField(_("method"), max_length=60)
    # Per dimension, the words of the regulation that counted most: shown as the "why".
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("interest profile of an occupation")
        verbose_name_plural = _("interest profiles of occupations")

    def __str__(self) -> str:
        return f"{self.occupation} ({self.code})"

    @property
    def scores(self) -> dict[str, float]:
        return {
            "R": self.realistic,
            "I": self.investigative,
            "A": self.artistic,
            "S": self.social,
            "E": self.enterprising,
            "C": self.conventional,
        }


class InterestCheck(models.Model):
    """One run of the interest check (Interessencheck). Resumable: answers are saved screen by screen."""

    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pupil"),
        on_delete=models.CASCADE,
        related_name="interest_checks",
    )
    item_set = models.CharField(_("item set"), max_length=20)
    answers = models.JSONField(_("answers"), default=dict, blank=True)  # item key → 0..4
    scores = models.JSONField(_("scores"), default=dict, blank=True)  # dimension → 0..1
    code = models.CharField(_("interest code"), max_length=3, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("interest check")
        verbose_name_plural = _("interest checks")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.pupil} {self.started_at:%d.%m.%Y}"


class InternshipSlot(models.Model):
    """An internship (Praktikum / Berufsfelderkundung) a company offers to pupils."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    company = models.ForeignKey(
        Organisation,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="internship_slots",
        limit_choices_to={"kind": Organisation.Kind.COMPANY},
    )
    site = models.ForeignKey(TrainingSite, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+")
    occupation = models.ForeignKey(
        Occupation,
        verbose_name=_("occupation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    field = models.CharField(_("occupational field"), max_length=120, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    places = models.PositiveSmallIntegerField(_("places"), default=1, validators=[MinValueValidator(1)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="internship_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InternshipApplication(models.Model):
    class State(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        COMPLETED = "completed", _("Completed")

    slot = models.ForeignKey(
        InternshipSlot, verbose_name=_("internship"), on_delete=models.CASCADE, related_name="applications"
    )
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pupil"),
        on_delete=models.CASCADE,
        related_name="internship_applications",
    )
    message = models.TextField(_("message"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SENT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("internship application")
        verbose_name_plural = _("internship applications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["slot", "pupil"], name="internship_application_once")]

    def __str__(self) -> str:
        return f"{self.pupil} → {self.slot}"


class InternshipFeedback(models.Model):
    """A short feedback on a completed internship, from the pupil or from the company."""

    class Side(models.TextChoices):
        PUPIL = "pupil", _("Pupil")
        COMPANY = "company", _("Company")

    application = models.ForeignKey(
        InternshipApplication, verbose_name=_("internship"), on_delete=models.CASCADE, related_name="feedback"
    )
    side = models.CharField(_("from"), max_length=10, choices=Side.choices)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (poor) to 5 (very good)"),
    )
    text = models.TextField(_("feedback"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("internship feedback")
        verbose_name_plural = _("internship feedback")
        constraints = [
            models.UniqueConstraint(fields=["application", "side"], name="internship_feedback_once")
        ]

    def __str__(self) -> str:
        return f"{self.application} ({self.side})"


class PlanStep(models.Model):
    """A next step in the pupil's own plan (Mein Berufswahlfahrplan)."""

    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pupil"), on_delete=models.CASCADE, related_name="plan_steps"
    )
    text = models.CharField(_("step"), max_length=300)
    due_date = models.DateField(_("by"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")
        ordering = ["done", "due_date", "id"]

    def __str__(self) -> str:
        return self.text


class FieldSharingConsent(models.Model):
    """A pupil's permission that their teacher may count them in the class's occupational fields
    (Einwilligung, DSGVO Art. 6 Abs. 1 lit. a with Art. 8 and Art. 7 Abs. 3: off by default, revocable at any
    time). The teacher only ever sees counts per field over at least `MIN_GROUP` consenting pupils (see
    `orientation.classes.selectors.class_field_interest`), never a pupil's answers or chosen occupations."""

    pupil = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pupil"),
        on_delete=models.CASCADE,
        related_name="field_sharing_consent",
    )
    granted_at = models.DateTimeField(_("granted"), null=True, blank=True)  # null: not given or withdrawn
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("consent to share occupational fields")
        verbose_name_plural = _("consents to share occupational fields")

    def __str__(self) -> str:
        return f"{self.pupil} ({'granted' if self.granted_at else 'not granted'})"

    @property
    def granted(self) -> bool:
        return self.granted_at is not None
