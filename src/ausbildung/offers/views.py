"""Pages of the offers app. Page access is declared in `access.RULES` (core.permissions enforces it); objects
are fetched through the scoped selectors, so someone else's offer or application is simply not found."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ausbildung.core import exports, geo, permissions
from ausbildung.core.audit import note_read
from ausbildung.core.forms import add_service_errors, submit_form
from ausbildung.core.models import Organisation
from ausbildung.core.types import AuthenticatedRequest
from ausbildung.staff import selectors as staff_selectors

from . import access, forms, jsonld, selectors, services
from .models import Application, Offer, SeekerProfile
from .search import RESULT_CAP, CappedPaginator, SearchParams, offer_fit, offer_search, seeker_for

PAGE_SIZE = 20


# --- young people: search, offer, apply -------------------------------------------------------------------------


# How many places of one name the search page offers to choose from; the others: add the Land or postcode.
PLACE_CHOICES = 12


def search(request: HttpRequest) -> HttpResponse:
    form = forms.SearchForm(request.GET or None)
    params = SearchParams()
    valid = form.is_valid() if form.is_bound else True
    if form.is_bound and valid:
        data = form.cleaned_data
        params = SearchParams(
            query=data["q"],
            occupation_id=data["beruf"].pk if data["beruf"] else None,
            place=data["ort"],
            radius_km=data["umkreis"],
            start_from=data["ab"],
            start_until=data["bis"],
            certificate=data["abschluss"],
            free_only=data["frei"],
            sort=data["sortierung"],
        )
    seeker = seeker_for(request.user)
    if params.certificate == "" and seeker.certificate and not form.is_bound:
        params.certificate = ""  # a profile certificate ranks offers; it filters only when chosen here
    result = offer_search(params, seeker=seeker, cap=RESULT_CAP + 1)
    place = result.place
    if place is not None and place.place is None:
        # Said at the place field; the results area lists the choices instead of offers (none were searched).
        form.add_error("ort", forms.place_error(place))
    # With an input the search could not use, no offers are listed: they would look filtered by it.
    searched = valid and not form.errors
    page = CappedPaginator(result.offers if searched else Offer.objects.none(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(offer, offer_fit(offer, result.seeker)) for offer in page.object_list]
    choices = place.choices if place is not None else ()
    context = {
        "form": form,
        "searched": searched,
        "page": page,
        "rows": rows,
        "origin": result.origin,
        "place": place,
        "place_links": _place_links(request, choices[:PLACE_CHOICES]),
        "place_more": max(0, len(choices) - PLACE_CHOICES),
        "suggestion_links": _place_links(request, place.suggestions if place is not None else ()),
        "has_profile": bool(seeker.interests or seeker.certificate or seeker.latitude is not None),
        "is_pupil": "pupil" in permissions.roles_of(request.user),
    }
    template = "offers/_results.html" if getattr(request, "htmx", False) else "offers/search.html"
    return render(request, template, context)


def _place_links(request: HttpRequest, choices: Iterable[geo.Choice]) -> list[dict[str, Any]]:
    """Each place choice as a link to the same search with the place query that names exactly it."""
    links = []
    for choice in choices:
        query = request.GET.copy()
        query["ort"] = choice.query
        query.pop("page", None)
        links.append({"choice": choice, "url": f"{reverse('offers:search')}?{query.urlencode()}"})
    return links


def detail(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = selectors.get_public_offer(offer_id)
    seeker = seeker_for(request.user)
    application = None
    if request.user.is_authenticated:
        application = Application.objects.filter(offer=offer, applicant=request.user).first()
    context = {
        "offer": offer,
        "fit": offer_fit(offer, seeker),
        "jsonld": jsonld.script_json(jsonld.job_posting(offer, request)) if offer.is_public else "",
        "application": application,
        "is_pupil": "pupil" in permissions.roles_of(request.user),
        "deadline_passed": offer.deadline is not None and offer.deadline < timezone.localdate(),
    }
    return render(request, "offers/detail.html", context)


def apply(request: AuthenticatedRequest, offer_id: int) -> HttpResponse:
    offer = selectors.get_public_offer(offer_id)
    existing = Application.objects.filter(offer=offer, applicant=request.user).first()
    if existing is not None:
        return redirect("offers:application", application_id=existing.pk)
    form = forms.ApplyForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: services.application_create(
            actor=request.user, offer=offer, message=form.cleaned_data["message"]
        ),
        success=_("Your application is saved as a draft. Add documents, then send it."),
        then=lambda application: redirect("offers:application", application_id=application.pk),
    )
    return done or render(request, "offers/apply.html", {"offer": offer, "form": form})


def my_applications(request: AuthenticatedRequest) -> HttpResponse:
    applications = selectors.applications_of(request.user)
    return render(request, "offers/my_applications.html", {"applications": applications})


def profile(request: AuthenticatedRequest) -> HttpResponse:
    current = SeekerProfile.objects.filter(user=request.user).first()
    initial = (
        {
            "postcode": current.postcode,
            "certificate": current.certificate,
            "interests": current.interests.all(),
        }
        if current
        else {}
    )
    form = forms.ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.seeker_profile_save(
            user=request.user,
            postcode=form.cleaned_data["postcode"],
            certificate=form.cleaned_data["certificate"],
            interests=list(form.cleaned_data["interests"]),
        )
        messages.success(request, _("Saved. The search now explains how offers fit you."))
        return redirect("offers:search")
    return render(request, "offers/profile.html", {"form": form})


# --- one application (both sides) ------------------------------------------------------------------------------


STEP_LABELS: dict[str, Any] = {
    Application.State.SENT: gettext_lazy("Send application"),
    Application.State.INVITED: gettext_lazy("Invite to an interview"),
    Application.State.OFFERED: gettext_lazy("Offer the place"),
    Application.State.ACCEPTED: gettext_lazy("Accept the place"),
    Application.State.DECLINED: gettext_lazy("Decline"),
    Application.State.WITHDRAWN: gettext_lazy("Withdraw"),
}


def _application_context(
    app: Application, side: str, *, document_form: Any = None, interview_forms: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The application page's context; a bound `document_form` (an upload with its error) keeps the upload
    form on the page whatever the state, so the error shows beside the field."""
    applicant, company = side == access.APPLICANT_SIDE, side == access.COMPANY_SIDE
    return {
        "application": app,
        "offer": app.offer,
        "side": side,
        "steps": [(state, STEP_LABELS[state]) for state in services.allowed_steps(app, side)],
        "events": app.events.select_related("actor"),
        "documents": app.documents.all(),
        "notes": app.notes.select_related("author") if company else [],
        "document_form": document_form
        if document_form is not None
        else (forms.DocumentForm() if applicant else None),
        "step_form": forms.StepForm(),
        "note_form": forms.NoteForm() if company else None,
        "interview_steps": services.interview_steps(app, side),
        # before the company offers the place: would one more apprentice exceed the site's ratio guidance
        # (BBiG § 27 Abs. 1 Nr. 2)? A warning only; the chamber decides (staff.selectors).
        "site_check": staff_selectors.site_check_before_new_contract(app.offer.site)
        if company and Application.State.OFFERED in services.allowed_steps(app, side)
        else None,
        "interview_text": services.interview_text(app),
        "propose_form": (interview_forms or {}).get("propose")
        or forms.InterviewProposeForm(prefix="propose"),
        "counter_form": (interview_forms or {}).get("counter") or forms.InterviewDateForm(prefix="counter"),
        "decline_form": (interview_forms or {}).get("decline")
        or forms.InterviewDeclineForm(prefix="decline"),
        "can_upload": document_form is not None
        or (
            applicant
            and app.state in {Application.State.DRAFT, Application.State.SENT, Application.State.INVITED}
        ),
    }


def application(request: AuthenticatedRequest, application_id: int) -> HttpResponse:
    app, side = selectors.get_application_for(request.user, application_id)
    note_read(request, [app.applicant_id], "offers.application", app, roles=permissions.COMPANY_STAFF_ROLES)
    return render(request, "offers/application.html", _application_context(app, side))


@require_POST
def application_step(request: AuthenticatedRequest, application_id: int) -> HttpResponse:
    app, side = selectors.get_application_for(request.user, application_id)
    to = request.POST.get("to", "")
    form = forms.StepForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        result = services.application_transition(
            actor=request.user, side=side, application=app, to=to, message=message
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request, _("Done: the application is now “%(state)s”.") % {"state": Application.State(to).label}
        )
        if result.contract is not None and side == access.APPLICANT_SIDE:
            messages.info(request, _("The company now prepares your training contract."))
    return redirect("offers:application", application_id=app.pk)


INTERVIEW_DONE = {
    "propose": gettext_lazy("The interview date was proposed to the applicant."),
    "accept": gettext_lazy("You accepted the date. The company knows."),
    "counter": gettext_lazy("Your proposal was sent. The company confirms it or proposes another date."),
    "confirm": gettext_lazy("The date was confirmed to the applicant."),
    "decline": gettext_lazy("You declined the invitation. The company knows."),
}


@require_POST
def interview(request: AuthenticatedRequest, application_id: int) -> HttpResponse:
    """One step of an invitation's interview date (`services.INTERVIEW_STEPS`): the company proposes or
    confirms a date; the applicant accepts it, proposes another or declines the invitation."""
    app, side = selectors.get_application_for(request.user, application_id)
    action = request.POST.get("action", "")
    form: Any = None
    try:
        if action == "propose":
            form = forms.InterviewProposeForm(request.POST, prefix="propose")
            if form.is_valid():
                services.interview_propose(
                    actor=request.user,
                    side=side,
                    application=app,
                    at=form.at(),
                    place=form.cleaned_data["place"],
                    online=form.cleaned_data["online"],
                    message=form.cleaned_data["message"],
                )
        elif action == "counter":
            form = forms.InterviewDateForm(request.POST, prefix="counter")
            if form.is_valid():
                services.interview_counter(
                    actor=request.user,
                    side=side,
                    application=app,
                    at=form.at(),
                    message=form.cleaned_data["message"],
                )
        elif action == "decline":
            form = forms.InterviewDeclineForm(request.POST, prefix="decline")
            if form.is_valid():
                services.interview_decline(
                    actor=request.user, side=side, application=app, reason=form.cleaned_data["reason"]
                )
        elif action == "accept":
            services.interview_accept(actor=request.user, side=side, application=app)
        elif action == "confirm":
            services.interview_confirm(actor=request.user, side=side, application=app)
        else:
            messages.error(request, _("Unknown step."))
            return redirect("offers:application", application_id=app.pk)
    except ValidationError as error:
        if form is None:
            for text in error.messages:
                messages.error(request, text)
            return redirect("offers:application", application_id=app.pk)
        add_service_errors(form, error)
    if form is not None and form.errors:
        context = _application_context(app, side, interview_forms={action: form})
        return render(request, "offers/application.html", context, status=400)
    messages.success(request, INTERVIEW_DONE[action])
    return redirect("offers:application", application_id=app.pk)


@require_POST
def document_upload(request: AuthenticatedRequest, application_id: int) -> HttpResponse:
    app, side = selectors.get_application_for(request.user, application_id, side=access.APPLICANT_SIDE)
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.application_document_add(
                actor=request.user, application=app, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The document was added."))
            return redirect("offers:application", application_id=app.pk)
    # Show the page again with the error beside the field.
    context = _application_context(app, side, document_form=form)
    return render(request, "offers/application.html", context, status=400)


@require_POST
def document_delete(request: AuthenticatedRequest, document_id: int) -> HttpResponse:
    document = selectors.get_document_for(request.user, document_id)
    application_id = document.application_id
    try:
        services.application_document_delete(actor=request.user, document=document)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("offers:application", application_id=application_id)


def document(request: AuthenticatedRequest, document_id: int) -> FileResponse:
    document = selectors.get_document_for(request.user, document_id)
    note_read(
        request,
        [document.application.applicant_id],
        "offers.document",
        document,
        roles=permissions.COMPANY_STAFF_ROLES,
    )
    return exports.stored_file(
        document.file, content_type=document.content_type, file_name=document.original_name
    )


@require_POST
def note(request: AuthenticatedRequest, application_id: int) -> HttpResponse:
    app, _side = selectors.get_application_for(request.user, application_id, side=access.COMPANY_SIDE)
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        services.application_note_add(actor=request.user, application=app, text=form.cleaned_data["text"])
        messages.success(request, _("The note was saved."))
    else:
        messages.error(request, _("Please write a note."))
    return redirect("offers:application", application_id=app.pk)


# --- companies: their offers ------------------------------------------------------------------------------------


def company_offers(request: AuthenticatedRequest) -> HttpResponse:
    offers = selectors.offers_of_companies(request.user)
    companies = access.offer_companies_for(request.user)
    return render(request, "offers/company_offers.html", {"offers": offers, "companies": companies})


def _companies(request: AuthenticatedRequest):
    return access.offer_companies_for(request.user)


def _to_company_offers(_offer: Offer) -> HttpResponse:
    return redirect("offers:company_offers")


def _offer_form(request: AuthenticatedRequest, companies, initial: dict | None = None) -> forms.OfferForm:
    """The offer form of the request: bound to the posted data, or – when the company only asked for the
    chosen occupation's specialisations (the button beside the occupation, for a browser without script) –
    unbound with the posted values as its initial values, so that nothing is saved and no error shows."""
    if request.method != "POST":
        return forms.OfferForm(companies=companies, initial=initial)
    if forms.OfferForm.REFRESH in request.POST:
        posted = {
            name: request.POST.get(name) for name in forms.OfferForm.base_fields if name in request.POST
        }
        return forms.OfferForm(companies=companies, initial=posted)
    return forms.OfferForm(request.POST, companies=companies, initial=initial)


def _offer_page(request: AuthenticatedRequest, form: forms.OfferForm, offer: Offer | None) -> HttpResponse:
    return render(request, "offers/offer_form.html", {"form": form, "offer": offer})


def offer_create(request: AuthenticatedRequest) -> HttpResponse:
    companies = _companies(request)
    form = _offer_form(request, companies)

    def create() -> Offer:
        data = form.to_input()
        return services.offer_create(
            actor=request.user,
            company=data.site.company,
            data=data,
            publish=request.POST.get("publish") == "1",
        )

    done = form.is_bound and submit_form(
        request, form, create, success=_("The offer was saved."), then=_to_company_offers
    )
    return done or _offer_page(request, form, None)


def offer_edit(request: AuthenticatedRequest, offer_id: int) -> HttpResponse:
    offer = selectors.get_company_offer_for(request.user, offer_id)
    companies = Organisation.objects.filter(pk=offer.company_id)
    form = _offer_form(request, companies, initial=forms.OfferForm.initial_from(offer))
    done = form.is_bound and submit_form(
        request,
        form,
        lambda: services.offer_update(actor=request.user, offer=offer, data=form.to_input()),
        success=_("The offer was saved."),
        then=_to_company_offers,
    )
    return done or _offer_page(request, form, offer)


def offer_specialisations(request: AuthenticatedRequest) -> HttpResponse:
    """The specialisation field of the offer form for the occupation in `?occupation=` (htmx fragment: the
    form swaps it in when the occupation changes)."""
    form = forms.OfferForm(
        companies=_companies(request), initial={"occupation": request.GET.get("occupation")}
    )
    return render(request, "offers/_specialisation_field.html", {"form": form})


@require_POST
def offer_status(request: AuthenticatedRequest, offer_id: int) -> HttpResponse:
    offer = selectors.get_company_offer_for(request.user, offer_id)
    status = request.POST.get("status", "")
    if status not in Offer.Status.values:
        messages.error(request, _("Unknown status."))
        return redirect("offers:company_offers")
    try:
        services.offer_set_status(actor=request.user, offer=offer, status=status)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        if status == Offer.Status.PUBLISHED:
            return redirect("offers:edit", offer_id=offer.pk)
    else:
        messages.success(
            request, _("The offer is now “%(status)s”.") % {"status": Offer.Status(status).label}
        )
    return redirect("offers:company_offers")


@require_POST
def offer_copy(request: AuthenticatedRequest, offer_id: int) -> HttpResponse:
    offer = selectors.get_company_offer_for(request.user, offer_id)
    copy = services.offer_copy(actor=request.user, offer=offer)
    messages.success(request, _("A copy was created as a draft. Check the dates and publish it."))
    return redirect(reverse("offers:edit", kwargs={"offer_id": copy.pk}))


def inbox(request: AuthenticatedRequest, offer_id: int) -> HttpResponse:
    offer = selectors.get_company_offer_for(request.user, offer_id)
    state = request.GET.get("status", "")
    applications = (
        offer.applications.exclude(state=Application.State.DRAFT)
        .select_related("applicant")
        .order_by("state", "sent_at", "id")
    )
    if state in Application.State.values:
        applications = applications.filter(state=state)
    shown = list(applications)
    note_read(
        request, [a.applicant_id for a in shown], "offers.applications", roles=permissions.COMPANY_STAFF_ROLES
    )
    return render(
        request,
        "offers/inbox.html",
        {
            "offer": offer,
            "applications": shown,
            "state": state,
            "states": [
                choice for choice in Application.State.choices if choice[0] != Application.State.DRAFT
            ],
        },
    )
