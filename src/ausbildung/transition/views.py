"""Pages of the transition app: the school's leavers and their destinations, the destinations dashboard
(school, counsellor, region), consent, and the counsellor's cases.

Page access: `transition.access.RULES`; which leavers and cases a person sees: `core.permissions`
(transition section). Objects outside a person's scope are not found (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ausbildung.core import permissions
from ausbildung.core.forms import add_service_errors
from ausbildung.core.models import Role, User
from ausbildung.core.params import parse_id
from ausbildung.core.types import AuthenticatedRequest
from ausbildung.orientation.classes.forms import current_school_year

from . import forms, selectors, services
from .models import Case, CaseStep, Consent, Destination


def _latest_year(years: list[str]) -> str:
    return years[0] if years else current_school_year()


# --- the school: leavers and their destinations ------------------------------------------------------------


def leavers(request: AuthenticatedRequest) -> HttpResponse:
    schools = permissions.schools_of_teacher(request.user)
    classes = permissions.classes_of_teacher(request.user)
    form = forms.CohortForm(request.POST or None, classes=classes)
    if request.method == "POST" and form.is_valid():
        school_class = form.cleaned_data["school_class"]
        pupils = [membership.pupil for membership in school_class.memberships.select_related("pupil")]
        created = services.cohort_add(
            actor=request.user,
            school=school_class.school,
            school_year=form.cleaned_data["school_year"],
            leaving_date=form.cleaned_data["leaving_date"],
            class_label=school_class.name,
            pupils=pupils,
        )
        messages.success(
            request,
            _("%(count)s pupils added to the leaving cohort %(year)s.")
            % {"count": len(created), "year": form.cleaned_data["school_year"]},
        )
        return redirect(f"{request.path}?jahr={form.cleaned_data['school_year']}")
    years = selectors.school_years(schools)
    year = request.GET.get("jahr") if request.GET.get("jahr") in years else _latest_year(years)
    destinations = (
        Destination.objects.filter(school__in=schools, school_year=year)
        .select_related("school", "pupil", "contract")
        .order_by("school__name", "class_label", "pupil__last_name", "pupil__first_name")
    )
    return render(
        request,
        "transition/leavers.html",
        {"form": form, "years": years, "year": year, "destinations": destinations},
    )


def destination_edit(request: AuthenticatedRequest, destination_id: int) -> HttpResponse:
    destination = get_object_or_404(
        Destination.objects.select_related("pupil", "school", "contract"),
        pk=destination_id,
        school__in=permissions.schools_of_teacher(request.user),
    )
    form = forms.DestinationForm(
        request.POST or None,
        initial={
            "certificate": destination.certificate,
            "planned_kind": destination.planned_kind,
            "planned_note": destination.planned_note,
            "actual_kind": destination.actual_kind,
            "actual_since": destination.actual_since,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.destination_record(actor=request.user, destination=destination, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The destination was saved."))
            return redirect(f"{reverse('transition:leavers')}?jahr={destination.school_year}")
    consents = Consent.objects.filter(person=destination.pupil).select_related("agency")
    today = timezone.localdate()
    return render(
        request,
        "transition/destination_form.html",
        {
            "form": form,
            "destination": destination,
            "consents": [(consent, consent.is_valid_on(today)) for consent in consents],
        },
    )


# --- dashboard ---------------------------------------------------------------------------------------------


def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    schools = permissions.destination_schools_for(request.user)
    years = selectors.school_years(schools)
    form = forms.DashboardForm(request.GET or None, years=years)
    today = timezone.localdate()
    year, cutoff, certificate = _latest_year(years), today, ""
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["jahr"] or year
        cutoff = form.cleaned_data["stichtag"] or cutoff
        certificate = form.cleaned_data["abschluss"]
    roles = permissions.roles_of(request.user)
    # The monitor sees figures only; everyone else here also sees the list (named as far as their scope goes).
    with_list = bool(roles & {Role.TEACHER, Role.COUNSELLOR, Role.PLATFORM_ADMIN})
    board = selectors.dashboard(
        schools=schools,
        named=permissions.destinations_named_for(request.user),
        school_year=year,
        cutoff=cutoff,
        today=today,
        certificate=certificate,
        with_list=with_list,
    )
    return render(
        request,
        "transition/dashboard.html",
        {
            "form": form,
            "board": board,
            "with_list": with_list,
            "is_teacher": Role.TEACHER in roles,
            "is_counsellor": Role.COUNSELLOR in roles,
            "today": today,
        },
    )


# --- consent -----------------------------------------------------------------------------------------------


def _person_for_consent(user: User, person_id: int) -> User:
    person = get_object_or_404(User, pk=person_id)
    if not permissions.can_record_consent(user, person):
        raise Http404
    return person


def consent(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = _person_for_consent(request.user, person_id)
    roles = permissions.roles_of(request.user)
    agencies = (
        permissions.agencies_of_counsellor(request.user)
        if Role.COUNSELLOR in roles
        else permissions.agencies_serving_schools_of_teacher(request.user)
    )
    form = forms.ConsentForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(
                actor=request.user,
                person=person,
                agency=form.cleaned_data["agency"],
                person_consented_on=form.cleaned_data["person_consented_on"],
                guardian_name=form.cleaned_data["guardian_name"],
                guardian_consented_on=form.cleaned_data["guardian_consented_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect("transition:consent", person_id=person.pk)
    today = timezone.localdate()
    consents = Consent.objects.filter(person=person).select_related("agency", "recorded_by")
    return render(
        request,
        "transition/consent.html",
        {
            "person": person,
            "form": form,
            "minor": person.is_minor_on(today) is not False,
            "consents": [(c, c.is_valid_on(today)) for c in consents],
        },
    )


@require_POST
def consent_withdraw(request: AuthenticatedRequest, consent_id: int) -> HttpResponse:
    consent = get_object_or_404(Consent.objects.select_related("person"), pk=consent_id)
    own = consent.person_id == request.user.pk
    if not own and not permissions.can_record_consent(request.user, consent.person):
        raise Http404
    services.consent_withdraw(actor=request.user, consent=consent)
    messages.success(request, _("The consent was withdrawn. From today on, no data is shared on its basis."))
    if own:
        return redirect("transition:my_consents")
    return redirect("transition:consent", person_id=consent.person_id)


def my_consents(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    consents = Consent.objects.filter(person=request.user).select_related("agency")
    return render(
        request,
        "transition/my_consents.html",
        {"consents": [(c, c.is_valid_on(today)) for c in consents]},
    )


# --- cases (Jugendberufsagentur) ---------------------------------------------------------------------------


def cases(request: AuthenticatedRequest) -> HttpResponse:
    visible = permissions.cases_visible_to(request.user).select_related("person", "counsellor")
    today = timezone.localdate()
    open_cases = [
        (case, sum(1 for s in case.steps.all() if s.done_on is None and s.due_on < today))
        for case in visible.filter(status=Case.Status.OPEN).prefetch_related("steps")
    ]
    # Young people with consent and no secured next step, without an open case yet: candidates for a case.
    named = permissions.destinations_named_for(request.user).select_related("pupil", "school", "contract")
    with_case = {case.person_id for case, _overdue in open_cases}
    consenting = set(permissions.consenting_persons(permissions.agencies_of_counsellor(request.user), today))
    candidates = [
        d
        for d in named.filter(pupil_id__in=consenting).order_by("leaving_date", "pupil__last_name")
        if not d.is_secured and d.pupil_id not in with_case
    ]
    return render(
        request,
        "transition/cases.html",
        {
            "open_cases": open_cases,
            "closed_cases": visible.filter(status=Case.Status.CLOSED)[:50],
            "candidates": candidates,
        },
    )


@require_POST
def case_open(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=person_id)
    agencies = permissions.agencies_of_counsellor(request.user)
    agency = next(
        (a for a in agencies if services.has_valid_consent(person, a)),
        None,
    )
    if agency is None:
        raise Http404  # without consent the counsellor does not learn who this is
    case = services.case_open(actor=request.user, person=person, agency=agency)
    messages.success(request, _("The case is open."))
    return redirect("transition:case_detail", case_id=case.pk)


CASE_FORMS = {
    "contact": forms.ContactForm,
    "step": forms.StepForm,
    "referral": forms.ReferralForm,
    "close": forms.CloseForm,
}


def case_detail(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(
        permissions.cases_visible_to(request.user).select_related("person", "agency", "counsellor"),
        pk=case_id,
    )
    action = request.POST.get("action", "") if request.method == "POST" else ""
    bound = {
        name: form_class(request.POST if action == name else None, prefix=name)
        for name, form_class in CASE_FORMS.items()
    }
    if action == "step_done":
        step = get_object_or_404(CaseStep, pk=parse_id(request.POST.get("step")), case=case)
        try:
            services.case_step_done(actor=request.user, step=step, done=step.done_on is None)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("transition:case_detail", case_id=case.pk)
    if action in bound and bound[action].is_valid():
        form = bound[action]
        data = form.cleaned_data
        try:
            if action == "contact":
                services.case_contact_add(actor=request.user, case=case, **data)
            elif action == "step":
                services.case_step_add(actor=request.user, case=case, **data)
            elif action == "referral":
                services.case_referral_add(
                    actor=request.user,
                    case=case,
                    kind=data["kind"],
                    offer=data["offer_number"],
                    note=data["note"],
                )
            else:
                services.case_close(actor=request.user, case=case, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("transition:case_detail", case_id=case.pk)
    destination = Destination.objects.filter(pupil=case.person).order_by("-leaving_date").first()
    return render(
        request,
        "transition/case_detail.html",
        {
            "case": case,
            "forms": bound,
            "destination": destination,
            "contacts": case.contacts.select_related("author"),
            "steps": case.steps.all(),
            "referrals": case.referrals.select_related("offer"),
            "today": timezone.localdate(),
            "is_open": case.status == Case.Status.OPEN,
        },
    )
