"""What waits in career orientation (`core.waiting`): for a pupil the class to join and the interest check not
yet done; for a teacher the pupils of their classes who have not started yet (the progress flags of
`classes.selectors.class_progress`, nothing more)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ausbildung.core.models import Role
from ausbildung.core.permissions import roles_of
from ausbildung.core.waiting import WaitingItem, register_waiting

from .classes.selectors import class_progress, classes_of
from .models import ClassMembership, InterestCheck


def _pupil(user) -> list[WaitingItem]:
    items = []
    if not ClassMembership.objects.filter(pupil=user).exists():
        items.append(
            WaitingItem(
                key="orientation_join",
                text=_("Join your class with the code from your teacher"),
                url=reverse("orientation:join"),
                order=30,
            )
        )
    if not InterestCheck.objects.filter(pupil=user, completed_at__isnull=False).exists():
        items.append(
            WaitingItem(
                key="orientation_check",
                text=_("Do the interest check: which occupations could fit you?"),
                url=reverse("orientation:check"),
                order=31,
            )
        )
    return items


def _teacher(user) -> list[WaitingItem]:
    not_started = sum(
        1 for school_class in classes_of(user) for row in class_progress(school_class) if row.nothing_yet
    )
    return [
        WaitingItem(
            key="orientation_not_started",
            text=_("Pupils of your classes who have not started their career orientation"),
            url=reverse("orientation:class_list"),
            count=not_started,
            order=30,
        )
    ]


def waiting(user) -> list[WaitingItem]:
    roles = roles_of(user)
    items: list[WaitingItem] = []
    if Role.PUPIL in roles:
        items += _pupil(user)
    if Role.TEACHER in roles:
        items += _teacher(user)
    return items


def register() -> None:
    register_waiting("orientation", waiting)
