"""Who may see and do what in the transition area: the page rules (enforced by `core.permissions`), the object
scopes (which leavers a teacher, counsellor or monitor sees, names only with consent; cases of the own
agency) and the home-page areas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ausbildung.core.areas import register_areas
from ausbildung.core.models import Guardianship, Organisation, Role, User
from ausbildung.core.permissions import (
    agencies_of_counsellor,
    is_platform_admin,
    only,
    organisations_for,
    register_rules,
    roles_of,
    schools_of_teacher,
)

from .models import Case, Consent, Destination

if TYPE_CHECKING:
    from ausbildung.core.permissions import AnyUser

RULES: dict = {
    # the school records its leavers' destinations
    "transition:leavers": only(Role.TEACHER),
    "transition:destination_edit": only(Role.TEACHER),
    # figures of the leaving cohort: school, counsellor, region (monitor: figures only, no list)
    "transition:dashboard": only(Role.TEACHER, Role.COUNSELLOR, Role.MONITOR),
    # consent (DSGVO Art. 7): the school or the agency asks for it or uploads the signed form, on a page
    # addressed by the destination that names nobody before a valid consent; the young person (and the legal
    # representative of a minor) confirms, sees and withdraws it in their own account
    "transition:consent": only(Role.TEACHER, Role.COUNSELLOR),
    "transition:consent_form": only(Role.TEACHER, Role.COUNSELLOR),
    "transition:consent_withdraw": only(
        Role.TEACHER, Role.COUNSELLOR, Role.PUPIL, Role.APPRENTICE, Role.GUARDIAN
    ),
    "transition:consent_confirm": only(Role.PUPIL, Role.APPRENTICE, Role.GUARDIAN),
    "transition:my_consents": only(Role.PUPIL, Role.APPRENTICE, Role.GUARDIAN),
    # case follow-up: counsellors of the agency holding the case
    "transition:cases": only(Role.COUNSELLOR),
    "transition:case_open": only(Role.COUNSELLOR),
    "transition:case_detail": only(Role.COUNSELLOR),
    "transition:case_offer_choices": only(Role.COUNSELLOR),
}


AREAS = [
    (
        "transition_leavers",
        _("Leavers and their destinations"),
        _("Record where each pupil of a leaving class goes next; contracts on the platform update it."),
        "transition:leavers",
        15,
    ),
    (
        "transition_dashboard",
        _("Destinations of school leavers"),
        _("Where a leaving cohort goes, by school and certificate, and who has no secured next step."),
        "transition:dashboard",
        16,
    ),
    (
        "transition_cases",
        _("Cases"),
        _("Follow up young people without a next step together with their school (with their consent)."),
        "transition:cases",
        17,
    ),
    (
        "transition_consents",
        _("My consents"),
        _("See whom you allowed to share your data, and withdraw it."),
        "transition:my_consents",
        18,
    ),
]


def register() -> None:
    from ausbildung.core.demo import register_demo

    from . import demo

    register_rules(RULES)
    register_demo(demo.load)
    register_areas(AREAS)


# --- object scopes: destinations (Verbleib), consent, cases -----------------------------------------------------
#
# Who sees which school leaver (DSGVO Art. 5 Abs. 1 lit. c, Art. 6, Art. 8; the leavers are mostly minors):
# - a teacher sees the destinations of the leavers of their own schools, by name (the school keeps them);
# - a counsellor of a guidance agency sees the leavers of the schools in the agency's district as figures,
#   and by name only those with a valid consent to share with that agency (transition.models.Consent);
#   without consent a row shows school, class, certificate and status, never the name – on the dashboard and
#   on the consent page alike, which is addressed by the row (destination), not by the person;
# - a monitor (Alliance / Land) sees aggregated figures of its district only, never a list of persons;
# - cases (case follow-up) are seen by the counsellors of the agency that holds them, nobody else.


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


def destinations_named_for(user: AnyUser) -> QuerySet[Destination]:
    """Destinations the person may see with the leaver's name: own schools (teacher), valid consent
    to one of the person's agencies (counsellor), everything (platform admin)."""
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
    if is_platform_admin(user) or teaches_leaver(user, consent.person):
        return True
    return (
        agencies_of_counsellor(user).filter(pk=consent.agency_id).exists()
        and consent.is_valid_on(timezone.localdate())
        and consent_destinations_for(user).filter(pupil_id=consent.person_id).exists()
    )


def is_guardian_of(user: AnyUser, person_id: int) -> bool:
    return (
        user.is_authenticated
        and Guardianship.objects.current().filter(guardian=user, ward_id=person_id).exists()
    )


def cases_visible_to(user: AnyUser) -> QuerySet[Any]:
    """Cases of the counsellor's agencies whose young person has a valid consent to share with that agency:
    a case names the person, so a withdrawn consent (DSGVO Art. 7 Abs. 3) or one recorded without evidence
    (Art. 7 Abs. 1) hides it as it hides the name on the dashboard."""
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


# --- scoped getters for the consent pages (an object outside the scope is not found: 404) -------------------


def get_own_consent_for(user: AnyUser, consent_id: int) -> Consent:
    """A consent of the person themself or of their ward (legal representative); everything else 404."""
    consent = get_object_or_404(Consent.objects.select_related("person", "agency"), pk=consent_id)
    if consent.person_id != user.pk and not is_guardian_of(user, consent.person_id):
        raise Http404
    return consent


def get_consent_to_withdraw_for(user: AnyUser, consent_id: int) -> tuple[Consent, bool]:
    """A consent the person may withdraw, and whether it is their own (or their ward's): the young person and
    their legal representative (DSGVO Art. 7 Abs. 3), or on their behalf `can_manage_consent`; else 404."""
    consent = get_object_or_404(Consent.objects.select_related("person"), pk=consent_id)
    own = consent.person_id == user.pk or is_guardian_of(user, consent.person_id)
    if not own and not can_manage_consent(user, consent):
        raise Http404
    return consent, own


def get_consent_form_for(user: AnyUser, consent_id: int) -> Consent:
    """A consent with an uploaded signed form the person may download (`can_see_consent_form`); else 404."""
    consent = get_object_or_404(Consent.objects.select_related("person"), pk=consent_id)
    if not consent.evidence or not can_see_consent_form(user, consent):
        raise Http404
    return consent


def get_case_person_for(user: AnyUser, person_id: int) -> tuple[User, Organisation]:
    """The young person a counsellor opens a case for, with the agency that holds a consent of theirs valid
    today (DSGVO Art. 6 Abs. 1 lit. a, Art. 7); without one 404: the counsellor does not learn who this is."""
    from .services import has_valid_consent  # the services check the same consent when they open the case

    person = get_object_or_404(User, pk=person_id)
    for agency in agencies_of_counsellor(user):
        if has_valid_consent(person, agency):
            return person, agency
    raise Http404
