"""Reads for school classes. The progress a teacher sees is a fixed, small list of flags (see
`orientation.access.classes_of_teacher`): nothing here reads answers, scores or dates of birth."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.http import Http404

from ausbildung.core.models import User
from ausbildung.offers.selectors import saved_occupation_counts

from ..access import classes_of_teacher
from ..models import InterestCheck, InternshipApplication, PlanStep, SchoolClass

INTERNSHIP_STATES = (InternshipApplication.State.ACCEPTED, InternshipApplication.State.COMPLETED)


@dataclass(frozen=True)
class PupilProgress:
    name: str
    check_done: bool
    saved_occupations: int
    has_internship: bool
    has_plan: bool

    @property
    def nothing_yet(self) -> bool:
        return not (self.check_done or self.saved_occupations or self.has_internship or self.has_plan)


def classes_of(user: User):
    return (
        classes_of_teacher(user)
        .select_related("school")
        .annotate(pupils=Count("memberships"))
        .order_by("-school_year", "name")
    )


def get_class_for(user: User, class_id: int) -> SchoolClass:
    school_class = classes_of_teacher(user).select_related("school").filter(pk=class_id).first()
    if school_class is None:
        raise Http404
    return school_class


def class_progress(school_class: SchoolClass) -> list[PupilProgress]:
    """One row per pupil: pupils with nothing yet first, then by name."""
    pupils = (
        User.objects.filter(class_memberships__school_class=school_class)
        .annotate(
            check_done=Exists(InterestCheck.objects.filter(pupil=OuterRef("pk"), completed_at__isnull=False)),
            has_internship=Exists(
                InternshipApplication.objects.filter(pupil=OuterRef("pk"), state__in=INTERNSHIP_STATES)
            ),
            has_steps=Exists(PlanStep.objects.filter(pupil=OuterRef("pk"))),
        )
        .only("first_name", "last_name", "username")
    )
    saved = saved_occupation_counts(pupils)
    rows = [
        PupilProgress(
            name=pupil.get_full_name() or pupil.username,
            check_done=pupil.check_done,
            saved_occupations=saved.get(pupil.pk, 0),
            has_internship=pupil.has_internship,
            has_plan=pupil.has_steps or saved.get(pupil.pk, 0) > 0,
        )
        for pupil in pupils
    ]
    rows.sort(key=lambda row: (not row.nothing_yet, row.name.casefold()))
    return rows
