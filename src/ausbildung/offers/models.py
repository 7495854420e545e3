"""Training places (Ausbildungsplatzangebote), applications and the seeker's profile.

An `Offer` belongs to a training site of a company and names an occupation of the catalogue. Young people
apply (`Application`, a small state machine in `services`); every step is an `ApplicationEvent` and sends
the applicant a German message. Accepting an offer creates the `TrainingContract` draft (core).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ausbildung.core.models import Occupation, Organisation, Specialisation, TrainingContract, TrainingSite
from ausbildung.core.schools import CERTIFICATE_LEVEL as CERTIFICATE_LEVEL
from ausbildung.core.schools import Certificate as Certificate

# Application documents are private uploads; the migrations name the storage by this path.
from ausbildung.core.storage import private_storage as private_storage


class Offer(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    class Source(models.TextChoices):
        PLATFORM = "platform", _("Entered on this platform")
        BA = "ba", _("Bundesagentur für Arbeit (Jobsuche)")

    company = models.ForeignKey(
        Organisation,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="offers",
        limit_choices_to={"kind": Organisation.Kind.COMPANY},
    )
    site = models.ForeignKey(
        TrainingSite, verbose_name=_("training site"), on_delete=models.PROTECT, related_name="offers"
    )
    occupation = models.ForeignKey(
        Occupation, verbose_name=_("occupation"), on_delete=models.PROTECT, related_name="offers"
    )
    specialisation = models.ForeignKey(
        Specialisation, verbose_name=_("specialisation"), null=True, blank=True, on_delete=models.PROTECT
    )
    # The chamber competent for the contract (BBiG § 71 / HwO § 91), found from site and occupation.
    chamber = models.ForeignKey(
        Organisation,
        verbose_name=_("chamber"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chamber_offers",
        limit_choices_to={"kind": Organisation.Kind.CHAMBER},
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    start_date = models.DateField(_("start of training"))
    places = models.PositiveSmallIntegerField(
        _("number of places"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    # Places filled through accepted applications on the platform (kept by services.application_transition).
    places_taken = models.PositiveSmallIntegerField(_("places taken"), default=0)
    certificate = models.CharField(
        _("expected school-leaving certificate"),
        max_length=4,
        choices=Certificate.choices,
        blank=True,
        help_text=_("Leave empty if every certificate is welcome."),
    )
    description = models.TextField(_("what we offer"), blank=True)
    requirements = models.TextField(_("what you should bring"), blank=True)
    # Required for offers entered here (the form and services check BBiG § 17); imported offers may lack them.
    pay_year1 = models.DecimalField(
        _("pay in the 1st year (EUR per month)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    pay_year2 = models.DecimalField(
        _("pay in the 2nd year"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    pay_year3 = models.DecimalField(
        _("pay in the 3rd year"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    pay_year4 = models.DecimalField(
        _("pay in the 4th year"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    collective_agreement = models.BooleanField(
        _("pay follows a collective agreement that binds us"),
        default=False,
        help_text=_(
            "BBiG § 17 Abs. 3: a binding collective agreement may set pay below the statutory minimum."
        ),
    )
    # The agreed training time per week; a part-time place (Teilzeitberufsausbildung, BBiG § 7a) also states
    # the full-time hours it is cut from. The pay above is for the agreed hours (§ 17 Abs. 5 for part-time).
    # Both go into the contract draft (`core.models.TrainingContract`, same field names).
    weekly_hours = models.DecimalField(
        _("training time per week (hours)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    full_time_weekly_hours = models.DecimalField(
        _("full-time training time per week (hours)"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Only for a part-time place (BBiG § 7a)."),
    )
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    deadline = models.DateField(_("application deadline"), null=True, blank=True)
    internship_possible = models.BooleanField(_("internship possible"), default=False)
    trial_day_possible = models.BooleanField(_("trial day (Probetag) possible"), default=False)
    # Copied from the training site so that the search needs no join (place-centroid precision).
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # Normalised words for the search fallback (SQLite); PostgreSQL uses `german` full-text search on the
    # same text (see search.offer_search).
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.PLATFORM)
    external_ref = models.CharField(_("reference at the source"), max_length=100, blank=True)
    external_url = models.URLField(_("original offer"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("training place offer")
        verbose_name_plural = _("training place offers")
        ordering = ["start_date", "id"]
        indexes = [
            models.Index(fields=["status", "start_date"]),
            models.Index(fields=["status", "latitude", "longitude"]),
            models.Index(fields=["status", "occupation"]),
            models.Index(fields=["company", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="offer_unique_external_ref",
            ),
            models.CheckConstraint(condition=models.Q(places__gte=1), name="offer_places_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.display_title} – {self.company.name}"

    @property
    def display_title(self) -> str:
        return self.title or self.occupation.name

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def accepts_applications(self) -> bool:
        """Applications on the platform: published offers entered here (imported ones link to their source)."""
        return self.is_public and self.source == self.Source.PLATFORM

    @property
    def free_places(self) -> int:
        return max(0, self.places - self.places_taken)

    @property
    def part_time_reduction(self) -> Decimal | None:
        """The cut of the training time in percent for a part-time place (BBiG § 7a Abs. 1), else None."""
        if self.weekly_hours is None or not self.full_time_weekly_hours:
            return None
        return (self.full_time_weekly_hours - self.weekly_hours) * 100 / self.full_time_weekly_hours

    @property
    def training_months(self) -> int | None:
        """How long the training lasts: the regulation's duration (BBiG § 5 Abs. 1 Nr. 2), for a part-time place
        extended by § 7a Abs. 2; None when the regulation's duration is not known."""
        from ausbildung.core.services import part_time_months

        regular = self.occupation.duration_months
        reduction = self.part_time_reduction
        if not regular or reduction is None or not 0 < reduction <= 50:
            return regular or None
        return part_time_months(regular, reduction)

    @cached_property
    def pay(self) -> list[tuple[int, object]]:
        years = [self.pay_year1, self.pay_year2, self.pay_year3, self.pay_year4]
        return [(number, amount) for number, amount in enumerate(years, start=1) if amount is not None]


class OfferSearch(models.Model):
    """PostgreSQL only: the narrow search row of a published offer, where the search page finds the candidates
    of a search with words (`search.offer_search` with a cap). Not managed by Django: migration 0009 creates the table and the triggers on `offers_offer`
    that keep it (insert, update, delete, truncate), so every write, `QuerySet.update` and COPY included,
    reaches it. One row per published offer with the columns the search filters and sorts on, its distinct
    words (`words`, for the substring match) and the `german` lexemes without positions (`lexemes`, not a
    model field), both NULL when together longer than 4,000 bytes (then the search checks the offer's own
    text). A GiST index on the position covers all of it, so a radius search checks words index-only. On
    SQLite the table does not exist; the search reads `Offer` directly there.
    """

    offer = models.OneToOneField(
        Offer,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("offer"),
    )
    deadline = models.DateField(null=True)
    start_date = models.DateField()
    places = models.PositiveSmallIntegerField()
    places_taken = models.PositiveSmallIntegerField()
    occupation_id = models.BigIntegerField()
    certificate = models.CharField(max_length=4)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    words = models.TextField(null=True)  # noqa: DJ001 - NULL (text too long) differs from "" (no words)

    class Meta:
        managed = False
        db_table = "offers_offer_search"

    def __str__(self) -> str:
        return str(self.offer_id)


class ImportedCompany(models.Model):
    """Marks a company the platform created from an imported offer (it did not register itself).

    The importer (`ba_import`) recognises the employer again by source, normalised name and postcode, so a
    re-import finds the same company. Imported offers are attached only to such companies, never to a company
    that registered itself: a public feed must not write into a company's own account. Shown in the admin.
    """

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="import_origin",
        limit_choices_to={"kind": Organisation.Kind.COMPANY},
    )
    source = models.CharField(_("source"), max_length=10, choices=Offer.Source.choices)
    employer_name = models.CharField(_("employer name at the source"), max_length=200)
    name_key = models.CharField(_("name key"), max_length=200, editable=False)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    first_imported_at = models.DateTimeField(_("first imported"), auto_now_add=True)
    last_imported_at = models.DateTimeField(_("last imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("imported company")
        verbose_name_plural = _("imported companies")
        ordering = ["employer_name", "postcode"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "name_key", "postcode"], name="imported_company_unique_employer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer_name} ({self.postcode}, {self.get_source_display()})"


class SeekerProfile(models.Model):
    """What a young person tells the search about themselves, to explain why an offer fits.

    Deliberately small (DSGVO Art. 5 Abs. 1 lit. c, data minimisation): a postcode, not an address.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="seeker"
    )
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    certificate = models.CharField(
        _("school-leaving certificate (achieved or expected)"),
        max_length=4,
        choices=Certificate.choices,
        blank=True,
    )
    interests = models.ManyToManyField(
        Occupation, verbose_name=_("occupations I am interested in"), blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("seeker profile")
        verbose_name_plural = _("seeker profiles")

    def __str__(self) -> str:
        return str(self.user)


class InterviewStatus(models.TextChoices):
    """Where the interview date of an invitation stands ("" : no date named yet)."""

    NONE = "", _("No date yet")
    PROPOSED = "proposed", _("Date proposed by the company")
    COUNTER = "counter", _("Other date proposed by the applicant")
    AGREED = "agreed", _("Date agreed")


class Application(models.Model):
    """An application (Bewerbung) for an offer. The allowed steps are in `services.TRANSITIONS`."""

    InterviewStatus = InterviewStatus

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        INVITED = "invited", _("Invited")
        OFFERED = "offered", _("Place offered")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    message = models.TextField(_("message to the company"), blank=True)
    contract = models.OneToOneField(
        TrainingContract,
        verbose_name=_("contract draft"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The interview of an invited application (state INVITED): the date one side proposed and whose answer it
    # waits for. The steps are in `services.INTERVIEW_STEPS`.
    interview_status = models.CharField(
        _("interview date"), max_length=10, choices=InterviewStatus.choices, blank=True, default=""
    )
    interview_at = models.DateTimeField(_("interview on"), null=True, blank=True)
    interview_place = models.CharField(_("interview place"), max_length=200, blank=True)
    interview_online = models.BooleanField(_("interview online"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "applicant"], name="application_once_per_offer"),
        ]
        indexes = [models.Index(fields=["offer", "state"]), models.Index(fields=["applicant", "state"])]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.offer}"

    @property
    def is_open(self) -> bool:
        return self.state in {self.State.SENT, self.State.INVITED, self.State.OFFERED}


class ApplicationEvent(models.Model):
    """One step of an application, with the message the applicant got."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_state = models.CharField(_("from"), max_length=10, choices=Application.State.choices)
    to_state = models.CharField(_("to"), max_length=10, choices=Application.State.choices)
    message = models.TextField(_("message to the applicant"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class ApplicationNote(models.Model):
    """An internal note of the company on an application; never shown to the applicant."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:50]


def document_path(instance: ApplicationDocument, filename: str) -> str:
    # The stored name is random: the applicant's file name is kept in `original_name` only.
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}"


class ApplicationDocument(models.Model):
    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("checksum"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
