"""Internship pages: the public list, applying, the pupil's and the company's view of an application.

Page access: `orientation.access.RULES`; objects through the scoped selectors (others' objects: 404).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ausbildung.core import geo, permissions
from ausbildung.core.audit import note_read
from ausbildung.core.forms import submit_form
from ausbildung.core.models import Occupation
from ausbildung.core.types import AuthenticatedRequest

from .. import access
from ..models import InternshipApplication, InternshipFeedback, InternshipSlot
from . import forms, selectors, services

State = InternshipApplication.State

STEP_LABELS: dict[str, Any] = {
    State.ACCEPTED: gettext_lazy("Accept"),
    State.DECLINED: gettext_lazy("Decline"),
    State.WITHDRAWN: gettext_lazy("Withdraw my application"),
    State.COMPLETED: gettext_lazy("Mark as completed"),
}


# How many places of one name the search offers to choose from; the others: add the Land or postcode.
PLACE_CHOICES = 12


def internships(request: HttpRequest) -> HttpResponse:
    """The public internship search: a GET form that works without script; with htmx it searches while
    typing and answers with the results only (`_results.html`)."""
    form = forms.FilterForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    params = form.to_query() if form.is_bound and valid else selectors.InternshipQuery()
    result = selectors.internship_search(params, user=request.user)
    place = result.place
    if place is not None and place.place is None:
        form.add_error("ort", forms.place_error(place))
    # With an input the search could not use, no internships are listed: they would look filtered by it.
    searched = valid and not form.errors
    choices = place.choices if place is not None else ()
    occupation = None
    if params.occupation_id:
        occupation = Occupation.objects.filter(pk=params.occupation_id).only("name").first()
    context = {
        "form": form,
        "searched": searched,
        "slots": result.slots if searched else [],
        "more": result.more,
        "cap": selectors.RESULT_CAP,
        "origin": result.origin,
        "place": place,
        "place_links": _place_links(request, choices[:PLACE_CHOICES]),
        "place_more": max(0, len(choices) - PLACE_CHOICES),
        "suggestion_links": _place_links(request, place.suggestions if place is not None else ()),
        "occupation": occupation,
        "without_occupation": _url_without(request, "beruf"),
    }
    template = (
        "orientation/internships/_results.html"
        if getattr(request, "htmx", False)
        else "orientation/internships/list.html"
    )
    return render(request, template, context)


def _place_links(request: HttpRequest, choices: Iterable[geo.Choice]) -> list[dict[str, Any]]:
    """Each place choice as a link to the same search with the place query that names exactly it."""
    links = []
    for choice in choices:
        query = request.GET.copy()
        query["ort"] = choice.query
        links.append({"choice": choice, "url": f"{reverse('orientation:internships')}?{query.urlencode()}"})
    return links


def _url_without(request: HttpRequest, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    return f"{reverse('orientation:internships')}?{query.urlencode()}"


def internship_detail(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = selectors.get_slot_for(request.user, slot_id)  # type: ignore[arg-type]
    application = None
    if request.user.is_authenticated:
        application = InternshipApplication.objects.filter(slot=slot, pupil=request.user).first()
    return render(
        request,
        "orientation/internships/detail.html",
        {
            "slot": slot,
            "application": application,
            "is_pupil": "pupil" in permissions.roles_of(request.user),
        },
    )


def internship_apply(request: AuthenticatedRequest, slot_id: int) -> HttpResponse:
    slot = selectors.get_slot_for(request.user, slot_id)
    existing = InternshipApplication.objects.filter(slot=slot, pupil=request.user).first()
    if existing is not None:
        return redirect("orientation:internship_application", application_id=existing.pk)
    form = forms.ApplyForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: services.application_create(
            actor=request.user, slot=slot, message=form.cleaned_data["message"]
        ),
        success=_("Your application was sent to the company."),
        then=lambda application: redirect(
            "orientation:internship_application", application_id=application.pk
        ),
    )
    return done or render(request, "orientation/internships/apply.html", {"slot": slot, "form": form})


def my_internships(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "orientation/internships/my_applications.html",
        {"applications": selectors.applications_of(request.user)},
    )


def internship_application(request: AuthenticatedRequest, application_id: int) -> HttpResponse:
    application, side = selectors.get_application_for(request.user, application_id)
    note_read(
        request,
        [application.pupil_id],
        "orientation.internship_application",
        application,
        roles=permissions.COMPANY_STAFF_ROLES,
    )
    feedback = {item.side: item for item in application.feedback.all()}
    context = {
        "application": application,
        "slot": application.slot,
        "side": side,
        "steps": [(state, STEP_LABELS[state]) for state in services.allowed_steps(application, side)],
        "own_feedback": feedback.get(side),
        "other_feedback": feedback.get(
            InternshipFeedback.Side.COMPANY if side == access.PUPIL_SIDE else InternshipFeedback.Side.PUPIL
        ),
        "feedback_form": forms.FeedbackForm()
        if application.state == State.COMPLETED and side not in feedback
        else None,
    }
    return render(request, "orientation/internships/application.html", context)


@require_POST
def internship_step(request: AuthenticatedRequest, application_id: int) -> HttpResponse:
    application, side = selectors.get_application_for(request.user, application_id)
    try:
        application = services.application_transition(
            actor=request.user, application=application, side=side, target=request.POST.get("state", "")
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Done: %(state)s.") % {"state": application.get_state_display()})
    return redirect("orientation:internship_application", application_id=application.pk)


@require_POST
def internship_feedback(request: AuthenticatedRequest, application_id: int) -> HttpResponse:
    application, side = selectors.get_application_for(request.user, application_id)
    form = forms.FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a rating from 1 to 5."))
    else:
        try:
            services.feedback_add(
                actor=request.user,
                application=application,
                side=side,
                rating=form.cleaned_data["rating"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Thank you for your feedback."))
    return redirect("orientation:internship_application", application_id=application.pk)


# --- companies ---------------------------------------------------------------------------------------------


def company_internships(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "orientation/internships/company_list.html",
        {"slots": selectors.slots_of_companies(request.user)},
    )


def internship_create(request: AuthenticatedRequest) -> HttpResponse:
    companies = access.internship_companies_for(request.user)
    form = forms.SlotForm(request.POST or None, companies=companies)

    def create() -> InternshipSlot:
        data = form.to_input()
        return services.slot_create(
            actor=request.user,
            company=data.site.company,
            data=data,
            publish=request.POST.get("publish") == "1",
        )

    done = submit_form(
        request,
        form,
        create,
        success=_("The internship was saved."),
        then=lambda _slot: redirect("orientation:company_internships"),
    )
    return done or render(request, "orientation/internships/slot_form.html", {"form": form})


@require_POST
def internship_status(request: AuthenticatedRequest, slot_id: int) -> HttpResponse:
    slot = selectors.get_company_slot_for(request.user, slot_id)
    try:
        services.slot_set_status(actor=request.user, slot=slot, status=request.POST.get("status", ""))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request, _("The internship is now “%(status)s”.") % {"status": slot.get_status_display()}
        )
    return redirect("orientation:company_internships")


def internship_inbox(request: AuthenticatedRequest, slot_id: int) -> HttpResponse:
    slot = selectors.get_company_slot_for(request.user, slot_id)
    applications = list(slot.applications.select_related("pupil").order_by("state", "created_at", "id"))
    note_read(
        request,
        [a.pupil_id for a in applications],
        "orientation.internship_applications",
        roles=permissions.COMPANY_STAFF_ROLES,
    )
    return render(
        request,
        "orientation/internships/inbox.html",
        {"slot": slot, "applications": applications, "status": InternshipSlot.Status},
    )
