"""Pages of the campaign (issue #22): the public calendar (list and map, filters, no JavaScript needed), the event
page with schema.org Event JSON-LD, iCal per event and as a feed of any filtered calendar, and the organiser's
page to publish and cancel."""

from __future__ import annotations

import csv
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ausbildung.core import geo
from ausbildung.core.audit import note_read
from ausbildung.core.csv_cells import safe_row
from ausbildung.core.forms import add_service_errors
from ausbildung.core.models import Occupation
from ausbildung.core.types import AuthenticatedRequest

from . import access, forms, ical, registrations, selectors, services
from .models import Event, Registration

# The map: Germany's bounding box (lat 47.2–55.1, lon 5.8–15.1), drawn as an equirectangular SVG.
MAP_BOX = (47.2, 55.1, 5.8, 15.1)
MAP_WIDTH, MAP_HEIGHT = 300, 400


def _occupations() -> list[Occupation]:
    return list(Occupation.objects.filter(is_active=True).order_by("name").only("pk", "slug", "name"))


def _filters(request: HttpRequest) -> tuple[forms.CalendarForm, selectors.Filters, geo.Place | None]:
    form = forms.CalendarForm(request.GET or None, occupations=_occupations())
    if not form.is_bound or not form.is_valid():
        return form, selectors.Filters(), None
    data = dict(form.cleaned_data)
    place = None
    if data["plz"]:
        place = geo.lookup(data["plz"])
        if place is None:
            form.add_error(
                "plz", _("This postcode is not in the platform's postcode table.")
            )  # drops it from cleaned_data
    filters = selectors.Filters(
        date_from=data["von"],
        date_to=data["bis"],
        postcode=data["plz"] or "",
        radius_km=data["umkreis"] or selectors.DEFAULT_RADIUS_KM,
        occupation=data["beruf"] or "",
        kind=data["art"] or "",
        audience=data["fuer"] or "",
        free_places=bool(data["frei"]),
        words=data["q"] or "",
    )
    return form, filters, place


def _dot(event: Event) -> tuple[float, float] | None:
    lat_min, lat_max, lon_min, lon_max = MAP_BOX
    if event.latitude is None or event.longitude is None:
        return None
    x = (event.longitude - lon_min) / (lon_max - lon_min) * MAP_WIDTH
    y = (lat_max - event.latitude) / (lat_max - lat_min) * MAP_HEIGHT
    return round(x, 1), round(y, 1)


def calendar(request: HttpRequest) -> HttpResponse:
    form, filters, place = _filters(request)
    rows = selectors.calendar(filters, place=place) if not form.errors else []
    dots = [(row.event, _dot(row.event)) for row in rows if not row.event.online]
    feed = reverse("campaigns:feed") + (f"?{request.GET.urlencode()}" if request.GET else "")
    return render(
        request,
        "campaigns/calendar.html",
        {
            "form": form,
            "rows": rows,
            "dots": [(event, xy) for event, xy in dots if xy is not None],
            "map_width": MAP_WIDTH,
            "map_height": MAP_HEIGHT,
            "place": place,
            "feed": feed,
        },
        status=400 if form.errors else 200,
    )


def _event(event_id: int) -> Event:
    return get_object_or_404(
        selectors.published().select_related("organiser").prefetch_related("dates", "occupations"),
        pk=event_id,
    )


def json_ld(request: HttpRequest, event: Event) -> str:
    """schema.org Event (one per date; the first date's object is the page's)."""
    url = request.build_absolute_uri(reverse("campaigns:event", args=[event.pk]))
    items: list[dict[str, Any]] = []
    for date in event.dates.all():
        item: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event.title,
            "description": event.description,
            "startDate": timezone.localtime(date.starts_at).isoformat(),
            "endDate": timezone.localtime(date.ends_at).isoformat(),
            "eventStatus": "https://schema.org/EventCancelled"
            if event.cancelled_at
            else "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode"
            if event.online
            else "https://schema.org/OfflineEventAttendanceMode",
            "organizer": {"@type": "Organization", "name": event.organiser.name},
            "url": url,
            "isAccessibleForFree": True,
            "inLanguage": "de",
        }
        if event.online:
            item["location"] = {"@type": "VirtualLocation", "url": url}
        else:
            item["location"] = {
                "@type": "Place",
                "name": event.city,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": event.street,
                    "postalCode": event.postcode,
                    "addressLocality": event.city,
                    "addressCountry": "DE",
                },
            }
            if event.latitude is not None:
                item["location"]["geo"] = {
                    "@type": "GeoCoordinates",
                    "latitude": event.latitude,
                    "longitude": event.longitude,
                }
        if event.capacity:
            item["maximumAttendeeCapacity"] = event.capacity
        items.append(item)
    # "</" cannot end the script element: JSON escapes the slash
    return json.dumps(items if len(items) != 1 else items[0], ensure_ascii=False).replace("</", "<\\/")


def event(request: HttpRequest, event_id: int) -> HttpResponse:
    found = _event(event_id)
    registrations.expire_offers(found)
    holding = Registration.objects.filter(event=found, state__in=Registration.HOLDING).count()
    own = _own_registration(request, found)
    return render(
        request,
        "campaigns/event.html",
        {
            "event": found,
            "json_ld": json_ld(request, found),
            "audiences": [
                label for value, label in Event.Audience.choices if value in (found.audiences or [])
            ],
            "free": None if found.capacity is None else max(0, found.capacity - holding),
            "own": own if own is not None and own.state in Registration.ACTIVE else None,
            "position": Registration.objects.filter(
                event=found, state=Registration.State.WAITING, created_at__lte=own.created_at
            ).count()
            if own is not None and own.state == Registration.State.WAITING
            else None,
            "can_manage": request.user.is_authenticated
            and access.organisations_that_may_organise(request.user).filter(pk=found.organiser_id).exists(),
        },
    )


def _entries(request: HttpRequest, events) -> list[ical.Entry]:
    entries = []
    host = request.get_host().split(":")[0]
    for item in events:
        url = request.build_absolute_uri(reverse("campaigns:event", args=[item.pk]))
        location = (
            "Online"
            if item.online
            else ", ".join(p for p in (item.street, f"{item.postcode} {item.city}".strip()) if p)
        )
        for date in item.dates.all():
            entries.append(
                ical.Entry(
                    uid=f"event-{item.pk}-date-{date.pk}@{host}",
                    starts=timezone.localtime(date.starts_at),
                    ends=timezone.localtime(date.ends_at),
                    summary=item.title,
                    description=f"{item.get_kind_display()} · {item.organiser.name}\n{item.description}".strip(),
                    location=location,
                    url=url,
                    cancelled=item.cancelled_at is not None,
                    stamp=item.updated_at,
                )
            )
    return entries


def _ics(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def event_ics(request: HttpRequest, event_id: int) -> HttpResponse:
    found = _event(event_id)
    return _ics(ical.calendar(_entries(request, [found]), name=found.title), f"veranstaltung-{found.pk}.ics")


def feed(request: HttpRequest) -> HttpResponse:
    """The calendar as a subscribable feed, with the same filters as the page (query string)."""
    form, filters, place = _filters(request)
    if form.errors:
        raise Http404
    events = [row.event for row in selectors.calendar(filters, place=place)]
    return _ics(
        ical.calendar(_entries(request, events), name=str(_("Summer of vocational training"))), "kalender.ics"
    )


def mine(
    request: AuthenticatedRequest, form: forms.EventForm | None = None, status: int = 200
) -> HttpResponse:
    organisers = list(access.organisations_that_may_organise(request.user).order_by("name"))
    return render(
        request,
        "campaigns/mine.html",
        {
            "events": selectors.organised_by(organisers),
            "form": form or forms.EventForm(organisers=organisers, occupations=_occupations()),
        },
        status=status,
    )


@require_POST
def publish(request: AuthenticatedRequest) -> HttpResponse:
    organisers = list(access.organisations_that_may_organise(request.user).order_by("name"))
    occupations = _occupations()
    form = forms.EventForm(request.POST, organisers=organisers, occupations=occupations)
    if form.is_valid():
        data = form.cleaned_data
        organiser = next(o for o in organisers if o.pk == data["organiser"])
        try:
            created = services.event_publish(
                actor=request.user,
                organiser=organiser,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                online=data["online"],
                street=data["street"],
                postcode=data["postcode"],
                city=data["city"],
                audiences=data["audiences"],
                occupations=[o for o in occupations if o.pk in set(data["occupations"])],
                capacity=data["capacity"],
                accessibility=data["accessibility"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
                dates=form.dates(),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "dates" in error.error_dict:
                error.error_dict["day_1"] = error.error_dict.pop("dates")
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event is published in the calendar."))
            return redirect("campaigns:event", event_id=created.pk)
    return mine(request, form=form, status=400)


@require_POST
def cancel(request: AuthenticatedRequest, event_id: int) -> HttpResponse:
    found = get_object_or_404(
        Event.objects.filter(organiser__in=access.organisations_that_may_organise(request.user)), pk=event_id
    )
    services.event_cancel(actor=request.user, event=found)
    messages.success(request, _("The event is cancelled; the calendar shows it as cancelled."))
    return redirect("campaigns:mine")


# --- registration (signed in) and the organiser's list with check-in ------------------------------------------


def _own_registration(request: HttpRequest, found: Event) -> Registration | None:
    if not request.user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event=found, person_id=request.user.pk)
        .order_by("-created_at", "-pk")
        .first()
    )


@require_POST
def register(request: AuthenticatedRequest, event_id: int) -> HttpResponse:
    found = _event(event_id)
    registrations.expire_offers(found)
    try:
        registration = registrations.register(person=request.user, event=found)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if registration.state == Registration.State.CONFIRMED:
            messages.success(request, _("You are registered. Show your code at the door."))
        else:
            messages.info(
                request,
                _("The event is full: you are on the waiting list and get a mail when a place frees."),
            )
    return redirect("campaigns:event", event_id=found.pk)


def _registration_of(request: AuthenticatedRequest, registration_id: int) -> Registration:
    return get_object_or_404(
        Registration.objects.filter(person_id=request.user.pk).select_related("event"), pk=registration_id
    )


@require_POST
def unregister(request: AuthenticatedRequest, registration_id: int) -> HttpResponse:
    registration = _registration_of(request, registration_id)
    registrations.cancel(person=request.user, registration=registration)
    messages.success(request, _("Your registration is cancelled."))
    return redirect("campaigns:event", event_id=registration.event_id)


@require_POST
def accept(request: AuthenticatedRequest, registration_id: int) -> HttpResponse:
    registration = _registration_of(request, registration_id)
    registrations.expire_offers(registration.event)
    try:
        registrations.accept(person=request.user, registration=registration)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The place is yours. Show your code at the door."))
    return redirect("campaigns:event", event_id=registration.event_id)


def _organised(request: AuthenticatedRequest, event_id: int) -> Event:
    return get_object_or_404(
        Event.objects.filter(organiser__in=access.organisations_that_may_organise(request.user)), pk=event_id
    )


def participants(
    request: AuthenticatedRequest, event_id: int, status: int = 200, code_error: str = ""
) -> HttpResponse:
    """The organiser's list, with check-in at the door (the code on the confirmation, typed on a phone)."""
    found = _organised(request, event_id)
    registrations.expire_offers(found)
    rows = list(
        Registration.objects.filter(event=found).select_related("person").order_by("created_at", "pk")
    )
    note_read(
        request, [r.person_id for r in rows], "campaigns.participants", found, roles=access.ORGANISER_ROLES
    )
    return render(
        request,
        "campaigns/participants.html",
        {
            "event": found,
            "rows": rows,
            "confirmed": sum(1 for r in rows if r.state == Registration.State.CONFIRMED),
            "waiting": sum(1 for r in rows if r.state == Registration.State.WAITING),
            "checked_in": sum(1 for r in rows if r.checked_in_at),
            "code_error": code_error,
        },
        status=status,
    )


@require_POST
def check_in(request: AuthenticatedRequest, event_id: int) -> HttpResponse:
    found = _organised(request, event_id)
    try:
        registration = registrations.check_in(
            actor=request.user, event=found, code=str(request.POST.get("code", ""))[:20]
        )
    except ValidationError as error:
        return participants(request, event_id, status=400, code_error=" ".join(error.messages))
    messages.success(
        request,
        _("Checked in: %(name)s")
        % {"name": registration.person.get_full_name() or registration.person.username},
    )
    return redirect("campaigns:participants", event_id=found.pk)


def participants_csv(request: AuthenticatedRequest, event_id: int) -> HttpResponse:
    """The list for Excel: UTF-8 with BOM, semicolons; cells that a spreadsheet would run as formulas are made
    plain text (core.csv_cells)."""
    found = _organised(request, event_id)
    rows = list(
        Registration.objects.filter(event=found).select_related("person").order_by("created_at", "pk")
    )
    note_read(
        request, [r.person_id for r in rows], "campaigns.participants", found, roles=access.ORGANISER_ROLES
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="teilnehmende-{found.pk}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(safe_row([_("Name"), _("State"), _("Registered"), _("Checked in"), _("Code")]))
    for row in rows:
        writer.writerow(
            safe_row(
                [
                    row.person.get_full_name() or row.person.username,
                    row.get_state_display(),
                    f"{timezone.localtime(row.created_at):%d.%m.%Y %H:%M}",
                    f"{timezone.localtime(row.checked_in_at):%H:%M}" if row.checked_in_at else "",
                    row.code,
                ]
            )
        )
    return response
