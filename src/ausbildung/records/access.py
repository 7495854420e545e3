"""Who may see and do what in the record book: the page rules (enforced by `core.permissions`), how much of
a contract's record a person reads (`record_access`), who writes, reviews, acknowledges and shares it, and the
home-page areas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from ausbildung.core.areas import ContractLink, register_areas, register_contract_link
from ausbildung.core.models import Role, TrainingContract
from ausbildung.core.permissions import (
    CONTRACT_ROLES,
    PUBLIC,
    only,
    organisations_for,
    register_rules,
    represents,
    roles_of,
    trains,
)

if TYPE_CHECKING:
    from ausbildung.core.permissions import AnyUser

# Everyone who may read some of a record book: the roles that see training contracts. Which book and how
# much of it is decided per contract by `record_access` below (404 outside the scope).
READERS = tuple(sorted(CONTRACT_ROLES))

RULES = {
    "records:mine": only(Role.APPRENTICE),
    "records:book": only(*READERS),
    "records:period": only(*READERS),
    "records:coverage": only(*READERS),
    # Working-time findings of a contract: who reads the whole record (else 404; former trainers too).
    "records:findings": only(*READERS),
    "records:pdf": only(*READERS),
    "records:export_json": only(*READERS),
    "records:review": only(Role.TRAINER),
    "records:queue": only(Role.TRAINER),
    "records:overview": only(Role.TRAINER, Role.COMPANY_ADMIN),
    "records:chamber": only(Role.CHAMBER_OFFICER),
    "records:share": only(Role.CHAMBER_OFFICER),
    "records:share_revoke": only(Role.CHAMBER_OFFICER),  # its own chamber's links only (else 404)
    "records:shared": PUBLIC,  # the link's secret (posted, never in the URL) decides
    "records:verify": PUBLIC,  # anyone holding an export checks it; the answer names no one
    "records:acknowledge": only(Role.GUARDIAN),
    # API (ausbildung.api.records); writing is further limited by can_write_record / can_review_record.
    "api:records_period_list": only(*READERS),
    "api:records_period_detail": only(*READERS),  # GET for readers; PUT only the apprentice (else 403)
    "api:records_period_submit": only(Role.APPRENTICE),
    "api:records_period_sign": only(Role.TRAINER),
    "api:records_period_return": only(Role.TRAINER),
    "api:records_queue": only(Role.TRAINER),
}


def register() -> None:
    from ausbildung.core.demo import register_demo

    from . import demo

    register_rules(RULES)
    register_demo(demo.load, history=True)
    register_areas(
        [
            (
                "records",
                _("My training record"),
                _("Write your Ausbildungsnachweis week by week, submit it and see what your trainer says."),
                "records:mine",
                10,
            ),
            (
                "records_queue",
                _("Review training records"),
                _("Sign or return the periods your apprentices submitted."),
                "records:queue",
                11,
            ),
            (
                "records_overview",
                _("Training records overview"),
                _("Per apprentice: missing, submitted, returned and signed periods; overdue reviews."),
                "records:overview",
                12,
            ),
            (
                "records_chamber",
                _("Training records in the district"),
                _("Completeness of the records and who is ready for the final exam (BBiG § 43)."),
                "records:chamber",
                13,
            ),
        ]
    )
    register_contract_link(ContractLink(key="records", title=_("Training record"), url_name="records:book"))


# --- training record (Ausbildungsnachweis) ------------------------------------------------------------------

RECORD_FULL = "full"
RECORD_SCHOOL = "school"


def record_access(user: AnyUser, contract: TrainingContract) -> str | None:
    """How much of a contract's training record a person may read.

    Full: the apprentice, their current trainers (main, training officer, substitute), the company's
    administrators, the chamber the contract is registered with (BBiG § 34), legal guardians while the
    apprentice is a minor (HA recommendation: they see the record of a minor; BGB § 2: not after the 18th
    birthday) and platform administrators. Vocational-school teachers of the apprentice's school see only
    the school section. Everybody else, former trainers and guardians included: nothing.
    """
    if not user.is_authenticated:
        return None
    if user.pk == contract.apprentice_id:
        return RECORD_FULL
    roles = roles_of(user)
    if Role.PLATFORM_ADMIN in roles:
        return RECORD_FULL
    if Role.TRAINER in roles and trains(user, contract):
        return RECORD_FULL
    if roles & {Role.COMPANY_ADMIN, Role.CHAMBER_OFFICER}:
        if organisations_for(user, Role.COMPANY_ADMIN).filter(pk=contract.company_id).exists():
            return RECORD_FULL
        if organisations_for(user, Role.CHAMBER_OFFICER).filter(pk=contract.chamber_id).exists():
            return RECORD_FULL
    if Role.GUARDIAN in roles and represents(user, contract.apprentice_id):
        return RECORD_FULL
    if (
        Role.VOCATIONAL_SCHOOL_TEACHER in roles
        and contract.vocational_school_id is not None
        and organisations_for(user, Role.VOCATIONAL_SCHOOL_TEACHER)
        .filter(pk=contract.vocational_school_id)
        .exists()
    ):
        return RECORD_SCHOOL
    return None


def can_write_record(user: AnyUser, contract: TrainingContract) -> bool:
    """Only the apprentice writes their record (BBiG § 13 Satz 2 Nr. 7), and only while the contract runs."""
    return user.is_authenticated and user.pk == contract.apprentice_id and contract.status == "active"


def require_record_write(user: AnyUser, contract: TrainingContract, period: Any) -> None:
    """Refuse (403) a write to a record the person may read but not write: someone else's record, a contract
    that no longer runs, or a period that is submitted or signed (locked until it is returned or reopened)."""
    if not can_write_record(user, contract) or (period is not None and period.is_locked):
        raise PermissionDenied


def can_review_record(user: AnyUser, contract: TrainingContract) -> bool:
    """The current trainers of the contract review and sign (BBiG § 14 Abs. 2); a substitute may sign in their
    absence. A trainer who left the company or whose assignment ended does not."""
    return user.is_authenticated and Role.TRAINER in roles_of(user) and trains(user, contract)


def can_acknowledge_record(user: AnyUser, contract: TrainingContract) -> bool:
    """A legal guardian acknowledges the record of a minor; once the apprentice is of age, nobody (BGB § 2)."""
    return Role.GUARDIAN in roles_of(user) and represents(user, contract.apprentice_id)


def can_share_record(user: AnyUser, contract: TrainingContract) -> bool:
    """The chamber a contract is registered with may give an examiner read access for a limited time."""
    return organisations_for(user, Role.CHAMBER_OFFICER).filter(pk=contract.chamber_id).exists()
