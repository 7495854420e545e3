"""Who sees what of the training staff (issue #21). Page rules are enforced by `core.permissions`; which
company, contract or evidence a person reaches is decided here (404 outside the scope).

- A company's administrators (the training lead): the company's trainers with their evidence and load, its
  contracts with what is missing, its sites with their skilled staff; they record evidence and staffing.
- A trainer: their own evidence, wherever it was recorded, and the contracts they are main trainer of.
- A chamber's officers (BBiG § 32: the chamber watches over the suitability of staff and site; § 34 Abs. 2
  Nr. 11: its register names each contract's trainers and the kind of their aptitude): the contracts of their
  chamber that lack a trainer or evidence, and the trainers of those contracts with their evidence, which
  they confirm.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ausbildung.core.areas import register_areas
from ausbildung.core.models import ContractTrainer, Organisation, Role, TrainingContract
from ausbildung.core.permissions import is_platform_admin, only, organisations_for, register_rules

if TYPE_CHECKING:
    from ausbildung.core.permissions import AnyUser

    from .models import Qualification

RULES = {
    "staff:company": only(Role.COMPANY_ADMIN, Role.PLATFORM_ADMIN),
    "staff:qualification_add": only(Role.COMPANY_ADMIN),
    "staff:qualification_withdraw": only(Role.COMPANY_ADMIN),
    "staff:role": only(Role.COMPANY_ADMIN),
    "staff:site": only(Role.COMPANY_ADMIN),
    "staff:document": only(Role.COMPANY_ADMIN, Role.TRAINER, Role.CHAMBER_OFFICER),
    "staff:mine": only(Role.TRAINER),
    "staff:chamber": only(Role.CHAMBER_OFFICER, Role.PLATFORM_ADMIN),
    "staff:confirm": only(Role.CHAMBER_OFFICER),
    "staff:courses": only(Role.TRAINER, Role.COMPANY_ADMIN, Role.CHAMBER_OFFICER),
    "staff:record_add": only(Role.TRAINER, Role.COMPANY_ADMIN),
    "staff:record_withdraw": only(Role.TRAINER, Role.COMPANY_ADMIN),
    "staff:course_add": only(Role.CHAMBER_OFFICER),
    "staff:course_cancel": only(Role.CHAMBER_OFFICER),
    # the self-check is practice for anyone preparing the AEVO: trainers, administrators, and apprentices and
    # skilled staff on the way to training others
    "staff:self_check": only(Role.TRAINER, Role.COMPANY_ADMIN, Role.APPRENTICE),
    "staff:self_check_field": only(Role.TRAINER, Role.COMPANY_ADMIN, Role.APPRENTICE),
}

AREAS = [
    (
        "staff-company",
        _("Training staff"),
        pgettext_lazy("formal", "Your trainers, their aptitude and load, and what the contracts still lack."),
        "staff:company",
        22,
    ),
    (
        "staff-mine",
        _("My trainer aptitude"),
        pgettext_lazy("formal", "Your evidence as a trainer and the apprentices you are responsible for."),
        "staff:mine",
        22,
    ),
    (
        "staff-courses",
        _("Continuing education for trainers"),
        pgettext_lazy("formal", "The chambers' courses for training staff, and the log of courses attended."),
        "staff:courses",
        23,
    ),
    (
        "staff-aevo",
        _("Preparing for the AEVO"),
        pgettext_lazy("formal", "The four fields of the trainer aptitude exam, with a self-check."),
        "staff:self_check",
        24,
    ),
    (
        "staff-chamber",
        _("Training staff in the district"),
        pgettext_lazy("formal", "Contracts without a qualified trainer, and evidence to confirm."),
        "staff:chamber",
        22,
    ),
]

ACTIVE = TrainingContract.Status.ACTIVE


def companies(user: AnyUser) -> QuerySet[Organisation]:
    """The companies the person administers (all companies for platform administrators)."""
    if is_platform_admin(user):
        return Organisation.objects.filter(kind=Organisation.Kind.COMPANY)
    return organisations_for(user, Role.COMPANY_ADMIN)


def chambers(user: AnyUser) -> QuerySet[Organisation]:
    if is_platform_admin(user):
        return Organisation.objects.filter(kind=Organisation.Kind.CHAMBER)
    return organisations_for(user, Role.CHAMBER_OFFICER)


def chamber_contracts(user: AnyUser) -> QuerySet[TrainingContract]:
    """Active contracts registered with the person's chambers."""
    return TrainingContract.objects.filter(status=ACTIVE, chamber__in=chambers(user))


def qualifications_visible(user: AnyUser) -> QuerySet[Qualification]:
    """Evidence the person may open: recorded by a company they administer, their own, or of a current main
    trainer of a contract of their chamber."""
    from .models import Qualification

    if not user.is_authenticated:
        return Qualification.objects.none()
    scope = Q(company__in=organisations_for(user, Role.COMPANY_ADMIN)) | Q(trainer=user)
    chamber_ids = list(organisations_for(user, Role.CHAMBER_OFFICER).values_list("pk", flat=True))
    if chamber_ids:
        trainers = (
            ContractTrainer.objects.current()
            .filter(
                kind=ContractTrainer.Kind.MAIN, contract__status=ACTIVE, contract__chamber_id__in=chamber_ids
            )
            .values("trainer_id")
        )
        scope |= Q(trainer_id__in=trainers)
    return Qualification.objects.filter(scope)


def register() -> None:
    register_rules(RULES)
    register_areas(AREAS)
