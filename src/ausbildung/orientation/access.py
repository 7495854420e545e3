"""Who may open the orientation pages (rules evaluated by `core.permissions`), and the home-page areas.

Each feature module adds its rules to RULES; scopes (a teacher sees only their own classes, with progress
flags, not answers) live in core.permissions.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ausbildung.core.areas import Area, register_area
from ausbildung.core.models import Role
from ausbildung.core.permissions import PUBLIC, only, register_rules

RULES: dict = {}

# The interest check: pupils only, each sees only their own checks (fetched by pupil=request.user).
RULES.update(
    {
        "orientation:check": only(Role.PUPIL),
        "orientation:check_step": only(Role.PUPIL),
        "orientation:check_result": only(Role.PUPIL),
    }
)

# Classes: a teacher sees only their own classes (scope core.permissions.classes_of_teacher: progress flags,
# no answers); pupils join with the code. Internships: public list; pupils apply; the company's
# administrators and trainers handle them (scope internship_companies_for / internship_application_side).
# The plan: the pupil's own data only.
INTERNSHIP_COMPANY = (Role.COMPANY_ADMIN, Role.TRAINER)
RULES.update(
    {
        "orientation:class_list": only(Role.TEACHER),
        "orientation:class_detail": only(Role.TEACHER),
        "orientation:class_csv": only(Role.TEACHER),
        "orientation:join": only(Role.PUPIL),
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
    register_area(
        Area(
            key="orientation_explorer",
            title=_("Explore occupations"),
            description=_(
                "What you do in each occupation, which interests it suits, and where you can start."
            ),
            url_name="orientation:explorer",
            order=14,
        )
    )


def _register_school_areas() -> None:
    from ausbildung.core.demo import register_demo

    from . import school_demo

    register_demo(school_demo.load)
    for key, title, description, url_name, order in [
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
    ]:
        register_area(Area(key=key, title=title, description=description, url_name=url_name, order=order))


def register() -> None:
    register_rules(RULES)
    _register_explorer()
    _register_school_areas()
    register_area(
        Area(
            key="orientation_check",
            title=_("Interest check"),
            description=_("Find out which activities you enjoy and which occupations could fit you."),
            url_name="orientation:check",
            order=10,
        )
    )
