"""Demo data of dropout prevention (`ausbildung demo`): the vocational school's concern and absences for the
carpenter apprentice (Lukas Meyer, HWK), and a talk the systemhaus held with Jonas Becker with a follow-up.
Idempotent. The record books of the demo add their own signals (missing weeks).

Then the nightly scoring of today (`assess_today`, so the chamber's figures show), and with the history
(`load_history`, after the monitoring's synthetic past): the scoring of the first day of each of the last 24
months, so the score's quality check has a generated history to report on. That history knows contract facts
(probation, the site's dissolutions, the area's rate) but almost no record books, so its AUC says little about
the score on real data; the page says what it measured."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ausbildung.core.models import Organisation, TrainingContract, User

from . import nightly
from .models import AssessmentRun, Intervention, SchoolNote

HISTORY_MONTHS = 24


def load(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    jonas, lukas = users.get("azubi"), users.get("azubi2")
    teacher, trainer = users.get("berufsschule"), users.get("ausbilder")
    if not (jonas and lukas and teacher and trainer):
        return
    today = timezone.localdate()
    carpenter = TrainingContract.objects.filter(
        apprentice=lukas, status=TrainingContract.Status.ACTIVE
    ).first()
    if (
        carpenter is not None
        and carpenter.vocational_school_id
        and not SchoolNote.objects.filter(contract=carpenter).exists()
    ):
        SchoolNote.objects.create(
            contract=carpenter,
            school_id=carpenter.vocational_school_id,
            author=teacher,
            kind=SchoolNote.Kind.ABSENCE,
            days=6,
            period_end=today - datetime.timedelta(days=3),
        )
        SchoolNote.objects.create(
            contract=carpenter,
            school_id=carpenter.vocational_school_id,
            author=teacher,
            kind=SchoolNote.Kind.CONCERN,
            period_end=today - datetime.timedelta(days=3),
        )
    it = TrainingContract.objects.filter(apprentice=jonas, status=TrainingContract.Status.ACTIVE).first()
    if it is not None and not Intervention.objects.filter(contract=it).exists():
        Intervention.objects.create(
            contract=it,
            kind=Intervention.Kind.TALK,
            held_on=max(it.start_date, today - datetime.timedelta(days=10)),
            author=trainer,
            result="Wochenberichte besprochen; Jonas schreibt sie künftig freitags in der letzten Stunde.",
            follow_up_on=today + datetime.timedelta(days=18),
        )


def assess_today(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    nightly.assess()
    nightly.check_quality()


def load_history(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    """The first day of each of the last HISTORY_MONTHS months, scored as the nightly task would have (days
    already assessed are left alone), then today again (the latest run is the one the pages read)."""
    from ausbildung.core.services import add_months

    today = timezone.localdate()
    first = today.replace(day=1)
    done = set(AssessmentRun.objects.values_list("day", flat=True))
    for months in range(HISTORY_MONTHS, 0, -1):
        day = add_months(first, -months)
        if day not in done:
            nightly.assess(day)
    nightly.assess()
    nightly.check_quality()
