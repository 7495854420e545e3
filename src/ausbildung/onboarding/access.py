"""Who may open the pages of "Ausbildungsbetrieb werden" (rules evaluated by `core.permissions`), and the areas
they appear in.

The company's administrators do the self-check and see the requests their companies sent; the chamber officers
see the requests addressed to their chamber. Objects are limited by the scopes in `onboarding.selectors`
(`requests_of_companies`, `requests_for_chambers`, `requests_visible_to`): a request of another company or
chamber is not found (404).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ausbildung.core.areas import Area, register_area
from ausbildung.core.models import Role
from ausbildung.core.permissions import only, register_rules

RULES = {
    "onboarding:start": only(Role.COMPANY_ADMIN),
    "onboarding:site": only(Role.COMPANY_ADMIN),
    "onboarding:result": only(Role.COMPANY_ADMIN),
    "onboarding:requests": only(Role.COMPANY_ADMIN),
    "onboarding:request": only(Role.COMPANY_ADMIN),
    "onboarding:pdf": only(Role.COMPANY_ADMIN, Role.CHAMBER_OFFICER),
    "onboarding:chamber_list": only(Role.CHAMBER_OFFICER),
    "onboarding:chamber_request": only(Role.CHAMBER_OFFICER),
}


def register() -> None:
    register_rules(RULES)
    register_area(
        Area(
            key="onboarding",
            title=_("Become a training company"),
            description=_("Check whether your company can train, and send the result to your chamber."),
            url_name="onboarding:start",
            order=23,
        )
    )
    register_area(
        Area(
            key="onboarding_chamber",
            title=_("Companies that want to train"),
            description=_("Self-checks sent to your chamber by companies that want to start training."),
            url_name="onboarding:chamber_list",
            order=24,
        )
    )
