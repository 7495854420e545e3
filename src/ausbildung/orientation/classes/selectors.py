"""Reads for school classes. The progress a teacher sees is a fixed, small list of flags (see
`orientation.access.classes_of_teacher`): nothing here reads answers, scores or dates of birth. The one
exception is `class_field_interest`: with the pupil's consent, and only as counts over a group large enough
that no single pupil can be picked out."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.http import Http404

from ausbildung.core.models import User
from ausbildung.offers.selectors import saved_occupation_counts, saved_occupations_of

from ..access import classes_of_teacher
from ..models import InterestCheck, InternshipApplication, PlanStep, SchoolClass
from ..riasec import DIMENSIONS, NAMES

INTERNSHIP_STATES = (InternshipApplication.State.ACCEPTED, InternshipApplication.State.COMPLETED)


@dataclass(frozen=True)
class PupilProgress:
    pupil_id: int  # for the audit of reads (core.audit); not shown
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
            pupil_id=pupil.pk,
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


# Fewer consenting pupils than this and the teacher sees no fields at all: with one or two, a count of 1 would
# name the pupil's interest (re-identification; Erwägungsgrund 26 DSGVO). See docs/domain.md.
MIN_GROUP = 3


@dataclass(frozen=True)
class FieldCount:
    letter: str
    name: str
    pupils: int


@dataclass(frozen=True)
class FieldInterest:
    consenting: int  # pupils who allowed it and finished the check
    fields: list[FieldCount]  # empty while `consenting < MIN_GROUP`

    @property
    def shown(self) -> bool:
        return self.consenting >= MIN_GROUP


def class_field_interest(school_class: SchoolClass) -> FieldInterest:
    """Which of the six occupational fields (RIASEC letters, as the internship search uses them) the class is
    drawn to, counted only over pupils who allowed it and finished the check. A pupil counts once per field:
    the strongest field of their latest check and the field (first letter of the interest code) of each
    occupation they saved. Counts only; no names, answers, scores or occupations."""
    pupils = list(
        User.objects.filter(
            class_memberships__school_class=school_class,
            field_sharing_consent__granted_at__isnull=False,
            interest_checks__completed_at__isnull=False,
        )
        .distinct()
        .only("pk")
    )
    if len(pupils) < MIN_GROUP:
        return FieldInterest(consenting=len(pupils), fields=[])
    counts = dict.fromkeys(DIMENSIONS, 0)
    for pupil in pupils:
        latest = (
            InterestCheck.objects.filter(pupil=pupil, completed_at__isnull=False)
            .order_by("-completed_at", "-id")
            .values_list("code", flat=True)
            .first()
        )
        letters = {latest[:1]} if latest else set()
        letters |= {
            code[:1]
            for code in saved_occupations_of(pupil).values_list("interest_profile__code", flat=True)
            if code
        }
        for letter in letters & set(DIMENSIONS):
            counts[letter] += 1
    fields = [FieldCount(letter, str(NAMES[letter]), n) for letter, n in counts.items() if n]
    fields.sort(key=lambda f: (-f.pupils, DIMENSIONS.index(f.letter)))
    return FieldInterest(consenting=len(pupils), fields=fields)


def field_sharing_of(pupil: User) -> bool:
    """Whether the pupil currently allows their teacher to count their occupational fields."""
    return User.objects.filter(pk=pupil.pk, field_sharing_consent__granted_at__isnull=False).exists()


def pupil_in_a_class(pupil: User) -> bool:
    return SchoolClass.objects.filter(memberships__pupil=pupil).exists()
