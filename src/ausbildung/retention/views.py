"""Pages of dropout prevention (issue #20). Page access: `access.RULES`; which contract a person may open:
`access` scopes (404 outside them)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from ausbildung.core.audit import note_read
from ausbildung.core.forms import add_service_errors
from ausbildung.core.models import Role, TrainingContract
from ausbildung.core.params import parse_id
from ausbildung.core.services import add_months
from ausbildung.core.types import AuthenticatedRequest

from . import access, forms, nightly, selectors, services, signals
from .models import Assessment, CheckIn, Intervention, SchoolNote, TalkRequest

STAFF = (Role.COMPANY_ADMIN, Role.TRAINER, Role.CHAMBER_OFFICER, Role.PLATFORM_ADMIN)
# the levels in words (German first: "Kein Hinweis", "Im Blick behalten", "Gesprächsbedarf")
LEVEL_TEXT = dict(Assessment.Level.choices)
# what the company's list shows of a contract, and what its scoring reads (selectors.ContractRow)
LIST_FIELDS = (
    "id",
    "start_date",
    "probation_end",
    "site_id",
    "chamber_id",
    "apprentice_id",
    "occupation_id",
    "apprentice__first_name",
    "apprentice__last_name",
    "occupation__name",
    "chamber__chamber_kind",
)


@dataclass(frozen=True)
class ListRow:
    contract: TrainingContract
    score: signals.Score
    level_text: str | Promise
    talk_wanted: bool
    follow_ups_due: int


def _own_contract(request: AuthenticatedRequest) -> TrainingContract:
    contract = selectors.own_contract(request.user)
    if contract is None:
        raise Http404
    return contract


# --- the apprentice -------------------------------------------------------------------------------------------


def mine(request: AuthenticatedRequest) -> HttpResponse:
    contract = selectors.own_contract(request.user)
    today = timezone.localdate()
    context: dict = {"contract": contract}
    if contract is not None:
        row = selectors.scored([contract], today=today, private=True)[0]
        consent = selectors.consent_of(contract)
        due = selectors.due_checkin(contract, today=today)
        context.update(
            score=row.score,
            level_text=LEVEL_TEXT[row.score.level],
            due=due,
            due_label=CheckIn.Occasion(due).label if due else "",
            talks=selectors.open_talks(contract),
            talk_form=forms.TalkForm(),
            consent=consent,
            consent_counts=selectors.consent_counts(consent, contract, today=today),
            minor=contract.apprentice.is_minor_on(today) is not False,
            answered=CheckIn.objects.filter(contract=contract).order_by("answered_at"),
        )
    return render(request, "retention/mine.html", context)


def checkin(request: AuthenticatedRequest) -> HttpResponse:
    contract = _own_contract(request)
    occasion = selectors.due_checkin(contract, today=timezone.localdate())
    if occasion is None:
        messages.info(request, pgettext("du", "No check-in is open at the moment."))
        return redirect("retention:mine")
    form = forms.CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        talk_with = data.pop("talk_with")
        try:
            services.checkin_answer(actor=request.user, contract=contract, occasion=occasion, answers=data)
            if talk_with:
                services.talk_request(actor=request.user, contract=contract, addressee=talk_with)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, pgettext("du", "Thank you. Only you see your answers."))
            return redirect("retention:mine")
    return render(
        request,
        "retention/checkin.html",
        {"form": form, "contract": contract, "occasion": CheckIn.Occasion(occasion).label},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def talk(request: AuthenticatedRequest) -> HttpResponse:
    contract = _own_contract(request)
    form = forms.TalkForm(request.POST)
    if form.is_valid():
        services.talk_request(actor=request.user, contract=contract, addressee=form.cleaned_data["addressee"])
        messages.success(request, pgettext("du", "We have passed on that you would like a talk."))
    else:
        messages.error(request, pgettext("du", "Choose whom you want to talk to."))
    return redirect("retention:mine")


@require_POST
def consent(request: AuthenticatedRequest) -> HttpResponse:
    contract = _own_contract(request)
    if request.POST.get("action") == "withdraw":
        services.consent_withdraw(actor=request.user, contract=contract)
        messages.success(
            request, pgettext("du", "Withdrawn: the chamber sees you only in its figures again.")
        )
    elif request.POST.get("action") == "grant":
        services.consent_grant(actor=request.user, contract=contract)
        messages.success(
            request, pgettext("du", "Thank you: the chamber's training adviser may now see your signals.")
        )
    else:
        raise Http404
    return redirect("retention:mine")


def guardian(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        pending = {consent.pk: consent for consent in selectors.pending_guardian_consents(request.user)}
        chosen = parse_id(request.POST.get("consent"))
        consent = pending.get(chosen) if chosen is not None else None
        if consent is None:
            raise Http404
        services.consent_confirm(actor=request.user, consent=consent)
        messages.success(request, _("Confirmed."))
        return redirect("retention:guardian")
    return render(
        request, "retention/guardian.html", {"pending": selectors.pending_guardian_consents(request.user)}
    )


# --- the company ----------------------------------------------------------------------------------------------


def company(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    contracts = list(
        access.company_contracts(request.user)
        .select_related(None)
        .select_related("apprentice", "occupation", "chamber")
        .only(*LIST_FIELDS)
        .order_by("pk")
    )
    scored = selectors.scored(contracts, today=today)
    ids = [row.contract.pk for row in scored]
    due = selectors.follow_ups_due(ids, today=today)
    talks = set(
        TalkRequest.objects.filter(
            contract_id__in=ids, addressee=TalkRequest.Addressee.COMPANY, closed_at__isnull=True
        ).values_list("contract_id", flat=True)
    )
    rows = [
        ListRow(
            row.contract,
            row.score,
            LEVEL_TEXT[row.score.level],
            row.contract.pk in talks,
            due.get(row.contract.pk, 0),
        )
        for row in scored
    ]
    note_read(request, [row.contract.apprentice_id for row in rows], "retention.list", roles=STAFF)
    return render(request, "retention/company.html", {"rows": rows, "today": today})


def _contract_for(request: AuthenticatedRequest, contract_id: int) -> TrainingContract:
    return get_object_or_404(
        access.contracts_to_open(request.user).select_related(
            "apprentice", "occupation", "site", "chamber", "company"
        ),
        pk=contract_id,
    )


def contract(
    request: AuthenticatedRequest, contract_id: int, form: forms.InterventionForm | None = None
) -> HttpResponse:
    found = _contract_for(request, contract_id)
    today = timezone.localdate()
    row = selectors.scored([found], today=today)[0]
    note_read(request, [found.apprentice_id], "retention.contract", found, roles=STAFF)
    return render(
        request,
        "retention/contract.html",
        {
            "contract": found,
            "score": row.score,
            "level_text": LEVEL_TEXT[row.score.level],
            "interventions": selectors.interventions(found),
            "talks": selectors.open_talks(found),
            "form": form or forms.InterventionForm(initial={"held_on": today}),
            "today": today,
            "can_dissolve": access.company_contracts(request.user).filter(pk=found.pk).exists(),
        },
        status=400 if form is not None else 200,
    )


@require_POST
def intervention(request: AuthenticatedRequest, contract_id: int) -> HttpResponse:
    found = _contract_for(request, contract_id)
    form = forms.InterventionForm(request.POST)
    if form.is_valid():
        try:
            services.intervention_add(actor=request.user, contract=found, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The step is noted."))
            return redirect("retention:contract", contract_id=found.pk)
    return contract(request, contract_id, form=form)


@require_POST
def follow_up(request: AuthenticatedRequest, intervention_id: int) -> HttpResponse:
    step = get_object_or_404(
        Intervention.objects.filter(contract__in=access.contracts_to_open(request.user)), pk=intervention_id
    )
    services.follow_up_done(actor=request.user, intervention=step)
    messages.success(request, _("Marked as looked at again."))
    return redirect("retention:contract", contract_id=step.contract_id)


@require_POST
def talk_close(request: AuthenticatedRequest, talk_id: int) -> HttpResponse:
    request_ = get_object_or_404(
        TalkRequest.objects.filter(contract__in=access.contracts_to_open(request.user)), pk=talk_id
    )
    services.talk_close(actor=request.user, request=request_)
    messages.success(request, _("The request for a talk is closed."))
    return redirect("retention:contract", contract_id=request_.contract_id)


# --- the chamber ----------------------------------------------------------------------------------------------


def chamber(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    contracts = access.chamber_contracts(request.user)
    run = nightly.latest_run()
    individual = selectors.scored(access.chamber_individual_contracts(request.user), today=today)
    asked = set(
        TalkRequest.objects.filter(
            contract__in=[row.contract for row in individual],
            addressee=TalkRequest.Addressee.CHAMBER,
            closed_at__isnull=True,
        ).values_list("contract_id", flat=True)
    )
    note_read(request, [row.contract.apprentice_id for row in individual], "retention.list", roles=STAFF)
    recent = access.chamber_dissolutions(request.user).filter(ended_on__gte=add_months(today, -24))
    return render(
        request,
        "retention/chamber.html",
        {
            "dissolutions": selectors.dissolution_figures(recent.select_related("contract"), today=today),
            "levels": selectors.chamber_levels(contracts, run=run),
            "run": run,
            "quality": selectors.score_quality(),
            "individual": individual,
            "asked": asked,
            "level_text": LEVEL_TEXT,
            "minimum": selectors.MINIMUM,
        },
    )


# --- the vocational school ------------------------------------------------------------------------------------


def school(request: AuthenticatedRequest, form: forms.SchoolNoteForm | None = None) -> HttpResponse:
    contracts = list(access.school_contracts(request.user).select_related("apprentice", "occupation"))
    notes = selectors.school_notes([c.pk for c in contracts])
    note_read(
        request,
        [c.apprentice_id for c in contracts],
        "retention.school",
        roles=(Role.VOCATIONAL_SCHOOL_TEACHER,),
    )
    return render(
        request,
        "retention/school.html",
        {
            "form": form
            or forms.SchoolNoteForm(contracts=contracts, initial={"period_end": timezone.localdate()}),
            "notes": notes,
        },
        status=400 if form is not None else 200,
    )


@require_POST
def school_note(request: AuthenticatedRequest) -> HttpResponse:
    contracts = list(access.school_contracts(request.user).select_related("apprentice", "occupation"))
    form = forms.SchoolNoteForm(request.POST, contracts=contracts)
    if form.is_valid():
        found = next(c for c in contracts if c.pk == form.cleaned_data["contract"])
        try:
            services.school_note_add(
                actor=request.user,
                contract=found,
                kind=form.cleaned_data["kind"],
                days=form.cleaned_data["days"],
                period_end=form.cleaned_data["period_end"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The note is saved."))
            return redirect("retention:school")
    return school(request, form=form)


@require_POST
def school_note_withdraw(request: AuthenticatedRequest, note_id: int) -> HttpResponse:
    note = get_object_or_404(
        SchoolNote.objects.filter(contract__in=access.school_contracts(request.user)), pk=note_id
    )
    services.school_note_withdraw(actor=request.user, note=note)
    messages.success(request, _("The note is withdrawn."))
    return redirect("retention:school")


# --- after a dissolution ----------------------------------------------------------------------------------------


def dissolution(request: AuthenticatedRequest, contract_id: int) -> HttpResponse:
    found = get_object_or_404(
        access.company_contracts(request.user).select_related("apprentice", "occupation", "company"),
        pk=contract_id,
    )
    form = forms.DissolutionForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.dissolution_record(actor=request.user, contract=found, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The dissolution is recorded."))
            return redirect("retention:company")
    note_read(request, [found.apprentice_id], "retention.contract", found, roles=STAFF)
    return render(
        request,
        "retention/dissolution.html",
        {"contract": found, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def guidance(request: AuthenticatedRequest) -> HttpResponse:
    """The career guidance: young people whose training ended early, who agreed to be contacted, and for whom no
    new contract has begun on the platform three months later."""
    today = timezone.localdate()
    rows = [
        row
        for row in selectors.follow_ups(
            access.guidance_dissolutions(request.user).select_related(
                "contract__apprentice", "contract__occupation"
            ),
            today=today,
        )
        if row.windows[3] == selectors.NO
    ]
    note_read(
        request,
        [row.dissolution.contract.apprentice_id for row in rows],
        "retention.list",
        roles=(Role.COUNSELLOR,),
    )
    return render(request, "retention/guidance.html", {"rows": rows})
