"""The pupil's plan (Mein Berufswahlfahrplan): their own data only, as a page and as a PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ausbildung.core.types import AuthenticatedRequest

from . import forms, pdf, selectors, services


def plan(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_add(
                actor=request.user, text=form.cleaned_data["text"], due_date=form.cleaned_data["due_date"]
            )
        except ValidationError as error:
            form.add_error("text", error.messages)
        else:
            messages.success(request, _("Your step was added to your plan."))
            return redirect("orientation:plan")
    return render(
        request, "orientation/plan/plan.html", {"plan": selectors.plan_of(request.user), "form": form}
    )


@require_POST
def plan_step_toggle(request: AuthenticatedRequest, step_id: int) -> HttpResponse:
    services.step_toggle(actor=request.user, step=selectors.get_step_for(request.user, step_id))
    return redirect("orientation:plan")


@require_POST
def plan_step_delete(request: AuthenticatedRequest, step_id: int) -> HttpResponse:
    services.step_delete(actor=request.user, step=selectors.get_step_for(request.user, step_id))
    messages.success(request, _("The step was deleted."))
    return redirect("orientation:plan")


def plan_pdf(request: AuthenticatedRequest) -> HttpResponse:
    try:
        return pdf.response(request.user)
    except pdf.PdfUnavailable:
        messages.error(request, _("The PDF cannot be created at the moment."))
        return redirect("orientation:plan")
