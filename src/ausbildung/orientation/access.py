"""Who may see and do what in career orientation: the page rules (enforced by `core.permissions`), the object
scopes (a teacher sees only their own classes, with progress flags, not answers; an internship application is
seen by the pupil and the offering company), and the home-page areas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ausbildung.core.areas import register_areas
from ausbildung.core.models import Organisation, Role
from ausbildung.core.permissions import (
    PUBLIC,
    companies_for,
    only,
    only_or_newcomer,
    register_rules,
    roles_of,
    schools_of_teacher,
)

from .models import SchoolClass

if TYPE_CHECKING:
    from ausbildung.core.permissions import AnyUser

RULES: dict = {}

# The interest check: pupils only, each sees only their own checks (fetched by pupil=request.user).
RULES.update(
    {
        "orientation:check": only(Role.PUPIL),
        "orientation:check_step": only(Role.PUPIL),
        "orientation:check_result": only(Role.PUPIL),
    }
)

# Classes: a teacher sees only their own classes (scope `classes_of_teacher` below: progress flags,
# no answers); pupils join with the code. Internships: public list; pupils apply; the company's
# administrators and trainers handle them (scope internship_companies_for / internship_application_side).
# The plan: the pupil's own data only.
INTERNSHIP_COMPANY = (Role.COMPANY_ADMIN, Role.TRAINER)
RULES.update(
    {
        "orientation:class_list": only(Role.TEACHER),
        "orientation:class_detail": only(Role.TEACHER),
        "orientation:class_csv": only(Role.TEACHER),
        # A newly signed-up person without a role joins their first class here and so becomes a pupil of
        # the class's school (core.accounts ends the sign-up on this page).
        "orientation:join": only_or_newcomer(Role.PUPIL),
        "orientation:field_sharing": only(Role.PUPIL),  # the pupil's own consent (POST)
        "orientation:internships": PUBLIC,
        "orientation:internship_detail": PUBLIC,
        "orientation:internship_apply": only(Role.PUPIL),
        "orientation:my_internships": only(Role.PUPIL),
        "orientation:internship_application": only(Role.PUPIL, *INTERNSHIP_COMPANY),
        "orientation:internship_step": only(Role.PUPIL, *INTERNSHIP_COMPANY),
        "orientation:internship_feedback": only(Role.PUPIL, *INTERNSHIP_COMPANY),
        "orientation:company_internships": only(*INTERNSHIP_COMPANY),
        "orientation:internship_create": only(*INTERNSHIP_COMPANY),
        "orientation:internship_status": only(*INTERNSHIP_COMPANY),
        "orientation:internship_inbox": only(*INTERNSHIP_COMPANY),
        "orientation:plan": only(Role.PUPIL),
        "orientation:plan_pdf": only(Role.PUPIL),
        "orientation:plan_step_toggle": only(Role.PUPIL),
        "orientation:plan_step_delete": only(Role.PUPIL),
    }
)


# The occupation explorer: public pages; saving an occupation is for pupils (their SeekerProfile).
RULES.update(
    {
        "orientation:explorer": PUBLIC,
        "orientation:occupation": PUBLIC,
        "orientation:compare": PUBLIC,
        "orientation:save_occupation": only(Role.PUPIL),
    }
)


def _register_explorer() -> None:
    from ausbildung.core.demo import register_demo

    from . import derive

    register_demo(derive.demo_load)
    register_areas(
        [
            (
                "orientation_explorer",
                _("Explore occupations"),
                _("What you do in each occupation, which interests it suits, and where you can start."),
                "orientation:explorer",
                14,
            ),
        ]
    )


def _register_school_areas() -> None:
    from ausbildung.core.demo import register_demo

    from . import school_demo

    register_demo(school_demo.load)
    register_areas(
        [
            (
                "orientation_classes",
                _("My classes"),
                _("Create classes, hand out the join code and see who has started their career orientation."),
                "orientation:class_list",
                11,
            ),
            (
                "orientation_plan",
                _("My career choice plan"),
                _("Saved occupations, interest checks, internships and your next steps – also as a PDF."),
                "orientation:plan",
                12,
            ),
            (
                "orientation_internships",
                _("Internships"),
                _("Find an internship and follow your applications."),
                "orientation:my_internships",
                13,
            ),
            (
                "orientation_company_internships",
                _("Internships for pupils"),
                _("Offer internships to pupils and handle their applications."),
                "orientation:company_internships",
                25,
            ),
        ]
    )


def register() -> None:
    register_rules(RULES)
    _register_explorer()
    _register_school_areas()
    register_areas(
        [
            (
                "orientation_check",
                _("Interest check"),
                _("Find out which activities you enjoy and which occupations could fit you."),
                "orientation:check",
                10,
            ),
        ]
    )


# --- object scopes: classes and internships ----------------------------------------------------------------------

PUPIL_SIDE = "pupil"
COMPANY_SIDE = "company"


def classes_of_teacher(user: AnyUser) -> QuerySet[SchoolClass]:
    """School classes a teacher leads: only their own (another teacher's class is not found: 404).

    Pupils are mostly minors (DSGVO Art. 8, data minimisation Art. 5 Abs. 1 lit. c). Through a class the
    teacher sees per pupil only the name and progress flags: interest check done (yes/no), number of saved
    occupations, has an internship, has a plan, "nothing yet". Never the answers or scores of the interest
    check, never the date of birth, messages, feedback or contact data. Views and exports built on this
    scope must keep to that list (see `orientation.classes.selectors.class_progress`).
    """
    if not user.is_authenticated or Role.TEACHER not in roles_of(user):
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(teacher=user, school__in=schools_of_teacher(user))


def internship_companies_for(user: AnyUser) -> QuerySet[Organisation]:
    """Companies whose internships the person manages (company administrator or trainer)."""
    return companies_for(user)


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
