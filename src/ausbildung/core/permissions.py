"""The machinery of access: roles, page rules, the middleware that enforces them, and the contract scopes.

Two questions, answered with this machinery:

1. **May this person open this page or API route at all?** Every URL pattern (by its view name, e.g.
   ``core:home``, ``api:me``, or a whole namespace such as ``admin``) has a :class:`Rule` in the registry.
   :class:`PermissionMiddleware` enforces it before any view runs. A URL without a rule is refused (fail
   closed) and the permission matrix test fails, so a new page cannot ship undeclared.
2. **Which objects may this person see?** Scope functions return querysets restricted by the person's
   memberships: own data, own organisation, own apprentices, own district. Selectors fetch through them, so
   an object outside the scope is simply not found (HTTP 404: we do not confirm that someone else's record
   exists). The scopes of training contracts and the shared helpers (``organisations_for``,
   ``companies_for``, ``schools_of_teacher`` …) are here; each focus-area app keeps its own scopes and its
   rules in its ``access.py`` (``records.access.record_access``, ``transition.access.cases_visible_to`` …),
   next to the code that uses them, and registers the rules with :func:`register_rules` from its
   ``AppConfig.ready``.

This module imports no focus-area app (an import-linter contract in ``pyproject.toml`` checks it). The
matrix of who may do what is documented in ``docs/permissions.md``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ContractTrainer, Guardianship, Membership, Organisation, Role, TrainingContract, User
from .models.people import of_age_if_born_by

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser

logger = logging.getLogger(__name__)

ALL_ROLES: frozenset[str] = frozenset(Role.values)

# Roles whose work needs a training contract's personal data, and the scope through which they see it.
CONTRACT_ROLES: frozenset[str] = frozenset(
    {
        Role.APPRENTICE,
        Role.GUARDIAN,
        Role.TRAINER,
        Role.COMPANY_ADMIN,
        Role.VOCATIONAL_SCHOOL_TEACHER,
        Role.CHAMBER_OFFICER,
        Role.PLATFORM_ADMIN,
    }
)


# Roles that see other people's data: they need a second factor (`STAFF_TWO_FACTOR`, core.signin) and have
# the shorter idle timeout (core.middleware).
STAFF_ROLES: frozenset[str] = frozenset(
    {
        Role.TRAINER,
        Role.COMPANY_ADMIN,
        Role.TEACHER,
        Role.VOCATIONAL_SCHOOL_TEACHER,
        Role.COUNSELLOR,
        Role.CHAMBER_OFFICER,
        Role.MONITOR,
        Role.PLATFORM_ADMIN,
    }
)


# --- who is this person? -------------------------------------------------------------------------------------


def roles_of(user: AnyUser) -> frozenset[str]:
    """All roles a person holds (active memberships, plus guardian while they represent a minor today).

    Cached on the user object, which lives for one request (Django builds `request.user` anew for each),
    so ending a membership or a ward's coming of age takes effect with the next request.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_ausbildung_roles", None)
    if cached is not None:
        return cached
    # One query on every request: the roles of the active memberships, plus "guardian" once when the person
    # represents a ward who is a minor today (Guardianship.objects.current; UNION removes the duplicates).
    alias = router.db_for_read(Membership)
    born_after = connections[alias].ops.adapt_datefield_value(of_age_if_born_by(timezone.localdate()))
    with connections[alias].cursor() as cursor:
        cursor.execute(_roles_sql(alias), [user.pk, True, Role.GUARDIAN.value, user.pk, born_after])
        roles = {role for (role,) in cursor.fetchall()}
    if user.is_superuser:
        roles.add(Role.PLATFORM_ADMIN)
    result = frozenset(roles)
    user._ausbildung_roles = result  # type: ignore[attr-defined]
    return result


_ROLES_SQL: dict[str, str] = {}


def _roles_sql(alias: str) -> str:
    """The SQL of the roles query, built once per database from the models' table and column names.

    It is the same query the ORM would write (`memberships.union(Guardianship.objects.current())`, see
    `roles_of`; the rule of a current guardianship, BGB § 2, is written once more here), but it runs
    on every signed-in request, and compiling it each time cost several times its execution
    (docs/performance.md, "records-load")."""
    sql = _ROLES_SQL.get(alias)
    if sql is None:
        quote = connections[alias].ops.quote_name
        membership, guardianship, person = Membership._meta, Guardianship._meta, User._meta

        def column(meta: Any, name: str) -> str:
            return f"{quote(meta.db_table)}.{quote(meta.get_field(name).column)}"

        # Quoted table and column names of our own models; every value is a parameter.
        sql = (
            f"SELECT {quote(membership.get_field('role').column)} FROM {quote(membership.db_table)}"  # noqa: S608
            f" WHERE {quote(membership.get_field('user').column)} = %s"
            f" AND {quote(membership.get_field('is_active').column)} = %s"
            f" UNION SELECT %s FROM {quote(guardianship.db_table)}"
            f" INNER JOIN {quote(person.db_table)} ON {column(guardianship, 'ward')} = {quote(person.db_table)}.{quote(person.pk.column)}"
            f" WHERE {column(guardianship, 'guardian')} = %s"
            f" AND {column(person, 'date_of_birth')} > %s"
        )
        _ROLES_SQL[alias] = sql
    return sql


def organisations_for(user: AnyUser, *roles: str) -> QuerySet[Organisation]:
    """Organisations the person acts for in any of `roles`."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__is_active=True, memberships__role__in=roles
    ).distinct()


def is_platform_admin(user: AnyUser) -> bool:
    return Role.PLATFORM_ADMIN in roles_of(user)


# --- links of a person to an object through a role ---------------------------------------------------------
#
# A role links a person to objects only while it is current: a membership counts while it is active
# (`organisations_for`), a trainer assignment while it has not ended and its trainer holds an active trainer
# membership at the contract's company (`ContractTrainer.objects.current`), a guardianship while the ward is
# a minor (`Guardianship.objects.current`, BGB § 2). A former trainer who now trains at another company
# still has the role "trainer", but no longer the contracts of the company they left. Every scope below goes
# through these three; none reads `trainer_links` or `guardians` directly.


def current_trainer_links(user: AnyUser) -> QuerySet[ContractTrainer]:
    """The person's trainer assignments that count today."""
    if not user.is_authenticated:
        return ContractTrainer.objects.none()
    return ContractTrainer.objects.current().filter(trainer=user)


def current_trainer_links_q(user: AnyUser, field: str = "pk") -> Q:
    """Q for contracts (`field` = "pk") or their rows (e.g. "contract" on a record period) that the person
    trains today: the one rule for the review queue, the overview and every trainer scope."""
    return Q(**{f"{field}__in": current_trainer_links(user).values("contract_id")})


def trains(user: AnyUser, contract: TrainingContract) -> bool:
    """The person is a current trainer of the contract (main, training officer or substitute)."""
    return current_trainer_links(user).filter(contract_id=contract.pk).exists()


def can_edit_contract_terms(user: AnyUser, contract: TrainingContract) -> bool:
    """Who keeps the contract's terms on the company's side: the agreed weekly hours and written exam date, the
    specialisation and the chosen electives ("vom Ausbildenden festzulegende Wahlqualifikationen", e.g.
    ChemikAusbV § 3 Nr. 2): an administrator of the training company or a current trainer of the contract."""
    return organisations_for(user, Role.COMPANY_ADMIN).filter(pk=contract.company_id).exists() or trains(
        user, contract
    )


# The contract's plan (specialisation, electives) is kept by the same people as its terms.
can_edit_contract_plan = can_edit_contract_terms


def current_wards_of(user: AnyUser) -> QuerySet[User]:
    """The people the person represents today: their wards who are still minors (BGB § 2, § 1629)."""
    if not user.is_authenticated:
        return User.objects.none()
    return User.objects.filter(pk__in=Guardianship.objects.current().filter(guardian=user).values("ward_id"))


def represents(user: AnyUser, person_id: int) -> bool:
    """The person is a legal guardian of `person_id` today (the ward is a minor)."""
    return (
        user.is_authenticated
        and Guardianship.objects.current().filter(guardian_id=user.pk, ward_id=person_id).exists()
    )


# --- page and route rules ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """Who may open a URL: everybody (`public`), any signed-in person (`roles` is None), or these roles."""

    public: bool = False
    roles: frozenset[str] | None = None
    description: str = ""
    # Also a signed-in person without any role: a confirmed sign-up that has not joined anything yet.
    newcomers: bool = False

    def allows(self, user: AnyUser) -> bool:
        if self.public:
            return True
        if not user.is_authenticated or not user.is_active:
            return False
        if self.roles is None:
            return True
        held = roles_of(user)
        return bool(self.roles & held) or (self.newcomers and not held)


PUBLIC = Rule(public=True, description="everybody")
SIGNED_IN = Rule(description="any signed-in person")


def only(*roles: str) -> Rule:
    unknown = set(roles) - ALL_ROLES
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    return Rule(roles=frozenset(roles), description=", ".join(sorted(roles)))


def only_or_newcomer(*roles: str) -> Rule:
    """These roles, or a signed-in person who holds no role yet (e.g. a pupil joining their first class)."""
    rule = only(*roles)
    return Rule(roles=rule.roles, description=f"{rule.description}, or without any role", newcomers=True)


@dataclass
class Registry:
    """View name (``namespace:name``) or namespace (``namespace:*``) → Rule."""

    rules: dict[str, Rule] = field(default_factory=dict)

    def register(self, rules: Mapping[str, Rule]) -> None:
        for name, rule in rules.items():
            if name in self.rules and self.rules[name] != rule:
                raise ValueError(f"conflicting access rules for {name!r}")
            self.rules[name] = rule

    def rule_for(self, view_name: str) -> Rule | None:
        if view_name in self.rules:
            return self.rules[view_name]
        namespace = view_name.rpartition(":")[0]
        while namespace:
            rule = self.rules.get(f"{namespace}:*")
            if rule is not None:
                return rule
            namespace = namespace.rpartition(":")[0]
        return None


registry = Registry()


def register_rules(rules: Mapping[str, Rule]) -> None:
    registry.register(rules)


register_rules(
    {
        "core:landing": PUBLIC,
        "core:login": PUBLIC,
        "core:logout": PUBLIC,
        "core:home": SIGNED_IN,
        "core:acting_as": SIGNED_IN,
        "core:digest": SIGNED_IN,  # one's own e-mail digest only
        # One's own data only (DSGVO Art. 15, 17, 20): the copy and the erasure request act on request.user.
        "core:my_data": SIGNED_IN,
        "core:my_data_export": SIGNED_IN,
        "core:my_data_erase": SIGNED_IN,
        # The copy for a request received on paper: any person's data, so platform administrators only.
        "core:privacy_staff_export": only(Role.PLATFORM_ADMIN),
        "core:read_log": SIGNED_IN,  # reads of one's own data, and of one's current wards' (core.audit)
        "core:contract_list": only(*CONTRACT_ROLES),
        "core:contract_detail": only(*CONTRACT_ROLES),
        "core:contract_plan": only(Role.COMPANY_ADMIN, Role.TRAINER),
        "core:contract_terms": only(Role.COMPANY_ADMIN, Role.TRAINER),
        # Accounts (core.accounts): sign-up and invitation links are public (the link's secret decides);
        # what a person may invite into, leave or remove is scoped in core.accounts.selectors (else 404).
        "core:signup": PUBLIC,
        "core:signup_sent": PUBLIC,
        "core:signup_confirm": PUBLIC,
        "core:signup_guardian": PUBLIC,
        "core:company_register": PUBLIC,
        "core:company_verification_list": only(Role.CHAMBER_OFFICER, Role.PLATFORM_ADMIN),
        "core:company_verification": only(Role.CHAMBER_OFFICER, Role.PLATFORM_ADMIN),
        "core:invitations": only(Role.COMPANY_ADMIN, Role.APPRENTICE, Role.PLATFORM_ADMIN),
        "core:invitation_revoke": only(Role.COMPANY_ADMIN, Role.APPRENTICE, Role.PLATFORM_ADMIN),
        "core:invitation_accept": PUBLIC,
        "core:my_organisations": SIGNED_IN,
        "core:membership_leave": SIGNED_IN,
        "core:member_remove": only(Role.COMPANY_ADMIN),
        "core:occupation_list": PUBLIC,
        "core:occupation_detail": PUBLIC,
        # Signing in safely (core.signin): the reset pages for everyone, the rest for one's own account.
        "core:password_reset": PUBLIC,
        "core:password_reset_done": PUBLIC,
        "core:password_reset_confirm": PUBLIC,
        "core:password_reset_complete": PUBLIC,
        "core:security": SIGNED_IN,
        "core:password_change": SIGNED_IN,
        "core:two_factor_verify": SIGNED_IN,
        "core:two_factor_setup": SIGNED_IN,
        "core:two_factor_disable": SIGNED_IN,
        "core:recovery_codes": SIGNED_IN,
        "set_language": PUBLIC,
        # The Django admin is the platform administrators' tool; its own login page is not used.
        "admin:*": only(Role.PLATFORM_ADMIN),
        "api:api-root": PUBLIC,
        "api:openapi-json": PUBLIC,
        "api:openapi-view": PUBLIC,
        "api:health": PUBLIC,
        "api:me": SIGNED_IN,
        "api:contract_list": only(*CONTRACT_ROLES),
        "api:contract_detail": only(*CONTRACT_ROLES),
        "api:occupation_list": PUBLIC,
        "api:occupation_detail": PUBLIC,
    }
)


def rule_for(view_name: str) -> Rule | None:
    return registry.rule_for(view_name)


def is_api_path(path: str) -> bool:
    return path.startswith("/api/")


def problem_response(status: int, title: str, detail: str = "", **extra: Any) -> JsonResponse:
    """RFC 9457 problem details, the API's error format."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return JsonResponse(body, status=status, content_type="application/problem+json")


# --- the second factor ---------------------------------------------------------------------------------------
#
# A session whose person needs a second factor (a staff role while STAFF_TWO_FACTOR is "required", or anyone
# who set up a device: core.signin.two_factor) reaches only these pages before the code step; every other page
# leads to the code step (which leads to the setup when there is no device yet), the API answers 403.

# Set at login when the person has a confirmed device (core.signin.two_factor.mark_pending_after_login).
SECOND_FACTOR_PENDING_KEY = "second_factor_pending"
# The person of a request authenticated by an API bearer token (api.auth): tokens are not sessions.
API_TOKEN_ATTRIBUTE = "_ausbildung_api_token"  # noqa: S105 (an attribute name, not a secret)
SECOND_FACTOR_EXEMPT: frozenset[str] = frozenset(
    {
        "core:login",
        "core:logout",
        "core:two_factor_verify",
        "core:two_factor_setup",
        "core:password_reset",
        "core:password_reset_done",
        "core:password_reset_confirm",
        "core:password_reset_complete",
        "set_language",
    }
)


def second_factor_missing(request: HttpRequest) -> bool:
    """The signed-in session still owes the second factor.

    Requests with an API bearer token are not asked: a token is made only by the platform administrators
    (the admin, behind the second factor) or on the server (`ausbildung manage api-token`)."""
    user = request.user
    if not user.is_authenticated or getattr(request, API_TOKEN_ATTRIBUTE, None) is not None:
        return False
    verified = getattr(user, "is_verified", None)
    if verified is not None and verified():
        return False
    if request.session.get(SECOND_FACTOR_PENDING_KEY):
        return True
    return settings.STAFF_TWO_FACTOR == "required" and bool(roles_of(user) & STAFF_ROLES)


class PermissionMiddleware:
    """Enforce the rule of the resolved view (and the second factor) before the view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Iterable[Any], view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        view_name = match.view_name if match else ""
        rule = rule_for(view_name)
        if rule is None:
            logger.error("No access rule declared for view %r (%s); refusing.", view_name, request.path)
            return self.refuse(request, authenticated=request.user.is_authenticated)
        api = is_api_path(request.path)
        if (
            view_name not in SECOND_FACTOR_EXEMPT
            and not (api and rule.public)
            and second_factor_missing(request)
        ):
            if api:
                return problem_response(
                    403, _("Second factor required"), _("Confirm the sign-in with the second factor first.")
                )
            verify_url = reverse("core:two_factor_verify")
            return HttpResponseRedirect(f"{verify_url}?next={quote(request.get_full_path())}")
        if rule.allows(request.user):
            return None
        return self.refuse(request, authenticated=request.user.is_authenticated)

    @staticmethod
    def refuse(request: HttpRequest, *, authenticated: bool) -> HttpResponse:
        if is_api_path(request.path):
            if authenticated:
                return problem_response(403, _("Forbidden"), _("You may not use this function."))
            return problem_response(401, _("Not signed in"), _("Please sign in first."))
        if not authenticated:
            login_url = resolve_url(settings.LOGIN_URL)
            return HttpResponseRedirect(f"{login_url}?next={quote(request.get_full_path())}")
        raise PermissionDenied


# --- object scopes -------------------------------------------------------------------------------------------


def contracts_visible_to(user: AnyUser) -> QuerySet[TrainingContract]:
    """Training contracts a person may see, by role:

    - apprentice: their own; guardian: those of their wards while these are minors (BGB § 2);
    - trainer: contracts they are currently assigned to (main trainer, training officer or substitute) at a
      company where they are a trainer today (`ContractTrainer.objects.current`);
    - company administrator: contracts of their companies;
    - vocational-school teacher: contracts of students at their school;
    - chamber officer: contracts registered with their chamber (BBiG § 34–36);
    - platform administrator: all. Teachers, counsellors, monitors and pupils see none (they get figures
      or their own cases elsewhere, not contracts).
    """
    roles = roles_of(user)
    if not roles:
        return TrainingContract.objects.none()
    if Role.PLATFORM_ADMIN in roles:
        return TrainingContract.objects.all()
    condition = Q(pk__in=[])
    if Role.APPRENTICE in roles:
        condition |= Q(apprentice=user)
    if Role.GUARDIAN in roles:
        condition |= Q(apprentice__in=current_wards_of(user))
    if Role.TRAINER in roles:
        condition |= current_trainer_links_q(user)
    if Role.COMPANY_ADMIN in roles:
        condition |= Q(company__in=organisations_for(user, Role.COMPANY_ADMIN))
    if Role.VOCATIONAL_SCHOOL_TEACHER in roles:
        condition |= Q(vocational_school__in=organisations_for(user, Role.VOCATIONAL_SCHOOL_TEACHER))
    if Role.CHAMBER_OFFICER in roles:
        condition |= Q(chamber__in=organisations_for(user, Role.CHAMBER_OFFICER))
    ids = TrainingContract.objects.filter(condition).values("pk")
    return TrainingContract.objects.filter(pk__in=ids)


def can_see_date_of_birth(user: User, contract: TrainingContract) -> bool:
    """Date of birth (it decides JArbSchG protection): the apprentice, current guardians and trainers, the
    company's administrators and the chamber (each in their current role and organisation).

    Vocational-school teachers see the contract facts they need for school, not the birth date.
    """
    if user.pk == contract.apprentice_id:
        return True
    roles = roles_of(user)
    return (
        Role.PLATFORM_ADMIN in roles
        or (Role.GUARDIAN in roles and represents(user, contract.apprentice_id))
        or (Role.TRAINER in roles and trains(user, contract))
        or (
            Role.COMPANY_ADMIN in roles
            and organisations_for(user, Role.COMPANY_ADMIN).filter(pk=contract.company_id).exists()
        )
        or (
            Role.CHAMBER_OFFICER in roles
            and organisations_for(user, Role.CHAMBER_OFFICER).filter(pk=contract.chamber_id).exists()
        )
    )


# --- shared organisation helpers -----------------------------------------------------------------------------
#
# The organisations a person acts for in one role, used by the scopes of several areas. The scopes themselves
# (which classes, applications, destinations, rounds …) live in each app's `access.py`.

# Who acts for a company (its training places, internships, clearing offers): administrators and trainers.
COMPANY_STAFF_ROLES: frozenset[str] = frozenset({Role.COMPANY_ADMIN, Role.TRAINER})


def companies_for(user: AnyUser) -> QuerySet[Organisation]:
    """Companies the person acts for as company administrator or trainer."""
    return organisations_for(user, *COMPANY_STAFF_ROLES).filter(kind=Organisation.Kind.COMPANY)


def schools_of_teacher(user: AnyUser) -> QuerySet[Organisation]:
    """General schools the person teaches at (role teacher)."""
    return organisations_for(user, Role.TEACHER).filter(kind=Organisation.Kind.SCHOOL)


def agencies_of_counsellor(user: AnyUser) -> QuerySet[Organisation]:
    """Guidance agencies the person counsels for (role counsellor)."""
    return organisations_for(user, Role.COUNSELLOR).filter(kind=Organisation.Kind.GUIDANCE_AGENCY)
