"""Who may open the orientation pages (rules evaluated by `core.permissions`), and the home-page areas.

Each feature module adds its rules to RULES; scopes (a teacher sees only their own classes, with progress
flags, not answers) live in core.permissions.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ausbildung.core.areas import Area, register_area
from ausbildung.core.models import Role
from ausbildung.core.permissions import only, register_rules

RULES: dict = {}

# The interest check: pupils only, each sees only their own checks (fetched by pupil=request.user).
RULES.update(
    {
        "orientation:check": only(Role.PUPIL),
        "orientation:check_step": only(Role.PUPIL),
        "orientation:check_result": only(Role.PUPIL),
    }
)


def register() -> None:
    register_rules(RULES)
    register_area(
        Area(
            key="orientation_check",
            title=_("Interest check"),
            description=_("Find out which activities you enjoy and which occupations could fit you."),
            url_name="orientation:check",
            order=10,
        )
    )
