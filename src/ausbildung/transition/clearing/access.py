"""Who may open the clearing-round pages (rules evaluated by `core.permissions`), and the home-page areas.

The URLs are included by `transition.urls`, so their view names are `transition:clearing:<name>`. Scopes
(which rounds a person runs or sees, which applicants a company sees) live in `core.permissions`, clearing
section.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ausbildung.core.areas import Area, register_area
from ausbildung.core.models import Role
from ausbildung.core.permissions import only, register_rules

NS = "transition:clearing"
ORGANISERS = (Role.CHAMBER_OFFICER, Role.COUNSELLOR)
COMPANY = (Role.COMPANY_ADMIN, Role.TRAINER)

RULES: dict = {
    # organisers: chamber officers (a chamber's round) and counsellors (a guidance agency's round)
    f"{NS}:round_list": only(*ORGANISERS),
    f"{NS}:round_create": only(*ORGANISERS),
    f"{NS}:round_detail": only(*ORGANISERS),
    f"{NS}:round_step": only(*ORGANISERS),
    # applicants: pupils of schools in the round's region
    f"{NS}:applicant_rounds": only(Role.PUPIL),
    f"{NS}:applicant_round": only(Role.PUPIL),
    f"{NS}:applicant_rank": only(Role.PUPIL),
    f"{NS}:applicant_result": only(Role.PUPIL),
    # companies: administrators and trainers of companies in the round's region
    f"{NS}:company_rounds": only(*COMPANY),
    f"{NS}:company_round": only(*COMPANY),
    f"{NS}:company_offer_rank": only(*COMPANY),
    f"{NS}:company_result": only(*COMPANY),
}

AREAS = [
    (
        "clearing_applicant",
        _("Clearing rounds for training places"),
        _("Still no training place? Rank the free places of your region and get one stable result."),
        f"{NS}:applicant_rounds",
        19,
    ),
    (
        "clearing_company",
        _("Clearing rounds for your free places"),
        _("Enter unfilled training places in a clearing round and rank the applicants."),
        f"{NS}:company_rounds",
        26,
    ),
    (
        "clearing_organiser",
        _("Run clearing rounds"),
        _("Match unplaced applicants and unfilled places of your region in one stable, verified round."),
        f"{NS}:round_list",
        27,
    ),
]


def register() -> None:
    from ausbildung.core.demo import register_demo

    from . import demo

    register_rules(RULES)
    register_demo(demo.load)
    for key, title, description, url_name, order in AREAS:
        register_area(Area(key=key, title=title, description=description, url_name=url_name, order=order))
