"""API routes of the training-place exchange: the public offer search, and applications (both sides).

Access: the rules in `offers.access` (checked by the permission middleware), then the scoped selectors of
`offers.selectors` (`get_application_for` through `core.offers_access.application_side`,
`get_company_offer_for` through `offer_companies_for`): someone else's application or offer is not found
(404). Writes go through `offers.services`; their German messages come back as 422 problem details with
``errors`` = {field: message}.

The search takes the parameters of the web search. Each offer carries its fit score and the reasons in
words: for a signed-in pupil with a profile, measured against that profile; for everybody else the neutral
score (interests and certificate unknown; distance only when a place is given).
"""

# No `from __future__ import annotations`: django-ninja builds the query-parameter models from these
# annotations in its own namespace, where the module's type aliases would not resolve.
import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from ausbildung.core import geo, permissions
from ausbildung.core.audit import note_read
from ausbildung.core.models import Occupation, Role
from ausbildung.core.permissions import problem_response
from ausbildung.offers import access as offers_access
from ausbildung.offers import fit, search, selectors, services
from ausbildung.offers.models import Application, Certificate, Offer

from .auth import token_or_session
from .read_audit import AuditedPage
from .records import MAX_ID, Pagination, Problem, one_line, problem_from, signed_in_user, text_without_nul

router = Router(tags=["offers"], auth=token_or_session)

MAX_MESSAGE = 5000
SEEKER_ATTRIBUTE = "_ausbildung_offer_seeker"

CertificateValue = Literal["none", "esa", "msa", "fhr", "ahr"]
StateValue = Literal["draft", "sent", "invited", "offered", "accepted", "declined", "withdrawn"]
assert set(CertificateValue.__args__) == set(Certificate.values)  # type: ignore[attr-defined]  # noqa: S101
assert set(StateValue.__args__) == set(Application.State.values)  # type: ignore[attr-defined]  # noqa: S101


# --- schemas -------------------------------------------------------------------------------------------------


class SearchQuery(Schema):
    q: str = Field("", max_length=100, description="Words that must all occur (prefix match)")
    occupation: str = Field("", max_length=100, description="Slug of an occupation of the catalogue")
    place: str = Field(
        "",
        max_length=80,
        description=(
            'Postcode or place name, e.g. "66111", "Saarbrücken", "St. Wendel" or "Neunkirchen, Saarland". '
            "A name of several places, or of none, is answered with 400 and the candidates (each with the "
            "`query` that names exactly it)."
        ),
    )
    radius_km: int | None = Field(
        None, ge=1, le=search.MAX_RADIUS_KM, description="Only offers within this distance of the place"
    )
    start_from: datetime.date | None = None
    start_until: datetime.date | None = None
    certificate: CertificateValue | None = Field(
        None, description="The seeker's certificate: only offers expecting at most this one"
    )
    free_only: bool = Field(False, description="Only offers with a free place")
    sort: Literal["fit", "distance", "start"] = "fit"

    @field_validator("q", "occupation", "place")
    @classmethod
    def single_line(cls, value: str) -> str:
        return one_line(value)


class PlaceCandidateOut(Schema):
    query: str = Field(..., description="The `place` that names exactly this place")
    label: str
    name: str
    postcode: str = Field(..., description="Its lowest postcode")
    land: str
    kreis_ars: str
    latitude: float
    longitude: float
    distance_km: float | None = Field(
        None, description="From the pupil's profile postcode, when there is one"
    )


class PlaceProblem(Problem):
    """400: the `place` names several places (`candidates`) or none (`suggestions`, never taken as meant)."""

    candidates: list[PlaceCandidateOut] | None = None
    suggestions: list[PlaceCandidateOut] | None = None


class ReasonOut(Schema):
    code: str
    text: str
    good: bool


class FitOut(Schema):
    score: int = Field(..., description="0–100, see the documented rule in offers.fit")
    reasons: list[ReasonOut]
    distance_km: float | None


class OccupationRef(Schema):
    slug: str
    name: str


class OfferOut(Schema):
    id: int
    title: str
    occupation: OccupationRef
    company: str
    postcode: str
    city: str
    start_date: datetime.date
    places: int
    free_places: int
    certificate: str
    deadline: datetime.date | None
    status: str
    source: str
    external_url: str
    accepts_applications: bool
    fit: FitOut

    @staticmethod
    def resolve_title(obj: Offer) -> str:
        return obj.display_title

    @staticmethod
    def resolve_company(obj: Offer) -> str:
        return obj.company.name

    @staticmethod
    def resolve_fit(obj: Offer, context: dict[str, Any]) -> dict[str, Any]:
        seeker = getattr(context["request"], SEEKER_ATTRIBUTE, None) or fit.Seeker()
        return _fit_out(search.offer_fit(obj, seeker))


class PayOut(Schema):
    year: int
    amount_eur: float


class OfferDetailOut(OfferOut):
    specialisation: str | None
    description: str
    requirements: str
    pay: list[PayOut]
    collective_agreement: bool
    contact_name: str
    contact_email: str
    contact_phone: str
    internship_possible: bool
    trial_day_possible: bool
    # The agreed training time per week; for a part-time place (BBiG § 7a) also the full-time hours it is cut
    # from, and the duration extended by § 7a Abs. 2 (None when the regulation's duration is not known).
    weekly_hours: float | None
    full_time_weekly_hours: float | None
    training_months: int | None

    @staticmethod
    def resolve_specialisation(obj: Offer) -> str | None:
        return obj.specialisation.name if obj.specialisation else None

    @staticmethod
    def resolve_pay(obj: Offer) -> list[dict[str, Any]]:
        return [{"year": year, "amount_eur": float(amount)} for year, amount in obj.pay]  # type: ignore[arg-type]


class EventOut(Schema):
    from_state: str
    to_state: str
    message: str
    created_at: datetime.datetime


class InterviewOut(Schema):
    """The interview date of an invitation: ``status`` "" (none yet), "proposed" (by the company, waiting for
    the applicant), "counter" (another date by the applicant, waiting for the company) or "agreed"; ``steps``
    are the caller's possible answers on the application page (propose, accept, counter, confirm, decline)."""

    status: str
    at: datetime.datetime | None
    place: str
    online: bool
    steps: list[str]


class ApplicationOut(Schema):
    """An application. ``steps`` are the states the caller may move it to (POST …/steps)."""

    id: int
    offer_id: int
    offer_title: str
    company: str
    applicant: str
    state: str
    message: str
    sent_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    contract_id: int | None
    steps: list[str]
    interview: InterviewOut


class ApplicationDetailOut(ApplicationOut):
    side: str
    events: list[EventOut]


class ApplyIn(Schema):
    message: str = Field(..., max_length=MAX_MESSAGE, description="A few sentences to the company")

    @field_validator("message")
    @classmethod
    def no_nul(cls, value: str) -> str:
        return text_without_nul(value)


class StepIn(Schema):
    to: StateValue = Field(..., description="The state to move the application to (one of its ``steps``)")
    message: str = Field("", max_length=MAX_MESSAGE, description="Message to the applicant (or company)")

    @field_validator("message")
    @classmethod
    def no_nul(cls, value: str) -> str:
        return text_without_nul(value)


ERRORS: dict[int, type[Problem]] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


# --- helpers -------------------------------------------------------------------------------------------------


def _fit_out(result: fit.Fit) -> dict[str, Any]:
    return {
        "score": result.score,
        "reasons": [{"code": r.code, "text": r.text, "good": r.good} for r in result.reasons],
        "distance_km": None if result.distance_km is None else round(result.distance_km, 1),
    }


def _seeker(request: HttpRequest) -> fit.Seeker | None:
    """The pupil's profile as fit input; None (neutral) for everybody else."""
    if Role.PUPIL not in permissions.roles_of(request.user):
        return None
    return search.seeker_for(request.user)


class InvalidInput(Exception):
    """Raised where a response cannot be returned (paginated routes); `api.urls` answers with 422, or with
    `response` when one is given (the search's place that names no place or several: 400)."""

    def __init__(self, errors: dict[str, str], response: HttpResponse | None = None) -> None:
        super().__init__(errors)
        self.errors = errors
        self.response = response


def invalid_response(errors: dict[str, str]) -> HttpResponse:
    return problem_response(
        422, _("Unprocessable Content"), _("Please correct the marked entries."), errors=errors
    )


def _candidate_out(choice: geo.Choice) -> dict[str, Any]:
    place = choice.place
    return {
        "query": choice.query,
        "label": choice.label,
        "name": place.name,
        "postcode": place.postcode,
        "land": place.land,
        "kreis_ars": place.kreis_ars,
        "latitude": place.lat,
        "longitude": place.lon,
        "distance_km": None if choice.km is None else round(choice.km, 1),
    }


def place_problem(resolution: geo.Resolution, errors: dict[str, str]) -> HttpResponse:
    """400 problem details for a place that names no place (with `suggestions`) or several (`candidates`,
    nearest to the pupil's profile postcode first, else those of the platform's Land first)."""
    query = resolution.query.strip()
    if resolution.ambiguous:
        errors["place"] = _(
            "There are several places called “%(query)s”. Repeat the search with one of the candidates' query."
        ) % {"query": query}
        return problem_response(
            400,
            _("Ambiguous place"),
            errors["place"],
            errors=errors,
            candidates=[_candidate_out(choice) for choice in resolution.choices],
        )
    errors["place"] = _(
        "We do not know the place “%(query)s”. Please check the spelling or give a five-digit postcode."
    ) % {"query": query}
    return problem_response(
        400,
        _("Unknown place"),
        errors["place"],
        errors=errors,
        suggestions=[_candidate_out(choice) for choice in resolution.suggestions],
    )


def _in_range(object_id: int) -> int:
    if not 1 <= object_id <= MAX_ID:
        raise Http404
    return object_id


def _application_out(application: Application, side: str, *, detail: bool = False) -> dict[str, Any]:
    offer = application.offer
    body: dict[str, Any] = {
        "id": application.pk,
        "offer_id": offer.pk,
        "offer_title": offer.display_title,
        "company": offer.company.name,
        "applicant": str(application.applicant),
        "state": application.state,
        "message": application.message,
        "sent_at": application.sent_at,
        "created_at": application.created_at,
        "updated_at": application.updated_at,
        "contract_id": application.contract_id,
        "steps": services.allowed_steps(application, side),
        "interview": {
            "status": application.interview_status,
            "at": application.interview_at,
            "place": application.interview_place,
            "online": application.interview_online,
            "steps": services.interview_steps(application, side),
        },
    }
    if detail:
        body["side"] = side
        body["events"] = list(application.events.all())
    return body


class _LazyApplications:
    """A queryset that the paginator can count and slice, turned into dicts only for the page."""

    def __init__(self, queryset: QuerySet[Application], side: str) -> None:
        self.queryset = queryset
        self.side = side

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        return [_application_out(item, self.side) for item in self.queryset[key]]


# --- public offers -------------------------------------------------------------------------------------------


@router.get(
    "/offers",
    response={200: list[OfferOut], 400: PlaceProblem, 422: Problem},
    url_name="offers_search",
    auth=None,
)
@paginate(Pagination)
def offer_search(request: HttpRequest, filters: Query[SearchQuery]) -> Any:
    """Published offers whose deadline has not passed, filtered like the web search. ``sort`` is fit (best
    first), distance (needs a place or a profile postcode) or start. ``radius_km`` applies when the origin is
    known (``place``, or a pupil's profile postcode)."""
    errors: dict[str, str] = {}
    occupation_id = None
    if filters.occupation:
        occupation_id = (
            Occupation.objects.filter(slug=filters.occupation, is_active=True)
            .values_list("id", flat=True)
            .first()
        )
        if occupation_id is None:
            errors["occupation"] = _("Unknown occupation.")
    if filters.start_from and filters.start_until and filters.start_from > filters.start_until:
        errors["start_until"] = _("The end of the period must not be before its beginning.")
    params = search.SearchParams(
        query=filters.q,
        occupation_id=occupation_id,
        place=filters.place,
        radius_km=filters.radius_km,
        start_from=filters.start_from,
        start_until=filters.start_until,
        certificate=filters.certificate or "",
        free_only=filters.free_only,
        sort=filters.sort,
    )
    result = search.offer_search(params, seeker=_seeker(request))
    if result.place is not None and result.place.place is None:
        raise InvalidInput(errors, place_problem(result.place, errors))
    if errors:
        raise InvalidInput(errors)
    setattr(request, SEEKER_ATTRIBUTE, result.seeker)
    return result.offers


@router.get(
    "/offers/{offer_id}",
    response={200: OfferDetailOut, 404: Problem, 422: Problem},
    url_name="offers_detail",
    auth=None,
)
def offer_detail(request: HttpRequest, offer_id: int) -> Any:
    """One offer (published, paused or closed), with its fit for the signed-in pupil."""
    offer = selectors.get_public_offer(_in_range(offer_id))
    setattr(request, SEEKER_ATTRIBUTE, _seeker(request))
    return offer


# --- applications: the applicant ----------------------------------------------------------------------------


@router.get(
    "/applications",
    response={200: list[ApplicationOut], 401: Problem, 403: Problem, 422: Problem},
    url_name="offers_application_list",
)
@paginate(Pagination)
def application_list(request: HttpRequest, state: StateValue | None = None) -> Any:
    """The signed-in pupil's own applications, most recently changed first; filter with ``state``."""
    applications = selectors.applications_of(signed_in_user(request)).select_related("applicant")
    if state:
        applications = applications.filter(state=state)
    return _LazyApplications(applications, offers_access.APPLICANT_SIDE)


@router.post(
    "/offers/{offer_id}/applications",
    response={201: ApplicationDetailOut, **ERRORS},
    url_name="offers_apply",
)
def apply(request: HttpRequest, offer_id: int, payload: ApplyIn) -> Any:
    """Apply for an offer: creates the draft with the message; send it with the step ``sent``."""
    user = signed_in_user(request)
    offer = selectors.get_public_offer(_in_range(offer_id))
    try:
        application = services.application_create(actor=user, offer=offer, message=payload.message)
    except ValidationError as error:
        return problem_from(error)
    application, side = selectors.get_application_for(user, application.pk)
    return Status(201, _application_out(application, side, detail=True))


# --- applications: both sides -------------------------------------------------------------------------------


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationDetailOut, **ERRORS},
    url_name="offers_application_detail",
)
def application_detail(request: HttpRequest, application_id: int) -> Any:
    """One application with its steps so far: the applicant's own, or one sent to the caller's company."""
    application, side = selectors.get_application_for(signed_in_user(request), _in_range(application_id))
    note_read(request, [application.applicant_id], "api.applications", application)
    return _application_out(application, side, detail=True)


@router.post(
    "/applications/{application_id}/steps",
    response={200: ApplicationDetailOut, **ERRORS},
    url_name="offers_application_step",
)
def application_step(request: HttpRequest, application_id: int, payload: StepIn) -> Any:
    """Take a step: the applicant sends, withdraws, accepts or declines; the company invites, offers the
    place, declines or withdraws an offered place. Accepting creates the contract draft (``contract_id``)."""
    user = signed_in_user(request)
    application, side = selectors.get_application_for(user, _in_range(application_id))
    try:
        services.application_transition(
            actor=user, side=side, application=application, to=payload.to, message=payload.message
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            return problem_from(error)
        return invalid_response({"to": " ".join(error.messages)})
    application, side = selectors.get_application_for(user, application.pk)
    return _application_out(application, side, detail=True)


# --- applications: the company ------------------------------------------------------------------------------


@router.get(
    "/company/offers/{offer_id}/applications",
    response={200: list[ApplicationOut], **ERRORS},
    url_name="offers_company_applications",
)
@paginate(Pagination)
def company_applications(request: HttpRequest, offer_id: int, state: StateValue | None = None) -> Any:
    """Applications sent to one of the caller's company's offers (drafts stay with the applicant), by
    state and date sent; filter with ``state``."""
    offer = selectors.get_company_offer_for(signed_in_user(request), _in_range(offer_id))
    applications = (
        offer.applications.exclude(state=Application.State.DRAFT)
        .select_related("applicant", "offer", "offer__company", "offer__occupation")
        .order_by("state", "sent_at", "id")
    )
    if state:
        applications = applications.filter(state=state)
    return AuditedPage(
        applications,
        request,
        "api.applications",
        lambda application: application.applicant_id,
        out=lambda application: _application_out(application, offers_access.COMPANY_SIDE),
    )
