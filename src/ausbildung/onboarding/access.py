"""Who may open the pages of "Ausbildungsbetrieb werden" (rules evaluated by `core.permissions`), and the areas
they appear in.

The company's administrators do the self-check and see the requests their companies sent; the chamber officers
see the requests addressed to their chamber. Objects are limited by the scopes in `onboarding.selectors`
(`requests_of_companies`, `requests_for_chambers`, `requests_visible_to`): a request of another company or
chamber is not found (404).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ausbildung.core.areas import register_areas
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
    register_areas(
        [
            (
                "onboarding",
                _("Become a training company"),
                _("Check whether your company can train, and send the result to your chamber."),
                "onboarding:start",
                23,
            ),
            (
                "onboarding_chamber",
                _("Companies that want to train"),
                _("Self-checks sent to your chamber by companies that want to start training."),
                "onboarding:chamber_list",
                24,
            ),
        ]
    )
