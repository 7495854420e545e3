"""School classes: the teacher's classes and their progress, the pupil's join page.

Page access: `orientation.access.RULES`; a teacher's classes come from `orientation.access.classes_of_teacher`.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ausbildung.core.audit import note_read
from ausbildung.core.csv_cells import safe_row
from ausbildung.core.forms import add_service_errors
from ausbildung.core.models import Role
from ausbildung.core.permissions import schools_of_teacher
from ausbildung.core.types import AuthenticatedRequest

from . import forms, selectors, services

# The staff role of the class pages (core.audit).
TEACHER = (Role.TEACHER,)


def class_list(request: AuthenticatedRequest) -> HttpResponse:
    schools = schools_of_teacher(request.user)
    form = forms.ClassForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            school_class = services.class_create(
                actor=request.user,
                school=form.cleaned_data["school"],
                name=form.cleaned_data["name"],
                school_year=form.cleaned_data["school_year"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The class was created. Give your pupils the code %(code)s.") % {"code": school_class.code},
            )
            return redirect("orientation:class_detail", class_id=school_class.pk)
    return render(
        request,
        "orientation/classes/class_list.html",
        {"classes": selectors.classes_of(request.user), "form": form},
    )


def class_detail(request: AuthenticatedRequest, class_id: int) -> HttpResponse:
    school_class = selectors.get_class_for(request.user, class_id)
    rows = selectors.class_progress(school_class)
    note_read(request, [row.pupil_id for row in rows], "orientation.class_list", school_class, roles=TEACHER)
    return render(
        request,
        "orientation/classes/class_detail.html",
        {
            "school_class": school_class,
            "rows": rows,
            "field_interest": selectors.class_field_interest(school_class),
            "min_group": selectors.MIN_GROUP,
        },
    )


def csv_header() -> list[str]:
    return [
        _("Pupil"),
        _("Interest check done"),
        _("Saved occupations"),
        _("Has an internship"),
        _("Has a plan"),
        _("Nothing yet"),
    ]


def class_csv(request: AuthenticatedRequest, class_id: int) -> HttpResponse:
    """The progress table for Excel: UTF-8 with BOM, semicolons, the same columns as the page."""
    school_class = selectors.get_class_for(request.user, class_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(f"{school_class.name}-{school_class.school_year}") or f"klasse-{school_class.pk}"
    response["Content-Disposition"] = f'attachment; filename="berufsorientierung-{name}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(safe_row(csv_header()))
    yes, no = _("yes"), _("no")
    rows = selectors.class_progress(school_class)
    note_read(request, [row.pupil_id for row in rows], "orientation.class_csv", school_class, roles=TEACHER)
    for row in rows:
        writer.writerow(
            safe_row(
                [
                    row.name,
                    yes if row.check_done else no,
                    row.saved_occupations,
                    yes if row.has_internship else no,
                    yes if row.has_plan else no,
                    yes if row.nothing_yet else no,
                ]
            )
        )
    return response


def join(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            school_class, created = services.class_join(actor=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            text = (
                _("You joined the class %(name)s.")
                if created
                else _("You are already in the class %(name)s.")
            )
            messages.success(request, text % {"name": school_class.name})
            return redirect("orientation:plan")
    return render(request, "orientation/classes/join.html", {"form": form})


@require_POST
def field_sharing(request: AuthenticatedRequest) -> HttpResponse:
    """The pupil's switch: may the teacher count me in the class's occupational fields? Back to the page it
    was switched on (the result or the plan)."""
    allow = request.POST.get("allow") == "1"
    services.field_sharing_set(actor=request.user, allow=allow)
    messages.success(
        request,
        _("Your teacher may now see which occupational fields interest you – only counted with the class.")
        if allow
        else _("Your teacher no longer sees which occupational fields interest you."),
    )
    back = request.POST.get("next", "")
    # Only a path of this site goes back (never a view name or a foreign address: `redirect` would try
    # to reverse the one and follow the other).
    if (
        back.startswith("/")
        and "\x00" not in back
        and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return HttpResponseRedirect(back)
    return redirect("orientation:plan")
