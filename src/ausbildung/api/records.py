"""API routes of the training record (Ausbildungsnachweis), e.g. for a mobile app.

Access: the page rules in `records.access` (checked by the permission middleware), then per contract
`core.records_access.record_access` through `records.selectors.get_record_contract_for` (no access → 404),
then the action checks `can_write_record` / `can_review_record` (refused → 403). Readers with school-only
access see dates, state and the school section, nothing else. State changes go through `records.services`;
their German field errors come back as 422 problem details with ``errors`` = {field: message}.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import field_validator

from ausbildung.core import params
from ausbildung.core.audit import note_read
from ausbildung.core.models import TrainingContract, User
from ausbildung.core.permissions import problem_response
from ausbildung.core.validators import has_control_characters
from ausbildung.records import access as records_access
from ausbildung.records import rules, selectors, services
from ausbildung.records.models import RecordDay, RecordPeriod

from .auth import token_or_session
from .read_audit import AuditedPage

router = Router(tags=["records"], auth=token_or_session)

# Database integer columns are 64-bit; larger ids are refused by the schema instead of failing in the database.
MAX_ID = params.MAX_ID
MAX_TEXT = 20000
MAX_OFFSET = 100_000
MAX_HOURS_INPUT = Decimal(1000)


class Pagination(LimitOffsetPagination):
    """Limit/offset with a bounded offset (an offset past 64 bits would fail in the database)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


# --- schemas -------------------------------------------------------------------------------------------------


class Problem(Schema):
    """RFC 9457 problem details; ``errors`` maps a field (``day-YYYY-MM-DD``, ``company_work`` …) to a message."""

    type: str
    title: str
    status: int
    detail: str | None = None
    errors: dict[str, str] | list[Any] | None = None


class DayOut(Schema):
    date: datetime.date
    place: str
    hours: float | None
    note: str
    lessons: int | None = None


class PeriodRowOut(Schema):
    """A row of the record book. ``state`` is draft, submitted, returned, signed or missing (not written)."""

    start: datetime.date
    end: datetime.date
    state: str
    training_year: int
    school: str
    company_work: str | None = None
    instruction: str | None = None
    version: int | None = None
    submitted_at: datetime.datetime | None = None
    signed_at: datetime.datetime | None = None
    return_comment: str | None = None


class FindingOut(Schema):
    """A working-time finding of the period (records.worktime): hours above a legal limit are recorded as
    written and flagged, naming the rule (e.g. "JArbSchG § 8 Abs. 1") and the figures."""

    rule: str
    paragraph: str
    day: datetime.date | None
    hours: float | None
    limit: float | None
    certain: bool
    message: str


class PeriodOut(Schema):
    """One period. Not yet written: prefilled days, ``saved`` false, state "missing". Fields that a reader
    with school-only access may not see are null."""

    contract_id: int
    start: datetime.date
    end: datetime.date
    form: str
    state: str
    saved: bool
    training_year: int
    school: str
    company_work: str | None = None
    instruction: str | None = None
    on_paper: bool | None = None
    block_week: bool | None = None
    days: list[DayOut] | None = None
    item_ids: list[int] | None = None
    version: int | None = None
    return_comment: str | None = None
    submitted_at: datetime.datetime | None = None
    signed_at: datetime.datetime | None = None
    can_write: bool = False
    can_review: bool = False
    # Working-time findings (records.worktime); signing a period with findings needs confirm_findings.
    working_time_findings: list[FindingOut] | None = None


def text_without_nul(value: str) -> str:
    """Long texts keep their line breaks but never a NUL character (the databases refuse it)."""
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


def one_line(value: str) -> str:
    """Single-line strings (places, notes of a day, search words) refuse line breaks, tabs and other control
    characters, like the single-line fields of the web forms (`core.validators`); long texts keep theirs."""
    if has_control_characters(value):
        raise ValueError("must be one line, without line breaks, tabs or other control characters")
    return value


class DayIn(Schema):
    date: datetime.date
    place: str = Field(..., max_length=20, description=f"One of: {', '.join(RecordDay.Place.values)}")
    hours: str | float | None = Field(None, description='Hours worked, e.g. 7.5 or "7,5"; empty on days off')
    note: str = Field("", max_length=200)
    lessons: int | None = Field(
        None,
        ge=0,
        le=services.MAX_LESSONS,
        description="On a vocational-school day: lessons of at least 45 minutes (BBiG § 15 Abs. 2); "
        "kept on school days only",
    )

    @field_validator("place", "note")
    @classmethod
    def single_line(cls, value: str) -> str:
        return one_line(value)

    @field_validator("hours")
    @classmethod
    def short_hours(cls, value: str | float | None) -> str | float | None:
        if isinstance(value, str):
            if len(value) > 10:
                raise ValueError("too long")
            return one_line(value)
        return value


class PeriodIn(Schema):
    company_work: str = Field("", max_length=MAX_TEXT)
    instruction: str = Field("", max_length=MAX_TEXT)
    school: str = Field("", max_length=MAX_TEXT)
    on_paper: bool = False
    block_week: bool = Field(
        False,
        description="A block week of the vocational school: at least 25 hours of scheduled lessons on at least "
        "five days (BBiG § 15 Abs. 1 Satz 2 Nr. 3)",
    )
    item_ids: list[int] = Field(default_factory=list, max_length=500)
    days: list[DayIn] = Field(default_factory=list, max_length=31)
    version: int | None = Field(
        None,
        ge=0,
        le=MAX_ID,
        description="Required: the version read (0 for a period not yet written). Missing → 428, another "
        "version saved in the meantime → 409; nothing is overwritten.",
    )

    @field_validator("company_work", "instruction", "school")
    @classmethod
    def no_nul(cls, value: str) -> str:
        return text_without_nul(value)

    @field_validator("item_ids")
    @classmethod
    def ids_in_range(cls, value: list[int]) -> list[int]:
        if any(not 1 <= item <= MAX_ID for item in value):
            raise ValueError("unknown item id")
        return value


class ReturnIn(Schema):
    comment: str = Field(..., max_length=5000, description="What the apprentice should change (required)")

    @field_validator("comment")
    @classmethod
    def no_nul(cls, value: str) -> str:
        return text_without_nul(value)


class QueueItemOut(Schema):
    contract_id: int
    apprentice: str
    occupation: str
    start: datetime.date
    end: datetime.date
    submitted_at: datetime.datetime | None
    version: int

    @staticmethod
    def resolve_apprentice(obj: RecordPeriod) -> str:
        return str(obj.contract.apprentice)

    @staticmethod
    def resolve_occupation(obj: RecordPeriod) -> str:
        return obj.contract.occupation.name


ERRORS: dict[int, type[Problem]] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
SAVE_ERRORS: dict[int, type[Problem]] = {**ERRORS, 409: Problem, 428: Problem}


# --- helpers (signed_in_user and problem_from are shared with the other routers) -----------------------------


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in person of an API request (the router's auth has checked there is one)."""
    user = request.user
    if not user.is_authenticated:  # the auth of the router guarantees it; this narrows the type
        raise HttpError(401, "Unauthorized")
    return user


def _in_range(contract_id: int) -> int:
    if not 1 <= contract_id <= MAX_ID:
        raise Http404
    return contract_id


def _contract(request: HttpRequest, contract_id: int) -> tuple[TrainingContract, str]:
    contract, level = selectors.get_record_contract_for(request.user, _in_range(contract_id))
    # Every route through here shows or returns the record book (core.audit; own reads are not noted).
    note_read(request, [contract.apprentice_id], "api.records", contract)
    return contract, level


class OutsideContract(Exception):
    """A date outside the contract's term: answered as 404 problem details with a German explanation (the
    term of the contract) instead of the generic "not found" (`api.urls`)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def outside_contract_response(exc: OutsideContract) -> HttpResponse:
    return problem_response(404, _("Not Found"), exc.detail)


def _period_start(contract: TrainingContract, day: datetime.date) -> datetime.date:
    """`day` must be the first day of one of the contract's periods; otherwise there is no such period (404,
    with the contract's term when the date lies outside it)."""
    try:
        start, _end = rules.period_bounds(contract, day)
    except ValidationError:
        raise OutsideContract(rules.outside_contract_message(contract)) from None
    if start != day:
        raise Http404
    return start


def problem_from(error: ValidationError) -> HttpResponse:
    """A service's ValidationError as 422 problem details, ``errors`` = {field: German message}."""
    if hasattr(error, "error_dict"):
        errors = {
            key: " ".join(str(m) for e in value for m in e.messages)
            for key, value in error.error_dict.items()
        }
    else:
        errors = {"__all__": " ".join(error.messages)}
    # A refusal that concerns no field (e.g. a period that has not ended yet) is the detail itself.
    detail = errors["__all__"] if set(errors) == {"__all__"} else _("Please correct the marked entries.")
    return problem_response(422, _("Unprocessable Content"), detail, errors=errors)


def _forbidden() -> HttpResponse:
    return problem_response(403, _("Forbidden"), _("You may not use this function."))


def _hours(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _period_out(
    user: User,
    contract: TrainingContract,
    level: str,
    period: RecordPeriod,
    days: list[RecordDay],
    *,
    saved: bool,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "contract_id": contract.pk,
        "start": period.start,
        "end": period.end,
        "form": period.form,
        "state": period.state if saved else selectors.MISSING,
        "saved": saved,
        "training_year": rules.training_year(contract.start_date, period.start),
        "school": period.school,
    }
    if level != records_access.RECORD_FULL:
        return body
    body.update(
        company_work=period.company_work,
        instruction=period.instruction,
        on_paper=period.on_paper,
        block_week=period.block_week,
        days=[
            {"date": d.date, "place": d.place, "hours": _hours(d.hours), "note": d.note, "lessons": d.lessons}
            for d in days
        ],
        item_ids=sorted(item.pk for item in period.items.all()) if saved else [],
        version=period.version,
        return_comment=period.return_comment,
        submitted_at=period.submitted_at,
        signed_at=period.signed_at,
        can_write=records_access.can_write_record(user, contract) and not period.is_locked,
        can_review=saved
        and period.state == RecordPeriod.State.SUBMITTED
        and records_access.can_review_record(user, contract),
        working_time_findings=[
            {
                "rule": f.rule,
                "paragraph": f.paragraph,
                "day": f.day,
                "hours": _hours(f.hours),
                "limit": _hours(f.limit),
                "certain": f.certain,
                "message": f.message,
            }
            for f in selectors.working_time_of_period(period, contract).findings
        ]
        if saved
        else [],
    )
    return body


def _existing_out(user: User, contract: TrainingContract, level: str, start: datetime.date) -> dict[str, Any]:
    period = selectors.get_period(contract, start)
    if period is None:
        raise Http404
    return _period_out(user, contract, level, period, list(period.days.all()), saved=True)


# --- routes --------------------------------------------------------------------------------------------------


@router.get(
    "/contracts/{contract_id}/periods",
    response={200: list[PeriodRowOut], **ERRORS},
    url_name="records_period_list",
)
@paginate(Pagination)
def period_list(request: HttpRequest, contract_id: int, state: str = "") -> list[dict[str, Any]]:
    """The record book: every period from the start of training up to today, newest first, with its state
    (``missing`` when not written). Filter with ``state``."""
    contract, level = _contract(request, contract_id)
    full = level == records_access.RECORD_FULL
    rows = []
    for row in reversed(selectors.book_rows(contract, until=timezone.localdate())):
        if state and row.status != state:
            continue
        period = row.period
        item: dict[str, Any] = {
            "start": row.start,
            "end": period.end if period else rules.period_bounds(contract, row.start)[1],
            "state": row.status,
            "training_year": row.training_year,
            "school": period.school if period else "",
        }
        if full and period is not None:
            item.update(
                company_work=period.company_work,
                instruction=period.instruction,
                version=period.version,
                submitted_at=period.submitted_at,
                signed_at=period.signed_at,
                return_comment=period.return_comment,
            )
        elif full:
            item.update(company_work="", instruction="")
        rows.append(item)
    return rows


@router.get(
    "/contracts/{contract_id}/periods/{start}",
    response={200: PeriodOut, **ERRORS},
    url_name="records_period_detail",
)
def period_detail(request: HttpRequest, contract_id: int, start: datetime.date) -> Any:
    """One period (``start`` is its first day, YYYY-MM-DD). Not yet written: the prefilled period to fill in
    (public holidays, weekends, recurring school days), state ``missing``."""
    user = signed_in_user(request)
    contract, level = _contract(request, contract_id)
    period_start = _period_start(contract, start)
    existing = selectors.get_period(contract, period_start)
    if existing is not None:
        return _period_out(user, contract, level, existing, list(existing.days.all()), saved=True)
    previous = selectors.previous_period(contract, period_start, with_days=True)
    period, days = rules.new_period(contract, period_start, previous=previous)
    return _period_out(user, contract, level, period, days, saved=False)


@router.put(
    "/contracts/{contract_id}/periods/{start}",
    response={200: PeriodOut, **SAVE_ERRORS},
    url_name="records_period_detail",
)
def period_save(request: HttpRequest, contract_id: int, start: datetime.date, payload: PeriodIn) -> Any:
    """Write the draft of a period (created on first save). Only the apprentice, while the contract runs and
    the period is neither submitted nor signed. ``version`` is required: the version read with the period (0
    before its first save). Without it the answer is 428 Precondition Required (RFC 6585), and 409 Conflict
    when the period was saved elsewhere in the meantime; nothing is overwritten in either case."""
    user = signed_in_user(request)
    contract, level = _contract(request, contract_id)
    period_start = _period_start(contract, start)
    if not records_access.can_write_record(user, contract):
        return _forbidden()
    if payload.version is None:
        return problem_response(
            428,
            _("Precondition Required"),
            _(
                "Send the version of the period you read (field version; 0 before its first save), so that "
                "changes made elsewhere are not overwritten."
            ),
        )
    data = services.PeriodInput(
        company_work=payload.company_work,
        instruction=payload.instruction,
        school=payload.school,
        on_paper=payload.on_paper,
        block_week=payload.block_week,
        item_ids=list(dict.fromkeys(payload.item_ids)),
        days=[
            services.DayInput(
                date=d.date, place=d.place, hours=_hours_in(d.hours), note=d.note, lessons=d.lessons
            )
            for d in payload.days
        ],
    )
    if len({d.date for d in data.days}) != len(data.days):
        return problem_response(
            422,
            _("Unprocessable Content"),
            _("Please correct the marked entries."),
            errors={"days": _("Each day may appear only once.")},
        )
    try:
        services.record_period_save(
            actor=user, contract=contract, start=period_start, data=data, version=payload.version
        )
    except services.StaleVersion as error:
        return problem_response(409, _("Conflict"), " ".join(error.messages))
    except ValidationError as error:
        return problem_from(error)
    return _existing_out(user, contract, level, period_start)


def _hours_in(value: str | float | None) -> str | None:
    """Hours as the service reads them; absurd magnitudes (1e300) are capped so the service reports them as
    out of range instead of failing to round them."""
    if value is None:
        return None
    raw = repr(value) if isinstance(value, float) else value
    try:
        number = Decimal(raw.strip().replace(",", "."))
    except InvalidOperation:
        return raw  # the service answers with its German "enter the hours as a number"
    if number.is_finite() and abs(number) > MAX_HOURS_INPUT:
        return str(MAX_HOURS_INPUT.copy_sign(number))
    return raw


@router.post(
    "/contracts/{contract_id}/periods/{start}/submit",
    response={200: PeriodOut, **ERRORS},
    url_name="records_period_submit",
)
def period_submit(request: HttpRequest, contract_id: int, start: datetime.date) -> Any:
    """The apprentice submits a saved draft (or a returned period) to the trainer."""
    user = signed_in_user(request)
    contract, level = _contract(request, contract_id)
    period = selectors.get_period(contract, _period_start(contract, start))
    if period is None:
        raise Http404
    if not records_access.can_write_record(user, contract):
        return _forbidden()
    try:
        services.record_period_submit(actor=user, period=period)
    except ValidationError as error:
        return problem_from(error)
    return _existing_out(user, contract, level, period.start)


def _reviewable(request: HttpRequest, contract_id: int, start: datetime.date):
    user = signed_in_user(request)
    contract, level = _contract(request, contract_id)
    period = selectors.get_period(contract, _period_start(contract, start))
    if period is None:
        raise Http404
    return user, contract, level, period


@router.post(
    "/contracts/{contract_id}/periods/{start}/sign",
    response={200: PeriodOut, **ERRORS},
    url_name="records_period_sign",
)
def period_sign(
    request: HttpRequest,
    contract_id: int,
    start: datetime.date,
    confirm_findings: bool = Query(
        False,
        description="The trainer has seen the period's working-time findings (``working_time_findings``); "
        "required when it has any (else 422).",
    ),
) -> Any:
    """A trainer of the contract signs a submitted period (it joins the contract's signature chain). A period
    with working-time findings is signed only with ``?confirm_findings=true``: the trainer has seen them."""
    user, contract, level, period = _reviewable(request, contract_id, start)
    if not records_access.can_review_record(user, contract):
        return _forbidden()
    try:
        services.record_period_sign(actor=user, period=period, confirm_findings=confirm_findings)
    except ValidationError as error:
        return problem_from(error)
    return _existing_out(user, contract, level, period.start)


@router.post(
    "/contracts/{contract_id}/periods/{start}/return",
    response={200: PeriodOut, **ERRORS},
    url_name="records_period_return",
)
def period_return(request: HttpRequest, contract_id: int, start: datetime.date, payload: ReturnIn) -> Any:
    """A trainer of the contract returns a submitted period to the apprentice, with a comment (required)."""
    user, contract, level, period = _reviewable(request, contract_id, start)
    if not records_access.can_review_record(user, contract):
        return _forbidden()
    try:
        services.record_period_return(actor=user, period=period, comment=payload.comment)
    except ValidationError as error:
        return problem_from(error)
    return _existing_out(user, contract, level, period.start)


@router.get(
    "/queue",
    response={200: list[QueueItemOut], 401: Problem, 403: Problem, 422: Problem},
    url_name="records_queue",
)
@paginate(Pagination)
def queue(request: HttpRequest) -> Any:
    """Submitted periods of the contracts the signed-in trainer trains, oldest first."""
    periods = selectors.review_queue(request.user)
    return AuditedPage(periods, request, "api.records", lambda period: period.contract.apprentice_id)
