"""Ausbildungsnachweis: periods (a day or a week), their days, signatures in a hash chain, and the rules.

Legal frame (see docs/domain.md): the apprentice keeps the record (BBiG § 13 Satz 2 Nr. 7), the employer
reviews it regularly and lets it be written in working time (§ 14 Abs. 2), and admission to the final exam
requires it signed off by trainer and apprentice (§ 43 Abs. 1 Nr. 2; HwO § 36 Abs. 1 Nr. 2).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ausbildung.core.models import FrameworkItem, Organisation, TrainingContract


class ChamberRules(models.Model):
    """A chamber's rules for the Ausbildungsnachweis. Chambers differ; without a profile the defaults apply
    (`records.rules.DEFAULT_RULES`, following the BIBB Hauptausschuss recommendation)."""

    chamber = models.OneToOneField(
        Organisation,
        verbose_name=_("chamber"),
        on_delete=models.CASCADE,
        related_name="record_rules",
        limit_choices_to={"kind": Organisation.Kind.CHAMBER},
    )
    review_interval_days = models.PositiveSmallIntegerField(
        _("review at least every … days"), default=31, help_text=_("BBiG § 14 Abs. 2: reviewed regularly.")
    )
    allow_daily = models.BooleanField(_("daily records allowed"), default=True)
    allow_weekly = models.BooleanField(_("weekly records allowed"), default=True)
    hours_required = models.BooleanField(_("hours required"), default=True)
    guardian_signoff = models.BooleanField(
        _("legal guardians of minors acknowledge the record"), default=True
    )
    guardian_interval_days = models.PositiveSmallIntegerField(
        _("guardian acknowledges every … days"), default=92
    )
    # How long the platform keeps a record book after its contract ended (records.privacy): years after the
    # end of the year the contract ended. The default, 3, is the platform's justified default, not a statutory
    # period: the regular limitation period (BGB § 195, from the end of the year, § 199 Abs. 1) of claims from
    # the training relationship, such as the certificate (BBiG § 16). A chamber that needs longer sets it here.
    record_retention_years = models.PositiveSmallIntegerField(
        _("keep record books for … years after the contract ended"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_(
            "Counted from the end of the year in which the contract ended (platform default 3: BGB § 195, § 199)."
        ),
    )

    class Meta:
        verbose_name = _("record rules of a chamber")
        verbose_name_plural = _("record rules of chambers")

    def __str__(self) -> str:
        return str(self.chamber)


class RecordPeriod(models.Model):
    """One sheet of the Ausbildungsnachweis: a week or a day, with the three sections the HA recommends."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        SIGNED = "signed", _("Signed")

    contract = models.ForeignKey(
        TrainingContract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="record_periods"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    form = models.CharField(_("form"), max_length=10, choices=TrainingContract.RecordForm.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    on_paper = models.BooleanField(
        _("kept on paper"),
        default=False,
        help_text=_("This period was kept on paper before joining the platform."),
    )
    company_work = models.TextField(_("company work (betriebliche Tätigkeiten)"), blank=True)
    instruction = models.TextField(
        _("instruction, in-company teaching, other training (Unterweisungen, betrieblicher Unterricht)"),
        blank=True,
    )
    school = models.TextField(_("vocational school topics (Berufsschule)"), blank=True)
    # The week is a block week of the vocational school (Blockunterricht; BBiG § 15 Abs. 2 Nr. 2).
    block_week = models.BooleanField(_("block week at vocational school"), default=False)
    items = models.ManyToManyField(
        FrameworkItem, verbose_name=_("framework plan items"), blank=True, related_name="record_periods"
    )
    return_comment = models.TextField(_("trainer's comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    # Incremented on every saved change; autosave sends it back to detect edits from another tab.
    version = models.PositiveIntegerField(_("version"), default=0)
    # The editing session (one opened week page: a random token the page sends with each write) that wrote the
    # current version, the version its run of writes began at, and the number of its latest write: a save of
    # that page is not in conflict with the page's own autosave (records.services.record_period_save).
    edit_session = models.CharField(_("editing session"), max_length=64, blank=True)
    edit_session_base = models.PositiveIntegerField(_("version the editing session began at"), default=0)
    edit_session_seq = models.PositiveIntegerField(_("latest write of the editing session"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("record period")
        verbose_name_plural = _("record periods")
        ordering = ["contract", "start"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "start"], name="record_period_unique_start"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="record_period_end_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["contract", "state"]),
            models.Index(fields=["state", "submitted_at"]),
            # the recent weeks of every book, for the nightly scoring of dropout prevention (retention)
            models.Index(fields=["start"], name="record_period_start"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.apprentice} {self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"

    @property
    def is_locked(self) -> bool:
        """Submitted and signed periods cannot be edited by the apprentice."""
        return self.state in {self.State.SUBMITTED, self.State.SIGNED}


class RecordDay(models.Model):
    """Where the apprentice was on a day of the period, and for how long."""

    class Place(models.TextChoices):
        COMPANY = "company", _("Company")
        SCHOOL = "school", _("Vocational school")
        EXTERNAL = "external", _("External training")
        # A chamber exam (BBiG § 15 Abs. 1 Nr. 4; JArbSchG § 10 Abs. 1 Nr. 1): credited as working time.
        EXAM = "exam", _("Exam")
        LEAVE = "leave", _("Leave")
        SICK = "sick", _("Sick")
        HOLIDAY = "holiday", _("Public holiday")
        FREE = "free", _("Day off")

    period = models.ForeignKey(
        RecordPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place / status"), max_length=10, choices=Place.choices, default=Place.COMPANY)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Vocational school day: lessons of at least 45 minutes (BBiG § 15 Abs. 2 Nr. 1; JArbSchG § 9 Abs. 1 Nr. 2).
    lessons = models.PositiveSmallIntegerField(_("lessons (45 minutes or more)"), null=True, blank=True)

    class Meta:
        verbose_name = _("record day")
        verbose_name_plural = _("record days")
        ordering = ["period", "date"]
        constraints = [models.UniqueConstraint(fields=["period", "date"], name="record_day_unique_date")]
        # recent sick days of every book (retention's nightly scoring) without reading the other days
        indexes = [
            models.Index(fields=["date"], condition=models.Q(place="sick"), name="record_day_sick_date")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.get_place_display()}"


WORKING_PLACES = {
    RecordDay.Place.COMPANY,
    RecordDay.Place.SCHOOL,
    RecordDay.Place.EXTERNAL,
    RecordDay.Place.EXAM,
}


class RecordSignature(models.Model):
    """An append-only chain of a contract's sign-offs, each link keyed with a server key.

    chain_hash = HMAC-SHA256(signing key `key_id`; previous chain_hash, sequence, period, content_hash, signer,
    time), and `content` keeps the signed version itself (the canonical JSON that content_hash covers), so a
    reopened period never loses what was signed. Links made before keyed signatures have key_id "" and a plain
    SHA-256 chain_hash ("legacy": kept as they are, reported as such). Why a server key and how the chain's
    head is anchored outside the database: `records.integrity`. `ausbildung records verify` checks it all.
    """

    contract = models.ForeignKey(
        TrainingContract,
        verbose_name=_("contract"),
        on_delete=models.CASCADE,
        related_name="record_signatures",
    )
    period = models.ForeignKey(
        RecordPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="signatures"
    )
    sequence = models.PositiveIntegerField(_("sequence"))
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+"
    )
    signer_kind = models.CharField(_("signed as"), max_length=12)
    signed_at = models.DateTimeField(_("signed"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    content = models.JSONField(_("signed version"), null=True, blank=True)
    previous_hash = models.CharField(_("previous link"), max_length=64, blank=True)
    chain_hash = models.CharField(_("link"), max_length=64)
    key_id = models.CharField(_("key"), max_length=32, blank=True)
    # The first 20 hex digits of chain_hash (80 bits): the verification code an export prints for its head.
    code = models.CharField(_("verification code"), max_length=20, blank=True, db_index=True)
    # The working-time findings the signer confirmed having seen (rule, paragraph, day, figures), recorded
    # beside the chain: the HMAC link covers the content, not this list (records.integrity unchanged).
    confirmed_findings = models.JSONField(_("confirmed working-time findings"), default=list, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["contract", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "sequence"], name="record_signature_sequence")
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.period}"

    @property
    def is_legacy(self) -> bool:
        """Made before keyed signatures: its link is a plain SHA-256 that anyone can recompute."""
        return not self.key_id


class RecordEvent(models.Model):
    """The history of a period: submitted, returned with comment, signed, reopened, acknowledged."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned")
        SIGNED = "signed", _("signed")
        REOPENED = "reopened", _("reopened")
        ACKNOWLEDGED = "acknowledged", _("acknowledged by guardian")

    period = models.ForeignKey(
        RecordPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("record event")
        verbose_name_plural = _("record events")
        ordering = ["period", "created_at", "id"]
        # recent returns of every book (retention's nightly scoring)
        indexes = [
            models.Index(
                fields=["created_at"], condition=models.Q(action="returned"), name="record_event_returned_at"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.created_at:%d.%m.%Y %H:%M}"


class GuardianAcknowledgement(models.Model):
    """A legal guardian has seen the record of a minor up to a date (HA recommendation)."""

    contract = models.ForeignKey(
        TrainingContract,
        verbose_name=_("contract"),
        on_delete=models.CASCADE,
        related_name="guardian_acknowledgements",
    )
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("guardian"), on_delete=models.CASCADE, related_name="+"
    )
    up_to = models.DateField(_("seen up to"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("acknowledgement by guardian")
        verbose_name_plural = _("acknowledgements by guardians")
        ordering = ["contract", "-up_to"]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.up_to:%d.%m.%Y}"


class ExaminerShare(models.Model):
    """A time-limited, read-only link to a record book for an examiner (issued by the chamber).

    Only the SHA-256 of the link's secret is stored: a copy of the database opens no record book. The secret
    travels in the link's fragment (`/nachweis/einsicht/#<secret>`), which browsers never send, and is then
    posted once, so it appears in no request line or access log."""

    contract = models.ForeignKey(
        TrainingContract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="examiner_shares"
    )
    token_hash = models.CharField(_("token hash (SHA-256)"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    revoked = models.BooleanField(_("revoked"), default=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    access_count = models.PositiveIntegerField(_("accesses"), default=0)
    last_access_at = models.DateTimeField(_("last access"), null=True, blank=True)

    class Meta:
        verbose_name = _("examiner link")
        verbose_name_plural = _("examiner links")

    def __str__(self) -> str:
        return f"{self.contract} ({self.expires_at:%d.%m.%Y})"


class WorkingTimeFinding(models.Model):
    """A working-time finding of a recorded week (`records.worktime.Finding`), kept as a fact.

    The record book records what happened: hours above a legal limit (JArbSchG § 8, ArbZG § 3, …) are saved
    as written and flagged here, for the apprentice, the trainers, the company and the chamber. Recomputed
    whenever a period of the calendar week is saved (`records.services.working_time_recompute`); a finding
    that a correction removes is deleted (the audit log keeps what was found, `record.working_time`).

    A finding about a day belongs to the period of that day; one about the whole week to the period holding
    the week's last recorded day (with daily records the week spans several periods)."""

    contract = models.ForeignKey(
        TrainingContract,
        verbose_name=_("contract"),
        on_delete=models.CASCADE,
        related_name="working_time_findings",
    )
    period = models.ForeignKey(
        RecordPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="working_time_findings"
    )
    week_start = models.DateField(_("week from"))  # the Monday of the calendar week (JArbSchG § 4 Abs. 4)
    rule = models.CharField(_("rule"), max_length=40)  # records.worktime.Finding.rule
    paragraph = models.CharField(_("paragraph"), max_length=80)
    day = models.DateField(_("day"), null=True, blank=True)  # empty: the whole week
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, null=True, blank=True)
    limit = models.DecimalField(_("legal limit"), max_digits=6, decimal_places=2, null=True, blank=True)
    certain = models.BooleanField(_("certain"), default=True)
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("working-time finding")
        verbose_name_plural = _("working-time findings")
        ordering = ["contract", "week_start", "day", "rule"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "rule", "day"],
                condition=models.Q(day__isnull=False),
                name="working_time_finding_unique_day",
            ),
            models.UniqueConstraint(
                fields=["period", "rule"],
                condition=models.Q(day__isnull=True),
                name="working_time_finding_unique_week",
            ),
        ]
        indexes = [
            models.Index(fields=["contract", "week_start"]),
            models.Index(fields=["week_start"], name="working_time_finding_week"),
        ]

    def __str__(self) -> str:
        return f"{self.paragraph} {self.day or self.week_start:%d.%m.%Y}"


class RecordPdfPart(models.Model):
    """A laid-out piece of a record book's PDF: one chunk of the contract's calendar (`chunk`, fixed periods of
    the contract, records.exporters.pdf.CHUNK_SHEETS) whose written periods are all signed.

    Laid out when its last period is signed (in the background) or at the first download, and joined into
    every later download. `key` is the SHA-256 of the chunk's HTML and the layout engine's version: signed
    periods cannot change (content hash), and anything else that would change the pages (a reopened period, a
    newly written week of the chunk, a renamed apprentice, a new template) gives another key, so a stored
    piece is never shown for content it was not laid out from. One piece per chunk and language is kept (the
    newest); deleted with the contract. It holds nothing that is not in the record itself."""

    contract = models.ForeignKey(TrainingContract, on_delete=models.CASCADE, related_name="+")
    chunk = models.PositiveIntegerField(_("chunk"))
    language = models.CharField(_("language"), max_length=10)  # the labels of the pages
    key = models.CharField(_("key"), max_length=64, unique=True)
    pdf = models.BinaryField(_("PDF"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("laid-out part of a record book")
        verbose_name_plural = _("laid-out parts of record books")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "chunk", "language"], name="record_pdf_part_unique_chunk"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract_id}/{self.chunk}"
