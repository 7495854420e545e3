"""Transition from school to training (Übergang Schule–Beruf): where every school leaver goes (Verbleib), the
consent that lets school and agency share a young person's data, and the counsellor's case follow-up.

The young people are mostly minors: the school records destinations of its own leavers; a counsellor sees
names only with a valid consent (DSGVO Art. 6 Abs. 1 lit. a and Art. 7; for minors also the legal
representative's, see `Consent.is_valid_on`), otherwise aggregated figures. The scopes live in
`transition.access`.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ausbildung.core.models import Organisation, TrainingContract
from ausbildung.core.schools import Certificate
from ausbildung.core.storage import private_storage


class DestinationKind(models.TextChoices):
    """Where a school leaver goes next (the categories of the issue; the Übergangssystem is the BIBB term for
    measures that lead to no vocational qualification)."""

    TRAINING = "training", _("Training (dual, with contract)")
    FURTHER_SCHOOL = "further_school", _("Further school")
    UNIVERSITY = "university", _("University")
    EQ = "eq", _("Einstiegsqualifizierung (EQ)")
    TRANSITION_MEASURE = "transition_measure", _("Transition measure (Übergangssystem)")
    WORK = "work", _("Work")
    VOLUNTARY_SERVICE = "voluntary_service", _("Voluntary service")
    UNKNOWN = "unknown", _("Unknown")


class Destination(models.Model):
    """Verbleib: the planned and then the actual next step of one pupil of a leaving cohort.

    A destination "training" links to the pupil's `TrainingContract` when one exists on the platform and
    follows it (`services.destination_follow_contract`, called on every contract save): a draft contract is
    the plan, an active (signed) one the actual destination, a dissolved one (BBiG § 22) reopens it.
    """

    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pupil"),
        on_delete=models.CASCADE,
        related_name="destinations",
    )
    school = models.ForeignKey(
        Organisation,
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="leaver_destinations",
        limit_choices_to={"kind": Organisation.Kind.SCHOOL},
    )
    class_label = models.CharField(_("class"), max_length=60, blank=True)
    school_year = models.CharField(
        _("leaving school year"), max_length=9, help_text=_("For example 2026/27.")
    )
    leaving_date = models.DateField(_("leaving date"))
    planned_kind = models.CharField(
        _("planned destination"), max_length=20, choices=DestinationKind.choices, blank=True
    )
    planned_note = models.CharField(
        _("plan in a few words"),
        max_length=200,
        blank=True,
        help_text=_("For example “applications as Tischler”. No health or family details."),
    )
    actual_kind = models.CharField(
        _("actual destination"), max_length=20, choices=DestinationKind.choices, blank=True
    )
    actual_since = models.DateField(_("actual destination since"), null=True, blank=True)
    contract = models.ForeignKey(
        TrainingContract,
        verbose_name=_("training contract"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="destinations",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("destination (Verbleib)")
        verbose_name_plural = _("destinations (Verbleib)")
        ordering = ["school", "-school_year", "class_label", "pupil__last_name", "pupil__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "school_year"], name="destination_one_per_year")
        ]
        indexes = [models.Index(fields=["school", "school_year"])]

    def __str__(self) -> str:
        return f"{self.pupil} – {self.school_year}"

    @property
    def certificate(self) -> str:
        """The pupil's school-leaving certificate (achieved or expected). One source of truth: the pupil's own
        profile (offers.SeekerProfile.certificate), which the pupil edits there and the school through
        `services.destination_record`; a destination keeps no copy (migration 0003 moved the old ones there).
        Querysets that read it for many rows select `pupil__seeker`."""
        profile = getattr(
            self.pupil, "seeker", None
        )  # no profile yet: RelatedObjectDoesNotExist (AttributeError)
        return profile.certificate if profile is not None else ""

    def get_certificate_display(self) -> str:
        return str(dict(Certificate.choices).get(self.certificate, ""))

    @property
    def is_secured(self) -> bool:
        """A next step is secured when an actual destination other than "unknown" is recorded; a training
        destination linked to a contract counts only while that contract is signed (active) or completed."""
        if not self.actual_kind or self.actual_kind == DestinationKind.UNKNOWN:
            return False
        if self.actual_kind == DestinationKind.TRAINING and self.contract is not None:
            return self.contract.status in (TrainingContract.Status.ACTIVE, TrainingContract.Status.COMPLETED)
        return True


def consent_form_path(instance: Consent, filename: str) -> str:
    # The stored name is random: the uploaded file's name is kept in `evidence_name` only.
    return f"consents/{instance.agency_id}/{uuid.uuid4().hex}"


class Consent(models.Model):
    """Einwilligung of a young person to share their data between school and the career guidance agency
    (Jugendberufsagentur) for follow-up (DSGVO Art. 6 Abs. 1 lit. a, Art. 7). For a minor the legal
    representative consents as well (the issue's rule; DSGVO Art. 8 sets 16 only for information-society
    services, so we ask for both up to 18). Withdrawal (Art. 7 Abs. 3) ends it for the future.

    DSGVO Art. 7 Abs. 1: the controller must be able to demonstrate the consent, so every consent carries its
    evidence (`method`):
    - `REQUEST`: a counsellor or teacher asked for it; the young person confirmed through their own account
      (`person_confirmed_at`) and, for a minor, a legal representative through theirs (`guardian_confirmed_by`,
      core `Guardianship`). Until all required confirmations are in, it is a pending request ("angefragt").
    - `PAPER`: the signed form was uploaded (`evidence`, kept under PRIVATE_MEDIA_ROOT, outside the web root);
      a counsellor had to type the name as written on the form and it matched the leaver's name.
    - `LEGACY`: recorded before evidence was required (only a checkbox said the form was on file). Such a
      consent is flagged and NOT valid: it names nobody and opens no case until the school uploads the form
      or the young person confirms a new request.
    Who recorded or requested it and when: `recorded_by`, `recorded_at`; each step is in the AuditLog too.
    """

    class Method(models.TextChoices):
        REQUEST = "request", _("Request, confirmed in the own accounts")
        PAPER = "paper", _("Signed form uploaded")
        LEGACY = "legacy", _("Recorded before evidence was required (not proven)")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("young person"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    agency = models.ForeignKey(
        Organisation,
        verbose_name=_("career guidance agency"),
        on_delete=models.CASCADE,
        related_name="consents",
        limit_choices_to={"kind": Organisation.Kind.GUIDANCE_AGENCY},
    )
    method = models.CharField(_("evidence"), max_length=10, choices=Method.choices)
    person_consented_on = models.DateField(_("young person consented on"), null=True, blank=True)
    person_confirmed_at = models.DateTimeField(
        _("young person confirmed in their account"), null=True, blank=True
    )
    guardian_name = models.CharField(_("legal representative"), max_length=120, blank=True)
    guardian_consented_on = models.DateField(_("legal representative consented on"), null=True, blank=True)
    guardian_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by the legal representative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    guardian_confirmed_at = models.DateTimeField(
        _("legal representative confirmed in their account"), null=True, blank=True
    )
    evidence = models.FileField(
        _("signed form"), storage=private_storage, upload_to=consent_form_path, max_length=200, blank=True
    )
    evidence_name = models.CharField(_("file name"), max_length=200, blank=True)
    evidence_type = models.CharField(_("type"), max_length=20, blank=True)
    evidence_sha256 = models.CharField(_("checksum"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.person} → {self.agency}"

    def needs_guardian_on(self, day: datetime.date) -> bool:
        """A minor, or a person whose date of birth is unknown, needs the legal representative's consent too."""
        minor = self.person.is_minor_on(day)
        return minor is None or minor

    def is_valid_on(self, day: datetime.date) -> bool:
        if self.method == self.Method.LEGACY:
            return False  # no evidence (DSGVO Art. 7 Abs. 1): not treated as proven
        if self.withdrawn_on is not None and self.withdrawn_on <= day:
            return False
        if self.person_consented_on is None or self.person_consented_on > day:
            return False
        if self.needs_guardian_on(day):
            return self.guardian_consented_on is not None and self.guardian_consented_on <= day
        return True

    def is_pending_on(self, day: datetime.date) -> bool:
        """A request ("angefragt") that is neither withdrawn nor declined and still waits for a confirmation."""
        return (
            self.method == self.Method.REQUEST
            and (self.withdrawn_on is None or self.withdrawn_on > day)
            and not self.is_valid_on(day)
        )

    def state_on(self, day: datetime.date) -> str:
        """One word for the dashboard and the consent page alike (`ConsentState`)."""
        if self.is_valid_on(day):
            return ConsentState.VALID
        if self.is_pending_on(day):
            return ConsentState.REQUESTED
        if self.withdrawn_on is not None and self.withdrawn_on <= day:
            return ConsentState.WITHDRAWN
        if self.method == self.Method.LEGACY:
            return ConsentState.UNPROVEN
        return ConsentState.NONE


class ConsentState(models.TextChoices):
    """What the dashboard and the consent page say about a leaver's consent to the viewer's agencies; the
    strongest state of all consents wins (the order below)."""

    VALID = "valid", _("consent valid")
    REQUESTED = "requested", _("consent requested")
    UNPROVEN = "unproven", _("recorded without evidence")
    WITHDRAWN = "withdrawn", _("consent withdrawn")
    NONE = "none", _("no consent")


class Case(models.Model):
    """A young person without a secured next step, followed up by a counsellor (Jugendberufsagentur)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("young person"),
        on_delete=models.CASCADE,
        related_name="cases",
    )
    agency = models.ForeignKey(
        Organisation,
        verbose_name=_("career guidance agency"),
        on_delete=models.PROTECT,
        related_name="cases",
        limit_choices_to={"kind": Organisation.Kind.GUIDANCE_AGENCY},
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("counsellor"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closing_kind = models.CharField(
        _("destination at closure"), max_length=20, choices=DestinationKind.choices, blank=True
    )
    closing_note = models.CharField(_("closing note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["status", "-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "agency"],
                condition=models.Q(status="open"),
                name="case_one_open_per_agency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_status_display()})"


class CaseContact(models.Model):
    """One entry of the contact log."""

    class Channel(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        LETTER = "letter", _("Letter")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="contacts")
    day = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    note = models.TextField(_("note"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-day", "-pk"]

    def __str__(self) -> str:
        return f"{self.day} {self.get_channel_display()}"


class CaseStep(models.Model):
    """A step agreed with the young person, with a due date; overdue steps are reminded."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(_("agreed step"), max_length=300)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreed step")
        verbose_name_plural = _("agreed steps")
        ordering = ["done_on", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.text} ({self.due_on})"


class Referral(models.Model):
    """Where the counsellor referred the young person (Vermittlung / Zuweisung)."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("Training offer")
        INTERNSHIP = "internship", _("Internship")
        # SGB III § 54a
        EQ = "eq", _("Einstiegsqualifizierung (EQ, SGB III § 54a)")
        # SGB III §§ 74–75
        ASA_FLEX = "asa_flex", _("Assisted training (AsA flex, SGB III § 74)")
        # SGB III § 76, the Ausbildungsgarantie (since 2024) builds on it
        EXTERNAL_TRAINING = (
            "external_training",
            _("Training outside a company (außerbetriebliche Ausbildung, Ausbildungsgarantie, SGB III § 76)"),
        )
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(_("referred to"), max_length=20, choices=Kind.choices)
    offer = models.ForeignKey(
        "offers.Offer",
        verbose_name=_("training offer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("details"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.get_kind_display()
