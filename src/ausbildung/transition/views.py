"""Pages of the transition app: the school's leavers and their destinations, the destinations dashboard
(school, counsellor, region), consent, and the counsellor's cases.

Page access: `transition.access.RULES`; which leavers and cases a person sees: the scopes in
`transition.access`. Objects outside a person's scope are not found (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ausbildung.core import exports, permissions
from ausbildung.core.audit import note_read
from ausbildung.core.forms import add_service_errors, submit_form
from ausbildung.core.models import Guardianship, Role
from ausbildung.core.params import parse_id
from ausbildung.core.schools import current_school_year
from ausbildung.core.types import AuthenticatedRequest
from ausbildung.orientation.access import classes_of_teacher

from . import access, forms, selectors, services
from .models import Case, CaseStep, Consent, ConsentState, Destination

# The staff roles of these pages (core.audit records the reader in one of them).
SCHOOL_ROLES = (Role.TEACHER, Role.PLATFORM_ADMIN)
CONSENT_ROLES = (Role.TEACHER, Role.COUNSELLOR, Role.PLATFORM_ADMIN)
CASE_ROLES = (Role.COUNSELLOR, Role.PLATFORM_ADMIN)


def _latest_year(years: list[str]) -> str:
    return years[0] if years else current_school_year()


# --- the school: leavers and their destinations ------------------------------------------------------------


def leavers(request: AuthenticatedRequest) -> HttpResponse:
    schools = permissions.schools_of_teacher(request.user)
    classes = classes_of_teacher(request.user)
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
    destinations = list(
        Destination.objects.filter(school__in=schools, school_year=year)
        .select_related("school", "pupil__seeker", "contract")
        .order_by("school__name", "class_label", "pupil__last_name", "pupil__first_name")
    )
    note_read(request, [d.pupil_id for d in destinations], "transition.destinations", roles=SCHOOL_ROLES)
    return render(
        request,
        "transition/leavers.html",
        {"form": form, "years": years, "year": year, "destinations": destinations},
    )


def destination_edit(request: AuthenticatedRequest, destination_id: int) -> HttpResponse:
    destination = get_object_or_404(
        Destination.objects.select_related("pupil__seeker", "school", "contract"),
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
    done = submit_form(
        request,
        form,
        lambda: services.destination_record(actor=request.user, destination=destination, **form.cleaned_data),
        success=_("The destination was saved."),
        then=lambda _result: redirect(f"{reverse('transition:leavers')}?jahr={destination.school_year}"),
    )
    if done:
        return done
    consents = Consent.objects.filter(person=destination.pupil).select_related("agency", "person")
    today = timezone.localdate()
    note_read(request, [destination.pupil_id], "transition.destination", destination, roles=SCHOOL_ROLES)
    return render(
        request,
        "transition/destination_form.html",
        {
            "form": form,
            "destination": destination,
            "consents": [(consent, ConsentState(consent.state_on(today)).label) for consent in consents],
        },
    )


# --- dashboard ---------------------------------------------------------------------------------------------


def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    schools = access.destination_schools_for(request.user)
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
        named=access.destinations_named_for(request.user),
        school_year=year,
        cutoff=cutoff,
        today=today,
        certificate=certificate,
        with_list=with_list,
        agencies=access.consent_agencies_for(request.user) if with_list else None,
    )
    # Only the rows that name the leaver; the others are figures of a school and a certificate.
    named_rows = [row.destination.pupil_id for row in board.urgent if row.named]
    note_read(request, named_rows, "transition.destinations", roles=CONSENT_ROLES)
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


# The consent page is addressed by the destination (the dashboard's row), never by the person, and says no
# more than the dashboard's row says to this viewer: school, class, certificate, status and the consent state,
# and the name, date of birth or "minor" only where the dashboard names the leaver too
# (`access.destinations_named_for`). A row outside the viewer's scope is not found (404).


def consent(request: AuthenticatedRequest, destination_id: int) -> HttpResponse:
    destination = get_object_or_404(
        access.consent_destinations_for(request.user).select_related("pupil__seeker", "school", "contract"),
        pk=destination_id,
    )
    person = destination.pupil
    agencies = access.consent_agencies_for(request.user)
    needs_name = not access.teaches_leaver(request.user, person)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    request_form = forms.ConsentRequestForm(
        request.POST if action == "request" else None, agencies=agencies, prefix="request"
    )
    paper_form = forms.ConsentPaperForm(
        request.POST if action == "paper" else None,
        request.FILES if action == "paper" else None,
        agencies=agencies,
        needs_name=needs_name,
        prefix="paper",
    )

    def record_paper() -> Consent:
        data = paper_form.cleaned_data
        return services.consent_record_paper(
            actor=request.user,
            person=person,
            agency=data["agency"],
            upload=data["evidence"],
            person_consented_on=data["person_consented_on"],
            guardian_name=data["guardian_name"],
            guardian_consented_on=data["guardian_consented_on"],
            name_on_form=data.get("name_on_form") or "",
        )

    def this_page(_consent: Consent) -> HttpResponse:
        return redirect("transition:consent", destination_id=destination.pk)

    done = submit_form(
        request,
        request_form,
        lambda: services.consent_request(
            actor=request.user, person=person, agency=request_form.cleaned_data["agency"]
        ),
        success=_("The consent was requested. It becomes valid once it is confirmed."),
        then=this_page,
    ) or submit_form(
        request,
        paper_form,
        record_paper,
        success=_("The consent was recorded with the signed form."),
        then=this_page,
    )
    if done:
        return done
    today = timezone.localdate()
    named = access.destinations_named_for(request.user).filter(pk=destination.pk).exists()
    consents = Consent.objects.filter(person=person, agency__in=agencies).select_related(
        "agency", "recorded_by", "person"
    )
    state = selectors.consent_states(person_ids=[person.pk], agencies=agencies, day=today).get(
        person.pk, ConsentState.NONE
    )
    note_read(request, [person.pk], "transition.consent", destination, roles=CONSENT_ROLES)
    return render(
        request,
        "transition/consent.html",
        {
            "destination": destination,
            "named": named,
            "person": person if named else None,
            "minor": named and person.is_minor_on(today) is not False,
            "state": state,
            "state_label": ConsentState(state).label,
            "request_form": request_form,
            "paper_form": paper_form,
            "needs_name": needs_name,
            "consents": [
                (c, c.state_on(today), named and access.can_see_consent_form(request.user, c))
                for c in consents
            ],
        },
        status=400 if action and request.method == "POST" else 200,
    )


@require_POST
def consent_withdraw(request: AuthenticatedRequest, consent_id: int) -> HttpResponse:
    consent, own = access.get_consent_to_withdraw_for(request.user, consent_id)
    services.consent_withdraw(actor=request.user, consent=consent)
    messages.success(request, _("The consent was withdrawn. From today on, no data is shared on its basis."))
    if own:
        return redirect("transition:my_consents")
    destination = (
        access.consent_destinations_for(request.user)
        .filter(pupil_id=consent.person_id)
        .order_by("-leaving_date")
        .first()
    )
    if destination is None:
        return redirect("transition:dashboard")
    return redirect("transition:consent", destination_id=destination.pk)


@require_POST
def consent_confirm(request: AuthenticatedRequest, consent_id: int) -> HttpResponse:
    consent = access.get_own_consent_for(request.user, consent_id)
    try:
        services.consent_confirm(actor=request.user, consent=consent)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Thank you. Your confirmation was saved."))
    return redirect("transition:my_consents")


def consent_form(request: AuthenticatedRequest, consent_id: int) -> FileResponse:
    """The uploaded signed form, as a download, to those who may see it (`access.can_see_consent_form`)."""
    consent = access.get_consent_form_for(request.user, consent_id)
    note_read(request, [consent.person_id], "transition.consent_form", consent, roles=CONSENT_ROLES)
    return exports.stored_file(
        consent.evidence, content_type=consent.evidence_type, file_name=consent.evidence_name
    )


def my_consents(request: AuthenticatedRequest) -> HttpResponse:
    """The young person's consents and open requests, and those of their wards for a legal representative,
    with the wording of what is shared, with whom, for what, and how to withdraw (DSGVO Art. 7 Abs. 2, 3)."""
    today = timezone.localdate()
    wards = Guardianship.objects.current(today).filter(guardian=request.user).values("ward")
    consents = (
        Consent.objects.filter(Q(person=request.user) | Q(person__in=wards))
        .select_related("agency", "person", "guardian_confirmed_by")
        .order_by("person__last_name", "-recorded_at")
    )
    schools = {
        d.pupil_id: d.school
        for d in Destination.objects.filter(pupil__in=[c.person_id for c in consents])
        .select_related("school")
        .order_by("leaving_date")
    }
    items = []
    for consent in consents:
        state = consent.state_on(today)
        own = consent.person_id == request.user.pk
        waiting_for_me = state == ConsentState.REQUESTED and (
            (own and consent.person_consented_on is None)
            or (not own and consent.needs_guardian_on(today) and consent.guardian_consented_on is None)
        )
        items.append(
            {
                "consent": consent,
                "state": state,
                "state_label": ConsentState(state).label,
                "own": own,
                "school": schools.get(consent.person_id),
                "needs_guardian": consent.needs_guardian_on(today),
                "waiting_for_me": waiting_for_me,
            }
        )
    return render(request, "transition/my_consents.html", {"items": items})


# --- cases (Jugendberufsagentur) ---------------------------------------------------------------------------


def cases(request: AuthenticatedRequest) -> HttpResponse:
    visible = access.cases_visible_to(request.user).select_related("person", "counsellor")
    today = timezone.localdate()
    open_cases = [
        (case, sum(1 for s in case.steps.all() if s.done_on is None and s.due_on < today))
        for case in visible.filter(status=Case.Status.OPEN).prefetch_related("steps")
    ]
    # Young people with consent and no secured next step, without an open case yet: candidates for a case.
    named = access.destinations_named_for(request.user).select_related("pupil__seeker", "school", "contract")
    with_case = {case.person_id for case, _overdue in open_cases}
    consenting = set(access.consenting_persons(permissions.agencies_of_counsellor(request.user), today))
    candidates = [
        d
        for d in named.filter(pupil_id__in=consenting).order_by("leaving_date", "pupil__last_name")
        if not d.is_secured and d.pupil_id not in with_case
    ]
    closed_cases = list(visible.filter(status=Case.Status.CLOSED)[:50])
    shown = [case.person_id for case, _overdue in open_cases] + [case.person_id for case in closed_cases]
    note_read(request, [*shown, *(d.pupil_id for d in candidates)], "transition.cases", roles=CASE_ROLES)
    return render(
        request,
        "transition/cases.html",
        {"open_cases": open_cases, "closed_cases": closed_cases, "candidates": candidates},
    )


@require_POST
def case_open(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person, agency = access.get_case_person_for(request.user, person_id)
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
        access.cases_visible_to(request.user).select_related("person", "agency", "counsellor"),
        pk=case_id,
    )
    action = request.POST.get("action", "") if request.method == "POST" else ""
    offer_query, candidates = _offer_search(request)
    bound = {
        name: form_class(request.POST if action == name else None, prefix=name)
        for name, form_class in CASE_FORMS.items()
        if name != "referral"
    }
    bound["referral"] = forms.ReferralForm(
        request.POST if action == "referral" else None, prefix="referral", candidates=candidates
    )
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
                    offer=data["offer"],
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
    note_read(request, [case.person_id], "transition.case", case, roles=CASE_ROLES)
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
            **_offer_search_context(offer_query, candidates),
        },
    )


def _offer_search(request: AuthenticatedRequest) -> tuple[str, list]:
    """The referral's offer search of the request (`?angebot=`): the query and the offers found."""
    query = request.GET.get(forms.OFFER_QUERY, "").strip()[:100]
    return query, forms.offer_candidates(query) if query else []


def _offer_search_context(query: str, candidates: list) -> dict:
    return {
        "offer_query": query,
        "offer_query_param": forms.OFFER_QUERY,
        "more_offers": len(candidates) > forms.OFFER_CHOICES,
    }


def case_offer_choices(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    """The offers found for the referral's search field (htmx fragment, swapped in while typing)."""
    get_object_or_404(access.cases_visible_to(request.user), pk=case_id, status=Case.Status.OPEN)
    query, candidates = _offer_search(request)
    form = forms.ReferralForm(prefix="referral", candidates=candidates)
    return render(
        request,
        "transition/_offer_choices.html",
        {"form": form, **_offer_search_context(query, candidates)},
    )
