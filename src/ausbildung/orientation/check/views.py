"""Pages of the interest check. Access: `orientation.access.RULES` (pupils only); a pupil's checks are fetched
by `pupil=request.user`, so someone else's check is simply not found (404). Works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ausbildung.core.types import AuthenticatedRequest

from ..classes import selectors as class_selectors
from ..models import InterestCheck, OccupationInterestProfile
from . import items, nearby, result, services
from .forms import StepForm

# On a phone, in one lesson, the pupil reads the first five suggestions; the others are one tap away (issue 17,
# measured in bench/lesson_phone.py).
OPEN_MATCHES = 5


def _own_check(request: AuthenticatedRequest, check_id: int) -> InterestCheck:
    return get_object_or_404(InterestCheck, pk=check_id, pupil=request.user)


def _progress(check: InterestCheck) -> dict:
    answered = len(items.ITEM_KEYS) - len(items.missing(check.answers))
    return {"answered": answered, "total": len(items.ITEMS)}


def check(request: AuthenticatedRequest) -> HttpResponse:
    """Start page: explains the check, resumes the open one or starts a new one (POST)."""
    if request.method == "POST":
        started = services.interest_check_start(pupil=request.user)
        return redirect(
            "orientation:check_step", check_id=started.pk, step=items.first_open_step(started.answers)
        )
    open_check = services.open_check_of(request.user)
    completed = InterestCheck.objects.filter(pupil=request.user, completed_at__isnull=False).order_by(
        "-completed_at", "-id"
    )
    context = {
        "open_check": open_check,
        "resume_step": items.first_open_step(open_check.answers) if open_check else 1,
        "progress": _progress(open_check) if open_check else None,
        "completed": completed[:5],
        "item_count": len(items.ITEMS),
        "steps": items.STEPS,
    }
    return render(request, "orientation/check/start.html", context)


def check_step(request: AuthenticatedRequest, check_id: int, step: int) -> HttpResponse:
    current = _own_check(request, check_id)
    if current.completed_at is not None:
        return redirect("orientation:check_result", check_id=current.pk)
    if not 1 <= step <= items.STEPS:
        return redirect(
            "orientation:check_step", check_id=current.pk, step=items.first_open_step(current.answers)
        )
    if request.method == "POST":
        form = StepForm(request.POST, step=step)
        action = request.POST.get("action", "next")
        try:
            current = services.interest_check_answer(
                check=current, actor=request.user, answers=form.given_answers()
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return redirect("orientation:check_step", check_id=current.pk, step=step)
        if action == "back":
            return redirect("orientation:check_step", check_id=current.pk, step=max(1, step - 1))
        if action == "pause":
            messages.success(request, _("Your answers are saved. You can continue later."))
            return redirect("orientation:check")
        if form.is_valid():
            if step < items.STEPS:
                return redirect("orientation:check_step", check_id=current.pk, step=step + 1)
            try:
                services.interest_check_complete(check=current, actor=request.user)
            except ValidationError as error:
                for text in error.messages:
                    messages.error(request, text)
                return redirect(
                    "orientation:check_step", check_id=current.pk, step=items.first_open_step(current.answers)
                )
            return redirect("orientation:check_result", check_id=current.pk)
    else:
        initial = {
            item.key: current.answers[item.key]
            for item in items.step_items(step)
            if item.key in current.answers
        }
        form = StepForm(initial=initial, step=step)
    context = {
        "check": current,
        "form": form,
        "step": step,
        "steps": items.STEPS,
        "is_last": step == items.STEPS,
        "progress": _progress(current),
    }
    return render(request, "orientation/check/step.html", context)


def check_result(request: AuthenticatedRequest, check_id: int) -> HttpResponse:
    current = _own_check(request, check_id)
    if current.completed_at is None:
        return redirect(
            "orientation:check_step", check_id=current.pk, step=items.first_open_step(current.answers)
        )
    scores = current.scores
    near = nearby.nearby_for(request.user)
    matches = result.ranked_matches(scores, near=near)
    expected = [m for m in matches if not m.unexpected]
    context = {
        "check": current,
        "rows": result.profile_rows(scores),
        "code_words": result.code_in_words(current.code),
        "flat": result.flat_profile(scores),
        "matches": matches,
        "first_matches": expected[:OPEN_MATCHES],
        "more_matches": expected[OPEN_MATCHES:],
        "unexpected": [m for m in matches if m.unexpected],
        "has_profiles": bool(matches) or OccupationInterestProfile.objects.exists(),
        "chart": result.chart_data(scores),
        "near": near,
        "in_class": class_selectors.pupil_in_a_class(request.user),
        "field_sharing": class_selectors.field_sharing_of(request.user),
    }
    return render(request, "orientation/check/result.html", context)
