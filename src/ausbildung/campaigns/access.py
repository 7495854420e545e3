"""Who does what in the campaign (issue #22): everybody reads the calendar, the event pages and the iCal feeds;
members of an organisation that may organise (chambers, guidance agencies, schools, vocational schools,
companies, Land and Alliance partners) publish and cancel their organisation's events."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ausbildung.core.areas import register_areas
from ausbildung.core.models import Organisation, Role
from ausbildung.core.permissions import PUBLIC, SIGNED_IN, only, organisations_for, register_rules

if TYPE_CHECKING:
    from ausbildung.core.permissions import AnyUser

ORGANISER_ROLES = (
    Role.CHAMBER_OFFICER,
    Role.COUNSELLOR,
    Role.TEACHER,
    Role.VOCATIONAL_SCHOOL_TEACHER,
    Role.COMPANY_ADMIN,
    Role.MONITOR,
)

RULES = {
    "campaigns:calendar": PUBLIC,
    "campaigns:event": PUBLIC,
    "campaigns:event_ics": PUBLIC,
    "campaigns:feed": PUBLIC,
    "campaigns:mine": only(*ORGANISER_ROLES),
    "campaigns:publish": only(*ORGANISER_ROLES),
    "campaigns:cancel": only(*ORGANISER_ROLES),
    "campaigns:register": SIGNED_IN,
    "campaigns:unregister": SIGNED_IN,
    "campaigns:accept": SIGNED_IN,
    "campaigns:participants": only(*ORGANISER_ROLES),
    "campaigns:check_in": only(*ORGANISER_ROLES),
    "campaigns:participants_csv": only(*ORGANISER_ROLES),
}

AREAS = [
    (
        "campaigns",
        _("Summer of vocational training"),
        pgettext_lazy("formal", "Publish your training fairs, speed datings and open days in one calendar."),
        "campaigns:mine",
        30,
    ),
]


def organisations_that_may_organise(user: AnyUser) -> QuerySet[Organisation]:
    """The person's organisations in an organiser role; a company only once a chamber (or a platform
    administrator) verified it, as for publishing training places (core.accounts.company_can_publish): a
    company that registered itself cannot publish events nor see who signed up until then."""
    return organisations_for(user, *ORGANISER_ROLES).filter(
        Q(kind__in=[k for k in Organisation.Kind.values if k != Organisation.Kind.COMPANY])
        | Q(verified_at__isnull=False, rejected_at__isnull=True)
    )


def register() -> None:
    register_rules(RULES)
    register_areas(AREAS)
