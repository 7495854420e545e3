from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

postcode_validator = RegexValidator(r"^\d{5}$", _("A German postcode has five digits."))
latitude_validators = [MinValueValidator(-90), MaxValueValidator(90)]
longitude_validators = [MinValueValidator(-180), MaxValueValidator(180)]


class Address(models.Model):
    """Postal address and a geo point (WGS 84). No PostGIS: distances are computed in Python or SQL."""

    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True, validators=[postcode_validator])
    city = models.CharField(_("city"), max_length=120, blank=True)
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True, validators=latitude_validators)
    longitude = models.FloatField(_("longitude"), null=True, blank=True, validators=longitude_validators)

    class Meta:
        abstract = True

    @property
    def address_line(self) -> str:
        place = " ".join(part for part in (self.postcode, self.city) if part)
        return ", ".join(part for part in (self.street, place) if part)


class Organisation(Address):
    """A company (Betrieb), school, vocational school, chamber, guidance agency or partner institution."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company (training company)")
        SCHOOL = "school", _("General school")
        VOCATIONAL_SCHOOL = "vocational_school", _("Vocational school (Berufsschule)")
        CHAMBER = "chamber", _("Chamber (competent body)")
        GUIDANCE_AGENCY = "guidance_agency", _("Career guidance (Agentur für Arbeit)")
        PARTNER = "partner", _("Partner (Alliance, Land)")

    class ChamberKind(models.TextChoices):
        # The competent bodies (zuständige Stellen) of BBiG §§ 71–75.
        IHK = "ihk", _("Chamber of industry and commerce (IHK)")
        HWK = "hwk", _("Chamber of crafts (HWK)")
        LWK = "lwk", _("Chamber of agriculture")
        FREE_PROFESSIONS = "free_professions", _("Chamber of a liberal profession")
        PUBLIC_SERVICE = "public_service", _("Public service body")
        OTHER = "other", _("Other competent body")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    chamber_kind = models.CharField(_("chamber kind"), max_length=20, choices=ChamberKind.choices, blank=True)
    # For a chamber: the Kreise of its district; for a guidance agency or partner: the area it serves.
    district = models.ManyToManyField(
        "core.Region", verbose_name=_("district"), blank=True, related_name="responsible_organisations"
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Verification(models.TextChoices):
        CHAMBER = "chamber", _("checked by the competent chamber")
        DOCUMENTED = "documented", _("documented check by the platform")
        EXISTING = "existing", _("on the platform before companies were verified")

    # A company registered by a person itself (core.accounts) is unverified until a chamber officer of its
    # competent chamber or a platform administrator checks it; until then it cannot publish training places
    # (offers.services). Companies created by the platform (admin, demo, imports) are set verified there.
    competent_chamber = models.ForeignKey(
        "self",
        verbose_name=_("competent chamber"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_companies",
        limit_choices_to={"kind": "chamber"},
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        "core.User",
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verification = models.CharField(
        _("verified how"), max_length=20, choices=Verification.choices, blank=True
    )
    verification_note = models.CharField(_("note of the check"), max_length=500, blank=True)
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="chamber") | models.Q(chamber_kind=""),
                name="organisation_chamber_kind_only_for_chambers",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class TrainingSite(Address):
    """A training site (Ausbildungsstätte) of a company; its suitability is checked by the chamber (BBiG § 27)."""

    company = models.ForeignKey(
        Organisation,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="training_sites",
        limit_choices_to={"kind": Organisation.Kind.COMPANY},
    )
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("training site")
        verbose_name_plural = _("training sites")
        ordering = ["company__name", "name"]

    def __str__(self) -> str:
        return f"{self.company.name} – {self.name}"
