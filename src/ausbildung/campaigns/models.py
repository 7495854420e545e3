"""The events of the "Sommer der Berufsausbildung" (issue #22): training fairs, speed dating, open days,
last-minute placement actions, information evenings, internship days; each with one or more dates.

An event is published by an organisation (chamber, guidance agency, school, company, Land partner) through one
of its members. A published event is changed only by its organiser; a cancelled one stays, marked, so that a
calendar someone subscribed to shows the cancellation instead of losing the date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ausbildung.core.models import Occupation, Organisation
from ausbildung.core.models.organisations import latitude_validators, longitude_validators, postcode_validator

SUMMER = "Sommer der Berufsausbildung"


class Event(models.Model):
    class Kind(models.TextChoices):
        FAIR = "fair", _("Training fair")
        SPEED_DATING = "speed_dating", _("Apprenticeship speed dating")
        OPEN_DAY = "open_day", _("Open day")
        LAST_MINUTE = "last_minute", _("Last-minute placement (Nachvermittlung)")
        INFO_EVENING = "info_evening", _("Information evening")
        INTERNSHIP_DAY = "internship_day", _("Internship day")

    class Audience(models.TextChoices):
        PUPILS_ESA = "pupils_esa", _("Pupils heading for the first school certificate (ESA)")
        PUPILS_MSA = "pupils_msa", _("Pupils heading for the intermediate certificate (MSA)")
        PUPILS_ABITUR = "pupils_abitur", _("Pupils heading for the Abitur or Fachabitur")
        PARENTS = "parents", _("Parents")
        TEACHERS = "teachers", _("Teachers")
        COMPANIES = "companies", _("Companies")

    organiser = models.ForeignKey(
        Organisation, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    theme = models.CharField(_("campaign"), max_length=120, default=SUMMER)
    online = models.BooleanField(_("online"), default=False)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True, validators=[postcode_validator])
    city = models.CharField(_("city"), max_length=120, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True, validators=latitude_validators)
    longitude = models.FloatField(_("longitude"), null=True, blank=True, validators=longitude_validators)
    audiences = models.JSONField(_("target groups"), default=list)
    occupations = models.ManyToManyField(
        Occupation, verbose_name=_("occupations"), blank=True, related_name="campaign_events"
    )
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True, help_text=_("empty: no limit"))
    registration_closes = models.DateTimeField(_("registration until"), null=True, blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["pk"]
        indexes = [models.Index(fields=["published_at", "cancelled_at"])]

    def __str__(self) -> str:
        return self.title


class EventDate(models.Model):
    """One date of an event (a series has several)."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="dates")
    starts_at = models.DateTimeField(_("begins"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("event date")
        verbose_name_plural = _("event dates")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_date_ends_after"
            )
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"{self.event_id} {self.starts_at:%Y-%m-%d %H:%M}"


class Registration(models.Model):
    """A person's place at an event (signed in; registration without an account comes later).

    States: CONFIRMED holds a place; WAITING waits in order of `created_at`; OFFERED holds a freed place until
    `offered_until` (then it passes to the next waiting person); CANCELLED by the person, or EXPIRED when an
    offer ran out. Rows are never deleted; `checked_in_at` records the door."""

    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITING = "waiting", _("on the waiting list")
        OFFERED = "offered", _("place offered")
        CANCELLED = "cancelled", _("cancelled")
        EXPIRED = "expired", _("offer expired")

    HOLDING = (State.CONFIRMED, State.OFFERED)
    ACTIVE = (State.CONFIRMED, State.OFFERED, State.WAITING)

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    code = models.CharField(_("check-in code"), max_length=12, unique=True)
    offered_until = models.DateTimeField(_("offer valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=models.Q(state__in=["confirmed", "waiting", "offered"]),
                name="campaigns_one_active_registration",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.person_id}: {self.state}"
