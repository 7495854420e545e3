"""Who may open the record pages (rules evaluated by `core.permissions`), and the areas they appear in."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ausbildung.core.areas import Area, ContractLink, register_area, register_contract_link
from ausbildung.core.models import Role
from ausbildung.core.permissions import CONTRACT_ROLES, PUBLIC, only, register_rules

# Everyone who may read some of a record book: the roles that see training contracts. Which book and how
# much of it is decided per contract by core.permissions.record_access (404 outside the scope).
READERS = tuple(sorted(CONTRACT_ROLES))

RULES = {
    "records:mine": only(Role.APPRENTICE),
    "records:book": only(*READERS),
    "records:period": only(*READERS),
    "records:coverage": only(*READERS),
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
    register_rules(RULES)
    register_area(
        Area(
            key="records",
            title=_("My training record"),
            description=_(
                "Write your Ausbildungsnachweis week by week, submit it and see what your trainer says."
            ),
            url_name="records:mine",
            order=10,
        )
    )
    register_area(
        Area(
            key="records_queue",
            title=_("Review training records"),
            description=_("Sign or return the periods your apprentices submitted."),
            url_name="records:queue",
            order=11,
        )
    )
    register_area(
        Area(
            key="records_overview",
            title=_("Training records overview"),
            description=_(
                "Per apprentice: missing, submitted, returned and signed periods; overdue reviews."
            ),
            url_name="records:overview",
            order=12,
        )
    )
    register_area(
        Area(
            key="records_chamber",
            title=_("Training records in the district"),
            description=_("Completeness of the records and who is ready for the final exam (BBiG § 43)."),
            url_name="records:chamber",
            order=13,
        )
    )
    register_contract_link(ContractLink(key="records", title=_("Training record"), url_name="records:book"))
