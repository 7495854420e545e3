from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation


class Role(models.TextChoices):
    """What a person does for an organisation. A person can hold several roles (one Membership each)."""

    PUPIL = "pupil", _("Pupil / applicant")
    APPRENTICE = "apprentice", _("Apprentice")
    GUARDIAN = "guardian", _("Legal guardian")
    TRAINER = "trainer", _("Trainer")
    COMPANY_ADMIN = "company_admin", _("Company administrator")
    TEACHER = "teacher", _("Teacher")
    VOCATIONAL_SCHOOL_TEACHER = "vocational_school_teacher", _("Vocational school teacher")
    COUNSELLOR = "counsellor", _("Career counsellor")
    CHAMBER_OFFICER = "chamber_officer", _("Chamber officer")
    MONITOR = "monitor", _("Monitoring (Alliance / Land)")
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")


# Which kind of organisation each role acts for. A guardian acts for a person, not an organisation
# (see Guardianship); the platform administrator acts for the operating organisation of any kind.
ROLE_ORGANISATION_KINDS: dict[str, set[str]] = {
    Role.PUPIL: {Organisation.Kind.SCHOOL},
    Role.APPRENTICE: {Organisation.Kind.COMPANY},
    Role.GUARDIAN: set(),
    Role.TRAINER: {Organisation.Kind.COMPANY},
    Role.COMPANY_ADMIN: {Organisation.Kind.COMPANY},
    Role.TEACHER: {Organisation.Kind.SCHOOL},
    Role.VOCATIONAL_SCHOOL_TEACHER: {Organisation.Kind.VOCATIONAL_SCHOOL},
    Role.COUNSELLOR: {Organisation.Kind.GUIDANCE_AGENCY},
    Role.CHAMBER_OFFICER: {Organisation.Kind.CHAMBER},
    Role.MONITOR: {Organisation.Kind.PARTNER},
    Role.PLATFORM_ADMIN: set(Organisation.Kind.values),
}


class User(AbstractUser):
    """A person using the platform. Personal data of pupils and apprentices is often that of minors (DSGVO Art. 8)."""

    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    # The person asked for erasure (DSGVO Art. 17): what could go went then; the account is anonymised by the
    # daily job (`ausbildung privacy erase-expired`) once nothing must be kept any more (core.privacy.erasure).
    erasure_requested_at = models.DateTimeField(_("erasure requested"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def age_on(self, day: datetime.date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def is_minor_on(self, day: datetime.date) -> bool | None:
        """Under 18 on `day`: the JArbSchG applies (§ 2 Abs. 2) and guardians act for the person (BGB § 1629)."""
        age = self.age_on(day)
        return None if age is None else age < 18


class Membership(models.Model):
    """A person acting in a role for an organisation."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


def of_age_if_born_by(day: datetime.date) -> datetime.date:
    """The latest date of birth of a person who is of age on `day` (BGB § 2: at 18).

    Born on or before it: of age; born after it: a minor. Same rule as `User.age_on` (the birthday counts,
    BGB § 187 Abs. 2 Satz 2); someone born on 29 February comes of age on 1 March in a common year.
    """
    try:
        return day.replace(year=day.year - 18)
    except ValueError:  # 29 February of a leap year, 18 years back a common year
        return day.replace(year=day.year - 18, day=28)


class GuardianshipQuerySet(models.QuerySet["Guardianship"]):
    def current(self, day: datetime.date | None = None) -> GuardianshipQuerySet:
        """Guardianships in force on `day` (default: today): the ward is a minor then.

        Parental custody and with it the legal representation (BGB § 1626, § 1629) end when the ward comes of
        age (BGB § 2); from then on the former guardian sees nothing through it and the young adult decides.
        A ward without a date of birth cannot be shown to be a minor, so the guardianship does not count
        (fails closed): whoever records a guardianship records the ward's date of birth.
        """
        return self.filter(ward__date_of_birth__gt=of_age_if_born_by(day or timezone.localdate()))


class Guardianship(models.Model):
    """A legal representative (gesetzlicher Vertreter) of a minor pupil or apprentice.

    The row stays when the ward comes of age (evidence of who acted when); only `current()` ones count.
    """

    guardian = models.ForeignKey(
        User, verbose_name=_("guardian"), on_delete=models.CASCADE, related_name="wards"
    )
    ward = models.ForeignKey(User, verbose_name=_("ward"), on_delete=models.CASCADE, related_name="guardians")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = GuardianshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.UniqueConstraint(fields=["guardian", "ward"], name="guardianship_unique"),
            models.CheckConstraint(
                condition=~models.Q(guardian=models.F("ward")), name="guardianship_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.ward}"
