"""Registration for an event, with its capacity and a waiting list (issue #22).

Capacity holds under concurrent requests: every change of an event's places runs in one transaction that first
locks the event's row (`select_for_update`), so two people can never take the last place at once (the test runs
parallel registrations on PostgreSQL; SQLite lets one writer in at a time). When a place frees (a cancellation,
an offer that ran out), the first person on the waiting list gets it offered for OFFER_HOURS hours by mail; if
they do not accept in time, it passes to the next (`expire_offers`, run from the pages and by `ausbildung
campaigns offers` from cron). Nobody loses a place silently: each change is a state with its time."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ausbildung.core.mail import mail_queue, mail_subject
from ausbildung.core.models import User
from ausbildung.core.services import audit_record

from .models import Event, Registration

OFFER_HOURS = 48
S = Registration.State


def _code() -> str:
    return secrets.token_hex(4).upper()  # 8 characters, shown on the confirmation and checked at the door


def _holding(event: Event) -> int:
    return Registration.objects.filter(event=event, state__in=Registration.HOLDING).count()


def _open_for_registration(event: Event, now: dt.datetime) -> None:
    if event.published_at is None or event.cancelled_at is not None:
        raise ValidationError(_("This event takes no registrations."))
    if event.registration_closes is not None and now > event.registration_closes:
        raise ValidationError(_("Registration for this event has closed."))
    if not event.dates.filter(ends_at__gte=now).exists():
        raise ValidationError(_("This event is over."))


def register(*, person: User, event: Event) -> Registration:
    """A place if one is free, else a place on the waiting list."""
    now = timezone.now()
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        _open_for_registration(locked, now)
        if Registration.objects.filter(event=locked, person=person, state__in=Registration.ACTIVE).exists():
            raise ValidationError(_("You are already registered for this event."))
        # an offered place counts as held: the waiting list moves only when a place is really free
        full = locked.capacity is not None and _holding(locked) >= locked.capacity
        state = S.WAITING if full else S.CONFIRMED
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=locked, person=person, state=state, code=_code()
                )
        except IntegrityError:
            raise ValidationError(_("You are already registered for this event.")) from None
        audit_record(actor=person, action=f"campaigns.register.{state}", target=registration)
    return registration


def cancel(*, person: User, registration: Registration) -> Registration:
    if registration.person_id != person.pk:
        raise PermissionDenied
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=registration.event_id)
        registration.refresh_from_db()
        if registration.state not in Registration.ACTIVE:
            return registration
        freed = registration.state in Registration.HOLDING
        registration.state, registration.cancelled_at = S.CANCELLED, timezone.now()
        registration.save(update_fields=["state", "cancelled_at"])
        audit_record(actor=person, action="campaigns.register.cancel", target=registration)
        if freed:
            _offer_next(registration.event)
    return registration


def accept(*, person: User, registration: Registration) -> Registration:
    """The person takes the place offered to them, while the offer lasts."""
    if registration.person_id != person.pk:
        raise PermissionDenied
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration.refresh_from_db()
        if event.cancelled_at is not None:
            raise ValidationError(_("This event takes no registrations."))
        if registration.state != S.OFFERED:
            raise ValidationError(_("No place is offered to you for this event."))
        if registration.offered_until is not None and registration.offered_until < timezone.now():
            raise ValidationError(_("The offer has run out; the place went to the next person."))
        registration.state, registration.offered_until = S.CONFIRMED, None
        registration.save(update_fields=["state", "offered_until"])
        audit_record(actor=person, action="campaigns.register.accept", target=registration)
    return registration


def _offer_next(event: Event) -> Registration | None:
    """Within the caller's transaction (event row locked): offer a free place to the first person waiting; none
    for an event that is cancelled or over."""
    if event.cancelled_at is not None or not event.dates.filter(ends_at__gte=timezone.now()).exists():
        return None
    if event.capacity is not None and _holding(event) >= event.capacity:
        return None
    following = Registration.objects.filter(event=event, state=S.WAITING).order_by("created_at", "pk").first()
    if following is None:
        return None
    following.state = S.OFFERED
    following.offered_until = timezone.now() + dt.timedelta(hours=OFFER_HOURS)
    following.save(update_fields=["state", "offered_until"])
    if following.person.email:
        until = timezone.localtime(following.offered_until)
        mail_queue(
            to=following.person.email,
            subject=mail_subject(_("A place is free: %(title)s") % {"title": event.title}),
            body=_(
                "A place at “%(title)s” has become free and is held for you until %(until)s. Accept it on the "
                "event's page: %(path)s"
            )
            % {
                "title": event.title,
                "until": f"{until:%d.%m.%Y %H:%M}",
                "path": reverse("campaigns:event", args=[event.pk]),
            },
        )
    audit_record(actor=None, action="campaigns.register.offer", target=following)
    return following


def expire_offers(event: Event | None = None, *, now: dt.datetime | None = None) -> int:
    """Offers that ran out pass to the next person waiting; returns how many expired."""
    now = now or timezone.now()
    expired = 0
    events = (
        [event]
        if event is not None
        else list(
            Event.objects.filter(
                registrations__state=S.OFFERED, registrations__offered_until__lt=now
            ).distinct()
        )
    )
    for item in events:
        with transaction.atomic():
            locked = Event.objects.select_for_update().get(pk=item.pk)
            for registration in Registration.objects.filter(
                event=locked, state=S.OFFERED, offered_until__lt=now
            ):
                registration.state = S.EXPIRED
                registration.save(update_fields=["state"])
                audit_record(actor=None, action="campaigns.register.expire", target=registration)
                expired += 1
                _offer_next(locked)
    return expired


def check_in(*, actor: User, event: Event, code: str) -> Registration:
    """At the door: the code of the confirmation; the organiser's member checks it (once)."""
    registration = Registration.objects.filter(event=event, code=code.strip().upper()).first()
    if registration is None or registration.state != S.CONFIRMED:
        raise ValidationError({"code": _("No confirmed registration has this code.")})
    if registration.checked_in_at is not None:
        raise ValidationError(
            {
                "code": _("Already checked in at %(time)s.")
                % {"time": f"{timezone.localtime(registration.checked_in_at):%H:%M}"}
            }
        )
    registration.checked_in_at = timezone.now()
    registration.save(update_fields=["checked_in_at"])
    audit_record(actor=actor, action="campaigns.check_in", target=registration)
    return registration
