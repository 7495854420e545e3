"""The person's own page "Meine Daten" (copy and erasure) and the administrators' copy for paper requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..digests import informal_for
from ..exports import download
from . import erasure, export
from .forms import ErasureForm, StaffExportForm
from .registry import personal_data_kinds

ZIP = "application/zip"


def _page(request: HttpRequest, form: ErasureForm, status: int = 200) -> HttpResponse:
    person = request.user
    held = [(kind, count) for kind in personal_data_kinds() if (count := kind.count(person))]
    context = {
        "informal": informal_for(person),  # type: ignore[arg-type]
        "held": held,
        "kept": erasure.erasure_preview(person),  # type: ignore[arg-type]
        "form": form,
        "today": timezone.localdate(),
    }
    return render(request, "core/my_data.html", context, status=status)


def my_data(request: HttpRequest) -> HttpResponse:
    return _page(request, ErasureForm(person=request.user))  # type: ignore[arg-type]


@require_POST
def my_data_export(request: HttpRequest) -> HttpResponse:
    person = request.user
    content = export.person_export(actor=person, person=person)  # type: ignore[arg-type]
    return download(content, content_type=ZIP, file_name=export.export_file_name(person))  # type: ignore[arg-type]


@require_POST
def my_data_erase(request: HttpRequest) -> HttpResponse:
    person = request.user
    form = ErasureForm(request.POST, person=person)  # type: ignore[arg-type]
    if not form.is_valid():
        return _page(request, form, status=400)
    informal = informal_for(person)  # type: ignore[arg-type]
    report = erasure.person_erase(actor=person, person=person)  # type: ignore[arg-type]
    if report.anonymised:
        logout(request)
        messages.success(
            request,
            _("Your data has been erased and your account closed.")
            if not informal
            else _("Your data has been erased and your account closed. Goodbye!"),
        )
        return redirect("core:landing")
    messages.success(
        request,
        _(
            "Erased what could be erased. What must be kept is listed below, with the date until which it is kept."
        ),
    )
    return redirect("core:my_data")


def staff_export(request: HttpRequest) -> HttpResponse:
    form = StaffExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["username"]
        actor = request.user  # signed in: the permission rule admits platform administrators only
        content = export.person_export(
            actor=actor,  # type: ignore[arg-type]
            person=person,
            reference=form.cleaned_data["reference"],
        )
        return download(content, content_type=ZIP, file_name=export.export_file_name(person))
    return render(request, "core/privacy_staff_export.html", {"form": form})
