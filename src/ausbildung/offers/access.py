"""Who may open the offers pages (rules evaluated by `core.permissions`), and the areas they appear in.

Objects are further limited by the scopes in core.permissions (`offer_companies_for`, `application_side`):
an applicant sees their own applications; a company (administrators, trainers) its offers and the
applications sent to them; nobody else sees applications.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ausbildung.core.areas import Area, register_area
from ausbildung.core.models import Role
from ausbildung.core.permissions import PUBLIC, only, register_rules

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
    "offers:document_upload": only(Role.PUPIL),
    "offers:note": only(*COMPANY),
    "offers:document": only(*BOTH_SIDES),
    "offers:document_delete": only(Role.PUPIL),
    "offers:company_offers": only(*COMPANY),
    "offers:create": only(*COMPANY),
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
    register_area(
        Area(
            key="offers_search",
            title=_("Find a training place"),
            description=_("Search training places near you and see why an offer fits you."),
            url_name="offers:search",
            order=20,
        )
    )
    register_area(
        Area(
            key="offers_applications",
            title=_("My applications"),
            description=_("Your applications and where they stand."),
            url_name="offers:my_applications",
            order=21,
        )
    )
    register_area(
        Area(
            key="offers_company",
            title=_("Training places and applications"),
            description=_("Publish your training places and handle the applications."),
            url_name="offers:company_offers",
            order=22,
        )
    )
