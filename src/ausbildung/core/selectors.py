"""Reads of the core app. Everything a view shows is fetched here, scoped by `core.permissions`."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from . import permissions
from .models import Membership, TrainingContract


def memberships_of(user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("organisation", "organisation__region")
        .order_by("role", "organisation__name")
    )


def contract_list_for(user, *, status: str = "", query: str = "") -> QuerySet[TrainingContract]:
    contracts = permissions.contracts_visible_to(user).select_related(
        "apprentice", "company", "occupation", "chamber", "site"
    )
    if status:
        contracts = contracts.filter(status=status)
    if query:
        contracts = contracts.filter(occupation__name__icontains=query) | contracts.filter(
            apprentice__last_name__icontains=query
        )
    return contracts.order_by("-start_date", "id")


def get_contract_for(user, pk: int) -> TrainingContract:
    """The contract, if `user` may see it; otherwise 404 (we do not confirm that it exists)."""
    try:
        return (
            permissions.contracts_visible_to(user)
            .select_related(
                "apprentice",
                "company",
                "site",
                "occupation",
                "specialisation",
                "chamber",
                "vocational_school",
            )
            .prefetch_related("trainer_links__trainer")
            .get(pk=pk)
        )
    except TrainingContract.DoesNotExist:
        raise Http404 from None
