"""Reads for internships; a company's slots and applications through the scopes in `orientation.access`."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ausbildung.core.models import User

from ..access import internship_application_side, internship_companies_for
from ..models import InternshipApplication, InternshipSlot

State = InternshipApplication.State


def public_slots(*, occupation_id: int | None = None) -> QuerySet[InternshipSlot]:
    """Published internships that have not started yet, soonest first."""
    slots = InternshipSlot.objects.filter(
        status=InternshipSlot.Status.PUBLISHED, start_date__gte=timezone.localdate()
    ).select_related("company", "site", "occupation")
    if occupation_id:
        slots = slots.filter(occupation_id=occupation_id)
    return slots.order_by("start_date", "id")


def get_slot_for(user: User, slot_id: int) -> InternshipSlot:
    """A published internship for everybody; drafts and closed ones for their company only."""
    slot = InternshipSlot.objects.select_related("company", "site", "occupation").filter(pk=slot_id).first()
    if slot is None:
        raise Http404
    if slot.status != InternshipSlot.Status.PUBLISHED and not (
        user.is_authenticated and internship_companies_for(user).filter(pk=slot.company_id).exists()
    ):
        raise Http404
    return slot


def slots_of_companies(user: User) -> QuerySet[InternshipSlot]:
    return (
        InternshipSlot.objects.filter(company__in=internship_companies_for(user))
        .select_related("company", "site", "occupation")
        .annotate(
            open_applications=Count("applications", filter=Q(applications__state=State.SENT)),
            accepted=Count(
                "applications", filter=Q(applications__state__in=[State.ACCEPTED, State.COMPLETED])
            ),
        )
        .order_by("-start_date", "-id")
    )


def get_company_slot_for(user: User, slot_id: int) -> InternshipSlot:
    slot = slots_of_companies(user).filter(pk=slot_id).first()
    if slot is None:
        raise Http404
    return slot


def applications_of(user: User) -> QuerySet[InternshipApplication]:
    return (
        InternshipApplication.objects.filter(pupil=user)
        .select_related("slot", "slot__company", "slot__site")
        .order_by("slot__start_date", "-id")
    )


def get_application_for(user: User, application_id: int) -> tuple[InternshipApplication, str]:
    application = (
        InternshipApplication.objects.select_related("slot", "slot__company", "slot__site", "pupil")
        .filter(pk=application_id)
        .first()
    )
    side = internship_application_side(user, application) if application else None
    if application is None or side is None:
        raise Http404
    return application, side
