"""Pages of the self-check ("Ausbildungsbetrieb werden"). Access is declared in offers.access; requests are
fetched through the scoped selectors, so another company's or chamber's request is not found (404).

The answers of the steps live in the session until the company sends them; every step works without
JavaScript (the occupation search is a submit button of the same form).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ausbildung.core import site_ratio as ratio
from ausbildung.core.forms import submit_form
from ausbildung.core.models import Occupation, Role
from ausbildung.core.params import parse_id
from ausbildung.core.permissions import organisations_for
from ausbildung.core.selectors import occupation_search
from ausbildung.core.types import AuthenticatedRequest

from . import check, facts, forms, pdf, selectors, services
from .models import OnboardingRequest

OnboardingStatus = OnboardingRequest.Status

SESSION_KEY = "onboarding_check"
SEARCH_LIMIT = 15


def _companies(request: HttpRequest):
    return organisations_for(request.user, Role.COMPANY_ADMIN).order_by("name")


def _stored(request: HttpRequest) -> dict:
    return dict(request.session.get(SESSION_KEY, {}))


def _store(request: HttpRequest, data: dict) -> None:
    request.session[SESSION_KEY] = {**_stored(request), **data}


def _answers(request: HttpRequest) -> check.Answers | None:
    """The answers of both steps from the session, or None when a step is missing or out of scope."""
    data = _stored(request)
    if "skilled_staff" not in data or "company" not in data:
        return None
    company = _companies(request).filter(pk=data["company"]).first()
    occupations = list(Occupation.objects.filter(pk__in=data.get("occupations", []), is_active=True))
    if company is None or not occupations:
        return None
    return check.Answers(
        company=company,
        occupations=sorted(occupations, key=lambda o: o.name),
        activity=data.get("activity", ""),
        skilled_staff=data["skilled_staff"],
        trainer=data["trainer"],
        contents=data["contents"],
        asa_interest=data.get("asa_interest", False),
    )


def _occupation_options(selected_ids: list[int], query: str) -> list[tuple[Occupation, bool]]:
    """The chosen occupations first, then search results (without duplicates)."""
    chosen = list(Occupation.objects.filter(pk__in=selected_ids).order_by("name"))
    options = [(occupation, True) for occupation in chosen]
    if query.strip():
        known = {o.pk for o in chosen}
        for occupation in occupation_search(query)[:SEARCH_LIMIT]:
            if occupation.pk not in known:
                options.append((occupation, False))
    return options


def start(request: HttpRequest) -> HttpResponse:
    """Step 1: company, activity, occupations."""
    companies = _companies(request)
    stored = _stored(request)
    searching = request.method == "POST" and "search" in request.POST
    if request.method == "POST" and not searching:
        form = forms.CompanyStepForm(request.POST, companies=companies)
        if form.is_valid():
            _store(
                request,
                {
                    "company": form.cleaned_data["company"].pk,
                    "activity": form.cleaned_data["activity"],
                    "occupations": [o.pk for o in form.cleaned_data["occupations"]],
                },
            )
            return redirect("onboarding:site")
        selected = [pk for pk in map(parse_id, request.POST.getlist("occupations")) if pk is not None]
        query = request.POST.get("q", "")
    elif searching:
        # The search button re-shows the step with the results; nothing is validated yet.
        selected = [pk for pk in map(parse_id, request.POST.getlist("occupations")) if pk is not None]
        query = request.POST.get("q", "")
        form = forms.CompanyStepForm(
            initial={
                "company": request.POST.get("company"),
                "activity": request.POST.get("activity", ""),
                "q": query,
            },
            companies=companies,
        )
    else:
        selected = stored.get("occupations", [])
        query = request.GET.get("q", "")
        form = forms.CompanyStepForm(
            initial={"company": stored.get("company"), "activity": stored.get("activity", ""), "q": query},
            companies=companies,
        )
    context = {
        "form": form,
        "options": _occupation_options(selected, query),
        "query": query,
        "searched": bool(query.strip()),
        "facts": facts.FACTS,
        "step": 1,
    }
    return render(request, "onboarding/start.html", context)


def site(request: HttpRequest) -> HttpResponse:
    """Step 2: skilled staff, trainer, contents, support."""
    stored = _stored(request)
    if "occupations" not in stored:
        return redirect("onboarding:start")
    initial = {
        key: stored[key] for key in ("skilled_staff", "trainer", "contents", "asa_interest") if key in stored
    }
    form = forms.SiteStepForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _store(request, form.cleaned_data)
        return redirect("onboarding:result")
    return render(request, "onboarding/site.html", {"form": form, "rule": ratio.rule(), "step": 2})


def result(request: AuthenticatedRequest) -> HttpResponse:
    """Step 3: the result per point; sending files the request with the competent chamber."""
    answers = _answers(request)
    if answers is None:
        return redirect("onboarding:start")
    errors: list[str] = []
    if request.method == "POST":
        try:
            created = services.onboarding_request_submit(actor=request.user, answers=answers)
        except ValidationError as error:
            errors = [message for messages_ in error.message_dict.values() for message in messages_]
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(
                request,
                _("Your request was sent to %(chambers)s.")
                % {"chambers": ", ".join(r.chamber.name for r in created)},
            )
            return redirect("onboarding:request", request_id=created[0].pk)
    chambers = {}
    try:
        chambers = services.onboarding_validate(actor=request.user, answers=answers)
    except ValidationError as error:
        errors = errors or [message for messages_ in error.message_dict.values() for message in messages_]
    context = {
        "answers": answers,
        "points": check.evaluate(answers),
        "chambers": chambers,
        "errors": errors,
        "rule": ratio.rule(),
        "step": 3,
    }
    return render(request, "onboarding/result.html", context)


# --- the company's requests ------------------------------------------------------------------------------------


def my_requests(request: HttpRequest) -> HttpResponse:
    requests = selectors.requests_of_companies(request.user)
    return render(request, "onboarding/my_requests.html", {"requests": requests})


def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    req = selectors.get_request(selectors.requests_of_companies(request.user), request_id)
    answers = selectors.answers_of(req)
    context = {"req": req, "answers": answers, "points": check.evaluate(answers), "rule": ratio.rule()}
    return render(request, "onboarding/request.html", context)


def request_pdf(request: HttpRequest, request_id: int) -> HttpResponse:
    req = selectors.get_request(selectors.requests_visible_to(request.user), request_id)
    try:
        return pdf.response(req)
    except pdf.PdfUnavailable:
        return render(request, "onboarding/pdf_unavailable.html", {"req": req}, status=503)


# --- the chamber's list ----------------------------------------------------------------------------------------


def chamber_list(request: HttpRequest) -> HttpResponse:
    requests = selectors.requests_for_chambers(request.user)
    status = request.GET.get("status", "")
    if status in OnboardingStatus.values:
        requests = requests.filter(status=status)
    context = {"requests": requests, "status": status, "statuses": OnboardingStatus.choices}
    return render(request, "onboarding/chamber_list.html", context)


def chamber_request(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    req = selectors.get_request(selectors.requests_for_chambers(request.user), request_id)
    form = forms.HandleForm(
        request.POST or None, initial={"status": req.status, "chamber_note": req.chamber_note}
    )
    done = submit_form(
        request,
        form,
        lambda: services.onboarding_request_handle(
            actor=request.user,
            request=req,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["chamber_note"],
        ),
        success=_("Saved."),
        then=lambda _req: redirect("onboarding:chamber_request", request_id=req.pk),
    )
    if done:
        return done
    answers = selectors.answers_of(req)
    context = {
        "req": req,
        "answers": answers,
        "points": check.evaluate(answers),
        "form": form,
        "rule": ratio.rule(),
    }
    return render(request, "onboarding/chamber_request.html", context)
