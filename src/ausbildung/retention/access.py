"""Who sees what in dropout prevention (issue #20). Page rules are enforced by `core.permissions`; which contracts
a person sees is decided here (404 outside the scope).

- The apprentice: their own contract, with every signal, their private check-in answers included.
- The company: its administrators (the training lead) see the contracts of their companies, trainers the
  contracts they currently train; they see the shared signals, never the check-in answers.
- The chamber's training advisers (chamber officers, BBiG § 76): the contracts of their chamber in aggregate;
  a contract individually only while the apprentice has asked the chamber for a talk, or has consented (for
  a minor, with a guardian's confirmation).
- Vocational-school teachers: the contracts of their school, with the notes the school gave, not the company's
  or the apprentice's signals.
- Guardians confirm a minor ward's consent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ausbildung.core.areas import register_areas
from ausbildung.core.models import Region, Role, TrainingContract
from ausbildung.core.models.people import of_age_if_born_by
from ausbildung.core.permissions import (
    agencies_of_counsellor,
    is_platform_admin,
    only,
    organisations_for,
    register_rules,
)
from ausbildung.records import selectors as records_selectors

if TYPE_CHECKING:
    from ausbildung.core.permissions import AnyUser

COMPANY = (Role.COMPANY_ADMIN, Role.TRAINER)
CONTRACT_READERS = (*COMPANY, Role.CHAMBER_OFFICER, Role.PLATFORM_ADMIN)

RULES = {
    "retention:mine": only(Role.APPRENTICE),
    "retention:checkin": only(Role.APPRENTICE),
    "retention:talk": only(Role.APPRENTICE),
    "retention:consent": only(Role.APPRENTICE),
    "retention:guardian": only(Role.GUARDIAN),
    "retention:company": only(*COMPANY, Role.PLATFORM_ADMIN),
    "retention:contract": only(*CONTRACT_READERS),
    "retention:intervention": only(*CONTRACT_READERS),
    "retention:follow_up": only(*CONTRACT_READERS),
    "retention:talk_close": only(*CONTRACT_READERS),
    "retention:chamber": only(Role.CHAMBER_OFFICER, Role.PLATFORM_ADMIN),
    "retention:school": only(Role.VOCATIONAL_SCHOOL_TEACHER),
    "retention:school_note": only(Role.VOCATIONAL_SCHOOL_TEACHER),
    "retention:school_note_withdraw": only(Role.VOCATIONAL_SCHOOL_TEACHER),
    "retention:dissolution": only(*COMPANY, Role.PLATFORM_ADMIN),
    "retention:guidance": only(Role.COUNSELLOR),
}

AREAS = [
    (
        "retention",
        pgettext_lazy("du", "How is your training going?"),
        pgettext_lazy("du", "A short check-in, and a talk when you want one."),
        "retention:mine",
        20,
    ),
    (
        "retention-company",
        _("Keeping apprentices"),
        pgettext_lazy(
            "formal", "Which apprentices might need a talk, and why: in words, from the record book."
        ),
        "retention:company",
        20,
    ),
    (
        "retention-chamber",
        _("Dropout prevention"),
        pgettext_lazy("formal", "Your district in figures, and the apprentices who asked you for help."),
        "retention:chamber",
        20,
    ),
    (
        "retention-school",
        _("Concerns and absences"),
        pgettext_lazy(
            "formal", "Tell the training company and the chamber early when a student seems to struggle."
        ),
        "retention:school",
        20,
    ),
]

ACTIVE = TrainingContract.Status.ACTIVE


def company_contracts(user: AnyUser) -> QuerySet[TrainingContract]:
    """Active contracts the person sees as the company: all of their companies' (administrators), the ones
    they train today (trainers); all for platform administrators."""
    if not user.is_authenticated:
        return TrainingContract.objects.none()
    if is_platform_admin(user):
        return TrainingContract.objects.filter(status=ACTIVE)
    # the same scope as the record book's overview of a trainer or company administrator
    return records_selectors.overview_contracts(user)


def chamber_contracts(user: AnyUser) -> QuerySet[TrainingContract]:
    """Active contracts of the person's chambers (for figures; individually only `chamber_individual`)."""
    if is_platform_admin(user):
        return TrainingContract.objects.filter(status=ACTIVE)
    return TrainingContract.objects.filter(
        chamber__in=organisations_for(user, Role.CHAMBER_OFFICER), status=ACTIVE
    )


def chamber_individual_q() -> Q:
    """Contracts a chamber's advisers may see individually: an open request for a talk with the chamber, or a
    valid consent (not withdrawn; for a minor confirmed by a guardian)."""
    from .models import ChamberConsent, TalkRequest

    asked = TalkRequest.objects.filter(addressee=TalkRequest.Addressee.CHAMBER, closed_at__isnull=True)
    consented = ChamberConsent.objects.filter(withdrawn_at__isnull=True).filter(
        Q(guardian_confirmed_at__isnull=False)
        | Q(contract__apprentice__date_of_birth__lte=of_age_if_born_by(timezone.localdate()))
    )
    return Q(pk__in=asked.values("contract_id")) | Q(pk__in=consented.values("contract_id"))


def chamber_individual_contracts(user: AnyUser) -> QuerySet[TrainingContract]:
    return chamber_contracts(user).filter(chamber_individual_q())


def school_contracts(user: AnyUser) -> QuerySet[TrainingContract]:
    """Active contracts of students of the person's vocational schools."""
    return TrainingContract.objects.filter(
        vocational_school__in=organisations_for(user, Role.VOCATIONAL_SCHOOL_TEACHER), status=ACTIVE
    )


def contracts_to_open(user: AnyUser) -> QuerySet[TrainingContract]:
    """The contracts whose retention page the person may open (others: 404)."""
    ids = company_contracts(user).values("pk")
    condition = Q(pk__in=ids)
    if organisations_for(user, Role.CHAMBER_OFFICER).exists():
        condition |= Q(pk__in=chamber_individual_contracts(user).values("pk"))
    return TrainingContract.objects.filter(condition)


def guidance_dissolutions(user: AnyUser) -> QuerySet:
    """Dissolutions whose young person agreed to be contacted by the career guidance, at a training site in the
    district of the person's guidance agencies (a Kreis of it, or a Land of it)."""
    from .models import Dissolution

    district = Region.objects.filter(responsible_organisations__in=agencies_of_counsellor(user))
    return Dissolution.objects.filter(guidance_consent=True).filter(
        Q(contract__site__region__in=district) | Q(contract__site__region__parent__in=district)
    )


def chamber_dissolutions(user: AnyUser) -> QuerySet:
    from .models import Dissolution

    if is_platform_admin(user):
        return Dissolution.objects.all()
    return Dissolution.objects.filter(contract__chamber__in=organisations_for(user, Role.CHAMBER_OFFICER))


def register() -> None:
    register_rules(RULES)
    register_areas(AREAS)
