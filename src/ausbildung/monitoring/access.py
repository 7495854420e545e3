"""Who may open the monitoring pages (issue #19): monitors (their partner organisation's district), chamber
officers (their chamber's district) and counsellors (their agency's district); they see aggregate figures
only, never a person. The region is found in `selectors.region_for`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ausbildung.core.areas import register_areas
from ausbildung.core.models import Role
from ausbildung.core.permissions import only, register_rules

MONITORING = only(Role.MONITOR, Role.CHAMBER_OFFICER, Role.COUNSELLOR)

RULES: dict = {
    "monitoring:index": MONITORING,
    "monitoring:export": MONITORING,
    "monitoring:export_all": MONITORING,
    "monitoring:area": MONITORING,
    "monitoring:area_export": MONITORING,
    "monitoring:area_export_all": MONITORING,
    "monitoring:occupation": MONITORING,
    "monitoring:occupation_export": MONITORING,
    "monitoring:occupation_export_all": MONITORING,
    # the same tables as JSON (api.monitoring)
    "api:monitoring_tables": MONITORING,
    "api:monitoring_table": MONITORING,
    "api:monitoring_area_tables": MONITORING,
    "api:monitoring_area_table": MONITORING,
    "api:monitoring_occupation_tables": MONITORING,
    "api:monitoring_occupation_table": MONITORING,
}

AREAS = [
    (
        "monitoring",
        _("Training market monitoring"),
        pgettext_lazy(
            "formal",
            "Official figures of the training market for Germany and your Land beside the platform's own counts.",
        ),
        "monitoring:index",
        19,
    ),
]


def register() -> None:
    register_rules(RULES)
    register_areas(AREAS)
