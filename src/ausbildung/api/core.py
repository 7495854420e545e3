"""API routes of the core app: health, the signed-in person, training contracts."""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from ausbildung.core import permissions, selectors
from ausbildung.core.audit import note_read
from ausbildung.core.models import (
    FrameworkItem,
    FrameworkPosition,
    Occupation,
    Specialisation,
    TrainingContract,
)

from .read_audit import AuditedPage
from .records import Pagination

router = Router(tags=["core"])


class HealthOut(Schema):
    status: str
    database: str


class MembershipOut(Schema):
    role: str
    organisation_id: int
    organisation: str


class MeOut(Schema):
    username: str
    name: str
    roles: list[str]
    memberships: list[MembershipOut]


class ContractOut(Schema):
    id: int
    apprentice: str
    occupation: str
    company: str
    chamber: str
    start_date: datetime.date
    end_date: datetime.date
    probation_end: datetime.date
    # Why the length differs from the regulation's duration ("" = it does not; BBiG § 5 Abs. 1 Nr. 2, § 7,
    # § 7a, § 8, § 21 Abs. 3), and part-time training (§ 7a): agreed and full-time hours per week, the cut in %.
    duration_reason: str
    weekly_hours: float | None
    full_time_weekly_hours: float | None
    part_time_reduction_percent: float | None
    record_form: str
    written_exam_date: datetime.date | None = None
    status: str

    @staticmethod
    def resolve_part_time_reduction_percent(obj: TrainingContract) -> float | None:
        reduction = obj.part_time_reduction
        return None if reduction is None else round(float(reduction), 2)

    @staticmethod
    def resolve_apprentice(obj: TrainingContract) -> str:
        return str(obj.apprentice)

    @staticmethod
    def resolve_occupation(obj: TrainingContract) -> str:
        return obj.occupation.name

    @staticmethod
    def resolve_company(obj: TrainingContract) -> str:
        return obj.company.name

    @staticmethod
    def resolve_chamber(obj: TrainingContract) -> str:
        return obj.chamber.name


@router.get("/health", response=HealthOut, url_name="health", auth=None)
def health(request: HttpRequest) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "database": connection.vendor}


@router.get("/me", response=MeOut, url_name="me", auth=django_auth)
def me(request: HttpRequest) -> dict:
    user = request.user
    if not user.is_authenticated:  # django_auth guarantees it; this narrows the type
        raise HttpError(401, "Unauthorized")
    return {
        "username": user.username,
        "name": user.get_full_name(),
        "roles": sorted(permissions.roles_of(user)),
        "memberships": [
            {"role": m.role, "organisation_id": m.organisation_id, "organisation": m.organisation.name}
            for m in selectors.memberships_of(user)
        ],
    }


@router.get("/contracts", response=list[ContractOut], url_name="contract_list", auth=django_auth)
@paginate(Pagination)
def contract_list(request: HttpRequest, status: str = "") -> AuditedPage:
    contracts = selectors.contract_list_for(request.user, status=status)
    return AuditedPage(contracts, request, "api.contracts", lambda contract: contract.apprentice_id)


@router.get("/contracts/{contract_id}", response=ContractOut, url_name="contract_detail", auth=django_auth)
def contract_detail(request: HttpRequest, contract_id: int) -> TrainingContract:
    contract = selectors.get_contract_for(request.user, contract_id)
    note_read(request, [contract.apprentice_id], "api.contracts", contract)
    return contract


# --- occupation catalogue (public) ---------------------------------------------------------------------------


class OccupationOut(Schema):
    slug: str
    name: str
    name_male: str
    name_female: str
    jurabk: str
    duration_months: int | None
    issued_on: datetime.date | None
    fundstelle: str


class FrameworkItemOut(Schema):
    letter: str
    text: str


class FrameworkPositionOut(Schema):
    section_label: str
    section_title: str
    specialisation: str | None
    number: str
    title: str
    paragraph_ref: str
    periods: list[str]
    weeks: list[int | None]
    months: list[int | None]
    throughout: bool
    # "compulsory", "elective" (Wahlqualifikation, chosen in the contract) or "additional" (Zusatzqualifikation)
    kind: str
    items: list[FrameworkItemOut]

    @staticmethod
    def resolve_specialisation(obj: FrameworkPosition) -> str | None:
        return obj.specialisation.name if obj.specialisation else None

    @staticmethod
    def resolve_items(obj: FrameworkPosition) -> list[FrameworkItem]:
        return list(obj.items.all())


class SpecialisationOut(Schema):
    kind: str
    name: str


class OccupationDetailOut(OccupationOut):
    regulation_title: str
    specialisations: list[SpecialisationOut]
    framework_plan: list[FrameworkPositionOut]

    @staticmethod
    def resolve_specialisations(obj: Occupation) -> list[Specialisation]:
        return list(obj.specialisations.all())

    @staticmethod
    def resolve_framework_plan(obj: Occupation) -> list[FrameworkPosition]:
        return list(selectors.framework_positions(obj))


@router.get("/occupations", response=list[OccupationOut], url_name="occupation_list", auth=None)
@paginate(Pagination)
def occupation_list(
    request: HttpRequest, q: str = "", duration_months: int | None = Query(None, ge=1, le=1000)
) -> QuerySet[Occupation]:
    return selectors.occupation_search(q[:100], duration=duration_months)


@router.get("/occupations/{slug}", response=OccupationDetailOut, url_name="occupation_detail", auth=None)
def occupation_detail(request: HttpRequest, slug: str) -> Occupation:
    return selectors.get_occupation(slug)
