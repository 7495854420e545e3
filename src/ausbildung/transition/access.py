"""Who may open the transition pages (rules evaluated by `core.permissions`).

Scopes (which leavers a teacher, counsellor or monitor sees, names only with consent; cases of the own
agency) live in core.permissions, transition section.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ausbildung.core.areas import Area, register_area
from ausbildung.core.models import Role
from ausbildung.core.permissions import only, register_rules

RULES: dict = {
    # the school records its leavers' destinations
    "transition:leavers": only(Role.TEACHER),
    "transition:destination_edit": only(Role.TEACHER),
    # figures of the leaving cohort: school, counsellor, region (monitor: figures only, no list)
    "transition:dashboard": only(Role.TEACHER, Role.COUNSELLOR, Role.MONITOR),
    # consent (DSGVO Art. 7): the school or the agency asks for it or uploads the signed form, on a page
    # addressed by the destination that names nobody before a valid consent; the young person (and the legal
    # representative of a minor) confirms, sees and withdraws it in their own account
    "transition:consent": only(Role.TEACHER, Role.COUNSELLOR),
    "transition:consent_form": only(Role.TEACHER, Role.COUNSELLOR),
    "transition:consent_withdraw": only(
        Role.TEACHER, Role.COUNSELLOR, Role.PUPIL, Role.APPRENTICE, Role.GUARDIAN
    ),
    "transition:consent_confirm": only(Role.PUPIL, Role.APPRENTICE, Role.GUARDIAN),
    "transition:my_consents": only(Role.PUPIL, Role.APPRENTICE, Role.GUARDIAN),
    # case follow-up: counsellors of the agency holding the case
    "transition:cases": only(Role.COUNSELLOR),
    "transition:case_open": only(Role.COUNSELLOR),
    "transition:case_detail": only(Role.COUNSELLOR),
}


AREAS = [
    (
        "transition_leavers",
        _("Leavers and their destinations"),
        _("Record where each pupil of a leaving class goes next; contracts on the platform update it."),
        "transition:leavers",
        15,
    ),
    (
        "transition_dashboard",
        _("Destinations of school leavers"),
        _("Where a leaving cohort goes, by school and certificate, and who has no secured next step."),
        "transition:dashboard",
        16,
    ),
    (
        "transition_cases",
        _("Cases"),
        _("Follow up young people without a next step together with their school (with their consent)."),
        "transition:cases",
        17,
    ),
    (
        "transition_consents",
        _("My consents"),
        _("See whom you allowed to share your data, and withdraw it."),
        "transition:my_consents",
        18,
    ),
]


def register() -> None:
    from ausbildung.core.demo import register_demo

    from . import demo

    register_rules(RULES)
    register_demo(demo.load)
    for key, title, description, url_name, order in AREAS:
        register_area(Area(key=key, title=title, description=description, url_name=url_name, order=order))
