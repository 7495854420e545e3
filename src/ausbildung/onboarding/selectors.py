"""Reads of the self-check, through the scopes: a company sees its own requests, a chamber those addressed to
it; anything else is not found (404)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from ausbildung.core.models import Role
from ausbildung.core.permissions import organisations_for

from . import check
from .models import OnboardingRequest


def _base() -> QuerySet[OnboardingRequest]:
    return OnboardingRequest.objects.select_related("company", "chamber", "created_by").prefetch_related(
        "occupations"
    )


def requests_of_companies(user) -> QuerySet[OnboardingRequest]:
    return _base().filter(company__in=organisations_for(user, Role.COMPANY_ADMIN))


def requests_for_chambers(user) -> QuerySet[OnboardingRequest]:
    return _base().filter(chamber__in=organisations_for(user, Role.CHAMBER_OFFICER))


def requests_visible_to(user) -> QuerySet[OnboardingRequest]:
    return _base().filter(
        Q(company__in=organisations_for(user, Role.COMPANY_ADMIN))
        | Q(chamber__in=organisations_for(user, Role.CHAMBER_OFFICER))
    )


def get_request(queryset: QuerySet[OnboardingRequest], request_id: int) -> OnboardingRequest:
    found = queryset.filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


def answers_of(request: OnboardingRequest) -> check.Answers:
    return check.Answers(
        company=request.company,
        occupations=list(request.occupations.order_by("name")),
        activity=request.activity,
        skilled_staff=request.skilled_staff,
        trainer=request.trainer,
        contents=request.contents,
        asa_interest=request.asa_interest,
    )
