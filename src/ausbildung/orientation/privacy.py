"""The personal data of career orientation (core.privacy registry).

Orientation data (the interest check's answers and result, the pupil's plan, the class membership and the
consent to count the pupil in the class's fields) serves the pupil's own choice of an occupation. No statute
sets a period; it is kept until the pupil erases it, and the daily job erases it when the account has not been
used for `INACTIVE_YEARS` years: the orientation runs through the last school years before leaving (DSGVO
Art. 5 Abs. 1 lit. e, storage limitation; the platform's default). Internship applications follow the
applications' rule: 6 months after they closed.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from ausbildung.core.privacy import PersonalData, register_not_personal, register_personal_data
from ausbildung.core.privacy.rows import add_months, links, row_dict, rows, start_of_day

from .models import (
    ClassMembership,
    FieldSharingConsent,
    InterestCheck,
    InternshipApplication,
    InternshipFeedback,
    PlanStep,
    SchoolClass,
)

INACTIVE_YEARS = 2
INTERNSHIP_KEEP_MONTHS = 6
OWN_DATA = [
    (InterestCheck, "pupil"),
    (PlanStep, "pupil"),
    (ClassMembership, "pupil"),
    (FieldSharingConsent, "pupil"),
]
INTERNSHIP_CLOSED = {
    InternshipApplication.State.DECLINED,
    InternshipApplication.State.WITHDRAWN,
    InternshipApplication.State.COMPLETED,
}


def inactive_since(today: datetime.date) -> datetime.datetime:
    try:
        day = today.replace(year=today.year - INACTIVE_YEARS)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - INACTIVE_YEARS, day=28)
    return start_of_day(day)


def _inactive(prefix: str, today: datetime.date) -> Q:
    cutoff = inactive_since(today)
    return Q(**{f"{prefix}__last_login__lt": cutoff}) | Q(
        **{f"{prefix}__last_login__isnull": True, f"{prefix}__date_joined__lt": cutoff}
    )


def _own_export(person: Any) -> dict[str, Any]:
    data = {
        str(model._meta.model_name): rows(model._default_manager.filter(**{field: person}))
        for model, field in OWN_DATA
    }
    return {name: value for name, value in data.items() if value}


def _own_count(person: Any) -> int:
    return sum(model._default_manager.filter(**{field: person}).count() for model, field in OWN_DATA)


def _own_erase(person: Any, _today: datetime.date) -> int:
    return sum(model._default_manager.filter(**{field: person}).delete()[0] for model, field in OWN_DATA)


def _own_expired(today: datetime.date, dry_run: bool) -> int:
    querysets = [model._default_manager.filter(_inactive(field, today)) for model, field in OWN_DATA]
    return sum(q.count() for q in querysets) if dry_run else sum(q.delete()[0] for q in querysets)


def _internships(person: Any):
    return InternshipApplication.objects.filter(pupil=person).order_by("pk")


def _internship_export(person: Any) -> list[dict[str, Any]]:
    return [
        {
            **row_dict(application),
            "feedback": rows(InternshipFeedback.objects.filter(application=application)),
        }
        for application in _internships(person)
    ]


def _internship_expired(today: datetime.date, dry_run: bool) -> int:
    cutoff = timezone.make_aware(
        datetime.datetime.combine(add_months(today, -INTERNSHIP_KEEP_MONTHS), datetime.time.min)
    )
    old = InternshipApplication.objects.filter(state__in=INTERNSHIP_CLOSED, updated_at__lt=cutoff)
    return old.count() if dry_run else old.delete()[0]


def register() -> None:
    register_personal_data(
        PersonalData(
            key="orientation.own",
            models=(
                "orientation.InterestCheck",
                "orientation.PlanStep",
                "orientation.ClassMembership",
                "orientation.FieldSharingConsent",
            ),
            label="Career orientation: interest check (answers, scores, interest code), the own plan of next "
            "steps, class membership, consent to be counted in the class's occupational fields",
            label_de="Berufsorientierung: Interessencheck, Berufswahlfahrplan, Klasse, Freigabe für die Klasse",
            purpose="The pupil's own career orientation; the teacher's class overview (progress, never answers)",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. e with the Land's school law (career orientation is a task of "
            "the school); the field sharing: lit. a with Art. 7 and Art. 8 (consent, revocable)",
            seen_by="the pupil; the class teacher sees progress flags and, with the consent, counts per field over "
            "at least five pupils; never the answers",
            retention=f"until the pupil erases it; erased when the account has not been used for {INACTIVE_YEARS} "
            "years",
            retention_source="platform default (DSGVO Art. 5 Abs. 1 lit. e): the orientation runs through the "
            "last school years before leaving",
            link="pupil (foreign key)",
            export_how="JSON of the checks with answers and scores, plan steps, class memberships, the consent",
            erase_how="deleted",
            count=_own_count,
            export=_own_export,
            erase=_own_erase,
            erase_expired=_own_expired,
            order=30,
        ),
        PersonalData(
            key="orientation.internships",
            models=("orientation.InternshipApplication", "orientation.InternshipFeedback"),
            label="Internship applications (message, state) and feedback on internships",
            label_de="Praktikumsanfragen und Rückmeldungen",
            purpose="Finding an internship (Praktikum, Berufsfelderkundung)",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. b (steps at the pupil's request); lit. e for school internships",
            seen_by="the pupil; company_admin and trainers of the offering company",
            retention=f"{INTERNSHIP_KEEP_MONTHS} months after the request closed (declined, withdrawn, completed)",
            retention_source="platform default, following the applications' rule (AGG § 15 Abs. 4, ArbGG § 61b)",
            link="pupil (foreign key); feedback through the request",
            export_how="JSON of each request with its feedback",
            erase_how="deleted",
            count=lambda person: _internships(person).count(),
            export=_internship_export,
            erase=lambda person, _today: _internships(person).delete()[0],
            erase_expired=_internship_expired,
            order=35,
        ),
        PersonalData(
            key="orientation.classes",
            models=("orientation.SchoolClass",),
            label="Classes a teacher leads (the teacher's account linked to the class)",
            label_de="Klassen einer Lehrkraft",
            purpose="The class's join code and overview",
            legal_basis="DSGVO Art. 6 Abs. 1 lit. e with the Land's school law",
            seen_by="the teacher; the class's pupils see the class's name",
            retention="as long as the school keeps the class",
            retention_source="the school's decision",
            link="class.teacher",
            export_how="the classes are listed by id",
            erase_how="kept with the school's class; the teacher's account is anonymised on erasure",
            count=lambda person: SchoolClass.objects.filter(teacher=person).count(),
            export=lambda person: links(person, [(SchoolClass, "teacher")]),
            order=36,
        ),
    )
    register_not_personal(
        {
            "orientation.OccupationInterestProfile": "interest codes of occupations, derived from the regulations",
            "orientation.InternshipSlot": "internships companies offer (no persons)",
        }
    )
