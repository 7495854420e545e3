"""Who may see and do what with training places: the page rules (enforced by `core.permissions`), the
object scopes, and the areas the pages appear in.

Scopes (`offer_companies_for`, `application_side`, `get_application_for`): an applicant sees their own
applications; a company (administrators, trainers) its offers and the applications sent to them; nobody else
sees applications.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ausbildung.core.areas import register_areas
from ausbildung.core.models import Organisation, Role
from ausbildung.core.permissions import PUBLIC, companies_for, only, register_rules

if TYPE_CHECKING:
    from ausbildung.core.permissions import AnyUser

COMPANY = (Role.COMPANY_ADMIN, Role.TRAINER)
BOTH_SIDES = (Role.PUPIL, *COMPANY)

RULES = {
    "offers:search": PUBLIC,
    "offers:detail": PUBLIC,
    "offers:apply": only(Role.PUPIL),
    "offers:profile": only(Role.PUPIL),
    "offers:my_applications": only(Role.PUPIL),
    "offers:application": only(*BOTH_SIDES),
    "offers:application_step": only(*BOTH_SIDES),
    "offers:interview": only(*BOTH_SIDES),  # which step, decided by the side (services.INTERVIEW_STEPS)
    "offers:document_upload": only(Role.PUPIL),
    "offers:note": only(*COMPANY),
    "offers:document": only(*BOTH_SIDES),
    "offers:document_delete": only(Role.PUPIL),
    "offers:company_offers": only(*COMPANY),
    "offers:create": only(*COMPANY),
    "offers:specialisations": only(*COMPANY),
    "offers:edit": only(*COMPANY),
    "offers:status": only(*COMPANY),
    "offers:copy": only(*COMPANY),
    "offers:inbox": only(*COMPANY),
    # API (api/offers.py)
    "api:offers_search": PUBLIC,
    "api:offers_detail": PUBLIC,
    "api:offers_apply": only(Role.PUPIL),
    "api:offers_application_list": only(Role.PUPIL),
    "api:offers_application_detail": only(*BOTH_SIDES),
    "api:offers_application_step": only(*BOTH_SIDES),
    "api:offers_company_applications": only(*COMPANY),
}


def register() -> None:
    from ausbildung.core.demo import register_demo

    from . import demo

    register_rules(RULES)
    register_demo(demo.load)
    register_demo(demo.load_history, history=True)
    register_areas(
        [
            (
                "offers_search",
                _("Find a training place"),
                _("Search training places near you and see why an offer fits you."),
                "offers:search",
                20,
            ),
            (
                "offers_applications",
                _("My applications"),
                _("Your applications and where they stand."),
                "offers:my_applications",
                21,
            ),
            (
                "offers_company",
                _("Training places and applications"),
                _("Publish your training places and handle the applications."),
                "offers:company_offers",
                22,
            ),
        ]
    )


# --- object scopes: training places and applications -----------------------------------------------------------------

APPLICANT_SIDE = "applicant"
COMPANY_SIDE = "company"


def offer_companies_for(user: AnyUser) -> QuerySet[Organisation]:
    """Companies whose offers and applications the person manages (company administrator or trainer)."""
    return companies_for(user)


def application_side(user: AnyUser, application: Any) -> str | None:
    """On which side a person sees an application, or None (then it is not found: 404).

    The applicant sees their own application. The offering company (administrators and trainers) sees it
    once it was sent, never a draft (DSGVO: nothing reaches the company before the applicant sends it).
    Nobody else sees applications: not schools, chambers or counsellors.
    """
    if not user.is_authenticated:
        return None
    if application.applicant_id == user.pk:
        return APPLICANT_SIDE
    if application.state == "draft":
        return None
    if offer_companies_for(user).filter(pk=application.offer.company_id).exists():
        return COMPANY_SIDE
    return None
