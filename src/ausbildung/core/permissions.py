"""The one place where access is decided.

Two questions, both answered here:

1. **May this person open this page or API route at all?** Every URL pattern (by its view name, e.g.
   ``core:home``, ``api:me``, or a whole namespace such as ``admin``) has a :class:`Rule` in the registry.
   :class:`PermissionMiddleware` enforces it before any view runs. A URL without a rule is refused (fail
   closed) and the permission matrix test fails, so a new page cannot ship undeclared.
2. **Which objects may this person see?** Scope functions (``contracts_visible_to`` …) return querysets
   restricted by the person's memberships: own data, own organisation, own apprentices, own district.
   Selectors fetch through them, so an object outside the scope is simply not found (HTTP 404: we do not
   confirm that someone else's record exists).

Focus-area apps add their rules with :func:`register_rules` from their ``AppConfig.ready``; the vocabulary
(roles, rules, scopes) stays here. The matrix of who may do what is documented in ``docs/permissions.md``.
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

    def allows(self, user: AnyUser) -> bool:
        if self.public:
            return True
        if not user.is_authenticated or not user.is_active:
            return False
        if self.roles is None:
            return True
        return bool(self.roles & roles_of(user))


PUBLIC = Rule(public=True, description="everybody")
SIGNED_IN = Rule(description="any signed-in person")


def only(*roles: str) -> Rule:
    unknown = set(roles) - ALL_ROLES
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    return Rule(roles=frozenset(roles), description=", ".join(sorted(roles)))


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
        "core:contract_list": only(*CONTRACT_ROLES),
        "core:contract_detail": only(*CONTRACT_ROLES),
        "core:occupation_list": PUBLIC,
        "core:occupation_detail": PUBLIC,
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


class PermissionMiddleware:
    """Enforce the rule of the resolved view before the view runs."""

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


# --- training record (Ausbildungsnachweis) ------------------------------------------------------------------

RECORD_FULL = "full"
RECORD_SCHOOL = "school"


def record_access(user: AnyUser, contract: TrainingContract) -> str | None:
    """How much of a contract's training record a person may read.

    Full: the apprentice, their current trainers (main, training officer, substitute), the company's
    administrators, the chamber the contract is registered with (BBiG § 34), legal guardians while the
    apprentice is a minor (HA recommendation: they see the record of a minor; BGB § 2: not after the 18th
    birthday) and platform administrators. Vocational-school teachers of the apprentice's school see only
    the school section. Everybody else, former trainers and guardians included: nothing.
    """
    if not user.is_authenticated:
        return None
    if user.pk == contract.apprentice_id:
        return RECORD_FULL
    roles = roles_of(user)
    if Role.PLATFORM_ADMIN in roles:
        return RECORD_FULL
    if Role.TRAINER in roles and trains(user, contract):
        return RECORD_FULL
    if roles & {Role.COMPANY_ADMIN, Role.CHAMBER_OFFICER}:
        if organisations_for(user, Role.COMPANY_ADMIN).filter(pk=contract.company_id).exists():
            return RECORD_FULL
        if organisations_for(user, Role.CHAMBER_OFFICER).filter(pk=contract.chamber_id).exists():
            return RECORD_FULL
    if Role.GUARDIAN in roles and represents(user, contract.apprentice_id):
        return RECORD_FULL
    if (
        Role.VOCATIONAL_SCHOOL_TEACHER in roles
        and contract.vocational_school_id is not None
        and organisations_for(user, Role.VOCATIONAL_SCHOOL_TEACHER)
        .filter(pk=contract.vocational_school_id)
        .exists()
    ):
        return RECORD_SCHOOL
    return None


def can_write_record(user: AnyUser, contract: TrainingContract) -> bool:
    """Only the apprentice writes their record (BBiG § 13 Satz 2 Nr. 7), and only while the contract runs."""
    return user.is_authenticated and user.pk == contract.apprentice_id and contract.status == "active"


def can_review_record(user: AnyUser, contract: TrainingContract) -> bool:
    """The current trainers of the contract review and sign (BBiG § 14 Abs. 2); a substitute may sign in their
    absence. A trainer who left the company or whose assignment ended does not."""
    return user.is_authenticated and Role.TRAINER in roles_of(user) and trains(user, contract)


def can_acknowledge_record(user: AnyUser, contract: TrainingContract) -> bool:
    """A legal guardian acknowledges the record of a minor; once the apprentice is of age, nobody (BGB § 2)."""
    return Role.GUARDIAN in roles_of(user) and represents(user, contract.apprentice_id)


def can_share_record(user: AnyUser, contract: TrainingContract) -> bool:
    """The chamber a contract is registered with may give an examiner read access for a limited time."""
    return organisations_for(user, Role.CHAMBER_OFFICER).filter(pk=contract.chamber_id).exists()


def require(condition: bool) -> None:
    """Raise 403 unless `condition`; for action checks inside a view that already passed its page rule."""
    if not condition:
        raise PermissionDenied


# --- training places and applications (offers app) -----------------------------------------------------------

# Who acts for a company's training places: its administrators and trainers.
OFFER_ROLES: frozenset[str] = frozenset({Role.COMPANY_ADMIN, Role.TRAINER})
APPLICANT_SIDE = "applicant"
COMPANY_SIDE = "company"


def offer_companies_for(user: AnyUser) -> QuerySet[Organisation]:
    """Companies whose offers and applications the person manages (company administrator or trainer)."""
    return organisations_for(user, *OFFER_ROLES).filter(kind=Organisation.Kind.COMPANY)


def application_side(user: AnyUser, application: Any) -> str | None:
    """On which side a person sees an application, or None (then it is not found: 404).

    The applicant sees their own application. The offering company (administrators and trainers) sees it
    once it was sent, never a draft (DSGVO: nothing reaches the company before the applicant sends it).
    Nobody else sees applications: not schools, chambers or counsellors.
    """
    if not user.is_authenticated:
        return None
    if application.applicant_id == user.pk:
        return APPLICANT_SIDE
    if application.state == "draft":
        return None
    if offer_companies_for(user).filter(pk=application.offer.company_id).exists():
        return COMPANY_SIDE
    return None


# --- career orientation at schools (orientation app) ---------------------------------------------------------

# Who acts for a company's internships (Praktika): the same people as for its training places.
INTERNSHIP_ROLES: frozenset[str] = OFFER_ROLES
PUPIL_SIDE = "pupil"


def schools_of_teacher(user: AnyUser) -> QuerySet[Organisation]:
    """General schools the person teaches at (role teacher)."""
    return organisations_for(user, Role.TEACHER).filter(kind=Organisation.Kind.SCHOOL)


def classes_of_teacher(user: AnyUser) -> QuerySet[Any]:
    """School classes a teacher leads: only their own (another teacher's class is not found: 404).

    Pupils are mostly minors (DSGVO Art. 8, data minimisation Art. 5 Abs. 1 lit. c). Through a class the
    teacher sees per pupil only the name and progress flags: interest check done (yes/no), number of saved
    occupations, has an internship, has a plan, "nothing yet". Never the answers or scores of the interest
    check, never the date of birth, messages, feedback or contact data. Views and exports built on this
    scope must keep to that list (see `orientation.classes.selectors.class_progress`).
    """
    from ausbildung.orientation.models import SchoolClass

    if not user.is_authenticated or Role.TEACHER not in roles_of(user):
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(teacher=user, school__in=schools_of_teacher(user))


def internship_companies_for(user: AnyUser) -> QuerySet[Organisation]:
    """Companies whose internships the person manages (company administrator or trainer)."""
    return organisations_for(user, *INTERNSHIP_ROLES).filter(kind=Organisation.Kind.COMPANY)


def internship_application_side(user: AnyUser, application: Any) -> str | None:
    """On which side a person sees an internship application, or None (404).

    The pupil sees their own; the company offering the internship (administrators, trainers) sees the
    applications to its internships. Teachers see only the flag "has an internship" (classes_of_teacher).
    """
    if not user.is_authenticated:
        return None
    if application.pupil_id == user.pk:
        return PUPIL_SIDE
    if internship_companies_for(user).filter(pk=application.slot.company_id).exists():
        return COMPANY_SIDE
    return None


# --- transition: destinations (Verbleib), consent, cases -----------------------------------------------------
#
# Who sees which school leaver (DSGVO Art. 5 Abs. 1 lit. c, Art. 6, Art. 8; the leavers are mostly minors):
# - a teacher sees the destinations of the leavers of their own schools, by name (the school keeps them);
# - a counsellor of a guidance agency sees the leavers of the schools in the agency's district as figures,
#   and by name only those with a valid consent to share with that agency (transition.models.Consent);
#   without consent a row shows school, class, certificate and status, never the name – on the dashboard and
#   on the consent page alike, which is addressed by the row (destination), not by the person;
# - a monitor (Alliance / Land) sees aggregated figures of its district only, never a list of persons;
# - cases (case follow-up) are seen by the counsellors of the agency that holds them, nobody else.


def agencies_of_counsellor(user: AnyUser) -> QuerySet[Organisation]:
    return organisations_for(user, Role.COUNSELLOR).filter(kind=Organisation.Kind.GUIDANCE_AGENCY)


def _district_schools(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """General schools whose Kreis (or Land) lies in the district of any of the organisations."""
    regions = Organisation.objects.filter(pk__in=organisations.values("pk")).values("district")
    return Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).filter(
        Q(region__in=regions) | Q(region__parent__in=regions)
    )


def agencies_serving_schools_of_teacher(user: AnyUser) -> QuerySet[Organisation]:
    """Guidance agencies whose district holds the Kreis (or Land) of one of the teacher's schools: those a
    teacher may record a consent for (the inverse of `_district_schools`)."""
    schools = schools_of_teacher(user)
    return Organisation.objects.filter(
        Q(district__in=schools.values("region")) | Q(district__in=schools.values("region__parent")),
        kind=Organisation.Kind.GUIDANCE_AGENCY,
    ).distinct()


def destination_schools_for(user: AnyUser) -> QuerySet[Organisation]:
    """Schools whose leavers' destinations the person sees (by name: teachers; as figures: the others)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    roles = roles_of(user)
    if Role.PLATFORM_ADMIN in roles:
        return Organisation.objects.filter(kind=Organisation.Kind.SCHOOL)
    visible = Q(pk__in=schools_of_teacher(user).values("pk"))
    if Role.COUNSELLOR in roles:
        visible |= Q(pk__in=_district_schools(agencies_of_counsellor(user)).values("pk"))
    if Role.MONITOR in roles:
        visible |= Q(pk__in=_district_schools(organisations_for(user, Role.MONITOR)).values("pk"))
    return Organisation.objects.filter(visible)


def destinations_named_for(user: AnyUser) -> QuerySet[Any]:
    """Destinations the person may see with the leaver's name: own schools (teacher), valid consent
    to one of the person's agencies (counsellor), everything (platform admin)."""
    from django.utils import timezone

    from ausbildung.transition.models import Destination

    if not user.is_authenticated:
        return Destination.objects.none()
    roles = roles_of(user)
    if Role.PLATFORM_ADMIN in roles:
        return Destination.objects.all()
    named = Q(school__in=schools_of_teacher(user))
    if Role.COUNSELLOR in roles:
        named |= Q(pupil__in=consenting_persons(agencies_of_counsellor(user), timezone.localdate()))
    return Destination.objects.filter(named, school__in=destination_schools_for(user))


def consenting_persons(agencies: QuerySet[Organisation], day) -> list[int]:
    """Ids of the persons with a consent valid on `day` to share with one of the agencies."""
    from ausbildung.transition.models import Consent

    consents = Consent.objects.filter(agency__in=agencies).select_related("person")
    return sorted({c.person_id for c in consents if c.is_valid_on(day)})


def can_record_destination(user: AnyUser, destination: Any) -> bool:
    """Only the school records its leavers' destinations (the counsellor closes cases, see Case)."""
    return schools_of_teacher(user).filter(pk=destination.school_id).exists() or is_platform_admin(user)


def consent_destinations_for(user: AnyUser) -> QuerySet[Any]:
    """Leavers whose consent page the person may open: a teacher those of their schools, a counsellor those of
    the schools in the agency's district, the platform admin all. The page is addressed by the destination
    (the dashboard's anonymous row), never by the person, and shows the name only with `destinations_named_for`.
    """
    from ausbildung.transition.models import Destination

    if not user.is_authenticated:
        return Destination.objects.none()
    if is_platform_admin(user):
        return Destination.objects.all()
    schools = Q(school__in=schools_of_teacher(user))
    if Role.COUNSELLOR in roles_of(user):
        schools |= Q(school__in=_district_schools(agencies_of_counsellor(user)))
    return Destination.objects.filter(schools)


def consent_agencies_for(user: AnyUser) -> QuerySet[Organisation]:
    """Agencies the person may ask or record a consent for: a counsellor their own agencies, a teacher the
    agencies serving their schools."""
    if Role.COUNSELLOR in roles_of(user):
        return agencies_of_counsellor(user)
    return agencies_serving_schools_of_teacher(user)


def teaches_leaver(user: AnyUser, person: Any) -> bool:
    """A teacher of a school the person leaves: the school knows the name (it keeps its pupils' records)."""
    from ausbildung.transition.models import Destination

    schools = Destination.objects.filter(pupil=person).values("school")
    return schools_of_teacher(user).filter(pk__in=schools).exists()


def can_manage_consent(user: AnyUser, consent: Any) -> bool:
    """Withdraw a consent (or cancel a request) on the young person's behalf: a teacher of their school, or a
    counsellor of the agency the consent is for (and only while the leaver is in the agency's district)."""
    if is_platform_admin(user) or teaches_leaver(user, consent.person):
        return True
    if not agencies_of_counsellor(user).filter(pk=consent.agency_id).exists():
        return False
    return consent_destinations_for(user).filter(pupil_id=consent.person_id).exists()


def can_see_consent_form(user: AnyUser, consent: Any) -> bool:
    """The uploaded signed form names the young person: the school sees it; a counsellor of the consent's
    agency only while the consent is valid (DSGVO Art. 5 Abs. 1 lit. c)."""
    from django.utils import timezone

    if is_platform_admin(user) or teaches_leaver(user, consent.person):
        return True
    return (
        agencies_of_counsellor(user).filter(pk=consent.agency_id).exists()
        and consent.is_valid_on(timezone.localdate())
        and consent_destinations_for(user).filter(pupil_id=consent.person_id).exists()
    )


def is_guardian_of(user: AnyUser, person_id: int) -> bool:
    return user.is_authenticated and Guardianship.objects.filter(guardian=user, ward_id=person_id).exists()


def cases_visible_to(user: AnyUser) -> QuerySet[Any]:
    """Cases of the counsellor's agencies whose young person has a valid consent to share with that agency:
    a case names the person, so a withdrawn consent (DSGVO Art. 7 Abs. 3) or one recorded without evidence
    (Art. 7 Abs. 1) hides it as it hides the name on the dashboard."""
    from django.utils import timezone

    from ausbildung.transition.models import Case, Consent

    if not user.is_authenticated:
        return Case.objects.none()
    if is_platform_admin(user):
        return Case.objects.all()
    today = timezone.localdate()
    consents = Consent.objects.filter(agency__in=agencies_of_counsellor(user)).select_related("person")
    valid = {(c.person_id, c.agency_id) for c in consents if c.is_valid_on(today)}
    with_consent = Q(pk__in=[])
    for person_id, agency_id in valid:
        with_consent |= Q(person_id=person_id, agency_id=agency_id)
    return Case.objects.filter(with_consent, agency__in=agencies_of_counsellor(user))


# --- clearing rounds (Nachvermittlung, transition.clearing) --------------------------------------------------
#
# A round is run by its organiser: a chamber (its chamber officers) or a guidance agency (its counsellors).
# It covers a region (a Land or a Kreis) or, without one, the organiser's district. Pupils and companies see
# the rounds past the draft that cover the region of their school, company or training sites, and the rounds
# they take part in. Within a round a company sees only the applicants who listed one of its offers, with
# name, certificate and message (pupils are mostly minors; DSGVO Art. 5 Abs. 1 lit. c, Art. 8); the
# organiser sees figures and offers, not applicants' names.

CLEARING_ORGANISER_ROLES: dict[str, str] = {
    Role.CHAMBER_OFFICER: Organisation.Kind.CHAMBER,
    Role.COUNSELLOR: Organisation.Kind.GUIDANCE_AGENCY,
}


def clearing_organisers_for(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations whose clearing rounds the person runs: chambers (chamber officer), agencies (counsellor)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    condition = Q(pk__in=[])
    for role, kind in CLEARING_ORGANISER_ROLES.items():
        condition |= Q(pk__in=organisations_for(user, role).filter(kind=kind).values("pk"))
    return Organisation.objects.filter(condition)


def clearing_rounds_run_by(user: AnyUser) -> QuerySet[Any]:
    """Rounds the person runs (all statuses, drafts included)."""
    from ausbildung.transition.clearing.models import ClearingRound

    return ClearingRound.objects.filter(organiser__in=clearing_organisers_for(user))


def clearing_area(clearing_round: Any) -> QuerySet[Any]:
    """Regions a round covers: its region and the Kreise in it, or else the organiser's district."""
    from ausbildung.core.models import Region

    if clearing_round.region_id is not None:
        return Region.objects.filter(Q(pk=clearing_round.region_id) | Q(parent_id=clearing_round.region_id))
    district = clearing_round.organiser.district.values("pk")
    return Region.objects.filter(Q(pk__in=district) | Q(parent__in=district))


def _rounds_covering(region_ids: set[int]) -> Q:
    """Rounds whose area holds one of the regions (ids of Kreise together with their Länder)."""
    return Q(region__in=region_ids) | Q(region__isnull=True, organiser__district__in=region_ids)


def _with_parents(region_ids: Iterable[int | None]) -> set[int]:
    from ausbildung.core.models import Region

    ids = {pk for pk in region_ids if pk is not None}
    parents = Region.objects.filter(pk__in=ids, parent__isnull=False).values_list("parent_id", flat=True)
    return ids | set(parents)


def clearing_rounds_for_applicant(user: AnyUser) -> QuerySet[Any]:
    """Rounds a pupil may see: past the draft and covering the region of their school, or joined by them."""
    from ausbildung.transition.clearing.models import ClearingRound

    if not user.is_authenticated or Role.PUPIL not in roles_of(user):
        return ClearingRound.objects.none()
    regions = _with_parents(organisations_for(user, Role.PUPIL).values_list("region_id", flat=True))
    ids = (
        ClearingRound.objects.exclude(status=ClearingRound.Status.DRAFT)
        .filter(_rounds_covering(regions) | Q(participants__pupil=user))
        .values("pk")
    )
    return ClearingRound.objects.filter(pk__in=ids)


def clearing_rounds_for_company(user: AnyUser) -> QuerySet[Any]:
    """Rounds a company's administrators and trainers may see: past the draft and covering the region of
    the company or one of its training sites, or holding one of its offers."""
    from ausbildung.core.models import TrainingSite
    from ausbildung.transition.clearing.models import ClearingRound

    if not user.is_authenticated:
        return ClearingRound.objects.none()
    companies = offer_companies_for(user)
    regions = _with_parents(
        [
            *companies.values_list("region_id", flat=True),
            *TrainingSite.objects.filter(company__in=companies).values_list("region_id", flat=True),
        ]
    )
    ids = (
        ClearingRound.objects.exclude(status=ClearingRound.Status.DRAFT)
        .filter(_rounds_covering(regions) | Q(offers__offer__company__in=companies))
        .values("pk")
    )
    return ClearingRound.objects.filter(pk__in=ids)
