"""Reads of the core app. Everything a view shows is fetched here, scoped by `core.permissions`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from . import permissions
from .models import FrameworkPosition, Membership, Occupation, TrainingContract
from .search import query_words


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
        # Unknown values (including NUL bytes, which PostgreSQL rejects) match nothing instead of failing.
        contracts = (
            contracts.filter(status=status) if status in TrainingContract.Status.values else contracts.none()
        )
    query = query.replace("\x00", "")
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


def get_contract_terms_for(user, pk: int) -> TrainingContract:
    """The contract whose working-time facts `user` may keep (`permissions.can_edit_contract_terms`): 404 when
    it is not visible, 403 when it is visible but not theirs to change."""
    contract = get_contract_for(user, pk)
    if not permissions.can_edit_contract_terms(user, contract):
        raise PermissionDenied
    return contract


# --- occupation catalogue (public) ---------------------------------------------------------------------------


def get_contract_plan_for(user, pk: int) -> TrainingContract:
    """The contract whose specialisation and electives `user` sets (`permissions.can_edit_contract_plan`):
    404 when they do not see it, 403 when they see it but do not set it (the apprentice, the school …)."""
    contract = get_contract_for(user, pk)
    if not permissions.can_edit_contract_plan(user, contract):
        raise PermissionDenied
    return contract


def occupation_search(query: str = "", *, duration: int | None = None) -> QuerySet[Occupation]:
    """Current occupations whose name, other gender form, abbreviation, specialisation or common short name
    contains every word of `query`; names starting with the query come first."""
    occupations = Occupation.objects.filter(is_active=True)
    words = query_words(query)
    for word in words:
        occupations = occupations.filter(search_text__contains=word)
    if duration:
        occupations = occupations.filter(duration_months=duration)
    if words:
        first = words[0]
        occupations = occupations.annotate(
            starts=Case(
                When(search_text__startswith=first, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("starts", "name")
    else:
        occupations = occupations.order_by("name")
    return occupations


def occupation_durations() -> list[int]:
    values = Occupation.objects.filter(is_active=True, duration_months__isnull=False).values_list(
        "duration_months", flat=True
    )
    return sorted({value for value in values if value is not None})


def get_occupation(slug: str) -> Occupation:
    try:
        return Occupation.objects.prefetch_related("specialisations", "profile_positions").get(slug=slug)
    except Occupation.DoesNotExist:
        raise Http404 from None


def framework_positions(occupation: Occupation) -> QuerySet[FrameworkPosition]:
    return (
        FrameworkPosition.objects.filter(plan__occupation=occupation)
        .select_related("specialisation")
        .prefetch_related("items")
        .order_by("position")
    )
