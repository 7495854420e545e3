"""Reads of the account pages, each through the person's scope (404 outside it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ..models import ROLE_ORGANISATION_KINDS, Invitation, Membership, Organisation, Role, User
from ..permissions import is_platform_admin, organisations_for, roles_of

if TYPE_CHECKING:
    from ..permissions import AnyUser

# Whom a company administrator invites into their company.
COMPANY_INVITED_ROLES = (Role.TRAINER, Role.COMPANY_ADMIN, Role.APPRENTICE)
# Whom a platform administrator invites into schools, chambers, agencies and partners.
PLATFORM_INVITED_ROLES = (
    Role.TEACHER,
    Role.VOCATIONAL_SCHOOL_TEACHER,
    Role.CHAMBER_OFFICER,
    Role.COUNSELLOR,
    Role.MONITOR,
)


@dataclass(frozen=True)
class Target:
    """What an invitation leads to: a role at an organisation, or the guardianship of a ward."""

    key: str
    role: str
    organisation: Organisation | None = None
    ward: User | None = None

    @property
    def label(self) -> str:
        if self.ward is not None:
            return f"{Role(self.role).label}: {self.ward}"
        return f"{Role(self.role).label} – {self.organisation}"


def is_minor_today(person: User) -> bool:
    """A minor by the date of birth (BGB § 2); unknown dates count as not shown to be a minor (fails closed)."""
    return bool(person.is_minor_on(timezone.localdate()))


def invitation_targets_for(user: AnyUser) -> list[Target]:
    """Everything this person may invite someone into (docs/permissions.md, "Invitations")."""
    if not user.is_authenticated:
        return []
    roles = roles_of(user)
    targets: list[Target] = []
    if Role.COMPANY_ADMIN in roles:
        companies = organisations_for(user, Role.COMPANY_ADMIN).filter(kind=Organisation.Kind.COMPANY)
        for company in companies.order_by("name"):
            targets += [
                Target(f"org-{company.pk}-{role}", role, organisation=company)
                for role in COMPANY_INVITED_ROLES
            ]
        # A minor apprentice's guardian, invited by the company (BGB § 1629: the guardian represents the minor).
        apprentices = User.objects.filter(
            memberships__organisation__in=companies,
            memberships__role=Role.APPRENTICE,
            memberships__is_active=True,
        ).distinct()
        targets += [
            Target(f"ward-{person.pk}", Role.GUARDIAN, ward=person)
            for person in apprentices
            if is_minor_today(person)
        ]
    if Role.APPRENTICE in roles and is_minor_today(user):
        key = f"ward-{user.pk}"
        if all(target.key != key for target in targets):
            targets.append(Target(key, Role.GUARDIAN, ward=user))
    if Role.PLATFORM_ADMIN in roles:
        for organisation in Organisation.objects.filter(is_active=True).order_by("kind", "name"):
            for role in PLATFORM_INVITED_ROLES:
                if organisation.kind in ROLE_ORGANISATION_KINDS[role]:
                    targets.append(Target(f"org-{organisation.pk}-{role}", role, organisation=organisation))
    return targets


def invitations_visible_to(user: AnyUser) -> QuerySet[Invitation]:
    """Invitations a person manages: those into the companies they administer today (whoever sent them), the
    guardian invitations they sent, all (platform administrators). A former administrator manages none of
    their company's invitations, not even their own."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    if is_platform_admin(user):
        return Invitation.objects.all()
    condition = Q(organisation__in=organisations_for(user, Role.COMPANY_ADMIN)) | Q(
        organisation__isnull=True, invited_by=user
    )
    return Invitation.objects.filter(condition)


def open_invitations_for(user: AnyUser) -> QuerySet[Invitation]:
    return (
        invitations_visible_to(user)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("organisation", "ward", "invited_by")
        .order_by("-created_at")
    )


def get_invitation_for(user: AnyUser, pk: int) -> Invitation:
    invitation = invitations_visible_to(user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


# --- memberships ---------------------------------------------------------------------------------------------


def own_memberships(user: AnyUser) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, is_active=True).select_related("organisation")


def get_own_membership(user: AnyUser, pk: int) -> Membership:
    membership = own_memberships(user).filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


def members_managed_by(user: AnyUser) -> QuerySet[Membership]:
    """Active memberships at the companies the person administers, other than the person's own."""
    if not user.is_authenticated:
        return Membership.objects.none()
    companies = organisations_for(user, Role.COMPANY_ADMIN).filter(kind=Organisation.Kind.COMPANY)
    return (
        Membership.objects.filter(organisation__in=companies, is_active=True)
        .exclude(user=user)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name", "role")
    )


def get_managed_membership(user: AnyUser, pk: int) -> Membership:
    membership = members_managed_by(user).filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


# --- companies to verify -------------------------------------------------------------------------------------


def companies_to_verify_for(user: AnyUser) -> QuerySet[Organisation]:
    """Unverified companies: those naming one of the officer's chambers as competent; all for platform
    administrators."""
    companies = Organisation.objects.filter(kind=Organisation.Kind.COMPANY, verified_at__isnull=True)
    if is_platform_admin(user):
        return companies.order_by("rejected_at", "created_at")
    chambers = organisations_for(user, Role.CHAMBER_OFFICER)
    return companies.filter(competent_chamber__in=chambers).order_by("rejected_at", "created_at")


def get_company_to_verify(user: AnyUser, pk: int) -> Organisation:
    company = companies_to_verify_for(user).filter(pk=pk).select_related("competent_chamber").first()
    if company is None:
        raise Http404
    return company


def company_admins_of(company: Organisation) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organisation=company, memberships__role=Role.COMPANY_ADMIN, memberships__is_active=True
    ).distinct()
