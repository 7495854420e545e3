"""Internship pages: the public list, applying, the pupil's and the company's view of an application.

Page access: `orientation.access.RULES`; objects through the scoped selectors (others' objects: 404).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ausbildung.core import permissions
from ausbildung.core.forms import submit_form
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


def internships(request: HttpRequest) -> HttpResponse:
    form = forms.FilterForm(request.GET or None)
    occupation_id = None
    if form.is_bound and form.is_valid() and form.cleaned_data["beruf"]:
        occupation_id = form.cleaned_data["beruf"].pk
    return render(
        request,
        "orientation/internships/list.html",
        {"form": form, "slots": selectors.public_slots(occupation_id=occupation_id)},
    )


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
    applications = slot.applications.select_related("pupil").order_by("state", "created_at", "id")
    return render(
        request,
        "orientation/internships/inbox.html",
        {"slot": slot, "applications": applications, "status": InternshipSlot.Status},
    )
