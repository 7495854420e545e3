from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import audit, digests, permissions, selectors, services
from .accounts.views import AFTER_SIGNUP
from .areas import areas_for, contract_links_for
from .forms import ContractPlanForm, ContractTermsForm, DigestForm, LoginForm, submit_form
from .models import Occupation, Role, Specialisation, TrainingContract, User
from .params import parse_id, parse_int
from .roles import ROLE_TEXTS
from .types import AuthenticatedRequest
from .waiting import waiting_for

ACTING_SESSION_KEY = "acting_membership_id"


def landing(request: HttpRequest) -> HttpResponse:
    # The areas open to everyone (the offer search, the occupation explorer …), as the apps register them.
    return render(request, "core/landing.html", {"public_areas": areas_for(AnonymousUser())})


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def home(request: HttpRequest) -> HttpResponse:
    memberships = list(selectors.memberships_of(request.user))
    acting = next((m for m in memberships if m.pk == request.session.get(ACTING_SESSION_KEY)), None)
    if acting is None and memberships:
        acting = memberships[0]
    roles = permissions.roles_of(request.user)
    role_cards = [(Role(role).label, ROLE_TEXTS[role]) for role in sorted(roles) if role in ROLE_TEXTS]
    acting_role = acting.role if acting else (sorted(roles)[0] if roles else "")
    informal = ROLE_TEXTS[acting_role].informal if acting_role in ROLE_TEXTS else False
    context = {
        "memberships": memberships,
        "acting": acting,
        "acting_text": ROLE_TEXTS.get(acting_role),
        "informal": informal,
        "role_cards": role_cards,
        "areas": areas_for(request.user),
        "waiting": waiting_for(request.user),
        "wards": list(permissions.current_wards_of(request.user)) if Role.GUARDIAN in roles else [],
        # A person without any role (a confirmed sign-up) goes on by joining a class (core.accounts).
        "join_url": "" if roles else reverse(AFTER_SIGNUP),
    }
    return render(request, "core/home.html", context)


def digest_settings(request: HttpRequest) -> HttpResponse:
    """The person's own choice of the e-mail digest (off by default, DSGVO Art. 25 Abs. 2)."""
    user = request.user
    informal = digests.informal_for(user)  # type: ignore[arg-type]
    form = DigestForm(request.POST or None, initial={"frequency": digests.digest_frequency_of(user)})  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        digests.digest_preference_save(actor=user, frequency=form.cleaned_data["frequency"])  # type: ignore[arg-type]
        messages.success(request, _("Saved."))
        return redirect("core:digest")
    return render(
        request, "core/digest.html", {"form": form, "informal": informal, "waiting": waiting_for(user)}
    )


def read_log(request: AuthenticatedRequest) -> HttpResponse:
    """Who of the staff read the person's data (core.audit); a guardian also sees it for each current ward."""
    user = request.user
    wards = list(permissions.current_wards_of(user))
    person: User | None = user
    if "person" in request.GET:
        chosen = parse_id(request.GET["person"])
        person = next((ward for ward in wards if ward.pk == chosen), None)
    if person is None:
        raise Http404
    page = Paginator(audit.reads_of(person.pk), 50).get_page(request.GET.get("page"))
    context = {
        "person": person,
        "own": person.pk == user.pk,
        "wards": wards,
        "informal": digests.informal_for(user),
        "page": page,
        "days": audit.reads_by_day(page.object_list),
        "retention_years": audit.READ_RETENTION_DAYS // 365,
    }
    return render(request, "core/read_log.html", context)


@require_POST
def acting_as(request: HttpRequest) -> HttpResponse:
    """Choose which membership the person currently acts in (shown on the home page)."""
    raw = request.POST.get("membership", "")
    membership = selectors.memberships_of(request.user).filter(pk=parse_id(raw) or 0).first()
    if membership is not None:
        request.session[ACTING_SESSION_KEY] = membership.pk
    return redirect("core:home")


def contract_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in TrainingContract.Status.values:
        status = ""
    query = request.GET.get("q", "").strip()[:100]
    contracts = selectors.contract_list_for(request.user, status=status, query=query)
    page = Paginator(contracts, 25).get_page(request.GET.get("page"))
    audit.note_read(request, [c.apprentice_id for c in page.object_list], "core.contract_list")
    context = {"page": page, "status": status, "query": query, "statuses": TrainingContract.Status.choices}
    template = "core/_contract_rows.html" if getattr(request, "htmx", False) else "core/contract_list.html"
    return render(request, template, context)


def _contract_page(
    request: HttpRequest, contract: TrainingContract, terms_form: ContractTermsForm | None
) -> HttpResponse:
    """The contract page, shown by `contract_detail` and again by `contract_terms` with its form's errors."""
    context = {
        "contract": contract,
        "show_date_of_birth": permissions.can_see_date_of_birth(request.user, contract),  # type: ignore[arg-type]
        "trainer_links": contract.trainer_links.all(),
        "contract_links": contract_links_for(request.user, contract),
        "electives": list(contract.electives.order_by("position")),
        "can_edit_plan": permissions.can_edit_contract_plan(request.user, contract),
        "terms_form": terms_form,
    }
    return render(request, "core/contract_detail.html", context)


def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = selectors.get_contract_for(request.user, pk)
    audit.note_read(request, [contract.apprentice_id], "core.contract", contract)
    terms_form = None
    if permissions.can_edit_contract_terms(request.user, contract):
        terms_form = ContractTermsForm(
            initial={"weekly_hours": contract.weekly_hours, "written_exam_date": contract.written_exam_date}
        )
    return _contract_page(request, contract, terms_form)


@require_POST
def contract_terms(request: HttpRequest, pk: int) -> HttpResponse:
    """The company's side saves the contract's agreed weekly hours and written exam date."""
    contract = selectors.get_contract_terms_for(request.user, pk)
    form = ContractTermsForm(request.POST)
    done = submit_form(
        request,
        form,
        lambda: services.contract_terms_update(
            actor=request.user,  # type: ignore[arg-type]
            contract=contract,
            weekly_hours=form.cleaned_data["weekly_hours"],
            written_exam_date=form.cleaned_data["written_exam_date"],
        ),
        success=_("The contract was saved."),
        then=lambda saved: redirect("core:contract_detail", pk=saved.pk),
    )
    if done is not None:
        return done
    return _contract_page(request, contract, form)


def contract_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The company (administrator or trainer of the contract) sets its specialisation and electives."""
    contract = selectors.get_contract_plan_for(request.user, pk)
    units = services.elective_units(contract.occupation)
    initial = {"specialisation": contract.specialisation, "electives": list(contract.electives.all())}
    data = request.POST if request.method == "POST" else None
    form = ContractPlanForm(data, initial=initial, occupation=contract.occupation, electives=units)
    done = submit_form(
        request,
        form,
        lambda: services.contract_set_plan(
            actor=request.user,  # type: ignore[arg-type]
            contract=contract,
            specialisation=form.cleaned_data.get("specialisation"),
            electives=list(form.cleaned_data["electives"]),
        ),
        success=_("The training plan of the contract is saved."),
        then=lambda c: redirect("core:contract_detail", pk=c.pk),
    )
    if done is not None:
        return done
    return render(request, "core/contract_plan.html", {"contract": contract, "form": form, "units": units})


# --- error pages ---------------------------------------------------------------------------------------------


def server_error(request: HttpRequest) -> HttpResponse:
    """A friendly 500 page in the layout; falls back to plain HTML if even the layout fails."""
    try:
        return HttpResponseServerError(loader.render_to_string("500.html", request=request))
    except Exception:
        return HttpResponseServerError(
            "<!doctype html><html lang='de'><title>Fehler</title><h1>{}</h1></html>".format(
                _("Something went wrong on our side.")
            )
        )


# --- occupation catalogue (public) ---------------------------------------------------------------------------


def occupation_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    raw_duration = request.GET.get("dauer", "")
    duration = parse_int(raw_duration, minimum=1, maximum=1000)
    occupations = selectors.occupation_search(query, duration=duration)
    page = Paginator(occupations, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "duration": duration,
        "duration_invalid": bool(raw_duration) and duration is None,
        "durations": selectors.occupation_durations(),
    }
    template = (
        "core/_occupation_rows.html" if getattr(request, "htmx", False) else "core/occupation_list.html"
    )
    return render(request, template, context)


def occupation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    occupation = selectors.get_occupation(slug)
    plan = getattr(occupation, "framework_plan", None)
    context = {
        "occupation": occupation,
        "plan": plan,
        "sections": plan_sections(selectors.framework_positions(occupation)) if plan else [],
        "specialisation_groups": specialisation_groups(occupation),
        "profile_positions": occupation.profile_positions.all(),
    }
    return render(request, "core/occupation_detail.html", context)


SPECIALISATION_HEADINGS = {
    Specialisation.Kind.FACHRICHTUNG: gettext_lazy("Fachrichtungen (specialisations)"),
    Specialisation.Kind.SCHWERPUNKT: gettext_lazy("Schwerpunkte (focus areas)"),
    Specialisation.Kind.EINSATZGEBIET: gettext_lazy("Einsatzgebiete (fields of deployment)"),
    Specialisation.Kind.OTHER: gettext_lazy("Other specialisations"),
}


def specialisation_groups(occupation: Occupation) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for specialisation in occupation.specialisations.all():
        groups.setdefault(specialisation.kind, []).append(specialisation.name)
    return [
        (str(heading), groups[kind]) for kind, heading in SPECIALISATION_HEADINGS.items() if kind in groups
    ]


def plan_sections(positions) -> list[dict]:
    """Group framework positions into the tables of the annex, one per section, with one cell per period."""
    sections: list[dict] = []
    for position in positions:
        key = (position.section_label, position.section_title, position.specialisation_id, position.kind)
        if not sections or sections[-1]["key"] != key:
            sections.append(
                {
                    "key": key,
                    "label": position.section_label,
                    "title": position.section_title,
                    "specialisation": position.specialisation,
                    "optional": position.optional,
                    "elective": position.kind == position.Kind.ELECTIVE,
                    "periods": position.periods,
                    "rows": [],
                }
            )
        sections[-1]["rows"].append({"position": position, "cells": time_cells(position)})
    return sections


def time_cells(position) -> list[str]:
    """The Richtwert per period as printed: weeks or months where read, else the raw cell text."""
    cells = []
    for index in range(len(position.periods)):
        value = None
        for series in (position.weeks, position.months):
            if index < len(series) and series[index] is not None:
                value = series[index]
                break
        if value is None and index < len(position.time_raw):
            value = position.time_raw[index] or ""
        cells.append("" if value is None else str(value))
    return cells
